//! The postmortem world: incidents with their facts, timeline and tasks, and the archive
//! of all of them.

pub mod due_policy;
pub mod moment;
pub mod section;
pub mod slug;

use chrono::{FixedOffset, NaiveDate};
use serde::Serialize;

pub use self::moment::Moment;
use self::section::Section;
use crate::diagnostic::Diagnostic;

/// One postmortem with the facts pulled out of it.
#[derive(Debug, Clone)]
pub struct Incident {
    /// Stable, URL-safe: from frontmatter `id`, else derived from the file path.
    pub id: String,
    pub title: String,
    pub title_source: TitleSource,
    /// Path relative to the content folder, `/`-separated.
    pub source: String,
    /// The file's text, after decoding, for the source copy in the site.
    /// Shared with the site's `source.txt` copy rather than copied into it.
    pub source_text: std::sync::Arc<str>,
    pub summary: Option<String>,
    pub start: Option<Fact<Moment>>,
    pub end: Option<Fact<Moment>>,
    /// From start and end when both are known, else the stated duration.
    pub duration_minutes: Option<i64>,
    /// The timeline entry that says the problem was noticed (alert, page, report).
    pub detected: Option<Fact<Moment>>,
    /// The timeline entry that says service was restored, else the end.
    pub resolved: Option<Fact<Moment>>,
    /// Start to detection, in minutes.
    pub time_to_detect_minutes: Option<i64>,
    /// Start to resolution, in minutes.
    pub time_to_resolve_minutes: Option<i64>,
    pub stated_duration_minutes: Option<Fact<i64>>,
    /// The zone of the incident's times: stated in the file, else the site default.
    pub timezone: FixedOffset,
    pub timezone_assumed: bool,
    pub severity: Option<String>,
    pub services: Vec<String>,
    pub tags: Vec<Tag>,
    pub impact: Option<Impact>,
    pub root_cause: Option<RootCause>,
    pub trigger: Option<String>,
    pub resolution: Option<String>,
    pub timeline: Vec<TimelineEntry>,
    pub tasks: Vec<Task>,
    pub sections: Vec<Section>,
    /// Earlier addresses of the incident (frontmatter `aliases`), as site folders such as
    /// `incidents/old-id/`: each gets a page that redirects here.
    pub aliases: Vec<Fact<String>>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Ids the incident page gives its own parts; sections never take them.
const PAGE_ANCHORS: [&str; 10] = [
    "referenced-by",
    "referenced-by-title",
    "related",
    "related-title",
    "facts",
    "timeline",
    "tasks",
    "summary-facts",
    "diagnostics",
    "top",
];

/// A value and the 1-based file line it was read from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fact<T> {
    pub value: T,
    pub line: usize,
}

/// Where an incident's title came from; anything but a written title earns a warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TitleSource {
    Frontmatter,
    Heading,
    /// Made from the date and the first clause of the summary.
    Derived,
    FileName,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Tag {
    pub name: String,
    /// True when pmsite guessed the tag from the text rather than reading it.
    pub inferred: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Impact {
    /// One line for lists and headers.
    pub summary: String,
    /// The whole impact section as plain text.
    pub text: String,
    pub users_percent: Option<f64>,
    /// Money figures as written ("$15,000").
    pub money: Vec<String>,
    /// Counts as written ("50,000 users", "127 emails").
    pub counts: Vec<String>,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RootCause {
    /// The first sentence or two.
    pub summary: String,
    pub text: String,
    pub line: usize,
}

/// One timestamped event. `at` has a date unless the file gave only times and no date.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineEntry {
    pub at: Moment,
    /// Markdown, as written after the time.
    pub text: String,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Task {
    /// 1-based position in the incident; the anchor is `task-N`.
    pub number: usize,
    /// Markdown, without the owner, due date and status markers.
    pub text: String,
    pub owner: Option<String>,
    /// The due date as written.
    pub due: Option<NaiveDate>,
    /// With no due date written, the one the site's policy gives (`[tasks.due_after]`).
    pub implied_due: Option<NaiveDate>,
    pub status: TaskStatus,
    /// URLs and tracker references (`ABC-123`, `#123`).
    pub links: Vec<String>,
    pub line: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    Open,
    Done,
    WontDo,
}

impl TaskStatus {
    pub fn label(self) -> &'static str {
        match self {
            TaskStatus::Open => "open",
            TaskStatus::Done => "done",
            TaskStatus::WontDo => "won't do",
        }
    }
}

impl Task {
    /// The due date written, else the implied one.
    pub fn due_date(&self) -> Option<NaiveDate> {
        self.due.or(self.implied_due)
    }

    /// Open with a due date (written or implied) before `today`.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.status == TaskStatus::Open && self.due_date().is_some_and(|due| due < today)
    }
}

impl Incident {
    pub fn open_tasks(&self) -> usize {
        self.tasks
            .iter()
            .filter(|t| t.status == TaskStatus::Open)
            .count()
    }

    pub fn overdue_tasks(&self, today: NaiveDate) -> usize {
        self.tasks.iter().filter(|t| t.is_overdue(today)).count()
    }

    /// The date used to sort and group incidents.
    pub fn date(&self) -> Option<NaiveDate> {
        self.start.as_ref().and_then(|f| f.value.date)
    }

    /// The anchor of each section on the incident page, in order: its title as a slug,
    /// made unique, never one of the ids the page uses itself.
    pub fn section_anchors(&self) -> Vec<String> {
        let mut anchors = slug::AnchorSet::default();
        for reserved in PAGE_ANCHORS {
            anchors.reserve(reserved);
        }
        self.sections
            .iter()
            .map(|s| anchors.unique(s.title.as_deref().unwrap_or("introduction")))
            .collect()
    }

    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// All incidents of a build, newest first (undated last, ties by id).
#[derive(Debug, Clone, Default)]
pub struct Archive {
    pub incidents: Vec<Incident>,
    /// Files beside the postmortems (images, PDFs): copied into the site below
    /// `files/`, sorted by path.
    pub attachments: Vec<Attachment>,
}

/// A file in the content folder that is not a postmortem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// Path relative to the content folder, with `/` separators.
    pub relative: String,
    pub absolute: std::path::PathBuf,
}

impl Archive {
    pub fn new(mut incidents: Vec<Incident>) -> Self {
        incidents.sort_by(|a, b| {
            let key = |i: &Incident| {
                i.start
                    .as_ref()
                    .and_then(|f| f.value.epoch_minutes(i.timezone))
            };
            match (key(a), key(b)) {
                (Some(x), Some(y)) => y.cmp(&x).then_with(|| a.id.cmp(&b.id)),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => a.id.cmp(&b.id),
            }
        });
        Archive {
            incidents,
            attachments: Vec::new(),
        }
    }
}
