//! Related incidents: for each incident, the few others that share the most (and the
//! rarest) root-cause tags and services. Scored through postings, one list per tag or
//! service, so the work grows with the incidents that share something, not with all
//! pairs; very common terms, which say little, are skipped past a cap.

use rustc_hash::FxHashMap;

use crate::model::Archive;

/// How many related incidents each page shows.
pub const RELATED: usize = 5;

/// Terms shared by more incidents than this are too common to relate anything, and
/// would make scoring quadratic.
const COMMON: usize = 200;

/// For each incident (by position), its related incidents by position, best first.
pub fn related_incidents(archive: &Archive) -> Vec<Vec<usize>> {
    // Postings: term -> incidents that have it. Services weigh more than tags: sharing
    // a service is a stronger sign of the same kind of failure.
    let mut postings: FxHashMap<(u8, &str), Vec<usize>> = FxHashMap::default();
    for (position, incident) in archive.incidents.iter().enumerate() {
        for tag in &incident.tags {
            postings
                .entry((0, tag.name.as_str()))
                .or_default()
                .push(position);
        }
        for service in &incident.services {
            postings
                .entry((1, service.as_str()))
                .or_default()
                .push(position);
        }
    }
    // The scores of the incidents that share something with the one at hand, by
    // position (zero for the rest), and which those are: kept from one incident to the
    // next rather than hashed anew.
    let mut scores = vec![0f64; archive.incidents.len()];
    let mut sharing: Vec<usize> = Vec::new();
    let mut related = Vec::with_capacity(archive.incidents.len());
    for (position, incident) in archive.incidents.iter().enumerate() {
        let terms = incident
            .tags
            .iter()
            .map(|t| ((0u8, t.name.as_str()), if t.inferred { 0.5 } else { 1.0 }))
            .chain(incident.services.iter().map(|s| ((1u8, s.as_str()), 1.5)));
        for (term, weight) in terms {
            let Some(others) = postings.get(&term) else {
                continue;
            };
            if others.len() > COMMON {
                continue;
            }
            // Rarer terms count more.
            let rarity = 1.0 / (others.len() as f64).ln_1p();
            for &other in others.iter().filter(|&&o| o != position) {
                // Every share adds more than zero.
                if scores[other] == 0.0 {
                    sharing.push(other);
                }
                scores[other] += weight * rarity;
            }
        }
        let mut ranked: Vec<(usize, f64)> = sharing
            .drain(..)
            .map(|other| (other, std::mem::take(&mut scores[other])))
            .collect();
        // Best score first; ties go to the newer incident (smaller position), so the
        // order never depends on the order they were found in.
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        related.push(
            ranked
                .into_iter()
                .take(RELATED)
                .map(|(other, _)| other)
                .collect(),
        );
    }
    related
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{parse_incident, ParseOptions};

    fn archive(texts: &[&str]) -> Archive {
        let incidents = texts
            .iter()
            .enumerate()
            .map(|(i, text)| parse_incident(&format!("{i}.md"), text, &ParseOptions::default()))
            .collect();
        Archive::new(incidents)
    }

    #[test]
    fn shared_rare_terms_rank_first_and_unrelated_are_left_out() {
        let a = archive(&[
            "---\ntitle: A\ndate: 2024-01-04\ntags: [dns, config]\nservices: [edge]\n---\n",
            "---\ntitle: B\ndate: 2024-01-03\ntags: [dns]\nservices: [edge]\n---\n",
            "---\ntitle: C\ndate: 2024-01-02\ntags: [config]\n---\n",
            "---\ntitle: D\ndate: 2024-01-01\ntags: [memory]\n---\n",
        ]);
        let related = related_incidents(&a);
        assert_eq!(
            related[0],
            [1, 2],
            "B shares tag and service; C one tag; D nothing"
        );
        assert!(related[3].is_empty());
    }

    #[test]
    fn ties_break_by_newer_first() {
        let a = archive(&[
            "---\ntitle: A\ndate: 2024-01-03\ntags: [dns]\n---\n",
            "---\ntitle: B\ndate: 2024-01-02\ntags: [dns]\n---\n",
            "---\ntitle: C\ndate: 2024-01-01\ntags: [dns]\n---\n",
        ]);
        assert_eq!(related_incidents(&a)[2], [0, 1]);
    }
}
