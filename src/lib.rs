//! clusterdir: a static site generator for a city's early-help cluster directory.
//!
//! The pipeline runs in stages, one module each:
//! [`load`] reads `content/` into the typed [`model`]; [`validate`] checks it and builds
//! the [`site`] model (maps keyed by slug); [`render`] turns that into files using
//! Tera templates fed small [`views`], plus the [`search`] index; [`output`] writes them atomically. [`build`]
//! drives the stages; [`serve`] previews the site. Every problem is a located
//! [`diagnostics::Diagnostic`].

pub mod build;
pub mod charts;
pub mod contact;
pub mod diagnostics;
pub mod export;
pub mod feeds;
pub mod generate;
pub mod headers;
pub mod load;
pub mod markdown;
pub mod model;
pub mod oruk;
pub mod output;
pub mod render;
pub mod report;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod text;
pub mod validate;
pub mod views;
