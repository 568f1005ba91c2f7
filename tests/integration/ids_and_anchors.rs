//! Ids, permalinks and anchors: stable, unique, and independent of build order.

use crate::support::Archive;

#[test]
fn ids_come_from_frontmatter_or_the_path() {
    let archive = Archive::from_fixture("mixed");
    archive.build(&[]).assert_code(0);
    let ids: Vec<String> = archive.json()["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, ["2024-checklist", "inc-2024-007"]);
    assert!(archive
        .public()
        .join("incidents/2024-checklist/index.html")
        .is_file());
}

#[test]
fn duplicate_ids_are_an_error_naming_both_files() {
    let archive = Archive::new();
    archive.write("a.md", "---\nid: db-outage\n---\n# First\n");
    archive.write("b.md", "---\nid: db-outage\n---\n# Second\n");
    let run = archive.build(&[]);
    run.assert_code(1);
    assert_eq!(
        run.diagnostics(),
        ["b.md:1:1: error: id `db-outage` is already used by a.md; this file is left out (set a different `id` in its frontmatter)"]
    );
    assert!(archive
        .read("incidents/db-outage/index.html")
        .contains("First"));
}

#[test]
fn every_timeline_entry_task_and_section_has_an_anchor() {
    let archive = Archive::from_fixture("seeds");
    archive.build(&[]).assert_code(0);
    let page = archive.read("incidents/line-style/index.html");
    for n in 1..=10 {
        assert!(page.contains(&format!("id=\"t-{n}\"")), "t-{n}");
    }
    for n in 1..=3 {
        assert!(page.contains(&format!("id=\"task-{n}\"")), "task-{n}");
    }
    for anchor in [
        "issue-summary",
        "duration",
        "impact",
        "root-cause",
        "root-cause-2",
        "timeline-2",
        "resolution",
        "tasks-2",
    ] {
        assert!(page.contains(&format!("id=\"{anchor}\"")), "{anchor}");
    }
    // Section anchors never collide with the reserved ones.
    assert_eq!(page.matches("id=\"timeline\"").count(), 1);
}

#[test]
fn ids_and_anchors_do_not_change_when_files_are_added() {
    let archive = Archive::from_fixture("seeds");
    archive.build(&[]).assert_code(0);
    let before = archive.read("incidents/line-style/index.html");
    archive.write("000-first.md", "# A newer incident\n\nStart: 2030-01-01\n");
    archive.build(&[]).assert_code(0);
    let after = archive.read("incidents/line-style/index.html");
    let anchors = |page: &str| {
        page.match_indices("id=\"")
            .map(|(i, _)| page[i..].split('"').nth(1).unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(anchors(&before), anchors(&after));
}
