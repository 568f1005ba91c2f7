//! The binary's commands, one file each; what they compute is a library call, and they
//! print the result and say how it went.

pub mod args;
pub mod build;
pub mod check;
pub mod inspect;
pub mod new;
pub mod progress;
#[cfg(feature = "serve")]
pub mod serve;
pub mod site;
pub mod table;
pub mod tasks;

use pmsite::config::Config;
use pmsite::report::{format_diagnostics, DiagnosticFormat, Sources};
use pmsite::BuildReport;

use args::DiagnosticStyle;

/// How a command ended when nothing fatal happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Exit code 0.
    Clean,
    /// Exit code 1: content errors (or, for `tasks --fail-on-overdue`, overdue tasks).
    Problems,
}

impl Outcome {
    pub fn problems_if(failed: bool) -> Outcome {
        if failed {
            Outcome::Problems
        } else {
            Outcome::Clean
        }
    }
}

/// Prints a report's diagnostics: for people on stderr, for tools (JSON, GitHub
/// commands) on stdout.
pub fn print_diagnostics(report: &BuildReport, config: &Config, style: DiagnosticStyle) {
    let format = match style {
        DiagnosticStyle::Short => DiagnosticFormat::Short,
        DiagnosticStyle::Human => DiagnosticFormat::Human,
        DiagnosticStyle::Json => DiagnosticFormat::Json,
        DiagnosticStyle::Github => DiagnosticFormat::Github,
    };
    let sources = Sources {
        content_dir: &config.content_dir,
        texts: &report.sources,
    };
    let text = format_diagnostics(&report.diagnostics, format, &sources);
    match format {
        DiagnosticFormat::Short | DiagnosticFormat::Human => eprint!("{text}"),
        DiagnosticFormat::Json | DiagnosticFormat::Github => print!("{text}"),
    }
}
