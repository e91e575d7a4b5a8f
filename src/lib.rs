//! clusterdir: a static site generator for a city's early-help cluster directory.

pub mod build;
pub mod check;
pub mod content;
pub mod data;
pub mod diagnostics;
pub mod output;
pub mod pages;
pub mod routes;
pub mod scaffold;
pub mod serve;
pub mod site;
pub mod text;
