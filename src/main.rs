//! The `pmsite` binary: parses the command line and runs the command (`cli/`, one file
//! each), then maps the outcome to an exit code: 0 ok, 1 content errors, 2 usage or
//! fatal.

mod cli;

// A build makes millions of small strings on every core; glibc's allocator spent more
// time on them than the parsing did (measured with perf on 10,000 postmortems).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use cli::args::{Cli, Command};
use cli::Outcome;

fn main() -> ExitCode {
    avoid_huge_pages();
    let result = match Cli::parse().command {
        Command::Build(args) => cli::build::run(args),
        Command::Inspect(args) => cli::inspect::run(args),
        Command::Check(args) => cli::check::run(args),
        #[cfg(feature = "serve")]
        Command::Serve(args) => cli::serve::run(args),
        Command::New(args) => cli::new::new(args),
        Command::Init { dir } => cli::new::init(&dir),
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "pmsite", &mut std::io::stdout());
            Ok(Outcome::Clean)
        }
        Command::Tasks(args) => cli::tasks::run(args),
    };
    match result {
        Ok(Outcome::Clean) => ExitCode::SUCCESS,
        Ok(Outcome::Problems) => ExitCode::from(1),
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
    }
}

/// The allocator asks for memory in large arenas and, where the kernel allows, backs
/// them with transparent huge pages; a build touches much of that memory only once, so
/// the kernel spent about a fifth of a 10k build zeroing 2 MiB pages, and resident
/// memory grew by some 150 MiB (`cargo bench --bench build`). mimalloc's own
/// `MIMALLOC_ALLOW_THP=0` does the same; this spares users from setting it.
fn avoid_huge_pages() {
    #[cfg(target_os = "linux")]
    {
        // Best effort: an old kernel without the flag builds as before.
        let _ = nix::sys::prctl::set_thp_disable(true);
    }
}
