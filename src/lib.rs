//! clusterdir: a static site generator for a city's early-help cluster directory.
//!
//! The modules are the pipeline, each using only those below it (docs/architecture.md):
//! [`content`] reads and parses what is on disk; [`check`] validates it and builds the
//! [`site`] model; [`routes`] declares every page kind's address and template;
//! [`pages`] renders HTML and [`data`] the machine-readable files, side by side, into an
//! [`output::Output`]; [`output`] writes it atomically. [`build`] drives the stages,
//! [`serve`] previews the site, [`deploy`] publishes it to object storage,
//! [`scaffold`] writes starter files. [`diagnostics`] and
//! [`text`] are shared by every stage.

pub mod build;
pub mod check;
pub mod content;
pub mod data;
pub mod deploy;
pub mod diagnostics;
pub mod edit;
pub mod output;
pub mod pages;
pub mod routes;
pub mod scaffold;
pub mod serve;
pub mod site;
pub mod text;
