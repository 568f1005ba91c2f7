//! Redirects for renamed incidents: each alias in an incident's frontmatter becomes a
//! page at the old address that sends readers to the new one. An alias that would take
//! the place of a real page, or that two incidents claim, is reported and skipped.

use std::collections::BTreeMap;

use crate::diagnostic::{Code, Diagnostic};
use crate::model::Archive;

/// Top-level folders the site's own pages live in; an alias may not write into them.
const SITE_FOLDERS: [&str; 9] = [
    "tags/",
    "services/",
    "severity/",
    "years/",
    "months/",
    "insights/",
    "tasks/",
    "search/",
    "static/",
];

/// An old address (a site folder such as `incidents/old-id/`) and the incident it
/// now leads to, by position in the archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    pub from: String,
    pub to: usize,
}

pub fn redirects(archive: &Archive, diagnostics: &mut Vec<Diagnostic>) -> Vec<Redirect> {
    let pages: BTreeMap<String, &str> = archive
        .incidents
        .iter()
        .map(|i| (format!("incidents/{}/", i.id), i.id.as_str()))
        .collect();
    let mut claimed: BTreeMap<String, usize> = BTreeMap::new();
    let mut found = Vec::new();
    for (position, incident) in archive.incidents.iter().enumerate() {
        for alias in &incident.aliases {
            let from = &alias.value;
            let problem = if let Some(owner) = pages.get(from) {
                Some(format!(
                    "alias `{from}` is the address of incident `{owner}`; no redirect is written"
                ))
            } else if let Some(folder) = SITE_FOLDERS.iter().find(|f| from.starts_with(*f)) {
                Some(format!("alias `{from}` is inside `{folder}`, where the site's own pages are; no redirect is written"))
            } else if let Some(&first) = claimed.get(from) {
                (first != position).then(|| {
                    format!(
                        "alias `{from}` is already claimed by incident `{}`; no redirect is written",
                        archive.incidents[first].id
                    )
                })
            } else {
                claimed.insert(from.clone(), position);
                found.push(Redirect {
                    from: from.clone(),
                    to: position,
                });
                None
            };
            if let Some(message) = problem {
                diagnostics.push(Diagnostic::warning(
                    &incident.source,
                    alias.line,
                    Code::AliasCollision,
                    message,
                ));
            }
        }
    }
    found.sort_by(|a, b| a.from.cmp(&b.from));
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{parse_incident, ParseOptions};

    #[test]
    fn aliases_redirect_unless_they_take_a_page_or_are_taken() {
        let archive = Archive::new(vec![
            parse_incident("a.md", "---\nid: inc-2\ntitle: A\ndate: 2024-02-01\naliases: [INC-1, /old/Checkout Outage.html, inc-3, tags/db]\n---\n# A\n", &ParseOptions::default()),
            parse_incident("b.md", "---\nid: inc-3\ntitle: B\ndate: 2024-01-01\naliases: [inc-1]\n---\n# B\n", &ParseOptions::default()),
        ]);
        let mut diagnostics = Vec::new();
        let found = redirects(&archive, &mut diagnostics);
        let pairs: Vec<(&str, &str)> = found
            .iter()
            .map(|r| (r.from.as_str(), archive.incidents[r.to].id.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("incidents/inc-1/", "inc-2"),
                ("old/checkout-outage/", "inc-2")
            ]
        );
        let messages: Vec<(usize, &str)> = diagnostics
            .iter()
            .map(|d| (d.line, d.message.as_str()))
            .collect();
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert!(messages.iter().all(|(line, _)| *line == 5), "{messages:?}");
        assert!(messages[0].1.contains("address of incident `inc-3`"));
        assert!(messages[1].1.contains("inside `tags/`"));
        assert!(messages[2]
            .1
            .contains("already claimed by incident `inc-2`"));
    }
}
