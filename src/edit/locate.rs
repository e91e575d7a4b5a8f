//! Which form field a place in a record's TOML is: the byte ranges of every described
//! key and value, with their form names, so a problem `check` found at a place is
//! shown beside its field.

use std::ops::Range;

use toml_edit::{Item, TableLike, Value};

use crate::content::schema::{Field, FieldType};

/// Byte ranges (in the TOML text given) and the form name of what is there.
#[derive(Debug, Default)]
pub struct Places {
    places: Vec<(Range<usize>, String)>,
}

impl Places {
    /// The places of a record's TOML (front matter for a guide or page); `offset` is
    /// where that TOML starts in the file.
    pub fn of(fields: &[Field], toml: &str, offset: usize) -> Places {
        let mut places = Places::default();
        if let Ok(doc) = toml_edit::Document::parse(toml) {
            places.table(fields, doc.as_table(), "", offset);
        }
        places
    }

    fn add(&mut self, span: Option<Range<usize>>, offset: usize, name: &str) {
        if let Some(r) = span {
            self.places
                .push((r.start + offset..r.end + offset, name.to_string()));
        }
    }

    fn table(&mut self, fields: &[Field], table: &dyn TableLike, prefix: &str, offset: usize) {
        for field in fields {
            let Some((key, item)) = table.get_key_value(field.key) else {
                continue;
            };
            let name = format!("{prefix}{}", field.key);
            self.add(key.span(), offset, &name);
            // A list of tables is its rows: the list's own span would hold them all.
            if !matches!(field.ty, FieldType::TableList(_)) {
                self.add(item.span(), offset, &name);
            }
            match &field.ty {
                FieldType::Table(sub) => {
                    if let Some(t) = item.as_table_like() {
                        self.table(sub, t, &format!("{name}."), offset);
                    }
                }
                FieldType::TableList(sub) => self.rows(sub, item, &name, offset),
                FieldType::TextList => {
                    for (i, v) in item.as_array().into_iter().flatten().enumerate() {
                        self.add(v.span(), offset, &format!("{name}.{i}"));
                    }
                }
                _ => {}
            }
        }
    }

    fn rows(&mut self, fields: &[Field], item: &Item, name: &str, offset: usize) {
        let rows: Vec<(Option<Range<usize>>, &dyn TableLike)> = match item {
            Item::ArrayOfTables(a) => a.iter().map(|t| (t.span(), t as &dyn TableLike)).collect(),
            Item::Value(Value::Array(a)) => a
                .iter()
                .filter_map(|v| Some((v.span(), v.as_inline_table()? as &dyn TableLike)))
                .collect(),
            _ => Vec::new(),
        };
        for (i, (span, row)) in rows.into_iter().enumerate() {
            let row_name = format!("{name}.{i}");
            self.add(span, offset, &row_name);
            self.table(fields, row, &format!("{row_name}."), offset);
        }
    }

    /// The form name of the narrowest described place holding `at`.
    pub fn name_at(&self, at: usize) -> Option<&str> {
        self.places
            .iter()
            .filter(|(r, _)| r.start <= at && at < r.end.max(r.start + 1))
            .min_by_key(|(r, _)| r.end - r.start)
            .map(|(_, name)| name.as_str())
    }
}

/// The field a problem is about: the narrowest described place holding `at`, or, for a
/// problem at a table (or with no place) that names one of the table's fields in
/// backquotes ("missing field `service`"), that field. `keys_of` gives the keys of the
/// table or row with a form name (`""` for the top of the record).
pub fn field_for(
    places: &Places,
    keys_of: impl Fn(&str) -> Option<Vec<&'static str>>,
    at: Option<usize>,
    message: &str,
) -> Option<String> {
    let name = at.and_then(|a| places.name_at(a));
    let named: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
    // A missing field is reported at its table, or at the table's first key.
    let parent = |n: &str| n.rsplit_once('.').map_or("", |(p, _)| p).to_string();
    let container = match name {
        Some(n) if keys_of(n).is_none() && message.starts_with("missing field") => parent(n),
        Some(n) => n.to_string(),
        None => String::new(),
    };
    if let Some(keys) = keys_of(&container) {
        if let Some(key) = named.iter().find(|n| keys.contains(n)) {
            return Some(match container.as_str() {
                "" => key.to_string(),
                _ => format!("{container}.{key}"),
            });
        }
    }
    name.map(str::to_string)
}

/// A problem as `check` prints it: file, line and column, what is wrong, how to fix it.
pub fn located(
    sources: &crate::diagnostics::Sources,
    d: &crate::diagnostics::Diagnostic,
) -> String {
    let place = d
        .span
        .as_ref()
        .and_then(|s| sources.line_col(&d.file, s.start))
        .map(|(line, column)| format!(", line {line}, column {column}"))
        .unwrap_or_default();
    let hint = d
        .hint
        .as_ref()
        .map(|h| format!(" ({h})"))
        .unwrap_or_default();
    format!("{}{place}: {}{hint}", d.file.display(), d.message)
}
