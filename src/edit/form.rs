//! Form values from a TOML table and back, guided by the content model's description.
//!
//! Names are dotted paths with row indices: `name`, `help.phone`, `offer.2.category`,
//! `sources.1`, `funding.0.sources.1.amount`. Reading gives every field present in the
//! file. Writing changes only what differs: an unchanged value keeps its exact text, a
//! changed one keeps its place, spacing and comment; an empty value removes the key; a
//! scalar not posted is left alone; a row of a list not posted (or posted all empty) is
//! removed; rows at or past the file's row count are new, appended in index order.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use toml_edit::{Array, ArrayOfTables, InlineTable, Item, Table, TableLike, Value};

use super::comments;
use crate::content::schema::{Field, FieldType};

/// Posted form values by name, and where the rows of each list ended up in the file.
#[derive(Debug, Default)]
pub struct Form {
    values: BTreeMap<String, String>,
    /// For each list written (named with form indices, `funding.0.sources`), the form
    /// index of the row at each position of the written file.
    rows: RefCell<BTreeMap<String, Vec<usize>>>,
    /// Comments above the first row of a list that lost every row and had nothing
    /// after it in its table: they go at the end of the file.
    orphans: RefCell<String>,
}

impl Form {
    pub fn new(values: BTreeMap<String, String>) -> Form {
        Form {
            values,
            rows: RefCell::default(),
            orphans: RefCell::default(),
        }
    }

    /// The comments of removed lists that had nothing after them (see `orphans`).
    pub fn orphaned_comments(&self) -> String {
        self.orphans.borrow().clone()
    }

    pub fn get(&self, name: &str) -> Option<&String> {
        self.values.get(name)
    }

    fn range(&self, from: String) -> std::collections::btree_map::Range<'_, String, String> {
        self.values.range(from..)
    }

    /// The index of the first row posted under `list.`.
    pub fn first_row(&self, list: &str) -> Option<usize> {
        posted_rows(self, list).into_keys().next()
    }

    fn record_rows(&self, list: &str, form_indices: Vec<usize>) {
        self.rows
            .borrow_mut()
            .insert(list.to_string(), form_indices);
    }

    /// The form's name for a place in the written file: a row that moved up when one
    /// before it was removed, or a new row written after the last, is named as the form
    /// named it (`offer.3.email` for what is now the file's third offer item).
    pub fn form_name(&self, file_name: &str) -> String {
        let rows = self.rows.borrow();
        let mut out: Vec<String> = Vec::new();
        for segment in file_name.split('.') {
            let renamed = segment.parse::<usize>().ok().and_then(|i| {
                let indices = rows.get(&out.join("."))?;
                indices.get(i).map(usize::to_string)
            });
            out.push(renamed.unwrap_or_else(|| segment.to_string()));
        }
        out.join(".")
    }
}

/// Every field of `fields` present in `table`, as form pairs, in the description's order.
pub fn read_table(
    fields: &[Field],
    table: &dyn TableLike,
    prefix: &str,
    out: &mut Vec<(String, String)>,
) {
    for field in fields {
        let Some(item) = table.get(field.key) else {
            continue;
        };
        let name = format!("{prefix}{}", field.key);
        match &field.ty {
            FieldType::Table(sub) => {
                if let Some(t) = item.as_table_like() {
                    read_table(sub, t, &format!("{name}."), out);
                }
            }
            FieldType::TableList(sub) => {
                for (i, row) in rows(item).into_iter().enumerate() {
                    read_table(sub, row, &format!("{name}.{i}."), out);
                }
            }
            FieldType::TextList => {
                let values = item.as_array().into_iter().flat_map(Array::iter);
                for (i, v) in values.enumerate() {
                    out.push((format!("{name}.{i}"), text_of(v)));
                }
            }
            // The line break before a multi-line string's closing quotes is how the
            // file is laid out, not part of the text the form shows.
            FieldType::Multiline => {
                if let Some(v) = item.as_value() {
                    let text = text_of(v);
                    let shown = text.strip_suffix('\n').unwrap_or(&text);
                    out.push((name, shown.to_string()));
                }
            }
            _ => {
                if let Some(v) = item.as_value() {
                    out.push((name, text_of(v)));
                }
            }
        }
    }
}

/// The rows of a list of tables: `[[name]]` tables or an array of inline tables.
fn rows(item: &Item) -> Vec<&dyn TableLike> {
    match item {
        Item::ArrayOfTables(a) => a.iter().map(|t| t as &dyn TableLike).collect(),
        Item::Value(Value::Array(a)) => a
            .iter()
            .filter_map(|v| v.as_inline_table().map(|t| t as &dyn TableLike))
            .collect(),
        _ => Vec::new(),
    }
}

/// A value as a form shows it.
pub fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.value().clone(),
        Value::Integer(i) => i.value().to_string(),
        Value::Float(f) => f.value().to_string(),
        Value::Boolean(b) => b.value().to_string(),
        Value::Datetime(d) => d.value().to_string(),
        other => other.to_string().trim().to_string(),
    }
}

/// Where a table sits: new sub-tables and lists of tables are written as `[name]` and
/// `[[name]]` at the top of a record, inline (`{ min = 4, max = 11 }`) below it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Top,
    Nested,
}

/// Apply the posted values under `prefix` to `table`.
pub fn write_table(
    fields: &[Field],
    table: &mut dyn TableLike,
    prefix: &str,
    form: &Form,
    level: Level,
) {
    for field in fields {
        let name = format!("{prefix}{}", field.key);
        match &field.ty {
            FieldType::Table(sub) => write_sub_table(sub, table, field.key, &name, form, level),
            FieldType::TableList(sub) => write_rows(sub, table, field.key, &name, form, level),
            FieldType::TextList => write_text_list(table, field.key, &name, form),
            ty => {
                if let Some(text) = form.get(&name) {
                    write_scalar(table, field.key, ty, text);
                }
            }
        }
    }
}

/// Whether anything non-empty is posted under `name.`.
fn posted_under(form: &Form, name: &str) -> bool {
    let dotted = format!("{name}.");
    form.range(dotted.clone())
        .take_while(|(k, _)| k.starts_with(&dotted))
        .any(|(_, v)| !v.trim().is_empty())
}

/// Whether any value (even empty) is posted under `name.`.
fn any_posted_under(form: &Form, name: &str) -> bool {
    let dotted = format!("{name}.");
    form.range(dotted.clone())
        .next()
        .is_some_and(|(k, _)| k.starts_with(&dotted))
}

fn write_sub_table(
    fields: &[Field],
    table: &mut dyn TableLike,
    key: &str,
    name: &str,
    form: &Form,
    level: Level,
) {
    if !any_posted_under(form, name) {
        return;
    }
    if table.get(key).and_then(Item::as_table_like).is_none() {
        if !posted_under(form, name) {
            return;
        }
        let new = match level {
            Level::Top => Item::Table(Table::new()),
            Level::Nested => Item::Value(Value::InlineTable(InlineTable::new())),
        };
        table.insert(key, new);
    }
    let sub = table
        .get_mut(key)
        .and_then(Item::as_table_like_mut)
        .expect("inserted above");
    write_table(fields, sub, &format!("{name}."), form, Level::Nested);
    if sub.is_empty() {
        table.remove(key);
    }
}

/// The row indices posted under `name.` (`name.3.service` gives 3), with whether
/// anything in the row is non-empty.
fn posted_rows(form: &Form, name: &str) -> BTreeMap<usize, bool> {
    let dotted = format!("{name}.");
    let mut out = BTreeMap::new();
    for (k, v) in form
        .range(dotted.clone())
        .take_while(|(k, _)| k.starts_with(&dotted))
    {
        let index = k[dotted.len()..].split('.').next().unwrap_or_default();
        if let Ok(i) = index.parse::<usize>() {
            *out.entry(i).or_insert(false) |= !v.trim().is_empty();
        }
    }
    out
}

/// A list of tables: rows not posted or posted all empty are removed, the others
/// updated, new ones appended.
fn write_rows(
    fields: &[Field],
    table: &mut dyn TableLike,
    key: &str,
    name: &str,
    form: &Form,
    level: Level,
) {
    let posted = posted_rows(form, name);
    let kept: BTreeSet<usize> = posted
        .iter()
        .filter(|(_, v)| **v)
        .map(|(i, _)| *i)
        .collect();
    let existing = table.get(key).map_or(0, |item| rows(item).len());
    if existing == 0 && kept.is_empty() {
        return;
    }
    if table.get(key).is_none() {
        let new = match level {
            Level::Top => Item::ArrayOfTables(ArrayOfTables::new()),
            Level::Nested => Item::Value(Value::Array(Array::new())),
        };
        table.insert(key, new);
    }
    let item = table.get_mut(key).expect("inserted above");
    let mut list = RowsMut::of(item);
    let first = (existing > 0 && !kept.contains(&0)).then(|| list.first_lead());
    for i in (0..existing).rev().filter(|i| !kept.contains(i)) {
        list.remove(i);
    }
    if let Some((lead, position)) = first {
        if !list.take_lead(&lead) {
            keep_lines(table, key, position, &lead, form);
        }
    }
    let item = table.get_mut(key).expect("kept above");
    let mut list = RowsMut::of(item);
    for (position, i) in kept.iter().filter(|i| **i < existing).enumerate() {
        let prefix = format!("{name}.{i}.");
        list.with_row(position, |row| {
            write_table(fields, row, &prefix, form, Level::Nested)
        });
    }
    for i in kept.iter().filter(|i| **i >= existing) {
        let prefix = format!("{name}.{i}.");
        list.push(|row| write_table(fields, row, &prefix, form, Level::Nested));
    }
    form.record_rows(name, kept.into_iter().collect());
    if list.is_empty() {
        table.remove(key);
    }
}

/// Rows of a list of tables, for changing: `[[name]]` tables or inline tables.
enum RowsMut<'a> {
    Tables(&'a mut ArrayOfTables),
    Inline(&'a mut Array),
    Other,
}

impl<'a> RowsMut<'a> {
    fn of(item: &'a mut Item) -> Self {
        match item {
            Item::ArrayOfTables(a) => RowsMut::Tables(a),
            Item::Value(Value::Array(a)) => RowsMut::Inline(a),
            _ => RowsMut::Other,
        }
    }

    /// The first row's decor prefix, and where its `[[name]]` header is.
    fn first_lead(&self) -> (String, Option<isize>) {
        match self {
            RowsMut::Tables(a) => a.get(0).map_or((String::new(), None), |t| {
                (comments::prefix_of(t.decor()), t.position())
            }),
            RowsMut::Inline(a) => (
                a.get(0)
                    .map(|v| comments::prefix_of(v.decor()))
                    .unwrap_or_default(),
                None,
            ),
            RowsMut::Other => (String::new(), None),
        }
    }

    /// Give the removed first row's `lead` to the row now first; false when no row is
    /// left.
    fn take_lead(&mut self, lead: &str) -> bool {
        let decor = match self {
            RowsMut::Tables(a) => a.get_mut(0).map(|t| t.decor_mut()),
            RowsMut::Inline(a) => a.get_mut(0).map(|v| v.decor_mut()),
            RowsMut::Other => return true,
        };
        let Some(decor) = decor else {
            return false;
        };
        let merged = comments::merged(lead, &comments::prefix_of(decor));
        decor.set_prefix(merged);
        true
    }

    fn remove(&mut self, i: usize) {
        match self {
            RowsMut::Tables(a) => {
                a.remove(i);
            }
            RowsMut::Inline(a) => {
                a.remove(i);
            }
            RowsMut::Other => {}
        }
    }

    fn with_row(&mut self, i: usize, f: impl FnOnce(&mut dyn TableLike)) {
        match self {
            RowsMut::Tables(a) => {
                if let Some(t) = a.get_mut(i) {
                    f(t)
                }
            }
            RowsMut::Inline(a) => {
                if let Some(Value::InlineTable(t)) = a.get_mut(i) {
                    f(t)
                }
            }
            RowsMut::Other => {}
        }
    }

    fn push(&mut self, f: impl FnOnce(&mut dyn TableLike)) {
        match self {
            RowsMut::Tables(a) => {
                let mut t = Table::new();
                f(&mut t);
                if !t.is_empty() {
                    a.push(t);
                }
            }
            RowsMut::Inline(a) => {
                let mut t = InlineTable::new();
                f(&mut t);
                if !t.is_empty() {
                    a.push(t);
                }
            }
            RowsMut::Other => {}
        }
    }

    fn is_empty(&self) -> bool {
        match self {
            RowsMut::Tables(a) => a.is_empty(),
            RowsMut::Inline(a) => a.is_empty(),
            RowsMut::Other => false,
        }
    }
}

/// A list of strings (`sources.0`, `sources.1`): entries not posted or posted empty are
/// removed, changed ones replaced in place, new ones appended.
fn write_text_list(table: &mut dyn TableLike, key: &str, name: &str, form: &Form) {
    let dotted = format!("{name}.");
    let posted: BTreeMap<usize, &str> = form
        .range(dotted.clone())
        .take_while(|(k, _)| k.starts_with(&dotted))
        .filter_map(|(k, v)| Some((k[dotted.len()..].parse().ok()?, v.trim())))
        .filter(|(_, v): &(usize, &str)| !v.is_empty())
        .collect();
    form.record_rows(name, posted.keys().copied().collect());
    let Some(array) = table.get_mut(key).and_then(Item::as_array_mut) else {
        if !posted.is_empty() {
            let array: Array = posted.values().copied().collect();
            table.insert(key, Item::Value(Value::Array(array)));
        }
        return;
    };
    let existing = array.len();
    let first = (existing > 0 && !posted.contains_key(&0))
        .then(|| comments::prefix_of(array.get(0).expect("not empty").decor()));
    for i in (0..existing).rev().filter(|i| !posted.contains_key(i)) {
        array.remove(i);
    }
    if let Some(lead) = first {
        match array.get_mut(0) {
            Some(v) => {
                let merged = comments::merged(&lead, &comments::prefix_of(v.decor()));
                v.decor_mut().set_prefix(merged);
            }
            // The empty list stays in the file, and its comment inside it.
            None => {
                if let Some(lines) = comments::lines_of(&lead) {
                    array.set_trailing(lines);
                }
            }
        }
    }
    let Some(array) = table.get_mut(key).and_then(Item::as_array_mut) else {
        return;
    };
    for (position, (_, text)) in posted.range(..existing).enumerate() {
        if let Some(v) = array.get_mut(position) {
            if text_of(v) != *text {
                replace_keeping_decor(v, Value::from(*text));
            }
        }
    }
    for (_, text) in posted.range(existing..) {
        array.push(*text);
    }
}

/// Keep the comment lines of a list's removed first row when the list has no row
/// left: before what followed it in the table, or else at the end of the file.
fn keep_lines(
    table: &mut dyn TableLike,
    key: &str,
    position: Option<isize>,
    lead: &str,
    form: &Form,
) {
    if let Some(lines) = comments::lines_of(lead) {
        if !comments::keep_after(table, key, position, &lines) {
            form.orphans.borrow_mut().push_str(&lines);
        }
    }
}

/// Set one value: empty removes the key, the same text changes nothing, anything else
/// replaces the value where it is (its spacing and comment kept).
fn write_scalar(table: &mut dyn TableLike, key: &str, ty: &FieldType, text: &str) {
    let text = normalise(ty, text);
    if text.is_empty() {
        table.remove(key);
        return;
    }
    match table.get_mut(key).and_then(Item::as_value_mut) {
        Some(old) if normalise(ty, &text_of(old)) == text => {}
        Some(old) => {
            let new = value_for(ty, &text, Some(old));
            replace_keeping_decor(old, new);
        }
        None => {
            table.insert(key, Item::Value(value_for(ty, &text, None)));
        }
    }
}

/// Line endings as `\n` and no spaces at the ends (a text area's last line kept whole).
fn normalise(ty: &FieldType, text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    match ty {
        FieldType::Multiline => text.trim_end().trim_start_matches('\n').to_string(),
        _ => text.trim().to_string(),
    }
}

fn replace_keeping_decor(old: &mut Value, mut new: Value) {
    *new.decor_mut() = old.decor().clone();
    *old = new;
}

/// The TOML value for a form's text. What cannot be read as the field's kind is
/// written as text, so that the check reports it beside the field in its own words.
fn value_for(ty: &FieldType, text: &str, old: Option<&Value>) -> Value {
    match ty {
        FieldType::Integer => text
            .parse::<i64>()
            .map_or_else(|_| text.into(), Value::from),
        FieldType::Money => money(text).unwrap_or_else(|| text.into()),
        FieldType::Bool => match text {
            "true" | "yes" => true.into(),
            "false" | "no" => false.into(),
            _ => text.into(),
        },
        FieldType::PartialDate => {
            let was_text = matches!(old, Some(Value::String(_)));
            match text.parse::<toml_edit::Datetime>() {
                Ok(d) if !was_text && d.date.is_some() && d.time.is_none() => d.into(),
                _ => text.into(),
            }
        }
        FieldType::Multiline => multiline_like(text, old).unwrap_or_else(|| text.into()),
        _ => text.into(),
    }
}

/// Text written as the old value was, when that was a multi-line string with its
/// closing `"""` on a line of its own: so is the new one, and a change of one word
/// changes one line.
fn multiline_like(text: &str, old: Option<&Value>) -> Option<Value> {
    let Some(Value::String(f)) = old else {
        return None;
    };
    let raw = f.as_repr()?.as_raw().as_str()?;
    let own_line = raw.starts_with("\"\"\"") && raw.ends_with("\n\"\"\"") && raw.len() > 6;
    if !own_line || !f.value().ends_with('\n') {
        return None;
    }
    let mut body = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => body.push_str("\\\\"),
            '"' if chars.peek() == Some(&'"') => body.push_str("\\\""),
            '\n' | '\t' => body.push(c),
            c if c.is_control() => body.push_str(&format!("\\u{:04X}", c as u32)),
            c => body.push(c),
        }
    }
    // The line break before the closing quotes is part of the value, as it was.
    let value: Value = format!("\"\"\"\n{body}\n\"\"\"").parse().ok()?;
    (value.as_str() == Some(&format!("{text}\n"))).then_some(value)
}

/// An amount of pounds: "250", "285.12", "£1,250".
fn money(text: &str) -> Option<Value> {
    let plain: String = text
        .trim_start_matches('£')
        .chars()
        .filter(|c| *c != ',')
        .collect();
    if let Ok(i) = plain.parse::<i64>() {
        return Some(i.into());
    }
    plain
        .parse::<f64>()
        .ok()
        .filter(|f| f.is_finite())
        .map(Value::from)
}

/// Append every row posted under `key.` (whatever its index), in index order, to the
/// list of tables `key` of `table`; nothing else changes. False when no row holds
/// anything.
pub fn append_rows(fields: &[Field], table: &mut dyn TableLike, key: &str, form: &Form) -> bool {
    let posted = posted_rows(form, key);
    let new: Vec<usize> = posted
        .iter()
        .filter(|(_, v)| **v)
        .map(|(i, _)| *i)
        .collect();
    if new.is_empty() {
        return false;
    }
    if table.get(key).is_none() {
        table.insert(key, Item::ArrayOfTables(ArrayOfTables::new()));
    }
    let item = table.get_mut(key).expect("inserted above");
    let existing = rows(item).len();
    let mut list = RowsMut::of(item);
    for i in &new {
        let prefix = format!("{key}.{i}.");
        list.push(|row| write_table(fields, row, &prefix, form, Level::Nested));
    }
    form.record_rows(key, (0..existing).chain(new).collect());
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::schema::{describe, Kind};

    /// Generated text (quotes, backslashes, `"""`, tabs, line breaks, `#`, brackets,
    /// letters beyond ASCII) written into a record, new or replacing a value, reads back
    /// as the text the form held, and the other values are untouched.
    #[test]
    fn any_text_written_reads_back_as_the_form_held_it() {
        const PIECES: &[&str] = &[
            "a",
            "B",
            " ",
            "\"",
            "\"\"\"",
            "'",
            "'''",
            "\\",
            "\t",
            "\n",
            "\r\n",
            "#",
            "=",
            "[x]",
            "{",
            "é",
            "Ēmma",
            "—",
            "💷",
            "\\n",
            "$",
            "0113 496 0000",
        ];
        let mut rng = fastrand::Rng::with_seed(7);
        let fields = describe(Kind::Cluster).fields;
        for n in 0..500 {
            let text: String = (0..rng.usize(1..12))
                .map(|_| PIECES[rng.usize(..PIECES.len())])
                .collect();
            let (key, ty) = match n % 2 {
                0 => ("area", FieldType::Text),
                _ => ("summary", FieldType::Multiline),
            };
            let start = match n % 3 {
                0 => "name = \"A\" # kept\n",
                1 => "name = \"A\" # kept\narea = 'old' # note\nsummary = \"\"\"\nold\n\"\"\"\n",
                _ => "name = \"A\" # kept\narea = \"old\"\n\n[help]\nphone = \"0113 496 0000\"\n",
            };
            let mut doc: toml_edit::DocumentMut = start.parse().unwrap();
            let form = Form::new([(key.to_string(), text.clone())].into_iter().collect());
            write_table(fields, doc.as_table_mut(), "", &form, Level::Top);
            let written = doc.to_string();
            let back: toml::Table = written
                .parse()
                .unwrap_or_else(|e| panic!("{text:?}: {e}\n{written}"));
            let expected = normalise(&ty, &text);
            match expected.is_empty() {
                true => assert!(!back.contains_key(key), "{text:?}"),
                // A multi-line string keeps its line break before the closing quotes.
                false => assert_eq!(
                    back[key]
                        .as_str()
                        .map(|v| match n % 3 == 1 && key == "summary" {
                            true => v.strip_suffix('\n').unwrap_or("NO LINE BREAK"),
                            false => v,
                        }),
                    Some(expected.as_str()),
                    "{written}"
                ),
            }
            assert!(written.starts_with("name = \"A\" # kept\n"), "{written}");
            if start.contains("summary = \"\"\"\nold\n\"\"\"")
                && key == "summary"
                && !expected.is_empty()
            {
                assert!(written.contains("summary = \"\"\"\n"), "{written}");
                assert!(written.contains("\n\"\"\"\n"), "{written}");
            }
            if start.contains("[help]") {
                assert!(
                    written.ends_with("\n[help]\nphone = \"0113 496 0000\"\n"),
                    "{written}"
                );
            }
        }
    }
}
