//! The default theme, compiled into the binary, and file-by-file overrides from a user
//! theme folder (`templates/*.html`, `static/*`).

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use tera::Tera;

use crate::error::{Error, Result};

/// The default theme's templates, by name.
const TEMPLATES: &[(&str, &str)] = &[
    (
        "base.html",
        include_str!("../../themes/default/templates/base.html"),
    ),
    (
        "macros.html",
        include_str!("../../themes/default/templates/macros.html"),
    ),
    (
        "index.html",
        include_str!("../../themes/default/templates/index.html"),
    ),
    (
        "incident.html",
        include_str!("../../themes/default/templates/incident.html"),
    ),
    (
        "404.html",
        include_str!("../../themes/default/templates/404.html"),
    ),
    (
        "incident-card.html",
        include_str!("../../themes/default/templates/incident-card.html"),
    ),
    (
        "incident-row.html",
        include_str!("../../themes/default/templates/incident-row.html"),
    ),
    (
        "taxonomy.html",
        include_str!("../../themes/default/templates/taxonomy.html"),
    ),
    (
        "term.html",
        include_str!("../../themes/default/templates/term.html"),
    ),
    (
        "insights.html",
        include_str!("../../themes/default/templates/insights.html"),
    ),
    (
        "task-row.html",
        include_str!("../../themes/default/templates/task-row.html"),
    ),
    (
        "tasks.html",
        include_str!("../../themes/default/templates/tasks.html"),
    ),
    (
        "task-owners.html",
        include_str!("../../themes/default/templates/task-owners.html"),
    ),
    (
        "owner-list.html",
        include_str!("../../themes/default/templates/owner-list.html"),
    ),
    (
        "search.html",
        include_str!("../../themes/default/templates/search.html"),
    ),
];

/// The default theme's static files, copied to `static/` in the site.
const STATIC_FILES: &[(&str, &[u8])] = &[
    (
        "style.css",
        include_bytes!("../../themes/default/static/style.css"),
    ),
    (
        "tasks.js",
        include_bytes!("../../themes/default/static/tasks.js"),
    ),
    (
        "search.js",
        include_bytes!("../../themes/default/static/search.js"),
    ),
];

/// Compiled templates plus the static files to copy.
pub struct Theme {
    pub tera: Tera,
    /// Path below `static/` -> bytes, sorted.
    pub static_files: BTreeMap<String, Vec<u8>>,
}

impl Theme {
    /// The default theme, with the templates and static files of `overrides` (a theme
    /// folder) replacing the default ones of the same name.
    pub fn load(overrides: Option<&Path>) -> Result<Theme> {
        let mut templates: BTreeMap<String, String> = TEMPLATES
            .iter()
            .map(|(name, text)| (name.to_string(), text.to_string()))
            .collect();
        let mut static_files: BTreeMap<String, Vec<u8>> = STATIC_FILES
            .iter()
            .map(|(name, bytes)| (name.to_string(), bytes.to_vec()))
            .collect();
        if let Some(dir) = overrides {
            if !dir.is_dir() {
                return Err(Error::Theme(format!(
                    "theme folder {} does not exist",
                    dir.display()
                )));
            }
            read_folder(&dir.join("templates"), |name, bytes| {
                let text = String::from_utf8(bytes)
                    .map_err(|_| Error::Theme(format!("template {name} is not UTF-8")))?;
                templates.insert(name, text);
                Ok(())
            })?;
            read_folder(&dir.join("static"), |name, bytes| {
                static_files.insert(name, bytes);
                Ok(())
            })?;
        }
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.set_escape_fn(escape_html);
        tera.register_filter("truncate", truncate);
        tera.add_raw_templates(templates.iter().map(|(n, t)| (n.as_str(), t.as_str())))
            .map_err(|e| Error::Template {
                template: "theme".to_string(),
                message: error_chain(&e),
            })?;
        Ok(Theme { tera, static_files })
    }

    pub fn render(&self, template: &str, context: &tera::Context) -> Result<String> {
        self.tera
            .render(template, context)
            .map_err(|e| Error::Template {
                template: template.to_string(),
                message: error_chain(&e),
            })
    }
}

/// Tera's `truncate` (same arguments, same result) without its cost: the built-in one
/// lists every grapheme of the whole text first, 24 bytes each, so a summary pasted as
/// one 2 MB line took 48 MiB to cut to 300 characters. This stops at `length`.
fn truncate(value: &tera::Value, args: &HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
    use unicode_segmentation::UnicodeSegmentation;
    let text = value.as_str().ok_or_else(|| {
        tera::Error::msg(format!(
            "Filter `truncate` was called on {value}, which is not text"
        ))
    })?;
    let length = match args.get("length") {
        Some(length) => tera::from_value::<usize>(length.clone())
            .map_err(|_| tera::Error::msg("Filter `truncate`: `length` must be a number"))?,
        None => 255,
    };
    let end = match args.get("end") {
        Some(end) => tera::from_value::<String>(end.clone())
            .map_err(|_| tera::Error::msg("Filter `truncate`: `end` must be text"))?,
        None => "…".to_string(),
    };
    Ok(match text.grapheme_indices(true).nth(length) {
        Some((cut, _)) => tera::Value::String(format!("{}{end}", &text[..cut])),
        None => tera::Value::String(text.to_string()),
    })
}

/// Escapes what HTML needs escaped in text and quoted attributes. Tera's default also
/// escapes `/`, which turns every URL in the source into `https:&#x2F;&#x2F;...`.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    // Most text has nothing to escape: copy the runs between special bytes whole.
    let mut copied = 0;
    for (at, byte) in text.bytes().enumerate() {
        let entity = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&text[copied..at]);
        out.push_str(entity);
        copied = at + 1;
    }
    out.push_str(&text[copied..]);
    out
}

/// Every file below `dir`, sorted, by `/`-separated relative name.
fn read_folder(dir: &Path, mut add: impl FnMut(String, Vec<u8>) -> Result<()>) -> Result<()> {
    if !dir.is_dir() {
        return Ok(());
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| Error::Theme(e.to_string()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let relative = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        let name = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        let bytes = std::fs::read(entry.path()).map_err(|e| Error::io(entry.path(), e))?;
        add(name, bytes)?;
    }
    Ok(())
}

/// Tera hides the useful part of an error in its sources.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_the_five_characters_and_keeps_the_rest() {
        assert_eq!(
            escape_html(r#"a<b>&"c"'d' é/ü → https://x/y"#),
            "a&lt;b&gt;&amp;&quot;c&quot;&#39;d&#39; é/ü → https://x/y"
        );
        assert_eq!(escape_html(""), "");
        assert_eq!(escape_html("&"), "&amp;");
        assert_eq!(escape_html("plain"), "plain");
    }

    /// Renders `{{ text | truncate(ARGS) }}` with Tera's own filter and with ours.
    fn both(text: &str, args: &str) -> (String, String) {
        let template = format!("{{{{ text | truncate({args}) }}}}");
        let mut context = tera::Context::new();
        context.insert("text", text);
        let builtin = Tera::one_off(&template, &context, false).unwrap();
        let mut ours = Tera::default();
        ours.register_filter("truncate", truncate);
        ours.add_raw_template("t", &template).unwrap();
        (builtin, ours.render("t", &context).unwrap())
    }

    #[test]
    fn truncate_gives_what_teras_own_filter_gives() {
        let texts = [
            "",
            "abc",
            "The replica fell behind and the queue grew.",
            "e\u{301}te\u{301} cafe\u{301}",
            "🇫🇷🇩🇪👩‍👩‍👧 flags and families",
            "数据库主从切换失败",
        ];
        for text in texts {
            for args in [
                "",
                "length=0",
                "length=1",
                "length=3",
                "length=10",
                "length=5, end=\"...\"",
            ] {
                let (builtin, ours) = both(text, args);
                assert_eq!(ours, builtin, "{text:?} with ({args})");
            }
        }
        let long = "word ".repeat(100_000);
        let (builtin, ours) = both(&long, "length=300");
        assert_eq!(ours, builtin);
    }
}
