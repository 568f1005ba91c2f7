//! Looks facts up across one file's frontmatter and sections: `Label: value` lines
//! wherever they stand (plain, bold, in a bullet, after an emoji), ranges of time, the
//! impact, root cause and severity sections, and what stands in for them when a file
//! has no such section.

use std::cell::OnceCell;
use std::sync::LazyLock;

use super::pattern::compile;
use chrono::Datelike;
use regex::Regex;

use super::dates::{find_moment, find_range, leading_moment, DateContext, Moment, NumericOrder};
use super::duration;
use super::frontmatter::{Field, Frontmatter};
use super::sections;
use super::text::{clip_summary, first_sentences, is_placeholder, prose_text, strip_emphasis};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::section::{normalize_title, LineRole, Section, SectionKind};
use crate::model::{Fact, Impact, RootCause};

/// `Impact: ...`, `* Impact: ...`, `- __Impact:__ ...`, `:rotating_light: Impact: ...`.
static FACT_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"^\s*(?:>\s*)?(?:[-*+•]\s+|\d{1,2}[.)]\s+)?(?::[a-z0-9_+-]+:\s*|[\p{So}\p{Sk}\u{FE0F}]+\s*)*[*_]{0,2}(?P<label>\p{L}[\p{L} /'’-]{1,40}?)[*_]{0,2}\s*:[*_]{0,2}\s*(?P<value>\S.*?)\s*(?:<br\s*/?>)?\s*$").unwrap()
});
static START_NAMES: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"^(?:start(?:ed)?(?: time| date| at)?|began(?: at)?|(?:incident|outage|issue) (?:start(?:ed)?|began|start time)|beginning|date|incident date|date of (?:the )?(?:incident|outage)|occurred(?: on)?)$").unwrap()
});
/// `Time: 5:13:57 UTC` beside a `Date:` label.
static TIME_NAMES: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"^(?:time|start time|time of (?:the )?(?:incident|outage)|incident time)$").unwrap()
});
static END_NAMES: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"^(?:end(?:ed)?(?: time| date| at)?|resolved(?: at)?|recovered(?: at)?|(?:incident|outage|issue) (?:end(?:ed)?|resolved|end time)|restored(?: at)?|mitigated(?: at)?)$").unwrap()
});
static DURATION_NAMES: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"^(?:(?:total|outage|incident|issue|impact|total impact|total outage) )?(?:duration|downtime)(?: of (?:the )?(?:outage|incident|issue|impact))?$|^(?:time to (?:resolve|resolution|recover|recovery|restore|restoration|mitigate)|total time to (?:resolve|recover)|recovery time|outage window|impact window|time frame|timeframe|period)$").unwrap()
});
static SEVERITY_NAMES: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"^(?:severity|sev|priority|incident level|impact level|severity level)$").unwrap()
});
static IMPACT_NAMES: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"^(?:impact|customer impact|user impact|impact on users|business impact|who was affected|affected users)$").unwrap()
});
static SERVICE_NAMES: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"^(?:(?:affected|impacted) )?(?:services?|systems?|components?)(?: (?:affected|impacted|involved))?$").unwrap()
});
static ROOT_CAUSE_NAMES: LazyLock<Regex> =
    LazyLock::new(|| compile(r"^(?:root cause|root causes|cause|the cause)$").unwrap());
/// Words that say a sentence names the cause: strong ones first, then the weak ones
/// ("because", "due to") that also explain side details.
static CAUSE_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"(?i)\b(?:caused by|root cause|stemmed from|triggered by|the (?:primary |direct |main |underlying )?cause|was traced to|culprit)\b").unwrap()
});
static WEAK_CAUSE_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"(?i)\b(?:due to|because|resulted from|the reason|found (?:out )?that|turned out)\b")
        .unwrap()
});
/// "Nodes were cordoned. This went unnoticed and caused 40min of outage", "Pod shutdown
/// stopped functioning, resulting in constant growth": an effect told after its cause.
static EFFECT_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"(?i)\b(?:caused|causing|resulting in|resulted in|led to|leading to|which prevented|preventing)\b(?:\s+by\b)?").unwrap()
});
/// The subject of an effect that is the incident itself, or points back to the sentence
/// before: "The outage caused", "This caused", "It led to".
static INCIDENT_SUBJECT: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"(?i)^(?:the|this|that|our|an?)?\s*(?:outage|incident|issue|problem|disruption|downtime|event|impact|failure|it|this|that|which)\b").unwrap()
});
/// "This report explains the root cause": a sentence about the document, not the outage.
static ABOUT_THE_DOCUMENT: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"(?i)\b(?:this|the following) (?:document|report|post|postmortem|post-mortem|write-?up|retrospective|section)\b|\bwe (?:will |would like to )?(?:explain|describe|outline|share)\b").unwrap()
});
static END_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"(?i)\b(?:ended|ending|resolved|restored|recovered|fixed|mitigated|back to normal|back online|came back|(?:worked|working|works) again|until|(?:processing|working|running|operating) normally|normal again)\b").unwrap()
});
static FOR_A_WHILE: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"(?i)\b(?:for|lasted(?: for)?|lasting|took)\s+(?:about|around|approximately|roughly|nearly|almost|over|just over|just under|some)?\s*").unwrap()
});
/// "about", "approximately", "~": a figure given roughly.
static ROUGHLY: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)~|\b(?:about|around|approximately|approx|roughly|nearly|almost|over|some|circa|ca)\b",
    )
    .unwrap()
});
/// Words that say the service was hurt, before "for 90 minutes": "was down for",
/// "were unable to log in for", "the outage lasted".
static OUTAGE_STATE: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"(?i)\b(?:down|unavailable|unreachable|offline|inaccessible|degraded|halt(?:ed|s)?|stopped|stuck|frozen|hung|paused|impacted|affected|fail(?:ed|ing|ures?)?|broken|outage|downtime|disrupt\w*|interrupt\w*|errors?|erroring|stalled|slow|delayed|unable|could not|couldn't|cannot|can't|incident|impact|problem|issue|recovery)\b").unwrap()
});
/// The subject of a "took" or "lasted" that times a part of the work, not the outage.
static PART_OF_THE_WORK: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"(?i)\b(?:steps?|mitigation|investigation|rollback|roll-back|deploy\w*|migration|build|backup|restore of|meeting|call|review|query|queries|requests?|job|script|test(?:s|ing)?)\b").unwrap()
});
static RANGE_HINT: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"(?i)\b(?:from|between|occurred|lasted|outage|down|duration|window)\b").unwrap()
});
static IMPACT_SENTENCE: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"(?i)\b(?:\d+(?:\.\d+)?\s?%|percent|affect(?:ed|ing)|impact(?:ed|ing)|unable to|could not|couldn't|outage|unavailable|downtime|errors?|fail(?:s|ed|ing|ures?)?|went down|was down|hard down|crash\w*|killed|oomkilled|degraded|timed out|timeouts?|stalled|broken|halt(?:s|ed)?|slow(?:er|ed|down|ness)?|(?:increase|rise|spike|drop|decrease|fall) in|delay(?:s|ed)?|disrupt(?:ed|ion|ions)?|interrupt(?:ed|ion|ions)|exploit(?:ed|able)?|leak(?:ed|s)?|exposed|lost|loss of)\b").unwrap()
});
static USERS: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)\b(?:users?|customers?|clients?|visitors?|merchants?|members?|accounts?|people|shoppers?|buyers?|sellers?|administrators?|admins?|subscribers?|tenants?|players?|students?|developers?|partners?|drivers?|riders?|patients?|employees?|staff|agents?|learners?|readers?|viewers?|listeners?|guests?|teams?|organi[sz]ations?|companies|businesses|stores?)\b",
    )
    .unwrap()
});
static PERCENT: LazyLock<Regex> =
    LazyLock::new(|| compile(r"(?P<n>\d{1,3}(?:\.\d+)?)\s?(?:%|percent\b)").unwrap());
static MONEY: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"[$€£]\s?\d[\d,]*(?:\.\d+)?(?:\s?(?:k|K|M|million|billion|bn))?\b|\b\d[\d,]*(?:\.\d+)?\s?(?:USD|EUR|GBP|dollars)\b").unwrap()
});
static SHARE_OF_PEOPLE: LazyLock<Regex> = LazyLock::new(|| {
    let people = r"users?|customers?|clients?|visitors?|merchants?|members?|accounts?|people|shoppers?|buyers?|sellers?|administrators?|admins?|subscribers?|tenants?|players?|students?|developers?|partners?|drivers?|riders?|patients?|employees?|staff|agents?|learners?|readers?|viewers?|guests?|teams?|organi[sz]ations?|companies|businesses|stores?";
    compile(&format!(r"(?i)\b(?P<n>\d{{1,3}}(?:\.\d+)?)\s?(?:%|percent)\s+(?:of\s+)?(?:(?:our|the|all|its|their|active|affected|impacted|existing|logged-in)\s+){{0,2}}(?:[\p{{L}}-]+\s+)?(?:{people})\b")).unwrap()
});
static ALL_USERS: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"(?i)\b(?:all (?:of (?:our|the) )?(?:users|customers|clients|visitors)|every (?:user|customer)|everyone|anyone|entire user base|complete (?:outage|service (?:outage|disruption))|customers impacted\s*\|?\s*all)\b").unwrap()
});
static COUNT: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"(?i)\b\d[\d,]*(?:\.\d+)?\s?(?:k\s)?(?:[a-z-]+\s){0,2}?(?:users|customers|requests|orders|e-?mails|tickets|support (?:cases|tickets)|messages|accounts|merchants|teams|transactions|payments|errors|sessions|logins|payouts|complaints)\b").unwrap()
});
static YEAR: LazyLock<Regex> = LazyLock::new(|| compile(r"\b(19[7-9]\d|20\d\d)\b").unwrap());

const START_KEYS: &[&str] = &[
    "start",
    "started",
    "started_at",
    "start_time",
    "start_date",
    "start_datetime",
    "began",
    "began_at",
    // The names incident tools and status pages export under.
    "impact_start",
    "impact_started_at",
    "outage_start",
    "outage_started_at",
    "incident_start",
    "incident_started_at",
    "date",
    "incident_date",
];
const END_KEYS: &[&str] = &[
    "end",
    "ended",
    "ended_at",
    "end_time",
    "end_date",
    "end_datetime",
    "resolved",
    "resolved_at",
    "recovered_at",
    "restored_at",
    "impact_end",
    "impact_ended_at",
    "outage_end",
    "outage_ended_at",
    "incident_end",
    "incident_ended_at",
];

/// One file's frontmatter and sections, and the questions asked of them.
/// A `Label: value` line.
struct Label {
    line: usize,
    /// Lowercased.
    name: String,
    value: String,
}

pub(super) struct Facts<'a> {
    pub path: &'a str,
    pub front: &'a Frontmatter,
    pub sections: &'a [Section],
    pub title: Option<&'a str>,
    pub date_formats: &'a [String],
    /// How the file writes numeric dates, decided once for all of them.
    pub numeric: NumericOrder,
    /// Read once, asked many times.
    labels: OnceCell<Vec<Label>>,
    summary_sentences: OnceCell<Vec<(usize, String)>>,
}

impl<'a> Facts<'a> {
    pub fn new(
        path: &'a str,
        front: &'a Frontmatter,
        sections: &'a [Section],
        title: Option<&'a str>,
        date_formats: &'a [String],
        numeric: NumericOrder,
    ) -> Self {
        Facts {
            numeric,
            path,
            front,
            sections,
            title,
            date_formats,
            labels: OnceCell::new(),
            summary_sentences: OnceCell::new(),
        }
    }
}

impl Facts<'_> {
    pub fn front_text(&self, keys: &[&str], diagnostics: &mut Vec<Diagnostic>) -> Option<Field> {
        self.front.text(keys, self.path, diagnostics)
    }

    /// Lines outside timelines and task lists, where facts are stated.
    fn fact_lines(&self) -> impl Iterator<Item = (usize, &str)> {
        self.sections
            .iter()
            .filter(|s| !matches!(s.kind, SectionKind::Timeline | SectionKind::Tasks))
            .flat_map(Section::text_lines)
    }

    /// The value of the first `Label: value` line whose label `names` matches.
    fn labelled(&self, names: &Regex) -> Option<(usize, String)> {
        self.labels()
            .iter()
            .find(|label| names.is_match(&label.name))
            .map(|label| (label.line, label.value.clone()))
    }

    /// Every `Label: value` line outside timelines and task lists, read once per file.
    fn labels(&self) -> &[Label] {
        self.labels.get_or_init(|| {
            // `## Date: 12th March 2023`: a heading that states a fact reads as a label.
            let headings = self.sections.iter().filter_map(|s| {
                let title = s.title.as_deref()?;
                title.contains(": ").then_some((s.line, title))
            });
            headings
                .chain(self.fact_lines())
                .filter(|(_, line)| line.contains([':', '|']))
                .filter_map(|(line, text)| {
                    // `| Start | 06/04/2024 14:05 PDT |`: a two-column table of facts.
                    if text.trim_start().starts_with('|') {
                        let cells: Vec<&str> = text
                            .trim()
                            .trim_matches('|')
                            .split('|')
                            .map(str::trim)
                            .collect();
                        return match cells[..] {
                            [name, value]
                                if !name.is_empty()
                                    && !value.is_empty()
                                    && !value.starts_with('-') =>
                            {
                                Some(Label {
                                    line,
                                    name: strip_emphasis(name).trim_end_matches(':').to_lowercase(),
                                    value: strip_emphasis(value).to_string(),
                                })
                            }
                            _ => None,
                        };
                    }
                    let c = FACT_LABEL.captures(text)?;
                    Some(Label {
                        line,
                        name: c["label"].trim().to_lowercase(),
                        value: strip_emphasis(&c["value"]).to_string(),
                    })
                })
                .collect()
        })
    }

    /// Start and end: frontmatter, `Start:`/`End:` labels, then a range stated in a
    /// duration line or a summary sentence. A time with no date takes the date the
    /// title or the first lines state.
    pub fn start_end(
        &self,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> (Option<Fact<Moment>>, Option<Fact<Moment>>) {
        let mut start = self.moment(START_KEYS, &START_NAMES, diagnostics);
        let mut end = self.moment(END_KEYS, &END_NAMES, diagnostics);
        if let Some(day) = self.titled_day_before_posting(start.as_ref()) {
            start = Some(day);
        }
        // A day alone (`date: 2024-06-07` in frontmatter, `Date:`) takes the time a
        // `Start:` or `Time:` label states: the author's time beats midnight.
        if let Some(day) = start.as_mut().filter(|f| f.value.time.is_none()) {
            let stated = [&*START_NAMES, &*TIME_NAMES].into_iter().find_map(|names| {
                self.labels()
                    .iter()
                    .filter(|l| names.is_match(&l.name))
                    .find_map(|l| self.read_moment(&l.value, l.line, &mut Vec::new()))
                    .filter(|f| f.value.time.is_some())
                    .filter(|f| f.value.date.is_none_or(|d| Some(d) == day.value.date))
            });
            if let Some(mut stated) = stated {
                stated.value.date = stated.value.date.or(day.value.date);
                *day = stated;
            }
        }
        // A day alone ("date: 2025-05-20") is refined by a range with times that day.
        let day_only =
            |f: &Option<Fact<Moment>>| f.as_ref().is_some_and(|f| f.value.time.is_none());
        if start.is_none() || end.is_none() || day_only(&start) {
            if let Some((line, (from, to))) = self.range() {
                // A range of times alone ("between 1:46pm - 5:30pm") is on that day.
                let same_day = |f: &Option<Fact<Moment>>| {
                    f.as_ref()
                        .is_some_and(|f| from.date.is_none() || f.value.date == from.date)
                };
                if start.is_none() || (day_only(&start) && same_day(&start)) {
                    let day = start.as_ref().and_then(|f| f.value.date);
                    let mut from = from;
                    from.date = from.date.or(day);
                    start = Some(Fact { value: from, line });
                }
                end = end.or(Some(Fact { value: to, line }));
            }
        }
        if start.is_none() {
            start = self.prose_start();
        }
        if end.is_none() {
            end = self.prose_end();
        }
        // "End: 12:00 PM" borrows the start's date.
        if let (Some(s), Some(e)) = (&start, &mut end) {
            if e.value.date.is_none() && e.value.time.is_some() {
                e.value.date = s.value.date;
                e.value.offset = e.value.offset.or(s.value.offset);
                // 23:30 to 00:45 crosses midnight.
                if let (Some(date), Some(st), Some(et)) = (s.value.date, s.value.time, e.value.time)
                {
                    if et < st {
                        e.value.date = date.succ_opt();
                    }
                }
            }
        }
        let needs_date =
            |f: &Option<Fact<Moment>>| f.as_ref().is_some_and(|f| f.value.date.is_none());
        if needs_date(&start) || needs_date(&end) {
            if let Some(date) = self.date_hint() {
                for fact in [&mut start, &mut end].into_iter().flatten() {
                    fact.value.date = fact.value.date.or(Some(date));
                }
            }
        }
        (start, end)
    }

    /// The title the file states (frontmatter, else its title heading), with its line.
    fn stated_title(&self) -> Option<(String, usize)> {
        match self.front_text(&["title", "name"], &mut Vec::new()) {
            Some(field) => Some((field.value, field.line)),
            None => Some((self.title?.to_string(), 1)),
        }
    }

    /// The day the title names: "Minority split 2021-08-27 post mortem".
    pub fn title_day(&self) -> Option<chrono::NaiveDate> {
        let (title, _) = self.stated_title()?;
        find_moment(&title, self.year_context())?.date
    }

    /// A blog post's `date:` is when it went out; a title that names an earlier day
    /// ("Postmortem for the Mainnet incident on 17th June 2019") says when the incident
    /// was. Only when `date` is the one start key the frontmatter has.
    fn titled_day_before_posting(&self, start: Option<&Fact<Moment>>) -> Option<Fact<Moment>> {
        let posted = start?.value.date?;
        let quiet = &mut Vec::new();
        let other_keys = START_KEYS.iter().filter(|k| **k != "date").copied();
        if self.front_text(&["date"], quiet).is_none()
            || self
                .front_text(&other_keys.collect::<Vec<_>>(), quiet)
                .is_some()
        {
            return None;
        }
        let (title, line) = self.stated_title()?;
        let context = DateContext {
            year: Some(posted.year()),
            ..self.dates()
        };
        let day = find_moment(&title, context)?.date?;
        (day < posted).then(|| Fact {
            value: Moment::date_only(day),
            line,
        })
    }

    /// A date-time from frontmatter `keys`, else from a labelled line.
    fn moment(
        &self,
        keys: &[&str],
        names: &Regex,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<Fact<Moment>> {
        if let Some(field) = self.front_text(keys, diagnostics) {
            return self.read_moment(&field.value, field.line, diagnostics);
        }
        let (line, value) = self.labelled(names)?;
        self.read_moment(&value, line, diagnostics)
    }

    fn read_moment(
        &self,
        value: &str,
        line: usize,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<Fact<Moment>> {
        if is_placeholder(value) || value.contains("HH:") || value.contains("[insert") {
            diagnostics.push(Diagnostic::warning(
                self.path,
                line,
                Code::TemplateLeftover,
                format!("`{value}` is a template placeholder; the time is unknown"),
            ));
            return None;
        }
        if let Some(moment) = custom_format(value, self.date_formats) {
            return Some(Fact {
                value: moment,
                line,
            });
        }
        match find_moment(value, self.dates()) {
            Some(moment) => Some(Fact {
                value: moment,
                line,
            }),
            None => {
                diagnostics.push(Diagnostic::warning(
                    self.path,
                    line,
                    Code::UnreadableDate,
                    format!("could not read a date or time in `{value}`"),
                ));
                None
            }
        }
    }

    /// The first range of time in a duration line, a duration section, or a summary
    /// sentence that talks about the outage.
    fn range(&self) -> Option<(usize, (Moment, Moment))> {
        let context = self.year_context();
        if let Some((line, value)) = self.labelled(&DURATION_NAMES) {
            if let Some(range) = find_range(&value, context) {
                return Some((line, range));
            }
        }
        let candidates = self.sections.iter().filter(|s| {
            matches!(
                s.kind,
                SectionKind::Duration
                    | SectionKind::Summary
                    | SectionKind::Preamble
                    | SectionKind::Impact
            )
        });
        candidates
            .flat_map(|s| {
                let kind = s.kind;
                s.text_blocks()
                    .into_iter()
                    .map(move |(line, text)| (kind, line, text))
            })
            .find_map(|(kind, line, text)| {
                // A duration section's lines are ranges by nature; elsewhere the
                // sentence must talk about the outage's span.
                if kind != SectionKind::Duration && !RANGE_HINT.is_match(&text) {
                    return None;
                }
                find_range(&text, context).map(|range| (line, range))
            })
    }

    /// The first summary sentence that gives both a date and a time: "On Tuesday,
    /// 16 April 2024 at 05:50 GMT the payouts service stopped ...".
    fn prose_start(&self) -> Option<Fact<Moment>> {
        let context = self.year_context();
        self.summary_sentences()
            .iter()
            .find_map(|(line, sentence)| {
                let moment = find_moment(sentence, context)?;
                (moment.date.is_some() && moment.time.is_some()).then_some(Fact {
                    value: moment,
                    line: *line,
                })
            })
    }

    /// "... and ended at 11:05 IST", "service was restored at 07:48": the time after a
    /// word that ends an outage.
    fn prose_end(&self) -> Option<Fact<Moment>> {
        let context = self.year_context();
        self.summary_sentences()
            .iter()
            .find_map(|(line, sentence)| {
                let word = END_WORDS.find(sentence)?;
                let after = head_of(&sentence[word.end()..], 60);
                // "restored at 07:48", or "By 11:40pm the queue was processing normally".
                let moment = find_moment(after, context)
                    .filter(|m| m.time.is_some())
                    .or_else(|| {
                        find_moment(&sentence[..word.start()], context).filter(|m| m.time.is_some())
                    })?;
                Some(Fact {
                    value: moment,
                    line: *line,
                })
            })
    }

    /// Sentences of the summary, preamble and duration sections, with their section's line.
    /// Labelled lines (`Start:`, `End:`, `Duration:`) are not prose and are left out.
    fn summary_sentences(&self) -> &[(usize, String)] {
        self.summary_sentences
            .get_or_init(|| self.read_summary_sentences())
    }

    fn read_summary_sentences(&self) -> Vec<(usize, String)> {
        // The labelled lines were read once already; skip the time ones by line number.
        let time_labels: Vec<usize> = self
            .labels()
            .iter()
            .filter(|l| {
                START_NAMES.is_match(&l.name)
                    || END_NAMES.is_match(&l.name)
                    || DURATION_NAMES.is_match(&l.name)
            })
            .map(|l| l.line)
            .collect();
        let kinds = [
            SectionKind::Summary,
            SectionKind::Preamble,
            SectionKind::Duration,
        ];
        let mut out = Vec::new();
        for section in self.sections.iter().filter(|s| kinds.contains(&s.kind)) {
            let prose: String = section
                .text_lines()
                .filter(|(number, _)| !time_labels.contains(number))
                .map(|(_, l)| format!("{l}\n"))
                .collect();
            out.extend(
                sentences(&prose_text(&prose))
                    .into_iter()
                    .map(|sentence| (section.first_text_line(), sentence)),
            );
        }
        out
    }

    /// The day of the incident when nothing gives its start time: a line that is only
    /// a date, else the date in the title, else the date the file is named with
    /// (`2021-03-08-Dodo.md`, as Jekyll dates posts). Used after the timeline had its say.
    pub fn start_day(&self) -> Option<Fact<Moment>> {
        self.standalone_date()
            .or_else(|| self.opening_date())
            .or_else(|| {
                let moment = find_moment(self.title?, self.dates())?;
                moment.date.map(|date| Fact {
                    value: Moment::date_only(date),
                    line: 1,
                })
            })
            .or_else(|| {
                Some(Fact {
                    value: Moment::date_only(file_name_date(self.path)?),
                    line: 1,
                })
            })
    }

    /// "On 31st July 2018 a researcher reported ...": a summary sentence that opens with
    /// a date with its year (a bare "On October 2" could be any year). The first three
    /// sentences of the summary are read; when the title or the file name is dated (a
    /// disclosure or publication date), so is the first sentence of each later summary
    /// section ("## Background"), for a date up to 90 days before that one: the day the
    /// problem was found, not a piece of history (a background that opens with a list,
    /// a chronology, gives nothing).
    fn opening_date(&self) -> Option<Fact<Moment>> {
        static ON: LazyLock<Regex> =
            LazyLock::new(|| compile(r"^(?i:on|in the early hours of|early on)\s+").unwrap());
        let opening = |sentence: &str| {
            let rest = &sentence[ON.find(sentence)?.end()..];
            leading_moment(rest, self.dates())?.0.date
        };
        let sentences = self.summary_sentences();
        let fact = |line: usize, date| Fact {
            value: Moment::date_only(date),
            line,
        };
        if let Some(found) = sentences
            .iter()
            .take(3)
            .find_map(|(line, sentence)| Some(fact(*line, opening(sentence)?)))
        {
            return Some(found);
        }
        let published = self
            .title
            .and_then(|t| find_moment(t, self.dates()))
            .and_then(|m| m.date)
            .or_else(|| file_name_date(self.path))?;
        let earliest = published - chrono::Days::new(90);
        let mut in_section = 0;
        let mut section_line = 0;
        sentences.iter().find_map(|(line, sentence)| {
            if *line != section_line {
                (section_line, in_section) = (*line, 0);
            }
            in_section += 1;
            if in_section != 1 || self.opens_a_list(*line) {
                return None;
            }
            let date = opening(sentence)?;
            (earliest..=published)
                .contains(&date)
                .then(|| fact(*line, date))
        })
    }

    /// Whether the section whose text starts at `line` starts with a list item (a
    /// chronology, where the first date is history).
    fn opens_a_list(&self, line: usize) -> bool {
        self.sections
            .iter()
            .find(|s| s.first_text_line() == line)
            .and_then(|s| s.text_lines().find(|(n, _)| *n == line))
            .is_some_and(|(_, text)| {
                let text = text.trim_start();
                text.starts_with(['-', '*', '+'])
                    || text.split_once(". ").is_some_and(|(n, _)| {
                        !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())
                    })
            })
    }

    /// A line near the top that is nothing but a date ("Monday, Nov. 13, 2017").
    fn standalone_date(&self) -> Option<Fact<Moment>> {
        self.sections
            .iter()
            .take(3)
            .flat_map(Section::text_lines)
            .take(30)
            .find_map(|(line, text)| {
                let bare = strip_emphasis(text.trim().trim_start_matches(['#', '>', ' ']));
                let (moment, used) = leading_moment(bare, self.dates())?;
                let rest = bare[used..].trim_matches(|c: char| !c.is_alphanumeric());
                (moment.date.is_some() && rest.is_empty()).then_some(Fact {
                    value: moment,
                    line,
                })
            })
    }

    /// A date stated in the title or near the top, for times written without one.
    fn date_hint(&self) -> Option<chrono::NaiveDate> {
        let context = self.year_context();
        let title = self
            .title
            .and_then(|t| find_moment(t, context))
            .and_then(|m| m.date);
        title.or_else(|| {
            self.fact_lines()
                .take(40)
                .find_map(|(_, line)| find_moment(line, self.dates()).and_then(|m| m.date))
        })
    }

    /// The duration the file states, and whether it is rough ("about two hours",
    /// "approximately five hours", "~2h"): a rough figure does not overrule one computed
    /// from the timeline.
    pub fn stated_duration(&self, diagnostics: &mut Vec<Diagnostic>) -> Option<(Fact<i64>, bool)> {
        let mut rough = false;
        let stated = self.stated_duration_text(diagnostics, &mut rough)?;
        Some((stated, rough))
    }

    fn stated_duration_text(
        &self,
        diagnostics: &mut Vec<Diagnostic>,
        rough: &mut bool,
    ) -> Option<Fact<i64>> {
        if let Some(field) = self.front_text(
            &[
                "duration",
                "duration_minutes",
                "outage_duration",
                "impact_duration",
                "incident_duration",
                "downtime",
            ],
            diagnostics,
        ) {
            let minutes = field
                .value
                .parse::<i64>()
                .ok()
                .or_else(|| duration::parse_duration(&field.value))
                .filter(|m| (0..=duration::MAX_MINUTES).contains(m));
            return minutes.map(|value| Fact {
                value,
                line: field.line,
            });
        }
        if let Some((line, value)) = self.labelled(&DURATION_NAMES) {
            // "Duration: 10:00 - 11:30" is a range, not a stated length.
            if find_range(&value, self.dates()).is_none() {
                if let Some(minutes) = duration::parse_duration(&value) {
                    *rough = ROUGHLY.is_match(&value);
                    return Some(Fact {
                        value: minutes,
                        line,
                    });
                }
            }
        }
        // A duration section that states one in prose ("about two hours").
        self.sections
            .iter()
            .filter(|s| s.kind == SectionKind::Duration)
            .flat_map(Section::text_lines)
            .find_map(|(line, text)| {
                if FACT_LABEL.captures(text).is_some_and(|c| {
                    START_NAMES.is_match(&c["label"].to_lowercase())
                        || END_NAMES.is_match(&c["label"].to_lowercase())
                }) {
                    return None;
                }
                if find_range(text, self.dates()).is_some() {
                    return None;
                }
                duration::parse_duration(text).map(|value| Fact { value, line })
            })
            .or_else(|| {
                *rough = true;
                self.prose_duration()
            })
    }

    /// "was unreachable for 90 minutes", "lasted about two hours": a duration stated in
    /// a summary sentence.
    /// The cue must be about the outage: "was down for", "the outage lasted", "impact
    /// took"; never "some steps took over 60 seconds" or "initial mitigation took 47
    /// minutes", which time a part of the work.
    fn prose_duration(&self) -> Option<Fact<i64>> {
        self.summary_sentences()
            .iter()
            .find_map(|(line, sentence)| {
                FOR_A_WHILE.find_iter(sentence).find_map(|lead| {
                    let clause = sentence[..lead.start()]
                        .rsplit([',', ';', ':', '('])
                        .next()
                        .unwrap_or("");
                    let cue = lead.as_str().trim_start().to_ascii_lowercase();
                    let about_the_outage = if cue.starts_with("for") {
                        OUTAGE_STATE.is_match(clause)
                    } else {
                        !PART_OF_THE_WORK.is_match(clause)
                            && (!cue.starts_with("took") || OUTAGE_STATE.is_match(clause))
                    };
                    if !about_the_outage {
                        return None;
                    }
                    let value = duration::parse_duration(head_of(&sentence[lead.end()..], 40))?;
                    Some(Fact { value, line: *line })
                })
            })
    }

    /// Services named on an `Affected services:` line: a short list of names, never a
    /// sentence.
    pub fn services(&self) -> Vec<String> {
        let Some((_, value)) = self.labelled(&SERVICE_NAMES) else {
            // A status page names them: "This incident affected: API and Dashboard."
            return self
                .fact_lines()
                .find_map(|(_, line)| super::status_page::affected_components(line))
                .unwrap_or_default();
        };
        let names: Vec<String> = value
            .split([',', ';', '/'])
            .flat_map(|part| part.split(" and "))
            .map(|name| {
                name.trim()
                    .trim_matches(['`', '*', '_', '.', ' '])
                    .to_string()
            })
            .filter(|name| !name.is_empty() && !is_placeholder(name))
            .collect();
        let short = names
            .iter()
            .all(|n| n.split_whitespace().count() <= 3 && n.len() <= 40);
        if short {
            names
        } else {
            Vec::new()
        }
    }

    /// The plain text of the first non-empty section of `kind`, with its line.
    pub fn section_text(&self, kind: SectionKind) -> Option<(String, usize)> {
        self.sections
            .iter()
            .filter(|s| s.kind == kind && !s.is_empty())
            .find_map(|s| {
                let text = sections::prose(s);
                (!text.trim().is_empty() && !is_placeholder(&text))
                    .then_some((text, s.first_text_line()))
            })
    }

    pub fn summary(&self, diagnostics: &mut Vec<Diagnostic>) -> Option<String> {
        if let Some(field) = self.front_text(&["summary", "description"], diagnostics) {
            return Some(field.value);
        }
        self.section_text(SectionKind::Summary)
            .or_else(|| self.section_text(SectionKind::Preamble))
            .map(|(text, _)| first_sentences(super::after_dating_lines(&text), 2))
    }

    /// The impact section, else an `Impact:` line, else the summary sentences that say
    /// who was affected or what failed.
    pub fn impact(&self) -> Option<Impact> {
        let (text, line) = self
            .section_text(SectionKind::Impact)
            .or_else(|| {
                self.labelled(&IMPACT_NAMES)
                    .map(|(line, text)| (text, line))
            })
            .or_else(|| self.impact_sentences())?;
        // A share of people, never of requests or orders; "all users" is everyone.
        let about_people: Vec<String> = sentences(&text)
            .into_iter()
            .filter(|s| USERS.is_match(s))
            .collect();
        let users_percent = share_of_people(&text)
            .or_else(|| {
                self.impact_sentences()
                    .and_then(|(t, _)| share_of_people(&t))
            })
            .or_else(|| self.impact_table_share())
            .or_else(|| {
                let everyone = everyone_affected(&text)
                    || self
                        .summary_sentences()
                        .iter()
                        .any(|(_, s)| everyone_affected(s));
                everyone.then_some(100.0)
            });
        let money = MONEY
            .find_iter(&text)
            .map(|m| m.as_str().trim().to_string())
            .collect();
        let counts = COUNT
            .find_iter(&text)
            .map(|m| m.as_str().trim().to_string())
            .collect();
        let summary = about_people
            .first()
            .map(|s| clip_summary(s))
            .or_else(|| sentences(&text).first().map(|s| clip_summary(s)))
            .unwrap_or_else(|| first_sentences(&text, 1));
        Some(Impact {
            summary,
            text,
            users_percent,
            money,
            counts,
            line,
        })
    }

    /// `| Customers Impacted | ... |` over `| All | ... |` (or `| 40% |`): the share of
    /// people in an impact table.
    fn impact_table_share(&self) -> Option<f64> {
        let section = self
            .sections
            .iter()
            .find(|s| s.kind == SectionKind::Impact)?;
        let rows: Vec<Vec<String>> = section
            .lines_with_roles()
            .filter(|(_, role, _)| *role == LineRole::Table)
            .map(|(_, _, l)| l.trim())
            .filter(|l| l.starts_with('|') && !l.trim_matches(['|', '-', ':', ' ']).is_empty())
            .map(|l| {
                l.trim_matches('|')
                    .split('|')
                    .map(|c| c.trim().to_lowercase())
                    .collect()
            })
            .collect();
        let (header, values) = (rows.first()?, rows.get(1)?);
        let column = header
            .iter()
            .position(|h| USERS.is_match(h) && IMPACT_SENTENCE.is_match(h))?;
        let value = values.get(column)?;
        if ["all", "everyone", "100%"].contains(&value.as_str()) {
            return Some(100.0);
        }
        PERCENT
            .captures(value)
            .and_then(|c| c["n"].parse().ok())
            .filter(|p| *p <= 100.0)
    }

    /// Up to three summary sentences about harm, those naming people first.
    fn impact_sentences(&self) -> Option<(String, usize)> {
        let all = self.summary_sentences();
        let harmful: Vec<&(usize, String)> = all
            .iter()
            .filter(|(_, s)| IMPACT_SENTENCE.is_match(s))
            .collect();
        let naming_people = harmful.iter().any(|(_, s)| USERS.is_match(s));
        let chosen: Vec<&(usize, String)> = if naming_people || !harmful.is_empty() {
            harmful.into_iter().take(3).collect()
        } else {
            all.iter()
                .filter(|(_, s)| USERS.is_match(s))
                .take(1)
                .collect()
        };
        let line = chosen.first()?.0;
        Some((
            chosen
                .iter()
                .map(|(_, s)| s.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            line,
        ))
    }

    /// The root cause: its summary from the first statement of it, its text from the
    /// fullest (files often give a one-line `Root Cause:` early and detail later).
    /// Files with no such section get the sentence that says what caused the outage.
    pub fn root_cause(&self, diagnostics: &mut Vec<Diagnostic>) -> Option<RootCause> {
        let mut candidates: Vec<(String, usize)> = self
            .sections
            .iter()
            .filter(|s| s.kind == SectionKind::RootCause && !s.is_empty())
            .map(|s| (sections::prose(s), s.first_text_line()))
            .filter(|(text, _)| !text.trim().is_empty() && !is_placeholder(text))
            .collect();
        candidates.extend(
            self.labelled(&ROOT_CAUSE_NAMES)
                .map(|(line, text)| (text, line)),
        );
        // A combined "Root Cause and Resolution" section often holds the fullest account.
        candidates.extend(self.section_text(SectionKind::RootCauseAndResolution));
        if candidates.is_empty() {
            if let Some(field) =
                self.front_text(&["root_cause", "root-cause", "cause"], diagnostics)
            {
                if field.value.split_whitespace().count() > 3 {
                    candidates.push((field.value, field.line));
                }
            }
        }
        if candidates.is_empty() {
            candidates.extend(self.cause_sentence());
        }
        if candidates.is_empty() {
            candidates.extend(self.identified_update());
        }
        candidates.sort_by_key(|(_, line)| *line);
        let (first, line) = candidates.first()?.clone();
        let fullest = candidates
            .iter()
            .map(|(text, _)| text)
            .max_by_key(|text| text.len())
            .cloned()
            .unwrap_or_default();
        Some(RootCause {
            summary: first_sentences(&first, 2),
            text: fullest,
            line,
        })
    }

    /// "The outage was caused by ...", with the sentence after it: the first sentence
    /// with a strong cue, else the first with a weak one ("because"). Never from the
    /// timeline, tasks or lessons ("where we got lucky", "what went wrong"), from a cue
    /// in brackets (an aside), or from a sentence about the document itself.
    fn cause_sentence(&self) -> Option<(String, usize)> {
        let prose: Vec<(usize, Vec<String>)> = self
            .sections
            .iter()
            .filter(|s| {
                !matches!(
                    s.kind,
                    SectionKind::Timeline | SectionKind::Tasks | SectionKind::Lessons
                )
            })
            .map(|section| {
                (
                    section.first_text_line(),
                    sentences(&sections::prose(section)),
                )
            })
            .collect();
        let states_cause = |sentence: &str, cue: &Regex| {
            !ABOUT_THE_DOCUMENT.is_match(sentence)
                && cue.find_iter(sentence).any(|m| {
                    let before = &sentence[..m.start()];
                    // "no action is required due to this incident": the incident is
                    // the cause of something else there.
                    let after = sentence[m.end()..].trim_start();
                    before.matches('(').count() <= before.matches(')').count()
                        && !INCIDENT_SUBJECT.is_match(after)
                })
        };
        let stated = [&*CAUSE_WORDS, &*WEAK_CAUSE_WORDS]
            .into_iter()
            .find_map(|cue| {
                prose.iter().find_map(|(line, all)| {
                    let at = all.iter().position(|s| states_cause(s, cue))?;
                    let text = all[at..(at + 2).min(all.len())].join(" ");
                    Some((text, *line))
                })
            });
        stated.or_else(|| self.effect_sentence())
    }

    /// A status page's "Identified" (or "Postmortem") update that says what the cause
    /// was: "**Identified** - The issue was traced to a bad load balancer config." The
    /// stock "The issue has been identified and a fix is being implemented" says none.
    fn identified_update(&self) -> Option<(String, usize)> {
        static STATES_A_CAUSE: LazyLock<Regex> = LazyLock::new(|| {
            compile(r"(?i)\b(?:identified as|traced (?:back )?to|caused by|due to|because|result of|root cause|the cause|stemm(?:ed|ing) from|related to)\b").unwrap()
        });
        self.sections
            .iter()
            .filter(|s| s.kind == SectionKind::Timeline)
            .flat_map(Section::text_lines)
            .find_map(|(line, text)| {
                let update = super::status_page::update(text)?;
                let names_the_cause =
                    matches!(update.status, "Identified" | "Postmortem" | "Post-mortem")
                        && STATES_A_CAUSE.is_match(update.text);
                names_the_cause.then(|| (update.text.to_string(), line))
            })
    }

    /// The cause told before its effect, in the summary: "A bug in the health checks
    /// kept the version stale, preventing traffic from moving", or "Nodes were cordoned.
    /// This went unnoticed and caused 40min of outage" (the sentence before comes too).
    /// Not "The outage caused errors": there the incident is the subject.
    fn effect_sentence(&self) -> Option<(String, usize)> {
        let summary = self.sections.iter().find(|s| {
            matches!(s.kind, SectionKind::Summary | SectionKind::Preamble) && !s.is_empty()
        })?;
        let all = sentences(&sections::prose(summary));
        all.iter().enumerate().find_map(|(i, sentence)| {
            if ABOUT_THE_DOCUMENT.is_match(sentence) {
                return None;
            }
            let cue = EFFECT_WORDS.find(sentence)?;
            if cue.as_str().to_ascii_lowercase().ends_with("by") {
                return None; // "caused by" is a stated cause, read above
            }
            let subject = sentence[..cue.start()].trim();
            let incident = subject.is_empty() || INCIDENT_SUBJECT.is_match(subject);
            let points_back = incident
                && i > 0
                && ["this", "it", "that", "which"]
                    .iter()
                    .any(|w| subject.to_ascii_lowercase().starts_with(w));
            let text = if points_back {
                format!("{} {}", all[i - 1], sentence)
            } else if incident {
                return None;
            } else {
                sentence.clone()
            };
            Some((text, summary.first_text_line()))
        })
    }

    pub fn severity(&self, diagnostics: &mut Vec<Diagnostic>) -> Option<String> {
        if let Some(field) = self.front_text(&["severity", "sev", "priority", "level"], diagnostics)
        {
            return Some(field.value);
        }
        let first_word = |text: &str| {
            let word = text.split([' ', '(', ',']).find(|w| !w.trim().is_empty())?;
            Some(
                word.trim_matches(|c: char| !c.is_alphanumeric())
                    .to_string(),
            )
        };
        let labelled = self
            .labelled(&SEVERITY_NAMES)
            .and_then(|(_, value)| first_word(&value));
        let from_section = || {
            self.sections
                .iter()
                .find(|s| {
                    s.title
                        .as_deref()
                        .is_some_and(|t| normalize_title(t) == "severity")
                })
                .and_then(|s| first_word(&sections::prose(s)))
        };
        labelled
            .or_else(from_section)
            .filter(|s| !s.is_empty() && !is_placeholder(s))
    }

    /// Dates in the prose take their year from the top of the document; their zone
    /// is left to each caller.
    fn year_context(&self) -> DateContext {
        DateContext {
            year: self.year_hint(),
            ..self.dates()
        }
    }

    /// What every date of the file borrows: its numeric order.
    fn dates(&self) -> DateContext {
        DateContext {
            numeric: self.numeric,
            ..DateContext::default()
        }
    }

    /// A year written near the top (title, first lines), for dates without one.
    pub fn year_hint(&self) -> Option<i32> {
        let title = self.title.and_then(|t| YEAR.captures(t));
        let head = || {
            self.sections
                .iter()
                .take(3)
                .find_map(|s| YEAR.captures(&s.body))
        };
        title.or_else(head).and_then(|c| c[1].parse().ok())
    }
}

/// The date a file's name starts with: `2021-03-08-Dodo.md`, `2025-05-12_hub.md`.
fn file_name_date(path: &str) -> Option<chrono::NaiveDate> {
    let name = path.rsplit('/').next()?;
    let date = name.get(..10)?;
    let next = name[10..].chars().next();
    if !next.is_some_and(|c| matches!(c, '-' | '_' | ' ' | '.')) {
        return None;
    }
    chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()
}

/// "22% of users", "12% of our sellers were", "30% of store administrators who": a share
/// whose noun phrase ends in people. "8% of partner API requests" is a share of requests:
/// an acronym or a word for things after the people word carries the phrase on.
fn share_of_people(text: &str) -> Option<f64> {
    const THINGS: &[&str] = &[
        "requests",
        "request",
        "traffic",
        "orders",
        "order",
        "transactions",
        "calls",
        "queries",
        "pages",
        "messages",
        "emails",
        "payments",
        "jobs",
        "sessions",
        "logins",
        "errors",
        "data",
        "accounts",
        "events",
        "devices",
        "servers",
        "instances",
        "volumes",
        "nodes",
        "pods",
        "builds",
        "deploys",
        "apps",
        "sites",
        "uploads",
    ];
    SHARE_OF_PEOPLE.captures_iter(text).find_map(|c| {
        let rest = &text[c.get(0)?.end()..];
        let next = rest.split_whitespace().next().unwrap_or("");
        let bare = next.trim_matches(|ch: char| !ch.is_alphanumeric());
        let acronym = bare.len() >= 2
            && bare
                .chars()
                .all(|ch| ch.is_ascii_uppercase() || ch.is_ascii_digit());
        let joined = rest.starts_with(|ch: char| ch.is_alphanumeric()) || rest.starts_with('-');
        let thing = THINGS.contains(&bare.to_lowercase().as_str());
        if !joined && (acronym || thing) && !next.ends_with([',', '.', ';', ':']) {
            return None;
        }
        c["n"].parse::<f64>().ok().filter(|p| *p <= 100.0)
    })
}

/// "all customers", "complete outage", "anyone trying to log in"; not "anyone who did
/// not have the address cached".
fn everyone_affected(text: &str) -> bool {
    ALL_USERS.find_iter(text).any(|m| {
        let rest = text[m.end()..].trim_start().to_lowercase();
        ![
            "who did not",
            "who didn't",
            "who had not",
            "who hadn't",
            "without",
            "except",
            "who was not",
            "who wasn't",
        ]
        .iter()
        .any(|limit| rest.starts_with(limit))
    })
}

/// Sentences of a text, one per line of output.
fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines().filter(|l| !l.trim_start().starts_with('|')) {
        let folded = line.split_whitespace().collect::<Vec<_>>().join(" ");
        // One pass over the line: a pasted log can be one paragraph of thousands of
        // sentences.
        out.extend(
            crate::parse::text::split_sentences(folded.trim_start_matches("- "))
                .into_iter()
                .map(str::to_string),
        );
    }
    out
}

/// At most `bytes` of `text`, cut at a character boundary.
fn head_of(text: &str, bytes: usize) -> &str {
    let mut end = bytes.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// The value read by the first of the site's own date formats that matches it whole.
fn custom_format(value: &str, formats: &[String]) -> Option<Moment> {
    formats.iter().find_map(|format| {
        if let Ok(at) = chrono::NaiveDateTime::parse_from_str(value, format) {
            return Some(Moment {
                date: Some(at.date()),
                time: Some(at.time()),
                offset: None,
            });
        }
        chrono::NaiveDate::parse_from_str(value, format)
            .ok()
            .map(Moment::date_only)
    })
}
