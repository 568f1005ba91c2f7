//! Sections: the parts of a postmortem, what each is about, and the role of each line
//! in them. The table of section names and aliases lives here, the one place that
//! knows that "What went wrong?" is a root cause and "Follow-ups" are tasks; `parse`
//! finds the sections, `render` and `index` read them.

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

/// What one line of the body is part of, as the renderer will show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LineRole {
    /// Blank, or text in no block (between blocks).
    #[default]
    Blank,
    /// A line of a paragraph (outside any list).
    Paragraph,
    /// An ATX or setext heading line (the underline included), with its level.
    Heading(u8),
    /// A line inside a list item; `depth` 0 is a top-level item. `marker` is true on the
    /// line where the item starts.
    ListItem { depth: u8, marker: bool },
    /// A row of a table (the header and the delimiter row included).
    Table,
    /// A fenced or indented code block, fences included.
    Code,
    /// A block of raw HTML.
    Html,
    /// A block quote line that is not in a list.
    Quote,
    /// `---`, `***`.
    Rule,
}

impl LineRole {
    /// Whether the line's words are shown as code (or raw HTML), not as prose.
    pub fn is_code(self) -> bool {
        matches!(self, LineRole::Code | LineRole::Html)
    }
}

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
    pub fn holds(self, part: SectionKind) -> bool {
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
    pub fn classify_label(&self, label: &str) -> Option<SectionKind> {
        let words = normalize_title(label).split(' ').count();
        (words <= 6).then(|| self.classify(label)).flatten()
    }
}

/// Lowercase words only: "#Root Cause and Resolution:" -> "root cause and resolution".
/// A leading number ("1. Summary", "IV. Timeline") and a parenthetical ("Timeline
/// (UTC)") are dropped.
pub fn normalize_title(title: &str) -> String {
    let title = strip_leading_number(title.trim());
    let title = match title.find('(') {
        Some(i) if i > 0 => &title[..i],
        _ => title,
    };
    let mut out = String::with_capacity(title.len());
    for word in title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

/// `1. `, `2) `, `IV. ` and the spaces after them, off the front of a title.
fn strip_leading_number(title: &str) -> &str {
    let numeral = title
        .find(|c: char| !c.is_ascii_digit())
        .filter(|&end| end > 0)
        .filter(|&end| title[end..].starts_with(['.', ')']))
        .or_else(|| {
            title
                .find(|c: char| !matches!(c, 'I' | 'V' | 'X'))
                .filter(|&end| end > 0 && title[end..].starts_with('.'))
        });
    match numeral {
        Some(end) => {
            let rest = &title[end + 1..];
            let after = rest.trim_start();
            if after.len() < rest.len() {
                after
            } else {
                title // "1.5 hours": no space after the mark, not a number heading
            }
        }
        None => title,
    }
}

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

    /// The file line of the first non-blank line of the body, where its text starts.
    pub fn first_text_line(&self) -> usize {
        self.text_lines()
            .find(|(_, l)| !l.trim().is_empty())
            .map_or(self.body_line, |(n, _)| n)
    }

    pub fn is_empty(&self) -> bool {
        self.body
            .trim()
            .trim_matches(['-', '*', '_', '=', ' ', '\n'])
            .is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_normalise_to_lowercase_words() {
        assert_eq!(
            normalize_title("#Root Cause and Resolution:"),
            "root cause and resolution"
        );
        assert_eq!(normalize_title("1. Summary"), "summary");
        assert_eq!(normalize_title("2) Impact"), "impact");
        assert_eq!(normalize_title("IV. Timeline (UTC)"), "timeline");
        assert_eq!(normalize_title("Über-Ärger"), "über ärger");
        // A number with no space after it is part of the title.
        assert_eq!(
            normalize_title("1.5 hours of downtime"),
            "1 5 hours of downtime"
        );
        assert_eq!(normalize_title("2024 outage"), "2024 outage");
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
}
