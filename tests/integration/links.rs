//! Every internal link and anchor in a built site resolves: relative links from disk and
//! absolute ones under a base URL. The checker is a helper later page tests use too.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::support::{copy_tree, fixture, Archive};

/// Returns the broken links as "page -> href" lines. `base_url` maps absolute links
/// (`https://example.com/pm/...`) back onto the site folder; external links are skipped.
pub fn broken_links(site: &Path, base_url: Option<&str>) -> Vec<String> {
    let pages: BTreeMap<String, String> = walkdir::WalkDir::new(site)
        .sort_by_file_name()
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            (
                e.path()
                    .strip_prefix(site)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                std::fs::read_to_string(e.path()).unwrap(),
            )
        })
        .collect();
    let ids: BTreeMap<&str, BTreeSet<String>> = pages
        .iter()
        .map(|(path, html)| (path.as_str(), attribute_values(html, "id")))
        .collect();
    let mut broken = Vec::new();
    for (page, html) in &pages {
        if page == "404.html" {
            continue; // links from the site root, checked under a server
        }
        for href in attribute_values(html, "href") {
            let (target, fragment) = match href.split_once('#') {
                Some((t, f)) => (t.to_string(), Some(f.to_string())),
                None => (href.clone(), None),
            };
            let local = match base_url {
                Some(base) if target.starts_with(base) => format!("/{}", &target[base.len()..]),
                _ if target.contains("://") || target.starts_with("mailto:") => continue,
                _ => target.clone(),
            };
            let resolved = if local.is_empty() {
                page.clone()
            } else if let Some(root_relative) = local.strip_prefix('/') {
                root_relative.to_string()
            } else {
                let dir = Path::new(page).parent().unwrap_or(Path::new(""));
                normalise(&dir.join(&local))
            };
            let file = if resolved.is_empty() || resolved.ends_with('/') {
                format!("{resolved}index.html")
            } else {
                resolved
            };
            if !site.join(&file).is_file() {
                broken.push(format!("{page} -> {href} (no {file})"));
                continue;
            }
            if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
                if !ids
                    .get(file.as_str())
                    .is_some_and(|set| set.contains(&fragment))
                {
                    broken.push(format!("{page} -> {href} (no #{fragment} in {file})"));
                }
            }
        }
    }
    broken
}

/// Values of an attribute in the HTML, entities for `&` decoded.
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
            std::path::Component::ParentDir => {
                parts.pop();
            }
            std::path::Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
            _ => {}
        }
    }
    parts.join("/")
}

fn sample_archive() -> Archive {
    let archive = Archive::new();
    copy_tree(
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/content")),
        &archive.content(),
    );
    copy_tree(&fixture("mixed"), &archive.content().join("mixed"));
    copy_tree(&fixture("seeds"), &archive.content().join("seeds"));
    archive
}

#[test]
fn every_internal_link_resolves_from_disk() {
    let archive = sample_archive();
    archive.build(&[]).assert_code(0);
    let broken = broken_links(&archive.public(), None);
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

#[test]
fn every_internal_link_resolves_under_a_base_url() {
    let archive = sample_archive();
    archive
        .build(&["--base-url", "https://example.com/org/pm/"])
        .assert_code(0);
    let broken = broken_links(&archive.public(), Some("https://example.com/org/pm/"));
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

#[test]
fn the_checker_finds_broken_links_and_anchors() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("a")).unwrap();
    std::fs::write(dir.path().join("index.html"), r#"<a href="a/index.html#here">x</a> <a href="missing.html">y</a> <a href="a/index.html#nowhere">z</a>"#).unwrap();
    std::fs::write(
        dir.path().join("a/index.html"),
        r#"<h2 id="here">ok</h2><a href="../index.html">up</a>"#,
    )
    .unwrap();
    let broken = broken_links(dir.path(), None);
    assert_eq!(
        broken,
        [
            "index.html -> a/index.html#nowhere (no #nowhere in a/index.html)",
            "index.html -> missing.html (no missing.html)"
        ]
    );
}
