//! Every internal link and anchor in a built site resolves: relative links from disk and
//! absolute ones under a base URL. The checker is a helper later page tests use too.

use std::collections::BTreeMap;
use std::path::Path;

use crate::support::{copy_tree, fixture, Archive};

/// Returns the broken links of a site on disk as "page -> href (why)" lines, using the
/// library's checker. `base_url` maps absolute links back onto the site folder.
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
                    .replace('\\', "/"),
                std::fs::read_to_string(e.path()).unwrap(),
            )
        })
        .collect();
    pmsite::links::broken_links(&pages, |file| site.join(file).is_file(), base_url)
        .into_iter()
        .map(|b| format!("{} -> {} ({})", b.page, b.href, b.problem))
        .collect()
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
            "index.html -> a/index.html#nowhere (a/index.html has no #nowhere)",
            "index.html -> missing.html (there is no missing.html)"
        ]
    );
}
