//! How much pmsite understands of a folder of postmortems, fact by fact:
//! `cargo run --release --example scorecard -- DIR [DIR...]`.
//!
//! Walks each folder as a build would (default ignore list), decodes and parses every
//! file, and prints how many files yield each fact, the diagnostics by code, and every
//! panic and error with its file. A panic in the parser is caught and reported, not
//! fatal. The output is sorted and has no timings, so two runs can be diffed.

use std::collections::BTreeMap;
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;
use std::sync::Mutex;

use pmsite::config::Config;
use pmsite::diagnostic::{Code, Diagnostic, Severity};
use pmsite::model::{Incident, TaskStatus, TitleSource};
use pmsite::parse::{parse_incident, ParseOptions};
use pmsite::walk::{walk, WalkOptions};

/// Where the last panic happened, filled by the panic hook while parsing.
static PANIC_LOCATION: Mutex<Option<String>> = Mutex::new(None);

fn main() {
    let dirs: Vec<String> = std::env::args().skip(1).collect();
    if dirs.is_empty() || dirs.iter().any(|d| d == "-h" || d == "--help") {
        eprintln!("usage: scorecard DIR [DIR...]");
        std::process::exit(2);
    }
    let config = Config::default();
    let walk_options = WalkOptions::new(&config.ignore, &config.extensions).unwrap_or_else(|e| {
        eprintln!("scorecard: {e}");
        std::process::exit(2);
    });
    let options = ParseOptions::from_config(&config).unwrap_or_else(|e| {
        eprintln!("scorecard: {e}");
        std::process::exit(2);
    });

    // Panics are reported in the table: keep the default hook from printing them.
    panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column()));
        *PANIC_LOCATION.lock().unwrap_or_else(|e| e.into_inner()) = location;
    }));

    let mut failed = false;
    for (i, dir) in dirs.iter().enumerate() {
        if i > 0 {
            println!();
        }
        let root = Path::new(dir);
        if !root.is_dir() {
            eprintln!("scorecard: {dir}: not a folder");
            failed = true;
            continue;
        }
        let card = score(root, &walk_options, &options);
        print!("{}", card.report(dir));
    }
    let _ = panic::take_hook();
    if failed {
        std::process::exit(1);
    }
}

/// A panic caught while parsing one file.
struct Panic {
    path: String,
    message: String,
    location: String,
}

/// Counts for one folder.
#[derive(Default)]
struct Card {
    files: usize,
    parsed: usize,
    /// (fact, files that yield it, detail), in print order.
    rows: Vec<(&'static str, usize, String)>,
    /// (severity, code) -> (diagnostics, files).
    diagnostics: BTreeMap<(Severity, Code), (usize, usize)>,
    errors: Vec<Diagnostic>,
    panics: Vec<Panic>,
}

/// Tallies of one fact over the parsed files.
#[derive(Default)]
struct Tally {
    /// Files per title source: frontmatter, heading, derived, file name.
    title: [usize; 4],
    written_title: usize,
    start: usize,
    start_date: usize,
    start_time: usize,
    end: usize,
    end_date: usize,
    end_time: usize,
    duration: usize,
    duration_stated: usize,
    duration_computed: usize,
    detected: usize,
    resolved: usize,
    timezone_stated: usize,
    summary: usize,
    severity: usize,
    services: usize,
    impact: usize,
    users_percent: usize,
    impact_money: usize,
    impact_counts: usize,
    root_cause: usize,
    trigger: usize,
    resolution: usize,
    tags_any: usize,
    tags_stated_files: usize,
    tags_stated: usize,
    tags_inferred_files: usize,
    tags_inferred: usize,
    timeline_files: usize,
    timeline_entries: usize,
    timeline_dated: usize,
    timeline_zoned: usize,
    task_files: usize,
    tasks: usize,
    tasks_owner: usize,
    tasks_due: usize,
    tasks_done: usize,
    tasks_wont_do: usize,
    tasks_links: usize,
}

impl Tally {
    fn add(&mut self, incident: &Incident) {
        let source = match incident.title_source {
            TitleSource::Frontmatter => 0,
            TitleSource::Heading => 1,
            TitleSource::Derived => 2,
            TitleSource::FileName => 3,
        };
        self.title[source] += 1;
        if matches!(
            incident.title_source,
            TitleSource::Frontmatter | TitleSource::Heading
        ) {
            self.written_title += 1;
        }
        let count = |flag: bool| usize::from(flag);
        if let Some(start) = &incident.start {
            self.start += 1;
            self.start_date += count(start.value.date.is_some());
            self.start_time += count(start.value.time.is_some());
        }
        if let Some(end) = &incident.end {
            self.end += 1;
            self.end_date += count(end.value.date.is_some());
            self.end_time += count(end.value.time.is_some());
        }
        self.duration += count(incident.duration_minutes.is_some());
        self.duration_stated += count(incident.stated_duration_minutes.is_some());
        self.duration_computed += count(
            incident.duration_minutes.is_some() && incident.stated_duration_minutes.is_none(),
        );
        self.detected += count(incident.detected.is_some());
        self.resolved += count(incident.resolved.is_some());
        self.timezone_stated += count(!incident.timezone_assumed);
        self.summary += count(incident.summary.is_some());
        self.severity += count(incident.severity.is_some());
        self.services += count(!incident.services.is_empty());
        if let Some(impact) = &incident.impact {
            self.impact += 1;
            self.users_percent += count(impact.users_percent.is_some());
            self.impact_money += count(!impact.money.is_empty());
            self.impact_counts += count(!impact.counts.is_empty());
        }
        self.root_cause += count(incident.root_cause.is_some());
        self.trigger += count(incident.trigger.is_some());
        self.resolution += count(incident.resolution.is_some());

        let inferred = incident.tags.iter().filter(|t| t.inferred).count();
        let stated = incident.tags.len() - inferred;
        self.tags_any += count(!incident.tags.is_empty());
        self.tags_stated_files += count(stated > 0);
        self.tags_stated += stated;
        self.tags_inferred_files += count(inferred > 0);
        self.tags_inferred += inferred;

        let timeline = &incident.timeline;
        self.timeline_files += count(!timeline.is_empty());
        self.timeline_entries += timeline.len();
        self.timeline_dated += timeline.iter().filter(|e| e.at.date.is_some()).count();
        self.timeline_zoned += timeline.iter().filter(|e| e.at.offset.is_some()).count();

        let tasks = &incident.tasks;
        self.task_files += count(!tasks.is_empty());
        self.tasks += tasks.len();
        self.tasks_owner += tasks.iter().filter(|t| t.owner.is_some()).count();
        self.tasks_due += tasks.iter().filter(|t| t.due.is_some()).count();
        self.tasks_done += tasks
            .iter()
            .filter(|t| t.status == TaskStatus::Done)
            .count();
        self.tasks_wont_do += tasks
            .iter()
            .filter(|t| t.status == TaskStatus::WontDo)
            .count();
        self.tasks_links += tasks.iter().filter(|t| !t.links.is_empty()).count();
    }

    fn rows(&self) -> Vec<(&'static str, usize, String)> {
        let [front, heading, derived, file_name] = self.title;
        let title = format!(
            "frontmatter {front}, heading {heading}, derived {derived}, file name {file_name}"
        );
        vec![
            ("title (written)", self.written_title, title),
            (
                "start",
                self.start,
                format!(
                    "with date {}, with time {}",
                    self.start_date, self.start_time
                ),
            ),
            (
                "end",
                self.end,
                format!("with date {}, with time {}", self.end_date, self.end_time),
            ),
            (
                "duration",
                self.duration,
                format!(
                    "stated {}, only from start and end {}",
                    self.duration_stated, self.duration_computed
                ),
            ),
            ("detected", self.detected, String::new()),
            ("resolved", self.resolved, String::new()),
            ("timezone stated", self.timezone_stated, String::new()),
            ("summary", self.summary, String::new()),
            ("severity", self.severity, String::new()),
            ("services", self.services, String::new()),
            (
                "impact",
                self.impact,
                format!(
                    "with money {}, with counts {}",
                    self.impact_money, self.impact_counts
                ),
            ),
            ("users %", self.users_percent, String::new()),
            ("root cause", self.root_cause, String::new()),
            ("trigger", self.trigger, String::new()),
            ("resolution", self.resolution, String::new()),
            (
                "tags",
                self.tags_any,
                format!(
                    "stated {} in {} files, inferred {} in {} files",
                    self.tags_stated,
                    self.tags_stated_files,
                    self.tags_inferred,
                    self.tags_inferred_files
                ),
            ),
            (
                "timeline",
                self.timeline_files,
                format!(
                    "{} entries: dated {}, zoned {}",
                    self.timeline_entries, self.timeline_dated, self.timeline_zoned
                ),
            ),
            (
                "tasks",
                self.task_files,
                format!(
                    "{} tasks: owner {}, due {}, done {}, won't do {}, links {}",
                    self.tasks,
                    self.tasks_owner,
                    self.tasks_due,
                    self.tasks_done,
                    self.tasks_wont_do,
                    self.tasks_links
                ),
            ),
        ]
    }
}

fn score(root: &Path, walk_options: &WalkOptions, options: &ParseOptions) -> Card {
    let found = walk(root, walk_options, None);
    let mut card = Card {
        files: found.files.len(),
        ..Card::default()
    };
    let mut tally = Tally::default();
    let mut all_diagnostics: Vec<Diagnostic> = found.diagnostics;
    for file in &found.files {
        let mut diagnostics = Vec::new();
        let text = match std::fs::read(&file.absolute) {
            Ok(bytes) => pmsite::read::decode(&file.relative, &bytes, &mut diagnostics),
            Err(error) => {
                diagnostics.push(Diagnostic::error(
                    &file.relative,
                    1,
                    Code::Unreadable,
                    format!("cannot read: {error}"),
                ));
                None
            }
        };
        if let Some(text) = text {
            *PANIC_LOCATION.lock().unwrap_or_else(|e| e.into_inner()) = None;
            let parsed = panic::catch_unwind(AssertUnwindSafe(|| {
                parse_incident(&file.relative, &text, options)
            }));
            match parsed {
                Ok(incident) => {
                    card.parsed += 1;
                    tally.add(&incident);
                    diagnostics.extend(incident.diagnostics);
                }
                Err(payload) => {
                    let message = payload
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                        .unwrap_or_else(|| "(no message)".to_string());
                    let location = PANIC_LOCATION
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .take()
                        .unwrap_or_default();
                    card.panics.push(Panic {
                        path: file.relative.clone(),
                        message,
                        location,
                    });
                }
            }
        }
        all_diagnostics.extend(diagnostics);
    }
    pmsite::diagnostic::sort_diagnostics(&mut all_diagnostics);

    let mut files_per_code: BTreeMap<(Severity, Code), Vec<&str>> = BTreeMap::new();
    for d in &all_diagnostics {
        let key = (d.severity, d.code);
        card.diagnostics.entry(key).or_default().0 += 1;
        files_per_code.entry(key).or_default().push(&d.path);
    }
    for (key, mut paths) in files_per_code {
        paths.dedup(); // sorted by path already
        card.diagnostics.entry(key).or_default().1 = paths.len();
    }
    card.errors = all_diagnostics
        .iter()
        .filter(|d| d.is_error())
        .cloned()
        .collect();
    card.rows = tally.rows();
    card
}

impl Card {
    fn report(&self, dir: &str) -> String {
        let mut out = String::new();
        let warnings: usize = self.count(Severity::Warning);
        let errors: usize = self.count(Severity::Error);
        out.push_str(&format!(
            "== {dir}: {} files, {} parsed, {} panicked, {} warnings, {} errors\n\n",
            self.files,
            self.parsed,
            self.panics.len(),
            warnings,
            errors
        ));

        let percent = |n: usize| {
            if self.parsed == 0 {
                "-".to_string()
            } else {
                format!("{:.0}%", 100.0 * n as f64 / self.parsed as f64)
            }
        };
        let mut table = vec![[
            "fact".to_string(),
            "files".to_string(),
            "of parsed".to_string(),
            "detail".to_string(),
        ]];
        for (fact, n, detail) in &self.rows {
            table.push([fact.to_string(), n.to_string(), percent(*n), detail.clone()]);
        }
        out.push_str(&render_table(&table, &[false, true, true, false]));

        out.push('\n');
        if self.diagnostics.is_empty() {
            out.push_str("diagnostics: none\n");
        } else {
            let mut table = vec![[
                "severity".to_string(),
                "code".to_string(),
                "count".to_string(),
                "files".to_string(),
            ]];
            for ((severity, code), (count, files)) in &self.diagnostics {
                table.push([
                    severity.to_string(),
                    code.to_string(),
                    count.to_string(),
                    files.to_string(),
                ]);
            }
            out.push_str(&render_table(&table, &[false, false, true, true]));
        }

        out.push('\n');
        if self.panics.is_empty() {
            out.push_str("panics: none\n");
        } else {
            out.push_str(&format!("panics: {}\n", self.panics.len()));
            for p in &self.panics {
                out.push_str(&format!(
                    "  {}: {} (at {})\n",
                    p.path,
                    one_line(&p.message),
                    p.location
                ));
            }
        }
        if self.errors.is_empty() {
            out.push_str("errors: none\n");
        } else {
            out.push_str(&format!("errors: {}\n", self.errors.len()));
            for d in &self.errors {
                out.push_str(&format!(
                    "  {}:{}:{}: {}: {}\n",
                    d.path,
                    d.line,
                    d.column,
                    d.code,
                    one_line(&d.message)
                ));
            }
        }
        out
    }

    fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|((s, _), _)| *s == severity)
            .map(|(_, (count, _))| count)
            .sum()
    }
}

/// Columns padded to their widest cell (in characters); `right` aligns numbers.
fn render_table<const N: usize>(rows: &[[String; N]], right: &[bool; N]) -> String {
    let mut widths = [0; N];
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i > 0 {
                line.push_str("  ");
            }
            let pad = " ".repeat(widths[i] - cell.chars().count());
            if right[i] {
                line.push_str(&pad);
                line.push_str(cell);
            } else {
                line.push_str(cell);
                line.push_str(&pad);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// A message on one line, at most 200 characters.
fn one_line(text: &str) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > 200 {
        let cut: String = flat.chars().take(199).collect();
        format!("{cut}…")
    } else {
        flat
    }
}
