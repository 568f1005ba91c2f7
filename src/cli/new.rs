//! `pmsite new` (a postmortem from the template) and `pmsite init` (a new archive).

use std::path::Path;

use pmsite::{BuildOptions, Error};

use super::args::NewArgs;
use super::site::{load_site, resolve_today};
use super::Outcome;

/// `new`: a postmortem from the site's template (or the built-in one).
pub fn new(args: NewArgs) -> Result<Outcome, Error> {
    let (config, today, _) = load_site(&args.site)?;
    let options = BuildOptions::new(config, today);
    let (path, id) = pmsite::scaffold::new_in_archive(&options, &args.title)?;
    println!("{}", path.display());
    eprintln!(
        "pmsite: wrote {} ({id}); replace each TBD and HH:mm, then `pmsite check`",
        path.display()
    );
    Ok(Outcome::Clean)
}

/// `init`: a new archive; files that exist are kept.
pub fn init(dir: &Path) -> Result<Outcome, Error> {
    let (today, _) = resolve_today(None)?;
    for (path, written) in pmsite::scaffold::init_archive(dir, today)? {
        let verb = if written { "wrote" } else { "kept existing" };
        eprintln!("pmsite: {verb} {}", path.display());
    }
    eprintln!("pmsite: next, `pmsite build` there and open public/index.html");
    Ok(Outcome::Clean)
}
