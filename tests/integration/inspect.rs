//! `pmsite inspect`: each fact with its line, unknowns named, JSON for tools.

use crate::support::Archive;

#[test]
fn human_report_lists_facts_with_lines() {
    let archive = Archive::from_fixture("seeds");
    let run = archive.run(&["inspect", "--today", "2024-09-10", "content/line-style.txt"]);
    run.assert_code(0);
    let out = &run.stdout;
    assert!(out.starts_with("line-style.txt\n"), "{out}");
    assert!(
        out.contains("  id          line-style  -> /incidents/line-style/\n"),
        "{out}"
    );
    assert!(
        out.contains("  start       2024-06-07T10:30:00Z  (line 4)\n"),
        "{out}"
    );
    assert!(
        out.contains("  duration    1 h 30 min (from start and end)\n"),
        "{out}"
    );
    assert!(out.contains("  timeline    10 entries\n"), "{out}");
    assert!(
        out.contains("  tasks       3 (3 open, 3 overdue on 2024-09-10)\n"),
        "{out}"
    );
    assert!(
        out.contains("  not found   severity, services, trigger\n"),
        "{out}"
    );
    assert!(
        out.contains("    line 1: warning: no title heading;"),
        "{out}"
    );
}

#[test]
fn json_report_is_the_incident_plus_lines() {
    let archive = Archive::from_fixture("seeds");
    let run = archive.run(&[
        "inspect",
        "--format",
        "json",
        "content/bold-style.md",
        "content/line-style.txt",
    ]);
    run.assert_code(0);
    let reports: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(reports.as_array().unwrap().len(), 2);
    assert_eq!(reports[0]["id"], "bold-style");
    assert_eq!(reports[0]["lines"]["start"], 4);
    assert_eq!(reports[0]["duration_minutes"], 150);
    assert!(reports[0]["not_found"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f == "severity"));
}

#[test]
fn a_missing_file_is_a_usage_error() {
    let archive = Archive::new();
    let run = archive.run(&["inspect", "nope.md"]);
    run.assert_code(2);
    assert_eq!(run.stderr.trim(), "error: nope.md: no such file");
}
