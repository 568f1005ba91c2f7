//! Integration tests: run the built `pmsite` binary on small archives and check the
//! HTML, JSON, diagnostics and exit codes. One module per feature.

mod support;

mod atomic_output;
mod attachments;
mod check;
mod cli;
mod determinism;
mod diagnostics;
mod extraction;
mod faults;
mod feeds;
mod hostile;
mod ids_and_anchors;
mod incidents_json;
mod indexes;
mod inspect;
mod links;
mod png;
mod progress;
mod rebuild;
mod seeds;
mod serve;
mod site;
mod skipped;
mod snapshots_of_pages;
mod tasks;
