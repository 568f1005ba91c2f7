//! Exit codes and the command line's own messages.

use crate::support::Archive;

#[test]
fn warnings_alone_exit_zero_and_summarise() {
    let archive = Archive::new();
    archive.write("untitled.md", "Some text with no heading.\n");
    let run = archive.build(&[]);
    run.assert_code(0);
    let summary = run.stderr.lines().last().unwrap();
    assert!(
        summary.starts_with(
            "pmsite: 1 incident, 27 pages, 0 open tasks (0 overdue), 1 warning, 0 errors in "
        ),
        "{summary}"
    );
    assert!(
        summary.contains("today is 2024-09-10 (from --today)"),
        "{summary}"
    );
}

#[test]
fn a_file_with_an_error_exits_one_and_the_rest_still_build() {
    let archive = Archive::new();
    archive.write("good.md", "# Good\n");
    archive.write("bad.md", "---\ntitle: [unclosed\n---\n# Bad\n");
    let run = archive.build(&[]);
    run.assert_code(1);
    assert!(
        run.stderr.contains(
            "bad.md:3:1: error: invalid frontmatter YAML: while parsing a flow sequence, expected ',' or ']'"
        ),
        "{}",
        run.stderr
    );
    assert!(archive.public().join("incidents/good/index.html").is_file());
    assert!(
        archive.public().join("incidents/bad/index.html").is_file(),
        "the body still builds"
    );
}

#[test]
fn bad_config_is_fatal_and_names_the_line() {
    let archive = Archive::new();
    std::fs::write(
        archive.path().join("pmsite.toml"),
        "title = \"Ops\"\nbase_ulr = \"x\"\n",
    )
    .unwrap();
    let run = archive.build(&[]);
    run.assert_code(2);
    assert!(
        run.stderr
            .starts_with("error: pmsite.toml:2:1: unknown field `base_ulr`"),
        "{}",
        run.stderr
    );
    assert!(!archive.public().exists());
}

#[test]
fn config_file_sets_title_and_folders() {
    let archive = Archive::new();
    std::fs::create_dir(archive.path().join("postmortems")).unwrap();
    std::fs::write(archive.path().join("postmortems/a.md"), "# A\n").unwrap();
    std::fs::write(
        archive.path().join("pmsite.toml"),
        "title = \"Ops archive\"\ncontent_dir = \"postmortems\"\noutput_dir = \"site\"\n",
    )
    .unwrap();
    archive.build(&[]).assert_code(0);
    let home = std::fs::read_to_string(archive.path().join("site/index.html")).unwrap();
    assert!(home.contains("<title>Ops archive</title>"), "{home}");
}

#[test]
fn config_date_formats_and_aliases_change_what_is_read() {
    let archive = Archive::new();
    let text = "---\nstart: 20240307T1405\n---\n# Queue backlog\n\nEnd: 20240307T1535\n\n## Was ist kaputt\n\nDer Broker war voll.\n";
    archive.write("a.md", text);
    // Without the config: the compact dates are unreadable, the German heading unknown.
    let run = archive.build(&[]);
    assert!(
        run.stderr
            .contains("a.md:2:1: warning: could not read a date or time in `20240307T1405`"),
        "{}",
        run.stderr
    );
    assert!(archive.incident("a.md")["root_cause"].is_null());

    std::fs::write(
        archive.path().join("pmsite.toml"),
        "date_formats = [\"%Y%m%dT%H%M\"]\n\n[aliases]\n\"was ist kaputt\" = \"root_cause\"\n",
    )
    .unwrap();
    archive.build(&[]).assert_code(0);
    let incident = archive.incident("a.md");
    assert_eq!(incident["start"], "2024-03-07T14:05:00");
    assert_eq!(incident["end"], "2024-03-07T15:35:00");
    assert_eq!(incident["duration_minutes"], 90);
    assert_eq!(incident["root_cause"], "Der Broker war voll.");
}

#[test]
fn missing_content_folder_is_fatal() {
    let archive = Archive::new();
    let run = archive.build(&["--content", "nope"]);
    run.assert_code(2);
    assert_eq!(
        run.stderr.trim(),
        "error: content folder nope does not exist or is not a folder"
    );
}

#[test]
fn bad_today_is_a_usage_error() {
    let archive = Archive::new();
    let run = archive.run(&["build", "--today", "yesterday"]);
    run.assert_code(2);
    assert!(run
        .stderr
        .contains("--today expects a date like 2024-06-30, not `yesterday`"));
}

#[test]
fn a_base_url_that_is_no_address_is_a_usage_error() {
    let archive = Archive::new();
    archive.write("a.md", "# A\n");
    let run = archive.run(&["build", "--base-url", "javascript:alert(1)//"]);
    run.assert_code(2);
    assert!(
        run.stderr.contains(
            "--base-url: base URL `javascript:alert(1)//` must start with https://, http:// or /"
        ),
        "{}",
        run.stderr
    );
    assert!(!archive.public().exists(), "nothing is written");
    archive.run(&["build", "--base-url", "/pm/"]).assert_code(0);
}

#[test]
fn source_date_epoch_sets_today() {
    let archive = Archive::new();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_pmsite"))
        .args(["build", "-q"])
        .current_dir(archive.path())
        .env("SOURCE_DATE_EPOCH", "1718841600")
        .output()
        .unwrap();
    assert!(output.status.success());
    let json = std::fs::read_to_string(archive.public().join("incidents.json")).unwrap();
    assert!(json.contains("\"today\": \"2024-06-20\""), "{json}");
}

#[test]
fn unknown_subcommand_and_version() {
    let archive = Archive::new();
    archive.run(&["frobnicate"]).assert_code(2);
    let version = archive.run(&["--version"]);
    version.assert_code(0);
    assert_eq!(
        version.stdout.trim(),
        format!("pmsite {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn completions_cover_every_command_and_bash_accepts_them() {
    let archive = Archive::new();
    for shell in ["bash", "zsh", "fish"] {
        let run = archive.run(&["completions", shell]);
        run.assert_code(0);
        for command in ["build", "check", "inspect", "tasks"] {
            assert!(
                run.stdout.contains(command),
                "{shell} completions lack {command}"
            );
        }
    }
    let script = archive.path().join("pmsite.bash");
    std::fs::write(&script, archive.run(&["completions", "bash"]).stdout).unwrap();
    let syntax = std::process::Command::new("bash")
        .arg("-n")
        .arg(&script)
        .status()
        .unwrap();
    assert!(syntax.success(), "bash rejects the completion script");
    archive.run(&["completions", "tcsh-9"]).assert_code(2);
}

#[test]
fn init_then_new_then_build_and_nothing_is_ever_replaced() {
    let archive = Archive::new();
    let dir = archive.path().join("pm");
    let init = archive.run(&["init", dir.to_str().unwrap()]);
    init.assert_code(0);
    assert!(init.stderr.contains("wrote"), "{}", init.stderr);
    let again = archive.run(&["init", dir.to_str().unwrap()]);
    again.assert_code(0);
    assert_eq!(
        again.stderr.matches("kept existing").count(),
        5,
        "{}",
        again.stderr
    );

    let content = dir.join("content");
    let content = content.to_str().unwrap();
    let run_new = || {
        archive.run(&[
            "new",
            "Checkout outage",
            "--content",
            content,
            "--today",
            "2031-03-04",
        ])
    };
    let new = run_new();
    new.assert_code(0);
    let path = new.stdout.trim().to_string();
    assert!(path.ends_with("2031-03-04-checkout-outage.md"), "{path}");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.starts_with("---\nid: inc-2031-001\ntitle: \"Checkout outage\"\ndate: 2031-03-04\n"),
        "{text}"
    );
    let twice = run_new();
    twice.assert_code(2);
    assert!(twice
        .stderr
        .contains("already exists; pmsite never replaces a file"));
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        text,
        "the first file is untouched"
    );

    // The site's own template is used when there is one.
    std::fs::write(
        dir.join("content/_template.md"),
        "---\nid: {id}\ntitle: \"{title}\"\ndate: {date}\n---\n# {title}\n\nOur template.\n",
    )
    .unwrap();
    let custom = archive.run(&[
        "new",
        "Disk full",
        "--content",
        content,
        "--today",
        "2031-03-05",
    ]);
    custom.assert_code(0);
    let text = std::fs::read_to_string(custom.stdout.trim()).unwrap();
    assert!(
        text.contains("id: inc-2031-002") && text.contains("Our template."),
        "{text}"
    );

    let check = archive.run(&["check", "--content", content, "--today", "2031-03-05"]);
    check.assert_code(0);
    assert!(
        check.stderr.contains("warning[template-leftover]"),
        "the new file's TBDs are reported"
    );
}

#[test]
fn the_user_guide_shows_the_help_the_binary_prints() {
    let guide =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/book/cli.md")).unwrap();
    for command in ["build", "serve", "tasks"] {
        let archive = Archive::new();
        let run = archive.run(&[command, "--help"]);
        run.assert_code(0);
        let block = format!("$ pmsite {command} --help\n{}```", run.stdout);
        assert!(
            guide.contains(&block),
            "book/cli.md is missing this help block (paste it in):\n{block}"
        );
    }
}
