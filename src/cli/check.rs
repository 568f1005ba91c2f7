//! `pmsite check`: a build in memory, nothing written; the problems and a verdict.

use pmsite::report::counted;
use pmsite::{BuildOptions, Error};

use super::args::CheckArgs;
use super::site::load_site;
use super::{print_diagnostics, Outcome};

pub fn run(args: CheckArgs) -> Result<Outcome, Error> {
    let (mut config, today, _) = load_site(&args.site)?;
    if let Some(theme) = args.theme {
        config.theme = Some(theme);
    }
    let options = BuildOptions {
        strict: args.strict,
        ..BuildOptions::new(config, today)
    };
    let report = pmsite::check(&options)?;
    print_diagnostics(&report, &options.config, args.format);
    eprintln!(
        "pmsite: checked {}: {}, {}{}",
        counted(report.incidents, "incident"),
        counted(report.errors(), "error"),
        counted(report.warnings(), "warning"),
        if args.strict {
            " (--strict: warnings count as errors)"
        } else {
            ""
        }
    );
    Ok(Outcome::problems_if(report.errors() > 0))
}
