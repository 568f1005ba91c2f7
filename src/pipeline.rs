//! `build`: walk → parse → model → render → write, each step timed; `check` (a build in
//! memory plus the link check) and `load_archive` (up to the model). The library's entry
//! points; the binary only gathers options and prints the report.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::cache::BuildCache;
use crate::config::Config;
use crate::diagnostic::{sort_diagnostics, Code, Diagnostic, Severity};
use crate::error::{Error, Result};
use crate::model::due_policy::DuePolicy;
use crate::model::{Archive, Incident};
use crate::parse::{parse_incident, ParseOptions};
use crate::render::theme::Theme;
use crate::render::views::LinkStyle;
use crate::render::{MemorySite, RenderSettings, RenderedSite, SiteSink};
use crate::sift::{sift, Verdict};
use crate::walk::{walk, SkipReason, Skipped, SourceFile, WalkOptions};

/// Everything a build needs; the CLI fills it from flags, the config and the clock.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub config: Config,
    /// The date overdue tasks are judged against. The build never reads the clock.
    pub today: NaiveDate,
    /// Worker threads; `None` lets rayon choose.
    pub jobs: Option<usize>,
    /// Replace an output folder pmsite did not create.
    pub force: bool,
    /// Make every warning an error (`--strict`).
    pub strict: bool,
}

impl BuildOptions {
    /// The options of a plain build: rayon's threads, an output folder pmsite made,
    /// warnings left as warnings.
    pub fn new(config: Config, today: NaiveDate) -> Self {
        BuildOptions {
            config,
            today,
            jobs: None,
            force: false,
            strict: false,
        }
    }
}

/// What a build did.
#[derive(Debug, Default)]
pub struct BuildReport {
    pub incidents: usize,
    pub pages: usize,
    /// Every problem found, sorted by file and line.
    pub diagnostics: Vec<Diagnostic>,
    /// (step, time taken), in pipeline order.
    pub timings: Vec<(&'static str, Duration)>,
    pub open_tasks: usize,
    pub overdue_tasks: usize,
    /// Each postmortem's text by its content path, for printing source lines.
    pub sources: BTreeMap<String, std::sync::Arc<str>>,
    /// Incident id -> its content path.
    pub incident_sources: BTreeMap<String, String>,
}

impl BuildReport {
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count()
    }

    pub fn notes(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Note)
            .count()
    }
}

/// What a build tells whoever watches it: the CLI draws a progress bar from it on a
/// terminal. Every method does nothing unless overridden.
pub trait Progress: Sync {
    /// A step starts: `walk`, `parse` (with the number of files), `model`, `index`,
    /// `render` or `write`.
    fn start(&self, _step: &'static str, _files: Option<usize>) {}
    /// One more file parsed (called from worker threads).
    fn file_done(&self) {}
}

/// Watches nothing.
pub struct NoProgress;

impl Progress for NoProgress {}

/// Builds the site and writes it to the configured output folder.
pub fn build(options: &BuildOptions) -> Result<BuildReport> {
    build_with_progress(options, &NoProgress)
}

/// `build`, telling `progress` how far it got.
pub fn build_with_progress(options: &BuildOptions, progress: &dyn Progress) -> Result<BuildReport> {
    let config = &options.config;
    check_folders(&config.content_dir, &config.output_dir)?;
    let pool = thread_pool(options.jobs)?;
    // Pages go into the staging folder as they are rendered: no step holds them all.
    let staging = crate::write::Staging::begin(&config.output_dir, options.force)?;
    let mut report = pool.install(|| run_steps(options, None, progress, &staging))?;
    progress.start("write", None);
    let started = Instant::now();
    staging.finish()?;
    report.timings.push(("write", started.elapsed()));
    Ok(report)
}

/// Everything `build` does except writing: the rendered files and the report.
pub fn build_in_memory(options: &BuildOptions) -> Result<(RenderedSite, BuildReport)> {
    let site = MemorySite::default();
    let report =
        thread_pool(options.jobs)?.install(|| run_steps(options, None, &NoProgress, &site))?;
    Ok((site.into_site(), report))
}

/// `build_in_memory` that reuses what `cache` kept from the last build (files whose
/// bytes did not change are not parsed again; incident pages whose inputs did not change
/// are not rendered again) and keeps this build's work for the next.
pub fn rebuild_in_memory(
    options: &BuildOptions,
    cache: &mut BuildCache,
) -> Result<(RenderedSite, BuildReport)> {
    let site = MemorySite::default();
    let report = thread_pool(options.jobs)?
        .install(|| run_steps(options, Some(cache), &NoProgress, &site))?;
    Ok((site.into_site(), report))
}

/// `pmsite check`: everything `build` does except writing, then the links on incident
/// pages that lead nowhere, as `broken-link` warnings. Every problem is graded by the
/// site's rules (and `strict`) and sorted by file and line.
///
/// ```
/// let content = std::env::temp_dir().join(format!("pmsite-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&content).unwrap();
/// let text = "# Disk full\n\nSee [the runbook](nowhere.html).\n";
/// std::fs::write(content.join("disk.md"), text).unwrap();
/// let config = pmsite::Config {
///     content_dir: content.clone(),
///     ..pmsite::Config::default()
/// };
/// let today = chrono::NaiveDate::from_ymd_opt(2024, 6, 30).unwrap();
/// let report = pmsite::check(&pmsite::BuildOptions::new(config, today))?;
/// assert_eq!(report.incidents, 1);
/// assert!(report.diagnostics.iter().any(|d| d.code == pmsite::Code::BrokenLink));
/// # std::fs::remove_dir_all(&content).unwrap();
/// # Ok::<(), pmsite::Error>(())
/// ```
pub fn check(options: &BuildOptions) -> Result<BuildReport> {
    let (site, mut report) = build_in_memory(options)?;
    let broken = check_links(&site, &report, &options.config.base_url);
    report.diagnostics.extend(broken);
    options
        .config
        .rules(options.strict)
        .apply(&mut report.diagnostics);
    sort_diagnostics(&mut report.diagnostics);
    Ok(report)
}

/// Reads the content folder into the model, with no site: what `pmsite tasks` and other
/// reports need. The report holds the diagnostics and the task counts.
pub fn load_archive(options: &BuildOptions) -> Result<(Archive, BuildReport)> {
    let pool = thread_pool(options.jobs)?;
    pool.install(|| {
        let config = &options.config;
        if !config.content_dir.is_dir() {
            return Err(Error::NoContent(config.content_dir.clone()));
        }
        let walk_options =
            WalkOptions::new(&config.ignore, &config.extensions).map_err(Error::BadOption)?;
        let parse_options = ParseOptions::from_config(config).map_err(Error::BadOption)?;
        let mut report = BuildReport::default();
        let mut step = Timer(Some(Instant::now()));
        let archive = read_archive(
            options,
            &walk_options,
            &parse_options,
            None,
            &NoProgress,
            &mut report,
            &mut step,
        );
        config.rules(options.strict).apply(&mut report.diagnostics);
        sort_diagnostics(&mut report.diagnostics);
        Ok((archive, report))
    })
}

fn thread_pool(jobs: Option<usize>) -> Result<rayon::ThreadPool> {
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(jobs) = jobs {
        builder = builder.num_threads(jobs.max(1));
    }
    builder
        .build()
        .map_err(|e| Error::ThreadPool(e.to_string()))
}

/// Every step up to rendering, whose files go into `sink`.
fn run_steps(
    options: &BuildOptions,
    mut cache: Option<&mut BuildCache>,
    progress: &dyn Progress,
    sink: &dyn SiteSink,
) -> Result<BuildReport> {
    let config = &options.config;
    let mut report = BuildReport::default();
    let mut step = Timer(Some(Instant::now()));

    check_folders(&config.content_dir, &config.output_dir)?;
    // The theme's templates are parsed once per cache: whoever changes the theme starts
    // a new cache.
    let theme = match cache.as_deref_mut().and_then(|c| c.theme.take()) {
        Some(theme) => theme,
        None => std::sync::Arc::new(Theme::load(config.theme.as_deref())?),
    };
    let walk_options =
        WalkOptions::new(&config.ignore, &config.extensions).map_err(Error::BadOption)?;
    let parse_options = ParseOptions::from_config(config).map_err(Error::BadOption)?;
    step.done("load", &mut report);

    let archive = read_archive(
        options,
        &walk_options,
        &parse_options,
        cache.as_deref_mut(),
        progress,
        &mut report,
        &mut step,
    );
    progress.start("index", None);

    let index = crate::index::index_archive(
        &archive,
        options.today,
        config.tasks.due_soon_days,
        config.search,
        cache.as_deref_mut().map(|c| &mut c.search),
        &mut report.diagnostics,
    );
    step.done("index", &mut report);
    progress.start("render", None);

    let settings = RenderSettings {
        title: config.title.clone(),
        description: config.description.clone(),
        links: link_style(&config.base_url),
        today: options.today,
        source_url: config.source_url.clone(),
        page_size: config.paginate,
        raw_html: config.raw_html,
    };
    let rendered = crate::render::render_site_into(
        &archive,
        &index,
        &settings,
        &theme,
        cache.as_deref_mut(),
        sink,
    )?;
    report.pages = rendered.pages;
    step.done("render", &mut report);

    if let Some(cache) = cache {
        cache.theme = Some(theme);
    }
    config.rules(options.strict).apply(&mut report.diagnostics);
    sort_diagnostics(&mut report.diagnostics);
    Ok(report)
}

/// walk → parse → model: the content folder as an archive, each step timed.
fn read_archive(
    options: &BuildOptions,
    walk_options: &WalkOptions,
    parse_options: &ParseOptions,
    cache: Option<&mut BuildCache>,
    progress: &dyn Progress,
    report: &mut BuildReport,
    step: &mut Timer,
) -> Archive {
    let config = &options.config;
    progress.start("walk", None);
    let found = walk(&config.content_dir, walk_options, Some(&config.output_dir));
    report.diagnostics.extend(found.diagnostics);
    step.done("walk", report);

    progress.start("parse", Some(found.files.len()));
    let parsed: Vec<(Option<Incident>, Vec<Diagnostic>)> = match cache {
        None => found
            .files
            .par_iter()
            .map(|file| {
                let parsed = read_and_parse(file, parse_options);
                progress.file_done();
                parsed
            })
            .collect(),
        Some(cache) => reparse_changed(&found.files, parse_options, cache),
    };
    progress.start("model", None);
    let verdicts: Vec<Verdict> = parsed
        .par_iter()
        .map(|(incident, _)| incident.as_ref().map_or(Verdict::Postmortem, sift))
        .collect();
    let mut skipped = found.skipped;
    let mut incidents = Vec::with_capacity(parsed.len());
    for ((incident, diagnostics), verdict) in parsed.into_iter().zip(verdicts) {
        let reason = match verdict {
            Verdict::Postmortem => None,
            Verdict::IndexPage => Some(SkipReason::IndexPage),
            Verdict::BlankTemplate => Some(SkipReason::BlankTemplate),
        };
        match (incident, reason) {
            // Not built, so its problems (a template's every placeholder) are moot; the
            // `skipped-files` note names it.
            (Some(incident), Some(reason)) => skipped.push(Skipped {
                relative: incident.source,
                reason,
            }),
            (incident, _) => {
                report.diagnostics.extend(diagnostics);
                incidents.extend(incident);
            }
        }
    }
    step.done("parse", report);

    report.diagnostics.extend(skipped_files(&skipped));
    let incidents = drop_duplicate_ids(incidents, &mut report.diagnostics);
    let mut archive = Archive::new(incidents);
    archive.attachments = crate::read::copyable_attachments(
        found.attachments,
        config.raw_html,
        &mut report.diagnostics,
    );
    let rules = config.rules(options.strict);
    for incident in &mut archive.incidents {
        let missing = missing_sections(incident, &config.required_sections);
        report.diagnostics.extend(missing.iter().cloned());
        incident.diagnostics.extend(missing);
        // The page shows a file's problems as the site grades them.
        rules.apply(&mut incident.diagnostics);
    }
    DuePolicy::new(&config.tasks.due_after).apply(&mut archive);
    report.incidents = archive.incidents.len();
    report.sources = archive
        .incidents
        .iter()
        .map(|i| (i.source.clone(), i.source_text.clone()))
        .collect();
    report.incident_sources = archive
        .incidents
        .iter()
        .map(|i| (i.id.clone(), i.source.clone()))
        .collect();
    report.open_tasks = archive.incidents.iter().map(Incident::open_tasks).sum();
    report.overdue_tasks = archive
        .incidents
        .iter()
        .map(|i| i.overdue_tasks(options.today))
        .sum();
    step.done("model", report);
    archive
}

/// The most file names the `skipped-files` note lists.
const SKIPPED_NAMES_SHOWN: usize = 10;

/// One `skipped-files` note for every file left out as not a postmortem, grouped by
/// why: a folder's README and template are worth a line, not a line each. It stands at
/// the first file named.
fn skipped_files(skipped: &[Skipped]) -> Option<Diagnostic> {
    let mut skipped: Vec<&Skipped> = skipped.iter().collect();
    // Stable: by reason, then in path order within one.
    skipped.sort_by_key(|file| file.reason);
    let first = skipped.first()?;
    let mut groups: Vec<(SkipReason, Vec<&str>)> = Vec::new();
    for file in skipped.iter().take(SKIPPED_NAMES_SHOWN) {
        match groups.last_mut() {
            Some((reason, names)) if *reason == file.reason => names.push(&file.relative),
            _ => groups.push((file.reason, vec![&file.relative])),
        }
    }
    let listed: Vec<String> = groups
        .iter()
        .map(|(reason, names)| format!("{} ({})", names.join(", "), reason.describe()))
        .collect();
    let count = skipped.len();
    let mut message = if count == 1 {
        "skipped 1 file that is not a postmortem: ".to_string()
    } else {
        format!("skipped {count} files that are not postmortems: ")
    };
    message.push_str(&listed.join("; "));
    if count > SKIPPED_NAMES_SHOWN {
        message.push_str(&format!("; and {} more", count - SKIPPED_NAMES_SHOWN));
    }
    Some(Diagnostic::note(
        &first.relative,
        1,
        Code::SkippedFiles,
        message,
    ))
}

/// A `missing-section` error for each section of `required` (config names such as
/// `root_cause`) the incident lacks: neither a section of that kind nor the fact it gives.
fn missing_sections(incident: &Incident, required: &[String]) -> Vec<Diagnostic> {
    use crate::model::section::SectionKind;
    required
        .iter()
        .filter_map(|name| {
            let kind = SectionKind::from_name(name)?;
            let present = incident.sections.iter().any(|s| s.kind == kind)
                || match kind {
                    SectionKind::Summary => incident.summary.is_some(),
                    SectionKind::Impact => incident.impact.is_some(),
                    SectionKind::RootCause => incident.root_cause.is_some(),
                    SectionKind::Trigger => incident.trigger.is_some(),
                    SectionKind::Resolution => incident.resolution.is_some(),
                    SectionKind::Timeline => !incident.timeline.is_empty(),
                    SectionKind::Tasks => !incident.tasks.is_empty(),
                    SectionKind::Duration => incident.duration_minutes.is_some(),
                    _ => false,
                };
            (!present).then(|| {
                Diagnostic::error(
                    &incident.source,
                    1,
                    Code::MissingSection,
                    format!("no {} section, which this site requires (`required_sections` in pmsite.toml)", name.replace('_', " ")),
                )
            })
        })
        .collect()
}

/// Links on incident pages that lead nowhere in `site`, as `broken-link` warnings at the
/// line of the postmortem that holds the link (links the theme makes are the theme's
/// business, and tested with it).
fn check_links(site: &RenderedSite, report: &BuildReport, base_url: &str) -> Vec<Diagnostic> {
    let pages: BTreeMap<String, String> = site
        .files
        .iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .filter_map(|(path, content)| {
            let html = String::from_utf8_lossy(&content.to_vec().ok()?).into_owned();
            Some((path.clone(), html))
        })
        .collect();
    let base_url = Some(base_url.trim()).filter(|b| !b.is_empty()).map(|b| {
        if b.ends_with('/') {
            b.to_string()
        } else {
            format!("{b}/")
        }
    });
    let broken = crate::links::broken_links(
        &pages,
        |file| site.files.contains_key(file),
        base_url.as_deref(),
    );
    broken
        .into_iter()
        .filter_map(|link| {
            let id = link
                .page
                .strip_prefix("incidents/")?
                .strip_suffix("/index.html")?;
            let source = report.incident_sources.get(id)?;
            let target = link.href.split('#').next().unwrap_or_default();
            let line = report
                .sources
                .get(source)
                .and_then(|text| {
                    let needle = if target.is_empty() {
                        link.href.as_str()
                    } else {
                        target
                    };
                    text.lines().position(|l| l.contains(needle))
                })
                .map_or(1, |i| i + 1);
            Some(Diagnostic::warning(
                source,
                line,
                Code::BrokenLink,
                format!("the link `{}` leads nowhere: {}", link.href, link.problem),
            ))
        })
        .collect()
}

/// Reads one file and parses it; its diagnostics travel with it.
pub(crate) fn read_and_parse(
    file: &SourceFile,
    options: &ParseOptions,
) -> (Option<Incident>, Vec<Diagnostic>) {
    let bytes = crate::read::read_limited(&file.absolute, &file.relative, options.max_file_bytes);
    parse_bytes(file, bytes, options)
}

/// Decodes and parses a file's bytes (or reports why they could not be read).
fn parse_bytes(
    file: &SourceFile,
    bytes: Result<Vec<u8>, Diagnostic>,
    options: &ParseOptions,
) -> (Option<Incident>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let bytes = match bytes {
        Ok(bytes) => bytes,
        Err(problem) => return (None, vec![problem]),
    };
    let Some(text) = crate::read::decode(&file.relative, &bytes, &mut diagnostics) else {
        return (None, diagnostics);
    };
    let mut incident = parse_incident(&file.relative, &text, options);
    diagnostics.append(&mut incident.diagnostics);
    crate::diagnostic::sort_diagnostics(&mut diagnostics);
    incident.diagnostics = diagnostics.clone();
    (Some(incident), diagnostics)
}

/// Reads every file, but parses only those whose bytes differ from the last build's;
/// the cache then holds this build's files.
fn reparse_changed(
    files: &[SourceFile],
    options: &ParseOptions,
    cache: &mut BuildCache,
) -> Vec<(Option<Incident>, Vec<Diagnostic>)> {
    let results: Vec<(u64, bool, Option<Incident>, Vec<Diagnostic>)> = files
        .par_iter()
        .map(|file| {
            let bytes =
                crate::read::read_limited(&file.absolute, &file.relative, options.max_file_bytes);
            let digest = bytes
                .as_ref()
                .map_or(0, |b| crate::cache::digest(b.as_slice()));
            match (bytes, cache.parsed(&file.relative, digest)) {
                (Ok(_), Some((incident, diagnostics))) => (digest, true, incident, diagnostics),
                (bytes, _) => {
                    let (incident, diagnostics) = parse_bytes(file, bytes, options);
                    (digest, false, incident, diagnostics)
                }
            }
        })
        .collect();
    let reused = results.iter().filter(|r| r.1).count();
    let kept: Vec<_> = results
        .iter()
        .zip(files)
        .map(|((digest, _, incident, diagnostics), file)| {
            (
                file.relative.clone(),
                *digest,
                incident.clone(),
                diagnostics.clone(),
            )
        })
        .collect();
    cache.keep_parsed(kept, reused);
    results
        .into_iter()
        .map(|(_, _, incident, diagnostics)| (incident, diagnostics))
        .collect()
}

/// Two files with one id would share a URL: the first (in path order) keeps it, the
/// other is reported and left out.
fn drop_duplicate_ids(
    incidents: Vec<Incident>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Incident> {
    let mut owners: BTreeMap<String, String> = BTreeMap::new();
    let mut kept = Vec::with_capacity(incidents.len());
    for incident in incidents {
        if let Some(first) = owners.get(&incident.id) {
            diagnostics.push(Diagnostic::error(
                &incident.source,
                1,
                Code::DuplicateId,
                format!("id `{}` is already used by {first}; this file is left out (set a different `id` in its frontmatter)", incident.id),
            ));
            continue;
        }
        owners.insert(incident.id.clone(), incident.source.clone());
        kept.push(incident);
    }
    kept
}

fn link_style(base_url: &str) -> LinkStyle {
    if base_url.trim().is_empty() {
        LinkStyle::Relative
    } else {
        let mut base_url = base_url.trim().to_string();
        if !base_url.ends_with('/') {
            base_url.push('/');
        }
        LinkStyle::Absolute { base_url }
    }
}

/// The content folder must exist, and must not sit inside the output folder, which a
/// build replaces whole.
fn check_folders(content: &Path, output: &Path) -> Result<()> {
    if !content.is_dir() {
        return Err(Error::NoContent(content.to_path_buf()));
    }
    let content_abs = content.canonicalize().map_err(|e| Error::io(content, e))?;
    let output_abs = absolute(output);
    if content_abs.starts_with(&output_abs) {
        return Err(Error::ContentInsideOutput {
            content: content.to_path_buf(),
            output: output.to_path_buf(),
        });
    }
    Ok(())
}

/// The canonical form of a path that may not exist yet: its nearest existing ancestor
/// canonicalized, the rest appended.
fn absolute(path: &Path) -> PathBuf {
    let mut missing = Vec::new();
    let mut current = path.to_path_buf();
    loop {
        if let Ok(canonical) = current.canonicalize() {
            return missing
                .iter()
                .rev()
                .fold(canonical, |acc, part| acc.join(part));
        }
        match (current.file_name(), current.parent()) {
            (Some(name), Some(parent)) => {
                missing.push(name.to_os_string());
                current = if parent.as_os_str().is_empty() {
                    PathBuf::from(".")
                } else {
                    parent.to_path_buf()
                };
            }
            _ => return path.to_path_buf(),
        }
    }
}

#[derive(Default)]
struct Timer(Option<Instant>);

impl Timer {
    fn done(&mut self, name: &'static str, report: &mut BuildReport) {
        let started = self.0.unwrap_or_else(Instant::now);
        report.timings.push((name, started.elapsed()));
        self.0 = Some(Instant::now());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skipped_files_are_one_warning_grouped_by_reason() {
        let skipped = |relative: &str, reason| Skipped {
            relative: relative.to_string(),
            reason,
        };
        let one = skipped_files(&[skipped("LICENSE", SkipReason::RepositoryFile)]).unwrap();
        assert_eq!(
            one.to_string(),
            "LICENSE:1:1: note: skipped 1 file that is not a postmortem: LICENSE (license and repository files)"
        );
        let mut many = vec![
            skipped("LICENSE", SkipReason::RepositoryFile),
            skipped("README.md", SkipReason::Ignored),
        ];
        many.extend((0..12).map(|i| skipped(&format!("_{i:02}.md"), SkipReason::Ignored)));
        let note = skipped_files(&many).unwrap();
        assert_eq!(note.path, "README.md");
        assert_eq!(
            note.message,
            "skipped 14 files that are not postmortems: README.md, _00.md, _01.md, _02.md, \
             _03.md, _04.md, _05.md, _06.md, _07.md, _08.md (ignore patterns); and 4 more"
        );
        assert!(skipped_files(&[]).is_none());
    }
}
