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
    build_site(&Path::new(env!("CARGO_MANIFEST_DIR")).join("content"), dir)
}

/// Builds `content` into `dir/public` and returns that folder.
fn build_site(content: &Path, dir: &Path) -> PathBuf {
    let output = dir.join("public");
    let status = Command::new(env!("CARGO_BIN_EXE_pmsite"))
        .args(["build", "-q", "--today", "2025-12-01", "--content"])
        .arg(content)
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
    driven_browser_sized(path, (1200, 900))
}

/// A driven browser whose window is `size` (width, height) px.
fn driven_browser_sized(path: &Path, size: (u32, u32)) -> headless_chrome::Browser {
    let options = headless_chrome::LaunchOptions::default_builder()
        .path(Some(path.to_path_buf()))
        .headless(true)
        .sandbox(false)
        .window_size(Some(size))
        .idle_browser_timeout(std::time::Duration::from_secs(120))
        .build()
        .expect("launch options");
    headless_chrome::Browser::new(options).expect("start chromium")
}

/// Saves what the tab shows as `name` in the folder `PMSITE_SCREENSHOTS` names, if set,
/// for a person to look at.
fn save_screenshot(tab: &headless_chrome::Tab, name: &str) {
    let Ok(folder) = std::env::var("PMSITE_SCREENSHOTS") else {
        return;
    };
    let png = tab
        .capture_screenshot(
            headless_chrome::protocol::cdp::Page::CaptureScreenshotFormatOption::Png,
            None,
            None,
            true,
        )
        .unwrap();
    std::fs::write(Path::new(&folder).join(name), png).unwrap();
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

/// Serves `root` over http on 127.0.0.1 for as long as the test runs: GET only, folders
/// answer with their index.html. Enough to check the site works served as well as from disk.
fn serve(root: PathBuf) -> String {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("http://{}/", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let root = root.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(&stream);
                let mut request = String::new();
                if reader.read_line(&mut request).is_err() {
                    return;
                }
                let mut header = String::new();
                while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                    header.clear();
                }
                let target = request.split_whitespace().nth(1).unwrap_or("/");
                let path = target.split(['?', '#']).next().unwrap_or("/");
                let path = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
                let mut file = root.join(path.trim_start_matches('/'));
                if file.is_dir() {
                    file = file.join("index.html");
                }
                let (status, body) = match std::fs::read(&file) {
                    Ok(body) if !path.contains("..") => ("200 OK", body),
                    _ => ("404 Not Found", b"not found".to_vec()),
                };
                let kind = match file.extension().and_then(|e| e.to_str()) {
                    Some("html") => "text/html; charset=utf-8",
                    Some("js") => "text/javascript; charset=utf-8",
                    Some("css") => "text/css; charset=utf-8",
                    Some("png") => "image/png",
                    _ => "application/octet-stream",
                };
                let mut stream = &stream;
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(&body);
            });
        }
    });
    address
}

/// Waits until the page has rendered search results `after` times, and returns them.
fn wait_for_render(tab: &headless_chrome::Tab, after: u64) -> u64 {
    for _ in 0..200 {
        let renders = eval(
            tab,
            "(window.pmsiteSearch && window.pmsiteSearch.renders) || 0",
        );
        let renders = renders.as_u64().unwrap_or(0);
        if renders > after {
            return renders;
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    panic!("no search results rendered");
}

fn renders(tab: &headless_chrome::Tab) -> u64 {
    eval(
        tab,
        "(window.pmsiteSearch && window.pmsiteSearch.renders) || 0",
    )
    .as_u64()
    .unwrap_or(0)
}

/// Types into the focused element, one key at a time, as a user would.
fn type_text(tab: &headless_chrome::Tab, text: &str) {
    tab.type_str(text).expect("type");
}

const RESULT_TITLES: &str = "Array.from(document.querySelectorAll('[data-results] .search-result-title')).map(e => e.textContent).join('\\n')";

/// The index files the page has asked for so far.
fn loaded_files(tab: &headless_chrome::Tab) -> Vec<String> {
    let files = eval(tab, "JSON.stringify(window.pmsiteSearch.files)");
    serde_json::from_str(files.as_str().unwrap()).unwrap()
}

fn search_page_checks(tab: &headless_chrome::Tab, base: &str, suffix: &str) {
    // A pasted address runs its query, and keeps its filter.
    tab.navigate_to(&format!("{base}search/{suffix}?q=certificate"))
        .unwrap();
    tab.wait_until_navigated().unwrap();
    wait_for_render(tab, 0);
    let titles = eval(tab, RESULT_TITLES);
    let first = titles
        .as_str()
        .unwrap()
        .lines()
        .next()
        .unwrap_or_default()
        .to_string();
    assert!(
        first.contains("certificate"),
        "expected the certificate outage first: {titles}"
    );
    let marks = eval(
        tab,
        "document.querySelectorAll('[data-results] mark').length",
    );
    assert!(marks.as_u64().unwrap() > 0, "matches are highlighted");

    // Typing: stemming finds "expired" from "expiring", and the count is announced.
    let input = tab.wait_for_element("#search-page-input").unwrap();
    input.click().unwrap();
    eval(tab, "document.querySelector('#search-page-input').select()");
    let before = renders(tab);
    type_text(tab, "expiring certificates");
    wait_for_render(tab, before);
    std::thread::sleep(std::time::Duration::from_millis(150));
    let status = eval(
        tab,
        "document.querySelector('[data-search-page] [data-search-status]').textContent",
    );
    assert!(status.as_str().unwrap().contains("match"), "{status}");
    assert_eq!(
        eval(tab, "document.querySelector('[data-search-page] [data-search-status]').getAttribute('aria-live')"),
        "polite"
    );
    let titles = eval(tab, RESULT_TITLES);
    assert!(
        titles
            .as_str()
            .unwrap()
            .lines()
            .next()
            .unwrap()
            .contains("certificate"),
        "{titles}"
    );
    assert_eq!(
        eval(tab, "new URLSearchParams(location.search).get('q')"),
        "expiring certificates",
        "the query is in the address"
    );

    // The facets load only when the filters are opened; a facet then narrows the
    // results and goes into the address.
    assert_eq!(
        eval(tab, "document.querySelectorAll('.facet-value').length"),
        0
    );
    assert!(!loaded_files(tab).iter().any(|f| f.contains("facets.")));
    let before = renders(tab);
    eval(
        tab,
        "document.querySelector('.facet-toggle > summary').click()",
    );
    wait_for_render(tab, before);
    assert!(loaded_files(tab)
        .iter()
        .any(|f| f.contains("search/facets.")));
    let before = renders(tab);
    eval(
        tab,
        "document.querySelector('.facet-value[data-facet=year]').click()",
    );
    wait_for_render(tab, before);
    let year = eval(tab, "new URLSearchParams(location.search).get('year')");
    let year = year.as_str().unwrap_or_default().to_string();
    assert!(year.starts_with("20"), "{year}");
    eval(tab, "document.querySelector('.facet-value.on').click()");

    // A filter in a pasted address opens the filters and applies.
    tab.navigate_to(&format!("{base}search/{suffix}?q=certificate&year={year}"))
        .unwrap();
    tab.wait_until_navigated().unwrap();
    wait_for_render(tab, 0);
    assert_eq!(
        eval(tab, "document.querySelector('.facet-toggle').open"),
        true
    );
    assert_eq!(
        eval(
            tab,
            "document.querySelector('.facet-value.on').dataset.value"
        ),
        year.as_str()
    );
    let before = renders(tab);
    eval(tab, "document.querySelector('.facet-value.on').click()");
    wait_for_render(tab, before);

    // Keyboard: ArrowDown selects the first result, Enter follows its deep link.
    let before = renders(tab);
    eval(tab, "document.querySelector('#search-page-input').select()");
    type_text(tab, "whdb.corp.internal");
    wait_for_render(tab, before);
    std::thread::sleep(std::time::Duration::from_millis(150));
    let titles = eval(tab, RESULT_TITLES);
    assert!(
        titles
            .as_str()
            .unwrap()
            .lines()
            .next()
            .unwrap()
            .contains("DNS"),
        "an identifier matches whole: {titles}"
    );
    let href = eval(
        tab,
        "document.querySelector('[data-results] .search-result-link').getAttribute('href')",
    );
    let href = href.as_str().unwrap().to_string();
    assert!(
        href.contains("incidents/ops-inc-0447/") && href.contains('#'),
        "a deep link: {href}"
    );
    tab.press_key("ArrowDown").unwrap();
    assert_eq!(
        eval(
            tab,
            "document.querySelector('#search-page-input').getAttribute('aria-activedescendant')"
        ),
        "search-result-0"
    );
    tab.press_key("Enter").unwrap();
    tab.wait_until_navigated().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(200));
    let url = tab.get_url();
    assert!(
        url.contains("incidents/ops-inc-0447/") && url.contains('#'),
        "followed the deep link: {url}"
    );
    let anchor = url.split('#').nth(1).unwrap().to_string();
    assert_eq!(
        eval(
            tab,
            &format!("document.getElementById({anchor:?}) !== null")
        ),
        true,
        "the anchor {anchor} exists on the page"
    );
}

#[test]
fn search_finds_ranks_filters_and_deep_links_from_disk_and_over_http() {
    let Some(path) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let public = build_sample(dir.path());
    let browser = driven_browser(&path);
    let tab = browser.new_tab().unwrap();
    search_page_checks(&tab, &format!("{}/", file_url(&public)), "index.html");

    let base = serve(public.clone());
    search_page_checks(&tab, &base, "");

    // Published under a subpath (project pages at /org/pm/): built with that base URL,
    // served from a folder above it; styles, search and its deep links still work.
    let root = dir.path().join("root");
    let address = serve(root.clone());
    let base_url = format!("{address}org/pm/");
    let status = Command::new(env!("CARGO_BIN_EXE_pmsite"))
        .args([
            "build",
            "-q",
            "--today",
            "2025-12-01",
            "--base-url",
            &base_url,
            "--content",
        ])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("content"))
        .arg("--output")
        .arg(root.join("org/pm"))
        .status()
        .unwrap();
    assert!(status.success());
    tab.navigate_to(&base_url).unwrap();
    tab.wait_until_navigated().unwrap();
    let styled = eval(
        &tab,
        "Array.from(document.styleSheets).some(s => s.href.endsWith('/org/pm/static/style.css') && s.cssRules.length > 20)",
    );
    assert_eq!(
        styled,
        serde_json::Value::Bool(true),
        "the stylesheet loads under the subpath"
    );
    // The Content-Security-Policy is in force: an inline script does not run, and an
    // inline style attribute is not applied.
    let blocked = eval(
        &tab,
        "(() => { const s = document.createElement('script'); s.textContent = 'window.inlineRan = true'; \
         document.body.appendChild(s); const d = document.createElement('div'); \
         d.setAttribute('style', 'width: 123px'); document.body.appendChild(d); \
         return window.inlineRan === undefined && d.getBoundingClientRect().width !== 123; })()",
    );
    assert_eq!(
        blocked,
        serde_json::Value::Bool(true),
        "inline script and style are refused"
    );
    search_page_checks(&tab, &base_url, "");
}

#[test]
fn the_header_box_searches_as_you_type_with_typos_and_keys() {
    let Some(path) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let public = build_sample(dir.path());
    let browser = driven_browser(&path);
    let tab = browser.new_tab().unwrap();
    tab.navigate_to(&file_url(&public.join("index.html")))
        .unwrap();
    tab.wait_until_navigated().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert_eq!(
        eval(
            &tab,
            "performance.getEntriesByType('resource').some(r => r.name.includes('/search/'))"
        ),
        false,
        "nothing of the index loads before the box is used"
    );
    // "/" focuses the box.
    tab.press_key("/").unwrap();
    assert_eq!(eval(&tab, "document.activeElement.id"), "site-search-input");
    // A typo of a word in a title still finds it.
    type_text(&tab, "kafak");
    wait_for_render(&tab, 0);
    let titles = eval(&tab, "Array.from(document.querySelectorAll('#site-search-list .search-result-title')).map(e => e.textContent).join('\\n')");
    assert!(
        titles.as_str().unwrap().to_lowercase().contains("kafka"),
        "typo tolerance: {titles}"
    );
    assert_eq!(
        eval(
            &tab,
            "document.querySelector('#site-search-input').getAttribute('aria-expanded')"
        ),
        "true"
    );
    // Two edits are forgiven in a long word ("certficat" for "certificate"), one in a short.
    for (typo, expected) in [("certficat", "certificate"), ("databse", "database")] {
        let before = renders(&tab);
        eval(
            &tab,
            "document.querySelector('#site-search-input').select()",
        );
        type_text(&tab, typo);
        wait_for_render(&tab, before);
        std::thread::sleep(std::time::Duration::from_millis(150));
        let text = eval(
            &tab,
            "document.querySelector('#site-search-list').textContent.toLowerCase()",
        );
        assert!(text.as_str().unwrap().contains(expected), "{typo}: {text}");
    }
    eval(
        &tab,
        "document.querySelector('#site-search-input').select()",
    );
    type_text(&tab, "kafak");
    std::thread::sleep(std::time::Duration::from_millis(300));
    tab.press_key("ArrowDown").unwrap();
    tab.press_key("ArrowDown").unwrap();
    tab.press_key("ArrowUp").unwrap();
    assert_eq!(
        eval(
            &tab,
            "document.querySelector('#site-search-input').getAttribute('aria-activedescendant')"
        ),
        "search-box-0"
    );
    tab.press_key("Escape").unwrap();
    assert_eq!(
        eval(
            &tab,
            "document.querySelector('[data-search-results]').hidden"
        ),
        true
    );
    // Enter with nothing selected goes to the search page with the query.
    tab.press_key("Enter").unwrap();
    tab.wait_until_navigated().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(200));
    let url = tab.get_url();
    assert!(url.contains("search/index.html?q=kafak"), "{url}");
}

#[test]
fn the_browser_splits_words_as_the_index_does() {
    let Some(path) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let public = build_sample(dir.path());
    let browser = driven_browser(&path);
    let tab = browser.new_tab().unwrap();
    tab.navigate_to(&file_url(&public.join("index.html")))
        .unwrap();
    tab.wait_until_navigated().unwrap();
    tab.wait_for_element("#site-search-input").unwrap();
    for text in [
        "The missing Indexes were rebuilt",
        "ERR_CONN_RESET from db-primary-03 via checkout.api",
        "INC-2024-017, 10.0.0.12 and v2.3.1!",
        "Café: naïve résumé — ÉTÉ",
        "x_ _y -z- a.b. 42",
        "getSockOpt in WhitelistRouteRegexp; HTTPServer checkout.getOrder_v2 ipv4Address iOS",
        "NASA Redis AWSLambdaRole v2Beta A1B2c3",
    ] {
        let mut expected = Vec::new();
        pmsite::index::search::tokens::surfaces(text, |w| expected.push(w.to_string()));
        let found = tab
            .evaluate(
                &format!(
                    "window.pmsiteSearch.words({}).then(w => JSON.stringify(w))",
                    serde_json::to_string(text).unwrap()
                ),
                true,
            )
            .unwrap()
            .value
            .unwrap();
        let found: Vec<String> = serde_json::from_str(found.as_str().unwrap()).unwrap();
        assert_eq!(found, expected, "{text}");
    }
}

/// Polls a JavaScript condition until it holds (pages reload on their own here).
fn wait_until(tab: &headless_chrome::Tab, condition: &str, what: &str) {
    for _ in 0..400 {
        if tab
            .evaluate(condition, false)
            .ok()
            .and_then(|r| r.value)
            .is_some_and(|v| v == serde_json::Value::Bool(true))
        {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    panic!("{what}: `{condition}` never held");
}

#[test]
fn serve_reloads_the_open_page_and_lays_build_errors_over_it() {
    use pmsite::serve::{Preview, ServeOptions};
    let Some(path) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir(&content).unwrap();
    let first = "---\nid: inc-2024-001\ntitle: Checkout outage\ndate: 2024-06-07\n---\n# Checkout outage\n\nRoot Cause: a bad deploy.\n";
    std::fs::write(content.join("first.md"), first).unwrap();
    let config = pmsite::Config {
        content_dir: content.clone(),
        output_dir: dir.path().join("public"),
        ..pmsite::Config::default()
    };
    let load = move || {
        Ok(pmsite::BuildOptions::new(
            config.clone(),
            chrono::NaiveDate::from_ymd_opt(2024, 9, 10).unwrap(),
        ))
    };
    let options = ServeOptions {
        bind: std::net::Ipv4Addr::LOCALHOST.into(),
        port: Some(0),
        config_file: None,
    };
    let preview = Preview::start(Box::new(load), &options, Box::new(|_| {})).unwrap();

    let browser = driven_browser(&path);
    let tab = browser.new_tab().unwrap();
    tab.navigate_to(&format!("{}incidents/inc-2024-001/", preview.url()))
        .unwrap();
    tab.wait_until_navigated().unwrap();
    wait_until(
        &tab,
        "document.body.innerText.includes('a bad deploy')",
        "first load",
    );
    // A reload clears this; an update in place would not.
    eval(&tab, "window.notReloaded = true");

    std::fs::write(
        content.join("first.md"),
        first.replace("a bad deploy", "a bad config push"),
    )
    .unwrap();
    wait_until(
        &tab,
        "!window.notReloaded && document.body.innerText.includes('a bad config push')",
        "reload after the edit",
    );

    std::fs::write(
        content.join("broken.md"),
        "---\ntitle: [unclosed\n---\n# Broken\n",
    )
    .unwrap();
    wait_until(
        &tab,
        "!!document.getElementById('pmsite-overlay') && document.getElementById('pmsite-overlay').innerText.includes('frontmatter-invalid')",
        "the overlay with the broken file's error",
    );
    save_screenshot(&tab, "serve-overlay.png");

    std::fs::remove_file(content.join("broken.md")).unwrap();
    wait_until(
        &tab,
        "!document.getElementById('pmsite-overlay')",
        "the overlay gone once fixed",
    );
    preview.stop();
}

#[path = "integration/png.rs"]
#[allow(dead_code)]
mod png;

#[test]
fn an_image_beside_a_postmortem_shows_on_its_page_under_the_content_policy() {
    let Some(path) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir_all(content.join("2024/img")).unwrap();
    std::fs::write(
        content.join("2024/db.md"),
        "# Replica failover\n\n## Summary\n\nThe replica fell behind.\n\n![Replica lag](img/replica%20lag.png)\n",
    )
    .unwrap();
    std::fs::write(
        content.join("2024/img/replica lag.png"),
        png::png(240, 60, [200, 40, 40]),
    )
    .unwrap();
    let public = build_site(&content, dir.path());

    let browser = driven_browser(&path);
    let tab = browser.new_tab().unwrap();
    let page = public.join("incidents/2024-db/index.html");
    let image = "document.querySelector('.section img')";
    // From disk, and over HTTP where the page's Content-Security-Policy is enforced.
    for url in [
        file_url(&page),
        format!("{}incidents/2024-db/", serve(public.clone())),
    ] {
        tab.navigate_to(&url).unwrap();
        tab.wait_until_navigated().unwrap();
        wait_until(
            &tab,
            &format!("{image} && {image}.complete"),
            "the image loads",
        );
        let shown = eval(
            &tab,
            &format!("JSON.stringify([{image}.naturalWidth, {image}.naturalHeight, {image}.alt])"),
        );
        assert_eq!(
            shown.as_str().unwrap(),
            r#"[240,60,"Replica lag"]"#,
            "{url}"
        );
    }
    save_screenshot(&tab, "incident-image.png");
}

#[test]
fn every_page_kind_fits_a_390_px_phone_without_sideways_scrolling() {
    let Some(path) = chromium() else {
        eprintln!("skipped: no chromium");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let site = build_sample(dir.path());
    let browser = driven_browser_sized(&path, (500, 844));
    let tab = browser.new_tab().unwrap();
    // A window cannot be made narrower than 500 px; the viewport can, as a phone's is.
    tab.call_method(
        headless_chrome::protocol::cdp::Emulation::SetDeviceMetricsOverride {
            width: 390,
            height: 844,
            device_scale_factor: 1.0,
            mobile: false,
            scale: None,
            screen_width: None,
            screen_height: None,
            position_x: None,
            position_y: None,
            dont_set_visible_size: None,
            screen_orientation: None,
            viewport: None,
            display_feature: None,
            device_posture: None,
        },
    )
    .unwrap();
    // One page of each kind the default theme has.
    let pages = [
        "index.html",
        "incidents/2024-09-18-cdn-static-assets-unavailable/index.html",
        "tags/index.html",
        "tags/database/index.html",
        "services/checkout/index.html",
        "months/index.html",
        "services/index.html",
        "severity/index.html",
        "tasks/index.html",
        "insights/index.html",
        "search/index.html",
        "404.html",
    ];
    let mut too_wide = Vec::new();
    for page in pages {
        let file = site.join(page);
        assert!(file.exists(), "{page} is not in the sample site");
        tab.navigate_to(&file_url(&file))
            .unwrap()
            .wait_until_navigated()
            .unwrap();
        let widths = eval(
            &tab,
            "JSON.stringify([document.documentElement.scrollWidth, window.innerWidth])",
        );
        let widths: (u64, u64) = serde_json::from_str(widths.as_str().unwrap()).unwrap();
        save_screenshot(&tab, &format!("phone-{}.png", page.replace('/', "-")));
        if widths.0 > widths.1 {
            too_wide.push(format!("{page}: {} px in {} px", widths.0, widths.1));
        }
    }
    assert!(
        too_wide.is_empty(),
        "pages wider than the phone: {too_wide:#?}"
    );
}
