//! The command line's flags and subcommands (clap derive); each flag's doc comment is
//! its help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use pmsite::index::task_query::StatusFilter;

#[derive(Debug, Parser)]
#[command(name = "pmsite", version, about = "Turns a folder of incident postmortems into a static archive", long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site: read the content folder, write the output folder.
    Build(BuildArgs),
    /// Show what pmsite understood in postmortems: each fact with its line, and what it could not read.
    Inspect(InspectArgs),
    /// Preview the site: build it in memory, serve it on 127.0.0.1, rebuild and reload pages as files change
    #[cfg(feature = "serve")]
    Serve(ServeArgs),
    /// Check the archive as a build would, without writing anything: every problem, with its line.
    Check(CheckArgs),
    /// List the follow-up tasks of every postmortem: who owns them, when they are due, what is overdue.
    Tasks(TasksArgs),
    /// Write a new postmortem from the template, with a fresh id and today's date
    New(NewArgs),
    /// Start a new archive: config with every option, content/ with an example, the template, .gitignore, a CI workflow
    Init {
        /// Folder to set up (created if missing); files already there are kept
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Print a shell completion script: `pmsite completions bash > ~/.local/share/bash-completion/completions/pmsite`
    Completions {
        /// The shell to complete in
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// Where the archive is and what day it is: the options every command that reads the
/// archive shares.
#[derive(Debug, Args)]
pub struct SiteArgs {
    /// Folder of postmortems [default: content, or content_dir in the config]
    #[arg(long, value_name = "DIR", env = "PMSITE_CONTENT")]
    pub content: Option<PathBuf>,

    /// Site config file [default: pmsite.toml if present]
    #[arg(long, value_name = "FILE", env = "PMSITE_CONFIG")]
    pub config: Option<PathBuf>,

    /// The date overdue tasks are judged against [default: $SOURCE_DATE_EPOCH, else the current date]
    #[arg(long, value_name = "YYYY-MM-DD", env = "PMSITE_TODAY")]
    pub today: Option<String>,
}

#[cfg(feature = "serve")]
#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub site: SiteArgs,

    /// Port to listen on; 0 picks a free one [default: 1111, or a free one if it is taken]
    #[arg(long, short = 'p', value_name = "N", env = "PMSITE_PORT")]
    pub port: Option<u16>,

    /// Address to listen on; anything but a loopback address shares your drafts with the network
    #[arg(long, value_name = "IP", default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,

    /// Open the site in the default browser once it is served
    #[arg(long)]
    pub open: bool,

    /// Theme folder whose templates and static files override the default theme's (watched too)
    #[arg(long, value_name = "DIR", env = "PMSITE_THEME")]
    pub theme: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The incident's title, e.g. "Checkout outage"
    pub title: String,

    #[command(flatten)]
    pub site: SiteArgs,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub site: SiteArgs,

    /// Theme folder, so its templates are checked too
    #[arg(long, value_name = "DIR", env = "PMSITE_THEME")]
    pub theme: Option<PathBuf>,

    /// Make every warning an error
    #[arg(long, env = "PMSITE_STRICT")]
    pub strict: bool,

    /// How to print the problems
    #[arg(long, value_enum, default_value_t = DiagnosticStyle::Human, env = "PMSITE_FORMAT")]
    pub format: DiagnosticStyle,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DiagnosticStyle {
    /// One line each: path:line:col: severity: message
    Short,
    /// As rustc prints them: the code, the source line and a caret
    Human,
    /// One JSON object per line, on stdout
    Json,
    /// GitHub Actions workflow commands (::error file=...), on stdout, to annotate a pull request
    Github,
}

#[derive(Debug, Args)]
pub struct TasksArgs {
    #[command(flatten)]
    pub site: SiteArgs,

    /// Which tasks to list
    #[arg(long, value_enum, default_value_t = StatusFilter::Open)]
    pub status: StatusFilter,

    /// Only this owner's tasks (`@alice`, `Alice` and `alice` are one owner)
    #[arg(long, value_name = "NAME")]
    pub owner: Option<String>,

    /// Output format
    #[arg(long, value_enum, default_value_t = TaskFormat::Table)]
    pub format: TaskFormat,

    /// Exit with 1 when any task (of --owner, if given) is overdue, whatever --status lists
    #[arg(long)]
    pub fail_on_overdue: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TaskFormat {
    /// Aligned columns; colour on a terminal unless NO_COLOR is set
    Table,
    /// The shape of the site's tasks.json
    Json,
    /// The columns of the site's tasks.csv (RFC 4180)
    Csv,
}

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// Postmortem files to inspect
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// The date overdue tasks are judged against [default: $SOURCE_DATE_EPOCH, else the current date]
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<String>,

    /// Site config file, for its section aliases and time zone [default: pmsite.toml if present]
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned text for people
    Human,
    /// One JSON array, for tools
    Json,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub site: SiteArgs,

    /// Folder to write the site to; replaced whole [default: public, or output_dir in the config]
    #[arg(long, value_name = "DIR", env = "PMSITE_OUTPUT")]
    pub output: Option<PathBuf>,

    /// Where the site will be published, e.g. https://example.com/postmortems/ (links stay relative without it)
    #[arg(long, value_name = "URL", env = "PMSITE_BASE_URL")]
    pub base_url: Option<String>,

    /// Number of worker threads [default: one per core]
    #[arg(long, short = 'j', value_name = "N", env = "PMSITE_JOBS")]
    pub jobs: Option<usize>,

    /// Theme folder whose templates and static files override the default theme's
    #[arg(long, value_name = "DIR", env = "PMSITE_THEME")]
    pub theme: Option<PathBuf>,

    /// Replace the output folder even if pmsite did not create it
    #[arg(long)]
    pub force: bool,

    /// Make every warning an error
    #[arg(long, env = "PMSITE_STRICT")]
    pub strict: bool,

    /// How to print problems
    #[arg(long, value_enum, default_value_t = DiagnosticStyle::Short, env = "PMSITE_FORMAT")]
    pub format: DiagnosticStyle,

    /// Print only problems, not the summary line
    #[arg(long, short = 'q', conflicts_with = "verbose")]
    pub quiet: bool,

    /// Also print how long each step took
    #[arg(long, short = 'v')]
    pub verbose: bool,
}
