//! Splits a postmortem body into sections. Real files mark sections with headings and
//! with the pseudo-headings templates produce: `#Issue Summary` (no space), `Root Cause:`
//! alone on a line, `**Impact:**` bold labels, `Impact: 80% of users` inline labels.
//! Titles map through an alias table to what the section is about.

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use super::pattern::compile;
use regex::Regex;

use super::dates::{leading_moment, DateContext};
use super::outline::{LineRole, MarkdownOutline};

/// What a section is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SectionKind {
    /// Text before the first section.
    Preamble,
    Summary,
    Duration,
    Impact,
    RootCause,
    Trigger,
    Detection,
    Timeline,
    Resolution,
    /// "Root Cause and Resolution": usually holds the two as sub-parts.
    RootCauseAndResolution,
    Tasks,
    Lessons,
    Other,
}

impl SectionKind {
    /// Names used in the config's `[aliases]` table and in the JSON output.
    pub const NAMES: [&'static str; 12] = [
        "summary",
        "duration",
        "impact",
        "root_cause",
        "trigger",
        "detection",
        "timeline",
        "resolution",
        "root_cause_and_resolution",
        "tasks",
        "lessons",
        "other",
    ];

    pub fn name(self) -> &'static str {
        match self {
            SectionKind::Preamble => "preamble",
            SectionKind::Summary => "summary",
            SectionKind::Duration => "duration",
            SectionKind::Impact => "impact",
            SectionKind::RootCause => "root_cause",
            SectionKind::Trigger => "trigger",
            SectionKind::Detection => "detection",
            SectionKind::Timeline => "timeline",
            SectionKind::Resolution => "resolution",
            SectionKind::RootCauseAndResolution => "root_cause_and_resolution",
            SectionKind::Tasks => "tasks",
            SectionKind::Lessons => "lessons",
            SectionKind::Other => "other",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        let all = [
            SectionKind::Summary,
            SectionKind::Duration,
            SectionKind::Impact,
            SectionKind::RootCause,
            SectionKind::Trigger,
            SectionKind::Detection,
            SectionKind::Timeline,
            SectionKind::Resolution,
            SectionKind::RootCauseAndResolution,
            SectionKind::Tasks,
            SectionKind::Lessons,
            SectionKind::Other,
        ];
        let name = name.trim().to_ascii_lowercase().replace([' ', '-'], "_");
        all.into_iter().find(|kind| kind.name() == name)
    }

    /// Whether a section of this kind, left empty, holds the sections after it that are
    /// of `part`'s kind ("#Root Cause and Resolution" then "#Root Cause:", "#Resolution:").
    fn holds(self, part: SectionKind) -> bool {
        use SectionKind::*;
        match self {
            RootCauseAndResolution => matches!(part, RootCause | Resolution | Trigger),
            Summary => matches!(part, Duration | Impact | RootCause | Trigger | Detection),
            Tasks => part == Tasks,
            Lessons => part == Lessons,
            _ => false,
        }
    }
}

/// Word patterns that say what a section title means, tried in order.
const RULES: &[(SectionKind, &[&str])] = &[
    (
        SectionKind::RootCauseAndResolution,
        &[
            "root cause and resolution",
            "root causes and resolution",
            "cause and resolution",
            "root cause and fix",
            "root cause and remediation",
            "cause and fix",
        ],
    ),
    (
        SectionKind::Timeline,
        &[
            "timeline",
            "time line",
            "chronology",
            "sequence of events",
            "incident log",
            "timeline of events",
        ],
    ),
    (
        SectionKind::Tasks,
        &[
            "action items",
            "action item",
            "action points",
            "action point",
            "action taken",
            "action planned",
            "action plan",
            "actions",
            "corrective",
            "preventive",
            "preventative",
            "follow up",
            "follow ups",
            "followup",
            "followups",
            "tasks",
            "task list",
            "todo",
            "to do",
            "next steps",
            "what we will change",
            "what we re changing",
            "what we will do",
            "what we are changing",
            "changes we are making",
            "doing about it",
            "preventing it from happening again",
            "prevent it from happening again",
            "going forward",
            "improvements",
            "remediations",
            "remediation items",
            "recommendations",
            "measures",
            "prevention",
        ],
    ),
    (SectionKind::Trigger, &["trigger", "triggers"]),
    (
        SectionKind::RootCause,
        &[
            "root cause",
            "root causes",
            "rootcause",
            "cause",
            "causes",
            "contributing factors",
            "cause of the outage",
            "why it happened",
            "why did it happen",
            "why did this happen",
            "what allowed this to happen",
            "what caused it",
            "what caused the outage",
            "what caused the incident",
            "origin of the incident",
            "origin of the outage",
            "the vulnerability",
            "details of the vulnerability",
            "details of vulnerability",
            "vulnerability details",
            "how the exploit worked",
        ],
    ),
    (
        SectionKind::Impact,
        &[
            "impact",
            "impacts",
            "customer impact",
            "user impact",
            "who was affected",
            "users affected",
            "customers affected",
        ],
    ),
    (
        SectionKind::Detection,
        &["detection", "how was it detected", "detected"],
    ),
    (
        SectionKind::Resolution,
        &[
            "resolution",
            "resolutions",
            "recovery",
            "mitigation",
            "fix",
            "the fix",
            "how we fixed it",
            "resolved",
            "remediation",
            "response",
        ],
    ),
    (
        SectionKind::Duration,
        &[
            "duration",
            "outage duration",
            "duration of the outage",
            "incident duration",
            "time of outage",
        ],
    ),
    (
        SectionKind::Summary,
        &[
            "summary",
            "issue summary",
            "overview",
            "executive summary",
            "incident summary",
            "what happened",
            "what was the problem",
            "problem description",
            "description",
            "background",
            "tl dr",
            "tldr",
            "abstract",
        ],
    ),
    (
        SectionKind::Lessons,
        &[
            "lessons",
            "lessons learned",
            "lessons learnt",
            "learnings",
            "what went well",
            "what went wrong",
            "where we got lucky",
            "takeaways",
            "retrospective",
        ],
    ),
];

/// `RULES` indexed by each phrase's first word: (rule position, kind, the phrase's words).
/// A title is checked word by word against the phrases that can start there, so most
/// lines are rejected with one hash lookup per word.
/// (rule position, kind, the phrase's words).
type Phrase = (usize, SectionKind, Vec<&'static str>);

static PHRASES_BY_FIRST_WORD: LazyLock<HashMap<&'static str, Vec<Phrase>>> = LazyLock::new(|| {
    let mut index: HashMap<&'static str, Vec<Phrase>> = HashMap::new();
    for (position, (kind, phrases)) in RULES.iter().enumerate() {
        for phrase in *phrases {
            let words: Vec<&'static str> = phrase.split(' ').collect();
            index
                .entry(words[0])
                .or_default()
                .push((position, *kind, words));
        }
    }
    index
});

/// Maps section titles to kinds: the built-in rules plus the site's `[aliases]`.
#[derive(Debug, Clone, Default)]
pub struct SectionAliases {
    extra: BTreeMap<String, SectionKind>,
}

impl SectionAliases {
    pub fn new(config_aliases: &BTreeMap<String, String>) -> Self {
        let extra = config_aliases
            .iter()
            .filter_map(|(title, kind)| {
                Some((normalize_title(title), SectionKind::from_name(kind)?))
            })
            .collect();
        SectionAliases { extra }
    }

    /// What a title is about, or `None` when it matches nothing.
    pub fn classify(&self, title: &str) -> Option<SectionKind> {
        let normalized = normalize_title(title);
        if normalized.is_empty() {
            return None;
        }
        if let Some(kind) = self.extra.get(&normalized) {
            return Some(*kind);
        }
        let words: Vec<&str> = normalized.split(' ').collect();
        let mut best: Option<(usize, SectionKind)> = None;
        for start in 0..words.len() {
            let Some(candidates) = PHRASES_BY_FIRST_WORD.get(words[start]) else {
                continue;
            };
            for (position, kind, phrase) in candidates {
                if words[start..].starts_with(phrase) && best.is_none_or(|(p, _)| *position < p) {
                    best = Some((*position, *kind));
                }
            }
        }
        best.map(|(_, kind)| kind)
    }

    /// Whether a title is exactly one of the section names ("Issue Summary", "Timeline
    /// (UTC)"), not merely a title that mentions one.
    pub fn is_exact_name(&self, title: &str) -> bool {
        let normalized = normalize_title(title);
        self.extra.contains_key(&normalized)
            || RULES
                .iter()
                .any(|(_, phrases)| phrases.contains(&normalized.as_str()))
    }

    /// Like `classify`, but only for short titles: a label line such as `Root Cause:`
    /// is a heading, a sentence that happens to contain "cause" is not.
    fn classify_label(&self, label: &str) -> Option<SectionKind> {
        let words = normalize_title(label).split(' ').count();
        (words <= 6).then(|| self.classify(label)).flatten()
    }
}

/// Lowercase words only: "#Root Cause and Resolution:" -> "root cause and resolution".
pub fn normalize_title(title: &str) -> String {
    // Drop a leading number ("1. Summary") and a parenthetical ("Timeline (UTC)").
    let title = LEADING_NUMBER.replace(title.trim(), "");
    let title = match title.find('(') {
        Some(i) if i > 0 => &title[..i],
        _ => &title[..],
    };
    let mut out = String::with_capacity(title.len());
    for word in title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&word.to_lowercase());
    }
    out
}

static LEADING_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| compile(r"^(?:\d+[.)]|[IVX]+\.)\s+").unwrap());

/// A section of a postmortem, in file order.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// The title as written (emphasis and trailing colon removed); `None` for the preamble.
    pub title: Option<String>,
    pub kind: SectionKind,
    /// 0 for a top-level section, 1 or 2 for the parts inside one.
    pub depth: u8,
    /// 1-based file line of the heading (of the first body line for the preamble).
    pub line: usize,
    /// The markdown of the body, without the heading.
    pub body: String,
    /// 1-based file line where `body` starts.
    pub body_line: usize,
    /// What each line of `body` is, from the file's markdown outline.
    pub roles: Vec<LineRole>,
}

impl Section {
    /// The body's lines outside code blocks and raw HTML, with their 1-based file line
    /// numbers: what the extractors read. Code is shown as code, so a task or a time in
    /// it is never a fact.
    pub fn text_lines(&self) -> impl Iterator<Item = (usize, &str)> {
        self.lines_with_roles()
            .filter(|(_, role, _)| !role.is_code())
            .map(|(number, _, line)| (number, line))
    }

    /// The body's text as blocks: a paragraph, or a list item with its continuation
    /// lines, joined with spaces, with the file line it starts on; every other line
    /// (a table row, a heading) is a block of its own. Code and HTML are left out. A
    /// sentence wrapped across lines ("(Between\n1:46pm - 5:30pm)") is read whole.
    pub fn text_blocks(&self) -> Vec<(usize, String)> {
        let mut blocks: Vec<(usize, String)> = Vec::new();
        let mut open = false;
        for (number, role, line) in self.lines_with_roles() {
            let text = line.trim();
            if role.is_code() || text.is_empty() {
                open = false;
                continue;
            }
            let continues = matches!(role, LineRole::Paragraph)
                || matches!(role, LineRole::ListItem { marker: false, .. });
            match blocks.last_mut() {
                Some((_, block)) if open && continues => {
                    block.push(' ');
                    block.push_str(text);
                }
                _ => blocks.push((number, text.to_string())),
            }
            open = matches!(role, LineRole::Paragraph | LineRole::ListItem { .. });
        }
        blocks
    }

    /// Every line of the body with its file line number and its role.
    pub fn lines_with_roles(&self) -> impl Iterator<Item = (usize, LineRole, &str)> {
        self.body.lines().enumerate().map(move |(i, line)| {
            let role = self.roles.get(i).copied().unwrap_or_default();
            (self.body_line + i, role, line)
        })
    }

    /// The body's words without markup, code blocks or raw HTML; a table's rows read as
    /// `Header: value` pairs.
    pub fn prose(&self) -> String {
        super::text::prose_text(&self.body)
    }

    /// The file line of the first non-blank line of the body, where its text starts.
    pub fn first_text_line(&self) -> usize {
        self.text_lines()
            .find(|(_, l)| !l.trim().is_empty())
            .map_or(self.body_line, |(n, _)| n)
    }

    /// The section as if a 4-space indented block (which Markdown would show as code)
    /// were not indented: some templates indent whole timelines and task lists.
    pub fn dedented(&self) -> Section {
        let lines: Vec<&str> = self.body.lines().collect();
        let indented = lines
            .iter()
            .filter(|l| !l.trim().is_empty())
            .all(|l| l.starts_with("    ") || l.starts_with('\t'));
        if !indented || lines.iter().all(|l| l.trim().is_empty()) {
            return self.clone();
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
        let roles = MarkdownOutline::new(&body, self.body_line).roles_of(self.body_line, count);
        Section {
            body,
            roles,
            ..self.clone()
        }
    }

    pub fn is_empty(&self) -> bool {
        self.body
            .trim()
            .trim_matches(['-', '*', '_', '=', ' ', '\n'])
            .is_empty()
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
    let bold = if first == '*' || first == '_' {
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
            offset: None,
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
            offset: None,
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
    fn config_aliases_extend_the_table() {
        let mut extra = BTreeMap::new();
        extra.insert("What broke".to_string(), "root_cause".to_string());
        let aliases = SectionAliases::new(&extra);
        assert_eq!(
            aliases.classify("## What broke?"),
            Some(SectionKind::RootCause)
        );
        assert_eq!(
            aliases.classify("Contributing Factors"),
            Some(SectionKind::RootCause)
        );
        assert_eq!(aliases.classify("Appendix"), None);
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
