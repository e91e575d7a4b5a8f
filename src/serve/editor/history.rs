//! A record's earlier versions (kept by the engine before each save), newest first,
//! each with a button that puts it back (itself a checked save).

use hyper::Response;

use crate::edit;
use crate::serve::body::Body;
use crate::serve::editor::guard::Session;
use crate::serve::editor::page;
use crate::serve::editor::record::{self, after_save, failure, form_address, value, Form};
use crate::serve::reply;
use crate::text::escape_markup as esc;

pub fn page(session: &Session, kind: &str, slug: &str) -> Response<Body> {
    let Some((_, target)) = record::target(kind, slug) else {
        return page::not_found();
    };
    let (versions, opened) = match (
        edit::history(&session.root, &target),
        edit::open(&session.root, &target),
    ) {
        (Ok(v), Ok(o)) => (v, o),
        (Err(e), _) | (_, Err(e)) => return failure(&target, e),
    };
    let action = format!("{}/restore", form_address(&target));
    let rows: String = versions
        .iter()
        .map(|v| {
            format!(
                "<tr><td>{}</td><td>{} bytes</td><td><form method=\"post\" action=\"{}\">\n{}<input type=\"hidden\" name=\"id\" value=\"{}\">\n\
                 <button type=\"submit\" class=\"govuk-button govuk-button--secondary\">Restore<span class=\"govuk-visually-hidden\"> the version replaced {}</span></button>\n</form></td></tr>\n",
                esc(&in_words(&v.saved_at)),
                v.bytes,
                esc(&action),
                page::hidden(session.token.as_str(), &opened.version),
                esc(&v.id),
                esc(&in_words(&v.saved_at))
            )
        })
        .collect();
    let body = if versions.is_empty() {
        "<p>There are no earlier versions yet: one is kept each time the record is saved here.</p>\n".to_string()
    } else {
        format!(
            "<p>Each row is the record as it was until the time shown. Restoring one saves it as the current version (the current one is kept too).</p>\n\
             <div class=\"table-scroll\">\n<table class=\"govuk-table\">\n<thead><tr><th scope=\"col\">Replaced at</th><th scope=\"col\">Size</th><th scope=\"col\">Action</th></tr></thead>\n<tbody>\n{rows}</tbody>\n</table>\n</div>\n"
        )
    };
    let body = format!(
        "{body}<p><a href=\"{}\">Back to the form</a></p>\n",
        esc(&form_address(&target))
    );
    let name = ["name", "title"]
        .iter()
        .map(|k| value(&opened.values, k))
        .find(|v| !v.is_empty())
        .unwrap_or(&target.slug);
    reply::html(
        200,
        page::layout(&format!("Earlier versions of {name}"), &body),
    )
}

/// `2026-11-24 05:47:00` (UTC) as "24 November 2026, 05:47:00 UTC".
fn in_words(saved_at: &str) -> String {
    match chrono::NaiveDateTime::parse_from_str(saved_at, "%Y-%m-%d %H:%M:%S") {
        Ok(t) => t.format("%-d %B %Y, %H:%M:%S UTC").to_string(),
        Err(_) => format!("{saved_at} UTC"),
    }
}

pub fn restore(
    session: &Session,
    kind: &str,
    slug: &str,
    form: &[(String, String)],
) -> Response<Body> {
    let Some((kind, target)) = record::target(kind, slug) else {
        return page::not_found();
    };
    let version = value(form, "_version");
    let restored = edit::restore(session.place(), &target, value(form, "id"), version);
    let shown = Form {
        session,
        record: kind,
        target: &target,
        version,
        creating: false,
    };
    after_save(&shown, &[], restored)
}
