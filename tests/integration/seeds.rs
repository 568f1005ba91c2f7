//! The two seed formats: every fact the issue names comes out right.

use crate::support::Archive;

#[test]
fn line_style_seed_facts() {
    let archive = Archive::from_fixture("seeds");
    archive.build(&[]).assert_code(0);
    let incident = archive.incident("line-style.txt");
    assert_eq!(incident["start"], "2024-06-07T10:30:00Z");
    assert_eq!(incident["end"], "2024-06-07T12:00:00Z");
    assert_eq!(incident["duration_minutes"], 90);
    assert_eq!(incident["timezone"], "UTC");
    assert_eq!(incident["timezone_assumed"], false);
    assert_eq!(incident["impact"]["users_percent"], 80.0);
    assert_eq!(incident["impact"]["money"][0], "$15,000");
    assert!(incident["root_cause_summary"]
        .as_str()
        .unwrap()
        .starts_with("A missing database index"));
    assert!(
        incident["root_cause"]
            .as_str()
            .unwrap()
            .contains("lacked an index"),
        "the fuller statement"
    );

    let timeline = incident["timeline"].as_array().unwrap();
    assert_eq!(timeline.len(), 10);
    assert_eq!(timeline[0]["at"], "2024-06-07T10:30:00Z");
    assert_eq!(
        timeline[0]["text"],
        "Monitoring alert fired for response times and error rates."
    );
    assert_eq!(timeline[9]["at"], "2024-06-07T12:00:00Z");

    let tasks = incident["tasks"].as_array().unwrap();
    let dated: Vec<_> = tasks.iter().filter(|t| !t["due"].is_null()).collect();
    assert_eq!(dated.len(), 3, "{tasks:#?}");
    assert_eq!(dated[0]["due"], "2024-06-15");
    assert_eq!(
        dated[0]["text"],
        "Write a script that finds missing indexes and alerts the database team."
    );
    assert_eq!(dated[1]["due"], "2024-06-20");
    assert_eq!(dated[2]["due"], "2024-06-25");
    // The explicit "Tasks:" list is the task list; the improvements above it are context.
    assert_eq!(tasks.len(), 3);
}

#[test]
fn bold_label_seed_facts() {
    let archive = Archive::from_fixture("seeds");
    archive.build(&[]).assert_code(0);
    let incident = archive.incident("bold-style.md");
    assert_eq!(incident["start"], "2024-06-04T15:00:00");
    assert_eq!(incident["end"], "2024-06-04T17:30:00");
    assert_eq!(incident["timezone_assumed"], true);
    assert_eq!(incident["duration_minutes"], 150);
    assert_eq!(incident["impact"]["users_percent"], 85.0);
    assert!(incident["root_cause"]
        .as_str()
        .unwrap()
        .contains("misconfigured"));
    let timeline = incident["timeline"].as_array().unwrap();
    assert_eq!(timeline.len(), 8);
    assert_eq!(timeline[7]["at"], "2024-06-04T17:30:00");
    assert_eq!(timeline[7]["text"], "Back to normal; incident resolved.");
    let tasks = incident["tasks"].as_array().unwrap();
    assert_eq!(tasks.len(), 3);
    assert_eq!(tasks[1]["text"], "**Monitoring:** Monitor query performance per statement.; Alert on unusual database activity.");
}

#[test]
fn seeds_without_titles_get_honest_ones_with_a_warning() {
    let archive = Archive::from_fixture("seeds");
    let run = archive.build(&[]);
    run.assert_code(0);
    let incident = archive.incident("line-style.txt");
    // A file name that reads as a title is the author's own, as in Jekyll.
    assert_eq!(incident["title"], "Line style");
    assert_eq!(incident["title_source"], "file_name");
    assert!(run.stderr.contains(
        "line-style.txt:1:1: warning: no title heading; using \"Line style\", made from the file name"
    ), "{}", run.stderr);
}
