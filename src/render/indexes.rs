//! The pages of the cross-incident views: a list of terms per taxonomy (`tags/`) and,
//! per term, its incidents newest first (`tags/database/`, then `page/2/`, ...), plus
//! `tags.json`.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use super::theme::Theme;
use super::views::{IncidentSummaryView, LinkStyle};
use super::{FileContent, PageContext, SiteSink};
use crate::error::Result;
use crate::index::{Taxonomy, TaxonomyKind, Term};
use crate::model::moment::format_minutes;
use crate::model::Archive;

/// The orders a taxonomy list is written in: (key, column label). `count` is the
/// default page; years and months list newest first there instead.
const SORTS: [(&str, &str); 4] = [
    ("count", "Incidents"),
    ("name", "Name"),
    ("downtime", "Downtime"),
    ("latest", "Latest incident"),
];

/// A link to the list in another order.
#[derive(Debug, Serialize)]
struct SortLink {
    label: &'static str,
    path: String,
    current: bool,
}

/// `tags/` for the default order, `tags/by-name.html` for the others.
fn sort_path(kind: TaxonomyKind, key: &str, links: &LinkStyle) -> String {
    match key {
        "count" => links.page(&format!("{}/", kind.folder())),
        other => format!("{}/by-{other}.html", kind.folder()),
    }
}

/// One taxonomy's list page.
#[derive(Debug, Serialize)]
struct TaxonomyView<'a> {
    /// `tags`, `services`, `severity`, `years`.
    kind: &'static str,
    title: &'static str,
    path: String,
    /// Links between the years and months lists.
    years_path: String,
    months_path: String,
    terms: Vec<TermSummaryView<'a>>,
}

#[derive(Debug, Serialize)]
struct TermSummaryView<'a> {
    name: &'a str,
    path: String,
    count: usize,
    /// Incidents that carry it only as an inferred tag.
    inferred: usize,
    total_duration: Option<String>,
    /// For sorting by downtime.
    #[serde(skip)]
    total_minutes: i64,
    latest: Option<String>,
    /// The newest incident with the term: its title and link.
    latest_title: Option<&'a str>,
    latest_path: Option<String>,
    /// Its count as a share of the largest count, 0 to 100, for a bar.
    bar: usize,
}

/// One page of a term's incidents.
#[derive(Debug, Serialize)]
struct TermPageView<'a> {
    kind: &'static str,
    taxonomy_title: &'static str,
    taxonomy_path: String,
    name: &'a str,
    count: usize,
    total_duration: Option<String>,
    /// The page's incidents as table rows, from `incident-row.html`.
    rows_html: String,
    pagination: Pagination,
    /// (year, incidents) for the term, oldest year first.
    per_year: Vec<(i32, usize)>,
}

#[derive(Debug, Serialize)]
struct Pagination {
    current: usize,
    total: usize,
    previous: Option<String>,
    next: Option<String>,
    pages: Vec<PageLink>,
}

#[derive(Debug, Serialize)]
struct PageLink {
    number: usize,
    path: String,
}

/// Stands for `root` in rows rendered once for many pages; a private-use character
/// never produced by escaping.
pub(crate) const ROOT: &str = "\u{E000}root\u{E000}";

/// `tags/database/` for page 1, `tags/database/page/2/` after: page 1 keeps the term's
/// permalink whatever the page size.
fn page_folder(kind: TaxonomyKind, term: &Term, page: usize) -> String {
    match page {
        1 => format!("{}/{}/", kind.folder(), term.slug),
        n => format!("{}/{}/page/{n}/", kind.folder(), term.slug),
    }
}

/// Renders every taxonomy page. `summaries` are the incidents' list views, by position.
pub fn render_indexes(
    archive: &Archive,
    taxonomies: &[Taxonomy],
    summaries: &[IncidentSummaryView],
    page_size: usize,
    theme: &Theme,
    context: &PageContext,
    out: &dyn SiteSink,
) -> Result<()> {
    let links = context.links();
    let page_size = page_size.max(1);
    // An incident appears on several term pages: its row is rendered once, with a
    // stand-in for `root` that each page replaces with its own.
    let rows: Vec<String> = summaries
        .par_iter()
        .map(|summary| {
            let mut context = Context::new();
            context.insert("i", summary);
            context.insert("root", ROOT);
            theme.render("incident-row.html", &context)
        })
        .collect::<Result<_>>()?;
    let pages = TermPages {
        archive,
        rows: &rows,
        links,
        page_size,
        theme,
        context,
        out,
    };
    for taxonomy in taxonomies {
        let kind = taxonomy.kind;
        let largest = taxonomy
            .terms
            .iter()
            .map(|t| t.incidents.len())
            .max()
            .unwrap_or(1)
            .max(1);
        let view = TaxonomyView {
            kind: kind.folder(),
            title: kind.title(),
            path: links.page(&format!("{}/", kind.folder())),
            years_path: links.page("years/"),
            months_path: links.page("months/"),
            terms: taxonomy
                .terms
                .iter()
                .map(|term| TermSummaryView {
                    name: &term.name,
                    path: links.page(&page_folder(kind, term, 1)),
                    count: term.incidents.len(),
                    inferred: term.inferred,
                    total_duration: (term.total_minutes > 0)
                        .then(|| format_minutes(term.total_minutes)),
                    total_minutes: term.total_minutes,
                    latest: term.latest.map(crate::model::moment::iso_date),
                    latest_title: term
                        .incidents
                        .first()
                        .map(|&p| archive.incidents[p].title.as_str()),
                    latest_path: term.incidents.first().map(|&p| {
                        links.page(&super::views::incident_folder(&archive.incidents[p].id))
                    }),
                    bar: (term.incidents.len() * 100 / largest).max(1),
                })
                .collect(),
        };
        // Sorting without JavaScript: the list is written once per order, as files
        // beside the default (which can never collide with a term's folder).
        let mut view = view;
        let default_terms = std::mem::take(&mut view.terms);
        for (key, _) in SORTS {
            let mut terms: Vec<&TermSummaryView> = default_terms.iter().collect();
            let position = |t: &TermSummaryView| {
                default_terms
                    .iter()
                    .position(|d| std::ptr::eq(d, t))
                    .unwrap_or(0)
            };
            match key {
                "name" => terms.sort_by(|a, b| a.name.cmp(b.name)),
                "downtime" => terms.sort_by_key(|t| std::cmp::Reverse(t.total_minutes)),
                "latest" => terms
                    .sort_by(|a, b| b.latest.cmp(&a.latest).then(position(a).cmp(&position(b)))),
                _ => {}
            }
            let sorts: Vec<SortLink> = SORTS
                .iter()
                .map(|(other, label)| SortLink {
                    label,
                    path: sort_path(kind, other, links),
                    current: *other == key,
                })
                .collect();
            let mut page =
                context.page(1, kind.folder(), kind.title(), sort_path(kind, key, links));
            page.insert("taxonomy", &view);
            page.insert("terms", &terms);
            page.insert("sorts", &sorts);
            let file = match key {
                "count" => format!("{}/index.html", kind.folder()),
                other => format!("{}/by-{other}.html", kind.folder()),
            };
            out.put(
                file,
                FileContent::Bytes(theme.render("taxonomy.html", &page)?.into_bytes()),
            )?;
        }
        taxonomy
            .terms
            .par_iter()
            .try_for_each(|term| pages.term(kind, term))?;
    }
    Ok(())
}

/// What every term page needs, shared across the parallel rendering.
struct TermPages<'a> {
    archive: &'a Archive,
    rows: &'a [String],
    links: &'a LinkStyle,
    page_size: usize,
    theme: &'a Theme,
    context: &'a PageContext<'a>,
    out: &'a dyn SiteSink,
}

impl TermPages<'_> {
    /// A term's pages: `page_size` incidents each, the first at the term's permalink.
    fn term(&self, kind: TaxonomyKind, term: &Term) -> Result<()> {
        let TermPages {
            archive,
            rows,
            links,
            page_size,
            theme,
            context,
            out,
        } = *self;
        let total = term.incidents.len().div_ceil(page_size).max(1);
        let mut per_year: BTreeMap<i32, usize> = BTreeMap::new();
        for &position in &term.incidents {
            if let Some(date) = archive.incidents[position].date() {
                *per_year.entry(chrono::Datelike::year(&date)).or_default() += 1;
            }
        }
        let page_path = |n: usize| links.page(&page_folder(kind, term, n));
        for (index, chunk) in term
            .incidents
            .chunks(page_size)
            .enumerate()
            .chain(std::iter::once((0, &[][..])).filter(|_| term.incidents.is_empty()))
        {
            let current = index + 1;
            let folder = page_folder(kind, term, current);
            let depth = folder.matches('/').count();
            let rows_html = chunk
                .iter()
                .map(|&position| rows[position].as_str())
                .collect::<String>()
                .replace(ROOT, &links.root(depth));
            let view = TermPageView {
                kind: kind.folder(),
                taxonomy_title: kind.title(),
                taxonomy_path: links.page(&format!("{}/", kind.folder())),
                name: &term.name,
                count: term.incidents.len(),
                total_duration: (term.total_minutes > 0)
                    .then(|| format_minutes(term.total_minutes)),
                rows_html,
                pagination: Pagination {
                    current,
                    total,
                    previous: (current > 1).then(|| page_path(current - 1)),
                    next: (current < total).then(|| page_path(current + 1)),
                    pages: (1..=total)
                        .map(|number| PageLink {
                            number,
                            path: page_path(number),
                        })
                        .collect(),
                },
                per_year: per_year.iter().map(|(&y, &n)| (y, n)).collect(),
            };
            let title = format!("{}: {}", kind.title(), term.name);
            let mut page = context.page(depth, kind.folder(), &title, links.page(&folder));
            page.insert("term", &view);
            out.put(
                format!("{folder}index.html"),
                FileContent::Bytes(theme.render("term.html", &page)?.into_bytes()),
            )?;
        }
        Ok(())
    }
}

#[derive(Serialize)]
struct TagsFile<'a> {
    schema: u32,
    tags: BTreeMap<&'a str, TagEntry<'a>>,
}

#[derive(Serialize)]
struct TagEntry<'a> {
    name: &'a str,
    count: usize,
    inferred: usize,
    incidents: Vec<&'a str>,
}

/// `tags.json`: each tag's slug -> its name, counts and incident ids (newest first).
pub fn tags_json(archive: &Archive, taxonomies: &[Taxonomy]) -> Vec<u8> {
    let tags = taxonomies.iter().find(|t| t.kind == TaxonomyKind::Tags);
    let file = TagsFile {
        schema: 1,
        tags: tags
            .map(|t| {
                t.terms
                    .iter()
                    .map(|term| {
                        let ids = term
                            .incidents
                            .iter()
                            .map(|&p| archive.incidents[p].id.as_str())
                            .collect();
                        (
                            term.slug.as_str(),
                            TagEntry {
                                name: &term.name,
                                count: term.incidents.len(),
                                inferred: term.inferred,
                                incidents: ids,
                            },
                        )
                    })
                    .collect()
            })
            .unwrap_or_default(),
    };
    let mut bytes = serde_json::to_vec_pretty(&file).expect("tags JSON always serializes");
    bytes.push(b'\n');
    bytes
}
