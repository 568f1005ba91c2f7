//! `cargo bench --bench search [-- SIZES...]`: the search index's figures on the seed-42
//! corpus of `../shared/bench/gen_corpus.py` (`PMSITE_BENCH_GENERATOR` names another), at
//! 1,000 and 10,000 postmortems (or the sizes given):
//!
//! - build time with the index and without it (`search = false`), median of 3, and the
//!   share the index adds;
//! - the index's size on disk against the site's HTML;
//! - in headless Chromium, from the search page over file://: the bytes (gzip, as a
//!   server would send them) the first query loads, engine included, the average a
//!   further query adds, and what opening the filters adds (the facets); and the time
//!   from keystroke to rendered results once the files are loaded and the filters open
//!   (median and slowest).
//!
//! Needs Chromium (`apt-get install chromium`) for the browser figures; without it they
//! are skipped.

mod support;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use pmsite::config::Config;
use pmsite::BuildOptions;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const RUNS: usize = 3;
const QUERIES: [&str; 12] = [
    "database index",
    "certificate",
    "dns record",
    "memory leak",
    "api-gateway",
    "rollback",
    "connection pooling",
    "rate limit",
    "permissions deploy bot",
    "disk filling",
    "databse",
    "kafka",
];

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![1_000, 10_000]
    } else {
        sizes
    };
    let scratch = support::scratch_dir("pmsite-search-bench");
    let generator = support::corpus_generator();
    let browser = chromium();
    println!("pmsite search benchmark: {} cores; corpus {} --seed {}; median of {RUNS} builds; {} queries in headless Chromium", std::thread::available_parallelism().map_or(1, |n| n.get()), generator.display(), support::SEED, QUERIES.len());
    println!();
    println!(
        "{:>9} {:>10} {:>10} {:>7} {:>9} {:>9} {:>7} {:>11} {:>11} {:>11} {:>9} {:>9}",
        "incidents",
        "build s",
        "no index",
        "index",
        "index MB",
        "HTML MB",
        "ratio",
        "1st KB gz",
        "next KB gz",
        "filters KB",
        "median ms",
        "max ms"
    );
    for size in sizes {
        let content = scratch.join(format!("content-{size}"));
        let output = scratch.join(format!("public-{size}"));
        let _ = std::fs::remove_dir_all(&scratch);
        support::generate_corpus(&generator, &content, size, &[])
            .unwrap_or_else(|why| panic!("{why}"));
        // Alternating, so a slow spell of the machine hits both alike.
        let (mut with, mut without) = (Vec::new(), Vec::new());
        for _ in 0..RUNS {
            with.push(build(&content, &output, true));
            without.push(build(&content, &output, false));
        }
        let (with, without) = (median(with), median(without));
        build(&content, &output, true);
        let index_bytes = tree_size(&output.join("search"), |_| true);
        let html_bytes = tree_size(&output, |p| p.extension().is_some_and(|e| e == "html"));
        let browser_figures = browser
            .as_ref()
            .map(|path| measure_queries(path, &output))
            .map_or_else(
                || format!("{:>11} {:>11} {:>11} {:>9} {:>9}", "-", "-", "-", "-", "-"),
                |f| {
                    format!(
                        "{:>11.1} {:>11.1} {:>11.1} {:>9.1} {:>9.1}",
                        f.first_kb, f.further_kb, f.filters_kb, f.median_ms, f.max_ms
                    )
                },
            );
        println!(
            "{size:>9} {with:>10.3} {without:>10.3} {:>6.0}% {:>9.1} {:>9.1} {:>6.2}x {browser_figures}",
            (with - without) / without * 100.0,
            index_bytes as f64 / 1e6,
            html_bytes as f64 / 1e6,
            index_bytes as f64 / html_bytes as f64,
        );
        let _ = std::io::stdout().flush();
    }
    let _ = std::fs::remove_dir_all(&scratch);
    println!();
    println!(
        "index: the share building the index adds to the build; ratio: index size / HTML size;"
    );
    println!("1st: gzip KB the first query loads (engine, manifest, term and document files);");
    println!("next: average gzip KB each further query adds; filters: gzip KB opening the filters adds (the facets);");
    println!("ms: keystroke to rendered results, every file loaded and the filters open.");
}

fn build(content: &Path, output: &Path, search: bool) -> f64 {
    let config = Config {
        content_dir: content.to_path_buf(),
        output_dir: output.to_path_buf(),
        search,
        ..Config::default()
    };
    let _ = std::fs::remove_dir_all(output);
    let started = Instant::now();
    let today = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
    let options = BuildOptions {
        force: true,
        ..BuildOptions::new(config, today)
    };
    pmsite::build(&options).expect("build");
    started.elapsed().as_secs_f64()
}

struct QueryFigures {
    first_kb: f64,
    filters_kb: f64,
    further_kb: f64,
    median_ms: f64,
    max_ms: f64,
}

fn measure_queries(browser: &Path, site: &Path) -> QueryFigures {
    let options = headless_chrome::LaunchOptions::default_builder()
        .path(Some(browser.to_path_buf()))
        .sandbox(false)
        .idle_browser_timeout(std::time::Duration::from_secs(300))
        .build()
        .unwrap();
    let chrome = headless_chrome::Browser::new(options).expect("start chromium");
    let tab = chrome.new_tab().unwrap();
    let page = format!("file://{}/search/index.html", site.display());
    tab.navigate_to(&page).unwrap();
    tab.wait_until_navigated().unwrap();
    tab.wait_for_element("#search-page-input").unwrap();
    // The engine itself, then every index file it asks for.
    let mut counted = 0;
    let mut new_bytes = |tab: &headless_chrome::Tab| -> usize {
        let files = evaluate(tab, "JSON.stringify(window.pmsiteSearch.files)");
        let files: Vec<String> = serde_json::from_str(files.as_str().unwrap()).unwrap();
        let engine = if counted == 0 {
            gzip_size(&site.join("static/search.js"))
        } else {
            0
        };
        let bytes: usize = files[counted..]
            .iter()
            .map(|f| gzip_size(&site.join(f)))
            .sum();
        counted = files.len();
        engine + bytes
    };
    let mut loaded = Vec::new();
    for query in QUERIES {
        run_query(&tab, query);
        loaded.push(new_bytes(&tab));
    }
    // Opening the filters loads the facets; the last query runs again with them.
    let before = evaluate(&tab, "window.pmsiteSearch.renders || 0")
        .as_u64()
        .unwrap_or(0);
    evaluate(
        &tab,
        "document.querySelector('.facet-toggle > summary').click()",
    );
    while evaluate(&tab, "window.pmsiteSearch.renders || 0")
        .as_u64()
        .unwrap_or(0)
        == before
    {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let filters = new_bytes(&tab);
    // Again, now that every file is loaded: pure search and rendering time, facet
    // counts included.
    let mut times: Vec<f64> = QUERIES.iter().map(|q| run_query(&tab, q)).collect();
    times.sort_by(f64::total_cmp);
    QueryFigures {
        first_kb: loaded[0] as f64 / 1024.0,
        filters_kb: filters as f64 / 1024.0,
        further_kb: loaded[1..].iter().sum::<usize>() as f64 / (loaded.len() - 1) as f64 / 1024.0,
        median_ms: times[times.len() / 2],
        max_ms: times[times.len() - 1],
    }
}

/// Types the query into the search page and waits for its results; returns the time the
/// page measured from the keystroke to the rendered results, in ms.
fn run_query(tab: &headless_chrome::Tab, query: &str) -> f64 {
    let before = evaluate(tab, "window.pmsiteSearch.renders || 0")
        .as_u64()
        .unwrap_or(0);
    evaluate(
        tab,
        &format!(
            "(() => {{ const i = document.querySelector('#search-page-input'); i.value = {}; i.dispatchEvent(new Event('input')); }})()",
            serde_json::to_string(query).unwrap()
        ),
    );
    for _ in 0..2000 {
        let renders = evaluate(tab, "window.pmsiteSearch.renders || 0")
            .as_u64()
            .unwrap_or(0);
        if renders > before {
            return evaluate(tab, "window.pmsiteSearch.lastRender")
                .as_f64()
                .unwrap_or(f64::NAN);
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    panic!("no results for {query}");
}

fn evaluate(tab: &headless_chrome::Tab, expression: &str) -> serde_json::Value {
    tab.evaluate(expression, false)
        .expect("evaluate")
        .value
        .unwrap_or(serde_json::Value::Null)
}

fn gzip_size(path: &Path) -> usize {
    let bytes = std::fs::read(path).unwrap_or_default();
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(&bytes).unwrap();
    encoder.finish().unwrap().len()
}

fn tree_size(dir: &Path, keep: impl Fn(&Path) -> bool) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file() && keep(e.path()))
        .map(|e| e.metadata().map_or(0, |m| m.len()))
        .sum()
}

fn median(mut times: Vec<f64>) -> f64 {
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

fn chromium() -> Option<PathBuf> {
    [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ]
    .iter()
    .map(PathBuf::from)
    .find(|p| p.is_file())
}
