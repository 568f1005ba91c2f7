//! Helpers: a temporary archive, a way to run pmsite on it, and readers for its output.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

pub const TODAY: &str = "2024-09-10";

/// A temporary folder with `content/` and, after a build, `public/`.
pub struct Archive {
    pub dir: tempfile::TempDir,
}

impl Archive {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("content")).unwrap();
        Archive { dir }
    }

    /// An archive holding a copy of a fixture folder below `tests/fixtures/`.
    pub fn from_fixture(name: &str) -> Self {
        let archive = Archive::new();
        copy_tree(&fixture(name), &archive.content());
        archive
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn content(&self) -> PathBuf {
        self.path().join("content")
    }

    pub fn public(&self) -> PathBuf {
        self.path().join("public")
    }

    pub fn write(&self, relative: &str, text: &str) -> &Self {
        let path = self.content().join(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
        self
    }

    /// Runs `pmsite build` in the archive folder with a fixed date and `args`.
    pub fn build(&self, args: &[&str]) -> Run {
        let mut all = vec!["build", "--today", TODAY];
        all.extend_from_slice(args);
        self.run(&all)
    }

    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with_env(args, &[])
    }

    /// Runs pmsite with `env` set and every other `PMSITE_*` variable and
    /// `SOURCE_DATE_EPOCH` removed, so the caller's shell cannot change the outcome.
    pub fn run_with_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut command = self.command(&[], args);
        Run::new(command.envs(env.iter().copied()).output().unwrap())
    }

    /// pmsite with `args`, run in the archive folder through `wrapper` (a command that
    /// runs the one after it, such as `setpriv …`; empty for none), with every
    /// `PMSITE_*` variable and `SOURCE_DATE_EPOCH` removed.
    pub fn command(&self, wrapper: &[&str], args: &[&str]) -> Command {
        let pmsite = env!("CARGO_BIN_EXE_pmsite");
        let mut command = match wrapper.split_first() {
            None => Command::new(pmsite),
            Some((program, rest)) => {
                let mut command = Command::new(program);
                command.args(rest).arg(pmsite);
                command
            }
        };
        command
            .args(args)
            .current_dir(self.path())
            .env_remove("SOURCE_DATE_EPOCH");
        for (name, _) in std::env::vars().filter(|(n, _)| n.starts_with("PMSITE_")) {
            command.env_remove(name);
        }
        command
    }

    pub fn read(&self, relative: &str) -> String {
        let path = self.public().join(relative);
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.read("incidents.json")).unwrap()
    }

    /// The incident whose `source` is `source`.
    pub fn incident(&self, source: &str) -> Value {
        let json = self.json();
        json["incidents"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["source"] == source)
            .unwrap_or_else(|| panic!("no incident from {source}"))
            .clone()
    }
}

/// What a run printed and how it ended.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn new(output: Output) -> Self {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// The diagnostic lines of stderr (everything but the summary line).
    pub fn diagnostics(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| !l.starts_with("pmsite: "))
            .collect()
    }

    #[track_caller]
    pub fn assert_code(&self, code: i32) -> &Self {
        assert_eq!(self.code, code, "exit code; stderr:\n{}", self.stderr);
        self
    }
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every file below `dir`: relative path -> bytes, sorted.
pub fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}
