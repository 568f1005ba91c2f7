//! Backlinks: an incident that names another one (its id, as in "same as INC-2024-007",
//! or a link to its page) references it, and the page of the one named lists who did.
//! A link to an incident that does not exist is reported, and so is a word shaped like
//! the archive's ids ("INC-2024-099" in an archive of `INC-<year>-<n>`) that names none.

use std::collections::{BTreeSet, HashSet};
use std::sync::LazyLock;

use rayon::prelude::*;
use regex::Regex;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::diagnostic::{Code, Diagnostic};
use crate::model::Archive;

/// A link to an incident page: `incidents/<id>/` (relative or absolute).
static PAGE_LINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\bincidents/([a-z0-9][a-z0-9-]*)/").unwrap());

/// A tracker-style id: two or more letters, then digit groups ("INC-2024-017", "pm2023-004").
static TRACKER_ID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([a-z]{2,})[-_]?([0-9]+(?:[-_][0-9]+)*)$").unwrap());

/// The shape of a tracker-style id: its letter prefix and how many digit groups follow.
/// `INC-2024-017` and `inc-2025-3` share a shape; `JIRA-1234` and `INC-2024` do not.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct IdShape {
    prefix: String,
    digit_groups: usize,
}

/// The shape of `word` (already lower case) when it is a tracker-style id.
fn id_shape(word: &str) -> Option<IdShape> {
    // Most words fail these, and they are far cheaper than the pattern.
    let bytes = word.as_bytes();
    if bytes.len() < 3 || !bytes[..2].iter().all(u8::is_ascii_lowercase) {
        return None;
    }
    if !bytes.last().is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let parts = TRACKER_ID.captures(word)?;
    Some(IdShape {
        prefix: parts[1].to_string(),
        digit_groups: parts[2].split(['-', '_']).count(),
    })
}

/// Who references whom, by position in the archive; both lists sorted, no duplicates.
#[derive(Debug, Default, Clone)]
pub struct Mentions {
    pub references: Vec<Vec<usize>>,
    pub referenced_by: Vec<Vec<usize>>,
}

/// Words that could be ids, with their byte offsets: what the pattern
/// `[A-Za-z0-9][A-Za-z0-9_-]*[A-Za-z0-9]` finds, left to right. Written out as a byte
/// scan: every line of every postmortem goes through it, here and on the pages, and the
/// regex cost more than the rest of the mention search together.
pub fn id_words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let bytes = text.as_bytes();
    let in_word = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'_';
    let mut at = 0;
    std::iter::from_fn(move || loop {
        // A run of word bytes; the word in it starts at its first letter or digit and
        // ends after its last (`-` and `_` only join).
        let start = at
            + bytes[at..]
                .iter()
                .position(|&b| b.is_ascii_alphanumeric())?;
        let run = start
            + bytes[start..]
                .iter()
                .position(|&b| !in_word(b))
                .unwrap_or(bytes.len() - start);
        at = run;
        let end = start
            + 1
            + bytes[start + 1..run]
                .iter()
                .rposition(|b| b.is_ascii_alphanumeric())
                .map_or(0, |i| i + 1);
        if end - start >= 2 {
            return Some((start, &text[start..end]));
        }
    })
}

/// An id is named in prose only when it could not be an ordinary word: it has a digit or
/// a dash and at least five characters ("inc-2024-007", not "db").
pub fn is_distinctive(id: &str) -> bool {
    id.len() >= 5 && id.contains(|c: char| c.is_ascii_digit() || c == '-')
}

pub fn find_mentions(archive: &Archive, diagnostics: &mut Vec<Diagnostic>) -> Mentions {
    let ids: FxHashMap<&str, usize> = archive
        .incidents
        .iter()
        .enumerate()
        .map(|(position, incident)| (incident.id.as_str(), position))
        .collect();
    // Only shapes this archive uses can flag a word: an archive of date-slug ids learns
    // none, so no word in it is ever taken for a missing incident.
    let shapes: HashSet<IdShape> = ids.keys().filter_map(|id| id_shape(id)).collect();
    let found: Vec<(BTreeSet<usize>, Vec<Diagnostic>)> = archive
        .incidents
        .par_iter()
        .enumerate()
        .map(|(position, incident)| {
            let mut targets = BTreeSet::new();
            let mut problems = Vec::new();
            let mut unknown = FxHashSet::default();
            let mut word = String::new();
            for (index, line) in incident.source_text.lines().enumerate() {
                let links = if line.contains("incidents/") {
                    Some(PAGE_LINK.captures_iter(line))
                } else {
                    None
                };
                for link in links.into_iter().flatten() {
                    match ids.get(&link[1]) {
                        Some(&target) => {
                            targets.insert(target);
                        }
                        None => problems.push(Diagnostic::warning(
                            &incident.source,
                            index + 1,
                            Code::UnknownIncident,
                            format!(
                                "links to incident `{}`, which is not in the archive",
                                &link[1]
                            ),
                        )),
                    }
                }
                for written in id_words(line)
                    .map(|(_, w)| w)
                    .filter(|w| is_distinctive(w))
                {
                    word.clear();
                    word.push_str(written);
                    word.make_ascii_lowercase();
                    if let Some(&target) = ids.get(word.as_str()) {
                        targets.insert(target);
                    } else if !shapes.is_empty()
                        && id_shape(&word).is_some_and(|shape| shapes.contains(&shape))
                        && unknown.insert((index, word.clone()))
                    {
                        problems.push(Diagnostic::warning(
                            &incident.source,
                            index + 1,
                            Code::UnknownIncident,
                            format!(
                                "mentions `{word}`, which looks like an incident id but no incident has it"
                            ),
                        ));
                    }
                }
            }
            targets.remove(&position);
            (targets, problems)
        })
        .collect();
    let mut mentions = Mentions {
        references: Vec::with_capacity(found.len()),
        referenced_by: vec![Vec::new(); found.len()],
    };
    for (position, (targets, problems)) in found.into_iter().enumerate() {
        diagnostics.extend(problems);
        for &target in &targets {
            mentions.referenced_by[target].push(position);
        }
        mentions.references.push(targets.into_iter().collect());
    }
    mentions
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{parse_incident, ParseOptions};

    #[test]
    fn ids_and_page_links_reference_and_unknown_links_warn() {
        let incidents = vec![
            parse_incident("a.md", "---\nid: inc-2024-001\ntitle: A\ndate: 2024-01-02\n---\nSame as INC-2024-002.\n", &ParseOptions::default()),
            parse_incident("b.md", "---\nid: inc-2024-002\ntitle: B\ndate: 2024-01-01\n---\nSee ../incidents/nope-404/ and db.\n", &ParseOptions::default()),
        ];
        let archive = Archive::new(incidents);
        let mut diagnostics = Vec::new();
        let mentions = find_mentions(&archive, &mut diagnostics);
        assert_eq!(mentions.references, [vec![1], vec![]]);
        assert_eq!(mentions.referenced_by, [vec![], vec![0]]);
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(
            (
                diagnostics[0].path.as_str(),
                diagnostics[0].line,
                diagnostics[0].code
            ),
            ("b.md", 6, Code::UnknownIncident)
        );
    }

    #[test]
    fn words_shaped_like_the_archive_ids_warn_when_no_incident_has_them() {
        let text = "---\nid: INC-2024-001\ntitle: A\ndate: 2024-01-02\n---\n\
            A repeat of INC-2024-099 and inc-2023-7, twice: INC-2024-099.\n\
            Not ids: JIRA-1234, INC-2024, v1-2-3, inc-2024-001-notes, release 2024-06-01, INCX-2024-5.\n";
        let archive = Archive::new(vec![parse_incident("a.md", text, &ParseOptions::default())]);
        let mut diagnostics = Vec::new();
        find_mentions(&archive, &mut diagnostics);
        let found: Vec<(usize, &str)> = diagnostics
            .iter()
            .map(|d| (d.line, d.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (6, "mentions `inc-2024-099`, which looks like an incident id but no incident has it"),
                (6, "mentions `inc-2023-7`, which looks like an incident id but no incident has it"),
            ]
        );
    }

    #[test]
    fn archives_of_date_slug_ids_learn_no_shape() {
        assert_eq!(id_shape("2024-06-07-db-outage"), None);
        assert_eq!(id_shape("v1-2"), None);
        assert_eq!(
            id_shape("pm2023-004"),
            Some(IdShape {
                prefix: "pm".into(),
                digit_groups: 2
            })
        );
    }

    proptest::proptest! {
        /// The byte scan finds exactly what the pattern it stands for finds.
        #[test]
        fn id_words_match_the_pattern(text in "[a-zA-Z0-9 _\\-.:é/]{0,40}") {
            let pattern = Regex::new(r"[A-Za-z0-9][A-Za-z0-9_-]*[A-Za-z0-9]").unwrap();
            let expected: Vec<(usize, &str)> =
                pattern.find_iter(&text).map(|m| (m.start(), m.as_str())).collect();
            let found: Vec<(usize, &str)> = id_words(&text).collect();
            proptest::prop_assert_eq!(found, expected);
        }
    }

    proptest::proptest! {
        /// The quick checks in front of the pattern turn nothing away that it takes.
        #[test]
        fn id_shape_agrees_with_the_pattern(word in "[a-z]{0,4}[-_]?[0-9]{0,3}([-_][0-9a-z]{0,2})?") {
            proptest::prop_assert_eq!(id_shape(&word).is_some(), TRACKER_ID.is_match(&word));
        }
    }

    #[test]
    fn id_words_split_at_other_characters() {
        let found: Vec<&str> = id_words("x INC-2024-007, -db_1- é9z a-")
            .map(|(_, w)| w)
            .collect();
        assert_eq!(found, ["INC-2024-007", "db_1", "9z"]);
    }

    #[test]
    fn ordinary_words_are_not_ids() {
        assert!(!is_distinctive("db"));
        assert!(!is_distinctive("outage"));
        assert!(is_distinctive("inc-7"));
        assert!(is_distinctive("2024-06-07-db"));
    }
}
