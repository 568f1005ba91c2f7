//! `cargo bench --bench serve [-- SIZE]`: how long `pmsite serve` takes from saving a
//! postmortem to the reload signal, in a synthetic archive of 1,000 postmortems (or SIZE).
//! The baseline, measured in the same run, is a full build in memory: what a server
//! without a cache would do on every edit.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use pmsite::cache::BuildCache;
use pmsite::config::Config;
use pmsite::BuildOptions;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const EDITS: usize = 15;

fn main() {
    let size: usize = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .find_map(|a| a.parse().ok())
        .unwrap_or(1_000);
    let scratch = scratch_dir();
    let content = scratch.join(format!("serve-content-{size}"));
    let _ = std::fs::remove_dir_all(&content);
    pmsite::synthetic::write_archive(&content, size).expect("write synthetic archive");
    let options = options(&content, &scratch.join("serve-public"));

    let full: Vec<Duration> = (0..5)
        .map(|_| timed(|| drop(pmsite::build_in_memory(&options).expect("build"))))
        .collect();
    let mut cache = BuildCache::default();
    let first =
        timed(|| drop(pmsite::pipeline::rebuild_in_memory(&options, &mut cache).expect("build")));
    let files = postmortems(&content);
    let incremental: Vec<Duration> = (0..EDITS)
        .map(|n| {
            let file = &files[n * files.len() / EDITS];
            let text = std::fs::read_to_string(file).unwrap();
            std::fs::write(file, format!("{text}\nEdited {n}.\n")).unwrap();
            timed(|| {
                let (_, report) =
                    pmsite::pipeline::rebuild_in_memory(&options, &mut cache).expect("rebuild");
                if std::env::var_os("STEPS").is_some() {
                    eprintln!(
                        "{:?}",
                        report
                            .timings
                            .iter()
                            .map(|(s, d)| format!("{s} {:.1}", d.as_secs_f64() * 1e3))
                            .collect::<Vec<_>>()
                    );
                }
            })
        })
        .collect();
    println!(
        "pmsite serve benchmark: {size} incidents, {} cores",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    println!(
        "full build in memory (baseline): median {}",
        ms(median(full))
    );
    println!("first build with cache:          {}", ms(first));
    println!(
        "rebuild after one edit:          median {} (reuse: {:?})",
        ms(median(incremental.clone())),
        cache.last
    );
    println!(
        "ratio rebuild / baseline:        {:.2}",
        median(incremental).as_secs_f64() / median(full_again(&options)).as_secs_f64()
    );
}

fn full_again(options: &BuildOptions) -> Vec<Duration> {
    (0..3)
        .map(|_| timed(|| drop(pmsite::build_in_memory(options).expect("build"))))
        .collect()
}

fn options(content: &Path, output: &Path) -> BuildOptions {
    let config = Config {
        content_dir: content.to_path_buf(),
        output_dir: output.to_path_buf(),
        ..Config::default()
    };
    BuildOptions {
        config,
        today: chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
        jobs: None,
        force: true,
        strict: false,
    }
}

fn postmortems(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    files
}

fn timed(f: impl FnOnce()) -> Duration {
    let started = Instant::now();
    f();
    started.elapsed()
}

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn scratch_dir() -> PathBuf {
    let shm = Path::new("/dev/shm");
    let base = if shm.is_dir() {
        shm.to_path_buf()
    } else {
        std::env::temp_dir()
    };
    let dir = base.join(format!("pmsite-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}
