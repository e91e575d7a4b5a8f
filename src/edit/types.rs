//! What the editing engine takes and gives: a record named by kind and slug, a form's
//! values, what a save did, and what went wrong.

use std::path::PathBuf;

pub use crate::content::schema::Kind;

/// A record named by its kind and slug; the slug is checked (`[a-z0-9-]+`) before any
/// path is made from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub kind: Kind,
    pub slug: String,
}

/// A record as a form shows it.
#[derive(Debug, Clone)]
pub struct Opened {
    /// Every field present in the file, as form pairs (`name`, `contacts.0.phone`,
    /// `sources.1`, `body`), in the description's order.
    pub values: Vec<(String, String)>,
    /// A hash of the file's bytes: give it back to `save` to refuse a file that changed.
    pub version: String,
    pub path: PathBuf,
}

/// How much of the record a form holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every field: a field or row not posted is removed.
    Whole,
    /// Only new rows of one list of tables at the top of the record ("updates",
    /// "meetings"): every row posted under that key (`updates.0.title`, whatever its
    /// index) is appended, in index order, and nothing else changes.
    Append(&'static str),
}

/// What a save wrote.
#[derive(Debug, Clone)]
pub struct Saved {
    /// A unified diff of the file (empty when nothing changed).
    pub diff: String,
    /// Warnings about the saved record (they do not block a save).
    pub warnings: Vec<FieldProblem>,
    /// The new file's version.
    pub version: String,
    /// Errors in other files of the site, as `check` says them (file, line and column
    /// first): the preview cannot show the save until they are fixed.
    pub elsewhere: Vec<String>,
    /// The record's web address name before and after, when the save changed it.
    pub moved: Option<(String, String)>,
}

/// A problem, beside the form field it is about when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    /// The form name (`contacts.0.email`), if the problem maps to one.
    pub field: Option<String>,
    /// What is wrong, worded as `clusterdir check` words it.
    pub message: String,
    /// What was expected or how to fix it, as `check` says it.
    pub hint: Option<String>,
}

/// Why an edit did not happen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditError {
    /// The edited record has errors; nothing was written.
    Invalid(Vec<FieldProblem>),
    /// The file changed on disk since the form was opened; nothing was written.
    Changed,
    /// No such record (or no such version in its history).
    NotFound,
    /// `create`: a record with this slug exists already.
    Exists,
    /// The slug is not `[a-z0-9-]+`, or a form name is not a field of the record.
    BadRequest(String),
    Io(String),
}

impl std::fmt::Display for EditError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EditError::Invalid(p) => write!(f, "the record has {} problem(s)", p.len()),
            EditError::Changed => f.write_str("the file changed on disk since it was opened"),
            EditError::NotFound => f.write_str("there is no such record"),
            EditError::Exists => f.write_str("a record with this name exists already"),
            EditError::BadRequest(m) => f.write_str(m),
            EditError::Io(m) => write!(f, "could not read or write the file: {m}"),
        }
    }
}

impl std::error::Error for EditError {}

impl From<std::io::Error> for EditError {
    fn from(e: std::io::Error) -> Self {
        match e.kind() {
            std::io::ErrorKind::NotFound => EditError::NotFound,
            _ => EditError::Io(e.to_string()),
        }
    }
}

/// One earlier version of a record, kept before a save replaced it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    /// The name to give `restore`.
    pub id: String,
    /// When it was replaced, `YYYY-MM-DD HH:MM:SS` (UTC).
    pub saved_at: String,
    pub bytes: usize,
}

/// A record as the editor's start page lists it.
#[derive(Debug, Clone)]
pub struct RecordSummary {
    pub target: Target,
    /// The cluster's name, the guide's or page's title.
    pub title: String,
    /// Clusters: how complete the record is, in percent.
    pub completeness: Option<u32>,
    /// Clusters: `last_reviewed`; guides: `edition`.
    pub last_checked: Option<String>,
    /// Why the site cannot use the record's file (a symbolic link, a slug another
    /// record has, a file that cannot be read), as `check` says it.
    pub unreadable: Option<String>,
}

/// What the editor's start page shows: every record, and the site's errors.
#[derive(Debug, Clone, Default)]
pub struct Overview {
    pub records: Vec<RecordSummary>,
    /// Every error `check` finds, file, line and column first.
    pub errors: Vec<String>,
}
