//! Diagnostics as text for people and tools: one line each (`short`), with the source
//! line and a caret as rustc prints them (`human`), one JSON object per line (`json`),
//! or GitHub workflow commands that annotate a pull request's lines (`github`).

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;
use std::sync::Arc;

use serde::Serialize;

use crate::diagnostic::{Code, Diagnostic, Severity};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiagnosticFormat {
    Short,
    Human,
    Json,
    Github,
}

/// What the printer needs besides the diagnostics: where the content folder is (paths
/// in `human`, `json` and `github` output start there, so an editor or GitHub finds the
/// file) and the text of each file, for the source lines.
pub struct Sources<'a> {
    pub content_dir: &'a Path,
    pub texts: &'a BTreeMap<String, Arc<str>>,
}

impl Sources<'_> {
    fn file(&self, path: &str) -> String {
        let joined = self.content_dir.join(path);
        let text = joined.to_string_lossy().replace('\\', "/");
        text.strip_prefix("./").unwrap_or(&text).to_string()
    }

    fn line(&self, path: &str, line: usize) -> Option<&str> {
        self.texts.get(path)?.lines().nth(line.checked_sub(1)?)
    }
}

/// The diagnostics in `format`, each ending in a newline.
pub fn format_diagnostics(
    diagnostics: &[Diagnostic],
    format: DiagnosticFormat,
    sources: &Sources,
) -> String {
    let mut out = String::new();
    for diagnostic in diagnostics {
        match format {
            DiagnosticFormat::Short => {
                let _ = writeln!(out, "{}", for_terminal(&diagnostic.to_string()));
            }
            DiagnosticFormat::Human => {
                let mut text = String::new();
                human(&mut text, diagnostic, sources);
                out.push_str(&for_terminal(&text));
            }
            DiagnosticFormat::Json => {
                let record = JsonDiagnostic {
                    file: sources.file(&diagnostic.path),
                    path: &diagnostic.path,
                    line: diagnostic.line,
                    column: diagnostic.column,
                    severity: diagnostic.severity,
                    code: diagnostic.code,
                    message: &diagnostic.message,
                };
                let _ = writeln!(
                    out,
                    "{}",
                    serde_json::to_string(&record).expect("a diagnostic serializes")
                );
            }
            DiagnosticFormat::Github => {
                let command = match diagnostic.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                    Severity::Note => "notice",
                };
                let _ = writeln!(
                    out,
                    "::{command} file={},line={},col={},title={}::{}",
                    escape_property(&sources.file(&diagnostic.path)),
                    diagnostic.line,
                    diagnostic.column,
                    escape_property(&format!("pmsite {}", diagnostic.code)),
                    escape_data(&diagnostic.message)
                );
            }
        }
    }
    out
}

/// Text for a terminal: control characters (from a file's name or a quoted line) shown
/// as their symbols (`␛` for escape), so they cannot move the cursor, erase a line or
/// change colours. Tabs and line ends stay; each character stays one column wide.
pub fn for_terminal(text: &str) -> std::borrow::Cow<'_, str> {
    let shown = |c: char| match c {
        '\t' | '\n' => c,
        '\u{0}'..='\u{1F}' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{FFFD}'),
        '\u{7F}' => '\u{2421}',
        '\u{80}'..='\u{9F}' => '\u{FFFD}',
        other => other,
    };
    if text.chars().all(|c| shown(c) == c) {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(text.chars().map(shown).collect())
    }
}

/// One diagnostic in `--format json`; the fields are stable.
#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    /// The file as found from the current folder.
    file: String,
    /// The file relative to the content folder.
    path: &'a str,
    line: usize,
    column: usize,
    severity: Severity,
    code: Code,
    message: &'a str,
}

/// The most characters of a source line `human` shows.
const SHOWN_CHARS: usize = 100;

fn human(out: &mut String, diagnostic: &Diagnostic, sources: &Sources) {
    let _ = writeln!(
        out,
        "{}[{}]: {}",
        diagnostic.severity, diagnostic.code, diagnostic.message
    );
    let number = diagnostic.line.to_string();
    let gutter = " ".repeat(number.len());
    let _ = writeln!(
        out,
        "{gutter}--> {}:{}:{}",
        sources.file(&diagnostic.path),
        diagnostic.line,
        diagnostic.column
    );
    if let Some(line) = sources.line(&diagnostic.path, diagnostic.line) {
        // A long line is cut to a window around the column, marked with `…`.
        let chars: Vec<char> = line.chars().collect();
        let column = diagnostic.column.saturating_sub(1).min(chars.len());
        let start = column.saturating_sub(40);
        let end = (start + SHOWN_CHARS).min(chars.len());
        let mut line: String = chars[start..end].iter().collect();
        let mut caret_at = column - start;
        if start > 0 {
            line.insert(0, '…');
            caret_at += 1;
        }
        if end < chars.len() {
            line.push('…');
        }
        // The caret sits under the column, counted in characters; tabs keep their width.
        let before: String = line
            .chars()
            .take(caret_at)
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        let _ = writeln!(out, "{gutter} |");
        let _ = writeln!(out, "{number} | {line}");
        let _ = writeln!(out, "{gutter} | {before}^");
    }
    out.push('\n');
}

/// GitHub's workflow commands escape `%`, CR and LF in the message...
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// ...and also `:` and `,` in properties.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// `n` and a noun that takes an `s` in the plural: "1 incident", "3 warnings".
pub fn counted(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_never_reach_the_terminal() {
        let diagnostic = Diagnostic::warning(
            "a\u{1b}[2Kb.md",
            1,
            Code::NoTitle,
            "title \u{1b}[31mred\u{7}",
        );
        let texts = BTreeMap::from([(
            "a\u{1b}[2Kb.md".to_string(),
            Arc::<str>::from("# Quoted \u{1b}]0;title\u{7} line\n"),
        )]);
        let sources = Sources {
            content_dir: Path::new(""),
            texts: &texts,
        };
        for format in [DiagnosticFormat::Short, DiagnosticFormat::Human] {
            let out = format_diagnostics(std::slice::from_ref(&diagnostic), format, &sources);
            assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{out:?}");
            assert!(out.contains("a␛[2Kb.md"), "{out:?}");
        }
        assert_eq!(for_terminal("tab\tand line\n"), "tab\tand line\n");
        assert_eq!(for_terminal("csi \u{9b}"), "csi \u{FFFD}");
    }

    fn sources() -> BTreeMap<String, Arc<str>> {
        [(
            "2024/db.md".to_string(),
            Arc::from("---\ntitle: DB\n---\nOwner: TBD, later\n"),
        )]
        .into_iter()
        .collect()
    }

    #[test]
    fn counts_read_as_english() {
        assert_eq!(counted(1, "incident"), "1 incident");
        assert_eq!(counted(0, "error"), "0 errors");
        assert_eq!(counted(12, "open task"), "12 open tasks");
    }

    #[test]
    fn human_output_shows_the_line_and_a_caret() {
        let texts = sources();
        let sources = Sources {
            content_dir: Path::new("content"),
            texts: &texts,
        };
        let d = Diagnostic::warning("2024/db.md", 4, Code::TemplateLeftover, "placeholder `TBD`")
            .at_column(8);
        let text = format_diagnostics(&[d], DiagnosticFormat::Human, &sources);
        assert_eq!(
            text,
            "warning[template-leftover]: placeholder `TBD`\n --> content/2024/db.md:4:8\n  |\n4 | Owner: TBD, later\n  |        ^\n\n"
        );
    }

    #[test]
    fn long_lines_are_cut_around_the_column() {
        let line = format!("{}TBD{}", "a".repeat(200), "b".repeat(200));
        let texts: BTreeMap<String, Arc<str>> = [("x.md".to_string(), Arc::from(line.as_str()))]
            .into_iter()
            .collect();
        let sources = Sources {
            content_dir: Path::new("content"),
            texts: &texts,
        };
        let d = Diagnostic::warning("x.md", 1, Code::TemplateLeftover, "TBD").at_column(201);
        let text = format_diagnostics(&[d], DiagnosticFormat::Human, &sources);
        let lines: Vec<&str> = text.lines().collect();
        let shown = lines[3].trim_start_matches("1 | ");
        let caret = lines[4].trim_start_matches("  | ");
        assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown}");
        assert_eq!(shown.chars().count(), SHOWN_CHARS + 2);
        assert_eq!(
            &shown
                .chars()
                .skip(caret.len() - 1)
                .take(3)
                .collect::<String>(),
            "TBD"
        );
    }

    #[test]
    fn github_commands_escape_what_they_must() {
        let texts = sources();
        let sources = Sources {
            content_dir: Path::new("./content"),
            texts: &texts,
        };
        let d = Diagnostic::error("2024/db.md", 2, Code::DuplicateId, "100% broken,\nreally");
        let text = format_diagnostics(&[d], DiagnosticFormat::Github, &sources);
        assert_eq!(
            text,
            "::error file=content/2024/db.md,line=2,col=1,title=pmsite duplicate-id::100%25 broken,%0Areally\n"
        );
    }

    #[test]
    fn json_is_one_object_per_line() {
        let texts = sources();
        let sources = Sources {
            content_dir: Path::new("content"),
            texts: &texts,
        };
        let d = Diagnostic::warning("2024/db.md", 4, Code::NoTitle, "no title");
        let text = format_diagnostics(&[d.clone(), d], DiagnosticFormat::Json, &sources);
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["file"], "content/2024/db.md");
        assert_eq!(lines[0]["path"], "2024/db.md");
        assert_eq!(lines[0]["severity"], "warning");
        assert_eq!(lines[0]["code"], "no-title");
    }
}
