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

/// One entry of the order diagnostics are shown in: a diagnostic, or a block of grouped
/// warnings.
enum Shown<'a> {
    One(&'a Diagnostic),
    Block(Vec<&'a Diagnostic>),
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

    /// The order diagnostics are shown in: errors, then warnings, each kind of grouped
    /// warning as one block where its first warning would be.
    fn shown(&self, errors_only: bool) -> Vec<Shown<'_>> {
        let mut shown = Vec::new();
        let mut blocks: Vec<(&Group, &Option<String>, usize)> = Vec::new();
        for severity in [Severity::Error, Severity::Warning] {
            if errors_only && severity == Severity::Warning {
                break;
            }
            for d in self.items.iter().filter(|d| d.severity == severity) {
                let Some(g) = &d.group else {
                    shown.push(Shown::One(d));
                    continue;
                };
                let found = blocks
                    .iter()
                    .find(|(bg, bh, _)| bg.one == g.one && bg.many == g.many && **bh == d.hint);
                match found {
                    Some(&(_, _, i)) => {
                        if let Shown::Block(v) = &mut shown[i] {
                            v.push(d);
                        }
                    }
                    None => {
                        blocks.push((g, &d.hint, shown.len()));
                        shown.push(Shown::Block(vec![d]));
                    }
                }
            }
        }
        shown
    }

    /// The errors only, rendered like [`Diagnostics::render`] (for `serve` and `build`,
    /// which count the warnings and leave them to `check`).
    pub fn render_errors(&self, sources: &Sources, color: bool) -> String {
        self.render_shown(sources, color, true)
    }

    /// Render every diagnostic as text, errors first: `file:line:column`, the message, the
    /// source line with a caret under the problem, and the hint. Grouped warnings are
    /// one block each: a heading with the count, a line per warning, the shared hint.
    pub fn render(&self, sources: &Sources, color: bool) -> String {
        self.render_shown(sources, color, false)
    }

    fn render_shown(&self, sources: &Sources, color: bool, errors_only: bool) -> String {
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
        for entry in self.shown(errors_only) {
            let d = match entry {
                Shown::One(d) => d,
                Shown::Block(ds) => {
                    out.push_str(&render_block(&ds, sources, color));
                    continue;
                }
            };
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

    /// One line per diagnostic, errors first, `file:line:column: severity: message
    /// (hint)`: for tests, logs and editors that jump to a location, so every line keeps
    /// its place and full message. Grouped warnings (one line each here already) are
    /// listed together, where their block is in [`Diagnostics::render`].
    pub fn short_lines(&self, sources: &Sources) -> Vec<String> {
        let line = |d: &Diagnostic| {
            let text = format!(
                "{}: {}: {}",
                place(d, sources),
                d.severity.name(),
                d.message
            );
            match &d.hint {
                Some(h) => format!("{text} (help: {h})"),
                None => text,
            }
        };
        let mut lines = Vec::new();
        for entry in self.shown(false) {
            match entry {
                Shown::One(d) => lines.push(line(d)),
                Shown::Block(ds) => lines.extend(ds.into_iter().map(line)),
            }
        }
        lines
    }
}

impl Severity {
    fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// `file:line:column`, or the file alone when the problem has no place.
fn place(d: &Diagnostic, sources: &Sources) -> String {
    match d
        .span
        .as_ref()
        .and_then(|s| sources.line_col(&d.file, s.start))
    {
        Some((l, c)) => format!("{}:{l}:{c}", d.file.display()),
        None => d.file.display().to_string(),
    }
}

/// "9 records were last checked more than 12 months ago".
fn block_heading(ds: &[&Diagnostic]) -> String {
    let g = ds[0]
        .group
        .as_ref()
        .expect("a block holds grouped diagnostics");
    let what = if ds.len() == 1 { &g.one } else { &g.many };
    format!("{} {what}", ds.len())
}

/// A block of grouped warnings: the heading with the count, one line per warning with
/// its place lined up, and the shared hint.
fn render_block(ds: &[&Diagnostic], sources: &Sources, color: bool) -> String {
    use std::io::Write as _;
    use termcolor::{Color, ColorSpec, WriteColor};
    let mut buf = if color {
        termcolor::Buffer::ansi()
    } else {
        termcolor::Buffer::no_color()
    };
    let severity_color = match ds[0].severity {
        Severity::Error => Color::Red,
        Severity::Warning => Color::Yellow,
    };
    let _ = buf.set_color(ColorSpec::new().set_bold(true).set_fg(Some(severity_color)));
    let _ = write!(buf, "{}", ds[0].severity.name());
    let _ = buf.set_color(ColorSpec::new().set_bold(true));
    let _ = write!(buf, ": {}", block_heading(ds));
    let _ = buf.reset();
    let _ = writeln!(buf);
    let places: Vec<String> = ds.iter().map(|d| place(d, sources)).collect();
    let width = places.iter().map(|p| p.chars().count()).max().unwrap_or(0);
    for (d, p) in ds.iter().zip(&places) {
        let line = d.group.as_ref().map_or(&d.message, |g| &g.line);
        let _ = writeln!(buf, "  {p:<width$}  {line}");
    }
    if let Some(h) = &ds[0].hint {
        let _ = writeln!(buf, "  = help: {h}");
    }
    let _ = writeln!(buf);
    String::from_utf8_lossy(buf.as_slice()).into_owned()
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

    #[test]
    fn errors_come_first_and_grouped_warnings_are_one_block() {
        let mut sources = Sources::default();
        let (a, b) = (PathBuf::from("a.toml"), PathBuf::from("b.toml"));
        sources.insert(&a, "last_reviewed = 2014-07-24\n");
        sources.insert(&b, "last_reviewed = 2014-07-24\nphone = \"1\"\n");
        let mut ds = Diagnostics::default();
        for f in [&a, &b] {
            ds.push(
                Diagnostic::warning(f, Some(16..26), "this record is old")
                    .with_hint("check it")
                    .in_group("record is old", "records are old", "checked 24 July 2014"),
            );
        }
        ds.push(Diagnostic::error(&b, Some(35..38), "bad phone"));
        ds.sort();
        let text = ds.render(&sources, false);
        let error = text.find("error: bad phone").expect(&text);
        let block = text.find("warning: 2 records are old").expect(&text);
        assert!(error < block, "{text}");
        assert_eq!(text.matches("warning").count(), 1, "{text}");
        assert_eq!(text.matches("help: check it").count(), 1, "{text}");
        assert!(
            text.contains("  a.toml:1:17  checked 24 July 2014\n"),
            "{text}"
        );
        assert!(!ds.render_errors(&sources, false).contains("warning"));
        assert_eq!(ds.counts(), "1 error and 2 warnings");
        let lines = ds.short_lines(&sources);
        assert!(
            lines[0].starts_with("b.toml:2:9: error: bad phone"),
            "{lines:?}"
        );
        assert!(lines[1].starts_with("a.toml:1:17: warning:"), "{lines:?}");
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
