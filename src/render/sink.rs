//! Where rendered files go as they are made. `build` hands the renderer a staging folder
//! (`write::Staging`), so no build holds every page at once; `serve`, `check` and the
//! library's `build_in_memory` hand it a [`MemorySite`].

use std::collections::BTreeMap;
use std::sync::Mutex;

use super::{FileContent, RenderedSite};
use crate::error::Result;

/// Takes the site's files one by one, from any thread. Each path (`/`-separated,
/// relative to the site root) is given once, so the order files arrive in never
/// changes the result.
pub trait SiteSink: Sync {
    fn put(&self, path: String, content: FileContent) -> Result<()>;
}

/// Keeps every file in memory.
#[derive(Debug, Default)]
pub struct MemorySite {
    files: Mutex<BTreeMap<String, FileContent>>,
}

impl MemorySite {
    pub fn into_site(self) -> RenderedSite {
        RenderedSite {
            files: self.files.into_inner().unwrap_or_else(|e| e.into_inner()),
        }
    }
}

impl SiteSink for MemorySite {
    fn put(&self, path: String, content: FileContent) -> Result<()> {
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        files.insert(path, content);
        Ok(())
    }
}

/// The renderer's side of a sink: passes files on and remembers the pages' paths, which
/// the sitemap lists and the report counts.
pub(crate) struct Recorder<'a> {
    sink: &'a dyn SiteSink,
    pages: Mutex<Vec<String>>,
}

impl<'a> Recorder<'a> {
    pub(crate) fn new(sink: &'a dyn SiteSink) -> Self {
        Recorder {
            sink,
            pages: Mutex::default(),
        }
    }

    /// How many `.html` files were given.
    pub(crate) fn page_count(&self) -> usize {
        self.pages.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// The `.html` files given so far, in path order.
    pub(crate) fn pages(&self) -> Vec<String> {
        let mut pages = self.pages.lock().unwrap_or_else(|e| e.into_inner()).clone();
        pages.sort_unstable();
        debug_assert!(
            pages.windows(2).all(|w| w[0] != w[1]),
            "two pages rendered to one path"
        );
        pages
    }
}

impl SiteSink for Recorder<'_> {
    fn put(&self, path: String, content: FileContent) -> Result<()> {
        if path.ends_with(".html") {
            let mut pages = self.pages.lock().unwrap_or_else(|e| e.into_inner());
            pages.push(path.clone());
        }
        self.sink.put(path, content)
    }
}
