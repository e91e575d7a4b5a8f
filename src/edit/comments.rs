//! Comments and blank lines above a list's first row describe the list (`# Schools.
//! Source lists them by phase.` above the first `[[schools]]`): when that row is
//! removed they move to the row that takes its place, and when no row is left they
//! stay in the file where the list was. A comment above any later row goes with it.

use toml_edit::{Decor, Item, TableLike};

/// A decor prefix in two: its whole lines (comments, blank lines) and the indentation
/// after the last of them.
fn split(prefix: &str) -> (&str, &str) {
    match prefix.rfind('\n') {
        Some(i) => (&prefix[..=i], &prefix[i + 1..]),
        None => ("", prefix),
    }
}

/// The whole lines of a removed first row's prefix, if they hold a comment.
pub fn lines_of(prefix: &str) -> Option<String> {
    let (lines, _) = split(prefix);
    lines.contains('#').then(|| lines.to_string())
}

/// The prefix of the row that takes the removed first row's place: the removed row's
/// lines, then the new first row's own lines (without the blank lines that separated
/// it from the row before), then its indentation.
pub fn merged(removed: &str, new: &str) -> String {
    let (old_lines, old_indent) = split(removed);
    let (new_lines, new_indent) = split(new);
    let own: String = new_lines
        .split_inclusive('\n')
        .skip_while(|line| line.trim().is_empty())
        .collect();
    let indent = if new_lines.is_empty() {
        old_indent
    } else {
        new_indent
    };
    format!("{old_lines}{own}{indent}")
}

/// The text of a decor's prefix.
pub fn prefix_of(decor: &Decor) -> String {
    decor
        .prefix()
        .and_then(|p| p.as_str())
        .unwrap_or_default()
        .to_string()
}

/// Put `lines` before whatever followed the removed list `key` of `table`: the next key
/// of the table, or else the first table header after `position` (where a `[[key]]`
/// list stood). False when nothing follows it in this table.
pub fn keep_after(
    table: &mut dyn TableLike,
    key: &str,
    position: Option<isize>,
    lines: &str,
) -> bool {
    let keys: Vec<String> = table.iter().map(|(k, _)| k.to_string()).collect();
    let next_plain = keys
        .iter()
        .skip_while(|k| *k != key)
        .skip(1)
        .find(|k| table.get(k).is_some_and(|i| i.is_value()))
        .cloned();
    if position.is_none() {
        if let Some(mut next) = next_plain.and_then(|k| table.key_mut(&k)) {
            prepend(next.leaf_decor_mut(), lines);
            return true;
        }
    }
    let after = position.unwrap_or(isize::MIN);
    let mut best: Option<&mut Decor> = None;
    let mut best_at = isize::MAX;
    for (k, item) in table.iter_mut() {
        if k.get() == key {
            continue;
        }
        let tables: Vec<&mut toml_edit::Table> = match item {
            Item::Table(t) => vec![t],
            Item::ArrayOfTables(a) => a.iter_mut().collect(),
            _ => Vec::new(),
        };
        for t in tables {
            let at = t.position().unwrap_or(isize::MAX);
            if at > after && at < best_at && !t.is_implicit() {
                best_at = at;
                best = Some(t.decor_mut());
            }
        }
    }
    match best {
        Some(decor) => {
            prepend(decor, lines);
            true
        }
        None => false,
    }
}

fn prepend(decor: &mut Decor, lines: &str) {
    let now = prefix_of(decor);
    decor.set_prefix(format!("{lines}{now}"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_removed_rows_lines_come_first_then_the_new_rows_own() {
        assert_eq!(merged("\n# List.\n", ""), "\n# List.\n");
        assert_eq!(merged("\n# List.\n", "\n"), "\n# List.\n");
        assert_eq!(merged("\n# List.\n", "\n# Row.\n"), "\n# List.\n# Row.\n");
        assert_eq!(merged("", " "), "");
        assert_eq!(merged("\n  # c\n  ", "\n  "), "\n  # c\n  ");
        assert_eq!(lines_of("\n  # c\n  ").as_deref(), Some("\n  # c\n"));
        assert_eq!(lines_of("\n\n"), None);
    }
}
