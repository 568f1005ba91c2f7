//! Feeds (Atom, JSON Feed), the sitemap, link-preview tags and redirects for renamed
//! incidents.

use crate::links::broken_links;
use crate::support::Archive;

const BASE: &str = "https://ops.example.com/pm/";

fn archive() -> Archive {
    let archive = Archive::new();
    archive.write(
        "new.md",
        "---\nid: inc-2024-020\ntitle: Checkout down <again> & slow\nstart: 2024-05-01T10:00:00+02:00\ntags: [database]\naliases: [INC-2024-019, /old/checkout-outage.html, inc-2023-001]\n---\n# Checkout down\n\n## Impact\n\n40% of checkout requests failed for an hour.\n\n## Root cause\n\nA missing index on the orders table.\n",
    );
    archive.write(
        "old.md",
        "---\nid: inc-2023-001\ntitle: Older outage\ndate: 2023-02-01\n---\n# Older outage\n",
    );
    archive.write("undated.md", "# Undated notes\n\nNo date anywhere.\n");
    archive
}

#[test]
fn a_control_character_in_a_title_leaves_the_feed_well_formed() {
    let archive = Archive::new();
    // A terminal colour code pasted into a title: XML forbids the escape character.
    archive.write(
        "pasted.md",
        "---\ntitle: \"Queue \\e[31mred\\e[0m alert\"\ndate: 2022-03-01\n---\n# Queue\n",
    );
    archive.build(&["--base-url", BASE]).assert_code(0);
    let text = archive.read("atom.xml");
    let xml = roxmltree::Document::parse(&text).expect("well-formed XML");
    let title = xml
        .descendants()
        .find(|n| n.tag_name().name() == "entry")
        .and_then(|entry| entry.children().find(|c| c.tag_name().name() == "title"))
        .and_then(|t| t.text())
        .unwrap_or_default()
        .to_string();
    assert_eq!(title, "Queue [31mred[0m alert");
    roxmltree::Document::parse(&archive.read("sitemap.xml")).expect("well-formed sitemap");
}

#[test]
fn atom_is_well_formed_xml_with_the_dated_incidents_newest_first() {
    let archive = archive();
    archive.build(&["--base-url", BASE]).assert_code(0);
    let text = archive.read("atom.xml");
    let xml = roxmltree::Document::parse(&text).expect("well-formed XML");
    let feed = xml.root_element();
    assert_eq!(
        feed.tag_name().namespace(),
        Some("http://www.w3.org/2005/Atom")
    );
    let child = |node: roxmltree::Node, name: &str| {
        node.children()
            .find(|c| c.tag_name().name() == name)
            .and_then(|c| c.text())
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(child(feed, "updated"), "2024-05-01T10:00:00+02:00");
    let entries: Vec<_> = feed
        .children()
        .filter(|c| c.tag_name().name() == "entry")
        .collect();
    assert_eq!(entries.len(), 2, "the undated incident is left out");
    assert_eq!(child(entries[0], "title"), "Checkout down <again> & slow");
    assert_eq!(
        child(entries[0], "id"),
        format!("{BASE}incidents/inc-2024-020/")
    );
    assert!(child(entries[0], "summary").starts_with("40% of checkout requests failed"));
}

#[test]
fn json_feed_follows_version_1_1() {
    let archive = archive();
    archive.build(&["--base-url", BASE]).assert_code(0);
    let feed: serde_json::Value = serde_json::from_str(&archive.read("feed.json")).unwrap();
    assert_eq!(feed["version"], "https://jsonfeed.org/version/1.1");
    assert_eq!(feed["feed_url"], format!("{BASE}feed.json"));
    let items = feed["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["url"], format!("{BASE}incidents/inc-2024-020/"));
    assert_eq!(items[0]["date_published"], "2024-05-01T10:00:00+02:00");
    assert_eq!(items[0]["tags"][0], "database");
}

#[test]
fn a_sitemap_needs_a_base_url_and_lists_every_page_but_404() {
    let archive = archive();
    archive.build(&[]).assert_code(0);
    assert!(
        !archive.public().join("sitemap.xml").exists(),
        "no absolute URLs without a base URL"
    );
    archive.build(&["--base-url", BASE]).assert_code(0);
    let text = archive.read("sitemap.xml");
    let xml = roxmltree::Document::parse(&text).expect("well-formed XML");
    let locs: Vec<&str> = xml
        .descendants()
        .filter(|n| n.tag_name().name() == "loc")
        .filter_map(|n| n.text())
        .collect();
    assert!(locs.contains(&"https://ops.example.com/pm/incidents/inc-2023-001/"));
    assert!(locs.contains(&"https://ops.example.com/pm/"));
    assert!(
        locs.iter()
            .all(|l| !l.contains("404") && !l.contains("/old/")),
        "{locs:?}"
    );
}

#[test]
fn incident_pages_carry_link_preview_tags() {
    let archive = archive();
    archive.build(&["--base-url", BASE]).assert_code(0);
    let page = archive.read("incidents/inc-2024-020/index.html");
    for tag in [
        "<meta property=\"og:title\" content=\"Checkout down &lt;again&gt; &amp; slow\">",
        "<meta property=\"og:url\" content=\"https://ops.example.com/pm/incidents/inc-2024-020/\">",
        "<meta property=\"article:published_time\" content=\"2024-05-01T10:00:00+02:00\">",
        "<meta name=\"twitter:card\" content=\"summary\">",
        "<meta property=\"og:description\" content=\"40% of checkout requests failed for an hour. Root cause: A missing index on the orders table.\">",
    ] {
        assert!(page.contains(tag), "{tag}\n{page}");
    }
}

#[test]
fn aliases_redirect_to_the_renamed_incident_and_collisions_are_reported() {
    let archive = archive();
    let run = archive.build(&[]);
    run.assert_code(0);
    assert!(
        run.stderr.contains("new.md:6:1: warning: alias `incidents/inc-2023-001/` is the address of incident `inc-2023-001`; no redirect is written"),
        "{}",
        run.stderr
    );
    let redirect = archive.read("incidents/inc-2024-019/index.html");
    assert!(redirect.contains("<meta http-equiv=\"refresh\" content=\"0; url=../../incidents/inc-2024-020/index.html\">"), "{redirect}");
    let old_path = archive.read("old/checkout-outage/index.html");
    assert!(
        old_path.contains("url=../../incidents/inc-2024-020/index.html"),
        "{old_path}"
    );
    // The real page at the colliding address is untouched.
    assert!(archive
        .read("incidents/inc-2023-001/index.html")
        .contains("Older outage"));
    let broken = broken_links(&archive.public(), None);
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}
