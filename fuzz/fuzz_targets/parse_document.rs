#![no_main]

use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;
use pmsite::parse::{parse_incident, ParseOptions};

// Whole postmortem files: bytes -> decode -> parse -> incidents.json value.
fuzz_target!(|data: &[u8]| {
    let mut diagnostics: Vec<pmsite::Diagnostic> = Vec::new();
    let Some(text) = pmsite::read::decode("fuzz.md", data, &mut diagnostics) else {
        return;
    };
    let incident = parse_incident("fuzz.md", &text, &ParseOptions::default());
    let today = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
    // `incident_value` is the public single-incident serialiser (it wraps the same
    // private `incident_json` that `incidents_json_chunks` uses, without rayon).
    let value = pmsite::render::json::incident_value(&incident, today);
    let _ = serde_json::to_vec_pretty(&value).unwrap();
});
