//! Write the rendered files. [`Output`], the map of files that every producer
//! (pages, data files) fills, is defined here, below all of them. [`atomic`] writes a
//! build so that the output folder is never half-built; [`sync`] updates the preview's
//! folder in place, writing only files whose bytes changed; [`guard`] decides whether a
//! folder may be written at all.

use std::collections::BTreeMap;
use std::io;
use std::path::Path;

pub mod atomic;
pub mod guard;
pub mod sync;

/// The rendered site: output path (relative, `/`-separated) to file contents. Every
/// producer (pages, data files) fills one; this stage writes it.
pub type Output = BTreeMap<String, Vec<u8>>;

/// A write that failed, and whether the output folder is still exactly as it was
/// (so messages that say so are true).
#[derive(Debug)]
pub struct WriteError {
    pub error: io::Error,
    /// True when the output folder holds what it held before the write began.
    pub untouched: bool,
}

impl WriteError {
    /// A failure before anything in the output folder changed.
    pub(crate) fn before(error: io::Error) -> WriteError {
        WriteError {
            error,
            untouched: true,
        }
    }
}

/// A write that succeeded: how many files were written, and anything left untidy that
/// the person building should know (an old copy that could not be removed).
#[derive(Debug, Default)]
pub struct Wrote {
    pub files: usize,
    pub note: Option<String>,
}

/// Add the path to an I/O error, so the message says which file failed.
pub(crate) fn ctx(e: io::Error, what: &str, path: &Path) -> io::Error {
    io::Error::new(e.kind(), format!("{what} {}: {e}", path.display()))
}

/// An [`Output`] from `(path, text)` pairs, for tests.
#[cfg(test)]
pub(crate) fn output_of(list: &[(&str, &str)]) -> Output {
    list.iter()
        .map(|(p, t)| (p.to_string(), t.as_bytes().to_vec()))
        .collect()
}
