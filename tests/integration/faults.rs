//! When the machine says no: a disk that fills up midway, folders pmsite may not write,
//! files and folders it may not read. Each ends with a message naming the cause, the
//! right exit code and nothing lost.
//!
//! Root ignores file permissions, so when the tests run as root pmsite runs as `nobody`
//! (through `setpriv`). The full disk is a small tmpfs mounted in a private mount
//! namespace (`unshare`), so nothing outside the test sees it. Where a tool or the
//! permission for it is missing these tests say so and pass, unless
//! `PMSITE_REQUIRE_FAULTS` is set (as `.ci/run` does): then they fail.

use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;
use std::process::Command;

use crate::support::{snapshot, Archive, Run, TODAY};

const NOBODY: u32 = 65534;

/// Runs pmsite as a user whom file permissions bind.
struct Unprivileged {
    /// The tests run as root: pmsite runs as `nobody`.
    as_nobody: bool,
}

impl Unprivileged {
    fn find() -> Option<Self> {
        let probe = tempfile::tempdir().unwrap();
        if fs::metadata(probe.path()).unwrap().uid() != 0 {
            return Some(Unprivileged { as_nobody: false });
        }
        let setpriv = Command::new("setpriv").arg("--version").output();
        if !setpriv.is_ok_and(|out| out.status.success()) {
            unavailable("no setpriv to drop root's privileges (apt-get install util-linux)");
            return None;
        }
        Some(Unprivileged { as_nobody: true })
    }

    fn build(&self, archive: &Archive, args: &[&str]) -> Run {
        let wrapper: &[&str] = if self.as_nobody {
            &[
                "setpriv",
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
            ]
        } else {
            &[]
        };
        let mut all = vec!["build", "--today", TODAY];
        all.extend_from_slice(args);
        Run::new(archive.command(wrapper, &all).output().unwrap())
    }

    /// Gives `path` and everything below it to the user pmsite runs as.
    fn own(&self, path: &Path) {
        if !self.as_nobody {
            return;
        }
        std::os::unix::fs::lchown(path, Some(NOBODY), Some(NOBODY)).unwrap();
        if fs::symlink_metadata(path).unwrap().is_dir() {
            for entry in fs::read_dir(path).unwrap() {
                self.own(&entry.unwrap().path());
            }
        }
    }
}

/// A fault these tests cannot set up on this machine.
fn unavailable(why: &str) {
    if std::env::var_os("PMSITE_REQUIRE_FAULTS").is_some() {
        panic!("{why}");
    }
    eprintln!("skipping fault test: {why}");
}

fn chmod(path: &Path, mode: u32) {
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
}

/// The names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

/// The site is as it was before the failed build, and nothing was left beside it but
/// the lock file.
#[track_caller]
fn assert_site_kept(archive: &Archive, before: &[(String, Vec<u8>)]) {
    assert_eq!(snapshot(&archive.public()), before);
    assert_eq!(
        names(archive.path()),
        [".public.pmsite-lock", "content", "public"]
    );
}

#[test]
fn unreadable_files_and_folders_are_reported_and_the_rest_builds() {
    let Some(user) = Unprivileged::find() else {
        return;
    };
    let archive = Archive::new();
    archive.write("good.md", "# Good\n\nRoot Cause: a typo in the config\n");
    archive.write("secret.md", "# Secret\n");
    archive.write("locked/inside.md", "# Inside\n");
    user.own(archive.path());
    chmod(&archive.content().join("secret.md"), 0o000);
    chmod(&archive.content().join("locked"), 0o000);

    let run = user.build(&archive, &[]);
    chmod(&archive.content().join("secret.md"), 0o644);
    chmod(&archive.content().join("locked"), 0o755);

    run.assert_code(1);
    assert_eq!(
        run.diagnostics(),
        [
            "locked:1:1: error: cannot list this folder: Permission denied (os error 13); any postmortems in it are left out",
            "secret.md:1:1: error: cannot read: Permission denied (os error 13)",
        ]
    );
    let sources: Vec<_> = archive.json()["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["source"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(sources, ["good.md"]);
}

#[test]
fn a_folder_pmsite_may_not_write_in_keeps_the_previous_site() {
    let Some(user) = Unprivileged::find() else {
        return;
    };
    let archive = Archive::from_fixture("mixed");
    user.own(archive.path());
    user.build(&archive, &[]).assert_code(0);
    let before = snapshot(&archive.public());

    archive.write("2024/new.md", "# New incident\n");
    // pmsite may open its lock file, but may not create the new site beside the old.
    chmod(archive.path(), 0o555);
    let run = user.build(&archive, &[]);
    chmod(archive.path(), 0o755);

    run.assert_code(2);
    assert!(
        run.stderr.contains(
            "error: cannot write the site to public, so the previous site is kept as it was: ./.public.pmsite-staging-"
        ) && run.stderr.contains(": Permission denied (os error 13)"),
        "{}",
        run.stderr
    );
    assert_site_kept(&archive, &before);
}

#[test]
fn an_old_site_that_cannot_be_moved_aside_is_kept_and_the_new_one_dropped() {
    let Some(user) = Unprivileged::find() else {
        return;
    };
    if !user.as_nobody {
        // The fault needs a folder owned by someone else.
        return unavailable("needs root, to make a folder owned by another user");
    }
    // Root's site in a shared folder with the sticky bit (like /tmp): `nobody` can
    // write the whole new site beside it, then may not rename root's folder away.
    let archive = Archive::from_fixture("mixed");
    archive.build(&[]).assert_code(0);
    let before = snapshot(&archive.public());
    chmod(archive.path(), 0o1777);
    chmod(&archive.path().join(".public.pmsite-lock"), 0o666);

    archive.write("2024/new.md", "# New incident\n");
    let run = user.build(&archive, &[]);

    run.assert_code(2);
    assert!(
        run.stderr.contains(
            "error: cannot write the site to public, so the previous site is kept as it was: public: Operation not permitted (os error 1)"
        ),
        "{}",
        run.stderr
    );
    assert_site_kept(&archive, &before);
}

/// In a private mount namespace: mounts a 2 MiB tmpfs on `disk`, builds the small
/// archive in `content/` into it, then the same plus a 3 MB postmortem from `big/`,
/// copying the disk out after each build. `$@` is pmsite's command line.
const FULL_DISK_SCRIPT: &str = r#"
mount -t tmpfs -o size=2m pmsite-test disk || exit 90
"$@" --content content >first.out 2>&1; echo $? >first.code
cp -a disk after-first
"$@" --content big >second.out 2>&1; echo $? >second.code
cp -a disk after-second
"#;

#[test]
fn a_disk_that_fills_up_midway_keeps_the_previous_site() {
    let archive = Archive::from_fixture("mixed");
    crate::support::copy_tree(&archive.content(), &archive.path().join("big"));
    let line = "The replica logged the same retry again and again while the queue grew.\n";
    fs::write(
        archive.path().join("big/2024/big.md"),
        format!("# A long log\n\n{}", line.repeat(3_000_000 / line.len())),
    )
    .unwrap();
    fs::create_dir(archive.path().join("disk")).unwrap();

    let root = fs::metadata(archive.path()).unwrap().uid() == 0;
    let unshare: &[&str] = if root {
        &["unshare", "--mount", "sh", "-c", FULL_DISK_SCRIPT, "sh"]
    } else {
        // An unprivileged user may mount inside its own user namespace.
        &[
            "unshare",
            "--map-root-user",
            "--mount",
            "sh",
            "-c",
            FULL_DISK_SCRIPT,
            "sh",
        ]
    };
    let args = ["build", "--today", TODAY, "--output", "disk/public"];
    let status = archive.command(unshare, &args).status();
    let code = |name: &str| fs::read_to_string(archive.path().join(name)).ok();
    if !status.is_ok_and(|s| s.success()) || code("first.code").is_none() {
        return unavailable("cannot mount a tmpfs in a private mount namespace (unshare)");
    }

    let first = fs::read_to_string(archive.path().join("first.out")).unwrap();
    assert_eq!(code("first.code").unwrap().trim(), "0", "{first}");
    let second = fs::read_to_string(archive.path().join("second.out")).unwrap();
    assert_eq!(code("second.code").unwrap().trim(), "2", "{second}");
    assert!(
        second.contains(
            "error: cannot write the site to disk/public, so the previous site is kept as it was: disk/.public.pmsite-staging-"
        ) && second.contains(": No space left on device (os error 28)"),
        "{second}"
    );
    let after_first = archive.path().join("after-first");
    let after_second = archive.path().join("after-second");
    assert!(after_first.join("public/index.html").is_file());
    assert_eq!(
        snapshot(&after_second.join("public")),
        snapshot(&after_first.join("public"))
    );
    assert_eq!(names(&after_second), [".public.pmsite-lock", "public"]);
}
