//! The hand-written extraction fixtures in `tests/fixtures/extraction/`: every fact in
//! each `NAME.expect.yaml` is checked against what pmsite reads from `NAME.md`.
//!
//! `KNOWN_GAPS` beside them lists the facts pmsite does not read yet, one
//! `file key` per line. It is a ratchet: a fact that fails and is not listed fails the
//! test, and so does a listed fact that now passes (take it off the list).

use std::collections::BTreeSet;
use std::path::Path;

use pmsite::parse::{parse_incident, ParseOptions};
use serde_json::Value;

fn fixtures() -> std::path::PathBuf {
    crate::support::fixture("extraction")
}

/// (file, key, what went wrong) for every expectation the incident misses.
fn misses(name: &str, expect: &Value, incident: &Value) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let mut miss =
        |key: &str, detail: String| out.push((name.to_string(), key.to_string(), detail));
    let Some(expect) = expect.as_object() else {
        return out;
    };
    for (key, want) in expect {
        let got = &incident[key.as_str()];
        if want.is_null() && key == "title" {
            // No title in the file: pmsite makes one, and says it did.
            if !matches!(
                incident["title_source"].as_str(),
                Some("derived" | "file_name")
            ) {
                miss(
                    key,
                    format!(
                        "the file has no title, got {} from {}",
                        incident["title"], incident["title_source"]
                    ),
                );
            }
            continue;
        }
        if want.is_null() {
            // `null`: the fact must be absent.
            let field = key
                .trim_end_matches("_contains")
                .replace("users_affected_percent", "impact");
            let absent = match key.as_str() {
                "users_affected_percent" => incident["impact"]["users_percent"].is_null(),
                "tasks" => incident["tasks"].as_array().is_none_or(Vec::is_empty),
                _ => incident[field.as_str()].is_null(),
            };
            if !absent {
                miss(
                    key,
                    format!("should be absent, got {}", incident[field.as_str()]),
                );
            }
            continue;
        }
        match key.as_str() {
            "title" | "start" | "end" | "timezone_assumed" | "duration_minutes" => {
                let got = if key == "start" || key == "end" {
                    normalise_time(got)
                } else {
                    got.clone()
                };
                if &got != want {
                    miss(key, format!("got {got}, want {want}"));
                }
            }
            "impact_contains" => {
                let text = incident["impact"]["text"]
                    .as_str()
                    .unwrap_or("")
                    .to_string();
                for needle in want.as_array().unwrap() {
                    if !text.contains(needle.as_str().unwrap()) {
                        miss(key, format!("impact {text:?} lacks {needle}"));
                    }
                }
            }
            "users_affected_percent" => {
                let got = &incident["impact"]["users_percent"];
                let same = match (got.as_f64(), want.as_f64()) {
                    (Some(a), Some(b)) => (a - b).abs() < 0.01,
                    (None, None) => true,
                    _ => false,
                };
                if !same {
                    miss(key, format!("got {got}, want {want}"));
                }
            }
            "root_cause_contains" => {
                let text = incident["root_cause"].as_str().unwrap_or("").to_lowercase();
                for needle in want.as_array().unwrap() {
                    if !text.contains(&needle.as_str().unwrap().to_lowercase()) {
                        miss(key, format!("root cause {text:?} lacks {needle}"));
                    }
                }
            }
            "timeline_count" => {
                let got = incident["timeline"].as_array().map_or(0, Vec::len);
                if Some(got as u64) != want.as_u64() {
                    miss(key, format!("got {got}, want {want}"));
                }
            }
            "timeline_first" | "timeline_last" => {
                let entries = incident["timeline"].as_array().cloned().unwrap_or_default();
                let entry = if key == "timeline_first" {
                    entries.first()
                } else {
                    entries.last()
                };
                let Some(entry) = entry else {
                    miss(key, "no timeline".into());
                    continue;
                };
                if let Some(at) = want.get("at") {
                    if &normalise_time(&entry["at"]) != at {
                        miss(key, format!("at {} want {at}", entry["at"]));
                    }
                }
                if let Some(text) = want.get("text_contains").and_then(Value::as_str) {
                    if !entry["text"].as_str().unwrap_or("").contains(text) {
                        miss(key, format!("text {} lacks {text:?}", entry["text"]));
                    }
                }
            }
            "tasks" => {
                let got = incident["tasks"].as_array().cloned().unwrap_or_default();
                let want = want.as_array().unwrap();
                if got.len() != want.len() {
                    miss(
                        "tasks.count",
                        format!("got {}, want {}", got.len(), want.len()),
                    );
                }
                for (i, (task, expected)) in got.iter().zip(want).enumerate() {
                    for (field, value) in expected.as_object().unwrap() {
                        let ok =
                            match field.as_str() {
                                "text_contains" => task["text"]
                                    .as_str()
                                    .unwrap_or("")
                                    .contains(value.as_str().unwrap()),
                                "status" => {
                                    task["status"]
                                        == value.as_str().unwrap().replace("wontdo", "wont_do")
                                }
                                "links" => value.as_array().unwrap().iter().all(|l| {
                                    task["links"].as_array().is_some_and(|ls| ls.contains(l))
                                }),
                                other => &task[other] == value,
                            };
                        if !ok {
                            miss(
                                &format!("tasks.{field}"),
                                format!(
                                    "task {} has {}, want {value}",
                                    i + 1,
                                    task[field
                                        .trim_end_matches("_contains")
                                        .replace("text_contains", "text")]
                                ),
                            );
                        }
                    }
                }
            }
            "warnings_contain" => {
                let all = incident["diagnostics"].to_string();
                for needle in want.as_array().unwrap() {
                    if !all.contains(needle.as_str().unwrap()) {
                        miss(key, format!("no diagnostic mentions {needle}"));
                    }
                }
            }
            other => miss(other, "unknown expectation key".into()),
        }
    }
    out
}

/// `2024-06-07T10:30:00+00:00` and `...Z` are the same; a null stays null.
/// An `.expect.yaml` file as JSON, the shape the incident is compared in.
fn read_expect(text: &str) -> Value {
    use saphyr::{LoadableYamlNode, Scalar, Yaml};
    fn json(yaml: &Yaml) -> Value {
        match yaml {
            Yaml::Value(Scalar::Null) => Value::Null,
            Yaml::Value(Scalar::Boolean(b)) => Value::Bool(*b),
            Yaml::Value(Scalar::Integer(i)) => Value::from(*i),
            Yaml::Value(Scalar::FloatingPoint(f)) => Value::from(f.into_inner()),
            Yaml::Value(Scalar::String(s)) => Value::String(s.to_string()),
            Yaml::Sequence(items) => items.iter().map(json).collect(),
            Yaml::Mapping(entries) => entries
                .iter()
                .map(|(k, v)| (k.as_str().expect("text keys").to_string(), json(v)))
                .collect::<serde_json::Map<_, _>>()
                .into(),
            other => panic!("unexpected YAML in an expectation: {other:?}"),
        }
    }
    let documents = Yaml::load_from_str(text).expect("valid YAML");
    documents.first().map_or(Value::Null, json)
}

fn normalise_time(value: &Value) -> Value {
    match value.as_str() {
        Some(text) => Value::String(text.replace("+00:00", "Z")),
        None => value.clone(),
    }
}

/// Parses a fixture and returns its facts in the `incidents.json` shape.
fn facts_of(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap();
    let name = path.file_name().unwrap().to_str().unwrap();
    let incident = parse_incident(name, &text, &ParseOptions::default());
    let json = pmsite::render::json::incidents_json(
        std::slice::from_ref(&incident),
        chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
    );
    let mut all: Value = serde_json::from_slice(&json).unwrap();
    all["incidents"][0].take()
}

#[test]
fn fixtures_match_their_expected_facts_but_for_known_gaps() {
    let known: BTreeSet<(String, String)> = std::fs::read_to_string(fixtures().join("KNOWN_GAPS"))
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (file, key) = l.split_once(' ').unwrap();
            (file.to_string(), key.trim().to_string())
        })
        .collect();
    let mut failing = BTreeSet::new();
    let mut report = Vec::new();
    let mut checked = 0;
    let mut entries: Vec<_> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for expect_path in entries
        .iter()
        .filter(|p| p.to_string_lossy().ends_with(".expect.yaml"))
    {
        let name = expect_path
            .file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .trim_end_matches(".expect.yaml")
            .to_string();
        let expect = read_expect(&std::fs::read_to_string(expect_path).unwrap());
        let facts = facts_of(&fixtures().join(format!("{name}.md")));
        checked += expect.as_object().map_or(0, |m| m.len());
        for (file, key, detail) in misses(&format!("{name}.md"), &expect, &facts) {
            if !known.contains(&(file.clone(), key.clone())) {
                report.push(format!("{file} {key}: {detail}"));
            }
            failing.insert((file, key));
        }
    }
    let fixed: Vec<_> = known
        .difference(&failing)
        .map(|(f, k)| format!("{f} {k}"))
        .collect();
    assert!(checked > 150, "only {checked} expectations found");
    assert!(
        report.is_empty(),
        "facts read wrongly (not in KNOWN_GAPS):\n{}",
        report.join("\n")
    );
    assert!(
        fixed.is_empty(),
        "these now pass; remove them from KNOWN_GAPS:\n{}",
        fixed.join("\n")
    );
}
