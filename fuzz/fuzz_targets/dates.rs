#![no_main]

use chrono::{FixedOffset, NaiveTime};
use libfuzzer_sys::fuzz_target;
use pmsite::parse::dates::{
    find_moment, find_range, leading_moment, numeric_order, parse_zone, roll_forward, year_of,
    DateContext, Moment, NumericOrder,
};

fn use_moment(m: &Moment) {
    let _ = m.iso();
    let _ = m.display();
    let _ = m.epoch_minutes(FixedOffset::east_opt(0).unwrap());
    let _ = m.epoch_minutes(FixedOffset::west_opt(14 * 3600).unwrap());
    let _ = year_of(m);
    if let (Some(date), Some(time)) = (m.date, m.time) {
        let _ = roll_forward(
            Some((date, NaiveTime::from_hms_opt(23, 59, 0).unwrap())),
            time,
        );
    }
}

fuzz_target!(|text: &str| {
    let _ = numeric_order(text);
    let contexts = [
        DateContext::default(),
        DateContext {
            year: Some(2024),
            offset: None,
            numeric: NumericOrder::BySeparator,
        },
        DateContext {
            year: Some(9999),
            offset: FixedOffset::east_opt(14 * 3600),
            numeric: NumericOrder::DayFirst,
        },
        DateContext {
            year: Some(1),
            offset: FixedOffset::west_opt(12 * 3600),
            numeric: NumericOrder::MonthFirst,
        },
    ];
    for context in contexts {
        if let Some(m) = find_moment(text, context) {
            use_moment(&m);
        }
        if let Some((m, used)) = leading_moment(text, context) {
            assert!(
                used <= text.len(),
                "leading_moment used {used} > {}",
                text.len()
            );
            // Callers slice the text at `used`.
            assert!(
                text.is_char_boundary(used),
                "leading_moment used {used}: not a char boundary"
            );
            use_moment(&m);
        }
        if let Some((a, b)) = find_range(text, context) {
            use_moment(&a);
            use_moment(&b);
        }
    }
    if let Some(offset) = parse_zone(text) {
        let _ = pmsite::parse::dates::format_offset(offset);
        let _ = pmsite::parse::dates::offset_name(offset);
    }
});
