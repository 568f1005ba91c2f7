#![no_main]

use std::path::Path;
use std::sync::LazyLock;

use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;
use pmsite::config::Config;
use pmsite::parse::{parse_incident, ParseOptions};

// The paths `parse_document` cannot reach: what a site config changes in the reading
// (a zone for times without one, extra date formats, section aliases, tag rules and
// synonyms). One config that sets all of them; the document is the fuzzed input.
const CONFIG: &str = r#"
timezone = "+05:30"
date_formats = ["%d.%m.%Y %H:%M", "%Y%m%d", "%d/%m/%y", "%B %e %Y at %I%p"]

[aliases]
"what broke" = "root_cause"
"war story" = "summary"
"the fix" = "resolution"
"todo" = "tasks"
"how we found out" = "detection"
"clock" = "timeline"

[tags]
replace_defaults = false
rules = { dns = ["resolver", "bind9", "nxdomain"], "bad-deploy" = ["rollout", "canary"] }
synonyms = { "domain-names" = "dns", "deploy" = "bad-deploy" }
"#;

static OPTIONS: LazyLock<ParseOptions> = LazyLock::new(|| {
    let config = Config::parse(Path::new("pmsite.toml"), CONFIG).expect("the fuzz config loads");
    ParseOptions::from_config(&config)
});

fuzz_target!(|data: &[u8]| {
    let mut diagnostics: Vec<pmsite::Diagnostic> = Vec::new();
    let Some(text) = pmsite::read::decode("fuzz.md", data, &mut diagnostics) else {
        return;
    };
    let incident = parse_incident("fuzz.md", &text, &OPTIONS);
    let today = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
    let value = pmsite::render::json::incident_value(&incident, today);
    let _ = serde_json::to_vec_pretty(&value).unwrap();
});
