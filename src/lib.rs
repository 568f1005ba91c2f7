//! pmsite turns a folder of incident postmortems into a static archive.
//!
//! The pipeline, one module per step: [`walk`] finds the files, [`read`] decodes them,
//! [`parse`] reads each into a [`model::Incident`], [`sift`] leaves out index pages and
//! blank templates, [`index`] finds what spans incidents, [`render`] turns the archive
//! into pages and JSON, handing each file to a sink as it is made, and
//! [`write`](mod@write) is the sink that puts them on disk atomically.
//! [`pipeline::build`] runs them in order; [`check`] is a build in memory plus the link
//! check, and [`load_archive`] stops at the model.
//!
//! The `pmsite` binary (`src/main.rs`, `src/cli/`, feature `cli`) is a thin layer over
//! these calls; the preview server (`serve`) is behind the feature `serve`. Both are on
//! by default; `default-features = false` gives the library alone.

pub mod cache;
pub mod config;
pub mod diagnostic;
pub mod error;
pub mod index;
pub mod inspect;
pub mod links;
pub mod model;
pub mod parse;
pub mod pipeline;
pub mod read;
pub mod render;
pub mod report;
pub mod scaffold;
#[cfg(feature = "serve")]
pub mod serve;
pub mod sift;
pub mod synthetic;
pub mod walk;
pub mod write;

pub use config::Config;
pub use diagnostic::{Code, Diagnostic, Severity};
pub use error::{Error, Result};
pub use pipeline::{build, build_in_memory, check, load_archive, BuildOptions, BuildReport};
