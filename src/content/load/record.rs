//! What loading gives for each file: a parsed record or document, with its file and
//! slug.

use std::path::{Path, PathBuf};

use crate::content::model::Text;

/// A parsed TOML record and where it came from.
#[derive(Debug, Clone)]
pub struct Record<T> {
    /// Path relative to the site root, as shown in messages.
    pub file: PathBuf,
    pub slug: String,
    pub data: T,
    /// A hash of the file's path and text: what everything made from this record alone
    /// depends on (the preview remakes such things only when it changes).
    pub source: u64,
}

/// A parsed Markdown document: front matter plus body.
#[derive(Debug, Clone)]
pub struct Document<T> {
    pub file: PathBuf,
    pub slug: String,
    pub front: T,
    pub body: String,
    /// Byte offset of the body in the file, to turn body positions into file positions.
    pub body_offset: usize,
}

/// A hash of a file's path and text ([`Record::source`]).
pub fn source_hash(file: &Path, text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    file.hash(&mut h);
    text.hash(&mut h);
    h.finish()
}

/// The slug of a record: its own `slug` field, or the file name.
pub(super) fn slug_for(file: &Path, explicit: Option<&Text>) -> String {
    match explicit {
        Some(s) => s.get_ref().clone(),
        None => file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
    }
}
