//! What the preview server answers: an address maps to a file of the site in memory
//! (never to the disk, so no address can reach a file outside the site), HTML pages get
//! the live-reload script, and anything else gets the site's 404 page.

use std::collections::BTreeMap;

use percent_encoding::percent_decode_str;

use crate::render::FileContent;

/// The path the live-reload script and its long poll live under; no site file has it.
pub const LIVE_PREFIX: &str = "/__pmsite/";

/// An answer, before it meets the socket.
#[derive(Debug, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    /// For 301: where to.
    pub location: Option<String>,
}

/// Where an address leads in the site.
#[derive(Debug, PartialEq, Eq)]
pub enum Lookup {
    /// A file of the site: its site path.
    File(String),
    /// A folder named without its final slash: go to `path/`.
    AddSlash(String),
    NotFound,
    /// Not a plain path: `..`, a backslash, a NUL, bad percent-encoding.
    Refused,
}

/// Maps the path of a request (`/incidents/x/?q=1`) to a file of `files`.
pub fn lookup(files: &BTreeMap<String, FileContent>, target: &str) -> Lookup {
    let Some(path) = site_path(target) else {
        return Lookup::Refused;
    };
    let file = if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.clone()
    };
    if files.contains_key(&file) {
        Lookup::File(file)
    } else if files.contains_key(&format!("{path}/index.html")) {
        Lookup::AddSlash(format!("/{path}/"))
    } else {
        Lookup::NotFound
    }
}

/// The decoded path inside the site, without its leading slash; `None` when it is not a
/// plain path.
pub fn site_path(target: &str) -> Option<String> {
    let raw = target.split(['?', '#']).next().unwrap_or_default();
    let raw = raw.strip_prefix('/')?;
    let decoded = percent_decode_str(raw).decode_utf8().ok()?;
    let plain = decoded
        .split('/')
        .all(|segment| segment != ".." && segment != ".")
        && !decoded.contains(['\\', '\0'])
        && !decoded.starts_with('/');
    plain.then(|| decoded.into_owned())
}

/// The answer for a site path, with the live-reload script put into HTML pages.
pub fn answer(files: &BTreeMap<String, FileContent>, target: &str, generation: u64) -> Answer {
    match lookup(files, target) {
        Lookup::File(path) => {
            let content_type = content_type(&path);
            let mut body = match files[&path].to_vec() {
                Ok(body) => body,
                // An attachment deleted or locked since the build.
                Err(error) => {
                    return Answer {
                        status: 500,
                        content_type: "text/plain; charset=utf-8",
                        body: format!("cannot read {path}: {error}\n").into_bytes(),
                        location: None,
                    }
                }
            };
            if content_type.starts_with("text/html") {
                body = with_live_script(body, generation);
            }
            Answer {
                status: 200,
                content_type,
                body,
                location: None,
            }
        }
        Lookup::AddSlash(location) => Answer {
            status: 301,
            content_type: "text/plain; charset=utf-8",
            body: format!("moved to {location}\n").into_bytes(),
            location: Some(location),
        },
        Lookup::NotFound => Answer {
            status: 404,
            content_type: "text/html; charset=utf-8",
            body: with_live_script(
                files
                    .get("404.html")
                    .and_then(|page| page.to_vec().ok())
                    .unwrap_or_else(|| b"<p>Not found</p>".to_vec()),
                generation,
            ),
            location: None,
        },
        Lookup::Refused => Answer {
            status: 400,
            content_type: "text/plain; charset=utf-8",
            body: b"not a path inside the site\n".to_vec(),
            location: None,
        },
    }
}

/// Puts the live-reload script before `</body>` (or at the end).
fn with_live_script(html: Vec<u8>, generation: u64) -> Vec<u8> {
    let script =
        format!("<script src=\"{LIVE_PREFIX}live.js\" data-generation=\"{generation}\"></script>");
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + script.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(script.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

pub fn content_type(path: &str) -> &'static str {
    match path
        .rsplit_once('.')
        .map_or(String::new(), |(_, ext)| ext.to_ascii_lowercase())
        .as_str()
    {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" if path.ends_with("atom.xml") => "application/atom+xml",
        "xml" => "application/xml",
        "txt" | "md" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "ics" => "text/calendar; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> BTreeMap<String, FileContent> {
        [
            "index.html",
            "incidents/a/index.html",
            "static/style.css",
            "404.html",
        ]
        .into_iter()
        .map(|p| {
            (
                p.to_string(),
                FileContent::Bytes(format!("<body>{p}</body>").into_bytes()),
            )
        })
        .collect()
    }

    #[test]
    fn addresses_map_to_site_files_and_nothing_else() {
        let files = site();
        let found = |t: &str| lookup(&files, t);
        assert_eq!(found("/"), Lookup::File("index.html".into()));
        assert_eq!(found("/?q=x"), Lookup::File("index.html".into()));
        assert_eq!(
            found("/incidents/a/"),
            Lookup::File("incidents/a/index.html".into())
        );
        assert_eq!(
            found("/incidents/a/index.html#t"),
            Lookup::File("incidents/a/index.html".into())
        );
        assert_eq!(
            found("/incidents/a"),
            Lookup::AddSlash("/incidents/a/".into())
        );
        assert_eq!(
            found("/static/style.css"),
            Lookup::File("static/style.css".into())
        );
        assert_eq!(found("/incidents/b/"), Lookup::NotFound);
        for hostile in [
            "/../etc/passwd",
            "/incidents/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc%2Fpasswd",
            "/static/..%5c..%5cwin.ini",
            "/a%00b",
            "//etc/passwd",
            "/%ff%fe",
            "relative",
            "/./index.html",
        ] {
            assert_eq!(found(hostile), Lookup::Refused, "{hostile}");
        }
    }

    #[test]
    fn pages_get_the_live_script_before_the_body_ends() {
        let files = site();
        let page = answer(&files, "/incidents/a/", 7);
        assert_eq!(page.status, 200);
        assert_eq!(
            String::from_utf8(page.body).unwrap(),
            "<body>incidents/a/index.html<script src=\"/__pmsite/live.js\" data-generation=\"7\"></script></body>"
        );
        let css = answer(&files, "/static/style.css", 7);
        assert_eq!(css.body, b"<body>static/style.css</body>");
        let missing = answer(&files, "/nope/", 7);
        assert_eq!(missing.status, 404);
        assert!(String::from_utf8(missing.body)
            .unwrap()
            .starts_with("<body>404.html<script"));
        assert_eq!(answer(&files, "/../x", 7).status, 400);
        assert_eq!(
            answer(&files, "/incidents/a", 7).location.as_deref(),
            Some("/incidents/a/")
        );
    }
}
