//! Implied due dates: a task with no due date written gets one from the site's policy,
//! a number of days after the incident by severity (PagerDuty's 15 days for a Sev-1,
//! 30 for a Sev-2, say). Implied dates are kept apart from written ones.

use std::collections::{BTreeMap, HashMap};

use chrono::Days;

use crate::index::normalize_severity;
use crate::model::Archive;

/// The policy key that applies to incidents whose severity has no key of its own.
pub const DEFAULT_KEY: &str = "default";

/// Days from the incident's date to a task's implied due date, by severity.
#[derive(Debug, Clone, Default)]
pub struct DuePolicy {
    days_by_severity: HashMap<String, u32>,
    default_days: Option<u32>,
}

impl DuePolicy {
    /// From `[tasks.due_after]`: severity as written ("SEV-1", "sev1", "P1") -> days.
    pub fn new(due_after: &BTreeMap<String, u32>) -> Self {
        let mut policy = DuePolicy::default();
        for (severity, &days) in due_after {
            if severity.eq_ignore_ascii_case(DEFAULT_KEY) {
                policy.default_days = Some(days);
            } else {
                policy
                    .days_by_severity
                    .insert(normalize_severity(severity), days);
            }
        }
        policy
    }

    fn days_for(&self, severity: Option<&str>) -> Option<u32> {
        severity
            .and_then(|s| self.days_by_severity.get(&normalize_severity(s)).copied())
            .or(self.default_days)
    }

    /// Gives every task with no written due date the implied one, when the incident has
    /// a date and the policy covers its severity.
    pub fn apply(&self, archive: &mut Archive) {
        if self.days_by_severity.is_empty() && self.default_days.is_none() {
            return;
        }
        for incident in &mut archive.incidents {
            let Some(days) = self.days_for(incident.severity.as_deref()) else {
                continue;
            };
            let Some(implied) = incident
                .date()
                .and_then(|date| date.checked_add_days(Days::new(days.into())))
            else {
                continue;
            };
            for task in incident.tasks.iter_mut().filter(|t| t.due.is_none()) {
                task.implied_due = Some(implied);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{parse_incident, ParseOptions};
    use chrono::NaiveDate;

    fn archive(severity: &str) -> Archive {
        let text = format!(
            "---\ntitle: T\ndate: 2024-03-01\nseverity: {severity}\n---\n## Action items\n\n- Add alert. Due: 2024-03-05\n- Fix the index.\n"
        );
        Archive::new(vec![parse_incident(
            "a.md",
            &text,
            &ParseOptions::default(),
        )])
    }

    fn policy(pairs: &[(&str, u32)]) -> DuePolicy {
        DuePolicy::new(&pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect())
    }

    #[test]
    fn a_task_without_a_due_date_gets_one_by_severity_spelled_any_way() {
        let mut archive = archive("Sev 1");
        policy(&[("SEV-1", 15), ("sev2", 30)]).apply(&mut archive);
        let tasks = &archive.incidents[0].tasks;
        assert_eq!(tasks[0].due, NaiveDate::from_ymd_opt(2024, 3, 5));
        assert_eq!(
            tasks[0].implied_due, None,
            "a written date is never replaced"
        );
        assert_eq!(tasks[1].due, None);
        assert_eq!(tasks[1].implied_due, NaiveDate::from_ymd_opt(2024, 3, 16));
        assert_eq!(tasks[1].due_date(), NaiveDate::from_ymd_opt(2024, 3, 16));
    }

    #[test]
    fn the_default_key_covers_other_severities_and_no_policy_implies_nothing() {
        let mut covered = archive("low");
        policy(&[("sev1", 15), ("Default", 60)]).apply(&mut covered);
        assert_eq!(
            covered.incidents[0].tasks[1].implied_due,
            NaiveDate::from_ymd_opt(2024, 4, 30)
        );
        let mut uncovered = archive("low");
        policy(&[("sev1", 15)]).apply(&mut uncovered);
        assert_eq!(uncovered.incidents[0].tasks[1].implied_due, None);
    }
}
