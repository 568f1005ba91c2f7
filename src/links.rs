//! The internal-link checker: every link and anchor in a built site must land on a page
//! (and an id) the site has. `pmsite check` runs it on the pages in memory; the tests
//! run it on sites written to disk.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path};

/// A link that leads nowhere: the page it is on, the link as written, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    pub page: String,
    pub href: String,
    pub problem: String,
}

/// Checks every `href` of `pages` (site path -> HTML). `exists` says whether a site path
/// is a file; `base_url` maps absolute links (`https://example.com/pm/...`) back onto
/// the site; links elsewhere are not checked.
pub fn broken_links(
    pages: &BTreeMap<String, String>,
    exists: impl Fn(&str) -> bool,
    base_url: Option<&str>,
) -> Vec<BrokenLink> {
    let mut ids: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    let mut broken = Vec::new();
    for (page, html) in pages {
        if page == "404.html" {
            continue; // its links start from the site root, whatever the address
        }
        for href in attribute_values(html, "href") {
            let (target, fragment) = match href.split_once('#') {
                Some((t, f)) => (t.to_string(), Some(f.to_string())),
                None => (href.clone(), None),
            };
            let local = match base_url {
                Some(base) if target.starts_with(base) => format!("/{}", &target[base.len()..]),
                _ if target.contains("://")
                    || target.starts_with("mailto:")
                    || target.starts_with("//")
                    || target.starts_with("data:") =>
                {
                    continue
                }
                _ => target.clone(),
            };
            let resolved = if local.is_empty() {
                page.clone()
            } else if let Some(root_relative) = local.strip_prefix('/') {
                root_relative.to_string()
            } else {
                let dir = Path::new(page).parent().unwrap_or(Path::new(""));
                normalise(&dir.join(local.split('?').next().unwrap_or_default()))
            };
            // Links are URLs: `arch%20v2.png` names the file `arch v2.png`.
            let resolved = percent_encoding::percent_decode_str(&resolved)
                .decode_utf8()
                .map_or(resolved.clone(), |decoded| decoded.into_owned());
            let file = if resolved.is_empty() || resolved.ends_with('/') {
                format!("{resolved}index.html")
            } else {
                resolved
            };
            if !exists(&file) {
                broken.push(BrokenLink {
                    page: page.clone(),
                    problem: format!("there is no {file}"),
                    href,
                });
                continue;
            }
            let Some(fragment) = fragment.filter(|f| !f.is_empty()) else {
                continue;
            };
            let Some(target_html) = pages.get(&file) else {
                continue; // not a page: an anchor cannot be checked
            };
            let known = ids
                .entry(pages.get_key_value(&file).map_or("", |(k, _)| k.as_str()))
                .or_insert_with(|| attribute_values(target_html, "id"));
            if !known.contains(&fragment) {
                broken.push(BrokenLink {
                    page: page.clone(),
                    problem: format!("{file} has no #{fragment}"),
                    href,
                });
            }
        }
    }
    broken
}

/// Values of an attribute in the HTML, `&amp;` decoded.
fn attribute_values(html: &str, name: &str) -> BTreeSet<String> {
    let needle = format!(" {name}=\"");
    html.match_indices(&needle)
        .filter_map(|(at, _)| {
            let rest = &html[at + needle.len()..];
            rest.find('"').map(|end| rest[..end].replace("&amp;", "&"))
        })
        .collect()
}

/// `incidents/x/../../index.html` -> `index.html`.
fn normalise(path: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for part in path.components() {
        match part {
            Component::ParentDir => {
                parts.pop();
            }
            Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
            _ => {}
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_missing_pages_and_anchors_and_skips_external_links() {
        let pages: BTreeMap<String, String> = [
            ("index.html", r#"<a href="a/index.html#here">x</a> <a href="missing.html">y</a> <a href="a/index.html#nowhere">z</a> <a href="https://example.org/">e</a> <a href="files/arch%20v2.png">f</a>"#),
            ("files/arch v2.png", ""),
            ("a/index.html", r#"<h2 id="here">ok</h2><a href="../index.html">up</a>"#),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let broken = broken_links(&pages, |f| pages.contains_key(f), None);
        let found: Vec<(&str, &str)> = broken
            .iter()
            .map(|b| (b.href.as_str(), b.problem.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                ("a/index.html#nowhere", "a/index.html has no #nowhere"),
                ("missing.html", "there is no missing.html"),
            ]
        );
    }
}
