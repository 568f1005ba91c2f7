//! `pmsite tasks`: the follow-up tasks of every postmortem as a table, JSON or CSV, with
//! a summary line under the table.

use std::io::Write;

use pmsite::index::task_query::TaskQuery;
use pmsite::index::tasks::TaskBoard;
use pmsite::render::task_exports::{tasks_csv, tasks_json};
use pmsite::{BuildOptions, Error};

use super::args::{TaskFormat, TasksArgs};
use super::site::load_site;
use super::table::task_table;
use super::Outcome;

pub fn run(args: TasksArgs) -> Result<Outcome, Error> {
    let (config, today, today_source) = load_site(&args.site)?;
    let due_soon_days = config.tasks.due_soon_days;
    let (archive, report) = pmsite::load_archive(&BuildOptions::new(config, today))?;
    // Warnings belong to `build` and `inspect`; an error means tasks may be missing.
    for diagnostic in report.diagnostics.iter().filter(|d| d.is_error()) {
        eprintln!("{diagnostic}");
    }
    let board = TaskBoard::new(&archive, today, due_soon_days);
    let query = TaskQuery {
        status: args.status,
        owner: args.owner.as_deref(),
    };
    let list = query.run(&archive, &board)?;
    let records = &list.records;
    let mut out = anstream::stdout();
    let written = match args.format {
        TaskFormat::Table => out.write_all(task_table(records).as_bytes()),
        TaskFormat::Json => out.write_all(&tasks_json(records, today, due_soon_days)),
        TaskFormat::Csv => out.write_all(&tasks_csv(records)),
    };
    if let Err(error) = written {
        // A closed pipe (`pmsite tasks | head`) is not a failure.
        if error.kind() != std::io::ErrorKind::BrokenPipe {
            return Err(Error::WriteList(error));
        }
    }
    if args.format == TaskFormat::Table {
        eprintln!(
            "pmsite: {} task{} listed; {} overdue{}; today is {today} ({today_source}){}",
            records.len(),
            if records.len() == 1 { "" } else { "s" },
            list.overdue,
            if list.owner.is_some() {
                " for this owner"
            } else {
                ""
            },
            if records.iter().any(|r| r.due_implied) {
                "; * marks a due date implied by the site's policy"
            } else {
                ""
            },
        );
    }
    Ok(Outcome::problems_if(
        report.errors() > 0 || (args.fail_on_overdue && list.overdue > 0),
    ))
}
