#![no_main]

use libfuzzer_sys::fuzz_target;
use pmsite::parse::duration::{format_minutes, parse_duration, MAX_MINUTES};

fuzz_target!(|data: &[u8]| {
    // An arbitrary i64 from the first eight bytes.
    if data.len() >= 8 {
        let n = i64::from_le_bytes(data[..8].try_into().unwrap());
        let _ = format_minutes(n);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        if let Some(m) = parse_duration(text) {
            assert!((0..=MAX_MINUTES).contains(&m), "parse_duration gave {m}");
            let _ = format_minutes(m);
        }
    }
});
