//! `incidents.json` matches the JSON Schema documented in the user guide. The checker
//! below understands the subset of JSON Schema the guide's schema uses.

use serde_json::Value;

use crate::support::Archive;

fn schema() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/book/incidents.schema.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Returns the paths where `value` breaks `schema`.
fn check(value: &Value, schema: &Value, root: &Value, path: &str, errors: &mut Vec<String>) {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let target = reference
            .trim_start_matches("#/")
            .split('/')
            .fold(root, |node, key| &node[key]);
        return check(value, target, root, path, errors);
    }
    if let Some(types) = schema.get("type") {
        let types: Vec<&str> = match types {
            Value::String(t) => vec![t.as_str()],
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let actual = match value {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        };
        let ok = types.contains(&actual) || (actual == "integer" && types.contains(&"number"));
        if !ok {
            errors.push(format!("{path}: {actual} is not {types:?}"));
            return;
        }
    }
    if let Some(allowed) = schema.get("enum").and_then(Value::as_array) {
        if !allowed.contains(value) {
            errors.push(format!("{path}: {value} not in enum"));
        }
    }
    if let (Some(object), Some(required)) = (
        value.as_object(),
        schema.get("required").and_then(Value::as_array),
    ) {
        for key in required.iter().filter_map(Value::as_str) {
            if !object.contains_key(key) {
                errors.push(format!("{path}: missing `{key}`"));
            }
        }
    }
    if let (Some(object), Some(properties)) = (
        value.as_object(),
        schema.get("properties").and_then(Value::as_object),
    ) {
        for (key, sub) in properties {
            if let Some(child) = object.get(key) {
                check(child, sub, root, &format!("{path}.{key}"), errors);
            }
        }
        if schema.get("additionalProperties") == Some(&Value::Bool(false)) {
            for key in object.keys().filter(|k| !properties.contains_key(*k)) {
                errors.push(format!("{path}: undocumented field `{key}`"));
            }
        }
    }
    if let (Some(items), Some(item_schema)) = (value.as_array(), schema.get("items")) {
        for (i, item) in items.iter().enumerate() {
            check(item, item_schema, root, &format!("{path}[{i}]"), errors);
        }
    }
    if let Some(any) = schema
        .get("anyOf")
        .or_else(|| schema.get("oneOf"))
        .and_then(Value::as_array)
    {
        let fits = any.iter().any(|option| {
            let mut sub = Vec::new();
            check(value, option, root, path, &mut sub);
            sub.is_empty()
        });
        if !fits {
            errors.push(format!("{path}: fits none of the alternatives"));
        }
    }
}

#[test]
fn sample_archive_validates_against_the_documented_schema() {
    let archive = Archive::new();
    crate::support::copy_tree(
        std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/content")),
        &archive.content(),
    );
    crate::support::copy_tree(
        &crate::support::fixture("mixed"),
        &archive.content().join("mixed"),
    );
    archive.build(&[]).assert_code(0);
    let json = archive.json();
    assert_eq!(json["schema"], 1);
    let schema = schema();
    let mut errors = Vec::new();
    check(&json, &schema, &schema, "$", &mut errors);
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn the_checker_catches_what_the_schema_forbids() {
    let schema = schema();
    let mut errors = Vec::new();
    check(
        &serde_json::json!({"schema": "one", "incidents": [{"id": 5}]}),
        &schema,
        &schema,
        "$",
        &mut errors,
    );
    assert!(errors.iter().any(|e| e.contains("$.schema")), "{errors:?}");
    assert!(
        errors.iter().any(|e| e.contains("$.incidents[0]")),
        "{errors:?}"
    );
}

#[test]
fn every_sample_postmortem_gets_a_page() {
    let archive = Archive::new();
    let content = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/content"));
    crate::support::copy_tree(content, &archive.content());
    archive.build(&[]).assert_code(0);
    let json = archive.json();
    let incidents = json["incidents"].as_array().unwrap();
    let samples = std::fs::read_dir(content).unwrap().count();
    assert!(samples >= 8);
    assert_eq!(incidents.len(), samples);
    for incident in incidents {
        let page = archive.read(&format!(
            "incidents/{}/index.html",
            incident["id"].as_str().unwrap()
        ));
        assert!(
            page.contains(&tera_escape(incident["title"].as_str().unwrap())),
            "title on page {}",
            incident["id"]
        );
    }
}

fn tera_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}
