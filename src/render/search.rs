//! The search index as files the browser loads on demand, each a script that hands its
//! data to `pmsiteSearch.receive` (scripts load over `file://`, where `fetch` cannot):
//!
//! - `search/manifest.<hash>.js`: what else there is, and the stop words;
//! - `search/terms/<prefix>.<hash>.js`: the words starting with a prefix, with postings;
//! - `search/docs/<n>.<hash>.js`: what results show, for a few incidents each;
//! - `search/facets.<hash>.js` and `search/vocab.<hash>.js`: facet values per incident,
//!   and the words offered as typo corrections.
//!
//! Names carry a hash of their contents, so a server may cache them forever.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::FileContent;
use crate::index::search::tokens::{file_key, STOP_WORDS};
use crate::index::search::{Field, SearchIndex};

/// Bumped when the files change shape; the engine refuses a manifest it does not know.
pub const SEARCH_FORMAT: u32 = 1;
/// Incidents per document file: results load the files of the incidents they show.
pub const DOCS_PER_FILE: usize = 8;
/// A term file above this many bytes is split by the next character of its words.
const TERM_FILE_BYTES: usize = 12_000;

/// The search files, and the manifest's path for the pages to name.
#[derive(Debug, Default)]
pub struct SearchFiles {
    pub manifest: String,
    pub files: Vec<(String, FileContent)>,
}

pub fn search_files(index: &SearchIndex) -> SearchFiles {
    let mut files = Vec::new();
    let mut put = |folder: &str, name: &str, key: &str, data: &Value| -> String {
        let body = format!(
            "pmsiteSearch.receive({},{});\n",
            serde_json::to_string(key).expect("a key serializes"),
            serde_json::to_string(data).expect("index data serializes")
        );
        let hash = short_hash(body.as_bytes());
        files.push((
            format!("search/{folder}{name}.{hash}.js"),
            FileContent::Bytes(body.into_bytes()),
        ));
        hash
    };

    let mut shards = BTreeMap::new();
    for (prefix, shard) in term_shards(index) {
        let hash = put("terms/", &file_key(&prefix), &format!("t:{prefix}"), &shard);
        shards.insert(prefix, hash);
    }
    let chunks: Vec<String> = index
        .docs
        .chunks(DOCS_PER_FILE)
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
            put(
                "docs/",
                &n.to_string(),
                &format!("d:{n}"),
                &Value::Array(data),
            )
        })
        .collect();
    let facets = put("", "facets", "facets", &facets_data(index));
    let vocabulary = put("", "vocab", "vocab", &json!(index.vocabulary));
    let manifest = ManifestData {
        format: SEARCH_FORMAT,
        docs: index.docs.len(),
        docs_per_file: DOCS_PER_FILE,
        doc_files: chunks,
        term_files: shards,
        facets,
        vocabulary,
        stop_words: &STOP_WORDS,
        fields: Field::ALL.map(Field::key),
    };
    let manifest_hash = put(
        "",
        "manifest",
        "manifest",
        &serde_json::to_value(&manifest).expect("manifest serializes"),
    );
    // The manifest goes first so `files` ends up sorted the same way on every build.
    files.sort_by(|a, b| a.0.cmp(&b.0));
    SearchFiles {
        manifest: format!("search/manifest.{manifest_hash}.js"),
        files,
    }
}

#[derive(Serialize)]
struct ManifestData<'a> {
    format: u32,
    docs: usize,
    docs_per_file: usize,
    doc_files: Vec<String>,
    /// Prefix -> hash. A word is in the file of the longest prefix that starts it.
    term_files: BTreeMap<String, String>,
    facets: String,
    vocabulary: String,
    stop_words: &'a [&'a str],
    fields: [&'static str; 8],
}

/// The first ten hex digits of the contents' SHA-256.
fn short_hash(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest[..5].iter().map(|b| format!("{b:02x}")).collect()
}

/// Groups words by prefix: two characters, longer for prefixes with many words, so
/// each file stays small. Returns prefix -> `{w: [[surface, term or "", incidents]], p:
/// {term: [doc gap, score, doc gap, score, ...]}}`.
fn term_shards(index: &SearchIndex) -> BTreeMap<String, Value> {
    // (word, estimated bytes, is a term)
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

    let shard_of = |word: &str| -> String {
        // The longest prefix that starts the word; there is always one of its first two
        // characters (or of the whole word when shorter).
        let chars: Vec<char> = word.chars().collect();
        (1..=chars.len())
            .rev()
            .map(|n| chars[..n].iter().collect::<String>())
            .find(|p| prefixes.binary_search(p).is_ok())
            .expect("every word has a prefix file")
    };
    let mut shards: BTreeMap<String, (Vec<Value>, serde_json::Map<String, Value>)> = prefixes
        .iter()
        .map(|p| (p.clone(), Default::default()))
        .collect();
    for (surface, s) in &index.surfaces {
        let term = if s.term == *surface {
            ""
        } else {
            s.term.as_str()
        };
        shards
            .get_mut(&shard_of(surface))
            .expect("a shard per prefix")
            .0
            .push(json!([surface, term, s.docs]));
    }
    for (term, postings) in &index.terms {
        let mut flat = Vec::with_capacity(postings.len() * 2);
        let mut previous = 0;
        for posting in postings {
            flat.push(posting.doc - previous);
            flat.push(u32::from(posting.score));
            previous = posting.doc;
        }
        shards
            .get_mut(&shard_of(term))
            .expect("a shard per prefix")
            .1
            .insert(term.clone(), json!(flat));
    }
    shards
        .into_iter()
        .filter(|(_, (w, p))| !w.is_empty() || !p.is_empty())
        .map(|(prefix, (w, p))| (prefix, json!({ "w": w, "p": p })))
        .collect()
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
    fn hashes_are_short_and_stable() {
        assert_eq!(short_hash(b"pmsite"), short_hash(b"pmsite"));
        assert_eq!(short_hash(b"pmsite").len(), 10);
        assert_ne!(short_hash(b"a"), short_hash(b"b"));
    }
}
