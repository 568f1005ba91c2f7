//! Markdown to HTML for section bodies, timeline entries and tasks.

use pulldown_cmark::{html, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
}

/// Renders a block of markdown. Raw HTML is shown as text, never passed through, so no
/// postmortem can put script into a page. Headings inside a section are at least `<h4>`,
/// below the page's own `<h1>`-`<h3>`.
pub fn render_block(markdown: &str) -> String {
    render_block_linking(markdown, &|_: &str| None)
}

/// Finds the link for a word of text (an incident id), or `None`.
pub type Linker<'a> = dyn Fn(&str) -> Option<String> + 'a;

/// `render_block`, with words that `link` knows (other incidents' ids) made into links,
/// outside links and code.
pub fn render_block_linking(markdown: &str, link: &Linker) -> String {
    let events = Parser::new_ext(markdown, options()).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        // Postmortems put one fact per line ("Start: ...", "End: ..."); keep the lines.
        Event::SoftBreak => Event::HardBreak,
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Event::Start(Tag::Heading {
            level: demote(level),
            id,
            classes,
            attrs,
        }),
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(demote(level))),
        // An image would be fetched from wherever it points; the site loads nothing
        // from outside, so images become links to them.
        Event::Start(
            Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }
            | Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            },
        ) => Event::Start(Tag::Link {
            link_type,
            dest_url: safe_url(dest_url),
            title,
            id,
        }),
        Event::End(TagEnd::Image) => Event::End(TagEnd::Link),
        other => other,
    });
    // After the safety step above, so the links made here are the only raw HTML.
    let mut link_depth = 0usize;
    let events = events.flat_map(|event| {
        match &event {
            Event::Start(Tag::Link { .. }) => link_depth += 1,
            Event::End(TagEnd::Link) => link_depth = link_depth.saturating_sub(1),
            Event::Text(text) if link_depth == 0 => return link_words(text, link),
            _ => {}
        }
        vec![event]
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events);
    out
}

/// Renders one line of markdown without the surrounding `<p>`.
pub fn render_inline(markdown: &str) -> String {
    render_inline_linking(markdown, &|_: &str| None)
}

/// `render_inline`, with the words `link` knows made into links.
pub fn render_inline_linking(markdown: &str, link: &Linker) -> String {
    // Most timeline entries and tasks are plain sentences: escaping is all they need.
    let plain = !markdown.bytes().any(|b| {
        matches!(
            b,
            b'*' | b'_'
                | b'`'
                | b'['
                | b'<'
                | b'>'
                | b'&'
                | b'\\'
                | b'!'
                | b'~'
                | b'#'
                | b'|'
                | b'\n'
        )
    }) && !markdown
        .starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '+' || c == '=')
        && !WORD.find_iter(markdown).any(|w| link(w.as_str()).is_some());
    if plain {
        return crate::render::theme::escape_html(markdown.trim());
    }
    let html = render_block_linking(markdown, link);
    let trimmed = html.trim_end();
    match trimmed
        .strip_prefix("<p>")
        .and_then(|rest| rest.strip_suffix("</p>"))
    {
        Some(inner) if !inner.contains("<p>") => inner.to_string(),
        _ => trimmed.to_string(),
    }
}

/// Words that could be ids.
static WORD: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"[A-Za-z0-9][A-Za-z0-9_-]*[A-Za-z0-9]").unwrap()
});

/// Splits text into plain runs and links for the words `link` knows.
fn link_words<'a>(text: &CowStr<'a>, link: &Linker) -> Vec<Event<'a>> {
    let mut events = Vec::new();
    let mut last = 0;
    for word in WORD.find_iter(text) {
        let Some(href) = link(word.as_str()) else {
            continue;
        };
        if word.start() > last {
            events.push(Event::Text(CowStr::from(
                text[last..word.start()].to_string(),
            )));
        }
        let anchor = format!(
            "<a class=\"mention\" href=\"{}\">{}</a>",
            crate::render::theme::escape_html(&href),
            crate::render::theme::escape_html(word.as_str())
        );
        events.push(Event::InlineHtml(CowStr::from(anchor)));
        last = word.end();
    }
    if last == 0 {
        return vec![Event::Text(text.clone())];
    }
    if last < text.len() {
        events.push(Event::Text(CowStr::from(text[last..].to_string())));
    }
    events
}

fn demote(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 | HeadingLevel::H2 | HeadingLevel::H3 | HeadingLevel::H4 => {
            HeadingLevel::H4
        }
        HeadingLevel::H5 => HeadingLevel::H5,
        HeadingLevel::H6 => HeadingLevel::H6,
    }
}

/// `javascript:`, `vbscript:` and `data:` links become inert.
fn safe_url(url: CowStr<'_>) -> CowStr<'_> {
    let lowered: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    if ["javascript:", "vbscript:", "data:"]
        .iter()
        .any(|scheme| lowered.starts_with(scheme))
    {
        CowStr::Borrowed("#")
    } else {
        url
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_is_shown_not_run() {
        let html = render_block("hello <script>alert(1)</script>\n\n<div onclick=x>hi</div>\n");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<div"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn script_urls_are_defused() {
        let html = render_block("[x](javascript:alert(1)) [y]( JavaScript:alert(1))");
        assert!(!html.to_lowercase().contains("javascript:"), "{html}");
    }

    #[test]
    fn lines_of_a_paragraph_stay_lines() {
        assert_eq!(
            render_block("Start: 10:30\nEnd: 12:00\n").trim(),
            "<p>Start: 10:30<br />\nEnd: 12:00</p>"
        );
    }

    #[test]
    fn known_words_become_links_but_not_inside_links_or_code() {
        let link =
            |word: &str| (word.eq_ignore_ascii_case("inc-7")).then(|| "../inc-7/".to_string());
        let html = render_block_linking(
            "Same as INC-7, see [inc-7](x) and `inc-7`. <b>inc-7</b>\n",
            &link,
        );
        assert!(
            html.contains("<a class=\"mention\" href=\"../inc-7/\">INC-7</a>"),
            "{html}"
        );
        assert_eq!(
            html.matches("class=\"mention\"").count(),
            2,
            "not in the link or the code span: {html}"
        );
        assert!(
            html.contains("&lt;b&gt;"),
            "raw HTML still shown as text: {html}"
        );
    }

    #[test]
    fn images_become_links() {
        let html = render_block("![diagram](https://example.com/x.png)");
        assert!(!html.contains("<img"), "{html}");
        assert!(
            html.contains("<a href=\"https://example.com/x.png\">diagram</a>"),
            "{html}"
        );
    }

    #[test]
    fn headings_are_demoted_and_inline_drops_paragraph() {
        assert_eq!(render_block("# Big\n").trim(), "<h4>Big</h4>");
        assert_eq!(
            render_inline("**Index** created"),
            "<strong>Index</strong> created"
        );
    }

    #[test]
    fn plain_inline_text_takes_the_fast_path_with_the_same_result() {
        for text in [
            "Rollback started; no change.",
            "Alert fired (p99 > 2s)",
            "It's \"fine\"",
            "Use a & b",
        ] {
            let slow = {
                let html = render_block(text);
                html.trim_end()
                    .strip_prefix("<p>")
                    .unwrap()
                    .strip_suffix("</p>")
                    .unwrap()
                    .to_string()
            };
            assert_eq!(
                render_inline(text),
                slow.replace("&quot;", "\"")
                    .replace("\"", "&quot;")
                    .replace("'", "&#39;"),
                "{text}"
            );
        }
    }

    #[test]
    fn tables_and_task_lists_render() {
        let html = render_block("| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n");
        assert!(
            html.contains("<table>") && html.contains("checkbox"),
            "{html}"
        );
    }
}
