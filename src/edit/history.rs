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
    root.join(relative(target))
}

/// The record's history folder, relative to the site root.
fn relative(target: &Target) -> PathBuf {
    Path::new(HISTORY)
        .join(describe(target.kind).folder)
        .join(&target.slug)
}

/// Refuse a history folder (or a kept version, `file`) that is, or is reached through,
/// a symbolic link: as with content files, the editor neither reads nor writes what a
/// link points to, which could be anywhere.
fn no_links(root: &Path, target: &Target, file: Option<&str>) -> Result<(), EditError> {
    let mut rel = relative(target);
    if let Some(file) = file {
        rel.push(file);
    }
    let mut path = root.to_path_buf();
    for part in rel.components() {
        path.push(part);
        if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
            let at = path.strip_prefix(root).unwrap_or(&path);
            return Err(EditError::BadRequest(format!(
                "{} is a symbolic link; the history folder and everything in it must be ordinary folders and files, so nothing is saved (remove the link; the editor makes the folders it needs)",
                at.display()
            )));
        }
    }
    Ok(())
}

/// Keep `text` as the newest earlier version of the record, and forget the oldest past
/// [`KEEP`].
pub fn keep(root: &Path, target: &Target, text: &str) -> Result<(), EditError> {
    no_links(root, target, None)?;
    let dir = folder(root, target);
    let now = chrono::Utc::now().format("%Y%m%dT%H%M%S%.6fZ");
    let ext = describe(target.kind).extension;
    let mut path = dir.join(format!("{now}.{ext}"));
    let mut n = 1;
    while path.symlink_metadata().is_ok() {
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
    no_links(root, target, None)?;
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
        if entry.file_type().is_ok_and(|t| t.is_symlink()) {
            continue;
        }
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
    let name = format!("{id}.{ext}");
    no_links(root, target, Some(&name))?;
    super::files::read(&folder(root, target).join(name))
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
