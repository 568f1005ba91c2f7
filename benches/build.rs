//! `cargo bench --bench build [-- SIZES...]`: builds the seed-42 corpus of
//! `../shared/bench/gen_corpus.py` at 1,000 and 10,000 postmortems (or the sizes given,
//! e.g. `-- 100000`) and, when `hugo` is installed, the Hugo anchor
//! (`../shared/bench/anchors/hugo`) over the same markdown in the same run, alternating
//! pmsite and Hugo run by run. Prints wall time and peak memory of both, the speed ratio,
//! pmsite's time per pipeline step, and a baseline: reading every file of the corpus, the
//! least any build must do. Each measurement runs in a fresh child process so its peak
//! memory is its own; files and output are on /dev/shm when it is writable.
//!
//! `PMSITE_BENCH_GENERATOR` names another `gen_corpus.py` (the Hugo skeleton is then
//! `anchors/hugo` beside it); `HUGO` names another Hugo binary.

mod support;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use pmsite::config::Config;
use pmsite::BuildOptions;

// The allocator the `pmsite` binary uses, so the figures are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Timed runs of each tool per size, after one warm-up run each; figures are medians.
const RUNS: usize = 3;
use support::SEED;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    if args.first().map(String::as_str) == Some("child") {
        return child(&args[1..]);
    }
    let sizes: Vec<usize> = if args.is_empty() {
        vec![1_000, 10_000]
    } else {
        args.iter().filter_map(|a| a.parse().ok()).collect()
    };

    let generator = support::corpus_generator();
    if !generator.is_file() {
        eprintln!(
            "pmsite build benchmark: corpus generator {} not found; set PMSITE_BENCH_GENERATOR to gen_corpus.py",
            generator.display()
        );
        return ExitCode::FAILURE;
    }
    let generator = std::fs::canonicalize(&generator).unwrap_or(generator);
    let hugo = match Hugo::find(&generator) {
        Ok(hugo) => hugo,
        Err(why) => {
            eprintln!("pmsite build benchmark: {why}");
            return ExitCode::FAILURE;
        }
    };

    let scratch = support::scratch_dir("pmsite-bench");
    let tmpfs = if scratch.starts_with("/dev/shm") {
        "tmpfs"
    } else {
        "the temp folder, NOT tmpfs (/dev/shm is not writable)"
    };
    println!(
        "pmsite build benchmark: {} cores; corpus {} --seed {SEED}; files and output on {tmpfs}: {}",
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        generator.display(),
        scratch.display()
    );
    match &hugo {
        Some(hugo) => println!(
            "{}; site {}, over the same corpus with frontmatter in every file (--frontmatter-all)",
            hugo.version,
            hugo.skeleton.display()
        ),
        None => println!("hugo not installed (apt-get install hugo): pmsite only"),
    }
    println!("median of {RUNS} runs after one warm-up each, pmsite and Hugo alternating; every build into a fresh");
    println!("output folder (clean, as in CI); read = walk and read every corpus file; peak = peak RSS of the build process;");
    println!("speed vs Hugo = Hugo time / pmsite time: above 1.00x pmsite is faster than Hugo, below slower");
    println!();
    println!(
        "{:>10} {:>9} {:>8} {:>9} {:>11} {:>8} {:>10} {:>13}",
        "incidents",
        "input MB",
        "read s",
        "pmsite s",
        "pmsite MiB",
        "hugo s",
        "hugo MiB",
        "speed vs Hugo"
    );

    let mut rows = Vec::new();
    for size in sizes {
        let content = scratch.join(format!("corpus-{size}"));
        let output = scratch.join(format!("public-{size}"));
        let site = scratch.join(format!("hugo-{size}"));
        support::generate_corpus(&generator, &content, size, &[])
            .unwrap_or_else(|why| panic!("{why}"));
        let input_mb = dir_size(&content) as f64 / 1e6;
        if let Some(hugo) = &hugo {
            copy_dir(&hugo.skeleton, &site);
            support::generate_corpus(
                &generator,
                &site.join("content"),
                size,
                &["--frontmatter-all"],
            )
            .unwrap_or_else(|why| panic!("{why}"));
        }

        let read = median((0..RUNS).map(|_| pmsite_run("read", &content, &output).seconds));
        pmsite_run("build", &content, &output);
        if let Some(hugo) = &hugo {
            hugo.run(&site);
        }
        let mut pmsite_runs = Vec::new();
        let mut hugo_runs = Vec::new();
        for _ in 0..RUNS {
            pmsite_runs.push(pmsite_run("build", &content, &output));
            if let Some(hugo) = &hugo {
                hugo_runs.push(hugo.run(&site));
            }
        }
        let pmsite = Figures::of(&pmsite_runs);
        let hugo_figures = (!hugo_runs.is_empty()).then(|| Figures::of(&hugo_runs));
        let (hugo_s, hugo_mib, speed) = match &hugo_figures {
            Some(h) => (
                format!("{:.3}", h.seconds),
                format!("{:.1}", h.peak_mib),
                format!("{:.2}x", h.seconds / pmsite.seconds),
            ),
            None => ("–".into(), "–".into(), "–".into()),
        };
        println!(
            "{size:>10} {input_mb:>9.1} {read:>8.3} {:>9.3} {:>11.1} {hugo_s:>8} {hugo_mib:>10} {speed:>13}",
            pmsite.seconds, pmsite.peak_mib
        );
        rows.push((size, pmsite, hugo_figures));
        for dir in [&content, &output, &site] {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);

    if let Some((_, first, _)) = rows.first() {
        println!();
        println!("pmsite's steps, median seconds (a build's own timings; the wall time above adds process start and exit):");
        print!("{:>10}", "incidents");
        for (step, _) in &first.steps {
            print!(" {step:>8}");
        }
        println!();
        for (size, pmsite, _) in &rows {
            print!("{size:>10}");
            for (_, seconds) in &pmsite.steps {
                print!(" {seconds:>8.3}");
            }
            println!();
        }
    }
    if let [(small, small_pmsite, small_hugo), .., (large, large_pmsite, large_hugo)] = &rows[..] {
        println!();
        print!(
            "scaling {large}/{small} incidents: pmsite time x{:.1}, peak x{:.1}",
            large_pmsite.seconds / small_pmsite.seconds,
            large_pmsite.peak_mib / small_pmsite.peak_mib
        );
        if let (Some(small_hugo), Some(large_hugo)) = (small_hugo, large_hugo) {
            print!(
                "; Hugo time x{:.1}, peak x{:.1}",
                large_hugo.seconds / small_hugo.seconds,
                large_hugo.peak_mib / small_hugo.peak_mib
            );
        }
        println!();
    }
    ExitCode::SUCCESS
}

/// One measured run of a child process.
struct Run {
    seconds: f64,
    peak_mib: f64,
    /// pmsite's own step timings, in pipeline order (none for Hugo or the baseline).
    steps: Vec<(String, f64)>,
}

/// The medians of a few runs.
struct Figures {
    seconds: f64,
    peak_mib: f64,
    steps: Vec<(String, f64)>,
}

impl Figures {
    fn of(runs: &[Run]) -> Figures {
        let steps = runs[0]
            .steps
            .iter()
            .enumerate()
            .map(|(i, (step, _))| (step.clone(), median(runs.iter().map(|r| r.steps[i].1))))
            .collect();
        Figures {
            seconds: median(runs.iter().map(|r| r.seconds)),
            peak_mib: median(runs.iter().map(|r| r.peak_mib)),
            steps,
        }
    }
}

/// The Hugo binary and the anchor site it builds.
struct Hugo {
    binary: OsString,
    version: String,
    skeleton: PathBuf,
}

impl Hugo {
    /// `$HUGO` or `hugo` from PATH, with the skeleton `anchors/hugo` beside the generator;
    /// `None` when Hugo is not installed.
    fn find(generator: &Path) -> Result<Option<Hugo>, String> {
        let binary = std::env::var_os("HUGO").unwrap_or_else(|| "hugo".into());
        let Ok(out) = Command::new(&binary).arg("version").output() else {
            return Ok(None);
        };
        if !out.status.success() {
            return Ok(None);
        }
        let version = String::from_utf8_lossy(&out.stdout)
            .lines()
            .next()
            .unwrap_or("hugo")
            .to_string();
        let skeleton = generator
            .parent()
            .unwrap_or(Path::new("."))
            .join("anchors/hugo");
        if !skeleton.join("config.toml").is_file() {
            return Err(format!(
                "hugo is installed but its site skeleton {} is missing",
                skeleton.display()
            ));
        }
        Ok(Some(Hugo {
            binary,
            version,
            skeleton,
        }))
    }

    /// A clean `hugo --quiet` in `site`, as `run_anchors.sh` does it, under a child of
    /// this bench that reports Hugo's peak memory.
    fn run(&self, site: &Path) -> Run {
        for dir in ["public", "resources"] {
            let _ = std::fs::remove_dir_all(site.join(dir));
        }
        let mut command = Command::new(std::env::current_exe().expect("own path"));
        command
            .args(["child", "exec"])
            .arg(&self.binary)
            .arg("--quiet")
            .current_dir(site);
        measure(command, "hugo")
    }
}

/// Runs the baseline (`read`) or a pmsite build in a child process.
fn pmsite_run(what: &str, content: &Path, output: &Path) -> Run {
    let _ = std::fs::remove_dir_all(output);
    let mut command = Command::new(std::env::current_exe().expect("own path"));
    command.args(["child", what]).arg(content).arg(output);
    measure(command, what)
}

/// Runs one child; it prints `peak KIB` and, for a pmsite build, `step NAME SECONDS`
/// lines.
fn measure(mut command: Command, what: &str) -> Run {
    let started = Instant::now();
    let result = command.output().expect("run child");
    let seconds = started.elapsed().as_secs_f64();
    assert!(
        result.status.success(),
        "{what} failed: {}",
        String::from_utf8_lossy(&result.stderr)
    );
    let mut run = Run {
        seconds,
        peak_mib: 0.0,
        steps: Vec::new(),
    };
    for line in String::from_utf8_lossy(&result.stdout).lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words[..] {
            ["peak", kib] => run.peak_mib = kib.parse::<f64>().unwrap_or(0.0) / 1024.0,
            ["step", name, secs] => run.steps.push((name.into(), secs.parse().unwrap_or(0.0))),
            _ => {}
        }
    }
    run
}

/// The child side: `read CONTENT OUTPUT`, `build CONTENT OUTPUT` or `exec PROGRAM ARGS...`.
fn child(args: &[String]) -> ExitCode {
    // As the `pmsite` binary does at start (`src/main.rs`), so the figures are its own.
    let _ = nix::sys::prctl::set_thp_disable(true);
    match args[0].as_str() {
        "read" => {
            let mut bytes = 0usize;
            for entry in walkdir::WalkDir::new(&args[1]).sort_by_file_name() {
                let entry = entry.unwrap();
                if entry.file_type().is_file() {
                    bytes += std::fs::read(entry.path()).unwrap().len();
                }
            }
            assert!(bytes > 0);
            println!("peak {}", peak_memory_kib());
        }
        "build" => {
            let config = Config {
                content_dir: PathBuf::from(&args[1]),
                output_dir: PathBuf::from(&args[2]),
                ..Config::default()
            };
            // After the corpus's last incident (2026), as for an archive in use.
            let today = chrono::NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
            let options = BuildOptions {
                force: true,
                ..BuildOptions::new(config, today)
            };
            let report = pmsite::build(&options).expect("build");
            assert_eq!(report.errors(), 0, "the corpus built with errors");
            for (step, took) in &report.timings {
                println!("step {step} {:.6}", took.as_secs_f64());
            }
            println!("peak {}", peak_memory_kib());
        }
        "exec" => {
            // Our own peak does not count: RUSAGE_CHILDREN covers only the waited-for
            // program (and its children, the largest of them).
            let status = Command::new(&args[1])
                .args(&args[2..])
                .status()
                .expect("run program");
            if !status.success() {
                eprintln!("{} exited with {status}", args[1]);
                return ExitCode::FAILURE;
            }
            let usage =
                nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_CHILDREN)
                    .expect("getrusage");
            // ru_maxrss is in KiB on Linux.
            println!("peak {}", usage.max_rss());
        }
        other => panic!("unknown child {other}"),
    }
    ExitCode::SUCCESS
}

/// Copies the folder `from` to `to` (made anew), file by file.
fn copy_dir(from: &Path, to: &Path) {
    let _ = std::fs::remove_dir_all(to);
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("read skeleton");
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("make folder");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// VmHWM: the process's peak resident memory, in KiB (Linux).
fn peak_memory_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn median(values: impl Iterator<Item = f64>) -> f64 {
    let mut values: Vec<f64> = values.collect();
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn dir_size(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}
