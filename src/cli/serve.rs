//! `pmsite serve`: builds in memory, serves, rebuilds on change; runs until interrupted.

use pmsite::config::CONFIG_FILE;
use pmsite::serve::{Preview, ServeOptions};
use pmsite::{BuildOptions, Error};

use super::args::ServeArgs;
use super::site::load_site;
use super::Outcome;

pub fn run(args: ServeArgs) -> Result<Outcome, Error> {
    // Watched even before it exists, so a config written while serving is used.
    let config_file = Some(
        args.site
            .config
            .clone()
            .unwrap_or_else(|| CONFIG_FILE.into()),
    );
    let ServeArgs {
        site,
        theme,
        port,
        bind,
        open,
    } = args;
    // Read again after each change of the config file, with the flags applied on top.
    let load = move || -> Result<BuildOptions, Error> {
        let (mut config, today, _) = load_site(&site)?;
        if let Some(theme) = &theme {
            config.theme = Some(theme.clone());
        }
        // Served from the server's root, whatever address the site is published at.
        config.base_url = String::new();
        Ok(BuildOptions::new(config, today))
    };
    let options = ServeOptions {
        bind,
        port,
        config_file,
    };
    let log = |line: String| eprintln!("pmsite: {line}");
    let preview = Preview::start(Box::new(load), &options, Box::new(log))?;
    let url = preview.url();
    eprintln!("pmsite: serving {url} (Ctrl-C to stop); watching for changes");
    if !bind.is_loopback() {
        eprintln!("pmsite: warning: listening on {bind}, so other machines can read this archive");
    }
    if open {
        if let Err(error) = opener::open_browser(&url) {
            eprintln!("pmsite: could not open a browser: {error}");
        }
    }
    preview.wait();
    Ok(Outcome::Clean)
}
