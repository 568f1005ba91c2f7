//! Synthetic postmortems in the styles real teams write, for benchmarks and scale tests.
//! Deterministic: postmortem `n` is always the same text.

use std::io;
use std::path::Path;

use crate::model::moment::MONTH_NAMES;

const SERVICES: &[&str] = &[
    "checkout",
    "search",
    "auth",
    "payments",
    "dns",
    "cdn",
    "kafka",
    "billing",
    "api-gateway",
    "inventory",
];
const CAUSES: &[&str] = &[
    "a missing database index on the orders table",
    "a configuration push that disabled connection pooling",
    "an expired TLS certificate on the load balancer",
    "a DNS record deleted during a migration",
    "a memory leak in the session cache after a deploy",
    "the disk filling up on the primary database",
    "a vendor API rate limit we had not planned for",
    "a permissions change that locked out the deploy bot",
];
const EVENTS: &[&str] = &[
    "Monitoring alert fired for elevated error rates.",
    "On-call engineer acknowledged the page.",
    "Incident channel opened and status page updated.",
    "Recent deploys reviewed; rollback started.",
    "Rollback finished; no improvement.",
    "Database metrics show long-running queries.",
    "Root cause identified.",
    "Fix deployed to production.",
    "Error rates back to normal; incident resolved.",
];

/// A small deterministic generator (xorshift), so no dependency is needed for variety.
struct Dice(u64);

impl Dice {
    fn new(seed: usize) -> Self {
        Dice((seed as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self, bound: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % bound as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.next(items.len())]
    }
}

/// The facts one synthetic postmortem is written around.
struct Scenario<'a> {
    n: usize,
    year: usize,
    month: usize,
    day: usize,
    hour: usize,
    service: &'a str,
    cause: &'a str,
    minutes: usize,
    percent: usize,
}

/// The file name and text of synthetic postmortem `n`, in one of four styles.
pub fn postmortem(n: usize) -> (String, String) {
    let mut dice = Dice::new(n);
    let year = 2019 + dice.next(6);
    let month = 1 + dice.next(12);
    let day = 1 + dice.next(28);
    let hour = 1 + dice.next(20);
    let service = dice.pick(SERVICES);
    let cause = dice.pick(CAUSES);
    let minutes = 15 + dice.next(240);
    let percent = 5 + dice.next(90);
    let style = n % 4;
    let name = format!("{year}/{year}-{month:02}-{day:02}-{service}-{n:05}.md");
    let scenario = Scenario {
        n,
        year,
        month,
        day,
        hour,
        service,
        cause,
        minutes,
        percent,
    };
    let text = match style {
        0 => seed_lines_style(&mut dice, &scenario),
        1 => bold_label_style(&mut dice, &scenario),
        2 => sre_style(&mut dice, &scenario),
        _ => checkbox_style(&mut dice, &scenario),
    };
    (name, text)
}

/// Writes `count` synthetic postmortems below `dir`.
pub fn write_archive(dir: &Path, count: usize) -> io::Result<()> {
    for n in 0..count {
        let (name, text) = postmortem(n);
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, text)?;
    }
    Ok(())
}

fn timeline(dice: &mut Dice, hour: usize, format: impl Fn(usize, usize, &str) -> String) -> String {
    let mut minute = hour * 60;
    let mut out = String::new();
    for event in EVENTS {
        out.push_str(&format(minute / 60 % 24, minute % 60, event));
        out.push('\n');
        minute += 3 + dice.next(25);
    }
    out
}

fn twelve_hour(h: usize, m: usize) -> String {
    let (h12, ampm) = match h {
        0 => (12, "AM"),
        1..=11 => (h, "AM"),
        12 => (12, "PM"),
        _ => (h - 12, "PM"),
    };
    format!("{h12}:{m:02} {ampm}")
}

fn seed_lines_style(dice: &mut Dice, scenario: &Scenario) -> String {
    let Scenario {
        n,
        year,
        month,
        day,
        hour,
        service,
        cause,
        minutes,
        percent,
    } = *scenario;
    let month_name = MONTH_NAMES[month - 1];
    let end = hour * 60 + minutes;
    let lines = timeline(dice, hour, |h, m, e| format!("{}: {e}", twelve_hour(h, m)));
    format!(
        "#Issue Summary\n#Duration:\n\nStart: {month_name} {day}, {year}, {} UTC\nEnd: {month_name} {day}, {year}, {} UTC\n#Impact:\n\nThe {service} service was unavailable. Approximately {percent}% of users were affected (incident {n}).\nRoot Cause:\n\nThe outage was caused by {cause}.\n#Timeline\n{lines}#Root Cause and Resolution\n#Root Cause:\n\nIn detail, {cause} slowed every request to {service} until timeouts cascaded.\n#Resolution:\n\nThe team reverted the change and {service} recovered.\nCorrective and Preventative Measures\n#Tasks:\n\nTask 1: Add an alert for this failure mode in {service}. Due: {month_name} {}, {year}\nTask 2: Write a runbook entry for {service}. Due: {month_name} {}, {year}\n",
        twelve_hour(hour, 0),
        twelve_hour(end / 60 % 24, end % 60),
        (day + 7).min(28),
        (day + 14).min(28),
    )
}

fn bold_label_style(dice: &mut Dice, scenario: &Scenario) -> String {
    let Scenario {
        n,
        year,
        month,
        day,
        hour,
        service,
        cause,
        percent,
        ..
    } = *scenario;
    let month_name = MONTH_NAMES[month - 1];
    let lines = timeline(dice, hour, |h, m, e| format!("- **{h:02}:{m:02}:** {e}"));
    format!(
        "### Issue Summary\n\n**Duration of the outage:**  \nStart: {month_name} {day}, {year}, {hour:02}:00\nEnd: {month_name} {day}, {year}, {:02}:30\n\n**Impact:**  \nAbout {percent}% of {service} requests failed (incident {n}).\n\n**Root Cause:**  \nThe root cause was {cause}.\n\n---\n\n### Timeline\n\n{lines}\n---\n\n### Corrective and Preventative Measures\n\n**Tasks:**\n1. **Improve monitoring:**  \n   - Alert on {service} error rates.\n\n2. **Capacity review:**  \n   - Re-run load tests for {service}.\n",
        (hour + 2).min(23),
    )
}

fn sre_style(dice: &mut Dice, scenario: &Scenario) -> String {
    let Scenario {
        n,
        year,
        month,
        day,
        hour,
        service,
        cause,
        minutes,
        ..
    } = *scenario;
    let lines = timeline(dice, hour, |h, m, e| format!("| {h:02}:{m:02} | {e} |"));
    let sev = 1 + dice.next(4);
    format!(
        "---\nid: inc-{n:05}\ntitle: \"{service} outage caused by {}\"\ndate: {year}-{month:02}-{day:02}\nstart: {year}-{month:02}-{day:02}T{hour:02}:00:00Z\nduration: {minutes} minutes\nseverity: sev{sev}\nservices: [{service}]\ntags: [{}]\n---\n\n## Summary\n\n{service} returned errors for {minutes} minutes.\n\n## Impact\n\nRequests to {service} failed for a share of customers.\n\n## Root Causes\n\n{cause}.\n\n## Trigger\n\nA routine change.\n\n## Timeline\n\n| Time (UTC) | Event |\n|---|---|\n{lines}\n## Action Items\n\n| Action Item | Type | Owner | Bug |\n|---|---|---|---|\n| Add canary checks for {service} | prevent | jdoe | OPS-{n} |\n| Page on error budget burn | mitigate | asmith | OPS-{} |\n",
        cause.split_whitespace().nth(1).unwrap_or("a change"),
        cause.split_whitespace().nth(2).unwrap_or("change").trim_end_matches(','),
        n + 1,
    )
}

fn checkbox_style(dice: &mut Dice, scenario: &Scenario) -> String {
    let Scenario {
        n,
        year,
        month,
        day,
        hour,
        service,
        cause,
        percent,
        ..
    } = *scenario;
    let lines = timeline(dice, hour, |h, m, e| format!("- {h:02}:{m:02} {e}"));
    format!(
        "# {year}-{month:02}-{day:02}: {service} degraded (#{n})\n\nStarted: {year}-{month:02}-{day:02} {hour:02}:00 UTC\n\n## Impact\n\n{percent}% of {service} users saw errors.\n\n## Root cause\n\n{cause}.\n\n## Timeline\n\n{lines}\n## Follow-ups\n\n- [x] Roll back the change (@oncall)\n- [ ] Add a regression test for {service} (@dev{}, due {year}-12-31)\n- [ ] Document the failure mode (Owner: Platform team)\n",
        dice.next(9),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{parse_incident, ParseOptions};

    #[test]
    fn same_number_same_text() {
        assert_eq!(postmortem(42), postmortem(42));
        assert_ne!(postmortem(42).1, postmortem(43).1);
    }

    #[test]
    fn every_style_parses_with_its_facts() {
        for n in 0..8 {
            let (name, text) = postmortem(n);
            let incident = parse_incident(&name, &text, &ParseOptions::default());
            assert!(incident.start.is_some(), "style {} has no start", n % 4);
            assert!(
                incident.root_cause.is_some(),
                "style {} has no root cause",
                n % 4
            );
            assert_eq!(
                incident.timeline.len(),
                EVENTS.len(),
                "style {} timeline",
                n % 4
            );
            assert!(
                incident.tasks.len() >= 2,
                "style {} tasks: {:?}",
                n % 4,
                incident.tasks
            );
        }
    }
}
