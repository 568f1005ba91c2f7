#![no_main]

use std::path::Path;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use pmsite::config::Config;
use pmsite::parse::ParseOptions;

mod document;

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
    ParseOptions::from_config(&config).expect("the fuzz config compiles")
});

fuzz_target!(|data: &[u8]| document::parse_and_serialise(data, &OPTIONS));
