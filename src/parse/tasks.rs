//! Follow-up tasks from the action-item sections: `Task 1: ... Due: June 15, 2024` lines,
//! numbered and bulleted lists (with nested details), `- [ ]`/`- [x]` checkboxes, and
//! tables (`| Action | Owner | Due | Bug |`). Each task gets its owner, due date, status
//! and tracker links when the text states them.

use std::sync::LazyLock;

use regex::Regex;

use super::dates::{find_moment, DateContext};
use super::sections::{Section, SectionKind};
use crate::model::{Task, TaskStatus};

static LIST_ITEM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<indent>\s*)(?:[-*+•]|\d{1,3}[.)])\s+(?P<text>.*)$").unwrap()
});
static TASK_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:[-*+]\s+)?[*_]{0,2}(?:task|action(?:\s+item)?|ai)\s*#?\d+[*_]{0,2}\s*[:.)–-]\s*[*_]{0,2}\s*(?P<text>.+)$").unwrap()
});
static LABEL_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*[*_]{0,2}(?P<label>\p{Lu}[^:]{2,60}?)[*_]{0,2}\s*:[*_]{0,2}\s+(?P<text>\S.{8,})$",
    )
    .unwrap()
});
static CHECKBOX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\[(?P<mark>[ xX✓✔-])\]\s*").unwrap());
static DUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)[\s(\[,;–—-]*[*_]{0,2}\b(?:due(?:\s+date)?|deadline|eta|target(?:\s+date)?|by)[*_]{0,2}\s*(?:[:=]|\bon\b|\bby\b)?[*_]{0,2}\s*(?P<date>[^()\[\];|]{3,40}?)\s*[)\]]?\s*(?:[;.](?:\s|$)|$|\s[–—-]\s|\s\()").unwrap()
});
static OWNER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)[\s(\[,;–—-]*[*_]{0,2}\b(?P<keyword>owner|owners|assignee|assigned\s+to|responsible|poc|dri)[*_]{0,2}\s*(?P<separator>[:=])?[*_]{0,2}\s*(?P<who>@?[\p{L}][\p{L}\d_.' -]{0,40}?)\s*[)\]]?\s*(?:[,;.]|$|\s[–—-]\s|\s\(|\s+due\b)").unwrap()
});
static HANDLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[\s(\[,])@(?P<who>[A-Za-z0-9][A-Za-z0-9_.-]*[A-Za-z0-9_])").unwrap()
});
static TEAM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\((?P<who>(?:the\s+)?[\p{Lu}][\p{L} &-]{1,30}\s(?:team|Team|squad|group|SRE|on-call))\)",
    )
    .unwrap()
});
static LINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"https?://[^\s)>\]|]+|\b[A-Z][A-Z0-9]{1,9}-\d{1,7}\b|(?:^|[\s(])#\d{1,7}\b")
        .unwrap()
});
/// "Alert on queue depth (Sam)": a name in brackets closing the item is its owner.
static PERSON_AT_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\((?P<who>\p{Lu}\p{Ll}+(?: \p{Lu}\p{Ll}+)?)\)\s*\.?\s*$").unwrap()
});
static DONE_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:(?-i:\bDONE\b)|\(\s*(?:done|completed?|fixed|resolved|closed|shipped)\s*\)|\[\s*(?:done|completed?)\s*\]|\bstatus\s*:\s*(?:done|completed?|closed|fixed|resolved)\b|✅|✔️?|^(?:done|completed?)\s*[:–—-])").unwrap()
});
/// "Reverted the change", "Script updated to handle pagination": written as already done.
static PAST_TENSE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^[*_]{0,2}(?:[\w-]+\s+){0,2}?(?:was\s+|were\s+|has\s+been\s+|have\s+been\s+)?(?:added|updated|fixed|implemented|deployed|increased|decreased|removed|enabled|disabled|created|migrated|patched|rolled\s+back|reverted|upgraded|rotated|renewed|replaced|reconfigured|documented|merged|released|shipped|completed|resolved|issued|sent|restored|refunded|pushed|filed)\b").unwrap()
});
static STATUS_MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)[(\[]\s*(?:done|completed?|won'?t\s+(?:do|fix)|wontfix)\s*[)\]]|[,;:–—-]?\s*\b(?:won'?t\s+(?:do|fix)|wontfix)\b\s*[:.]?\s*$").unwrap()
});
static WONT_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:won'?t\s+(?:do|fix)|wontfix|not\s+planned|cancell?ed|\bstatus\s*:\s*(?:dropped|rejected)\b)").unwrap()
});

/// Extracts the tasks of every task section, numbered from 1 in document order.
pub fn extract_tasks(sections: &[Section], year: Option<i32>) -> Vec<Task> {
    let context = DateContext { year, offset: None };
    let per_section: Vec<(&Section, Vec<Task>)> = sections
        .iter()
        .filter(|s| s.kind == SectionKind::Tasks)
        .map(|section| (section, section_tasks(&section.dedented(), context)))
        .collect();
    // A file with an explicit list ("Tasks:", "Action items") means that list; the
    // "Improvements" prose around it is context, not more tasks.
    let mut per_section = per_section;
    // GitHub checkboxes are tasks wherever they stand ("Notes to the owner: - [x] ...").
    for section in sections
        .iter()
        .filter(|s| !matches!(s.kind, SectionKind::Tasks | SectionKind::Timeline))
    {
        let checked: Vec<Task> = section
            .text_lines()
            .filter_map(|(number, line)| {
                let item = LIST_ITEM.captures(line)?;
                let text = item.name("text")?.as_str();
                CHECKBOX
                    .is_match(text)
                    .then(|| task_from_text(text, number, context))
                    .flatten()
            })
            .collect();
        if !checked.is_empty() {
            per_section.push((section, checked));
        }
    }
    per_section.sort_by_key(|(s, _)| s.line);
    let explicit = per_section
        .iter()
        .any(|(s, tasks)| is_explicit_list(s) && !tasks.is_empty());
    let mut tasks: Vec<Task> = per_section
        .into_iter()
        .filter(|(s, _)| !explicit || is_explicit_list(s))
        .flat_map(|(_, tasks)| tasks)
        .collect();
    for (i, task) in tasks.iter_mut().enumerate() {
        task.number = i + 1;
    }
    tasks
}

fn section_tasks(section: &Section, context: DateContext) -> Vec<Task> {
    let mut found = table_tasks(section, context);
    if found.is_empty() {
        found = list_tasks(section, context);
    }
    if found.is_empty() {
        found = label_tasks(section, context);
    }
    if found.is_empty() {
        found = sentence_line_tasks(section, context);
    }
    found
}

fn is_explicit_list(section: &Section) -> bool {
    static EXPLICIT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)\b(?:tasks?|task list|action items?|action points|follow[- ]?ups?|to-?dos?)\b",
        )
        .unwrap()
    });
    section
        .title
        .as_deref()
        .is_some_and(|t| EXPLICIT.is_match(t))
}

/// `Task 1: ...` lines and list items; nested items add detail to the item above.
fn list_tasks(section: &Section, context: DateContext) -> Vec<Task> {
    let mut items: Vec<(usize, usize, String)> = Vec::new(); // indent, line, text
    let mut top_indent: Option<usize> = None;
    let mut blank_before = true;
    for (line_number, line) in section.text_lines() {
        let after_blank = blank_before;
        blank_before = line.trim().is_empty();
        if let Some(c) = TASK_LINE.captures(line) {
            items.push((0, line_number, c["text"].to_string()));
            top_indent = Some(0);
            continue;
        }
        if let Some(c) = LIST_ITEM.captures(line) {
            let indent = c["indent"].replace('\t', "    ").len();
            let top = *top_indent.get_or_insert(indent);
            if indent <= top {
                items.push((indent, line_number, c["text"].to_string()));
            } else if let Some(last) = items.last_mut() {
                add_detail(&mut last.2, &c["text"]);
            }
            continue;
        }
        // A line of the item above: wrapped (right after it) or a paragraph inside it.
        if let Some(last) = items.last_mut() {
            if line.starts_with([' ', '\t']) && !line.trim().is_empty() && last.1 + 8 > line_number
            {
                if after_blank {
                    add_detail(&mut last.2, line.trim());
                } else {
                    last.2.push(' ');
                    last.2.push_str(line.trim());
                }
            }
        }
    }
    items
        .into_iter()
        .filter_map(|(_, line, text)| task_from_text(&text, line, context))
        .collect()
}

/// A label-only item ("**Enhanced Monitoring:**") takes its details as its text;
/// otherwise details are joined after it.
fn add_detail(text: &mut String, detail: &str) {
    let bare = text.trim().trim_end_matches(['*', '_']).trim_end();
    if bare.ends_with(':') {
        *text = format!("{} {}", text.trim(), detail.trim());
    } else {
        text.push_str("; ");
        text.push_str(detail.trim());
    }
}

/// "Database Index Monitoring: Implement monitoring for ..." lines, when a section has
/// no list.
fn label_tasks(section: &Section, context: DateContext) -> Vec<Task> {
    section
        .text_lines()
        .filter(|(_, line)| LABEL_LINE.is_match(line))
        .filter_map(|(number, line)| task_from_text(line.trim(), number, context))
        .collect()
}

/// One task per line: runs of two or more lines that each start with a capital and do
/// not end mid-clause ("Add a smoke test after upgrades."). A lone line is prose.
fn sentence_line_tasks(section: &Section, context: DateContext) -> Vec<Task> {
    let is_sentence = |line: &str| {
        let line = line.trim();
        !line.starts_with(['|', '>', '#', '`'])
            && line.chars().next().is_some_and(char::is_uppercase)
            && !line.ends_with([',', ';', ':', '-'])
            && line.len() <= 240
    };
    let mut tasks = Vec::new();
    let mut run: Vec<(usize, &str)> = Vec::new();
    let mut flush = |run: &mut Vec<(usize, &str)>| {
        if run.len() >= 2 {
            tasks.extend(
                run.iter()
                    .filter_map(|(n, l)| task_from_text(l, *n, context)),
            );
        }
        run.clear();
    };
    for (number, line) in section.text_lines() {
        if !line.starts_with([' ', '\t']) && is_sentence(line) {
            run.push((number, line));
        } else {
            flush(&mut run);
        }
    }
    flush(&mut run);
    tasks
}

/// Rows of a table whose header names an action column.
fn table_tasks(section: &Section, context: DateContext) -> Vec<Task> {
    let mut tasks = Vec::new();
    let mut columns: Option<TableColumns> = None;
    for (line_number, line) in section.text_lines() {
        let trimmed = line.trim();
        if !trimmed.starts_with('|') {
            columns = None;
            continue;
        }
        let cells = split_row(trimmed);
        let Some(layout) = &columns else {
            columns = TableColumns::from_header(&cells);
            continue;
        };
        if cells
            .iter()
            .all(|c| c.chars().all(|ch| matches!(ch, '-' | ':' | ' ')))
        {
            continue;
        }
        let cell = |i: Option<usize>| {
            i.and_then(|i| cells.get(i))
                .map(|c| c.trim())
                .filter(|c| !c.is_empty())
        };
        let Some(text) = cell(Some(layout.text)) else {
            continue;
        };
        let Some(mut task) = task_from_text(text, line_number, context) else {
            continue;
        };
        if let Some(owner) = cell(layout.owner).filter(|o| !super::text::is_placeholder(o)) {
            task.owner = Some(clean_owner(owner));
        }
        if let Some(due) = cell(layout.due)
            .and_then(|d| find_moment(d, context))
            .and_then(|m| m.date)
        {
            task.due = Some(due);
        }
        if let Some(status) = cell(layout.status) {
            task.status = status_from_word(status).unwrap_or(task.status);
        } else if task.status == TaskStatus::Open && cells.iter().any(|c| DONE_WORDS.is_match(c)) {
            task.status = TaskStatus::Done; // "SRCH-309 **DONE**" in another column
        }
        for i in layout.links.iter().copied() {
            if let Some(value) = cell(Some(i)) {
                for link in links_in(value) {
                    if !task.links.contains(&link) {
                        task.links.push(link);
                    }
                }
            }
        }
        tasks.push(task);
    }
    tasks
}

struct TableColumns {
    text: usize,
    owner: Option<usize>,
    due: Option<usize>,
    status: Option<usize>,
    links: Vec<usize>,
}

impl TableColumns {
    fn from_header(cells: &[String]) -> Option<Self> {
        let find = |words: &[&str]| {
            cells.iter().position(|c| {
                let c = c.to_lowercase();
                words.iter().any(|w| c.contains(w))
            })
        };
        let text = find(&["action", "task", "item", "description", "what", "follow"])?;
        let links = cells
            .iter()
            .enumerate()
            .filter(|(_, c)| {
                let c = c.to_lowercase();
                ["bug", "ticket", "issue", "link", "tracker", "jira", "pr"]
                    .iter()
                    .any(|w| c.split_whitespace().any(|x| x == *w) || c.contains("ticket"))
            })
            .map(|(i, _)| i)
            .filter(|&i| i != text)
            .collect();
        Some(TableColumns {
            text,
            owner: find(&["owner", "assignee", "who", "responsible", "dri"]),
            due: find(&["due", "deadline", "eta", "target", "date"]),
            status: find(&["status", "state", "done"]),
            links,
        })
    }
}

fn split_row(row: &str) -> Vec<String> {
    let inner = row.trim().trim_start_matches('|');
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    inner.split('|').map(|c| c.trim().to_string()).collect()
}

fn status_from_word(word: &str) -> Option<TaskStatus> {
    let word = word.trim().trim_matches(['*', '_']).to_lowercase();
    match word.as_str() {
        "done" | "complete" | "completed" | "closed" | "fixed" | "resolved" | "shipped" | "yes"
        | "✅" | "[x]" => Some(TaskStatus::Done),
        "won't do" | "wont do" | "wontfix" | "won't fix" | "dropped" | "cancelled" | "canceled"
        | "rejected" => Some(TaskStatus::WontDo),
        "open" | "todo" | "to do" | "in progress" | "started" | "planned" | "no"
        | "not started" | "[ ]" => Some(TaskStatus::Open),
        _ => None,
    }
}

/// Reads owner, due date, status and links out of one item's text.
pub fn task_from_text(text: &str, line: usize, context: DateContext) -> Option<Task> {
    let mut text = text.trim().to_string();
    let mut status = TaskStatus::Open;
    if let Some(c) = CHECKBOX.captures(&text) {
        if c["mark"].trim() != "" && &c["mark"] != "-" {
            status = TaskStatus::Done;
        }
        text = text[c.get(0).unwrap().end()..].to_string();
    }
    if let Some(c) = TASK_LINE.captures(&text) {
        text = c["text"].to_string();
    }
    let struck = text.trim_start().starts_with("~~") && text.matches("~~").count() >= 2;
    if struck || WONT_WORDS.is_match(&text) {
        status = TaskStatus::WontDo;
    } else if DONE_WORDS.is_match(&text) || PAST_TENSE.is_match(&text) {
        status = TaskStatus::Done;
    }

    // The clause regexes backtrack; most items name no due date or owner at all.
    let lower = text.to_lowercase();
    let mentions = |words: &[&str]| words.iter().any(|w| lower.contains(w));
    let mut due = None;
    // The first clause that holds a date: "by hand. Due: 4 March 2024" is due in March.
    let due_clause = if mentions(&["due", "deadline", "eta", "target", "by "]) {
        DUE.captures_iter(&text).find_map(|c| {
            let date = find_moment(&c["date"], context).and_then(|m| m.date)?;
            Some((date, c.get(0)?.range()))
        })
    } else {
        None
    };
    if let Some((date, range)) = due_clause {
        due = Some(date);
        text.replace_range(range, " ");
    }
    let mut owner = None;
    let owner_clause = if mentions(&["owner", "assign", "responsible", "poc", "dri"]) {
        // "Page the owner on call" is prose: without `:` the clause must read as one
        // ("assigned to Bob", "owner @alice").
        OWNER.captures_iter(&text).find(|c| {
            c.name("separator").is_some()
                || c["who"].starts_with('@')
                || c["keyword"].to_ascii_lowercase().starts_with("assign")
        })
    } else {
        None
    };
    if let Some(c) = owner_clause {
        let who = clean_owner(&c["who"]);
        if !who.is_empty() && !super::text::is_placeholder(&who) {
            owner = Some(who);
            text.replace_range(c.get(0).unwrap().range(), " ");
        }
    }
    if owner.is_none() {
        if let Some(c) = HANDLE.captures(&text) {
            let who = c["who"].to_string();
            // "(@alice)" or a trailing "@alice" names the owner and leaves the text;
            // "ask @alice to review" is part of the sentence and stays.
            let handle = format!("@{who}");
            text = text
                .replace(&format!("({handle})"), " ")
                .replace(&format!("({handle}"), "(");
            if let Some(before) = text.trim_end().strip_suffix(handle.as_str()) {
                text = before
                    .trim_end()
                    .trim_end_matches([',', ';', '-', '–', '—'])
                    .to_string();
            }
            owner = Some(who);
        } else if let Some(c) = TEAM
            .captures(&text)
            .or_else(|| PERSON_AT_END.captures(&text))
        {
            owner = Some(c["who"].trim().to_string());
            text.replace_range(c.get(0).unwrap().range(), " ");
        }
    }
    let links = links_in(&text);
    // Status words that only mark the status leave the text: "... (done)", "won't do".
    let text = STATUS_MARKER.replace_all(&text, " ");
    let text = tidy(&text);
    if text.is_empty() || super::text::is_placeholder(&text) {
        return None;
    }
    Some(Task {
        number: 0,
        text,
        owner,
        due,
        implied_due: None,
        status,
        links,
        line,
    })
}

fn links_in(text: &str) -> Vec<String> {
    let mut links: Vec<String> = Vec::new();
    for m in LINK.find_iter(text) {
        let link = m
            .as_str()
            .trim_start_matches(['(', ' ', '\t'])
            .trim_end_matches(['.', ',', ';'])
            .to_string();
        if !links.contains(&link) {
            links.push(link);
        }
    }
    links
}

fn clean_owner(owner: &str) -> String {
    owner
        .trim()
        .trim_start_matches('@')
        .trim_matches(['*', '_', '`'])
        .trim()
        .to_string()
}

/// Collapses spaces and drops separators left behind by removed clauses.
fn tidy(text: &str) -> String {
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let trimmed = collapsed.trim_matches(|c: char| {
        c.is_whitespace() || matches!(c, ',' | ';' | '–' | '—' | '-' | '(')
    });
    let trimmed = trimmed.trim_end_matches("()").trim();
    trimmed
        .replace(" .", ".")
        .replace(" ,", ",")
        .replace("( ", "(")
        .replace(" )", ")")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::sections::{split_sections, SectionAliases};
    use chrono::NaiveDate;

    fn tasks(text: &str) -> Vec<Task> {
        let outline = split_sections(text, 1, &SectionAliases::default());
        extract_tasks(&outline.sections, Some(2024))
    }

    fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn task_lines_with_due_dates() {
        let got = tasks("#Tasks:\n\nTask 1: Write a script to check indexes. Due: June 15, 2024\nTask 2: Load test. Due: June 20, 2024\n");
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].text, "Write a script to check indexes.");
        assert_eq!(got[0].due, date(2024, 6, 15));
        assert_eq!(got[1].number, 2);
        assert_eq!(got[1].line, 4);
    }

    #[test]
    fn numbered_items_with_bold_labels_and_sub_bullets() {
        let text = "**Tasks:**\n1. **Revise Indexing Procedures:**  \n   - Review the process.\n\n2. **Enhanced Monitoring:**  \n   - Add query monitoring.\n   - Alert on unusual activity.\n";
        let got = tasks(text);
        assert_eq!(got.len(), 2);
        assert_eq!(
            got[0].text,
            "**Revise Indexing Procedures:** Review the process."
        );
        assert_eq!(
            got[1].text,
            "**Enhanced Monitoring:** Add query monitoring.; Alert on unusual activity."
        );
    }

    #[test]
    fn checkboxes_owners_and_strike_through() {
        let text = "## Action items\n- [ ] Add alert on replication lag (@alice, due 2024-11-30)\n- [x] Roll back config Owner: Bob Smith\n- [ ] ~~Rewrite the proxy~~ won't do\n- [ ] Fix the runbook (Database team)\n";
        let got = tasks(text);
        assert_eq!(got[0].owner.as_deref(), Some("alice"));
        assert_eq!(got[0].due, date(2024, 11, 30));
        assert_eq!(got[0].status, TaskStatus::Open);
        assert_eq!(got[1].status, TaskStatus::Done);
        assert_eq!(got[1].owner.as_deref(), Some("Bob Smith"));
        assert_eq!(got[1].text, "Roll back config");
        assert_eq!(got[2].status, TaskStatus::WontDo);
        assert_eq!(got[3].owner.as_deref(), Some("Database team"));
        assert_eq!(got[3].text, "Fix the runbook");
    }

    #[test]
    fn the_word_owner_in_prose_is_not_an_owner_clause() {
        let got = tasks("## Action items\n\n- Page the owner on config pushes. Owner: Alice.\n- Notify the owner of the service\n- Add alerts, assigned to Bob Smith\n");
        assert_eq!(got[0].owner.as_deref(), Some("Alice"));
        assert_eq!(got[0].text, "Page the owner on config pushes.");
        assert_eq!(got[1].owner, None);
        assert_eq!(got[2].owner.as_deref(), Some("Bob Smith"));
    }

    #[test]
    fn owner_and_status_markers_leave_the_text() {
        let got = tasks("## Action items\n- [x] Rotate the certificate (@priya)\n- [ ] Add expiry alerts (@marco, due 2024-11-18)\n- [ ] Ask @alice to review the runbook\n- [ ] Rewrite the proxy - won't do\n");
        assert_eq!(got[0].text, "Rotate the certificate");
        assert_eq!(got[1].text, "Add expiry alerts");
        assert_eq!(got[1].owner.as_deref(), Some("marco"));
        assert_eq!(got[2].text, "Ask @alice to review the runbook");
        assert_eq!(
            (got[3].text.as_str(), got[3].status),
            ("Rewrite the proxy", TaskStatus::WontDo)
        );
    }

    #[test]
    fn action_item_tables() {
        let text = "## Action Items\n\n| Action Item | Type | Owner | Bug |\n|---|---|---|---|\n| Add canary for config pushes | prevent | jdoe | PAY-1432 |\n| Page on error budget burn | mitigate | asmith | PAY-1433 |\n";
        let got = tasks(text);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].text, "Add canary for config pushes");
        assert_eq!(got[0].owner.as_deref(), Some("jdoe"));
        assert_eq!(got[0].links, ["PAY-1432"]);
    }

    #[test]
    fn label_lines_when_there_is_no_list() {
        let text = "#Improvements/Fixes:\n\nIndex Monitoring: Implement monitoring for missing indexes.\nPerformance Testing: Run regular load tests.\n";
        let got = tasks(text);
        assert_eq!(got.len(), 2);
        assert!(got[0].text.starts_with("Index Monitoring: Implement"));
    }

    #[test]
    fn one_sentence_per_line() {
        let got = tasks("## Corrective Measures\n\nRemove the admin binding from tests.\nAdd a smoke test after upgrades.\n");
        assert_eq!(got.len(), 2);
        let prose =
            tasks("## Corrective Measures\n\nTo prevent this we need to improve monitoring.\n");
        assert!(prose.is_empty());
    }

    #[test]
    fn tracker_links() {
        let got = tasks(
            "## Follow-ups\n- Add retries, see OPS-221 and https://example.com/pr/9 (#123)\n",
        );
        assert_eq!(
            got[0].links,
            ["OPS-221", "https://example.com/pr/9", "#123"]
        );
    }

    #[test]
    fn what_we_are_doing_about_it_and_how_we_prevent_it_are_task_headings() {
        let got = tasks("### What we're doing about it\n\n- Rotate every deploy key.\n- Add a second reviewer for workflow files.\n");
        assert_eq!(got.len(), 2);
        let got =
            tasks("## How will we prevent it from happening again?\n\n- Pin the base image.\n");
        assert_eq!(got.len(), 1);
    }

    #[test]
    fn wrapped_lines_join_the_item_with_a_space() {
        let got = tasks("## Action items\n\n1. Move the backups to a second region so that a\n   regional outage cannot take them.\n2. Page the on-call\n\n   when the disk fills.\n");
        assert_eq!(
            got[0].text,
            "Move the backups to a second region so that a regional outage cannot take them."
        );
        assert_eq!(got[1].text, "Page the on-call; when the disk fills.");
    }
}
