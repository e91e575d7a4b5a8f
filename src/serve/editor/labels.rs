//! Problems as a form names things: `check` names a field by its key in backticks
//! (`last_reviewed`, `meetings.date`, "give this cluster a different `slug`"); the form
//! shows labels ("Last checked", "Date", "Web address name"), so the editor says the
//! label instead. Everything else is `check`'s wording.

use crate::content::schema::{self, Field, Kind};
use crate::edit::FieldProblem;

/// The problems with every field key in their words said as the field's label.
pub fn labelled(kind: Kind, problems: &[FieldProblem]) -> Vec<FieldProblem> {
    problems
        .iter()
        .map(|p| {
            let at = p.field.as_deref().unwrap_or("");
            FieldProblem {
                field: p.field.clone(),
                message: relabel(kind, at, &p.message),
                hint: p.hint.as_ref().map(|h| relabel(kind, at, h)),
            }
        })
        .collect()
}

/// `text` with each `` `key` `` that names a field of the record (from the table of the
/// form field `at`, from the top, or the one field anywhere with that key) said as
/// "Label".
pub fn relabel(kind: Kind, at: &str, text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find('`') {
        let Some(close) = rest[open + 1..].find('`').map(|i| open + 1 + i) else {
            break;
        };
        let quoted = &rest[open + 1..close];
        out.push_str(&rest[..open]);
        match label_of(kind, at, quoted) {
            Some(label) => out.push_str(&format!("\"{label}\"")),
            None => out.push_str(&rest[open..=close]),
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

/// The label of the field a quoted key names, if it names one.
fn label_of(kind: Kind, at: &str, quoted: &str) -> Option<&'static str> {
    let is_key = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
            && s.as_bytes()[0].is_ascii_lowercase()
    };
    let keys: Vec<&str> = quoted
        .split('.')
        .filter(|p| p.parse::<usize>().is_err())
        .collect();
    if keys.is_empty() || !keys.iter().all(|k| is_key(k)) {
        return None;
    }
    let table: Vec<&str> = at
        .split('.')
        .filter(|p| !p.is_empty() && p.parse::<usize>().is_err())
        .collect();
    let parent = &table[..table.len().saturating_sub(1)];
    let relative: Vec<&str> = parent.iter().chain(&keys).copied().collect();
    find(kind, &relative)
        .or_else(|| find(kind, &keys))
        .or_else(|| only_one(kind, &keys))
        .map(|f| f.label)
}

/// The field at a path of keys from the top of the record.
fn find(kind: Kind, keys: &[&str]) -> Option<&'static Field> {
    let (last, parents) = keys.split_last()?;
    schema::fields_at(kind, parents)?
        .iter()
        .find(|f| f.key == *last)
}

/// The field with this one key, when the record has exactly one label for it.
fn only_one(kind: Kind, keys: &[&str]) -> Option<&'static Field> {
    let [key] = keys else {
        return None;
    };
    let all: Vec<&'static Field> = schema::walk(kind)
        .into_iter()
        .map(|(_, f)| f)
        .filter(|f| f.key == *key)
        .collect();
    let first = all.first()?;
    all.iter().all(|f| f.label == first.label).then_some(*first)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every field of every record kind, quoted in a generated message as `check`
    /// quotes it (alone, with its table's keys, with row numbers), is said as its
    /// label; words in backticks that are not fields stay as they are.
    #[test]
    fn every_field_key_is_said_as_its_label() {
        let mut rng = fastrand::Rng::with_seed(207);
        for record in schema::all() {
            for (path, field) in schema::walk(record.kind) {
                let dotted: Vec<String> = path
                    .iter()
                    .map(|p| match rng.bool() {
                        true => format!("{p}.{}", rng.usize(..5)),
                        false => p.to_string(),
                    })
                    .chain([field.key.to_string()])
                    .collect();
                let quoted = dotted.join(".");
                let before: String = (0..rng.usize(..3)).map(|_| "a ").collect();
                let message = format!("{before}`{quoted}`: expected `2026-02-05` or `x-y`");
                let said = relabel(record.kind, "", &message);
                assert!(
                    said.contains(&format!("\"{}\"", field.label)),
                    "{quoted}: {said}"
                );
                assert!(!said.contains(&format!("`{quoted}`")), "{said}");
                assert!(said.ends_with("expected `2026-02-05` or `x-y`"), "{said}");
                // A key alone, beside a field of its table, is that table's field.
                let at = path
                    .iter()
                    .map(|p| format!("{p}.0"))
                    .chain(["x".to_string()])
                    .collect::<Vec<_>>()
                    .join(".");
                let alone = relabel(record.kind, &at, &format!("set `{}` first", field.key));
                assert_eq!(alone, format!("set \"{}\" first", field.label));
            }
        }
        assert_eq!(
            relabel(
                Kind::Cluster,
                "",
                "set `last_reviewed` to the date, not `soon`"
            ),
            "set \"Last checked\" to the date, not `soon`"
        );
        assert_eq!(
            relabel(Kind::Cluster, "", "an odd ` quote"),
            "an odd ` quote"
        );
    }
}
