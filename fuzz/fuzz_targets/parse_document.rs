#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use pmsite::parse::ParseOptions;

mod document;

static OPTIONS: LazyLock<ParseOptions> = LazyLock::new(ParseOptions::default);

// Whole postmortem files under the default settings.
fuzz_target!(|data: &[u8]| document::parse_and_serialise(data, &OPTIONS));
