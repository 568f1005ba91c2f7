//! Markdown to plain text, and the small text helpers the extractors share.

use std::sync::LazyLock;

use super::pattern::compile;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use regex::Regex;

use super::outline::markdown_options;

/// The words of a markdown fragment, without markup; blocks are separated by newlines.
pub fn plain_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    for event in Parser::new_ext(markdown, markdown_options()) {
        match event {
            Event::Text(text) | Event::Code(text) => out.push_str(&text),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::CodeBlock
                | TagEnd::TableRow,
            ) => out.push('\n'),
            Event::End(TagEnd::TableCell) => out.push_str(" | "),
            Event::Start(Tag::Item) => out.push_str("- "),
            _ => {}
        }
    }
    non_blank_lines(&out)
}

/// The lines of `text` that hold anything, trimmed, one per line.
fn non_blank_lines(text: &str) -> String {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    lines.join("\n")
}

/// The prose of a markdown fragment: its words without markup, code blocks, raw HTML or
/// footnote definitions, blocks separated by newlines. A table becomes a line per row of
/// `Header: value` pairs (`Customers impacted: All; Revenue: $5k`), so facts read from it
/// never show pipes.
pub fn prose_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut skip = 0usize; // inside code, HTML or a footnote definition
    let mut header: Vec<String> = Vec::new();
    let mut row: Option<Vec<String>> = None;
    for event in Parser::new_ext(markdown, markdown_options()) {
        match event {
            Event::Start(Tag::CodeBlock(_) | Tag::HtmlBlock | Tag::FootnoteDefinition(_)) => {
                skip += 1
            }
            Event::End(TagEnd::CodeBlock | TagEnd::HtmlBlock | TagEnd::FootnoteDefinition) => {
                skip = skip.saturating_sub(1);
                out.push('\n');
            }
            _ if skip > 0 => {}
            Event::Start(Tag::TableHead) => {
                header.clear();
                row = Some(Vec::new());
            }
            Event::Start(Tag::TableRow) => row = Some(Vec::new()),
            Event::Start(Tag::TableCell) => {
                if let Some(r) = row.as_mut() {
                    r.push(String::new());
                }
            }
            Event::End(TagEnd::TableHead) => {
                header = row.take().unwrap_or_default();
            }
            Event::End(TagEnd::TableRow) => {
                let cells = row.take().unwrap_or_default();
                out.push_str(&table_row_text(&header, &cells));
                out.push('\n');
            }
            Event::Text(text) | Event::Code(text) => match row.as_mut() {
                Some(r) => r.last_mut().map_or((), |c| c.push_str(&text)),
                None => out.push_str(&text),
            },
            Event::SoftBreak | Event::HardBreak => match row.as_mut() {
                Some(r) => r.last_mut().map_or((), |c| c.push(' ')),
                None => out.push(' '),
            },
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => out.push('\n'),
            Event::Start(Tag::Item) => out.push_str("- "),
            _ => {}
        }
    }
    non_blank_lines(&out)
}

/// One table row as prose: `Header: value; Header: value` (the header row alone is
/// left out; a row without a header, or a one-column table, is its cells).
fn table_row_text(header: &[String], cells: &[String]) -> String {
    let cells: Vec<&str> = cells.iter().map(|c| c.trim()).collect();
    if cells.iter().all(|c| c.is_empty()) {
        return String::new();
    }
    let named = header.len() > 1 && header.len() == cells.len();
    cells
        .iter()
        .enumerate()
        .filter(|(_, c)| !c.is_empty())
        .map(|(i, c)| match header.get(i).map(|h| h.trim()) {
            Some(h) if named && !h.is_empty() => format!("{h}: {c}"),
            _ => c.to_string(),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Whether byte `at` of `line` is inside a backtick code span (an odd number of
/// backtick runs before it).
fn in_inline_code(line: &str, at: usize) -> bool {
    let before = &line[..at];
    let mut open = false;
    let mut previous_tick = false;
    for c in before.chars() {
        let tick = c == '`';
        if tick && !previous_tick {
            open = !open;
        }
        previous_tick = tick;
    }
    open && line[at..].contains('`')
}

/// The longest summary pmsite makes from prose, in characters. A summary shows on every
/// list page, feed entry and search result that names the incident, so a pasted log with
/// no sentence end must not become a megabyte-long "sentence" copied into each of them.
/// Real summaries of two sentences stay well under it.
pub const SUMMARY_LIMIT: usize = 600;

/// The first `count` sentences of a text, on one line, clipped to `SUMMARY_LIMIT`.
pub fn first_sentences(text: &str, count: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut end = flat.len();
    let mut seen = 0;
    for m in SENTENCE_END.find_iter(&flat) {
        seen += 1;
        if seen == count {
            end = m.start() + 1;
            break;
        }
    }
    clip_summary(flat[..end].trim())
}

/// `text` if it has at most `SUMMARY_LIMIT` characters, else its longest run of whole
/// words within that limit followed by `…`.
pub fn clip_summary(text: &str) -> String {
    let Some((cut, _)) = text.char_indices().nth(SUMMARY_LIMIT) else {
        return text.to_string();
    };
    // `cut` is the first character past the limit: keep the words that end before it.
    let kept = match text[..cut].rfind(char::is_whitespace) {
        Some(space) if !text[cut..].starts_with(char::is_whitespace) => &text[..space],
        _ => &text[..cut],
    };
    format!("{}…", kept.trim_end())
}

/// The sentences of one line of text (runs of whitespace already folded to one space),
/// in one pass: the places `first_sentences` would stop at, one after another.
pub fn split_sentences(folded: &str) -> Vec<&str> {
    let mut sentences = Vec::new();
    let mut start = 0;
    for m in SENTENCE_END.find_iter(folded) {
        let end = m.start() + 1;
        let sentence = folded[start..end].trim();
        if !sentence.is_empty() {
            sentences.push(sentence);
        }
        start = end;
    }
    let last = folded[start..].trim();
    if !last.is_empty() {
        sentences.push(last);
    }
    sentences
}

// A full stop, question or exclamation mark followed by a space and a capital or digit;
// "e.g. x" and "v1.2" do not end a sentence.
static SENTENCE_END: LazyLock<Regex> =
    LazyLock::new(|| compile(r"[.!?][)\]]?\s+[\p{Lu}\d]").unwrap());

/// Removes emphasis markers around a whole fragment: `**Impact:**` -> `Impact:`.
pub fn strip_emphasis(text: &str) -> &str {
    text.trim().trim_matches(['*', '_']).trim()
}

/// Template leftovers that mean "not filled in": `TBD`, `HH:mm`, `[insert date]`,
/// `<service>`, `?`, a template's sample handle (`@name`, `@username`), and a
/// placeholder followed by the template's prompt (`TBD: who was affected`).
pub fn is_placeholder(text: &str) -> bool {
    static PLACEHOLDER: LazyLock<Regex> = LazyLock::new(|| {
        compile(r"(?i)^(?:tbd|tba|todo|n/?a|none|unknown|\?+|-+|x{2,}|hh:mm(?::ss)?|yyyy-mm-dd(?:\s+hh:mm)?|\[[^\]]*\]|<[^>]*>|\{[^}]*\}|_+|\.\.\.|@(?:name|username|user|handle|owner|person|someone|assignee|who))$").unwrap()
    });
    let text = strip_emphasis(text).trim_end_matches(['.', ':']).trim();
    if PLACEHOLDER.is_match(text) {
        return true;
    }
    // "TBD: who was affected", "TODO - fill in the impact": the prompt of a blank.
    let prompt = text
        .split_once(": ")
        .or_else(|| text.split_once(" - "))
        .filter(|(blank, prompt)| {
            PLACEHOLDER.is_match(strip_emphasis(blank)) && prompt.split_whitespace().count() <= 8
        });
    prompt.is_some()
}

/// The first template placeholder on a line, with its byte column: `[insert date]`,
/// `<service name>`, `HH:mm`, `YYYY-MM-DD`, `TBD`. HTML tags are not placeholders.
pub fn find_placeholder(line: &str) -> Option<(usize, &str)> {
    static PLACEHOLDER_IN_LINE: LazyLock<Regex> = LazyLock::new(|| {
        compile(r"\[(?i:insert|add|describe|enter|fill in|your|link to|name of)[^\]]{0,60}\]|<(?P<tag>[a-zA-Z][a-zA-Z _-]{1,40})>|\bHH:mm\b|\bhh:mm\b|\bYYYY-MM-DD\b|\bTBD\b|\bTBA\b|\bXX:XX\b|(?:^|[\s(])@(?:name|username|handle|owner|person|someone|assignee)\b").unwrap()
    });
    const HTML: &[&str] = &[
        "br", "p", "b", "i", "a", "em", "strong", "code", "pre", "div", "span", "img", "sub",
        "sup", "summary", "details", "ul", "ol", "li", "hr", "table", "tr", "td", "th", "center",
        "u", "s", "small", "kbd",
    ];
    let might = line.contains(['[', '<', '@'])
        || ["HH", "hh:", "YYYY", "TB", "XX:"]
            .iter()
            .any(|p| line.contains(p));
    if !might {
        return None;
    }
    PLACEHOLDER_IN_LINE.captures_iter(line).find_map(|c| {
        let whole = c.get(0)?;
        // In inline code it is an example; `[link to the PR](https://...)` is filled in.
        let filled_link = whole.as_str().starts_with('[') && line[whole.end()..].starts_with('(');
        if filled_link || in_inline_code(line, whole.start()) {
            return None;
        }
        if let Some(tag) = c.name("tag") {
            let name = tag.as_str().trim().to_ascii_lowercase();
            if HTML.contains(&name.as_str())
                || !name.contains(' ') && !name.contains('_') && !name.contains('-')
            {
                return None; // <br>, <foo>: markup, not a "<service name>" blank
            }
        }
        // ` @name` is matched with the space or bracket before it.
        let found = whole.as_str().trim_start_matches([' ', '\t', '(']);
        Some((whole.end() - found.len(), found))
    })
}

#[cfg(test)]
mod tests {

    /// The way sentences were split before `split_sentences`: one `first_sentences` at a
    /// time (quadratic on long paragraphs), kept as the oracle.
    fn sentences_one_at_a_time(folded: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut rest = folded.to_string();
        while !rest.is_empty() {
            let first = first_sentences(&rest, 1);
            if first.is_empty() {
                break;
            }
            let used = first.len().min(rest.len());
            out.push(first);
            rest = rest[used..].trim().to_string();
        }
        out
    }

    #[test]
    fn splitting_sentences_in_one_pass_matches_one_at_a_time() {
        let mut texts: Vec<String> = [
            "One. Two! Three? Four",
            "e.g. this stays. v1.2 too. (Aside.) Next one.",
            "A. B. C.",
            "Ends with a dot.",
            "Paren (see x). Then [y]. 2 sentences.",
            "",
            "No end",
            "Ünïcode. Ärger. 3 eggs.",
        ]
        .map(String::from)
        .to_vec();
        // And random ones from the characters that matter, from a fixed seed.
        let alphabet: Vec<char> = "aA. !?)]1ÉéZ ".chars().collect();
        let mut seed = 0x2545_f491_u64;
        for _ in 0..2_000 {
            let len = (seed % 40) as usize;
            let text: String = (0..len)
                .map(|_| {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    alphabet[(seed >> 33) as usize % alphabet.len()]
                })
                .collect();
            texts.push(text.split_whitespace().collect::<Vec<_>>().join(" "));
        }
        for text in texts {
            let one_pass: Vec<String> = split_sentences(&text)
                .into_iter()
                .map(String::from)
                .collect();
            assert_eq!(one_pass, sentences_one_at_a_time(&text), "{text:?}");
        }
    }
    use super::*;

    #[test]
    fn plain_text_drops_markup() {
        assert_eq!(
            plain_text("**Root:** a [link](http://x) and `code`\n\n- one\n- two"),
            "Root: a link and code\n- one\n- two"
        );
    }

    #[test]
    fn summaries_are_clipped_between_words() {
        let short = "The replica fell behind.";
        assert_eq!(clip_summary(short), short);
        let exact = "x".repeat(SUMMARY_LIMIT);
        assert_eq!(clip_summary(&exact), exact);
        let log = "retrying connection to db ".repeat(1000);
        let clipped = first_sentences(&log, 2);
        let body = clipped.strip_suffix('…').expect("marked as clipped");
        assert!(body.chars().count() <= SUMMARY_LIMIT, "{}", body.len());
        assert!(body.len() > SUMMARY_LIMIT - 20, "{}", body.len());
        assert!(
            log.starts_with(&format!("{body} ")),
            "ends between words: {body}"
        );
        // One unbroken word is cut at the limit; multi-byte text is cut between characters.
        let word = "é".repeat(SUMMARY_LIMIT * 2);
        assert_eq!(clip_summary(&word).chars().count(), SUMMARY_LIMIT + 1);
        // A word that ends exactly at the limit is kept whole.
        let edge = format!("{} tail", "a".repeat(SUMMARY_LIMIT));
        assert_eq!(
            clip_summary(&edge),
            format!("{}…", "a".repeat(SUMMARY_LIMIT))
        );
    }

    #[test]
    fn first_sentences_stop_at_sentence_ends() {
        let text = "The DB index was missing. Traffic grew, e.g. from bots. Then it failed.";
        assert_eq!(first_sentences(text, 1), "The DB index was missing.");
        assert_eq!(
            first_sentences(text, 2),
            "The DB index was missing. Traffic grew, e.g. from bots."
        );
        assert_eq!(first_sentences("no end", 2), "no end");
    }

    #[test]
    fn placeholders_in_lines() {
        assert_eq!(
            find_placeholder("**Date:** [insert date]"),
            Some((10, "[insert date]"))
        );
        assert_eq!(
            find_placeholder("| HH:mm | Issue detected |"),
            Some((2, "HH:mm"))
        );
        assert_eq!(
            find_placeholder("# Postmortem: <service name> outage"),
            Some((14, "<service name>"))
        );
        assert_eq!(find_placeholder("line one<br>"), None);
        assert_eq!(find_placeholder("Owner: TBD"), Some((7, "TBD")));
        assert_eq!(
            find_placeholder("Fix it. Owner: @name"),
            Some((15, "@name"))
        );
        assert_eq!(find_placeholder("ping @alice or mail ops@name.org"), None);
        assert_eq!(find_placeholder("We fixed it at 10:30."), None);
    }

    #[test]
    fn fences_and_inline_code() {
        // What is a fence is the outline's to say (one reading of the markdown).
        use crate::parse::outline::MarkdownOutline;
        let is_fence =
            |line: &str| MarkdownOutline::new(&format!("Text\n\n{line}\n"), 1).is_code(3);
        assert!(is_fence("```"));
        assert!(is_fence("```rust"));
        assert!(is_fence("~~~"));
        assert!(!is_fence("```cat var/log/nginx/error.log```"));
        let after_text = MarkdownOutline::new("Text\n    ```\n", 1);
        assert!(
            !after_text.is_code(2),
            "an indented line after text continues it"
        );
    }

    #[test]
    fn placeholders() {
        for p in [
            "TBD",
            "HH:mm",
            "[insert date]",
            "<service name>",
            "?",
            "YYYY-MM-DD HH:MM",
            "@name",
            "TBD: who was affected",
            "**TODO** - fill in the impact",
        ] {
            assert!(is_placeholder(p), "{p}");
        }
        for value in [
            "June 7, 2024",
            "@alice",
            "TBD: the team will decide on the migration plan after the review next week",
        ] {
            assert!(!is_placeholder(value), "{value}");
        }
    }
}
