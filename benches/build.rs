//! `cargo bench --bench build [-- SIZES...]`: builds synthetic archives of 1,000 and
//! 10,000 postmortems (or the sizes given) and prints wall time and peak memory, next to
//! a baseline measured in the same run: reading every file of the archive, the least any
//! build must do. Each measurement runs in a fresh child process so peak memory is its own.

mod support;

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use pmsite::config::Config;
use pmsite::BuildOptions;

// The allocator the `pmsite` binary uses, so the figures are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const RUNS: usize = 3;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    if args.first().map(String::as_str) == Some("child") {
        return child(&args[1], Path::new(&args[2]), Path::new(&args[3]));
    }
    let sizes: Vec<usize> = if args.is_empty() {
        vec![1_000, 10_000]
    } else {
        args.iter().filter_map(|a| a.parse().ok()).collect()
    };
    let scratch = support::scratch_dir("pmsite-bench");
    println!(
        "pmsite build benchmark: {} cores, files on {}",
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        scratch.display()
    );
    println!("median of {RUNS} runs; baseline = walk and read every file; build = into a fresh output folder,");
    println!("as in CI; rebuild = over the previous site, which it replaces and deletes; ratio = build / baseline");
    println!();
    println!(
        "{:>10} {:>9} {:>12} {:>12} {:>12} {:>8} {:>11} {:>13}",
        "incidents",
        "input MB",
        "baseline s",
        "build s",
        "rebuild s",
        "ratio",
        "peak MiB",
        "µs/incident"
    );
    let mut rows = Vec::new();
    for size in sizes {
        let content = scratch.join(format!("content-{size}"));
        let output = scratch.join(format!("public-{size}"));
        let _ = std::fs::remove_dir_all(&content);
        let _ = std::fs::remove_dir_all(&output);
        pmsite::synthetic::write_archive(&content, size).expect("write synthetic archive");
        let input_mb = dir_size(&content) as f64 / 1e6;
        let baseline = median(RUNS, || measure("read", &content, &output).0);
        let mut peaks = Vec::new();
        // A fresh build (as in CI: no previous site) and a rebuild over the previous
        // site, which also deletes it.
        let build = median(RUNS, || {
            let _ = std::fs::remove_dir_all(&output);
            let (seconds, peak) = measure("build", &content, &output);
            peaks.push(peak);
            seconds
        });
        let rebuild = median(RUNS, || {
            let (seconds, peak) = measure("build", &content, &output);
            peaks.push(peak);
            seconds
        });
        let peak = peaks.iter().copied().fold(0.0, f64::max);
        println!(
            "{size:>10} {input_mb:>9.1} {baseline:>12.3} {build:>12.3} {rebuild:>12.3} {:>7.1}x {peak:>11.1} {:>13.1}",
            build / baseline,
            build * 1e6 / size as f64
        );
        rows.push((size, build, peak));
        let _ = std::fs::remove_dir_all(&content);
        let _ = std::fs::remove_dir_all(&output);
    }
    if let [(small, small_time, small_peak), .., (large, large_time, large_peak)] = rows[..] {
        println!();
        println!(
            "scaling {large}/{small} incidents ({}x input): time x{:.1}, peak memory x{:.1}",
            large / small,
            large_time / small_time,
            large_peak / small_peak
        );
    }
}

/// Runs one measurement in a child process; returns (wall seconds, peak MiB).
fn measure(what: &str, content: &Path, output: &Path) -> (f64, f64) {
    let exe = std::env::current_exe().expect("own path");
    let started = Instant::now();
    let result = Command::new(exe)
        .args(["child", what])
        .arg(content)
        .arg(output)
        .output()
        .expect("run child");
    let seconds = started.elapsed().as_secs_f64();
    assert!(
        result.status.success(),
        "{what} failed: {}",
        String::from_utf8_lossy(&result.stderr)
    );
    let peak_kib: f64 = String::from_utf8_lossy(&result.stdout)
        .trim()
        .parse()
        .unwrap_or(0.0);
    (seconds, peak_kib / 1024.0)
}

fn child(what: &str, content: &Path, output: &Path) {
    match what {
        "read" => {
            let mut bytes = 0usize;
            for entry in walkdir::WalkDir::new(content).sort_by_file_name() {
                let entry = entry.unwrap();
                if entry.file_type().is_file() {
                    bytes += std::fs::read(entry.path()).unwrap().len();
                }
            }
            assert!(bytes > 0);
        }
        _ => {
            let config = Config {
                content_dir: content.to_path_buf(),
                output_dir: output.to_path_buf(),
                ..Config::default()
            };
            let today = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
            let report = pmsite::build(&BuildOptions {
                config,
                today,
                jobs: None,
                force: true,
                strict: false,
            })
            .expect("build");
            assert_eq!(report.errors(), 0);
        }
    }
    println!("{}", peak_memory_kib());
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

fn median(runs: usize, mut once: impl FnMut() -> f64) -> f64 {
    let mut times: Vec<f64> = (0..runs).map(|_| once()).collect();
    times.sort_by(f64::total_cmp);
    times[runs / 2]
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
