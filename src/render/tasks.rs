//! The task dashboard: `/tasks/` (every task, grouped by what needs doing, with filters
//! that run in the browser), `/tasks/owners/` and a page per owner, and the exports.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::Datelike;
use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use super::indexes::ROOT;
use super::markdown::{Markdown, RawHtml};
use super::task_exports::{self, CalendarSite, TaskRecord};
use super::theme::Theme;
use super::views::{
    incident_folder, link_views, service_links, tag_views, LinkView, TagView, TermLink,
};
use super::{FileContent, LinkStyle, PageContext, RenderSettings, SiteSink};
use crate::error::Result;
use crate::index::tasks::{BoardTask, Owner, TaskBoard, TaskGroup};
use crate::model::moment::{iso_date, short_date};
use crate::model::slug::slugify;
use crate::model::Archive;

/// One task as a row of the dashboard (`task-row.html`).
#[derive(Debug, Serialize)]
struct TaskRowView<'a> {
    /// `<incident-id>/task-N`.
    id: String,
    /// The row's own anchor on the dashboard: `inc-7--task-2`.
    anchor: String,
    /// Site-relative link to the task on its incident page.
    path: String,
    html: String,
    owner: Option<OwnerLink<'a>>,
    due: Option<String>,
    due_display: Option<String>,
    due_implied: bool,
    /// Negative when overdue.
    days_left: Option<i64>,
    status: &'static str,
    status_label: &'static str,
    group: &'static str,
    incident_title: &'a str,
    incident_path: String,
    incident_date: Option<String>,
    year: Option<i32>,
    tags: Vec<TagView>,
    services: Vec<TermLink>,
    links: Vec<LinkView>,
    /// For the browser filters: slugs separated by spaces.
    filter_tags: String,
    filter_services: String,
}

#[derive(Debug, Serialize)]
struct OwnerLink<'a> {
    name: &'a str,
    slug: &'a str,
    path: String,
}

#[derive(Debug, Serialize)]
struct GroupView {
    key: &'static str,
    title: &'static str,
    count: usize,
    /// Done and won't do start folded away.
    collapsed: bool,
    rows_html: String,
}

#[derive(Debug, Serialize)]
struct OwnerView<'a> {
    name: &'a str,
    slug: &'a str,
    path: String,
    open: usize,
    overdue: usize,
    total: usize,
}

/// A choice in a filter menu.
#[derive(Debug, Serialize)]
struct Choice {
    value: String,
    label: String,
    count: usize,
}

#[derive(Debug, Serialize)]
struct Filters {
    owners: Vec<Choice>,
    tags: Vec<Choice>,
    services: Vec<Choice>,
    years: Vec<Choice>,
}

#[derive(Debug, Serialize)]
struct BoardView<'a> {
    /// `None` on the dashboard, the owner on their page.
    owner: Option<OwnerView<'a>>,
    total: usize,
    open: usize,
    overdue: usize,
    due_soon: usize,
    due_soon_days: u32,
    groups: Vec<GroupView>,
    filters: Filters,
    /// The dashboard lists every owner; an owner's page does not.
    owners: Vec<OwnerView<'a>>,
    /// Links to the exports, site-relative.
    exports: [(&'static str, &'static str); 3],
}

/// Renders `/tasks/`, `/tasks/owners/`, each owner's page and the three exports.
pub fn render_tasks(
    archive: &Archive,
    board: &TaskBoard,
    settings: &RenderSettings,
    theme: &Theme,
    context: &PageContext,
    row_cache: Option<&mut TaskRowCache>,
    out: &dyn SiteSink,
) -> Result<()> {
    let (links, site_title, raw_html) = (&settings.links, &settings.title, settings.raw_html);
    // A task appears on the dashboard and on its owner's page: its row is rendered once,
    // or taken from the last build when its view is the same.
    let rendered: Vec<(u64, Arc<str>)> = board
        .tasks
        .par_iter()
        .map(|entry| {
            let view = row_view(archive, board, entry, links, raw_html);
            let key = row_cache.as_ref().map_or(0, |_| {
                crate::cache::digest(&serde_json::to_vec(&view).unwrap_or_default())
            });
            if let Some(row) = row_cache.as_ref().and_then(|c| c.rows.get(&key)) {
                return Ok((key, Arc::clone(row)));
            }
            let mut context = Context::new();
            context.insert("task", &view);
            context.insert("root", ROOT);
            Ok((key, Arc::from(theme.render("task-row.html", &context)?)))
        })
        .collect::<Result<_>>()?;
    if let Some(cache) = row_cache {
        cache.rows = rendered.iter().cloned().collect();
    }
    let rows: Vec<Arc<str>> = rendered.into_iter().map(|(_, row)| row).collect();
    let owner_views: Vec<OwnerView> = board
        .owners
        .iter()
        .map(|owner| owner_view(owner, links))
        .collect();

    // Each task sits on the dashboard and on at most one owner's page: one pass sorts
    // them out, so owner pages cost what their tasks do, however many owners there are.
    let everyone: Vec<usize> = (0..board.tasks.len()).collect();
    let mut by_owner: Vec<Vec<usize>> = vec![Vec::new(); board.owners.len()];
    for (position, task) in board.tasks.iter().enumerate() {
        if let Some(owner) = task.owner {
            by_owner[owner].push(position);
        }
    }
    let board_page =
        |folder: String, title: &str, owner: Option<usize>, positions: &[usize]| -> Result<()> {
            let depth = folder.matches('/').count();
            let view = board_view(archive, board, positions, &rows, links, depth, owner);
            let mut page = context.page(depth, "tasks", title, links.page(&folder));
            page.insert("board", &view);
            page.insert("dashboard_path", &links.page("tasks/"));
            page.insert("owners_path", &links.page("tasks/owners/"));
            let html = theme.render("tasks.html", &page)?;
            out.put(
                format!("{folder}index.html"),
                FileContent::Bytes(html.into_bytes()),
            )
        };
    board_page("tasks/".to_string(), "Tasks", None, &everyone)?;
    board
        .owners
        .par_iter()
        .zip(&by_owner)
        .enumerate()
        .try_for_each(|(position, (owner, positions))| {
            let title = format!("Tasks owned by {}", owner.name);
            board_page(owner_folder(&owner.slug), &title, Some(position), positions)
        })?;
    drop(rows);

    let mut owners_page = context.page(2, "tasks", "Task owners", links.page("tasks/owners/"));
    owners_page.insert("owners", &owner_views);
    owners_page.insert("dashboard_path", &links.page("tasks/"));
    out.put(
        "tasks/owners/index.html".to_string(),
        FileContent::Bytes(theme.render("task-owners.html", &owners_page)?.into_bytes()),
    )?;

    let records: Vec<TaskRecord> = task_exports::task_records(archive, board, |_| true);
    out.put(
        "tasks.json".to_string(),
        FileContent::Bytes(task_exports::tasks_json(
            &records,
            board.today,
            board.due_soon_days,
        )),
    )?;
    out.put(
        "tasks.csv".to_string(),
        FileContent::Bytes(task_exports::tasks_csv(&records)),
    )?;
    let base_url = match links {
        LinkStyle::Absolute { base_url } => Some(base_url.as_str()),
        LinkStyle::Relative => None,
    };
    let calendar = CalendarSite {
        title: site_title,
        base_url,
    };
    out.put(
        "tasks.ics".to_string(),
        FileContent::Bytes(task_exports::tasks_ics(&records, &calendar, board.today)),
    )
}

/// Task rows by the hash of their view, kept from one build for the next.
#[derive(Debug, Default)]
pub struct TaskRowCache {
    rows: std::collections::HashMap<u64, Arc<str>>,
}

/// `tasks/owners/<slug>/`.
pub fn owner_folder(slug: &str) -> String {
    format!("tasks/owners/{slug}/")
}

fn owner_view<'a>(owner: &'a Owner, links: &LinkStyle) -> OwnerView<'a> {
    OwnerView {
        name: &owner.name,
        slug: &owner.slug,
        path: links.page(&owner_folder(&owner.slug)),
        open: owner.open,
        overdue: owner.overdue,
        total: owner.total,
    }
}

fn row_view<'a>(
    archive: &'a Archive,
    board: &'a TaskBoard,
    entry: &BoardTask,
    links: &LinkStyle,
    raw_html: RawHtml,
) -> TaskRowView<'a> {
    let (incident, task) = board.task(archive, entry);
    let incident_path = links.page(&incident_folder(&incident.id));
    let tags = tag_views(incident, links);
    let services = service_links(incident, links);
    TaskRowView {
        id: format!("{}/task-{}", incident.id, task.number),
        anchor: format!("{}--task-{}", incident.id, task.number),
        path: format!("{incident_path}#task-{}", task.number),
        html: Markdown::unlinked(raw_html).inline(&task.text),
        owner: entry.owner.map(|o| {
            let owner = &board.owners[o];
            OwnerLink {
                name: &owner.name,
                slug: &owner.slug,
                path: links.page(&owner_folder(&owner.slug)),
            }
        }),
        due: task.due_date().map(iso_date),
        due_display: task.due_date().map(short_date),
        due_implied: task.due.is_none() && task.implied_due.is_some(),
        days_left: entry.days_left,
        status: task_exports::status_key(task.status),
        status_label: task.status.label(),
        group: entry.group.key(),
        incident_title: &incident.title,
        incident_path,
        incident_date: incident.date().map(short_date),
        year: incident.date().map(|d| d.year()),
        filter_tags: join_slugs(incident.tags.iter().map(|t| t.name.as_str())),
        filter_services: join_slugs(incident.services.iter().map(String::as_str)),
        tags,
        services,
        links: link_views(&task.links),
    }
}

fn join_slugs<'a>(names: impl Iterator<Item = &'a str>) -> String {
    names.map(slugify).collect::<Vec<_>>().join(" ")
}

fn board_view<'a>(
    archive: &Archive,
    board: &'a TaskBoard,
    positions: &[usize],
    rows: &[Arc<str>],
    links: &LinkStyle,
    depth: usize,
    owner: Option<usize>,
) -> BoardView<'a> {
    let root = links.root(depth);
    let groups = TaskGroup::ALL
        .iter()
        .map(|&group| {
            let members: Vec<usize> = positions
                .iter()
                .copied()
                .filter(|&i| board.tasks[i].group == group)
                .collect();
            GroupView {
                key: group.key(),
                title: group.title(),
                count: members.len(),
                collapsed: !group.is_open(),
                rows_html: members
                    .iter()
                    .map(|&i| &*rows[i])
                    .collect::<String>()
                    .replace(ROOT, &root),
            }
        })
        .collect();
    let count = |group| {
        positions
            .iter()
            .filter(|&&i| board.tasks[i].group == group)
            .count()
    };
    BoardView {
        owner: owner.map(|o| owner_view(&board.owners[o], links)),
        total: positions.len(),
        open: positions
            .iter()
            .filter(|&&i| board.tasks[i].group.is_open())
            .count(),
        overdue: count(TaskGroup::Overdue),
        due_soon: count(TaskGroup::DueSoon),
        due_soon_days: board.due_soon_days,
        groups,
        filters: filters(archive, board, positions),
        owners: if owner.is_none() {
            board.owners.iter().map(|o| owner_view(o, links)).collect()
        } else {
            Vec::new()
        },
        exports: [
            ("JSON", "tasks.json"),
            ("CSV", "tasks.csv"),
            ("Calendar (.ics)", "tasks.ics"),
        ],
    }
}

/// The filter menus, with the tasks each choice holds; only choices some task has.
fn filters(archive: &Archive, board: &TaskBoard, positions: &[usize]) -> Filters {
    let mut owners: BTreeMap<usize, usize> = BTreeMap::new();
    let mut tags: BTreeMap<String, (String, usize)> = BTreeMap::new();
    let mut services: BTreeMap<String, (String, usize)> = BTreeMap::new();
    let mut years: BTreeMap<i32, usize> = BTreeMap::new();
    for &position in positions {
        let entry = &board.tasks[position];
        let incident = &archive.incidents[entry.incident];
        if let Some(owner) = entry.owner {
            *owners.entry(owner).or_default() += 1;
        }
        for tag in &incident.tags {
            tags.entry(slugify(&tag.name))
                .or_insert_with(|| (tag.name.clone(), 0))
                .1 += 1;
        }
        for service in &incident.services {
            services
                .entry(slugify(service))
                .or_insert_with(|| (service.clone(), 0))
                .1 += 1;
        }
        if let Some(date) = incident.date() {
            *years.entry(date.year()).or_default() += 1;
        }
    }
    let named = |map: BTreeMap<String, (String, usize)>| {
        map.into_iter()
            .map(|(value, (label, count))| Choice {
                value,
                label,
                count,
            })
            .collect()
    };
    Filters {
        owners: owners
            .into_iter()
            .map(|(o, count)| Choice {
                value: board.owners[o].slug.clone(),
                label: board.owners[o].name.clone(),
                count,
            })
            .collect(),
        tags: named(tags),
        services: named(services),
        years: years
            .into_iter()
            .rev()
            .map(|(year, count)| Choice {
                value: year.to_string(),
                label: year.to_string(),
                count,
            })
            .collect(),
    }
}
