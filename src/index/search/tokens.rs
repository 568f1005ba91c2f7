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
        // Counting characters is needed only when the bytes are over the limit.
        if raw.len() > MAX_WORD && (raw.len() > MAX_WORD * 4 || raw.chars().count() > MAX_WORD) {
            continue;
        }
        // Most words are ASCII, and most of those are lower case already.
        let word = if !raw.is_ascii() {
            lower.clear();
            lower.extend(raw.chars().flat_map(char::to_lowercase));
            lower.as_str()
        } else if raw.bytes().any(|b| b.is_ascii_uppercase()) {
            lower.clear();
            lower.push_str(raw);
            lower.make_ascii_lowercase();
            lower.as_str()
        } else {
            raw
        };
        let camel = raw.is_ascii() && has_camel_case(raw.as_bytes());
        if camel {
            // Lower-casing ASCII keeps every byte where it was, so the parts found in the
            // word as written are cut from the lower-case word.
            let word = word.to_string();
            emit(&word);
            camel_parts(raw, |start, end| {
                let part = &word[start..end];
                if !is_stop_word(part) {
                    emit(part);
                }
            });
        } else if word.bytes().any(is_joiner) {
            emit(word);
            for part in word.split(['.', '_', '-']) {
                if !part.is_empty() && !is_stop_word(part) {
                    emit(part);
                }
            }
        } else if !is_stop_word(word) {
            emit(word);
        }
    }
}

/// Whether an ASCII word changes case inside: `getSockOpt`, `WhitelistRouteRegexp`,
/// `HTTPServer` (a lower-case letter or digit before a capital, or a capital before a
/// capital and a lower-case letter). `Redis` and `NASA` are one word each.
fn has_camel_case(word: &[u8]) -> bool {
    (1..word.len()).any(|i| is_camel_boundary(word, i))
}

fn is_camel_boundary(word: &[u8], i: usize) -> bool {
    let (before, at) = (word[i - 1], word[i]);
    at.is_ascii_uppercase()
        && (before.is_ascii_lowercase()
            || before.is_ascii_digit()
            || (before.is_ascii_uppercase() && word.get(i + 1).is_some_and(u8::is_ascii_lowercase)))
}

/// The byte ranges of the parts of an ASCII identifier: split at `.`, `_` and `-`, then
/// where the case changes (`checkout.getOrder` -> `checkout`, `get`, `Order`).
fn camel_parts(word: &str, mut emit: impl FnMut(usize, usize)) {
    let bytes = word.as_bytes();
    let mut start = 0;
    for i in 0..=bytes.len() {
        let ends_part =
            i == bytes.len() || is_joiner(bytes[i]) || (i > start && is_camel_boundary(bytes, i));
        if !ends_part {
            continue;
        }
        if i > start {
            emit(start, i);
        }
        start = if i < bytes.len() && is_joiner(bytes[i]) {
            i + 1
        } else {
            i
        };
    }
}

/// Whether `word` (lower case) is in [`STOP_WORDS`]. Every word is asked, so the stop
/// words are compared as numbers: a word of up to seven bytes packed into a `u64`.
fn is_stop_word(word: &str) -> bool {
    word.len() <= 7 && STOP_WORD_KEYS.contains(&packed(word.as_bytes()))
}

const STOP_WORD_KEYS: [u64; STOP_WORDS.len()] = {
    let mut keys = [0; STOP_WORDS.len()];
    let mut i = 0;
    while i < keys.len() {
        keys[i] = packed(STOP_WORDS[i].as_bytes());
        i += 1;
    }
    keys
};

/// A word of at most seven bytes as one number: its length, then its bytes.
const fn packed(word: &[u8]) -> u64 {
    let mut key = word.len() as u64;
    let mut i = 0;
    while i < word.len() {
        key = key << 8 | word[i] as u64;
        i += 1;
    }
    key
}

/// `.`, `_` and `-` join letters and digits into one identifier.
fn is_joiner(byte: u8) -> bool {
    matches!(byte, b'.' | b'_' | b'-')
}

/// Runs of letters and digits, possibly joined by `.`, `_` or `-` into an identifier
/// (`[\p{Alphabetic}\p{N}]+(?:[._-][\p{Alphabetic}\p{N}]+)*`, the pattern `search.js`
/// uses). Written out by hand, reading ASCII as bytes: the index reads every word of the
/// archive, and this is many times faster than the regex.
fn raw_tokens(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        // Skip to the start of a word.
        loop {
            if at >= bytes.len() {
                return None;
            }
            let (is_word, len) = char_at(text, at);
            if is_word {
                break;
            }
            at += len;
        }
        let start = at;
        while at < bytes.len() {
            let (is_word, len) = char_at(text, at);
            // A joiner continues the word only when a letter or digit follows it.
            let joins =
                !is_word && is_joiner(bytes[at]) && at + 1 < bytes.len() && char_at(text, at + 1).0;
            if !is_word && !joins {
                break;
            }
            at += len;
        }
        Some(&text[start..at])
    })
}

/// Whether the character at byte `i` of `text` is a letter or digit, and its length.
fn char_at(text: &str, i: usize) -> (bool, usize) {
    let byte = text.as_bytes()[i];
    if byte.is_ascii() {
        return (byte.is_ascii_alphanumeric(), 1);
    }
    let c = text[i..].chars().next().expect("a character starts here");
    (c.is_alphabetic() || c.is_numeric(), c.len_utf8())
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
    fn camel_case_identifiers_match_whole_and_in_parts() {
        assert_eq!(
            terms("WhitelistRouteRegexp"),
            ["whitelistrouteregexp", "whitelist", "rout", "regexp"]
        );
        assert_eq!(terms("getSockOpt"), ["getsockopt", "get", "sock", "opt"]);
        assert_eq!(terms("HTTPServer"), ["httpserver", "http", "server"]);
        assert_eq!(
            terms("checkout.getOrder_v2"),
            ["checkout.getorder_v2", "checkout", "get", "order", "v2"]
        );
        assert_eq!(terms("ipv4Address"), ["ipv4address", "ipv4", "address"]);
        // One capital, or all capitals, is a word.
        assert_eq!(terms("Redis NASA"), ["redi", "nasa"]);
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
    fn stop_words_are_recognised_and_nothing_else() {
        assert!(STOP_WORDS.iter().all(|w| w.len() <= 7 && is_stop_word(w)));
        for word in ["thei", "outage", "withs", "", "\u{0}a", "aa", "ofon"] {
            assert!(!is_stop_word(word), "{word:?}");
        }
    }

    #[test]
    fn long_words_are_measured_in_characters() {
        assert_eq!(terms(&"é".repeat(40)), ["é".repeat(40)]);
        assert_eq!(terms(&"é".repeat(41)), Vec::<String>::new());
        let surfaces: Vec<String> = tokens("Ünïcode CAFÉ Db")
            .into_iter()
            .map(|t| t.surface)
            .collect();
        assert_eq!(surfaces, ["ünïcode", "café", "db"]);
    }

    #[test]
    fn file_keys_are_safe_in_file_names() {
        assert_eq!(file_key("in"), "in");
        assert_eq!(file_key("ré"), "r_e9");
        assert_eq!(file_key("a-"), "a_2d");
    }
}
