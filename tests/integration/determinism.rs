//! The same input gives the same bytes, at any thread count and on every run.

use crate::support::{snapshot, Archive};

#[test]
fn one_thread_and_many_give_identical_sites() {
    let archive = Archive::new();
    pmsite::synthetic::write_archive(&archive.content(), 60).unwrap();
    crate::support::copy_tree(&crate::support::fixture("mixed"), &archive.content());
    crate::support::copy_tree(&crate::support::fixture("seeds"), &archive.content());

    archive
        .build(&["--jobs", "1", "--output", "one"])
        .assert_code(0);
    archive
        .build(&["--jobs", "4", "--output", "many"])
        .assert_code(0);
    archive
        .build(&["--jobs", "4", "--output", "again"])
        .assert_code(0);
    let one = snapshot(&archive.path().join("one"));
    assert!(one.len() > 120, "{} files", one.len());
    assert_eq!(one, snapshot(&archive.path().join("many")));
    assert_eq!(one, snapshot(&archive.path().join("again")));
}
