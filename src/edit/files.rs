//! A record's file from its kind and slug, its version, and writing it atomically.

use std::io::Write;
use std::path::{Path, PathBuf};

use md5::{Digest, Md5};

use super::types::{EditError, Target};
use crate::content::schema::describe;

/// The file of a record, relative to the site root: `content/<folder>/<slug>.<ext>`. The
/// slug must be lowercase letters, digits and hyphens, so it can name no other place.
pub fn relative_path(target: &Target) -> Result<PathBuf, EditError> {
    let slug = &target.slug;
    let ok = !slug.is_empty()
        && slug.len() <= 100
        && !slug.starts_with('-')
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !ok {
        return Err(EditError::BadRequest(format!(
            "{slug:?} is not a record's name: use lowercase letters, digits and hyphens"
        )));
    }
    let kind = describe(target.kind);
    Ok(Path::new("content")
        .join(kind.folder)
        .join(format!("{slug}.{}", kind.extension)))
}

/// Refuse a record whose file, or a folder on the way to it from the site, is a symbolic
/// link: the build does not read such files, and the editor must neither show nor
/// replace what a link points to.
pub fn no_links(root: &Path, rel: &Path) -> Result<(), EditError> {
    let mut path = root.to_path_buf();
    for part in rel.components() {
        path.push(part);
        if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(EditError::BadRequest(format!(
                "{} is a symbolic link; content files and folders must be ordinary ones",
                rel.display()
            )));
        }
    }
    Ok(())
}

/// A short hash of a file's bytes: the version a form was opened at.
pub fn version_of(bytes: &[u8]) -> String {
    let hash = Md5::digest(bytes);
    hash.iter().map(|b| format!("{b:02x}")).collect()
}

/// The file's bytes, or `NotFound`.
pub fn read(path: &Path) -> Result<String, EditError> {
    let bytes = std::fs::read(path)?;
    String::from_utf8(bytes).map_err(|_| EditError::Io("the file is not UTF-8 text".into()))
}

/// Write a file whole or not at all: a temporary file beside it (a name the content
/// loader passes over), flushed to disk, then renamed over it.
pub fn write_atomically(path: &Path, text: &str) -> Result<(), EditError> {
    let dir = path.parent().ok_or(EditError::NotFound)?;
    std::fs::create_dir_all(dir)?;
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let temp = dir.join(format!(".{name}.{}.edit-tmp", std::process::id()));
    let written = (|| {
        let mut f = std::fs::File::create(&temp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        std::fs::rename(&temp, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    Ok(written?)
}
