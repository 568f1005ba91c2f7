//! The search index, built from the model (never from HTML): documents are incidents,
//! with weighted fields (title and root cause highest). Scores are BM25F, computed here
//! once per (term, incident) and stored as a byte, so the browser only adds numbers.
//! `render::search` writes the index as small files the browser loads on demand.

pub mod tokens;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};

use rayon::prelude::*;

use self::tokens::{surfaces, term_of};
use super::{Taxonomy, TaxonomyKind};
use crate::model::section::SectionKind;
use crate::model::{Archive, Incident};
use crate::parse::text::plain_text;

/// The parts of an incident a match can be in, and how much a match there counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    Title,
    RootCause,
    /// Root-cause tags, services and severity.
    Labels,
    Summary,
    Impact,
    Timeline,
    Tasks,
    /// Every other section.
    Body,
}

impl Field {
    pub const ALL: [Field; 8] = [
        Field::Title,
        Field::RootCause,
        Field::Labels,
        Field::Summary,
        Field::Impact,
        Field::Timeline,
        Field::Tasks,
        Field::Body,
    ];

    pub fn weight(self) -> f32 {
        match self {
            Field::Title => 6.0,
            Field::RootCause => 4.0,
            Field::Labels => 3.0,
            Field::Summary => 2.0,
            Field::Impact => 1.5,
            Field::Timeline | Field::Tasks => 1.0,
            Field::Body => 0.6,
        }
    }

    /// How much a long field's matches are discounted (BM25's `b`): none for the short
    /// title and labels.
    fn length_discount(self) -> f32 {
        match self {
            Field::Title | Field::Labels => 0.0,
            _ => 0.75,
        }
    }

    /// The name the browser uses for the field of a snippet.
    pub fn key(self) -> &'static str {
        match self {
            Field::Title => "title",
            Field::RootCause => "root_cause",
            Field::Labels => "labels",
            Field::Summary => "summary",
            Field::Impact => "impact",
            Field::Timeline => "timeline",
            Field::Tasks => "tasks",
            Field::Body => "body",
        }
    }
}

/// BM25's saturation constant: the fifth mention of a word adds little.
const K1: f32 = 1.2;
/// A snippet is at most this many characters.
const PASSAGE_CHARS: usize = 200;
/// At most this many passages per incident in the document store.
const MAX_PASSAGES: usize = 40;

/// A match of a term in an incident, with its precomputed score (1-255).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Posting {
    pub doc: u32,
    pub score: u8,
}

/// A word as it appears in the archive, and the term its postings are under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Surface {
    pub term: String,
    /// How many incidents use this spelling: prefix matches offer the common ones first.
    pub docs: u32,
}

/// What a result shows: its facts and the passages a snippet and deep link come from.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchDoc {
    pub id: String,
    pub title: String,
    pub date: Option<String>,
    pub duration: Option<String>,
    pub tags: Vec<String>,
    pub passages: Vec<Passage>,
}

/// A piece of an incident page: its anchor (empty for the top of the page), the field it
/// belongs to, and its text, shortened.
#[derive(Debug, Clone, PartialEq)]
pub struct Passage {
    pub anchor: String,
    pub field: Field,
    pub text: String,
}

/// One facet: its values (display names, in order) and each incident's values.
#[derive(Debug, Clone, PartialEq)]
pub struct Facet {
    /// `tag`, `service`, `severity`, `year`, `open`: also the URL parameter.
    pub key: &'static str,
    pub label: &'static str,
    pub values: Vec<FacetValue>,
    /// Per incident, positions in `values`.
    pub docs: Vec<Vec<u16>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FacetValue {
    /// URL-safe, as in `?tag=database`.
    pub slug: String,
    pub name: String,
}

#[derive(Debug, Clone, Default)]
pub struct SearchIndex {
    /// In archive order: newest first. A document's number is its position.
    pub docs: Vec<SearchDoc>,
    /// Term -> postings, by document number.
    pub terms: BTreeMap<String, Vec<Posting>>,
    pub surfaces: BTreeMap<String, Surface>,
    /// The words offered as corrections of a typo: those of titles, tags and services,
    /// and the archive's common words.
    pub vocabulary: Vec<String>,
    pub facets: Vec<Facet>,
}

/// How many common words join the titles', tags' and services' in the typo vocabulary.
const COMMON_WORDS: usize = 3000;

/// Builds the index of every incident in the archive.
pub fn build_search_index(archive: &Archive, taxonomies: &[Taxonomy]) -> SearchIndex {
    build_search_index_reusing(archive, taxonomies, None)
}

/// Each incident's analysis (its words counted per field, its passages), by source path
/// and the hash of its text: a rebuild analyses only the incidents that changed.
#[derive(Default)]
pub struct AnalysisCache {
    docs: HashMap<String, (u64, Arc<AnalysedDoc>)>,
}

/// `build_search_index` that takes unchanged incidents' analyses from `cache` and
/// keeps this build's there.
pub fn build_search_index_reusing(
    archive: &Archive,
    taxonomies: &[Taxonomy],
    cache: Option<&mut AnalysisCache>,
) -> SearchIndex {
    let analysed: Vec<Arc<AnalysedDoc>> = match cache {
        None => archive
            .incidents
            .par_iter()
            .map(|incident| Arc::new(analyse(incident)))
            .collect(),
        Some(cache) => {
            let fresh: Vec<(u64, Arc<AnalysedDoc>)> = archive
                .incidents
                .par_iter()
                .map(|incident| {
                    let digest = crate::cache::digest(&(&incident.source, &*incident.source_text));
                    match cache.docs.get(&incident.source) {
                        Some((known, doc)) if *known == digest => (digest, Arc::clone(doc)),
                        _ => (digest, Arc::new(analyse(incident))),
                    }
                })
                .collect();
            cache.docs = archive
                .incidents
                .iter()
                .zip(&fresh)
                .map(|(incident, (digest, doc))| {
                    (incident.source.clone(), (*digest, Arc::clone(doc)))
                })
                .collect();
            fresh.into_iter().map(|(_, doc)| doc).collect()
        }
    };

    let mut average = [0f32; 8];
    for doc in &analysed {
        for (total, length) in average.iter_mut().zip(doc.lengths) {
            *total += length as f32;
        }
    }
    let count = analysed.len().max(1) as f32;
    for total in &mut average {
        *total = (*total / count).max(1.0);
    }

    // The documents are counted in parts side by side, then the parts are joined in
    // document order, so each term's list stays by document number.
    let part_size = analysed.len().div_ceil(MERGE_PARTS).max(1);
    let parts: Vec<TermFrequencies> = analysed
        .par_chunks(part_size)
        .enumerate()
        .map(|(part, docs)| TermFrequencies::of(docs, part * part_size, &average))
        .collect();
    let mut all = TermFrequencies::default();
    for part in parts {
        all.append(part);
    }
    let TermFrequencies {
        lexicon,
        frequencies,
    } = all;

    let total_docs = analysed.len() as f32;
    let mut scored: Vec<(&str, Vec<(u32, f32)>)> = lexicon
        .terms
        .iter()
        .map(String::as_str)
        .zip(frequencies)
        .map(|(term, docs)| {
            let df = docs.len() as f32;
            let idf = (1.0 + (total_docs - df + 0.5) / (df + 0.5)).ln();
            let scores = docs
                .into_iter()
                .map(|(doc, tf)| (doc, idf * tf * (K1 + 1.0) / (tf + K1)))
                .collect();
            (term, scores)
        })
        .collect();
    scored.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let highest = scored
        .iter()
        .flat_map(|(_, docs)| docs.iter().map(|d| d.1))
        .fold(f32::MIN_POSITIVE, f32::max);
    let terms: BTreeMap<String, Vec<Posting>> = scored
        .into_iter()
        .map(|(term, docs)| {
            let postings = docs
                .into_iter()
                .map(|(doc, score)| Posting {
                    doc,
                    score: ((score / highest * 255.0).ceil() as u8).max(1),
                })
                .collect();
            (term.to_string(), postings)
        })
        .collect();

    let surfaces: BTreeMap<String, Surface> = lexicon
        .surfaces
        .into_iter()
        .map(|(surface, (term, docs))| {
            (
                surface.to_string(),
                Surface {
                    term: lexicon.terms[term].clone(),
                    docs,
                },
            )
        })
        .collect();
    let vocabulary = typo_vocabulary(archive, &surfaces);
    // Analyses nobody else holds give up their documents; dropping the rest of them is
    // shared out too.
    let docs = analysed
        .into_par_iter()
        .map(|analysed| match Arc::try_unwrap(analysed) {
            Ok(owned) => owned.doc,
            Err(shared) => shared.doc.clone(),
        })
        .collect();
    SearchIndex {
        docs,
        terms,
        surfaces,
        vocabulary,
        facets: facets(archive, taxonomies),
    }
}

/// The BM25F term frequency of a term in an incident: its occurrences per field,
/// weighted by field and discounted in fields longer than the average.
fn weighted_frequency(counts: &[u16; 8], lengths: &[u32; 8], average: &[f32; 8]) -> f32 {
    Field::ALL
        .iter()
        .zip(counts)
        .filter(|(_, &n)| n > 0)
        .map(|(&field, &n)| {
            let i = field as usize;
            let norm = 1.0 - field.length_discount()
                + field.length_discount() * lengths[i] as f32 / average[i];
            field.weight() * f32::from(n) / norm
        })
        .sum()
}

/// How many parts the documents are counted in, side by side: more than there are
/// threads, so that none waits long. The index does not depend on it.
const MERGE_PARTS: usize = 8;

/// Some documents' words: each term's (document number, weighted and length-normalised
/// frequency), by document number.
#[derive(Default)]
struct TermFrequencies<'a> {
    lexicon: Lexicon<'a>,
    /// By term number.
    frequencies: Vec<Vec<(u32, f32)>>,
}

impl<'a> TermFrequencies<'a> {
    /// Counts `docs`, the first of which has the number `first`.
    fn of(docs: &'a [Arc<AnalysedDoc>], first: usize, average: &[f32; 8]) -> Self {
        let mut part = TermFrequencies::default();
        // One document's occurrences per term (all zero for the terms it lacks), and
        // the terms it has.
        let mut doc_counts: Vec<[u16; 8]> = Vec::new();
        let mut doc_terms: Vec<usize> = Vec::new();
        for (number, doc) in (first..).zip(docs) {
            for (surface, counts) in &doc.words {
                let term = part.lexicon.term_of_use(surface, 1);
                if term == doc_counts.len() {
                    part.frequencies.push(Vec::new());
                    doc_counts.push([0; 8]);
                }
                // A word is counted at least once, so its term is not all zero after.
                if doc_counts[term] == [0; 8] {
                    doc_terms.push(term);
                }
                for (total, &n) in doc_counts[term].iter_mut().zip(counts) {
                    *total = total.saturating_add(n);
                }
            }
            for term in doc_terms.drain(..) {
                let counts = std::mem::take(&mut doc_counts[term]);
                let weighted = weighted_frequency(&counts, &doc.lengths, average);
                part.frequencies[term].push((number as u32, weighted));
            }
        }
        part
    }

    /// Adds the counts of `later`, whose documents all come after these.
    fn append(&mut self, later: TermFrequencies<'a>) {
        let mut numbers = vec![usize::MAX; later.lexicon.terms.len()];
        for (surface, (term, docs)) in later.lexicon.surfaces {
            numbers[term] = self.lexicon.term_of_use(surface, docs);
            if numbers[term] == self.frequencies.len() {
                self.frequencies.push(Vec::new());
            }
        }
        for (term, postings) in later.frequencies.into_iter().enumerate() {
            self.frequencies[numbers[term]].extend(postings);
        }
    }
}

/// The archive's words while the index is put together: each surface with the number
/// of its term and how many incidents use it, and the terms by number. A surface is
/// stemmed once per part of the archive, not once per incident.
#[derive(Default)]
struct Lexicon<'a> {
    surfaces: FxHashMap<&'a str, (usize, u32)>,
    terms: Vec<String>,
    term_numbers: FxHashMap<String, usize>,
}

impl<'a> Lexicon<'a> {
    /// The number of `surface`'s term (numbered as first met), counting `docs` more
    /// incidents that use `surface`.
    fn term_of_use(&mut self, surface: &'a str, docs: u32) -> usize {
        if let Some((term, known)) = self.surfaces.get_mut(surface) {
            *known += docs;
            return *term;
        }
        let term = term_of(surface);
        let next = self.terms.len();
        let number = *self.term_numbers.entry(term).or_insert_with_key(|term| {
            self.terms.push(term.clone());
            next
        });
        self.surfaces.insert(surface, (number, docs));
        number
    }
}

/// One incident read for the index.
#[derive(Debug)]
struct AnalysedDoc {
    doc: SearchDoc,
    /// Each word as written (lower-cased) and its occurrences per field. Their terms are
    /// found when the index is put together, once per archive.
    words: Vec<(String, [u16; 8])>,
    /// Tokens per field.
    lengths: [u32; 8],
}

fn analyse(incident: &Incident) -> AnalysedDoc {
    // Deep links use the anchors the incident page gives its sections.
    let anchors = incident.section_anchors();
    let mut analysed = AnalysedDoc {
        doc: SearchDoc {
            id: incident.id.clone(),
            title: incident.title.clone(),
            date: incident.date().map(crate::model::moment::iso_date),
            duration: incident
                .duration_minutes
                .map(crate::parse::duration::format_minutes),
            tags: incident.tags.iter().map(|t| t.name.clone()).collect(),
            passages: Vec::new(),
        },
        words: Vec::new(),
        lengths: [0; 8],
    };
    let anchor_of = |kind: SectionKind| {
        incident
            .sections
            .iter()
            .zip(&anchors)
            .find(|(section, _)| section.kind == kind)
            .map(|(_, anchor)| anchor.clone())
            .unwrap_or_default()
    };
    // Counted by surface first, so each distinct word is stemmed once per incident.
    let mut by_surface: FxHashMap<String, [u16; 8]> = FxHashMap::default();
    let mut add = |field: Field, text: &str, anchor: Option<String>| {
        let i = field as usize;
        surfaces(text, |surface| {
            analysed.lengths[i] += 1;
            let counts = match by_surface.get_mut(surface) {
                Some(counts) => counts,
                None => by_surface.entry(surface.to_string()).or_insert([0; 8]),
            };
            counts[i] = counts[i].saturating_add(1);
        });
        if let Some(anchor) = anchor {
            if analysed.doc.passages.len() < MAX_PASSAGES && !text.trim().is_empty() {
                analysed.doc.passages.push(Passage {
                    anchor,
                    field,
                    text: shorten(text),
                });
            }
        }
    };

    add(
        Field::Title,
        &format!("{} {}", incident.title, incident.id),
        None,
    );
    let labels: Vec<&str> = incident
        .tags
        .iter()
        .map(|t| t.name.as_str())
        .chain(incident.services.iter().map(String::as_str))
        .chain(incident.severity.as_deref())
        .collect();
    add(Field::Labels, &labels.join(" "), None);
    if let Some(summary) = &incident.summary {
        add(
            Field::Summary,
            summary,
            Some(anchor_of(SectionKind::Summary)),
        );
    }
    if let Some(root_cause) = &incident.root_cause {
        add(
            Field::RootCause,
            &plain_text(&root_cause.text),
            Some(anchor_of(SectionKind::RootCause)),
        );
    }
    if let Some(trigger) = &incident.trigger {
        add(
            Field::RootCause,
            &plain_text(trigger),
            Some(anchor_of(SectionKind::Trigger)),
        );
    }
    if let Some(impact) = &incident.impact {
        add(
            Field::Impact,
            &impact.text,
            Some(anchor_of(SectionKind::Impact)),
        );
    }
    for (i, entry) in incident.timeline.iter().enumerate() {
        add(
            Field::Timeline,
            &inline_plain(&entry.text),
            Some(format!("t-{}", i + 1)),
        );
    }
    for task in &incident.tasks {
        add(
            Field::Tasks,
            &inline_plain(&task.text),
            Some(format!("task-{}", task.number)),
        );
        // The owner and tracker references the task's line shows.
        let shown: Vec<&str> = task
            .owner
            .iter()
            .chain(&task.links)
            .map(String::as_str)
            .collect();
        add(Field::Tasks, &shown.join(" "), None);
    }
    if let Some(resolution) = &incident.resolution {
        add(Field::Body, &plain_text(resolution), None);
    }
    // Every section's heading and text, whole: the facts above are what was extracted,
    // the page shows all of it (a background past its first paragraph, the prose around
    // a timeline or a task list, code, tables). A section the facts come from is
    // counted in the facts' field; its snippets are the facts'.
    for (section, anchor) in incident.sections.iter().zip(&anchors) {
        let field = section_field(section.kind);
        if let Some(title) = &section.title {
            add(field, title, None);
        }
        let passage = (field == Field::Body).then(|| anchor.clone());
        add(field, &plain_text(&section.body), passage);
    }
    analysed.words = by_surface.into_iter().collect();
    analysed
}

/// The field a section's own words count in.
fn section_field(kind: SectionKind) -> Field {
    match kind {
        SectionKind::Summary => Field::Summary,
        SectionKind::Impact => Field::Impact,
        SectionKind::RootCause | SectionKind::Trigger => Field::RootCause,
        SectionKind::Timeline => Field::Timeline,
        SectionKind::Tasks => Field::Tasks,
        _ => Field::Body,
    }
}

/// One line of inline markdown as text, cheaply: link targets, emphasis and code marks
/// go (a full markdown parse per timeline entry would cost more than the rest of the
/// indexing).
fn inline_plain(markdown: &str) -> String {
    static LINK_TARGET: std::sync::LazyLock<regex::Regex> =
        std::sync::LazyLock::new(|| regex::Regex::new(r"\]\([^)\s]*\)").unwrap());
    let without_targets = if markdown.contains("](") {
        LINK_TARGET.replace_all(markdown, "]")
    } else {
        std::borrow::Cow::Borrowed(markdown)
    };
    let is_mark = |c: char| matches!(c, '*' | '`' | '[' | ']' | '~');
    if !without_targets.contains(is_mark) {
        return without_targets.into_owned();
    }
    without_targets.chars().filter(|&c| !is_mark(c)).collect()
}

/// The first `PASSAGE_CHARS` characters, on one line, cut at a word.
fn shorten(text: &str) -> String {
    // Most passages (timeline entries, tasks) are short lines already.
    if text.len() <= PASSAGE_CHARS && is_flat_ascii(text) {
        return text.to_string();
    }
    // The words on one line, only until they are past the limit: sections can be long.
    let mut flat = String::new();
    let mut chars = 0;
    for word in text.split_whitespace() {
        if !flat.is_empty() {
            flat.push(' ');
            chars += 1;
        }
        flat.push_str(word);
        chars += word.chars().count();
        if chars > PASSAGE_CHARS {
            break;
        }
    }
    if chars <= PASSAGE_CHARS {
        return flat;
    }
    let cut_end = flat
        .char_indices()
        .nth(PASSAGE_CHARS)
        .map_or(flat.len(), |(i, _)| i);
    let cut = &flat[..cut_end];
    let at_word = cut
        .rfind(' ')
        .filter(|&i| i > PASSAGE_CHARS / 2)
        .unwrap_or(cut.len());
    format!("{}…", &cut[..at_word])
}

/// Whether `text` is ASCII with single spaces between words and none around them: what
/// joining its words with spaces gives.
fn is_flat_ascii(text: &str) -> bool {
    // No space may come first.
    let mut after_space = true;
    for &byte in text.as_bytes() {
        match byte {
            b' ' if after_space => return false,
            b' ' => after_space = true,
            // Other whitespace, and anything not ASCII.
            0x09..=0x0d | 0x80.. => return false,
            _ => after_space = false,
        }
    }
    text.is_empty() || !after_space
}

fn typo_vocabulary(archive: &Archive, known: &BTreeMap<String, Surface>) -> Vec<String> {
    let mut words: FxHashSet<String> = FxHashSet::default();
    for incident in &archive.incidents {
        let labels = incident
            .tags
            .iter()
            .map(|t| t.name.as_str())
            .chain(incident.services.iter().map(String::as_str));
        for text in std::iter::once(incident.title.as_str()).chain(labels) {
            surfaces(text, |surface: &str| {
                if !words.contains(surface) {
                    words.insert(surface.to_string());
                }
            });
        }
    }
    let mut common: Vec<(&String, &Surface)> = known.iter().collect();
    common.sort_by(|a, b| b.1.docs.cmp(&a.1.docs).then_with(|| a.0.cmp(b.0)));
    words.extend(
        common
            .into_iter()
            .take(COMMON_WORDS)
            .map(|(s, _)| s.clone()),
    );
    // A typo of a short word is usually another word; numbers are not misspelled.
    let mut words: Vec<String> = words
        .into_iter()
        .filter(|w| w.chars().count() >= 4 && w.chars().any(char::is_alphabetic))
        .collect();
    words.sort_unstable();
    words
}

fn facets(archive: &Archive, taxonomies: &[Taxonomy]) -> Vec<Facet> {
    let count = archive.incidents.len();
    let mut facets: Vec<Facet> = [
        (TaxonomyKind::Tags, "tag", "Root cause"),
        (TaxonomyKind::Services, "service", "Service"),
        (TaxonomyKind::Severity, "severity", "Severity"),
        (TaxonomyKind::Years, "year", "Year"),
    ]
    .into_iter()
    .filter_map(|(kind, key, label)| {
        let taxonomy = taxonomies.iter().find(|t| t.kind == kind)?;
        let mut terms: Vec<&super::Term> = taxonomy.terms.iter().collect();
        // Years newest first; the rest as the taxonomy orders them (most incidents first).
        if kind == TaxonomyKind::Years {
            terms.sort_by(|a, b| b.name.cmp(&a.name));
        }
        let mut docs = vec![Vec::new(); count];
        for (value, term) in terms.iter().enumerate() {
            for &incident in &term.incidents {
                docs[incident].push(value as u16);
            }
        }
        Some(Facet {
            key,
            label,
            values: terms
                .iter()
                .map(|t| FacetValue {
                    slug: t.slug.clone(),
                    name: t.name.clone(),
                })
                .collect(),
            docs,
        })
    })
    .collect();
    facets.push(Facet {
        key: "open",
        label: "Tasks",
        values: vec![FacetValue {
            slug: "yes".to_string(),
            name: "Has open tasks".to_string(),
        }],
        docs: archive
            .incidents
            .iter()
            .map(|i| if i.open_tasks() > 0 { vec![0] } else { vec![] })
            .collect(),
    });
    facets
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{parse_incident, ParseOptions};

    fn index(files: &[(&str, &str)]) -> SearchIndex {
        let incidents = files
            .iter()
            .map(|(path, text)| parse_incident(path, text, &ParseOptions::default()))
            .collect();
        let archive = Archive::new(incidents);
        let mut diagnostics = Vec::new();
        let taxonomies = crate::index::build_taxonomies(&archive, &mut diagnostics);
        build_search_index(&archive, &taxonomies)
    }

    fn best(index: &SearchIndex, term: &str) -> Vec<String> {
        let mut postings = index.terms[term].clone();
        postings.sort_by(|a, b| b.score.cmp(&a.score).then(a.doc.cmp(&b.doc)));
        postings
            .iter()
            .map(|p| index.docs[p.doc as usize].id.clone())
            .collect()
    }

    #[test]
    fn a_title_match_outranks_a_passing_mention() {
        let index = index(&[
            ("a.md", "---\nid: a\ntitle: Missing index on orders\ndate: 2024-01-01\n---\n## Summary\n\nOrders were slow.\n"),
            ("b.md", "---\nid: b\ntitle: Disk full\ndate: 2024-02-01\n---\n## Summary\n\nThe disk filled up.\n\n## Notes\n\nWe also looked at the indexes.\n"),
        ]);
        assert_eq!(best(&index, "index"), ["a", "b"]);
        assert_eq!(
            index.surfaces["indexes"].term,
            "index",
            "{:?}",
            index.surfaces.keys()
        );
    }

    #[test]
    fn passages_carry_the_anchors_of_the_page() {
        let index = index(&[(
            "a.md",
            "---\nid: a\ntitle: T\ndate: 2024-01-01\n---\n## Timeline\n\n- 10:00 Alert fired\n- 10:05 Rolled back\n\n## Action items\n\n- [ ] Add an index\n\n## Lessons learned\n\nIndexes matter.\n",
        )]);
        let passages: Vec<(&str, Field)> = index.docs[0]
            .passages
            .iter()
            .map(|p| (p.anchor.as_str(), p.field))
            .collect();
        assert!(passages.contains(&("t-2", Field::Timeline)), "{passages:?}");
        assert!(passages.contains(&("task-1", Field::Tasks)), "{passages:?}");
        assert!(
            passages.contains(&("lessons-learned", Field::Body)),
            "{passages:?}"
        );
    }

    #[test]
    fn facets_list_each_incident_values() {
        let index = index(&[
            ("a.md", "---\nid: a\ntitle: A\ndate: 2024-01-01\ntags: [database]\nseverity: SEV-1\n---\n## Action items\n\n- [ ] Fix\n"),
            ("b.md", "---\nid: b\ntitle: B\ndate: 2023-01-01\ntags: [database, config]\n---\n# B\n"),
        ]);
        let tag = index.facets.iter().find(|f| f.key == "tag").unwrap();
        let names: Vec<&str> = tag.values.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names, ["database", "config"]);
        assert_eq!(tag.docs, [vec![0], vec![0, 1]]);
        let year = index.facets.iter().find(|f| f.key == "year").unwrap();
        assert_eq!(year.values[0].name, "2024");
        let open = index.facets.iter().find(|f| f.key == "open").unwrap();
        assert_eq!(open.docs, [vec![0], vec![]]);
    }

    #[test]
    fn short_passages_are_put_on_one_line() {
        assert_eq!(shorten("Alert fired"), "Alert fired");
        assert_eq!(shorten(" Alert  fired\n"), "Alert fired");
        assert_eq!(shorten("Alert\u{b}fired"), "Alert fired");
        assert_eq!(shorten("Café\u{a0}fermé"), "Café fermé");
        assert_eq!(shorten(""), "");
        assert!(is_flat_ascii("a b") && !is_flat_ascii("a b ") && !is_flat_ascii("a\tb"));
    }

    #[test]
    fn long_passages_are_cut_at_a_word() {
        let text = "word ".repeat(100);
        let short = shorten(&text);
        assert!(short.chars().count() <= PASSAGE_CHARS + 1);
        assert!(short.ends_with("word…"));
    }
}
