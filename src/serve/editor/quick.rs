//! The quick forms for the two most frequent jobs: post an update on a cluster and
//! add a meeting. Each is one new row of a cluster's list, appended (`Scope::Append`),
//! so nothing else in the file can change.

use hyper::Response;

use crate::content::schema::{self, FieldType, Kind};
use crate::edit::{self, EditError, FieldProblem, Scope, Target};
use crate::serve::body::Body;
use crate::serve::editor::fields::{self, View};
use crate::serve::editor::guard::Session;
use crate::serve::editor::page::{self, PREFIX};
use crate::serve::editor::record::{by_field, default_button, listed, page_address, value};
use crate::serve::editor::rows;
use crate::serve::reply;
use crate::text::escape_markup as esc;

/// A quick form: its address, its list in a cluster record, and its wording.
struct Quick {
    path: &'static str,
    list: &'static str,
    title: &'static str,
    button: &'static str,
    done: &'static str,
}

const QUICK: &[Quick] = &[
    Quick {
        path: "update",
        list: "updates",
        title: "Post an update",
        button: "Post the update",
        done: "Update posted",
    },
    Quick {
        path: "meeting",
        list: "meetings",
        title: "Add a meeting",
        button: "Add the meeting",
        done: "Meeting added",
    },
];

fn quick(path: &str) -> Option<&'static Quick> {
    QUICK.iter().find(|q| q.path == path)
}

/// The fields of one row of the list.
fn row_fields(list: &str) -> &'static [schema::Field] {
    let fields = schema::describe(Kind::Cluster).fields;
    match fields.iter().find(|f| f.key == list).map(|f| &f.ty) {
        Some(FieldType::TableList(sub)) => sub,
        _ => &[],
    }
}

pub fn page(session: &Session, path: &str) -> Response<Body> {
    let Some(q) = quick(path) else {
        return page::not_found();
    };
    render(session, q, &[], &Default::default())
}

/// The quick form again with what was posted and `panel` above it (nothing added).
pub fn again(
    session: &Session,
    path: &str,
    posted: &[(String, String)],
    panel: String,
) -> Option<Response<Body>> {
    let q = quick(path)?;
    let outcome = Outcome {
        panel,
        ..Outcome::default()
    };
    Some(render(session, q, posted, &outcome))
}

/// What a quick form is shown with: the problems, and the last save's panel.
#[derive(Default)]
struct Outcome {
    errors: Vec<FieldProblem>,
    panel: String,
}

fn render(
    session: &Session,
    q: &Quick,
    values: &[(String, String)],
    outcome: &Outcome,
) -> Response<Body> {
    let clusters = match edit::records(&session.root) {
        Ok(r) => r
            .into_iter()
            .filter(|r| r.target.kind == Kind::Cluster)
            .collect::<Vec<_>>(),
        Err(e) => {
            return reply::html(
                500,
                page::layout(q.title, &format!("<p>{}</p>", esc(&e.to_string()))),
            )
        }
    };
    let errors = crate::serve::editor::labels::labelled(Kind::Cluster, &outcome.errors);
    let view = View {
        values: values.to_vec(),
        errors: by_field(&errors),
        warnings: Default::default(),
        categories: fields::site_categories(&session.root),
        action: format!("{PREFIX}{}", q.path),
    };
    let chosen = value(values, "_cluster");
    let options: String = clusters
        .iter()
        .map(|c| {
            let selected = if c.target.slug == chosen {
                " selected"
            } else {
                ""
            };
            format!(
                "<option value=\"{}\"{selected}>{}</option>",
                esc(&c.target.slug),
                esc(&c.title)
            )
        })
        .collect();
    let row = format!("{}.0", q.list);
    let status = if outcome.errors.is_empty() { 200 } else { 422 };
    let body = format!(
        "{}{}<form method=\"post\" action=\"{PREFIX}{}\" novalidate>\n{}{}\
         <div class=\"govuk-form-group\">\n<label class=\"govuk-label\" for=\"f-_cluster\">Cluster</label>\n\
         <select class=\"govuk-select\" id=\"f-_cluster\" name=\"_cluster\">{options}</select>\n</div>\n{}\
         <button type=\"submit\" class=\"govuk-button\" name=\"_action\" value=\"save\">{}</button>\n</form>\n",
        outcome.panel,
        page::error_summary(&listed(&errors)),
        q.path,
        default_button(),
        page::hidden(session.token.as_str(), ""),
        fields::fields_html(row_fields(q.list), &row, &view),
        q.button
    );
    reply::html(status, page::layout(q.title, &body))
}

pub fn post(session: &Session, path: &str, form: &[(String, String)]) -> Response<Body> {
    let Some(q) = quick(path) else {
        return page::not_found();
    };
    if let Some(refused) = crate::serve::editor::record::unknown_action(value(form, "_action")) {
        return refused;
    }
    let target = Target {
        kind: Kind::Cluster,
        slug: value(form, "_cluster").to_string(),
    };
    match append(session, q, &target, form) {
        Ok(saved) => {
            session.saved();
            let panel = page::saved_panel(q.done, &saved.diff, Some(&page_address(&target)));
            let kept = vec![("_cluster".to_string(), target.slug.clone())];
            render(
                session,
                q,
                &kept,
                &Outcome {
                    panel,
                    ..Default::default()
                },
            )
        }
        Err(EditError::Invalid(problems)) => {
            let errors = problems
                .into_iter()
                .map(|p| renumbered(p, q.list))
                .collect();
            render(
                session,
                q,
                form,
                &Outcome {
                    errors,
                    ..Default::default()
                },
            )
        }
        Err(e) => {
            let problem = FieldProblem {
                field: None,
                message: e.to_string(),
                hint: None,
            };
            render(
                session,
                q,
                form,
                &Outcome {
                    errors: vec![problem],
                    ..Default::default()
                },
            )
        }
    }
}

/// Append the posted row (`<list>.0.*`) as the record's next row.
fn append(
    session: &Session,
    q: &Quick,
    target: &Target,
    form: &[(String, String)],
) -> Result<edit::Saved, EditError> {
    let opened = edit::open(&session.root, target)?;
    let next = rows::indices(&opened.values, q.list)
        .last()
        .map_or(0, |i| i + 1);
    let prefix = format!("{}.0.", q.list);
    let row: Vec<(String, String)> = form
        .iter()
        .filter_map(|(k, v)| {
            let key = k.strip_prefix(&prefix)?;
            Some((format!("{}.{next}.{key}", q.list), v.clone()))
        })
        .collect();
    edit::save(
        session.place(),
        target,
        &row,
        Scope::Append(q.list),
        &opened.version,
    )
}

/// A problem with the appended row, named as the quick form names its fields.
fn renumbered(p: FieldProblem, list: &str) -> FieldProblem {
    let field = p.field.map(|f| match rows::index_in(&f, list) {
        Some(i) => f.replacen(&format!("{list}.{i}"), &format!("{list}.0"), 1),
        None => f,
    });
    FieldProblem { field, ..p }
}
