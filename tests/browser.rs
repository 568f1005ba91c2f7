//! Browser tests: the built site loaded in real headless Chromium (Debian's `chromium`).
//! They run whenever Chromium is installed; with `PMSITE_REQUIRE_BROWSER=1` (set by
//! `.ci/run`) a missing browser fails them instead of skipping.

use std::path::{Path, PathBuf};
use std::process::Command;

fn chromium() -> Option<PathBuf> {
    let candidates = ["chromium", "chromium-browser", "google-chrome"];
    let found = candidates.iter().find_map(|name| {
        let output = Command::new("which").arg(name).output().ok()?;
        output
            .status
            .success()
            .then(|| PathBuf::from(String::from_utf8_lossy(&output.stdout).trim()))
    });
    if found.is_none() {
        assert!(
            std::env::var("PMSITE_REQUIRE_BROWSER").is_err(),
            "PMSITE_REQUIRE_BROWSER is set but no Chromium is installed"
        );
        eprintln!("skipping browser test: no chromium on PATH (apt-get install chromium)");
    }
    found
}

/// Runs headless Chromium with the flags this sandbox needs (no network, no sandbox as root).
fn headless(browser: &Path, profile: &Path, args: &[&str]) -> std::process::Output {
    Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .output()
        .expect("run chromium")
}

fn build_sample(dir: &Path) -> PathBuf {
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let output = dir.join("public");
    let status = Command::new(env!("CARGO_BIN_EXE_pmsite"))
        .args(["build", "-q", "--today", "2025-12-01", "--content"])
        .arg(&content)
        .arg("--output")
        .arg(&output)
        .status()
        .unwrap();
    assert!(status.success());
    output
}

fn file_url(path: &Path) -> String {
    format!("file://{}", path.display())
}

#[test]
fn pages_load_over_file_urls_with_their_facts() {
    let Some(browser) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let public = build_sample(dir.path());

    let home = headless(
        &browser,
        &dir.path().join("profile"),
        &["--dump-dom", &file_url(&public.join("index.html"))],
    );
    let dom = String::from_utf8_lossy(&home.stdout);
    assert!(dom.contains("class=\"incident-list\""), "home DOM: {dom}");
    assert!(
        dom.matches("class=\"incident-card\"").count() >= 8,
        "every sample listed"
    );

    let page = public.join("incidents/2024-06-07-ecommerce-database-index/index.html");
    let incident = headless(
        &browser,
        &dir.path().join("profile"),
        &["--dump-dom", &format!("{}#t-3", file_url(&page))],
    );
    let dom = String::from_utf8_lossy(&incident.stdout);
    assert!(dom.contains("id=\"t-10\""), "timeline anchors in the DOM");
    assert!(
        dom.contains("datetime=\"2024-06-07T10:30:00Z\""),
        "start in the facts header"
    );
}

#[test]
fn screenshot_of_an_incident_page_is_not_blank() {
    let Some(browser) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let public = build_sample(dir.path());
    let shot = dir.path().join("shot.png");
    let page = public.join("incidents/ops-inc-0447/index.html");
    let output = headless(
        &browser,
        &dir.path().join("profile"),
        &[
            "--window-size=1200,1600",
            &format!("--screenshot={}", shot.display()),
            &file_url(&page),
        ],
    );
    assert!(
        shot.is_file(),
        "no screenshot: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    // A blank page compresses to almost nothing; a rendered one with text does not.
    let size = std::fs::metadata(&shot).unwrap().len();
    assert!(
        size > 40_000,
        "screenshot only {size} bytes: the page looks blank"
    );
}

/// A browser driven over the DevTools protocol, for tests that click and type.
fn driven_browser(path: &Path) -> headless_chrome::Browser {
    let options = headless_chrome::LaunchOptions::default_builder()
        .path(Some(path.to_path_buf()))
        .headless(true)
        .sandbox(false)
        .window_size(Some((1200, 900)))
        .idle_browser_timeout(std::time::Duration::from_secs(120))
        .build()
        .expect("launch options");
    headless_chrome::Browser::new(options).expect("start chromium")
}

/// The value of a JavaScript expression in the tab, as JSON.
fn eval(tab: &headless_chrome::Tab, expression: &str) -> serde_json::Value {
    tab.evaluate(expression, false)
        .unwrap_or_else(|e| panic!("{expression}: {e}"))
        .value
        .unwrap_or(serde_json::Value::Null)
}

const VISIBLE_ROWS: &str = "Array.from(document.querySelectorAll('tr[data-group]:not([hidden])')).map(r => r.id).join(' ')";

#[test]
fn task_filters_hide_rows_update_counts_and_live_in_the_address() {
    let Some(path) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let public = build_sample(dir.path());
    let browser = driven_browser(&path);
    let tab = browser.new_tab().unwrap();
    let dashboard = file_url(&public.join("tasks/index.html"));
    tab.navigate_to(&dashboard).unwrap();
    tab.wait_until_navigated().unwrap();
    tab.wait_for_element("form[data-task-filters]:not([hidden])")
        .expect("the filters appear when JavaScript runs");
    let all = eval(&tab, "document.querySelectorAll('tr[data-group]').length");
    assert!(all.as_u64().unwrap() > 20, "every task listed: {all}");

    // Choose an owner as a user would: the change event drives the filter.
    eval(
        &tab,
        "(() => { const s = document.querySelector('select[name=owner]'); s.value = 'alice'; s.dispatchEvent(new Event('change', {bubbles: true})); })()",
    );
    let visible = eval(&tab, VISIBLE_ROWS);
    let visible = visible.as_str().unwrap();
    assert!(!visible.is_empty(), "alice owns tasks");
    let owners = eval(
        &tab,
        "Array.from(document.querySelectorAll('tr[data-group]:not([hidden])')).every(r => r.dataset.owner === 'alice')",
    );
    assert_eq!(owners, serde_json::Value::Bool(true));
    let count = eval(
        &tab,
        "document.querySelector('[data-filter-count]').textContent",
    );
    let shown = visible.split(' ').count();
    assert_eq!(count, format!("{shown} of {all} tasks match").as_str());
    let overdue_count = eval(
        &tab,
        "document.querySelector('#overdue [data-group-count]').textContent",
    );
    let overdue_rows = eval(
        &tab,
        "document.querySelectorAll('#overdue tr[data-group]:not([hidden])').length",
    );
    assert_eq!(
        overdue_count.as_str().unwrap(),
        overdue_rows.to_string(),
        "group counts follow the filter"
    );
    assert_eq!(eval(&tab, "location.search"), "?owner=alice");

    // A pasted address applies its filters on load, and asking for done tasks unfolds them.
    tab.navigate_to(&format!("{dashboard}?status=done"))
        .unwrap();
    tab.wait_until_navigated().unwrap();
    tab.wait_for_element("form[data-task-filters]:not([hidden])")
        .unwrap();
    assert_eq!(
        eval(&tab, "document.querySelector('select[name=status]').value"),
        "done"
    );
    assert_eq!(
        eval(
            &tab,
            "document.querySelector('[data-group-fold=done]').open"
        ),
        true
    );
    let groups = eval(
        &tab,
        "Array.from(document.querySelectorAll('tr[data-group]:not([hidden])')).every(r => r.dataset.group === 'done')",
    );
    assert_eq!(groups, serde_json::Value::Bool(true));

    // Clear brings every row back.
    eval(
        &tab,
        "document.querySelector('.task-filters button[type=reset]').click()",
    );
    std::thread::sleep(std::time::Duration::from_millis(100));
    let after_reset = eval(
        &tab,
        "document.querySelectorAll('tr[data-group]:not([hidden])').length",
    );
    assert_eq!(after_reset, all);
}
