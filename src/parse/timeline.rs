//! Timeline entries from the timeline sections: `10:30 AM: ...` lines, `- **15:00:** ...`
//! bullets, `| 10:30 | ... |` tables, `### 20:15` headings under `## May 12` day headings,
//! `27-05-2025 13:44 – ...` paragraphs. Bare times take the incident's date and move to
//! the next day when the clock crosses midnight.

use std::sync::LazyLock;

use super::pattern::compile;
use chrono::{FixedOffset, NaiveDate, NaiveTime};
use regex::Regex;

use super::dates::{leading_moment, parse_zone, roll_forward, DateContext, Moment, NumericOrder};
use super::sections;
use crate::model::section::{Section, SectionKind};
use crate::model::TimelineEntry;

/// What bare times in the timeline borrow.
#[derive(Debug, Clone, Copy, Default)]
pub struct TimelineContext {
    /// The incident's date, for the first bare time.
    pub date: Option<NaiveDate>,
    pub year: Option<i32>,
    /// The incident's stated zone.
    pub offset: Option<FixedOffset>,
    /// How the file writes numeric dates.
    pub numeric: NumericOrder,
}

static LINE_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"^\s*(?:>\s*)*(?:#{1,6}\s*)?(?:(?:[-*+]|\d{1,3}[.)])\s+)?(?:\[[ xX]\]\s+)?(?::[a-z0-9_+-]+:\s*|[\p{So}\p{Sk}\u{FE0F}]\s*)*[*_]{0,2}\[?(?i:(?:ca\.|c\.|circa|approx\.|approximately|around|about)\s+|[~≈]\s*)?",
    )
    .unwrap()
});
/// `__Issue Detected:__ July 29, 09:00 AM (UTC)`: an event named by a label.
static LABEL_THEN_MOMENT: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"^(?P<label>\p{L}[\p{L} /'’-]{1,40}?)[*_]{0,2}\s*:[*_]{0,2}\s*(?P<value>.+)$").unwrap()
});
static AFTER_MOMENT: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"^\]?[*_]{0,2}\s*(?:[:|–—-]+\s*)?[*_]{0,2}\s*(?:[:–—-]\s*)?").unwrap()
});
static ZONE_NOTE: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"(?i)(?:all\s+)?times?\s+(?:are\s+)?(?:shown\s+|listed\s+|given\s+)?(?:in\s+|are\s+)?\(?([A-Z]{2,5}(?:\s*[+−-]\s*\d{1,2}(?::?\d{2})?)?)").unwrap()
});
static TABLE_SEPARATOR: LazyLock<Regex> = LazyLock::new(|| compile(r"^\s*\|?\s*:?-{2,}").unwrap());

/// Extracts the entries of every timeline section, in document order.
pub fn extract_timeline(sections: &[Section], context: TimelineContext) -> Vec<TimelineEntry> {
    let mut entries = Vec::new();
    let mut previous: Option<(NaiveDate, NaiveTime)> = None;
    let mut day = context.date;
    for section in sections.iter().filter(|s| s.kind == SectionKind::Timeline) {
        let mut offset = section
            .title
            .as_deref()
            .and_then(zone_note)
            .or(context.offset);
        // An entry that came from a heading takes its text from the lines below it.
        let mut awaiting_text: Option<usize> = None;
        // An entry written as a heading owns every paragraph up to the next entry.
        let mut heading_entry = false;
        let section = sections::dedented(section);
        let section_start = entries.len();
        // Log excerpts in code blocks carry timestamps but are not events: text_lines
        // leaves code out.
        let lines: Vec<(usize, &str)> = section.text_lines().collect();
        let texts: Vec<&str> = lines.iter().map(|(_, line)| *line).collect();
        // The time lines of status-page updates, read with their update.
        let mut update_times = Vec::new();
        for (index, &(line_number, line)) in lines.iter().enumerate() {
            if update_times.contains(&index) {
                continue;
            }
            if let Some(update) = super::status_page::update(line) {
                if let Some(time_index) = super::status_page::update_time_after(&texts, index) {
                    let date_context = DateContext {
                        year: day.map(|d| chrono::Datelike::year(&d)).or(context.year),
                        offset,
                        numeric: context.numeric,
                    };
                    let time_line = texts[time_index].trim().trim_matches(['*', '_']).trim();
                    let time_line = time_line
                        .strip_prefix("Posted")
                        .map_or(time_line, str::trim_start);
                    if let Some((moment, _)) = leading_moment(time_line, date_context) {
                        update_times.push(time_index);
                        entries.push(TimelineEntry {
                            at: moment,
                            text: format!("{}: {}", update.status, update.text),
                            line: line_number,
                        });
                        awaiting_text = None;
                        heading_entry = false;
                        continue;
                    }
                }
            }
            if line.trim().is_empty() {
                if !heading_entry && awaiting_text.is_some_and(|i| !entries_text_empty(&entries, i))
                {
                    awaiting_text = None;
                }
                continue;
            }
            if let Some(zone) = zone_note(line) {
                if !starts_with_moment(line) {
                    offset = Some(zone);
                    continue;
                }
            }
            let date_context = DateContext {
                year: day.map(|d| chrono::Datelike::year(&d)).or(context.year),
                offset,
                numeric: context.numeric,
            };
            let parsed = if line.trim_start().starts_with('|') {
                table_row(line, date_context)
            } else {
                moment_line(line, date_context)
            };
            let Some((moment, text)) = parsed else {
                if let Some(i) = awaiting_text {
                    append_text(&mut entries[i], line.trim());
                } else if let Some(last) =
                    entries.last_mut().filter(|_| line.starts_with([' ', '\t']))
                {
                    // An indented line continues the entry above it.
                    if last.line + 1 >= line_number.saturating_sub(3) {
                        append_text(last, line.trim());
                    }
                }
                continue;
            };
            // A date alone ("## May 13"), or a day heading with a name ("### October
            // 21 - Redis overload"), sets the day for the times below it.
            let is_heading = line.trim_start().starts_with('#');
            if moment.time.is_none() && (text.is_empty() || is_heading) {
                day = moment.date.or(day);
                previous = None;
                awaiting_text = None;
                heading_entry = false;
                continue;
            }
            let date = match (moment.date, moment.time) {
                (Some(date), _) => Some(date),
                (None, Some(time)) => roll_forward(previous, time).or(day),
                (None, None) => None,
            };
            if let (Some(date), Some(time)) = (date, moment.time) {
                previous = Some((date, time));
            }
            let at = Moment { date, ..moment };
            entries.push(TimelineEntry {
                at,
                text: text.to_string(),
                line: line_number,
            });
            awaiting_text = (is_heading || text.is_empty()).then_some(entries.len() - 1);
            heading_entry = is_heading;
        }
        newest_first_to_oldest(&mut entries[section_start..]);
    }
    entries.retain(|e| !e.text.trim().is_empty());
    entries
}

/// A section written newest first (a status page, a changelog) reads oldest first, as
/// every other timeline: reversed when each dated entry is no later than the one above.
fn newest_first_to_oldest(entries: &mut [TimelineEntry]) {
    let stamps: Vec<(NaiveDate, NaiveTime)> = entries
        .iter()
        .filter_map(|e| Some((e.at.date?, e.at.time?)))
        .collect();
    let descending = stamps.len() >= 2
        && stamps.windows(2).all(|pair| pair[0] >= pair[1])
        && stamps.first() != stamps.last();
    if descending && stamps.len() == entries.len() {
        entries.reverse();
    }
}

/// A line that starts with a clock time (after list markers, table pipes, emphasis and
/// an optional date): `- 10:42 paged`, `| 2024-06-07 10:42 |`, `**10:42**`.
static STARTS_WITH_CLOCK: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"^\s*(?:[-*+>|#•]+\s*)*(?:\[|\*\*|__|`)?\s*(?:\d{4}-\d{2}-\d{2}[ T,]*|[A-Z][a-z]{2,8}\.? \d{1,2}(?:st|nd|rd|th)?,? (?:\d{4},? )?)?\d{1,2}:\d{2}").unwrap()
});

/// The lines of timeline sections that start with a time but gave no entry (nor were
/// the time of a status-page update): what the reader could not make sense of.
pub fn unread_time_lines(sections: &[Section], entries: &[TimelineEntry]) -> Vec<usize> {
    let mut unread = Vec::new();
    for section in sections.iter().filter(|s| s.kind == SectionKind::Timeline) {
        let lines: Vec<(usize, &str)> = section.text_lines().collect();
        for (index, &(number, line)) in lines.iter().enumerate() {
            if !STARTS_WITH_CLOCK.is_match(line) || entries.iter().any(|e| e.line == number) {
                continue;
            }
            // The time line under a status-page update belongs to it.
            let update_above = lines[..index]
                .iter()
                .rev()
                .find(|(_, l)| !l.trim().is_empty())
                .is_some_and(|(_, l)| super::status_page::update(l).is_some());
            if !update_above {
                unread.push(number);
            }
        }
    }
    unread
}

fn entries_text_empty(entries: &[TimelineEntry], index: usize) -> bool {
    entries[index].text.trim().is_empty()
}

fn append_text(entry: &mut TimelineEntry, text: &str) {
    if !entry.text.is_empty() {
        entry.text.push(' ');
    }
    entry.text.push_str(text);
}

fn starts_with_moment(line: &str) -> bool {
    moment_line(
        line,
        DateContext {
            year: Some(2000),
            ..DateContext::default()
        },
    )
    .is_some()
}

/// `- **15:00:** Issue detected` -> (15:00, "Issue detected").
fn moment_line(line: &str, context: DateContext) -> Option<(Moment, &str)> {
    let prefix = LINE_PREFIX.find(line).map_or(0, |m| m.end());
    let rest = &line[prefix..];
    let Some((moment, used)) = leading_moment(rest, context) else {
        return labelled_moment(rest, context);
    };
    let after = &rest[used..];
    let skip = AFTER_MOMENT.find(after).map_or(0, |m| m.end());
    let mut text = after[skip..].trim();
    // "2 minutes later" or "3.5 GB" are not times: a moment needs a date or a time.
    if moment.time.is_none() && moment.date.is_none() {
        return None;
    }
    // "2021-08-27: At 12:50:07 UTC, issue exploited": the day, then its time.
    let mut moment = moment;
    if moment.time.is_none() {
        if let Some((time, rest)) = time_opening(text, context) {
            moment.time = time.time;
            moment.offset = time.offset.or(moment.offset);
            text = rest;
        }
    }
    Some((moment, text.trim_end_matches(['*', '_']).trim()))
}

/// "At 12:50:07 UTC, issue exploited" -> (12:50:07 UTC, "issue exploited"): a time of
/// day (after "at", "around" or "~") that opens an entry's text.
fn time_opening(text: &str, context: DateContext) -> Option<(Moment, &str)> {
    let lower = text.to_ascii_lowercase();
    let skip = ["at ", "around ", "approximately ", "approx. ", "~"]
        .iter()
        .find(|p| lower.starts_with(*p))
        .map_or(0, |p| p.len());
    let (time, used) = leading_moment(&text[skip..], context)?;
    if time.time.is_none() || time.date.is_some() {
        return None;
    }
    let rest = text[skip + used..].trim_start_matches([',', ':', ' ', '-', '–', '—']);
    Some((time, rest))
}

/// `Issue Detected:__ July 29, 09:00 AM (UTC)` -> (the moment, "Issue Detected"): the
/// value must be a moment and nothing more.
fn labelled_moment(rest: &str, context: DateContext) -> Option<(Moment, &str)> {
    let c = LABEL_THEN_MOMENT.captures(rest)?;
    let value = c.name("value")?.as_str().trim_matches(['*', '_', ' ']);
    let (moment, used) = leading_moment(value, context)?;
    let leftover = value[used..]
        .trim_start_matches(|ch: char| !ch.is_alphanumeric() && !matches!(ch, '`' | '"'))
        .trim_end();
    moment.time?;
    // "Issue Detected: 09:00" is the label's event; "Resolution: 04:30. Fixed the
    // replica config" is the text after the time.
    let text = if leftover.is_empty() {
        c.name("label").map_or("", |m| m.as_str()).trim()
    } else {
        leftover
    };
    Some((moment, text))
}

/// `| 10:30 | Alert fired |` or `| 2024-06-07 | 10:30 UTC | Alert |` -> (moment, text).
fn table_row(line: &str, context: DateContext) -> Option<(Moment, &str)> {
    if TABLE_SEPARATOR.is_match(line) {
        return None;
    }
    let inner = line.trim().trim_start_matches('|');
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    let cells: Vec<&str> = inner.split('|').map(str::trim).collect();
    let (first, rest) = cells.split_first()?;
    let (mut moment, used) = leading_moment(first.trim_matches(['*', '_']), context)?;
    // The time cell may go on with a range's end (`09:00 - 11:00`, `12:26-12:??`) or a
    // note (`18:50:28 UTC (block 24154245)`): the entry is at its start. Anything
    // else after the time means the cell is not a time.
    let leftover = first.trim_matches(['*', '_'])[used..].trim();
    let annotation = leftover.is_empty()
        || leftover.starts_with(['-', '–', '—', '(', '~', ',', '/'])
        || leftover.starts_with("to ");
    if !annotation {
        return None;
    }
    let mut text_cells = rest;
    if moment.time.is_none() {
        if let Some((second, more)) = rest.split_first() {
            if let Some((time, used)) = leading_moment(second.trim_matches(['*', '_']), context) {
                if used > 0 && time.date.is_none() {
                    moment.time = time.time;
                    moment.offset = time.offset;
                    text_cells = more;
                }
            }
        }
    }
    let text_start = text_cells
        .first()
        .map(|cell| cell.as_ptr() as usize - line.as_ptr() as usize)?;
    let text_end = text_cells
        .last()
        .map(|cell| cell.as_ptr() as usize - line.as_ptr() as usize + cell.len())?;
    Some((moment, line[text_start..text_end].trim()))
}

/// `_All times in EEST_`, `Timeline (all times in UTC)`.
fn zone_note(text: &str) -> Option<FixedOffset> {
    if !text.contains("time") && !text.contains("Time") && !text.contains('(') {
        return None;
    }
    static PARENTHESISED: LazyLock<Regex> =
        LazyLock::new(|| compile(r"\(\s*([A-Z]{2,5}(?:[+−-]\d{1,2}(?::?\d{2})?)?)\s*\)").unwrap());
    ZONE_NOTE
        .captures_iter(text)
        .chain(PARENTHESISED.captures_iter(text))
        .find_map(|c| parse_zone(&c[1]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::section::SectionAliases;
    use crate::parse::sections::split_sections;

    fn timeline(text: &str, context: TimelineContext) -> Vec<(Option<String>, String)> {
        let outline = split_sections(text, 1, &SectionAliases::default());
        extract_timeline(&outline.sections, context)
            .into_iter()
            .map(|e| (e.at.iso().or(e.at.time.map(|t| t.to_string())), e.text))
            .collect()
    }

    #[test]
    fn a_day_then_its_time_in_the_text() {
        let text = "## Timeline\n\n- 2021-08-27: At 12:50:07 UTC, issue exploited.\n- 2021-08-28: 3 engineers joined.\n";
        let entries = timeline(text, TimelineContext::default());
        assert_eq!(
            entries,
            [
                (
                    Some("2021-08-27T12:50:07Z".to_string()),
                    "issue exploited.".to_string()
                ),
                (
                    Some("2021-08-28".to_string()),
                    "3 engineers joined.".to_string()
                ),
            ]
        );
    }

    fn june_7() -> TimelineContext {
        TimelineContext {
            date: NaiveDate::from_ymd_opt(2024, 6, 7),
            year: Some(2024),
            offset: FixedOffset::east_opt(0),
            numeric: NumericOrder::default(),
        }
    }

    #[test]
    fn heading_entries_with_text_approximate_times_and_named_days() {
        let got = timeline(
            "## Timeline\n\n### 2024-06-08 ca. 18:30\n\nPods pile up.\n\nThe queue grows.\n\n\
             ### 19:05 - Launches fail\n\nWe page the on-call.\n\n\
             ### June 9 - Second wave\n\n### ~08:10\nRestarted the hub.\n\n## Lessons\nMore alerts.\n",
            june_7(),
        );
        assert_eq!(
            got,
            vec![
                (
                    Some("2024-06-08T18:30:00Z".into()),
                    "Pods pile up. The queue grows.".into()
                ),
                (
                    Some("2024-06-08T19:05:00Z".into()),
                    "Launches fail We page the on-call.".into()
                ),
                (
                    Some("2024-06-09T08:10:00Z".into()),
                    "Restarted the hub.".into()
                ),
            ]
        );
    }

    #[test]
    fn plain_time_lines() {
        let got = timeline(
            "#Timeline\n10:30 AM: Issue detected.\n12:00 PM: Restored.\n",
            june_7(),
        );
        assert_eq!(
            got[0],
            (
                Some("2024-06-07T10:30:00Z".into()),
                "Issue detected.".into()
            )
        );
        assert_eq!(
            got[1],
            (Some("2024-06-07T12:00:00Z".into()), "Restored.".into())
        );
    }

    #[test]
    fn bold_time_bullets() {
        let got = timeline(
            "### Timeline\n\n- **15:00:** Alert fired.\n- **17:30:** Resolved.\n",
            TimelineContext {
                offset: None,
                ..june_7()
            },
        );
        assert_eq!(
            got[0],
            (Some("2024-06-07T15:00:00".into()), "Alert fired.".into())
        );
        assert_eq!(got.len(), 2);
    }

    #[test]
    fn time_cells_with_a_range_or_a_note_and_what_stays_unread() {
        let text = "## Timeline\n\n| Time | Event |\n| --- | --- |\n\
            | 2024-06-07 09:00 - 11:00 | Investigation |\n\
            | 2024-06-07 12:26-12:?? | Fix deployed to staging |\n\
            | Jun 7th 2024, 13:05:10 UTC (block 4411) | Fix live |\n\
            | 2024-06-07 14:00 and later | Watching |\n";
        let got = timeline(text, june_7());
        let when: Vec<&str> = got
            .iter()
            .map(|(at, _)| at.as_deref().unwrap_or(""))
            .collect();
        assert_eq!(
            when,
            [
                "2024-06-07T09:00:00Z",
                "2024-06-07T12:26:00Z",
                "2024-06-07T13:05:10Z"
            ]
        );
        // The row whose time cell goes on with words is named, not dropped in silence.
        let outline = split_sections(text, 1, &SectionAliases::default());
        let entries = extract_timeline(&outline.sections, june_7());
        assert_eq!(unread_time_lines(&outline.sections, &entries), [8]);
    }

    #[test]
    fn tables_with_date_and_time_columns() {
        let text = "## Timeline\n| Date | Time | Event |\n|---|---|---|\n| 2024-06-07 | 14:05 | Deploy **started** |\n| 2024-06-07 | 14:20 | Alert |\n";
        let got = timeline(text, TimelineContext::default());
        assert_eq!(
            got,
            [
                (
                    Some("2024-06-07T14:05:00".into()),
                    "Deploy **started**".into()
                ),
                (Some("2024-06-07T14:20:00".into()), "Alert".into())
            ]
        );
    }

    #[test]
    fn headings_and_day_headings_and_midnight() {
        let text = "## Timeline\n\n_All times in EEST_\n\n## May 12\n\n### 23:15\n\nTicket opened\n\n### 00:40\nEngineer paged\n\n## May 14\n### 09:00\nFixed\n";
        let got = timeline(
            text,
            TimelineContext {
                year: Some(2025),
                ..Default::default()
            },
        );
        assert_eq!(
            got[0],
            (
                Some("2025-05-12T23:15:00+03:00".into()),
                "Ticket opened".into()
            )
        );
        assert_eq!(
            got[1],
            (
                Some("2025-05-13T00:40:00+03:00".into()),
                "Engineer paged".into()
            )
        );
        assert_eq!(
            got[2],
            (Some("2025-05-14T09:00:00+03:00".into()), "Fixed".into())
        );
    }

    #[test]
    fn dated_paragraphs_with_en_dash() {
        let got = timeline("## Timeline\n\n27-05-2025 13:44 – Rollout began.\n\n27-05-2025 15:01 – All services restored.\n", TimelineContext::default());
        assert_eq!(
            got[1],
            (
                Some("2025-05-27T15:01:00".into()),
                "All services restored.".into()
            )
        );
    }

    #[test]
    fn times_without_a_date_stay_times() {
        let got = timeline(
            "## Timeline\n- 10:45 AM - Pager went off\n",
            TimelineContext::default(),
        );
        assert_eq!(got, [(Some("10:45:00".into()), "Pager went off".into())]);
    }

    #[test]
    fn log_lines_in_code_blocks_are_not_entries() {
        let text = "## Timeline\n- 14:00 UTC: Errors start.\n```\n2019/03/07 21:07:55 [emerg] too many open files\n```\n    2019/03/07 21:08:00 [alert] exited\n- 14:41 UTC: Fixed.\n";
        let got = timeline(text, june_7());
        assert_eq!(got.len(), 2, "{got:?}");
    }

    #[test]
    fn emoji_and_labelled_entries() {
        let got = timeline("**Timeline:**\n- :hourglass: 10:00 AM: Alert fired.\n  - __Issue Detected:__ June 7, 11:00 AM (UTC)\n", june_7());
        assert_eq!(
            got[0],
            (Some("2024-06-07T10:00:00Z".into()), "Alert fired.".into())
        );
        assert_eq!(
            got[1],
            (Some("2024-06-07T11:00:00Z".into()), "Issue Detected".into())
        );
    }

    #[test]
    fn labelled_entries_with_text_after_the_time() {
        let got = timeline(
            "## Timeline\n  - __Resolution:__ June 8, 04:30 AM (UTC). Replica config fixed.\n",
            june_7(),
        );
        assert_eq!(
            got,
            [(
                Some("2024-06-08T04:30:00Z".into()),
                "Replica config fixed.".into()
            )]
        );
    }

    #[test]
    fn lines_without_times_are_not_entries() {
        let got = timeline(
            "## Timeline\nWe noticed slowness.\n- 3 minutes later we paged\n",
            june_7(),
        );
        assert!(got.is_empty(), "{got:?}");
    }
}
