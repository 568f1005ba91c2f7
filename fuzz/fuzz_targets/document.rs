//! What both document targets run on one input.

use chrono::NaiveDate;
use pmsite::parse::{parse_incident, ParseOptions};

/// Bytes -> decode -> parse -> the incident's `incidents.json` value, as a build does.
pub fn parse_and_serialise(data: &[u8], options: &ParseOptions) {
    let mut diagnostics: Vec<pmsite::Diagnostic> = Vec::new();
    let Some(text) = pmsite::read::decode("fuzz.md", data, &mut diagnostics) else {
        return;
    };
    let incident = parse_incident("fuzz.md", &text, options);
    let today = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
    // `incident_value` is the public single-incident serialiser (it wraps the same
    // private `incident_json` that `incidents_json_chunks` uses, without rayon).
    let value = pmsite::render::json::incident_value(&incident, today);
    let _ = serde_json::to_vec_pretty(&value).unwrap();
}
