//! `cargo bench --bench parse [-- FILES]`: parse throughput on one core. Times
//! `pmsite::parse::parse_incident` over every file of a corpus held in memory, on this
//! one thread, and beside it, in the same run, the baseline: pulldown-cmark's own parse
//! (every event of `Parser::new_ext(text, Options::all())`) over the same texts.
//!
//! Corpora: 1,000 files (or FILES) written by `../shared/bench/gen_corpus.py` with seed
//! 42, then the `*.md` files of `../shared/corpus/real` and `../shared/corpus/real2`.
//! A corpus that is not there (or a generator that does not run) is skipped with a
//! message. `PMSITE_SHARED` points elsewhere than `../shared`.

mod support;

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Instant;

use pmsite::parse::{parse_incident, ParseOptions};
use pulldown_cmark::{Options, Parser};

// The allocator the `pmsite` binary uses, so the figures are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Timed passes over each corpus; the figures are their median.
const PASSES: usize = 5;
use support::SEED;

/// One corpus in memory: (path relative to its folder, text), in path order.
type Corpus = Vec<(String, String)>;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let files: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(1_000);
    let shared = std::env::var_os("PMSITE_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"));

    println!(
        "pmsite parse benchmark: one thread (per core), texts in memory, median of {PASSES} passes"
    );
    println!("pmsite = parse_incident with ParseOptions::default(); pulldown = every event of");
    println!("pulldown_cmark::Parser::new_ext(text, Options::all()), the baseline; ratio = pmsite time / pulldown time");
    println!();
    println!(
        "{:<24} {:>6} {:>8} {:>12} {:>14} {:>14} {:>16} {:>7}",
        "corpus",
        "files",
        "MB",
        "pmsite MB/s",
        "pmsite µs/file",
        "pulldown MB/s",
        "pulldown µs/file",
        "ratio"
    );

    let scratch = support::scratch_dir("pmsite-bench-parse");
    let generated = scratch.join("gen_corpus");
    let label = format!("gen_corpus.py seed {SEED}");
    match support::generate_corpus(&shared.join("bench/gen_corpus.py"), &generated, files, &[]) {
        Ok(()) => row(&label, &load(&generated)),
        Err(why) => println!("{label:<24} skipped: {why}"),
    }
    let _ = std::fs::remove_dir_all(&scratch);

    for set in ["real", "real2"] {
        let dir = shared.join("corpus").join(set);
        if dir.is_dir() {
            row(set, &load(&dir));
        } else {
            println!("{set:<24} skipped: {} not found", dir.display());
        }
    }
}

/// Every `*.md` file under `dir`, read into memory.
fn load(dir: &Path) -> Corpus {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| {
            let path = e.path().strip_prefix(dir).unwrap_or(e.path());
            let bytes = std::fs::read(e.path()).expect("read corpus file");
            (
                path.to_string_lossy().into_owned(),
                String::from_utf8_lossy(&bytes).into_owned(),
            )
        })
        .collect()
}

fn row(label: &str, corpus: &Corpus) {
    if corpus.is_empty() {
        println!("{label:<24} skipped: no .md files");
        return;
    }
    let options = ParseOptions::default();
    let bytes: usize = corpus.iter().map(|(_, text)| text.len()).sum();
    let pmsite = median(|| {
        for (path, text) in corpus {
            black_box(parse_incident(path, text, &options));
        }
    });
    let pulldown = median(|| {
        for (_, text) in corpus {
            black_box(Parser::new_ext(black_box(text), Options::all()).count());
        }
    });
    let mb = bytes as f64 / 1e6;
    let per_file = |seconds: f64| seconds * 1e6 / corpus.len() as f64;
    println!(
        "{label:<24} {:>6} {mb:>8.2} {:>12.1} {:>14.1} {:>14.1} {:>16.1} {:>6.1}x",
        corpus.len(),
        mb / pmsite,
        per_file(pmsite),
        mb / pulldown,
        per_file(pulldown),
        pmsite / pulldown
    );
}

/// The median wall time, in seconds, of `PASSES` passes after one untimed warm-up pass
/// (lazily compiled regexes, caches, page faults).
fn median(mut pass: impl FnMut()) -> f64 {
    pass();
    let mut times: Vec<f64> = (0..PASSES)
        .map(|_| {
            let started = Instant::now();
            pass();
            started.elapsed().as_secs_f64()
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[PASSES / 2]
}
