//! Words for the search index. Prose words are lower-cased and stemmed (Snowball English:
//! "indexes" and "indexing" both become `index`); identifiers are kept whole *and* split
//! into their parts, so `ERR_CONN_RESET`, `db-primary-03`, `checkout.api`, `INC-2024-017`,
//! `10.0.0.12` and `v2.3.1` match as written and by any part. The browser's query parser
//! (`search.js`) splits text by the same rule; a test keeps the two in step.

use std::sync::LazyLock;

use rust_stemmers::{Algorithm, Stemmer};

static STEMMER: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

/// Words too common to help a search; left out of the index and out of queries. The same
/// list is in the manifest the browser loads.
pub const STOP_WORDS: [&str; 33] = [
    "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "for", "from", "had", "has",
    "have", "in", "into", "is", "it", "its", "of", "on", "or", "that", "the", "their", "this",
    "to", "was", "were", "which", "will", "with",
];

/// Longer words are cut: a base64 blob or a hash is not something people type.
const MAX_WORD: usize = 40;

/// One indexed word: `term` is what postings are keyed by (a stem, or an identifier or
/// number as written, lower-cased); `surface` is the word as it appeared, lower-cased.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub term: String,
    pub surface: String,
}

/// Calls `emit` with every word of `text` as it will be looked up, lower-cased and in
/// order: an identifier first whole, then its parts; stop words left out.
pub fn surfaces(text: &str, mut emit: impl FnMut(&str)) {
    let mut lower = String::new();
    for raw in raw_tokens(text) {
        if raw.len() > MAX_WORD * 4 || raw.chars().count() > MAX_WORD {
            continue;
        }
        lower.clear();
        lower.extend(raw.chars().flat_map(char::to_lowercase));
        if lower.contains(['.', '_', '-']) {
            emit(&lower);
            for part in lower.split(['.', '_', '-']) {
                if !part.is_empty() && !STOP_WORDS.contains(&part) {
                    emit(part);
                }
            }
        } else if !STOP_WORDS.contains(&lower.as_str()) {
            emit(&lower);
        }
    }
}

/// Runs of letters and digits, possibly joined by `.`, `_` or `-` into an identifier
/// (`[\p{Alphabetic}\p{N}]+(?:[._-][\p{Alphabetic}\p{N}]+)*`, the pattern `search.js`
/// uses). Written out by hand: the index reads every word of the archive, and this is a
/// few times faster than the regex.
fn raw_tokens(text: &str) -> impl Iterator<Item = &str> {
    let is_word = |c: char| c.is_alphabetic() || c.is_numeric();
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || {
        // Skip to the start of a word.
        let (start, _) = loop {
            let (i, c) = chars.next()?;
            if is_word(c) {
                break (i, c);
            }
        };
        let mut end = text.len();
        while let Some(&(i, c)) = chars.peek() {
            // A joiner continues the word only when a letter or digit follows it.
            let joins =
                matches!(c, '.' | '_' | '-') && text[i + 1..].chars().next().is_some_and(is_word);
            if !is_word(c) && !joins {
                end = i;
                break;
            }
            chars.next();
        }
        Some(&text[start..end])
    })
}

/// The term a surface word is indexed under: its stem when it is a word of letters, else
/// itself. Stems are remembered per thread: an archive uses few distinct words.
pub fn term_of(surface: &str) -> String {
    let stemmable = surface.chars().count() > 2
        && surface.chars().all(char::is_alphabetic)
        && !surface.contains(['.', '_', '-']);
    if !stemmable {
        return surface.to_string();
    }
    thread_local! {
        static STEMS: std::cell::RefCell<rustc_hash::FxHashMap<String, String>> =
            std::cell::RefCell::new(rustc_hash::FxHashMap::default());
    }
    STEMS.with(|stems| {
        if let Some(stem) = stems.borrow().get(surface) {
            return stem.clone();
        }
        let stem = STEMMER.stem(surface).into_owned();
        stems.borrow_mut().insert(surface.to_string(), stem.clone());
        stem
    })
}

/// Calls `emit` for every token of `text`, in order (tests and small texts).
pub fn tokenize(text: &str, mut emit: impl FnMut(Token)) {
    surfaces(text, |surface| {
        emit(Token {
            term: term_of(surface),
            surface: surface.to_string(),
        })
    });
}

/// The tokens of `text` as a list.
pub fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    tokenize(text, |t| out.push(t));
    out
}

/// Index files are grouped by the start of their terms: the first two characters, or
/// more when a group is large. A key becomes part of a file name, so anything but ASCII
/// letters and digits is written as `_` and its code point in hex (`é` -> `_e9`).
pub fn file_key(prefix: &str) -> String {
    let mut key = String::with_capacity(prefix.len());
    for c in prefix.chars() {
        if c.is_ascii_alphanumeric() {
            key.push(c);
        } else {
            key.push_str(&format!("_{:x}", c as u32));
        }
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        tokens(text).into_iter().map(|t| t.term).collect()
    }

    #[test]
    fn prose_is_stemmed_and_stop_words_dropped() {
        assert_eq!(
            terms("The missing indexes were indexing slowly"),
            ["miss", "index", "index", "slowli"]
        );
        let surfaces: Vec<String> = tokens("Indexes").into_iter().map(|t| t.surface).collect();
        assert_eq!(surfaces, ["indexes"]);
    }

    #[test]
    fn identifiers_match_whole_and_in_parts() {
        assert_eq!(
            terms("ERR_CONN_RESET"),
            ["err_conn_reset", "err", "conn", "reset"]
        );
        assert_eq!(
            terms("db-primary-03"),
            ["db-primary-03", "db", "primari", "03"]
        );
        assert_eq!(terms("checkout.api."), ["checkout.api", "checkout", "api"]);
        assert_eq!(
            terms("INC-2024-017"),
            ["inc-2024-017", "inc", "2024", "017"]
        );
        assert_eq!(terms("10.0.0.12"), ["10.0.0.12", "10", "0", "0", "12"]);
        assert_eq!(terms("v2.3.1"), ["v2.3.1", "v2", "3", "1"]);
    }

    #[test]
    fn punctuation_separates_and_accents_stay() {
        assert_eq!(terms("(disk), full; café!"), ["disk", "full", "café"]);
        assert_eq!(terms("x".repeat(41).as_str()), Vec::<String>::new());
    }

    proptest::proptest! {
        /// The hand-written scanner finds exactly what the pattern search.js uses finds.
        #[test]
        fn the_scanner_matches_the_pattern(text in "[a-zA-Zé0-9 ._\\-:,()\u{301}\u{945}\u{2163}]{0,40}") {
            let pattern = regex::Regex::new(r"[\p{Alphabetic}\p{N}]+(?:[._\-][\p{Alphabetic}\p{N}]+)*").unwrap();
            let expected: Vec<&str> = pattern.find_iter(&text).map(|m| m.as_str()).collect();
            let found: Vec<&str> = raw_tokens(&text).collect();
            proptest::prop_assert_eq!(found, expected);
        }
    }

    #[test]
    fn file_keys_are_safe_in_file_names() {
        assert_eq!(file_key("in"), "in");
        assert_eq!(file_key("ré"), "r_e9");
        assert_eq!(file_key("a-"), "a_2d");
    }
}
