//! The task board for other tools: `tasks.json`, `tasks.csv` (RFC 4180) and `tasks.ics`
//! (an RFC 5545 calendar of due dates). `pmsite tasks` prints the same records.

use chrono::{Days, NaiveDate};
use serde::Serialize;

use crate::index::tasks::{BoardTask, TaskBoard, TaskGroup};
use crate::model::moment::iso_date;
use crate::model::slug::slugify;
use crate::model::{Archive, TaskStatus};
use crate::parse::text::plain_text;

/// Bumped only when a field of `tasks.json` changes meaning or is removed.
pub const TASKS_SCHEMA_VERSION: u32 = 1;

/// One task with what a reader of a list needs, flattened.
#[derive(Debug, Clone, Serialize)]
pub struct TaskRecord<'a> {
    /// `<incident-id>/task-N`.
    pub id: String,
    pub incident: &'a str,
    pub incident_title: &'a str,
    pub incident_date: Option<String>,
    /// The task's anchor on the incident page.
    pub anchor: String,
    /// Site-relative link to the task: `incidents/<id>/#task-N`.
    pub url: String,
    /// Plain text, without markdown.
    pub text: String,
    /// The owner under the spelling used across the board (`@alice` and `Alice` are one).
    pub owner: Option<&'a str>,
    pub owner_slug: Option<&'a str>,
    /// The due date written, else the implied one.
    pub due: Option<String>,
    /// True when `due` comes from the site's due-date policy.
    pub due_implied: bool,
    pub status: TaskStatus,
    pub group: TaskGroup,
    /// Days from today to the due date, negative when overdue; open tasks only.
    pub days_left: Option<i64>,
    pub tags: Vec<&'a str>,
    pub services: &'a [String],
    /// URLs and tracker references named in the task.
    pub links: &'a [String],
    pub source: &'a str,
    pub line: usize,
}

/// The board's tasks that `keep` accepts, in board order.
pub fn task_records<'a>(
    archive: &'a Archive,
    board: &'a TaskBoard,
    keep: impl Fn(&BoardTask) -> bool,
) -> Vec<TaskRecord<'a>> {
    board
        .tasks
        .iter()
        .filter(|entry| keep(entry))
        .map(|entry| {
            let (incident, task) = board.task(archive, entry);
            let owner = entry.owner.map(|o| &board.owners[o]);
            TaskRecord {
                id: format!("{}/task-{}", incident.id, task.number),
                incident: &incident.id,
                incident_title: &incident.title,
                incident_date: incident.date().map(iso_date),
                anchor: format!("task-{}", task.number),
                url: format!("incidents/{}/#task-{}", incident.id, task.number),
                text: plain_text(&task.text).replace('\n', " "),
                owner: owner.map(|o| o.name.as_str()),
                owner_slug: owner.map(|o| o.slug.as_str()),
                due: task.due_date().map(iso_date),
                due_implied: task.due.is_none() && task.implied_due.is_some(),
                status: task.status,
                group: entry.group,
                days_left: entry.days_left,
                tags: incident.tags.iter().map(|t| t.name.as_str()).collect(),
                services: &incident.services,
                links: &task.links,
                source: &incident.source,
                line: task.line,
            }
        })
        .collect()
}

#[derive(Serialize)]
struct TasksFile<'a> {
    schema: u32,
    generator: String,
    today: String,
    due_soon_days: u32,
    counts: Counts,
    tasks: &'a [TaskRecord<'a>],
}

#[derive(Serialize)]
struct Counts {
    open: usize,
    overdue: usize,
    due_soon: usize,
    later: usize,
    no_due_date: usize,
    done: usize,
    wont_do: usize,
}

/// `tasks.json`: the records with the date they were judged on and counts by group.
pub fn tasks_json(records: &[TaskRecord], today: NaiveDate, due_soon_days: u32) -> Vec<u8> {
    let count = |group| records.iter().filter(|r| r.group == group).count();
    let file = TasksFile {
        schema: TASKS_SCHEMA_VERSION,
        generator: format!("pmsite {}", env!("CARGO_PKG_VERSION")),
        today: iso_date(today),
        due_soon_days,
        counts: Counts {
            open: records.iter().filter(|r| r.group.is_open()).count(),
            overdue: count(TaskGroup::Overdue),
            due_soon: count(TaskGroup::DueSoon),
            later: count(TaskGroup::Later),
            no_due_date: count(TaskGroup::NoDueDate),
            done: count(TaskGroup::Done),
            wont_do: count(TaskGroup::WontDo),
        },
        tasks: records,
    };
    let mut bytes = serde_json::to_vec_pretty(&file).expect("task records serialize");
    bytes.push(b'\n');
    bytes
}

/// The CSV columns, in order.
pub const CSV_HEADER: [&str; 17] = [
    "id",
    "incident",
    "incident_title",
    "incident_date",
    "task",
    "owner",
    "due",
    "due_implied",
    "status",
    "group",
    "days_left",
    "tags",
    "services",
    "links",
    "url",
    "source",
    "line",
];

/// `tasks.csv`: RFC 4180 (CRLF line ends, quotes only where needed), one row per task.
pub fn tasks_csv(records: &[TaskRecord]) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let rows =
        std::iter::once(CSV_HEADER.map(String::from).to_vec()).chain(records.iter().map(|r| {
            // Every cell an author's words or file names reach is defused.
            vec![
                spreadsheet_safe(&r.id),
                spreadsheet_safe(r.incident),
                spreadsheet_safe(r.incident_title),
                r.incident_date.clone().unwrap_or_default(),
                spreadsheet_safe(&r.text),
                spreadsheet_safe(r.owner.unwrap_or_default()),
                r.due.clone().unwrap_or_default(),
                r.due_implied.to_string(),
                status_key(r.status).to_string(),
                r.group.key().to_string(),
                r.days_left.map(|d| d.to_string()).unwrap_or_default(),
                spreadsheet_safe(&r.tags.join("; ")),
                spreadsheet_safe(&r.services.join("; ")),
                spreadsheet_safe(&r.links.join(" ")),
                spreadsheet_safe(&r.url),
                spreadsheet_safe(r.source),
                r.line.to_string(),
            ]
        }));
    for row in rows {
        writer.write_record(&row).expect("writing to memory");
    }
    writer.into_inner().expect("writing to memory")
}

pub fn status_key(status: TaskStatus) -> &'static str {
    match status {
        TaskStatus::Open => "open",
        TaskStatus::Done => "done",
        TaskStatus::WontDo => "wont_do",
    }
}

/// A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a formula; a
/// leading `'` makes it text (OWASP's advice against CSV injection).
fn spreadsheet_safe(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// What the calendar needs to know about the site.
#[derive(Debug, Clone)]
pub struct CalendarSite<'a> {
    pub title: &'a str,
    /// The published address, ending in `/`; without it events carry no URL.
    pub base_url: Option<&'a str>,
}

/// `tasks.ics`: one all-day event on the due date of every open task that has one.
/// DTSTAMP is the build's date, so the file is the same on every build of one day.
pub fn tasks_ics(records: &[TaskRecord], site: &CalendarSite, today: NaiveDate) -> Vec<u8> {
    let uid_domain = site
        .base_url
        .and_then(|url| url.split("://").nth(1))
        .and_then(|rest| rest.split('/').next())
        .filter(|host| !host.is_empty())
        .map_or_else(|| format!("{}.pmsite", slugify(site.title)), str::to_string);
    let stamp = format!("{}T000000Z", compact_date(today));
    let mut out = String::new();
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        &format!("PRODID:-//pmsite//pmsite {}//EN", env!("CARGO_PKG_VERSION")),
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        &format!(
            "X-WR-CALNAME:{}",
            escape_text(&format!("{}: task due dates", site.title))
        ),
    ] {
        push_folded(&mut out, line);
    }
    for record in records.iter().filter(|r| r.group.is_open()) {
        let Some(due) = record
            .due
            .as_deref()
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        else {
            continue;
        };
        let mut description = vec![
            format!("Owner: {}", record.owner.unwrap_or("no owner")),
            format!("Incident: {} ({})", record.incident_title, record.incident),
        ];
        if record.due_implied {
            description.push("Due date implied by the site's policy, not written.".to_string());
        }
        let url = site.base_url.map(|base| format!("{base}{}", record.url));
        if let Some(url) = &url {
            description.push(url.clone());
        }
        push_folded(&mut out, "BEGIN:VEVENT");
        push_folded(&mut out, &format!("UID:{}@{uid_domain}", record.id));
        push_folded(&mut out, &format!("DTSTAMP:{stamp}"));
        push_folded(
            &mut out,
            &format!("DTSTART;VALUE=DATE:{}", compact_date(due)),
        );
        let next_day = due.checked_add_days(Days::new(1)).unwrap_or(due);
        push_folded(
            &mut out,
            &format!("DTEND;VALUE=DATE:{}", compact_date(next_day)),
        );
        push_folded(&mut out, &format!("SUMMARY:{}", escape_text(&record.text)));
        push_folded(
            &mut out,
            &format!("DESCRIPTION:{}", escape_text(&description.join("\n"))),
        );
        if !record.tags.is_empty() {
            let tags: Vec<String> = record.tags.iter().map(|t| escape_text(t)).collect();
            push_folded(&mut out, &format!("CATEGORIES:{}", tags.join(",")));
        }
        if let Some(url) = &url {
            push_folded(&mut out, &format!("URL:{url}"));
        }
        push_folded(&mut out, "TRANSP:TRANSPARENT");
        push_folded(&mut out, "END:VEVENT");
    }
    push_folded(&mut out, "END:VCALENDAR");
    out.into_bytes()
}

fn compact_date(date: NaiveDate) -> String {
    iso_date(date).replace('-', "")
}

/// RFC 5545 TEXT: backslash, semicolon and comma escaped, newlines as `\n`.
fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends a content line, folded so no line exceeds 75 octets (RFC 5545 3.1), never
/// inside a UTF-8 character, ending in CRLF.
fn push_folded(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        let size = c.len_utf8();
        if width + size > 75 {
            out.push_str("\r\n ");
            width = 1; // the space that starts the continuation line
        }
        out.push(c);
        width += size;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_characters() {
        let mut out = String::new();
        let line = format!("SUMMARY:{}", "é".repeat(60));
        push_folded(&mut out, &line);
        for physical in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(
                physical.len() <= 75,
                "{} octets: {physical}",
                physical.len()
            );
        }
        assert_eq!(out.replace("\r\n ", ""), format!("{line}\r\n"));
    }

    #[test]
    fn text_values_escape_what_rfc_5545_reserves() {
        assert_eq!(escape_text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }

    #[test]
    fn csv_quotes_commas_quotes_and_line_breaks_and_reads_back() {
        let record = TaskRecord {
            id: "inc-1/task-1".to_string(),
            incident: "inc-1",
            incident_title: "Title, with \"quotes\"\nand a second line",
            incident_date: None,
            anchor: "task-1".to_string(),
            url: "incidents/inc-1/#task-1".to_string(),
            text: "Fix it, \"properly\"".to_string(),
            owner: Some("Ann"),
            owner_slug: Some("ann"),
            due: None,
            due_implied: false,
            status: TaskStatus::Open,
            group: TaskGroup::NoDueDate,
            days_left: None,
            tags: vec!["config", "dns"],
            services: &[],
            links: &[],
            source: "a.md",
            line: 3,
        };
        let bytes = tasks_csv(std::slice::from_ref(&record));
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(
            text.contains("\"Title, with \"\"quotes\"\"\nand a second line\""),
            "{text}"
        );
        assert!(text.ends_with("a.md,3\r\n"), "{text}");
        // A file named like a formula is text in a spreadsheet too.
        let named = TaskRecord {
            source: "=HYPERLINK(\"x\").md",
            ..record.clone()
        };
        let text = String::from_utf8(tasks_csv(std::slice::from_ref(&named))).unwrap();
        assert!(
            text.ends_with("\"'=HYPERLINK(\"\"x\"\").md\",3\r\n"),
            "{text}"
        );
        let mut reader = csv::Reader::from_reader(&bytes[..]);
        let row = reader.records().next().unwrap().unwrap();
        assert_eq!(&row[2], record.incident_title);
        assert_eq!(&row[4], "Fix it, \"properly\"");
        assert_eq!(&row[11], "config; dns");
        assert_eq!(row.len(), CSV_HEADER.len());
    }

    #[test]
    fn formulas_are_defused_for_spreadsheets() {
        assert_eq!(spreadsheet_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(spreadsheet_safe("Add an alert"), "Add an alert");
    }
}
