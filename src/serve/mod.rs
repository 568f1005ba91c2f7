//! `pmsite serve`: builds the site in memory, serves it on a loopback address, watches
//! the content folder, the config file and the theme, rebuilds what an edit changed (see
//! [`crate::cache`]) and tells open pages to reload.
//!
//! Three threads: the watcher (notify) sends file events; the builder gathers a burst of
//! them, rebuilds and publishes a new generation of the site; the HTTP loop answers
//! requests, each on a thread of its own, since a page's live-reload request waits for
//! the next generation.

pub mod http;

use std::collections::{BTreeMap, HashMap};
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use notify::{EventKind, RecursiveMode, Watcher};

use crate::cache::BuildCache;
use crate::error::{Error, Result};
use crate::render::FileContent;
use crate::report::counted;
use crate::report::{format_diagnostics, DiagnosticFormat, Sources};
use crate::BuildOptions;

/// The port `serve` tries first; when it is taken, the system picks a free one.
pub const DEFAULT_PORT: u16 = 1111;

/// How long the builder waits after a file event for more of them: an editor's save is
/// often several events (write a temporary file, rename it over the old one).
const SETTLE: Duration = Duration::from_millis(10);

/// How long a live-reload request waits for a rebuild before answering "no change".
const LONG_POLL: Duration = Duration::from_secs(25);

/// Requests answered at once at most; more get 503, so a flood cannot exhaust threads.
const MAX_REQUESTS_IN_FLIGHT: usize = 256;

/// Makes the build options afresh: called again after the config file changes.
pub type OptionsLoader = Box<dyn Fn() -> Result<BuildOptions> + Send>;

/// Where to listen and what else to watch.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub bind: IpAddr,
    /// `None`: [`DEFAULT_PORT`], else any free port. `Some(0)`: any free port.
    pub port: Option<u16>,
    /// The config file, watched beside the content folder and the theme (it need not
    /// exist yet).
    pub config_file: Option<PathBuf>,
}

/// A running preview server.
pub struct Preview {
    address: SocketAddr,
    server: Arc<tiny_http::Server>,
    http: JoinHandle<()>,
    _watcher: notify::RecommendedWatcher,
}

/// The site as the HTTP side sees it; replaced whole by each build.
struct Live {
    generation: u64,
    files: Arc<BTreeMap<String, FileContent>>,
    /// Site path -> the generation that last changed (or removed) it.
    changed_at: HashMap<String, u64>,
    /// The last build's errors, as text for the overlay; empty when it had none.
    overlay: String,
}

struct Shared {
    live: Mutex<Live>,
    rebuilt: Condvar,
}

impl Preview {
    /// Builds the site, starts watching and listening. Fails if the first build fails
    /// or the address cannot be bound. `log` receives a line per rebuild.
    pub fn start(
        load: OptionsLoader,
        options: &ServeOptions,
        log: Box<dyn Fn(String) + Send>,
    ) -> Result<Preview> {
        let build_options = load()?;
        let mut cache = BuildCache::default();
        let started = Instant::now();
        let (site, report) = crate::pipeline::rebuild_in_memory(&build_options, &mut cache)?;
        log(summary(&report, &cache, started.elapsed()));
        let shared = Arc::new(Shared {
            live: Mutex::new(Live {
                generation: 1,
                files: Arc::new(site.files),
                changed_at: HashMap::new(),
                overlay: overlay_text(&report, &build_options),
            }),
            rebuilt: Condvar::new(),
        });

        let server = Arc::new(bind(options.bind, options.port)?);
        let address = server.server_addr().to_ip().ok_or(Error::ServerAddress)?;

        let (events, received) = channel();
        let mut watcher =
            notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
                if let Ok(event) = event {
                    if is_change(&event.kind) {
                        let _ = events.send(event.paths);
                    }
                }
            })
            .map_err(|e| Error::Watch {
                path: None,
                message: e.to_string(),
            })?;
        let watched = Watched::new(&build_options, options.config_file.as_deref());
        for (path, mode) in watched.roots() {
            watcher.watch(&path, mode).map_err(|e| Error::Watch {
                path: Some(path.clone()),
                message: e.to_string(),
            })?;
        }
        let builder_shared = Arc::clone(&shared);
        let rebuilder = Rebuilder {
            load,
            options: build_options,
            cache,
            watched,
            day_check: DAY_CHECK,
        };
        std::thread::spawn(move || rebuilder.run(received, &builder_shared, &*log));

        let http_server = Arc::clone(&server);
        let http_shared = Arc::clone(&shared);
        let http = std::thread::spawn(move || serve_requests(&http_server, &http_shared));
        Ok(Preview {
            address,
            server,
            http,
            _watcher: watcher,
        })
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// `http://127.0.0.1:1111/`.
    pub fn url(&self) -> String {
        format!("http://{}/", self.address)
    }

    /// Serves until the process ends.
    pub fn wait(self) {
        let _ = self.http.join();
    }

    /// Stops listening (for tests and benchmarks).
    pub fn stop(self) {
        self.server.unblock();
        let _ = self.http.join();
    }
}

fn bind(ip: IpAddr, port: Option<u16>) -> Result<tiny_http::Server> {
    let attempt = |port: u16| tiny_http::Server::http(SocketAddr::new(ip, port));
    let bound = match port {
        Some(port) => attempt(port),
        None => attempt(DEFAULT_PORT).or_else(|_| attempt(0)),
    };
    bound.map_err(|e| Error::Listen {
        ip,
        port: port.unwrap_or(DEFAULT_PORT),
        message: e.to_string(),
    })
}

/// Writes, creations, removals and renames; not reads (pmsite's own reads would
/// otherwise start another build).
fn is_change(kind: &EventKind) -> bool {
    use notify::event::{AccessKind, AccessMode};
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// What the builder watches, as absolute paths (notify reports paths as they were
/// given to it).
struct Watched {
    content: PathBuf,
    theme: Option<PathBuf>,
    config: Option<PathBuf>,
}

impl Watched {
    fn new(options: &BuildOptions, config_file: Option<&Path>) -> Watched {
        let absolute = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
        Watched {
            content: absolute(&options.config.content_dir),
            theme: options
                .config
                .theme
                .as_deref()
                .filter(|t| t.is_dir())
                .map(absolute),
            // The config file may not exist yet: its folder does.
            config: config_file.map(|file| {
                let folder = file.parent().filter(|p| !p.as_os_str().is_empty());
                absolute(folder.unwrap_or(Path::new(".")))
                    .join(file.file_name().unwrap_or_default())
            }),
        }
    }

    /// The content folder and the theme, whole; the config file's folder, for that
    /// file alone (editors replace a file by renaming another over it, which a watch
    /// on the file itself would lose).
    fn roots(&self) -> Vec<(PathBuf, RecursiveMode)> {
        let mut roots = vec![(self.content.clone(), RecursiveMode::Recursive)];
        roots.extend(
            self.theme
                .iter()
                .map(|t| (t.clone(), RecursiveMode::Recursive)),
        );
        let config_folder = self.config.as_deref().and_then(Path::parent);
        roots.extend(config_folder.map(|f| (f.to_path_buf(), RecursiveMode::NonRecursive)));
        roots
    }

    fn is_content(&self, path: &Path) -> bool {
        path.starts_with(&self.content)
    }

    /// The config file or a theme file: a change there invalidates everything.
    fn is_setting(&self, path: &Path) -> bool {
        self.config.as_deref() == Some(path)
            || self.theme.as_ref().is_some_and(|t| path.starts_with(t))
    }
}

/// How often an idle server asks whether the day has changed.
const DAY_CHECK: Duration = Duration::from_secs(60);

/// What rebuilds the site: the options and the cache of the last build.
struct Rebuilder {
    load: OptionsLoader,
    options: BuildOptions,
    cache: BuildCache,
    watched: Watched,
    day_check: Duration,
}

impl Rebuilder {
    /// Rebuilds after each batch of changes, and when the day changes, until the
    /// watcher goes.
    fn run(mut self, events: Receiver<Vec<PathBuf>>, shared: &Shared, log: &dyn Fn(String)) {
        loop {
            let mut paths = match events.recv_timeout(self.day_check) {
                Ok(first) => first,
                Err(RecvTimeoutError::Disconnected) => return,
                // Nothing edited. "Today" from the clock moves at midnight, and which
                // tasks are overdue with it; a fixed one (--today, SOURCE_DATE_EPOCH)
                // never does.
                Err(RecvTimeoutError::Timeout) => match (self.load)() {
                    Ok(fresh) if fresh.today != self.options.today => {
                        self.options.today = fresh.today;
                        Vec::new()
                    }
                    _ => continue,
                },
            };
            let started = Instant::now();
            let new_day = paths.is_empty();
            loop {
                match events.recv_timeout(SETTLE) {
                    Ok(more) => paths.extend(more),
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return,
                }
            }
            // Other files in the config's folder (the output folder, say) are not ours.
            let settings_changed = paths.iter().any(|p| self.watched.is_setting(p));
            let content_changed = paths.iter().any(|p| self.watched.is_content(p));
            if !new_day && !settings_changed && !content_changed {
                continue;
            }
            if settings_changed {
                self.cache = BuildCache::default();
                match (self.load)() {
                    Ok(fresh) => self.options = fresh,
                    Err(error) => {
                        publish_failure(shared, &error);
                        log(format!("error: {error}"));
                        continue;
                    }
                }
            }
            match crate::pipeline::rebuild_in_memory(&self.options, &mut self.cache) {
                Ok((site, report)) => {
                    let overlay = overlay_text(&report, &self.options);
                    publish(shared, site.files, overlay);
                    log(summary(&report, &self.cache, started.elapsed()));
                }
                Err(error) => {
                    publish_failure(shared, &error);
                    log(format!("error: {error}"));
                }
            }
        }
    }
}

/// A new generation: the files, which of them changed, and the overlay.
fn publish(shared: &Shared, files: BTreeMap<String, FileContent>, overlay: String) {
    let mut live = shared.live.lock().unwrap_or_else(|e| e.into_inner());
    let generation = live.generation + 1;
    let old = Arc::clone(&live.files);
    for (path, content) in &files {
        if old.get(path) != Some(content) {
            live.changed_at.insert(path.clone(), generation);
        }
    }
    for path in old.keys().filter(|p| !files.contains_key(*p)) {
        live.changed_at.insert(path.clone(), generation);
    }
    live.generation = generation;
    live.files = Arc::new(files);
    live.overlay = overlay;
    shared.rebuilt.notify_all();
}

/// A build that could not finish: the pages stay as they were, the overlay says why.
fn publish_failure(shared: &Shared, error: &Error) {
    let mut live = shared.live.lock().unwrap_or_else(|e| e.into_inner());
    live.generation += 1;
    live.overlay = format!("error: {error}\n\nThe pages are from the last build that worked.\n");
    shared.rebuilt.notify_all();
}

/// The build's errors as `pmsite check` prints them; warnings stay on their pages.
fn overlay_text(report: &crate::BuildReport, options: &BuildOptions) -> String {
    let errors: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .cloned()
        .collect();
    let sources = Sources {
        content_dir: &options.config.content_dir,
        texts: &report.sources,
    };
    format_diagnostics(&errors, DiagnosticFormat::Human, &sources)
}

fn summary(report: &crate::BuildReport, cache: &BuildCache, took: Duration) -> String {
    let reuse = cache.last;
    format!(
        "built in {:.0} ms: {} ({} parsed, {} reused), {} rendered ({} reused); {}, {}",
        took.as_secs_f64() * 1000.0,
        counted(report.incidents, "incident"),
        reuse.files_parsed,
        reuse.files_reused,
        counted(reuse.pages_rendered, "incident page"),
        reuse.pages_reused,
        counted(report.errors(), "error"),
        counted(report.warnings(), "warning"),
    )
}

fn serve_requests(server: &tiny_http::Server, shared: &Arc<Shared>) {
    let in_flight = Arc::new(AtomicUsize::new(0));
    for request in server.incoming_requests() {
        if in_flight.fetch_add(1, Ordering::SeqCst) >= MAX_REQUESTS_IN_FLIGHT {
            in_flight.fetch_sub(1, Ordering::SeqCst);
            let _ = request.respond(tiny_http::Response::empty(503));
            continue;
        }
        let shared = Arc::clone(shared);
        let in_flight = Arc::clone(&in_flight);
        std::thread::spawn(move || {
            respond(request, &shared);
            in_flight.fetch_sub(1, Ordering::SeqCst);
        });
    }
}

fn respond(request: tiny_http::Request, shared: &Shared) {
    let url = request.url().to_string();
    let answer = match request.method() {
        tiny_http::Method::Get | tiny_http::Method::Head => {
            if let Some(endpoint) = url.strip_prefix(http::LIVE_PREFIX) {
                live_answer(endpoint, shared)
            } else {
                let (files, generation) = {
                    let live = shared.live.lock().unwrap_or_else(|e| e.into_inner());
                    (Arc::clone(&live.files), live.generation)
                };
                http::answer(&files, &url, generation)
            }
        }
        _ => http::Answer {
            status: 405,
            content_type: "text/plain; charset=utf-8",
            body: b"only GET and HEAD\n".to_vec(),
            location: None,
        },
    };
    let mut response = tiny_http::Response::from_data(answer.body).with_status_code(answer.status);
    let headers = [
        ("Content-Type", Some(answer.content_type)),
        // A browser never guesses a type: a file is only ever what its name says.
        ("X-Content-Type-Options", Some("nosniff")),
        ("Cache-Control", Some("no-store")),
        ("Location", answer.location.as_deref()),
    ];
    for (name, value) in headers {
        // Every value is ASCII but a Location made from a strange request; that one is
        // left out rather than sent broken.
        if let Some(header) =
            value.and_then(|v| tiny_http::Header::from_bytes(name.as_bytes(), v.as_bytes()).ok())
        {
            response.add_header(header);
        }
    }
    let _ = request.respond(response);
}

/// `live.js`, or `live?since=G&page=/path/[&now=1]`: waits (unless `now`) for a
/// generation after G, then says whether the page changed since G, and the overlay.
fn live_answer(endpoint: &str, shared: &Shared) -> http::Answer {
    let (name, query) = endpoint.split_once('?').unwrap_or((endpoint, ""));
    if name == "live.js" {
        return http::Answer {
            status: 200,
            content_type: "text/javascript; charset=utf-8",
            body: include_bytes!("live.js").to_vec(),
            location: None,
        };
    }
    if name != "live" {
        return http::Answer {
            status: 404,
            content_type: "text/plain; charset=utf-8",
            body: b"no such endpoint\n".to_vec(),
            location: None,
        };
    }
    let parameter = |key: &str| {
        query
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(k, _)| *k == key)
            .map(|(_, v)| {
                percent_encoding::percent_decode_str(v)
                    .decode_utf8_lossy()
                    .into_owned()
            })
    };
    let since: u64 = parameter("since").and_then(|s| s.parse().ok()).unwrap_or(0);
    let page = parameter("page").unwrap_or_else(|| "/".to_string());
    let live = shared.live.lock().unwrap_or_else(|e| e.into_inner());
    let live = if parameter("now").is_some() {
        live
    } else {
        shared
            .rebuilt
            .wait_timeout_while(live, LONG_POLL, |live| live.generation <= since)
            .map(|(guard, _)| guard)
            .unwrap_or_else(|e| e.into_inner().0)
    };
    let reload = match http::lookup(&live.files, &page) {
        http::Lookup::File(path) => live.changed_at.get(&path).is_some_and(|&g| g > since),
        _ => live
            .changed_at
            .get(&http::site_path(&page).unwrap_or_default())
            .is_some_and(|&g| g > since),
    };
    let state = serde_json::json!({
        "generation": live.generation,
        "reload": reload,
        "overlay": live.overlay,
    });
    http::Answer {
        status: 200,
        content_type: "application/json",
        body: state.to_string().into_bytes(),
        location: None,
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::mpsc::channel;

    use chrono::{Days, NaiveDate};

    use super::*;
    use crate::config::Config;

    fn today_in(files: &BTreeMap<String, FileContent>) -> String {
        let json: serde_json::Value =
            serde_json::from_slice(&files["incidents.json"].to_vec().unwrap()).unwrap();
        json["today"].as_str().unwrap().to_string()
    }

    #[test]
    fn an_idle_server_rebuilds_when_the_day_changes_and_only_then() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        std::fs::create_dir(&content).unwrap();
        std::fs::write(content.join("a.md"), "# A\n\nRoot Cause: a typo.\n").unwrap();
        // The clock, as days after 2024-09-10.
        let days_later = Arc::new(AtomicU64::new(0));
        let clock = Arc::clone(&days_later);
        let load: OptionsLoader = Box::new(move || {
            let start = NaiveDate::from_ymd_opt(2024, 9, 10).unwrap();
            let config = Config {
                content_dir: content.clone(),
                ..Config::default()
            };
            let today = start + Days::new(clock.load(Ordering::SeqCst));
            Ok(BuildOptions {
                jobs: Some(1),
                ..BuildOptions::new(config, today)
            })
        });
        let options = load().unwrap();
        let mut cache = BuildCache::default();
        let (site, _) = crate::pipeline::rebuild_in_memory(&options, &mut cache).unwrap();
        assert_eq!(today_in(&site.files), "2024-09-10");
        let shared = Shared {
            live: Mutex::new(Live {
                generation: 1,
                files: Arc::new(site.files),
                changed_at: HashMap::new(),
                overlay: String::new(),
            }),
            rebuilt: Condvar::new(),
        };
        let rebuilder = Rebuilder {
            watched: Watched::new(&options, None),
            load,
            options,
            cache,
            day_check: Duration::from_millis(10),
        };
        let (watcher, events) = channel::<Vec<PathBuf>>();
        let generation = || shared.live.lock().unwrap().generation;
        std::thread::scope(|scope| {
            scope.spawn(|| rebuilder.run(events, &shared, &|_| {}));
            // The same day, asked about many times: nothing is rebuilt.
            std::thread::sleep(Duration::from_millis(200));
            assert_eq!(generation(), 1);

            days_later.store(1, Ordering::SeqCst);
            let live = shared.live.lock().unwrap();
            let (live, timeout) = shared
                .rebuilt
                .wait_timeout_while(live, Duration::from_secs(20), |live| live.generation == 1)
                .unwrap();
            assert!(!timeout.timed_out(), "no rebuild after midnight");
            assert_eq!(today_in(&live.files), "2024-09-11");
            drop(live);
            std::thread::sleep(Duration::from_millis(200));
            assert_eq!(generation(), 2, "one rebuild for one new day");
            drop(watcher); // the rebuilder stops with the watcher
        });
    }
}
