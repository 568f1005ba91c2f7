//! Where the archive is and what day it is, from the flags shared by every command that
//! reads the archive: the config file, `--content` and `--today`.

use std::path::Path;

use chrono::NaiveDate;
use pmsite::config::{Config, CONFIG_FILE};
use pmsite::Error;

use super::args::SiteArgs;

/// The config (`--config`, else `pmsite.toml`, else defaults) with `--content` applied,
/// and "today" with where it came from.
pub fn load_site(args: &SiteArgs) -> Result<(Config, NaiveDate, &'static str), Error> {
    let mut config = load_config(args.config.as_deref())?;
    if let Some(content) = &args.content {
        config.content_dir = content.clone();
    }
    let (today, source) = resolve_today(args.today.as_deref())?;
    Ok((config, today, source))
}

/// `--config FILE`, else `pmsite.toml` in the current folder, else the defaults.
pub fn load_config(path: Option<&Path>) -> Result<Config, Error> {
    match path {
        Some(path) => Config::load(path),
        None if Path::new(CONFIG_FILE).is_file() => Config::load(Path::new(CONFIG_FILE)),
        None => Ok(Config::default()),
    }
}

/// `--today`, else `SOURCE_DATE_EPOCH` (for reproducible builds), else the clock; with
/// where the date came from, for the summary line.
pub fn resolve_today(flag: Option<&str>) -> Result<(NaiveDate, &'static str), Error> {
    if let Some(text) = flag {
        let date = NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
            Error::Usage(format!(
                "--today expects a date like 2024-06-30, not `{text}`"
            ))
        })?;
        return Ok((date, "from --today"));
    }
    if let Ok(epoch) = std::env::var("SOURCE_DATE_EPOCH") {
        let seconds: i64 = epoch.trim().parse().map_err(|_| {
            Error::Usage(format!(
                "SOURCE_DATE_EPOCH must be a number of seconds, not `{epoch}`"
            ))
        })?;
        let date = chrono::DateTime::from_timestamp(seconds, 0)
            .ok_or_else(|| Error::Usage(format!("SOURCE_DATE_EPOCH `{epoch}` is out of range")))?
            .date_naive();
        return Ok((date, "from SOURCE_DATE_EPOCH"));
    }
    Ok((chrono::Utc::now().date_naive(), "the current date"))
}
