//! Incidents copied from a status page (Atlassian Statuspage, Instatus, Cachet): a list
//! of updates, newest first, each a status and its text with the time on the next line:
//!
//! ```text
//! **Resolved** - This incident has been resolved.
//! Jun 7, 2024 - 11:45 UTC
//!
//! **Investigating** - We are investigating elevated error rates.
//! Jun 7, 2024 - 10:30 UTC
//! ```
//!
//! Recognised only when a file holds at least two such updates, so a lone
//! `Resolved - yes` line in a normal postmortem stays what it was.

use std::sync::LazyLock;

use regex::Regex;

use super::dates::{leading_moment, DateContext};
use super::pattern::compile;

/// `**Resolved** - text`, `Monitoring: text`, `__Update__ — text`.
static UPDATE: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"^\s{0,3}[*_]{0,2}(?P<status>Resolved|Monitoring|Identified|Investigating|Update|Updated|Mitigated|Verifying|Scheduled|In progress|Completed|Postmortem|Post-mortem)(?::[*_]{0,2}|[*_]{0,2}\s*[-–—:])\s*(?P<text>\S.*)$").unwrap()
});

/// One update as written: its status word and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Update<'a> {
    pub status: &'a str,
    pub text: &'a str,
}

/// The update a line starts, if it reads as one.
pub fn update(line: &str) -> Option<Update<'_>> {
    // Every line of every file comes here: a look at the first letter spares the regex.
    let first = line
        .trim_start_matches(|c: char| c.is_whitespace() || c == '*' || c == '_')
        .bytes()
        .next();
    if !matches!(
        first,
        Some(b'R' | b'M' | b'I' | b'U' | b'V' | b'S' | b'C' | b'P')
    ) {
        return None;
    }
    let c = UPDATE.captures(line)?;
    Some(Update {
        status: c.name("status")?.as_str(),
        text: c.name("text")?.as_str().trim(),
    })
}

/// `Jun 7, 2024 - 11:45 UTC`, `Posted Jun 07, 2024 - 10:30 UTC`: a line that is only
/// the time of an update.
pub fn is_update_time(line: &str) -> bool {
    let line = line.trim().trim_matches(['*', '_']).trim();
    let line = line.strip_prefix("Posted").map_or(line, str::trim_start);
    let context = DateContext {
        year: Some(2000),
        ..DateContext::default()
    };
    leading_moment(line, context).is_some_and(|(moment, used)| {
        moment.time.is_some()
            && line[used..]
                .trim_matches(|c: char| !c.is_alphanumeric())
                .is_empty()
    })
}

/// Whether `lines` hold a status page's updates: two or more update lines, each with
/// its time on one of the next two non-blank lines.
pub fn is_status_page(lines: &[&str]) -> bool {
    let timed = (0..lines.len())
        .filter(|&i| update(lines[i]).is_some() && update_time_after(lines, i).is_some())
        .count();
    timed >= 2
}

/// The index of the time line that belongs to the update at `index`.
pub fn update_time_after(lines: &[&str], index: usize) -> Option<usize> {
    (index + 1..lines.len())
        .filter(|&i| !lines[i].trim().is_empty())
        .take(2)
        .find(|&i| is_update_time(lines[i]))
}

/// "This incident affected: API and Dashboard": the components a status page names.
pub fn affected_components(line: &str) -> Option<Vec<String>> {
    let rest = line.trim().strip_prefix("This incident affected:")?;
    let names: Vec<String> = rest
        .split([',', ';'])
        .flat_map(|part| part.split(" and "))
        .map(|name| name.trim().trim_end_matches('.').trim().to_string())
        .filter(|name| !name.is_empty())
        .collect();
    (!names.is_empty()).then_some(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_updates_and_their_times() {
        assert_eq!(
            update("**Resolved** - This incident has been resolved."),
            Some(Update {
                status: "Resolved",
                text: "This incident has been resolved."
            })
        );
        assert_eq!(
            update("Monitoring: a fix is out").unwrap().status,
            "Monitoring"
        );
        assert_eq!(
            update("**Identified:** bad config").unwrap().text,
            "bad config"
        );
        assert!(update("Resolved the ticket on Monday").is_none());
        assert!(is_update_time("Jun 7, 2024 - 11:45 UTC"));
        assert!(is_update_time("Posted Jun 07, 2024 - 10:30 UTC"));
        assert!(!is_update_time("Jun 7, 2024 we rolled back"));
        assert!(!is_update_time("June 7, 2024"));
    }

    #[test]
    fn two_timed_updates_make_a_status_page() {
        let page = [
            "**Resolved** - All good.",
            "Jun 7, 2024 - 11:45 UTC",
            "",
            "**Investigating** - Errors.",
            "Jun 7, 2024 - 10:30 UTC",
        ];
        assert!(is_status_page(&page));
        assert!(!is_status_page(&page[..2]));
        // A postmortem with one "Resolved: ..." label is not a status page.
        assert!(!is_status_page(&["Resolved: 11:45 UTC", "Impact: none"]));
    }

    #[test]
    fn names_the_affected_components() {
        assert_eq!(
            affected_components("This incident affected: API, Webhooks and Dashboard."),
            Some(vec!["API".into(), "Webhooks".into(), "Dashboard".into()])
        );
        assert_eq!(affected_components("The incident affected everyone"), None);
    }
}
