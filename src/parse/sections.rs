//! Splits a postmortem body into sections. Real files mark sections with headings and
//! with the pseudo-headings templates produce: `#Issue Summary` (no space), `Root Cause:`
//! alone on a line, `**Impact:**` bold labels, `Impact: 80% of users` inline labels.
//! Titles map through an alias table to what the section is about.

use std::sync::LazyLock;

use super::pattern::compile;
use regex::Regex;

use super::dates::{leading_moment, DateContext};
use super::outline::MarkdownOutline;
use crate::model::section::{normalize_title, SectionAliases};
use crate::model::section::{Section, SectionKind};

/// The body's words without markup, code blocks or raw HTML; a table's rows read as
/// `Header: value` pairs.
pub fn prose(section: &Section) -> String {
    super::text::prose_text(&section.body)
}

/// The section as if a 4-space indented block (which Markdown would show as code)
/// were not indented: some templates indent whole timelines and task lists.
pub fn dedented(section: &Section) -> Section {
    let lines: Vec<&str> = section.body.lines().collect();
    let indented = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .all(|l| l.starts_with("    ") || l.starts_with('\t'));
    if !indented || lines.iter().all(|l| l.trim().is_empty()) {
        return section.clone();
    }
    let body = lines
        .iter()
        .map(|l| {
            l.strip_prefix("    ")
                .or_else(|| l.strip_prefix('\t'))
                .unwrap_or(l)
        })
        .collect::<Vec<_>>()
        .join("\n");
    // Read again: what was an indented code block is now lists and lines.
    let count = body.lines().count();
    let roles = MarkdownOutline::new(&body, section.body_line).roles_of(section.body_line, count);
    Section {
        body,
        roles,
        ..section.clone()
    }
}

/// The result of splitting: the document title (if a heading gave one) and the sections.
#[derive(Debug, Clone, Default)]
pub struct Outline {
    pub title: Option<(String, usize)>,
    pub sections: Vec<Section>,
    /// What each line of the body is.
    pub markdown: MarkdownOutline,
}

/// A line recognised as a section heading.
struct Heading {
    title: String,
    /// Markdown heading level; label headings borrow one from their neighbours.
    level: Option<u8>,
    /// Text after an inline label (`**Impact:** 80% of users`), which starts the body.
    rest: Option<String>,
    kind: Option<SectionKind>,
    /// Setext headings use the next line too.
    skip_next: bool,
}

static ATX: LazyLock<Regex> =
    LazyLock::new(|| compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*#*[ \t]*$").unwrap());
static PSEUDO_ATX: LazyLock<Regex> =
    LazyLock::new(|| compile(r"^(#{1,6})(\p{L}.*?)[ \t]*$").unwrap());
static BOLD_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"^ {0,3}(?:\*\*|__)(?P<label>[^*_]{2,80}?)(?:\*\*|__)[ \t]*(?P<rest>.*?)[ \t]*$")
        .unwrap()
});
static SETEXT_UNDERLINE: LazyLock<Regex> =
    LazyLock::new(|| compile(r"^ {0,3}(=+|-+)[ \t]*$").unwrap());

/// Splits `body` (which starts on file line `body_line`) into a title and sections.
pub fn split_sections(body: &str, body_line: usize, aliases: &SectionAliases) -> Outline {
    split_sections_titled(body, body_line, aliases, false)
}

/// Like `split_sections`; with `title_known` (the frontmatter names the incident) no
/// heading or first line is taken as the title, so none is lost from the body.
pub fn split_sections_titled(
    body: &str,
    body_line: usize,
    aliases: &SectionAliases,
    title_known: bool,
) -> Outline {
    let lines: Vec<&str> = body.lines().collect();
    let mut outline = Outline {
        markdown: MarkdownOutline::new(body, body_line),
        ..Outline::default()
    };
    let mut current = Section {
        title: None,
        kind: SectionKind::Preamble,
        depth: 0,
        line: body_line,
        body: String::new(),
        body_line,
        roles: Vec::new(),
    };
    let mut levels: Vec<u8> = Vec::new(); // heading level of each pushed section
    let mut current_level: u8 = 0;
    let mut seen_content = false;
    let mut index = 0;
    // A status page's updates ("**Resolved** - ...") are its timeline, not sections.
    let status_page = super::status_page::is_status_page(&lines);

    while index < lines.len() {
        let line = lines[index];
        let file_line = body_line + index;
        index += 1;

        // Nothing inside a code block is a heading, whatever it looks like.
        if outline.markdown.is_code(file_line) {
            seen_content = true;
            push_line(&mut current, line);
            continue;
        }

        if status_page {
            let starts = if super::status_page::update(line).is_some() {
                (current.kind != SectionKind::Timeline)
                    .then_some(("Updates", SectionKind::Timeline))
            } else if super::status_page::affected_components(line).is_some() {
                Some(("Affected components", SectionKind::Impact))
            } else {
                None
            };
            if let Some((title, kind)) = starts {
                seen_content = true;
                let finished = std::mem::replace(
                    &mut current,
                    Section {
                        title: Some(title.to_string()),
                        kind,
                        depth: 0,
                        line: file_line,
                        body: String::new(),
                        body_line: file_line,
                        roles: Vec::new(),
                    },
                );
                push_section(&mut outline.sections, &mut levels, finished, current_level);
                current_level = current_level.max(2);
                push_line(&mut current, line);
                continue;
            }
            if super::status_page::update(line).is_some() {
                push_line(&mut current, line);
                continue;
            }
        }

        let previous_blank = index < 2 || lines[index - 2].trim().is_empty();
        let next = lines.get(index).copied();
        let heading = recognise_heading(line, previous_blank, next, current.kind, aliases);
        let Some(heading) = heading else {
            if !line.trim().is_empty() {
                seen_content = true;
            }
            push_line(&mut current, line);
            continue;
        };
        if heading.skip_next {
            index += 1;
        }

        // The first heading, before any text, is the title unless it names a section:
        // any known section for deeper headings, exactly a section's name for an H1
        // ("# Database timeout impact" is a title, "#Issue Summary" a section).
        let names_a_section = match heading.level {
            Some(1) => {
                let label_like = line.trim_end().trim_end_matches(['*', '_']).ends_with(':');
                heading.kind.is_some() && (label_like || aliases.is_exact_name(&heading.title))
            }
            _ => heading.kind.is_some(),
        };
        if outline.title.is_none()
            && !title_known
            && !seen_content
            && !names_a_section
            && heading.level.is_some()
            && outline.sections.is_empty()
            && current.kind == SectionKind::Preamble
            && !is_generic_heading(&heading.title)
        {
            outline.title = Some((heading.title, file_line));
            seen_content = true;
            // Only blank lines came before the title; the body starts after it.
            current.body.clear();
            current.body_line = file_line + 1 + usize::from(heading.skip_next);
            current.line = current.body_line;
            continue;
        }
        seen_content = true;

        let level = heading
            .level
            .unwrap_or(match (current.kind, current.is_empty()) {
                (SectionKind::Preamble, _) => 2,
                (_, true) => current_level + 1,
                _ => current_level,
            });
        let finished = std::mem::replace(
            &mut current,
            Section {
                title: Some(heading.title.clone()),
                kind: heading.kind.unwrap_or(SectionKind::Other),
                depth: 0,
                line: file_line,
                body: String::new(),
                body_line: file_line + 1 + usize::from(heading.skip_next),
                roles: Vec::new(),
            },
        );
        push_section(&mut outline.sections, &mut levels, finished, current_level);
        current_level = level;
        if let Some(rest) = heading.rest.filter(|r| !r.is_empty()) {
            current.body_line = file_line;
            current.body.push_str(&rest);
            current.body.push('\n');
        }
    }
    push_section(&mut outline.sections, &mut levels, current, current_level);
    if outline.title.is_none() && !title_known {
        if let Some(preamble) = outline
            .sections
            .first_mut()
            .filter(|s| s.kind == SectionKind::Preamble)
        {
            if let Some((title, line)) = title_line(preamble) {
                // The title line leaves the preamble, so it is not shown twice.
                let skip = line - preamble.body_line + 1;
                preamble.body = preamble
                    .body
                    .lines()
                    .skip(skip)
                    .map(|l| format!("{l}\n"))
                    .collect();
                preamble.body_line = line + 1;
                outline.title = Some((title, line));
            }
        }
    }
    assign_depths(&mut outline.sections, &levels);
    for section in &mut outline.sections {
        section.roles = outline
            .markdown
            .roles_of(section.body_line, section.body.lines().count());
    }
    outline
}

fn push_line(section: &mut Section, line: &str) {
    section.body.push_str(line);
    section.body.push('\n');
}

fn push_section(sections: &mut Vec<Section>, levels: &mut Vec<u8>, section: Section, level: u8) {
    // An empty preamble is noise; an empty titled section is kept (it may hold parts).
    if section.kind == SectionKind::Preamble && section.is_empty() {
        return;
    }
    sections.push(section);
    levels.push(level);
}

/// Depth from heading levels, plus one for the parts an empty container section holds.
fn assign_depths(sections: &mut [Section], levels: &[u8]) {
    let base = levels
        .iter()
        .zip(sections.iter())
        .filter(|(_, s)| s.kind != SectionKind::Preamble)
        .map(|(l, _)| *l)
        .min()
        .unwrap_or(1);
    let mut container: Option<(SectionKind, u8, u8)> = None; // kind, level, depth
    for (section, &level) in sections.iter_mut().zip(levels) {
        let mut depth = level.saturating_sub(base).min(2);
        if let Some((kind, container_level, container_depth)) = container {
            if level >= container_level && kind.holds(section.kind) {
                depth = depth.max(container_depth + 1).min(2);
                section.depth = depth;
                continue;
            }
            container = None;
        }
        section.depth = depth;
        if section.is_empty() && section.kind != SectionKind::Preamble {
            container = Some((section.kind, level, depth));
        }
    }
}

fn recognise_heading(
    line: &str,
    previous_blank: bool,
    next: Option<&str>,
    current: SectionKind,
    aliases: &SectionAliases,
) -> Option<Heading> {
    let in_timeline = current == SectionKind::Timeline;
    let make =
        |title: &str, level: Option<u8>, rest: Option<String>, kind: Option<SectionKind>| Heading {
            title: clean_title(title),
            level,
            rest,
            kind,
            skip_next: false,
        };

    // Cheap looks at the first character spare the capture regexes most lines.
    let first = line.trim_start_matches(' ').chars().next().unwrap_or(' ');
    let atx = if first == '#' {
        ATX.captures(line).or_else(|| PSEUDO_ATX.captures(line))
    } else {
        None
    };
    if let Some(c) = atx {
        let title = c.get(2).map_or("", |m| m.as_str());
        let title = clean_title(title);
        if title.is_empty() {
            return None;
        }
        // "### 20:15", "### 07:30am - First report", "### 2018-10-08 ~18:10" or
        // "## May 12" inside a timeline marks an entry or a day.
        if in_timeline && starts_with_a_moment(&title) {
            return None;
        }
        // "# Root Cause: The certificate expired." is a labelled heading with its text.
        if let Some((label, rest)) = title.split_once(": ") {
            // "# Retrospective: OP Drop #1" names the document, not a lessons section.
            let names_the_document = c[1].len() == 1 && label.eq_ignore_ascii_case("retrospective");
            if let Some(kind) = aliases
                .classify_label(label)
                .filter(|_| !names_the_document)
            {
                return Some(make(
                    label,
                    Some(c[1].len() as u8),
                    Some(rest.trim().to_string()),
                    Some(kind),
                ));
            }
        }
        let kind = aliases.classify(&title);
        return Some(make(&title, Some(c[1].len() as u8), None, kind));
    }
    let opening = line.trim_start_matches(' ');
    let bold = if opening.starts_with("**") || opening.starts_with("__") {
        BOLD_LABEL.captures(line)
    } else {
        None
    };
    if let Some(c) = bold {
        let label = &c["label"];
        let rest = c["rest"]
            .trim_start_matches(':')
            .trim()
            .trim_start_matches("<br>")
            .trim_start_matches("<br/>")
            .trim();
        let kind = aliases.classify_label(label)?;
        if is_only_a_moment(rest) {
            return None; // "**Resolved:** 16:45 PST on 4 Dec 2024" is a fact, not a section
        }
        if !rest.is_empty()
            && matches!(current, SectionKind::Timeline | SectionKind::Tasks)
            && kind == current
        {
            return None;
        }
        return Some(make(label, None, Some(rest.to_string()), Some(kind)));
    }
    if let Some((label, rest)) = plain_label(line) {
        let rest = rest.trim();
        // "Fix deployed at 10:00" is an event, not a "Fix" section.
        if label.contains(|c: char| c.is_ascii_digit()) {
            return None;
        }
        let kind = aliases.classify_label(label)?;
        if is_only_a_moment(rest) {
            return None;
        }
        // Inside a list of tasks or events, "Detection: add an alert" is an item.
        if !rest.is_empty() && matches!(current, SectionKind::Timeline | SectionKind::Tasks) {
            return None;
        }
        if rest.starts_with("//") {
            return None; // a URL, not a label
        }
        return Some(make(label, None, Some(rest.to_string()), Some(kind)));
    }
    let trimmed = line.trim();
    if trimmed.is_empty() || line.starts_with([' ', '\t']) {
        return None;
    }
    if let Some(next) = next {
        if previous_blank && SETEXT_UNDERLINE.is_match(next) && !is_list_item(trimmed) {
            let level = if next.trim_start().starts_with('=') {
                1
            } else {
                2
            };
            let kind = aliases.classify(trimmed);
            let mut heading = make(trimmed, Some(level), None, kind);
            heading.skip_next = true;
            return Some(heading);
        }
    }
    // A short line that is exactly a section name: "Corrective and Preventative Measures".
    let starts_upper = trimmed.chars().next().is_some_and(char::is_uppercase);
    if starts_upper
        && !trimmed.ends_with(['.', ',', ';'])
        && !trimmed.contains(|c: char| c.is_ascii_digit())
        && trimmed.len() <= 60
        && !is_list_item(trimmed)
    {
        if let Some(kind) = aliases.classify_label(trimmed) {
            if normalize_title(trimmed).split(' ').count() <= 5 {
                return Some(make(trimmed, None, None, Some(kind)));
            }
        }
    }
    None
}

/// `Root Cause: the certificate expired` (up to three spaces in): a label of 2 to 61
/// letters, digits, spaces and `/&'’()-` that starts with a letter, then `:` and the rest.
fn plain_label(line: &str) -> Option<(&str, &str)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let line = &line[indent..];
    let (label, rest) = line.split_once(':')?;
    let label = label.trim_end_matches([' ', '\t']);
    let mut chars = label.chars();
    if !chars.next()?.is_alphabetic() {
        return None;
    }
    let label_char = |c: char| c.is_alphanumeric() || " /&'’()-".contains(c);
    let length = label.chars().count();
    if !(2..=61).contains(&length) || !chars.all(label_char) {
        return None;
    }
    Some((label, rest.trim_matches([' ', '\t'])))
}

/// Headings that name a part of a template, never an incident.
fn is_generic_heading(title: &str) -> bool {
    const GENERIC: &[&str] = &[
        "metadata",
        "details",
        "incident details",
        "info",
        "information",
        "table of contents",
        "contents",
        "toc",
    ];
    GENERIC.contains(&normalize_title(title).as_str())
}

/// A preamble that opens with a short line and nothing else on it names the incident:
/// "Postmortem: Project Issue on the 10th of April, 2024", "**Postmortem: Web outage".
fn title_line(preamble: &Section) -> Option<(String, usize)> {
    let (number, line) = preamble.text_lines().find(|(_, l)| !l.trim().is_empty())?;
    let text = line.trim().trim_matches(['*', '_', '#', ' ']).trim();
    let words = text.split_whitespace().count();
    let lower = text.to_lowercase();
    let named = [
        "postmortem",
        "post-mortem",
        "post mortem",
        "incident",
        "outage",
    ]
    .iter()
    .any(|w| lower.starts_with(w));
    let short = (2..=14).contains(&words) && text.len() <= 110;
    (short && (named || !text.ends_with(['.', ':', ',', ';'])))
        .then(|| (text.trim_end_matches('.').to_string(), number))
}

fn is_list_item(line: &str) -> bool {
    static LIST: LazyLock<Regex> = LazyLock::new(|| compile(r"^(?:[-*+]|\d+[.)])\s").unwrap());
    LIST.is_match(line) || line.starts_with('|') || line.starts_with('>')
}

fn is_only_a_moment(title: &str) -> bool {
    let stripped = title.trim_matches(|c: char| c == '*' || c == '_' || c.is_whitespace());
    leading_moment(
        stripped,
        DateContext {
            year: Some(2000),
            ..DateContext::default()
        },
    )
    .is_some_and(|(_, used)| {
        stripped[used..]
            .trim_matches(|c: char| !c.is_alphanumeric())
            .is_empty()
    })
}

/// Whether a heading opens with a date or time (after `ca.`, `~` or `approx.`).
fn starts_with_a_moment(title: &str) -> bool {
    static APPROXIMATELY: LazyLock<Regex> = LazyLock::new(|| {
        compile(r"^(?i:(?:ca\.|c\.|circa|approx\.|approximately|around|about)\s+|[~≈]\s*)").unwrap()
    });
    let stripped = title.trim_matches(|c: char| c == '*' || c == '_' || c.is_whitespace());
    let stripped = &stripped[APPROXIMATELY.find(stripped).map_or(0, |m| m.end())..];
    leading_moment(
        stripped,
        DateContext {
            year: Some(2000),
            ..DateContext::default()
        },
    )
    .is_some_and(|(m, _)| m.date.is_some() || m.time.is_some())
}

/// Removes emphasis markers, a trailing colon and surrounding space.
fn clean_title(title: &str) -> String {
    let title = title.trim().trim_matches(['*', '_']).trim();
    let title = title
        .trim_end_matches(':')
        .trim_end_matches(['*', '_'])
        .trim_end_matches(':')
        .trim();
    title.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outline(text: &str) -> Outline {
        split_sections(text, 1, &SectionAliases::default())
    }

    fn summary(o: &Outline) -> Vec<(String, &'static str, u8, usize)> {
        o.sections
            .iter()
            .map(|s| {
                (
                    s.title.clone().unwrap_or_default(),
                    s.kind.name(),
                    s.depth,
                    s.line,
                )
            })
            .collect()
    }

    #[test]
    fn pseudo_headings_without_space() {
        let o = outline("#Issue Summary\n#Duration:\n\nStart: x\n#Impact:\n\nDown.\nRoot Cause:\n\nIndex.\n#Timeline\n10:30 AM: a\n");
        assert_eq!(o.title, None);
        let s = summary(&o);
        assert_eq!(s[0], ("Issue Summary".to_string(), "summary", 0, 1));
        assert_eq!(s[1], ("Duration".to_string(), "duration", 1, 2));
        assert_eq!(s[2], ("Impact".to_string(), "impact", 1, 5));
        assert_eq!(s[3], ("Root Cause".to_string(), "root_cause", 1, 8));
        assert_eq!(s[4], ("Timeline".to_string(), "timeline", 0, 11));
        assert_eq!(o.sections[4].body, "10:30 AM: a\n");
    }

    #[test]
    fn root_cause_and_resolution_holds_its_parts() {
        let o = outline("#Root Cause and Resolution\n#Root Cause:\n\nA.\n#Resolution:\n\nB.\nCorrective and Preventative Measures\n#Improvements/Fixes:\n\nX: y\n#Tasks:\n\nTask 1: z\n");
        let kinds: Vec<_> = o
            .sections
            .iter()
            .map(|s| (s.kind.name(), s.depth))
            .collect();
        assert_eq!(
            kinds,
            [
                ("root_cause_and_resolution", 0),
                ("root_cause", 1),
                ("resolution", 1),
                ("tasks", 0),
                ("tasks", 1),
                ("tasks", 1)
            ]
        );
    }

    #[test]
    fn bold_labels_with_and_without_inline_text() {
        let o = outline("### Issue Summary\n\n**Duration of the outage:**  \nStart: a\n\n**Impact:** 85% of users.\n\n**Root Cause:**  \nIndex.\n");
        let s = summary(&o);
        assert_eq!(s[1].1, "duration");
        assert_eq!(s[2].1, "impact");
        assert_eq!(o.sections[2].body.trim(), "85% of users.");
        assert_eq!(o.sections[2].body_line, 6);
        assert_eq!(s[3].1, "root_cause");
    }

    #[test]
    fn first_unknown_heading_is_the_title() {
        let o = outline(
            "# Postmortem: Web outage\n\n## Summary\ntext\n## Lessons learned\nx\n## Appendix\ny\n",
        );
        assert_eq!(o.title, Some(("Postmortem: Web outage".to_string(), 1)));
        let kinds: Vec<_> = o.sections.iter().map(|s| s.kind.name()).collect();
        assert_eq!(kinds, ["summary", "lessons", "other"]);
    }

    #[test]
    fn an_h1_that_mentions_a_section_word_is_still_the_title() {
        let o = outline("# Database timeout impact\n\n## Summary\nx\n");
        assert_eq!(o.title.unwrap().0, "Database timeout impact");
        let o = outline("#Issue Summary\n\nx\n");
        assert!(o.title.is_none());
    }

    #[test]
    fn lines_with_times_are_not_labels() {
        let o = outline("## Summary\nFix deployed at 10:00: all good.\nFix deployed at 10:00\n");
        assert_eq!(o.sections.len(), 1);
    }

    #[test]
    fn a_known_title_keeps_the_first_line_in_the_body() {
        let o = split_sections_titled(
            "**Severity:** SEV-1 (customer facing)\n\nText.\n",
            1,
            &SectionAliases::default(),
            true,
        );
        assert!(o.title.is_none());
        assert!(o.sections[0].body.contains("Severity"));
    }

    #[test]
    fn time_headings_inside_a_timeline_are_entries_not_sections() {
        let o = outline(
            "## Timeline\n\n## May 12\n\n### 20:15\n\nTicket opened\n\n## Resolution\nfixed\n",
        );
        let kinds: Vec<_> = o.sections.iter().map(|s| s.kind.name()).collect();
        assert_eq!(kinds, ["timeline", "resolution"]);
        assert!(o.sections[0].body.contains("### 20:15"));
    }

    #[test]
    fn headings_in_code_blocks_are_ignored() {
        let o = outline("## Summary\n```\n# not a heading\nRoot Cause:\n```\n");
        assert_eq!(o.sections.len(), 1);
    }

    #[test]
    fn sentences_and_list_items_are_not_labels() {
        let o = outline("## Summary\nThe cause of the outage was a very long explanation: it rained.\n- Impact: none\nStart: June 7\n");
        assert_eq!(o.sections.len(), 1);
    }

    #[test]
    fn headings_that_carry_their_text() {
        let o = outline("# Outage Duration: August 18, 2024, 01:00 AM - 03:30 AM (UTC)\n\n# Root Cause: An expired certificate.\n");
        assert_eq!(o.sections[0].kind, SectionKind::Duration);
        assert_eq!(o.sections[0].title.as_deref(), Some("Outage Duration"));
        assert!(o.sections[0].body.starts_with("August 18, 2024"));
        assert_eq!(o.sections[1].body.trim(), "An expired certificate.");
    }

    #[test]
    fn setext_headings() {
        let o = outline("Outage report\n=============\n\nSummary\n-------\ntext\n");
        assert_eq!(o.title.unwrap().0, "Outage report");
        assert_eq!(o.sections[0].kind, SectionKind::Summary);
    }
}
