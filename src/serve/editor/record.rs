//! A record's form: shown from the file, posted back to add or remove a row or to
//! preview the body (nothing saved), or saved through the editing engine, which writes
//! nothing when the record has errors or the file changed since the form was opened.

use std::collections::HashMap;

use hyper::Response;

use crate::content::schema::{self, Kind, RecordKind};
use crate::edit::{self, EditError, FieldProblem, Scope, Target};
use crate::serve::body::Body;
use crate::serve::editor::fields::{self, View};
use crate::serve::editor::guard::Session;
use crate::serve::editor::labels;
use crate::serve::editor::page::{self, Listed, PREFIX};
use crate::serve::editor::rows;
use crate::serve::reply;
use crate::text::escape_markup as esc;

/// The kind of record named `name` in an address ("cluster", "guide", "page").
pub fn kind_named(name: &str) -> Option<&'static RecordKind> {
    schema::all().iter().find(|k| k.name == name)
}

/// The record a form address names, if its kind is known (the engine checks the slug).
pub fn target(kind: &str, slug: &str) -> Option<(&'static RecordKind, Target)> {
    let record = kind_named(kind)?;
    let target = Target {
        kind: record.kind,
        slug: slug.to_string(),
    };
    Some((record, target))
}

/// The address of a record's form.
pub fn form_address(target: &Target) -> String {
    format!(
        "{PREFIX}{}/{}",
        schema::describe(target.kind).name,
        target.slug
    )
}

/// The address of a record's page in the preview.
pub fn page_address(target: &Target) -> String {
    match target.kind {
        Kind::Cluster => crate::routes::cluster(&target.slug),
        Kind::Guide => crate::routes::guide(&target.slug),
        Kind::Page => crate::routes::page(&target.slug),
    }
}

/// The names the engine is given: the form without the editor's own fields (`_token`,
/// `_version`, `_action`, `_count.*`, `_slug`).
pub fn record_values(form: &[(String, String)]) -> Vec<(String, String)> {
    form.iter()
        .filter(|(k, _)| !k.starts_with('_'))
        .cloned()
        .collect()
}

/// One value of the form.
pub fn value<'a>(form: &'a [(String, String)], name: &str) -> &'a str {
    form.iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

/// `GET`: the form, filled from the file.
pub fn page(session: &Session, kind: &str, slug: &str) -> Response<Body> {
    let Some((record, target)) = target(kind, slug) else {
        return page::not_found();
    };
    match edit::open(&session.root, &target) {
        Ok(opened) => {
            let mut values = opened.values;
            add_counts(record, &mut values);
            let form = Form {
                session,
                record,
                target: &target,
                version: &opened.version,
                creating: false,
            };
            reply::html(200, form.render(&values, &Shown::default()))
        }
        Err(e) => failure(&target, e),
    }
}

/// The hidden `_count.<list>` of every list (at any depth) the values hold: its rows
/// in the file, so that a new row never takes a removed row's index.
pub fn add_counts(record: &RecordKind, values: &mut Vec<(String, String)>) {
    let mut counts: Vec<(String, String)> = Vec::new();
    let lists: Vec<String> = values
        .iter()
        .flat_map(|(k, _)| list_prefixes(record, k))
        .collect();
    for list in lists {
        let field = rows::count_field(&list);
        if counts.iter().all(|(k, _)| *k != field) {
            let count = rows::indices(values, &list).last().map_or(0, |i| i + 1);
            counts.push((field, count.to_string()));
        }
    }
    values.extend(counts);
}

/// The lists a form name is inside (`offer.2.contacts.1.phone`: `offer`, `offer.2.contacts`).
fn list_prefixes(record: &RecordKind, name: &str) -> Vec<String> {
    let parts: Vec<&str> = name.split('.').collect();
    (1..parts.len())
        .map(|n| parts[..n].join("."))
        .filter(|p| fields::find_list(record.fields, p).is_some())
        .collect()
}

/// `POST`: add or remove a row, preview, or save.
pub fn post(
    session: &Session,
    kind: &str,
    slug: &str,
    form: &[(String, String)],
) -> Response<Body> {
    let Some((record, target)) = target(kind, slug) else {
        return page::not_found();
    };
    let version = value(form, "_version").to_string();
    let shown = Form {
        session,
        record,
        target: &target,
        version: &version,
        creating: false,
    };
    let action = value(form, "_action");
    if let Some(changed) = change_rows(record, form, action) {
        return reply::html(
            200,
            shown.render(
                &changed.0,
                &Shown {
                    notice: changed.1,
                    ..Shown::default()
                },
            ),
        );
    }
    if action == "preview" {
        let notice = "The preview below shows the body as the page will. Nothing is saved until you press Save changes.".to_string();
        let shown_state = Shown {
            notice,
            preview: true,
            ..Shown::default()
        };
        return reply::html(200, shown.render(form, &shown_state));
    }
    if let Some(refused) = unknown_action(action) {
        return refused;
    }
    let saved = edit::save(
        session.place(),
        &target,
        &record_values(form),
        Scope::Whole,
        &version,
    );
    after_save(&shown, form, saved)
}

/// The form again with what was posted and `panel` above it (nothing saved), for a
/// post that could not be taken; `None` for an address that is not a record's form.
pub fn again(
    session: &Session,
    kind: &str,
    slug: &str,
    posted: &[(String, String)],
    panel: String,
) -> Option<Response<Body>> {
    let (record, target) = target(kind, slug)?;
    let shown = Form {
        session,
        record,
        target: &target,
        version: value(posted, "_version"),
        creating: false,
    };
    Some(shown.again(posted, panel))
}

/// Only "save" (or no button named, as when a form is sent another way) saves: any
/// other action is refused, never taken for a save.
pub fn unknown_action(action: &str) -> Option<Response<Body>> {
    (!matches!(action, "save" | "")).then(|| {
        let message = "This form asked for something the editor does not do (a row that is not in the form, or an unknown button); nothing was saved. Go back, reload the form and try again.";
        reply::text(400, message)
    })
}

/// The form with a row added (`add:<list>`) or removed (`remove:<list>.<n>`), and what
/// to tell the person; `None` for any other action.
pub fn change_rows(
    record: &RecordKind,
    form: &[(String, String)],
    action: &str,
) -> Option<(Vec<(String, String)>, String)> {
    if let Some(list) = action.strip_prefix("add:") {
        let field = fields::find_list(record.fields, list)?;
        let index = rows::next_index(form, list);
        let added = rows::add_row(form, list, &fields::row_names(&field.ty));
        let id = format!("{}-row", fields::id_of(&format!("{list}.{index}")));
        let notice = format!("A new row was added to {}: <a href=\"#{id}\">go to it</a>. Nothing is saved until you press Save changes.", esc(field.label));
        return Some((added, notice));
    }
    let (list, index) = action.strip_prefix("remove:")?.rsplit_once('.')?;
    let field = fields::find_list(record.fields, list)?;
    let removed = rows::remove_row(form, list, index.parse().ok()?);
    let notice = format!(
        "A row was removed from {}. Nothing is saved until you press Save changes.",
        esc(field.label)
    );
    Some((removed, notice))
}

/// What a save came to, as a page.
pub fn after_save(
    form: &Form,
    posted: &[(String, String)],
    saved: Result<edit::Saved, EditError>,
) -> Response<Body> {
    match saved {
        Ok(saved) if saved.diff.is_empty() => {
            let shown = Shown {
                panel: page::nothing_changed(),
                warnings: saved.warnings,
                ..Shown::default()
            };
            reply::html(200, form.render(posted, &shown))
        }
        Ok(saved) => {
            form.session.saved();
            let reopened = edit::open(&form.session.root, form.target);
            let Ok(opened) = reopened else {
                return reply::see_other(&form_address(form.target));
            };
            let mut values = opened.values;
            add_counts(form.record, &mut values);
            let again = Form {
                version: &opened.version,
                ..*form
            };
            let mut panel =
                page::saved_panel("Saved", &saved.diff, Some(&page_address(form.target)));
            if !saved.elsewhere.is_empty() {
                panel = page::other_files(&saved.elsewhere) + &panel;
            }
            let mut warnings = saved.warnings;
            if let Some((before, after)) = &saved.moved {
                warnings.insert(0, moved_warning(form.target.kind, before, after));
            }
            let shown = Shown {
                panel,
                warnings,
                ..Shown::default()
            };
            reply::html(200, again.render(&values, &shown))
        }
        Err(EditError::Invalid(problems)) => {
            let shown = Shown {
                errors: problems,
                ..Shown::default()
            };
            reply::html(422, form.render(posted, &shown))
        }
        Err(EditError::Changed) if !posted.is_empty() => {
            let current = edit::path_of(&form.session.root, form.target)
                .ok()
                .and_then(|p| std::fs::read_to_string(p).ok());
            let shown = Shown {
                panel: page::conflict_kept(&form_address(form.target), current.as_deref()),
                ..Shown::default()
            };
            reply::html(409, form.render(posted, &shown))
        }
        Err(EditError::Changed) => {
            let body = page::conflict(&form_address(form.target));
            reply::html(
                409,
                page::layout("This file changed since you opened it", &body),
            )
        }
        Err(e) => failure(form.target, e),
    }
}

/// A save changed the record's web address name: its page moved.
fn moved_warning(kind: Kind, before: &str, after: &str) -> FieldProblem {
    let address = |slug: &str| {
        page_address(&Target {
            kind,
            slug: slug.to_string(),
        })
    };
    FieldProblem {
        field: Some("slug".to_string()),
        message: format!(
            "The page's web address changed from {} to {}: links to the old address, bookmarks and printed leaflets no longer reach it",
            address(before),
            address(after)
        ),
        hint: Some("if that was not meant, put the web address name back and save".to_string()),
    }
}

/// An engine error other than problems with the record, as a page.
pub fn failure(target: &Target, e: EditError) -> Response<Body> {
    if let EditError::Invalid(problems) = &e {
        return unreadable(target, problems);
    }
    let (status, title) = match &e {
        EditError::NotFound => (404, "Not found"),
        EditError::BadRequest(_) => (400, "This record cannot be edited"),
        EditError::Exists => (409, "That name is taken"),
        _ => (500, "The record could not be saved"),
    };
    let body = format!(
        "<p>{}.</p>\n<p><a href=\"{}\">Open the form again</a> or <a href=\"{PREFIX}\">go to the list of records</a>.</p>\n",
        esc(&capitalised(&e.to_string())),
        esc(&form_address(target))
    );
    reply::html(status, page::layout(title, &body))
}

/// A record whose file cannot be read into a form (broken TOML, front matter without
/// its closing `+++`): what is wrong with it, and where to fix it.
fn unreadable(target: &Target, problems: &[FieldProblem]) -> Response<Body> {
    let record = schema::describe(target.kind);
    let file = format!(
        "content/{}/{}.{}",
        record.folder, target.slug, record.extension
    );
    let body = format!(
        "{}<p>The form cannot show this record until the file can be read. Open <code>{}</code> in a text editor, correct the problem above, and save; then <a href=\"{}\">open the form again</a>.</p>\n",
        page::titled_summary("There is a problem with this file", &listed(problems)),
        esc(&file),
        esc(&form_address(target))
    );
    reply::html(
        422,
        page::layout("This record's file cannot be read", &body),
    )
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// What a form is shown with besides its values.
#[derive(Default)]
pub struct Shown {
    pub notice: String,
    pub panel: String,
    pub errors: Vec<FieldProblem>,
    pub warnings: Vec<FieldProblem>,
    pub preview: bool,
}

/// A record's form: whose, for which record, opened at which version.
#[derive(Clone, Copy)]
pub struct Form<'a> {
    pub session: &'a Session,
    pub record: &'static RecordKind,
    pub target: &'a Target,
    pub version: &'a str,
    /// A new record: the form asks for its file name and posts to `new/<kind>`.
    pub creating: bool,
}

impl Form<'_> {
    /// The form again with what was posted and `panel` above it (nothing saved).
    pub fn again(&self, posted: &[(String, String)], panel: String) -> Response<Body> {
        let shown = Shown {
            panel,
            ..Shown::default()
        };
        reply::html(200, self.render(posted, &shown))
    }

    /// The whole page.
    pub fn render(&self, values: &[(String, String)], shown: &Shown) -> String {
        let labelled = Shown {
            notice: shown.notice.clone(),
            panel: shown.panel.clone(),
            errors: labels::labelled(self.record.kind, &shown.errors),
            warnings: labels::labelled(self.record.kind, &shown.warnings),
            preview: shown.preview,
        };
        let shown = &labelled;
        let (title, action) = if self.creating {
            let title = match value(values, "replaces") {
                "" => format!("Add a {}", self.record.name),
                _ => format!("New edition of {}", self.title(values)),
            };
            (title, format!("{PREFIX}new/{}", self.record.name))
        } else {
            let title = format!("Edit {}: {}", self.record.name, self.title(values));
            (title, form_address(self.target))
        };
        let body = format!(
            "{}{}{}{}{}",
            shown.panel,
            notice(&shown.notice),
            page::error_summary(&listed(&shown.errors)),
            page::warning_summary(&listed(&shown.warnings)),
            self.form_html(&action, values, shown)
        );
        page::layout(&title, &body)
    }

    fn title(&self, values: &[(String, String)]) -> String {
        let name = ["name", "title"]
            .iter()
            .map(|k| value(values, k))
            .find(|v| !v.is_empty());
        name.unwrap_or(&self.target.slug).to_string()
    }

    /// The `<form>`: the fields, the body, and the buttons.
    pub fn form_html(&self, action: &str, values: &[(String, String)], shown: &Shown) -> String {
        let view = View {
            values: values.to_vec(),
            errors: by_field(&shown.errors),
            warnings: by_field(&shown.warnings),
            categories: fields::site_categories(&self.session.root),
            action: action.to_string(),
        };
        let history = if self.creating {
            String::new()
        } else {
            let address = format!("{}/history", form_address(self.target));
            format!(
                "<a href=\"{}\">Earlier versions of this record</a>\n",
                esc(&address)
            )
        };
        let file_name = if self.creating {
            file_name_html(self.record, &view)
        } else {
            String::new()
        };
        format!(
            "{}<form method=\"post\" action=\"{}\" novalidate>\n{}{}{file_name}{}{}\
             <div class=\"editor-actions\">\n<button type=\"submit\" class=\"govuk-button\" name=\"_action\" value=\"save\">Save changes</button>\n\
             {history}</div>\n</form>\n",
            fields::contents_html(self.record.fields, self.record.has_body),
            esc(action),
            default_button(),
            page::hidden(self.session.token.as_str(), self.version),
            fields::fields_html(self.record.fields, "", &view),
            if self.record.has_body { body_html(&view, shown.preview) } else { String::new() },
        )
    }
}

/// A new record's file name (`_slug`): the engine makes its path from it.
fn file_name_html(record: &RecordKind, view: &View) -> String {
    let hint = format!(
        "Lower-case letters, numbers and hyphens, for example north-leeds. The record is saved as content/{}/<this>.{}.",
        record.folder, record.extension
    );
    fields::text_field("_slug", "File name", &hint, view)
}

/// The first submit button of a form is the one pressing Enter in a field uses: a
/// "Save changes" kept out of sight and out of the tab order, so Enter saves rather
/// than adding or removing a row.
pub fn default_button() -> &'static str {
    "<button type=\"submit\" name=\"_action\" value=\"save\" class=\"govuk-visually-hidden\" tabindex=\"-1\" aria-hidden=\"true\">Save changes</button>\n"
}

fn notice(html: &str) -> String {
    if html.is_empty() {
        String::new()
    } else {
        format!("<p class=\"editor-notice\" role=\"status\">{html}</p>\n")
    }
}

/// The problems in summary order.
pub fn listed(problems: &[FieldProblem]) -> Vec<Listed<'_>> {
    problems
        .iter()
        .map(|p| Listed {
            field: p.field.as_deref(),
            message: words(p),
        })
        .collect()
}

/// A problem as `check` says it: what is wrong, then how to fix it.
pub fn words(p: &FieldProblem) -> String {
    match &p.hint {
        Some(hint) if !hint.is_empty() => {
            let stop = if p.message.ends_with(['.', '?', '!']) {
                ""
            } else {
                "."
            };
            format!("{}{stop} {}", p.message, capitalised(hint))
        }
        _ => p.message.clone(),
    }
}

/// The problems of each form field.
pub fn by_field(problems: &[FieldProblem]) -> HashMap<String, Vec<String>> {
    let mut map: HashMap<String, Vec<String>> = HashMap::new();
    for p in problems {
        if let Some(field) = &p.field {
            map.entry(field.clone()).or_default().push(words(p));
        }
    }
    map
}

/// A guide's or page's Markdown body, its preview (rendered as the build renders it)
/// and the "Preview" button, which posts the form back without saving.
fn body_html(view: &View, preview: bool) -> String {
    let body = view
        .values
        .iter()
        .rev()
        .find(|(k, _)| k == "body")
        .map_or("", |(_, v)| v.as_str());
    let rendered = if preview || !body.is_empty() {
        render_markdown(body)
    } else {
        String::new()
    };
    let (notes, described) = body_notes(view);
    format!(
        "<div class=\"govuk-form-group editor-body\">\n<label class=\"govuk-label\" for=\"f-body\">Text of the page</label>\n\
         <div id=\"f-body-hint\" class=\"govuk-hint\">Markdown: a blank line between paragraphs, ## for a heading, - at the start of each line of a list, [words](address) for a link.</div>\n\
         {notes}<textarea class=\"govuk-textarea\" id=\"f-body\" name=\"body\" rows=\"20\" aria-describedby=\"{described}\">\n{}</textarea>\n</div>\n\
         <button type=\"submit\" class=\"govuk-button govuk-button--secondary\" name=\"_action\" value=\"preview\">Preview</button>\n\
         <h2 class=\"govuk-heading-m\" id=\"editor-preview-heading\">Preview of the text</h2>\n\
         <div class=\"editor-preview\" id=\"editor-preview\" aria-labelledby=\"editor-preview-heading\" role=\"region\" aria-live=\"polite\">{rendered}</div>\n",
        esc(body)
    )
}

fn body_notes(view: &View) -> (String, String) {
    let mut html = String::new();
    let mut ids = vec!["f-body-hint".to_string()];
    for (n, message) in view.errors.get("body").into_iter().flatten().enumerate() {
        html.push_str(&format!(
            "<p id=\"f-body-error-{n}\" class=\"govuk-error-message\"><span class=\"govuk-visually-hidden\">Error:</span> {}</p>\n",
            esc(message)
        ));
        ids.push(format!("f-body-error-{n}"));
    }
    (html, ids.join(" "))
}

/// Markdown to HTML as the build renders a page's body.
/// Links and images `check` refuses are shown as text, with a warning.
pub fn render_markdown(markdown: &str) -> String {
    crate::serve::editor::preview::html(markdown)
}

/// `POST /_edit/preview`: the body's preview, for the live preview.
pub fn preview(_session: &Session, form: &[(String, String)]) -> Response<Body> {
    reply::response(
        200,
        "text/html; charset=utf-8",
        render_markdown(value(form, "body")).into_bytes(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::schema::{Field, FieldType};

    /// Every list of a record kind at any depth, as a form name with row 0 of each
    /// list above it (`offer`, `funding.0.lines`).
    fn lists(fields: &'static [Field], prefix: &str, out: &mut Vec<(String, &'static FieldType)>) {
        for f in fields {
            let name = if prefix.is_empty() {
                f.key.to_string()
            } else {
                format!("{prefix}.{}", f.key)
            };
            match &f.ty {
                FieldType::TableList(sub) => {
                    out.push((name.clone(), &f.ty));
                    lists(sub, &format!("{name}.0"), out);
                }
                FieldType::TextList => out.push((name, &f.ty)),
                FieldType::Table(sub) => lists(sub, &name, out),
                _ => {}
            }
        }
    }

    #[test]
    fn every_list_at_any_depth_gains_and_loses_rows_without_disturbing_the_rest() {
        let mut rng = fastrand::Rng::with_seed(26);
        for record in schema::all() {
            let mut found = Vec::new();
            lists(record.fields, "", &mut found);
            assert!(!found.is_empty());
            for (list, ty) in found {
                let names = fields::row_names(ty);
                let rows_in_file = rng.usize(..4);
                let mut form: Vec<(String, String)> = (0..rows_in_file)
                    .flat_map(|i| names.iter().map(move |n| (i, *n)))
                    .map(|(i, n)| {
                        let key = if n.is_empty() {
                            format!("{list}.{i}")
                        } else {
                            format!("{list}.{i}.{n}")
                        };
                        (key, format!("v{i}"))
                    })
                    .collect();
                form.push(("name".into(), "kept".into()));
                add_counts(record, &mut form);
                let (added, notice) = change_rows(record, &form, &format!("add:{list}"))
                    .unwrap_or_else(|| panic!("{list}"));
                assert!(notice.contains("added"), "{notice}");
                assert_eq!(
                    rows::indices(&added, &list),
                    (0..=rows_in_file).collect::<Vec<_>>(),
                    "{list}"
                );
                if rows_in_file > 0 {
                    let gone = rng.usize(..rows_in_file);
                    let (removed, _) =
                        change_rows(record, &added, &format!("remove:{list}.{gone}")).unwrap();
                    assert!(!rows::indices(&removed, &list).contains(&gone), "{list}");
                    assert_eq!(removed.len(), added.len() - names.len(), "{list}");
                    let (again, _) = change_rows(record, &removed, &format!("add:{list}")).unwrap();
                    assert_eq!(
                        rows::indices(&again, &list).last(),
                        Some(&(rows_in_file + 1)),
                        "{list}"
                    );
                }
                assert!(added.iter().any(|(k, v)| k == "name" && v == "kept"));
            }
        }
        let cluster = schema::describe(Kind::Cluster);
        for action in [
            "add:name",
            "add:nothing",
            "remove:offer",
            "remove:offer.x",
            "save",
            "add:",
            "remove:name.0",
        ] {
            assert!(change_rows(cluster, &[], action).is_none(), "{action}");
        }
    }
}
