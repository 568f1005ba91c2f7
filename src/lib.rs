//! pmsite turns a folder of incident postmortems into a static archive.
//!
//! The pipeline, one module per step: [`walk`] finds the files, [`parse`] reads each
//! into an [`model::Incident`], [`render`] turns the archive into pages and JSON in
//! memory, and [`write`] puts them on disk atomically. [`pipeline::build`] runs them in
//! order.

pub mod config;
pub mod diagnostic;
pub mod error;
pub mod model;
pub mod parse;
pub mod walk;
