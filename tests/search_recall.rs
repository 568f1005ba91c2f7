//! Search recall: every word a reader sees on an incident page finds that incident.
//!
//! The test builds an archive in memory, decodes the search files the browser would load
//! (term files: surface -> term, term -> postings), reads the visible text of each
//! incident page (title, facts, every section, timeline, tasks, code, tables) and checks
//! that each of its words has a posting for the incident. The sample archive and the
//! extraction fixtures are checked word by word; a property test checks random words of
//! generated postmortems.
//!
//! Run with `cargo test -q --test search_recall`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use chrono::NaiveDate;
use pmsite::config::Config;
use pmsite::index::search::tokens::surfaces;
use pmsite::render::{FileContent, RenderedSite};
use pmsite::BuildOptions;
use proptest::prelude::*;
use scraper::{ElementRef, Html, Node, Selector};

/// What the browser can find: the incidents each surface word leads to.
struct DecodedIndex {
    /// Incident id by document number.
    ids: Vec<String>,
    surface_terms: BTreeMap<String, String>,
    postings: BTreeMap<String, BTreeSet<u32>>,
}

impl DecodedIndex {
    fn of(site: &RenderedSite) -> Self {
        let mut index = DecodedIndex {
            ids: Vec::new(),
            surface_terms: BTreeMap::new(),
            postings: BTreeMap::new(),
        };
        let mut docs: BTreeMap<usize, Vec<String>> = BTreeMap::new();
        for (path, content) in &site.files {
            let Some(rest) = path.strip_prefix("search/").filter(|p| p.ends_with(".js")) else {
                continue;
            };
            let data = payload(content);
            if rest.starts_with("terms/") {
                for word in data["w"].as_array().unwrap() {
                    let surface = word[0].as_str().unwrap().to_string();
                    let term = match word[1].as_str().unwrap() {
                        "" => surface.clone(),
                        term => term.to_string(),
                    };
                    index.surface_terms.insert(surface, term);
                }
                for (term, list) in data["p"].as_object().unwrap() {
                    let numbers: Vec<u64> = list
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|n| n.as_u64().unwrap())
                        .collect();
                    let mut doc = 0;
                    let found = index.postings.entry(term.clone()).or_default();
                    for pair in numbers.chunks(2) {
                        doc += pair[0] as u32;
                        found.insert(doc);
                    }
                }
            } else if let Some(file) = rest.strip_prefix("docs/") {
                let number: usize = file.split('.').next().unwrap().parse().unwrap();
                let ids = data
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|d| d[0].as_str().unwrap().to_string())
                    .collect();
                docs.insert(number, ids);
            }
        }
        index.ids = docs.into_values().flatten().collect();
        index
    }

    /// Whether looking `surface` up as the browser does leads to incident `id`.
    fn finds(&self, surface: &str, id: &str) -> bool {
        let Some(doc) = self.ids.iter().position(|i| i == id) else {
            return false;
        };
        self.surface_terms
            .get(surface)
            .and_then(|term| self.postings.get(term))
            .is_some_and(|docs| docs.contains(&(doc as u32)))
    }
}

/// The data a search script hands to `pmsiteSearch.receive(key, data);`.
fn payload(content: &FileContent) -> serde_json::Value {
    let FileContent::Bytes(bytes) = content else {
        panic!("search files are single buffers");
    };
    let text = std::str::from_utf8(bytes).unwrap();
    let start = text.find(',').unwrap() + 1;
    let end = text.rfind(");").unwrap();
    serde_json::from_str(&text[start..end]).unwrap()
}

/// What a reader of an incident page reads as the incident's own words: the title, the
/// facts and the body, without the page's labels, dates and times, and without the
/// lists of other incidents and pmsite's notes.
fn visible_words(html: &str) -> Vec<String> {
    let page = Html::parse_document(html);
    let parts =
        Selector::parse("article.incident h1, #facts .wide dd, #facts .chip, .incident-body")
            .unwrap();
    let skipped = Selector::parse(
        "time, .unknown, .label, .status, .overdue, .days-left, .implied-mark, .timeline-time, \
         .timeline-day, .task-number, .tz, .assumed, .visually-hidden, .due, .related, \
         #diagnostics, nav, .as-written > summary, script, style",
    )
    .unwrap();
    let mut text = String::new();
    for part in page.select(&parts) {
        collect_text(part, &skipped, &mut text);
        text.push(' ');
    }
    let mut words = Vec::new();
    surfaces(&text, |w| words.push(w.to_string()));
    words
}

fn collect_text(element: ElementRef, skipped: &Selector, out: &mut String) {
    for child in element.children() {
        match child.value() {
            Node::Text(text) => {
                out.push_str(text);
            }
            Node::Element(_) => {
                let child = ElementRef::wrap(child).unwrap();
                out.push(' ');
                if !skipped.matches(&child) {
                    collect_text(child, skipped, out);
                    out.push(' ');
                }
            }
            _ => {}
        }
    }
}

fn build(content: &Path) -> RenderedSite {
    let output = tempfile::tempdir().unwrap();
    let config = Config {
        content_dir: content.to_path_buf(),
        output_dir: output.path().join("public"),
        ..Config::default()
    };
    let today = NaiveDate::from_ymd_opt(2025, 6, 1).unwrap();
    let (site, _) = pmsite::build_in_memory(&BuildOptions::new(config, today)).unwrap();
    site
}

/// Every incident page's (id, words the index does not find for it).
fn unfound_words(site: &RenderedSite) -> Vec<(String, Vec<String>)> {
    let index = DecodedIndex::of(site);
    assert!(!index.ids.is_empty(), "the build wrote no search documents");
    let mut missing = Vec::new();
    for id in &index.ids {
        let page = &site.files[&format!("incidents/{id}/index.html")];
        let html = match page {
            FileContent::Bytes(bytes) => String::from_utf8(bytes.clone()).unwrap(),
            FileContent::Chunks(chunks) => String::from_utf8(chunks.concat()).unwrap(),
            other => panic!("incident page as {other:?}"),
        };
        let words = visible_words(&html);
        assert!(words.len() > 3, "{id}: no words read from its page");
        let unfound: BTreeSet<String> = words.into_iter().filter(|w| !index.finds(w, id)).collect();
        if !unfound.is_empty() {
            missing.push((id.clone(), unfound.into_iter().collect()));
        }
    }
    missing
}

fn assert_every_word_found(content: &Path) {
    let site = build(content);
    let missing = unfound_words(&site);
    assert!(
        missing.is_empty(),
        "words on incident pages that search does not find for them:\n{}",
        missing
            .iter()
            .map(|(id, words)| format!("  {id}: {}", words.join(" ")))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn every_word_of_the_sample_archive_finds_its_incident() {
    assert_every_word_found(&Path::new(env!("CARGO_MANIFEST_DIR")).join("content"));
}

#[test]
fn every_word_of_the_extraction_fixtures_finds_its_incident() {
    // Only the postmortems: the expectations beside them are not part of an archive.
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/extraction");
    let content = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(&fixtures).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        let is_postmortem = (name.ends_with(".md") || name.ends_with(".txt"))
            && name != "README.md"
            && !name.ends_with(".expect.yaml");
        if is_postmortem {
            std::fs::copy(&path, content.path().join(&name)).unwrap();
        }
    }
    assert_every_word_found(content.path());
}

// ---------------------------------------------------------------------------------------
// Generated postmortems: random words in every place a postmortem puts words.
// ---------------------------------------------------------------------------------------

/// Words unlikely to be anything but themselves: made up, so no stemming collapses them
/// into another and no stop word hides them.
fn made_up_word() -> impl Strategy<Value = String> {
    "[b-df-hj-np-tv-z][aeiou][b-df-hj-np-tv-z][aeiou][b-df-hj-np-tv-z]{1,2}"
}

fn phrase() -> impl Strategy<Value = String> {
    prop::collection::vec(made_up_word(), 1..5).prop_map(|w| w.join(" "))
}

/// One block of a postmortem body, in a shape real files use.
fn block() -> impl Strategy<Value = String> {
    prop_oneof![
        phrase().prop_map(|p| format!("## Summary\n\n{p}.\n\n{p} again.\n")),
        phrase().prop_map(|p| format!("## Background\n\nIt began.\n\nLater, {p}.\n")),
        phrase()
            .prop_map(|p| format!("## Impact\n\n| Area | Effect |\n|---|---|\n| {p} | down |\n")),
        phrase().prop_map(|p| format!("## Root cause\n\n- {p}\n- second cause\n")),
        phrase()
            .prop_map(|p| format!("## Root cause\n\nThe query was:\n\n```sql\nSELECT {p};\n```\n")),
        phrase().prop_map(|p| format!(
            "## Timeline\n\n- 10:00 Alert fired\n- 10:30 {p}\n\nAfterwards the team noted {p}.\n"
        )),
        phrase()
            .prop_map(|p| format!("## Timeline\n\n| Time | Event |\n|---|---|\n| 10:00 | {p} |\n")),
        phrase().prop_map(|p| format!(
            "## Action items\n\n- [ ] {p} (owner: @dana)\n\nThe list above was agreed: {p}.\n"
        )),
        phrase().prop_map(|p| format!("## Resolution\n\nWe ran `{p}` and then:\n\n    {p}\n")),
        phrase().prop_map(|p| format!("## Lessons learned\n\n> {p}\n")),
    ]
}

fn generated_postmortem() -> impl Strategy<Value = String> {
    (
        phrase(),
        prop::option::of(phrase()),
        prop::collection::vec(block(), 1..6),
    )
        .prop_map(|(title, summary, blocks)| {
            let summary = summary.map_or(String::new(), |s| format!("summary: {s}\n"));
            format!(
                "---\ntitle: {title}\ndate: 2024-05-01\n{summary}---\n\n{}",
                blocks.join("\n")
            )
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn random_words_of_generated_pages_find_their_incident(
        files in prop::collection::vec(generated_postmortem(), 1..4),
        picks in prop::collection::vec(any::<prop::sample::Index>(), 8),
    ) {
        let content = tempfile::tempdir().unwrap();
        for (n, text) in files.iter().enumerate() {
            std::fs::write(content.path().join(format!("pm-{n}.md")), text).unwrap();
        }
        let site = build(content.path());
        let index = DecodedIndex::of(&site);
        for id in &index.ids {
            let FileContent::Bytes(html) = &site.files[&format!("incidents/{id}/index.html")] else {
                panic!("incident pages are single buffers");
            };
            let words = visible_words(std::str::from_utf8(html).unwrap());
            for pick in &picks {
                let word = pick.get(&words);
                prop_assert!(index.finds(word, id), "{id}: {word:?} is on its page but not found");
            }
        }
    }
}
