//! The import checker behind tests/architecture.rs: [`lexer`] reads Rust source as
//! text, [`graph`] builds the module graph of `src/` and finds its cycles.

pub mod graph;
pub mod lexer;
