//! Diagnostics as people read them: errors first, then warnings, each kind of grouped
//! warning as one block with its count; each problem with its file, line and column,
//! the source line with a caret, and the hint. Colour only when asked for.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor};

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
}
