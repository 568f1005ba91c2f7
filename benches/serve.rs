//! `cargo bench --bench serve [-- SIZE]`: how long `pmsite serve` takes from saving a
//! postmortem to the reload signal, in the seed-42 corpus of
//! `../shared/bench/gen_corpus.py` (`PMSITE_BENCH_GENERATOR` names another) at 1,000
//! postmortems (or SIZE).
//! The baseline, measured in the same run, is a full build in memory: what a server
//! without a cache would do on every edit.
//!
//! Two figures: the rebuild alone (library call), and end to end: a server started
//! in-process, a live-reload request waiting over HTTP, a file written, the time until
//! the answer arrives (file watcher, settling, rebuild, publishing, HTTP).

mod support;

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
    let scratch = support::scratch_dir("pmsite-bench");
    let content = scratch.join(format!("serve-content-{size}"));
    let _ = std::fs::remove_dir_all(&content);
    support::generate_corpus(&support::corpus_generator(), &content, size, &[])
        .unwrap_or_else(|why| panic!("{why}"));
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
    let reloads = edit_to_reload(&options, &files);
    let baseline = median([full, full_again(&options)].concat());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "pmsite serve benchmark: {size} incidents of the seed-42 corpus, {cores} cores, {EDITS} edits of one file each"
    );
    println!("full build in memory (baseline): median {}", ms(baseline));
    println!("first build with the cache:      {}", ms(first));
    println!(
        "rebuild after one edit:          median {}, max {}; ratio to baseline {:.2} (last: {:?})",
        ms(median(incremental.clone())),
        ms(*incremental.iter().max().unwrap()),
        ratio(median(incremental), baseline),
        cache.last
    );
    println!(
        "edit -> reload signal over HTTP: median {}, max {}; ratio to baseline {:.2}",
        ms(median(reloads.clone())),
        ms(*reloads.iter().max().unwrap()),
        ratio(median(reloads), baseline)
    );
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64()
}

/// Serves the archive, and for each edit times write -> live-reload answer.
fn edit_to_reload(options: &BuildOptions, files: &[PathBuf]) -> Vec<Duration> {
    use pmsite::serve::{Preview, ServeOptions};
    let for_server = options.clone();
    let preview = Preview::start(
        Box::new(move || Ok(for_server.clone())),
        &ServeOptions {
            bind: std::net::Ipv4Addr::LOCALHOST.into(),
            port: Some(0),
            config_file: None,
        },
        Box::new(|line| {
            if std::env::var_os("LOG").is_some() {
                eprintln!("{line}")
            }
        }),
    )
    .expect("serve");
    let url = preview.url();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into();
    let mut generation = 1;
    let timings = (0..EDITS)
        .map(|n| {
            let file = &files[(n * files.len() / EDITS + files.len() / (2 * EDITS)) % files.len()];
            let poll = {
                let (agent, url) = (agent.clone(), url.clone());
                std::thread::spawn(move || {
                    let body = agent
                        .get(format!("{url}__pmsite/live?since={generation}&page=/"))
                        .call()
                        .expect("poll")
                        .body_mut()
                        .read_to_string()
                        .expect("body");
                    (Instant::now(), body)
                })
            };
            // Let the request reach the server and wait there.
            std::thread::sleep(Duration::from_millis(150));
            let text = std::fs::read_to_string(file).unwrap();
            let written = Instant::now();
            std::fs::write(file, format!("{text}\nServed edit {n}.\n")).unwrap();
            let (answered, body) = poll.join().expect("poll thread");
            let state: serde_json::Value = serde_json::from_str(&body).expect("json");
            let next = state["generation"].as_u64().unwrap();
            assert!(next > generation, "{state}");
            generation = next;
            answered - written
        })
        .collect();
    preview.stop();
    timings
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
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    BuildOptions {
        force: true,
        ..BuildOptions::new(config, today)
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
