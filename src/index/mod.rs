//! Cross-incident views: which incidents share a root-cause tag, a service, a severity
//! or a year. Built in one pass over the archive (postings, never all pairs), in a
//! deterministic order.

pub mod aliases;
pub mod insights;
pub mod mentions;
pub mod related;
pub mod search;
pub mod task_query;
pub mod tasks;

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use crate::diagnostic::{Code, Diagnostic};
use crate::model::slug::slugify;
use crate::model::Archive;

/// Everything the index step finds across incidents, for the pages.
#[derive(Debug, Clone)]
pub struct ArchiveIndex {
    pub taxonomies: Vec<Taxonomy>,
    /// Per incident, the positions of its related incidents, best first.
    pub related: Vec<Vec<usize>>,
    pub mentions: mentions::Mentions,
    pub insights: insights::Insights,
    pub tasks: tasks::TaskBoard,
    /// Pages at incidents' old addresses, sorted by address.
    pub redirects: Vec<aliases::Redirect>,
    /// `None` when the config turns search off.
    pub search: Option<search::SearchIndex>,
}

/// Builds every cross-incident view of the archive; problems found go to `diagnostics`.
pub fn index_archive(
    archive: &Archive,
    today: NaiveDate,
    due_soon_days: u32,
    with_search: bool,
    search_cache: Option<&mut search::AnalysisCache>,
    diagnostics: &mut Vec<Diagnostic>,
) -> ArchiveIndex {
    let taxonomies = build_taxonomies(archive, diagnostics);
    // The search index is the largest part and needs only the taxonomies: it is built
    // beside the rest.
    let (search, (task_board, related, mentions, insights)) = rayon::join(
        || {
            with_search
                .then(|| search::build_search_index_reusing(archive, &taxonomies, search_cache))
        },
        || {
            let task_board = tasks::TaskBoard::new(archive, today, due_soon_days);
            diagnostics.extend(tasks::task_problems(archive, &task_board));
            let related = related::related_incidents(archive);
            let mentions = mentions::find_mentions(archive, diagnostics);
            (
                task_board,
                related,
                mentions,
                insights::compute(archive, today),
            )
        },
    );
    ArchiveIndex {
        search,
        redirects: aliases::redirects(archive, diagnostics),
        taxonomies,
        related,
        mentions,
        insights,
        tasks: task_board,
    }
}

/// One way of grouping incidents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaxonomyKind {
    Tags,
    Services,
    Severity,
    Years,
    Months,
}

impl TaxonomyKind {
    pub const ALL: [TaxonomyKind; 5] = [
        TaxonomyKind::Tags,
        TaxonomyKind::Services,
        TaxonomyKind::Severity,
        TaxonomyKind::Years,
        TaxonomyKind::Months,
    ];

    /// Whether the header links to it (months are reached from the years page).
    pub fn in_nav(self) -> bool {
        self != TaxonomyKind::Months
    }

    /// The folder of its pages: `tags`, `services`, `severity`, `years`, `months`.
    pub fn folder(self) -> &'static str {
        match self {
            TaxonomyKind::Tags => "tags",
            TaxonomyKind::Services => "services",
            TaxonomyKind::Severity => "severity",
            TaxonomyKind::Years => "years",
            TaxonomyKind::Months => "months",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            TaxonomyKind::Tags => "Root-cause tags",
            TaxonomyKind::Services => "Services",
            TaxonomyKind::Severity => "Severity",
            TaxonomyKind::Years => "Years",
            TaxonomyKind::Months => "Months",
        }
    }
}

/// One value of a taxonomy ("database") and the incidents that have it.
#[derive(Debug, Clone)]
pub struct Term {
    pub slug: String,
    pub name: String,
    /// Positions in `Archive::incidents`, so newest first.
    pub incidents: Vec<usize>,
    /// How many of those carry the term only because pmsite inferred it.
    pub inferred: usize,
    pub total_minutes: i64,
    pub latest: Option<NaiveDate>,
}

#[derive(Debug, Clone)]
pub struct Taxonomy {
    pub kind: TaxonomyKind,
    /// Most incidents first, then by name.
    pub terms: Vec<Term>,
}

/// Every taxonomy of the archive. Two spellings that slugify alike ("config change",
/// "config-change") share a page; the second spelling is reported.
pub fn build_taxonomies(archive: &Archive, diagnostics: &mut Vec<Diagnostic>) -> Vec<Taxonomy> {
    TaxonomyKind::ALL
        .iter()
        .map(|&kind| build_taxonomy(archive, kind, diagnostics))
        .collect()
}

fn build_taxonomy(
    archive: &Archive,
    kind: TaxonomyKind,
    diagnostics: &mut Vec<Diagnostic>,
) -> Taxonomy {
    let mut terms: BTreeMap<String, Term> = BTreeMap::new();
    for (position, incident) in archive.incidents.iter().enumerate() {
        let values: Vec<(String, bool)> = match kind {
            TaxonomyKind::Tags => incident
                .tags
                .iter()
                .map(|t| (t.name.clone(), t.inferred))
                .collect(),
            TaxonomyKind::Services => incident
                .services
                .iter()
                .map(|s| (s.clone(), false))
                .collect(),
            TaxonomyKind::Severity => incident
                .severity
                .iter()
                .map(|s| (normalize_severity(s), false))
                .collect(),
            TaxonomyKind::Years => incident
                .date()
                .map(|d| (d.year().to_string(), false))
                .into_iter()
                .collect(),
            TaxonomyKind::Months => incident
                .date()
                .map(|d| (format!("{:04}-{:02}", d.year(), d.month()), false))
                .into_iter()
                .collect(),
        };
        for (name, inferred) in values {
            let slug = slugify(&name);
            let term = terms.entry(slug.clone()).or_insert_with(|| Term {
                slug,
                name: name.clone(),
                incidents: Vec::new(),
                inferred: 0,
                total_minutes: 0,
                latest: None,
            });
            if term.name != name {
                diagnostics.push(Diagnostic::warning(
                    &incident.source,
                    1,
                    Code::SlugCollision,
                    format!(
                        "{} `{name}` shares the page of `{}` (both are `{}`)",
                        kind.folder(),
                        term.name,
                        term.slug
                    ),
                ));
            }
            if term.incidents.last() == Some(&position) {
                continue;
            }
            term.incidents.push(position);
            term.inferred += usize::from(inferred);
            term.total_minutes = term
                .total_minutes
                .saturating_add(incident.duration_minutes.unwrap_or(0));
            term.latest = term.latest.max(incident.date());
        }
    }
    let mut terms: Vec<Term> = terms.into_values().collect();
    match kind {
        TaxonomyKind::Years | TaxonomyKind::Months => terms.sort_by(|a, b| b.name.cmp(&a.name)),
        _ => terms.sort_by(|a, b| {
            b.incidents
                .len()
                .cmp(&a.incidents.len())
                .then_with(|| a.name.cmp(&b.name))
        }),
    }
    Taxonomy { kind, terms }
}

/// "SEV-2", "sev 2", "Sev2" -> "SEV2"; "P1" -> "P1"; words keep their case folded.
pub fn normalize_severity(severity: &str) -> String {
    let compact: String = severity
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect::<String>()
        .to_uppercase();
    let numbered = ["SEVERITY", "SEV", "P"].iter().find_map(|prefix| {
        let number = compact.strip_prefix(prefix)?;
        (!number.is_empty() && number.chars().all(|c| c.is_ascii_digit()))
            .then(|| format!("{}{number}", if *prefix == "P" { "P" } else { "SEV" }))
    });
    numbered.unwrap_or_else(|| {
        let lower = severity.trim().to_lowercase();
        let mut chars = lower.chars();
        chars
            .next()
            .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
            .unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{parse_incident, ParseOptions};

    fn archive(texts: &[(&str, &str)]) -> Archive {
        Archive::new(
            texts
                .iter()
                .map(|(path, text)| parse_incident(path, text, &ParseOptions::default()))
                .collect(),
        )
    }

    #[test]
    fn tags_group_incidents_newest_first_with_counts() {
        let a = archive(&[
            (
                "a.md",
                "---\ntitle: A\ndate: 2023-01-01\ntags: [database, config]\nduration: 30\n---\n",
            ),
            (
                "b.md",
                "---\ntitle: B\ndate: 2024-05-01\ntags: [database]\nduration: 60\n---\n",
            ),
        ]);
        let mut diagnostics = Vec::new();
        let taxonomies = build_taxonomies(&a, &mut diagnostics);
        let tags = &taxonomies[0];
        assert_eq!(tags.terms[0].name, "database");
        assert_eq!(tags.terms[0].incidents, [0, 1], "newest (b) first");
        assert_eq!(tags.terms[0].total_minutes, 90);
        assert_eq!(tags.terms[0].latest, NaiveDate::from_ymd_opt(2024, 5, 1));
        let years = &taxonomies[3];
        assert_eq!(
            years
                .terms
                .iter()
                .map(|t| t.name.as_str())
                .collect::<Vec<_>>(),
            ["2024", "2023"]
        );
        assert!(diagnostics.is_empty());
    }

    #[test]
    fn spellings_that_share_a_slug_are_reported() {
        let a = archive(&[
            ("a.md", "---\ntitle: A\ntags: [config change]\n---\n"),
            ("b.md", "---\ntitle: B\ntags: [config-change]\n---\n"),
        ]);
        let mut diagnostics = Vec::new();
        let tags = &build_taxonomies(&a, &mut diagnostics)[0];
        assert_eq!(tags.terms.len(), 1);
        assert_eq!(diagnostics[0].code, Code::SlugCollision);
        assert_eq!(diagnostics[0].path, "b.md");
    }

    #[test]
    fn severities_are_normalised() {
        assert_eq!(normalize_severity("SEV-2"), "SEV2");
        assert_eq!(normalize_severity("sev 1"), "SEV1");
        assert_eq!(normalize_severity("P1"), "P1");
        assert_eq!(normalize_severity("HIGH"), "High");
    }
}
