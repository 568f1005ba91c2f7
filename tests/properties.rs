//! Property tests: dates, durations, whole documents, and what the markdown sanitiser
//! lets through.
//!
//! Run with `cargo test -q --test properties`. Each property runs proptest's default 256
//! cases (`PROPTEST_CASES=5000` for a longer hunt); the whole target takes a few seconds.
//!
//! The failures these properties found in `src/` are kept at the end of the file as
//! minimal regression tests.

use chrono::{FixedOffset, NaiveDate};
use pmsite::diagnostic::Code;
use pmsite::model::Incident;
use pmsite::parse::dates::{
    find_moment, find_range, format_offset, leading_moment, offset_name, parse_zone, DateContext,
    Moment,
};
use pmsite::parse::duration::{format_minutes, parse_duration};
use pmsite::parse::{parse_incident, ParseOptions};
use proptest::prelude::*;
use proptest::sample::select;

// ---------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------

use pmsite::parse::dates::MONTH_NAMES as MONTHS;
const MONTHS_SHORT: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Pieces that dates, times, zones and durations are written with.
#[rustfmt::skip]
const DATE_TOKENS: &[&str] = &[
    "January", "Feb", "feb.", "March", "apr", "May", "june", "JULY", "Aug", "Sept",
    "september", "Oct", "nov", "December", "Monday", "tue", "Wednesday,", "thurs", "Fri.",
    "Saturday", "sun", "1", "2", "7", "9", "12", "13", "24", "29", "30", "31", "00", "01",
    "09", "59", "60", "99", "0", "000", "2024", "1999", "0000", "9999", "10000", "12345",
    "99999999999999999999", ":", ":", "-", "-", "/", "/", ".", ",", " ", " ", "  ", "T",
    "t", "Z", "AM", "PM", "am", "pm", "a.m.", "p.m.", "a", "p", "m", "UTC", "utc", "GMT",
    "UT", "EST", "PDT", "CEST", "IST", "AEDT", "NZDT", "ET", "PT", "Mars", "UTC+3",
    "UTC-05:30", "GMT+14", "GMT-99", "+02:00", "-0500", "−05:00", "+", "−", "st", "nd",
    "rd", "th", "1st", "2nd", "3rd", "4th", "of", "on", "at", "to", "until", "and",
    "through", "–", "—", "(", ")", "@", "midnight", "noon", "midday", "\n", "\t", "é", "日",
    "🔥", "\u{0301}", "\u{FE0F}", "\u{feff}", "hours", "h", "min", "minutes", "days", "d",
    "secs", "half an", "a half", "and a half", "forty-five", "1.5", "2,5",
];

/// Pieces that durations are written with.
#[rustfmt::skip]
const DURATION_TOKENS: &[&str] = &[
    "0", "1", "2", "5", "15", "30", "45", "90", "1.5", "0.5", "2,5", ".5", "1.", "-", "-1",
    "--", "99999999999999999999999", "1e9", "h", "hr", "hrs", "hour", "hours", "m", "min",
    "mins", "minute", "minutes", "s", "sec", "seconds", "d", "day", "days", "a", "an",
    "one", "two", "twelve", "forty-five", "half", "half an", "a half", "and", "and a half",
    ",", " ", " ", "  ", "about", "~", "≈", "é", "日",
];

fn from_tokens(tokens: &'static [&'static str], max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(select(tokens), 0..max).prop_map(|parts| parts.concat())
}

/// Arbitrary text: any unicode, long runs, and text made of date-ish tokens.
fn messy_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "\\PC{0,200}",
        prop::collection::vec(any::<char>(), 0..3000).prop_map(|c| c.into_iter().collect()),
        from_tokens(DATE_TOKENS, 40),
        from_tokens(DATE_TOKENS, 400),
        // One date-ish token repeated many times.
        (select(DATE_TOKENS), 1..2000usize).prop_map(|(t, n)| t.repeat(n)),
    ]
}

fn context() -> impl Strategy<Value = DateContext> {
    let year = prop_oneof![
        Just(None),
        (1..=9999i32).prop_map(Some),
        any::<i32>().prop_map(Some),
    ];
    let offset = prop_oneof![
        Just(None),
        (-14 * 60..=14 * 60i32).prop_map(|m| FixedOffset::east_opt(m * 60)),
    ];
    (year, offset).prop_map(|(year, offset)| DateContext {
        year,
        offset,
        ..DateContext::default()
    })
}

/// A valid calendar date and time of day.
#[derive(Debug, Clone, Copy)]
struct Stamp {
    year: i32,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
}

// Years before 1970 are never read as dates (book/writing/dates.md).
fn stamp() -> impl Strategy<Value = Stamp> {
    (1970..=9999i32, 1..=12u32, 1..=31u32, 0..24u32, 0..60u32).prop_filter_map(
        "invalid day of month",
        |(year, month, day, hour, minute)| {
            NaiveDate::from_ymd_opt(year, month, day).map(|_| Stamp {
                year,
                month,
                day,
                hour,
                minute,
            })
        },
    )
}

impl Stamp {
    fn iso(&self, zone: &str) -> String {
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:00{zone}",
            self.year, self.month, self.day, self.hour, self.minute
        )
    }

    fn h12(&self) -> (u32, &'static str) {
        let h = match self.hour % 12 {
            0 => 12,
            h => h,
        };
        (h, if self.hour < 12 { "AM" } else { "PM" })
    }

    /// The stamp written the ways postmortems write it, with the ISO string expected back.
    /// Years are written with four digits (the parser, like people, wants four).
    fn written(&self) -> Vec<(String, String)> {
        let Stamp {
            year: y,
            month: m,
            day: d,
            hour: hh,
            minute: mm,
        } = *self;
        let (h12, ampm) = self.h12();
        let month = MONTHS[m as usize - 1];
        let mon = MONTHS_SHORT[m as usize - 1];
        vec![
            (
                format!("{month} {d}, {y:04}, {h12}:{mm:02} {ampm} UTC"),
                self.iso("Z"),
            ),
            (
                format!("{y:04}-{m:02}-{d:02} {hh:02}:{mm:02}"),
                self.iso(""),
            ),
            (format!("{d:02} {mon} {y:04} {hh:02}:{mm:02}"), self.iso("")),
            (
                format!("{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:00Z"),
                self.iso("Z"),
            ),
            (
                format!("{m:02}/{d:02}/{y:04} {hh:02}:{mm:02} CEST"),
                self.iso("+02:00"),
            ),
            (
                format!(
                    "{d:02}-{m:02}-{y:04} {h12}:{mm:02}{} PST",
                    ampm.to_lowercase()
                ),
                self.iso("-08:00"),
            ),
        ]
    }
}

// ---------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------

proptest! {
    #[test]
    fn date_functions_never_panic(text in messy_text(), context in context()) {
        let check = |m: Moment| {
            let _ = m.iso();
            let _ = m.display();
            let _ = m.epoch_minutes(FixedOffset::east_opt(0).unwrap());
        };
        if let Some(m) = find_moment(&text, context) {
            check(m);
        }
        if let Some((m, _)) = leading_moment(&text, context) {
            check(m);
        }
        if let Some((a, b)) = find_range(&text, context) {
            check(a);
            check(b);
        }
        let _ = parse_zone(&text);
    }

    #[test]
    fn leading_moment_length_is_a_char_boundary(text in messy_text(), context in context()) {
        if let Some((_, used)) = leading_moment(&text, context) {
            prop_assert!(used > 0 && used <= text.len(), "used {used} of {}", text.len());
            prop_assert!(text.is_char_boundary(used), "used {used} is not a char boundary");
        }
    }

    #[test]
    fn leading_moment_length_after_a_stamp(
        stamp in stamp(),
        rest in messy_text(),
        context in context(),
    ) {
        for (written, _) in stamp.written() {
            let text = format!("{written}{rest}");
            if let Some((_, used)) = leading_moment(&text, context) {
                prop_assert!(used <= text.len());
                prop_assert!(text.is_char_boundary(used), "used {used} in {text:?}");
            }
        }
    }

    #[test]
    fn written_moments_round_trip(stamp in stamp(), context in context()) {
        let context = DateContext { offset: None, ..context };
        for (written, expected) in stamp.written() {
            let found = find_moment(&written, context).and_then(|m| m.iso());
            prop_assert_eq!(found.as_deref(), Some(expected.as_str()), "find_moment({:?})", written);
            let (moment, used) = leading_moment(&written, context)
                .ok_or_else(|| TestCaseError::fail(format!("leading_moment({written:?}) found nothing")))?;
            prop_assert_eq!(moment.iso(), Some(expected.clone()), "leading_moment({:?})", written);
            prop_assert_eq!(used, written.len(), "leading_moment({:?}) used", written);
        }
    }

    #[test]
    fn written_moments_round_trip_inside_a_sentence(stamp in stamp()) {
        for (written, expected) in stamp.written() {
            let text = format!("The outage began on {written}. We paged on-call at 10:15.");
            let found = find_moment(&text, DateContext::default()).and_then(|m| m.iso());
            prop_assert_eq!(found, Some(expected), "find_moment({:?})", text);
        }
    }

    #[test]
    fn a_range_of_two_stamps_reads_back(a in stamp(), b in stamp()) {
        let (first, last) = if a.iso("") <= b.iso("") { (a, b) } else { (b, a) };
        let text = format!("{} - {}", first.written()[1].0, last.written()[1].0);
        let (start, end) = find_range(&text, DateContext::default())
            .ok_or_else(|| TestCaseError::fail(format!("no range in {text:?}")))?;
        prop_assert_eq!(start.iso(), Some(first.iso("")), "{:?}", text);
        prop_assert_eq!(end.iso(), Some(last.iso("")), "{:?}", text);
    }

    #[test]
    fn zone_names_round_trip(minutes in -14 * 60..=14 * 60i32) {
        let offset = FixedOffset::east_opt(minutes * 60).unwrap();
        prop_assert_eq!(parse_zone(&offset_name(offset)), Some(offset));
        prop_assert_eq!(parse_zone(&format_offset(offset)), Some(offset));
        prop_assert_eq!(parse_zone(&offset_name(offset).to_lowercase()), Some(offset));
    }
}

// ---------------------------------------------------------------------------------------
// Durations
// ---------------------------------------------------------------------------------------

proptest! {
    #[test]
    fn durations_in_one_unit(n in 0..100_000i64, h in 0..1000i64, m in 0..60i64) {
        prop_assert_eq!(parse_duration(&format!("{n} minutes")), Some(n));
        prop_assert_eq!(parse_duration(&format!("{n} min")), Some(n));
        prop_assert_eq!(parse_duration(&format!("{h} hours")), Some(h * 60));
        prop_assert_eq!(parse_duration(&format!("{h}h{m}m")), Some(h * 60 + m));
        prop_assert_eq!(parse_duration(&format!("{h}h {m}m")), Some(h * 60 + m));
        prop_assert_eq!(
            parse_duration(&format!("{h} hours and {m} minutes")),
            Some(h * 60 + m)
        );
        prop_assert_eq!(
            parse_duration(&format!("The outage lasted {h} hours, {m} minutes. 3 days later")),
            Some(h * 60 + m)
        );
    }

    #[test]
    fn formatted_minutes_read_back(minutes in 1..=pmsite::parse::duration::MAX_MINUTES) {
        // Past 48 hours the text is in days and whole hours.
        let shown = if minutes >= 48 * 60 { minutes - minutes % 60 } else { minutes };
        let text = format_minutes(minutes);
        prop_assert_eq!(parse_duration(&text), Some(shown), "{:?}", text);
    }

    #[test]
    fn format_minutes_never_panics(minutes in any::<i64>()) {
        let text = format_minutes(minutes);
        prop_assert!(!text.is_empty());
    }

    #[test]
    fn parse_duration_is_never_negative(
        text in prop_oneof![messy_text(), from_tokens(DURATION_TOKENS, 30)]
    ) {
        if let Some(minutes) = parse_duration(&text) {
            prop_assert!(minutes >= 0, "{minutes} from {text:?}");
        }
    }
}

// ---------------------------------------------------------------------------------------
// Whole documents
// ---------------------------------------------------------------------------------------

#[rustfmt::skip]
const WORDS: &[&str] = &[
    "database", "outage", "the", "primary", "failed", "over", "users", "could", "not",
    "log", "in", "resolved", "restored", "rolled", "back", "because", "caused", "by", "DNS",
    "certificate", "expired", "config", "deploy", "memory", "leak", "50%", "all users",
    "$15,000", "1,234 requests", "@alice", "@bob", "ABC-123", "#42",
    "https://example.com/x", "`code`", "**bold**", "_em_", "é", "日本", "🔥",
];
const SECTIONS: &[&str] = &[
    "Summary",
    "Impact",
    "Timeline",
    "Timeline (all times UTC)",
    "Timeline (times in PST)",
    "Root Cause",
    "Root causes",
    "Trigger",
    "Resolution",
    "Detection",
    "Action Items",
    "Follow-ups",
    "Lessons Learned",
    "Duration",
    "What went wrong",
    "Postmortem",
    "",
];
const LABELS: &[&str] = &[
    "Start",
    "Started",
    "End",
    "Resolved at",
    "Date",
    "Incident date",
    "Duration",
    "Downtime",
    "Severity",
    "Sev",
    "Impact",
    "Root cause",
    "Status",
    "Owner",
    "Timezone",
];
const FRONT_KEYS: &[&str] = &[
    "title",
    "name",
    "id",
    "slug",
    "start",
    "end",
    "date",
    "duration",
    "duration_minutes",
    "severity",
    "tags",
    "root_cause",
    "services",
    "timezone",
    "tz",
    "impact",
    "summary",
];

fn words() -> impl Strategy<Value = String> {
    prop::collection::vec(select(WORDS), 0..8).prop_map(|w| w.join(" "))
}

/// Something a postmortem writes where a date, time, duration or zone goes.
fn moment_text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => (stamp(), 0..6usize).prop_map(|(s, i)| s.written().swap_remove(i).0),
        1 => (0..30u32, 0..70u32).prop_map(|(h, m)| format!("{h}:{m:02}")),
        1 => (1..=12u32, 0..60u32, select(&["AM", "PM", "am", "pm"][..]))
            .prop_map(|(h, m, ap)| format!("{h}:{m:02} {ap}")),
        1 => (0..24u32, 0..60u32, 0..24u32, 0..60u32)
            .prop_map(|(a, b, c, d)| format!("{a:02}:{b:02} - {c:02}:{d:02} UTC")),
        1 => from_tokens(DATE_TOKENS, 12),
        1 => from_tokens(DURATION_TOKENS, 8),
    ]
}

/// A value for a frontmatter key: strings, numbers at the edges, lists, odd YAML.
fn front_value() -> impl Strategy<Value = String> {
    prop_oneof![
        moment_text().prop_map(|t| format!("{t:?}")),
        moment_text(),
        words(),
        any::<i64>().prop_map(|n| n.to_string()),
        select(
            &[
                "-5",
                "0",
                "-1",
                "9223372036854775807",
                "-9223372036854775808",
                "1e400",
                "-.inf",
                ".nan",
                "~",
                "null",
                "true",
                "[]",
                "{}",
                "[a, b, \"c d\"]",
                "[1, [2, [3]]]",
                "{a: b}",
                "|\n  block text\n  more",
                ">\n  folded",
                "&anchor x",
                "*anchor",
                "!!binary aGVsbG8=",
                "\"unterminated",
                "'single'",
                "- a\n- b",
                ": :",
                "{",
                "[",
                "@",
                "`",
            ][..]
        )
        .prop_map(str::to_string),
        "\\PC{0,30}",
    ]
}

fn frontmatter() -> impl Strategy<Value = String> {
    let close = select(&["---", "...", "--- ", "", "----"][..]);
    (
        prop::collection::vec((select(FRONT_KEYS), front_value()), 0..8),
        close,
    )
        .prop_map(|(fields, close)| {
            let mut out = String::from("---\n");
            for (key, value) in fields {
                out.push_str(&format!("{key}: {value}\n"));
            }
            out.push_str(close);
            out
        })
}

/// One line (occasionally a few) of a postmortem.
fn postmortem_line() -> impl Strategy<Value = String> {
    prop_oneof![
        // Headings.
        (1..=6usize, select(SECTIONS)).prop_map(|(n, s)| format!("{} {s}", "#".repeat(n))),
        (1..=3usize, words()).prop_map(|(n, w)| format!("{} {w}", "#".repeat(n))),
        (moment_text(), words()).prop_map(|(m, w)| format!("## {m} {w}")),
        select(SECTIONS).prop_map(|s| format!("**{s}**")),
        select(SECTIONS).prop_map(|s| format!("{s}\n{}", "=".repeat(s.len().max(3)))),
        // Labelled facts.
        (select(LABELS), moment_text()).prop_map(|(l, m)| format!("{l}: {m}")),
        (select(LABELS), moment_text()).prop_map(|(l, m)| format!("**{l}:** {m}")),
        (select(LABELS), words()).prop_map(|(l, w)| format!("- {l}: {w}")),
        (select(&["SEV-1", "SEV1", "P0", "critical", "Sev 2", "high", "9"][..]))
            .prop_map(|s| format!("Severity: {s}")),
        (stamp(), stamp(), 0..6usize).prop_map(|(a, b, i)| format!(
            "Start: {}\nEnd: {}",
            a.written().swap_remove(i).0,
            b.written().swap_remove(i).0
        )),
        // Timeline bullets and lines.
        (moment_text(), words()).prop_map(|(m, w)| format!("- {m} {w}")),
        (moment_text(), words()).prop_map(|(m, w)| format!("* **{m}**: {w}")),
        (moment_text(), words()).prop_map(|(m, w)| format!("{m} – {w}")),
        (moment_text(), words()).prop_map(|(m, w)| format!("1. {m}: {w}")),
        (moment_text(), words()).prop_map(|(m, w)| format!("### {m}\n{w}")),
        (moment_text(), words()).prop_map(|(m, w)| format!("> - [{m}] {w}")),
        // Tasks.
        (
            select(&["[ ]", "[x]", "[X]", "[-]", "[]", "[ x ]"][..]),
            words(),
            select(
                &[
                    "",
                    " (@alice)",
                    " (@bob, due 2024-11-30)",
                    " owner: Maria",
                    " due: tomorrow",
                    " ~~struck~~ won't do",
                    " — due June 3"
                ][..]
            ),
        )
            .prop_map(|(b, w, tail)| format!("- {b} {w}{tail}")),
        // Tables.
        prop::collection::vec(prop_oneof![words(), moment_text()], 1..5)
            .prop_map(|cells| format!("| {} |", cells.join(" | "))),
        (1..5usize).prop_map(|n| format!("|{}", "---|".repeat(n))),
        Just("| Time | Event |".to_string()),
        Just("| Action | Owner | Status | Due |".to_string()),
        // Prose and odd lines.
        words(),
        (words(), moment_text(), words()).prop_map(|(a, m, b)| format!("{a} {m} {b}")),
        Just(String::new()),
        Just(String::new()),
        select(
            &[
                "---",
                "...",
                "```",
                "~~~",
                "<!-- comment",
                "-->",
                "    indented code",
                "\t- tab bullet",
                ">",
                "-",
                "*",
                "#",
                "|",
                "  ",
                "<br>"
            ][..]
        )
        .prop_map(str::to_string),
        frontmatter(),
        "\\PC{0,60}",
    ]
}

/// How a document's lines are put together.
#[derive(Debug, Clone, Copy)]
enum Layout {
    /// Anything goes: blank lines, fences or text may come before the title heading, which
    /// may or may not be there.
    Free,
    /// The title heading comes first, right after the optional frontmatter.
    TitleFirst,
}

fn postmortem_with(layout: Layout, max_lines: usize) -> impl Strategy<Value = String> {
    (
        prop::option::of(frontmatter()),
        0..4usize,
        prop::collection::vec(postmortem_line(), 0..max_lines),
        select(&["\n", "\n", "\r\n", "\r"][..]),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            move |(front, blank, lines, newline, bom, trailing, title)| {
                let mut all: Vec<String> = front.into_iter().collect();
                match layout {
                    Layout::Free => {
                        all.extend(std::iter::repeat_n(String::new(), blank));
                        if title {
                            all.push("# Database outage".to_string());
                        }
                    }
                    Layout::TitleFirst => all.push("# Database outage".to_string()),
                }
                all.extend(lines);
                let mut text = all.join("\n").replace('\n', newline);
                if trailing {
                    text.push_str(newline);
                }
                if bom {
                    text.insert(0, '\u{feff}');
                }
                text
            },
        )
}

/// Short documents and long ones: in short ones the facts sit near the end of the file,
/// where a line number that is off goes past it.
fn postmortem() -> impl Strategy<Value = String> {
    prop_oneof![
        postmortem_with(Layout::Free, 6),
        postmortem_with(Layout::Free, 40),
    ]
}

fn any_document() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => postmortem(),
        1 => messy_text(),
    ]
}

/// Documents that do not trip the known line-number bug (lines before the title heading
/// shift the preamble's lines): the title comes first, and arbitrary text starts with
/// something other than blank lines.
fn titled_document() -> impl Strategy<Value = String> {
    prop_oneof![
        1 => postmortem_with(Layout::TitleFirst, 6),
        2 => postmortem_with(Layout::TitleFirst, 40),
        1 => messy_text().prop_map(|t| t.trim_start().to_string()),
    ]
}

fn path() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("2024/db-outage.md".to_string()),
        Just("a.md".to_string()),
        Just("x/y/README.txt".to_string()),
        Just("2024-06-07-cdn.markdown".to_string()),
        Just(".md".to_string()),
        Just("日本/障害.md".to_string()),
        "[a-z0-9/_. -]{0,20}\\.md",
    ]
}

/// Lines as an editor counts them: `\r\n`, `\r` and `\n` each end one.
fn line_count(text: &str) -> usize {
    let normalized = text.replace("\r\n", "\n").replace('\r', "\n");
    normalized.lines().count()
}

fn options() -> impl Strategy<Value = ParseOptions> {
    (-14 * 60..=14 * 60i32).prop_map(|m| ParseOptions {
        default_offset: FixedOffset::east_opt(m * 60).unwrap(),
        ..ParseOptions::default()
    })
}

/// Parses; a panic fails the case with its message.
fn parse_unless_known_panic(
    path: &str,
    text: &str,
    options: &ParseOptions,
) -> Result<Incident, TestCaseError> {
    std::panic::catch_unwind(|| parse_incident(path, text, options)).map_err(|payload| {
        let message = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied())
            .unwrap_or("");
        TestCaseError::fail(format!("parse_incident panicked: {message}"))
    })
}

/// Every diagnostic's line is in the file (or just past its end).
fn check_diagnostic_lines(text: &str, incident: &Incident) -> Result<(), TestCaseError> {
    let max = line_count(text) + 1;
    for d in &incident.diagnostics {
        prop_assert!(
            (1..=max).contains(&d.line),
            "diagnostic {d} at line {} outside 1..={max}",
            d.line
        );
        prop_assert!(d.column >= 1);
    }
    Ok(())
}

/// Every fact's line is in the file, and the rest of the incident is well formed.
fn check_fact_lines(text: &str, incident: &Incident) -> Result<(), TestCaseError> {
    let max = line_count(text) + 1;
    let mut lines: Vec<(&str, usize)> = Vec::new();
    lines.extend(incident.start.iter().map(|f| ("start", f.line)));
    lines.extend(incident.end.iter().map(|f| ("end", f.line)));
    lines.extend(incident.detected.iter().map(|f| ("detected", f.line)));
    lines.extend(incident.resolved.iter().map(|f| ("resolved", f.line)));
    lines.extend(
        incident
            .stated_duration_minutes
            .iter()
            .map(|f| ("duration", f.line)),
    );
    lines.extend(incident.impact.iter().map(|f| ("impact", f.line)));
    lines.extend(incident.root_cause.iter().map(|f| ("root cause", f.line)));
    lines.extend(incident.timeline.iter().map(|e| ("timeline entry", e.line)));
    lines.extend(incident.tasks.iter().map(|t| ("task", t.line)));
    for (what, line) in lines {
        prop_assert!(
            (1..=max).contains(&line),
            "{what} at line {line} outside 1..={max}"
        );
    }
    for (i, task) in incident.tasks.iter().enumerate() {
        prop_assert_eq!(task.number, i + 1);
    }
    if let Some(share) = incident.impact.as_ref().and_then(|i| i.users_percent) {
        prop_assert!((0.0..=100.0).contains(&share), "users {share}%");
    }
    prop_assert!(!incident.id.is_empty(), "empty id");
    Ok(())
}

proptest! {
    #[test]
    fn parse_incident_never_panics(
        path in path(),
        text in any_document(),
        options in options(),
    ) {
        let _ = parse_incident(&path, &text, &options);
    }

    #[test]
    fn diagnostics_point_into_the_file(
        path in path(),
        text in any_document(),
        options in options(),
    ) {
        let incident = parse_unless_known_panic(&path, &text, &options)?;
        check_diagnostic_lines(&text, &incident)?;
    }

    /// `diagnostics_point_into_the_file` on documents that avoid the known line bug,
    /// so the property keeps guarding everything else until the fix lands.
    #[test]
    fn diagnostics_point_into_titled_files(
        path in path(),
        text in titled_document(),
        options in options(),
    ) {
        let incident = parse_unless_known_panic(&path, &text, &options)?;
        check_diagnostic_lines(&text, &incident)?;
    }

    #[test]
    fn incident_facts_point_into_the_file(
        path in path(),
        text in postmortem(),
        options in options(),
    ) {
        let incident = parse_unless_known_panic(&path, &text, &options)?;
        check_fact_lines(&text, &incident)?;
    }

    #[test]
    fn incident_facts_point_into_titled_files(
        path in path(),
        text in prop_oneof![
            postmortem_with(Layout::TitleFirst, 6),
            postmortem_with(Layout::TitleFirst, 40),
        ],
        options in options(),
    ) {
        let incident = parse_unless_known_panic(&path, &text, &options)?;
        check_fact_lines(&text, &incident)?;
    }

    #[test]
    fn incident_durations_are_never_negative(
        path in path(),
        text in postmortem(),
        options in options(),
    ) {
        let incident = parse_unless_known_panic(&path, &text, &options)?;
        if let Some(minutes) = incident.duration_minutes {
            prop_assert!(minutes >= 0, "duration {minutes}");
        }
        if let Some(stated) = incident.stated_duration_minutes {
            prop_assert!(stated.value >= 0, "stated duration {}", stated.value);
        }
    }
}

// ---------------------------------------------------------------------------------------
// Markdown with raw HTML: what the sanitiser lets through
// ---------------------------------------------------------------------------------------

/// Pieces of hostile markdown and HTML: tags, handlers, script URLs in their disguises,
/// and the markdown that makes links and images, including to a copied file.
#[rustfmt::skip]
const HTML_TOKENS: &[&str] = &[
    "<script>", "</script>", "<script src=x>", "<SCRIPT>", "<img", "<img src=", "<svg", "<svg/onload=",
    "<math>", "<iframe", "<object", "<embed", "<base href=", "<form action=", "<input",
    "<style>", "</style>", "<a href=", "<a", "<div", "<details>", "<b>", "</b>", "<p>", "</",
    ">", "/>", "\"", "'", "`", "=", " ", "  ", "\n", "\n\n", "onerror=", "onload=", "OnClick=",
    "onmouseover=", "style=", "srcdoc=", "javascript:", "JaVaScRiPt:", "java\tscript:",
    "&#106;avascript:", "&#x6A;avascript:", "vbscript:", "data:text/html,", "data:image/png,",
    "alert(1)", "x", "img/lag.png", "../img/lag.png", "https://example.com/p.gif", "//evil",
    "![", "](", ")", "[", "]", "<!--", "-->", "<![CDATA[", "]]>", "&", "&amp;", "&lt;", "`",
    "```\n", "    ", "- ", "> ", "|", "*", "_", "\\", "\u{0}", "\u{feff}", "é",
];

fn hostile_markdown() -> impl Strategy<Value = String> {
    prop::collection::vec(select(HTML_TOKENS), 0..60).prop_map(|parts| parts.concat())
}

/// Whatever the markdown, sanitised HTML has no element, attribute or URL that runs
/// script or loads from elsewhere.
fn check_inert(html: &str) -> Result<(), TestCaseError> {
    let document = scraper::Html::parse_fragment(html);
    for element in document
        .root_element()
        .descendants()
        .filter_map(scraper::ElementRef::wrap)
    {
        let tag = element.value().name();
        prop_assert!(
            ![
                "script", "iframe", "frame", "object", "embed", "base", "style", "svg", "math",
                "form", "link", "meta"
            ]
            .contains(&tag),
            "<{}> in {}",
            tag,
            html
        );
        for (name, value) in element.value().attrs() {
            let name = name.to_ascii_lowercase();
            prop_assert!(!name.starts_with("on"), "{}= in {}", name, html);
            prop_assert!(name != "srcdoc", "srcdoc in {}", html);
            if name == "style" {
                prop_assert!(
                    matches!(tag, "th" | "td") && value.starts_with("text-align: "),
                    "style on <{}> in {}",
                    tag,
                    html
                );
            }
            let squeezed: String = value
                .chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .collect::<String>()
                .to_ascii_lowercase();
            prop_assert!(
                !squeezed.starts_with("javascript:") && !squeezed.starts_with("vbscript:"),
                "{}={} in {}",
                name,
                value,
                html
            );
            if name == "src" {
                // Images load only from the site itself.
                prop_assert!(
                    !value.contains(':') && !value.starts_with("//"),
                    "src={} in {}",
                    value,
                    html
                );
            }
        }
    }
    Ok(())
}

proptest! {
    #[test]
    fn sanitised_markdown_never_runs_script_or_loads_from_elsewhere(markdown in hostile_markdown()) {
        use pmsite::render::markdown::{Markdown, RawHtml};
        let file = |dest: &str| {
            (dest == "img/lag.png").then(|| "../../files/2024/img/lag.png".to_string())
        };
        for raw_html in [RawHtml::Sanitize, RawHtml::Escape] {
            let style = Markdown { link: None, file: &file, raw_html };
            check_inert(&style.block(&markdown))?;
            check_inert(&style.inline(&markdown))?;
        }
    }
}

// ---------------------------------------------------------------------------------------
// Failures the properties found, minimised. Ignored until src/ is fixed.
// ---------------------------------------------------------------------------------------

fn parse(text: &str) -> Incident {
    parse_incident("a.md", text, &ParseOptions::default())
}

/// `facts::sentences` slices the raw line with the length of `first_sentences`' output,
/// which has collapsed the double space: "start byte index 4 is not a char boundary; it
/// is inside 'é' (bytes 3..5) of `a  é`".
#[test]
fn regression_sentences_with_a_double_space_before_a_multibyte_char() {
    parse("x\na  é");
    parse("Summary\n\na  é");
}

/// `(computed - stated.value).abs()` in `parse_incident` overflows: "attempt to subtract
/// with overflow" (src/parse/mod.rs, the duration-mismatch check) in debug builds.
#[test]
fn regression_duration_mismatch_overflow() {
    parse(
        "---\nstart: 2024-06-07 10:00\nend: 2024-06-07 11:00\nduration: -9223372036854775808\n---\n",
    );
}

/// The preamble keeps the blank lines that came before the title heading in its body
/// while its `body_line` moves below the heading, so every line read from the preamble
/// is shifted by the number of lines before the title (`split_sections`).
#[test]
fn regression_lines_before_the_title_shift_the_preamble() {
    // A diagnostic past the end of the file: 4 lines, the warning says line 6.
    let incident = parse("\n\n# t\n- Start: database");
    let lines: Vec<_> = incident.diagnostics.iter().map(|d| d.line).collect();
    assert_eq!(lines, [4]);
    // 5 lines, the warning says line 7.
    let incident = parse("\n\n# t\nStart: 2024-06-03 10:00\nEnd: 2024-06-03 09:00");
    let lines: Vec<_> = incident
        .diagnostics
        .iter()
        .map(|d| (d.code, d.line))
        .collect();
    assert_eq!(lines, [(Code::EndBeforeStart, 5)]);
    assert_eq!(incident.start.map(|f| f.line), Some(4));
    // The usual layout, frontmatter then a blank line then the title: off by one.
    let incident = parse("---\nid: x\n---\n\n# t\nStart: 2024-06-03 10:00\nEnd: 2024-06-03 11:00");
    assert_eq!(incident.start.map(|f| f.line), Some(6));
    assert_eq!(incident.end.map(|f| f.line), Some(7));
    // Prose start in the preamble: line 6 of a 4-line file.
    let incident = parse("\n\n# t\nJanuary 1, 2024, 10:00 UTC");
    assert_eq!(incident.start.map(|f| f.line), Some(4));
}

#[test]
fn regression_negative_frontmatter_duration() {
    let incident = parse("---\nduration: -5\n---\n");
    assert!(incident.duration_minutes.is_none_or(|m| m >= 0));
}

#[test]
fn stamps_write_four_digit_years() {
    // A check of the generator itself.
    let s = Stamp {
        year: 999,
        month: 2,
        day: 28,
        hour: 0,
        minute: 5,
    };
    assert_eq!(s.written()[0].0, "February 28, 0999, 12:05 AM UTC");
    assert_eq!(s.iso("Z"), "0999-02-28T00:05:00Z");
}
