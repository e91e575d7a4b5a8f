//! Machine-readable outputs, each made from the site model alone.
pub mod export;
pub mod feeds;
pub mod headers;
pub mod oruk;
pub mod search;
