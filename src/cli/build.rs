//! `pmsite build`: builds the site into the output folder and prints the problems and a
//! summary line (with `--verbose`, the time of each step and the peak memory).

use std::time::Instant;

use pmsite::report::counted;
use pmsite::{BuildOptions, Error};

use super::args::BuildArgs;
use super::progress::BuildProgress;
use super::site::load_site;
use super::{print_diagnostics, Outcome};

pub fn run(args: BuildArgs) -> Result<Outcome, Error> {
    let (mut config, today, today_source) = load_site(&args.site)?;
    if let Some(output) = args.output {
        config.output_dir = output;
    }
    if let Some(base_url) = args.base_url {
        pmsite::config::check_base_url(&base_url)
            .map_err(|why| Error::Usage(format!("--base-url: {why}")))?;
        config.base_url = base_url;
    }
    if let Some(theme) = args.theme {
        config.theme = Some(theme);
    }
    let options = BuildOptions {
        jobs: args.jobs,
        force: args.force,
        strict: args.strict,
        ..BuildOptions::new(config, today)
    };

    let started = Instant::now();
    let progress = BuildProgress::new(!args.quiet);
    let report = pmsite::pipeline::build_with_progress(&options, &progress);
    progress.finish();
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
    Ok(Outcome::problems_if(report.errors() > 0))
}

/// The most memory the process has held (VmHWM), where the system tells (Linux).
fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
