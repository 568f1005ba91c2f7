//! Snapshots of whole pages (insta): any change to what a reader sees shows up as a diff
//! to review. Update with `INSTA_UPDATE=always cargo test --test integration` and read
//! the changed `.snap` files before committing them.

use crate::support::Archive;

fn archive() -> Archive {
    let archive = Archive::new();
    archive.write("a.md", "---\nid: inc-2022-003\ntitle: Old DB outage\ndate: 2022-03-01\nduration: 30\ntags: [database]\nservices: [orders]\nseverity: SEV-2\n---\n# A\n\n## Root cause\n\nA missing index.\n");
    archive.write("b.md", "---\nid: inc-2024-005\ntitle: Newer DB outage\nstart: 2024-05-01 10:00 UTC\nend: 2024-05-01 11:30 UTC\ntags: [database, config]\nservices: [orders, search]\nseverity: sev2\n---\n# B\n\n## Summary\n\nA repeat of INC-2022-003.\n\n## Timeline\n\n- 10:00 Alert fired.\n- 11:30 Restored.\n\n## Action items\n\n- [ ] Add the index check (@alice, due 2024-06-01)\n");
    archive
}

/// A page with the search manifest's hash blanked: the index has its own tests, and
/// every change to it would otherwise show up in every page snapshot.
fn page(archive: &Archive, path: &str) -> String {
    let html = archive.read(path);
    let start = html.find("search/manifest.").expect("the search manifest") + 16;
    let end = start + html[start..].find(".js").unwrap();
    format!("{}HASH{}", &html[..start], &html[end..])
}

#[test]
fn tag_list_term_and_insights_pages() {
    let archive = archive();
    archive.build(&[]).assert_code(0);
    insta::assert_snapshot!("tags_list", page(&archive, "tags/index.html"));
    insta::assert_snapshot!("tag_database", page(&archive, "tags/database/index.html"));
    insta::assert_snapshot!("insights", page(&archive, "insights/index.html"));
    insta::assert_snapshot!(
        "incident_with_backlink",
        page(&archive, "incidents/inc-2022-003/index.html")
    );
}
