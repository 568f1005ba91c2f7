//! Problems found in one postmortem: where (path, line, column), how bad, and what.

use std::fmt;

use serde::Serialize;

/// How bad a problem is. An error makes the build exit 1; a warning does not, unless
/// `--strict`; a note (what the build left out, and why) never does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Note,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        })
    }
}

/// One problem in one file. Lines and columns are 1-based and count from the very
/// start of the file, frontmatter included, so an editor can jump to them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Path relative to the content folder, with `/` separators.
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub severity: Severity,
    /// A short stable name for the kind of problem, e.g. `no-title`.
    pub code: &'static str,
    pub message: String,
}

impl Diagnostic {
    pub fn warning(
        path: &str,
        line: usize,
        code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Self::new(Severity::Warning, path, line, code, message)
    }

    /// Something the build did on purpose that the user should know about (files it
    /// left out): printed, never an error, not even with `--strict`.
    pub fn note(path: &str, line: usize, code: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Note, path, line, code, message)
    }

    pub fn error(path: &str, line: usize, code: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, path, line, code, message)
    }

    fn new(
        severity: Severity,
        path: &str,
        line: usize,
        code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            path: path.to_string(),
            line: line.max(1),
            column: 1,
            severity,
            code,
            message: message.into(),
        }
    }

    pub fn at_column(mut self, column: usize) -> Self {
        self.column = column.max(1);
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The order diagnostics are printed in: by file, then position, then text.
    fn sort_key(&self) -> (&str, usize, usize, Severity, &str, &str) {
        (
            &self.path,
            self.line,
            self.column,
            self.severity,
            self.code,
            &self.message,
        )
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}: {}",
            self.path, self.line, self.column, self.severity, self.message
        )
    }
}

/// Every diagnostic code, as listed in the user guide; `[rules]` in the config takes
/// these.
pub const CODES: [&str; 32] = [
    "alias-collision",
    "ambiguous-date",
    "attachment-skipped",
    "binary-file",
    "broken-link",
    "duplicate-id",
    "duration-mismatch",
    "end-before-start",
    "file-too-large",
    "frontmatter-invalid",
    "frontmatter-type",
    "frontmatter-unclosed",
    "id-not-a-slug",
    "markdown-fence",
    "merge-conflict",
    "missing-section",
    "no-extension",
    "no-title",
    "not-utf8",
    "skipped-extension",
    "skipped-files",
    "slug-collision",
    "symlink-outside",
    "task-no-due",
    "task-no-owner",
    "task-overdue",
    "template-leftover",
    "timeline-unread",
    "told-twice",
    "unknown-incident",
    "unreadable",
    "unreadable-date",
];

/// Codes that are off unless `[rules]` turns them on: useful as a CI gate for some
/// teams, noise in most archives.
pub const OPT_IN: [&str; 3] = ["task-no-due", "task-no-owner", "task-overdue"];

/// What a site makes of a kind of problem (`[rules]` in the config).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Error,
    Warning,
    Note,
    Off,
}

impl Level {
    pub fn parse(text: &str) -> Option<Level> {
        match text {
            "error" => Some(Level::Error),
            "warning" => Some(Level::Warning),
            "note" => Some(Level::Note),
            "off" => Some(Level::Off),
            _ => None,
        }
    }
}

/// The site's levels per code, and `--strict`, which makes every warning an error
/// (notes stay notes).
#[derive(Debug, Clone, Default)]
pub struct Rules {
    pub levels: std::collections::BTreeMap<String, Level>,
    pub strict: bool,
}

impl Rules {
    /// Re-grades `diagnostics` in place; those turned off go. Applying twice changes
    /// nothing more.
    pub fn apply(&self, diagnostics: &mut Vec<Diagnostic>) {
        diagnostics.retain_mut(|d| {
            match self.levels.get(d.code) {
                Some(Level::Off) => return false,
                Some(Level::Error) => d.severity = Severity::Error,
                Some(Level::Warning) => d.severity = Severity::Warning,
                Some(Level::Note) => d.severity = Severity::Note,
                None if OPT_IN.contains(&d.code) => return false,
                None => {}
            }
            if self.strict && d.severity == Severity::Warning {
                d.severity = Severity::Error;
            }
            true
        });
    }
}

/// Sorts diagnostics into their printing order and drops exact repeats.
pub fn sort_diagnostics(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_regrade_drop_and_strict_raises() {
        let rules = Rules {
            levels: [
                ("no-title".to_string(), Level::Off),
                ("duplicate-id".to_string(), Level::Warning),
            ]
            .into_iter()
            .collect(),
            strict: false,
        };
        let mut found = vec![
            Diagnostic::warning("a.md", 1, "no-title", "x"),
            Diagnostic::error("a.md", 2, "duplicate-id", "y"),
            Diagnostic::warning("a.md", 3, "template-leftover", "z"),
        ];
        rules.apply(&mut found);
        let graded: Vec<(&str, Severity)> = found.iter().map(|d| (d.code, d.severity)).collect();
        assert_eq!(
            graded,
            [
                ("duplicate-id", Severity::Warning),
                ("template-leftover", Severity::Warning)
            ]
        );
        Rules {
            strict: true,
            ..rules
        }
        .apply(&mut found);
        assert!(found.iter().all(Diagnostic::is_error));
    }

    #[test]
    fn the_user_guide_lists_every_code() {
        let guide = include_str!("../book/diagnostics.md");
        for code in CODES {
            assert!(
                guide.contains(&format!("| `{code}` |")),
                "{code} is not in book/diagnostics.md"
            );
        }
    }

    #[test]
    fn strict_leaves_notes_alone() {
        let mut found = vec![Diagnostic::note("README.md", 1, "skipped-files", "skipped")];
        Rules {
            strict: true,
            ..Rules::default()
        }
        .apply(&mut found);
        assert_eq!(found[0].severity, Severity::Note);
        assert_eq!(found[0].to_string(), "README.md:1:1: note: skipped");
    }

    #[test]
    fn displays_like_a_compiler() {
        let d = Diagnostic::warning("2024/db.md", 7, "no-title", "no title").at_column(3);
        assert_eq!(d.to_string(), "2024/db.md:7:3: warning: no title");
    }

    #[test]
    fn sorts_by_path_then_line() {
        let mut all = vec![
            Diagnostic::warning("b.md", 1, "x", "later file"),
            Diagnostic::error("a.md", 9, "x", "later line"),
            Diagnostic::warning("a.md", 2, "x", "first"),
            Diagnostic::warning("a.md", 2, "x", "first"),
        ];
        sort_diagnostics(&mut all);
        let order: Vec<_> = all.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(order, ["first", "later line", "later file"]);
    }
}
