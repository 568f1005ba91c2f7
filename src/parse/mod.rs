//! Parsing: pure functions from a file's path and text to an `Incident` with its
//! diagnostics. Nothing here touches the file system, so every piece is testable with
//! string literals.

mod actors;
pub mod dates;
pub mod duration;
mod facts;
pub mod frontmatter;
pub mod outline;
mod pattern;
pub mod sections;
pub mod span;
pub mod status_page;
pub mod tags;
pub mod tasks;
pub mod text;
pub mod timeline;

use std::sync::LazyLock;

use self::pattern::compile;
use chrono::{Datelike, FixedOffset};
use regex::Regex;

use self::dates::{parse_zone, Moment};
use self::facts::Facts;
use self::frontmatter::Frontmatter;
use self::outline::MarkdownOutline;
use self::sections::split_sections_titled;
use self::text::first_sentences;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::section::{Section, SectionAliases, SectionKind};
use crate::model::slug::{id_from_path, slugify};
use crate::model::{Fact, Impact, Incident, Tag, TimelineEntry, TitleSource};

/// Settings that change how files are read.
#[derive(Debug, Clone)]
pub struct ParseOptions {
    pub aliases: SectionAliases,
    /// The zone assumed for times written without one.
    pub default_offset: FixedOffset,
    /// Extra `strftime` patterns tried first on dates stated as facts.
    pub date_formats: Vec<String>,
    /// Tag inference rules and synonyms.
    pub tags: std::sync::Arc<tags::TagRules>,
    /// Files larger than this are not read (`max_file_size` in the config).
    pub max_file_bytes: u64,
    /// (key in the files, field it means), from `[frontmatter] aliases`.
    pub frontmatter_aliases: Vec<(String, String)>,
}

impl ParseOptions {
    /// The reading settings a site config asks for, compiled once. A value that does
    /// not compile is an error, never a quiet fall-back to the defaults (`Config::parse`
    /// reports the same problems with their lines first).
    pub fn from_config(config: &crate::config::Config) -> Result<Self, String> {
        let default_offset = parse_zone(&config.timezone)
            .ok_or_else(|| format!("unknown timezone `{}`", config.timezone))?;
        let tags = tags::TagRules::new(
            &config.tags.rules,
            config.tags.replace_defaults,
            &config.tags.synonyms,
        )?;
        Ok(ParseOptions {
            aliases: SectionAliases::new(&config.aliases),
            default_offset,
            date_formats: config.date_formats.clone(),
            tags: std::sync::Arc::new(tags),
            max_file_bytes: config.max_file_size,
            frontmatter_aliases: config
                .frontmatter
                .aliases
                .iter()
                .map(|(alias, field)| (alias.clone(), field.clone()))
                .collect(),
        })
    }
}

impl Default for ParseOptions {
    fn default() -> Self {
        ParseOptions {
            aliases: SectionAliases::default(),
            default_offset: FixedOffset::east_opt(0).unwrap(),
            date_formats: Vec::new(),
            tags: std::sync::Arc::new(tags::TagRules::defaults()),
            max_file_bytes: crate::config::DEFAULT_MAX_FILE_SIZE,
            frontmatter_aliases: Vec::new(),
        }
    }
}

static DETECTED_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"(?i)\b(?:detected|alerts?|alerted|alarm\w*|noticed|paged|pages?|pagerduty|opsgenie|reported|first reports?|complain\w*|ticket (?:is |was )?opened|on-?call (?:was |is )?(?:notified|paged))\b").unwrap()
});
/// Whether a timeline entry says service came back: a recovery word that no hedge or
/// negation just before it takes back ("despite the fact that it appears to have
/// recovered", "had not recovered", "before service was restored").
fn says_service_recovered(text: &str) -> bool {
    static HEDGE: LazyLock<Regex> = LazyLock::new(|| {
        compile(r"(?i)\b(?:appears?|appeared|seems?|seemed|despite|not|never|before|until|partially|partly|most|some|whether|if)\b|n't\b").unwrap()
    });
    RESOLVED_WORDS.find_iter(text).any(|found| {
        // The words just before it, in its own sentence.
        let before = &text[..found.start()];
        let sentence_start = before
            .rfind(['.', ';', '!', '?', '\n'])
            .map_or(0, |i| i + 1);
        let mut start = before.len().saturating_sub(30).max(sentence_start);
        while !before.is_char_boundary(start) {
            start += 1;
        }
        !HEDGE.is_match(&before[start..])
    })
}

static RESOLVED_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    // Not "fixed" or "closed": a bug is fixed and a ticket closed long after service
    // came back ("Incident closed", "fixed the status page").
    compile(r"(?i)\b(?:resolved|restored|recovered|(?:back|returns?|returned|returning) to normal|fully operational|operating normally|functional again|(?:worked|working|works) again|mitigated|all clear|normal operation|stabili[sz]ed|(?:outage|incident|impact|downtime) (?:ends|ended|is over)|resolution (?:is|was) confirmed|(?:service|services|traffic|processing) resum(?:es|ed)|all (?:systems|services)(?: are| were)? (?:operational|up|normal)|(?:problem|issue|outage)s? (?:is |was |were |has been |have been )?(?:now )?solved|(?:moving|running|merging|serving|processing|producing|flowing|available|online|operational) again|(?:once )?again (?:merging|running|serving|processing|producing|moving|available|online|operational)|back (?:online|up and running))\b").unwrap()
});

static OUTAGE_BEGINS: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"(?i)\b(?:(?:outage|incident|impact|downtime|disruption)s? (?:begins|began|starts|started)|start of (?:the )?(?:incident|outage|impact|downtime))\b").unwrap()
});
static START_UNKNOWN: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"(?i)\b(?:start(?:ing)? time|start|beginning) (?:of the (?:outage|incident) )?(?:is|was|remains) (?:not (?:fully |yet |exactly )?known|unknown|unclear)\b|\boutage of unknown (?:length|duration)\b|\b(?:difficult|hard|impossible) to (?:tell|say|know|determine) (?:exactly )?(?:when|what time|what)\b(?: \w+){0,3} (?:first |initially )?(?:began|started|became|appeared|occurred)|\b(?:unclear|unknown|not known) (?:exactly )?when (?:the )?(?:problem|issue|outage|incident|it) (?:first )?(?:began|started)\b").unwrap()
});

/// "The start time is not fully known", "an outage of unknown length", "it is difficult
/// to tell exactly when the problem first became substantial".
fn states_start_unknown(sections: &[Section]) -> bool {
    sections
        .iter()
        .filter(|s| s.kind != SectionKind::Timeline)
        .take(4)
        .any(|s| START_UNKNOWN.is_match(&sections::prose(s)))
}

/// Reads one postmortem. `path` is relative to the content folder; `text` is the
/// decoded file.
pub fn parse_incident(path: &str, text: &str, options: &ParseOptions) -> Incident {
    let mut diagnostics = Vec::new();
    let mut normalized = normalize_newlines(text);
    if let Some((unwrapped, line)) = unwrap_markdown_fence(&normalized) {
        normalized = unwrapped;
        diagnostics.push(Diagnostic::warning(
            path,
            line,
            Code::MarkdownFence,
            "the postmortem is wrapped in a ```markdown code fence; read as markdown, not code",
        ));
    }
    let split = frontmatter::split(path, &normalized, &mut diagnostics);
    let mut front = split.frontmatter.unwrap_or_default();
    front.apply_aliases(&options.frontmatter_aliases);
    let title_known = front
        .text(&["title", "name"], path, &mut Vec::new())
        .is_some();
    let outline = split_sections_titled(split.body, split.body_line, &options.aliases, title_known);
    let markdown = outline.markdown;
    let sections = outline.sections;
    // Facts come from the first telling; the page shows the whole file.
    let told = first_telling(&sections);
    if let Some(second) = sections.get(told) {
        diagnostics.push(Diagnostic::note(
            path,
            second.line,
            Code::ToldTwice,
            "the incident is told a second time from here (a summary, root cause and timeline again); its facts are read from the first telling",
        ));
    }
    let read = &sections[..told];
    let heading_title = outline.title.as_ref().map(|(title, _)| title.as_str());
    let numeric = numeric_order(path, split.body, split.body_line, &mut diagnostics);
    let facts = Facts::new(
        path,
        &front,
        read,
        heading_title,
        &options.date_formats,
        numeric,
    );

    let id = incident_id(path, &facts, &mut diagnostics);

    let Times {
        start,
        end,
        timeline,
        duration_minutes,
        stated_duration,
        timezone,
        timezone_assumed,
        year,
    } = times(
        path,
        &facts,
        read,
        numeric,
        options.default_offset,
        &mut diagnostics,
    );

    let summary = facts.summary(&mut diagnostics);
    let impact = facts.impact();
    let root_cause = facts.root_cause(&mut diagnostics);
    let trigger = facts
        .section_text(SectionKind::Trigger)
        .map(|(t, _)| first_sentences(&t, 2));
    let resolution = facts
        .section_text(SectionKind::Resolution)
        .map(|(t, _)| first_sentences(&t, 2));
    let tasks = tasks::extract_tasks(
        read,
        dates::DateContext {
            year,
            numeric,
            ..Default::default()
        },
    );
    report_unread_due_dates(path, &tasks, &mut diagnostics);
    let severity = facts.severity(&mut diagnostics);
    let aliases = aliases_of(&front);
    let services = services_of(&front, &facts);
    let tags = tags_of(
        &front,
        &options.tags,
        root_cause.as_ref(),
        trigger.as_deref(),
        summary.as_deref(),
    );

    let (title, title_source) = match facts.front_text(&["title", "name"], &mut diagnostics) {
        Some(field) => (field.value, TitleSource::Frontmatter),
        None => match outline.title {
            Some((title, _)) => (title, TitleSource::Heading),
            None => derive_title(
                path,
                start.as_ref().map(|f| &f.value),
                summary.as_deref(),
                impact.as_ref(),
                &mut diagnostics,
            ),
        },
    };

    let (detected, resolved) = detection_and_recovery(&timeline, &end);
    let minutes_from_start = |to: &Option<Fact<Moment>>| -> Option<i64> {
        let (from, to) = (start.as_ref()?.value, to.as_ref()?.value);
        let span = to.epoch_minutes(timezone)? - from.epoch_minutes(timezone)?;
        (from.time.is_some() && to.time.is_some() && span >= 0).then_some(span)
    };
    let time_to_detect_minutes = minutes_from_start(&detected);
    let time_to_resolve_minutes = minutes_from_start(&resolved);

    report_placeholders(path, &normalized, &markdown, &mut diagnostics);
    report_conflict_markers(path, &normalized, &markdown, &mut diagnostics);
    crate::diagnostic::sort_diagnostics(&mut diagnostics);

    Incident {
        id,
        title,
        title_source,
        source: path.to_string(),
        source_text: normalized.into(),
        summary,
        start,
        end,
        duration_minutes,
        detected,
        resolved,
        time_to_detect_minutes,
        time_to_resolve_minutes,
        stated_duration_minutes: stated_duration,
        timezone,
        timezone_assumed,
        severity,
        services,
        tags,
        impact,
        root_cause,
        trigger,
        resolution,
        timeline,
        tasks,
        sections,
        aliases,
        diagnostics,
    }
}

/// When the incident happened, as the file tells it.
struct Times {
    start: Option<Fact<Moment>>,
    end: Option<Fact<Moment>>,
    timeline: Vec<TimelineEntry>,
    duration_minutes: Option<i64>,
    stated_duration: Option<Fact<i64>>,
    timezone: FixedOffset,
    timezone_assumed: bool,
    /// The incident's year, for dates written without one (task due dates).
    year: Option<i32>,
}

/// Start, end, timeline, zone and duration: the stated ones first (frontmatter, labels,
/// ranges, prose), then what the timeline says, each checked against the others.
fn times(
    path: &str,
    facts: &Facts,
    sections: &[Section],
    numeric: dates::NumericOrder,
    default_offset: FixedOffset,
    diagnostics: &mut Vec<Diagnostic>,
) -> Times {
    let stated_zone = facts
        .front_text(&["timezone", "tz", "time_zone"], diagnostics)
        .and_then(|f| parse_zone(&f.value));
    let (mut start, mut end) = facts.start_end(diagnostics);
    // A zone stated in the frontmatter applies to every time that states none.
    if let Some(zone) = stated_zone {
        for fact in [&mut start, &mut end].into_iter().flatten() {
            if fact.value.time.is_some() {
                fact.value.offset = fact.value.offset.or(Some(zone));
            }
        }
    }
    let zone = start
        .as_ref()
        .and_then(|f| f.value.offset)
        .or(end.as_ref().and_then(|f| f.value.offset))
        .or(stated_zone);
    // Only needed when no start date was stated.
    let start_day = if start.as_ref().and_then(|f| f.value.date).is_none() {
        facts.start_day()
    } else {
        None
    };
    let year = start
        .as_ref()
        .and_then(|f| f.value.date)
        .map(|d| d.year())
        .or_else(|| facts.year_hint());
    let timeline = timeline::extract_timeline(
        sections,
        timeline::TimelineContext {
            date: start
                .as_ref()
                .and_then(|f| f.value.date)
                .or(start_day.as_ref().and_then(|f| f.value.date)),
            year: year.or(start_day
                .as_ref()
                .and_then(|f| f.value.date)
                .map(|d| d.year())),
            offset: zone,
            numeric,
        },
    );
    // Say so when timeline lines that start with a time gave no entry.
    let unread = timeline::unread_time_lines(sections, &timeline);
    if let Some(&first) = unread.first() {
        let more = match unread.len() {
            1 => String::new(),
            n => format!(" (and {} more lines like it)", n - 1),
        };
        diagnostics.push(Diagnostic::warning(
            path,
            first,
            Code::TimelineUnread,
            format!("this timeline line starts with a time but was not read as an entry{more}"),
        ));
    }
    // A start or end stated as a time of day takes its day from the timeline.
    let first_day = timeline.iter().find_map(|e| e.at.date);
    let end_borrows_day = end.as_ref().is_some_and(|e| e.value.date.is_none());
    for fact in [&mut start, &mut end].into_iter().flatten() {
        if fact.value.date.is_none() && fact.value.time.is_some() {
            fact.value.date = first_day;
        }
    }
    // A borrowed day is the start's: an end earlier than the start is past midnight.
    if let (Some(s), Some(e)) = (&start, &mut end) {
        if let (true, Some(sd), Some(st), Some(et)) =
            (end_borrows_day, s.value.date, s.value.time, e.value.time)
        {
            if e.value.date == Some(sd) && et < st {
                e.value.date = sd.succ_opt();
            }
        }
    }
    // With nothing stated, the timeline's first entry starts the incident and its last
    // ends it: the last that says the service recovered, else simply the last.
    let entries_with_time: Vec<_> = timeline
        .iter()
        .filter(|e| e.at.time.is_some() || e.at.date.is_some())
        .collect();
    // An entry that says the outage began starts it, whatever led up to it; a file
    // that says the start is unknown gets none from its timeline.
    let mut start_is_first_entry = false;
    if start.is_none() && !states_start_unknown(sections) {
        // The day the title names starts it when the timeline leads up to that day
        // ("2021-08-17: a bounty report" before "2021-08-27: issue exploited").
        let title_day = facts.title_day();
        let marked = entries_with_time
            .iter()
            .find(|e| OUTAGE_BEGINS.is_match(&e.text))
            .or_else(|| {
                let day = title_day?;
                entries_with_time.iter().find(|e| e.at.date == Some(day))
            });
        start_is_first_entry = marked.is_none() && !entries_with_time.is_empty();
        start = marked
            .or(entries_with_time.first())
            .map(|e| Fact {
                value: e.at,
                line: e.line,
            })
            .or(start_day);
    }
    let end_inferred = end.is_none() && entries_with_time.len() >= 2;
    if end_inferred {
        let last = entries_with_time.last().copied();
        let recovered = entries_with_time
            .iter()
            .rev()
            .find(|e| says_service_recovered(&e.text))
            .copied();
        // A timeline that runs on past the next day holds the follow-up (the patch
        // merged, the review held): its last entry ends the incident only when the
        // timeline stays within a day, else only an entry that says service came back.
        let first_day = entries_with_time.first().and_then(|e| e.at.date);
        let last = last.filter(|e| match (first_day, e.at.date) {
            (Some(first), Some(last)) => (last - first).num_days() <= 1,
            _ => true,
        });
        end = recovered.or(last).map(|e| Fact {
            value: e.at,
            line: e.line,
        });
    }
    // "Date: 2024-11-14" gives the day; the timeline's first entry that day the time.
    if let Some(fact) = start.as_mut().filter(|f| f.value.time.is_none()) {
        if let Some(first) = timeline
            .iter()
            .find(|e| e.at.date == fact.value.date && e.at.time.is_some())
        {
            *fact = Fact {
                value: first.at,
                line: first.line,
            };
        }
    }
    // The incident's zone is the one its times state, the timeline's included; times
    // written without one ("at midnight" above a timeline in PST) are in it too.
    let zone = zone
        .or(start.as_ref().and_then(|f| f.value.offset))
        .or(end.as_ref().and_then(|f| f.value.offset))
        .or(timeline.iter().find_map(|e| e.at.offset));
    if let Some(zone) = zone {
        for fact in [&mut start, &mut end].into_iter().flatten() {
            if fact.value.time.is_some() && fact.value.offset.is_none() {
                fact.value.offset = Some(zone);
            }
        }
    }
    let timezone_assumed = zone.is_none();
    let timezone = zone.unwrap_or(default_offset);

    let (stated_duration, stated_roughly) = match facts.stated_duration(diagnostics) {
        Some((stated, rough)) => (Some(stated), rough),
        None => (None, false),
    };
    if start_is_first_entry {
        if let (Some(end), Some(stated)) = (&end, &stated_duration) {
            if let Some(anchored) = start_the_stated_duration_points_at(
                &entries_with_time,
                &start,
                end,
                stated.value,
                timezone,
            ) {
                start = Some(anchored);
            }
        }
    }
    let computed = computed_duration(path, &start, &end, timezone, diagnostics);
    // An end guessed from the timeline's last entry yields to a duration the file states.
    // A rough figure ("about five hours") does not overrule the timeline.
    let computed =
        computed.filter(|_| !(end_inferred && stated_duration.is_some() && !stated_roughly));
    if let (Some(computed), Some(stated)) = (computed, &stated_duration) {
        let tolerance = (computed / 10).max(5);
        if computed.abs_diff(stated.value) > tolerance.unsigned_abs() {
            diagnostics.push(Diagnostic::warning(
                path,
                stated.line,
                Code::DurationMismatch,
                format!(
                    "stated duration ({}) disagrees with start and end ({})",
                    duration::format_minutes(stated.value),
                    duration::format_minutes(computed)
                ),
            ));
        }
    }
    let duration_minutes = computed.or(stated_duration.map(|f| f.value));
    Times {
        start,
        end,
        timeline,
        duration_minutes,
        stated_duration,
        timezone,
        timezone_assumed,
        year,
    }
}

/// How the file writes numeric dates (`05/06/2024` reads alike all through it: a day
/// over 12 decides for all), with a warning when nothing decides.
fn numeric_order(
    path: &str,
    body: &str,
    body_line: usize,
    diagnostics: &mut Vec<Diagnostic>,
) -> dates::NumericOrder {
    let (numeric, ambiguous) = dates::numeric_order(body);
    if let Some((line, example)) = ambiguous {
        let (reading, other) = dates::both_readings(&example);
        diagnostics.push(Diagnostic::warning(
            path,
            body_line + line - 1,
            Code::AmbiguousDate,
            format!(
                "`{example}` could be {reading} or {other}; read as {reading}. Write the month as a word or as YYYY-MM-DD to be sure"
            ),
        ));
    }
    numeric
}

/// The frontmatter `id` made URL-safe (with a warning when it was not), else one made
/// from the file's path.
fn incident_id(path: &str, facts: &Facts, diagnostics: &mut Vec<Diagnostic>) -> String {
    match facts.front_text(&["id", "incident_id", "incident-id", "slug"], diagnostics) {
        Some(field) => {
            let slug = slugify(&field.value);
            if slug != field.value.to_lowercase() {
                diagnostics.push(Diagnostic::warning(
                    path,
                    field.line,
                    Code::IdNotASlug,
                    format!("id `{}` is not URL-safe; using `{slug}`", field.value),
                ));
            }
            slug
        }
        None => id_from_path(path),
    }
}

/// A warning for each task's due date that could not be read; a span ("ETA: 2 weeks")
/// is told how to write a date.
fn report_unread_due_dates(
    path: &str,
    tasks: &[crate::model::Task],
    diagnostics: &mut Vec<Diagnostic>,
) {
    for (line, value) in tasks::unread_due_dates(tasks) {
        static SPAN: LazyLock<Regex> = LazyLock::new(|| {
            compile(r"(?i)^(?:in\s+)?(?:\d+|an?|one|two|three|four|six)\s*(?:-\s*\d+\s*)?(?:h|hrs?|hours?|d|days?|w|wks?|weeks?|months?|sprints?|quarters?)$").unwrap()
        });
        let message = if SPAN.is_match(&value) {
            format!(
                "the due date `{value}` is a span, not a date; the task has no due date \
                 (write the day it is due, e.g. `Due: 2024-06-21`)"
            )
        } else {
            format!("could not read the due date `{value}`; the task has no due date")
        };
        diagnostics.push(Diagnostic::warning(
            path,
            line,
            Code::UnreadableDate,
            message,
        ));
    }
}

/// The old addresses that redirect to the incident (`aliases`, `redirect_from`), at the
/// line of their key.
fn aliases_of(front: &Frontmatter) -> Vec<Fact<String>> {
    let alias_keys = ["aliases", "alias", "redirect_from"];
    let alias_line = alias_keys
        .iter()
        .map(|k| front.line_of(k))
        .find(|&l| l > 1) // line 1 is the opening `---`: `line_of` says 1 for a missing key
        .unwrap_or(1);
    front
        .list(&alias_keys)
        .iter()
        .filter_map(|alias| alias_folder(alias))
        .map(|value| Fact {
            value,
            line: alias_line,
        })
        .collect()
}

/// The services the frontmatter names, else an "Affected services:" line.
fn services_of(front: &Frontmatter, facts: &Facts) -> Vec<String> {
    let services = front.list(&[
        "services",
        "service",
        "systems",
        "components",
        "affected_services",
        "affected-services",
        "products",
        "product",
    ]);
    // Else a line such as "Affected services: checkout, payments".
    if services.is_empty() {
        facts.services()
    } else {
        services
    }
}

/// The tags the frontmatter states, then those the root cause and trigger (else the
/// summary) imply.
fn tags_of(
    front: &Frontmatter,
    rules: &tags::TagRules,
    root_cause: Option<&crate::model::RootCause>,
    trigger: Option<&str>,
    summary: Option<&str>,
) -> Vec<Tag> {
    const CAUSE_KEYS: &[&str] = &["root_causes", "root-causes", "root_cause_tags"];
    const ALL_KEYS: &[&str] = &[
        "tags",
        "root_causes",
        "root-causes",
        "categories",
        "category",
        "root_cause_tags",
    ];
    let keys = if front.is_blog_page() {
        CAUSE_KEYS
    } else {
        ALL_KEYS
    };
    let mut tags: Vec<Tag> = front
        .list(keys)
        .into_iter()
        .chain(
            front
                .list(&["root_cause", "root-cause"])
                .into_iter()
                .filter(|t| t.split_whitespace().count() <= 3),
        )
        .map(|name| Tag {
            name: rules.canonical(&name),
            inferred: false,
        })
        .collect();
    tags.sort();
    tags.dedup();
    // Inferred tags join the stated ones, never replace them.
    let cause_text = [root_cause.map(|r| r.text.as_str()), trigger]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("\n");
    // A file with no root cause that names a kind of failure is tagged from its summary.
    let mut inferred = rules.infer(&cause_text);
    if inferred.is_empty() {
        if let Some(summary) = summary {
            inferred = rules.infer(summary);
        }
    }
    for name in inferred {
        if !tags.iter().any(|t| t.name == name) {
            tags.push(Tag {
                name,
                inferred: true,
            });
        }
    }
    tags
}

/// The timeline entries that say when the problem was noticed, and when service came
/// back (else the end).
fn detection_and_recovery(
    timeline: &[TimelineEntry],
    end: &Option<Fact<Moment>>,
) -> (Option<Fact<Moment>>, Option<Fact<Moment>>) {
    let detected = timeline
        .iter()
        .find(|e| DETECTED_WORDS.is_match(&e.text))
        .map(|e| Fact {
            value: e.at,
            line: e.line,
        });
    let resolved = end.or_else(|| {
        timeline
            .iter()
            .rev()
            .find(|e| says_service_recovered(&e.text))
            .map(|e| Fact {
                value: e.at,
                line: e.line,
            })
    });
    (detected, resolved)
}

/// An alias as a site folder: a bare id (`INC-7`) is an old incident id,
/// `incidents/inc-7/`; anything with a `/` is a path from the site root. Every part is
/// made a slug, so an alias can never point outside the site.
fn alias_folder(alias: &str) -> Option<String> {
    let alias = alias.trim();
    if alias.is_empty() {
        return None;
    }
    if !alias.contains('/') {
        return Some(format!("incidents/{}/", slugify(alias)));
    }
    let parts: Vec<String> = alias
        .split('/')
        .map(|p| p.trim_end_matches(".html").trim_end_matches(".htm"))
        .filter(|p| !p.is_empty() && *p != "index")
        .map(slugify)
        .collect();
    (!parts.is_empty()).then(|| format!("{}/", parts.join("/")))
}

/// One warning for each line that still holds a template placeholder, unless a more
/// specific warning already names that line.
/// Code (blocks and inline) is shown as written, so a placeholder in it is an example.
fn report_placeholders(
    path: &str,
    text: &str,
    markdown: &MarkdownOutline,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        if markdown.is_code(number) {
            continue;
        }
        let Some((column, placeholder)) = text::find_placeholder(line) else {
            continue;
        };
        if diagnostics
            .iter()
            .any(|d| d.line == number && d.code == Code::TemplateLeftover)
        {
            continue;
        }
        diagnostics.push(
            Diagnostic::warning(
                path,
                number,
                Code::TemplateLeftover,
                format!("`{placeholder}` looks like a template placeholder left unfilled; read as unknown"),
            )
            .at_column(column + 1),
        );
    }
}

/// `<<<<<<< HEAD`, `=======`, `>>>>>>> branch` left by a merge: the file holds two
/// versions of some text, and the page shows both. One warning per conflict, at its start.
fn report_conflict_markers(
    path: &str,
    text: &str,
    markdown: &MarkdownOutline,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut open: Option<usize> = None;
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        if markdown.is_code(number) {
            continue;
        }
        if line.starts_with("<<<<<<< ") || line == "<<<<<<<" {
            open = open.or(Some(number));
        } else if (line.starts_with(">>>>>>> ") || line == ">>>>>>>") && open.is_some() {
            let start = open.take().unwrap_or(number);
            diagnostics.push(Diagnostic::warning(
                path,
                start,
                Code::MergeConflict,
                format!(
                    "merge-conflict markers (lines {start}-{number}): the file holds two versions of this text, and both are shown"
                ),
            ));
        }
    }
}

/// A timeline's first entry often only leads up to the outage (an upgrade scheduled
/// days before). When the file states how long the outage lasted and the first entry
/// makes it far longer (more than twice, and by over an hour), the start is the entry
/// that lies that long before the end, if one is within a quarter of the duration (at
/// least 10 minutes) of it: "halted for almost four hours" and an end at 18:33 point at
/// the 14:41 entry.
fn start_the_stated_duration_points_at(
    entries: &[&TimelineEntry],
    start: &Option<Fact<Moment>>,
    end: &Fact<Moment>,
    stated: i64,
    timezone: FixedOffset,
) -> Option<Fact<Moment>> {
    let first = start.as_ref()?.value.epoch_minutes(timezone)?;
    let last = end.value.epoch_minutes(timezone)?;
    let spanned = last - first;
    if stated <= 0 || spanned <= 2 * stated || spanned - stated <= 60 {
        return None;
    }
    let target = last - stated;
    let slack = (stated / 4).max(10);
    entries
        .iter()
        .filter(|e| e.at.time.is_some())
        .filter_map(|e| Some((e, e.at.epoch_minutes(timezone)?)))
        .filter(|(_, at)| (first..last).contains(at) && (at - target).abs() <= slack)
        .min_by_key(|(e, at)| ((at - target).abs(), e.line))
        .map(|(e, _)| Fact {
            value: e.at,
            line: e.line,
        })
}

/// Minutes from start to end when both have a date and a time; an end before the
/// start is reported.
fn computed_duration(
    path: &str,
    start: &Option<Fact<Moment>>,
    end: &Option<Fact<Moment>>,
    timezone: FixedOffset,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<i64> {
    let (s, e) = (start.as_ref()?, end.as_ref()?);
    let mut end_before_start = || {
        diagnostics.push(Diagnostic::warning(
            path,
            e.line,
            Code::EndBeforeStart,
            format!("the end ({}) is before the start ({})", e.value, s.value),
        ));
    };
    if s.value.time.is_none() || e.value.time.is_none() {
        // Days alone have no duration, but an end day before the start day is wrong.
        if let (Some(start_day), Some(end_day)) = (s.value.date, e.value.date) {
            if end_day < start_day {
                end_before_start();
            }
        }
        return None;
    }
    // Two times of day with no date: the span between them, past midnight if need be.
    if s.value.date.is_none() && e.value.date.is_none() {
        let (a, b) = (s.value.time?, e.value.time?);
        let minutes = (b - a).num_minutes();
        return Some(if minutes < 0 {
            minutes + 24 * 60
        } else {
            minutes
        });
    }
    let (a, b) = (
        s.value.epoch_minutes(timezone)?,
        e.value.epoch_minutes(timezone)?,
    );
    if b < a {
        end_before_start();
        return None;
    }
    Some(b - a)
}

/// CRLF and lone CR become LF, and a byte-order mark goes, so lines count the same
/// everywhere.
/// A report pasted from a chat assistant often sits in a ```` ```markdown ```` fence
/// that opens near the top and closes at the end, or never. Such a fence wraps the
/// document rather than showing code: its fence lines, and the assistant's words before
/// it ("Certainly! Here is..."), are blanked (line numbers stay) and the 1-based line of
/// the opening fence is returned.
fn unwrap_markdown_fence(text: &str) -> Option<(String, usize)> {
    static OPENING: LazyLock<Regex> =
        LazyLock::new(|| compile(r"^ {0,3}(`{3,}|~{3,})[ \t]*(?i:markdown|md)[ \t]*$").unwrap());
    let lines: Vec<&str> = text.lines().collect();
    let non_blank: Vec<usize> = (0..lines.len())
        .filter(|&i| !lines[i].trim().is_empty())
        .collect();
    // Only a fence among the first three lines with text wraps the document.
    let (open, fence) = non_blank
        .iter()
        .take(3)
        .find_map(|&i| OPENING.captures(lines[i]).map(|c| (i, c[1].to_string())))?;
    let closes = |line: &str| {
        let t = line.trim();
        t.len() >= fence.len() && t.chars().all(|c| fence.starts_with(c))
    };
    let closing: Vec<usize> = (open + 1..lines.len())
        .filter(|&i| closes(lines[i]))
        .collect();
    let close = match closing[..] {
        [] => None,
        // Closed only at the very end: it wraps everything.
        [only] if Some(&only) == non_blank.last() => Some(only),
        _ => return None,
    };
    let mut out = String::with_capacity(text.len());
    for (i, line) in lines.iter().enumerate() {
        if i > open && Some(i) != close {
            out.push_str(line);
        }
        out.push('\n');
    }
    Some((out, open + 1))
}

fn normalize_newlines(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if !text.contains('\r') {
        return text.to_string();
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// "2024-06-07: Our e-commerce platform was down", else the file name; with a warning.
fn derive_title(
    path: &str,
    start: Option<&Moment>,
    summary: Option<&str>,
    impact: Option<&Impact>,
    diagnostics: &mut Vec<Diagnostic>,
) -> (String, TitleSource) {
    let stem = file_stem(path);
    let clause = summary
        .or(impact.map(|i| i.text.as_str()))
        .map(first_clause)
        .filter(|c| !c.is_empty());
    let date = start
        .and_then(|m| m.date)
        .map(crate::parse::dates::iso_date);
    let has_date = date.is_some();
    // A name such as `003-instantschools-migrations-not-included.md` is the author's
    // own title; a summary's first clause is only a guess at one.
    let (title, source) = match (descriptive_file_name(stem), date, clause) {
        (Some(name), _, _) => (name, TitleSource::FileName),
        (None, Some(date), Some(clause)) => (format!("{date}: {clause}"), TitleSource::Derived),
        (None, None, Some(clause)) => (clause, TitleSource::Derived),
        _ => (
            stem.replace(['-', '_'], " ").trim().to_string(),
            TitleSource::FileName,
        ),
    };
    let from = match (source, has_date) {
        (TitleSource::Derived, true) => "its date and summary",
        (TitleSource::Derived, false) => "its summary",
        _ => "the file name",
    };
    diagnostics.push(Diagnostic::warning(
        path,
        1,
        Code::NoTitle,
        format!("no title heading; using \"{title}\", made from {from}"),
    ));
    (title, source)
}

/// The file's name without its folder and extension.
fn file_stem(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.').map_or(name, |(stem, _)| stem)
}

/// A file name that reads as a title once its date or number prefix is dropped:
/// `2017-02-09-datahub-db-outage` -> "Datahub db outage". Names every postmortem could
/// have (`README`, `postmortem`, `Blog_Post`, `incident-report`) say nothing.
fn descriptive_file_name(stem: &str) -> Option<String> {
    const SAY_NOTHING: &[&str] = &[
        "readme",
        "index",
        "postmortem",
        "postmortems",
        "post",
        "mortem",
        "pm",
        "incident",
        "incidents",
        "report",
        "reports",
        "blog",
        "template",
        "draft",
        "notes",
        "rca",
        "review",
        "retro",
        "retrospective",
        "writeup",
        "summary",
        "outage",
        "issue",
        "task",
        "the",
        "a",
        "an",
        "of",
        "for",
        "and",
        "my",
        "our",
        "final",
        "copy",
        "new",
        "old",
    ];
    let spaced = split_camel_case(stem);
    let words: Vec<&str> = spaced
        .split(['-', '_', ' ', '.'])
        .filter(|w| !w.is_empty())
        .collect();
    // Leading numbers: `2017-02-09-`, `003-`, `2025_05_`.
    let first_word = words
        .iter()
        .position(|w| !w.chars().all(|c| c.is_ascii_digit()))?;
    let words = &words[first_word..];
    let telling = words
        .iter()
        .filter(|w| is_word(w))
        .filter(|w| !SAY_NOTHING.contains(&w.to_lowercase().as_str()))
        .count();
    if telling < 2 {
        return None;
    }
    let title = words.join(" ");
    let mut chars = title.chars();
    let first = chars.next()?;
    Some(first.to_uppercase().chain(chars).collect())
}

/// A word of a name, not a hash or an id: mostly letters, and not a run of hex digits
/// with numbers in it (`7f942faca125`).
fn is_word(word: &str) -> bool {
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    let hex_with_digits =
        word.chars().all(|c| c.is_ascii_hexdigit()) && word.chars().any(|c| c.is_ascii_digit());
    letters >= 2 && letters * 2 >= word.chars().count() && !hex_with_digits
}

/// `WikiAttack` -> `Wiki Attack`: a capital after a lowercase letter starts a word.
fn split_camel_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    let mut previous_lower = false;
    for c in name.chars() {
        if c.is_uppercase() && previous_lower {
            out.push(' ');
        }
        previous_lower = c.is_lowercase();
        out.push(c);
    }
    out
}

/// The first clause of a sentence that says something: "Our e-commerce platform was
/// down". A clause that only dates the text ("Monday", "At approximately 09:15 on May
/// 10th") is passed over. A clause longer than twelve words is cut at ten and marked
/// with an ellipsis, never mid-word.
fn first_clause(text: &str) -> String {
    let folded = first_sentences(text, 4);
    let clause = self::text::split_sentences(&folded)
        .into_iter()
        .flat_map(|sentence| sentence.split([',', ';', '(']))
        .map(|clause| {
            let clause = clause.split(": ").next().unwrap_or("").trim();
            clause.trim_end_matches('.')
        })
        .find(|clause| says_something(clause))
        .unwrap_or("");
    let words: Vec<&str> = clause.split_whitespace().collect();
    if words.len() <= 12 {
        words.join(" ")
    } else {
        format!("{}…", words[..10].join(" "))
    }
}

/// How many sections make the first telling of the incident. Some authors tell it twice
/// in one file (a plain report, then the same one written for fun): after the first
/// telling's tasks, a summary again, followed by a root cause and a timeline again.
fn first_telling(sections: &[Section]) -> usize {
    let has = |part: &[Section], kind: SectionKind| part.iter().any(|s| s.kind == kind);
    let Some(tasks) = sections.iter().position(|s| s.kind == SectionKind::Tasks) else {
        return sections.len();
    };
    let told = |part: &[Section]| {
        has(part, SectionKind::Summary)
            && has(part, SectionKind::RootCause)
            && has(part, SectionKind::Timeline)
    };
    if !told(&sections[..tasks]) {
        return sections.len();
    }
    (tasks + 1..sections.len())
        .find(|&at| sections[at].kind == SectionKind::Summary && told(&sections[at..]))
        .unwrap_or(sections.len())
}

/// Prose (one block per line) from its first block that says something: a line that
/// only dates the text ("Monday, Nov. 13, 2017", with no full stop) would run into the
/// next sentence.
pub(crate) fn after_dating_lines(prose: &str) -> &str {
    let mut rest = prose.trim_start();
    while let Some((line, next)) = rest.split_once('\n') {
        if says_something(line) {
            break;
        }
        rest = next.trim_start();
    }
    if says_something(rest) {
        rest
    } else {
        prose
    }
}

/// Whether a clause holds two words beyond dates, times and the words around them.
fn says_something(clause: &str) -> bool {
    const DATING: &[&str] = &[
        "at",
        "on",
        "in",
        "around",
        "about",
        "approximately",
        "approx",
        "roughly",
        "utc",
        "gmt",
        "am",
        "pm",
        "the",
        "of",
        "th",
        "st",
        "nd",
        "rd",
    ];
    clause
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| w.len() > 1)
        .filter(|w| {
            let lower = w.to_lowercase();
            !DATING.contains(&lower.as_str())
                && !crate::model::moment::MONTH_NAMES
                    .iter()
                    .any(|m| m.to_lowercase().starts_with(&lower) && lower.len() >= 3)
                && !WEEKDAYS.iter().any(|d| lower.starts_with(d))
        })
        // Two are enough: a long paragraph is not read to its end.
        .nth(1)
        .is_some()
}

const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Incident {
        parse_incident("incident.md", text, &ParseOptions::default())
    }

    /// The incident's first diagnostic with `code`.
    fn diagnostic(incident: &Incident, code: Code) -> Option<&Diagnostic> {
        incident.diagnostics.iter().find(|d| d.code == code)
    }

    #[test]
    fn a_report_wrapped_in_a_markdown_fence_is_read() {
        for closing in ["", "```\n"] {
            let incident = parse(&format!(
                "Certainly! Here is the report:\n\n```markdown\n# Web outage\n\n## Root cause\nA bad deploy of the web tier.\n{closing}"
            ));
            assert_eq!(incident.title, "Web outage");
            assert!(incident.root_cause.is_some(), "{closing:?}");
            assert!(incident
                .diagnostics
                .iter()
                .any(|d| d.code == Code::MarkdownFence && d.line == 3));
        }
        // A markdown example further down is code.
        let incident = parse("# X\n\nText.\n\nMore.\n\n```markdown\n## Root cause\nexample\n```\n");
        assert!(incident.root_cause.is_none());
    }

    #[test]
    fn a_report_told_twice_is_read_from_its_first_telling() {
        let telling = |tone: &str| {
            format!(
                "**Summary:**\nThe {tone} API was down from 10:00 to 11:00 UTC.\n\n\
                 **Root cause:**\nA {tone} expired certificate.\n\n\
                 **Timeline:**\n- **10:00 UTC:** {tone} alerts fired.\n- **11:00 UTC:** {tone} fix.\n\n\
                 **Corrective measures:**\n1. Renew {tone} certificates.\n2. Alert on {tone} expiry.\n\n"
            )
        };
        let text = format!("# API outage\n\n{}{}", telling("plain"), telling("funny"));
        let incident = parse(&text);
        assert_eq!(incident.timeline.len(), 2);
        assert_eq!(incident.tasks.len(), 2);
        assert!(incident.tasks.iter().all(|t| t.text.contains("plain")));
        let note = diagnostic(&incident, Code::ToldTwice).expect("a note");
        assert_eq!(note.severity, crate::diagnostic::Severity::Note);
        assert!(text.lines().nth(note.line - 1).unwrap().contains("Summary"));
        // Every section is still on the page.
        assert!(
            incident
                .sections
                .iter()
                .filter(|s| s.kind == SectionKind::Timeline)
                .count()
                == 2
        );
        // One telling with a later summary-like section is one telling.
        let once = parse(&format!(
            "# API outage\n\n{}## Summary of changes\nNone.\n",
            telling("plain")
        ));
        assert!(diagnostic(&once, Code::ToldTwice).is_none());
    }

    #[test]
    fn a_blog_posts_tags_and_categories_are_topics_not_causes() {
        let post = "---\nlayout: post\ntitle: Storage outage\ncategories: engineering\ntags: [update, infra]\n---\n\n\
                    ## Root cause\nThe disk filled up with old logs.\n";
        let names: Vec<String> = parse(post).tags.into_iter().map(|t| t.name).collect();
        assert!(
            !names
                .iter()
                .any(|n| ["engineering", "update", "infra"].contains(&n.as_str())),
            "{names:?}"
        );
        assert!(!names.is_empty(), "tags still come from the cause");
        // A postmortem's own frontmatter files it by cause.
        let own = post.replace("layout: post\n", "");
        let incident = parse(&own);
        assert!(incident
            .tags
            .iter()
            .any(|t| t.name == "update" && !t.inferred));
        // Root-cause keys are causes on a blog too.
        let stated = post.replace("tags: [update, infra]", "root_causes: [storage]");
        assert!(parse(&stated)
            .tags
            .iter()
            .any(|t| t.name == "storage" && !t.inferred));
    }

    #[test]
    fn root_cause_from_question_headings_never_from_lessons_or_asides() {
        let incident = parse(
            "# Login outage\n\n## Why did it happen?\nA cache key collided after the rename.\n",
        );
        assert!(incident
            .root_cause
            .unwrap()
            .summary
            .contains("cache key collided"));
        // No cause section: a weak cue in lessons or in brackets is no cause.
        let incident = parse(
            "# Login outage\n\n## Summary\nLogins failed for an hour (mostly on mobile, because of retries).\n\n\
             ## Where we got lucky\nThe fix was quick because the author was online.\n",
        );
        assert!(incident.root_cause.is_none(), "{:?}", incident.root_cause);
        // A strong cue anywhere beats a weak one earlier.
        let incident = parse(
            "# Login outage\n\n## Summary\nWe were slow because it was night.\n\n\
             ## Details\nThe outage was caused by an expired signing key.\n",
        );
        assert!(incident
            .root_cause
            .unwrap()
            .summary
            .contains("expired signing key"));
    }

    #[test]
    fn root_cause_told_before_its_effect_in_the_summary() {
        let cause = |text: &str| parse(text).root_cause.map(|c| c.summary);
        let told = cause(
            "# Queue stall\n\n## Summary\nA lock leak in the scheduler\nblocked every worker, \
             resulting in a four hour backlog.\n",
        );
        assert!(told.unwrap().starts_with("A lock leak in the scheduler"));
        // "This ... caused" points back: the sentence before comes too.
        let back = cause(
            "# Ingress down\n\n## Summary\nAll ingress nodes were drained during the upgrade. \
             This went unnoticed and caused 40 minutes of outage.\n",
        )
        .unwrap();
        assert!(back.starts_with("All ingress nodes were drained"), "{back}");
        // The incident as the subject, or as the cause of something else, is no cause.
        assert_eq!(
            cause("# X\n\n## Summary\nThe outage caused errors for users.\n"),
            None
        );
        assert_eq!(
            cause("# X\n\n## Summary\nNo action is required due to this incident.\n"),
            None
        );
    }

    #[test]
    fn the_stated_time_of_day_refines_a_date_alone() {
        let start = |text: &str| parse(text).start.and_then(|f| f.value.iso());
        // A frontmatter date is the day; the Start: label its time.
        assert_eq!(
            start("---\ntitle: X\ndate: 2024-06-07\n---\nStart: 10:30 AM UTC\n").as_deref(),
            Some("2024-06-07T10:30:00Z")
        );
        // Facts written as headings, the date and the time apart.
        assert_eq!(
            start("# X\n\n## Date: 12th March 2023\n\n## Time: 5:13:57 UTC\n\n## Details\nText.\n")
                .as_deref(),
            Some("2023-03-12T05:13:57Z")
        );
        // A summary that opens with a dated sentence gives the day, with its year only.
        assert_eq!(
            start("# X\n\n## Summary\nOn 31st July 2018 a researcher reported a leak.\n")
                .as_deref(),
            Some("2018-07-31")
        );
        assert_eq!(
            start("# X\n\n## Summary\nOn October 2 a researcher reported it.\n"),
            None
        );
        // A disclosure dated in its title: the day the problem was found, stated in a
        // later background paragraph, is the start...
        let background = |opening: &str| {
            format!(
                "# Disclosure 2022-11-20\n\n## Summary\n- A flaw was found.\n- It is fixed.\n- Funds are safe.\n- Thanks.\n\n## Background\n{opening}, a researcher found the flaw.\n"
            )
        };
        assert_eq!(
            start(&background("On 21st October 2022")).as_deref(),
            Some("2022-10-21")
        );
        // ...but not a date long before it, nor the first entry of a chronology.
        assert_eq!(
            start(&background("On 21st October 2021")).as_deref(),
            Some("2022-11-20")
        );
        assert_eq!(
            start(&background("- On 21st October 2022")).as_deref(),
            Some("2022-11-20")
        );
    }

    #[test]
    fn merge_conflict_markers_are_reported_once_outside_code() {
        let incident = parse(
            "# X\n\n<<<<<<< HEAD\nThe cache failed.\n=======\nThe database failed.\n>>>>>>> fix\n\n```\n<<<<<<< a\n>>>>>>> b\n```\n",
        );
        let found: Vec<usize> = incident
            .diagnostics
            .iter()
            .filter(|d| d.code == Code::MergeConflict)
            .map(|d| d.line)
            .collect();
        assert_eq!(found, vec![3]);
    }

    #[test]
    fn frontmatter_aliases_name_the_fields_and_lose_to_them() {
        let options = ParseOptions {
            frontmatter_aliases: vec![
                ("opened_at".to_string(), "start".to_string()),
                ("headline".to_string(), "title".to_string()),
            ],
            ..ParseOptions::default()
        };
        let text = "---\nheadline: Queue stalled\nopened_at: 2024-06-07T10:30:00Z\n---\nBody.\n";
        let incident = parse_incident("a.md", text, &options);
        assert_eq!(incident.title, "Queue stalled");
        let start = incident.start.expect("a start");
        assert_eq!(start.line, 3);
        assert_eq!(start.value.iso().as_deref(), Some("2024-06-07T10:30:00Z"));
        // The field under its own name wins.
        let both = text.replace("---\nBody", "title: Own title\n---\nBody");
        assert_eq!(parse_incident("a.md", &both, &options).title, "Own title");
    }

    #[test]
    fn a_status_page_export_is_a_timeline_newest_last() {
        let incident = parse(
            "# Webhook delays\n\n**Resolved** - Deliveries are back to normal.\n\
             Mar 3, 2025 - 16:20 UTC\n\n**Monitoring** - A fix is out.\nMar 3, 2025 - 15:55 UTC\n\n\
             **Investigating** - Webhooks are delayed by up to an hour.\nMar 3, 2025 - 15:02 UTC\n\n\
             This incident affected: Webhooks and Public API.\n",
        );
        let iso = |f: &Option<Fact<Moment>>| f.as_ref().and_then(|f| f.value.iso());
        assert_eq!(
            iso(&incident.start).as_deref(),
            Some("2025-03-03T15:02:00Z")
        );
        assert_eq!(iso(&incident.end).as_deref(), Some("2025-03-03T16:20:00Z"));
        let texts: Vec<&str> = incident.timeline.iter().map(|e| e.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Investigating: Webhooks are delayed by up to an hour.",
                "Monitoring: A fix is out.",
                "Resolved: Deliveries are back to normal."
            ]
        );
        assert_eq!(incident.services, ["Webhooks", "Public API"]);
        // None of the statuses is a section of its own.
        assert!(incident.root_cause.is_none());
        assert_eq!(incident.timeline[0].line, 9);

        // An "Identified" update that names the cause gives the root cause; the stock one
        // does not.
        let cause = |identified: &str| {
            parse(&format!(
                "# X\n\n**Resolved** - Fixed.\nMar 3, 2025 - 16:20 UTC\n\n\
                 **Identified** - {identified}\nMar 3, 2025 - 15:40 UTC\n\n\
                 **Investigating** - Errors.\nMar 3, 2025 - 15:02 UTC\n"
            ))
            .root_cause
            .map(|c| c.summary)
        };
        assert_eq!(
            cause("The delays were traced to a full disk on the queue host.").as_deref(),
            Some("The delays were traced to a full disk on the queue host.")
        );
        assert_eq!(
            cause("The issue has been identified and a fix is being implemented."),
            None
        );
    }

    #[test]
    fn a_due_date_that_cannot_be_read_is_named() {
        let incident = parse(
            "# X\n\n## Action items\n- Add disk alerts - Due: 2024-07-01\n\
             - Rotate keys - ETA: 2 weeks\n- Write runbook - Due: after the offsite\n- Audit - Due: TBD\n",
        );
        let unread: Vec<(usize, &str)> = incident
            .diagnostics
            .iter()
            .filter(|d| d.code == Code::UnreadableDate)
            .map(|d| (d.line, d.message.as_str()))
            .collect();
        assert_eq!(unread.len(), 2, "{unread:?}");
        assert_eq!(unread[0].0, 5);
        assert!(
            unread[0].1.contains("`2 weeks` is a span"),
            "{}",
            unread[0].1
        );
        assert!(
            unread[1].1.contains("`after the offsite`"),
            "{}",
            unread[1].1
        );
        assert_eq!(incident.tasks.len(), 4);
    }

    #[test]
    fn a_duration_in_prose_is_the_outage_s_not_a_step_s() {
        let stated = |summary: &str| {
            parse(&format!("# X\n\n## Summary\n{summary}\n"))
                .stated_duration_minutes
                .map(|f| f.value)
        };
        assert_eq!(
            stated("Search was down for a total of 16 minutes."),
            Some(16)
        );
        assert_eq!(stated("The chain halted for almost four hours."), Some(240));
        assert_eq!(stated("The outage lasted about two hours."), Some(120));
        assert_eq!(
            stated("Some steps took over 60 seconds and initial mitigation took 47 minutes."),
            None
        );
        assert_eq!(stated("We waited for 10 minutes before paging."), None);
    }

    #[test]
    fn a_range_wrapped_across_lines_is_read_whole() {
        let incident = parse(
            "# Builds stuck\n\nDate: 2023-05-02\n\n## Impact\n\nQueued builds could not \
             start (between\n1:46pm - 5:30pm), and retries piled up.\n",
        );
        let time =
            |m: &Option<Fact<Moment>>| m.as_ref().and_then(|f| f.value.time).map(|t| t.to_string());
        assert_eq!(time(&incident.start).as_deref(), Some("13:46:00"));
        assert_eq!(time(&incident.end).as_deref(), Some("17:30:00"));
        assert_eq!(incident.duration_minutes, Some(224));
    }

    #[test]
    fn a_timeline_running_for_days_ends_where_service_came_back_or_not_at_all() {
        let follow_up = "# X\n\n## Timeline\n- 2024-03-04 08:10: disk alarms fire\n\
            - 2024-03-04 09:00: writes fail\n- 2024-03-08 15:00: cleanup job merged\n";
        let incident = parse(follow_up);
        assert!(incident.end.is_none(), "{:?}", incident.end);
        let recovered = follow_up.replace("writes fail", "writes recovered");
        let end = parse(&recovered).end.expect("an end").value;
        assert_eq!(end.time.map(|t| t.to_string()).as_deref(), Some("09:00:00"));
        // Within a day the last entry still ends it.
        let same_day = "# X\n\n## Timeline\n- 2024-03-04 08:10: disk alarms fire\n\
            - 2024-03-04 09:00: old logs deleted\n";
        assert!(parse(same_day).end.is_some());
    }

    #[test]
    fn the_timeline_start_is_where_the_outage_begins_unless_it_is_unknown() {
        let timeline = "## Timeline\n- 2024-06-07 09:00: capacity review scheduled\n\
                        - 2024-06-07 10:30: **Outage begins.** Requests fail\n\
                        - 2024-06-07 11:00: service restored\n";
        let incident = parse(&format!("# X\n\n{timeline}"));
        assert_eq!(
            incident.start.unwrap().value.iso().as_deref(),
            Some("2024-06-07T10:30:00")
        );
        let incident = parse(&format!(
            "# X\n\n## Summary\nAn outage of unknown length: the start\ntime is not fully known.\n\n{timeline}"
        ));
        assert!(incident.start.is_none(), "{:?}", incident.start);
        let incident = parse(&format!(
            "# X\n\n## Summary\nIt is difficult to tell exactly when the problem first\nbecame substantial.\n\n{timeline}"
        ));
        assert!(incident.start.is_none(), "{:?}", incident.start);
    }

    #[test]
    fn a_retrospective_heading_is_the_title_and_slowdowns_are_impact() {
        let incident = parse("# Retrospective: Drop #1\n\n## Summary\nLarge batches caused an increase in block times.\n");
        assert_eq!(incident.title, "Retrospective: Drop #1");
        assert!(incident
            .impact
            .unwrap()
            .text
            .contains("increase in block times"));
    }

    #[test]
    fn code_blocks_hold_no_facts() {
        // A four-backtick fence wrapping a three-backtick one, an indented block and a
        // tilde fence: every fact-shaped line in them is shown as code, so none is read.
        let incident = parse(
            "# Cache outage\n\n## Summary\nThe cache was slow.\n\n\
             ````md\n```\nRoot Cause: a fake cause\n```\nStart: June 7, 2024, 10:30 AM UTC\n\
             Owner: TBD\n````\n\n\
             ## Timeline\n\n```\n10:30 AM: a log line, not an event\n- **15:00:** nor this\n```\n\n\
             ~~~\n| 11:00 | a table row in code |\n~~~\n\n\
             ## Action items\n\n    Task 1: indented code, not a task Due: June 15, 2024\n\n\
             ```\n- [ ] a checkbox in code\nTask 2: nor this YYYY-MM-DD\n```\n",
        );
        assert!(incident.timeline.is_empty(), "{:?}", incident.timeline);
        assert!(incident.tasks.is_empty(), "{:?}", incident.tasks);
        assert!(incident.start.is_none(), "{:?}", incident.start);
        assert!(incident.root_cause.is_none(), "{:?}", incident.root_cause);
        assert!(
            !incident
                .diagnostics
                .iter()
                .any(|d| d.code == Code::TemplateLeftover),
            "{:?}",
            incident.diagnostics
        );
    }

    #[test]
    fn placeholders_in_inline_code_and_filled_links_are_not_leftovers() {
        let incident = parse(
            "# X\n\nDates are written as `YYYY-MM-DD` here.\n\nSee [link to the PR](https://example.com/pr/1).\n\nOwner: TBD\n",
        );
        let lines: Vec<usize> = incident
            .diagnostics
            .iter()
            .filter(|d| d.code == Code::TemplateLeftover)
            .map(|d| d.line)
            .collect();
        assert_eq!(lines, vec![7]);
    }

    #[test]
    fn incident_tool_exports_give_start_end_and_duration() {
        let incident = parse("---\ntitle: Queue stall\nimpact_started_at: 2024-03-01T10:00:00Z\nimpact-ended-at: 2024-03-01T10:45:00Z\n---\nText.\n");
        assert_eq!(
            incident.start.unwrap().value.iso().as_deref(),
            Some("2024-03-01T10:00:00Z")
        );
        assert_eq!(
            incident.end.unwrap().value.iso().as_deref(),
            Some("2024-03-01T10:45:00Z")
        );
        let incident = parse("---\ntitle: Queue stall\noutage_duration: 45 minutes\n---\nText.\n");
        assert_eq!(incident.duration_minutes, Some(45));
    }

    #[test]
    fn frontmatter_wins_over_text() {
        let incident = parse("---\nid: db-1\ntitle: DB outage\nstarted_at: 2023-11-02T08:14:00-05:00\nseverity: SEV-2\nservices: [db]\ntags: [Database]\n---\n# Other\n\nStart: June 1, 2024\n");
        assert_eq!(incident.id, "db-1");
        assert_eq!(incident.title, "DB outage");
        assert_eq!(
            incident.start.unwrap().value.iso().unwrap(),
            "2023-11-02T08:14:00-05:00"
        );
        assert_eq!(incident.severity.as_deref(), Some("SEV-2"));
        assert_eq!(
            incident.tags,
            [Tag {
                name: "database".into(),
                inferred: false
            }]
        );
        assert!(!incident.timezone_assumed);
    }

    #[test]
    fn derived_title_warns() {
        let incident = parse("#Issue Summary\n#Duration:\nStart: June 7, 2024, 10:30 AM UTC\n#Impact:\nOur platform was down, preventing purchases.\n");
        assert_eq!(incident.title, "2024-06-07: Our platform was down");
        assert_eq!(incident.title_source, TitleSource::Derived);
        let warning = diagnostic(&incident, Code::NoTitle).unwrap();
        assert!(warning.message.contains("made from its date and summary"));
    }

    #[test]
    fn a_descriptive_file_name_beats_a_summary_clause() {
        let text = "# Overview\n\nMonday, Nov. 13, 2017\n\nUsers could not log in.\n";
        let incident = parse_incident(
            "003-instantschools-migrations-not-included.md",
            text,
            &ParseOptions::default(),
        );
        assert_eq!(incident.title, "Instantschools migrations not included");
        assert_eq!(incident.title_source, TitleSource::FileName);
        for generic in [
            "README.md",
            "0x19-postmortem/Blog_Post.md",
            "2024-05-01-incident-report.md",
        ] {
            let incident = parse_incident(
                generic,
                "## Summary\n\nThe API was down.\n",
                &ParseOptions::default(),
            );
            // The date in a name dates the incident, and so its made-up title.
            assert!(incident.title.ends_with("The API was down"), "{generic}");
            assert_eq!(incident.title_source, TitleSource::Derived);
        }
        assert_eq!(
            descriptive_file_name("2017-02-09-datahub-db-outage").as_deref(),
            Some("Datahub db outage")
        );
        assert_eq!(
            descriptive_file_name("hung-nodes").as_deref(),
            Some("Hung nodes")
        );
        assert_eq!(descriptive_file_name("2025-postmortem"), None);
        assert_eq!(
            descriptive_file_name("2021-05-10-WikiAttack").as_deref(),
            Some("Wiki Attack")
        );
        assert_eq!(
            descriptive_file_name("04f5afd8-09fc-4314-9c60-7f942faca125"),
            None
        );
        assert_eq!(
            first_clause("Monday, Nov. 13, 2017. Users could not log in, at all."),
            "Users could not log in"
        );
        assert_eq!(
            after_dating_lines(
                "Monday, Nov. 13, 2017\nDuring the setup, users could not log in.\n"
            ),
            "During the setup, users could not log in.\n"
        );
        assert_eq!(after_dating_lines("Monday\n"), "Monday\n");
        assert_eq!(
            first_clause(
                "At approximately 09:15:04 Monday May 10th (UTC), 2021, the wiki was defaced."
            ),
            "the wiki was defaced"
        );
    }

    #[test]
    fn the_date_a_file_is_named_with_dates_it_when_the_text_does_not() {
        let options = ParseOptions::default();
        let text = "# DODO\n\nDodo was hacked for $2 million.\n\n## Timeline\n\n- 10:30: the pool was drained\n";
        let incident = parse_incident("2021-03-08-Dodo.md", text, &options);
        let start = incident.start.unwrap().value;
        assert_eq!(start.date, chrono::NaiveDate::from_ymd_opt(2021, 3, 8));
        assert_eq!(incident.timeline[0].at.date, start.date);
        let stated = "# DODO\n\nOn 5 March 2021 Dodo was hacked.\n";
        let incident = parse_incident("2021-03-08-Dodo.md", stated, &options);
        assert_eq!(
            incident.start.unwrap().value.date,
            chrono::NaiveDate::from_ymd_opt(2021, 3, 5)
        );
        for undated in ["2020-12-AAVE-proxy.md", "20210308.md", "2021-13-08-x.md"] {
            assert!(
                parse_incident(undated, "# X\n\nIt broke.\n", &options)
                    .start
                    .is_none(),
                "{undated}"
            );
        }
    }

    #[test]
    fn a_file_with_no_root_cause_is_tagged_from_its_summary() {
        let text =
            "# Queue stalled\n\n## Summary\n\nThe queue stalled under peak load after a deploy.\n";
        let incident = parse(text);
        let tags: Vec<&str> = incident.tags.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(tags, ["deploy", "capacity"]);
        assert!(incident.tags.iter().all(|t| t.inferred));
        // A root cause that names a kind of failure is the only source.
        let both = "# Queue stalled\n\n## Summary\n\nThe queue stalled after a deploy.\n\n## Root cause\n\nA memory leak.\n";
        let tags: Vec<String> = parse(both).tags.into_iter().map(|t| t.name).collect();
        assert_eq!(tags, ["memory"]);
    }

    #[test]
    fn a_blog_post_date_gives_way_to_the_day_its_title_names() {
        let options = ParseOptions::default();
        let post = "---\ntitle: \"Postmortem for the Mainnet incident on 17th June 2019\"\ndate: 2019-07-02 15:00:00\n---\n\nThe chain stopped.\n";
        let start = parse_incident("post.md", post, &options).start.unwrap();
        assert_eq!(
            start.value.date,
            chrono::NaiveDate::from_ymd_opt(2019, 6, 17)
        );
        assert_eq!((start.value.time, start.line), (None, 2));
        // A `start:` key is the author's word; a title naming a later day changes nothing.
        for kept in [
            "---\ntitle: Outage on 17th June 2019\nstart: 2019-07-02 15:00\n---\n",
            "---\ntitle: Outage, reviewed 3 August 2019\ndate: 2019-07-02 15:00\n---\n",
        ] {
            let start = parse_incident("post.md", kept, &options).start.unwrap();
            assert_eq!(
                start.value.date,
                chrono::NaiveDate::from_ymd_opt(2019, 7, 2),
                "{kept}"
            );
        }
    }

    #[test]
    fn the_day_a_title_names_starts_a_timeline_that_leads_up_to_it() {
        let text = "# Minority split 2021-08-27 post mortem\n\n## Timeline\n\n- 2021-08-17: a bounty report came in.\n- 2021-08-24: released the fix.\n- 2021-08-27: At 12:50:07 UTC, issue exploited.\n- 2021-08-27: 14:00 UTC, nodes upgraded.\n";
        let start = parse(text).start.unwrap();
        assert_eq!(
            start.value.date,
            chrono::NaiveDate::from_ymd_opt(2021, 8, 27)
        );
        assert_eq!(start.line, 7);
        assert_eq!(start.value.time, chrono::NaiveTime::from_hms_opt(12, 50, 7));
    }

    #[test]
    fn a_file_reads_all_its_numeric_dates_one_way() {
        let day = |d| chrono::NaiveDate::from_ymd_opt(2024, 6, d);
        // 13/06/2024 is day first, so 05/06/2024 beside it is June 5, not May 6.
        let text = "# Outage\n\nStart: 05/06/2024 10:00\n\n## Timeline\n\n- 13/06/2024 09:00: fix shipped\n";
        let incident = parse(text);
        assert_eq!(incident.start.unwrap().value.date, day(5));
        assert!(diagnostic(&incident, Code::AmbiguousDate).is_none());
        // Nothing decides: slashes read month first, with a warning at the first date.
        let incident = parse("# Outage\n\nStart: 05/06/2024 10:00\n");
        assert_eq!(
            incident.start.unwrap().value.date,
            chrono::NaiveDate::from_ymd_opt(2024, 5, 6)
        );
        let warning = diagnostic(&incident, Code::AmbiguousDate).unwrap();
        assert_eq!(warning.line, 3);
        assert!(
            warning
                .message
                .contains("could be May 6, 2024 or June 5, 2024"),
            "{}",
            warning.message
        );
        // The same number twice (06/06/2024) reads the same either way.
        let incident = parse("# Outage\n\nStart: 06/06/2024 10:00\n");
        assert!(diagnostic(&incident, Code::AmbiguousDate).is_none());
    }

    #[test]
    fn an_end_day_before_the_start_day_is_reported() {
        let incident = parse("---\nstart: 2024-05-10\nend: 2024-05-08\n---\n\n# X\n");
        let warning = diagnostic(&incident, Code::EndBeforeStart).unwrap();
        assert_eq!(warning.line, 3);
        assert_eq!(incident.duration_minutes, None);
    }

    #[test]
    fn blanks_left_in_the_template_are_never_values() {
        let text = "---\ntitle: Checkout down\nseverity: TBD\nservices: [TBD]\n---\n\nCheckout was down for an hour on 2024-05-02.\n\n## Impact\n\nTBD: who was affected\n\n## Action items\n\n- [ ] Fix the alert thresholds. Owner: @name\n- [ ] Tune the cache (@name)\n";
        let incident = parse(text);
        assert_eq!(incident.severity, None);
        assert!(incident.services.is_empty());
        assert!(incident
            .impact
            .as_ref()
            .is_none_or(|i| !i.text.contains("TBD")));
        assert!(
            incident.tasks.iter().all(|t| t.owner.is_none()),
            "{:?}",
            incident.tasks
        );
        let lines: Vec<usize> = incident
            .diagnostics
            .iter()
            .filter(|d| d.code == Code::TemplateLeftover)
            .map(|d| d.line)
            .collect();
        assert!(
            lines.contains(&3) && lines.contains(&11) && lines.contains(&15),
            "{lines:?}"
        );
    }

    #[test]
    fn a_hedged_recovery_does_not_end_the_incident() {
        let text = "# Node out of disk\n\n## Timeline\n\n### 2018-03-26 10:34\n\nLaunch success reaches 0%.\n\n### 2018-03-26 10:55\n\nCluster self-heals and everything returns to normal.\n\n### 2018-03-26 15:00\n\nDip noticed, investigation launched.\nCordoned the node, despite the fact that it appears to have recovered.\n";
        let end = parse(text).end.unwrap().value;
        assert_eq!(end.time, chrono::NaiveTime::from_hms_opt(10, 55, 0));
        assert!(says_service_recovered("Service restored."));
        assert!(!says_service_recovered("The API had not recovered yet."));
        assert!(!says_service_recovered(
            "Paged the team before service was restored."
        ));
        // A hedge in the sentence before does not reach this one.
        assert!(says_service_recovered(
            "We tried to see if it worked. This resolved the issue."
        ));
    }

    #[test]
    fn a_stated_duration_finds_the_start_in_a_timeline_that_leads_up_to_it() {
        let text = "# Chain halt\n\nThe chain halted for almost four hours.\n\n## Timeline\n\n| Date (UTC) | Event |\n|---|---|\n| 2025-04-09 20:03 | An emergency upgrade is scheduled |\n| 2025-04-14 12:16 | v23.1.1 is published |\n| 2025-04-14 14:41 | Block 25283300 is committed |\n| 2025-04-14 14:47 | Consensus error noticed |\n| 2025-04-14 18:33 | The chain starts moving again |\n";
        let incident = parse(text);
        assert_eq!(incident.start.as_ref().unwrap().line, 11);
        assert_eq!(incident.end.as_ref().unwrap().line, 13);
        assert_eq!(incident.duration_minutes, Some(232));
        // A timeline as long as the stated duration keeps its first entry.
        let close = text.replace("almost four hours", "almost six days");
        assert_eq!(parse(&close).start.unwrap().line, 9);
    }

    #[test]
    fn file_name_title_when_nothing_else() {
        let incident = parse_incident("2024/db-outage.md", "", &ParseOptions::default());
        assert_eq!(incident.title, "db outage");
        assert_eq!(incident.title_source, TitleSource::FileName);
        assert_eq!(incident.id, "2024-db-outage");
    }

    #[test]
    fn duration_from_start_end_and_mismatch_warning() {
        let incident =
            parse("# X\nStart: 2024-06-04 15:00\nEnd: 2024-06-04 17:30\nDuration: 1 hour\n");
        assert_eq!(incident.duration_minutes, Some(150));
        assert!(incident.timezone_assumed);
        let warning = diagnostic(&incident, Code::DurationMismatch).unwrap();
        assert_eq!(warning.line, 4);
    }

    #[test]
    fn end_before_start_is_a_warning() {
        let incident = parse("# X\nStart: 2024-06-04 15:00\nEnd: 2024-06-04 14:00\n");
        assert_eq!(incident.duration_minutes, None);
        assert!(incident
            .diagnostics
            .iter()
            .any(|d| d.code == Code::EndBeforeStart && d.line == 3));
    }

    #[test]
    fn time_to_detect_and_resolve_from_the_timeline() {
        let incident = parse("# X\nStart: 2024-06-07 10:00 UTC\n\n## Timeline\n- 10:00 Deploy went out.\n- 10:12 Alert fired for 5xx.\n- 10:40 Rolled back; errors gone, service restored.\n- 11:00 Postmortem scheduled.\n");
        assert_eq!(incident.detected.unwrap().line, 6);
        assert_eq!(incident.time_to_detect_minutes, Some(12));
        assert_eq!(incident.time_to_resolve_minutes, Some(40));
        assert_eq!(
            incident.end.unwrap().value.time,
            chrono::NaiveTime::from_hms_opt(10, 40, 0)
        );
    }

    #[test]
    fn frontmatter_zone_applies_to_frontmatter_times() {
        let incident =
            parse("---\nstart: 2024-06-01 23:30\nend: 2024-06-02 00:45\ntimezone: CET\n---\n# X\n");
        assert_eq!(
            incident.start.unwrap().value.iso().unwrap(),
            "2024-06-01T23:30:00+01:00"
        );
        assert_eq!(incident.duration_minutes, Some(75));
        assert!(!incident.timezone_assumed);
    }

    #[test]
    fn a_time_only_end_crosses_midnight() {
        let incident = parse("# X\nStart: 2024-06-01 23:30\nEnd: 00:45\n");
        assert_eq!(
            incident.end.unwrap().value.iso().unwrap(),
            "2024-06-02T00:45:00"
        );
        assert_eq!(incident.duration_minutes, Some(75));
    }

    #[test]
    fn services_from_a_label_line_unless_the_frontmatter_names_them() {
        let incident = parse("# X\n\n**Affected services:** `checkout`, payments and search-api\n");
        assert_eq!(incident.services, ["checkout", "payments", "search-api"]);
        let incident = parse("---\nservices: [auth]\n---\n# X\nAffected services: checkout\n");
        assert_eq!(incident.services, ["auth"]);
        let sentence = parse("# X\nSystems affected: everything that talked to the primary database during the failover\n");
        assert!(
            sentence.services.is_empty(),
            "a sentence is not a list of services"
        );
    }

    #[test]
    fn frontmatter_summary_keeps_its_commas() {
        let incident = parse("---\nsummary: Checkout failed, then recovered, twice.\n---\n# X\n");
        assert_eq!(
            incident.summary.as_deref(),
            Some("Checkout failed, then recovered, twice.")
        );
    }

    #[test]
    fn stated_duration_alone() {
        let incident = parse("On March 3rd, 2024 at 9:12pm EST search went down for about two hours.\n\n## Duration\nAbout two hours.\n");
        assert_eq!(incident.duration_minutes, Some(120));
    }

    #[test]
    fn placeholder_dates_are_unknown_with_a_warning() {
        let incident = parse("# X\nStart: HH:mm\n");
        assert!(incident.start.is_none());
        assert!(incident
            .diagnostics
            .iter()
            .any(|d| d.code == Code::TemplateLeftover && d.line == 2));
    }

    #[test]
    fn impact_figures() {
        let incident = parse("# X\n## Impact\nApproximately 80% of users were affected, losing an estimated $15,000.\n");
        let impact = incident.impact.unwrap();
        assert_eq!(impact.users_percent, Some(80.0));
        assert_eq!(impact.money, ["$15,000"]);
    }

    #[test]
    fn impact_tables_give_the_share_of_people() {
        let text = "# X\n## Impact\n\n| Customers Impacted | Support Cases |\n| :---: | :---: |\n| All | 3 |\n";
        assert_eq!(parse(text).impact.unwrap().users_percent, Some(100.0));
        let text = "# X\n## Impact\n\n| Users affected | Orders lost |\n|---|---|\n| 40% | 12 |\n";
        assert_eq!(parse(text).impact.unwrap().users_percent, Some(40.0));
    }

    #[test]
    fn crlf_and_bom_do_not_shift_lines() {
        let incident = parse("\u{feff}# X\r\nStart: 2024-06-04 15:00\r\nEnd: nonsense\r\n");
        let warning = diagnostic(&incident, Code::UnreadableDate).unwrap();
        assert_eq!(warning.line, 3);
    }
}
