//! Problems found while loading and checking a site, with their place in the source.
//!
//! Every stage pushes into one [`Diagnostics`] collection so that a single run reports
//! every problem it can find. Each diagnostic names the file, and where the problem has a
//! place in the file, a byte span that is turned into line and column when printed
//! ([`report`]: errors first, grouped warnings as one block).

pub mod report;
pub mod terminal;

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// How bad a problem is: errors stop a build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// A second place in a file that helps explain a problem (for example, the first
/// occurrence of something that is duplicated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub file: PathBuf,
    pub span: Range<usize>,
    pub message: String,
}

/// One problem in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path as shown to the user (relative to the site root where possible).
    pub file: PathBuf,
    /// Byte range in the file, if the problem has a place.
    pub span: Option<Range<usize>>,
    /// What is wrong, naming the field where there is one.
    pub message: String,
    /// What was expected or how to fix it.
    pub hint: Option<String>,
    pub note: Option<Box<Note>>,
    /// Set on warnings of one kind that are shown together as one block.
    pub group: Option<Box<Group>>,
}

/// Warnings of one kind shown as one block rather than one snippet each: a heading with
/// their count, one line per warning (its place and [`Group::line`]), and their shared
/// hint. Warnings with the same heading and hint share a block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// The heading after the count when there is one: "record was last checked ...".
    pub one: String,
    /// The heading after the count when there are several: "records were last checked ...".
    pub many: String,
    /// This warning's line in the block, after its file, line and column.
    pub line: String,
}

impl Diagnostic {
    pub fn error(
        file: impl Into<PathBuf>,
        span: Option<Range<usize>>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            span,
            message: message.into(),
            hint: None,
            note: None,
            group: None,
        }
    }

    pub fn warning(
        file: impl Into<PathBuf>,
        span: Option<Range<usize>>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, span, message)
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn with_note(
        mut self,
        file: impl Into<PathBuf>,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        self.note = Some(Box::new(Note {
            file: file.into(),
            span,
            message: message.into(),
        }));
        self
    }

    /// Show this warning in one block with the others of its kind (see [`Group`]).
    pub fn in_group(
        mut self,
        one: impl Into<String>,
        many: impl Into<String>,
        line: impl Into<String>,
    ) -> Self {
        self.group = Some(Box::new(Group {
            one: one.into(),
            many: many.into(),
            line: line.into(),
        }));
        self
    }
}

/// "1 error", "2 errors".
pub fn count(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Whether to write colour codes to a stream: only to a terminal, and never when the
/// `NO_COLOR` environment variable is set and not empty (<https://no-color.org>).
pub fn use_color(stream_is_terminal: bool) -> bool {
    stream_is_terminal && !matches!(std::env::var_os("NO_COLOR"), Some(v) if !v.is_empty())
}

/// The source text of every file read, so that spans can be shown as lines and columns.
#[derive(Debug, Default, Clone)]
pub struct Sources {
    texts: BTreeMap<PathBuf, String>,
}

impl Sources {
    pub fn insert(&mut self, file: &Path, text: &str) {
        self.insert_owned(file, text.to_string());
    }

    /// [`Sources::insert`] without a copy of the text (a content file can be long).
    pub fn insert_owned(&mut self, file: &Path, text: String) {
        self.texts.insert(file.to_path_buf(), text);
    }

    pub fn get(&self, file: &Path) -> Option<&str> {
        self.texts.get(file).map(String::as_str)
    }

    /// One-based line and column (in characters) of a byte offset in a file.
    pub fn line_col(&self, file: &Path, offset: usize) -> Option<(usize, usize)> {
        let text = self.get(file)?;
        Some(line_col(text, offset))
    }
}

/// One-based line and column (counted in characters) of a byte offset in a text.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = text[line_start..offset].chars().count() + 1;
    (line, column)
}

/// All problems found in one run.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn error_count(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    pub fn warning_count(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// Sort errors first, then warnings, each by file and place in the file, so that
    /// errors are never buried under warnings and output is stable.
    pub fn sort(&mut self) {
        self.items.sort_by(|a, b| {
            (
                a.severity,
                &a.file,
                a.span.as_ref().map(|s| s.start),
                &a.message,
            )
                .cmp(&(
                    b.severity,
                    &b.file,
                    b.span.as_ref().map(|s| s.start),
                    &b.message,
                ))
        });
        self.items.dedup();
    }

    /// How many errors and warnings, for summary lines: "2 errors and 9 warnings",
    /// "1 error", "3 warnings", "no problems".
    pub fn counts(&self) -> String {
        match (self.error_count(), self.warning_count()) {
            (0, 0) => "no problems".to_string(),
            (e, 0) => count(e, "error"),
            (0, w) => count(w, "warning"),
            (e, w) => format!("{} and {}", count(e, "error"), count(w, "warning")),
        }
    }

    /// "9 warnings: run clusterdir check to see them", for outputs that show the errors
    /// only; `None` without warnings.
    pub fn warnings_note(&self) -> Option<String> {
        match self.warning_count() {
            0 => None,
            w => Some(format!(
                "{}: run clusterdir check to see {}",
                count(w, "warning"),
                if w == 1 { "it" } else { "them" }
            )),
        }
    }
}

/// The known name closest to `word`, if one is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one_and_in_characters() {
        let text = "a = 1\nbé = \"x\"\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 6), (2, 1));
        // byte 10 is the `=` after "bé " (b: 1 byte, é: 2 bytes, space: 1): column 4
        assert_eq!(line_col(text, 10), (2, 4));
    }

    #[test]
    fn did_you_mean_finds_near_names_only() {
        assert_eq!(
            did_you_mean("phon", ["phone", "email", "name"]),
            Some("phone")
        );
        assert_eq!(did_you_mean("zzzz", ["phone", "email"]), None);
    }

    #[test]
    fn no_color_turns_colour_off_unless_empty() {
        let before = std::env::var_os("NO_COLOR");
        std::env::set_var("NO_COLOR", "1");
        assert!(!use_color(true));
        std::env::set_var("NO_COLOR", "");
        assert!(use_color(true));
        std::env::remove_var("NO_COLOR");
        assert!(use_color(true));
        assert!(!use_color(false));
        if let Some(v) = before {
            std::env::set_var("NO_COLOR", v);
        }
    }
}
