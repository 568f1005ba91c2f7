//! `pmsite inspect`: what pmsite read in each file given, for people or as JSON.

use pmsite::inspect::{human_report, inspect_file, json_report};
use pmsite::parse::ParseOptions;
use pmsite::Error;

use super::args::{Format, InspectArgs};
use super::site::{load_config, resolve_today};
use super::Outcome;

pub fn run(args: InspectArgs) -> Result<Outcome, Error> {
    let config = load_config(args.config.as_deref())?;
    let (today, _) = resolve_today(args.today.as_deref())?;
    let options = ParseOptions::from_config(&config).map_err(Error::BadOption)?;
    let mut failed = false;
    let mut reports = Vec::new();
    for (i, path) in args.files.iter().enumerate() {
        let inspection = inspect_file(path, &config.content_dir, &options)?;
        failed |= inspection.failed();
        match (&inspection.incident, args.format) {
            (Some(incident), Format::Human) => {
                if i > 0 {
                    println!();
                }
                println!("{}", inspection.shown);
                print!("{}", human_report(incident, today));
            }
            (Some(incident), Format::Json) => reports.push(json_report(incident, today)),
            (None, _) => {
                for diagnostic in &inspection.diagnostics {
                    eprintln!("{diagnostic}");
                }
            }
        }
    }
    if args.format == Format::Json {
        let json = serde_json::to_string_pretty(&reports).expect("reports serialize");
        println!("{json}");
    }
    Ok(Outcome::problems_if(failed))
}
