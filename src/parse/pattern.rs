//! Builds the extractors' built-in regexes. In them `\b` is the ASCII word boundary:
//! the regex crate's fast engine (the lazy DFA) gives up on a Unicode `\b` as soon as a
//! line holds a non-ASCII character (an em dash, a curly quote) and falls back to one
//! several times slower. The built-in patterns put `\b` only beside ASCII words, where
//! both boundaries agree. Patterns from the site's config keep the Unicode `\b`.

use regex::{Regex, RegexSet};

/// `Regex::new`, with every `\b` made ASCII.
pub(crate) fn compile(pattern: &str) -> Result<Regex, regex::Error> {
    Regex::new(&ascii_word_boundaries(pattern))
}

/// `RegexSet::new`, with every `\b` made ASCII: many patterns tried in one pass.
pub(crate) fn compile_set<'a>(
    patterns: impl IntoIterator<Item = &'a str>,
) -> Result<RegexSet, regex::Error> {
    // A set of many alternations outgrows the lazy DFA's default 2 MiB cache; once it
    // does, the regex crate gives up on the DFA and each search is several times slower
    // (the root-cause tag table took parsing from 1.1 s to 2.6 s at 10k files).
    regex::RegexSetBuilder::new(patterns.into_iter().map(ascii_word_boundaries))
        .dfa_size_limit(8 << 20)
        .build()
}

fn ascii_word_boundaries(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('b') => out.push_str(r"(?-u:\b)"),
            Some(escaped) => {
                out.push('\\');
                out.push(escaped);
            }
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_word_boundaries_change() {
        assert_eq!(ascii_word_boundaries(r"\bdue\b"), r"(?-u:\b)due(?-u:\b)");
        // An escaped backslash followed by `b` is a backslash and a letter.
        assert_eq!(ascii_word_boundaries(r"a\\b\d"), r"a\\b\d");
    }

    #[test]
    fn matches_words_beside_non_ascii_text() {
        let re = compile(r"(?i)\boutage\b").unwrap();
        assert!(re.is_match("— outage — ’"));
        assert!(!re.is_match("outages"));
    }
}
