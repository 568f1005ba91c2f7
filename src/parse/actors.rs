//! The people and teams a postmortem names as actors: its `Authors:` or `Owner:` line,
//! an `Actor`/`Who`/`Owner` table column, and the subjects of human verbs outside the
//! task sections ("ICL informs Hypha", "Alice confirms the fix"). Task extraction uses
//! them to tell an owner written first (`Hypha: Make a proposal`) from a category label
//! (`Documentation: Document best practices`), which has the same shape.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use super::pattern::compile;
use regex::Regex;

use crate::model::section::{Section, SectionKind};

/// One name: an acronym or up to three capitalised words ("Hypha", "ICL", "Bob Smith").
pub const NAME: &str = r"\p{Lu}[\p{L}\d'’.-]*(?:\s\p{Lu}[\p{L}\d'’.-]*){0,2}";
/// Names joined by `+`, `&`, `/`, `,` or "and": "Hypha + ICL".
pub static NAMES: LazyLock<String> =
    LazyLock::new(|| format!(r"{NAME}(?:\s*(?:\+|&|/|,|\band\b)\s*{NAME}){{0,3}}"));

static ACTOR_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"(?i)^\s*(?:[-*+]\s+)?[*_]{0,2}(?:authors?|written\s+by|prepared\s+by|owners?|incident\s+(?:commander|lead|owner)|participants|attendees|responders|people(?:\s+involved)?|involved|contributors?)[*_]{0,2}\s*:[*_]{0,2}\s*(?P<names>\S.*)$").unwrap()
});
static ACTOR_TITLE: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"(?i)^(?:authors?|owners?|participants|attendees|responders|people(?:\s+involved)?|contributors?)$").unwrap()
});
static ACTOR_COLUMN: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)^(?:actors?|who|owners?|by|authors?|assignees?|responders?|persons?|people|teams?)\b",
    )
    .unwrap()
});
/// Verbs only people and teams do: a tool "notifies" and "restarts", it does not agree.
static HUMAN_VERB: LazyLock<Regex> = LazyLock::new(|| {
    compile(&format!(
        r"(?:^\s*(?:[-*+]\s+)?|[:|]\s*|\s[–—-]\s+|[.!?]\s+)(?P<names>{})\s+(?:informs?|tells?|asks?|agrees?|decides?|confirms?|announces?|instructs?|thanks?|notices?|identifies|identify|discovers?|determines?|investigates?|realises?|realizes?|acknowledges?|coordinates?|proposes?|requests?|approves?|messages?|contacts?|escalates?|commits?\s+to|takes\s+over|grants?)\b",
        *NAMES
    ))
    .unwrap()
});

/// A word every `HUMAN_VERB` match holds: most lines hold none, and this literal search
/// is far cheaper than the full pattern.
static HUMAN_VERB_STEM: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"inform|tell|ask|agree|decide|confirm|announce|instruct|thank|notice|identif|discover|determine|investigate|reali[sz]e|acknowledge|coordinate|propose|request|approve|message|contact|escalate|commit|takes|grant").unwrap()
});

/// The names a file gives to its people and teams.
#[derive(Debug, Clone, Default)]
pub struct Actors {
    names: BTreeSet<String>,
}

impl Actors {
    /// Reads the actors of a file from its sections (never from inside code).
    pub fn of(sections: &[Section]) -> Actors {
        let mut actors = Actors::default();
        for section in sections {
            let titled = section
                .title
                .as_deref()
                .is_some_and(|t| ACTOR_TITLE.is_match(t.trim()));
            let mut columns: Option<Vec<usize>> = None;
            for (_, line) in section.text_lines() {
                let trimmed = line.trim();
                if trimmed.starts_with('|') {
                    let cells = table_cells(trimmed);
                    match &columns {
                        None => {
                            columns = Some(
                                (0..cells.len())
                                    .filter(|&i| ACTOR_COLUMN.is_match(&cells[i]))
                                    .collect(),
                            )
                        }
                        Some(wanted) => {
                            for &i in wanted {
                                if let Some(cell) = cells.get(i) {
                                    actors.add_all(cell);
                                }
                            }
                        }
                    }
                    continue;
                }
                columns = None;
                if let Some(c) = line
                    .contains(':')
                    .then(|| ACTOR_LABEL.captures(line))
                    .flatten()
                {
                    actors.add_all(&c["names"]);
                } else if titled && trimmed.len() <= 100 {
                    actors.add_all(trimmed.trim_start_matches(['-', '*', '+', ' ']));
                }
                if section.kind != SectionKind::Tasks && HUMAN_VERB_STEM.is_match(line) {
                    for c in HUMAN_VERB.captures_iter(line) {
                        actors.add_all(&c["names"]);
                    }
                }
            }
        }
        actors
    }

    /// Whether `name` is one of the actors, or the first words of one ("Bob" for
    /// "Bob Smith").
    pub fn knows(&self, name: &str) -> bool {
        let name = name.trim();
        self.names.iter().any(|known| {
            known.eq_ignore_ascii_case(name)
                || known
                    .strip_prefix(name)
                    .is_some_and(|rest| rest.starts_with(' '))
        })
    }

    fn add_all(&mut self, names: &str) {
        for name in split_names(names) {
            if is_name_like(&name) {
                self.names.insert(name);
            }
        }
    }
}

/// "Hypha and Interchain Labs", "Hypha & ICL", "Hypha (Lexa)": the names, without
/// markup, handles' `@` or a parenthesised aside.
pub fn split_names(text: &str) -> Vec<String> {
    static SEPARATOR: LazyLock<Regex> =
        LazyLock::new(|| compile(r"\s*(?:[,;&+/]|<>|\band\b|\s[–—-]\s)\s*").unwrap());
    static ASIDE: LazyLock<Regex> = LazyLock::new(|| compile(r"\([^)]*\)").unwrap());
    let text = text.replace(['*', '_', '`'], "");
    let text = ASIDE.replace_all(&text, " ");
    SEPARATOR
        .split(&text)
        .map(|name| name.split_whitespace().collect::<Vec<_>>().join(" "))
        .map(|name| name.trim_matches(['.', ':', '@']).to_string())
        .filter(|name| !name.is_empty())
        .collect()
}

/// Whether `name` reads as a person, team or organisation rather than a category or a
/// common word: an acronym ("ICL", not "CI" or "API"), or capitalised words that are
/// not function words, gerunds or abstract nouns ("Hypha", not "Monitoring",
/// "Documentation", "Training").
pub fn is_name_like(name: &str) -> bool {
    // Acronyms that name a part of a system, not who works on it.
    const TECHNICAL: &[&str] = &[
        "API", "APIS", "CD", "CDN", "CI", "CPU", "DB", "DNS", "ETA", "FAQ", "GPU", "HTTP", "HTTPS",
        "IO", "IP", "KPI", "MR", "NA", "OS", "PR", "QA", "RAM", "RCA", "SLA", "SLI", "SLO", "SQL",
        "SSL", "TBD", "TCP", "TLS", "TODO", "UDP", "UI", "UX", "VM", "VPN", "WIP",
    ];
    // Capitalised words that start items without naming anyone.
    const COMMON: &[&str] = &[
        "a",
        "action",
        "actions",
        "after",
        "all",
        "also",
        "an",
        "and",
        "any",
        "as",
        "at",
        "backup",
        "backups",
        "before",
        "bonus",
        "bug",
        "bugs",
        "but",
        "by",
        "code",
        "config",
        "database",
        "docs",
        "done",
        "due",
        "each",
        "every",
        "everyone",
        "first",
        "fix",
        "follow-up",
        "for",
        "from",
        "future",
        "he",
        "high",
        "i",
        "idea",
        "if",
        "immediate",
        "in",
        "it",
        "later",
        "long-term",
        "low",
        "medium",
        "metrics",
        "next",
        "no",
        "note",
        "notes",
        "now",
        "on",
        "once",
        "ongoing",
        "optional",
        "or",
        "our",
        "owner",
        "priority",
        "process",
        "question",
        "runbook",
        "runbooks",
        "she",
        "short-term",
        "since",
        "so",
        "some",
        "someone",
        "status",
        "step",
        "stretch",
        "task",
        "team",
        "teams",
        "that",
        "the",
        "their",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "to",
        "todo",
        "tooling",
        "update",
        "updates",
        "we",
        "when",
        "while",
        "who",
        "why",
        "with",
        "you",
        "your",
    ];
    const ABSTRACT_ENDINGS: &[&str] = &[
        "ing", "tion", "sion", "ment", "ness", "ity", "ance", "ence", "ics", "ogy", "ure", "ism",
        "ies",
    ];
    let words: Vec<&str> = name.split_whitespace().collect();
    if words.is_empty() || words.len() > 3 {
        return false;
    }
    if words.len() == 1 && is_acronym(words[0]) {
        return !TECHNICAL.contains(&words[0]);
    }
    words.iter().all(|word| {
        let lower = word.to_lowercase();
        word.chars().next().is_some_and(char::is_uppercase)
            && word.chars().any(char::is_lowercase)
            && !COMMON.contains(&lower.as_str())
            && !ABSTRACT_ENDINGS.iter().any(|e| lower.ends_with(e))
    })
}

fn is_acronym(word: &str) -> bool {
    (2..=6).contains(&word.chars().count()) && word.chars().all(|c| c.is_ascii_uppercase())
}

fn table_cells(row: &str) -> Vec<String> {
    let inner = row.trim().trim_start_matches('|');
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    inner.split('|').map(|c| c.trim().to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::section::SectionAliases;
    use crate::parse::sections::split_sections;

    fn actors(text: &str) -> Actors {
        Actors::of(&split_sections(text, 1, &SectionAliases::default()).sections)
    }

    #[test]
    fn names_from_an_authors_line_an_actor_column_and_human_verbs() {
        let got = actors("# Outage\n\n- Authors: Kestrel and Moth Works\n\n## Timeline\n\n| Time | Actor | Event |\n|---|---|---|\n| 10:00 | Kestrel & OPX | Something |\n\n- 11:00 UTC: Lumen informs Kestrel of the fault.\n- 11:05 UTC: Redis restarts.\n");
        assert!(got.knows("Kestrel"));
        assert!(got.knows("Moth Works"));
        assert!(got.knows("Moth"));
        assert!(got.knows("OPX"));
        assert!(got.knows("Lumen"));
        assert!(!got.knows("Redis")); // a tool restarts; it informs nobody
    }

    #[test]
    fn categories_and_common_words_are_not_names() {
        for word in [
            "Documentation",
            "Training",
            "Automation",
            "Monitoring",
            "We",
            "CI",
        ] {
            assert!(!is_name_like(word), "{word}");
        }
        for word in ["Hypha", "ICL", "Bob Smith", "Interchain Labs"] {
            assert!(is_name_like(word), "{word}");
        }
    }
}
