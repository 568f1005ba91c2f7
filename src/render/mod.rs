//! Rendering: the archive becomes files (pages, JSON, static assets), each handed to a
//! [`SiteSink`] as it is made. Nothing here touches the disk: the sink does.

pub mod attachments;
pub mod charts;
pub mod feeds;
pub mod indexes;
pub mod insights;
pub mod json;
pub mod markdown;
pub mod search;
pub mod sink;
pub mod task_exports;
pub mod tasks;
pub mod theme;
pub mod views;

use std::collections::{BTreeMap, HashSet};

use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use self::sink::Recorder;
pub use self::sink::{MemorySite, SiteSink};
use self::theme::Theme;
use self::views::{
    incident_folder, IncidentSummaryView, IncidentView, LinkStyle, NavLink, RelatedView, SiteView,
};
use crate::cache::BuildCache;
use crate::error::Result;
use crate::index::mentions::is_distinctive;
use crate::index::ArchiveIndex;
use crate::model::Archive;

/// Site-wide settings the pages need.
#[derive(Debug, Clone)]
pub struct RenderSettings {
    pub title: String,
    pub description: String,
    pub links: LinkStyle,
    pub today: NaiveDate,
    pub source_url: String,
    /// Incidents per page on taxonomy pages.
    pub page_size: usize,
    /// What raw HTML in postmortems becomes.
    pub raw_html: crate::config::RawHtml,
}

/// The rendered site: output path (`/`-separated, relative) -> contents, in path order.
#[derive(Debug, Default)]
pub struct RenderedSite {
    pub files: BTreeMap<String, FileContent>,
}

/// A file's contents: one buffer, or consecutive chunks written one after the other
/// (large generated files, never joined in memory).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileContent {
    Bytes(Vec<u8>),
    Chunks(Vec<Vec<u8>>),
    /// Text shared with the model (a postmortem's source).
    Text(std::sync::Arc<str>),
    /// A file copied as it is from the content folder (an attachment), read only when
    /// written: images and PDFs can be large.
    File(std::path::PathBuf),
}

impl FileContent {
    pub fn write_to(&self, out: &mut impl std::io::Write) -> std::io::Result<()> {
        match self {
            FileContent::Bytes(bytes) => out.write_all(bytes),
            FileContent::Chunks(chunks) => chunks.iter().try_for_each(|chunk| out.write_all(chunk)),
            FileContent::Text(text) => out.write_all(text.as_bytes()),
            FileContent::File(path) => {
                std::io::copy(&mut std::fs::File::open(path)?, out).map(|_| ())
            }
        }
    }

    /// All the bytes in one buffer.
    pub fn to_vec(&self) -> std::io::Result<Vec<u8>> {
        Ok(match self {
            FileContent::Bytes(bytes) => bytes.clone(),
            FileContent::Chunks(chunks) => chunks.concat(),
            FileContent::Text(text) => text.as_bytes().to_vec(),
            FileContent::File(path) => std::fs::read(path)?,
        })
    }
}

impl From<Vec<u8>> for FileContent {
    fn from(bytes: Vec<u8>) -> Self {
        FileContent::Bytes(bytes)
    }
}

/// Home-page counts.
#[derive(Debug, Serialize)]
struct Stats {
    incidents: usize,
    open_tasks: usize,
    overdue_tasks: usize,
    total_minutes: i64,
    /// `total_minutes` for people: "3 h 20 min", "2,046 days 7 h".
    total_duration: String,
    /// Incidents whose duration is known: with none, the total is unknown, not 0.
    timed_incidents: usize,
    /// Site-relative link to the task dashboard.
    tasks_path: String,
}

#[derive(Debug, Serialize)]
struct PageInfo<'a> {
    /// `home`, `incident`, `not_found`.
    kind: &'a str,
    title: &'a str,
    /// Site-relative link to this page.
    path: String,
}

/// What every page's template gets: the site, the way back to the site root, and the
/// page itself.
pub struct PageContext<'a> {
    site: &'a SiteView,
    links: &'a LinkStyle,
}

impl PageContext<'_> {
    pub fn links(&self) -> &LinkStyle {
        self.links
    }

    /// The context of a page `depth` folders below the root.
    pub fn page(&self, depth: usize, kind: &str, title: &str, path: String) -> Context {
        let mut context = Context::new();
        context.insert("site", self.site);
        context.insert("root", &self.links.root(depth));
        context.insert("page", &PageInfo { kind, title, path });
        context
    }
}

/// What a build renders: the pages that counted.
#[derive(Debug, Default, Clone, Copy)]
pub struct RenderSummary {
    /// `.html` files, redirects included.
    pub pages: usize,
}

/// Renders every page of the archive into memory.
pub fn render_site(
    archive: &Archive,
    index: &ArchiveIndex,
    settings: &RenderSettings,
    theme: &Theme,
) -> Result<RenderedSite> {
    let site = MemorySite::default();
    render_site_into(archive, index, settings, theme, None, &site)?;
    Ok(site.into_site())
}

/// Renders every file of the site into `sink` as it is made. With a `cache`, incident
/// pages are taken from it when nothing they show changed, and this build's pages are
/// kept there for the next.
pub fn render_site_into(
    archive: &Archive,
    index: &ArchiveIndex,
    settings: &RenderSettings,
    theme: &Theme,
    cache: Option<&mut BuildCache>,
    sink: &dyn SiteSink,
) -> Result<RenderSummary> {
    let out = Recorder::new(sink);
    // Every page names the search manifest, so the search files come first; the files
    // no page needs are made beside them.
    let (manifest, data_files) = rayon::join(
        || SiteRenderer::search_files(index, &out),
        || SiteRenderer::data_files(archive, settings, &out),
    );
    let renderer = SiteRenderer {
        archive,
        index,
        settings,
        theme,
        site: site_view(settings, manifest?),
        out,
    };
    data_files?;
    renderer.pages(cache)?;
    renderer.sitemap()?;
    renderer.redirects()?;
    renderer.theme_and_attachments()?;
    Ok(RenderSummary {
        pages: renderer.out.page_count(),
    })
}

/// The header, footer and links every page shares.
fn site_view(settings: &RenderSettings, search_manifest: String) -> SiteView {
    let links = &settings.links;
    SiteView {
        title: settings.title.clone(),
        description: settings.description.clone(),
        base_url: match links {
            LinkStyle::Relative => String::new(),
            LinkStyle::Absolute { base_url } => base_url.clone(),
        },
        today: crate::model::moment::iso_date(settings.today),
        version: env!("CARGO_PKG_VERSION"),
        home: links.page(""),
        stylesheet: "static/style.css".to_string(),
        search_manifest,
        search_page: links.page("search/"),
        nav: std::iter::once(NavLink {
            title: "Incidents",
            path: links.page(""),
            kind: "home",
        })
        .chain(
            crate::index::TaxonomyKind::ALL
                .iter()
                .filter(|k| k.in_nav())
                .map(|kind| NavLink {
                    title: match kind {
                        crate::index::TaxonomyKind::Tags => "Tags",
                        other => other.title(),
                    },
                    path: links.page(&format!("{}/", kind.folder())),
                    kind: kind.folder(),
                }),
        )
        .chain([
            NavLink {
                title: "Tasks",
                path: links.page("tasks/"),
                kind: "tasks",
            },
            NavLink {
                title: "Insights",
                path: links.page("insights/"),
                kind: "insights",
            },
        ])
        .collect(),
    }
}

/// One build's rendering, one method per kind of file.
struct SiteRenderer<'a> {
    archive: &'a Archive,
    index: &'a ArchiveIndex,
    settings: &'a RenderSettings,
    theme: &'a Theme,
    site: SiteView,
    out: Recorder<'a>,
}

impl SiteRenderer<'_> {
    fn context(&self) -> PageContext<'_> {
        PageContext {
            site: &self.site,
            links: &self.settings.links,
        }
    }

    /// The search index's files; returns the manifest's name, which every page shows.
    fn search_files(index: &ArchiveIndex, out: &dyn SiteSink) -> Result<String> {
        let Some(search) = &index.search else {
            return Ok(String::new());
        };
        let files = search::search_files(search);
        for (path, content) in files.files {
            out.put(path, content)?;
        }
        Ok(files.manifest)
    }

    /// `incidents.json` and the feeds.
    fn data_files(archive: &Archive, settings: &RenderSettings, out: &dyn SiteSink) -> Result<()> {
        let feed_site = feeds::FeedSite {
            title: &settings.title,
            description: &settings.description,
            links: &settings.links,
        };
        out.put(
            "incidents.json".to_string(),
            FileContent::Chunks(json::incidents_json_chunks(
                &archive.incidents,
                settings.today,
            )),
        )?;
        out.put(
            "atom.xml".to_string(),
            FileContent::Bytes(feeds::atom(archive, &feed_site)),
        )?;
        out.put(
            "feed.json".to_string(),
            FileContent::Bytes(feeds::json_feed(archive, &feed_site)),
        )
    }

    /// Every HTML page of the archive. The incident pages are most of the work; the
    /// listings, the task pages and the home page run beside them, so that no core waits.
    fn pages(&self, cache: Option<&mut BuildCache>) -> Result<()> {
        // The dashboard renders beside the incident pages, which read the cache: its rows
        // are taken out for the while.
        let mut cache = cache;
        let mut row_cache = cache.as_mut().map(|c| std::mem::take(&mut c.task_rows));
        let summaries: Vec<IncidentSummaryView> = self
            .archive
            .incidents
            .iter()
            .map(|i| IncidentSummaryView::new(i, &self.settings.links, self.settings.today))
            .collect();
        let (incidents, ((listings, tasks), home)) = rayon::join(
            || self.incident_pages(cache.as_deref()),
            || {
                // Three independent groups of pages, so that a rebuild whose incident
                // pages all come from the cache still uses every core.
                rayon::join(
                    || {
                        rayon::join(
                            || self.listings(&summaries),
                            || self.task_pages(row_cache.as_mut()),
                        )
                    },
                    || self.home_pages(&summaries),
                )
            },
        );
        let incidents = incidents?;
        listings?;
        tasks?;
        home?;
        if let Some(cache) = cache {
            cache.task_rows = row_cache.unwrap_or_default();
            cache.keep_pages(incidents.kept, &self.site.search_manifest, incidents.reused);
        }
        Ok(())
    }

    /// Each incident's page and its source copy.
    fn incident_pages(&self, cache: Option<&BuildCache>) -> Result<IncidentPages> {
        let archive = self.archive;
        let manifest = &self.site.search_manifest;
        let known_ids: HashSet<&str> = archive.incidents.iter().map(|i| i.id.as_str()).collect();
        let attachments = attachments::Attachments::new(archive);
        let inputs = cache.map(|_| PageInputs::new(archive, self.index, self.settings.today));
        let pages = archive
            .incidents
            .par_iter()
            .enumerate()
            .map(|(position, incident)| {
                let folder = incident_folder(&incident.id);
                let page_path = format!("{folder}index.html");
                self.out.put(
                    format!("{folder}source.txt"),
                    FileContent::Text(incident.source_text.clone()),
                )?;
                let inputs = inputs.as_ref().map(|i| i.of(position));
                let reused = inputs.and_then(|inputs| cache?.page(&page_path, inputs, manifest));
                let was_reused = reused.is_some();
                let page = match reused {
                    Some(page) => page,
                    None => FileContent::Bytes(
                        self.incident_page(position, &known_ids, &attachments)?
                            .into_bytes(),
                    ),
                };
                // Only a cache keeps what was written.
                let kept = inputs.map(|inputs| (page_path.clone(), inputs, page.clone()));
                self.out.put(page_path, page)?;
                Ok((kept, was_reused))
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(IncidentPages {
            reused: pages.iter().filter(|(_, reused)| *reused).count(),
            kept: pages.into_iter().filter_map(|(kept, _)| kept).collect(),
        })
    }

    /// One incident's page.
    fn incident_page(
        &self,
        position: usize,
        known_ids: &HashSet<&str>,
        attachments: &attachments::Attachments,
    ) -> Result<String> {
        let archive = self.archive;
        let incident = &archive.incidents[position];
        let links = &self.settings.links;
        // Other incidents named by id become links to their pages. The index found
        // every id the file names.
        let mentions_any = self
            .index
            .mentions
            .references
            .get(position)
            .is_some_and(|r| !r.is_empty());
        let mention = |word: &str| {
            if !is_distinctive(word) {
                return None; // most words: no allocation, no lookup
            }
            let id = word.to_ascii_lowercase();
            (id != incident.id && known_ids.contains(id.as_str()))
                .then(|| format!("{}{}", links.root(2), links.page(&incident_folder(&id))))
        };
        let file = |dest: &str| {
            let relative = attachments.resolve(&incident.source, dest)?;
            // `runbook.pdf#page=2` keeps its fragment.
            let suffix = dest.find(['#', '?']).map_or("", |at| &dest[at..]);
            let href = attachments::href(relative);
            Some(format!("{}{href}{suffix}", links.root(2)))
        };
        let mut view = IncidentView::new(
            incident,
            links,
            self.settings.today,
            &self.settings.source_url,
            markdown::Markdown {
                // Most incidents name no other: their text is not searched for ids.
                link: mentions_any.then_some(&mention as &markdown::Linker),
                file: &file,
                raw_html: self.settings.raw_html,
            },
        );
        let views_of = |positions: Option<&Vec<usize>>| -> Vec<RelatedView> {
            positions
                .into_iter()
                .flatten()
                .map(|&o| RelatedView::new(&archive.incidents[o], links))
                .collect()
        };
        view.referenced_by = views_of(self.index.mentions.referenced_by.get(position));
        view.related = views_of(self.index.related.get(position));
        let path = view.path.clone();
        let mut context = self.context().page(2, "incident", &incident.title, path);
        context.insert("incident", &view);
        self.theme.render("incident.html", &context)
    }

    /// The taxonomy listings and term pages, and `tags.json`.
    fn listings(&self, summaries: &[IncidentSummaryView]) -> Result<()> {
        indexes::render_indexes(
            self.archive,
            &self.index.taxonomies,
            summaries,
            self.settings.page_size,
            self.theme,
            &self.context(),
            &self.out,
        )?;
        self.out.put(
            "tags.json".to_string(),
            FileContent::Bytes(indexes::tags_json(self.archive, &self.index.taxonomies)),
        )
    }

    /// The task dashboard, owners' pages and exports.
    fn task_pages(&self, row_cache: Option<&mut tasks::TaskRowCache>) -> Result<()> {
        tasks::render_tasks(
            self.archive,
            &self.index.tasks,
            self.settings,
            self.theme,
            &self.context(),
            row_cache,
            &self.out,
        )
    }

    /// The home page, the 404 page, the search page and insights.
    fn home_pages(&self, summaries: &[IncidentSummaryView]) -> Result<()> {
        let (archive, links, theme) = (self.archive, &self.settings.links, self.theme);
        let context = self.context();
        let total_minutes = archive
            .incidents
            .iter()
            .filter_map(|i| i.duration_minutes)
            .fold(0i64, i64::saturating_add);
        let stats = Stats {
            incidents: archive.incidents.len(),
            open_tasks: summaries.iter().map(|s| s.open_tasks).sum(),
            overdue_tasks: summaries.iter().map(|s| s.overdue_tasks).sum(),
            total_minutes,
            total_duration: crate::model::moment::format_minutes(total_minutes),
            timed_incidents: archive
                .incidents
                .iter()
                .filter(|i| i.duration_minutes.is_some())
                .count(),
            tasks_path: links.page("tasks/"),
        };
        let mut home = context.page(0, "home", &self.settings.title, links.page(""));
        home.insert("incidents", summaries);
        home.insert("stats", &stats);
        let page = |path: &str, html: String| {
            self.out
                .put(path.to_string(), FileContent::Bytes(html.into_bytes()))
        };
        page("index.html", theme.render("index.html", &home)?)?;
        // A server shows this page for any missing address, however deep: its links
        // start from the site root, not from itself.
        let mut not_found = context.page(0, "not_found", "Page not found", "404.html".into());
        if matches!(links, LinkStyle::Relative) {
            not_found.insert("root", "/");
        }
        page("404.html", theme.render("404.html", &not_found)?)?;
        if self.index.search.is_some() {
            let search = context.page(1, "search", "Search", links.page("search/"));
            page("search/index.html", theme.render("search.html", &search)?)?;
        }
        let insights_context = context.page(1, "insights", "Insights", links.page("insights/"));
        let html = insights::render_insights(&self.index.insights, theme, insights_context)?;
        page("insights/index.html", html)
    }

    /// `sitemap.xml`, with absolute links only: every page so far but the 404 page
    /// (redirects are not written yet).
    fn sitemap(&self) -> Result<()> {
        let LinkStyle::Absolute { base_url } = &self.settings.links else {
            return Ok(());
        };
        let pages = self.out.pages();
        let pages = pages
            .iter()
            .map(String::as_str)
            .filter(|p| *p != "404.html");
        let sitemap = feeds::sitemap(base_url, pages);
        self.out
            .put("sitemap.xml".to_string(), FileContent::Bytes(sitemap))
    }

    /// A page at each alias that leads to its incident.
    fn redirects(&self) -> Result<()> {
        self.index.redirects.par_iter().try_for_each(|redirect| {
            let html = feeds::redirect_page(redirect, self.archive, &self.settings.links);
            self.out.put(
                format!("{}index.html", redirect.from),
                FileContent::Bytes(html.into_bytes()),
            )
        })
    }

    /// The theme's static files, and the attachments copied as they are.
    fn theme_and_attachments(&self) -> Result<()> {
        for (name, bytes) in &self.theme.static_files {
            self.out
                .put(format!("static/{name}"), FileContent::Bytes(bytes.clone()))?;
        }
        self.archive
            .attachments
            .par_iter()
            .try_for_each(|attachment| {
                self.out.put(
                    attachments::site_path(&attachment.relative),
                    FileContent::File(attachment.absolute.clone()),
                )
            })
    }
}

/// What the incident pages leave for the cache.
struct IncidentPages {
    /// Path, inputs and contents of each page.
    kept: Vec<(String, u64, FileContent)>,
    /// Pages taken from the cache.
    reused: usize,
}

/// What an incident page shows, hashed: its own file, the files of the incidents it
/// lists, which ids exist (mentions become links), which attachments exist, and today
/// (overdue tasks). The search manifest's name is on every page too; a reused page gets
/// the new name put in.
struct PageInputs<'a> {
    sources: Vec<u64>,
    shared: u64,
    related: &'a [Vec<usize>],
    referenced_by: &'a [Vec<usize>],
}

impl<'a> PageInputs<'a> {
    fn new(archive: &Archive, index: &'a ArchiveIndex, today: NaiveDate) -> Self {
        let sources = archive
            .incidents
            .par_iter()
            .map(|i| crate::cache::digest(&(&i.source, &*i.source_text)))
            .collect();
        let ids: Vec<&str> = archive.incidents.iter().map(|i| i.id.as_str()).collect();
        // A link becomes a link to a copied file when that file appears.
        let files: Vec<&str> = archive
            .attachments
            .iter()
            .map(|a| a.relative.as_str())
            .collect();
        PageInputs {
            sources,
            shared: crate::cache::digest(&(ids, files, today)),
            related: &index.related,
            referenced_by: &index.mentions.referenced_by,
        }
    }

    fn of(&self, position: usize) -> u64 {
        let listed = |positions: Option<&Vec<usize>>| -> Vec<u64> {
            positions
                .into_iter()
                .flatten()
                .map(|&o| self.sources[o])
                .collect()
        };
        crate::cache::digest(&(
            self.sources[position],
            listed(self.related.get(position)),
            listed(self.referenced_by.get(position)),
            self.shared,
        ))
    }
}
