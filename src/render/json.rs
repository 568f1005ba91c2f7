//! `incidents.json`: every incident's extracted facts, for tools. The shape is versioned
//! by `schema` and documented in the user guide; add fields, never change them.

use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::model::moment::offset_name;
use crate::model::{Impact, Incident, Tag, TaskStatus, TitleSource};

/// Bumped only when a field changes meaning or is removed.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct IncidentsFile<'a> {
    schema: u32,
    generator: String,
    today: String,
    incidents: Vec<IncidentJson<'a>>,
}

#[derive(Serialize)]
struct IncidentJson<'a> {
    id: &'a str,
    title: &'a str,
    title_source: TitleSource,
    source: &'a str,
    url: String,
    start: Option<String>,
    end: Option<String>,
    start_time_of_day: Option<String>,
    end_time_of_day: Option<String>,
    timezone: String,
    timezone_assumed: bool,
    duration_minutes: Option<i64>,
    stated_duration_minutes: Option<i64>,
    detected: Option<String>,
    resolved: Option<String>,
    time_to_detect_minutes: Option<i64>,
    time_to_resolve_minutes: Option<i64>,
    severity: Option<&'a str>,
    services: &'a [String],
    tags: &'a [Tag],
    summary: Option<&'a str>,
    impact: Option<&'a Impact>,
    root_cause: Option<&'a str>,
    root_cause_summary: Option<&'a str>,
    trigger: Option<&'a str>,
    resolution: Option<&'a str>,
    timeline: Vec<TimelineJson<'a>>,
    tasks: Vec<TaskJson<'a>>,
    sections: Vec<SectionJson<'a>>,
    diagnostics: &'a [Diagnostic],
}

#[derive(Serialize)]
struct TimelineJson<'a> {
    at: Option<String>,
    text: &'a str,
    anchor: String,
    line: usize,
}

#[derive(Serialize)]
struct TaskJson<'a> {
    id: String,
    anchor: String,
    text: &'a str,
    owner: Option<&'a str>,
    due: Option<String>,
    implied_due: Option<String>,
    status: TaskStatus,
    overdue: bool,
    links: &'a [String],
    line: usize,
}

#[derive(Serialize)]
struct SectionJson<'a> {
    title: Option<&'a str>,
    kind: &'static str,
    line: usize,
}

/// The bytes of `incidents.json` for an archive, pretty-printed with a final newline.
pub fn incidents_json(incidents: &[Incident], today: NaiveDate) -> Vec<u8> {
    incidents_json_chunks(incidents, today).concat()
}

/// `incidents.json` as consecutive chunks: the envelope's head, one chunk per incident
/// (serialized in parallel, separators included) and the tail. Together they are the
/// bytes `serde_json::to_vec_pretty` gives for the whole file; kept apart, a large
/// archive's JSON is never copied into one buffer.
pub fn incidents_json_chunks(incidents: &[Incident], today: NaiveDate) -> Vec<Vec<u8>> {
    let envelope = IncidentsFile {
        schema: SCHEMA_VERSION,
        generator: format!("pmsite {}", env!("CARGO_PKG_VERSION")),
        today: crate::model::moment::iso_date(today),
        incidents: Vec::new(),
    };
    let mut whole = serde_json::to_vec_pretty(&envelope).expect("incident JSON always serializes");
    whole.push(b'\n');
    if incidents.is_empty() {
        return vec![whole];
    }
    let empty = b"\"incidents\": []";
    let at = whole
        .windows(empty.len())
        .rposition(|w| w == empty)
        .expect("envelope has an incidents array");
    let mut head = whole[..at].to_vec();
    head.extend_from_slice(b"\"incidents\": [\n");
    let mut tail = b"\n  ]".to_vec();
    tail.extend_from_slice(&whole[at + empty.len()..]);
    let last = incidents.len() - 1;
    let parts: Vec<Vec<u8>> = incidents
        .par_iter()
        .enumerate()
        .map(|(i, incident)| {
            let pretty = serde_json::to_vec_pretty(&incident_json(incident, today))
                .expect("incident JSON always serializes");
            let mut indented = Vec::with_capacity(pretty.len() + pretty.len() / 8);
            for line in pretty.split(|&b| b == b'\n') {
                indented.extend_from_slice(b"    ");
                indented.extend_from_slice(line);
                indented.push(b'\n');
            }
            indented.pop();
            if i != last {
                indented.extend_from_slice(b",\n");
            }
            indented
        })
        .collect();
    let mut chunks = Vec::with_capacity(parts.len() + 2);
    chunks.push(head);
    chunks.extend(parts);
    chunks.push(tail);
    chunks
}

/// One incident as it appears in `incidents.json`, for tools such as `pmsite inspect`.
pub fn incident_value(incident: &Incident, today: NaiveDate) -> serde_json::Value {
    serde_json::to_value(incident_json(incident, today)).expect("incident JSON always serializes")
}

fn incident_json(incident: &Incident, today: NaiveDate) -> IncidentJson<'_> {
    let iso = |fact: &Option<crate::model::Fact<crate::model::moment::Moment>>| {
        fact.as_ref().and_then(|f| f.value.iso())
    };
    let time_of_day = |fact: &Option<crate::model::Fact<crate::model::moment::Moment>>| {
        fact.as_ref()
            .filter(|f| f.value.date.is_none())
            .and_then(|f| f.value.time)
            .map(crate::model::moment::hour_minute)
    };
    IncidentJson {
        id: &incident.id,
        title: &incident.title,
        title_source: incident.title_source,
        source: &incident.source,
        url: format!("incidents/{}/", incident.id),
        start: iso(&incident.start),
        end: iso(&incident.end),
        start_time_of_day: time_of_day(&incident.start),
        end_time_of_day: time_of_day(&incident.end),
        timezone: offset_name(incident.timezone),
        timezone_assumed: incident.timezone_assumed,
        duration_minutes: incident.duration_minutes,
        stated_duration_minutes: incident.stated_duration_minutes.map(|f| f.value),
        detected: iso(&incident.detected),
        resolved: iso(&incident.resolved),
        time_to_detect_minutes: incident.time_to_detect_minutes,
        time_to_resolve_minutes: incident.time_to_resolve_minutes,
        severity: incident.severity.as_deref(),
        services: &incident.services,
        tags: &incident.tags,
        summary: incident.summary.as_deref(),
        impact: incident.impact.as_ref(),
        root_cause: incident.root_cause.as_ref().map(|r| r.text.as_str()),
        root_cause_summary: incident.root_cause.as_ref().map(|r| r.summary.as_str()),
        trigger: incident.trigger.as_deref(),
        resolution: incident.resolution.as_deref(),
        timeline: incident
            .timeline
            .iter()
            .enumerate()
            .map(|(i, e)| TimelineJson {
                at: e
                    .at
                    .iso()
                    .or_else(|| e.at.time.map(crate::model::moment::hour_minute)),
                text: &e.text,
                anchor: format!("t-{}", i + 1),
                line: e.line,
            })
            .collect(),
        tasks: incident
            .tasks
            .iter()
            .map(|t| TaskJson {
                id: format!("{}/task-{}", incident.id, t.number),
                anchor: format!("task-{}", t.number),
                text: &t.text,
                owner: t.owner.as_deref(),
                due: t.due.map(crate::model::moment::iso_date),
                implied_due: t.implied_due.map(crate::model::moment::iso_date),
                status: t.status,
                overdue: t.is_overdue(today),
                links: &t.links,
                line: t.line,
            })
            .collect(),
        sections: incident
            .sections
            .iter()
            .map(|s| SectionJson {
                title: s.title.as_deref(),
                kind: s.kind.name(),
                line: s.line,
            })
            .collect(),
        diagnostics: &incident.diagnostics,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{parse_incident, ParseOptions};

    #[test]
    fn spliced_output_equals_whole_file_pretty_printing() {
        let incidents: Vec<Incident> = (0..5)
            .map(|n| {
                let (name, text) = crate::synthetic::postmortem(n);
                parse_incident(&name, &text, &ParseOptions::default())
            })
            .collect();
        let today = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
        let whole = IncidentsFile {
            schema: SCHEMA_VERSION,
            generator: format!("pmsite {}", env!("CARGO_PKG_VERSION")),
            today: "2025-01-01".to_string(),
            incidents: incidents.iter().map(|i| incident_json(i, today)).collect(),
        };
        let mut expected = serde_json::to_vec_pretty(&whole).unwrap();
        expected.push(b'\n');
        assert_eq!(
            String::from_utf8(incidents_json(&incidents, today)).unwrap(),
            String::from_utf8(expected).unwrap()
        );
        let empty = incidents_json(&[], today);
        assert!(String::from_utf8(empty)
            .unwrap()
            .contains("\"incidents\": []"));
    }
}
