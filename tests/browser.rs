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
