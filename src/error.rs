//! Fatal errors: problems that stop a whole build (bad config, an output folder we may
//! not touch, a failed write). Problems inside one postmortem are `Diagnostic`s instead.

use std::io;
use std::path::PathBuf;

/// A problem that stops a whole command. The `pmsite` binary prints it as
/// `error: <message>` and exits 2, whichever it is (book/diagnostics.md lists them).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or folder could not be read, written or renamed.
    #[error("{path}: {source}")]
    Io {
        /// What was being read or written.
        path: PathBuf,
        /// Why it failed.
        source: io::Error,
    },

    /// The config file does not parse or holds a value pmsite cannot use; lines and
    /// columns are 1-based.
    #[error("{path}:{line}:{column}: {message}")]
    Config {
        /// The config file.
        path: PathBuf,
        /// Where the problem is.
        line: usize,
        /// Where the problem is, in characters.
        column: usize,
        /// What is wrong.
        message: String,
    },

    /// A setting of a [`Config`](crate::Config) that does not compile (a bad `ignore`
    /// pattern, an unknown `timezone`): a config made in code, which nothing checked
    /// with its line and column as loading a file does.
    #[error("{0}")]
    BadOption(String),

    /// The content folder is missing.
    #[error("content folder {0} does not exist or is not a folder")]
    NoContent(PathBuf),

    /// The output folder holds files pmsite did not write, and `--force` was not given.
    #[error(
        "refusing to replace {0}: it is not empty and was not created by pmsite \
         (use --force to replace it anyway)"
    )]
    ForeignOutput(PathBuf),

    /// The output folder holds a project (`pmsite.toml` or `.git`), so it is never
    /// replaced, even with `--force`.
    #[error(
        "refusing to replace {output}, even with --force: it holds `{project}`, so it is a project folder, not a site; choose another --output"
    )]
    ProjectOutput {
        /// The output folder.
        output: PathBuf,
        /// The name that marks it as a project.
        project: &'static str,
    },

    /// The output path names something that is not a folder.
    #[error("output {0} exists and is not a folder")]
    OutputNotAFolder(PathBuf),

    /// Another build holds the output folder's lock.
    #[error(
        "another pmsite build is writing {output} right now (it holds {lock}); run this one when it has finished"
    )]
    OutputLocked {
        /// The output folder.
        output: PathBuf,
        /// The lock file beside it.
        lock: PathBuf,
    },

    /// Writing the site failed (a full disk, a folder pmsite may not write); the
    /// previous site is still in place.
    #[error("cannot write the site to {output}, so the previous site is kept as it was: {path}: {source}")]
    Write {
        /// The output folder.
        output: PathBuf,
        /// The file or folder that could not be written.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },

    /// A rendered file's path that would land outside the output folder.
    #[error("refusing to write `{0}`: not a plain path inside the output folder")]
    UnsafeOutputPath(String),

    /// The new site could not be moved into place, nor the previous one back: the
    /// previous site is in `kept`.
    #[error("cannot move the new site into {output}: {source}; the previous site is in {kept}")]
    SwapFailed {
        /// The output folder.
        output: PathBuf,
        /// Where the previous site is now.
        kept: PathBuf,
        /// Why the move failed.
        source: io::Error,
    },

    /// The output folder would hold the content folder, so replacing it would delete
    /// the postmortems.
    #[error("the output folder {output} must not contain the content folder {content}")]
    ContentInsideOutput {
        /// The content folder.
        content: PathBuf,
        /// The output folder.
        output: PathBuf,
    },

    /// The theme folder or one of its files cannot be used.
    #[error("theme: {0}")]
    Theme(String),

    /// A template does not parse or does not render.
    #[error("template {template}: {message}")]
    Template {
        /// The template's name.
        template: String,
        /// What tera said.
        message: String,
    },

    /// The worker threads could not be started.
    #[error("cannot start worker threads: {0}")]
    ThreadPool(String),

    /// A file named on the command line (`pmsite inspect`) is not a file.
    #[error("{0}: no such file")]
    NoSuchFile(PathBuf),

    /// `pmsite new` found no words in the title.
    #[error("the title is empty")]
    EmptyTitle,

    /// A file pmsite would create is already there; pmsite never replaces it.
    #[error("{0} already exists; pmsite never replaces a file")]
    FileExists(PathBuf),

    /// A task query names an owner no task has.
    #[error(
        "no task is owned by `{owner}`; owners: {}",
        if owners.is_empty() { "none".to_string() } else { owners.join(", ") }
    )]
    UnknownOwner {
        /// The owner asked for.
        owner: String,
        /// The owners there are.
        owners: Vec<String>,
    },

    /// The task list could not be written to standard output.
    #[error("cannot write the list: {0}")]
    WriteList(#[source] io::Error),

    /// The preview server could not listen on its address.
    #[error("cannot listen on {ip}:{port}: {message}")]
    Listen {
        /// The address asked for.
        ip: std::net::IpAddr,
        /// The port asked for (or the default one).
        port: u16,
        /// Why.
        message: String,
    },

    /// The preview server's socket has no IP address.
    #[error("the server has no IP address")]
    ServerAddress,

    /// The preview server cannot watch the files for changes.
    #[error(
        "cannot watch {}: {message}",
        path.as_ref().map_or_else(|| "files".to_string(), |p| p.display().to_string())
    )]
    Watch {
        /// The folder or file that cannot be watched; `None` when no watcher starts.
        path: Option<PathBuf>,
        /// Why.
        message: String,
    },

    /// The command line asks for something that cannot be done (a malformed
    /// `--base-url`, `--today` or `SOURCE_DATE_EPOCH`).
    #[error("{0}")]
    Usage(String),
}

impl Error {
    /// An [`Error::Io`] for `path`.
    pub fn io(path: impl Into<PathBuf>, source: io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

/// A result whose error is an [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
