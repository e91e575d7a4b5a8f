//! A record's fields as GOV.UK Design System form patterns, generated from its
//! description ([`crate::content::schema`]): a label (with "(optional)"), a hint, the
//! error beside the field ("Error:" for screen readers, tied by `aria-describedby`),
//! fieldsets for a sub-table and for each row of a list, selects for choices, and
//! "Add another" and "Remove" buttons that post the form back (no JavaScript needed).

use std::collections::HashMap;

use crate::content::schema::{Choice, Field, FieldType};
use crate::serve::editor::rows;
use crate::text::escape_markup as esc;

/// What a form is shown with: the values (form name to value) and the problems found.
pub struct View {
    pub values: Vec<(String, String)>,
    pub errors: HashMap<String, Vec<String>>,
    pub warnings: HashMap<String, Vec<String>>,
    /// The site's categories (slug, name), for a [`FieldType::Category`].
    pub categories: Vec<(String, String)>,
    /// The form's address: "Add another" and "Remove" post to it with the place to
    /// come back to (the new row, or the list), so the page opens there and the next
    /// Tab goes on from there.
    pub action: String,
}

/// The categories `content/site.toml` declares, as (slug, name); none when it cannot
/// be read (the field is then a select with only the value it has, and `check` says
/// what is wrong with the site's file).
pub fn site_categories(root: &std::path::Path) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(root.join("content/site.toml")).unwrap_or_default();
    let table: toml::Table = toml::from_str(&text).unwrap_or_default();
    let list = table.get("categories").and_then(|c| c.as_array());
    list.into_iter()
        .flatten()
        .filter_map(|c| {
            let slug = c.get("slug")?.as_str()?.to_string();
            let name = c
                .get("name")
                .and_then(|n| n.as_str())
                .unwrap_or(&slug)
                .to_string();
            Some((slug, name))
        })
        .collect()
}

impl View {
    fn value(&self, name: &str) -> &str {
        self.values
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }
}

/// The element id of form field `name` (`offer.2.phone` is `f-offer-2-phone`).
pub fn id_of(name: &str) -> String {
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("f-{safe}")
}

/// The form controls of `fields`, their names under `prefix` (`""` at the top).
pub fn fields_html(fields: &[Field], prefix: &str, view: &View) -> String {
    in_form_order(fields, prefix)
        .into_iter()
        .map(|f| field_html(f, &join(prefix, f.key), view))
        .collect()
}

/// The fields in the order a form shows them: the description's, except that a
/// record's web address name (`slug`, which few need to change) comes last in the
/// first group, after the other single fields at the top.
pub fn in_form_order<'a>(fields: &'a [Field], prefix: &str) -> Vec<&'a Field> {
    let mut out: Vec<&Field> = fields.iter().collect();
    let slug = out.iter().position(|f| f.key == "slug");
    if let (true, Some(at)) = (prefix.is_empty(), slug) {
        let slug = out.remove(at);
        let end = out
            .iter()
            .position(|f| {
                matches!(
                    f.ty,
                    FieldType::Table(_) | FieldType::TableList(_) | FieldType::TextList
                )
            })
            .unwrap_or(out.len());
        out.insert(end, slug);
    }
    out
}

/// The GOV.UK contents list: a link to each group and list at the top of the form
/// (and to the text of a guide or page), so a long form need not be tabbed through.
pub fn contents_html(fields: &[Field], has_body: bool) -> String {
    let mut items: Vec<String> = in_form_order(fields, "")
        .into_iter()
        .filter(|f| {
            matches!(
                f.ty,
                FieldType::Table(_) | FieldType::TableList(_) | FieldType::TextList
            )
        })
        .map(|f| {
            format!(
                "<li><a class=\"govuk-link\" href=\"#{}-fieldset\">{}</a></li>\n",
                id_of(f.key),
                esc(f.label)
            )
        })
        .collect();
    if has_body {
        items.push(
            "<li><a class=\"govuk-link\" href=\"#f-body\">Text of the page</a></li>\n".to_string(),
        );
    }
    if items.is_empty() {
        return String::new();
    }
    format!(
        "<nav class=\"editor-contents\" aria-labelledby=\"editor-contents-title\">\n\
         <h2 class=\"govuk-heading-s\" id=\"editor-contents-title\">Contents</h2>\n\
         <ol class=\"govuk-list\">\n{}</ol>\n</nav>\n",
        items.concat()
    )
}

/// A field's hint in the form: the description's, and for a record's web address name
/// that changing it changes the page's address.
fn hint_of(field: &Field, name: &str) -> String {
    match name {
        "slug" => format!(
            "{} Changing it changes the page's web address: links to the old address, bookmarks and printed leaflets stop working.",
            field.hint
        ),
        _ => field.hint.to_string(),
    }
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

fn field_html(field: &Field, name: &str, view: &View) -> String {
    match &field.ty {
        FieldType::Table(sub) => group(field, name, view, &fields_html(sub, name, view)),
        FieldType::TableList(sub) => list_html(field, name, view, Some(sub)),
        FieldType::TextList => list_html(field, name, view, None),
        _ => single(field, name, view),
    }
}

/// The label's text: "(optional)" after a field that may be left empty.
fn label_text(field: &Field) -> String {
    let optional = if field.required { "" } else { " (optional)" };
    format!("{}{optional}", esc(field.label))
}

/// The hint and the errors and warnings of `name`, and the ids they have (for
/// `aria-describedby`).
fn notes(field_hint: &str, name: &str, view: &View) -> (String, Vec<String>) {
    let id = id_of(name);
    let mut html = String::new();
    let mut ids = Vec::new();
    if !field_hint.is_empty() {
        html.push_str(&format!(
            "<div id=\"{id}-hint\" class=\"govuk-hint\">{}</div>\n",
            esc(field_hint)
        ));
        ids.push(format!("{id}-hint"));
    }
    for (n, message) in view.warnings.get(name).into_iter().flatten().enumerate() {
        html.push_str(&format!(
            "<p id=\"{id}-warning-{n}\" class=\"editor-warning-message\"><span class=\"govuk-visually-hidden\">Warning:</span> {}</p>\n",
            esc(message)
        ));
        ids.push(format!("{id}-warning-{n}"));
    }
    for (n, message) in view.errors.get(name).into_iter().flatten().enumerate() {
        html.push_str(&format!(
            "<p id=\"{id}-error-{n}\" class=\"govuk-error-message\"><span class=\"govuk-visually-hidden\">Error:</span> {}</p>\n",
            esc(message)
        ));
        ids.push(format!("{id}-error-{n}"));
    }
    (html, ids)
}

fn described_by(ids: &[String]) -> String {
    if ids.is_empty() {
        String::new()
    } else {
        format!(" aria-describedby=\"{}\"", ids.join(" "))
    }
}

fn group_class(name: &str, view: &View) -> &'static str {
    if view.errors.contains_key(name) {
        "govuk-form-group govuk-form-group--error"
    } else {
        "govuk-form-group"
    }
}

/// One value: a label, its notes and its control.
fn single(field: &Field, name: &str, view: &View) -> String {
    let id = id_of(name);
    let (notes, ids) = notes(&hint_of(field, name), name, view);
    let control = control(&field.ty, name, view, &described_by(&ids));
    format!(
        "<div class=\"{}\">\n<label class=\"govuk-label\" for=\"{id}\">{}</label>\n{notes}{control}\n</div>\n",
        group_class(name, view),
        label_text(field),
    )
}

fn control(ty: &FieldType, name: &str, view: &View, described: &str) -> String {
    let (id, value) = (id_of(name), esc(view.value(name)));
    let error = if view.errors.contains_key(name) {
        " govuk-input--error"
    } else {
        ""
    };
    let input = |kind: &str, extra: &str| {
        format!("<input class=\"govuk-input{error}\" id=\"{id}\" name=\"{}\" type=\"{kind}\" value=\"{value}\"{extra}{described}>", esc(name))
    };
    match ty {
        FieldType::Multiline => format!(
            "<textarea class=\"govuk-textarea{error}\" id=\"{id}\" name=\"{}\" rows=\"5\"{described}>\n{value}</textarea>",
            esc(name)
        ),
        FieldType::Email => input("email", " autocomplete=\"off\" spellcheck=\"false\""),
        FieldType::Phone => input("tel", " autocomplete=\"off\""),
        FieldType::Url => input("url", " spellcheck=\"false\""),
        FieldType::Integer => input("text", " inputmode=\"numeric\""),
        FieldType::Money => input("text", " inputmode=\"decimal\""),
        FieldType::Time => input("text", " inputmode=\"numeric\" autocomplete=\"off\""),
        FieldType::PartialDate => input("text", " inputmode=\"numeric\""),
        FieldType::Bool => select(name, view.value(name), &pairs(&BOOL_CHOICES), described),
        FieldType::Choice(choices) => select(name, view.value(name), &pairs(choices), described),
        FieldType::Category => select(name, view.value(name), &view.categories, described),
        _ => input("text", ""),
    }
}

const BOOL_CHOICES: [Choice; 2] = [
    Choice {
        value: "true",
        label: "Yes",
    },
    Choice {
        value: "false",
        label: "No",
    },
];

fn pairs(choices: &[Choice]) -> Vec<(String, String)> {
    choices
        .iter()
        .map(|c| (c.value.to_string(), c.label.to_string()))
        .collect()
}

fn select(name: &str, current: &str, choices: &[(String, String)], described: &str) -> String {
    let mut options = format!(
        "<option value=\"\"{}>Not given</option>",
        if current.is_empty() { " selected" } else { "" }
    );
    let known = choices.iter().any(|(value, _)| value == current);
    if !known && !current.is_empty() {
        // A value the file has but the model does not know: kept, so saving does not
        // change it unasked (the check says what is wrong with it).
        options.push_str(&format!(
            "<option value=\"{0}\" selected>{0}</option>",
            esc(current)
        ));
    }
    for (value, label) in choices {
        let selected = if value == current { " selected" } else { "" };
        options.push_str(&format!(
            "<option value=\"{}\"{selected}>{}</option>",
            esc(value),
            esc(label)
        ));
    }
    format!(
        "<select class=\"govuk-select\" id=\"{}\" name=\"{}\"{described}>{options}</select>",
        id_of(name),
        esc(name)
    )
}

/// A required one-line text field that is not in the description (a new record's
/// file name).
pub fn text_field(name: &str, label: &str, hint: &str, view: &View) -> String {
    let (notes, ids) = notes(hint, name, view);
    let control = control(&FieldType::Text, name, view, &described_by(&ids));
    format!(
        "<div class=\"{}\">\n<label class=\"govuk-label\" for=\"{}\">{}</label>\n{notes}{control}\n</div>\n",
        group_class(name, view),
        id_of(name),
        esc(label)
    )
}

/// A sub-table: its fields in a fieldset whose legend is the field's label.
fn group(field: &Field, name: &str, view: &View, inner: &str) -> String {
    let (notes, ids) = notes(&hint_of(field, name), name, view);
    let id = id_of(name);
    format!(
        "<div class=\"{}\" id=\"{id}-group\">\n<fieldset class=\"govuk-fieldset\" id=\"{id}-fieldset\"{}>\n<legend class=\"govuk-fieldset__legend govuk-fieldset__legend--m\">{}</legend>\n{notes}{inner}</fieldset>\n</div>\n",
        group_class(name, view),
        described_by(&ids),
        label_text(field)
    )
}

/// A list: each row in a fieldset of its own with a "Remove" button, then "Add another".
fn list_html(field: &Field, name: &str, view: &View, sub: Option<&[Field]>) -> String {
    let mut inner = format!(
        "<input type=\"hidden\" name=\"{}\" value=\"{}\">\n",
        esc(&rows::count_field(name)),
        rows::file_count(&view.values, name)
    );
    for (n, index) in rows::indices(&view.values, name).into_iter().enumerate() {
        inner.push_str(&row_html(field, name, index, n + 1, view, sub));
    }
    inner.push_str(&format!(
        "<button type=\"submit\" class=\"govuk-button govuk-button--secondary\" name=\"_action\" value=\"add:{}\" formaction=\"{}#{}-row\" formnovalidate>Add another entry<span class=\"govuk-visually-hidden\"> to {}</span></button>\n",
        esc(name),
        esc(&view.action),
        id_of(&format!("{name}.{}", rows::next_index(&view.values, name))),
        esc(field.label)
    ));
    group(field, name, view, &inner)
}

fn row_html(
    field: &Field,
    list: &str,
    index: usize,
    shown: usize,
    view: &View,
    sub: Option<&[Field]>,
) -> String {
    let row = format!("{list}.{index}");
    let what = format!("{}, entry {shown}", esc(field.label));
    let remove = format!(
        "<button type=\"submit\" class=\"govuk-button govuk-button--warning\" name=\"_action\" value=\"remove:{}\" formaction=\"{}#{}-group\" formnovalidate>Remove entry {shown}<span class=\"govuk-visually-hidden\"> from {}</span></button>\n",
        esc(&row),
        esc(&view.action),
        id_of(list),
        esc(field.label)
    );
    let id = id_of(&row);
    match sub {
        Some(sub) => format!(
            "<fieldset class=\"govuk-fieldset editor-row\" id=\"{id}-row\">\n<legend class=\"govuk-fieldset__legend govuk-fieldset__legend--s\">{what}</legend>\n{}{remove}</fieldset>\n",
            fields_html(sub, &row, view)
        ),
        None => {
            let (notes, ids) = notes("", &row, view);
            let control = control(&FieldType::Text, &row, view, &described_by(&ids));
            format!(
                "<div class=\"editor-row\" id=\"{id}-row\">\n<div class=\"{}\">\n<label class=\"govuk-label\" for=\"{id}\">{what}</label>\n{notes}{control}\n</div>\n{remove}</div>\n",
                group_class(&row, view)
            )
        }
    }
}

/// The names of one row's fields, for a new empty row (`""` for a list of strings).
pub fn row_names(ty: &FieldType) -> Vec<&'static str> {
    match ty {
        FieldType::TableList(sub) => sub
            .iter()
            .filter(|f| {
                !matches!(
                    f.ty,
                    FieldType::TableList(_) | FieldType::TextList | FieldType::Table(_)
                )
            })
            .map(|f| f.key)
            .collect(),
        _ => vec![""],
    }
}

/// The field a list's form name (`offer`, `offer.2.contacts`) stands for, found by
/// walking `fields`.
pub fn find_list<'a>(fields: &'a [Field], name: &str) -> Option<&'a Field> {
    let mut parts = name.split('.');
    let first = parts.next()?;
    let mut current = fields.iter().find(|f| f.key == first)?;
    loop {
        let Some(part) = parts.next() else {
            return matches!(current.ty, FieldType::TableList(_) | FieldType::TextList)
                .then_some(current);
        };
        let sub = match &current.ty {
            FieldType::TableList(sub) => {
                part.parse::<usize>().ok()?;
                let key = parts.next()?;
                sub.iter().find(|f| f.key == key)?
            }
            FieldType::Table(sub) => sub.iter().find(|f| f.key == part)?,
            _ => return None,
        };
        current = sub;
    }
}

#[cfg(test)]
mod tests {
    use crate::content::schema::{self, FieldType};

    /// Every select of every form (each choice field of the description, at any
    /// depth) offers each value once, under a label no other value has.
    #[test]
    fn every_choice_has_a_label_of_its_own() {
        for record in schema::all() {
            for (path, field) in schema::walk(record.kind) {
                let FieldType::Choice(choices) = &field.ty else {
                    continue;
                };
                for (i, a) in choices.iter().enumerate() {
                    for b in &choices[i + 1..] {
                        assert_ne!(a.value, b.value, "{path:?} {}", field.key);
                        assert_ne!(
                            a.label, b.label,
                            "{path:?} {}: {} and {}",
                            field.key, a.value, b.value
                        );
                    }
                }
            }
        }
    }

    use super::*;
    use crate::content::schema::{all, Kind};
    use scraper::{Html, Selector};

    /// A value with the characters markup treats specially, and others.
    fn awkward(rng: &mut fastrand::Rng) -> String {
        const SPECIAL: &[char] = &['<', '>', '&', '"', '\'', '\n', 'é', '\u{200b}', '/'];
        (0..rng.usize(1..30))
            .map(|_| {
                if rng.bool() {
                    SPECIAL[rng.usize(..SPECIAL.len())]
                } else {
                    rng.alphanumeric()
                }
            })
            .collect()
    }

    /// Every scalar field of every record kind (rows of lists included), filled with
    /// generated values, some with an error and a warning: each control shows its
    /// value as given, has a label, and names its hint and messages in
    /// `aria-describedby`; each error starts "Error:".
    #[test]
    fn every_field_shows_its_value_label_and_messages_tied_to_it() {
        let mut rng = fastrand::Rng::with_seed(25);
        for record in all() {
            let mut values = Vec::new();
            collect_names(record.fields, "", &mut values, &mut rng);
            let mut errors = HashMap::new();
            let mut warnings = HashMap::new();
            for (name, _) in &values {
                if rng.u8(..4) != 0 {
                    continue;
                }
                errors.insert(name.clone(), vec![format!("{name} is wrong <b>")]);
                if rng.bool() {
                    warnings.insert(name.clone(), vec!["look again".to_string()]);
                }
            }
            let view = View {
                values: values.clone(),
                errors,
                warnings,
                categories: vec![],
                action: "/f".into(),
            };
            let html = Html::parse_fragment(&fields_html(record.fields, "", &view));
            for (name, value) in &values {
                let id = id_of(name);
                let sel = Selector::parse(&format!("#{id}")).unwrap();
                let control = html
                    .select(&sel)
                    .next()
                    .unwrap_or_else(|| panic!("{:?}: no {name}", record.kind));
                let shown = match control.value().name() {
                    "textarea" => control.text().collect::<String>(),
                    "select" => {
                        let option = Selector::parse("option[selected]").unwrap();
                        let chosen = control.select(&option).next().unwrap();
                        chosen.value().attr("value").unwrap().to_string()
                    }
                    _ => control.value().attr("value").unwrap().to_string(),
                };
                assert_eq!(&shown, value, "{name}");
                let label = Selector::parse(&format!("label[for='{id}']")).unwrap();
                assert!(html.select(&label).next().is_some(), "{name} has no label");
                let described: Vec<&str> = control
                    .value()
                    .attr("aria-describedby")
                    .unwrap_or("")
                    .split(' ')
                    .collect();
                for message in view.errors.get(name).into_iter().flatten() {
                    let error_id = format!("{id}-error-0");
                    assert!(
                        described.contains(&error_id.as_str()),
                        "{name}: {described:?}"
                    );
                    let sel = Selector::parse(&format!("#{error_id}")).unwrap();
                    let error = html.select(&sel).next().unwrap().text().collect::<String>();
                    assert_eq!(error, format!("Error: {message}"));
                }
            }
        }
    }

    /// A form name and a generated value for every scalar field, two rows per list.
    fn collect_names(
        fields: &[Field],
        prefix: &str,
        out: &mut Vec<(String, String)>,
        rng: &mut fastrand::Rng,
    ) {
        for f in fields {
            let name = join(prefix, f.key);
            match &f.ty {
                FieldType::Table(sub) => collect_names(sub, &name, out, rng),
                FieldType::TableList(sub) => {
                    for i in [0, 2] {
                        collect_names(sub, &format!("{name}.{i}"), out, rng);
                    }
                }
                FieldType::TextList => {
                    out.push((format!("{name}.{}", rng.usize(..5)), awkward(rng)))
                }
                FieldType::Bool => {
                    out.push((name, ["true", "false", ""][rng.usize(..3)].to_string()))
                }
                FieldType::Choice(c) => out.push((name, c[rng.usize(..c.len())].value.to_string())),
                _ => out.push((name, awkward(rng))),
            }
        }
    }

    #[test]
    fn add_another_and_remove_name_the_list_and_row_they_change() {
        let cluster = all().iter().find(|r| r.kind == Kind::Cluster).unwrap();
        let values = vec![
            ("offer.0.service".to_string(), "A".to_string()),
            ("offer.3.service".to_string(), "B".to_string()),
        ];
        let view = View {
            values,
            errors: HashMap::new(),
            warnings: HashMap::new(),
            categories: vec![],
            action: "/f".into(),
        };
        let html = fields_html(cluster.fields, "", &view);
        assert!(html.contains("value=\"add:offer\""));
        assert!(html.contains("value=\"remove:offer.0\""));
        assert!(html.contains("value=\"remove:offer.3\""));
        assert!(html.contains("value=\"add:schools\""));
        assert_eq!(
            find_list(cluster.fields, "offer").map(|f| f.key),
            Some("offer")
        );
        assert!(find_list(cluster.fields, "name").is_none());
        assert!(find_list(cluster.fields, "offer.0").is_none());
    }
}
