//! A new record, or a new edition of a guide (the old edition's fields to start from,
//! with "Replaces" filled in and the edition date left for the new one).

use hyper::Response;

use crate::content::schema::{Kind, RecordKind};
use crate::edit::{self, EditError, FieldProblem, Target};
use crate::serve::body::Body;
use crate::serve::editor::guard::Session;
use crate::serve::editor::page;
use crate::serve::editor::record::{
    self, add_counts, after_save, change_rows, record_values, value, Form, Shown,
};
use crate::serve::reply;
use crate::text::{is_valid_slug, slugify, MAX_SLUG_LEN};

/// `GET new/<kind>`, or `new/guide?from=<slug>` for a new edition.
pub fn page(session: &Session, kind: &str, query: &str) -> Response<Body> {
    let Some((record, target)) = record::target(kind, "") else {
        return page::not_found();
    };
    let from = url::form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "from")
        .map(|(_, v)| v.into_owned());
    let mut values = match from {
        Some(slug) if record.kind == Kind::Guide => match edition_start(session, &slug) {
            Ok(values) => values,
            Err(e) => {
                return record::failure(
                    &Target {
                        kind: Kind::Guide,
                        slug,
                    },
                    e,
                )
            }
        },
        _ => Vec::new(),
    };
    add_counts(record, &mut values);
    let form = new_form(session, record, &target);
    reply::html(200, form.render(&values, &Shown::default()))
}

/// A new edition's starting values: the old edition's, with "Replaces" naming it and
/// no edition date or web address name of its own yet.
fn edition_start(session: &Session, slug: &str) -> Result<Vec<(String, String)>, EditError> {
    let old = edit::open(
        &session.root,
        &Target {
            kind: Kind::Guide,
            slug: slug.to_string(),
        },
    )?;
    let old_slug = value(&old.values, "slug");
    let replaces = if old_slug.is_empty() {
        slug.to_string()
    } else {
        old_slug.to_string()
    };
    let mut values: Vec<(String, String)> = old
        .values
        .into_iter()
        .filter(|(k, _)| !matches!(k.as_str(), "edition" | "slug" | "replaces"))
        .collect();
    values.push(("replaces".to_string(), replaces));
    values.push(("edition".to_string(), String::new()));
    values.push(("_slug".to_string(), next_file_name(session, slug)));
    Ok(values)
}

/// A file name for a new edition: the old one with this year in place of its year
/// (`working-2024` gives `working-2026`), or this year added; a number after it when
/// that name is taken.
fn next_file_name(session: &Session, old: &str) -> String {
    let year = chrono::Local::now().format("%Y").to_string();
    let stem = match old.rsplit_once('-') {
        Some((stem, y)) if y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()) => stem,
        _ => old,
    };
    let taken = |name: &str| {
        edit::path_of(
            &session.root,
            &Target {
                kind: Kind::Guide,
                slug: name.to_string(),
            },
        )
        .map_or(true, |p| p.exists())
    };
    let first = format!("{stem}-{year}");
    (1..100)
        .map(|n| match n {
            1 => first.clone(),
            n => format!("{first}-{n}"),
        })
        .find(|name| !taken(name))
        .unwrap_or(first)
}

/// `POST new/<kind>`: add or remove a row, preview, or create the record.
pub fn post(session: &Session, kind: &str, form: &[(String, String)]) -> Response<Body> {
    let slug = value(form, "_slug").trim().to_string();
    let Some((record, target)) = record::target(kind, &slug) else {
        return page::not_found();
    };
    let shown = new_form(session, record, &target);
    let action = value(form, "_action");
    if let (Some(problem), "save" | "") = (file_name_problem(&slug), action) {
        let shown_state = Shown {
            errors: vec![problem],
            ..Shown::default()
        };
        return reply::html(422, shown.render(form, &shown_state));
    }
    if let Some((values, notice)) = change_rows(record, form, action) {
        return reply::html(
            200,
            shown.render(
                &values,
                &Shown {
                    notice,
                    ..Shown::default()
                },
            ),
        );
    }
    if action == "preview" {
        return reply::html(
            200,
            shown.render(
                form,
                &Shown {
                    preview: true,
                    ..Shown::default()
                },
            ),
        );
    }
    if let Some(refused) = record::unknown_action(action) {
        return refused;
    }
    let created = edit::create(session.place(), &target, &record_values(form))
        .map_err(|e| slug_problem(e, &slug));
    let made = Form {
        creating: false,
        ..shown
    };
    match created {
        Ok(saved) => after_save(&made, form, Ok(saved)),
        Err(e) => after_save(&shown, form, Err(e)),
    }
}

/// The new record's form again with what was posted and `panel` above it (nothing
/// created).
pub fn again(
    session: &Session,
    kind: &str,
    posted: &[(String, String)],
    panel: String,
) -> Option<Response<Body>> {
    let (record, target) = record::target(kind, value(posted, "_slug").trim())?;
    let shown = new_form(session, record, &target);
    Some(shown.again(posted, panel))
}

/// What is wrong with a new record's file name, beside its field: it must be what
/// `check` accepts as a web address name (lower-case letters, digits and single
/// hyphens, not at either end, at most [`MAX_SLUG_LEN`] characters).
fn file_name_problem(slug: &str) -> Option<FieldProblem> {
    let message = if slug.is_empty() {
        "Enter a file name: lower-case letters, numbers and hyphens.".to_string()
    } else if !is_valid_slug(slug) {
        let suggestion = slugify(slug);
        let hint = match suggestion.is_empty() || !is_valid_slug(&suggestion) {
            true => String::new(),
            false => format!(" For example: {suggestion}"),
        };
        format!("The file name \"{slug}\" may use only lower-case letters, numbers and single hyphens, with no hyphen at the start or end.{hint}")
    } else if slug.len() > MAX_SLUG_LEN {
        format!(
            "The file name is {} characters long: use at most {MAX_SLUG_LEN}.",
            slug.len()
        )
    } else {
        return None;
    };
    Some(FieldProblem {
        field: Some("_slug".to_string()),
        message,
        hint: None,
    })
}

/// A taken or malformed file name as a problem beside the file name field.
fn slug_problem(e: EditError, slug: &str) -> EditError {
    let message = match e {
        EditError::Exists => format!("There is already a record called {slug}: choose another file name, or edit that record from the list of records."),
        EditError::BadRequest(_) if slug.is_empty() => "Enter a file name: lower-case letters, numbers and hyphens.".to_string(),
        EditError::BadRequest(m) if !slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') => {
            format!("The file name may use only lower-case letters, numbers and hyphens ({m}).")
        }
        other => return other,
    };
    EditError::Invalid(vec![FieldProblem {
        field: Some("_slug".to_string()),
        message,
        hint: None,
    }])
}

/// The form of a new record of `record`'s kind, to be created at `target`.
fn new_form<'a>(session: &'a Session, record: &'static RecordKind, target: &'a Target) -> Form<'a> {
    Form {
        session,
        record,
        target,
        version: "",
        creating: true,
    }
}
