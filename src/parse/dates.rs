//! Dates, times and zones as people write them in postmortems: "June 7, 2024, 10:30 AM
//! UTC", "2024-06-04 15:00", "15:00 PST on 4 Jun", "Tuesday, March 3rd at 9:12pm EST",
//! "27-05-2025 13:44". Pure functions; nothing here can panic on any input.

use std::sync::LazyLock;

use super::pattern::compile;
use chrono::{Datelike, FixedOffset, NaiveDate, NaiveTime, Timelike};
use regex::{Captures, Regex};

// The model's moment and its formatters; reading them from text is this module's job.
pub use crate::model::moment::{
    format_offset, hour_minute, iso_date, long_date, offset_name, short_date, Moment, MONTH_NAMES,
};

/// Zone abbreviations seen in postmortems, with their offsets in minutes. Generic names
/// (ET, PT) take standard time: the text does not say which.
const ZONES: &[(&str, i32)] = &[
    ("UTC", 0),
    ("GMT", 0),
    ("UT", 0),
    ("Z", 0),
    ("WET", 0),
    ("BST", 60),
    ("CET", 60),
    ("WAT", 60),
    ("WEST", 60),
    ("IST", 330),
    ("CEST", 120),
    ("EET", 120),
    ("CAT", 120),
    ("SAST", 120),
    ("EEST", 180),
    ("EAT", 180),
    ("MSK", 180),
    ("PKT", 300),
    ("ICT", 420),
    ("WIB", 420),
    ("SGT", 480),
    ("HKT", 480),
    ("AWST", 480),
    ("JST", 540),
    ("KST", 540),
    ("ACST", 570),
    ("AEST", 600),
    ("AEDT", 660),
    ("NZST", 720),
    ("NZDT", 780),
    ("EST", -300),
    ("EDT", -240),
    ("ET", -300),
    ("CST", -360),
    ("CDT", -300),
    ("CT", -360),
    ("MST", -420),
    ("MDT", -360),
    ("MT", -420),
    ("PST", -480),
    ("PDT", -420),
    ("PT", -480),
    ("AKST", -540),
    ("AKDT", -480),
    ("HST", -600),
    ("BRT", -180),
    ("ART", -180),
];

/// Reads a zone: an abbreviation (`UTC`, `EST`, `CEST`), `UTC+3`, `GMT-5`, `+02:00`,
/// `-0500`. Case-insensitive.
pub fn parse_zone(text: &str) -> Option<FixedOffset> {
    let text = text.trim();
    let upper = text.to_ascii_uppercase();
    if let Some((_, minutes)) = ZONES.iter().find(|(name, _)| *name == upper) {
        return FixedOffset::east_opt(minutes * 60);
    }
    let numeric = upper
        .strip_prefix("UTC")
        .or_else(|| upper.strip_prefix("GMT"))
        .unwrap_or(&upper);
    let numeric = numeric.trim().replace('−', "-");
    let captures = OFFSET.captures(&numeric)?;
    let sign = if &captures[1] == "-" { -1 } else { 1 };
    let hours: i32 = captures[2].parse().ok()?;
    let minutes: i32 = captures
        .get(3)
        .map_or(Some(0), |m| m.as_str().parse().ok())?;
    if hours > 14 || minutes > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))
}

static OFFSET: LazyLock<Regex> =
    LazyLock::new(|| compile(r"^([+-])(\d{1,2})(?::?(\d{2}))?$").unwrap());

const MONTH: &str = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?";
const WEEKDAY: &str =
    r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|rsday|urday)?\.?,?\s+)?";
const ORDINAL: &str = r"(?:st|nd|rd|th)?";

/// One alternation for every date shape, so a text is scanned once.
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    let iso = r"(?P<iy>\d{4})[-/](?P<im>\d{1,2})[-/](?P<id>\d{1,2})";
    let month_first =
        format!(r"{WEEKDAY}(?P<mm>{MONTH})\s+(?P<md>\d{{1,2}}){ORDINAL}(?:,?\s*(?P<my>\d{{4}}))?");
    let day_first = format!(
        r"{WEEKDAY}(?P<dd>\d{{1,2}}){ORDINAL}\s+(?:of\s+)?(?P<dm>{MONTH}),?(?:\s+(?P<dy>\d{{4}}))?"
    );
    let numeric = r"(?P<na>\d{1,2})(?P<ns1>[/.-])(?P<nb>\d{1,2})(?P<ns2>[/.-])(?P<ny>\d{4}|\d{2})";
    compile(&format!(
        r"(?i)\b(?:{iso}|{month_first}|{day_first}|{numeric})\b"
    ))
    .unwrap()
});

/// `DATE` and `TIME` anchored at the start, for timeline lines: no search through the
/// rest of the line.
static LEADING_DATE: LazyLock<Regex> =
    LazyLock::new(|| compile(&format!("^(?:{})", DATE.as_str())).unwrap());
static LEADING_TIME: LazyLock<Regex> =
    LazyLock::new(|| compile(&format!("^(?:{})", TIME.as_str())).unwrap());

static TIME: LazyLock<Regex> = LazyLock::new(|| {
    // Zone names are matched case-sensitively ("10:30 ET" but not "10:30 et al").
    let names: Vec<&str> = ZONES
        .iter()
        .map(|(name, _)| *name)
        .filter(|n| n.chars().all(|c| c.is_ascii_alphabetic()))
        .collect();
    let zone = format!(
        r"(?:(?i:utc|gmt)\s*[+−-]\s*\d{{1,2}}(?::?\d{{2}})?|[+−-]\d{{2}}:?\d{{2}}|(?i:utc|gmt)\b|(?-i:{})\b)",
        names.join("|")
    );
    compile(&format!(
        r"(?ix)\b(?P<h>\d{{1,2}})(?: :(?P<m>\d{{2}})(?::(?P<s>\d{{2}})(?:\.\d+)?)? \s*(?P<ap>[ap]\.?\s?m\b\.?)? | \s*(?P<ap2>[ap]\.?m\b\.?) )
          (?:\s*\(?(?P<zone>{zone})\)?)?"
    ))
    .unwrap()
});

/// What a bare time or date borrows from its surroundings.
#[derive(Debug, Clone, Copy, Default)]
pub struct DateContext {
    /// The year for dates written without one ("June 7").
    pub year: Option<i32>,
    /// The zone for times written without one, when the text around states one.
    pub offset: Option<FixedOffset>,
    /// How the file writes numeric dates such as `05/06/2024`.
    pub numeric: NumericOrder,
}

/// Which number of a numeric date (`05/06/2024`) is the month: decided once per file,
/// by a date whose day is over 12 (`13/06/2024`), so every date of the file reads alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NumericOrder {
    /// Nothing in the file decides: slashes read month first (US), dashes and dots
    /// day first (European).
    #[default]
    BySeparator,
    DayFirst,
    MonthFirst,
}

/// The file's numeric order, and when nothing decides it, the first date that could
/// be read either way (with its 1-based line) so the reader can be told.
pub fn numeric_order(text: &str) -> (NumericOrder, Option<(usize, String)>) {
    let (mut day_first, mut month_first) = (false, false);
    let mut ambiguous = None;
    for (start, date) in numeric_dates(text) {
        let mut numbers = date.split(['/', '-', '.']).map(str::parse::<u32>);
        let (Some(Ok(a)), Some(Ok(b))) = (numbers.next(), numbers.next()) else {
            continue;
        };
        match (a, b) {
            (13..=31, 1..=12) => day_first = true,
            (1..=12, 13..=31) => month_first = true,
            (1..=12, 1..=12) if a != b && ambiguous.is_none() => {
                let line = text[..start].matches('\n').count() + 1;
                ambiguous = Some((line, date.to_string()));
            }
            _ => {}
        }
    }
    match (day_first, month_first) {
        (true, false) => (NumericOrder::DayFirst, None),
        (false, true) => (NumericOrder::MonthFirst, None),
        _ => (NumericOrder::BySeparator, ambiguous),
    }
}

/// Every numeric date of `text` with its byte offset: `05/06/2024`, `27-05-25`,
/// `05.06.2024` (dots need a four-digit year: `1.2.10` is a version). Read by hand from
/// the separators, which a SIMD search finds: a regex would walk every byte of the file.
fn numeric_dates(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let bytes = text.as_bytes();
    let digits_from = move |at: usize| {
        bytes.get(at..).map_or(0, |rest| {
            rest.iter().take_while(|b| b.is_ascii_digit()).count()
        })
    };
    let word_byte = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut next_free = 0;
    memchr::memchr3_iter(b'/', b'-', b'.', bytes).filter_map(move |separator| {
        if separator < next_free || separator == 0 {
            return None;
        }
        // The day or month before the first separator: one or two digits at a word start.
        let mut start = separator;
        while start > 0 && bytes[start - 1].is_ascii_digit() && separator - start < 3 {
            start -= 1;
        }
        let first = separator - start;
        if !(1..=2).contains(&first) || (start > 0 && word_byte(bytes[start - 1])) {
            return None;
        }
        let sep = bytes[separator];
        let second = digits_from(separator + 1);
        let second_end = separator + 1 + second;
        if !(1..=2).contains(&second) || bytes.get(second_end) != Some(&sep) {
            return None;
        }
        let year = digits_from(second_end + 1);
        let end = second_end + 1 + year;
        let year_ok = if sep == b'.' {
            year == 4
        } else {
            year == 2 || year == 4
        };
        if !year_ok || bytes.get(end).is_some_and(|&b| word_byte(b)) {
            return None;
        }
        next_free = end;
        Some((start, &text[start..end]))
    })
}

/// A numeric date such as `05/06/2024` read the way the separator says, and the other
/// way: ("May 6, 2024", "June 5, 2024").
pub fn both_readings(example: &str) -> (String, String) {
    let read = |numeric| {
        let context = DateContext {
            numeric,
            ..DateContext::default()
        };
        find_moment(example, context)
            .and_then(|m| m.date)
            .map_or_else(|| example.to_string(), long_date)
    };
    let as_written = read(NumericOrder::BySeparator);
    let day_first = read(NumericOrder::DayFirst);
    let other = if as_written == day_first {
        read(NumericOrder::MonthFirst)
    } else {
        day_first
    };
    (as_written, other)
}

/// Finds the first date and/or time in `text`. A time near a date ("June 7, 2024, 10:30
/// AM UTC", "15:00 PST on 4 Jun 2024") joins it; `None` when there is neither.
pub fn find_moment(text: &str, context: DateContext) -> Option<Moment> {
    let text = &*same_length_times(text);
    let date = DATE
        .captures_iter(text)
        .find_map(|c| date_from(&c, context).map(|d| (d, c.get(0).unwrap().range())));
    let times = TIME.captures_iter(text).filter_map(|c| {
        let range = c.get(0)?.range();
        // Skip the digits inside a date we already found.
        if let Some((_, date_range)) = &date {
            if range.start < date_range.end && date_range.start < range.end {
                return None;
            }
        }
        time_from(&c).map(|t| (t, range))
    });
    let time = match &date {
        Some((_, date_range)) => times
            .filter(|(_, range)| {
                let gap = if range.start >= date_range.end {
                    text.get(date_range.end..range.start)
                } else {
                    text.get(range.end..date_range.start)
                };
                gap.is_some_and(|gap| gap.len() <= 12 && !gap.contains(['.', ';', '\n']))
            })
            .map(|(t, _)| t)
            .next(),
        None => times.map(|(t, _)| t).next(),
    };
    // "at midnight", "at noon": times written as words.
    let time = time.or_else(|| {
        let word = WORD_TIME.captures(text)?;
        let hour = if word[1].eq_ignore_ascii_case("midnight") {
            0
        } else {
            12
        };
        Some((NaiveTime::from_hms_opt(hour, 0, 0)?, None))
    });
    match (date, time) {
        (None, None) => None,
        (date, time) => {
            let (time, offset) = match time {
                Some((time, offset)) => (Some(time), offset.or(context.offset)),
                None => (None, None),
            };
            Some(Moment {
                date: date.map(|(d, _)| d),
                time,
                offset,
            })
        }
    }
}

/// A moment at the very start of `text` (after list markers and emphasis were removed by
/// the caller): returns it and the byte length it used, or `None`. For timeline lines.
pub fn leading_moment(text: &str, context: DateContext) -> Option<(Moment, usize)> {
    if !text.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return None;
    }
    let text = &*same_length_times(text);
    let mut moment = Moment {
        date: None,
        time: None,
        offset: None,
    };
    let mut end;
    // `is_match` runs the fast DFA; captures only when there is something to capture.
    if let Some(c) = LEADING_DATE
        .is_match(text)
        .then(|| LEADING_DATE.captures(text))
        .flatten()
    {
        moment.date = Some(date_from(&c, context)?);
        end = c.get(0)?.end();
        let after = &text[end..];
        let separator = SEPARATOR.find(after).map_or(0, |m| m.end());
        if let Some(t) = LEADING_TIME.captures(&after[separator..]) {
            if let Some((time, offset)) = time_from(&t) {
                moment.time = Some(time);
                moment.offset = offset.or(context.offset);
                end += separator + t.get(0)?.as_str().trim_end().len();
            }
        }
    } else if let Some(t) = LEADING_TIME
        .is_match(text)
        .then(|| LEADING_TIME.captures(text))
        .flatten()
    {
        let (time, offset) = time_from(&t)?;
        moment.time = Some(time);
        moment.offset = offset.or(context.offset);
        end = t.get(0)?.as_str().trim_end().len();
        // "15:00 PST on 4 Jun 2024"
        let after = &text[end..];
        if let Some(on) = ON_DATE.find(after) {
            if let Some(c) = LEADING_DATE.captures(&after[on.end()..]) {
                moment.date = date_from(&c, context);
                end += on.end() + c.get(0)?.end();
            }
        }
    } else {
        return None;
    }
    Some((moment, end))
}

/// Times rewritten in place, at the same byte length (callers use offsets into the
/// text), to shapes `TIME` reads: `2024-06-07T10:30` -> `2024-06-07 10:30`, and
/// 24-hour clock times written without a colon -> `HH:MM` (see `hhmm_times`).
fn same_length_times(text: &str) -> std::borrow::Cow<'_, str> {
    static ISO_T: LazyLock<Regex> =
        LazyLock::new(|| compile(r"(\d{4}-\d{1,2}-\d{1,2})[Tt](\d)").unwrap());
    let text = ISO_T.replace_all(text, "$1 $2");
    match hhmm_times(&text) {
        Some(rewritten) => std::borrow::Cow::Owned(rewritten),
        None => text,
    }
}

/// `1506 UTC`, `0300hrs (EAT)`, `2022-02-02 1625: ...`: four digits that are a time of
/// day, not a year. They are read as a time when followed by `hrs`/`h`, by a zone (a
/// number that could be a recent year, 1970-2099, only right after a date), or by `:`
/// or a dash right after a date. Returns the rewritten text, or `None` when there is none.
fn hhmm_times(text: &str) -> Option<String> {
    static HHMM: LazyLock<Regex> =
        LazyLock::new(|| compile(r"\b([01]\d|2[0-3])([0-5]\d)(hrs?\b|h\b)?").unwrap());
    static ZONE_AFTER: LazyLock<Regex> =
        LazyLock::new(|| compile(r"^ \(?(?:UTC|GMT|Z\b|[A-Z]{1,4}T\b|[+-]\d{2}:?\d{2})").unwrap());
    static DATE_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
        compile(r"(?i)(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/\d{4}|\b[a-z]{3,9}\.? \d{1,2}(?:st|nd|rd|th)?,? \d{4}|\b\d{1,2}(?:st|nd|rd|th)? [a-z]{3,9},? \d{4}),? $").unwrap()
    });
    if !text.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut out: Option<String> = None;
    for c in HHMM.captures_iter(text) {
        let whole = c.get(0)?;
        let (before, after) = (&text[..whole.start()], &text[whole.end()..]);
        // Part of a longer number or a decimal ("12345", "1.2345") is no time.
        if before.ends_with(|ch: char| ch.is_ascii_digit() || ch == '.' || ch == ':') {
            continue;
        }
        let after_date = DATE_BEFORE.is_match(before);
        let number: u32 = text[whole.start()..whole.start() + 4].parse().ok()?;
        let year_like = (1970..=2099).contains(&number);
        let suffix = c.get(3).map(|m| m.len());
        let readable = match suffix {
            Some(_) => true,
            // "between the hours of 1900 and 2100 UTC"
            None if before.to_ascii_lowercase().ends_with("hours of ") => true,
            None => {
                (ZONE_AFTER.is_match(after) && (!year_like || after_date))
                    || (after_date && (after.starts_with(": ") || after.starts_with(" - ")))
            }
        };
        if !readable {
            continue;
        }
        // Room for the colon: the suffix, else the one space or colon after the digits.
        if suffix.is_none() && !after.starts_with([' ', ':']) {
            continue;
        }
        let (start, width) = (whole.start(), 4 + suffix.unwrap_or(1));
        let rewritten = format!("{}:{}", &c[1], &c[2]);
        let out = out.get_or_insert_with(|| text.to_string());
        out.replace_range(
            start..start + width,
            &format!("{rewritten:<width$}", width = width),
        );
    }
    out
}

static WORD_TIME: LazyLock<Regex> =
    LazyLock::new(|| compile(r"(?i)\bat\s+(midnight|noon|midday)\b").unwrap());

static SEPARATOR: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"^(?:\s*[-–—]\s+|\s*[T@]\s*|,?\s*(?:at\s+|(?i:ca\.|approx\.|around)\s*|~\s*)?)")
        .unwrap()
});
static ON_DATE: LazyLock<Regex> = LazyLock::new(|| compile(r"^,?\s*(?:on\s+)?").unwrap());

fn date_from(c: &Captures, context: DateContext) -> Option<NaiveDate> {
    let number = |name: &str| c.name(name).and_then(|m| m.as_str().parse::<u32>().ok());
    let (year, month, day) = if let Some(y) = c.name("iy") {
        (y.as_str().parse().ok()?, number("im")?, number("id")?)
    } else if let Some(m) = c.name("mm") {
        let year = c
            .name("my")
            .and_then(|y| y.as_str().parse().ok())
            .or(context.year)?;
        (year, month_number(m.as_str())?, number("md")?)
    } else if let Some(m) = c.name("dm") {
        let year = c
            .name("dy")
            .and_then(|y| y.as_str().parse().ok())
            .or(context.year)?;
        (year, month_number(m.as_str())?, number("dd")?)
    } else {
        if c.name("ns1")?.as_str() != c.name("ns2")?.as_str() {
            return None;
        }
        // `1.2.10`, `3.8.16`: a version number, not a date.
        if c.name("ns1")?.as_str() == "." && c.name("ny")?.as_str().len() == 2 {
            return None;
        }
        let (a, b) = (number("na")?, number("nb")?);
        let y = c.name("ny")?.as_str();
        let year: i32 = if y.len() == 2 {
            2000 + y.parse::<i32>().ok()?
        } else {
            y.parse().ok()?
        };
        // 27-05-2025 is day-first; 05/27/2025 month-first. When both fit, slashes are
        // read the American way and dashes and dots the European way.
        let slash = c.name("ns1")?.as_str() == "/";
        let day_first = match context.numeric {
            _ if a > 12 => true,
            _ if b > 12 => false,
            NumericOrder::DayFirst => true,
            NumericOrder::MonthFirst => false,
            NumericOrder::BySeparator => !slash,
        };
        let (month, day) = if day_first { (b, a) } else { (a, b) };
        (year, month, day)
    };
    // Postmortems are of computer systems: a year before 1970 is a misreading (a time
    // such as `Feb 7 1506 UTC`, a version number), never an incident's date.
    if !(1970..=9999).contains(&year) {
        return None;
    }
    NaiveDate::from_ymd_opt(year, month, day)
}

fn month_number(name: &str) -> Option<u32> {
    let lower = name.to_ascii_lowercase();
    let months = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    months
        .iter()
        .position(|m| lower.starts_with(m))
        .map(|i| i as u32 + 1)
}

fn time_from(c: &Captures) -> Option<(NaiveTime, Option<FixedOffset>)> {
    let mut hour: u32 = c.name("h")?.as_str().parse().ok()?;
    let minute: u32 = c.name("m").map_or(Some(0), |m| m.as_str().parse().ok())?;
    let second: u32 = c.name("s").map_or(Some(0), |m| m.as_str().parse().ok())?;
    let meridiem = c
        .name("ap")
        .or(c.name("ap2"))
        .map(|m| m.as_str().to_ascii_lowercase());
    if let Some(meridiem) = meridiem.filter(|_| hour <= 12) {
        // "14:15pm" means 14:15: a 24-hour time with a stray suffix.
        if hour == 0 {
            return None;
        }
        let pm = meridiem.starts_with('p');
        hour = match (hour, pm) {
            (12, false) => 0,
            (12, true) => 12,
            (h, true) => h + 12,
            (h, false) => h,
        };
    }
    let time = NaiveTime::from_hms_opt(hour, minute, second)?;
    let offset = c.name("zone").and_then(|z| parse_zone(z.as_str()));
    Some((time, offset))
}

static RANGE_SEPARATOR: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"(?i)\s+(?:-+|–|—|to|until|till|through|thru|and)\s+|\s*[–—]\s*").unwrap()
});

/// `text` without emphasis markers: every `*`, and `_` at the edge of a word (so
/// `snake_case` keeps its underscore).
fn without_emphasis(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains(['*', '_']) {
        return std::borrow::Cow::Borrowed(text);
    }
    let chars: Vec<char> = text.chars().collect();
    let word = |i: Option<&char>| i.is_some_and(|c| c.is_alphanumeric());
    let kept = chars.iter().enumerate().filter(|&(i, &c)| match c {
        '*' => false,
        '_' => word(i.checked_sub(1).and_then(|p| chars.get(p))) && word(chars.get(i + 1)),
        _ => true,
    });
    std::borrow::Cow::Owned(kept.map(|(_, c)| *c).collect())
}

/// A span of time written as a range: "01:00 AM - 03:30 AM (UTC)", "from 10:00 AM to
/// 11:30 AM (UTC) on February 14, 2024", "between 06:02 and 07:26 UTC on 14 November
/// 2024", "July 29, 2023, 09:00 AM - Aug 04, 2023, 04:30 AM". The two ends share what
/// only one of them states (date, zone); an end before its start on the same day is on
/// the next day.
pub fn find_range(text: &str, context: DateContext) -> Option<(Moment, Moment)> {
    // "from __0300hrs (EAT)__ to __0400hrs (EAT)__": the emphasis is not part of the times.
    let text = &*without_emphasis(text);
    for separator in RANGE_SEPARATOR.find_iter(text) {
        let left = &text[..separator.start()];
        let right = &text[separator.end()..];
        // The start must sit just before the separator, the end just after it.
        let left_tail = tail(left, 40);
        let found =
            find_moment(left_tail, context).filter(|m| m.time.is_some() || m.date.is_some());
        // "the hours of 1900" reads as a time only with the text after it ("1900 and").
        let found = match found {
            Some(m) if m.time.is_some() => Some(m),
            other => {
                let hours_of = tail(left, 24).to_ascii_lowercase().rfind("hours of ");
                hours_of
                    .and_then(|at| {
                        let from = left.len() - tail(left, 24).len() + at;
                        find_moment(&text[from..separator.end()], context)
                    })
                    .filter(|m| m.time.is_some())
                    .or(other)
            }
        };
        let Some(mut start) = found else {
            continue;
        };
        let right_head = head(right, 48);
        // "between the hours of 1900 and 2100 UTC": a four-digit start makes a
        // four-digit end a time too.
        if let Some(mut end) = hhmm_range_end(left, right_head, &start) {
            start.date = start.date.or_else(|| {
                DATE.captures_iter(text)
                    .find_map(|c| date_from(&c, context))
            });
            end.date = start.date;
            end.offset = end.offset.or(start.offset);
            start.offset = start.offset.or(end.offset);
            if let (Some(s), Some(e), Some(d)) = (start.time, end.time, start.date) {
                if e < s {
                    end.date = d.succ_opt();
                }
            }
            return Some((start, end));
        }
        let Some(mut end) = leading_moment(right_head.trim_start(), context)
            .map(|(m, _)| m)
            .and_then(|m| {
                find_moment(right_head, context).map(|full| {
                    if full.date.is_some() && m.date.is_none() {
                        full
                    } else {
                        m
                    }
                })
            })
        else {
            continue;
        };
        if start.time.is_none() != end.time.is_none() {
            continue; // "June 3 - 14:00" is not a range
        }
        let any_date = || {
            DATE.captures_iter(text)
                .find_map(|c| date_from(&c, context))
        };
        start.date = start.date.or(end.date).or_else(any_date);
        end.date = end.date.or(start.date);
        start.offset = start.offset.or(end.offset);
        end.offset = end.offset.or(start.offset);
        if let (Some(s), Some(e), Some(sd), Some(ed)) = (start.time, end.time, start.date, end.date)
        {
            if sd == ed && e < s {
                end.date = ed.succ_opt();
            }
        }
        return Some((start, end));
    }
    None
}

/// The end of a range whose start was written as four digits (`1900`): the four digits
/// after the separator (`2100`, `2100 UTC`), as a time with its zone.
fn hhmm_range_end(left: &str, right: &str, start: &Moment) -> Option<Moment> {
    start.time?;
    let written = left.trim_end();
    let digits = written.len() - written.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    if digits != 4 {
        return None;
    }
    let right = right.trim_start();
    let end_digits =
        &right[..right.len() - right.trim_start_matches(|c: char| c.is_ascii_digit()).len()];
    if end_digits.len() != 4 {
        return None;
    }
    let (hours, minutes) = (end_digits[..2].parse().ok()?, end_digits[2..].parse().ok()?);
    let time = NaiveTime::from_hms_opt(hours, minutes, 0)?;
    let after = right[4..].trim_start();
    let zone = after
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '+' && c != '-')
        .next()
        .and_then(parse_zone);
    Some(Moment {
        date: None,
        time: Some(time),
        offset: zone,
    })
}

fn tail(text: &str, bytes: usize) -> &str {
    let mut start = text.len().saturating_sub(bytes);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    &text[start..]
}

fn head(text: &str, bytes: usize) -> &str {
    let mut end = bytes.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Places a bare time on the right day: the day of the previous timeline entry, moved
/// to the next day when the clock went backwards by more than six hours (a timeline that
/// crosses midnight).
pub fn roll_forward(
    previous: Option<(NaiveDate, NaiveTime)>,
    time: NaiveTime,
) -> Option<NaiveDate> {
    let (date, before) = previous?;
    let went_back =
        before.num_seconds_from_midnight() as i64 - time.num_seconds_from_midnight() as i64;
    if went_back > 6 * 3600 {
        date.succ_opt()
    } else {
        Some(date)
    }
}

/// The year of a date, for use as context.
pub fn year_of(moment: &Moment) -> Option<i32> {
    moment.date.map(|d| d.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(text: &str) -> Option<String> {
        find_moment(
            text,
            DateContext {
                year: Some(2024),
                ..DateContext::default()
            },
        )
        .and_then(|m| m.iso())
    }

    #[test]
    fn four_digit_ranges_after_the_hours_of() {
        let (start, end) = find_range(
            "On April 26, 2023 between the hours of 1900 and 2100 UTC, replicas lagged",
            DateContext::default(),
        )
        .unwrap();
        assert_eq!(start.iso().as_deref(), Some("2023-04-26T19:00:00Z"));
        assert_eq!(end.iso().as_deref(), Some("2023-04-26T21:00:00Z"));
        // Four digits alone are a year, not a time.
        assert!(
            find_range("from 2019 to 2021 the job ran", DateContext::default())
                .is_none_or(|(s, _)| s.time.is_none())
        );
    }

    #[test]
    fn reads_the_seed_formats() {
        assert_eq!(
            iso("June 7, 2024, 10:30 AM UTC").unwrap(),
            "2024-06-07T10:30:00Z"
        );
        assert_eq!(
            iso("June 7, 2024, 12:00 PM UTC").unwrap(),
            "2024-06-07T12:00:00Z"
        );
        assert_eq!(iso("June 4, 2024, 15:00").unwrap(), "2024-06-04T15:00:00");
    }

    #[test]
    fn reads_iso_numeric_and_prose_dates() {
        assert_eq!(iso("2024-06-04 15:00").unwrap(), "2024-06-04T15:00:00");
        assert_eq!(iso("2021-06-08T09:47:00Z").unwrap(), "2021-06-08T09:47:00Z");
        assert_eq!(
            iso("27-05-2025 13:44 – rollout began").unwrap(),
            "2025-05-27T13:44:00"
        );
        assert_eq!(iso("05/27/2025").unwrap(), "2025-05-27");
        assert_eq!(
            iso("15:00 PST on 4 Jun 2024").unwrap(),
            "2024-06-04T15:00:00-08:00"
        );
        assert_eq!(
            iso("Tuesday, March 3rd at 9:12pm EST").unwrap(),
            "2024-03-03T21:12:00-05:00"
        );
        assert_eq!(iso("on the 4th of June 2024").unwrap(), "2024-06-04");
    }

    #[test]
    fn four_digit_clock_times_with_a_zone_or_after_a_date() {
        assert_eq!(
            iso("Feb 7 1506 UTC: blocks halted").unwrap(),
            "2024-02-07T15:06:00Z"
        );
        let eat = find_moment("from 0300hrs (EAT) to 0400hrs", DateContext::default()).unwrap();
        assert_eq!(eat.time, NaiveTime::from_hms_opt(3, 0, 0));
        assert_eq!(eat.offset, FixedOffset::east_opt(3 * 3600));
        assert_eq!(
            iso("2022-02-02 1625: a report arrives").unwrap(),
            "2022-02-02T16:25:00"
        );
        let at = leading_moment("1936 UTC: validators restart", DateContext::default());
        assert_eq!(at.unwrap().0.time, NaiveTime::from_hms_opt(19, 36, 0));
        let at = find_moment("between the hours of 1900 and", DateContext::default()).unwrap();
        assert_eq!(at.time, NaiveTime::from_hms_opt(19, 0, 0));
        // No room for the colon at the very end: left alone, and no panic.
        assert_eq!(
            find_moment("the hours of 1900", DateContext::default()),
            None
        );
        // A recent year stays a year; plain numbers stay numbers.
        assert_eq!(iso("June 7, 2024 UTC").unwrap(), "2024-06-07");
        assert_eq!(
            iso("we served 1500 requests on June 7"),
            Some("2024-06-07".into())
        );
        assert_eq!(
            find_moment("error 1506 in the log", DateContext::default()),
            None
        );
    }

    #[test]
    fn clock_time_rewriting_never_panics() {
        // Every sequence of up to four pieces near the rewrite's edges: digits at the
        // end, multi-byte letters beside them, suffixes, zones.
        let pieces = [
            "1506",
            " ",
            ":",
            " UTC",
            "hrs",
            "h",
            "2024-01-02 ",
            "Feb 7 ",
            "é",
            " - ",
            "hours of ",
        ];
        let mut text = String::new();
        for n in 0..pieces.len().pow(4) {
            text.clear();
            let mut k = n;
            for _ in 0..4 {
                text.push_str(pieces[k % pieces.len()]);
                k /= pieces.len();
            }
            let _ = find_moment(&text, DateContext::default());
            let _ = leading_moment(&text, DateContext::default());
            if let Some(rewritten) = hhmm_times(&text) {
                assert_eq!(rewritten.len(), text.len(), "{text:?}");
            }
        }
    }

    #[test]
    fn years_before_1970_are_misreadings() {
        assert_eq!(iso("March 4, 1628"), None);
    }

    #[test]
    fn a_time_alone_has_no_date() {
        let moment = find_moment("at 14:05 UTC+3", DateContext::default()).unwrap();
        assert_eq!(moment.date, None);
        assert_eq!(moment.time, NaiveTime::from_hms_opt(14, 5, 0));
        assert_eq!(moment.offset, FixedOffset::east_opt(3 * 3600));
    }

    #[test]
    fn impossible_dates_and_times_are_not_read() {
        assert_eq!(iso("February 30, 2024"), None);
        assert_eq!(find_moment("25:61", DateContext::default()), None);
        assert_eq!(find_moment("0:30 PM", DateContext::default()), None);
        let stray = find_moment("14:15pm", DateContext::default()).unwrap();
        assert_eq!(stray.time, NaiveTime::from_hms_opt(14, 15, 0));
        assert_eq!(iso("0000-01-01"), None);
    }

    #[test]
    fn zones() {
        assert_eq!(parse_zone("utc"), FixedOffset::east_opt(0));
        assert_eq!(parse_zone("GMT-5"), FixedOffset::east_opt(-5 * 3600));
        assert_eq!(parse_zone("+05:30"), FixedOffset::east_opt(5 * 3600 + 1800));
        assert_eq!(parse_zone("EEST"), FixedOffset::east_opt(3 * 3600));
        assert_eq!(parse_zone("Mars"), None);
        assert_eq!(parse_zone("+99:00"), None);
    }

    #[test]
    fn leading_moment_measures_what_it_used() {
        let context = DateContext {
            year: Some(2024),
            ..DateContext::default()
        };
        let (m, used) = leading_moment("10:30 AM: Issue detected", context).unwrap();
        assert_eq!(m.time, NaiveTime::from_hms_opt(10, 30, 0));
        assert_eq!(&"10:30 AM: Issue detected"[used..], ": Issue detected");
        let (m, used) = leading_moment("27-05-2025 13:44 – DAST rollout", context).unwrap();
        assert_eq!(m.iso().unwrap(), "2025-05-27T13:44:00");
        assert_eq!(used, 16);
        assert!(leading_moment("Issue detected at 10:30", context).is_none());
    }

    #[test]
    fn midnight_and_noon_in_words() {
        assert_eq!(
            iso("On September 11th, 2018 at midnight the site went down").unwrap(),
            "2018-09-11T00:00:00"
        );
        assert_eq!(iso("June 3, 2024 at noon").unwrap(), "2024-06-03T12:00:00");
    }

    #[test]
    fn ranges() {
        let range = |text: &str| {
            find_range(text, DateContext::default())
                .map(|(a, b)| (a.iso().unwrap_or_default(), b.iso().unwrap_or_default()))
        };
        assert_eq!(
            range("August 18, 2024, 01:00 AM - August 18, 2024, 03:30 AM (UTC)").unwrap(),
            ("2024-08-18T01:00:00Z".into(), "2024-08-18T03:30:00Z".into())
        );
        assert_eq!(
            range("The outage occurred from 10:00 AM to 11:30 AM (UTC) on February 14, 2024.")
                .unwrap(),
            ("2024-02-14T10:00:00Z".into(), "2024-02-14T11:30:00Z".into())
        );
        assert_eq!(
            range("Between 06:02 and 07:26 UTC on Thursday 14 November 2024 nobody could sign in")
                .unwrap(),
            ("2024-11-14T06:02:00Z".into(), "2024-11-14T07:26:00Z".into())
        );
        assert_eq!(
            range("July 29, 2023, 09:00 AM - Aug 04, 2023, 04:30 AM (UTC)").unwrap(),
            ("2023-07-29T09:00:00Z".into(), "2023-08-04T04:30:00Z".into())
        );
        assert_eq!(
            range("2024-06-01 23:30 - 00:45").unwrap(),
            ("2024-06-01T23:30:00".into(), "2024-06-02T00:45:00".into())
        );
        assert!(range("Users and admins were affected - badly").is_none());
        // Emphasis around the times is markup, not part of them.
        assert_eq!(
            range("on **May 3rd, 2023** from __0300hrs (UTC)__ to __0400hrs (UTC)__").unwrap(),
            ("2023-05-03T03:00:00Z".into(), "2023-05-03T04:00:00Z".into())
        );
        assert_eq!(
            without_emphasis("the snake_case _name_"),
            "the snake_case name"
        );
        // A version number is not a date.
        assert_eq!(
            find_moment("upgrade to 1.2.10", DateContext::default()),
            None
        );
        assert_eq!(
            numeric_order("run 3.8.16 then 2.6.26"),
            (NumericOrder::BySeparator, None)
        );
        assert_eq!(
            numeric_order("13.06.2024 and 05.06.2024").0,
            NumericOrder::DayFirst
        );
        assert_eq!(
            numeric_order("06/13/2024 and 05-06-2024").0,
            NumericOrder::MonthFirst
        );
        let found: Vec<&str> =
            numeric_dates("on 05/06/2024, v1.2.10, 1.2.2024, 123/4/2024, 5-6-24x, 27-05-25.")
                .map(|(_, d)| d)
                .collect();
        assert_eq!(found, ["05/06/2024", "1.2.2024", "27-05-25"]);
        let times_only = find_range("from 14:00 to 16:30 UTC", DateContext::default()).unwrap();
        assert_eq!(
            (times_only.0.date, times_only.1.offset),
            (None, FixedOffset::east_opt(0))
        );
    }

    #[test]
    fn midnight_rolls_to_the_next_day() {
        let day = NaiveDate::from_ymd_opt(2024, 6, 7).unwrap();
        let late = NaiveTime::from_hms_opt(23, 50, 0).unwrap();
        let early = NaiveTime::from_hms_opt(0, 10, 0).unwrap();
        assert_eq!(roll_forward(Some((day, late)), early), day.succ_opt());
        assert_eq!(roll_forward(Some((day, early)), late), Some(day));
        assert_eq!(
            roll_forward(
                Some((day, NaiveTime::from_hms_opt(15, 0, 0).unwrap())),
                NaiveTime::from_hms_opt(14, 55, 0).unwrap()
            ),
            Some(day)
        );
    }

    #[test]
    fn iso_and_epoch() {
        let m = find_moment("2024-06-07 10:30 CEST", DateContext::default()).unwrap();
        assert_eq!(m.iso().unwrap(), "2024-06-07T10:30:00+02:00");
        let utc = FixedOffset::east_opt(0).unwrap();
        let later = find_moment("2024-06-07 10:30 UTC", DateContext::default()).unwrap();
        assert_eq!(
            later.epoch_minutes(utc).unwrap() - m.epoch_minutes(utc).unwrap(),
            120
        );
    }
}
