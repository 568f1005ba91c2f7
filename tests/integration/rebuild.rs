//! `pmsite serve` rebuilds from a cache: after any edit, the cached rebuild must equal a
//! fresh build byte for byte, while parsing and rendering only what changed.

use std::collections::BTreeMap;

use pmsite::cache::BuildCache;
use pmsite::config::Config;
use pmsite::BuildOptions;

use crate::support::{copy_tree, fixture, Archive};

fn options(archive: &Archive) -> BuildOptions {
    let config = Config {
        content_dir: archive.content(),
        output_dir: archive.public(),
        ..Config::default()
    };
    BuildOptions {
        jobs: Some(2),
        ..BuildOptions::new(
            config,
            chrono::NaiveDate::from_ymd_opt(2024, 9, 10).unwrap(),
        )
    }
}

fn files(site: &pmsite::render::RenderedSite) -> BTreeMap<String, Vec<u8>> {
    site.files
        .iter()
        .map(|(path, content)| (path.clone(), content.to_vec().unwrap()))
        .collect()
}

/// Rebuilds with the cache and checks the result against a fresh build.
fn rebuild_matches_fresh(options: &BuildOptions, cache: &mut BuildCache) {
    let (cached, cached_report) = pmsite::pipeline::rebuild_in_memory(options, cache).unwrap();
    let (fresh, fresh_report) = pmsite::build_in_memory(options).unwrap();
    let (cached, fresh) = (files(&cached), files(&fresh));
    assert_eq!(
        cached.keys().collect::<Vec<_>>(),
        fresh.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &fresh {
        assert!(cached[path] == *bytes, "{path} differs from a fresh build");
    }
    assert_eq!(cached_report.diagnostics, fresh_report.diagnostics);
}

const A: &str = "---\nid: inc-2024-001\ntitle: Cache stampede\ndate: 2024-03-01\ntags: [cache, redis]\n---\n# Cache stampede\n\nRoot Cause: a cold cache. Like inc-2024-002, and inc-2024-004 will be.\n";
const B: &str = "---\nid: inc-2024-002\ntitle: Redis failover\ndate: 2024-02-01\ntags: [cache, redis]\n---\n# Redis failover\n\nRoot Cause: a failover.\n";
const C: &str = "---\nid: inc-2024-003\ntitle: DNS\ndate: 2024-01-01\ntags: [dns]\n---\n# DNS\n\nRoot Cause: DNS.\n";

#[test]
fn a_cached_rebuild_equals_a_fresh_build_after_every_kind_of_edit() {
    let archive = Archive::new();
    archive.write("a.md", A).write("b.md", B).write("c.md", C);
    copy_tree(&fixture("mixed"), &archive.content().join("mixed"));
    let options = options(&archive);
    let mut cache = BuildCache::default();
    rebuild_matches_fresh(&options, &mut cache);
    let total = cache.last.files_parsed;
    assert!(total > 3, "the fixture has {total} files");

    // Nothing changed: nothing is parsed or rendered again.
    rebuild_matches_fresh(&options, &mut cache);
    assert_eq!(cache.last.files_parsed, 0);
    assert_eq!(cache.last.pages_rendered, 0);

    // B renamed: B is parsed again; B's page and A's (which lists B as related and
    // links it) are rendered again, C's is not.
    archive.write(
        "b.md",
        &B.replace("Redis failover", "Redis failover gone wrong"),
    );
    rebuild_matches_fresh(&options, &mut cache);
    assert_eq!(cache.last.files_parsed, 1);
    assert_eq!(cache.last.pages_rendered, 2, "{:?}", cache.last);

    // A new incident that A already names: A's mention becomes a link. And a broken file.
    archive.write(
        "d.md",
        &C.replace("inc-2024-003", "inc-2024-004")
            .replace("DNS", "Disk"),
    );
    archive.write("broken.md", "---\ntitle: [unclosed\n---\n# Broken\n");
    rebuild_matches_fresh(&options, &mut cache);
    assert_eq!(cache.last.files_parsed, 2);

    // A file deleted.
    std::fs::remove_file(archive.content().join("b.md")).unwrap();
    rebuild_matches_fresh(&options, &mut cache);
    assert_eq!(cache.last.files_parsed, 0);

    // C links an image that is not there yet; then it appears: the link becomes an
    // image of the copy, with no postmortem changed.
    archive.write(
        "c.md",
        &format!(
            "{C}
![Lag](lag.png)
"
        ),
    );
    rebuild_matches_fresh(&options, &mut cache);
    std::fs::write(
        archive.content().join("lag.png"),
        crate::png::png(4, 4, [9, 9, 9]),
    )
    .unwrap();
    rebuild_matches_fresh(&options, &mut cache);
    assert_eq!(cache.last.files_parsed, 0);
    let (site, _) = pmsite::pipeline::rebuild_in_memory(&options, &mut cache).unwrap();
    let page =
        String::from_utf8(files(&site)["incidents/inc-2024-003/index.html"].clone()).unwrap();
    assert!(page.contains("<img src=\"../../files/lag.png\""), "{page}");
}
