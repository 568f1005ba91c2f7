//! pmsite turns a folder of incident postmortems into a static archive.
//!
//! The pipeline, one module per step: [`walk`] finds the files, [`read`] decodes them,
//! [`parse`] reads each into an [`Incident`], `sift` leaves out index pages and
//! blank templates, [`index`] finds what spans incidents, [`render`] turns the archive
//! into pages and JSON, handing each file to a sink as it is made, and `write` is the
//! sink that puts them on disk atomically. [`build`] runs them in order; [`check`] is a
//! build in memory plus the link check, and [`load_archive`] stops at the model.
//!
//! The main API is re-exported here, at the crate root; the modules hold the rest,
//! which the `pmsite` binary (`src/cli/`), the tests and the benches use and which may
//! still move (book/library.md).
//!
//! Reading one postmortem is a pure function of its text:
//!
//! ```
//! use pmsite::parse::{parse_incident, ParseOptions};
//!
//! let text = "# Database failover\n\nStart: 2024-06-03 10:00 UTC\nEnd: 2024-06-03 11:30 UTC\n";
//! let incident = parse_incident("2024/db.md", text, &ParseOptions::default());
//! assert_eq!(incident.title, "Database failover");
//! assert!(incident.diagnostics.is_empty(), "{:?}", incident.diagnostics);
//! ```
//!
//! A whole folder is checked without writing anything; each problem has a [`Code`]:
//!
//! ```
//! let content = tempfile::tempdir().unwrap();
//! let text = "# Disk full\n\nSee [the runbook](nowhere.html).\n";
//! std::fs::write(content.path().join("disk.md"), text).unwrap();
//! let config = pmsite::Config {
//!     content_dir: content.path().to_path_buf(),
//!     ..pmsite::Config::default()
//! };
//! let today = chrono::NaiveDate::from_ymd_opt(2024, 6, 30).unwrap();
//! let report = pmsite::check(&pmsite::BuildOptions::new(config, today))?;
//! assert_eq!(report.incidents, 1);
//! assert!(report.diagnostics.iter().any(|d| d.code == pmsite::Code::BrokenLink));
//! # Ok::<(), pmsite::Error>(())
//! ```
//!
//! The `pmsite` binary (`src/main.rs`, `src/cli/`, feature `cli`) is a thin layer over
//! these calls; the preview server (`serve`) is behind the feature `serve`. Both are on
//! by default; `default-features = false` gives the library alone.

// Every public item is documented; the modules not curated yet are allowed below.
#![warn(missing_docs)]

#[allow(missing_docs)]
pub mod cache;
#[allow(missing_docs)]
pub mod config;
pub mod diagnostic;
mod error;
#[allow(missing_docs)]
pub mod index;
#[allow(missing_docs)]
pub mod inspect;
#[allow(missing_docs)]
pub mod links;
#[allow(missing_docs)]
pub mod model;
#[allow(missing_docs)]
pub mod parse;
#[allow(missing_docs)]
pub mod pipeline;
#[allow(missing_docs)]
pub mod read;
#[allow(missing_docs)]
pub mod render;
#[allow(missing_docs)]
pub mod report;
#[allow(missing_docs)]
pub mod scaffold;
#[cfg(feature = "serve")]
#[allow(missing_docs)]
pub mod serve;
mod sift;
#[allow(missing_docs)]
pub mod synthetic;
#[allow(missing_docs)]
pub mod walk;
mod write;

/// A site's settings, as `pmsite.toml` gives them.
pub use config::Config;
/// Problems in one postmortem: where, how bad, and which kind.
pub use diagnostic::{Code, Diagnostic, Severity};
/// Fatal errors: what stops a whole command.
pub use error::{Error, Result};
/// A postmortem's sections, and the kinds pmsite knows.
pub use model::section::{Section, SectionKind};
/// The postmortem world: one incident and its parts, and the archive of them all.
pub use model::{
    Archive, Attachment, Fact, Impact, Incident, Moment, RootCause, Tag, Task, TaskStatus,
    TimelineEntry, TitleSource,
};
/// The commands as calls: build a site, check one, or read the archive.
pub use pipeline::{build, build_in_memory, check, load_archive, BuildOptions, BuildReport};
