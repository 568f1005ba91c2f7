//! Reads a postmortem file's bytes into text: UTF-8 (with or without a byte-order
//! mark), UTF-16 with a mark, and, for files that are not valid UTF-8, Windows-1252 (a
//! superset of Latin-1, what old editors and wikis save) with a warning. And decides
//! which attachments (the other files beside the postmortems) the site can copy.

use std::io::Read;
use std::path::Path;

use crate::config::RawHtml;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::Attachment;
use crate::walk::SourceFile;

/// Reads a file of at most `limit` bytes; a larger one is an error diagnostic
/// (`file-too-large`), and no more than `limit + 1` bytes are ever read, even from a
/// file that grows while it is read.
pub fn read_limited(path: &Path, shown: &str, limit: u64) -> Result<Vec<u8>, Diagnostic> {
    let unreadable = |error: std::io::Error| {
        Diagnostic::error(shown, 1, Code::Unreadable, format!("cannot read: {error}"))
    };
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > limit {
        return Err(Diagnostic::error(
            shown,
            1,
            Code::FileTooLarge,
            format!(
                "file is larger than {} (`max_file_size` in pmsite.toml); skipped",
                human_size(limit)
            ),
        ));
    }
    Ok(bytes)
}

/// Whether a file with no extension reads like a markdown postmortem: small, text, and
/// starting with frontmatter or with a heading followed by prose. A `# comment` at the
/// top of a config file is a heading too, so most of its lines being `# ` lines, or none
/// being a sentence, says it is not.
pub fn looks_like_markdown(path: &Path) -> bool {
    const SMALL: u64 = 1024 * 1024;
    const PREFIX: usize = 8 * 1024;
    if std::fs::metadata(path).map_or(true, |m| m.len() > SMALL) {
        return false;
    }
    let mut prefix = Vec::with_capacity(PREFIX);
    let read = std::fs::File::open(path)
        .and_then(|file| file.take(PREFIX as u64).read_to_end(&mut prefix));
    if read.is_err() || prefix.contains(&0) {
        return false;
    }
    let bytes = prefix.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&prefix);
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        // The prefix may end inside a character.
        Err(e) if e.error_len().is_none() => {
            std::str::from_utf8(&bytes[..e.valid_up_to()]).expect("valid up to there")
        }
        Err(_) => return false,
    };
    markdown_start(text)
}

fn markdown_start(text: &str) -> bool {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty())
        .collect();
    let Some(first) = lines.first() else {
        return false;
    };
    // YAML or TOML frontmatter, closed.
    if let Some(fence) = ["---", "+++"].into_iter().find(|f| first == f) {
        return lines.iter().skip(1).any(|l| *l == fence);
    }
    let heading = |line: &str| {
        let rest = line.trim_start_matches('#');
        (1..=6).contains(&(line.len() - rest.len())) && rest.starts_with(' ')
    };
    let comments = lines.iter().filter(|l| l.starts_with("# ")).count();
    let prose = lines
        .iter()
        .any(|l| !l.starts_with('#') && l.split_whitespace().count() >= 4);
    heading(first) && prose && comments * 2 <= lines.len()
}

fn human_size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 && b % (1 << 20) == 0 => format!("{} MiB", b >> 20),
        b if b >= 1 << 10 && b % (1 << 10) == 0 => format!("{} KiB", b >> 10),
        b => format!("{b} bytes"),
    }
}

/// The decoded text, or a diagnostic saying why the file was skipped.
pub fn decode(path: &str, bytes: &[u8], diagnostics: &mut Vec<Diagnostic>) -> Option<String> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return decode(path, rest, diagnostics);
    }
    if let Some(text) = utf16(bytes) {
        return Some(text);
    }
    if bytes.iter().take(8192).any(|&b| b == 0) {
        diagnostics.push(Diagnostic::error(
            path,
            1,
            Code::BinaryFile,
            "file contains NUL bytes: not a text postmortem; skipped",
        ));
        return None;
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Some(text.to_string()),
        Err(error) => {
            let line = 1 + bytes[..error.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            diagnostics.push(Diagnostic::warning(
                path,
                line,
                Code::NotUtf8,
                "file is not valid UTF-8; read as Windows-1252 (Latin-1). Save it as UTF-8 to silence this",
            ));
            Some(bytes.iter().map(|&b| windows_1252(b)).collect())
        }
    }
}

fn utf16(bytes: &[u8]) -> Option<String> {
    let (rest, little_endian) = match bytes {
        [0xFF, 0xFE, rest @ ..] => (rest, true),
        [0xFE, 0xFF, rest @ ..] => (rest, false),
        _ => return None,
    };
    let units = rest.chunks_exact(2).map(|pair| {
        let pair = [pair[0], pair[1]];
        if little_endian {
            u16::from_le_bytes(pair)
        } else {
            u16::from_be_bytes(pair)
        }
    });
    Some(
        char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect(),
    )
}

/// Windows-1252 differs from Latin-1 only in 0x80-0x9F (curly quotes, dashes, euro).
fn windows_1252(byte: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    match byte {
        0x80..=0x9F => HIGH[usize::from(byte - 0x80)],
        other => char::from(other),
    }
}

/// The kinds of file the site publishes beside the postmortems: images, PDFs and text.
/// An allowlist, since the kinds a browser runs script in are too many to list
/// (`.xht`, `.rss`, `.xul`, ...). SVG can hold script and is not on it.
pub const PUBLISHED_KINDS: [&str; 11] = [
    "png", "jpg", "jpeg", "gif", "webp", "avif", "pdf", "txt", "csv", "json", "log",
];

/// The files beside the postmortems that the site gets a copy of. They are copied when
/// the site is written, so one that cannot be read is reported now, not as a failed
/// write. Only the kinds in [`PUBLISHED_KINDS`] are copied unless the authors are
/// trusted with raw HTML: opened from the site, another kind could run script. Those
/// left out are named in one warning.
pub fn copyable_attachments(
    files: Vec<SourceFile>,
    raw_html: RawHtml,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Attachment> {
    let mut copyable = Vec::with_capacity(files.len());
    let mut other_kinds: Vec<String> = Vec::new();
    for file in files {
        let skipped =
            |why: String| Diagnostic::warning(&file.relative, 1, Code::AttachmentSkipped, why);
        if file
            .relative
            .contains(|c: char| c == '\\' || c.is_control())
        {
            let why = "not copied into the site: its name has a backslash or a control character";
            diagnostics.push(skipped(why.to_string()));
        } else if raw_html != RawHtml::Allow && !is_published_kind(&file.relative) {
            other_kinds.push(file.relative);
        } else if let Err(error) = std::fs::File::open(&file.absolute) {
            let message = format!("cannot read: {error}; not copied into the site");
            diagnostics.push(Diagnostic::warning(
                &file.relative,
                1,
                Code::Unreadable,
                message,
            ));
        } else {
            copyable.push(Attachment {
                relative: file.relative,
                absolute: file.absolute,
            });
        }
    }
    if let Some(first) = other_kinds.first() {
        const SHOWN: usize = 10;
        let mut names = other_kinds[..other_kinds.len().min(SHOWN)].join(", ");
        if other_kinds.len() > SHOWN {
            names.push_str(&format!(" and {} more", other_kinds.len() - SHOWN));
        }
        let count = crate::report::counted(other_kinds.len(), "file");
        diagnostics.push(Diagnostic::warning(
            first,
            1,
            Code::AttachmentSkipped,
            format!(
                "{count} not copied into the site, as only images, PDFs and text are \
                 ({}): a browser could run script in another kind; `raw_html = \"allow\"` \
                 in pmsite.toml copies every file: {names}",
                PUBLISHED_KINDS.join(", ")
            ),
        ));
    }
    copyable
}

/// Whether a file is of a kind the site publishes (by its extension, in any case).
fn is_published_kind(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let Some((_, extension)) = name.rsplit_once('.') else {
        return false;
    };
    PUBLISHED_KINDS
        .iter()
        .any(|kind| extension.eq_ignore_ascii_case(kind))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_images_pdfs_and_text_are_published() {
        for name in [
            "a.png",
            "img/b.JPG",
            "c.jpeg",
            "d.webp",
            "e.avif",
            "f.gif",
            "runbook.pdf",
            "g.csv",
            "h.json",
            "i.log",
        ] {
            assert!(is_published_kind(name), "{name}");
        }
        for name in [
            "evil.xht",
            "evil.XHTM",
            "feed.rss",
            "x.svg",
            "page.html",
            "a.js",
            "LICENSE",
            "dir.png/file",
            "notes.qmd",
        ] {
            assert!(!is_published_kind(name), "{name}");
        }
    }

    #[test]
    fn kinds_left_out_are_named_in_one_warning() {
        let dir = tempfile::tempdir().unwrap();
        let file = |name: &str| {
            std::fs::write(dir.path().join(name), "x").unwrap();
            SourceFile {
                relative: name.to_string(),
                absolute: dir.path().join(name),
            }
        };
        let files = vec![file("a.png"), file("b.xht"), file("c.svg")];
        let mut diagnostics = Vec::new();
        let copied = copyable_attachments(files, RawHtml::Sanitize, &mut diagnostics);
        assert_eq!(copied.len(), 1);
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].path, "b.xht");
        assert!(
            diagnostics[0].message.starts_with("2 files not copied"),
            "{}",
            diagnostics[0].message
        );
        assert!(diagnostics[0].message.ends_with("b.xht, c.svg"));
        // Trusted authors publish every file.
        let files = vec![file("b.xht")];
        let mut diagnostics = Vec::new();
        assert_eq!(
            copyable_attachments(files, RawHtml::Allow, &mut diagnostics).len(),
            1
        );
        assert!(diagnostics.is_empty());
    }

    #[test]
    fn markdown_without_an_extension() {
        assert!(markdown_start(
            "# DB outage\n\n## Summary\n\nThe primary ran out of disk at noon.\n"
        ));
        assert!(markdown_start("---\ntitle: DB outage\n---\nText.\n"));
        assert!(markdown_start("+++\ntitle = \"DB outage\"\n+++\nText.\n"));
        assert!(!markdown_start("#!/bin/sh\necho this is a script here\n"));
        assert!(!markdown_start(
            "# Owners of everything\n# (second comment)\n* @org/sre\n"
        ));
        assert!(!markdown_start("---\nno closing line\n"));
        assert!(!markdown_start(""));
    }

    #[test]
    fn utf8_with_and_without_bom() {
        let mut d = Vec::new();
        assert_eq!(decode("a", "héllo".as_bytes(), &mut d).unwrap(), "héllo");
        assert_eq!(decode("a", b"\xEF\xBB\xBFhi", &mut d).unwrap(), "hi");
        assert!(d.is_empty());
    }

    #[test]
    fn windows_1252_with_a_warning_on_the_right_line() {
        let mut d = Vec::new();
        let text = decode("a.md", b"ok\ncaf\xe9 \x93quoted\x94\n", &mut d).unwrap();
        assert_eq!(text, "ok\ncafé “quoted”\n");
        assert_eq!(d[0].code, Code::NotUtf8);
        assert_eq!(d[0].line, 2);
    }

    #[test]
    fn utf16_and_binary() {
        let mut d = Vec::new();
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("hi".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(decode("a", &utf16, &mut d).unwrap(), "hi");
        assert!(decode("b.md", b"\x89PNG\x00\x00", &mut d).is_none());
        assert_eq!(d[0].code, Code::BinaryFile);
    }
}
