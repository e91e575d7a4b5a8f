//! The parser's messages in words a comms officer can act on: the mistakes people make
//! most (missing quotes, curly quotes, a month-only date, a phone number without quotes,
//! a field at the wrong level...) said plainly, each with how to put it right; the other
//! messages shortened, with the nearest known name or the allowed values as a hint.

use std::ops::Range;
use std::path::Path;

use crate::diagnostics::{did_you_mean, Diagnostic};

/// A parser error as a diagnostic, at its place in the file.
pub(super) fn toml_error(
    file: &Path,
    e: &toml::de::Error,
    offset: usize,
    text: &str,
) -> Diagnostic {
    let message = e.message().trim().to_string();
    let found = e
        .span()
        .and_then(|s| text.get(s.start..))
        .and_then(|t| t.chars().next());
    let span = e
        .span()
        .map(|s: Range<usize>| s.start + offset..s.end.max(s.start + 1) + offset);
    let line = e.span().map(|s| line_at(text, s.start)).unwrap_or_default();
    let (said, hint) = match in_context(&message, &line)
        .or_else(|| in_plain_words(&message, found).map(|(said, hint)| (said, hint.to_string())))
    {
        Some((said, hint)) => (said, Some(hint)),
        None => (short_message(&message), hint_for(&message)),
    };
    let d = Diagnostic::error(file, span, said);
    match hint {
        Some(hint) => d.with_hint(hint),
        None => d,
    }
}

/// The whole line of `text` that holds `at`.
fn line_at(text: &str, at: usize) -> String {
    let start = text[..at.min(text.len())].rfind('\n').map_or(0, |i| i + 1);
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    text[start..end].to_string()
}

/// Sections that hold a list of items, each item under its own `[[name]]` header.
const LISTS_OF_SECTIONS: &[&str] = &[
    "schools",
    "children_centres",
    "offer",
    "contacts",
    "meetings",
    "updates",
    "priorities",
    "funding",
    "opening_hours",
    "categories",
];

/// Fields that hold a date.
const DATES: &[&str] = &["last_reviewed", "reopens", "date", "edition"];

/// Mistakes whose words depend on the line they are on: a table header with the wrong
/// number of brackets, a section or a list of sections written as one value, a date
/// written another way.
fn in_context(message: &str, line: &str) -> Option<(String, String)> {
    let first = first_line(message);
    let trimmed = line.trim();
    if trimmed.starts_with('[') {
        let double = trimmed.starts_with("[[");
        let name = trimmed.trim_matches(|c| c == '[' || c == ']' || c == ' ');
        if !double && first.contains("expected a sequence") {
            return Some((
                format!("`{name}` holds a list of items, so each item starts with two brackets"),
                format!("write [[{name}]] above each item"),
            ));
        }
        if double && first.starts_with("invalid type") && !LISTS_OF_SECTIONS.contains(&name) {
            return Some((
                format!("`{name}` is one section, not a list"),
                format!("write [{name}], with one bracket on each side"),
            ));
        }
        return None;
    }
    let key = trimmed.split('=').next()?.trim().trim_matches('"');
    if first.contains("expected a sequence") && LISTS_OF_SECTIONS.contains(&key) {
        return Some((
            format!("`{key}` is a list of sections, not a single value"),
            format!("write each one under its own [[{key}]] line, with its fields on the lines below (see the format guide)"),
        ));
    }
    if first.starts_with("invalid type") && first.contains("expected struct") {
        return Some((
            format!("`{key}` is a section with fields of its own, not a single value"),
            format!("write [{key}] on a line of its own and its fields below it, or {key} = {{ field = value, ... }}"),
        ));
    }
    let value = trimmed.split_once('=').map_or("", |(_, v)| v.trim());
    let month_only = value.len() == 7 && value.as_bytes().get(4) == Some(&b'-');
    if DATES.contains(&key)
        && !month_only
        && (first.starts_with("invalid date") || first.starts_with("string values must be quoted"))
    {
        return Some((
            format!("`{value}` is not a date written year-month-day, or not a day that exists"),
            "write a date as 2026-01-31 (year, month, day), or a month in quotes as \"2026-01\""
                .to_string(),
        ));
    }
    None
}

/// The parser's message for a mistake people often make, said in plain words, with how
/// to put it right. `found` is the character the parser stopped at.
fn in_plain_words(message: &str, found: Option<char>) -> Option<(String, &'static str)> {
    let curly = matches!(
        found,
        Some('\u{201c}' | '\u{201d}' | '\u{2018}' | '\u{2019}')
    );
    let said = |s: &str| s.to_string();
    Some(match first_line(message).as_str() {
        _ if curly => (
            said("these are curly quotes (“ ”), as a word processor types them; a record needs straight ones"),
            "type straight double quotes around the text: area = \"North east Leeds\"",
        ),
        m if m.starts_with("invalid basic string") => (
            said("this text has no closing quote"),
            "end the text with \" on the same line; text over several lines goes between three quotes: \"\"\"...\"\"\"",
        ),
        m if m.starts_with("string values must be quoted") => (
            said("text must be in double quotes"),
            "write it like area = \"North east Leeds\"",
        ),
        m if m.starts_with("invalid date") => (
            said("a date with no day must be in quotes"),
            "write the month in quotes, like \"2016-01\", or the whole date without quotes, like 2016-01-31",
        ),
        m if m.starts_with("unexpected leading zero") => (
            said("a number here starts with 0: phone numbers are text and need quotes"),
            "write it like phone = \"0113 496 0000\"",
        ),
        m if m.starts_with("key with no value") => (
            said("there is no = between this field and its value"),
            "write the field, =, then the value: area = \"North east Leeds\"",
        ),
        m if m.starts_with("unclosed array table") => (
            said("this list header is not closed"),
            "a header for one item of a list has two brackets on each side, like [[offer]]",
        ),
        m if m.starts_with("unclosed table") => (
            said("this table header is not closed"),
            "a table header has one bracket on each side, like [help]",
        ),
        m if m.starts_with("invalid boolean") => (
            said("yes or no is written true or false, in small letters and without quotes"),
            "write true or false",
        ),
        m if m.starts_with("unexpected key or value") => (
            said("there is something more after the value on this line"),
            "put one field on each line; text that holds double quotes goes in single quotes: 'the \"hub\"'",
        ),
        m if m.starts_with("duplicate key") => (
            said("this field is written twice in the same table (a duplicate)"),
            "each field may appear once in a table: remove one of the two lines",
        ),
        m if m.starts_with("invalid type") && m.ends_with("expected a sequence") => (
            said("this should be a list, not a single value"),
            "write a list in square brackets: [\"first\", \"second\"]",
        ),
        m if m.starts_with("invalid type") && m.ends_with("expected a boolean") => (
            said("this should be true or false"),
            "write true or false, without quotes",
        ),
        m if m.starts_with("invalid type: floating point") && (m.contains("expected i") || m.contains("expected u")) => (
            said("this should be a whole number (nan, inf and decimals are not)"),
            "write a whole number without a decimal point, like 3",
        ),
        m if m.starts_with("invalid value: integer `-") && m.contains("expected u") => (
            said("this should be a whole number of 0 or more"),
            "write a whole number that is not negative, like 3",
        ),
        m if m.starts_with("invalid value: integer") && (m.contains("expected i") || m.contains("expected u")) => (
            said("this number is too large here"),
            "write a smaller whole number",
        ),
        m if m.starts_with("invalid type") && (m.contains("expected i") || m.contains("expected u") || m.contains("expected f")) => (
            said("this should be a number"),
            "write the number without quotes, like 3",
        ),
        m if m.starts_with("invalid type") && m.ends_with("expected a string") => (
            said("this should be text in double quotes"),
            "put the value in double quotes, like \"3 to 11\"",
        ),
        _ => return None,
    })
}

/// The parser's message without the list of what was expected, which the hint gives.
fn short_message(message: &str) -> String {
    let line = first_line(message);
    let head = line.split(", expected one of").next().unwrap_or(&line);
    match head.strip_prefix("unknown variant `") {
        Some(value) => format!("`{} is not one of the allowed values", value),
        None => head.to_string(),
    }
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or(s).to_string()
}

/// The tables of a cluster record where a field written at the wrong level belongs, as
/// the content model's description has them: "[help]", "[help] or [[contacts]]".
fn belongs_in(field: &str) -> Option<String> {
    let tables = crate::content::schema::cluster_tables_with(field);
    match tables.as_slice() {
        [] => None,
        [one] => Some(one.clone()),
        [first @ .., last] => Some(format!("{} or {last}", first.join(", "))),
    }
}

/// For "unknown field" and "unknown variant" messages: the word written and the names
/// the parser expected instead.
fn unknown_and_expected(message: &str) -> Option<(&str, Vec<&str>)> {
    if !(message.starts_with("unknown field") || message.starts_with("unknown variant")) {
        return None;
    }
    let quoted: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
    let (word, expected) = quoted.split_first()?;
    Some((word, expected.to_vec()))
}

/// For an unknown field, the known field it is surely a misspelling of.
pub(super) fn meant(message: &str) -> Option<String> {
    if !message.starts_with("unknown field") {
        return None;
    }
    let (word, expected) = unknown_and_expected(message)?;
    did_you_mean(word, expected.iter().copied()).map(str::to_string)
}

/// The field named by a "missing field" message.
pub(super) fn missing_field(message: &str) -> Option<&str> {
    message.strip_prefix("missing field `")?.split('`').next()
}

/// A fix for the common serde messages: unknown fields get the nearest known name,
/// unknown variants the list of allowed values, missing fields how to add them.
fn hint_for(message: &str) -> Option<String> {
    if let Some((word, expected)) = unknown_and_expected(message) {
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
        // At the top of a cluster record, a field of one of its tables.
        let cluster_top = expected.contains(&"offer") && expected.contains(&"help");
        if let Some(table) = belongs_in(word).filter(|_| cluster_top && !expected.contains(&word)) {
            return Some(format!(
                "`{word}` belongs in {table}: move the line under a {table} header line"
            ));
        }
        return Some(match did_you_mean(word, expected.iter().copied()) {
            Some(best) => format!("did you mean `{best}`? The {what}: {list}"),
            None if expected.is_empty() => "remove this line".to_string(),
            None => format!("the {what}: {list}"),
        });
    }
    if let Some(field) = missing_field(message) {
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

    /// The mistakes people make most in a record, each with the words it gets: the line
    /// written after `name` and `last_reviewed`, and the start of the message.
    const MISTAKES: &[(&str, &str)] = &[
        (
            "area = \"North east Leeds",
            "this text has no closing quote",
        ),
        ("area = North east Leeds", "text must be in double quotes"),
        (
            "area = \u{201c}North east Leeds\u{201d}",
            "these are curly quotes",
        ),
        ("reopens = 2016-01", "a date with no day must be in quotes"),
        (
            "schools = \"Allerton Grange\"",
            "`schools` is a list of sections",
        ),
        ("quick_exit = \"yes\"", "this should be true or false"),
        ("quick_exit = True", "yes or no is written true or false"),
        ("[help]\nphone = 01134960000", "a number here starts with 0"),
        ("area \"North east Leeds\"", "there is no = between"),
        (
            "[[offer]\nservice = \"x\"",
            "this list header is not closed",
        ),
        (
            "[help\nphone = \"0113 496 0000\"",
            "this table header is not closed",
        ),
        (
            "area = \"a\" \"b\"",
            "there is something more after the value",
        ),
        (
            "[help]\nmindmate_spa = \"yes\"",
            "this should be true or false",
        ),
        (
            "[[offer]]\nservice = 5\ncategory = \"x\"",
            "this should be text",
        ),
        (
            "[[schools]]\nname = \"A\"\nphase = \"primry\"",
            "`primry` is not one of the allowed values",
        ),
        ("colour = \"blue\"", "unknown field `colour`"),
        ("phone = \"0113 496 0000\"", "unknown field `phone`"),
        ("service = \"Counselling\"", "unknown field `service`"),
        ("name = \"B\"", "this field is written twice"),
    ];

    #[test]
    fn mistakes_are_said_with_the_line_they_are_on() {
        for (line, said, hint) in [
            (
                "[offer]\nservice = \"S\"\ncategory = \"x\"",
                "`offer` holds a list of items",
                "[[offer]]",
            ),
            (
                "[[help]]\nphone = \"0113 496 0000\"",
                "`help` is one section, not a list",
                "[help]",
            ),
            (
                "help = \"Call us\"",
                "`help` is a section with fields of its own",
                "[help]",
            ),
            (
                "schools = \"Zebra Academy\"",
                "`schools` is a list of sections",
                "[[schools]]",
            ),
            (
                "reopens = 2026-02-30",
                "`2026-02-30` is not a date",
                "2026-01-31",
            ),
            (
                "reopens = 31/01/2026",
                "`31/01/2026` is not a date",
                "2026-01-31",
            ),
        ] {
            let text = format!("name = \"A\"\nlast_reviewed = \"2025-01\"\n{line}\n");
            let problems = parse_cluster(Path::new("c.toml"), &text).problems;
            let first = &problems[0];
            assert!(first.message.starts_with(said), "{line:?}: {first:?}");
            assert!(
                first.hint.as_deref().unwrap_or("").contains(hint),
                "{line:?}: {first:?}"
            );
        }
    }

    #[test]
    fn a_field_at_the_wrong_level_is_shown_where_it_belongs() {
        for (line, table) in [
            ("phone = \"0113 496 0000\"", "[help]"),
            ("service = \"x\"", "[[offer]]"),
        ] {
            let text = format!("name = \"A\"\nlast_reviewed = \"2025-01\"\n{line}\n");
            let problems = parse_cluster(Path::new("c.toml"), &text).problems;
            let hint = problems[0].hint.clone().unwrap_or_default();
            assert!(
                hint.contains(&format!("belongs in {table}")),
                "{line}: {hint}"
            );
        }
        // Where the field is known (in [help] itself), the hint is the usual one.
        let text = "name = \"A\"\nlast_reviewed = \"2025-01\"\n[help]\nphon = \"x\"\n";
        let hint = parse_cluster(Path::new("c.toml"), text).problems[0]
            .hint
            .clone()
            .unwrap();
        assert!(hint.starts_with("did you mean `phone`"), "{hint}");
    }

    /// Every field of every table of a cluster record (from the content model's
    /// description), written at the top of the record where it is not a field, is shown
    /// the table or tables it belongs in.
    #[test]
    fn every_table_field_at_the_top_of_a_cluster_is_shown_where_it_belongs() {
        use crate::content::schema::{describe, walk, Kind};
        let top: Vec<&str> = describe(Kind::Cluster)
            .fields
            .iter()
            .map(|f| f.key)
            .collect();
        let mut checked = 0;
        for (path, field) in walk(Kind::Cluster) {
            if path.len() != 1 || top.contains(&field.key) {
                continue;
            }
            let text = format!(
                "name = \"A\"\nlast_reviewed = \"2025-01\"\n{} = 1\n",
                field.key
            );
            let hint = parse_cluster(Path::new("c.toml"), &text).problems[0]
                .hint
                .clone()
                .unwrap_or_default();
            let table = describe(Kind::Cluster)
                .fields
                .iter()
                .find(|f| f.key == path[0])
                .unwrap();
            let heading = match table.ty {
                crate::content::schema::FieldType::Table(_) => format!("[{}]", table.key),
                _ => format!("[[{}]]", table.key),
            };
            assert!(
                hint.starts_with(&format!("`{}` belongs in", field.key)) && hint.contains(&heading),
                "{}: {hint}",
                field.key
            );
            checked += 1;
        }
        assert!(checked > 40, "only {checked} fields");
    }

    #[test]
    fn common_mistakes_are_said_in_plain_words_with_a_fix() {
        for (line, said) in MISTAKES {
            let text = format!("name = \"A\"\nlast_reviewed = \"2025-01\"\n{line}\n");
            let problems = parse_cluster(Path::new("c.toml"), &text).problems;
            let first = problems
                .first()
                .unwrap_or_else(|| panic!("no problem for {line:?}"));
            assert!(first.message.starts_with(said), "{line:?}: {first:?}");
            assert!(first.hint.is_some(), "{line:?} has no hint: {first:?}");
            assert!(
                !first.message.contains("expected"),
                "{line:?}: parser words left: {first:?}"
            );
            let at = first.span.as_ref().expect("a place").start;
            assert!(
                line_col(&text, at).0 >= 2,
                "{line:?} points before the mistake: {first:?}"
            );
        }
    }
}
