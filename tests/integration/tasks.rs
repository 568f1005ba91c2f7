//! The task dashboard, owner pages, exports (JSON, CSV, iCalendar) and `pmsite tasks`.

use crate::links::broken_links;
use crate::support::Archive;

/// Every group on 2024-09-10 (the tests' today): overdue stated and implied, due today,
/// due on the last day of the 14-day window, one day after it, no due date, done and
/// won't do; owners spelled `@alice` and `Alice`; a task with commas and quotes.
fn task_archive() -> Archive {
    let archive = Archive::new();
    std::fs::write(
        archive.path().join("pmsite.toml"),
        "[tasks]\ndue_after = { SEV1 = 15 }\n",
    )
    .unwrap();
    archive.write(
        "2024-08-20-checkout.md",
        "---\nid: inc-2024-101\ntitle: Checkout failed on a bad config push\ndate: 2024-08-20\nseverity: SEV-1\ntags: [config]\nservices: [checkout]\n---\n# Checkout failed on a bad config push\n\n## Action items\n\n\
         - [ ] Add a config linter to CI. Owner: @alice. Due: 2024-09-01\n\
         - [ ] Page the owner on config pushes. Owner: Alice. Due: 2024-09-24\n\
         - [ ] Rewrite the deploy tool, \"properly\", with tests. Owner: bob. Due: 2024-09-25\n\
         - [ ] Document the rollback.\n\
         - [x] Roll back the push. Owner: carol. Due: 2024-08-20\n\
         - [ ] Rewrite it in Rust (won't do)\n",
    );
    archive.write(
        "2024-07-01-orders.md",
        "---\nid: inc-2024-077\ntitle: Slow orders page\ndate: 2024-07-01\ntags: [database]\n---\n# Slow orders page\n\n## Action items\n\n\
         - [ ] Add an index on orders.created_at. Owner: @bob\n\
         - [ ] Load test at peak. Due: 2024-09-10\n",
    );
    archive
}

/// The `(group, task id)` pairs of the dashboard in page order.
fn dashboard_rows(html: &str) -> Vec<(String, String)> {
    html.split("<tr id=\"")
        .skip(1)
        .map(|row| {
            let anchor = &row[..row.find('"').unwrap()];
            let group_at = row.find("data-group=\"").unwrap() + "data-group=\"".len();
            let group = &row[group_at..group_at + row[group_at..].find('"').unwrap()];
            (group.to_string(), anchor.replace("--", "/"))
        })
        .collect()
}

#[test]
fn the_dashboard_groups_every_task_in_a_fixed_order() {
    let archive = task_archive();
    archive.build(&[]).assert_code(0);
    let html = archive.read("tasks/index.html");
    let rows = dashboard_rows(&html);
    let expected = [
        ("overdue", "inc-2024-101/task-1"),  // due 2024-09-01, 9 days late
        ("overdue", "inc-2024-101/task-4"),  // implied: SEV-1 + 15 days = 2024-09-04
        ("due_soon", "inc-2024-077/task-2"), // due today
        ("due_soon", "inc-2024-101/task-2"), // 14 days left: still due soon
        ("later", "inc-2024-101/task-3"),    // 15 days left
        ("no_due_date", "inc-2024-077/task-1"), // no severity, so no implied date
        ("done", "inc-2024-101/task-5"),
        ("wont_do", "inc-2024-101/task-6"),
    ];
    let found: Vec<(&str, &str)> = rows.iter().map(|(g, i)| (g.as_str(), i.as_str())).collect();
    assert_eq!(found, expected);
    assert!(html.contains("as of <time datetime=\"2024-09-10\">2024-09-10</time>"));
    assert!(html.contains("<strong class=\"overdue\">9 days overdue</strong>"));
    assert!(html.contains("<span class=\"days-left\">due today</span>"));
    assert!(html.contains("<abbr class=\"implied-mark\""));
    // Done and won't do are folded away; the open groups are not.
    assert!(html.contains("<details class=\"task-group-fold\" data-group-fold=\"done\">"));
    assert!(!html.contains("data-group-fold=\"overdue\""));
}

#[test]
fn dashboard_links_land_on_the_task_on_its_incident_page() {
    let archive = task_archive();
    archive.build(&[]).assert_code(0);
    let broken = broken_links(&archive.public(), None);
    assert!(broken.is_empty(), "{}", broken.join("\n"));
    let html = archive.read("tasks/index.html");
    let href = "../incidents/inc-2024-101/index.html#task-3";
    assert!(
        html.contains(&format!("<a class=\"task-link\" href=\"{href}\">")),
        "{html}"
    );
    let incident = archive.read("incidents/inc-2024-101/index.html");
    let target = &incident[incident.find("id=\"task-3\"").expect("the anchor")..];
    let target = &target[..target.find("</li>").unwrap()];
    assert!(target.contains("Rewrite the deploy tool"), "{target}");
    assert!(broken_links(&archive.public(), Some("https://ops.example.com/pm/")).is_empty());
}

#[test]
fn owners_spelled_differently_share_one_page() {
    let archive = task_archive();
    archive.build(&[]).assert_code(0);
    let alice = archive.read("tasks/owners/alice/index.html");
    let rows = dashboard_rows(&alice);
    let ids: Vec<&str> = rows.iter().map(|(_, id)| id.as_str()).collect();
    assert_eq!(ids, ["inc-2024-101/task-1", "inc-2024-101/task-2"]);
    let owners = archive.read("tasks/owners/index.html");
    for owner in ["alice", "bob", "carol"] {
        assert!(owners.contains(&format!("href=\"../../tasks/owners/{owner}/index.html\"")));
    }
    let home = archive.read("index.html");
    assert!(
        home.contains("<a href=\"tasks/index.html#overdue\">Overdue tasks</a></dt><dd>2</dd>"),
        "{home}"
    );
}

#[test]
fn tasks_json_has_every_task_with_stated_and_implied_dates_apart() {
    let archive = task_archive();
    archive.build(&[]).assert_code(0);
    let json: serde_json::Value = serde_json::from_str(&archive.read("tasks.json")).unwrap();
    assert_eq!(json["schema"], 1);
    assert_eq!(json["today"], "2024-09-10");
    assert_eq!(json["counts"]["open"], 6);
    assert_eq!(json["counts"]["overdue"], 2);
    let implied = &json["tasks"][1];
    assert_eq!(implied["id"], "inc-2024-101/task-4");
    assert_eq!(implied["due"], "2024-09-04");
    assert_eq!(implied["due_implied"], true);
    assert_eq!(implied["owner"], serde_json::Value::Null);
    assert_eq!(implied["days_left"], -6);
    assert_eq!(
        json["tasks"][0]["owner"], "Alice",
        "`@alice` and `Alice` tie: the first in sort order"
    );
    assert_eq!(json["tasks"][0]["due_implied"], false);
    // incidents.json keeps the stated date and the implied one in separate fields.
    let incidents: serde_json::Value =
        serde_json::from_str(&archive.read("incidents.json")).unwrap();
    let checkout = incidents["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "inc-2024-101")
        .unwrap();
    assert_eq!(checkout["tasks"][3]["due"], serde_json::Value::Null);
    assert_eq!(checkout["tasks"][3]["implied_due"], "2024-09-04");
    assert_eq!(checkout["tasks"][3]["overdue"], true);
}

#[test]
fn tasks_csv_is_rfc_4180_and_reads_back() {
    let archive = task_archive();
    archive.build(&[]).assert_code(0);
    let raw = std::fs::read(archive.public().join("tasks.csv")).unwrap();
    let text = String::from_utf8(raw).unwrap();
    assert!(text.contains("\"Rewrite the deploy tool, \"\"properly\"\", with tests.\""));
    assert_eq!(
        text.matches("\r\n").count(),
        text.matches('\n').count(),
        "CRLF line ends"
    );
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header[..5],
        ["id", "incident", "incident_title", "incident_date", "task"]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 8);
    assert!(rows.iter().all(|r| r.len() == header.len()));
    let deploy = rows
        .iter()
        .find(|r| &r[0] == "inc-2024-101/task-3")
        .unwrap();
    assert_eq!(
        &deploy[4],
        "Rewrite the deploy tool, \"properly\", with tests."
    );
    assert_eq!(&deploy[9], "later");
}

#[test]
fn tasks_ics_is_a_calendar_a_parser_accepts_with_one_event_per_dated_open_task() {
    let archive = task_archive();
    archive
        .build(&["--base-url", "https://ops.example.com/pm/"])
        .assert_code(0);
    let text = archive.read("tasks.ics");
    assert!(
        text.lines().all(|l| l.len() <= 76),
        "lines fold at 75 octets"
    );
    let unfolded = icalendar::parser::unfold(&text);
    let calendar = icalendar::parser::read_calendar(&unfolded).expect("valid iCalendar");
    assert_eq!(
        calendar
            .properties
            .iter()
            .find(|p| p.name == "VERSION")
            .map(|p| p.val.as_str()),
        Some("2.0")
    );
    let events: Vec<_> = calendar
        .components
        .iter()
        .filter(|c| c.name == "VEVENT")
        .collect();
    // Open with a due date: tasks 1-4 of inc-2024-101 and the load test; not the
    // undated index task, not done or won't do.
    assert_eq!(events.len(), 5);
    let value = |event: &icalendar::parser::Component, name: &str| {
        event
            .find_prop(name)
            .map(|p| p.val.as_str().to_string())
            .unwrap_or_default()
    };
    let implied = events
        .iter()
        .find(|e| value(e, "UID") == "inc-2024-101/task-4@ops.example.com")
        .expect("the implied-date task");
    assert_eq!(value(implied, "DTSTART"), "20240904");
    assert_eq!(value(implied, "DTSTAMP"), "20240910T000000Z");
    assert!(value(implied, "DESCRIPTION").contains("implied"));
    assert_eq!(
        value(implied, "URL"),
        "https://ops.example.com/pm/incidents/inc-2024-101/#task-4"
    );
}

#[test]
fn the_tasks_command_lists_filters_and_gates_on_overdue() {
    let archive = task_archive();
    let open = archive.run(&["tasks", "--today", "2024-09-10"]);
    open.assert_code(0);
    let lines: Vec<&str> = open.stdout.lines().collect();
    assert_eq!(
        lines.len(),
        7,
        "header and six open tasks:\n{}",
        open.stdout
    );
    assert!(lines[0].starts_with("STATUS"));
    assert!(
        lines[1].starts_with("overdue   2024-09-01   9 late   Alice"),
        "{}",
        open.stdout
    );
    assert!(
        !open.stdout.contains('\u{1b}'),
        "no colour when not a terminal"
    );
    assert!(
        lines[2].starts_with("overdue   2024-09-04*  6 late"),
        "{}",
        open.stdout
    );
    assert!(
        open.stderr.contains("* marks a due date implied"),
        "{}",
        open.stderr
    );

    archive
        .run(&["tasks", "--today", "2024-09-10", "--fail-on-overdue"])
        .assert_code(1);
    // Before anything fell due, the gate passes.
    archive
        .run(&["tasks", "--today", "2024-08-25", "--fail-on-overdue"])
        .assert_code(0);
    // Carol's only task is done: nothing of hers is overdue.
    archive
        .run(&[
            "tasks",
            "--today",
            "2024-09-10",
            "--owner",
            "Carol",
            "--fail-on-overdue",
        ])
        .assert_code(0);

    let alice = archive.run(&[
        "tasks",
        "--today",
        "2024-09-10",
        "--owner",
        "@ALICE",
        "--format",
        "json",
    ]);
    alice.assert_code(0);
    let json: serde_json::Value = serde_json::from_str(&alice.stdout).unwrap();
    let ids: Vec<&str> = json["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["inc-2024-101/task-1", "inc-2024-101/task-2"]);

    let closed = archive.run(&[
        "tasks",
        "--today",
        "2024-09-10",
        "--status",
        "closed",
        "--format",
        "csv",
    ]);
    closed.assert_code(0);
    assert_eq!(closed.stdout.lines().count(), 3, "{}", closed.stdout);

    let nobody = archive.run(&["tasks", "--owner", "zed"]);
    nobody.assert_code(2);
    assert!(
        nobody
            .stderr
            .contains("no task is owned by `zed`; owners: Alice, bob, carol"),
        "{}",
        nobody.stderr
    );
    archive.run(&["tasks", "--today", "June 5"]).assert_code(2);
}

#[test]
fn an_archive_without_tasks_says_so_once() {
    let archive = Archive::new();
    archive.write("a.md", "# Cache outage\n\n## Summary\nThe cache failed.\n");
    archive.build(&[]).assert_code(0);
    let page = archive.read("tasks/index.html");
    assert!(
        page.contains("No postmortem here has follow-up tasks yet."),
        "{page}"
    );
    assert!(!page.contains("None."), "{page}");
    // The counts no longer link to groups that are not there.
    let broken = broken_links(&archive.public(), None);
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}
