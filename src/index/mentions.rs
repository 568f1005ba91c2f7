//! Backlinks: an incident that names another one (its id, as in "same as INC-2024-007",
//! or a link to its page) references it, and the page of the one named lists who did.
//! A link to an incident that does not exist is reported.

use std::collections::{BTreeSet, HashMap};
use std::sync::LazyLock;

use rayon::prelude::*;
use regex::Regex;

use crate::diagnostic::Diagnostic;
use crate::model::Archive;

/// Words that could be ids: letters, digits, `-` and `_`.
static WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[A-Za-z0-9][A-Za-z0-9_-]*[A-Za-z0-9]").unwrap());
/// A link to an incident page: `incidents/<id>/` (relative or absolute).
static PAGE_LINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\bincidents/([a-z0-9][a-z0-9-]*)/").unwrap());

/// Who references whom, by position in the archive; both lists sorted, no duplicates.
#[derive(Debug, Default, Clone)]
pub struct Mentions {
    pub references: Vec<Vec<usize>>,
    pub referenced_by: Vec<Vec<usize>>,
}

/// An id is named in prose only when it could not be an ordinary word: it has a digit or
/// a dash and at least five characters ("inc-2024-007", not "db").
pub fn is_distinctive(id: &str) -> bool {
    id.len() >= 5 && id.contains(|c: char| c.is_ascii_digit() || c == '-')
}

pub fn find_mentions(archive: &Archive, diagnostics: &mut Vec<Diagnostic>) -> Mentions {
    let ids: HashMap<&str, usize> = archive
        .incidents
        .iter()
        .enumerate()
        .map(|(position, incident)| (incident.id.as_str(), position))
        .collect();
    let found: Vec<(BTreeSet<usize>, Vec<Diagnostic>)> = archive
        .incidents
        .par_iter()
        .enumerate()
        .map(|(position, incident)| {
            let mut targets = BTreeSet::new();
            let mut problems = Vec::new();
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
                            "unknown-incident",
                            format!(
                                "links to incident `{}`, which is not in the archive",
                                &link[1]
                            ),
                        )),
                    }
                }
                for word in WORD
                    .find_iter(line)
                    .map(|w| w.as_str())
                    .filter(|w| is_distinctive(w))
                {
                    let word = word.to_ascii_lowercase();
                    if let Some(&target) = ids.get(word.as_str()) {
                        targets.insert(target);
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
            ("b.md", 6, "unknown-incident")
        );
    }

    #[test]
    fn ordinary_words_are_not_ids() {
        assert!(!is_distinctive("db"));
        assert!(!is_distinctive("outage"));
        assert!(is_distinctive("inc-7"));
        assert!(is_distinctive("2024-06-07-db"));
    }
}
