//! What one build keeps for the next, so that `pmsite serve` redoes only what an edit
//! changed: each postmortem parsed, by the hash of its bytes, and each incident page
//! rendered, by the hash of everything the page shows.
//!
//! A cache is only valid for one config, theme and date: whoever changes those starts a
//! new one ([`BuildCache::default`]). Everything else is checked on each build, so a
//! stale entry is never used.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use crate::diagnostic::Diagnostic;
use crate::model::Incident;
use crate::render::FileContent;

#[derive(Default)]
pub struct BuildCache {
    /// Content path -> the file's parse, as `read_and_parse` gave it.
    parsed: HashMap<String, ParsedFile>,
    /// Site path -> an incident page.
    pages: HashMap<String, RenderedPage>,
    /// The search manifest's name when those pages were rendered.
    manifest: String,
    /// Each incident's words for the search index.
    pub(crate) search: crate::index::search::AnalysisCache,
    /// Rows of the task dashboard.
    pub(crate) task_rows: crate::render::tasks::TaskRowCache,
    /// The theme, loaded once.
    pub(crate) theme: Option<std::sync::Arc<crate::render::theme::Theme>>,
    /// Counts of the last build, for the server's log and the tests.
    pub last: Reuse,
}

/// How much of the last build was reused.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Reuse {
    pub files_parsed: usize,
    pub files_reused: usize,
    pub pages_rendered: usize,
    pub pages_reused: usize,
}

#[derive(Debug)]
struct ParsedFile {
    digest: u64,
    incident: Option<Incident>,
    diagnostics: Vec<Diagnostic>,
}

#[derive(Debug)]
struct RenderedPage {
    inputs: u64,
    content: FileContent,
}

/// A 64-bit hash of anything hashable (SipHash, fixed keys: the same in every run).
pub fn digest(value: &(impl Hash + ?Sized)) -> u64 {
    let mut hasher = DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

impl BuildCache {
    /// The parse of a file whose bytes hash to `digest`, if the last build parsed it.
    pub(crate) fn parsed(
        &self,
        path: &str,
        digest: u64,
    ) -> Option<(Option<Incident>, Vec<Diagnostic>)> {
        self.parsed
            .get(path)
            .filter(|p| p.digest == digest)
            .map(|p| (p.incident.clone(), p.diagnostics.clone()))
    }

    /// Replaces the parse cache with this build's files, so deleted files are forgotten.
    pub(crate) fn keep_parsed(
        &mut self,
        files: impl IntoIterator<Item = (String, u64, Option<Incident>, Vec<Diagnostic>)>,
        reused: usize,
    ) {
        self.parsed = files
            .into_iter()
            .map(|(path, digest, incident, diagnostics)| {
                let parsed = ParsedFile {
                    digest,
                    incident,
                    diagnostics,
                };
                (path, parsed)
            })
            .collect();
        self.last.files_reused = reused;
        self.last.files_parsed = self.parsed.len() - reused;
    }

    /// The page at `path` if it was rendered from the same `inputs`, naming `manifest`
    /// as the search manifest. Every page names it, and any edit changes it: the name is
    /// put in rather than the page rendered again.
    pub(crate) fn page(&self, path: &str, inputs: u64, manifest: &str) -> Option<FileContent> {
        let page = self.pages.get(path).filter(|p| p.inputs == inputs)?;
        if manifest == self.manifest {
            return Some(page.content.clone());
        }
        if self.manifest.is_empty() || manifest.is_empty() {
            return None;
        }
        let html = String::from_utf8(page.content.to_vec().ok()?).ok()?;
        Some(FileContent::Bytes(
            html.replace(&self.manifest, manifest).into_bytes(),
        ))
    }

    /// Replaces the page cache with this build's incident pages.
    pub(crate) fn keep_pages(
        &mut self,
        pages: impl IntoIterator<Item = (String, u64, FileContent)>,
        manifest: &str,
        reused: usize,
    ) {
        self.manifest = manifest.to_string();
        self.pages = pages
            .into_iter()
            .map(|(path, inputs, content)| (path, RenderedPage { inputs, content }))
            .collect();
        self.last.pages_reused = reused;
        self.last.pages_rendered = self.pages.len() - reused;
    }
}
