//! TOML text to typed values, every error a diagnostic: serde's messages get a hint
//! (the nearest known field, the allowed values, how to add a missing line), and escapes
//! that write invisible control characters are refused before parsing.

use std::ops::Range;
use std::path::Path;

use serde::de::DeserializeOwned;

use super::messages::{meant, missing_field, toml_error};
use crate::diagnostics::{did_you_mean, Diagnostic};

/// Where the TOML starts: after a byte-order mark, if the file has one.
pub(super) fn bom_len(text: &str) -> usize {
    if text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    }
}

/// What parsing one file gives: its value when it could be read, and every problem
/// found. An entry with a problem (a field the model does not have, a value of the
/// wrong kind) is reported and left out, and the rest of the record is still read and
/// checked; when what is left out was required, or the text cannot be parsed at all,
/// there is no value.
#[derive(Debug, Clone)]
pub struct Parsed<T> {
    pub value: Option<T>,
    pub problems: Vec<Diagnostic>,
}

impl<T> Parsed<T> {
    /// No value: the file could not be used.
    pub fn failed(problems: Vec<Diagnostic>) -> Self {
        Parsed {
            value: None,
            problems,
        }
    }

    /// The value only when there was no problem at all.
    pub fn into_result(self) -> Result<T, Vec<Diagnostic>> {
        match self.value {
            Some(v) if self.problems.is_empty() => Ok(v),
            _ => Err(self.problems),
        }
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Parsed<U> {
        Parsed {
            value: self.value.map(f),
            problems: self.problems,
        }
    }
}

/// Parse TOML that starts at `offset` in the file, turning errors into diagnostics.
pub fn parse_toml<T: DeserializeOwned>(
    file: &Path,
    text: &str,
    offset: usize,
) -> Result<T, Vec<Diagnostic>> {
    parse_toml_all(file, text, offset).into_result()
}

/// Most problems reported in one file before giving up on it.
const MAX_PROBLEMS: usize = 100;

/// Parse TOML that starts at `offset` in the file, reporting every problem of its
/// entries at once: the entry with the problem is reported and blanked out (replaced by
/// spaces, so positions stay the same) and the rest is parsed again. A record whose
/// problems were all in optional entries is still returned, so its values get checked.
pub fn parse_toml_all<T: DeserializeOwned>(file: &Path, text: &str, offset: usize) -> Parsed<T> {
    let skip = bom_len(text);
    if let Some(span) = escaped_control_character(&text[skip..]) {
        let span = span.start + offset + skip..span.end + offset + skip;
        return Parsed::failed(vec![Diagnostic::error(
            file,
            Some(span),
            "this escape writes an invisible control character, which cannot appear on a web page or in a feed",
        )
        .with_hint("remove it; for a line break in a long text, use a multi-line string (\"\"\"...\"\"\")")]);
    }
    let mut work = text[skip..].to_string();
    let mut problems = Vec::new();
    // Entries left out because their value was wrong: a "missing field" for one of them
    // is not a problem of its own.
    let mut left_out: Vec<String> = Vec::new();
    // Fields the model does not have, left out: a "missing field" that one of them was
    // surely meant to be (a misspelling) is not reported again.
    let mut unknown: Vec<String> = Vec::new();
    for _ in 0..MAX_PROBLEMS {
        let e = match toml::from_str::<T>(&work) {
            // Without the entries left out the record is still whole (they were all
            // optional), so the rest of it is checked too.
            Ok(value) => {
                return Parsed {
                    value: Some(value),
                    problems,
                }
            }
            Err(e) => e,
        };
        if let Some(field) = missing_field(e.message()) {
            let misspelt = unknown.iter().any(|u| did_you_mean(u, [field]).is_some());
            if misspelt || left_out.iter().any(|k| k == field) {
                break;
            }
        }
        problems.push(toml_error(file, &e, offset + skip, &work));
        // A missing field's place is its table, not an entry: blanking the entry there
        // would leave a table of another kind for the next pass to misread.
        if missing_field(e.message()).is_some() {
            break;
        }
        // A misspelt field is read under the name it was surely meant to have, so the
        // rest of the record is checked as if it were spelt right.
        if let Some(next) = e
            .span()
            .zip(meant(e.message()))
            .and_then(|(at, name)| respell(&work, at, &name))
        {
            if toml::from_str::<toml::Table>(&next).is_ok() {
                work = next;
                continue;
            }
        }
        let Some((next, key)) = e.span().and_then(|at| blank_entry(&work, at)) else {
            break;
        };
        if unknown_field(&e).is_none() {
            left_out.push(key);
        } else {
            unknown.push(key);
        }
        work = next;
    }
    Parsed::failed(problems)
}

/// `text` with the key at `key` (a one-line `key = value` entry) written as `name`,
/// every position after the entry kept: the entry is written again in the same number
/// of bytes, padded with spaces, or `None` when it does not fit.
fn respell(text: &str, key: Range<usize>, name: &str) -> Option<String> {
    let line_end = text[key.end..]
        .find('\n')
        .map_or(text.len(), |i| key.end + i);
    let rest = &text[key.end..line_end];
    let value = rest.trim_start().strip_prefix('=')?.trim();
    let old_len = line_end - key.start;
    let written = [format!("{name} = {value}"), format!("{name}={value}")]
        .into_iter()
        .find(|w| w.len() <= old_len)?;
    let padded = format!("{written:<old_len$}");
    Some(format!(
        "{}{padded}{}",
        &text[..key.start],
        &text[line_end..]
    ))
}

/// The span of the key, when the error is a field the model does not have.
fn unknown_field(e: &toml::de::Error) -> Option<Range<usize>> {
    e.message()
        .starts_with("unknown field")
        .then(|| e.span())
        .flatten()
}

/// `text` with the `key = value` entry that holds `at` replaced by spaces (line breaks
/// kept), and the entry's key; `None` when `at` is not on an entry's first line (inside
/// a multi-line array, say) or what is left is not valid TOML, and the file is given up.
fn blank_entry(text: &str, at: Range<usize>) -> Option<(String, String)> {
    let line_start = text[..at.start].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..at.start];
    let key_first = before.trim().is_empty() || before.trim_end().ends_with('=');
    if !key_first || before.trim_start().starts_with('[') {
        return None;
    }
    // The entry ends at the first line end after which it reads as one whole entry.
    let mut end = at.start;
    while end < text.len() {
        end = text[end..].find('\n').map_or(text.len(), |i| end + i);
        let entry = &text[line_start..end];
        if let Some(key) = single_key(entry) {
            // One space per byte, so every later position stays where it was.
            let blanked: String = entry
                .chars()
                .map(|c| {
                    if c == '\n' {
                        "\n".to_string()
                    } else {
                        " ".repeat(c.len_utf8())
                    }
                })
                .collect();
            let next = format!("{}{blanked}{}", &text[..line_start], &text[end..]);
            return next.parse::<toml::Table>().is_ok().then_some((next, key));
        }
        end += 1;
    }
    None
}

/// The key of `entry` when it is exactly one `key = value` entry.
fn single_key(entry: &str) -> Option<String> {
    let table = entry.parse::<toml::Table>().ok()?;
    let mut keys = table.keys();
    let key = keys.next()?.clone();
    keys.next().is_none().then_some(key)
}

/// The span of the first `\uXXXX`, `\UXXXXXXXX`, `\xHH` or `\e` escape in `text` that
/// writes a control character other than tab, line feed or carriage return (a NUL, for
/// example, is not allowed in HTML text or XML). TOML forbids such characters typed
/// raw but allows them escaped, so they are looked for before parsing.
fn escaped_control_character(text: &str) -> Option<Range<usize>> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(found) = bytes[i..].iter().position(|&b| b == b'\\') {
        let start = i + found;
        let kind = bytes.get(start + 1).copied();
        let digits = match kind {
            Some(b'u') => 4,
            Some(b'U') => 8,
            Some(b'x') => 2,
            Some(b'e') => return Some(start..start + 2),
            _ => 0,
        };
        let hex = text.get(start + 2..start + 2 + digits).unwrap_or("");
        if digits > 0 {
            if let Ok(code) = u32::from_str_radix(hex, 16) {
                let c = char::from_u32(code).unwrap_or('\0');
                if c.is_control() && !matches!(c, '\t' | '\n' | '\r') {
                    return Some(start..start + 2 + digits);
                }
            }
        }
        // `\\` is an escaped backslash: skip both, so `\\u0000` is the text "\u0000".
        i = start + if kind == Some(b'\\') { 2 } else { 1 };
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::load::parse_cluster;
    use crate::diagnostics::line_col;

    /// Each problem's line in `text` and the start of its message, in line order (the
    /// report sorts them so too).
    fn lines_of(text: &str, problems: &[Diagnostic]) -> Vec<(usize, String)> {
        let mut lines: Vec<(usize, String)> = problems
            .iter()
            .map(|d| {
                let at = d.span.as_ref().expect("every problem has a place").start;
                let words: String = d
                    .message
                    .split_whitespace()
                    .take(2)
                    .collect::<Vec<_>>()
                    .join(" ");
                (line_col(text, at).0, words)
            })
            .collect();
        lines.sort();
        lines
    }

    #[test]
    fn unknown_fields_are_all_reported_and_the_rest_of_the_record_is_kept() {
        let text = "name = \"Café é\"\ncolour = \"blue\"\nlast_reviewed = \"2025-01\"\n\n[help]\nemial = \"x@example.org\"\nphone = \"0113 496 0000\"\n";
        let parsed = parse_cluster(Path::new("c.toml"), text);
        assert_eq!(
            lines_of(text, &parsed.problems),
            vec![(2, "unknown field".into()), (6, "unknown field".into())]
        );
        let record = parsed
            .value
            .expect("a record with only unknown fields is kept");
        let phone = record.data.help.unwrap().phone.unwrap();
        // Blanking kept every position: the phone's span still points at its value.
        assert_eq!(&text[phone.span()], "\"0113 496 0000\"");
        assert_eq!(record.data.name, "Café é");
    }

    #[test]
    fn every_bad_entry_is_reported_and_the_rest_of_the_record_is_still_checked() {
        let text = "name = \"A\"\ncolour = 1\nstatus = \"paused\"\nquick_exit = \"yes\"\nlast_reviewed = \"2025-01\"\n\n[help]\nemial = \"x\"\n";
        let parsed = parse_cluster(Path::new("c.toml"), text);
        assert_eq!(
            lines_of(text, &parsed.problems),
            vec![
                (2, "unknown field".into()),
                (3, "`paused` is".into()),
                (4, "this should".into()),
                (8, "unknown field".into()),
            ]
        );
        assert!(
            parsed.value.is_some(),
            "the entries left out were all optional"
        );
    }

    #[test]
    fn a_required_field_left_out_for_its_bad_value_is_not_also_missing() {
        let text = "name = 5\nlast_reviewed = \"2025-01\"\n";
        let parsed = parse_cluster(Path::new("c.toml"), text);
        assert_eq!(
            lines_of(text, &parsed.problems),
            vec![(1, "this should".into())]
        );
        // A field that really is missing is still reported.
        let parsed = parse_cluster(
            Path::new("c.toml"),
            "colour = 1\nlast_reviewed = \"2025-01\"\n",
        );
        let messages: Vec<&str> = parsed.problems.iter().map(|d| d.message.as_str()).collect();
        assert!(
            messages[0].starts_with("unknown field `colour`"),
            "{messages:?}"
        );
        assert!(
            messages[1].starts_with("missing field `name`"),
            "{messages:?}"
        );
    }

    #[test]
    fn a_misspelt_field_is_read_as_meant_so_the_rest_is_checked() {
        let text = "nmae = \"Bad\"\nlast_reviewd = 2025-01-01\n\n[help]\nphnoe = \"0113 496\"\n";
        let parsed = parse_cluster(Path::new("c.toml"), text);
        assert_eq!(
            lines_of(text, &parsed.problems),
            vec![
                (1, "unknown field".into()),
                (2, "unknown field".into()),
                (5, "unknown field".into())
            ]
        );
        let record = parsed.value.expect("read with the fields as meant");
        assert_eq!(record.data.name, "Bad");
        let phone = record.data.help.unwrap().phone.unwrap();
        assert_eq!(&text[phone.span()], "\"0113 496\"", "positions are kept");
        // A name that does not fit in the line's bytes is left out instead.
        let text = "nme=\"B\"\nlast_reviewed = 2025-01-01\n";
        let parsed = parse_cluster(Path::new("c.toml"), text);
        assert!(
            parsed.value.is_none() && parsed.problems.len() == 1,
            "{:?}",
            parsed.problems
        );
    }

    #[test]
    fn a_problem_that_cannot_be_blanked_out_stops_that_file_only() {
        // Inside an inline table and in a multi-line array: reported, then the file stops.
        for text in [
            "name = \"A\"\nlast_reviewed = \"2025-01\"\nhelp = { zzz = \"x\" }\ncolour = 1\n",
            "name = \"A\"\nlast_reviewed = \"2025-01\"\nsources = [\n  1,\n]\ncolour = 1\n",
        ] {
            let parsed = parse_cluster(Path::new("c.toml"), text);
            assert!(parsed.value.is_none(), "{text}");
            assert!(
                !parsed.problems.is_empty() && parsed.problems.len() <= 2,
                "{:?}",
                parsed.problems
            );
        }
        // A syntax error: one problem, no value.
        let parsed = parse_cluster(Path::new("c.toml"), "name = \"A\nlast_reviewed = 2016-01\n");
        assert_eq!(parsed.problems.len(), 1);
        assert!(parsed.value.is_none());
    }

    #[test]
    fn escaped_control_characters_are_found_and_ordinary_escapes_are_not() {
        for (text, found) in [
            (r#"name = "A\u0000B""#, Some(9..15)),
            (r#"name = "A\U0000001bB""#, Some(9..19)),
            (r#"name = "A\x07""#, Some(9..13)),
            (r#"name = "A\eB""#, Some(9..11)),
            (r#"name = "A\u00e9 \t \n \u000a \"q\" ""#, None),
            (r#"name = "C:\\u0000""#, None),
            (r#"name = "é\u0085""#, Some(10..16)),
        ] {
            assert_eq!(escaped_control_character(text), found, "{text}");
        }
    }

    #[test]
    fn missing_required_field_is_named() {
        let text = "name = \"X\"\n";
        let err = parse_cluster(Path::new("c.toml"), text)
            .into_result()
            .unwrap_err();
        assert!(
            err[0].message.contains("missing field `last_reviewed`"),
            "{}",
            err[0].message
        );
        assert_eq!(
            err[0].hint.as_deref(),
            Some("add a line `last_reviewed = ...` to this table")
        );
    }

    #[test]
    fn unknown_enum_value_lists_allowed_values() {
        let text = "name = \"X\"\nlast_reviewed = 2025-01-01\n[[schools]]\nname = \"A\"\nphase = \"primry\"\n";
        let err = parse_cluster(Path::new("c.toml"), text)
            .into_result()
            .unwrap_err();
        assert!(
            err[0]
                .message
                .contains("`primry` is not one of the allowed values"),
            "{}",
            err[0].message
        );
        assert!(err[0]
            .hint
            .as_deref()
            .unwrap()
            .starts_with("did you mean `primary`?"));
        assert_eq!(line_col(text, err[0].span.clone().unwrap().start), (5, 9));
    }

    #[test]
    fn syntax_error_points_at_the_line() {
        let text = "name = \"X\nlast_reviewed = 2025-01-01\n";
        let err = parse_cluster(Path::new("c.toml"), text)
            .into_result()
            .unwrap_err();
        assert_eq!(line_col(text, err[0].span.clone().unwrap().start).0, 1);
    }
}
