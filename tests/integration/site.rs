//! The pages: home, incident pages, the walk's ignore rules, links that work from disk
//! and under a base URL.

use crate::support::Archive;

#[test]
fn home_lists_incidents_newest_first_with_facts() {
    let archive = Archive::from_fixture("mixed");
    archive.build(&[]).assert_code(0);
    let home = archive.read("index.html");
    let newer = home
        .find("Search outage: disk full")
        .expect("checklist incident on home");
    let older = home
        .find("Payments API errors after config push")
        .expect("sre incident on home");
    assert!(newer < older, "newest first");
    assert!(home.contains("45 min"), "duration shown");
    assert!(home.contains(">config<"), "tags shown");
    assert!(
        home.contains("2 open, 1 overdue of 4 tasks"),
        "task counts shown"
    );
}

#[test]
fn readme_drafts_and_hidden_files_are_not_incidents() {
    let archive = Archive::from_fixture("mixed");
    archive.write(".hidden.md", "# Hidden\n");
    archive.build(&[]).assert_code(0);
    let sources: Vec<String> = archive.json()["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["source"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(sources, ["2024/checklist.md", "2024/sre-template.md"]);
}

#[test]
fn incident_page_shows_facts_timeline_tasks_and_source() {
    let archive = Archive::from_fixture("mixed");
    archive.build(&[]).assert_code(0);
    let page = archive.read("incidents/inc-2024-007/index.html");
    assert!(page.contains("<h1 id=\"top\">Payments API errors after config push</h1>"));
    assert!(page.contains("datetime=\"2024-03-12T14:05:00Z\""));
    assert!(page.contains("sev2"));
    assert!(page.contains("12% of payment attempts failed"));
    assert!(page.contains("id=\"t-3\""));
    assert!(page.contains("id=\"task-2\""));
    assert!(page.contains("PAY-101"));
    assert!(page.contains("href=\"source.txt\""));
    assert_eq!(
        archive.read("incidents/inc-2024-007/source.txt"),
        std::fs::read_to_string(archive.content().join("2024/sre-template.md")).unwrap()
    );
}

#[test]
fn source_url_links_to_the_repository() {
    let archive = Archive::from_fixture("mixed");
    let config = "source_url = \"https://git.example.com/ops/postmortems/blob/main/{path}\"\n";
    std::fs::write(archive.path().join("pmsite.toml"), config).unwrap();
    archive.build(&[]).assert_code(0);
    let page = archive.read("incidents/inc-2024-007/index.html");
    assert!(
        page.contains(
            "href=\"https://git.example.com/ops/postmortems/blob/main/2024/sre-template.md\""
        ),
        "{page}"
    );
}

#[test]
fn unknown_facts_say_unknown() {
    let archive = Archive::new();
    archive.write("bare.md", "# Something broke\n\nWe do not know much yet.\n");
    archive.build(&[]).assert_code(0);
    let page = archive.read("incidents/bare/index.html");
    let facts = &page[page.find("id=\"facts\"").unwrap()..page.find("</section>").unwrap()];
    assert_eq!(
        facts.matches(">unknown<").count(),
        6,
        "start, end, duration, severity, impact, root cause: {facts}"
    );
}

#[test]
fn relative_links_work_from_disk() {
    let archive = Archive::from_fixture("mixed");
    archive.build(&[]).assert_code(0);
    let home = archive.read("index.html");
    assert!(home.contains("href=\"incidents/inc-2024-007/index.html\""));
    assert!(home.contains("href=\"static/style.css\""));
    let page = archive.read("incidents/inc-2024-007/index.html");
    assert!(page.contains("href=\"../../index.html\""));
    assert!(page.contains("href=\"../../static/style.css\""));
}

#[test]
fn base_url_makes_absolute_pretty_links() {
    let archive = Archive::from_fixture("mixed");
    archive
        .build(&["--base-url", "https://example.com/org/pm"])
        .assert_code(0);
    let home = archive.read("index.html");
    assert!(
        home.contains("href=\"https://example.com/org/pm/incidents/inc-2024-007/\""),
        "{home}"
    );
    let page = archive.read("incidents/inc-2024-007/index.html");
    assert!(page.contains(
        "<link rel=\"canonical\" href=\"https://example.com/org/pm/incidents/inc-2024-007/\">"
    ));
}

#[test]
fn raw_html_in_a_postmortem_is_sanitised_or_escaped_as_configured() {
    let archive = Archive::new();
    archive.write(
        "x.md",
        "# X\n\n## Summary\n\n<b>Bold</b> <script>alert(1)</script> and <img src=x onerror=alert(2)>\n",
    );
    archive.build(&[]).assert_code(0);
    let page = archive.read("incidents/x/index.html");
    assert!(
        page.contains("<p><b>Bold</b>  and <img src=\"x\"></p>"),
        "{page}"
    );
    assert!(!page.contains("<script>alert"), "{page}");
    assert!(!page.contains("onerror"), "{page}");

    std::fs::write(
        archive.path().join("pmsite.toml"),
        "raw_html = \"escape\"\n",
    )
    .unwrap();
    archive.build(&[]).assert_code(0);
    let page = archive.read("incidents/x/index.html");
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{page}"
    );
    assert!(!page.contains("<b>Bold</b>"), "{page}");
}

#[test]
fn user_theme_overrides_one_template() {
    let archive = Archive::from_fixture("mixed");
    let theme = archive.path().join("mytheme/templates");
    std::fs::create_dir_all(&theme).unwrap();
    std::fs::write(
        theme.join("404.html"),
        "{% extends \"base.html\" %}{% block content %}Lost? Try the home page.{% endblock %}",
    )
    .unwrap();
    archive.build(&["--theme", "mytheme"]).assert_code(0);
    assert!(archive
        .read("404.html")
        .contains("Lost? Try the home page."));
    assert!(
        archive.read("index.html").contains("incident-list"),
        "other templates stay default"
    );
}

#[test]
fn output_inside_content_is_not_read_as_content() {
    let archive = Archive::from_fixture("mixed");
    archive
        .build(&["--output", "content/public"])
        .assert_code(0);
    let run = archive.build(&["--output", "content/public"]);
    run.assert_code(0);
    assert!(archive
        .path()
        .join("content/public/incidents.json")
        .exists());
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(archive.path().join("content/public/incidents.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(json["incidents"].as_array().unwrap().len(), 2);
}
