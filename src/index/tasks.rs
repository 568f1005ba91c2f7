//! The task board: every follow-up task across incidents, grouped by what needs doing
//! (overdue, due soon, later, no due date, done, won't do) and by owner. The dashboard
//! pages, the exports and `pmsite tasks` all read this one list, so they agree.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::diagnostic::{Code, Diagnostic};
use crate::model::slug::slugify;
use crate::model::{Archive, Incident, Task, TaskStatus};

/// Where a task sits on the board, in board order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskGroup {
    Overdue,
    DueSoon,
    Later,
    NoDueDate,
    Done,
    WontDo,
}

impl TaskGroup {
    pub const ALL: [TaskGroup; 6] = [
        TaskGroup::Overdue,
        TaskGroup::DueSoon,
        TaskGroup::Later,
        TaskGroup::NoDueDate,
        TaskGroup::Done,
        TaskGroup::WontDo,
    ];

    /// The group's anchor and its value in JSON, CSV and filters.
    pub fn key(self) -> &'static str {
        match self {
            TaskGroup::Overdue => "overdue",
            TaskGroup::DueSoon => "due_soon",
            TaskGroup::Later => "later",
            TaskGroup::NoDueDate => "no_due_date",
            TaskGroup::Done => "done",
            TaskGroup::WontDo => "wont_do",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            TaskGroup::Overdue => "Overdue",
            TaskGroup::DueSoon => "Due soon",
            TaskGroup::Later => "Later",
            TaskGroup::NoDueDate => "No due date",
            TaskGroup::Done => "Done",
            TaskGroup::WontDo => "Won't do",
        }
    }

    /// Open tasks: everything but done and won't do.
    pub fn is_open(self) -> bool {
        !matches!(self, TaskGroup::Done | TaskGroup::WontDo)
    }

    fn of(task: &Task, today: NaiveDate, soon_days: u32) -> TaskGroup {
        match (task.status, task.due_date()) {
            (TaskStatus::Done, _) => TaskGroup::Done,
            (TaskStatus::WontDo, _) => TaskGroup::WontDo,
            (TaskStatus::Open, None) => TaskGroup::NoDueDate,
            (TaskStatus::Open, Some(due)) if due < today => TaskGroup::Overdue,
            (TaskStatus::Open, Some(due)) if (due - today).num_days() <= i64::from(soon_days) => {
                TaskGroup::DueSoon
            }
            (TaskStatus::Open, Some(_)) => TaskGroup::Later,
        }
    }
}

/// One task on the board: where it lives in the archive and where it sits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoardTask {
    /// Position of the incident in the archive.
    pub incident: usize,
    /// Position of the task in the incident's list.
    pub task: usize,
    pub group: TaskGroup,
    /// Position in [`TaskBoard::owners`]; `None` when no owner is written.
    pub owner: Option<usize>,
    /// Days from today to the due date (negative when overdue); `None` without a due
    /// date or once the task is closed.
    pub days_left: Option<i64>,
}

/// Someone who owns tasks, under one spelling: `@alice`, `Alice` and `alice` are one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner {
    /// URL-safe and the identity: `alice`, `alice-smith`.
    pub slug: String,
    /// The spelling written most often; ties go to the first in sort order.
    pub name: String,
    pub open: usize,
    pub overdue: usize,
    pub total: usize,
}

#[derive(Debug, Clone)]
pub struct TaskBoard {
    pub today: NaiveDate,
    pub due_soon_days: u32,
    /// Every task, in board order: by group, then as [`TaskBoard::new`] describes.
    pub tasks: Vec<BoardTask>,
    /// Everyone who owns a task, by slug.
    pub owners: Vec<Owner>,
}

impl TaskBoard {
    /// Within a group, tasks with a due date come soonest first; the others (and closed
    /// tasks) come newest incident first, in document order. Incident order breaks ties.
    pub fn new(archive: &Archive, today: NaiveDate, due_soon_days: u32) -> Self {
        let owners = collect_owners(archive, today);
        let owner_position: BTreeMap<&str, usize> = owners
            .iter()
            .enumerate()
            .map(|(position, owner)| (owner.slug.as_str(), position))
            .collect();
        let mut tasks: Vec<BoardTask> = archive
            .incidents
            .iter()
            .enumerate()
            .flat_map(|(incident_position, incident)| {
                incident
                    .tasks
                    .iter()
                    .enumerate()
                    .map(move |(i, task)| (incident_position, i, task))
            })
            .map(|(incident, position, task)| {
                let group = TaskGroup::of(task, today, due_soon_days);
                BoardTask {
                    incident,
                    task: position,
                    group,
                    owner: owner_slug(task).map(|slug| owner_position[slug.as_str()]),
                    days_left: task
                        .due_date()
                        .filter(|_| group.is_open())
                        .map(|due| (due - today).num_days()),
                }
            })
            .collect();
        tasks.sort_by_key(|t| {
            let dated = matches!(
                t.group,
                TaskGroup::Overdue | TaskGroup::DueSoon | TaskGroup::Later
            );
            (t.group, t.days_left.filter(|_| dated), t.incident, t.task)
        });
        TaskBoard {
            today,
            due_soon_days,
            tasks,
            owners,
        }
    }

    pub fn task<'a>(&self, archive: &'a Archive, entry: &BoardTask) -> (&'a Incident, &'a Task) {
        let incident = &archive.incidents[entry.incident];
        (incident, &incident.tasks[entry.task])
    }

    pub fn count(&self, group: TaskGroup) -> usize {
        self.tasks.iter().filter(|t| t.group == group).count()
    }

    pub fn open(&self) -> usize {
        self.tasks.iter().filter(|t| t.group.is_open()).count()
    }

    /// The owner whose name or slug is `name` (`@Alice`, `alice`).
    pub fn find_owner(&self, name: &str) -> Option<usize> {
        let slug = slugify(name.trim_start_matches('@'));
        self.owners.iter().position(|o| o.slug == slug)
    }
}

/// Open tasks without an owner or a due date, and overdue ones, as diagnostics at the
/// task's line. They are opt-in (`[rules]`): most archives have many.
pub fn task_problems(archive: &Archive, board: &TaskBoard) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for entry in board.tasks.iter().filter(|t| t.group.is_open()) {
        let (incident, task) = board.task(archive, entry);
        let at =
            |code, message: String| Diagnostic::warning(&incident.source, task.line, code, message);
        if task.owner.is_none() {
            found.push(at(
                Code::TaskNoOwner,
                format!("task {} has no owner", task.number),
            ));
        }
        match (task.due_date(), entry.days_left) {
            (None, _) => found.push(at(
                Code::TaskNoDue,
                format!("task {} has no due date", task.number),
            )),
            (Some(due), Some(days)) if days < 0 => found.push(at(
                Code::TaskOverdue,
                format!(
                    "task {} was due {due}, {} day{} ago{}",
                    task.number,
                    -days,
                    if days == -1 { "" } else { "s" },
                    if task.due.is_none() {
                        " (implied by the due-date policy)"
                    } else {
                        ""
                    }
                ),
            )),
            _ => {}
        }
    }
    found
}

/// The task's owner as a slug, the identity that folds spellings together.
fn owner_slug(task: &Task) -> Option<String> {
    let owner = task.owner.as_deref()?.trim().trim_start_matches('@');
    (!owner.is_empty()).then(|| slugify(owner))
}

fn collect_owners(archive: &Archive, today: NaiveDate) -> Vec<Owner> {
    // slug -> (spelling -> times written), counts.
    let mut seen: BTreeMap<String, (BTreeMap<&str, usize>, Owner)> = BTreeMap::new();
    for task in archive.incidents.iter().flat_map(|i| &i.tasks) {
        let Some(slug) = owner_slug(task) else {
            continue;
        };
        let spelling = task
            .owner
            .as_deref()
            .unwrap_or_default()
            .trim()
            .trim_start_matches('@');
        let (spellings, owner) = seen.entry(slug.clone()).or_insert_with(|| {
            (
                BTreeMap::new(),
                Owner {
                    slug,
                    name: String::new(),
                    open: 0,
                    overdue: 0,
                    total: 0,
                },
            )
        });
        *spellings.entry(spelling).or_default() += 1;
        owner.total += 1;
        owner.open += usize::from(task.status == TaskStatus::Open);
        owner.overdue += usize::from(task.is_overdue(today));
    }
    seen.into_values()
        .map(|(spellings, mut owner)| {
            // Most written first; among equals the first in sort order ("Alice" < "alice").
            let mut best: Option<(&str, usize)> = None;
            for (spelling, count) in spellings {
                if best.is_none_or(|(_, most)| count > most) {
                    best = Some((spelling, count));
                }
            }
            owner.name = best.map(|(s, _)| s.to_string()).unwrap_or_default();
            owner
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{parse_incident, ParseOptions};

    fn board(today: &str) -> (Archive, TaskBoard) {
        let older = "---\ntitle: Older\ndate: 2024-01-10\n---\n## Action items\n\n\
            - [ ] Add an alert. Owner: @alice. Due: 2024-03-01\n\
            - [x] Roll back the change. Owner: Bob\n\
            - [ ] Write a runbook. Owner: alice\n";
        let newer = "---\ntitle: Newer\ndate: 2024-02-10\n---\n## Action items\n\n\
            - [ ] Add an index. Owner: Alice. Due: 2024-03-15\n\
            - [ ] Load test. Due: 2024-03-16\n\
            - [ ] Shard the table. Owner: Carol. Due: 2024-06-01\n\
            - Migrate the queue (won't do)\n";
        let archive = Archive::new(vec![
            parse_incident("older.md", older, &ParseOptions::default()),
            parse_incident("newer.md", newer, &ParseOptions::default()),
        ]);
        let today = NaiveDate::parse_from_str(today, "%Y-%m-%d").unwrap();
        let board = TaskBoard::new(&archive, today, 14);
        (archive, board)
    }

    fn rows(archive: &Archive, board: &TaskBoard) -> Vec<(TaskGroup, String)> {
        board
            .tasks
            .iter()
            .map(|t| {
                let (_, task) = board.task(archive, t);
                (t.group, task.text.clone())
            })
            .collect()
    }

    #[test]
    fn tasks_are_grouped_and_ordered_deterministically() {
        let (archive, board) = board("2024-03-02");
        let found = rows(&archive, &board);
        let expected = [
            (TaskGroup::Overdue, "Add an alert."),
            (TaskGroup::DueSoon, "Add an index."),
            (TaskGroup::DueSoon, "Load test."),
            (TaskGroup::Later, "Shard the table."),
            (TaskGroup::NoDueDate, "Write a runbook."),
            (TaskGroup::Done, "Roll back the change."),
            (TaskGroup::WontDo, "Migrate the queue"),
        ];
        let found: Vec<(TaskGroup, &str)> = found.iter().map(|(g, t)| (*g, t.as_str())).collect();
        assert_eq!(found, expected);
        assert_eq!(board.tasks[0].days_left, Some(-1));
    }

    #[test]
    fn the_due_soon_window_includes_its_last_day() {
        // "Load test." is due 2024-03-16, 14 days after 2024-03-02.
        let load_test = |today: &str, soon_days: u32| {
            let (archive, board) = board_at(today, soon_days);
            let found = board
                .tasks
                .iter()
                .find(|t| board.task(&archive, t).1.text == "Load test.")
                .cloned()
                .unwrap();
            (found.group, found.days_left)
        };
        assert_eq!(load_test("2024-03-02", 14), (TaskGroup::DueSoon, Some(14)));
        assert_eq!(load_test("2024-03-01", 14), (TaskGroup::Later, Some(15)));
        assert_eq!(load_test("2024-03-02", 13), (TaskGroup::Later, Some(14)));
        assert_eq!(load_test("2024-03-16", 14), (TaskGroup::DueSoon, Some(0)));
        assert_eq!(load_test("2024-03-17", 14), (TaskGroup::Overdue, Some(-1)));
    }

    fn board_at(today: &str, soon_days: u32) -> (Archive, TaskBoard) {
        let (archive, _) = board(today);
        let today = NaiveDate::parse_from_str(today, "%Y-%m-%d").unwrap();
        let board = TaskBoard::new(&archive, today, soon_days);
        (archive, board)
    }

    #[test]
    fn task_problems_name_the_task_and_its_line() {
        let (archive, board) = board("2024-03-02");
        let found: Vec<(String, usize, Code, String)> = task_problems(&archive, &board)
            .into_iter()
            .map(|d| (d.path, d.line, d.code, d.message))
            .collect();
        assert!(
            found.contains(&(
                "older.md".to_string(),
                7,
                Code::TaskOverdue,
                "task 1 was due 2024-03-01, 1 day ago".to_string()
            )),
            "{found:?}"
        );
        assert!(
            found
                .iter()
                .any(|(_, _, code, m)| *code == Code::TaskNoOwner && m == "task 2 has no owner"),
            "{found:?}"
        );
        assert!(
            found
                .iter()
                .any(|(_, _, code, m)| *code == Code::TaskNoDue && m == "task 3 has no due date"),
            "{found:?}"
        );
        // Closed tasks are never reported.
        assert!(
            !found.iter().any(|(_, _, _, m)| m.contains("task 4 ")),
            "{found:?}"
        );
    }

    #[test]
    fn owners_spelled_differently_are_one_person() {
        let (_, board) = board("2024-03-02");
        let owners: Vec<(&str, &str, usize, usize, usize)> = board
            .owners
            .iter()
            .map(|o| (o.slug.as_str(), o.name.as_str(), o.total, o.open, o.overdue))
            .collect();
        assert_eq!(
            owners,
            [
                ("alice", "alice", 3, 3, 1), // `@alice` and `alice` outnumber `Alice`
                ("bob", "Bob", 1, 0, 0),
                ("carol", "Carol", 1, 1, 0),
            ]
        );
        assert_eq!(board.find_owner("@ALICE"), Some(0));
        assert_eq!(board.find_owner("dave"), None);
    }
}
