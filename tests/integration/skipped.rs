//! Nothing is dropped silently: files that may be postmortems but are not built, and
//! files that are not postmortems, are named in the build's output.

use crate::support::Archive;

const POSTMORTEM: &str = "# Checkout queue stalled\n\nStart: 2024-03-02 14:05 UTC\nEnd: 2024-03-02 15:10 UTC\n\n## Summary\n\nOrders waited an hour because the queue's consumer had crashed.\n";

fn sources(archive: &Archive) -> Vec<String> {
    archive.json()["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["source"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_qmd_file_is_warned_about_and_neither_built_nor_copied() {
    let archive = Archive::new();
    archive.write("2024-03-02-queue.qmd", POSTMORTEM);
    archive.write("2024-01-09-dns.md", POSTMORTEM);
    let run = archive.build(&[]);
    run.assert_code(0);
    assert_eq!(
        run.diagnostics(),
        [
            r#"2024-03-02-queue.qmd:1:1: warning: `.qmd` files are not read as postmortems, so this one is neither built nor copied into the site; to build it, add `extensions = ["md", "markdown", "txt", "qmd"]` to pmsite.toml"#
        ]
    );
    assert_eq!(sources(&archive), ["2024-01-09-dns.md"]);
    assert!(!archive.public().join("files/2024-03-02-queue.qmd").exists());
}

#[test]
fn extensions_in_the_config_read_qmd_files() {
    let archive = Archive::new();
    archive.write("2024-03-02-queue.qmd", POSTMORTEM);
    archive.write("2024-01-09-dns.md", POSTMORTEM);
    std::fs::write(
        archive.path().join("pmsite.toml"),
        "extensions = [\"md\", \"qmd\"]\n",
    )
    .unwrap();
    let run = archive.build(&[]);
    run.assert_code(0);
    assert!(run.diagnostics().is_empty(), "{}", run.stderr);
    assert_eq!(
        sources(&archive),
        ["2024-01-09-dns.md", "2024-03-02-queue.qmd"]
    );
}

#[test]
fn a_bad_extension_is_a_config_error_at_its_line() {
    let archive = Archive::new();
    archive.write("a.md", POSTMORTEM);
    std::fs::write(
        archive.path().join("pmsite.toml"),
        "title = \"Ops\"\nextensions = [\"md\", \".qmd\"]\n",
    )
    .unwrap();
    let run = archive.build(&[]);
    run.assert_code(2);
    assert_eq!(
        run.stderr,
        "error: pmsite.toml:2:1: extension `.qmd` must be written without a dot: `qmd`\n"
    );
}

#[test]
fn markdown_without_an_extension_is_warned_about_but_a_license_is_not() {
    let archive = Archive::new();
    archive.write("PM-7 - Checkout queue stalled", POSTMORTEM);
    archive.write(
        "LICENSE",
        "# Licence\n\nPermission is hereby granted, free of charge, to any person.\n",
    );
    archive.write("Makefile", "site:\n\tpmsite build\n");
    archive.write("2024-01-09-dns.md", POSTMORTEM);
    let run = archive.build(&[]);
    run.assert_code(0);
    assert_eq!(
        run.diagnostics(),
        [
            "LICENSE:1:1: note: skipped 2 files that are not postmortems: LICENSE, Makefile (license and repository files)",
            "PM-7 - Checkout queue stalled:1:1: warning: this file has no extension but looks like a markdown postmortem; it is neither built nor copied into the site. Rename it to `PM-7 - Checkout queue stalled.md` to build it",
        ]
    );
    assert_eq!(sources(&archive), ["2024-01-09-dns.md"]);
}

#[test]
fn ignored_files_are_named_in_one_line() {
    let archive = Archive::new();
    archive.write("README.md", "# Our postmortems\n\nOne file per incident.\n");
    archive.write("templates/template.md", "# Title\n\n## Summary\n\nTBD\n");
    archive.write("_draft.md", POSTMORTEM);
    archive.write("2024-01-09-dns.md", POSTMORTEM);
    let run = archive.build(&[]);
    run.assert_code(0);
    assert_eq!(
        run.diagnostics(),
        ["README.md:1:1: note: skipped 3 files that are not postmortems: README.md, _draft.md, templates/template.md (ignore patterns)"]
    );
    assert_eq!(sources(&archive), ["2024-01-09-dns.md"]);

    // A note: `--strict` passes with it, and `[rules]` can still turn it off.
    let run = archive.build(&["--strict"]);
    run.assert_code(0);
    std::fs::write(
        archive.path().join("pmsite.toml"),
        "[rules]\nskipped-files = \"off\"\n",
    )
    .unwrap();
    let run = archive.build(&["--strict"]);
    run.assert_code(0);
    assert!(run.diagnostics().is_empty(), "{}", run.stderr);
}

#[test]
fn readme_template_and_index_page_are_summarised_in_one_line() {
    let archive = Archive::new();
    archive.write("README.md", "# Our postmortems\n\nOne file per incident.\n");
    archive.write("template.md", "# Title\n\n## Summary\n\nTBD\n");
    archive.write(
        "index.md",
        "# Incident reports\n\n- [Checkout queue stalled](2024/queue.md)\n- [DNS forwarder loop](2024/dns.md)\n- [Disk full](2023/disk.md)\n",
    );
    archive.write("2024/queue.md", POSTMORTEM);
    archive.write("2024/dns.md", POSTMORTEM);
    archive.write("2023/disk.md", POSTMORTEM);
    let run = archive.build(&[]);
    run.assert_code(0);
    assert_eq!(
        run.diagnostics(),
        ["README.md:1:1: note: skipped 3 files that are not postmortems: README.md, template.md (ignore patterns); index.md (index pages: lists of links to other files)"]
    );
    assert_eq!(
        sources(&archive),
        ["2023/disk.md", "2024/dns.md", "2024/queue.md"]
    );
}

#[test]
fn a_blank_template_is_not_built_and_its_placeholders_are_not_reported() {
    let archive = Archive::new();
    archive.write(
        "incident-report-blank.md",
        "# [Incident title]\n\n## Summary\n\nTBD\n\n## Impact\n\n[describe the impact]\n\n## Root cause\n\n## Timeline\n\n- HH:mm TBD\n\n## Action items\n\n- [ ] TBD. Owner: @name. Due: YYYY-MM-DD\n",
    );
    archive.write("2024-01-09-dns.md", POSTMORTEM);
    let run = archive.build(&[]);
    run.assert_code(0);
    assert_eq!(
        run.diagnostics(),
        ["incident-report-blank.md:1:1: note: skipped 1 file that is not a postmortem: incident-report-blank.md (blank templates: nothing filled in)"]
    );
    assert_eq!(sources(&archive), ["2024-01-09-dns.md"]);
}

#[test]
fn a_postmortem_with_a_list_of_links_is_built() {
    let archive = Archive::new();
    let text = format!(
        "{POSTMORTEM}\n## Related\n\n- [The first stall](2023-11-queue.md)\n- [The runbook](runbooks/queue.md)\n- [The DNS loop](2024-01-09-dns.md)\n- [Disk full](2023-08-disk.md)\n"
    );
    archive.write("2024-03-02-queue.md", &text);
    // Undated, short, and mostly links, but with tasks: still a postmortem.
    archive.write(
        "queue-follow-up.md",
        "# Queue follow-up\n\n## Action items\n\n- [ ] Update [the runbook](runbooks/queue.md)\n- [ ] Link [the dashboard](dashboards.md)\n- [ ] Merge [the fix](fix.md)\n",
    );
    let run = archive.build(&[]);
    assert!(
        !run.stderr.contains("skipped-files") && !run.stderr.contains("not postmortems"),
        "{}",
        run.stderr
    );
    assert_eq!(
        sources(&archive),
        ["2024-03-02-queue.md", "queue-follow-up.md"]
    );
}
