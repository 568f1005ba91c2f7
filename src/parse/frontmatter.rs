//! The optional frontmatter at the top of a postmortem: YAML between `---` lines, or
//! TOML between `+++` lines (as Hugo and Zola write it). Values are read leniently: real
//! files spell keys many ways and put lists where strings belong.

mod yaml;

use self::yaml::{Mapping, Value};
use crate::diagnostic::{Code, Diagnostic};

/// Parsed frontmatter: the YAML mapping plus where each top-level key sits.
#[derive(Debug, Default, Clone)]
pub struct Frontmatter {
    mapping: Mapping,
    /// (key, 1-based line in the file) for the top-level keys, in file order.
    key_lines: Vec<(String, usize)>,
}

/// The body after the frontmatter, and the file line the body starts on.
#[derive(Debug)]
pub struct Split<'a> {
    pub frontmatter: Option<Frontmatter>,
    pub body: &'a str,
    /// 1-based line of the file where `body` begins.
    pub body_line: usize,
}

/// Splits `text` into frontmatter and body. Problems are reported: an unclosed block is
/// left in the body as text (nothing is lost), invalid YAML is skipped and the body after
/// it is read as usual.
pub fn split<'a>(path: &str, text: &'a str, diagnostics: &mut Vec<Diagnostic>) -> Split<'a> {
    let no_frontmatter = Split {
        frontmatter: None,
        body: text,
        body_line: 1,
    };
    if let Some(split) = split_toml(path, text, diagnostics) {
        return split;
    }
    let Some(after_open) = text
        .strip_prefix("---")
        .filter(|rest| rest.starts_with('\n') || rest.starts_with("\r\n"))
    else {
        return no_frontmatter;
    };
    let yaml_start = text.len() - after_open.len() + after_open.find('\n').map_or(0, |i| i + 1);
    let yaml_text_and_rest = &text[yaml_start..];

    let close = closing_line(yaml_text_and_rest, |bare| bare == "---" || bare == "...");
    let Some((yaml_end, body_offset)) = close else {
        diagnostics.push(Diagnostic::error(
            path,
            1,
            Code::FrontmatterUnclosed,
            "frontmatter starts with `---` but has no closing `---` line; read as text",
        ));
        return no_frontmatter;
    };
    let yaml = &yaml_text_and_rest[..yaml_end];
    let body = &yaml_text_and_rest[body_offset..];
    let body_line = 1 + text[..yaml_start + body_offset].matches('\n').count();

    let frontmatter = match yaml::parse(yaml) {
        Ok(yaml::Document {
            value: Value::Mapping(mapping),
            key_lines,
        }) => Some(Frontmatter {
            mapping,
            // The YAML's first line is the file's second (after `---`).
            key_lines: key_lines
                .into_iter()
                .map(|(key, line)| (key, line + 1))
                .collect(),
        }),
        Ok(yaml::Document {
            value: Value::Null, ..
        }) => Some(Frontmatter::default()),
        Ok(_) => {
            diagnostics.push(Diagnostic::error(
                path,
                2,
                Code::FrontmatterInvalid,
                "frontmatter is not a mapping of `key: value` lines; ignored",
            ));
            None
        }
        Err(error) => {
            let (line, column) = error.at.unwrap_or((0, 1));
            let message = error.message;
            diagnostics.push(
                Diagnostic::error(
                    path,
                    1 + line,
                    Code::FrontmatterInvalid,
                    format!("invalid frontmatter YAML: {message}"),
                )
                .at_column(column),
            );
            None
        }
    };
    Split {
        frontmatter,
        body,
        body_line,
    }
}

/// `+++` TOML frontmatter, read into the same mapping as YAML's (dates become text).
/// `None` when the file does not start with `+++`.
fn split_toml<'a>(
    path: &str,
    text: &'a str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Split<'a>> {
    let after_open = text
        .strip_prefix("+++")
        .filter(|rest| rest.starts_with('\n') || rest.starts_with("\r\n"))?;
    let toml_start = text.len() - after_open.len() + after_open.find('\n').map_or(0, |i| i + 1);
    let rest = &text[toml_start..];
    let Some((toml_end, body_offset)) = closing_line(rest, |bare| bare == "+++") else {
        diagnostics.push(Diagnostic::error(
            path,
            1,
            Code::FrontmatterUnclosed,
            "frontmatter starts with `+++` but has no closing `+++` line; read as text",
        ));
        return Some(Split {
            frontmatter: None,
            body: text,
            body_line: 1,
        });
    };
    let source = &rest[..toml_end];
    let body = &rest[body_offset..];
    let body_line = 1 + text[..toml_start + body_offset].matches('\n').count();
    let frontmatter = match source.parse::<toml::Table>() {
        Ok(table) => {
            let mapping = table
                .into_iter()
                .map(|(key, value)| (Value::String(key), toml_to_yaml(value)))
                .collect();
            Some(Frontmatter {
                mapping,
                key_lines: toml_key_lines(source),
            })
        }
        Err(error) => {
            let at = error.span().map_or(0, |span| span.start);
            let line = 1 + source[..at.min(source.len())].matches('\n').count();
            let column = 1 + source[..at.min(source.len())]
                .rsplit('\n')
                .next()
                .map_or(0, |l| l.chars().count());
            let message = error.message().lines().next().unwrap_or("").to_string();
            diagnostics.push(
                Diagnostic::error(
                    path,
                    1 + line,
                    Code::FrontmatterInvalid,
                    format!("invalid frontmatter TOML: {message}"),
                )
                .at_column(column),
            );
            None
        }
    };
    Some(Split {
        frontmatter,
        body,
        body_line,
    })
}

/// Where the line that closes a frontmatter block starts and ends in `text`.
fn closing_line(text: &str, closes: impl Fn(&str) -> bool) -> Option<(usize, usize)> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if closes(line.trim_end()) {
            return Some((offset, offset + line.len()));
        }
        offset += line.len();
    }
    None
}

fn toml_to_yaml(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::Number(yaml::Number::from(i)),
        toml::Value::Float(f) => Value::Number(yaml::Number::Float(f)),
        toml::Value::Boolean(b) => Value::Bool(b),
        // `date = 2024-06-07T10:30:00Z` is a TOML date; the readers take text.
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Sequence(items.into_iter().map(toml_to_yaml).collect()),
        toml::Value::Table(table) => Value::Mapping(
            table
                .into_iter()
                .map(|(k, v)| (Value::String(k), toml_to_yaml(v)))
                .collect(),
        ),
    }
}

/// Where each top-level `key = value` sits (before the first `[table]`), 1-based in
/// the file (the `+++` line is line 1).
fn toml_key_lines(source: &str) -> Vec<(String, usize)> {
    source
        .lines()
        .enumerate()
        .take_while(|(_, line)| !line.trim_start().starts_with('['))
        .filter_map(|(i, line)| {
            let (key, _) = line.split_once('=')?;
            let key = key.trim().trim_matches(['"', '\'']);
            (!key.is_empty() && !key.starts_with('#')).then(|| (key.to_lowercase(), i + 2))
        })
        .collect()
}

/// A frontmatter value turned into text, with the line its key is on.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub key: String,
    pub value: String,
    pub line: usize,
}

/// The frontmatter fields pmsite reads, by their first name; `[frontmatter] aliases` in
/// the site config map other keys onto these.
pub const FIELDS: [&str; 11] = [
    "id",
    "title",
    "summary",
    "start",
    "end",
    "duration",
    "timezone",
    "severity",
    "services",
    "tags",
    "root_cause",
];

impl Frontmatter {
    /// Copies each aliased key (`opened_at`) to the field it means (`start`), unless
    /// the file also writes that field: what the file says under pmsite's own name wins.
    pub fn apply_aliases(&mut self, aliases: &[(String, String)]) {
        for (alias, field) in aliases {
            let Some((key, value)) = self
                .lookup(&[alias.as_str()])
                .map(|(k, v)| (k.to_string(), v.clone()))
            else {
                continue;
            };
            if self.lookup(&[field.as_str()]).is_some() {
                continue;
            }
            let line = self.line_of(&key.to_lowercase());
            self.mapping.insert(Value::String(field.clone()), value);
            self.key_lines.push((field.clone(), line));
        }
    }

    /// The line of a key, or 1 when unknown.
    pub fn line_of(&self, key: &str) -> usize {
        self.key_lines
            .iter()
            .find(|(k, _)| k == key)
            .map_or(1, |(_, line)| *line)
    }

    fn lookup(&self, keys: &[&str]) -> Option<(&str, &Value)> {
        keys.iter().find_map(|key| {
            self.mapping.iter().find_map(|(k, v)| {
                let k = k.as_str()?;
                let same =
                    k.eq_ignore_ascii_case(key) || k.replace('-', "_").eq_ignore_ascii_case(key);
                (same && !v.is_null()).then_some((k, v))
            })
        })
    }

    /// Whether the file writes `key` with a value.
    pub fn has(&self, key: &str) -> bool {
        self.lookup(&[key]).is_some()
    }

    /// The page of a blog or site generator (`layout: post`, `template: post.html`):
    /// its `tags` and `categories` file it by topic ("update", "cocoapods"), not by cause.
    pub fn is_blog_page(&self) -> bool {
        self.has("layout") || self.has("template")
    }

    /// The first of `keys` that is present, as text. A list where text belongs is joined
    /// with a warning.
    pub fn text(
        &self,
        keys: &[&str],
        path: &str,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<Field> {
        let (key, value) = self.lookup(keys)?;
        let line = self.line_of(&key.to_lowercase());
        let value = match scalar_text(value) {
            Some(text) => text,
            None => {
                let items = list_text(value);
                if items.is_empty() {
                    diagnostics.push(Diagnostic::warning(
                        path,
                        line,
                        Code::FrontmatterType,
                        format!("frontmatter `{key}` should be text; ignored"),
                    ));
                    return None;
                }
                diagnostics.push(Diagnostic::warning(
                    path,
                    line,
                    Code::FrontmatterType,
                    format!("frontmatter `{key}` is a list where text was expected; joined"),
                ));
                items.join(", ")
            }
        };
        let value = value.trim().to_string();
        // `severity: TBD` is a blank left in the template (reported as such), not a value.
        (!value.is_empty() && !super::text::is_placeholder(&value)).then(|| Field {
            key: key.to_string(),
            value,
            line,
        })
    }

    /// The first of `keys` that is present, as a list of texts (a single text becomes a
    /// one-item list; a comma-separated text is split).
    pub fn list(&self, keys: &[&str]) -> Vec<String> {
        let Some((_, value)) = self.lookup(keys) else {
            return Vec::new();
        };
        let items = match scalar_text(value) {
            Some(text) => text.split(',').map(str::to_string).collect(),
            None => list_text(value),
        };
        items
            .into_iter()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty() && !super::text::is_placeholder(s))
            .collect()
    }
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Tagged(tagged) => scalar_text(tagged),
        _ => None,
    }
}

fn list_text(value: &Value) -> Vec<String> {
    match value {
        Value::Sequence(items) => items.iter().filter_map(scalar_text).collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_frontmatter_and_counts_body_line() {
        let mut diagnostics = Vec::new();
        let text = "---\ntitle: DB down\nservices: [api, db]\n---\n# Heading\n";
        let split = split("a.md", text, &mut diagnostics);
        let fm = split.frontmatter.unwrap();
        assert_eq!(split.body, "# Heading\n");
        assert_eq!(split.body_line, 5);
        assert_eq!(
            fm.text(&["title"], "a.md", &mut diagnostics).unwrap().value,
            "DB down"
        );
        assert_eq!(fm.list(&["services"]), ["api", "db"]);
        assert_eq!(fm.line_of("services"), 3);
        assert!(diagnostics.is_empty());
    }

    #[test]
    fn toml_frontmatter_reads_like_yaml() {
        let mut diagnostics = Vec::new();
        let text = "+++\ntitle = \"DB down\"\ndate = 2024-06-07T10:30:00Z\n\
                    tags = [\"db\", \"disk\"]\n\n[extra]\nowner = \"sre\"\n+++\n# Heading\n";
        let split = split("a.md", text, &mut diagnostics);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(split.body, "# Heading\n");
        assert_eq!(split.body_line, 9);
        let fm = split.frontmatter.unwrap();
        let date = fm.text(&["date"], "a.md", &mut diagnostics).unwrap();
        assert_eq!(
            (date.value.as_str(), date.line),
            ("2024-06-07T10:30:00Z", 3)
        );
        assert_eq!(fm.list(&["tags"]), ["db", "disk"]);

        let bad = super::split(
            "b.md",
            "+++\ntitle = \"x\"\ndate = \n+++\nbody\n",
            &mut diagnostics,
        );
        assert!(bad.frontmatter.is_none());
        assert_eq!(bad.body, "body\n");
        assert_eq!(diagnostics[0].code, Code::FrontmatterInvalid);
        assert_eq!(diagnostics[0].line, 3, "{:?}", diagnostics[0]);
        assert!(diagnostics[0].message.contains("TOML"));
    }

    #[test]
    fn key_lines_come_from_the_parser() {
        let mut diagnostics = Vec::new();
        // A key-like line inside quoted text is not a key; flow and quoted keys are.
        let text = "---\nsummary: \"one\n  title: fake\"\n\"title\": real\n{}\n---\n";
        let text = text
            .replace("{}", "{tags: [a]}")
            .replace("\n{tags", "\nx: {tags");
        let fm = split("a.md", &text, &mut diagnostics).frontmatter.unwrap();
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(fm.line_of("title"), 4);
        assert_eq!(fm.line_of("x"), 5);
        assert_eq!(fm.line_of("tags"), 1, "nested keys are not placed");
    }

    #[test]
    fn yaml_values_read_as_before() {
        let mut diagnostics = Vec::new();
        let text = "---\nid: 007\nseverity: 1.50\nservices: 0x1F\nsummary: !note text\n---\n";
        let fm = split("a.md", text, &mut diagnostics).frontmatter.unwrap();
        let text_of = |key: &str| fm.text(&[key], "a.md", &mut Vec::new()).unwrap().value;
        assert_eq!(text_of("id"), "007");
        assert_eq!(text_of("severity"), "1.5");
        assert_eq!(text_of("services"), "31");
        assert_eq!(text_of("summary"), "text");

        let duplicate = split("b.md", "---\ntitle: a\ntitle: b\n---\n", &mut diagnostics);
        assert!(duplicate.frontmatter.is_none());
        assert_eq!(
            diagnostics[0].message,
            "invalid frontmatter YAML: duplicate entry with key \"title\""
        );
    }

    #[test]
    fn no_frontmatter_keeps_everything() {
        let mut diagnostics = Vec::new();
        let split = split("a.md", "#Issue Summary\n---\n", &mut diagnostics);
        assert!(split.frontmatter.is_none());
        assert_eq!(split.body_line, 1);
    }

    #[test]
    fn invalid_yaml_reports_the_file_line() {
        let mut diagnostics = Vec::new();
        let split = split(
            "a.md",
            "---\ntitle: ok\ntags: [a, b\n---\nbody\n",
            &mut diagnostics,
        );
        assert!(split.frontmatter.is_none());
        assert_eq!(split.body, "body\n");
        assert_eq!(diagnostics.len(), 1);
        assert!(diagnostics[0].line >= 3, "{:?}", diagnostics[0]);
        assert!(diagnostics[0]
            .message
            .starts_with("invalid frontmatter YAML"));
    }

    #[test]
    fn unclosed_frontmatter_is_an_error_and_kept_as_text() {
        let mut diagnostics = Vec::new();
        let split = split("a.md", "---\ntitle: x\n\nbody\n", &mut diagnostics);
        assert!(split.frontmatter.is_none());
        assert!(split.body.contains("title: x"));
        assert_eq!(diagnostics[0].code, Code::FrontmatterUnclosed);
    }

    #[test]
    fn a_list_where_text_belongs_is_joined_with_a_warning() {
        let mut diagnostics = Vec::new();
        let split = split(
            "a.md",
            "---\ntitle:\n  - one\n  - two\n---\n",
            &mut diagnostics,
        );
        let title = split
            .frontmatter
            .unwrap()
            .text(&["title"], "a.md", &mut diagnostics)
            .unwrap();
        assert_eq!(title.value, "one, two");
        assert_eq!(diagnostics[0].code, Code::FrontmatterType);
    }
}
