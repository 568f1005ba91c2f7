//! Files for authors: `pmsite new` writes a postmortem from the template, `pmsite init`
//! a new archive. Neither ever replaces a file that exists.

use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};

use crate::error::{Error, Result};
use crate::model::slug::slugify;
use crate::pipeline::BuildOptions;

/// The default template: the sections pmsite reads best, each with a hint. `{id}`,
/// `{title}` and `{date}` are filled in; the `TBD`s are left for the author, and a build
/// reports each one left (`template-leftover`) until it is replaced.
pub const DEFAULT_TEMPLATE: &str = "---
id: {id}
title: \"{title}\"
date: {date}
severity: TBD
services: []
tags: []
---
# {title}

## Summary

TBD: two or three sentences a reader outside the team understands.

## Impact

TBD: who was affected, how many (users, requests, orders, money), for how long.

## Duration

Start: {date} HH:mm UTC
End: {date} HH:mm UTC

## Root cause

TBD: what failed and why, as specifically as you can.

## Timeline

All times UTC.

- HH:mm TBD: what happened first
- HH:mm TBD: when it was detected, and how
- HH:mm TBD: when service was restored

## Resolution

TBD: what stopped the impact.

## Action items

- [ ] TBD. Owner: @name. Due: YYYY-MM-DD
";

/// Where `new` looks for a site's own template, in the content folder; builds skip it
/// (names starting with `_` are ignored).
pub const TEMPLATE_FILE: &str = "_template.md";

/// The postmortem `init` puts in `content/`: short, but with every fact pmsite reads.
const EXAMPLE: &str = "---
id: {id}
title: \"Checkout errors after a config push\"
severity: SEV-2
services: [checkout, payments]
tags: [config]
---
# Checkout errors after a config push

## Summary

A configuration push turned off connection pooling for the payments client, and
checkout failed for a third of customers for 42 minutes.

## Impact

About 35% of checkout attempts failed with HTTP 502 between 14:05 and 14:47 UTC;
roughly 1,200 orders were not placed.

## Duration

Start: {date} 14:05 UTC
End: {date} 14:47 UTC

## Root cause

The payments client's pool size was read from a new config key that the push left
empty, which the client treats as \"no pooling\".

## Timeline

- 14:05 Config push reaches all checkout hosts.
- 14:09 Alert: checkout error rate above 5%.
- 14:31 On-call engineer finds the empty pool setting.
- 14:47 Config rolled back; error rate back to normal.

## Action items

- [ ] Reject empty values for required config keys in CI. Owner: @alice. Due: {date}
- [x] Roll back the config push. Owner: @bob
";

/// The id for a new postmortem: `inc-<year>-<n>`, one past the highest of that year in
/// the archive, three digits at least.
pub fn next_id(existing: &[String], today: NaiveDate) -> String {
    let prefix = format!("inc-{}-", today.year());
    let highest = existing
        .iter()
        .filter_map(|id| id.strip_prefix(&prefix)?.parse::<u32>().ok())
        .max()
        .unwrap_or(0);
    format!("{prefix}{:03}", highest + 1)
}

/// Fills a template's `{id}`, `{title}` and `{date}`.
pub fn fill_template(template: &str, id: &str, title: &str, today: NaiveDate) -> String {
    template
        .replace("{id}", id)
        .replace("{title}", &title.replace('"', "'"))
        .replace("{date}", &crate::model::moment::iso_date(today))
}

/// `pmsite new`: a postmortem in the content folder from the site's template (else the
/// built-in one), with the id after the highest of this year in use. Returns its path
/// and its id.
pub fn new_in_archive(options: &BuildOptions, title: &str) -> Result<(PathBuf, String)> {
    let content_dir = &options.config.content_dir;
    let template = std::fs::read_to_string(content_dir.join(TEMPLATE_FILE))
        .unwrap_or_else(|_| DEFAULT_TEMPLATE.to_string());
    let id = next_id(&ids_in_use(options)?, options.today);
    let path = new_postmortem(content_dir, title, &id, options.today, &template)?;
    Ok((path, id))
}

/// The ids of the archive's postmortems; none while the content folder does not exist.
pub fn ids_in_use(options: &BuildOptions) -> Result<Vec<String>> {
    if !options.config.content_dir.is_dir() {
        return Ok(Vec::new());
    }
    let (archive, _) = crate::pipeline::load_archive(options)?;
    Ok(archive.incidents.into_iter().map(|i| i.id).collect())
}

/// Writes a new postmortem into `content_dir` as `<date>-<slug>.md` and returns its
/// path. An existing file is never replaced.
pub fn new_postmortem(
    content_dir: &Path,
    title: &str,
    id: &str,
    today: NaiveDate,
    template: &str,
) -> Result<PathBuf> {
    if title.trim().is_empty() {
        return Err(Error::EmptyTitle);
    }
    let name = format!(
        "{}-{}.md",
        crate::model::moment::iso_date(today),
        slugify(title)
    );
    let path = content_dir.join(name);
    std::fs::create_dir_all(content_dir).map_err(|e| Error::io(content_dir, e))?;
    write_new(&path, &fill_template(template, id, title.trim(), today))?;
    Ok(path)
}

/// Creates `path` with `text`; an existing file is an error, never replaced (the check
/// and the creation are one step, so a race cannot clobber a file either).
fn write_new(path: &Path, text: &str) -> Result<()> {
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                Error::FileExists(path.to_path_buf())
            } else {
                Error::io(path, e)
            }
        })?;
    file.write_all(text.as_bytes())
        .map_err(|e| Error::io(path, e))
}

/// `pmsite.toml` as `init` writes it: every option, commented out, at its default.
pub const CONFIG_TEMPLATE: &str = r#"# pmsite.toml: the site's settings. Every option is shown at its default, commented
# out; see the user guide's "Configuration" chapter.

# title = "Postmortems"
# description = ""
# base_url = ""                   # e.g. "https://example.com/postmortems/"
# content_dir = "content"
# output_dir = "public"
# theme = "my-theme"              # a folder overriding the default theme's files
# timezone = "UTC"                # assumed for times written without a zone
# ignore = ["README*", "_*", "template*"]
# extensions = ["md", "markdown", "txt"]  # files read as postmortems; add "qmd", "Rmd", "mdx", ...
# source_url = ""                 # e.g. "https://github.com/org/repo/blob/main/content/{path}"
# date_formats = []               # e.g. ["%d.%m.%Y %H:%M"]
# paginate = 50
# search = true
# max_file_size = 4194304        # bytes; larger files are skipped with an error
# raw_html = "sanitize"           # or "escape" (show as text), "allow" (trusted authors only)
# required_sections = []          # e.g. ["impact", "root_cause"]

# [aliases]                       # extra section titles: "what went wrong" = "root_cause"

# [frontmatter]
# aliases = {}                    # e.g. { opened_at = "start", closed_at = "end" }

# [tags]
# replace_defaults = false
# rules = {}                      # e.g. { kafka = ["kafka", "consumer lag"] }
# synonyms = {}                   # e.g. { db = "database" }

# [tasks]
# due_soon_days = 14
# due_after = {}                  # e.g. { SEV1 = 15, SEV2 = 30, default = 60 }

# [rules]                         # diagnostic code = "error" | "warning" | "off"
# template-leftover = "warning"
"#;

/// The CI workflow `init` writes: check on pull requests with annotations, build and
/// publish to GitHub Pages from main.
pub const WORKFLOW_TEMPLATE: &str = r#"name: postmortems
on:
  pull_request:
  push:
    branches: [main]
permissions:
  contents: read
  pages: write
  id-token: write
jobs:
  site:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: dtolnay/rust-toolchain@stable
      - uses: actions/cache@v4
        with:
          path: ~/.cargo
          key: pmsite-${{ runner.os }}
      - run: cargo install pmsite --locked
      - name: Check (problems show on the pull request's lines)
        run: pmsite check --format github
      - name: Build
        run: pmsite build --base-url "https://${{ github.repository_owner }}.github.io/${{ github.event.repository.name }}/"
      - uses: actions/upload-pages-artifact@v3
        if: github.ref == 'refs/heads/main'
        with:
          path: public
      - uses: actions/deploy-pages@v4
        if: github.ref == 'refs/heads/main'
"#;

/// Creates a new archive in `dir`: config, template, one example postmortem,
/// `.gitignore` and a CI workflow. Returns each file and whether it was written (false:
/// it existed and was kept).
pub fn init_archive(dir: &Path, today: NaiveDate) -> Result<Vec<(PathBuf, bool)>> {
    let example = fill_template(EXAMPLE, &next_id(&[], today), "", today);
    let files: [(PathBuf, &str); 5] = [
        (dir.join("pmsite.toml"), CONFIG_TEMPLATE),
        (dir.join("content").join(TEMPLATE_FILE), DEFAULT_TEMPLATE),
        (
            dir.join(format!(
                "content/{}-example.md",
                crate::model::moment::iso_date(today)
            )),
            &example,
        ),
        (dir.join(".gitignore"), "/public/\n/.public.pmsite-lock\n"),
        (
            dir.join(".github/workflows/postmortems.yml"),
            WORKFLOW_TEMPLATE,
        ),
    ];
    let mut written = Vec::new();
    for (path, text) in files {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        let created = match write_new(&path, text) {
            Ok(()) => true,
            Err(Error::FileExists(_)) => false,
            Err(other) => return Err(other),
        };
        written.push((path, created));
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, 6, 7).unwrap()
    }

    #[test]
    fn ids_follow_the_highest_of_the_year() {
        let ids = [
            "inc-2024-007".to_string(),
            "inc-2024-012".to_string(),
            "inc-2023-099".to_string(),
        ];
        assert_eq!(next_id(&ids, day()), "inc-2024-013");
        assert_eq!(next_id(&[], day()), "inc-2024-001");
    }

    #[test]
    fn the_config_template_lists_every_option_and_parses_uncommented() {
        let uncommented: String = CONFIG_TEMPLATE
            .lines()
            .filter(|l| l.starts_with("# ") && (l.contains(" = ") || l.starts_with("# [")))
            .map(|l| {
                let line = l.trim_start_matches("# ");
                let line = line.split("  #").next().unwrap_or(line);
                format!("{}\n", line.trim_end())
            })
            .filter(|l| !l.starts_with("theme") && !l.starts_with("[aliases]"))
            .collect();
        let config = crate::config::Config::parse(Path::new("pmsite.toml"), &uncommented)
            .unwrap_or_else(|e| panic!("{e}\n{uncommented}"));
        let defaults = crate::config::Config::default();
        assert_eq!(config.paginate, defaults.paginate);
        assert_eq!(config.tasks.due_soon_days, defaults.tasks.due_soon_days);
        // Every key the config knows is in the template.
        for key in [
            "title",
            "description",
            "base_url",
            "content_dir",
            "output_dir",
            "theme",
            "timezone",
            "ignore",
            "source_url",
            "date_formats",
            "paginate",
            "search",
            "raw_html",
            "max_file_size",
            "required_sections",
            "[aliases]",
            "[frontmatter]",
            "[tags]",
            "replace_defaults",
            "synonyms",
            "[tasks]",
            "due_soon_days",
            "due_after",
            "[rules]",
        ] {
            assert!(
                CONFIG_TEMPLATE.contains(key),
                "{key} is missing from the config template"
            );
        }
    }

    #[test]
    fn new_never_replaces_and_the_template_builds_with_its_leftovers_reported() {
        let dir = tempfile::tempdir().unwrap();
        let path = new_postmortem(
            dir.path(),
            "Checkout outage",
            "inc-2024-001",
            day(),
            DEFAULT_TEMPLATE,
        )
        .unwrap();
        assert!(path.ends_with("2024-06-07-checkout-outage.md"));
        let again = new_postmortem(
            dir.path(),
            "Checkout outage",
            "inc-2024-002",
            day(),
            DEFAULT_TEMPLATE,
        );
        match again {
            Err(error @ Error::FileExists(_)) => {
                assert!(error.to_string().contains("already exists"))
            }
            other => panic!("expected FileExists, got {other:?}"),
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let incident =
            crate::parse::parse_incident("x.md", &text, &crate::parse::ParseOptions::default());
        assert_eq!(incident.id, "inc-2024-001");
        assert_eq!(incident.title, "Checkout outage");
        assert!(incident
            .diagnostics
            .iter()
            .any(|d| d.code == crate::diagnostic::Code::TemplateLeftover));
    }

    #[test]
    fn init_writes_an_archive_and_keeps_what_exists() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".gitignore"), "target/\n").unwrap();
        let files = init_archive(dir.path(), day()).unwrap();
        let kept: Vec<String> = files
            .iter()
            .filter(|(_, written)| !written)
            .map(|(p, _)| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(kept, [".gitignore"]);
        assert_eq!(
            std::fs::read_to_string(dir.path().join(".gitignore")).unwrap(),
            "target/\n"
        );
        let example =
            std::fs::read_to_string(dir.path().join("content/2024-06-07-example.md")).unwrap();
        let incident =
            crate::parse::parse_incident("e.md", &example, &crate::parse::ParseOptions::default());
        assert!(
            incident.diagnostics.is_empty(),
            "{:?}",
            incident.diagnostics
        );
        assert_eq!(incident.duration_minutes, Some(42));
        assert_eq!(incident.tasks.len(), 2);
        assert!(dir
            .path()
            .join(".github/workflows/postmortems.yml")
            .is_file());
    }
}
