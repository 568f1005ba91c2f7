//! The search index as files the browser loads on demand, each a script that hands its
//! data to `pmsiteSearch.receive` (scripts load over `file://`, where `fetch` cannot):
//!
//! - `search/manifest.<version>.js`: what else there is, and the stop words;
//! - `search/terms/<prefix>.<version>.js`: the words starting with a prefix, with postings;
//! - `search/docs/<n>.<version>.js`: what results show, for one incident each;
//! - `search/facets.<version>.js` and `search/vocab.<version>.js`: facet values per
//!   incident, and the words offered as typo corrections.
//!
//! `version` is a hash of all of them: a name never changes contents, so a server may
//! cache them forever, and the manifest does not list a hash per file.

use serde::Serialize;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::FileContent;
use crate::index::search::tokens::{file_key, STOP_WORDS};
use crate::index::search::{Field, Posting, SearchIndex, Surface};
use rayon::prelude::*;

/// Bumped when the files change shape; the engine refuses a manifest it does not know.
pub const SEARCH_FORMAT: u32 = 1;
/// Incidents per document file: results load the files of the incidents they show.
pub const DOCS_PER_FILE: usize = 1;
/// A term file above this many bytes is split by the next character of its words.
const TERM_FILE_BYTES: usize = 12_000;

/// The search files, and the manifest's path for the pages to name.
#[derive(Debug, Default)]
pub struct SearchFiles {
    pub manifest: String,
    pub files: Vec<(String, FileContent)>,
}

pub fn search_files(index: &SearchIndex) -> SearchFiles {
    let shards = term_shards(index);
    let prefixes: Vec<String> = shards.iter().map(|(prefix, _)| prefix.clone()).collect();
    // Each file as (name without the version, key, data), in an order fixed by the index.
    let mut bodies: Vec<(String, String, String)> = shards
        .into_par_iter()
        .map(|(prefix, json)| {
            (
                format!("terms/{}", file_key(&prefix)),
                format!("t:{prefix}"),
                json,
            )
        })
        .collect();
    let to_json = |data: &Value| serde_json::to_string(data).expect("index data serializes");
    let docs: Vec<(String, String, String)> = index
        .docs
        .par_chunks(DOCS_PER_FILE)
        .enumerate()
        .map(|(n, docs)| {
            let data: Vec<Value> = docs
                .iter()
                .map(|d| {
                    let passages: Vec<Value> = d
                        .passages
                        .iter()
                        .map(|p| json!([p.anchor, p.field as u8, p.text]))
                        .collect();
                    json!([d.id, d.title, d.date, d.duration, d.tags, passages])
                })
                .collect();
            (
                format!("docs/{n}"),
                format!("d:{n}"),
                to_json(&Value::Array(data)),
            )
        })
        .collect();
    bodies.extend(docs);
    bodies.push((
        "facets".into(),
        "facets".into(),
        to_json(&facets_data(index)),
    ));
    bodies.push((
        "vocab".into(),
        "vocab".into(),
        to_json(&json!(index.vocabulary)),
    ));
    let scripts: Vec<(String, String)> = bodies
        .into_par_iter()
        .map(|(name, key, json)| (name, script(&key, &json)))
        .collect();
    let manifest = ManifestData {
        format: SEARCH_FORMAT,
        version: String::new(),
        docs: index.docs.len(),
        docs_per_file: DOCS_PER_FILE,
        term_files: prefixes,
        stop_words: &STOP_WORDS,
        fields: Field::ALL.map(Field::key),
    };
    // One version names every file: the hash of them all, and of the manifest they
    // belong to.
    let mut hasher = Sha256::new();
    hasher.update(serde_json::to_vec(&manifest).expect("manifest serializes"));
    for (name, body) in &scripts {
        hasher.update(name.as_bytes());
        hasher.update(body.as_bytes());
    }
    let version = short_hash(&hasher.finalize());
    let manifest = ManifestData {
        version: version.clone(),
        ..manifest
    };
    let manifest_body = script(
        "manifest",
        &serde_json::to_string(&manifest).expect("manifest serializes"),
    );
    let mut files: Vec<(String, FileContent)> = scripts
        .into_iter()
        .chain([("manifest".to_string(), manifest_body)])
        .map(|(name, body)| {
            let path = format!("search/{name}.{version}.js");
            (path, FileContent::Bytes(body.into_bytes()))
        })
        .collect();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    SearchFiles {
        manifest: format!("search/manifest.{version}.js"),
        files,
    }
}

#[derive(Serialize)]
struct ManifestData<'a> {
    format: u32,
    /// The suffix of every file name: `search/docs/<n>.<version>.js`.
    version: String,
    docs: usize,
    docs_per_file: usize,
    /// The prefixes with a file, in order. A word is in the file of the longest prefix
    /// that starts it.
    term_files: Vec<String>,
    stop_words: &'a [&'a str],
    fields: [&'static str; 8],
}

/// A script that hands `json` to the engine under `key`.
fn script(key: &str, json: &str) -> String {
    format!(
        "pmsiteSearch.receive({},{json});\n",
        serde_json::to_string(key).expect("a key serializes")
    )
}

/// The first eight hex digits of a SHA-256 digest: enough to tell two builds' indexes
/// apart.
fn short_hash(digest: &[u8]) -> String {
    digest[..4].iter().map(|b| format!("{b:02x}")).collect()
}

/// Groups words by prefix: two characters, longer for prefixes with many words, so
/// each file stays small. Returns prefix -> the file's data, written directly as JSON:
/// `{"w": [[surface, term or "", incidents], ...], "p": {term: [doc gap, score, ...]}}`.
fn term_shards(index: &SearchIndex) -> Vec<(String, String)> {
    let mut words: Vec<(&str, usize)> = index
        .terms
        .iter()
        .map(|(term, postings)| (term.as_str(), term.len() + postings.len() * 6))
        .chain(
            index
                .surfaces
                .iter()
                .map(|(surface, s)| (surface.as_str(), surface.len() + s.term.len() + 8)),
        )
        .collect();
    words.sort_unstable();
    let mut prefixes: Vec<String> = Vec::new();
    split(&words, 2, &mut prefixes);
    prefixes.sort();
    prefixes.dedup();

    // The longest prefix that starts the word; there is always one: its first two
    // characters, or the whole word when shorter. No prefix is longer than the longest
    // made, so longer starts of a long word are never looked up.
    let longest = prefixes
        .iter()
        .map(|p| p.chars().count())
        .max()
        .unwrap_or(0);
    let shard_of = |word: &str| -> usize {
        let ends: Vec<usize> = word
            .char_indices()
            .map(|(i, c)| i + c.len_utf8())
            .take(longest)
            .collect();
        ends.iter()
            .rev()
            .find_map(|&end| {
                prefixes
                    .binary_search_by(|p| p.as_str().cmp(&word[..end]))
                    .ok()
            })
            .expect("every word has a prefix file")
    };
    type Shard<'a> = (Vec<(&'a str, &'a Surface)>, Vec<(&'a str, &'a [Posting])>);
    let mut shards: Vec<Shard> = vec![(Vec::new(), Vec::new()); prefixes.len()];
    for (surface, s) in &index.surfaces {
        shards[shard_of(surface)].0.push((surface, s));
    }
    for (term, postings) in &index.terms {
        shards[shard_of(term)].1.push((term, postings));
    }
    prefixes
        .into_par_iter()
        .zip(shards)
        .filter(|(_, (w, p))| !w.is_empty() || !p.is_empty())
        .map(|(prefix, (surfaces, terms))| (prefix, shard_json(&surfaces, &terms)))
        .collect()
}

fn shard_json(surfaces: &[(&str, &Surface)], terms: &[(&str, &[Posting])]) -> String {
    use std::fmt::Write;
    let quoted = |text: &str| serde_json::to_string(text).expect("strings serialize");
    let mut out = String::from("{\"w\":[");
    for (i, (surface, s)) in surfaces.iter().enumerate() {
        let term = if s.term == *surface {
            ""
        } else {
            s.term.as_str()
        };
        let comma = if i == 0 { "" } else { "," };
        let _ = write!(
            out,
            "{comma}[{},{},{}]",
            quoted(surface),
            quoted(term),
            s.docs
        );
    }
    out.push_str("],\"p\":{");
    for (i, (term, postings)) in terms.iter().enumerate() {
        let comma = if i == 0 { "" } else { "," };
        let _ = write!(out, "{comma}{}:[", quoted(term));
        let mut previous = 0;
        for (j, posting) in postings.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            push_number(&mut out, posting.doc - previous);
            out.push(',');
            push_number(&mut out, u32::from(posting.score));
            previous = posting.doc;
        }
        out.push(']');
    }
    out.push_str("}}");
    out
}

/// Writes `n` in decimal: postings are most of the index, and `write!` costs more than
/// the digits.
fn push_number(out: &mut String, mut n: u32) {
    let mut digits = [0u8; 10];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend(digits[at..].iter().map(|&d| char::from(d)));
}

/// Adds the prefixes of length `depth` (or shorter words whole) that group `words`,
/// going one character deeper where a group is too large.
fn split(words: &[(&str, usize)], depth: usize, prefixes: &mut Vec<String>) {
    let mut start = 0;
    while start < words.len() {
        let prefix: String = words[start].0.chars().take(depth).collect();
        let end = start
            + words[start..]
                .iter()
                .take_while(|(w, _)| w.starts_with(prefix.as_str()))
                .count();
        let group = &words[start..end];
        let bytes: usize = group.iter().map(|(_, b)| b).sum();
        prefixes.push(prefix.clone());
        // Words exactly as long as the prefix stay in its file; longer ones may move to
        // a deeper prefix when the file would be too large.
        let longer: Vec<(&str, usize)> = group
            .iter()
            .filter(|(w, _)| w.chars().count() > depth)
            .copied()
            .collect();
        if bytes > TERM_FILE_BYTES && !longer.is_empty() && depth < 12 {
            let distinct_next = longer
                .iter()
                .map(|(w, _)| w.chars().nth(depth))
                .collect::<std::collections::BTreeSet<_>>()
                .len();
            if distinct_next > 1 || longer.len() > 1 {
                split(&longer, depth + 1, prefixes);
            }
        }
        start = end;
    }
}

/// Facet values, and per incident its values as characters (one per value, or two when
/// a facet has more than 90 values), incidents separated by spaces.
fn facets_data(index: &SearchIndex) -> Value {
    let facets: Vec<Value> = index
        .facets
        .iter()
        .map(|facet| {
            let wide = facet.values.len() > 90;
            let docs: Vec<String> = facet
                .docs
                .iter()
                .map(|values| values.iter().map(|&v| facet_code(v, wide)).collect())
                .collect();
            let values: Vec<Value> = facet
                .values
                .iter()
                .map(|v| json!([v.slug, v.name]))
                .collect();
            json!({
                "key": facet.key,
                "label": facet.label,
                "wide": wide,
                "values": values,
                "docs": docs.join(" "),
            })
        })
        .collect();
    Value::Array(facets)
}

/// Value `n` as one character from `#` (0) to `~` (90), skipping `\`; or two when wide.
fn facet_code(n: u16, wide: bool) -> String {
    let char_of = |k: u16| {
        let c = 35 + k; // '#'
        let c = if c >= 92 { c + 1 } else { c }; // skip '\'
        char::from(c as u8)
    };
    if wide {
        [char_of(n / 90), char_of(n % 90)].iter().collect()
    } else {
        char_of(n).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_as_format_would() {
        for n in [0, 7, 10, 255, 4_294_967_295, 1_000_000] {
            let mut out = String::new();
            push_number(&mut out, n);
            assert_eq!(out, n.to_string());
        }
    }

    #[test]
    fn facet_codes_are_printable_and_never_a_backslash_or_space() {
        for n in 0..90 {
            let code = facet_code(n, false);
            let c = code.chars().next().unwrap();
            assert!(c.is_ascii_graphic() && c != '\\' && c != '"', "{n}: {c}");
        }
        assert_eq!(facet_code(0, false), "#");
        assert_eq!(facet_code(91, true), "$$");
    }

    #[test]
    fn large_prefixes_split_and_every_word_has_a_file() {
        let mut words: Vec<(&str, usize)> = vec![
            ("a", 10),
            ("in", 10),
            ("index", 9000),
            ("indigo", 9000),
            ("inn", 10),
        ];
        words.sort_unstable();
        let mut prefixes = Vec::new();
        split(&words, 2, &mut prefixes);
        prefixes.sort();
        assert_eq!(prefixes, ["a", "in", "ind", "inde", "indi", "inn"]);
    }

    #[test]
    fn every_file_carries_the_version_the_manifest_names() {
        let index = SearchIndex::default();
        let files = search_files(&index);
        let version = files
            .manifest
            .strip_prefix("search/manifest.")
            .and_then(|v| v.strip_suffix(".js"))
            .unwrap();
        assert_eq!(version.len(), 8);
        assert!(files
            .files
            .iter()
            .all(|(path, _)| path.ends_with(&format!(".{version}.js"))));
        assert_eq!(search_files(&index).manifest, files.manifest);
    }
}
