//! Problems found in one postmortem: where (path, line, column), how bad, and what.

use std::fmt;

use serde::Serialize;

/// How bad a problem is. An error makes the build exit 1; a warning does not, unless
/// `--strict`; a note (what the build left out, and why) never does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Makes the build exit 1.
    Error,
    /// Printed; an error only with `--strict`.
    Warning,
    /// Printed, never an error.
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
    /// The line, from 1.
    pub line: usize,
    /// The column, from 1, in characters.
    pub column: usize,
    /// How bad it is, after the site's `[rules]` when the report says so.
    pub severity: Severity,
    /// The kind of problem; its name (e.g. `no-title`) is stable.
    pub code: Code,
    /// What is wrong, for people.
    pub message: String,
}

impl Diagnostic {
    /// A warning at the start of `line` (lines below 1 count as 1).
    pub fn warning(path: &str, line: usize, code: Code, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, path, line, code, message)
    }

    /// Something the build did on purpose that the user should know about (files it
    /// left out): printed, never an error, not even with `--strict`.
    pub fn note(path: &str, line: usize, code: Code, message: impl Into<String>) -> Self {
        Self::new(Severity::Note, path, line, code, message)
    }

    /// An error at the start of `line` (lines below 1 count as 1).
    pub fn error(path: &str, line: usize, code: Code, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, path, line, code, message)
    }

    fn new(
        severity: Severity,
        path: &str,
        line: usize,
        code: Code,
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

    /// The same problem at `column` of its line (columns below 1 count as 1).
    pub fn at_column(mut self, column: usize) -> Self {
        self.column = column.max(1);
        self
    }

    /// Whether it makes the build fail.
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
            self.code.as_str(),
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

/// Defines [`Code`] from one list, so the variants, their names and [`Code::ALL`] cannot
/// drift apart.
macro_rules! codes {
    ($($(#[$doc:meta])* $variant:ident => $name:literal,)*) => {
        /// A kind of problem. Its name ([`Code::as_str`], e.g. `broken-link`) is what
        /// users see: in messages, in `--format json`, and as the key of `[rules]` in
        /// the config; the user guide lists every one (book/diagnostics.md).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $($(#[$doc])* $variant,)*
        }

        impl Code {
            /// Every code, in the order of their names.
            pub const ALL: [Code; [$(Code::$variant),*].len()] = [$(Code::$variant),*];

            /// The code's stable kebab-case name, e.g. `broken-link`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $name,)*
                }
            }
        }
    };
}

codes! {
    /// An alias is taken, or lies in one of the site's own folders.
    AliasCollision => "alias-collision",
    /// Numeric dates that read both day first and month first.
    AmbiguousDate => "ambiguous-date",
    /// A file beside the postmortems that is not copied into the site.
    AttachmentSkipped => "attachment-skipped",
    /// A NUL byte near the start of a postmortem file.
    BinaryFile => "binary-file",
    /// A link to no page of the site, or to an anchor its page lacks (`check`).
    BrokenLink => "broken-link",
    /// A second file with an id already used.
    DuplicateId => "duplicate-id",
    /// The stated duration differs from end minus start.
    DurationMismatch => "duration-mismatch",
    /// The end is before the start.
    EndBeforeStart => "end-before-start",
    /// A file larger than `max_file_size`.
    FileTooLarge => "file-too-large",
    /// Frontmatter that does not parse, or is not a mapping.
    FrontmatterInvalid => "frontmatter-invalid",
    /// A frontmatter value of the wrong shape.
    FrontmatterType => "frontmatter-type",
    /// Frontmatter with no closing line.
    FrontmatterUnclosed => "frontmatter-unclosed",
    /// A frontmatter `id` that is not URL-safe.
    IdNotASlug => "id-not-a-slug",
    /// The whole postmortem sits in a markdown code fence.
    MarkdownFence => "markdown-fence",
    /// Merge-conflict markers left in a file.
    MergeConflict => "merge-conflict",
    /// A section listed in `required_sections` is missing.
    MissingSection => "missing-section",
    /// A file with no extension that reads like a postmortem.
    NoExtension => "no-extension",
    /// No title anywhere in the file.
    NoTitle => "no-title",
    /// A file that is not valid UTF-8.
    NotUtf8 => "not-utf8",
    /// A markdown-like extension that `extensions` does not list.
    SkippedExtension => "skipped-extension",
    /// The files the build left out, and why (a note).
    SkippedFiles => "skipped-files",
    /// Two spellings of a tag, service or severity with one slug.
    SlugCollision => "slug-collision",
    /// A symbolic link to a file outside the content folder.
    SymlinkOutside => "symlink-outside",
    /// An open task with no due date (opt in).
    TaskNoDue => "task-no-due",
    /// An open task with no owner (opt in).
    TaskNoOwner => "task-no-owner",
    /// An open task past its due date (opt in).
    TaskOverdue => "task-overdue",
    /// A template placeholder left in a fact or a line.
    TemplateLeftover => "template-leftover",
    /// A timeline line that starts with a time but was read as no entry.
    TimelineUnread => "timeline-unread",
    /// The file tells the incident a second time (a note).
    ToldTwice => "told-twice",
    /// A link or mention naming no incident.
    UnknownIncident => "unknown-incident",
    /// A file or folder that cannot be read.
    Unreadable => "unreadable",
    /// A date or time pmsite cannot read.
    UnreadableDate => "unreadable-date",
}

impl Code {
    /// Whether the code is off unless `[rules]` turns it on: useful as a CI gate for
    /// some teams, noise in most archives.
    pub fn is_opt_in(self) -> bool {
        matches!(
            self,
            Code::TaskNoDue | Code::TaskNoOwner | Code::TaskOverdue
        )
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A name that is not one of [`Code::ALL`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCode;

impl std::str::FromStr for Code {
    type Err = UnknownCode;

    /// Finds the code with this name, e.g. `"broken-link"` (as `[rules]` in the config
    /// names them).
    fn from_str(name: &str) -> Result<Code, UnknownCode> {
        Code::ALL
            .into_iter()
            .find(|code| code.as_str() == name)
            .ok_or(UnknownCode)
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// In unit tests a code may be compared with its name (the tests of call sites not
/// converted yet do).
#[cfg(test)]
impl PartialEq<&str> for Code {
    fn eq(&self, name: &&str) -> bool {
        self.as_str() == *name
    }
}

/// What a site makes of a kind of problem (`[rules]` in the config).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Report it as an error.
    Error,
    /// Report it as a warning.
    Warning,
    /// Report it as a note.
    Note,
    /// Do not report it.
    Off,
}

impl Level {
    /// The level named `error`, `warning`, `note` or `off`.
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
    /// The level `[rules]` gives a code; codes not here keep their own (opt-in codes
    /// stay off).
    pub levels: std::collections::BTreeMap<Code, Level>,
    /// `--strict`: warnings become errors.
    pub strict: bool,
}

impl Rules {
    /// Re-grades `diagnostics` in place; those turned off go. Applying twice changes
    /// nothing more.
    pub fn apply(&self, diagnostics: &mut Vec<Diagnostic>) {
        diagnostics.retain_mut(|d| {
            match self.levels.get(&d.code) {
                Some(Level::Off) => return false,
                Some(Level::Error) => d.severity = Severity::Error,
                Some(Level::Warning) => d.severity = Severity::Warning,
                Some(Level::Note) => d.severity = Severity::Note,
                None if d.code.is_opt_in() => return false,
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
                (Code::NoTitle, Level::Off),
                (Code::DuplicateId, Level::Warning),
            ]
            .into_iter()
            .collect(),
            strict: false,
        };
        let mut found = vec![
            Diagnostic::warning("a.md", 1, Code::NoTitle, "x"),
            Diagnostic::error("a.md", 2, Code::DuplicateId, "y"),
            Diagnostic::warning("a.md", 3, Code::TemplateLeftover, "z"),
            Diagnostic::warning("a.md", 4, Code::TaskOverdue, "opt in"),
        ];
        rules.apply(&mut found);
        let graded: Vec<(Code, Severity)> = found.iter().map(|d| (d.code, d.severity)).collect();
        assert_eq!(
            graded,
            [
                (Code::DuplicateId, Severity::Warning),
                (Code::TemplateLeftover, Severity::Warning)
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
        for code in Code::ALL {
            assert!(
                guide.contains(&format!("| `{code}` |")),
                "{code} is not in book/diagnostics.md"
            );
        }
    }

    #[test]
    fn strict_leaves_notes_alone() {
        let mut found = vec![Diagnostic::note(
            "README.md",
            1,
            Code::SkippedFiles,
            "skipped",
        )];
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
        let d = Diagnostic::warning("2024/db.md", 7, Code::NoTitle, "no title").at_column(3);
        assert_eq!(d.to_string(), "2024/db.md:7:3: warning: no title");
    }

    #[test]
    fn sorts_by_path_then_line() {
        let mut all = vec![
            Diagnostic::warning("b.md", 1, Code::NoTitle, "later file"),
            Diagnostic::error("a.md", 9, Code::NoTitle, "later line"),
            Diagnostic::warning("a.md", 2, Code::NoTitle, "first"),
            Diagnostic::warning("a.md", 2, Code::NoTitle, "first"),
        ];
        sort_diagnostics(&mut all);
        let order: Vec<_> = all.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(order, ["first", "later line", "later file"]);
    }

    #[test]
    fn a_code_is_found_by_its_name_and_shown_as_it() {
        for code in Code::ALL {
            assert_eq!(code.as_str().parse::<Code>(), Ok(code));
            assert_eq!(code.to_string(), code.as_str());
            assert_eq!(
                serde_json::to_string(&code).unwrap(),
                format!("\"{}\"", code.as_str())
            );
        }
        assert_eq!("Broken-Link".parse::<Code>(), Err(UnknownCode));
        let names: Vec<&str> = Code::ALL.iter().map(|code| code.as_str()).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        assert_eq!(names, sorted, "Code::ALL is in the order of the names");
        let opt_in: Vec<Code> = Code::ALL.into_iter().filter(|c| c.is_opt_in()).collect();
        assert_eq!(
            opt_in,
            [Code::TaskNoDue, Code::TaskNoOwner, Code::TaskOverdue]
        );
    }
}
