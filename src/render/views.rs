//! What templates see. These structs are the theme contract documented in the user
//! guide: the model can change without breaking themes. Links are site-relative paths;
//! templates put `root` (the way back to the site root from the current page) before them.

use chrono::NaiveDate;
use serde::Serialize;

use super::markdown::Markdown;
use crate::diagnostic::Diagnostic;
use crate::index::{normalize_severity, TaxonomyKind};
use crate::model::moment::format_minutes;
use crate::model::moment::{offset_name, Moment};
use crate::model::slug::slugify;
use crate::model::{Fact, Incident, Task, TaskStatus, TimelineEntry};

/// How links are written: relative with `index.html` (works from disk), or under a base URL.
#[derive(Debug, Clone)]
pub enum LinkStyle {
    Relative,
    Absolute { base_url: String },
}

impl LinkStyle {
    /// A folder page (`incidents/x/`) as a link target.
    pub fn page(&self, folder: &str) -> String {
        match self {
            LinkStyle::Relative => format!("{folder}index.html"),
            LinkStyle::Absolute { .. } => folder.to_string(),
        }
    }

    /// The prefix that leads from a page `depth` folders deep back to the site root.
    pub fn root(&self, depth: usize) -> String {
        match self {
            LinkStyle::Relative => "../".repeat(depth),
            LinkStyle::Absolute { base_url } => base_url.clone(),
        }
    }
}

/// Facts about the whole site, on every page.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub title: String,
    pub description: String,
    /// Empty when links are relative.
    pub base_url: String,
    /// The date overdue tasks are judged against, `YYYY-MM-DD`.
    pub today: String,
    pub version: &'static str,
    /// Link to the home page, site-relative.
    pub home: String,
    pub stylesheet: String,
    /// The search index's manifest, site-relative; loaded when the search box is used.
    /// Empty when search is off.
    pub search_manifest: String,
    /// Link to the search page.
    pub search_page: String,
    /// The site's sections for the header: Incidents, Tags, Services, Severity, Years.
    pub nav: Vec<NavLink>,
}

#[derive(Debug, Clone, Serialize)]
pub struct NavLink {
    pub title: &'static str,
    pub path: String,
    /// The `page.kind`s that belong to this section, for `aria-current`.
    pub kind: &'static str,
}

/// A point in time for display.
#[derive(Debug, Clone, Serialize)]
pub struct MomentView {
    /// ISO 8601 (date, date-time, with offset only when stated); `None` without a date.
    pub iso: Option<String>,
    /// "June 7, 2024, 10:30 UTC".
    pub display: String,
    /// The parts of `display`: "June 7, 2024" and "10:30 UTC" (either may be empty).
    pub date_text: String,
    pub time_text: String,
    pub line: usize,
}

impl MomentView {
    fn new(fact: &Fact<Moment>) -> Self {
        let moment = fact.value;
        let date_text = moment
            .date
            .map(crate::model::moment::long_date)
            .unwrap_or_default();
        let time_text = Moment {
            date: None,
            ..moment
        }
        .display();
        MomentView {
            iso: moment.iso(),
            display: moment.display(),
            date_text,
            time_text,
            line: fact.line,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct TagView {
    pub name: String,
    pub inferred: bool,
    /// Site-relative link to the tag's page.
    pub path: String,
}

/// A value of a taxonomy with the link to its page: a service, a severity.
#[derive(Debug, Clone, Serialize)]
pub struct TermLink {
    pub name: String,
    pub path: String,
}

impl TermLink {
    fn new(kind: TaxonomyKind, name: &str, links: &LinkStyle) -> Self {
        TermLink {
            name: name.to_string(),
            path: term_path(kind, name, links),
        }
    }
}

/// The link to a term's first page, `tags/database/`.
pub fn term_path(kind: TaxonomyKind, name: &str, links: &LinkStyle) -> String {
    let name = if kind == TaxonomyKind::Severity {
        normalize_severity(name)
    } else {
        name.to_string()
    };
    links.page(&format!("{}/{}/", kind.folder(), slugify(&name)))
}

/// One incident in a list (home page, later indexes).
#[derive(Debug, Clone, Serialize)]
pub struct IncidentSummaryView {
    pub id: String,
    pub title: String,
    /// Site-relative link to the incident page.
    pub path: String,
    /// `YYYY-MM-DD`, or `None` when the date is unknown.
    pub date: Option<String>,
    pub date_display: Option<String>,
    pub duration: Option<String>,
    pub severity: Option<String>,
    pub services: Vec<String>,
    /// The services with links to their pages.
    pub service_links: Vec<TermLink>,
    /// The severity with a link to its page.
    pub severity_link: Option<TermLink>,
    pub tags: Vec<TagView>,
    pub impact: Option<String>,
    pub open_tasks: usize,
    pub overdue_tasks: usize,
    pub total_tasks: usize,
}

impl IncidentSummaryView {
    pub fn new(incident: &Incident, links: &LinkStyle, today: NaiveDate) -> Self {
        IncidentSummaryView {
            id: incident.id.clone(),
            title: incident.title.clone(),
            path: links.page(&incident_folder(&incident.id)),
            date: incident.date().map(crate::model::moment::iso_date),
            date_display: incident.date().map(crate::model::moment::short_date),
            duration: incident.duration_minutes.map(format_minutes),
            severity: incident.severity.clone(),
            services: incident.services.clone(),
            service_links: service_links(incident, links),
            severity_link: incident
                .severity
                .as_deref()
                .map(|s| TermLink::new(TaxonomyKind::Severity, s, links)),
            tags: tag_views(incident, links),
            impact: incident.impact.as_ref().map(|i| i.summary.clone()),
            open_tasks: incident.open_tasks(),
            overdue_tasks: incident.overdue_tasks(today),
            total_tasks: incident.tasks.len(),
        }
    }
}

/// `incidents/<id>/`: the folder of an incident's page.
pub fn incident_folder(id: &str) -> String {
    format!("incidents/{id}/")
}

pub(crate) fn tag_views(incident: &Incident, links: &LinkStyle) -> Vec<TagView> {
    incident
        .tags
        .iter()
        .map(|t| TagView {
            name: t.name.clone(),
            inferred: t.inferred,
            path: term_path(TaxonomyKind::Tags, &t.name, links),
        })
        .collect()
}

pub(crate) fn service_links(incident: &Incident, links: &LinkStyle) -> Vec<TermLink> {
    incident
        .services
        .iter()
        .map(|s| TermLink::new(TaxonomyKind::Services, s, links))
        .collect()
}

/// Everything the incident page shows.
#[derive(Debug, Clone, Serialize)]
pub struct IncidentView {
    pub id: String,
    pub title: String,
    /// The stable address to share: base URL + `incidents/<id>/`, or `/incidents/<id>/`.
    pub permalink: String,
    /// One line for link previews and feeds: the impact, then the root cause.
    pub description: String,
    /// The start, RFC 3339 (`2024-06-07T10:30:00Z`), for `article:published_time`.
    pub published: Option<String>,
    pub path: String,
    /// Path of the postmortem in the content folder.
    pub source: String,
    /// Link to the source, complete (use it without `root`): the site's copy beside
    /// the page (`source.txt`), or the `source_url` from the config.
    pub source_href: String,
    pub facts: FactsView,
    pub summary: Option<String>,
    pub timeline: Vec<TimelineEntryView>,
    pub tasks: Vec<TaskView>,
    pub sections: Vec<SectionView>,
    pub diagnostics: Vec<DiagnosticView>,
    pub open_tasks: usize,
    pub overdue_tasks: usize,
    /// The few incidents sharing the most (and rarest) tags and services, best first.
    pub related: Vec<RelatedView>,
    /// The incidents that mention this one (by id or a link to its page), newest first.
    pub referenced_by: Vec<RelatedView>,
}

/// An incident in the "related incidents" list.
#[derive(Debug, Clone, Serialize)]
pub struct RelatedView {
    pub title: String,
    pub path: String,
    pub date: Option<String>,
    pub tags: Vec<TagView>,
}

impl RelatedView {
    pub fn new(incident: &Incident, links: &LinkStyle) -> Self {
        RelatedView {
            title: incident.title.clone(),
            path: links.page(&incident_folder(&incident.id)),
            date: incident.date().map(crate::model::moment::iso_date),
            tags: tag_views(incident, links),
        }
    }
}

/// The facts header. `None` means unknown: templates say so rather than leave a blank.
#[derive(Debug, Clone, Serialize)]
pub struct FactsView {
    pub start: Option<MomentView>,
    pub end: Option<MomentView>,
    pub duration: Option<String>,
    pub duration_minutes: Option<i64>,
    /// Start to the timeline entry that says the problem was noticed: "12 min".
    pub time_to_detect: Option<String>,
    /// Start to service restored: "40 min".
    pub time_to_resolve: Option<String>,
    /// "UTC", "UTC+03:00".
    pub timezone: String,
    /// True when the file stated no zone and the site default was used.
    pub timezone_assumed: bool,
    pub severity: Option<String>,
    pub services: Vec<String>,
    /// The services with links to their pages.
    pub service_links: Vec<TermLink>,
    /// The severity with a link to its page.
    pub severity_link: Option<TermLink>,
    pub tags: Vec<TagView>,
    pub impact: Option<String>,
    pub users_percent: Option<f64>,
    pub money: Vec<String>,
    pub root_cause: Option<String>,
    pub trigger: Option<String>,
    pub resolution: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TimelineEntryView {
    /// `t-1`, `t-2`, ... in document order.
    pub anchor: String,
    pub iso: Option<String>,
    /// "10:30" or "10:30 UTC".
    pub time: String,
    /// "10:30", empty when the entry has no time.
    pub hm: String,
    /// "UTC+02:00" when the entry's zone differs from the incident's, else `None`.
    pub zone: Option<String>,
    /// "June 7, 2024" on the first entry and whenever the day changes, else `None`.
    pub day: Option<String>,
    pub html: String,
    pub line: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct TaskView {
    /// `task-1`, ...
    pub anchor: String,
    /// `<incident-id>/task-1`: stable across builds.
    pub id: String,
    pub number: usize,
    pub html: String,
    pub owner: Option<String>,
    /// The due date written, else the implied one, `YYYY-MM-DD`.
    pub due: Option<String>,
    /// True when `due` comes from the site's due-date policy, not from the file.
    pub due_implied: bool,
    /// `open`, `done` or `wont_do`.
    pub status: TaskStatus,
    pub status_label: &'static str,
    pub overdue: bool,
    /// Days past due (overdue) or left (open, not overdue).
    pub days: Option<i64>,
    pub links: Vec<LinkView>,
    pub line: usize,
}

/// A task's URLs and tracker keys: URLs become links, keys stay text.
pub(crate) fn link_views(links: &[String]) -> Vec<LinkView> {
    links
        .iter()
        .map(|link| LinkView {
            text: link.clone(),
            href: link.starts_with("http").then(|| link.clone()),
        })
        .collect()
}

#[derive(Debug, Clone, Serialize)]
pub struct LinkView {
    pub text: String,
    /// `None` for tracker references pmsite cannot resolve to a URL (`OPS-221`).
    pub href: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SectionView {
    pub anchor: String,
    /// `None` for the text before the first heading.
    pub title: Option<String>,
    /// `summary`, `impact`, `root_cause`, `timeline`, `tasks`, ..., `other`.
    pub kind: &'static str,
    /// 2 for a top-level section, 3 or 4 for its parts.
    pub heading_level: u8,
    pub html: String,
    /// `timeline` or `tasks` when the page shows the extracted list here; the text as
    /// written is then `html`, for a collapsed "as written" view.
    pub replaced_by: Option<&'static str>,
    /// True when this section's text also appears, extracted, in a list above it.
    pub extracted: bool,
    pub line: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct DiagnosticView {
    pub line: usize,
    pub severity: String,
    pub message: String,
}

impl DiagnosticView {
    fn new(d: &Diagnostic) -> Self {
        DiagnosticView {
            line: d.line,
            severity: d.severity.to_string(),
            message: d.message.clone(),
        }
    }
}

impl IncidentView {
    pub fn new(
        incident: &Incident,
        links: &LinkStyle,
        today: NaiveDate,
        source_url: &str,
        markdown: Markdown,
    ) -> Self {
        let folder = incident_folder(&incident.id);
        let permalink = match links {
            LinkStyle::Relative => format!("/{folder}"),
            LinkStyle::Absolute { base_url } => format!("{base_url}{folder}"),
        };
        let source_href = if source_url.is_empty() {
            "source.txt".to_string()
        } else {
            source_url.replace("{path}", &incident.source)
        };
        IncidentView {
            id: incident.id.clone(),
            title: incident.title.clone(),
            permalink,
            description: super::feeds::description(incident),
            published: super::feeds::published(incident),
            path: links.page(&folder),
            source: incident.source.clone(),
            source_href,
            facts: facts_view(incident, links),
            summary: incident.summary.clone(),
            timeline: timeline_views(markdown, &incident.timeline, incident.timezone),
            tasks: incident
                .tasks
                .iter()
                .map(|t| task_view(&incident.id, t, today, markdown))
                .collect(),
            sections: section_views(incident, markdown),
            diagnostics: incident
                .diagnostics
                .iter()
                .map(DiagnosticView::new)
                .collect(),
            open_tasks: incident.open_tasks(),
            overdue_tasks: incident.overdue_tasks(today),
            related: Vec::new(),
            referenced_by: Vec::new(),
        }
    }
}

fn facts_view(incident: &Incident, links: &LinkStyle) -> FactsView {
    FactsView {
        start: incident.start.as_ref().map(MomentView::new),
        end: incident.end.as_ref().map(MomentView::new),
        duration: incident.duration_minutes.map(format_minutes),
        duration_minutes: incident.duration_minutes,
        time_to_detect: incident.time_to_detect_minutes.map(format_minutes),
        time_to_resolve: incident.time_to_resolve_minutes.map(format_minutes),
        timezone: offset_name(incident.timezone),
        timezone_assumed: incident.timezone_assumed,
        severity: incident.severity.clone(),
        services: incident.services.clone(),
        service_links: service_links(incident, links),
        severity_link: incident
            .severity
            .as_deref()
            .map(|s| TermLink::new(TaxonomyKind::Severity, s, links)),
        tags: tag_views(incident, links),
        impact: incident.impact.as_ref().map(|i| i.summary.clone()),
        users_percent: incident.impact.as_ref().and_then(|i| i.users_percent),
        money: incident
            .impact
            .as_ref()
            .map(|i| i.money.clone())
            .unwrap_or_default(),
        root_cause: incident.root_cause.as_ref().map(|r| r.summary.clone()),
        trigger: incident.trigger.clone(),
        resolution: incident.resolution.clone(),
    }
}

fn timeline_views(
    markdown: Markdown,
    entries: &[TimelineEntry],
    incident_zone: chrono::FixedOffset,
) -> Vec<TimelineEntryView> {
    let mut previous_day = None;
    entries
        .iter()
        .enumerate()
        .map(|(i, entry)| {
            let day = entry
                .at
                .date
                .filter(|d| Some(*d) != previous_day)
                .map(crate::model::moment::long_date);
            previous_day = entry.at.date.or(previous_day);
            let time = match entry.at.time {
                Some(time) => {
                    let mut text = crate::model::moment::hour_minute(time);
                    if let Some(offset) = entry.at.offset {
                        text.push(' ');
                        text.push_str(&offset_name(offset));
                    }
                    text
                }
                None => String::new(),
            };
            TimelineEntryView {
                anchor: format!("t-{}", i + 1),
                iso: entry.at.iso(),
                time,
                hm: entry
                    .at
                    .time
                    .map(crate::model::moment::hour_minute)
                    .unwrap_or_default(),
                zone: entry
                    .at
                    .offset
                    .filter(|o| *o != incident_zone)
                    .map(offset_name),
                day,
                html: markdown.inline(&entry.text),
                line: entry.line,
            }
        })
        .collect()
}

fn task_view(incident_id: &str, task: &Task, today: NaiveDate, markdown: Markdown) -> TaskView {
    let overdue = task.is_overdue(today);
    let days = task
        .due_date()
        .filter(|_| task.status == TaskStatus::Open)
        .map(|due| (today - due).num_days().abs());
    TaskView {
        anchor: format!("task-{}", task.number),
        id: format!("{incident_id}/task-{}", task.number),
        number: task.number,
        html: markdown.inline(&task.text),
        owner: task.owner.clone(),
        due: task.due_date().map(crate::model::moment::iso_date),
        due_implied: task.due.is_none() && task.implied_due.is_some(),
        status: task.status,
        status_label: task.status.label(),
        overdue,
        days,
        links: link_views(&task.links),
        line: task.line,
    }
}

fn section_views(incident: &Incident, markdown: Markdown) -> Vec<SectionView> {
    let anchors = incident.section_anchors();
    // A section's lines run to the next section's heading; the extracted lists are shown
    // at the first section that fed them, and only such sections fold their text away.
    let ends: Vec<usize> = incident
        .sections
        .iter()
        .skip(1)
        .map(|s| s.line)
        .chain([usize::MAX])
        .collect();
    let mut shown_timeline = false;
    let mut shown_tasks = false;
    incident
        .sections
        .iter()
        .zip(ends)
        .zip(anchors)
        .map(|((section, end), anchor)| {
            let title = section.title.clone();
            let within = |line: usize| (section.line..end).contains(&line);
            let has_entries = incident.timeline.iter().any(|e| within(e.line));
            let has_tasks = incident.tasks.iter().any(|t| within(t.line));
            let mut replaced_by = None;
            if has_entries && !shown_timeline {
                shown_timeline = true;
                replaced_by = Some("timeline");
            } else if has_tasks && !shown_tasks {
                shown_tasks = true;
                replaced_by = Some("tasks");
            }
            let extracted = has_entries || has_tasks;
            SectionView {
                anchor,
                title,
                kind: section.kind.name(),
                heading_level: 2 + section.depth.min(2),
                html: markdown.block(&section.body),
                replaced_by,
                extracted,
                line: section.line,
            }
        })
        .collect()
}
