//! Fatal errors: problems that stop a whole build (bad config, an output folder we may
//! not touch, a failed write). Problems inside one postmortem are `Diagnostic`s instead.

use std::io;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },

    #[error("{path}:{line}:{column}: {message}")]
    Config {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },

    #[error("content folder {0} does not exist or is not a folder")]
    NoContent(PathBuf),

    #[error(
        "refusing to replace {0}: it is not empty and was not created by pmsite \
         (use --force to replace it anyway)"
    )]
    ForeignOutput(PathBuf),

    /// Writing the site failed (a full disk, a folder pmsite may not write); the
    /// previous site is still in place.
    #[error("cannot write the site to {output}, so the previous site is kept as it was: {path}: {source}")]
    Write {
        output: PathBuf,
        path: PathBuf,
        source: io::Error,
    },

    #[error("the output folder {output} must not contain the content folder {content}")]
    ContentInsideOutput { content: PathBuf, output: PathBuf },

    #[error("theme: {0}")]
    Theme(String),

    #[error("template {template}: {message}")]
    Template { template: String, message: String },

    #[error("{0}")]
    Usage(String),
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
