//! `pmsite serve` end to end: the binary on a loopback port, spoken to by a real HTTP
//! client (ureq) and, for what clients refuse to send, by raw TCP.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::Duration;

use serde_json::Value;

use crate::support::{Archive, TODAY};

const FIRST: &str = "---\nid: inc-2024-001\ntitle: Checkout outage\ndate: 2024-06-07\n---\n# Checkout outage\n\nRoot Cause: a bad deploy.\n";

/// A running `pmsite serve`, stopped when dropped.
struct Served {
    child: Child,
    url: String,
    log: Receiver<String>,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Served {
    fn start(archive: &Archive) -> Served {
        let mut command = Command::new(env!("CARGO_BIN_EXE_pmsite"));
        command
            .args(["serve", "--port", "0", "--today", TODAY])
            .current_dir(archive.path())
            .stderr(Stdio::piped());
        for (name, _) in std::env::vars().filter(|(n, _)| n.starts_with("PMSITE_")) {
            command.env_remove(name);
        }
        let mut child = command.spawn().unwrap();
        let (send, log) = channel();
        let stderr = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = send.send(line);
            }
        });
        let mut served = Served {
            child,
            url: String::new(),
            log,
        };
        let line = served.wait_for_log("serving http://");
        let start = line.find("http://").unwrap();
        served.url = line[start..].split_whitespace().next().unwrap().to_string();
        served
    }

    fn wait_for_log(&self, needle: &str) -> String {
        loop {
            let line = self
                .log
                .recv_timeout(Duration::from_secs(60))
                .unwrap_or_else(|_| panic!("pmsite serve never printed `{needle}`"));
            if line.contains(needle) {
                return line;
            }
        }
    }

    fn address(&self) -> &str {
        self.url.trim_start_matches("http://").trim_end_matches('/')
    }

    fn get(&self, path: &str) -> (u16, String, Option<String>) {
        let mut response = agent()
            .get(format!("{}{}", self.url, path.trim_start_matches('/')))
            .call()
            .unwrap();
        let location = response
            .headers()
            .get("location")
            .map(|l| l.to_str().unwrap().to_string());
        let body = response.body_mut().read_to_string().unwrap();
        (response.status().as_u16(), body, location)
    }

    /// The live-reload poll: waits for the build after `since`.
    fn poll(&self, since: u64, page: &str) -> Value {
        let (status, body, _) = self.get(&format!("__pmsite/live?since={since}&page={page}"));
        assert_eq!(status, 200);
        serde_json::from_str(&body).unwrap()
    }

    /// A request as written, for what real clients would not send; the status line back.
    fn raw(&self, request: &[u8], wait: Duration) -> String {
        let mut stream = TcpStream::connect(self.address()).unwrap();
        stream.set_read_timeout(Some(wait)).unwrap();
        stream.write_all(request).unwrap();
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        String::from_utf8_lossy(&answer).into_owned()
    }
}

/// A client that reports every status (no redirects followed, no errors for 404).
fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into()
}

#[test]
fn serves_the_site_on_loopback_and_reloads_a_page_after_its_file_changes() {
    let archive = Archive::new();
    archive.write("first.md", FIRST);
    let served = Served::start(&archive);
    assert!(
        served.url.starts_with("http://127.0.0.1:"),
        "{}",
        served.url
    );

    let (status, home, _) = served.get("/");
    assert_eq!(status, 200);
    assert!(home.contains("Checkout outage"));
    // A browser never guesses a type: a file is only what its name says.
    let answer = agent().get(&served.url).call().unwrap();
    assert_eq!(
        answer
            .headers()
            .get("x-content-type-options")
            .and_then(|v| v.to_str().ok()),
        Some("nosniff")
    );
    assert!(
        home.contains(r#"<script src="/__pmsite/live.js" data-generation="1"></script></body>"#)
    );
    let (status, page, _) = served.get("/incidents/inc-2024-001/");
    assert_eq!(status, 200);
    assert!(page.contains("a bad deploy"));
    let (status, _, location) = served.get("/incidents/inc-2024-001");
    assert_eq!(
        (status, location.as_deref()),
        (301, Some("/incidents/inc-2024-001/"))
    );
    let (status, script, _) = served.get("/__pmsite/live.js");
    assert_eq!(status, 200);
    assert!(script.contains("location.reload()"));
    let (status, missing, _) = served.get("/incidents/nope/");
    assert_eq!(status, 404);
    assert!(missing.contains("Page not found"), "{missing}");

    // Nothing changed yet: a poll that does not wait says so.
    let now = served.poll(0, "/incidents/inc-2024-001/");
    assert_eq!(now["generation"], 1);

    // The poll waits for the rebuild the edit starts, and says this page changed.
    let url = served.url.clone();
    let waiting = std::thread::spawn(move || Served::poll_only(url));
    std::thread::sleep(Duration::from_millis(300));
    archive.write(
        "first.md",
        &FIRST.replace("a bad deploy", "a bad config push"),
    );
    let state = waiting.join().unwrap();
    assert_eq!(state["reload"], true, "{state}");
    assert_eq!(state["overlay"], "");
    let (_, page, _) = served.get("/incidents/inc-2024-001/");
    assert!(page.contains("a bad config push"));
    served.wait_for_log("1 parsed");
}

impl Served {
    /// A poll from another thread, which has only the URL.
    fn poll_only(url: String) -> Value {
        let body = agent()
            .get(format!(
                "{url}__pmsite/live?since=1&page=/incidents/inc-2024-001/"
            ))
            .call()
            .unwrap()
            .body_mut()
            .read_to_string()
            .unwrap();
        serde_json::from_str(&body).unwrap()
    }
}

#[test]
fn a_broken_file_or_config_shows_its_problems_over_the_page_until_fixed() {
    let archive = Archive::new();
    archive.write("first.md", FIRST);
    let served = Served::start(&archive);

    archive.write("broken.md", "---\ntitle: [unclosed\n---\n# Broken\n");
    let state = served.poll(1, "/");
    let overlay = state["overlay"].as_str().unwrap();
    assert!(overlay.contains("content/broken.md:3:1"), "{overlay}");
    assert!(overlay.contains("error[frontmatter-invalid]"), "{overlay}");
    // The other pages are still served, from the new build.
    assert_eq!(served.get("/incidents/inc-2024-001/").0, 200);

    std::fs::remove_file(archive.content().join("broken.md")).unwrap();
    let state = served.poll(2, "/");
    assert_eq!(state["overlay"], "", "{state}");

    // A config the build cannot use: the pages stay as they were, the overlay says why.
    std::fs::write(archive.path().join("pmsite.toml"), "titel = \"typo\"\n").unwrap();
    let state = served.poll(3, "/");
    let overlay = state["overlay"].as_str().unwrap();
    assert!(overlay.contains("pmsite.toml:1"), "{overlay}");
    assert!(overlay.contains("last build that worked"), "{overlay}");
    assert_eq!(state["reload"], false);
    assert_eq!(served.get("/").0, 200);

    std::fs::write(archive.path().join("pmsite.toml"), "title = \"Fixed\"\n").unwrap();
    let state = served.poll(4, "/");
    assert_eq!(state["overlay"], "", "{state}");
    assert_eq!(state["reload"], true);
    assert!(served.get("/").1.contains("Fixed"));
}

#[test]
fn refuses_paths_out_of_the_site_and_survives_malformed_requests() {
    let archive = Archive::new();
    archive.write("first.md", FIRST);
    std::fs::write(archive.path().join("secret.txt"), "the secret").unwrap();
    let served = Served::start(&archive);

    for path in [
        "/../secret.txt",
        "/../../../../etc/passwd",
        "/%2e%2e/secret.txt",
        "/incidents/%2e%2e%2f%2e%2e%2fsecret.txt",
        "/static/..%5c..%5csecret.txt",
        "/content/first.md",
    ] {
        let request = format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        let answer = served.raw(request.as_bytes(), Duration::from_secs(30));
        let status = answer.lines().next().unwrap_or_default();
        assert!(
            status.contains(" 400 ") || status.contains(" 404 "),
            "{path}: {status}"
        );
        assert!(
            !answer.contains("the secret") && !answer.contains("root:"),
            "{path}"
        );
    }
    for garbage in [
        &b"\x00\x01\x02 nonsense\r\n\r\n"[..],
        b"GET\r\n\r\n",
        b"GET / HTTP/9.9\r\n\r\n",
        b"GET / HTTP/1.1\r\nContent-Length: -5\r\n\r\n",
        b"GET /\xff\xfe HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        &[b'A'; 70_000][..],
    ] {
        // Whatever the answer, or none: the server must go on.
        served.raw(garbage, Duration::from_millis(500));
    }
    let posted = served.raw(
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        Duration::from_secs(30),
    );
    assert!(posted.starts_with("HTTP/1.1 405"), "{posted}");
    assert_eq!(
        served.get("/").0,
        200,
        "still serving after malformed requests"
    );
}
