//! Stated durations: "1.5 hours", "90 minutes", "2h30m", "about two hours",
//! "1 hour and 20 minutes", "half an hour".

use std::sync::LazyLock;

use super::pattern::compile;
use regex::Regex;

static PART: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?ix)
        (?: (?P<num>\d{1,3}(?:,\d{3})+|\d+(?:[.,]\d+)?) \s*-?\s*
          | \b(?P<word>an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|forty-five|fifty|sixty|ninety|half\s+an?|a\s+half)\s+ )
        (?P<unit>days?|d|hours?|hrs?|h|minutes?|mins?|m|seconds?|secs?|s)\b",
    )
    .unwrap()
});

/// The longest duration pmsite believes: ten years. Anything longer is a typo.
pub const MAX_MINUTES: i64 = 10 * 366 * 24 * 60;

/// The first duration stated in `text`, in whole minutes. Consecutive parts add up
/// ("2 hours and 30 minutes"); "and a half" adds half of the unit before it.
pub fn parse_duration(text: &str) -> Option<i64> {
    // "2h30m" -> "2h 30m", so each part ends at a word boundary.
    static GLUED: LazyLock<Regex> = LazyLock::new(|| compile(r"([A-Za-z])(\d)").unwrap());
    let text = &*GLUED.replace_all(text, "$1 $2");
    let mut total = 0.0;
    let mut last_end: Option<usize> = None;
    let mut last_unit_minutes = 0.0;
    for part in PART.captures_iter(text) {
        let whole = part.get(0)?;
        if let Some(end) = last_end {
            let gap = text[end..whole.start()].trim().trim_matches(',').trim();
            if !(gap.is_empty() || gap.eq_ignore_ascii_case("and")) {
                break;
            }
        }
        let unit_minutes = match part["unit"].to_ascii_lowercase().as_str() {
            "d" | "day" | "days" => 1440.0,
            "h" | "hr" | "hrs" | "hour" | "hours" => 60.0,
            "m" | "min" | "mins" | "minute" | "minutes" => 1.0,
            _ => 1.0 / 60.0,
        };
        let amount = number_value(part.name("num").or(part.name("word"))?.as_str())?;
        total += amount * unit_minutes;
        last_unit_minutes = unit_minutes;
        last_end = Some(whole.end());
    }
    let end = last_end?;
    if text[end..]
        .trim_start()
        .to_ascii_lowercase()
        .starts_with("and a half")
    {
        total += last_unit_minutes / 2.0;
    }
    let minutes = total.round();
    (0.0..=MAX_MINUTES as f64)
        .contains(&minutes)
        .then_some(minutes as i64)
}

fn number_value(word: &str) -> Option<f64> {
    let word = word.to_ascii_lowercase();
    let word = word.split_whitespace().collect::<Vec<_>>().join(" ");
    let value = match word.as_str() {
        "a" | "an" | "one" => 1.0,
        "half a" | "half an" | "a half" => 0.5,
        "two" => 2.0,
        "three" => 3.0,
        "four" => 4.0,
        "five" => 5.0,
        "six" => 6.0,
        "seven" => 7.0,
        "eight" => 8.0,
        "nine" => 9.0,
        "ten" => 10.0,
        "eleven" => 11.0,
        "twelve" => 12.0,
        "fifteen" => 15.0,
        "twenty" => 20.0,
        "thirty" => 30.0,
        "forty" => 40.0,
        "forty-five" => 45.0,
        "fifty" => 50.0,
        "sixty" => 60.0,
        "ninety" => 90.0,
        // "1,000 days" groups digits; "2,5 hours" is a decimal comma.
        digits if digits.len() > 4 && digits.as_bytes()[digits.len() - 4] == b',' => {
            digits.replace(',', "").parse().ok()?
        }
        digits => digits.replace(',', ".").parse().ok()?,
    };
    Some(value)
}

pub use crate::model::moment::format_minutes;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_ways_people_state_durations() {
        assert_eq!(parse_duration("1.5 hours"), Some(90));
        assert_eq!(parse_duration("90 minutes"), Some(90));
        assert_eq!(parse_duration("2h30m"), Some(150));
        assert_eq!(parse_duration("about two hours"), Some(120));
        assert_eq!(parse_duration("1 hour and 20 minutes"), Some(80));
        assert_eq!(parse_duration("half an hour"), Some(30));
        assert_eq!(parse_duration("an hour and a half"), Some(90));
        assert_eq!(parse_duration("lasted 45 mins, then recovered"), Some(45));
        assert_eq!(parse_duration("2 days"), Some(2880));
        assert_eq!(parse_duration("no numbers here"), None);
    }

    #[test]
    fn stops_at_the_first_run() {
        assert_eq!(
            parse_duration("3 hours of outage; 20 minutes later"),
            Some(180)
        );
    }

    #[test]
    fn huge_numbers_do_not_overflow() {
        assert_eq!(parse_duration("99999999999999999999999 days"), None);
    }

    #[test]
    fn formats_for_people() {
        assert_eq!(format_minutes(90), "1 h 30 min");
        assert_eq!(format_minutes(45), "45 min");
        assert_eq!(format_minutes(1440 + 61), "25 h 1 min");
        assert_eq!(format_minutes(120), "2 h");
        assert_eq!(format_minutes(2 * 1440 + 3 * 60 + 59), "2 days 3 h");
        assert_eq!(format_minutes(49111 * 60 + 54), "2,046 days 7 h");
        assert_eq!(format_minutes(1000 * 1440), "1,000 days");
        assert_eq!(parse_duration("1,000 days"), Some(1000 * 1440));
        assert_eq!(parse_duration("2,5 hours"), Some(150));
    }
}
