//! Earlier versions of records: before a save replaces a file, its bytes are kept in
//! `.clusterdir/history/<folder>/<slug>/<time>.<ext>` at the site root, outside
//! `content/` (so the build never reads them), the newest [`KEEP`] per record.

use std::path::{Path, PathBuf};

use super::files::write_atomically;
use super::types::{EditError, Target, Version};
use crate::content::schema::describe;

/// The history folder, relative to the site root.
pub const HISTORY: &str = ".clusterdir/history";

/// How many earlier versions of each record are kept.
pub const KEEP: usize = 20;

fn folder(root: &Path, target: &Target) -> PathBuf {
    root.join(HISTORY)
        .join(describe(target.kind).folder)
        .join(&target.slug)
}

/// Keep `text` as the newest earlier version of the record, and forget the oldest past
/// [`KEEP`].
pub fn keep(root: &Path, target: &Target, text: &str) -> Result<(), EditError> {
    let dir = folder(root, target);
    let now = chrono::Utc::now().format("%Y%m%dT%H%M%S%.6fZ");
    let ext = describe(target.kind).extension;
    let mut path = dir.join(format!("{now}.{ext}"));
    let mut n = 1;
    while path.exists() {
        path = dir.join(format!("{now}-{n}.{ext}"));
        n += 1;
    }
    write_atomically(&path, text)?;
    for old in list(root, target)?.into_iter().skip(KEEP) {
        let _ = std::fs::remove_file(dir.join(format!("{}.{ext}", old.id)));
    }
    Ok(())
}

/// The kept versions, newest first.
pub fn list(root: &Path, target: &Target) -> Result<Vec<Version>, EditError> {
    let dir = folder(root, target);
    let ext = describe(target.kind).extension;
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(id) = name.strip_suffix(&format!(".{ext}")) else {
            continue;
        };
        if !is_id(id) {
            continue;
        }
        let bytes = entry.metadata().map(|m| m.len() as usize).unwrap_or(0);
        out.push(Version {
            id: id.to_string(),
            saved_at: saved_at(id),
            bytes,
        });
    }
    out.sort_by(|a, b| order(&b.id).cmp(&order(&a.id)));
    Ok(out)
}

/// A version's text; `NotFound` for an id that is not one of the record's versions.
pub fn read(root: &Path, target: &Target, id: &str) -> Result<String, EditError> {
    if !is_id(id) {
        return Err(EditError::NotFound);
    }
    let ext = describe(target.kind).extension;
    super::files::read(&folder(root, target).join(format!("{id}.{ext}")))
}

/// An id as [`keep`] makes them: `20261124T054700.123456Z`, maybe with `-2` after it.
fn is_id(id: &str) -> bool {
    id.len() >= 16
        && id.len() <= 40
        && id
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'T' | b'Z' | b'.' | b'-'))
}

/// The order of ids: by time, then by the number after it (`-2`) for ids made within
/// the same microsecond.
fn order(id: &str) -> (&str, u32) {
    match id.split_once('-') {
        Some((time, n)) => (time, n.parse().unwrap_or(0)),
        None => (id, 0),
    }
}

/// `2026-11-24 05:47:00` from an id.
fn saved_at(id: &str) -> String {
    let d = |r: std::ops::Range<usize>| id.get(r).unwrap_or("");
    format!(
        "{}-{}-{} {}:{}:{}",
        d(0..4),
        d(4..6),
        d(6..8),
        d(9..11),
        d(11..13),
        d(13..15)
    )
}
