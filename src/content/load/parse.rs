//! TOML text to typed values, every error a diagnostic: serde's messages get a hint
//! (the nearest known field, the allowed values, how to add a missing line), and escapes
//! that write invisible control characters are refused before parsing.

use std::ops::Range;
use std::path::Path;

use serde::de::DeserializeOwned;

use crate::diagnostics::{did_you_mean, Diagnostic};

/// Where the TOML starts: after a byte-order mark, if the file has one.
pub(super) fn bom_len(text: &str) -> usize {
    if text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    }
}

/// Parse TOML that starts at `offset` in the file, turning errors into diagnostics.
pub fn parse_toml<T: DeserializeOwned>(
    file: &Path,
    text: &str,
    offset: usize,
) -> Result<T, Vec<Diagnostic>> {
    let skip = bom_len(text);
    if let Some(span) = escaped_control_character(&text[skip..]) {
        let span = span.start + offset + skip..span.end + offset + skip;
        return Err(vec![Diagnostic::error(
            file,
            Some(span),
            "this escape writes an invisible control character, which cannot appear on a web page or in a feed",
        )
        .with_hint("remove it; for a line break in a long text, use a multi-line string (\"\"\"...\"\"\")")]);
    }
    toml::from_str::<T>(&text[skip..]).map_err(|e| vec![toml_error(file, &e, offset + skip)])
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

fn toml_error(file: &Path, e: &toml::de::Error, offset: usize) -> Diagnostic {
    let message = e.message().trim().to_string();
    let span = e
        .span()
        .map(|s: Range<usize>| s.start + offset..s.end.max(s.start + 1) + offset);
    let mut d = Diagnostic::error(file, span, first_line(&message));
    if let Some(hint) = hint_for(&message) {
        d = d.with_hint(hint);
    }
    d
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or(s).to_string()
}

/// A fix for the common serde messages: unknown fields get the nearest known name,
/// unknown variants the list of allowed values, missing fields how to add them.
fn hint_for(message: &str) -> Option<String> {
    let quoted: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
    if message.starts_with("unknown field") || message.starts_with("unknown variant") {
        let (word, expected) = quoted.split_first()?;
        let what = if message.starts_with("unknown field") {
            "fields here are"
        } else {
            "allowed values are"
        };
        let list = expected
            .iter()
            .map(|s| format!("`{s}`"))
            .collect::<Vec<_>>()
            .join(", ");
        return Some(match did_you_mean(word, expected.iter().copied()) {
            Some(best) => format!("did you mean `{best}`? The {what}: {list}"),
            None if expected.is_empty() => "remove this line".to_string(),
            None => format!("the {what}: {list}"),
        });
    }
    if message.starts_with("missing field") {
        let field = quoted.first()?;
        return Some(format!("add a line `{field} = ...` to this table"));
    }
    if message.starts_with("invalid type") {
        return Some(
            "check the quotes: text goes in \"double quotes\", numbers and true/false do not"
                .into(),
        );
    }
    if message.starts_with("duplicate key") {
        return Some("each key may appear once in a table; remove or rename one of them".into());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::load::parse_cluster;
    use crate::diagnostics::line_col;

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
        let err = parse_cluster(Path::new("c.toml"), text).unwrap_err();
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
        let err = parse_cluster(Path::new("c.toml"), text).unwrap_err();
        assert!(
            err[0].message.contains("unknown variant `primry`"),
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
        let err = parse_cluster(Path::new("c.toml"), text).unwrap_err();
        assert_eq!(line_col(text, err[0].span.clone().unwrap().start).0, 1);
    }
}
