//! `pmsite tasks` as a table for a terminal: one aligned row per task, the task text last
//! so long texts wrap without breaking the columns. Styles are ANSI; the caller decides
//! whether they reach the terminal (anstream drops them when output is not a TTY).

use std::fmt::Write;

use anstyle::{AnsiColor, Style};
use unicode_width::UnicodeWidthStr;

use pmsite::index::tasks::TaskGroup;
use pmsite::render::task_exports::TaskRecord;

const HEADER: [&str; 6] = ["STATUS", "DUE", "DAYS", "OWNER", "ID", "TASK"];

/// The table, header first; an empty list prints a single line saying so.
pub fn task_table(records: &[TaskRecord]) -> String {
    if records.is_empty() {
        return "no tasks match\n".to_string();
    }
    let rows: Vec<[String; 6]> = records.iter().map(row).collect();
    let mut widths = HEADER.map(UnicodeWidthStr::width);
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.width());
        }
    }
    let mut out = String::new();
    let bold = Style::new().bold();
    push_row(&mut out, &HEADER.map(String::from), &widths, bold);
    for (record, row) in records.iter().zip(&rows) {
        push_row(&mut out, row, &widths, group_style(record.group));
    }
    out
}

fn row(record: &TaskRecord) -> [String; 6] {
    let due = match (&record.due, record.due_implied) {
        (Some(due), true) => format!("{due}*"),
        (Some(due), false) => due.clone(),
        (None, _) => "-".to_string(),
    };
    let days = match record.days_left {
        Some(days) if days < 0 => format!("{} late", -days),
        Some(0) => "today".to_string(),
        Some(days) => format!("{days} left"),
        None => String::new(),
    };
    [
        group_label(record.group).to_string(),
        due,
        days,
        record.owner.unwrap_or("-").to_string(),
        record.id.clone(),
        record.text.clone(),
    ]
}

fn push_row(out: &mut String, cells: &[String; 6], widths: &[usize; 6], style: Style) {
    let last = cells.len() - 1;
    for (i, (cell, width)) in cells.iter().zip(widths).enumerate() {
        let text = if i == last {
            cell.clone()
        } else {
            format!("{cell}{}", " ".repeat(width - cell.width() + 2))
        };
        // Only the status column is coloured; the rest stays readable on any theme.
        if i == 0 {
            let _ = write!(out, "{style}{text}{style:#}");
        } else {
            out.push_str(&text);
        }
    }
    out.push('\n');
}

fn group_label(group: TaskGroup) -> &'static str {
    match group {
        TaskGroup::Overdue => "overdue",
        TaskGroup::DueSoon => "due soon",
        TaskGroup::Later => "open",
        TaskGroup::NoDueDate => "open",
        TaskGroup::Done => "done",
        TaskGroup::WontDo => "won't do",
    }
}

fn group_style(group: TaskGroup) -> Style {
    match group {
        TaskGroup::Overdue => Style::new().fg_color(Some(AnsiColor::Red.into())).bold(),
        TaskGroup::DueSoon => Style::new().fg_color(Some(AnsiColor::Yellow.into())),
        TaskGroup::Done => Style::new().fg_color(Some(AnsiColor::Green.into())),
        TaskGroup::WontDo => Style::new().dimmed(),
        TaskGroup::Later | TaskGroup::NoDueDate => Style::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use pmsite::index::tasks::TaskBoard;
    use pmsite::model::Archive;
    use pmsite::parse::{parse_incident, ParseOptions};
    use pmsite::render::task_exports::task_records;

    #[test]
    fn columns_line_up_whatever_the_width_of_the_names() {
        let text = "---\nid: inc-1\ntitle: T\ndate: 2024-01-10\n---\n## Action items\n\n\
            - [ ] Add an alert. Owner: @zoë. Due: 2024-03-01\n\
            - [x] Roll back. Owner: Bartholomew\n";
        let archive = Archive::new(vec![parse_incident("a.md", text, &ParseOptions::default())]);
        let board = TaskBoard::new(&archive, NaiveDate::from_ymd_opt(2024, 3, 4).unwrap(), 14);
        let records = task_records(&archive, &board, |_| true);
        let plain = anstream::adapter::strip_str(&task_table(&records)).to_string();
        let lines: Vec<&str> = plain.lines().collect();
        assert_eq!(lines.len(), 3, "{plain}");
        let task_column = |line: &str| line[..line.find("inc-1/").unwrap()].width();
        assert_eq!(task_column(lines[1]), task_column(lines[2]), "{plain}");
        assert!(
            lines[1].starts_with("overdue  2024-03-01  3 late  zoë  "),
            "{plain}"
        );
        assert!(
            lines[2].contains("done") && lines[2].ends_with("Roll back."),
            "{plain}"
        );
    }
}
