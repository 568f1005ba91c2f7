//! Files beside the postmortems (graphs, screenshots, PDFs): where they go in the site,
//! and which of a postmortem's links point at one.

use std::collections::HashSet;

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, CONTROLS};

use crate::model::Archive;

/// The site folder attachments are copied to, keeping their paths in the content folder:
/// `2024/img/lag.png` is `files/2024/img/lag.png`.
pub const FOLDER: &str = "files/";

/// What a path segment must escape to stay one segment of a URL.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b':')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'\'')
    .add(b'[')
    .add(b']')
    .add(b'^')
    .add(b'|')
    .add(b'\\');

/// The attachments of an archive, by path relative to the content folder.
pub struct Attachments<'a> {
    paths: HashSet<&'a str>,
}

impl<'a> Attachments<'a> {
    pub fn new(archive: &'a Archive) -> Self {
        Attachments {
            paths: archive
                .attachments
                .iter()
                .map(|a| a.relative.as_str())
                .collect(),
        }
    }

    /// The attachment a link in the postmortem `source` points at, as a path relative
    /// to the content folder: from `2024/db.md`, `img/lag.png`, `./img/lag.png` and
    /// `../2024/img/lag.png` are all `2024/img/lag.png`. Links with a scheme, links from
    /// the site root, links that climb out of the content folder and links to files
    /// that are not there are `None`.
    pub fn resolve(&self, source: &str, link: &str) -> Option<&'a str> {
        if self.paths.is_empty() || has_scheme(link) || link.starts_with(['/', '#']) {
            return None;
        }
        let path = link.split(['#', '?']).next().unwrap_or_default();
        let path = percent_decode_str(path).decode_utf8().ok()?;
        let mut parts: Vec<&str> = source.split('/').collect();
        parts.pop(); // the postmortem's own name
        for segment in path.split('/') {
            match segment {
                "" | "." => {}
                ".." => {
                    parts.pop()?;
                }
                name => parts.push(name),
            }
        }
        self.paths.get(parts.join("/").as_str()).copied()
    }
}

/// The site path an attachment is written to.
pub fn site_path(relative: &str) -> String {
    format!("{FOLDER}{relative}")
}

/// The same path as it goes into a link, each segment percent-encoded.
pub fn href(relative: &str) -> String {
    let encoded: Vec<String> = relative
        .split('/')
        .map(|segment| utf8_percent_encode(segment, SEGMENT).to_string())
        .collect();
    format!("{FOLDER}{}", encoded.join("/"))
}

/// `https:`, `mailto:`, `data:`, `javascript:`...: a URL scheme before any `/`.
fn has_scheme(link: &str) -> bool {
    match link.split_once(':') {
        Some((scheme, _)) => {
            scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Attachment;

    fn archive(paths: &[&str]) -> Archive {
        Archive {
            attachments: paths
                .iter()
                .map(|p| Attachment {
                    relative: p.to_string(),
                    absolute: p.into(),
                })
                .collect(),
            ..Archive::default()
        }
    }

    #[test]
    fn links_resolve_from_the_postmortems_folder() {
        let archive = archive(&["2024/img/lag.png", "shared/arch diagram.png", "top.pdf"]);
        let files = Attachments::new(&archive);
        let from_db = |link| files.resolve("2024/db.md", link);
        assert_eq!(from_db("img/lag.png"), Some("2024/img/lag.png"));
        assert_eq!(from_db("./img/lag.png"), Some("2024/img/lag.png"));
        assert_eq!(from_db("img//lag.png#zoom"), Some("2024/img/lag.png"));
        assert_eq!(from_db("img/lag.png?raw=true"), Some("2024/img/lag.png"));
        assert_eq!(from_db("../2024/img/lag.png"), Some("2024/img/lag.png"));
        assert_eq!(
            from_db("../shared/arch%20diagram.png"),
            Some("shared/arch diagram.png")
        );
        assert_eq!(
            from_db("../shared/arch diagram.png"),
            Some("shared/arch diagram.png")
        );
        assert_eq!(from_db("../top.pdf"), Some("top.pdf"));
        assert_eq!(files.resolve("top.md", "top.pdf"), Some("top.pdf"));
        assert_eq!(
            files.resolve("top.md", "2024/img/lag.png"),
            Some("2024/img/lag.png")
        );
        // Not attachments.
        assert_eq!(from_db("img/missing.png"), None);
        assert_eq!(
            from_db("../../top.pdf"),
            None,
            "climbs out of the content folder"
        );
        assert_eq!(from_db("/2024/img/lag.png"), None);
        assert_eq!(from_db("#img/lag.png"), None);
        assert_eq!(from_db("https://example.com/img/lag.png"), None);
        assert_eq!(from_db("javascript:img/lag.png"), None);
        assert_eq!(from_db("img/lag.png%"), None);
    }

    #[test]
    fn hrefs_keep_each_segment_one_segment() {
        assert_eq!(href("2024/img/lag.png"), "files/2024/img/lag.png");
        assert_eq!(
            href("shared/arch diagram#2?.png"),
            "files/shared/arch%20diagram%232%3F.png"
        );
        assert_eq!(href("ünï/café.png"), "files/%C3%BCn%C3%AF/caf%C3%A9.png");
        assert_eq!(
            site_path("shared/arch diagram.png"),
            "files/shared/arch diagram.png"
        );
    }
}
