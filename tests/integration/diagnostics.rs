//! Diagnostics: `path:line:col: severity: message`, lines counted from the top of the
//! file (frontmatter included), sorted by file and line.

use crate::support::Archive;

#[test]
fn line_numbers_count_the_frontmatter() {
    let archive = Archive::new();
    archive.write(
        "2024/late.md",
        "---\ntitle: Late\nseverity: sev3\n---\n# Late\n\nStart: 2024-05-01 10:00\nEnd: whenever it was\nDuration: 3 hours\n",
    );
    let run = archive.build(&[]);
    run.assert_code(0);
    assert_eq!(
        run.diagnostics(),
        ["2024/late.md:8:1: warning: could not read a date or time in `whenever it was`"]
    );
}

#[test]
fn diagnostics_are_sorted_by_file_then_line() {
    let archive = Archive::new();
    archive.write(
        "b.md",
        "# B\nStart: 2024-01-01 10:00\nEnd: 2024-01-01 09:00\n",
    );
    archive.write("a.md", "---\nid: x\n---\n# A\nStart: ???\nEnd: 2024-01-01 10:00\nDuration: 5 hours\nStart: later\n");
    archive.write("c.md", "# C\n");
    let run = archive.build(&[]);
    run.assert_code(0);
    let diagnostics = run.diagnostics();
    assert_eq!(
        diagnostics,
        [
            "a.md:5:1: warning: `???` is a template placeholder; the time is unknown",
            "b.md:3:1: warning: the end (January 1, 2024, 09:00) is before the start (January 1, 2024, 10:00)",
        ]
    );
}

#[test]
fn stated_duration_that_disagrees_is_reported_on_its_line() {
    let archive = Archive::new();
    archive.write(
        "d.md",
        "# D\n\nStart: 2024-01-01 10:00 UTC\nEnd: 2024-01-01 11:00 UTC\n\nDuration: 3 hours\n",
    );
    let run = archive.build(&[]);
    assert_eq!(
        run.diagnostics(),
        ["d.md:6:1: warning: stated duration (3 h) disagrees with start and end (1 h)"]
    );
}

#[test]
fn invalid_frontmatter_points_at_the_yaml_line() {
    let archive = Archive::new();
    archive.write(
        "y.md",
        "---\ntitle: ok\nservices: [a, b\nseverity: 1\n---\n# Y\n",
    );
    let run = archive.build(&[]);
    run.assert_code(1);
    let line = run.diagnostics()[0];
    assert!(
        line.starts_with("y.md:4:") || line.starts_with("y.md:3:"),
        "{line}"
    );
    assert!(line.contains(": error: invalid frontmatter YAML"), "{line}");
}

#[test]
fn undecodable_and_binary_files() {
    let archive = Archive::new();
    std::fs::write(archive.content().join("latin1.md"), b"# Caf\xe9 outage\n").unwrap();
    std::fs::write(
        archive.content().join("image.md"),
        b"\x89PNG\r\n\x1a\n\x00\x00\x00",
    )
    .unwrap();
    let run = archive.build(&[]);
    run.assert_code(1);
    assert_eq!(
        run.diagnostics(),
        [
            "image.md:1:1: error: file contains NUL bytes: not a text postmortem; skipped",
            "latin1.md:1:1: warning: file is not valid UTF-8; read as Windows-1252 (Latin-1). Save it as UTF-8 to silence this",
        ]
    );
    assert!(archive.read("index.html").contains("Café outage"));
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_reported_not_fatal() {
    let archive = Archive::new();
    archive.write("sub/a.md", "# A\n");
    std::os::unix::fs::symlink(archive.content(), archive.content().join("sub/loop")).unwrap();
    let run = archive.build(&[]);
    run.assert_code(0);
    assert_eq!(
        run.diagnostics(),
        ["sub/loop:1:1: warning: symbolic link loop: skipped"]
    );
    assert!(archive
        .public()
        .join("incidents/sub-a/index.html")
        .is_file());
}
