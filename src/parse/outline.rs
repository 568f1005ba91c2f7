//! The markdown outline: one pulldown-cmark pass over a file's body that says what each
//! line is (heading, list item, table row, code, ...). The extractors read lines through
//! it, so they agree with the rendered page on what is code: a task, a timestamp or a
//! `TBD` inside a fenced or indented code block is shown as code and never read as a fact.

use std::ops::Range;

use crate::model::section::LineRole;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// The markdown dialect pmsite reads and renders: CommonMark with GitHub's tables, task
/// lists, strikethrough and footnotes.
pub fn markdown_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
}

/// A table: its rows of cell texts (markup removed), the header first, and its lines.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    pub rows: Vec<Vec<String>>,
    /// 1-based file lines of the rows, parallel to `rows` (the delimiter row has none).
    pub row_lines: Vec<usize>,
}

/// The outline of a body: a role per line, and the tables.
#[derive(Debug, Clone, Default)]
pub struct MarkdownOutline {
    /// 1-based file line of the body's first line.
    first_line: usize,
    roles: Vec<LineRole>,
    pub tables: Vec<Table>,
}

impl MarkdownOutline {
    /// Reads `body`, whose first line is file line `first_line`.
    pub fn new(body: &str, first_line: usize) -> Self {
        let starts = line_starts(body);
        let line_of = |offset: usize| starts.partition_point(|&s| s <= offset).saturating_sub(1);
        let mut roles = vec![LineRole::Blank; starts.len()];
        let mut tables = Vec::new();
        let mut list_depth: Option<u8> = None;
        let mut depth_stack: Vec<Option<u8>> = Vec::new();
        let mut quote_depth = 0usize;
        let mut table: Option<Table> = None;
        let mut cell: Option<String> = None;
        let mut in_code = false;

        let mark = |roles: &mut Vec<LineRole>, range: &Range<usize>, role: LineRole| {
            let (first, last) = span_lines(range, &line_of, body.len());
            for r in &mut roles[first..=last.min(starts.len() - 1)] {
                *r = role;
            }
        };

        for (event, range) in Parser::new_ext(body, markdown_options()).into_offset_iter() {
            match event {
                Event::Start(Tag::List(_)) => {
                    depth_stack.push(list_depth);
                    list_depth = Some(list_depth.map_or(0, |d| d.saturating_add(1)));
                }
                Event::End(TagEnd::List(_)) => list_depth = depth_stack.pop().flatten(),
                Event::Start(Tag::Item) => {
                    let depth = list_depth.unwrap_or(0);
                    // Only lines no deeper item or block claims later: inner blocks
                    // overwrite their own lines as they come.
                    let (first, last) = span_lines(&range, &line_of, body.len());
                    for (i, r) in roles[first..=last.min(starts.len() - 1)]
                        .iter_mut()
                        .enumerate()
                    {
                        *r = LineRole::ListItem {
                            depth,
                            marker: i == 0,
                        };
                    }
                }
                Event::Start(Tag::BlockQuote(_)) => {
                    quote_depth += 1;
                    if list_depth.is_none() {
                        mark(&mut roles, &range, LineRole::Quote);
                    }
                }
                Event::End(TagEnd::BlockQuote(_)) => quote_depth = quote_depth.saturating_sub(1),
                Event::Start(Tag::Paragraph) if list_depth.is_none() && quote_depth == 0 => {
                    mark(&mut roles, &range, LineRole::Paragraph);
                }
                Event::Start(Tag::Heading { level, .. }) => {
                    mark(&mut roles, &range, LineRole::Heading(heading_level(level)));
                }
                Event::Start(Tag::CodeBlock(_)) => {
                    in_code = true;
                    mark(&mut roles, &range, LineRole::Code);
                }
                Event::End(TagEnd::CodeBlock) => in_code = false,
                Event::Html(_) if !in_code => mark(&mut roles, &range, LineRole::Html),
                Event::Start(Tag::HtmlBlock) => mark(&mut roles, &range, LineRole::Html),
                Event::Rule => mark(&mut roles, &range, LineRole::Rule),
                Event::Start(Tag::Table(_)) => {
                    mark(&mut roles, &range, LineRole::Table);
                    table = Some(Table::default());
                }
                Event::End(TagEnd::Table) => tables.extend(table.take()),
                Event::Start(Tag::TableHead | Tag::TableRow) => {
                    if let Some(t) = table.as_mut() {
                        t.rows.push(Vec::new());
                        t.row_lines.push(first_line + line_of(range.start));
                    }
                }
                Event::Start(Tag::TableCell) => cell = Some(String::new()),
                Event::End(TagEnd::TableCell) => {
                    if let (Some(t), Some(text)) = (table.as_mut(), cell.take()) {
                        if let Some(row) = t.rows.last_mut() {
                            row.push(text.trim().to_string());
                        }
                    }
                }
                Event::Text(text) | Event::Code(text) => {
                    if let Some(c) = cell.as_mut() {
                        c.push_str(&text);
                    }
                }
                Event::SoftBreak | Event::HardBreak => {
                    if let Some(c) = cell.as_mut() {
                        c.push(' ');
                    }
                }
                _ => {}
            }
        }
        // A blank line inside a block is still blank to a reader of lines.
        for (i, role) in roles.iter_mut().enumerate() {
            if *role != LineRole::Code && line_text(body, &starts, i).trim().is_empty() {
                *role = LineRole::Blank;
            }
        }
        MarkdownOutline {
            first_line,
            roles,
            tables,
        }
    }

    /// The role of 1-based file line `line` (`Blank` outside the body).
    pub fn role(&self, line: usize) -> LineRole {
        line.checked_sub(self.first_line)
            .and_then(|i| self.roles.get(i))
            .copied()
            .unwrap_or_default()
    }

    /// Whether file line `line` is inside a code block or raw HTML.
    pub fn is_code(&self, line: usize) -> bool {
        self.role(line).is_code()
    }

    /// The roles of `count` lines from file line `from`, for a section cut from the body.
    pub fn roles_of(&self, from: usize, count: usize) -> Vec<LineRole> {
        (from..from + count).map(|l| self.role(l)).collect()
    }
}

/// Byte offsets where each line of `text` starts.
fn line_starts(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    starts.extend(
        text.bytes()
            .enumerate()
            .filter(|(_, b)| *b == b'\n')
            .map(|(i, _)| i + 1)
            .filter(|&i| i < text.len()),
    );
    starts
}

fn line_text<'a>(text: &'a str, starts: &[usize], index: usize) -> &'a str {
    let end = starts.get(index + 1).copied().unwrap_or(text.len());
    &text[starts[index]..end]
}

/// The 0-based first and last line an event's byte range covers (a range ending just
/// after a newline does not reach the next line).
fn span_lines(
    range: &Range<usize>,
    line_of: &impl Fn(usize) -> usize,
    len: usize,
) -> (usize, usize) {
    let first = line_of(range.start.min(len.saturating_sub(1)));
    let last = line_of(
        range
            .end
            .saturating_sub(1)
            .max(range.start)
            .min(len.saturating_sub(1)),
    );
    (first, last.max(first))
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roles(body: &str) -> Vec<LineRole> {
        let outline = MarkdownOutline::new(body, 1);
        (1..=body.lines().count())
            .map(|l| outline.role(l))
            .collect()
    }

    #[test]
    fn a_longer_fence_wraps_a_shorter_one() {
        let body = "Intro\n\n````md\n```\n- Task 1: fix it\n```\n10:30 AM: paged\n````\n\nAfter\n";
        let r = roles(body);
        assert_eq!(r[0], LineRole::Paragraph);
        assert!(r[2..8].iter().all(|r| *r == LineRole::Code), "{r:?}");
        assert_eq!(r[9], LineRole::Paragraph);
    }

    #[test]
    fn indented_code_and_html_are_code() {
        let r = roles("Text\n\n    Task 1: not a task\n\n<div>\nTBD\n</div>\n");
        assert_eq!(r[2], LineRole::Code);
        assert!(r[4..7].iter().all(|r| r.is_code()), "{r:?}");
    }

    #[test]
    fn list_items_know_their_depth_and_marker() {
        let r = roles("- one\n  wrapped\n  - inner\n- two\n");
        assert_eq!(
            r,
            vec![
                LineRole::ListItem {
                    depth: 0,
                    marker: true
                },
                LineRole::ListItem {
                    depth: 0,
                    marker: false
                },
                LineRole::ListItem {
                    depth: 1,
                    marker: true
                },
                LineRole::ListItem {
                    depth: 0,
                    marker: true
                },
            ]
        );
    }

    #[test]
    fn headings_setext_and_atx() {
        let r = roles("# Title\n\nRoot cause\n----------\n\ntext\n");
        assert_eq!(r[0], LineRole::Heading(1));
        assert_eq!(r[2], LineRole::Heading(2));
        assert_eq!(r[3], LineRole::Heading(2));
        assert_eq!(r[5], LineRole::Paragraph);
    }

    #[test]
    fn tables_have_cells_without_markup() {
        let outline = MarkdownOutline::new(
            "Before\n\n| Customers **Impacted** | Revenue |\n|:---:|---|\n| All | $5k |\n",
            10,
        );
        assert_eq!(outline.role(12), LineRole::Table);
        assert_eq!(outline.role(14), LineRole::Table);
        assert_eq!(
            outline.tables[0].rows,
            vec![
                vec!["Customers Impacted".to_string(), "Revenue".to_string()],
                vec!["All".to_string(), "$5k".to_string()],
            ]
        );
        assert_eq!(outline.tables[0].row_lines, vec![12, 14]);
    }

    #[test]
    fn a_pseudo_heading_is_a_paragraph_line() {
        // `#Issue Summary` is not a heading to CommonMark; the section splitter decides.
        let r = roles("#Issue Summary\nThe site was down.\n");
        assert_eq!(r, vec![LineRole::Paragraph, LineRole::Paragraph]);
    }
}
