//! Tag, service, severity and year pages, their pagination, and tags.json.

use crate::links::broken_links;
use crate::support::Archive;

fn archive_of_three() -> Archive {
    let archive = Archive::new();
    archive.write("a.md", "---\ntitle: Old DB outage\ndate: 2022-03-01\nduration: 30\ntags: [database]\nservices: [orders]\nseverity: SEV-2\n---\n# A\n");
    archive.write("b.md", "---\ntitle: Newer DB outage\ndate: 2024-05-01\nduration: 90\ntags: [database, config]\nservices: [orders, search]\nseverity: sev2\n---\n# B\n");
    archive.write("c.md", "---\ntitle: Newest config push\ndate: 2025-01-10\ntags: [config]\nseverity: sev1\n---\n# C\n");
    archive
}

#[test]
fn tag_pages_list_incidents_newest_first_with_counts() {
    let archive = archive_of_three();
    archive.build(&[]).assert_code(0);
    let tags = archive.read("tags/index.html");
    let database = tags.find(">database</a>").unwrap();
    assert!(
        tags[database..].contains("<td class=\"num\">2"),
        "count of 2"
    );
    assert!(tags.contains("2 h"), "total downtime 30 + 90 min");
    assert!(
        tags.contains("<a href=\"../incidents/b/index.html\">Newer DB outage</a>"),
        "the latest incident, linked"
    );
    let page = archive.read("tags/database/index.html");
    let newer = page.find("Newer DB outage").unwrap();
    let older = page.find("Old DB outage").unwrap();
    assert!(newer < older, "newest first");
    assert!(!page.contains("Newest config push"));
    assert!(
        page.contains("Incidents per year"),
        "two years: per-year table"
    );
}

#[test]
fn services_severity_and_years_have_pages() {
    let archive = archive_of_three();
    archive.build(&[]).assert_code(0);
    assert!(archive
        .read("services/orders/index.html")
        .contains("Old DB outage"));
    let sev2 = archive.read("severity/sev2/index.html");
    assert!(
        sev2.contains("Old DB outage") && sev2.contains("Newer DB outage"),
        "SEV-2 and sev2 are one severity"
    );
    assert!(archive
        .read("years/2025/index.html")
        .contains("Newest config push"));
    assert!(archive
        .read("months/2024-05/index.html")
        .contains("Newer DB outage"));
    assert!(
        archive
            .read("years/index.html")
            .contains("href=\"../months/index.html\""),
        "years link to months"
    );
    let incident = archive.read("incidents/b/index.html");
    assert!(
        incident.contains("href=\"../../tags/database/index.html\""),
        "tags link to their pages"
    );
    assert!(incident.contains("href=\"../../services/search/index.html\""));
}

#[test]
fn pagination_keeps_page_one_at_the_term_permalink() {
    let archive = archive_of_three();
    std::fs::write(archive.path().join("pmsite.toml"), "paginate = 1\n").unwrap();
    archive.build(&[]).assert_code(0);
    let first = archive.read("tags/database/index.html");
    assert!(first.contains("Newer DB outage") && !first.contains("Old DB outage"));
    assert!(
        first.contains("href=\"../../tags/database/page/2/index.html\""),
        "link to page 2"
    );
    let second = archive.read("tags/database/page/2/index.html");
    assert!(second.contains("Old DB outage"));
    assert!(second.contains("rel=\"prev\" href=\"../../../../tags/database/index.html\""));
    assert!(
        !archive.public().join("tags/database/page/3").exists(),
        "no empty page after an exact fit"
    );
    let broken = broken_links(&archive.public(), None);
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

#[test]
fn tags_json_maps_slugs_to_incidents() {
    let archive = archive_of_three();
    archive.build(&[]).assert_code(0);
    let tags: serde_json::Value = serde_json::from_str(&archive.read("tags.json")).unwrap();
    assert_eq!(tags["schema"], 1);
    assert_eq!(tags["tags"]["database"]["count"], 2);
    assert_eq!(
        tags["tags"]["database"]["incidents"],
        serde_json::json!(["b", "a"])
    );
    assert_eq!(tags["tags"]["config"]["name"], "config");
}

#[test]
fn two_spellings_of_one_slug_are_reported() {
    let archive = Archive::new();
    archive.write("a.md", "---\ntitle: A\ntags: [config change]\n---\n");
    archive.write("b.md", "---\ntitle: B\ntags: [config-change]\n---\n");
    let run = archive.build(&[]);
    run.assert_code(0);
    assert!(run.stderr.contains("b.md:1:1: warning: tags `config-change` shares the page of `config change` (both are `config-change`)"), "{}", run.stderr);
}

#[test]
fn incident_pages_list_related_incidents_best_first() {
    let archive = archive_of_three();
    archive.write(
        "d.md",
        "---\ntitle: Unrelated memory leak\ndate: 2024-02-01\ntags: [memory]\n---\n# D\n",
    );
    archive.build(&[]).assert_code(0);
    let page = archive.read("incidents/a/index.html");
    let related = &page[page.find("id=\"related\"").expect("a related section")..];
    let newer_db = related
        .find("Newer DB outage")
        .expect("b shares database, orders and SEV2");
    assert!(!related[..related.find("</section>").unwrap()].contains("Unrelated memory leak"));
    assert!(newer_db < related.find("</section>").unwrap());
    assert!(
        !archive
            .read("incidents/d/index.html")
            .contains("id=\"related\""),
        "nothing shared, no section"
    );
}

#[test]
fn the_config_extends_the_taxonomy_and_folds_synonyms() {
    let archive = Archive::new();
    archive.write("a.md", "---\ntitle: Lag\ntags: [DB]\n---\n# Lag\n\n## Root cause\n\nConsumer lag grew during the reassignment.\n");
    std::fs::write(
        archive.path().join("pmsite.toml"),
        "[tags]\nrules = { kafka = [\"consumer lag\", \"kafka\"] }\nsynonyms = { db = \"database\" }\n",
    )
    .unwrap();
    archive.build(&[]).assert_code(0);
    let tags = archive.incident("a.md")["tags"].clone();
    assert_eq!(
        tags,
        serde_json::json!([{"name": "database", "inferred": false}, {"name": "kafka", "inferred": true}])
    );
    assert!(archive.public().join("tags/kafka/index.html").is_file());
}

#[test]
fn mentions_link_and_the_named_incident_lists_who_referenced_it() {
    let archive = Archive::new();
    archive.write(
        "a.md",
        "---\nid: inc-2024-001\ntitle: First outage\ndate: 2024-01-01\n---\n# First\n",
    );
    archive.write(
        "b.md",
        "---\nid: inc-2024-002\ntitle: Second outage\ndate: 2024-02-01\n---\n# Second\n\n## Summary\n\nA repeat of INC-2024-001; see also [the old one](../incidents/nope-999/).\n\nLike INC-2023-017, fixed in JIRA-4411 and v2-3-1.\n",
    );
    let run = archive.build(&[]);
    run.assert_code(0);
    assert!(
        run.stderr.contains(
            "b.md:10:1: warning: links to incident `nope-999`, which is not in the archive"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "b.md:12:1: warning: mentions `inc-2023-017`, which looks like an incident id but no incident has it"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(
        run.stderr.matches(": warning: ").count(),
        2,
        "{}",
        run.stderr
    );
    let second = archive.read("incidents/inc-2024-002/index.html");
    assert!(second.contains("<a class=\"mention\" href=\"../../incidents/inc-2024-001/index.html\">INC-2024-001</a>"), "{second}");
    let first = archive.read("incidents/inc-2024-001/index.html");
    let referenced = &first[first
        .find("id=\"referenced-by\"")
        .expect("a referenced-by section")..];
    assert!(referenced.contains("Second outage"));
}

#[test]
fn insights_page_has_charts_and_says_what_data_is_missing() {
    let archive = archive_of_three();
    archive.write("u.md", "# Undated incident\n");
    archive.build(&[]).assert_code(0);
    let page = archive.read("insights/index.html");
    assert!(
        page.matches("<svg class=\"chart\"").count() >= 3,
        "incidents, downtime, per-tag charts"
    );
    assert!(
        page.contains("<title>Incidents per month</title>"),
        "charts have titles for screen readers"
    );
    assert!(
        page.contains("1 incident without a date is not counted."),
        "{page}"
    );
    assert!(
        page.contains("of 4) have at least one task past its due date"),
        "{page}"
    );
    assert_only_the_search_script(&page);
}

#[test]
fn taxonomy_lists_come_in_every_order_without_javascript() {
    let archive = archive_of_three();
    archive.build(&[]).assert_code(0);
    let by_count = archive.read("tags/index.html");
    // Both have two incidents: the tie goes to the name.
    assert!(
        by_count.find(">config</a>").unwrap() < by_count.find(">database</a>").unwrap(),
        "ties by name"
    );
    let by_name = archive.read("tags/by-name.html");
    assert!(
        by_name.find(">config</a>").unwrap() < by_name.find(">database</a>").unwrap(),
        "alphabetical"
    );
    assert!(
        by_name.contains("aria-sort=\"ascending\"><a href=\"../tags/by-name.html\">"),
        "the current order is marked"
    );
    let by_latest = archive.read("tags/by-latest.html");
    assert!(
        by_latest.find(">config</a>").unwrap() < by_latest.find(">database</a>").unwrap(),
        "config's latest is 2025"
    );
    let by_downtime = archive.read("tags/by-downtime.html");
    assert!(
        by_downtime.find(">database</a>").unwrap() < by_downtime.find(">config</a>").unwrap(),
        "database: 2 h, config: 1 h 30 min"
    );
    assert_only_the_search_script(&by_name);
}

/// The page works without JavaScript: its one script is the header's search box.
fn assert_only_the_search_script(page: &str) {
    let scripts: Vec<&str> = page.split("<script").skip(1).collect();
    assert_eq!(scripts.len(), 1, "{page}");
    assert!(
        scripts[0].contains("static/search.js\" defer></script>"),
        "{page}"
    );
}

#[test]
fn the_home_page_total_time_counts_only_known_durations() {
    let archive = archive_of_three();
    archive.build(&[]).assert_code(0);
    let home = archive.read("index.html");
    // 30 + 90 minutes, known for two incidents of three.
    assert!(
        home.contains("<dd>2 h <small title=\"incidents whose duration is known\">in 2</small>"),
        "{home}"
    );
    let untimed = Archive::new();
    untimed.write("a.md", "---\ntitle: A\ndate: 2024-05-01\n---\n# A\n");
    untimed.build(&[]).assert_code(0);
    let home = untimed.read("index.html");
    assert!(
        home.contains("<dt>Time in incident</dt><dd><span class=\"unknown\">unknown</span></dd>"),
        "{home}"
    );
}
