//! `pmsite check`: every problem, nothing written; formats, rules, --strict and exit codes.

use crate::support::Archive;

fn archive() -> Archive {
    let archive = Archive::new();
    archive.write(
        "a.md",
        "---\nid: inc-1\ntitle: A\ndate: 2024-01-02\n---\n# A\n\n## Impact\n\nOwner: TBD\n",
    );
    archive.write(
        "b.md",
        "---\nid: inc-2\ntitle: B\ndate: 2024-01-01\n---\n# B\n\n## Root cause\n\nA bad deploy.\n",
    );
    archive
}

#[test]
fn check_prints_problems_like_a_compiler_and_writes_nothing() {
    let archive = archive();
    let run = archive.run(&["check", "--today", "2024-09-10"]);
    run.assert_code(0);
    assert!(!archive.public().exists(), "check writes nothing");
    assert!(
        run.stderr.contains("warning[template-leftover]: ")
            && run
                .stderr
                .contains(" --> content/a.md:10:8\n   |\n10 | Owner: TBD\n   |        ^\n"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .ends_with("pmsite: checked 2 incidents: 0 errors, 1 warning\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn strict_makes_warnings_fail_and_rules_regrade_them() {
    let archive = archive();
    archive
        .run(&["check", "--strict", "--today", "2024-09-10"])
        .assert_code(1);
    std::fs::write(
        archive.path().join("pmsite.toml"),
        "required_sections = [\"root_cause\"]\n\n[rules]\ntemplate-leftover = \"off\"\n",
    )
    .unwrap();
    let run = archive.run(&[
        "check",
        "--strict",
        "--format",
        "short",
        "--today",
        "2024-09-10",
    ]);
    run.assert_code(1);
    assert_eq!(
        run.diagnostics(),
        ["a.md:1:1: error: no root cause section, which this site requires (`required_sections` in pmsite.toml)"]
    );
    // build takes the same flags and config, and still writes the site.
    let build = archive.build(&["--strict"]);
    build.assert_code(1);
    assert!(archive.public().join("index.html").is_file());
}

#[test]
fn json_and_github_formats_are_for_tools() {
    let archive = archive();
    let json = archive.run(&["check", "--format", "json", "--today", "2024-09-10"]);
    json.assert_code(0);
    let records: Vec<serde_json::Value> = json
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["file"], "content/a.md");
    assert_eq!(records[0]["line"], 10);
    assert_eq!(records[0]["column"], 8);
    assert_eq!(records[0]["code"], "template-leftover");
    assert_eq!(records[0]["severity"], "warning");

    let github = archive.run(&["check", "--format", "github", "--today", "2024-09-10"]);
    let line = github.stdout.lines().next().unwrap();
    assert!(
        line.starts_with(
            "::warning file=content/a.md,line=10,col=8,title=pmsite template-leftover::"
        ),
        "{line}"
    );
}

#[test]
fn bad_rules_in_the_config_are_usage_errors() {
    let archive = archive();
    std::fs::write(
        archive.path().join("pmsite.toml"),
        "[rules]\nno-such-rule = \"off\"\n",
    )
    .unwrap();
    let run = archive.run(&["check"]);
    run.assert_code(2);
    assert!(
        run.stderr
            .contains("pmsite.toml:2:1: rule `no-such-rule` is not a diagnostic code"),
        "{}",
        run.stderr
    );
    std::fs::write(
        archive.path().join("pmsite.toml"),
        "[rules]\nno-title = \"loud\"\n",
    )
    .unwrap();
    archive.run(&["check"]).assert_code(2);
}

#[test]
fn task_rules_are_opt_in() {
    let archive = Archive::new();
    archive.write(
        "a.md",
        "---\nid: inc-1\ntitle: A\ndate: 2024-01-02\n---\n# A\n\n## Action items\n\n- [ ] Add an alert. Due: 2024-02-01\n- [ ] Fix it. Owner: @bo\n",
    );
    let quiet = archive.run(&["check", "--format", "short", "--today", "2024-09-10"]);
    quiet.assert_code(0);
    assert!(quiet.diagnostics().is_empty(), "{:?}", quiet.diagnostics());
    std::fs::write(
        archive.path().join("pmsite.toml"),
        "[rules]\ntask-no-owner = \"error\"\ntask-overdue = \"warning\"\n",
    )
    .unwrap();
    let gate = archive.run(&["check", "--format", "short", "--today", "2024-09-10"]);
    gate.assert_code(1);
    assert_eq!(
        gate.diagnostics(),
        [
            "a.md:10:1: error: task 1 has no owner",
            "a.md:10:1: warning: task 1 was due 2024-02-01, 222 days ago",
        ]
    );
}

#[test]
fn check_follows_the_links_in_postmortems() {
    let archive = Archive::new();
    archive.write(
        "a.md",
        "---\nid: inc-1\ntitle: A\ndate: 2024-01-02\n---\n# A\n\n## Summary\n\nSee [the runbook](../runbooks/db.md) and [the fix](#resolution).\n\n## Impact\n\nSee [B](../inc-2/index.html) and [the summary](#summary).\n",
    );
    archive.write(
        "b.md",
        "---\nid: inc-2\ntitle: B\ndate: 2024-01-01\n---\n# B\n",
    );
    let run = archive.run(&["check", "--format", "short", "--today", "2024-09-10"]);
    run.assert_code(0);
    assert_eq!(
        run.diagnostics(),
        [
            "a.md:10:1: warning: the link `#resolution` leads nowhere: incidents/inc-1/index.html has no #resolution",
            "a.md:10:1: warning: the link `../runbooks/db.md` leads nowhere: there is no incidents/runbooks/db.md",
        ]
    );
    // A build does not spend the time.
    assert!(archive.build(&[]).diagnostics().is_empty());
}

#[test]
fn environment_variables_stand_in_for_flags_in_ci() {
    let archive = archive();
    // PMSITE_STRICT and PMSITE_FORMAT, as a CI job would set them once for every step.
    let run = archive.run_with_env(
        &["check", "--today", "2024-09-10"],
        &[("PMSITE_STRICT", "true"), ("PMSITE_FORMAT", "json")],
    );
    run.assert_code(1);
    let record: serde_json::Value =
        serde_json::from_str(run.stdout.lines().next().unwrap()).unwrap();
    assert_eq!(record["severity"], "error");
    assert_eq!(record["code"], "template-leftover");
    // A flag wins over its variable; `false` turns a switch off.
    let run = archive.run_with_env(
        &["check", "--today", "2024-09-10", "--format", "short"],
        &[("PMSITE_STRICT", "false"), ("PMSITE_FORMAT", "json")],
    );
    run.assert_code(0);
    assert!(
        run.stderr.starts_with("a.md:10:8: warning: "),
        "{}",
        run.stderr
    );

    // PMSITE_OUTPUT, PMSITE_TODAY and PMSITE_BASE_URL for build.
    let run = archive.run_with_env(
        &["build", "-q"],
        &[
            ("PMSITE_OUTPUT", "site"),
            ("PMSITE_TODAY", "2024-03-04"),
            ("PMSITE_BASE_URL", "https://example.com/pm/"),
        ],
    );
    run.assert_code(0);
    let json = std::fs::read_to_string(archive.path().join("site/incidents.json")).unwrap();
    assert!(json.contains("\"today\": \"2024-03-04\""), "{json}");
    let page = std::fs::read_to_string(archive.path().join("site/index.html")).unwrap();
    assert!(page.contains("https://example.com/pm/static/style.css"));

    // PMSITE_CONTENT and PMSITE_CONFIG.
    std::fs::rename(archive.content(), archive.path().join("postmortems")).unwrap();
    std::fs::write(archive.path().join("site.toml"), "title = \"From env\"\n").unwrap();
    let run = archive.run_with_env(
        &["build", "-q", "--today", "2024-09-10"],
        &[
            ("PMSITE_CONTENT", "postmortems"),
            ("PMSITE_CONFIG", "site.toml"),
        ],
    );
    run.assert_code(0);
    assert!(archive.read("index.html").contains("From env"));
}
