//! A point in time as a postmortem states it (any of date, time and zone may be
//! missing), and how pages and JSON write it. Reading one from text is `parse::dates`.

use std::fmt;

use chrono::{Datelike, Duration, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

/// A point in time as written: any of date, time and zone may be missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moment {
    pub date: Option<NaiveDate>,
    pub time: Option<NaiveTime>,
    /// The zone, when the text stated one.
    pub offset: Option<FixedOffset>,
}

impl Moment {
    pub fn date_only(date: NaiveDate) -> Self {
        Moment {
            date: Some(date),
            time: None,
            offset: None,
        }
    }

    /// ISO 8601: `2024-06-07T10:30:00Z` with a stated zone, `2024-06-04T15:00:00`
    /// without, `2024-06-04` for a date alone; `None` when there is no date.
    pub fn iso(&self) -> Option<String> {
        let date = self.date?;
        let mut out = iso_date(date);
        if let Some(time) = self.time {
            out.push_str(&format!(
                "T{:02}:{:02}:{:02}",
                time.hour(),
                time.minute(),
                time.second()
            ));
            if let Some(offset) = self.offset {
                out.push_str(&format_offset(offset));
            }
        }
        Some(out)
    }

    /// Minutes since the Unix epoch, reading a missing zone as `assumed`; `None` without
    /// a date. A missing time counts as midnight.
    pub fn epoch_minutes(&self, assumed: FixedOffset) -> Option<i64> {
        let date = self.date?;
        let time = self.time.unwrap_or(NaiveTime::MIN);
        let offset = self.offset.unwrap_or(assumed);
        let utc =
            NaiveDateTime::new(date, time) - Duration::seconds(i64::from(offset.local_minus_utc()));
        Some(utc.and_utc().timestamp().div_euclid(60))
    }

    /// For people: "June 7, 2024, 10:30 UTC", "June 4, 2024, 15:00", "10:30".
    pub fn display(&self) -> String {
        let mut parts = Vec::new();
        if let Some(date) = self.date {
            parts.push(long_date(date));
        }
        if let Some(time) = self.time {
            let mut text = hour_minute(time);
            if let Some(offset) = self.offset {
                text.push(' ');
                text.push_str(&offset_name(offset));
            }
            parts.push(text);
        }
        parts.join(", ")
    }
}

impl fmt::Display for Moment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display())
    }
}

/// "June 7, 2024". Written out by hand: chrono's `format` parses its pattern on every
/// call, and pages format thousands of dates.
pub fn long_date(date: NaiveDate) -> String {
    format!(
        "{} {}, {}",
        MONTH_NAMES[date.month0() as usize],
        date.day(),
        date.year()
    )
}

/// "Jun 7, 2024".
pub fn short_date(date: NaiveDate) -> String {
    format!(
        "{} {}, {}",
        &MONTH_NAMES[date.month0() as usize][..3],
        date.day(),
        date.year()
    )
}

/// "2024-06-07".
pub fn iso_date(date: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day())
}

/// "10:30".
pub fn hour_minute(time: NaiveTime) -> String {
    format!("{:02}:{:02}", time.hour(), time.minute())
}

/// English month names, January first.
pub const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `Z` for UTC, else `+HH:MM`.
pub fn format_offset(offset: FixedOffset) -> String {
    let seconds = offset.local_minus_utc();
    if seconds == 0 {
        return "Z".to_string();
    }
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.abs() / 60;
    format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}

/// `UTC`, or `UTC+02:00`.
pub fn offset_name(offset: FixedOffset) -> String {
    match format_offset(offset).as_str() {
        "Z" => "UTC".to_string(),
        other => format!("UTC{other}"),
    }
}

/// "45 min", "1 h 30 min", "47 h 5 min", then whole days past 48 hours ("2 days 3 h",
/// "2,046 days"): for people, who do not read 49111 h as five and a half years.
pub fn format_minutes(minutes: i64) -> String {
    if minutes <= 0 {
        return "0 min".to_string();
    }
    let (hours, mins) = (minutes / 60, minutes % 60);
    if hours >= 48 {
        let (days, hours) = (hours / 24, hours % 24);
        let unit = if days == 1 { "day" } else { "days" };
        return match hours {
            0 => format!("{} {unit}", group_digits(days)),
            _ => format!("{} {unit} {hours} h", group_digits(days)),
        };
    }
    match (hours, mins) {
        (0, _) => format!("{mins} min"),
        (_, 0) => format!("{hours} h"),
        _ => format!("{hours} h {mins} min"),
    }
}

/// `2046` as "2,046".
fn group_digits(number: i64) -> String {
    let digits = number.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}
