//! `pmsite tasks` as a query on the task board: which tasks to list (by status and
//! owner) and how many of the owner's are overdue.

use crate::error::{Error, Result};
use crate::index::tasks::{BoardTask, Owner, TaskBoard, TaskGroup};
use crate::model::Archive;
use crate::render::task_exports::{task_records, TaskRecord};

/// Which tasks a list holds, by where they sit on the board (also `pmsite tasks
/// --status`, whose help the variants' comments are).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum StatusFilter {
    /// Not done and not dropped.
    Open,
    /// Open, with a due date before today.
    Overdue,
    /// Open, due within the due-soon window (14 days unless configured).
    DueSoon,
    /// Done.
    Done,
    /// Marked won't do.
    WontDo,
    /// Done or won't do.
    Closed,
    /// Every task.
    All,
}

impl StatusFilter {
    pub fn accepts(self, group: TaskGroup) -> bool {
        match self {
            StatusFilter::Open => group.is_open(),
            StatusFilter::Overdue => group == TaskGroup::Overdue,
            StatusFilter::DueSoon => group == TaskGroup::DueSoon,
            StatusFilter::Done => group == TaskGroup::Done,
            StatusFilter::WontDo => group == TaskGroup::WontDo,
            StatusFilter::Closed => !group.is_open(),
            StatusFilter::All => true,
        }
    }
}

/// A list of tasks to make from the board.
#[derive(Debug, Clone, Copy)]
pub struct TaskQuery<'q> {
    pub status: StatusFilter,
    /// Only this owner's tasks, under any spelling (`@alice`, `Alice`).
    pub owner: Option<&'q str>,
}

/// What a [`TaskQuery`] found.
#[derive(Debug)]
pub struct TaskList<'a> {
    /// The tasks listed, in board order.
    pub records: Vec<TaskRecord<'a>>,
    /// The owner asked for, when one was.
    pub owner: Option<&'a Owner>,
    /// Overdue tasks (of the owner, if one was asked for), whatever the status filter.
    pub overdue: usize,
}

impl TaskQuery<'_> {
    /// The board's tasks that match. An owner no task has is a usage error that names
    /// the owners there are.
    pub fn run<'a>(&self, archive: &'a Archive, board: &'a TaskBoard) -> Result<TaskList<'a>> {
        let owner = match self.owner {
            Some(name) => Some(
                board
                    .find_owner(name)
                    .ok_or_else(|| unknown_owner(name, board))?,
            ),
            None => None,
        };
        let of_owner = |t: &BoardTask| owner.is_none() || t.owner == owner;
        let records = task_records(archive, board, |t| {
            of_owner(t) && self.status.accepts(t.group)
        });
        let overdue = board
            .tasks
            .iter()
            .filter(|t| of_owner(t) && t.group == TaskGroup::Overdue)
            .count();
        Ok(TaskList {
            records,
            owner: owner.map(|o| &board.owners[o]),
            overdue,
        })
    }
}

fn unknown_owner(name: &str, board: &TaskBoard) -> Error {
    Error::UnknownOwner {
        owner: name.to_string(),
        owners: board.owners.iter().map(|o| o.name.clone()).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{parse_incident, ParseOptions};
    use chrono::NaiveDate;

    fn archive() -> Archive {
        let text = "---\nid: inc-1\ntitle: T\ndate: 2024-01-10\n---\n## Action items\n\n\
            - [ ] Add an alert. Owner: @alice. Due: 2024-03-01\n\
            - [ ] Page the team. Owner: Bob. Due: 2024-02-01\n\
            - [x] Roll back. Owner: @alice\n";
        Archive::new(vec![parse_incident("a.md", text, &ParseOptions::default())])
    }

    #[test]
    fn an_owner_under_any_spelling_gets_their_tasks_and_their_overdue_count() {
        let archive = archive();
        let board = TaskBoard::new(&archive, NaiveDate::from_ymd_opt(2024, 3, 4).unwrap(), 14);
        let query = TaskQuery {
            status: StatusFilter::All,
            owner: Some("Alice"),
        };
        let list = query.run(&archive, &board).unwrap();
        let texts: Vec<&str> = list.records.iter().map(|r| r.text.as_str()).collect();
        assert_eq!(texts, ["Add an alert.", "Roll back."]);
        assert_eq!(list.owner.map(|o| o.slug.as_str()), Some("alice"));
        assert_eq!(list.overdue, 1);

        let closed = TaskQuery {
            status: StatusFilter::Closed,
            owner: None,
        };
        let list = closed.run(&archive, &board).unwrap();
        assert_eq!(list.records.len(), 1);
        // Overdue counts every open task, whatever the status filter lists.
        assert_eq!(list.overdue, 2);
    }

    #[test]
    fn an_owner_no_task_has_is_an_error_naming_the_owners() {
        let archive = archive();
        let board = TaskBoard::new(&archive, NaiveDate::from_ymd_opt(2024, 3, 4).unwrap(), 14);
        let query = TaskQuery {
            status: StatusFilter::Open,
            owner: Some("carol"),
        };
        let error = query.run(&archive, &board).unwrap_err();
        assert_eq!(
            error.to_string(),
            "no task is owned by `carol`; owners: alice, Bob"
        );
    }
}
