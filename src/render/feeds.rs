//! What the site tells other programs: an Atom feed and a JSON Feed (1.1) of the newest
//! incidents, a sitemap, and redirect pages at incidents' old addresses.

use chrono::NaiveTime;
use serde_json::json;

use super::theme::escape_html;
use super::views::{incident_folder, LinkStyle};
use crate::index::aliases::Redirect;
use crate::model::moment::{format_offset, iso_date};
use crate::model::{Archive, Incident};

/// Incidents in each feed: the newest, as feed readers expect a short list.
pub const FEED_ENTRIES: usize = 50;

/// The site facts a feed needs.
#[derive(Debug, Clone)]
pub struct FeedSite<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub links: &'a LinkStyle,
}

impl FeedSite<'_> {
    /// A site folder as a link: absolute under the base URL, else relative to the root
    /// (valid in both feeds, where readers resolve it against the feed's address).
    fn url(&self, folder: &str) -> String {
        match self.links {
            LinkStyle::Absolute { base_url } => format!("{base_url}{folder}"),
            LinkStyle::Relative if folder.is_empty() => "./".to_string(),
            LinkStyle::Relative => folder.to_string(),
        }
    }
}

/// The newest dated incidents, newest first (the archive's order).
fn entries(archive: &Archive) -> impl Iterator<Item = &Incident> {
    archive
        .incidents
        .iter()
        .filter(|i| i.date().is_some())
        .take(FEED_ENTRIES)
}

/// RFC 3339: the incident's start, at midnight when no time is written, in its zone.
pub fn published(incident: &Incident) -> Option<String> {
    let start = incident.start.as_ref()?.value;
    let date = start.date?;
    let time = start.time.unwrap_or(NaiveTime::MIN);
    let offset = start.offset.unwrap_or(incident.timezone);
    Some(format!(
        "{}T{}{}",
        iso_date(date),
        time.format("%H:%M:%S"),
        format_offset(offset)
    ))
}

/// One line for a reader: the impact, then the root cause.
pub fn description(incident: &Incident) -> String {
    let parts: Vec<&str> = [
        incident.impact.as_ref().map(|i| i.summary.as_str()),
        incident.root_cause.as_ref().map(|r| r.summary.as_str()),
    ]
    .into_iter()
    .flatten()
    .collect();
    if parts.is_empty() {
        incident.summary.clone().unwrap_or_default()
    } else {
        parts.join(" Root cause: ")
    }
}

/// `atom.xml` (RFC 4287).
pub fn atom(archive: &Archive, site: &FeedSite) -> Vec<u8> {
    // The latest start, compared as instants (the strings carry different zones).
    let updated = entries(archive)
        .filter_map(|i| Some((i.start.as_ref()?.value.epoch_minutes(i.timezone)?, i)))
        .max_by_key(|(minutes, _)| *minutes)
        .and_then(|(_, incident)| published(incident))
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_string());
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    out.push_str(&format!("  <title>{}</title>\n", escape_xml(site.title)));
    if !site.description.is_empty() {
        out.push_str(&format!(
            "  <subtitle>{}</subtitle>\n",
            escape_xml(site.description)
        ));
    }
    out.push_str(&format!(
        "  <link href=\"{}\"/>\n  <link rel=\"self\" href=\"{}\"/>\n",
        escape_xml(&site.url("")),
        escape_xml(&site.url("atom.xml"))
    ));
    out.push_str(&format!(
        "  <id>{}</id>\n  <updated>{updated}</updated>\n  <generator version=\"{}\">pmsite</generator>\n",
        escape_xml(&feed_id(site, "")),
        env!("CARGO_PKG_VERSION")
    ));
    for incident in entries(archive) {
        let Some(date) = published(incident) else {
            continue;
        };
        let folder = incident_folder(&incident.id);
        out.push_str("  <entry>\n");
        out.push_str(&format!(
            "    <title>{}</title>\n",
            escape_xml(&incident.title)
        ));
        out.push_str(&format!(
            "    <link href=\"{}\"/>\n",
            escape_xml(&site.url(&folder))
        ));
        out.push_str(&format!(
            "    <id>{}</id>\n",
            escape_xml(&feed_id(site, &folder))
        ));
        out.push_str(&format!(
            "    <published>{date}</published>\n    <updated>{date}</updated>\n"
        ));
        for tag in &incident.tags {
            out.push_str(&format!(
                "    <category term=\"{}\"/>\n",
                escape_xml(&tag.name)
            ));
        }
        let summary = description(incident);
        if !summary.is_empty() {
            out.push_str(&format!(
                "    <summary>{}</summary>\n",
                escape_xml(&summary)
            ));
        }
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out.into_bytes()
}

/// A permanent id: the page's URL under a base URL, else a `tag:` URI (RFC 4151) of the
/// page's path, which stays the same wherever the site is copied.
/// Text as XML 1.0 character data: escaped as for HTML, and without the characters XML
/// forbids (control characters but tab and line ends, U+FFFE, U+FFFF), which a pasted
/// terminal colour code would otherwise put in a title, making the whole feed unreadable.
fn escape_xml(text: &str) -> String {
    let allowed = |c: &char| !matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}');
    if text.chars().all(|c| allowed(&c)) {
        return escape_html(text);
    }
    escape_html(&text.chars().filter(allowed).collect::<String>())
}

fn feed_id(site: &FeedSite, folder: &str) -> String {
    match site.links {
        LinkStyle::Absolute { base_url } => format!("{base_url}{folder}"),
        LinkStyle::Relative => format!("tag:pmsite,2024:{folder}"),
    }
}

/// `feed.json` (JSON Feed 1.1).
pub fn json_feed(archive: &Archive, site: &FeedSite) -> Vec<u8> {
    let items: Vec<serde_json::Value> = entries(archive)
        .filter_map(|incident| {
            let date = published(incident)?;
            let folder = incident_folder(&incident.id);
            let mut item = json!({
                "id": feed_id(site, &folder),
                "url": site.url(&folder),
                "title": incident.title,
                "content_text": description(incident),
                "date_published": date,
                "tags": incident.tags.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
            });
            if let Some(summary) = &incident.summary {
                item["summary"] = json!(summary);
            }
            Some(item)
        })
        .collect();
    let mut feed = json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": site.title,
        "home_page_url": site.url(""),
        "feed_url": site.url("feed.json"),
        "items": items,
    });
    if !site.description.is_empty() {
        feed["description"] = json!(site.description);
    }
    let mut bytes = serde_json::to_vec_pretty(&feed).expect("the feed serializes");
    bytes.push(b'\n');
    bytes
}

/// `sitemap.xml`: every page, under the base URL (a sitemap needs absolute URLs, so it
/// is only written when the site has one).
pub fn sitemap<'a>(base_url: &str, pages: impl Iterator<Item = &'a str>) -> Vec<u8> {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for page in pages {
        let folder = page.strip_suffix("index.html").unwrap_or(page);
        out.push_str(&format!(
            "  <url><loc>{}</loc></url>\n",
            escape_xml(&format!("{base_url}{folder}"))
        ));
    }
    out.push_str("</urlset>\n");
    out.into_bytes()
}

/// A page at an old address that sends the reader on: a meta refresh (no script), a
/// canonical link for search engines, and a plain link for everyone else.
pub fn redirect_page(redirect: &Redirect, archive: &Archive, links: &LinkStyle) -> String {
    let incident = &archive.incidents[redirect.to];
    let depth = redirect.from.matches('/').count();
    let target = format!(
        "{}{}",
        links.root(depth),
        links.page(&incident_folder(&incident.id))
    );
    let target = escape_html(&target);
    let title = escape_html(&incident.title);
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Moved: {title}</title>\n<meta http-equiv=\"refresh\" content=\"0; url={target}\">\n<link rel=\"canonical\" href=\"{target}\">\n<meta name=\"robots\" content=\"noindex\">\n</head>\n<body>\n<p>This incident has moved to <a href=\"{target}\">{title}</a>.</p>\n</body>\n</html>\n"
    )
}
