//! Finds the postmortems in the content folder: the only code that lists it. The result
//! is sorted by path, so everything downstream sees files in the same order every run.

use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use walkdir::WalkDir;

use crate::diagnostic::Diagnostic;

/// File extensions pmsite reads as postmortems.
pub const EXTENSIONS: [&str; 3] = ["md", "markdown", "txt"];

/// A postmortem file found by the walk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Path relative to the content folder, with `/` separators: used in ids,
    /// diagnostics and the JSON output.
    pub relative: String,
    pub absolute: PathBuf,
}

/// What the walk found, plus what it could not read.
#[derive(Debug, Default)]
pub struct WalkResult {
    /// The postmortems.
    pub files: Vec<SourceFile>,
    /// Every other file (images, PDFs), for the site's `files/` folder.
    pub attachments: Vec<SourceFile>,
    pub diagnostics: Vec<Diagnostic>,
}

/// File-name patterns that are not postmortems (`README*`, `_*`, ...).
#[derive(Debug, Clone)]
pub struct IgnoreList(GlobSet);

impl IgnoreList {
    pub fn new(patterns: &[String]) -> Result<Self, String> {
        let mut builder = GlobSetBuilder::new();
        for pattern in patterns {
            // `*` stops at `/` and case is ignored: `README*` skips readme.md, and
            // `_*` skips `_draft.md` without skipping a whole folder's contents.
            let glob = GlobBuilder::new(pattern)
                .literal_separator(true)
                .case_insensitive(true)
                .build()
                .map_err(|e| format!("bad ignore pattern `{pattern}`: {e}"))?;
            builder.add(glob);
        }
        builder.build().map(IgnoreList).map_err(|e| e.to_string())
    }

    /// Patterns match the file name alone and, for patterns with a `/`, the relative path.
    pub fn is_ignored(&self, relative: &str) -> bool {
        let name = relative.rsplit('/').next().unwrap_or(relative);
        self.0.is_match(name) || self.0.is_match(relative)
    }
}

/// Lists the postmortems below `root`, skipping hidden entries, ignored names and
/// anything below `exclude` (the output folder, when it sits inside the content folder).
pub fn walk(root: &Path, ignore: &IgnoreList, exclude: Option<&Path>) -> WalkResult {
    let mut result = WalkResult::default();
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let canonical_exclude = exclude.and_then(|path| path.canonicalize().ok());

    let mut outside = Vec::new();
    let entries = WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            if entry.depth() > 0 && is_hidden(entry.file_name()) {
                return false;
            }
            // A linked folder that leads outside the content folder is not read.
            if entry.depth() > 0 && entry.path_is_symlink() && entry.file_type().is_dir() {
                let inside = entry
                    .path()
                    .canonicalize()
                    .is_ok_and(|p| p.starts_with(&canonical_root));
                if !inside {
                    outside.push(relative_path(root, entry.path()));
                    return false;
                }
            }
            true
        });

    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                let path = error
                    .path()
                    .map(|p| relative_path(root, p))
                    .unwrap_or_default();
                // A folder that cannot be listed may hide postmortems, so the site is
                // incomplete: an error. A loop or a broken link loses nothing.
                let is_folder = error.path().is_some_and(|p| p.is_dir());
                let diagnostic = if error.loop_ancestor().is_some() {
                    Diagnostic::warning(&path, 1, "unreadable", "symbolic link loop: skipped")
                } else if is_folder {
                    let message = format!(
                        "cannot list this folder: {}; any postmortems in it are left out",
                        io_message(&error)
                    );
                    Diagnostic::error(&path, 1, "unreadable", message)
                } else {
                    let message = format!("cannot read: {}", io_message(&error));
                    Diagnostic::warning(&path, 1, "unreadable", message)
                };
                result.diagnostics.push(diagnostic);
                continue;
            }
        };
        let path = entry.path();
        if let Some(exclude) = &canonical_exclude {
            if path.canonicalize().is_ok_and(|p| p.starts_with(exclude)) {
                continue;
            }
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let relative = relative_path(root, path);
        if ignore.is_ignored(&relative) {
            continue;
        }
        if entry.path_is_symlink() {
            let inside = path
                .canonicalize()
                .is_ok_and(|p| p.starts_with(&canonical_root));
            if !inside {
                result.diagnostics.push(Diagnostic::warning(
                    &relative,
                    1,
                    "symlink-outside",
                    "symbolic link points outside the content folder: skipped",
                ));
                continue;
            }
        }
        let file = SourceFile {
            relative,
            absolute: path.to_path_buf(),
        };
        if has_postmortem_extension(path) {
            result.files.push(file);
        } else {
            result.attachments.push(file);
        }
    }
    for path in outside {
        let message = "symbolic link to a folder outside the content folder: skipped";
        result
            .diagnostics
            .push(Diagnostic::warning(&path, 1, "symlink-outside", message));
    }
    result
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|name| name.starts_with('.'))
}

fn has_postmortem_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|ext| ext.to_str())
        .is_some_and(|ext| {
            EXTENSIONS
                .iter()
                .any(|known| ext.eq_ignore_ascii_case(known))
        })
}

fn relative_path(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<_> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect();
    parts.join("/")
}

fn io_message(error: &walkdir::Error) -> String {
    match error.io_error() {
        Some(io) => io.to_string(),
        None => error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ignore_defaults() -> IgnoreList {
        IgnoreList::new(&["README*".into(), "_*".into(), "template*".into()]).unwrap()
    }

    #[test]
    fn ignores_readme_underscore_and_templates() {
        let ignore = ignore_defaults();
        assert!(ignore.is_ignored("README.md"));
        assert!(ignore.is_ignored("2024/_draft.md"));
        assert!(ignore.is_ignored("template-sre.md"));
        assert!(!ignore.is_ignored("2024/db-outage.md"));
        assert!(ignore.is_ignored("Readme.md"), "case is ignored");
        assert!(
            !ignore.is_ignored("_archive/db-outage.md"),
            "`*` does not cross folders"
        );
    }

    #[test]
    fn walks_sorted_and_skips_hidden_and_other_extensions() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("b")).unwrap();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        for name in [
            "b/2.md",
            "a.txt",
            "c.markdown",
            "notes.pdf",
            ".hidden.md",
            ".git/x.md",
            "README.md",
        ] {
            std::fs::write(root.join(name), "x").unwrap();
        }
        let found = walk(root, &ignore_defaults(), None);
        let names: Vec<_> = found.files.iter().map(|f| f.relative.as_str()).collect();
        assert_eq!(names, ["a.txt", "b/2.md", "c.markdown"]);
        assert!(found.diagnostics.is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn linked_folders_outside_are_not_read() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.md"), "x").unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.path().join("elsewhere")).unwrap();
        std::fs::write(dir.path().join("a.md"), "x").unwrap();
        let found = walk(dir.path(), &ignore_defaults(), None);
        assert_eq!(found.files.len(), 1);
        assert_eq!(found.diagnostics[0].path, "elsewhere");
        assert_eq!(found.diagnostics[0].code, "symlink-outside");
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loop_is_a_diagnostic() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::os::unix::fs::symlink(dir.path(), dir.path().join("sub/loop")).unwrap();
        std::fs::write(dir.path().join("sub/a.md"), "x").unwrap();
        let found = walk(dir.path(), &ignore_defaults(), None);
        assert_eq!(found.files.len(), 1);
        assert_eq!(found.diagnostics[0].path, "sub/loop");
        assert!(found.diagnostics[0].message.contains("loop"));
    }
}
