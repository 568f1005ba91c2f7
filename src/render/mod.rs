//! Rendering: the archive becomes files in memory (pages, JSON, static assets). Nothing
//! here writes to disk; `write` does that.

pub mod attachments;
pub mod charts;
pub mod feeds;
pub mod indexes;
pub mod insights;
pub mod json;
pub mod markdown;
pub mod search;
pub mod task_exports;
pub mod tasks;
pub mod theme;
pub mod views;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

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

impl RenderedSite {
    /// Pages are the `.html` files.
    pub fn page_count(&self) -> usize {
        self.files.keys().filter(|p| p.ends_with(".html")).count()
    }
}

/// Home-page counts.
#[derive(Debug, Serialize)]
struct Stats {
    incidents: usize,
    open_tasks: usize,
    overdue_tasks: usize,
    total_minutes: i64,
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

/// Renders every page of the archive.
pub fn render_site(
    archive: &Archive,
    index: &ArchiveIndex,
    settings: &RenderSettings,
    theme: &Theme,
) -> Result<RenderedSite> {
    render_site_reusing(archive, index, settings, theme, None)
}

/// `render_site` that takes incident pages from `cache` when nothing they show changed,
/// and keeps this build's pages there for the next.
pub fn render_site_reusing(
    archive: &Archive,
    index: &ArchiveIndex,
    settings: &RenderSettings,
    theme: &Theme,
    cache: Option<&mut BuildCache>,
) -> Result<RenderedSite> {
    let links = &settings.links;
    let ArchiveIndex {
        taxonomies,
        related,
        mentions,
        insights,
        tasks: task_board,
        search,
        redirects,
    } = index;
    // Every page names the search manifest, so the search files come first; the files
    // no page needs are made beside them.
    let feed_site = feeds::FeedSite {
        title: &settings.title,
        description: &settings.description,
        links,
    };
    let (search_files, data_files) = rayon::join(
        || {
            search
                .as_ref()
                .map(search::search_files)
                .unwrap_or_default()
        },
        || {
            [
                (
                    "incidents.json".to_string(),
                    FileContent::Chunks(json::incidents_json_chunks(
                        &archive.incidents,
                        settings.today,
                    )),
                ),
                (
                    "atom.xml".to_string(),
                    FileContent::Bytes(feeds::atom(archive, &feed_site)),
                ),
                (
                    "feed.json".to_string(),
                    FileContent::Bytes(feeds::json_feed(archive, &feed_site)),
                ),
            ]
        },
    );
    let site = SiteView {
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
        search_manifest: search_files.manifest.clone(),
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
    };
    let base_context = |depth: usize, page: PageInfo| {
        let mut context = Context::new();
        context.insert("site", &site);
        context.insert("root", &links.root(depth));
        context.insert("page", &page);
        context
    };
    let known_ids: std::collections::HashSet<&str> =
        archive.incidents.iter().map(|i| i.id.as_str()).collect();
    let attachments = attachments::Attachments::new(archive);
    let page_context = |depth: usize, kind: &str, title: &str, path: String| {
        base_context(depth, PageInfo { kind, title, path })
    };
    // What an incident page shows: its own file, the files of the incidents it lists,
    // which ids exist (mentions become links), which attachments exist, and today
    // (overdue tasks). The search
    // manifest's name is on every page too; a reused page gets the new name put in.
    let page_inputs: Option<(Vec<u64>, u64)> = cache.as_ref().map(|_| {
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
        (sources, crate::cache::digest(&(ids, files, settings.today)))
    });
    let inputs_of = |position: usize| -> Option<u64> {
        let (sources, shared) = page_inputs.as_ref()?;
        let listed = |positions: Option<&Vec<usize>>| -> Vec<u64> {
            positions
                .into_iter()
                .flatten()
                .map(|&o| sources[o])
                .collect()
        };
        Some(crate::cache::digest(&(
            sources[position],
            listed(related.get(position)),
            listed(mentions.referenced_by.get(position)),
            shared,
        )))
    };
    let manifest = &search_files.manifest;
    // The dashboard renders beside the incident pages, which read the cache: its rows
    // are taken out for the while.
    let mut cache = cache;
    let mut row_cache = cache.as_mut().map(|c| std::mem::take(&mut c.task_rows));
    let reusable = cache.as_deref();

    // The home page and the JSON are serial work: they run beside the incident pages
    // so that no core waits.
    let (pages, shared) = rayon::join(
        || {
            archive
                .incidents
                .par_iter()
                .enumerate()
                .map(|(position, incident)| {
                    let folder = incident_folder(&incident.id);
                    let page_path = format!("{folder}index.html");
                    let source_copy = (
                        format!("{folder}source.txt"),
                        FileContent::Text(incident.source_text.clone()),
                    );
                    let inputs = inputs_of(position);
                    if let Some(page) =
                        inputs.and_then(|inputs| reusable?.page(&page_path, inputs, manifest))
                    {
                        return Ok(([(page_path, page), source_copy], inputs, true));
                    }
                    // Other incidents named by id become links to their pages.
                    let mention = |word: &str| {
                        if !is_distinctive(word) {
                            return None; // most words: no allocation, no lookup
                        }
                        let id = word.to_ascii_lowercase();
                        (id != incident.id && known_ids.contains(id.as_str())).then(|| {
                            format!("{}{}", links.root(2), links.page(&incident_folder(&id)))
                        })
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
                        settings.today,
                        &settings.source_url,
                        markdown::Markdown {
                            link: &mention,
                            file: &file,
                            raw_html: settings.raw_html,
                        },
                    );
                    let views_of = |positions: Option<&Vec<usize>>| -> Vec<RelatedView> {
                        positions
                            .into_iter()
                            .flatten()
                            .map(|&o| RelatedView::new(&archive.incidents[o], links))
                            .collect()
                    };
                    view.referenced_by = views_of(mentions.referenced_by.get(position));
                    view.related = views_of(related.get(position));
                    let page = PageInfo {
                        kind: "incident",
                        title: &incident.title,
                        path: view.path.clone(),
                    };
                    let mut context = base_context(2, page);
                    context.insert("incident", &view);
                    let html = theme.render("incident.html", &context)?;
                    let page = (page_path, FileContent::Bytes(html.into_bytes()));
                    Ok(([page, source_copy], inputs, false))
                })
                .collect::<Result<Vec<_>>>()
        },
        || -> Result<Vec<(String, FileContent)>> {
            let summaries: Vec<IncidentSummaryView> = archive
                .incidents
                .iter()
                .map(|i| IncidentSummaryView::new(i, links, settings.today))
                .collect();
            // Three independent groups of pages, so that a rebuild whose incident pages
            // all come from the cache still uses every core.
            let ((listings, task_pages), home_pages) = rayon::join(
                || {
                    rayon::join(
                        || -> Result<Vec<(String, FileContent)>> {
                            let mut pages = indexes::render_indexes(
                                archive,
                                taxonomies,
                                &summaries,
                                links,
                                settings.page_size,
                                theme,
                                &page_context,
                            )?;
                            pages.push((
                                "tags.json".to_string(),
                                FileContent::Bytes(indexes::tags_json(archive, taxonomies)),
                            ));
                            Ok(pages)
                        },
                        || {
                            tasks::render_tasks(
                                archive,
                                task_board,
                                settings,
                                theme,
                                &page_context,
                                row_cache.as_mut(),
                            )
                        },
                    )
                },
                || -> Result<Vec<(String, FileContent)>> {
                    let stats = Stats {
                        incidents: archive.incidents.len(),
                        open_tasks: summaries.iter().map(|s| s.open_tasks).sum(),
                        overdue_tasks: summaries.iter().map(|s| s.overdue_tasks).sum(),
                        total_minutes: archive
                            .incidents
                            .iter()
                            .filter_map(|i| i.duration_minutes)
                            .fold(0i64, i64::saturating_add),
                        timed_incidents: archive
                            .incidents
                            .iter()
                            .filter(|i| i.duration_minutes.is_some())
                            .count(),
                        tasks_path: links.page("tasks/"),
                    };
                    let mut home = page_context(0, "home", &settings.title, links.page(""));
                    home.insert("incidents", &summaries);
                    home.insert("stats", &stats);
                    let mut pages = vec![(
                        "index.html".to_string(),
                        FileContent::Bytes(theme.render("index.html", &home)?.into_bytes()),
                    )];
                    // A server shows this page for any missing address, however
                    // deep: its links start from the site root, not from itself.
                    let mut not_found =
                        page_context(0, "not_found", "Page not found", "404.html".to_string());
                    if matches!(links, LinkStyle::Relative) {
                        not_found.insert("root", "/");
                    }
                    pages.push((
                        "404.html".to_string(),
                        FileContent::Bytes(theme.render("404.html", &not_found)?.into_bytes()),
                    ));
                    if search.is_some() {
                        let context = page_context(1, "search", "Search", links.page("search/"));
                        pages.push((
                            "search/index.html".to_string(),
                            FileContent::Bytes(theme.render("search.html", &context)?.into_bytes()),
                        ));
                    }
                    let context = page_context(1, "insights", "Insights", links.page("insights/"));
                    pages.push((
                        "insights/index.html".to_string(),
                        FileContent::Bytes(
                            insights::render_insights(insights, theme, context)?.into_bytes(),
                        ),
                    ));
                    Ok(pages)
                },
            );
            let mut shared = home_pages?;
            shared.extend(listings?);
            shared.extend(task_pages?);
            Ok(shared)
        },
    );
    let pages = pages?;
    if let Some(cache) = cache {
        cache.task_rows = row_cache.unwrap_or_default();
        let reused = pages.iter().filter(|(_, _, reused)| *reused).count();
        let kept = pages
            .iter()
            .filter_map(|([(path, content), _], inputs, _)| {
                Some((path.clone(), (*inputs)?, content.clone()))
            });
        cache.keep_pages(kept, manifest, reused);
    }
    let mut files: BTreeMap<String, FileContent> =
        pages.into_iter().flat_map(|(files, _, _)| files).collect();
    files.extend(shared?);
    files.extend(search_files.files);
    files.extend(data_files);
    if let LinkStyle::Absolute { base_url } = links {
        // Every page but the 404 page; redirects are not written yet.
        let pages = files
            .keys()
            .filter(|p| p.ends_with(".html") && p.as_str() != "404.html");
        let sitemap = feeds::sitemap(base_url, pages.map(String::as_str));
        files.insert("sitemap.xml".to_string(), FileContent::Bytes(sitemap));
    }
    for redirect in redirects {
        files.insert(
            format!("{}index.html", redirect.from),
            FileContent::Bytes(feeds::redirect_page(redirect, archive, links).into_bytes()),
        );
    }
    for (name, bytes) in &theme.static_files {
        files.insert(format!("static/{name}"), FileContent::Bytes(bytes.clone()));
    }
    for attachment in &archive.attachments {
        files.insert(
            attachments::site_path(&attachment.relative),
            FileContent::File(attachment.absolute.clone()),
        );
    }
    Ok(RenderedSite { files })
}
