//! The output folder is replaced whole or not at all, and never one pmsite did not make.

use std::fs;

use crate::support::{snapshot, Archive};

#[test]
fn a_failing_build_leaves_the_previous_site_intact() {
    let archive = Archive::from_fixture("mixed");
    archive.build(&[]).assert_code(0);
    let before = snapshot(&archive.public());

    let theme = archive.path().join("broken/templates");
    fs::create_dir_all(&theme).unwrap();
    fs::write(
        theme.join("incident.html"),
        "{% extends \"base.html\" %}{% block content %}{{ incident.nope | upper }}{% endblock %}",
    )
    .unwrap();
    archive.write("2024/new.md", "# New incident\n");
    let run = archive.build(&["--theme", "broken"]);
    run.assert_code(2);
    assert!(
        run.stderr.contains("error: template incident.html:"),
        "{}",
        run.stderr
    );

    assert_eq!(snapshot(&archive.public()), before);
    let names: Vec<_> = fs::read_dir(archive.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert!(
        names
            .iter()
            .all(|n| !n.contains("pmsite-staging") && !n.contains("pmsite-old")),
        "{names:?}"
    );
}

#[test]
fn removed_incidents_disappear_from_the_site() {
    let archive = Archive::from_fixture("mixed");
    archive.build(&[]).assert_code(0);
    assert!(archive.public().join("incidents/2024-checklist").is_dir());
    fs::remove_file(archive.content().join("2024/checklist.md")).unwrap();
    archive.build(&[]).assert_code(0);
    assert!(!archive.public().join("incidents/2024-checklist").exists());
}

#[test]
fn refuses_to_replace_a_folder_it_did_not_create() {
    let archive = Archive::from_fixture("mixed");
    fs::create_dir(archive.public()).unwrap();
    fs::write(archive.public().join("notes.txt"), "keep me").unwrap();
    let run = archive.build(&[]);
    run.assert_code(2);
    assert!(run.stderr.contains("refusing to replace public: it is not empty and was not created by pmsite (use --force to replace it anyway)"), "{}", run.stderr);
    assert_eq!(
        fs::read_to_string(archive.public().join("notes.txt")).unwrap(),
        "keep me"
    );

    archive.build(&["--force"]).assert_code(0);
    assert!(!archive.public().join("notes.txt").exists());
    assert!(archive.public().join(".pmsite").is_file());
}

#[test]
fn content_inside_the_output_folder_is_refused() {
    let archive = Archive::new();
    fs::create_dir_all(archive.path().join("site/content")).unwrap();
    fs::write(archive.path().join("site/content/a.md"), "# A\n").unwrap();
    let run = archive.build(&["--content", "site/content", "--output", "site", "--force"]);
    run.assert_code(2);
    assert!(
        run.stderr.contains("must not contain the content folder"),
        "{}",
        run.stderr
    );
    assert!(archive.path().join("site/content/a.md").is_file());
}

#[test]
fn a_second_build_into_the_same_output_is_refused_while_the_first_writes() {
    let archive = Archive::from_fixture("mixed");
    archive.build(&[]).assert_code(0);
    let before = snapshot(&archive.public());
    // Hold the lock a running build would hold.
    let lock = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(archive.path().join(".public.pmsite-lock"))
        .unwrap();
    lock.lock().unwrap();
    archive.write("2024/new.md", "# New incident\n");
    let run = archive.build(&[]);
    run.assert_code(2);
    assert!(
        run.stderr
            .contains("error: another pmsite build is writing public right now (it holds ./.public.pmsite-lock); run this one when it has finished"),
        "{}",
        run.stderr
    );
    assert_eq!(
        snapshot(&archive.public()),
        before,
        "the site was not touched"
    );
    drop(lock);
    archive.build(&[]).assert_code(0);
    assert!(archive.read("index.html").contains("New incident"));
}
