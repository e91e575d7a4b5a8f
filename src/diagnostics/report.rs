//! Diagnostics as people read them: errors first, then warnings, each kind of grouped
//! warning as one block with its count; each problem with its file, line and column,
//! the source line with a caret, and the hint. Colour only when asked for.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::files::{self, Files, SimpleFiles};
use codespan_reporting::term::{self, termcolor};

use crate::diagnostics::terminal::{escaped, EscapedSource};
use crate::diagnostics::{Diagnostic, Diagnostics, Group, Severity, Sources};

/// One entry of the order diagnostics are shown in: a diagnostic, or a block of grouped
/// warnings.
enum Shown<'a> {
    One(&'a Diagnostic),
    Block(Vec<&'a Diagnostic>),
}

impl Diagnostics {
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
        let mut files = ShownFiles::default();
        let mut ids: BTreeMap<&Path, usize> = BTreeMap::new();
        for d in &self.items {
            for file in std::iter::once(&d.file).chain(d.note.as_ref().map(|n| &n.file)) {
                if !ids.contains_key(file.as_path()) {
                    ids.insert(
                        file.as_path(),
                        files.add(file, sources.get(file).unwrap_or("")),
                    );
                }
            }
        }
        let mut out = String::new();
        for entry in self.shown(errors_only) {
            match entry {
                Shown::One(d) => out.push_str(&render_one(d, sources, &files, &ids, color)),
                Shown::Block(ds) => out.push_str(&render_block(&ds, sources, color)),
            }
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
                escaped(&d.message)
            );
            match &d.hint {
                Some(h) => format!("{text} (help: {})", escaped(h)),
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

/// One diagnostic as a codespan snippet: message, place, the source line with a caret
/// (spans moved to where they are in the escaped text), notes and hint. Everything
/// quoted from content is escaped for the terminal.
fn render_one(
    d: &Diagnostic,
    sources: &Sources,
    files: &ShownFiles<'_>,
    ids: &BTreeMap<&Path, usize>,
    color: bool,
) -> String {
    let id = ids[d.file.as_path()];
    let mut cs = match d.severity {
        Severity::Error => CsDiagnostic::error(),
        Severity::Warning => CsDiagnostic::warning(),
    }
    .with_message(escaped(&d.message));
    let mut labels = Vec::new();
    let has_source = sources.get(&d.file).is_some();
    if let (Some(span), true) = (&d.span, has_source) {
        labels.push(Label::primary(id, files.escaped[id].span(span)));
    }
    if let Some(note) = &d.note {
        if sources.get(&note.file).is_some() {
            let note_id = ids[note.file.as_path()];
            labels.push(
                Label::secondary(note_id, files.escaped[note_id].span(&note.span))
                    .with_message(escaped(&note.message)),
            );
        }
    }
    cs = cs.with_labels(labels);
    let mut notes = Vec::new();
    if d.span.is_none() || !has_source {
        notes.push(format!("in {}", shown_path(&d.file)));
    }
    if let Some(h) = &d.hint {
        notes.push(format!("help: {}", escaped(h)));
    }
    cs = cs.with_notes(notes);
    let mut buf = if color {
        termcolor::Buffer::ansi()
    } else {
        termcolor::Buffer::no_color()
    };
    let config = term::Config::default();
    if term::emit_to_write_style(&mut buf, &config, files, &cs).is_err() {
        return format!("{}: {}\n", shown_path(&d.file), escaped(&d.message));
    }
    String::from_utf8_lossy(buf.as_slice()).into_owned()
}

/// The files that snippets quote, as shown: their text with control characters escaped
/// ([`EscapedSource`]), but lines and columns counted in the file as written, so the
/// place a snippet names is the place `short_lines` names.
#[derive(Default)]
struct ShownFiles<'s> {
    files: SimpleFiles<String, String>,
    escaped: Vec<EscapedSource>,
    originals: Vec<&'s str>,
}

impl<'s> ShownFiles<'s> {
    fn add(&mut self, file: &Path, text: &'s str) -> usize {
        let escaped = EscapedSource::new(text);
        let id = self.files.add(shown_path(file), escaped.text.clone());
        self.escaped.push(escaped);
        self.originals.push(text);
        id
    }
}

impl<'a> Files<'a> for ShownFiles<'_> {
    type FileId = usize;
    type Name = String;
    type Source = &'a str;

    fn name(&'a self, id: usize) -> Result<String, files::Error> {
        self.files.name(id)
    }

    fn source(&'a self, id: usize) -> Result<&'a str, files::Error> {
        self.files.source(id)
    }

    fn line_index(&'a self, id: usize, byte_index: usize) -> Result<usize, files::Error> {
        self.files.line_index(id, byte_index)
    }

    fn line_range(&'a self, id: usize, line: usize) -> Result<Range<usize>, files::Error> {
        self.files.line_range(id, line)
    }

    /// The column in the file as written, in characters, as [`super::line_col`] counts.
    fn column_number(&'a self, id: usize, line: usize, byte: usize) -> Result<usize, files::Error> {
        let start = self.files.line_range(id, line)?.start;
        let (escaped, text) = (&self.escaped[id], self.originals[id]);
        let (from, to) = (escaped.original(start), escaped.original(byte));
        Ok(text.get(from..to).map_or(0, |s| s.chars().count()) + 1)
    }
}

/// A file's path as shown on the terminal (a file name may hold control characters too).
fn shown_path(file: &Path) -> String {
    escaped(&file.display().to_string()).into_owned()
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
        Some((l, c)) => format!("{}:{l}:{c}", shown_path(&d.file)),
        None => shown_path(&d.file),
    }
}

/// "9 records were last checked more than 12 months ago".
fn block_heading(ds: &[&Diagnostic]) -> String {
    let g = ds[0]
        .group
        .as_ref()
        .expect("a block holds grouped diagnostics");
    let what = if ds.len() == 1 { &g.one } else { &g.many };
    format!("{} {}", ds.len(), escaped(what))
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
        let _ = writeln!(buf, "  {p:<width$}  {}", escaped(line));
    }
    if let Some(h) = &ds[0].hint {
        let _ = writeln!(buf, "  = help: {}", escaped(h));
    }
    let _ = writeln!(buf);
    String::from_utf8_lossy(buf.as_slice()).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

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

    #[test]
    fn snippets_show_control_characters_escaped_at_the_right_place() {
        let mut rng = fastrand::Rng::with_seed(3);
        let unsafe_chars = [
            '\u{1b}', '\u{7}', '\r', '\u{7f}', '\u{9b}', '\u{202e}', '\u{2066}',
        ];
        for _ in 0..50 {
            let mut line = String::new();
            for _ in 0..rng.usize(1..8) {
                line.push(unsafe_chars[rng.usize(..unsafe_chars.len())]);
                line.push_str(["[2J", "é", "x", "]0;t"][rng.usize(..4)]);
            }
            let text = format!("first\n{line} [x](/nowhere/) {line}\n");
            let file = PathBuf::from("g.md");
            let mut sources = Sources::default();
            sources.insert(&file, &text);
            let at = text.find("[x]").unwrap();
            let mut ds = Diagnostics::default();
            ds.push(Diagnostic::error(&file, Some(at..at + 3), "broken link"));
            let out = ds.render(&sources, false);
            assert!(
                !out.chars()
                    .any(|c| c != '\n' && super::super::terminal::is_unsafe(c)),
                "{out:?}"
            );
            let (l, c) = sources.line_col(&file, at).unwrap();
            assert!(out.contains(&format!("g.md:{l}:{c}")), "{out}");
            // The caret is under the link in the escaped line.
            let lines: Vec<&str> = out.lines().collect();
            let i = lines
                .iter()
                .position(|s| s.contains("[x](/nowhere/)"))
                .unwrap();
            let link = lines[i].find("[x]").unwrap();
            let caret = lines[i + 1].find('^').unwrap();
            assert_eq!(
                lines[i][..link].chars().count(),
                lines[i + 1][..caret].chars().count(),
                "{out}"
            );
        }
    }
}
