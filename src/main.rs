//! The `pmsite` binary: parses the command line, runs the library, prints the report,
//! and maps the outcome to an exit code (0 ok, 1 content errors, 2 usage or fatal).

mod cli;

// A build makes millions of small strings on every core; glibc's allocator spent more
// time on them than the parsing did (measured with perf on 10,000 postmortems).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::Path;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::Parser;

use cli::{
    BuildArgs, CheckArgs, Cli, Command, DiagnosticStyle, Format, InspectArgs, NewArgs, ServeArgs,
    TaskFilter, TaskFormat, TasksArgs,
};
use pmsite::config::{Config, CONFIG_FILE};
use pmsite::report::counted;
use pmsite::{BuildOptions, Error};

fn main() -> ExitCode {
    avoid_huge_pages();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build(args) => build(args),
        Command::Inspect(args) => inspect(args),
        Command::Check(args) => check(args),
        Command::Serve(args) => serve(args),
        Command::New(args) => new(args),
        Command::Init { dir } => init(&dir),
        Command::Completions { shell } => {
            use clap::CommandFactory;
            clap_complete::generate(shell, &mut Cli::command(), "pmsite", &mut std::io::stdout());
            Ok(ExitCode::SUCCESS)
        }
        Command::Tasks(args) => tasks(args),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
    }
}

fn build(args: BuildArgs) -> Result<ExitCode, Error> {
    let (mut config, today, today_source) = load_site(&args.site)?;
    if let Some(output) = args.output {
        config.output_dir = output;
    }
    if let Some(base_url) = args.base_url {
        config.base_url = base_url;
    }
    if let Some(theme) = args.theme {
        config.theme = Some(theme);
    }
    let options = BuildOptions {
        config,
        today,
        jobs: args.jobs,
        force: args.force,
        strict: args.strict,
    };

    let started = std::time::Instant::now();
    let progress = BuildProgress::new(!args.quiet);
    let report = pmsite::pipeline::build_with_progress(&options, &progress);
    progress.bar.finish_and_clear();
    let report = report?;
    print_diagnostics(&report, &options.config, args.format);
    if args.verbose {
        for (step, took) in &report.timings {
            eprintln!("pmsite: {step:>7} {:>8.1} ms", took.as_secs_f64() * 1000.0);
        }
        if let Some(kib) = peak_memory_kib() {
            eprintln!("pmsite:    peak {:>8.1} MiB", kib as f64 / 1024.0);
        }
    }
    if !args.quiet {
        eprintln!(
            "pmsite: {}, {}, {} ({} overdue), {}, {} in {:.2}s; today is {today} ({today_source}); wrote {}",
            counted(report.incidents, "incident"),
            counted(report.pages, "page"),
            counted(report.open_tasks, "open task"),
            report.overdue_tasks,
            counted(report.warnings(), "warning"),
            counted(report.errors(), "error"),
            started.elapsed().as_secs_f64(),
            options.config.output_dir.display(),
        );
    }
    Ok(if report.errors() > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The most memory the process has held (VmHWM), where the system tells (Linux).
fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// A progress bar on stderr, drawn only on a terminal and only once a build has run for
/// a moment: short builds print nothing extra.
struct BuildProgress {
    bar: indicatif::ProgressBar,
    started: std::time::Instant,
    enabled: bool,
    shown: std::sync::atomic::AtomicBool,
}

impl BuildProgress {
    const DELAY: std::time::Duration = std::time::Duration::from_millis(300);

    fn new(wanted: bool) -> Self {
        use std::io::IsTerminal;
        let terminal = std::io::stderr().is_terminal()
            && std::env::var("TERM").map_or(true, |term| term != "dumb");
        let bar = indicatif::ProgressBar::hidden();
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "pmsite: {msg:>6} [{bar:30}] {pos}/{len} files, {elapsed}",
            )
            .expect("a valid template")
            .progress_chars("=> "),
        );
        BuildProgress {
            bar,
            started: std::time::Instant::now(),
            enabled: wanted && terminal,
            shown: std::sync::atomic::AtomicBool::new(false),
        }
    }

    fn show_if_slow(&self) {
        use std::sync::atomic::Ordering;
        if self.enabled
            && self.started.elapsed() > Self::DELAY
            && !self.shown.swap(true, Ordering::Relaxed)
        {
            self.bar
                .set_draw_target(indicatif::ProgressDrawTarget::stderr());
            self.bar
                .enable_steady_tick(std::time::Duration::from_millis(100));
        }
    }
}

impl pmsite::pipeline::Progress for BuildProgress {
    fn start(&self, step: &'static str, files: Option<usize>) {
        if let Some(files) = files {
            self.bar.set_length(files as u64);
            self.bar.set_position(0);
        }
        self.bar.set_message(step);
        self.show_if_slow();
    }

    fn file_done(&self) {
        self.bar.inc(1);
        self.show_if_slow();
    }
}

/// Prints a report's diagnostics: for people on stderr, for tools (JSON, GitHub
/// commands) on stdout.
fn print_diagnostics(report: &pmsite::BuildReport, config: &Config, style: DiagnosticStyle) {
    use pmsite::report::{format_diagnostics, DiagnosticFormat, Sources};
    let format = match style {
        DiagnosticStyle::Short => DiagnosticFormat::Short,
        DiagnosticStyle::Human => DiagnosticFormat::Human,
        DiagnosticStyle::Json => DiagnosticFormat::Json,
        DiagnosticStyle::Github => DiagnosticFormat::Github,
    };
    let sources = Sources {
        content_dir: &config.content_dir,
        texts: &report.sources,
    };
    let text = format_diagnostics(&report.diagnostics, format, &sources);
    match format {
        DiagnosticFormat::Short | DiagnosticFormat::Human => eprint!("{text}"),
        DiagnosticFormat::Json | DiagnosticFormat::Github => print!("{text}"),
    }
}

/// `serve`: builds in memory, serves, rebuilds on change; runs until interrupted.
fn serve(args: ServeArgs) -> Result<ExitCode, Error> {
    use pmsite::serve::{Preview, ServeOptions};
    // Watched even before it exists, so a config written while serving is used.
    let config_file = Some(
        args.site
            .config
            .clone()
            .unwrap_or_else(|| CONFIG_FILE.into()),
    );
    let ServeArgs {
        site,
        theme,
        port,
        bind,
        open,
    } = args;
    // Read again after each change of the config file, with the flags applied on top.
    let load = move || -> Result<BuildOptions, Error> {
        let (mut config, today, _) = load_site(&site)?;
        if let Some(theme) = &theme {
            config.theme = Some(theme.clone());
        }
        // Served from the server's root, whatever address the site is published at.
        config.base_url = String::new();
        Ok(BuildOptions {
            config,
            today,
            jobs: None,
            force: false,
            strict: false,
        })
    };
    let options = ServeOptions {
        bind,
        port,
        config_file,
    };
    let log = |line: String| eprintln!("pmsite: {line}");
    let preview = Preview::start(Box::new(load), &options, Box::new(log))?;
    let url = preview.url();
    eprintln!("pmsite: serving {url} (Ctrl-C to stop); watching for changes");
    if !bind.is_loopback() {
        eprintln!("pmsite: warning: listening on {bind}, so other machines can read this archive");
    }
    if open {
        if let Err(error) = opener::open_browser(&url) {
            eprintln!("pmsite: could not open a browser: {error}");
        }
    }
    preview.wait();
    Ok(ExitCode::SUCCESS)
}

/// `new`: a postmortem from the site's template (or the built-in one).
fn new(args: NewArgs) -> Result<ExitCode, Error> {
    use pmsite::scaffold;
    let (config, today, _) = load_site(&args.site)?;
    let site_template = config.content_dir.join(scaffold::TEMPLATE_FILE);
    let template = match std::fs::read_to_string(&site_template) {
        Ok(text) => text,
        Err(_) => scaffold::DEFAULT_TEMPLATE.to_string(),
    };
    // The ids in use, so the new one follows them.
    let ids: Vec<String> = if config.content_dir.is_dir() {
        let options = BuildOptions {
            config: config.clone(),
            today,
            jobs: None,
            force: false,
            strict: false,
        };
        pmsite::load_archive(&options)?
            .0
            .incidents
            .into_iter()
            .map(|i| i.id)
            .collect()
    } else {
        Vec::new()
    };
    let id = scaffold::next_id(&ids, today);
    let path = scaffold::new_postmortem(&config.content_dir, &args.title, &id, today, &template)?;
    println!("{}", path.display());
    eprintln!(
        "pmsite: wrote {} ({id}); replace each TBD and HH:mm, then `pmsite check`",
        path.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// `init`: a new archive; files that exist are kept.
fn init(dir: &Path) -> Result<ExitCode, Error> {
    let (today, _) = resolve_today(None)?;
    for (path, written) in pmsite::scaffold::init_archive(dir, today)? {
        let verb = if written { "wrote" } else { "kept existing" };
        eprintln!("pmsite: {verb} {}", path.display());
    }
    eprintln!("pmsite: next, `pmsite build` there and open public/index.html");
    Ok(ExitCode::SUCCESS)
}

/// `check`: a build in memory, nothing written; the problems and a verdict.
fn check(args: CheckArgs) -> Result<ExitCode, Error> {
    let (mut config, today, _) = load_site(&args.site)?;
    if let Some(theme) = args.theme {
        config.theme = Some(theme);
    }
    let options = BuildOptions {
        config,
        today,
        jobs: None,
        force: false,
        strict: args.strict,
    };
    let (site, mut report) = pmsite::build_in_memory(&options)?;
    let broken = pmsite::pipeline::check_links(&site, &report, &options.config.base_url);
    report.diagnostics.extend(broken);
    options
        .config
        .rules(args.strict)
        .apply(&mut report.diagnostics);
    pmsite::diagnostic::sort_diagnostics(&mut report.diagnostics);
    print_diagnostics(&report, &options.config, args.format);
    eprintln!(
        "pmsite: checked {}: {}, {}{}",
        counted(report.incidents, "incident"),
        counted(report.errors(), "error"),
        counted(report.warnings(), "warning"),
        if args.strict {
            " (--strict: warnings count as errors)"
        } else {
            ""
        }
    );
    Ok(if report.errors() > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn inspect(args: InspectArgs) -> Result<ExitCode, Error> {
    let config = load_config(args.config.as_deref())?;
    let (today, _) = resolve_today(args.today.as_deref())?;
    let options = pmsite::parse::ParseOptions::from_config(&config).map_err(Error::Usage)?;
    let mut failed = false;
    let mut reports = Vec::new();
    for (i, path) in args.files.iter().enumerate() {
        if !path.is_file() {
            return Err(Error::Usage(format!("{}: no such file", path.display())));
        }
        // Inside the content folder, a file is named as the build names it, so its id matches.
        let content = config.content_dir.canonicalize().ok();
        let absolute = path.canonicalize().ok();
        let shown = match (absolute, content) {
            (Some(file), Some(root)) if file.starts_with(&root) => file
                .strip_prefix(&root)
                .unwrap_or(&file)
                .to_string_lossy()
                .replace('\\', "/"),
            _ => path.display().to_string(),
        };
        let (incident, diagnostics) = pmsite::inspect::inspect_file(path, &shown, &options);
        failed |= diagnostics.iter().any(|d| d.is_error());
        match (incident, args.format) {
            (Some(incident), Format::Human) => {
                if i > 0 {
                    println!();
                }
                println!("{shown}");
                print!("{}", pmsite::inspect::human_report(&incident, today));
            }
            (Some(incident), Format::Json) => {
                reports.push(pmsite::inspect::json_report(&incident, today))
            }
            (None, _) => {
                for diagnostic in &diagnostics {
                    eprintln!("{diagnostic}");
                }
            }
        }
    }
    if args.format == Format::Json {
        let json = serde_json::to_string_pretty(&reports).expect("reports serialize");
        println!("{json}");
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn tasks(args: TasksArgs) -> Result<ExitCode, Error> {
    use pmsite::index::tasks::{TaskBoard, TaskGroup};
    use pmsite::render::task_exports;

    let (config, today, today_source) = load_site(&args.site)?;
    let due_soon_days = config.tasks.due_soon_days;
    let options = BuildOptions {
        config,
        today,
        jobs: None,
        force: false,
        strict: false,
    };
    let (archive, report) = pmsite::load_archive(&options)?;
    // Warnings belong to `build` and `inspect`; an error means tasks may be missing.
    for diagnostic in report.diagnostics.iter().filter(|d| d.is_error()) {
        eprintln!("{diagnostic}");
    }
    let board = TaskBoard::new(&archive, today, due_soon_days);
    let owner = match &args.owner {
        Some(name) => Some(board.find_owner(name).ok_or_else(|| {
            let known: Vec<&str> = board.owners.iter().map(|o| o.name.as_str()).collect();
            Error::Usage(format!(
                "no task is owned by `{name}`; owners: {}",
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                }
            ))
        })?),
        None => None,
    };
    let of_owner = |t: &pmsite::index::tasks::BoardTask| owner.is_none() || t.owner == owner;
    let wanted = |group: TaskGroup| match args.status {
        TaskFilter::Open => group.is_open(),
        TaskFilter::Overdue => group == TaskGroup::Overdue,
        TaskFilter::DueSoon => group == TaskGroup::DueSoon,
        TaskFilter::Done => group == TaskGroup::Done,
        TaskFilter::WontDo => group == TaskGroup::WontDo,
        TaskFilter::Closed => !group.is_open(),
        TaskFilter::All => true,
    };
    let records = task_exports::task_records(&archive, &board, |t| of_owner(t) && wanted(t.group));
    let mut out = anstream::stdout();
    let written = match args.format {
        TaskFormat::Table => {
            let table = pmsite::task_table::task_table(&records);
            std::io::Write::write_all(&mut out, table.as_bytes())
        }
        TaskFormat::Json => std::io::Write::write_all(
            &mut out,
            &task_exports::tasks_json(&records, today, due_soon_days),
        ),
        TaskFormat::Csv => std::io::Write::write_all(&mut out, &task_exports::tasks_csv(&records)),
    };
    if let Err(error) = written {
        // A closed pipe (`pmsite tasks | head`) is not a failure.
        if error.kind() != std::io::ErrorKind::BrokenPipe {
            return Err(Error::Usage(format!("cannot write the list: {error}")));
        }
    }
    let overdue = board
        .tasks
        .iter()
        .filter(|t| of_owner(t) && t.group == TaskGroup::Overdue)
        .count();
    if args.format == TaskFormat::Table {
        eprintln!(
            "pmsite: {} task{} listed; {overdue} overdue{}; today is {today} ({today_source}){}",
            records.len(),
            if records.len() == 1 { "" } else { "s" },
            if owner.is_some() {
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
    Ok(
        if report.errors() > 0 || (args.fail_on_overdue && overdue > 0) {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        },
    )
}

/// The config (`--config`, else `pmsite.toml`, else defaults) with `--content` applied,
/// and "today" with where it came from.
fn load_site(args: &cli::SiteArgs) -> Result<(Config, NaiveDate, &'static str), Error> {
    let mut config = load_config(args.config.as_deref())?;
    if let Some(content) = &args.content {
        config.content_dir = content.clone();
    }
    let (today, source) = resolve_today(args.today.as_deref())?;
    Ok((config, today, source))
}

/// `--config FILE`, else `pmsite.toml` in the current folder, else the defaults.
fn load_config(path: Option<&Path>) -> Result<Config, Error> {
    match path {
        Some(path) => Config::load(path),
        None if Path::new(CONFIG_FILE).is_file() => Config::load(Path::new(CONFIG_FILE)),
        None => Ok(Config::default()),
    }
}

/// `--today`, else `SOURCE_DATE_EPOCH` (for reproducible builds), else the clock; with
/// where the date came from, for the summary line.
fn resolve_today(flag: Option<&str>) -> Result<(NaiveDate, &'static str), Error> {
    if let Some(text) = flag {
        let date = NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
            Error::Usage(format!(
                "--today expects a date like 2024-06-30, not `{text}`"
            ))
        })?;
        return Ok((date, "from --today"));
    }
    if let Ok(epoch) = std::env::var("SOURCE_DATE_EPOCH") {
        let seconds: i64 = epoch.trim().parse().map_err(|_| {
            Error::Usage(format!(
                "SOURCE_DATE_EPOCH must be a number of seconds, not `{epoch}`"
            ))
        })?;
        let date = chrono::DateTime::from_timestamp(seconds, 0)
            .ok_or_else(|| Error::Usage(format!("SOURCE_DATE_EPOCH `{epoch}` is out of range")))?
            .date_naive();
        return Ok((date, "from SOURCE_DATE_EPOCH"));
    }
    Ok((chrono::Utc::now().date_naive(), "the current date"))
}

/// The allocator asks for memory in large arenas and, where the kernel allows, backs
/// them with transparent huge pages; a build touches much of that memory only once, so
/// the kernel spent about a fifth of a 10k build zeroing 2 MiB pages, and resident
/// memory grew by some 150 MiB (`cargo bench --bench build`). mimalloc's own
/// `MIMALLOC_ALLOW_THP=0` does the same; this spares users from setting it.
fn avoid_huge_pages() {
    #[cfg(target_os = "linux")]
    {
        // Best effort: an old kernel without the flag builds as before.
        let _ = nix::sys::prctl::set_thp_disable(true);
    }
}
