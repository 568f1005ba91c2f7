//! Markdown to HTML for section bodies, timeline entries and tasks.

use std::collections::HashSet;
use std::sync::LazyLock;

use pulldown_cmark::{html, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

pub use crate::config::RawHtml;
use crate::index::mentions::id_words;

fn options() -> Options {
    // The dialect the extractors read, so a page shows what the facts came from.
    crate::parse::outline::markdown_options()
}

/// Finds the link for a word of text (an incident id), or `None`.
pub type Linker<'a> = dyn Fn(&str) -> Option<String> + 'a;

/// How this site turns markdown into HTML: which words become links to other incidents,
/// which links and images point at files copied into the site, and what raw HTML
/// written in a postmortem becomes.
#[derive(Clone, Copy)]
pub struct Markdown<'a> {
    /// `None` when no word can be a link (the incident names no other incident).
    pub link: Option<&'a Linker<'a>>,
    /// The site link for a link or image destination as written, when it is an
    /// attachment (`img/lag.png` -> `../../files/2024/img/lag.png`).
    pub file: &'a Linker<'a>,
    pub raw_html: RawHtml,
}

impl Markdown<'static> {
    /// No links; raw HTML shown as text.
    pub fn plain() -> Markdown<'static> {
        Self::unlinked(RawHtml::Escape)
    }

    /// No links; raw HTML as `raw_html` says.
    pub fn unlinked(raw_html: RawHtml) -> Markdown<'static> {
        Markdown {
            link: None,
            file: &|_: &str| None,
            raw_html,
        }
    }
}

impl Markdown<'_> {
    /// A block of markdown. Headings inside a section are at least `<h4>`, below the
    /// page's own `<h1>`-`<h3>`.
    pub fn block(&self, markdown: &str) -> String {
        render_block_with(markdown, self)
    }

    /// One line of markdown, without the surrounding `<p>`.
    pub fn inline(&self, markdown: &str) -> String {
        render_inline_with(markdown, self)
    }
}

/// A line that starts a fact of its own: `Start: ...`, `Root Cause: ...`,
/// `10:30 AM: ...`, `2024-06-07 ...`, `07/15/2025 - 10:05 ...`.
static FACT_LINE: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r"^(?:[A-Z][\w()/&'-]*(?: [\w()/&'-]+){0,4}:(?:\s|$)|\d{1,4}[/:.-]\d|#)")
        .unwrap()
});

/// A line break inside a paragraph is a space, as markdown says, where it wraps a
/// sentence. Postmortems also put one fact or item per line without a blank line
/// between ("Start: ...", "End: ...", one task per line): a break after a line that
/// ends a sentence or a label, or before a line that starts a fact (or bold text, or
/// code), stays a line break.
fn keep_fact_lines<'a>(events: impl Iterator<Item = Event<'a>>) -> impl Iterator<Item = Event<'a>> {
    let mut events = events.peekable();
    let mut line_ends_a_sentence = false;
    std::iter::from_fn(move || {
        let event = events.next()?;
        match &event {
            Event::Text(text) | Event::Code(text) => {
                line_ends_a_sentence = text.trim_end().ends_with(['.', ':', '!', '?', ';', ')'])
            }
            Event::End(TagEnd::Strong | TagEnd::Emphasis | TagEnd::Link) => {
                line_ends_a_sentence = false
            }
            Event::SoftBreak => {
                let keep = line_ends_a_sentence
                    || match events.peek() {
                        Some(Event::Text(text)) => FACT_LINE.is_match(text),
                        Some(Event::Start(Tag::Strong)) | Some(Event::Code(_)) => true,
                        _ => false,
                    };
                line_ends_a_sentence = false;
                return Some(if keep { Event::HardBreak } else { event });
            }
            _ => {}
        }
        Some(event)
    })
}

/// An image written with no alt text (`![](https://host/graph.png)`) gets its file name
/// as the text, "image: graph.png": a remote image is shown as a link, which would
/// otherwise be empty and invisible, and a copied one gets alt text a reader can hear.
fn label_unlabelled_images<'a>(
    events: impl Iterator<Item = Event<'a>>,
) -> impl Iterator<Item = Event<'a>> {
    let mut events = events.peekable();
    let mut label: Option<Event<'a>> = None;
    std::iter::from_fn(move || {
        if let Some(text) = label.take() {
            return Some(text);
        }
        let event = events.next()?;
        if let Event::Start(Tag::Image { dest_url, .. }) = &event {
            if matches!(events.peek(), Some(Event::End(TagEnd::Image))) {
                let path = dest_url.split(['?', '#']).next().unwrap_or_default();
                let name = path
                    .trim_end_matches('/')
                    .rsplit('/')
                    .next()
                    .unwrap_or_default();
                let name = if name.is_empty() { "image" } else { name };
                label = Some(Event::Text(format!("image: {name}").into()));
            }
        }
        Some(event)
    })
}

/// Renders a block of markdown with no links and raw HTML shown as text.
pub fn render_block(markdown: &str) -> String {
    Markdown::plain().block(markdown)
}

fn render_block_with(markdown: &str, style: &Markdown) -> String {
    let link = style.link;
    let mut raw_html_seen = false;
    // For each open image: whether it was turned into a link.
    let mut images_made_links: Vec<bool> = Vec::new();
    // The copies markdown images now show, not to be looked up again below.
    let mut copied_images: HashSet<String> = HashSet::new();
    let events = label_unlabelled_images(keep_fact_lines(Parser::new_ext(markdown, options())))
        .map(|event| match event {
            Event::Html(raw) | Event::InlineHtml(raw) => match style.raw_html {
                RawHtml::Escape => Event::Text(raw),
                RawHtml::Sanitize | RawHtml::Allow => {
                    raw_html_seen = true;
                    Event::Html(raw)
                }
            },
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
            // Links and images to files copied into the site point at the copies.
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Link {
                link_type,
                dest_url: (style.file)(&dest_url).map_or_else(|| safe_url(dest_url), CowStr::from),
                title,
                id,
            }),
            // Any other image would be fetched from wherever it points; the site loads
            // nothing from outside, so those images become links to them.
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let copied = (style.file)(&dest_url);
                images_made_links.push(copied.is_none());
                match copied {
                    Some(href) => {
                        copied_images.insert(href.clone());
                        Event::Start(Tag::Image {
                            link_type,
                            dest_url: href.into(),
                            title,
                            id,
                        })
                    }
                    None => Event::Start(Tag::Link {
                        link_type,
                        dest_url: safe_url(dest_url),
                        title,
                        id,
                    }),
                }
            }
            Event::End(TagEnd::Image) => match images_made_links.pop() {
                Some(false) => Event::End(TagEnd::Image),
                _ => Event::End(TagEnd::Link),
            },
            other => other,
        });
    // After the safety step above, so the links made here are the only raw HTML.
    let mut link_depth = 0usize;
    let events = events.flat_map(|event| {
        match &event {
            Event::Start(Tag::Link { .. }) => link_depth += 1,
            Event::End(TagEnd::Link) => link_depth = link_depth.saturating_sub(1),
            Event::Text(text) if link_depth == 0 => {
                if let Some(link) = link {
                    return link_words(text, link);
                }
            }
            _ => {}
        }
        vec![event]
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events);
    // Only text with raw HTML in it pays for the sanitiser's parse.
    if raw_html_seen && style.raw_html == RawHtml::Sanitize {
        out = SANITIZER.clean(&out).to_string();
        out = link_raw_images(out, style.file, &copied_images);
    }
    out
}

/// `<img src="img/lag.png" width="600">` written as raw HTML: its `src`, relative to the
/// postmortem like a markdown image's, leads to the copied file. The sanitiser has
/// already written every tag the same way (`src="..."`, double quotes, `&amp;`), so a
/// pattern finds them all; the markdown images among them (`done`) are left alone.
fn link_raw_images(html: String, file: &Linker, done: &HashSet<String>) -> String {
    static IMG_SRC: LazyLock<regex::Regex> =
        LazyLock::new(|| regex::Regex::new(r#"(<img\b[^>]*?\bsrc=")([^"]*)""#).unwrap());
    if !html.contains("<img") {
        return html;
    }
    IMG_SRC
        .replace_all(&html, |caps: &regex::Captures| {
            let written = caps[2].replace("&amp;", "&");
            if done.contains(&written) {
                return caps[0].to_string();
            }
            match file(&written) {
                Some(href) => format!("{}{}\"", &caps[1], crate::render::theme::escape_html(&href)),
                None => caps[0].to_string(),
            }
        })
        .into_owned()
}

/// What sanitised raw HTML may keep: ammonia's defaults (formatting, lists, tables,
/// `<details>`, `<kbd>`, links with safe schemes), with images only from inside the
/// site (a relative `src`: the attachments pmsite copied); plus what pulldown-cmark
/// itself writes (ids and classes of footnotes and mentions, task-list checkboxes,
/// table alignment).
static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .rm_tags(["area", "map"])
        .add_tags(["input"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        // Task-list boxes are the only inputs: any other becomes one, inert.
        .set_tag_attribute_value("input", "type", "checkbox")
        .set_tag_attribute_value("input", "disabled", "")
        .add_tag_attributes("th", ["style"])
        .add_tag_attributes("td", ["style"])
        .add_generic_attributes(["id", "class"])
        .link_rel(None)
        .attribute_filter(|element, attribute, value| match (element, attribute) {
            // Table alignment is the only style that survives.
            ("th" | "td", "style") => {
                let aligned = [
                    "text-align: left",
                    "text-align: center",
                    "text-align: right",
                ];
                aligned.contains(&value).then_some(value.into())
            }
            ("img", "src") => {
                let local = !value.contains(':') && !value.starts_with("//");
                local.then_some(value.into())
            }
            ("input", "type") => Some("checkbox".into()),
            ("input", "disabled") => Some("".into()),
            _ => Some(value.into()),
        });
    builder.clean_content_tags(HashSet::from(["script", "style", "template"]));
    builder
});

/// Renders one line of markdown without the surrounding `<p>`, with no links and raw
/// HTML shown as text.
pub fn render_inline(markdown: &str) -> String {
    Markdown::plain().inline(markdown)
}

fn render_inline_with(markdown: &str, style: &Markdown) -> String {
    let link = style.link;
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
        && !link.is_some_and(|link| id_words(markdown).any(|(_, w)| link(w).is_some()));
    if plain {
        return crate::render::theme::escape_html(markdown.trim());
    }
    let html = render_block_with(markdown, style);
    let trimmed = html.trim_end();
    match trimmed
        .strip_prefix("<p>")
        .and_then(|rest| rest.strip_suffix("</p>"))
    {
        Some(inner) if !inner.contains("<p>") => inner.to_string(),
        _ => trimmed.to_string(),
    }
}

/// Splits text into plain runs and links for the words `link` knows.
fn link_words<'a>(text: &CowStr<'a>, link: &Linker) -> Vec<Event<'a>> {
    let mut events = Vec::new();
    let mut last = 0;
    for (start, word) in id_words(text) {
        let Some(href) = link(word) else {
            continue;
        };
        if start > last {
            events.push(Event::Text(CowStr::from(text[last..start].to_string())));
        }
        let anchor = format!(
            "<a class=\"mention\" href=\"{}\">{}</a>",
            crate::render::theme::escape_html(&href),
            crate::render::theme::escape_html(word)
        );
        events.push(Event::InlineHtml(CowStr::from(anchor)));
        last = start + word.len();
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

    fn sanitized(markdown: &str) -> String {
        Markdown::unlinked(RawHtml::Sanitize).block(markdown)
    }

    #[test]
    fn raw_html_is_sanitised_by_default_keeping_formatting() {
        let html = sanitized(concat!(
            "Before <b>bold</b> and <kbd>Ctrl</kbd>.\n\n",
            "<details><summary>Logs</summary>\n\n`x`\n\n</details>\n\n",
            "<script>alert(1)</script>\n\n",
            "<div onclick=\"alert(2)\" style=\"position:fixed;inset:0\">covered</div>\n\n",
            "<a href=\"javascript:alert(3)\">click</a> <img src=x onerror=alert(4)>\n\n",
            "<iframe src=\"https://evil.example\"></iframe><style>body{display:none}</style>\n\n",
            "<svg onload=alert(5)><circle/></svg> <form action=x><input type=text></form>\n",
        ));
        for kept in [
            "<b>bold</b>",
            "<kbd>Ctrl</kbd>",
            "<details><summary>Logs</summary>",
            "<code>x</code>",
            "<div>covered</div>",
            "<a>click</a>",
            // A relative image stays (it can only load from the site itself).
            "<img src=\"x\">",
        ] {
            assert!(html.contains(kept), "{kept} in {html}");
        }
        for gone in [
            "<script",
            "alert",
            "onclick",
            "style",
            "javascript",
            "onerror",
            "<iframe",
            "<svg",
            "<form",
            "type=\"text\"",
        ] {
            assert!(!html.contains(gone), "{gone} in {html}");
        }
        assert_eq!(RawHtml::default(), RawHtml::Sanitize);
    }

    #[test]
    fn sanitising_keeps_what_markdown_itself_writes() {
        let link = |word: &str| (word == "INC-7").then(|| "../inc-7/".to_string());
        let style = Markdown {
            link: Some(&link),
            file: &|_: &str| None,
            raw_html: RawHtml::Sanitize,
        };
        let html = style.block(concat!(
            "<b>Note</b>: see INC-7.[^1]\n\n",
            "| a | b |\n|:--|--:|\n| 1 | 2 |\n\n- [x] done\n\n[^1]: A footnote.\n",
        ));
        for kept in [
            "<a class=\"mention\" href=\"../inc-7/\">INC-7</a>",
            "style=\"text-align: left\"",
            "style=\"text-align: right\"",
            "type=\"checkbox\"",
            "class=\"footnote-definition\"",
        ] {
            assert!(html.contains(kept), "{kept} in {html}");
        }
    }

    #[test]
    fn raw_html_can_be_escaped_or_trusted() {
        let text = "<b>bold</b> <script>x()</script>\n";
        let escaped = Markdown::unlinked(RawHtml::Escape).block(text);
        assert!(escaped.contains("&lt;b&gt;bold&lt;/b&gt;"), "{escaped}");
        let trusted = Markdown::unlinked(RawHtml::Allow).block(text);
        assert!(trusted.contains("<script>x()</script>"), "{trusted}");
    }

    #[test]
    fn script_urls_are_defused() {
        let html = render_block("[x](javascript:alert(1)) [y]( JavaScript:alert(1))");
        assert!(!html.to_lowercase().contains("javascript:"), "{html}");
    }

    #[test]
    fn images_without_alt_text_are_labelled_by_their_file_name() {
        let html = render_block("![](https://example.com/graphs/lag.png?x=1)\n");
        assert!(html.contains(">image: lag.png</a>"), "{html}");
        let html = render_block("![Replication lag](https://example.com/lag.png)\n");
        assert!(html.contains(">Replication lag</a>"), "{html}");
    }

    #[test]
    fn fact_lines_stay_lines_and_wrapped_prose_joins_up() {
        assert_eq!(
            render_block("Start: 10:30\nEnd: 12:00\n").trim(),
            "<p>Start: 10:30<br />\nEnd: 12:00</p>"
        );
        assert_eq!(
            render_block("Summary\n**Duration:** 2 hours\n10:30 AM: paged\n").trim(),
            "<p>Summary<br />\n<strong>Duration:</strong> 2 hours<br />\n10:30 AM: paged</p>"
        );
        // A sentence wrapped in the source is one line on the page; one item per line
        // stays one per line.
        assert_eq!(
            render_block("The cache filled up and\nthe site went down.\nWe paged the\nteam and it helped.\n").trim(),
            "<p>The cache filled up and\nthe site went down.<br />\nWe paged the\nteam and it helped.</p>"
        );
        assert_eq!(
            render_block("07/15/2025 - 10:05 - deployed\n07/15/2025 - 10:12 - timeouts\n").trim(),
            "<p>07/15/2025 - 10:05 - deployed<br />\n07/15/2025 - 10:12 - timeouts</p>"
        );
        // Markdown's own hard break still breaks.
        assert!(render_block("one  \ntwo\n").contains("<br />"));
    }

    #[test]
    fn known_words_become_links_but_not_inside_links_or_code() {
        let link =
            |word: &str| (word.eq_ignore_ascii_case("inc-7")).then(|| "../inc-7/".to_string());
        let html = Markdown {
            link: Some(&link),
            file: &|_: &str| None,
            raw_html: RawHtml::Escape,
        }
        .block("Same as INC-7, see [inc-7](x) and `inc-7`. <b>inc-7</b>\n");
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
    fn images_and_links_to_copied_files_point_at_the_copies() {
        let file = |dest: &str| {
            (dest == "img/lag.png").then(|| "../../files/2024/img/lag.png".to_string())
        };
        let style = |raw_html| Markdown {
            link: None,
            file: &file,
            raw_html,
        };
        let markdown = "![Replica lag](img/lag.png \"lag\") ![remote](https://example.com/x.png) [the graph](img/lag.png)\n";
        for raw_html in [RawHtml::Sanitize, RawHtml::Escape] {
            let html = style(raw_html).block(markdown);
            assert!(
                html.contains("<img src=\"../../files/2024/img/lag.png\" alt=\"Replica lag\" title=\"lag\" />"),
                "{html}"
            );
            assert!(
                html.contains("<a href=\"https://example.com/x.png\">remote</a>"),
                "{html}"
            );
            assert!(
                html.contains("<a href=\"../../files/2024/img/lag.png\">the graph</a>"),
                "{html}"
            );
        }
        // With raw HTML in the block the sanitiser runs: the copied image stays, images
        // from elsewhere and script URLs go.
        let html = style(RawHtml::Sanitize).block(&format!(
            "{markdown}\n<img src=\"https://tracker.example/p.gif\"> <img src=\"javascript:alert(1)\" onerror=\"alert(2)\"> <b>raw</b>\n"
        ));
        assert!(
            html.contains("<img src=\"../../files/2024/img/lag.png\""),
            "{html}"
        );
        assert!(
            !html.contains("tracker.example")
                && !html.contains("javascript")
                && !html.contains("onerror"),
            "{html}"
        );
        // A copy's own address is not looked up again, even where it would resolve.
        let resolve_all = |dest: &str| Some(format!("copy-of/{dest}"));
        let html = Markdown {
            link: None,
            file: &resolve_all,
            raw_html: RawHtml::Sanitize,
        }
        .block("![a](a.png) <b>raw</b>\n");
        assert!(html.contains("<img src=\"copy-of/a.png\""), "{html}");
        // An image written as raw HTML, to size it, finds the copy too.
        let html = style(RawHtml::Sanitize)
            .block("<img width=\"600\" src=\"img/lag.png\" alt=\"Lag\"> <img src=\"other.png\">\n");
        assert!(
            html.contains("src=\"../../files/2024/img/lag.png\""),
            "{html}"
        );
        assert!(html.contains("width=\"600\""), "{html}");
        assert!(html.contains("<img src=\"other.png\">"), "{html}");
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
