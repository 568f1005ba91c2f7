//! The optional site config, `pmsite.toml`: every option has a default, and an unknown
//! key is an error that names its line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::FixedOffset;
use serde::Deserialize;

use crate::error::{Error, Result};
use crate::parse::dates::parse_zone;
use crate::parse::span::LineIndex;

/// The name pmsite looks for in the current folder when `--config` is not given.
pub const CONFIG_FILE: &str = "pmsite.toml";

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// The archive's name, shown in the header and the page titles.
    pub title: String,
    /// One line under the title on the home page.
    pub description: String,
    /// Where the site is published, e.g. `https://example.com/postmortems/`. Empty means
    /// links are relative, so the output also works when opened from disk.
    pub base_url: String,
    /// The folder of postmortems, relative to the config file.
    pub content_dir: PathBuf,
    /// The folder the site is written to, relative to the config file.
    pub output_dir: PathBuf,
    /// A folder whose templates and static files override the default theme's.
    pub theme: Option<PathBuf>,
    /// The zone assumed for times written without one: `UTC`, `+02:00`, `EST`, ...
    pub timezone: String,
    /// File-name patterns (globs) of files in the content folder that are not postmortems.
    pub ignore: Vec<String>,
    /// File extensions read as postmortems (`md`, `qmd`, ...), without the dot; case is
    /// ignored. Every other file is an attachment.
    pub extensions: Vec<String>,
    /// A link to each postmortem's source, with `{path}` replaced by its path in the
    /// content folder. Empty means pmsite links to a copy of the source in the site.
    pub source_url: String,
    /// Extra section titles, mapped to what they are: `"what went wrong" = "root_cause"`.
    pub aliases: BTreeMap<String, String>,
    /// Extra date formats (chrono `strftime` patterns such as `"%d.%m.%Y %H:%M"`), tried
    /// first on dates in frontmatter and in `Start:`-style lines.
    pub date_formats: Vec<String>,
    /// Incidents per page on tag, service, severity and year pages.
    pub paginate: usize,
    /// Root-cause tag inference and spelling.
    pub tags: TagsConfig,
    /// The task dashboard: what counts as due soon, and implied due dates.
    pub tasks: TasksConfig,
    /// Build the search index, the search box and the search page.
    pub search: bool,
    /// Files larger than this many bytes are skipped with a `file-too-large` error, so
    /// one pasted log cannot make a build take minutes or gigabytes.
    pub max_file_size: u64,
    /// What raw HTML in a postmortem becomes: sanitised (the default), escaped (shown as
    /// text) or passed through as written (for archives whose authors are all trusted).
    pub raw_html: RawHtml,
    /// Sections every postmortem must have (`summary`, `impact`, `root_cause`, ...):
    /// a file without one gets a `missing-section` error.
    pub required_sections: Vec<String>,
    /// Diagnostic code -> `error`, `warning`, `note` or `off`.
    pub rules: BTreeMap<String, String>,
    /// How the archive's frontmatter names pmsite's fields.
    pub frontmatter: FrontmatterConfig,
}

/// `[frontmatter]`: the archive's own frontmatter keys.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FrontmatterConfig {
    /// Key written in the files -> the field it means: `opened_at = "start"`.
    pub aliases: BTreeMap<String, String>,
}

/// 4 MiB: a hundred times the largest postmortem in the sample corpus.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 4 * 1024 * 1024;

/// `raw_html`: what HTML written inside markdown becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RawHtml {
    /// Kept, minus anything that could run or restyle the page (ammonia).
    #[default]
    Sanitize,
    /// Shown as text.
    Escape,
    /// Passed through as written: only for archives whose authors are all trusted.
    Allow,
}

/// `[tasks]`: the open-task dashboard.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TasksConfig {
    /// Open tasks due within this many days of the build's date are "due soon".
    pub due_soon_days: u32,
    /// Severity -> days after the incident: the implied due date of a task with none
    /// written. `default` covers the severities not listed. Empty: no implied dates.
    pub due_after: BTreeMap<String, u32>,
}

impl Default for TasksConfig {
    fn default() -> Self {
        TasksConfig {
            due_soon_days: 14,
            due_after: BTreeMap::new(),
        }
    }
}

/// `[tags]`: extra rules for inferring root-cause tags, or a replacement for the default
/// table, and synonyms.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TagsConfig {
    /// When true, only `rules` infer tags; the built-in taxonomy is not used.
    pub replace_defaults: bool,
    /// Tag -> words or phrases in the root-cause text that imply it.
    pub rules: BTreeMap<String, Vec<String>>,
    /// Spelling -> the tag it means: `db = "database"`.
    pub synonyms: BTreeMap<String, String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "Postmortems".to_string(),
            description: String::new(),
            base_url: String::new(),
            content_dir: PathBuf::from("content"),
            output_dir: PathBuf::from("public"),
            theme: None,
            timezone: "UTC".to_string(),
            ignore: vec![
                "README*".to_string(),
                "_*".to_string(),
                "template*".to_string(),
            ],
            extensions: crate::walk::EXTENSIONS.map(String::from).to_vec(),
            source_url: String::new(),
            aliases: BTreeMap::new(),
            date_formats: Vec::new(),
            paginate: 50,
            tags: TagsConfig::default(),
            tasks: TasksConfig::default(),
            search: true,
            raw_html: RawHtml::Sanitize,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            required_sections: Vec::new(),
            rules: BTreeMap::new(),
            frontmatter: FrontmatterConfig::default(),
        }
    }
}

/// Whether `url` can be the site's base URL: empty (relative links), an `http://` or
/// `https://` address with a host, or a path from the server's root (`/pm/`). Anything
/// else (`javascript:`, `//host`, a line break that would inject a line into
/// `tasks.ics`) is refused, with why.
pub fn check_base_url(url: &str) -> std::result::Result<(), String> {
    let url = url.trim();
    if url.is_empty() {
        return Ok(());
    }
    if url.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(format!(
            "base URL `{}` holds a space, a line break or a control character",
            url.escape_default()
        ));
    }
    let lower = url.to_ascii_lowercase();
    let host = ["https://", "http://"]
        .iter()
        .find_map(|scheme| lower.strip_prefix(scheme));
    match host {
        Some(rest) if !rest.is_empty() && !rest.starts_with('/') => Ok(()),
        Some(_) => Err(format!("base URL `{url}` names no host")),
        None if url.starts_with('/') && !url.starts_with("//") => Ok(()),
        None => Err(format!(
            "base URL `{url}` must start with https://, http:// or / (a path from the server's root)"
        )),
    }
}

impl Config {
    /// Reads and checks a config file. Paths in it are made relative to its folder.
    pub fn load(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let mut config = Config::parse(path, &text)?;
        let base = path.parent().unwrap_or(Path::new(""));
        config.content_dir = base.join(&config.content_dir);
        config.output_dir = base.join(&config.output_dir);
        config.theme = config.theme.map(|theme| base.join(theme));
        Ok(config)
    }

    /// Parses config text; `path` is only used in error messages.
    pub fn parse(path: &Path, text: &str) -> Result<Config> {
        let lines = LineIndex::new(text);
        let config_error = |offset: usize, message: String| {
            let (line, column) = lines.line_column(offset);
            Error::Config {
                path: path.to_path_buf(),
                line,
                column,
                message,
            }
        };
        let config: Config = toml::from_str(text).map_err(|e| {
            let offset = e.span().map_or(0, |span| span.start);
            config_error(offset, e.message().trim().to_string())
        })?;
        let key_offset = |key: &str| text.find(key).unwrap_or(0);
        if parse_zone(&config.timezone).is_none() {
            return Err(config_error(
                key_offset("timezone"),
                format!(
                    "unknown timezone `{}`: use UTC, an offset like +02:00, or an abbreviation like EST",
                    config.timezone
                ),
            ));
        }
        for (title, section) in &config.aliases {
            if crate::model::section::SectionKind::from_name(section).is_none() {
                return Err(config_error(
                    key_offset(title),
                    format!(
                        "alias `{title}` maps to unknown section `{section}`; known: {}",
                        crate::model::section::SectionKind::NAMES.join(", ")
                    ),
                ));
            }
        }
        for (alias, field) in &config.frontmatter.aliases {
            if !crate::parse::frontmatter::FIELDS.contains(&field.as_str()) {
                return Err(config_error(
                    key_offset(alias),
                    format!(
                        "frontmatter alias `{alias}` maps to unknown field `{field}`; known: {}",
                        crate::parse::frontmatter::FIELDS.join(", ")
                    ),
                ));
            }
        }
        if let Err(message) = crate::parse::tags::TagRules::new(
            &config.tags.rules,
            config.tags.replace_defaults,
            &config.tags.synonyms,
        ) {
            return Err(config_error(key_offset("[tags"), message));
        }
        if let Err(message) = check_base_url(&config.base_url) {
            return Err(config_error(key_offset("base_url"), message));
        }
        if config.paginate == 0 {
            return Err(config_error(
                key_offset("paginate"),
                "`paginate` must be at least 1".to_string(),
            ));
        }
        for format in &config.date_formats {
            if chrono::format::StrftimeItems::new(format)
                .any(|item| matches!(item, chrono::format::Item::Error))
            {
                return Err(config_error(
                    key_offset(format),
                    format!("`{format}` is not a valid date format (see chrono's strftime)"),
                ));
            }
        }
        if let Some((severity, _)) = config.tasks.due_after.iter().find(|(_, &d)| d > 36_500) {
            return Err(config_error(
                key_offset(severity),
                format!(
                    "`{severity}`: a due date more than 100 years after the incident is a typo"
                ),
            ));
        }
        for (code, level) in &config.rules {
            if code.parse::<crate::diagnostic::Code>().is_err() {
                return Err(config_error(
                    key_offset(code),
                    format!(
                        "rule `{code}` is not a diagnostic code; known: {}",
                        crate::diagnostic::Code::ALL
                            .map(crate::diagnostic::Code::as_str)
                            .join(", ")
                    ),
                ));
            }
            if crate::diagnostic::Level::parse(level).is_none() {
                return Err(config_error(
                    key_offset(code),
                    format!(
                        "rule `{code}` must be \"error\", \"warning\", \"note\" or \"off\", not `{level}`"
                    ),
                ));
            }
        }
        for section in &config.required_sections {
            if crate::model::section::SectionKind::from_name(section).is_none() {
                return Err(config_error(
                    key_offset("required_sections"),
                    format!(
                        "required section `{section}` is not a section pmsite knows; known: {}",
                        crate::model::section::SectionKind::NAMES.join(", ")
                    ),
                ));
            }
        }
        if let Err(e) = crate::walk::IgnoreList::new(&config.ignore) {
            return Err(config_error(key_offset("ignore"), e));
        }
        if let Err(e) = crate::walk::check_extensions(&config.extensions) {
            return Err(config_error(key_offset("extensions"), e));
        }
        Ok(config)
    }

    /// The levels `[rules]` gives, with `strict` from the command line.
    pub fn rules(&self, strict: bool) -> crate::diagnostic::Rules {
        crate::diagnostic::Rules {
            levels: self
                .rules
                .iter()
                .filter_map(|(code, level)| {
                    Some((code.parse().ok()?, crate::diagnostic::Level::parse(level)?))
                })
                .collect(),
            strict,
        }
    }

    /// The zone assumed for times written without one.
    pub fn default_offset(&self) -> FixedOffset {
        parse_zone(&self.timezone).unwrap_or_else(|| FixedOffset::east_opt(0).unwrap())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_base_url_is_an_http_address_or_a_path() {
        for good in [
            "",
            "https://pm.example.com/",
            "http://localhost:8080/pm",
            "/pm/",
            "HTTPS://X.example",
        ] {
            assert!(check_base_url(good).is_ok(), "{good}");
        }
        for bad in [
            "javascript:alert(1)//",
            "//evil.example/",
            "https://",
            "https:///x",
            "ftp://x/",
            "pm/",
            "https://x/\r\nX-Injected: 1",
            "https://x/ y",
        ] {
            assert!(check_base_url(bad).is_err(), "{bad}");
        }
        let err = Config::parse(
            Path::new("pmsite.toml"),
            "title = \"x\"\nbase_url = \"javascript:alert(1)\"\n",
        )
        .unwrap_err();
        assert!(err.to_string().contains("pmsite.toml:2:1"), "{err}");
    }

    #[test]
    fn frontmatter_aliases_must_name_a_field() {
        let ok = Config::parse(
            Path::new("pmsite.toml"),
            "[frontmatter.aliases]\nopened_at = \"start\"\n",
        )
        .unwrap();
        assert_eq!(ok.frontmatter.aliases["opened_at"], "start");
        let error = Config::parse(
            Path::new("pmsite.toml"),
            "title = \"x\"\n[frontmatter]\naliases = { opened_at = \"begins\" }\n",
        )
        .unwrap_err()
        .to_string();
        assert!(error.starts_with("pmsite.toml:3:"), "{error}");
        assert!(error.contains("unknown field `begins`"), "{error}");
    }

    #[test]
    fn empty_config_gives_defaults() {
        let config = Config::parse(Path::new("pmsite.toml"), "").unwrap();
        assert_eq!(config.title, "Postmortems");
        assert_eq!(config.timezone, "UTC");
        assert_eq!(config.ignore, ["README*", "_*", "template*"]);
        assert_eq!(config.extensions, ["md", "markdown", "txt"]);
    }

    #[test]
    fn extensions_are_names_without_a_dot() {
        let ok = Config::parse(Path::new("p.toml"), "extensions = [\"md\", \"qmd\"]\n").unwrap();
        assert_eq!(ok.extensions, ["md", "qmd"]);
        let text = "title = \"Ops\"\nextensions = [\"md\", \".qmd\"]\n";
        let err = Config::parse(Path::new("p.toml"), text).unwrap_err();
        assert_eq!(
            err.to_string(),
            "p.toml:2:1: extension `.qmd` must be written without a dot: `qmd`"
        );
        let err = Config::parse(Path::new("p.toml"), "extensions = []\n").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("p.toml:1:1: `extensions` is empty"),
            "{err}"
        );
        let err = Config::parse(Path::new("p.toml"), "extensions = [\"a/md\"]\n").unwrap_err();
        assert!(err.to_string().contains("`a/md`"), "{err}");
    }

    #[test]
    fn unknown_key_names_its_line() {
        let text = "title = \"Ops\"\n\ntitel = \"typo\"\n";
        let err = Config::parse(Path::new("pmsite.toml"), text).unwrap_err();
        let message = err.to_string();
        assert!(
            message.starts_with("pmsite.toml:3:1: unknown field `titel`"),
            "{message}"
        );
    }

    #[test]
    fn bad_timezone_is_an_error() {
        let err = Config::parse(Path::new("p.toml"), "timezone = \"Mars/Olympus\"\n").unwrap_err();
        assert!(
            err.to_string().contains("unknown timezone `Mars/Olympus`"),
            "{err}"
        );
    }

    #[test]
    fn date_formats_are_checked() {
        let ok =
            Config::parse(Path::new("p.toml"), "date_formats = [\"%d.%m.%Y %H:%M\"]\n").unwrap();
        assert_eq!(ok.date_formats, ["%d.%m.%Y %H:%M"]);
        let err = Config::parse(Path::new("p.toml"), "date_formats = [\"%Q\"]\n").unwrap_err();
        assert!(
            err.to_string().contains("`%Q` is not a valid date format"),
            "{err}"
        );
    }

    #[test]
    fn alias_must_name_a_known_section() {
        let text = "[aliases]\n\"what broke\" = \"rootcause\"\n";
        let err = Config::parse(Path::new("p.toml"), text).unwrap_err();
        assert!(err.to_string().starts_with("p.toml:2:"), "{err}");
    }
}
