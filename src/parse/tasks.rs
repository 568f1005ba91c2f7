//! Follow-up tasks from the action-item sections: `Task 1: ... Due: June 15, 2024` lines,
//! numbered and bulleted lists (with nested details), `- [ ]`/`- [x]` checkboxes, and
//! tables (`| Action | Owner | Due | Bug |`). Each task gets its owner, due date, status
//! and tracker links when the text states them.

use std::sync::LazyLock;

use super::pattern::compile;
use regex::Regex;

use super::actors::{self, Actors};
use super::dates::{find_moment, DateContext};
use super::sections;
use crate::model::section::{normalize_title, LineRole, Section, SectionKind};
use crate::model::{Task, TaskStatus};

static LIST_ITEM: LazyLock<Regex> =
    LazyLock::new(|| compile(r"^(?P<indent>\s*)(?:[-*+•]|\d{1,3}[.)])\s+(?P<text>.*)$").unwrap());
static TASK_LINE: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"(?i)^\s*(?:[-*+]\s+)?[*_]{0,2}(?:task|action(?:\s+item)?|ai)\s*#?\d+[*_]{0,2}\s*[:.)–-]\s*[*_]{0,2}\s*(?P<text>.+)$").unwrap()
});
static LABEL_LINE: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"^\s*[*_]{0,2}(?P<label>\p{Lu}[^:]{2,60}?)[*_]{0,2}\s*:[*_]{0,2}\s+(?P<text>\S.{8,})$")
        .unwrap()
});
static CHECKBOX: LazyLock<Regex> =
    LazyLock::new(|| compile(r"^\[(?P<mark>[ xX✓✔-])\]\s*").unwrap());
/// The keyword of a due clause; the rest is read by `due_clauses` (as one regex, its
/// lazy date and terminators backtracked on every item).
static DUE_KEYWORD: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"(?i)\b(?:due(?:\s+date)?|deadline|eta|target(?:\s+date)?|by)\b").unwrap()
});
/// The keyword of an owner clause; the rest of the clause is read by `owner_clause_at`
/// (as a regex its lazy name and terminators backtracked on every item).
static OWNER_KEYWORD: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"(?i)\b(?:owner|owners|assignee|assigned\s+to|responsible|poc|dri)\b").unwrap()
});
static HANDLE: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"(?:^|[\s(\[,])@(?P<who>[A-Za-z0-9][A-Za-z0-9_.-]*[A-Za-z0-9_])").unwrap()
});
static TEAM: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"\((?P<who>(?:the\s+)?[\p{Lu}][\p{L} &-]{1,30}\s(?:team|Team|squad|group|SRE|on-call))\)",
    )
    .unwrap()
});
static LINK: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"https?://[^\s)>\]|]+|\b[A-Z][A-Z0-9]{1,9}-\d{1,7}\b|(?:^|[\s(])#\d{1,7}\b").unwrap()
});
/// "Alert on queue depth (Sam)": a name in brackets closing the item is its owner.
static PERSON_AT_END: LazyLock<Regex> =
    LazyLock::new(|| compile(r"\((?P<who>\p{Lu}\p{Ll}+(?: \p{Lu}\p{Ll}+)?)\)\s*\.?\s*$").unwrap());
static DONE_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"(?i)(?:(?-i:\bDONE\b)|\(\s*(?:done|completed?|fixed|resolved|closed|shipped)\s*\)|\[\s*(?:done|completed?|fixed|resolved)\s*\]|\bstatus\s*:\s*(?:done|completed?|closed|fixed|resolved)\b|✅|✔️?|^(?:done|completed?)\s*[:–—-]|\b(?:this|it|that)\s+(?:has|have|was)\s+(?:already\s+)?been\s+(?:done|completed|implemented|fixed|addressed|resolved|shipped)\b|(?:^|[.;!]\s+|[*_])(?:done|completed)(?:\s+(?:in|on|via|with|by|as\s+of)\s+[^.;*_]{1,40})?[*_]{0,2}\.?\s*$)").unwrap()
});
/// "Reverted the change", "Script updated to handle pagination": written as already done.
static PAST_TENSE: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"(?i)^[*_]{0,2}(?:[\w-]+\s+){0,2}?(?:was\s+|were\s+|has\s+been\s+|have\s+been\s+)?(?:added|updated|fixed|implemented|deployed|increased|decreased|removed|enabled|disabled|created|migrated|patched|rolled\s+back|reverted|upgraded|rotated|renewed|replaced|reconfigured|documented|merged|released|shipped|completed|resolved|issued|sent|restored|refunded|pushed|filed)\b").unwrap()
});

/// Whether an item is written as already done: "Reverted the change"; a passive in the
/// past anywhere in its first clause ("The vulnerable action has been disabled",
/// "Observability was introduced"); or "we" with a verb in the past ("We requested all
/// maintainers...", "We have for several years enabled 2FA"). "We would have detected
/// it", "If it was deployed, ..." and "We will be alerted" stay open.
fn written_as_done(text: &str) -> bool {
    const MODALS: &[&str] = &[
        "would", "could", "should", "might", "must", "may", "will", "shall", "can", "to",
    ];
    const NOT_YET: &[&str] = &[
        "to", "be", "will", "would", "should", "could", "can", "must", "may", "might", "shall",
        "need", "needs", "want", "wants", "plan", "plans", "intend", "intends", "not", "never",
        "are", "is", "am", "going", "hope", "aim", "try", "d", "ll",
    ];
    const SUBORDINATORS: &[&str] = &[
        "if", "when", "whenever", "unless", "once", "until", "whether", "should", "had",
    ];
    const RELATIVES: &[&str] = &[
        "that", "which", "who", "whom", "whose", "where", "why", "how", "when", "what", "whether",
        "if", "because", "since", "so", "until", "unless", "after", "before", "while", "once",
    ];
    if PAST_TENSE.is_match(text) {
        return true;
    }
    let clause = text
        .split([',', ';', ':', '(', ')', '!', '?'])
        .next()
        .unwrap_or("");
    let clause = clause.split(". ").next().unwrap_or(clause).to_lowercase();
    let words: Vec<&str> = clause
        .split(|c: char| c.is_whitespace() || matches!(c, '\'' | '’'))
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .collect();
    if words.first().is_some_and(|w| SUBORDINATORS.contains(w)) {
        return false;
    }
    let participle = |word: &str| is_participle(word);
    // A passive: "was|were|has been|have been|is now|are now" and a participle, in the
    // main clause: "Revert the change that was introduced" is still to do.
    for i in 0..words.len() {
        if RELATIVES.contains(&words[i]) {
            break;
        }
        let after_modal = i > 0 && MODALS.contains(&words[i - 1]);
        let rest = match (words[i], words.get(i + 1).copied()) {
            ("was" | "were", _) => i + 1,
            ("has" | "have", Some("been")) if !after_modal => i + 2,
            ("is" | "are", Some("now")) => i + 2,
            _ => continue,
        };
        let mut next = words.get(rest).copied();
        if next.is_some_and(|w| w.ends_with("ly") || matches!(w, "also" | "now" | "already")) {
            next = words.get(rest + 1).copied();
        }
        if next.is_some_and(participle) {
            return true;
        }
    }
    // "We requested ...", "We've established ...", "We have for several years enabled ...".
    if words.first() == Some(&"we") {
        let rest = words[1..]
            .iter()
            .skip_while(|w| matches!(**w, "have" | "ve" | "had"))
            .take(5);
        for word in rest {
            if NOT_YET.contains(word) {
                return false;
            }
            if participle(word) {
                return true;
            }
        }
    }
    false
}

/// A past participle or simple past: "-ed" (not "need", "agreed", "speed"), or an
/// irregular one.
fn is_participle(word: &str) -> bool {
    const IRREGULAR: &[&str] = &[
        "built",
        "made",
        "set",
        "run",
        "ran",
        "written",
        "wrote",
        "taken",
        "took",
        "done",
        "did",
        "put",
        "shut",
        "sent",
        "held",
        "kept",
        "brought",
        "begun",
        "began",
        "rewritten",
        "frozen",
        "chosen",
        "drawn",
        "shown",
        "given",
        "split",
        "cut",
        "rebuilt",
        "spun",
        "moved",
        "paid",
        "found",
    ];
    (word.len() > 4 && word.ends_with("ed") && !word.ends_with("eed")) || IRREGULAR.contains(&word)
}
static STATUS_MARKER: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"(?i)[(\[]\s*(?:done|completed?|won'?t\s+(?:do|fix)|wontfix)\s*[)\]]|[,;:–—-]?\s*\b(?:won'?t\s+(?:do|fix)|wontfix)\b\s*[:.]?\s*$").unwrap()
});
static WONT_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"(?i)(?:won'?t\s+(?:do|fix)|wontfix|not\s+planned|cancell?ed|\bstatus\s*:\s*(?:dropped|rejected)\b)").unwrap()
});

/// Extracts the tasks of every task section, numbered from 1 in document order.
pub fn extract_tasks(sections: &[Section], dates: DateContext) -> Vec<Task> {
    let actors = Actors::of(sections);
    let parts = task_parts(sections);
    let mut per_section: Vec<(&Section, bool, Vec<Task>)> = parts
        .iter()
        .map(|part| {
            let section = &sections[part.index];
            let reading = Reading {
                dates,
                heading: part.state,
                actors: &actors,
            };
            let tasks = section_tasks(&sections::dedented(section), &reading);
            (section, part.explicit, tasks)
        })
        .collect();
    // GitHub checkboxes are tasks wherever they stand ("Notes to the owner: - [x] ...").
    let plain = Reading {
        dates,
        heading: None,
        actors: &actors,
    };
    for (index, section) in sections.iter().enumerate() {
        if section.kind == SectionKind::Timeline || parts.iter().any(|p| p.index == index) {
            continue;
        }
        let checked: Vec<Task> = section
            .text_lines()
            .filter_map(|(number, line)| {
                let item = LIST_ITEM.captures(line)?;
                let text = item.name("text")?.as_str();
                CHECKBOX
                    .is_match(text)
                    .then(|| read_task(text, number, &plain))
                    .flatten()
            })
            .collect();
        if !checked.is_empty() {
            per_section.push((section, is_explicit_list(section), checked));
        }
    }
    // With no task section and no checkbox, a list the prose promises ("Going forward,
    // we will do the following:") holds the tasks.
    if per_section.iter().all(|(_, _, tasks)| tasks.is_empty()) {
        for section in sections.iter().filter(|s| s.kind != SectionKind::Timeline) {
            let promised = promised_tasks(section, &plain);
            if !promised.is_empty() {
                per_section.push((section, false, promised));
            }
        }
    }
    per_section.sort_by_key(|(s, _, _)| s.line);
    // A file with an explicit list ("Tasks:", "Action items") means that list; the
    // "Improvements" prose around it is context, not more tasks.
    let explicit = per_section
        .iter()
        .any(|(_, explicit, tasks)| *explicit && !tasks.is_empty());
    let mut tasks: Vec<Task> = per_section
        .into_iter()
        .filter(|(_, is_explicit, _)| !explicit || *is_explicit)
        .flat_map(|(_, _, tasks)| tasks)
        .collect();
    for (i, task) in tasks.iter_mut().enumerate() {
        task.number = i + 1;
    }
    tasks
}

/// What the items of one section are read with.
struct Reading<'a> {
    dates: DateContext,
    /// The status its heading gives every item ("Actions taken", "Actions planned").
    heading: Option<TaskStatus>,
    actors: &'a Actors,
}

/// The items of each list that a paragraph ending in `:` introduces as what will be
/// done: "Going forward, we will do the following:", "To prevent similar issues, we will
/// be implementing the following measures:". Nested bullets describe their item.
fn promised_tasks(section: &Section, reading: &Reading) -> Vec<Task> {
    static PROMISE: LazyLock<Regex> = LazyLock::new(|| {
        compile(r"(?i)\b(?:going forward|moving forward|from now on|will|we'll|we are going to|we plan to|we intend to|next steps)\b").unwrap()
    });
    let lines: Vec<(usize, LineRole, &str)> = section.lines_with_roles().collect();
    let mut tasks = Vec::new();
    let mut paragraph = String::new();
    let mut index = 0;
    while index < lines.len() {
        let (_, role, line) = lines[index];
        index += 1;
        if role != LineRole::Paragraph {
            paragraph.clear();
            continue;
        }
        paragraph.push(' ');
        paragraph.push_str(line.trim());
        let last_sentence = paragraph.rsplit(". ").next().unwrap_or("");
        if !line.trim_end().ends_with(':') || !PROMISE.is_match(last_sentence) {
            continue;
        }
        paragraph.clear();
        // The list right after it: its top-level items, each with its wrapped lines.
        let mut items: Vec<(usize, String)> = Vec::new();
        while let Some(&(number, role, line)) = lines.get(index) {
            match role {
                LineRole::Blank if items.is_empty() => {}
                LineRole::Blank => {
                    let next_is_item = lines[index + 1..]
                        .iter()
                        .find(|(_, r, _)| *r != LineRole::Blank)
                        .is_some_and(|(_, r, _)| matches!(r, LineRole::ListItem { .. }));
                    if !next_is_item {
                        break;
                    }
                }
                LineRole::ListItem {
                    depth: 0,
                    marker: true,
                } => {
                    let text = LIST_ITEM
                        .captures(line)
                        .and_then(|c| c.name("text"))
                        .map_or(line.trim(), |m| m.as_str());
                    items.push((number, text.to_string()));
                }
                LineRole::ListItem {
                    depth: 0,
                    marker: false,
                } => {
                    if let Some((_, item)) = items.last_mut() {
                        item.push(' ');
                        item.push_str(line.trim());
                    }
                }
                LineRole::ListItem { .. } => {}
                _ => break,
            }
            index += 1;
        }
        tasks.extend(
            items
                .iter()
                .filter_map(|(number, text)| read_task(text, *number, reading)),
        );
    }
    tasks
}

/// A section whose items are tasks.
struct TaskPart {
    index: usize,
    /// Whether it is, or is part of, an explicit list ("Action items").
    explicit: bool,
    state: Option<TaskStatus>,
}

/// The task sections, and the subsections an empty one holds: under an empty `Action
/// Items`, `### BinderHub` and `### KubeSpawner` group the tasks by component. Advice
/// to readers ("What should you do?") is not the team's tasks.
fn task_parts(sections: &[Section]) -> Vec<TaskPart> {
    let mut parts = Vec::new();
    let mut container: Option<(u8, bool, Option<TaskStatus>)> = None; // depth, explicit, state
    for (index, section) in sections.iter().enumerate() {
        if let Some((depth, explicit, state)) = container {
            if section.depth > depth {
                if !is_closing_part(section) && !addressed_to_reader(sections, index) {
                    parts.push(TaskPart {
                        index,
                        explicit: explicit || is_explicit_list(section),
                        state: stated_state(section).or(state),
                    });
                }
                continue;
            }
            container = None;
        }
        if section.kind != SectionKind::Tasks || addressed_to_reader(sections, index) {
            continue;
        }
        let part = TaskPart {
            index,
            explicit: is_explicit_list(section),
            state: stated_state(section),
        };
        if section.is_empty() {
            container = Some((section.depth, part.explicit, part.state));
        }
        parts.push(part);
    }
    parts
}

/// "Conclusion", "Notes", "What went well" close a list of tasks rather than group some.
fn is_closing_part(section: &Section) -> bool {
    static CLOSING: LazyLock<Regex> = LazyLock::new(|| {
        compile(r"(?i)\b(?:conclusions?|summary|notes?|discussion|references|links|appendix|background|context|questions|lessons|acknowledge?ments?|timeline)\b").unwrap()
    });
    matches!(
        section.kind,
        SectionKind::Timeline | SectionKind::Lessons | SectionKind::Summary
    ) || section
        .title
        .as_deref()
        .is_some_and(|t| CLOSING.is_match(t))
}

/// A section that speaks to the reader ("What should you do?", "Check your logs"),
/// by its own title or the empty heading right above it.
fn addressed_to_reader(sections: &[Section], index: usize) -> bool {
    static YOU: LazyLock<Regex> = LazyLock::new(|| compile(r"(?i)\b(?:you|your|yours)\b").unwrap());
    let speaks = |s: &Section| s.title.as_deref().is_some_and(|t| YOU.is_match(t));
    speaks(&sections[index])
        || index
            .checked_sub(1)
            .map(|i| &sections[i])
            .is_some_and(|above| above.is_empty() && speaks(above))
}

/// The status a heading states for the items under it: "Actions taken", "Immediate
/// actions (completed)" are done; "Actions planned" are open whatever their tense.
fn stated_state(section: &Section) -> Option<TaskStatus> {
    static DONE_HEADING: LazyLock<Regex> = LazyLock::new(|| {
        compile(r"(?i)\b(?:taken|completed?|done|finished|implemented)\b").unwrap()
    });
    static OPEN_HEADING: LazyLock<Regex> = LazyLock::new(|| {
        compile(
            r"(?i)\b(?:planned|proposed|pending|future|upcoming|remaining|outstanding|to-?do)\b",
        )
        .unwrap()
    });
    let title = section.title.as_deref()?;
    match (DONE_HEADING.is_match(title), OPEN_HEADING.is_match(title)) {
        (true, false) => Some(TaskStatus::Done),
        (false, true) => Some(TaskStatus::Open),
        _ => None,
    }
}

fn section_tasks(section: &Section, reading: &Reading) -> Vec<Task> {
    if let Some(found) = single_action_tasks(section, reading) {
        return found;
    }
    let mut found = table_tasks(section, reading);
    if found.is_empty() {
        found = list_tasks(section, reading);
    }
    if found.is_empty() {
        found = label_tasks(section, reading);
    }
    if found.is_empty() {
        found = sentence_line_tasks(section, reading);
    }
    found
}

/// `Action point:`, `Action taken:`, `Action planned:`: a singular label brings one
/// task, written as prose; a list under it (criteria, a "This has been done." note)
/// describes that task. The same label further down starts the next one. A list right
/// under the label is read as a list of tasks.
fn single_action_tasks(section: &Section, reading: &Reading) -> Option<Vec<Task>> {
    static SINGLE_ACTION: LazyLock<Regex> = LazyLock::new(|| {
        compile(r"(?i)^\s*[*_]{0,2}action\s+(?P<kind>point|taken|planned)[*_]{0,2}\s*:[*_]{0,2}\s*(?P<text>.*)$").unwrap()
    });
    let state_of = |kind: &str| match kind.to_ascii_lowercase().as_str() {
        "taken" => Some(TaskStatus::Done),
        "planned" => Some(TaskStatus::Open),
        _ => None,
    };
    let title = normalize_title(section.title.as_deref()?);
    let kind = title.strip_prefix("action ")?;
    if !["point", "taken", "planned"].contains(&kind) {
        return None;
    }
    let (_, first) = section.text_lines().find(|(_, l)| !l.trim().is_empty())?;
    if LIST_ITEM.is_match(first) {
        return None;
    }
    // line, state (the section's for the first task, each label's own after it), text
    let mut drafts: Vec<(usize, Option<TaskStatus>, String)> = Vec::new();
    let mut open = false; // whether the next lines still belong to the last task
    let mut blank_before = false;
    for (number, line) in section.text_lines() {
        let after_blank = blank_before;
        blank_before = line.trim().is_empty();
        if blank_before {
            continue;
        }
        if let Some(c) = SINGLE_ACTION.captures(line) {
            drafts.push((number, state_of(&c["kind"]), c["text"].trim().to_string()));
            open = true;
            continue;
        }
        match drafts.last_mut() {
            None => {
                drafts.push((number, reading.heading, line.trim().to_string()));
                open = true;
            }
            Some(last) if last.2.is_empty() => {
                last.0 = number;
                last.2 = line.trim().to_string();
            }
            Some(last) if open => {
                if let Some(item) = LIST_ITEM.captures(line) {
                    add_detail(&mut last.2, &item["text"]);
                } else if !after_blank || line.starts_with([' ', '\t']) {
                    last.2.push(' ');
                    last.2.push_str(line.trim());
                } else {
                    open = false; // a new paragraph: prose about the section, not the task
                }
            }
            Some(_) => {}
        }
    }
    let tasks = drafts
        .into_iter()
        .filter_map(|(line, state, text)| {
            let reading = Reading {
                heading: state,
                ..*reading
            };
            read_task(&text, line, &reading)
        })
        .collect();
    Some(tasks)
}

fn is_explicit_list(section: &Section) -> bool {
    static EXPLICIT: LazyLock<Regex> = LazyLock::new(|| {
        compile(
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
fn list_tasks(section: &Section, reading: &Reading) -> Vec<Task> {
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
        .filter_map(|(_, line, text)| read_task(&text, line, reading))
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
fn label_tasks(section: &Section, reading: &Reading) -> Vec<Task> {
    section
        .text_lines()
        .filter(|(_, line)| LABEL_LINE.is_match(line))
        .filter_map(|(number, line)| read_task(line.trim(), number, reading))
        .collect()
}

/// One task per line: runs of two or more lines that each start with a capital and do
/// not end mid-clause ("Add a smoke test after upgrades."). A lone line is prose.
fn sentence_line_tasks(section: &Section, reading: &Reading) -> Vec<Task> {
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
            tasks.extend(run.iter().filter_map(|(n, l)| read_task(l, *n, reading)));
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
fn table_tasks(section: &Section, reading: &Reading) -> Vec<Task> {
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
        let Some(mut task) = read_task(text, line_number, reading) else {
            continue;
        };
        if let Some(owner) = cell(layout.owner).filter(|o| !super::text::is_placeholder(o)) {
            task.owner = Some(clean_owner(owner));
        }
        if let Some(due) = cell(layout.due)
            .and_then(|d| find_moment(d, reading.dates))
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
    let actors = Actors::default();
    let reading = Reading {
        dates: context,
        heading: None,
        actors: &actors,
    };
    read_task(text, line, &reading)
}

fn read_task(text: &str, line: usize, reading: &Reading) -> Option<Task> {
    let context = reading.dates;
    let mut text = text.trim().to_string();
    let mut checkbox = None;
    // Cheap looks spare most items the regexes below: no `[`, no checkbox; no `@`, no
    // handle; no `(`, no bracketed owner.
    if let Some(c) = text
        .starts_with('[')
        .then(|| CHECKBOX.captures(&text))
        .flatten()
    {
        checkbox = Some(if c["mark"].trim() != "" && &c["mark"] != "-" {
            TaskStatus::Done
        } else {
            TaskStatus::Open
        });
        text = text[c.get(0).unwrap().end()..].to_string();
    }
    // "Task 3: ..." needs a number.
    if let Some(c) = text
        .chars()
        .any(char::is_numeric)
        .then(|| TASK_LINE.captures(&text))
        .flatten()
    {
        text = c["text"].to_string();
    }
    // The status and clause regexes are costly; most items hold none of their words.
    let lower = text.to_lowercase();
    let mentions = |words: &[&str]| words.iter().any(|w| lower.contains(w));
    // What the item marks outright beats what its heading says, which beats its tense.
    let struck = text.trim_start().starts_with("~~") && text.matches("~~").count() >= 2;
    let done_words = [
        "done", "complet", "fix", "resolv", "clos", "ship", "been", "status", "✅", "✔",
    ];
    let marked = if mentions(&["won", "not", "cancel", "status"]) && WONT_WORDS.is_match(&text) {
        Some(TaskStatus::WontDo)
    } else if struck || (mentions(&done_words) && DONE_WORDS.is_match(&text)) {
        Some(TaskStatus::Done)
    } else {
        checkbox
    };
    let status = marked
        .or(reading.heading)
        .unwrap_or(if written_as_done(&text) {
            TaskStatus::Done
        } else {
            TaskStatus::Open
        });

    // The clause regexes backtrack; most items name no due date or owner at all.
    let mut due = None;
    // The first clause that holds a date: "by hand. Due: 4 March 2024" is due in March.
    let due_clause = if mentions(&["due", "deadline", "eta", "target", "by "]) {
        due_clauses(&text).find_map(|(date_text, range)| {
            let date = find_moment(date_text, context).and_then(|m| m.date)?;
            Some((date, range))
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
        owner_clauses(&text)
            .find(|c| c.separator || c.who.starts_with('@') || c.keyword.starts_with("assign"))
    } else {
        None
    };
    if let Some(c) = owner_clause {
        let who = clean_owner(&c.who);
        if !who.is_empty()
            && !super::text::is_placeholder(&who)
            && !super::text::is_placeholder(&c.who)
        {
            owner = Some(who);
            text.replace_range(c.range, " ");
        }
    }
    if owner.is_none() {
        let handle = text
            .contains('@')
            .then(|| HANDLE.captures(&text))
            .flatten()
            .filter(|c| !super::text::is_placeholder(&format!("@{}", &c["who"])));
        if let Some(c) = handle {
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
        } else if let Some(c) = text
            .contains('(')
            .then(|| {
                TEAM.captures(&text)
                    .or_else(|| PERSON_AT_END.captures(&text))
            })
            .flatten()
        {
            owner = Some(c["who"].trim().to_string());
            text.replace_range(c.get(0).unwrap().range(), " ");
        } else if let Some((who, rest)) = leading_owner(&text, reading.actors) {
            owner = Some(who);
            text = rest;
        }
    }
    let links = links_in(&text);
    // Status words that only mark the status leave the text: "... (done)", "won't do".
    let text = if mentions(&["done", "complet", "won"]) {
        STATUS_MARKER.replace_all(&text, " ")
    } else {
        std::borrow::Cow::Borrowed(text.as_str())
    };
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

/// "Owner: Bob", "(assigned to @alice)", "**Owner:** SRE team - due": one owner clause
/// of an item, with the text it spans (brackets and separators around it included).
struct OwnerClause {
    range: std::ops::Range<usize>,
    /// The keyword in lower case: "owner", "assigned to", ...
    keyword: String,
    /// Whether `:` or `=` follows the keyword.
    separator: bool,
    who: String,
}

fn owner_clauses(text: &str) -> impl Iterator<Item = OwnerClause> + '_ {
    OWNER_KEYWORD
        .find_iter(text)
        .filter_map(|keyword| owner_clause_at(text, keyword.range()))
}

/// Past up to two `*` or `_` at `at`: the emphasis around a clause's keyword.
fn skip_emphasis(text: &str, at: usize) -> usize {
    let run = text[at..]
        .bytes()
        .take(2)
        .take_while(|b| matches!(b, b'*' | b'_'));
    at + run.count()
}

/// Past the white space at `at`.
fn skip_space(text: &str, at: usize) -> usize {
    let rest = &text[at..];
    at + rest.len() - rest.trim_start().len()
}

/// Reads the clause around a keyword: up to two `*`/`_`, an optional `:` or `=`, then a
/// name of at most 41 characters (a letter first, or `@` and a letter) that ends at the
/// first place a clause can end: `,` `;` `.`, the end, ` - `, ` (` or ` due`.
fn owner_clause_at(text: &str, keyword: std::ops::Range<usize>) -> Option<OwnerClause> {
    let skip_emphasis = |at: usize| skip_emphasis(text, at);
    let skip_space = |at: usize| skip_space(text, at);
    let mut at = skip_space(skip_emphasis(keyword.end));
    let separator = text[at..].starts_with([':', '=']);
    if separator {
        at += 1;
    }
    let who_start = skip_space(skip_emphasis(at));
    let handle = usize::from(text[who_start..].starts_with('@'));
    let first = text[who_start + handle..].chars().next()?;
    if !first.is_alphabetic() {
        return None;
    }
    let name_char = |c: char| c.is_alphanumeric() || matches!(c, '_' | '.' | '\'' | ' ' | '-');
    let mut who_end = who_start + handle + first.len_utf8();
    for taken in 0..=40 {
        if let Some(end) = clause_end(text, who_end) {
            let start = widen_left(text, keyword.start);
            return Some(OwnerClause {
                range: start..end,
                keyword: text[keyword.clone()].to_lowercase(),
                separator,
                who: text[who_start..who_end].to_string(),
            });
        }
        if taken == 40 {
            break;
        }
        match text[who_end..].chars().next() {
            Some(c) if name_char(c) => who_end += c.len_utf8(),
            _ => break,
        }
    }
    None
}

/// Where an owner clause ends if its name ends at `at`: spaces, an optional `)` or `]`,
/// spaces, then `,` `;` `.` or the end; or a space and then `- `, `(` or `due`.
fn clause_end(text: &str, at: usize) -> Option<usize> {
    let rest = &text[at..];
    let after_space = rest.trim_start();
    let bracket = after_space.strip_prefix([')', ']']).unwrap_or(after_space);
    let tail = bracket.trim_start();
    let p = text.len() - tail.len();
    if tail.is_empty() {
        return Some(p);
    }
    if tail.starts_with([',', ';', '.']) {
        return Some(p + 1);
    }
    // The rest need a space before them.
    let spaced = text[..p].ends_with(char::is_whitespace);
    if !spaced {
        return None;
    }
    if let Some(dash) = tail.strip_prefix(['–', '—', '-']) {
        if dash.starts_with(char::is_whitespace) {
            let space = dash.chars().next().map_or(0, char::len_utf8);
            return Some(text.len() - dash.len() + space);
        }
    }
    if tail.starts_with('(') {
        return Some(p + 1);
    }
    let due = tail.get(..3).filter(|w| w.eq_ignore_ascii_case("due"));
    let word_ends =
        !tail[3.min(tail.len())..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_');
    if due.is_some() && word_ends {
        return Some(p + 3);
    }
    None
}

/// A due label left in a task's text: its date could not be read ("Due: end of Q3").
static DUE_LABEL_LEFT: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"(?i)\b(?:due(?:\s+date)?|deadline|eta)[*_]{0,2}\s*[:=][*_]{0,2}\s*(?P<value>[^;|()\[\]]{1,40})").unwrap()
});

/// The due dates written on tasks that could not be read, as (line, text): the task is
/// kept, without a due date.
pub fn unread_due_dates(tasks: &[Task]) -> Vec<(usize, String)> {
    tasks
        .iter()
        .filter(|task| task.due.is_none())
        .filter_map(|task| {
            let value = DUE_LABEL_LEFT.captures(&task.text)?["value"]
                .trim()
                .to_string();
            let value = value
                .trim_end_matches(['.', ',', '*', '_'])
                .trim()
                .to_string();
            (!value.is_empty() && !super::text::is_placeholder(&value))
                .then_some((task.line, value))
        })
        .collect()
}

/// "Due: 4 March 2024", "(by 2024-03-04)", "target date = Q3 - ...": each due clause of
/// an item as (the date's text, the clause's span), the date being the shortest text
/// of 3 to 40 characters (no brackets, `;` or `|`) after which the clause can end.
fn due_clauses(text: &str) -> impl Iterator<Item = (&str, std::ops::Range<usize>)> + '_ {
    DUE_KEYWORD.find_iter(text).filter_map(move |keyword| {
        let skip_emphasis = |at: usize| skip_emphasis(text, at);
        let skip_space = |at: usize| skip_space(text, at);
        let mut at = skip_space(skip_emphasis(keyword.end()));
        let rest = &text[at..];
        let word = |w: &str| {
            rest.get(..w.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(w))
                && !rest[w.len()..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
        };
        if rest.starts_with([':', '=']) {
            at += 1;
        } else if word("on") || word("by") {
            at += 2;
        }
        let date_start = skip_space(skip_emphasis(at));
        let mut date_end = date_start;
        let mut taken = 0;
        for c in text[date_start..].chars() {
            if matches!(c, '(' | ')' | '[' | ']' | ';' | '|') || taken == 40 {
                break;
            }
            date_end += c.len_utf8();
            taken += 1;
            if taken >= 3 {
                if let Some(end) = due_clause_end(text, date_end) {
                    let start = widen_left(text, keyword.start());
                    return Some((text[date_start..date_end].trim_end(), start..end));
                }
            }
        }
        None
    })
}

/// Where a due clause ends if its date ends at `at`: spaces, an optional `)` or `]`,
/// spaces, then the end, `;` or `.` before a space or the end, or a space and then
/// `- ` or `(`.
fn due_clause_end(text: &str, at: usize) -> Option<usize> {
    let tail = text[at..].trim_start();
    let tail = tail.strip_prefix([')', ']']).unwrap_or(tail).trim_start();
    let p = text.len() - tail.len();
    if tail.is_empty() {
        return Some(p);
    }
    if let Some(after) = tail.strip_prefix([';', '.']) {
        if after.is_empty() || after.starts_with(char::is_whitespace) {
            return Some(p + 1 + after.chars().next().map_or(0, char::len_utf8));
        }
    }
    if !text[..p].ends_with(char::is_whitespace) {
        return None;
    }
    if let Some(dash) = tail.strip_prefix(['–', '—', '-']) {
        if dash.starts_with(char::is_whitespace) {
            let space = dash.chars().next().map_or(0, char::len_utf8);
            return Some(text.len() - dash.len() + space);
        }
    }
    tail.starts_with('(').then_some(p + 1)
}

/// The clause takes in the emphasis, brackets and separators written before its keyword.
fn widen_left(text: &str, start: usize) -> usize {
    let before = &text[..start];
    let emphasis = before.len() - before.trim_end_matches(['*', '_']).len();
    let before = &before[..before.len() - emphasis.min(2)];
    before
        .trim_end_matches(|c: char| c.is_whitespace() || "([,;–—-".contains(c))
        .len()
}

fn clean_owner(owner: &str) -> String {
    owner
        .trim()
        .trim_start_matches('@')
        .trim_matches(['*', '_', '`'])
        .trim()
        .to_string()
}

/// An owner written first: `[Hypha] Investigate...`, `Hypha: Make a proposal...`,
/// `Hypha + ICL: Investigate...`, `ICL to subscribe...`, `Hypha will run...`. Category
/// labels take the same shapes ("Documentation: Document best practices"), so every
/// name must read as a name and be one the file names as an actor elsewhere (see
/// `actors`). A bracket or label is removed from the text; a sentence keeps its subject.
fn leading_owner(text: &str, actors: &Actors) -> Option<(String, String)> {
    static BRACKETED: LazyLock<Regex> =
        LazyLock::new(|| compile(r"^\[(?P<names>[^\]\[]{2,60})\]\s+(?P<rest>[^(\s].*)$").unwrap());
    static LABELLED: LazyLock<Regex> = LazyLock::new(|| {
        compile(&format!(
            r"^[*_]{{0,2}}(?P<names>{})[*_]{{0,2}}\s*:[*_]{{0,2}}\s+(?P<rest>\S.*)$",
            *actors::NAMES
        ))
        .unwrap()
    });
    static SUBJECT: LazyLock<Regex> =
        LazyLock::new(|| compile(&format!(r"^(?P<names>{})\s+\p{{Ll}}", *actors::NAMES)).unwrap());
    let known = |names: &str| {
        let names = actors::split_names(names);
        !names.is_empty()
            && names
                .iter()
                .all(|n| actors::is_name_like(n) && actors.knows(n))
    };
    let as_written = |names: &str| names.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some(c) = BRACKETED.captures(text).or_else(|| LABELLED.captures(text)) {
        if known(&c["names"]) {
            return Some((as_written(&c["names"]), c["rest"].trim().to_string()));
        }
        return None;
    }
    let c = SUBJECT.captures(text)?;
    known(&c["names"]).then(|| (as_written(&c["names"]), text.to_string()))
}

/// Collapses spaces and drops separators left behind by removed clauses.
fn tidy(text: &str) -> String {
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let trimmed = collapsed.trim_matches(|c: char| {
        c.is_whitespace() || matches!(c, ',' | ';' | '–' | '—' | '-' | '(')
    });
    let mut tidied = trimmed.trim_end_matches("()").trim().to_string();
    for (from, to) in [(" .", "."), (" ,", ","), ("( ", "("), (" )", ")")] {
        if tidied.contains(from) {
            tidied = tidied.replace(from, to);
        }
    }
    tidied
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::section::SectionAliases;
    use crate::parse::sections::split_sections;
    use chrono::NaiveDate;

    fn tasks(text: &str) -> Vec<Task> {
        let outline = split_sections(text, 1, &SectionAliases::default());
        extract_tasks(
            &outline.sections,
            DateContext {
                year: Some(2024),
                ..DateContext::default()
            },
        )
    }

    fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn a_list_the_prose_promises_holds_the_tasks_of_a_file_without_a_task_section() {
        let text = "# Recovery and Lessons Learned\n\nThe issue resolved itself. Going forward, we will do the\nfollowing to avoid similar issues:\n\n- We will add monitoring for replica lag, so that we can\n  route traffic early.\n  - a detail of the first item\n- We will increase rate limits.\n\nLastly, we will upgrade mainnet later this year.\n\n- There will be no more polling.\n";
        let found = tasks(text);
        let texts: Vec<&str> = found.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "We will add monitoring for replica lag, so that we can route traffic early.",
                "We will increase rate limits."
            ]
        );
        assert_eq!((found[0].line, found[0].status), (6, TaskStatus::Open));
        // What is already in place is not a promise.
        let mechanisms = "# Risks\n\nWe have multiple mechanisms to avoid any risk to the funds:\n\n- The harvest is permissioned.\n";
        assert!(tasks(mechanisms).is_empty());
        // A file with a task section keeps only that one.
        let both = format!("{text}\n## Action items\n\n- Fix the alert\n");
        let texts: Vec<String> = tasks(&both).into_iter().map(|t| t.text).collect();
        assert_eq!(texts, ["Fix the alert"]);
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

    fn statuses(got: &[Task]) -> Vec<TaskStatus> {
        got.iter().map(|t| t.status).collect()
    }

    fn owners(got: &[Task]) -> Vec<Option<&str>> {
        got.iter().map(|t| t.owner.as_deref()).collect()
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
    fn a_singular_action_label_brings_one_task_with_its_list_as_detail() {
        let text = "## Reporting channels\n\nThe bounty page did not list the relay.\n\n**Action taken:**\n\nWe put the relay in the bounty scope. These parts are listed:\n\n- relay nodes\n- relay clients\n\nA paragraph about the section, not the task.\n\nAction point: set up a mailing list for operators.\n- This has been done.\n\n**Action planned:** We will page on reports marked critical,\nso that nobody misses them.\n";
        let got = tasks(text);
        let texts: Vec<&str> = got.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "We put the relay in the bounty scope. These parts are listed: relay nodes; relay clients",
                "set up a mailing list for operators.; This has been done.",
                "We will page on reports marked critical, so that nobody misses them.",
            ]
        );
        assert_eq!(
            statuses(&got),
            [TaskStatus::Done, TaskStatus::Done, TaskStatus::Open]
        );
        assert_eq!(got[1].line, 14);
    }

    #[test]
    fn a_list_right_under_a_singular_label_is_a_list_of_tasks() {
        let got = tasks("## Alerting\n\nNo alert fired.\n\n**Action planned:**\n\n- Alert on stalled blocks.\n- Alert on missed signatures.\n");
        assert_eq!(got.len(), 2);
    }

    #[test]
    fn the_heading_states_the_status_of_its_items() {
        let text = "## Channels\n\n**Actions taken:**\n\n1. Widen the alert window.\n2. Move the cron job off the shared host.\n\n**Actions planned:**\n\n1. Add a canary.\n2. Backups were restored by hand once; a schedule will follow.\n3. Publish the runbook (done)\n";
        let got = tasks(text);
        assert_eq!(
            statuses(&got),
            [
                TaskStatus::Done,
                TaskStatus::Done,
                TaskStatus::Open,
                TaskStatus::Open, // planned, whatever the tense
                TaskStatus::Done, // an item's own marker beats its heading
            ]
        );
        let got = tasks("## Remediation\n\n### Immediate actions (completed)\n\n- Raise the pool size\n\n### Next steps\n\n- Split the cache\n");
        assert_eq!(statuses(&got), [TaskStatus::Done, TaskStatus::Open]);
    }

    #[test]
    fn past_tense_with_any_verb_is_done_but_not_after_a_modal_or_in_a_relative_clause() {
        let text = "## Follow-ups\n\n- The leaked token has been revoked and replaced.\n- Extra tracing was introduced for the queue\n- We requested every maintainer rotate their keys.\n- We have for two years required signed commits.\n- We've published the incident process.\n- The runbook is now linked from the alert.\n- A canary would have detected the regression.\n- Revert the flag that was enabled for the migration.\n- We will be alerted when the queue grows.\n- If the cache was flushed, warm it again.\n- The cache has not been warmed.\n- We need to be told sooner.\n";
        let got = tasks(text);
        use TaskStatus::{Done, Open};
        assert_eq!(
            statuses(&got),
            [Done, Done, Done, Done, Done, Done, Open, Open, Open, Open, Open, Open]
        );
    }

    #[test]
    fn done_notes_struck_items_and_fixed_links() {
        let text = "## Follow-ups\n\n- Tune the dashboards. _done in grafana_.\n- Remove the script [FIXED](https://example.com/pr/1)\n- ~~Drop the legacy path~~\n- ~~Rewrite the proxy~~ won't do\n- Add a mailing list\n  - This has been done.\n- Make sure the migration gets done\n- ✅ Refund the affected teams\n- Raise the limit. Done.\n";
        let got = tasks(text);
        use TaskStatus::{Done, Open, WontDo};
        assert_eq!(
            statuses(&got),
            [Done, Done, Done, WontDo, Done, Open, Done, Done]
        );
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

    #[test]
    fn an_empty_action_items_heading_holds_its_component_subsections() {
        let text = "## Action Items\n\n### Gateway\n\n1. Add retries.\n2. Log timeouts.\n\n### Scheduler\n\n1. Fix the leak.\n\n### Conclusion\n\n- Overall the plan is sound.\n\n## Lessons\n\n- Keep the dashboards\n";
        let got = tasks(text);
        let texts: Vec<&str> = got.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(texts, ["Add retries.", "Log timeouts.", "Fix the leak."]);
        // A list that is not empty keeps to itself.
        let got = tasks(
            "## Action Items\n\n- Add retries.\n\n## Gateway\n\n- The pool is sized for peak.\n",
        );
        assert_eq!(got.len(), 1);
    }

    #[test]
    fn advice_to_readers_is_not_tasks() {
        let text = "## What should you do?\n\nOur recommendations are to:\n\n1. Check your lockfile.\n2. Clear your cache.\n\n## Follow-ups\n\n- Pin the build image.\n";
        let got = tasks(text);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].text, "Pin the build image.");
    }

    #[test]
    fn an_owner_written_first_when_the_file_names_them_elsewhere() {
        let text = "# Outage\n\n- Authors: Kestrel and Moth Works\n\n## Action items\n\n* Kestrel: Draft a proposal for faster votes\n* Kestrel + OPX: Find the source of the drift\n- [Kestrel] Review the block window\n- OPX to subscribe to vendor advisories\n- Kestrel will run the full suite\n- OPX check the upgrade tests\n- Moth Works: Publish the schedule\n\n## Timeline\n\n| Time | Actor | Event |\n|---|---|---|\n| 10:00 | OPX | Ships the build |\n";
        let got = tasks(text);
        assert_eq!(
            owners(&got),
            [
                Some("Kestrel"),
                Some("Kestrel + OPX"),
                Some("Kestrel"),
                Some("OPX"),
                Some("Kestrel"),
                Some("OPX"),
                Some("Moth Works"),
            ]
        );
        assert_eq!(got[0].text, "Draft a proposal for faster votes");
        assert_eq!(got[2].text, "Review the block window");
        assert_eq!(got[3].text, "OPX to subscribe to vendor advisories");
    }

    #[test]
    fn an_actor_named_by_a_human_verb_in_the_timeline() {
        let text = "## Timeline\n\n- 10:00 UTC: Lumen informs the validators.\n\n## Action items\n\n- Lumen to publish upgrade notes\n";
        assert_eq!(owners(&tasks(text)), [Some("Lumen")]);
    }

    #[test]
    fn category_labels_and_unknown_names_are_not_owners() {
        let text = "## Corrective measures\n\n- Automation: Write scripts to sync the replicas\n- Documentation: Document the failover\n- Training: Run a drill for the on-call team\n- Redis: Raise the memory limit\n- Zorblat: Tune the pool\n- CI: Add a smoke test\n\n## Timeline\n\n- 10:00 Redis restarts and Training begins\n- 10:05 CI confirms the build\n";
        let got = tasks(text);
        assert!(got.iter().all(|t| t.owner.is_none()), "{got:?}");
        assert_eq!(got[1].text, "Documentation: Document the failover");
    }

    #[test]
    fn a_table_is_read_by_column_and_never_from_code() {
        let text = "## Follow-ups\n\n| Task | Owner | Due | Status |\n|---|---|---|---|\n| Add a canary | jdoe | 2024-07-01 | Done |\n| Page on burn | TBD | July 15, 2024 | in progress |\n\n```\n| Task | Owner |\n|---|---|\n| Not a task | x |\n```\n";
        let got = tasks(text);
        assert_eq!(got.len(), 2);
        assert_eq!(owners(&got), [Some("jdoe"), None]);
        assert_eq!(got[0].due, date(2024, 7, 1));
        assert_eq!(got[1].due, date(2024, 7, 15));
        assert_eq!(statuses(&got), [TaskStatus::Done, TaskStatus::Open]);
    }
}
