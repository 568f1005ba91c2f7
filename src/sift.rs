//! Decides whether a file read as a postmortem is one, or an index page (a list of links
//! to the others) or a blank template. Wrong guesses cost differently: an index page
//! built as an incident is a page too many, a postmortem left out is lost, so every rule
//! asks for several signs at once and for the absence of what incidents have.

use std::sync::LazyLock;

use regex::Regex;

use crate::model::section::LineRole;
use crate::model::Incident;
use crate::parse::text::{find_placeholder, is_placeholder};

/// What a read file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Postmortem,
    /// Mostly links to other files of the archive: an `index.md`, a `SUMMARY.md`.
    IndexPage,
    /// Headings and placeholders, nothing filled in.
    BlankTemplate,
}

/// Extensions of the documents an index page links to.
const DOCUMENTS: [&str; 10] = [
    "md", "markdown", "txt", "qmd", "rmd", "mdx", "html", "htm", "rst", "adoc",
];

/// File names (without extension) of index pages.
const INDEX_NAMES: [&str; 6] = ["index", "_index", "summary", "toc", "contents", "readme"];

pub fn sift(incident: &Incident) -> Verdict {
    let lines = Lines::of(incident);
    if is_index_page(incident, &lines) {
        Verdict::IndexPage
    } else if is_blank_template(incident, &lines) {
        Verdict::BlankTemplate
    } else {
        Verdict::Postmortem
    }
}

/// An incident has a time: a start, an end, a duration, a timeline.
fn has_times(incident: &Incident) -> bool {
    incident.start.is_some()
        || incident.end.is_some()
        || incident.detected.is_some()
        || incident.resolved.is_some()
        || incident.duration_minutes.is_some()
        || incident.stated_duration_minutes.is_some()
        || !incident.timeline.is_empty()
}

/// At least three links to other documents, making up at least half of what the file
/// says; or a table-of-contents directive (MyST's `{toctree}`, Quarto's `listing`) in
/// a file named like an index. Never a file with a time, or with tasks.
fn is_index_page(incident: &Incident, lines: &Lines) -> bool {
    if has_times(incident) || !incident.tasks.is_empty() {
        return false;
    }
    let mostly_links = lines.references >= 3 && lines.references >= lines.filled;
    let stem = incident
        .source
        .rsplit('/')
        .next()
        .and_then(|name| name.split('.').next())
        .unwrap_or_default();
    let named = INDEX_NAMES.iter().any(|n| stem.eq_ignore_ascii_case(n));
    mostly_links || (lines.contents_directive && named)
}

/// No time, placeholders in the body, and either nothing else filled in below at least
/// three headings, or a title that is itself a placeholder (`Incident title -
/// DD/MM/YYYY`, `Template for reports`) over next to nothing filled in. Headings over
/// empty sections alone are not enough: a postmortem can be a title and some headings
/// when its author has just begun.
fn is_blank_template(incident: &Incident, lines: &Lines) -> bool {
    if has_times(incident) || lines.placeholders == 0 {
        return false;
    }
    let titled_sections = incident
        .sections
        .iter()
        .filter(|s| s.title.is_some())
        .count();
    let skeleton = titled_sections >= 3 && lines.filled == 0 && lines.placeholders >= 2;
    let template_title =
        is_template_title(&incident.title) && (lines.placeholders >= 2 || lines.filled <= 2);
    skeleton || template_title
}

/// What a title that was never filled in looks like: `Title`, `Incident name`,
/// `Postmortem template`, `{{ incident name }}`, `[Incident title] - DD/MM/YYYY`. A
/// title that says more (`The email template outage`) is a title.
fn is_template_title(title: &str) -> bool {
    static GENERIC: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^(?:(?:incident|issue|outage|event|postmortem|post-mortem|report)\s+)?(?:name|title)$|\{\{|\bDD/MM/YYYY\b|\bMM/DD/YYYY\b")
            .unwrap()
    });
    const TEMPLATE_WORDS: [&str; 16] = [
        "template",
        "incident",
        "postmortem",
        "post-mortem",
        "outage",
        "report",
        "reports",
        "rca",
        "blank",
        "sample",
        "example",
        "for",
        "the",
        "a",
        "an",
        "our",
    ];
    let title = title.trim();
    let words: Vec<String> = title
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let only_template_words = words.iter().any(|w| w == "template")
        && words.iter().all(|w| TEMPLATE_WORDS.contains(&w.as_str()));
    only_template_words
        || GENERIC.is_match(title)
        || is_placeholder(title)
        || find_placeholder(title).is_some()
}

/// The file's lines outside headings and code, counted by what they hold.
#[derive(Debug, Default)]
struct Lines {
    /// Lines with something written in them: not blank, not only a placeholder or a hint.
    filled: usize,
    /// Lines holding a placeholder (`TBD`, `[insert date]`, `{{ summary }}`, `Lorem
    /// ipsum`, an empty `- [ ]`).
    placeholders: usize,
    /// Lines that link to another document, and the entries of a contents directive
    /// or a frontmatter listing.
    references: usize,
    contents_directive: bool,
}

impl Lines {
    fn of(incident: &Incident) -> Lines {
        let mut lines = Lines::default();
        lines.read_frontmatter(&incident.source_text);
        for section in &incident.sections {
            let mut in_toctree = false;
            for (_, role, line) in section.lines_with_roles() {
                let trimmed = line.trim();
                match role {
                    LineRole::Code => {
                        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
                            in_toctree = trimmed.contains("{toctree}");
                            lines.contents_directive |= in_toctree;
                        } else if in_toctree && !trimmed.is_empty() && !trimmed.starts_with(':') {
                            lines.references += 1;
                        }
                    }
                    LineRole::Blank | LineRole::Heading(_) | LineRole::Html | LineRole::Rule => {}
                    LineRole::Quote => {} // `> Did the right people get involved?`: a hint
                    LineRole::Paragraph | LineRole::ListItem { .. } | LineRole::Table => {
                        lines.read_line(trimmed)
                    }
                }
            }
        }
        lines
    }

    /// Quarto's `listing:` names the files it lists in the frontmatter.
    fn read_frontmatter(&mut self, text: &str) {
        let Some(rest) = text.strip_prefix("---\n") else {
            return;
        };
        let Some(end) = rest.find("\n---") else {
            return;
        };
        let frontmatter = &rest[..end];
        if !frontmatter.lines().any(|l| l.starts_with("listing:")) {
            return;
        }
        self.contents_directive = true;
        self.references += frontmatter
            .lines()
            .filter_map(|l| l.trim().strip_prefix("- "))
            .filter(|entry| is_document(entry.trim()))
            .count();
    }

    fn read_line(&mut self, line: &str) {
        if line.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ')) {
            return; // a table's delimiter row
        }
        let text = strip_marker(line);
        let checkbox = text.len() < line.len() && task_box(line);
        if checkbox && text.is_empty() {
            self.placeholders += 1; // `- [ ] `: a task to fill in
            return;
        }
        if !checkbox && links_to_document(text) {
            self.references += 1;
            return;
        }
        let filler = text
            .get(..11)
            .is_some_and(|start| start.eq_ignore_ascii_case("lorem ipsum"));
        if filler || find_placeholder(text).is_some() || text.contains("{{") {
            self.placeholders += 1;
            return;
        }
        let value = text
            .split_once(':')
            .filter(|(label, _)| label.split_whitespace().count() <= 4)
            .map_or(text, |(_, value)| value)
            .trim();
        if value.is_empty() || is_hint(value) {
            return;
        }
        if is_placeholder(value) {
            self.placeholders += 1;
        } else {
            self.filled += 1;
        }
    }
}

/// The line without its list marker, checkbox or table pipes.
fn strip_marker(line: &str) -> &str {
    static MARKER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:[-*+]|\d+[.)])\s+(?:\[[ xX]?\]\s*)?|^(?:[-*+]|\d+[.)])\s*$").unwrap()
    });
    let line = line.trim();
    let line = MARKER.find(line).map_or(line, |m| &line[m.end()..]);
    line.trim_matches(|c: char| c == '|' || c.is_whitespace())
}

fn task_box(line: &str) -> bool {
    static BOX: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^(?:[-*+]|\d+[.)])\s+\[[ xX]?\]").unwrap());
    BOX.is_match(line.trim())
}

/// `_Give a summary of what caused the incident._`: a whole line in emphasis.
fn is_hint(text: &str) -> bool {
    let text = text.trim();
    text.len() > 2
        && ((text.starts_with('_') && text.ends_with('_'))
            || (text.starts_with('*') && text.ends_with('*') && !text.starts_with("**")))
}

/// Whether a line links to another document of the archive: `[DB outage](2024/db.md)`,
/// `[db]: db.md`.
fn links_to_document(text: &str) -> bool {
    static LINK: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\]\(\s*<?([^)\s>]+)|^\[[^\]]+\]:\s*<?(\S+?)>?$").unwrap());
    LINK.captures_iter(text).any(|c| {
        c.get(1)
            .or_else(|| c.get(2))
            .is_some_and(|target| is_document(target.as_str()))
    })
}

/// A relative link to a document: not `https://`, not `/`, not `#anchor`.
fn is_document(target: &str) -> bool {
    static SCHEME: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^[a-zA-Z][a-zA-Z0-9+.-]*:").unwrap());
    if SCHEME.is_match(target) || target.starts_with(['/', '#']) {
        return false;
    }
    let path = target.split(['#', '?']).next().unwrap_or(target);
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.').is_some_and(|(stem, extension)| {
        !stem.is_empty() && DOCUMENTS.iter().any(|d| extension.eq_ignore_ascii_case(d))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{parse_incident, ParseOptions};

    fn verdict(path: &str, text: &str) -> Verdict {
        sift(&parse_incident(path, text, &ParseOptions::default()))
    }

    #[test]
    fn a_list_of_links_to_postmortems_is_an_index_page() {
        let text = "# Incident reports\n\nNewest first.\n\n\
                    - [Checkout queue stalled](2024/queue.md)\n\
                    - [DNS forwarder loop](2023/dns.md), the second one that year\n\
                    - [Disk full on the primary](2023/disk.md)\n";
        assert_eq!(verdict("reports.md", text), Verdict::IndexPage);
        let summary = "# Summary\n\n[Introduction](intro.md)\n\n- [2024](2024/index.md)\n  - [Queue](2024/queue.md)\n  - [DNS](2024/dns.md)\n";
        assert_eq!(verdict("SUMMARY.md", summary), Verdict::IndexPage);
    }

    #[test]
    fn a_contents_directive_in_an_index_file_is_an_index_page() {
        let text = "# Incident reporting\n\nHow we handle incidents, and the reports so far.\n\n\
                    ## Incident history\n\n```{toctree}\n:maxdepth: 1\n:glob:\n./2*\n```\n";
        assert_eq!(verdict("index.md", text), Verdict::IndexPage);
        assert_eq!(
            verdict("guidelines.md", text),
            Verdict::Postmortem,
            "a directive alone, in a file not named like an index, is not enough"
        );
        let listing = "---\ntitle: Incident Reports\nlisting:\n  contents:\n    - 2017-02-09-db.qmd\n    - 2017-03-01-proxy.qmd\n    - 2018-01-25-helm.qmd\n---\n";
        assert_eq!(verdict("index.qmd", listing), Verdict::IndexPage);
    }

    #[test]
    fn a_postmortem_with_a_list_of_links_is_a_postmortem() {
        let text = "# Checkout queue stalled\n\nStart: 2024-03-02 14:05 UTC\n\n\
                    ## Summary\n\nOrders waited an hour.\n\n## Related\n\n\
                    - [The first stall](2023/queue.md)\n- [The runbook](../runbooks/queue.md)\n\
                    - [The DNS loop](2023/dns.md)\n- [Disk full](2023/disk.md)\n";
        assert_eq!(verdict("2024/queue.md", text), Verdict::Postmortem);
        // No time written at all, and still prose around the links.
        let undated = "# Queue stalled again\n\nThe consumer crashed on a poison message, as in\n\
                       [the first stall](2023/queue.md) and [the second](2023/queue-2.md).\n\
                       We now skip such messages after three tries.\n\n\
                       ## Related\n\n- [Runbook](../runbooks/queue.md)\n";
        assert_eq!(verdict("queue.md", undated), Verdict::Postmortem);
        // Follow-up tasks that link to runbooks.
        let tasks = "# Queue\n\n## Action items\n\n- [ ] Update [the runbook](runbooks/q.md)\n\
                     - [ ] Link [the dashboard](dash.md)\n- [ ] Merge [the fix](fix.md)\n";
        assert_eq!(verdict("q.md", tasks), Verdict::Postmortem);
    }

    #[test]
    fn headings_over_placeholders_are_a_blank_template() {
        let text = "---\ntitle: \"\"\nseverity: TBD\n---\n# [Incident title]\n\n\
                    ## Summary\n\nTBD\n\n## Impact\n\n[describe the impact]\n\n\
                    ## Root cause\n\n## Timeline\n\n- HH:mm TBD\n\n\
                    ## Action items\n\n- [ ] TBD. Owner: @name. Due: YYYY-MM-DD\n";
        assert_eq!(verdict("blank.md", text), Verdict::BlankTemplate);
        let hints = "# Incident title - DD/MM/YYYY\n## Incident Lead:\n\n## Timeline summary\n\
                     _Give a play-by-play of what happened._\n\n## Cause\n\
                     _Give a summary of what caused it._\n\n### Detection\n\
                     > Did you detect the incident automatically?\n\n## Follow-ups\n\n- [ ] \n";
        assert_eq!(verdict("new.md", hints), Verdict::BlankTemplate);
        let lorem = "# ISSUE NAME\n## Summary\n\nLorem ipsum dolor\n\n## Resolution\n\nLorem ipsum sit amet\n";
        assert_eq!(verdict("draft.md", lorem), Verdict::BlankTemplate);
    }

    #[test]
    fn headings_alone_are_not_a_blank_template() {
        let text = "# Title\n\n### Executive Summary\n\n### Outage Description\n\n\
                    ### Affected users\n\n## Timeline\n\n## Recommendations\n";
        assert_eq!(verdict("outline.md", text), Verdict::Postmortem);
        let begun = "# Search cluster out of heap\n\n## Summary\n\n## Impact\n\n## Root cause\n";
        assert_eq!(verdict("search.md", begun), Verdict::Postmortem);
    }

    #[test]
    fn template_titles() {
        for title in [
            "Title",
            "Incident name",
            "Postmortem template",
            "Template for reports",
            "{{ incident date: yyyy-mm-dd }}, {{ incident name }}",
            "Incident title - DD/MM/YYYY",
            "[Incident title]",
        ] {
            assert!(is_template_title(title), "{title}");
        }
        for title in [
            "The email template outage",
            "Template rendering broke checkout",
            "Queue stalled",
        ] {
            assert!(!is_template_title(title), "{title}");
        }
    }

    #[test]
    fn a_postmortem_with_a_few_placeholders_left_is_a_postmortem() {
        let text = "# Checkout queue stalled\n\n## Summary\n\nOrders waited an hour because the consumer crashed.\n\n\
                    ## Impact\n\nTBD\n\n## Root cause\n\n[describe the root cause]\n\n## Resolution\n\nTBD\n";
        assert_eq!(verdict("queue.md", text), Verdict::Postmortem);
        // A title about templates, with a story under it.
        let story = "# The email template outage\n\n## Summary\n\nA template change broke \
                     receipts.\n\n## Impact\n\nTBD\n\n## Resolution\n\nTBD\n";
        assert_eq!(verdict("email.md", story), Verdict::Postmortem);
        // Filled in by `pmsite new` but not yet written: it has a date, so it is built.
        let new = crate::scaffold::fill_template(
            crate::scaffold::DEFAULT_TEMPLATE,
            "inc-2024-001",
            "Queue stalled",
            chrono::NaiveDate::from_ymd_opt(2024, 6, 7).unwrap(),
        );
        assert_eq!(verdict("2024-06-07-queue.md", &new), Verdict::Postmortem);
    }

    #[test]
    fn links_to_documents() {
        assert!(is_document("2024/db.md"));
        assert!(is_document("./db.md#timeline"));
        assert!(is_document("db.html"));
        assert!(!is_document("https://example.com/db.md"));
        assert!(!is_document("/abs/db.md"));
        assert!(!is_document("#section"));
        assert!(!is_document("img/graph.png"));
        assert!(links_to_document("[db]: db.md"));
        assert!(links_to_document("see [the db](db.md) first"));
    }
}
