//! Finds the postmortems in the content folder: the only code that lists it. The result
//! is sorted by path, so everything downstream sees files in the same order every run.

use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use walkdir::WalkDir;

use crate::diagnostic::{Code, Diagnostic};

/// File extensions pmsite reads as postmortems unless `extensions` in the config says
/// otherwise.
pub const EXTENSIONS: [&str; 3] = ["md", "markdown", "txt"];

/// Extensions of text formats a postmortem may well be written in. A file with one that
/// the site does not read gets a `skipped-extension` warning, so a folder of `.qmd`
/// reports does not build into an empty site without a word. (`txt` is not here: logs
/// beside the postmortems are often `.txt`.)
const MARKDOWN_LIKE: [&str; 17] = [
    "md", "markdown", "mkd", "mkdn", "mdwn", "mdown", "markdn", "mdtxt", "mdtext", "qmd", "rmd",
    "mdx", "rst", "adoc", "asciidoc", "org", "textile",
];

/// The documents a repository keeps beside its code, by their upper-case names: never
/// postmortems, with or without an extension (`LICENSE`, `CONTRIBUTING.md`).
const REPOSITORY_DOCUMENTS: [&str; 17] = [
    "AUTHORS",
    "CHANGELOG",
    "CHANGES",
    "CODEOWNERS",
    "CODE_OF_CONDUCT",
    "CONTRIBUTING",
    "CONTRIBUTORS",
    "COPYING",
    "GOVERNANCE",
    "HISTORY",
    "LICENCE",
    "LICENSE",
    "MAINTAINERS",
    "NOTICE",
    "OWNERS",
    "SECURITY",
    "SUPPORT",
];

/// Build and tool files without an extension, besides the repository documents: no
/// `no-extension` warning for them (a CODEOWNERS file starts with `#` comments too).
const BUILD_FILE_NAMES: [&str; 13] = [
    "BUILD",
    "Brewfile",
    "Containerfile",
    "Dockerfile",
    "Gemfile",
    "GNUmakefile",
    "Jenkinsfile",
    "Justfile",
    "Makefile",
    "Procfile",
    "Rakefile",
    "Vagrantfile",
    "Pipfile",
];

/// Checks the `extensions` of a config: at least one, each a bare name.
pub fn check_extensions(extensions: &[String]) -> Result<(), String> {
    if extensions.is_empty() {
        return Err(
            "`extensions` is empty, so no file would be read as a postmortem; \
                    the default is [\"md\", \"markdown\", \"txt\"]"
                .to_string(),
        );
    }
    for extension in extensions {
        if let Some(bare) = extension.strip_prefix('.').filter(|bare| is_bare(bare)) {
            return Err(format!(
                "extension `{extension}` must be written without a dot: `{bare}`"
            ));
        }
        if !is_bare(extension) {
            return Err(format!(
                "extension `{extension}` must be a bare extension such as `md` or `qmd`: \
                 no dot, slash, space or wildcard"
            ));
        }
    }
    Ok(())
}

fn is_bare(extension: &str) -> bool {
    !extension.is_empty()
        && extension
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
}

/// What the walk reads: names to leave out, and the extensions of postmortems.
#[derive(Debug, Clone)]
pub struct WalkOptions {
    pub ignore: IgnoreList,
    pub extensions: Vec<String>,
}

impl WalkOptions {
    /// From the config's `ignore` and `extensions`, as checked when it was loaded.
    pub fn new(ignore: &[String], extensions: &[String]) -> Result<Self, String> {
        check_extensions(extensions)?;
        Ok(WalkOptions {
            ignore: IgnoreList::new(ignore)?,
            extensions: extensions.to_vec(),
        })
    }

    fn reads(&self, extension: &str) -> bool {
        self.extensions
            .iter()
            .any(|known| extension.eq_ignore_ascii_case(known))
    }
}

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
    /// Files that are not postmortems by their name, for the `skipped-files` note: the
    /// ignored ones are not copied either; the others are attachments too.
    pub skipped: Vec<Skipped>,
    pub diagnostics: Vec<Diagnostic>,
}

/// A file left out as not a postmortem, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// Path relative to the content folder.
    pub relative: String,
    pub reason: SkipReason,
}

/// Why a file is not a postmortem, in the order the `skipped-files` note lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SkipReason {
    /// Its name matches `ignore` (`README*`, `_*`, `template*`).
    Ignored,
    /// `LICENSE`, `Makefile`, `CODEOWNERS`: not read, and no warning of its own.
    RepositoryFile,
    /// `db.md~`, `db.md.orig`.
    Backup,
    /// Read, but a list of links to other postmortems.
    IndexPage,
    /// Read, but a template with nothing filled in.
    BlankTemplate,
}

impl SkipReason {
    /// A few words for the warning: `ignore patterns`.
    pub fn describe(self) -> &'static str {
        match self {
            SkipReason::Ignored => "ignore patterns",
            SkipReason::RepositoryFile => "license and repository files",
            SkipReason::Backup => "backup copies",
            SkipReason::IndexPage => "index pages: lists of links to other files",
            SkipReason::BlankTemplate => "blank templates: nothing filled in",
        }
    }
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
pub fn walk(root: &Path, options: &WalkOptions, exclude: Option<&Path>) -> WalkResult {
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
                    Diagnostic::warning(&path, 1, Code::Unreadable, "symbolic link loop: skipped")
                } else if is_folder {
                    let message = format!(
                        "cannot list this folder: {}; any postmortems in it are left out",
                        io_message(&error)
                    );
                    Diagnostic::error(&path, 1, Code::Unreadable, message)
                } else {
                    let message = format!("cannot read: {}", io_message(&error));
                    Diagnostic::warning(&path, 1, Code::Unreadable, message)
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
        if options.ignore.is_ignored(&relative) {
            // A private `_dump.log` kept out of the site is no postmortem left out.
            if may_be_postmortem(path, options) {
                result.skipped.push(Skipped {
                    relative,
                    reason: SkipReason::Ignored,
                });
            }
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
                    Code::SymlinkOutside,
                    "symbolic link points outside the content folder: skipped",
                ));
                continue;
            }
        }
        let file = SourceFile {
            relative,
            absolute: path.to_path_buf(),
        };
        if file_extension(path).is_some_and(|ext| options.reads(ext)) {
            if is_repository_document(&file.relative) {
                result.skipped.push(Skipped {
                    relative: file.relative,
                    reason: SkipReason::RepositoryFile,
                });
            } else {
                result.files.push(file);
            }
            continue;
        }
        // Repository files and unread postmortems are named (in the skipped-files note
        // or a warning) and not published.
        if let Some(reason) = not_a_postmortem(&file.relative) {
            result.skipped.push(Skipped {
                relative: file.relative.clone(),
                reason,
            });
        } else if let Some(diagnostic) = unread_postmortem(&file, options) {
            result.diagnostics.push(diagnostic);
        } else {
            result.attachments.push(file);
        }
    }
    for path in outside {
        let message = "symbolic link to a folder outside the content folder: skipped";
        result
            .diagnostics
            .push(Diagnostic::warning(&path, 1, Code::SymlinkOutside, message));
    }
    result
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|name| name.starts_with('.'))
}

fn file_extension(path: &Path) -> Option<&str> {
    path.extension().and_then(|ext| ext.to_str())
}

/// Whether a file would be read as a postmortem, or warned about as one, were it not
/// ignored.
fn may_be_postmortem(path: &Path, options: &WalkOptions) -> bool {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    match spoken_extension(name) {
        Some(extension) => options.reads(extension) || is_markdown_like(extension),
        None => crate::read::looks_like_markdown(path),
    }
}

fn is_markdown_like(extension: &str) -> bool {
    MARKDOWN_LIKE
        .iter()
        .any(|known| extension.eq_ignore_ascii_case(known))
}

/// Why a file that is not read is plainly not a postmortem by its name: a license or a
/// build file, or an editor's or a merge's backup.
fn not_a_postmortem(relative: &str) -> Option<SkipReason> {
    let name = relative.rsplit('/').next().unwrap_or(relative);
    let extension = name.rsplit_once('.').map(|(_, ext)| ext);
    if name.ends_with('~')
        || extension.is_some_and(|ext| {
            ["bak", "orig", "rej"]
                .iter()
                .any(|backup| ext.eq_ignore_ascii_case(backup))
        })
    {
        return Some(SkipReason::Backup);
    }
    let stem = name.split(['.', '-']).next().unwrap_or(name);
    let named = |list: &[&str]| list.iter().any(|n| stem.eq_ignore_ascii_case(n));
    // `LICENSE-MIT` and `COPYING.LESSER` are licenses too.
    let license = named(&["LICENSE", "LICENCE", "COPYING"]) && stem.len() < name.len();
    let plain = !name.contains('.') && (named(&REPOSITORY_DOCUMENTS) || named(&BUILD_FILE_NAMES));
    (license || plain).then_some(SkipReason::RepositoryFile)
}

/// `LICENSE.md`, `CONTRIBUTING.md`, `CODE_OF_CONDUCT.md`: the documents a repository
/// keeps beside its code, by their upper-case names (a `security.md` may be a postmortem).
fn is_repository_document(relative: &str) -> bool {
    let name = relative.rsplit('/').next().unwrap_or(relative);
    let stem = name.split(['.', '-']).next().unwrap_or(name);
    REPOSITORY_DOCUMENTS.contains(&stem)
}

/// A warning for a file that is not read but may be a postmortem: a markdown-like
/// extension the site does not read, or no extension and markdown inside.
fn unread_postmortem(file: &SourceFile, options: &WalkOptions) -> Option<Diagnostic> {
    let name = file.relative.rsplit('/').next().unwrap_or(&file.relative);
    match spoken_extension(name) {
        Some(extension) => {
            if !is_markdown_like(extension) {
                return None;
            }
            let mut wanted: Vec<String> = options
                .extensions
                .iter()
                .map(|e| format!("\"{e}\""))
                .collect();
            wanted.push(format!("\"{extension}\""));
            let message = format!(
                "`.{extension}` files are not read as postmortems, so this one is neither built \
                 nor copied into the site; to build it, add `extensions = [{}]` to pmsite.toml",
                wanted.join(", ")
            );
            Some(Diagnostic::warning(
                &file.relative,
                1,
                Code::SkippedExtension,
                message,
            ))
        }
        None => {
            if !crate::read::looks_like_markdown(&file.absolute) {
                return None;
            }
            let message = format!(
                "this file has no extension but looks like a markdown postmortem; it is neither \
                 built nor copied into the site. Rename it to `{name}.md` to build it"
            );
            Some(Diagnostic::warning(
                &file.relative,
                1,
                Code::NoExtension,
                message,
            ))
        }
    }
}

/// The extension of a name, if it has one as people write them (`md`, `tar`, `2024`):
/// `PM-12 - v1.2 rollout` has none, whatever follows its last dot.
fn spoken_extension(name: &str) -> Option<&str> {
    let (stem, extension) = name.rsplit_once('.')?;
    let plain = !stem.is_empty()
        && (1..=10).contains(&extension.len())
        && extension.chars().all(|c| c.is_ascii_alphanumeric());
    plain.then_some(extension)
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

    fn defaults() -> WalkOptions {
        WalkOptions {
            ignore: ignore_defaults(),
            extensions: EXTENSIONS.map(String::from).to_vec(),
        }
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
        let found = walk(root, &defaults(), None);
        let names: Vec<_> = found.files.iter().map(|f| f.relative.as_str()).collect();
        assert_eq!(names, ["a.txt", "b/2.md", "c.markdown"]);
        assert!(found.diagnostics.is_empty());
    }

    #[test]
    fn names_what_it_does_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let markdown = "# DB outage\n\nThe primary ran out of disk at noon.\n";
        for (name, text) in [
            ("a.md", markdown),
            ("b.qmd", markdown),
            ("c", markdown),
            (
                "LICENSE",
                "MIT License\n\nPermission is hereby granted, free of charge\n",
            ),
            ("CODEOWNERS", "# Owners\n* @org/sre\n"),
            ("notes", "just some words here, no heading\n"),
            ("a.md~", markdown),
            ("graph.png", "x"),
            ("README.md", markdown),
            (
                "CONTRIBUTING.md",
                "# Contributing\n\nOpen a pull request.\n",
            ),
            ("LICENSE.md", "# MIT License\n"),
            ("security.md", markdown),
            ("_dump.log", "private"),
        ] {
            std::fs::write(root.join(name), text).unwrap();
        }
        let found = walk(root, &defaults(), None);
        let names = |files: &[SourceFile]| -> Vec<String> {
            files.iter().map(|f| f.relative.clone()).collect()
        };
        assert_eq!(names(&found.files), ["a.md", "security.md"]);
        assert_eq!(
            names(&found.attachments),
            ["graph.png", "notes"],
            "repository files and unread postmortems are named, not published"
        );
        let warned: Vec<(&str, Code)> = found
            .diagnostics
            .iter()
            .map(|d| (d.path.as_str(), d.code))
            .collect();
        assert_eq!(
            warned,
            [("b.qmd", Code::SkippedExtension), ("c", Code::NoExtension)]
        );
        assert!(found.diagnostics[0]
            .message
            .contains(r#"extensions = ["md", "markdown", "txt", "qmd"]"#));
        let skipped: Vec<(&str, SkipReason)> = found
            .skipped
            .iter()
            .map(|s| (s.relative.as_str(), s.reason))
            .collect();
        assert_eq!(
            skipped,
            [
                ("CODEOWNERS", SkipReason::RepositoryFile),
                ("CONTRIBUTING.md", SkipReason::RepositoryFile),
                ("LICENSE", SkipReason::RepositoryFile),
                ("LICENSE.md", SkipReason::RepositoryFile),
                ("README.md", SkipReason::Ignored),
                ("a.md~", SkipReason::Backup),
            ]
        );

        let with_qmd = WalkOptions::new(&[], &["md".into(), "QMD".into()]).unwrap();
        let found = walk(root, &with_qmd, None);
        assert_eq!(
            names(&found.files),
            ["README.md", "a.md", "b.qmd", "security.md"]
        );
    }

    #[test]
    fn extensions_must_be_bare() {
        assert!(check_extensions(&["md".into(), "Rmd".into()]).is_ok());
        assert!(check_extensions(&[]).is_err());
        assert!(check_extensions(&["".into()]).is_err());
        assert!(check_extensions(&["md/x".into()]).is_err());
        assert!(check_extensions(&["*.md".into()]).is_err());
        assert_eq!(spoken_extension("PM-12 - v1.2 rollout"), None);
        assert_eq!(spoken_extension("notes.qmd"), Some("qmd"));
    }

    #[cfg(unix)]
    #[test]
    fn linked_folders_outside_are_not_read() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.md"), "x").unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.path().join("elsewhere")).unwrap();
        std::fs::write(dir.path().join("a.md"), "x").unwrap();
        let found = walk(dir.path(), &defaults(), None);
        assert_eq!(found.files.len(), 1);
        assert_eq!(found.diagnostics[0].path, "elsewhere");
        assert_eq!(found.diagnostics[0].code, Code::SymlinkOutside);
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loop_is_a_diagnostic() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::os::unix::fs::symlink(dir.path(), dir.path().join("sub/loop")).unwrap();
        std::fs::write(dir.path().join("sub/a.md"), "x").unwrap();
        let found = walk(dir.path(), &defaults(), None);
        assert_eq!(found.files.len(), 1);
        assert_eq!(found.diagnostics[0].path, "sub/loop");
        assert!(found.diagnostics[0].message.contains("loop"));
    }
}
