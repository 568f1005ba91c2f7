//! What `pmsite inspect` shows: what pmsite understood in a postmortem, fact by fact,
//! with the line each fact came from, and what it could not read and why. For authors
//! checking a file, and (as JSON) for tools.

use std::fmt::Write as _;
use std::path::Path;

use chrono::NaiveDate;
use serde_json::{json, Value};

use crate::diagnostic::Diagnostic;
use crate::error::{Error, Result};
use crate::model::moment::{offset_name, Moment};
use crate::model::{Fact, Incident, TitleSource};
use crate::parse::duration::format_minutes;
use crate::parse::ParseOptions;
use crate::walk::SourceFile;

/// One file as `pmsite inspect` read it.
#[derive(Debug)]
pub struct Inspection {
    /// The path printed in reports: inside the content folder, the one the build uses
    /// (so the id matches); elsewhere, the path as given.
    pub shown: String,
    /// `None` when the file could not be read at all (the diagnostics say why).
    pub incident: Option<Incident>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Inspection {
    /// Whether any of the file's problems is an error.
    pub fn failed(&self) -> bool {
        self.diagnostics.iter().any(|d| d.is_error())
    }
}

/// Reads and parses one file; a path that is not a file is [`Error::NoSuchFile`].
pub fn inspect_file(path: &Path, content_dir: &Path, options: &ParseOptions) -> Result<Inspection> {
    if !path.is_file() {
        return Err(Error::NoSuchFile(path.to_path_buf()));
    }
    let shown = shown_path(path, content_dir);
    let file = SourceFile {
        relative: shown.clone(),
        absolute: path.to_path_buf(),
    };
    let (incident, diagnostics) = crate::pipeline::read_and_parse(&file, options);
    Ok(Inspection {
        shown,
        incident,
        diagnostics,
    })
}

/// `path` relative to the content folder, with `/`, when it is inside it; else as given.
fn shown_path(path: &Path, content_dir: &Path) -> String {
    match (path.canonicalize(), content_dir.canonicalize()) {
        (Ok(file), Ok(root)) if file.starts_with(&root) => file
            .strip_prefix(&root)
            .unwrap_or(&file)
            .to_string_lossy()
            .replace('\\', "/"),
        _ => path.display().to_string(),
    }
}

/// The facts a reader looks for, in the order they are printed.
const FACTS: [&str; 9] = [
    "start",
    "end",
    "duration",
    "severity",
    "services",
    "impact",
    "root cause",
    "trigger",
    "resolution",
];

/// The names of the facts pmsite could not find in this incident.
pub fn unknown_facts(incident: &Incident) -> Vec<&'static str> {
    FACTS
        .iter()
        .copied()
        .filter(|fact| match *fact {
            "start" => incident.start.is_none(),
            "end" => incident.end.is_none(),
            "duration" => incident.duration_minutes.is_none(),
            "severity" => incident.severity.is_none(),
            "services" => incident.services.is_empty(),
            "impact" => incident.impact.is_none(),
            "root cause" => incident.root_cause.is_none(),
            "trigger" => incident.trigger.is_none(),
            _ => incident.resolution.is_none(),
        })
        .collect()
}

/// The human report for one file.
pub fn human_report(incident: &Incident, today: NaiveDate) -> String {
    let mut out = String::new();
    let mut row = |name: &str, value: String, line: Option<usize>| {
        let at = line.map(|l| format!("  (line {l})")).unwrap_or_default();
        let _ = writeln!(out, "  {name:<11} {value}{at}");
    };
    let moment = |fact: &Option<Fact<Moment>>| match fact {
        Some(f) => (
            f.value
                .iso()
                .unwrap_or_else(|| format!("{} (no date)", f.value.display())),
            Some(f.line),
        ),
        None => ("unknown".to_string(), None),
    };
    let title_from = match incident.title_source {
        TitleSource::Frontmatter => "from the frontmatter",
        TitleSource::Heading => "from the first heading",
        TitleSource::Derived => "made from the date and summary",
        TitleSource::FileName => "made from the file name",
    };
    row("title", format!("{}  [{title_from}]", incident.title), None);
    row(
        "id",
        format!("{}  -> /incidents/{}/", incident.id, incident.id),
        None,
    );
    let (start, line) = moment(&incident.start);
    row("start", start, line);
    let (end, line) = moment(&incident.end);
    row("end", end, line);
    let duration = match (incident.duration_minutes, &incident.stated_duration_minutes) {
        (Some(m), Some(stated)) if stated.value == m => {
            format!("{} (stated, line {})", format_minutes(m), stated.line)
        }
        (Some(m), _) if incident.start.is_some() && incident.end.is_some() => {
            format!("{} (from start and end)", format_minutes(m))
        }
        (Some(m), _) => format_minutes(m),
        (None, _) => "unknown".to_string(),
    };
    row("duration", duration, None);
    let zone = if incident.timezone_assumed {
        "assumed: the file states none"
    } else {
        "stated"
    };
    row(
        "time zone",
        format!("{} ({zone})", offset_name(incident.timezone)),
        None,
    );
    row(
        "severity",
        incident
            .severity
            .clone()
            .unwrap_or_else(|| "unknown".into()),
        None,
    );
    row("services", list_or_unknown(&incident.services), None);
    let tags: Vec<String> = incident
        .tags
        .iter()
        .map(|t| {
            if t.inferred {
                format!("{} (inferred)", t.name)
            } else {
                t.name.clone()
            }
        })
        .collect();
    row("tags", list_or_unknown(&tags), None);
    match &incident.impact {
        Some(impact) => {
            let mut figures = Vec::new();
            if let Some(p) = impact.users_percent {
                figures.push(format!("{p}% of users"));
            }
            figures.extend(impact.money.iter().cloned());
            figures.extend(impact.counts.iter().cloned());
            let figures = if figures.is_empty() {
                String::new()
            } else {
                format!("  [{}]", figures.join("; "))
            };
            row(
                "impact",
                format!("{}{figures}", impact.summary),
                Some(impact.line),
            );
        }
        None => row("impact", "unknown".into(), None),
    }
    match &incident.root_cause {
        Some(cause) => row("root cause", cause.summary.clone(), Some(cause.line)),
        None => row("root cause", "unknown".into(), None),
    }
    row(
        "trigger",
        incident.trigger.clone().unwrap_or_else(|| "unknown".into()),
        None,
    );
    let sections: Vec<String> = incident
        .sections
        .iter()
        .map(|s| {
            format!(
                "{} [{}] line {}",
                s.title
                    .as_deref()
                    .unwrap_or("(text before the first heading)"),
                s.kind.name(),
                s.line
            )
        })
        .collect();
    let _ = writeln!(
        out,
        "  sections    {}",
        if sections.is_empty() {
            "none".to_string()
        } else {
            sections.join("; ")
        }
    );
    let _ = writeln!(out, "  timeline    {} entries", incident.timeline.len());
    for (i, entry) in incident.timeline.iter().enumerate() {
        let at = entry.at.iso().unwrap_or_else(|| entry.at.display());
        let _ = writeln!(
            out,
            "    t-{:<3} line {:<4} {at:<26} {}",
            i + 1,
            entry.line,
            shorten(&entry.text, 70)
        );
    }
    let _ = writeln!(
        out,
        "  tasks       {} ({} open, {} overdue on {today})",
        incident.tasks.len(),
        incident.open_tasks(),
        incident.overdue_tasks(today)
    );
    for task in &incident.tasks {
        let owner = task.owner.as_deref().unwrap_or("no owner");
        let due = task
            .due
            .map_or("no due date".to_string(), |d| d.to_string());
        let _ = writeln!(
            out,
            "    task-{:<2} line {:<4} {:<8} {owner}, {due}: {}",
            task.number,
            task.line,
            task.status.label(),
            shorten(&task.text, 60)
        );
    }
    let unknown = unknown_facts(incident);
    if !unknown.is_empty() {
        let _ = writeln!(out, "  not found   {}", unknown.join(", "));
    }
    let left_out = match crate::sift::sift(incident) {
        crate::sift::Verdict::Postmortem => None,
        crate::sift::Verdict::IndexPage => Some("an index page (a list of links to other files)"),
        crate::sift::Verdict::BlankTemplate => Some("a blank template (nothing filled in)"),
    };
    if let Some(what) = left_out {
        let _ = writeln!(
            out,
            "  left out    a build leaves this file out as {what}, and names it in `skipped-files`"
        );
    }
    if incident.diagnostics.is_empty() {
        let _ = writeln!(out, "  problems    none");
    } else {
        let _ = writeln!(out, "  problems");
        for d in &incident.diagnostics {
            let _ = writeln!(out, "    line {}: {}: {}", d.line, d.severity, d.message);
        }
    }
    out
}

/// The JSON report: the incident as in `incidents.json`, plus the lines facts came
/// from and the facts not found.
pub fn json_report(incident: &Incident, today: NaiveDate) -> Value {
    let mut value = crate::render::json::incident_value(incident, today);
    let line = |fact: Option<usize>| fact.map_or(Value::Null, |l| json!(l));
    value["lines"] = json!({
        "start": line(incident.start.as_ref().map(|f| f.line)),
        "end": line(incident.end.as_ref().map(|f| f.line)),
        "stated_duration": line(incident.stated_duration_minutes.as_ref().map(|f| f.line)),
        "impact": line(incident.impact.as_ref().map(|i| i.line)),
        "root_cause": line(incident.root_cause.as_ref().map(|r| r.line)),
    });
    value["not_found"] = json!(unknown_facts(incident));
    value
}

fn list_or_unknown(items: &[String]) -> String {
    if items.is_empty() {
        "unknown".to_string()
    } else {
        items.join(", ")
    }
}

fn shorten(text: &str, chars: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= chars {
        flat
    } else {
        format!("{}…", flat.chars().take(chars - 1).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_incident;

    #[test]
    fn the_report_names_lines_and_unknowns() {
        let text = "# DB outage\n\nStart: 2024-06-07 10:30 UTC\nEnd: 2024-06-07 12:00 UTC\n\n## Root cause\n\nA missing index.\n";
        let incident = parse_incident("db.md", text, &ParseOptions::default());
        let report = human_report(&incident, NaiveDate::from_ymd_opt(2024, 7, 1).unwrap());
        assert!(
            report.contains("  start       2024-06-07T10:30:00Z  (line 3)"),
            "{report}"
        );
        assert!(
            report.contains("  duration    1 h 30 min (from start and end)"),
            "{report}"
        );
        assert!(
            report.contains("  root cause  A missing index.  (line 8)"),
            "{report}"
        );
        assert!(
            report.contains("  not found   severity, services, impact, trigger, resolution"),
            "{report}"
        );
        assert!(!report.contains("left out"), "{report}");
        let json = json_report(&incident, NaiveDate::from_ymd_opt(2024, 7, 1).unwrap());
        assert_eq!(json["lines"]["start"], 3);
        assert_eq!(json["not_found"][0], "severity");
    }

    #[test]
    fn the_report_says_when_a_build_leaves_the_file_out() {
        let text = "# Reports\n\n- [DB](db.md)\n- [DNS](dns.md)\n- [Disk](disk.md)\n";
        let incident = parse_incident("index.md", text, &ParseOptions::default());
        let report = human_report(&incident, NaiveDate::from_ymd_opt(2024, 7, 1).unwrap());
        assert!(
            report.contains("  left out    a build leaves this file out as an index page"),
            "{report}"
        );
    }
}
