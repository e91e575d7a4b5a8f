//! The editing engine behind the preview's forms: it resolves a record's file from its
//! kind and slug (never from a path sent by a browser), turns a file into form values
//! and form values back into the file with `toml_edit` (comments, key order, blank
//! lines and quoting stay; one changed value changes one line), checks the whole site
//! with the edited file in memory before writing, keeps the previous version in the
//! history folder and writes atomically. No HTTP and no HTML here: `serve` does that.

use std::path::{Path, PathBuf};

mod types;

pub use types::{
    EditError, FieldProblem, Kind, Opened, RecordSummary, Saved, Scope, Target, Version,
};

/// The file of a record: `content/<folder>/<slug>.<ext>` under `root`.
pub fn path_of(root: &Path, target: &Target) -> Result<PathBuf, EditError> {
    let _ = (root, target);
    todo!()
}

/// The record's fields as form values, and its version.
pub fn open(root: &Path, target: &Target) -> Result<Opened, EditError> {
    let _ = (root, target);
    todo!()
}

/// Apply a form to a record, check the whole site with it, and write it if it has no
/// errors (keeping the previous version in the history).
pub fn save(
    root: &Path,
    target: &Target,
    form: &[(String, String)],
    scope: Scope,
    version: &str,
) -> Result<Saved, EditError> {
    let _ = (root, target, form, scope, version);
    todo!()
}

/// A new record from a form; `Exists` if the slug is taken.
pub fn create(root: &Path, target: &Target, form: &[(String, String)]) -> Result<Saved, EditError> {
    let _ = (root, target, form);
    todo!()
}

/// The kept versions of a record, newest first.
pub fn history(root: &Path, target: &Target) -> Result<Vec<Version>, EditError> {
    let _ = (root, target);
    todo!()
}

/// Put a kept version back (itself a save: checked, and the current file kept).
pub fn restore(root: &Path, target: &Target, id: &str, version: &str) -> Result<Saved, EditError> {
    let _ = (root, target, id, version);
    todo!()
}

/// Every record the editor can open, for its start page.
pub fn records(root: &Path) -> Result<Vec<RecordSummary>, EditError> {
    let _ = root;
    todo!()
}
