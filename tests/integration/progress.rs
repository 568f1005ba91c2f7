//! The library tells a `Progress` watcher each step and each parsed file, in order:
//! what the CLI's progress bar is drawn from.

use std::sync::Mutex;

use pmsite::pipeline::Progress;

use crate::support::{fixture, Archive};

#[derive(Default)]
struct Recorder {
    events: Mutex<Vec<String>>,
}

impl Progress for Recorder {
    fn start(&self, step: &'static str, files: Option<usize>) {
        let event = match files {
            Some(n) => format!("{step} {n}"),
            None => step.to_string(),
        };
        self.events.lock().unwrap().push(event);
    }

    fn file_done(&self) {
        self.events.lock().unwrap().push("file".to_string());
    }
}

#[test]
fn a_build_reports_each_step_and_each_file() {
    let archive = Archive::from_fixture("seeds");
    let files = walkdir::WalkDir::new(fixture("seeds"))
        .into_iter()
        .filter(|e| e.as_ref().unwrap().file_type().is_file())
        .count();
    let config = pmsite::Config {
        content_dir: archive.content(),
        output_dir: archive.public(),
        ..pmsite::Config::default()
    };
    let options = pmsite::BuildOptions {
        jobs: Some(2),
        ..pmsite::BuildOptions::new(
            config,
            chrono::NaiveDate::from_ymd_opt(2024, 9, 10).unwrap(),
        )
    };
    let recorder = Recorder::default();
    pmsite::pipeline::build_with_progress(&options, &recorder).unwrap();
    let events = recorder.events.into_inner().unwrap();
    let mut expected = vec!["walk".to_string(), format!("parse {files}")];
    expected.extend(std::iter::repeat_n("file".to_string(), files));
    expected.extend(["model", "index", "render", "write"].map(String::from));
    assert_eq!(events, expected);
    assert!(archive.public().join("index.html").is_file());
}
