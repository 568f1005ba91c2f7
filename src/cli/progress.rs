//! The build's progress bar on stderr, drawn only on a terminal and only once a build has
//! run for a moment: short builds print nothing extra.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

pub struct BuildProgress {
    bar: ProgressBar,
    started: Instant,
    enabled: bool,
    shown: AtomicBool,
}

impl BuildProgress {
    const DELAY: Duration = Duration::from_millis(300);

    pub fn new(wanted: bool) -> Self {
        let terminal = std::io::stderr().is_terminal()
            && std::env::var("TERM").map_or(true, |term| term != "dumb");
        let bar = ProgressBar::hidden();
        bar.set_style(
            ProgressStyle::with_template(
                "pmsite: {msg:>6} [{bar:30}] {pos}/{len} files, {elapsed}",
            )
            .expect("a valid template")
            .progress_chars("=> "),
        );
        BuildProgress {
            bar,
            started: Instant::now(),
            enabled: wanted && terminal,
            shown: AtomicBool::new(false),
        }
    }

    /// Takes the bar off the terminal, before the report is printed.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }

    fn show_if_slow(&self) {
        if self.enabled
            && self.started.elapsed() > Self::DELAY
            && !self.shown.swap(true, Ordering::Relaxed)
        {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
            self.bar.enable_steady_tick(Duration::from_millis(100));
        }
    }
}

impl pmsite::pipeline::Progress for BuildProgress {
    fn start(&self, step: &'static str, files: Option<usize>) {
        if let Some(files) = files {
            self.bar.set_length(files as u64);
            self.bar.set_position(0);
        }
        self.bar.set_message(step);
        self.show_if_slow();
    }

    fn file_done(&self) {
        self.bar.inc(1);
        self.show_if_slow();
    }
}
