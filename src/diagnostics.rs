//! Problems found while loading and checking a site, with their place in the source.
//!
//! Every stage pushes into one [`Diagnostics`] collection so that a single run reports
//! every problem it can find. Each diagnostic names the file, and where the problem has a
//! place in the file, a byte span that is turned into line and column when printed.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor};

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
}

/// The source text of every file read, so that spans can be shown as lines and columns.
#[derive(Debug, Default, Clone)]
pub struct Sources {
    texts: BTreeMap<PathBuf, String>,
}

impl Sources {
    pub fn insert(&mut self, file: &Path, text: &str) {
        self.texts.insert(file.to_path_buf(), text.to_string());
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

    /// Sort by file, then by place in the file, so output is stable.
    pub fn sort(&mut self) {
        self.items.sort_by(|a, b| {
            (
                &a.file,
                a.span.as_ref().map(|s| s.start),
                a.severity,
                &a.message,
            )
                .cmp(&(
                    &b.file,
                    b.span.as_ref().map(|s| s.start),
                    b.severity,
                    &b.message,
                ))
        });
        self.items.dedup();
    }

    /// Render every diagnostic as text: `file:line:column`, the message, the source line
    /// with a caret under the problem, and the hint.
    pub fn render(&self, sources: &Sources, color: bool) -> String {
        let mut files = SimpleFiles::new();
        let mut ids: BTreeMap<&Path, usize> = BTreeMap::new();
        for d in &self.items {
            for (file, _) in
                std::iter::once((&d.file, ())).chain(d.note.as_ref().map(|n| (&n.file, ())))
            {
                if !ids.contains_key(file.as_path()) {
                    let text = sources.get(file).unwrap_or("").to_string();
                    ids.insert(file.as_path(), files.add(file.display().to_string(), text));
                }
            }
        }
        let config = term::Config::default();
        let mut out = String::new();
        for d in &self.items {
            let id = ids[d.file.as_path()];
            let mut cs = match d.severity {
                Severity::Error => CsDiagnostic::error(),
                Severity::Warning => CsDiagnostic::warning(),
            }
            .with_message(&d.message);
            let mut labels = Vec::new();
            let has_source = sources.get(&d.file).is_some();
            if let (Some(span), true) = (&d.span, has_source) {
                labels.push(Label::primary(id, span.clone()));
            }
            if let Some(note) = &d.note {
                if sources.get(&note.file).is_some() {
                    labels.push(
                        Label::secondary(ids[note.file.as_path()], note.span.clone())
                            .with_message(&note.message),
                    );
                }
            }
            cs = cs.with_labels(labels);
            let mut notes = Vec::new();
            if d.span.is_none() || !has_source {
                notes.push(format!("in {}", d.file.display()));
            }
            if let Some(h) = &d.hint {
                notes.push(format!("help: {h}"));
            }
            cs = cs.with_notes(notes);
            let mut buf = if color {
                termcolor::Buffer::ansi()
            } else {
                termcolor::Buffer::no_color()
            };
            if term::emit_to_write_style(&mut buf, &config, &files, &cs).is_err() {
                let _ = writeln!(out, "{}: {}", d.file.display(), d.message);
                continue;
            }
            out.push_str(&String::from_utf8_lossy(buf.as_slice()));
        }
        out
    }

    /// One line per diagnostic, `file:line:column: severity: message (hint)`: for tests,
    /// logs and editors that jump to a location.
    pub fn short_lines(&self, sources: &Sources) -> Vec<String> {
        self.items
            .iter()
            .map(|d| {
                let place = match d
                    .span
                    .as_ref()
                    .and_then(|s| sources.line_col(&d.file, s.start))
                {
                    Some((l, c)) => format!("{}:{l}:{c}", d.file.display()),
                    None => d.file.display().to_string(),
                };
                let sev = match d.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                };
                match &d.hint {
                    Some(h) => format!("{place}: {sev}: {} (help: {h})", d.message),
                    None => format!("{place}: {sev}: {}", d.message),
                }
            })
            .collect()
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
    fn render_shows_file_line_column_and_caret() {
        let mut sources = Sources::default();
        let file = PathBuf::from("content/clusters/x.toml");
        sources.insert(&file, "name = \"X\"\nphone = \"123\"\n");
        let mut ds = Diagnostics::default();
        ds.push(
            Diagnostic::error(&file, Some(19..24), "`phone` is not a UK phone number")
                .with_hint("write it like 0113 378 5254"),
        );
        let text = ds.render(&sources, false);
        assert!(text.contains("content/clusters/x.toml:2:9"), "{text}");
        assert!(text.contains("^^^^^"), "{text}");
        assert!(text.contains("help: write it like 0113 378 5254"), "{text}");
        assert_eq!(
            ds.short_lines(&sources),
            vec!["content/clusters/x.toml:2:9: error: `phone` is not a UK phone number (help: write it like 0113 378 5254)"]
        );
    }
}
