//! The editor, in `clusterdir serve` only (never in a built site): forms generated
//! from the content model's description, under [`page::PREFIX`] (`/_edit/`).
//!
//! Every change is a `POST` that must pass [`guard`]: the server has already checked
//! `Host` (the preview's own address); here `Origin` must be that same address, the
//! body is at most [`guard::MAX_FORM`], and the form carries this run's token. The
//! files written are the ones the editing engine ([`crate::edit`]) resolves from a
//! record's kind and slug; no path from the browser is ever used. Pages: the start
//! page ([`start`]), a record's form ([`record`]), a new record and a new edition
//! ([`create`]), the quick forms ([`quick`]), earlier versions ([`history`]).

pub mod create;
pub mod fields;
pub mod guard;
pub mod history;
pub mod labels;
pub mod link;
pub mod page;
pub mod preview;
pub mod quick;
pub mod record;
pub mod rows;
pub mod start;

use std::sync::Arc;

use hyper::body::Incoming;
use hyper::header::{HeaderValue, ALLOW, CONTENT_LENGTH, ORIGIN};
use hyper::{Method, Request, Response};

use crate::serve::body::Body;
use crate::serve::editor::guard::{Refused, Session};
use crate::serve::reply;

const EDITOR_CSS: &str = include_str!("../../../themes/default/preview/editor.css");
const EDITOR_JS: &str = include_str!("../../../themes/default/preview/editor.js");

/// Whether `path` is the editor's.
pub fn is_editor(path: &str) -> bool {
    path == page::PREFIX.trim_end_matches('/') || path.starts_with(page::PREFIX)
}

/// Answer a request for the editor; `host` is the `Host` the server accepted.
pub async fn answer(
    session: Arc<Session>,
    request: Request<Incoming>,
    host: String,
) -> Response<Body> {
    if let Some(why) = session.off() {
        return reply::text(why.status, &why.message);
    }
    let path = request.uri().path().to_string();
    let query = request.uri().query().unwrap_or("").to_string();
    let method = request.method().clone();
    if matches!(method, Method::GET | Method::HEAD) {
        return blocking(move || get(&session, &path, &query)).await;
    }
    if method != Method::POST {
        let mut refused = reply::text(405, "The editor answers only GET, HEAD and POST requests.");
        refused
            .headers_mut()
            .insert(ALLOW, HeaderValue::from_static("GET, HEAD, POST"));
        return refused;
    }
    match checked_form(&session, request, &host).await {
        Ok(form) => blocking(move || post(&session, &path, &form)).await,
        Err(Rejected::Token(why, form)) => {
            blocking(move || stale(&session, &path, &form, &why)).await
        }
        Err(Rejected::Other(why)) => reply::text(why.status, &why.message),
    }
}

/// Why a `POST` was not taken: a form from the preview's own address whose token is
/// missing or is not this run's (the preview restarted since the form was opened), or
/// anything else.
enum Rejected {
    Token(Refused, Vec<(String, String)>),
    Other(Refused),
}

/// A form from the preview's own address without this run's token: nothing is done;
/// the form is shown again with what was typed and a fresh token, asking to press Save
/// again. Forms that cannot be shown again get the refusal as text.
fn stale(
    session: &Session,
    path: &str,
    form: &[(String, String)],
    why: &Refused,
) -> Response<Body> {
    let panel = page::stale_token(&why.message);
    let again = match parts(path)[..] {
        ["new", kind] => create::again(session, kind, form, panel),
        [quick_form @ ("update" | "meeting")] => quick::again(session, quick_form, form, panel),
        [kind, slug] => record::again(session, kind, slug, form, panel),
        _ => None,
    };
    match again {
        Some(mut page) => {
            *page.status_mut() = hyper::StatusCode::FORBIDDEN;
            page
        }
        None => reply::text(why.status, &why.message),
    }
}

/// The form of a `POST` that passed every check: its origin (before a byte of the body
/// is read), its size, and its token.
async fn checked_form(
    session: &Session,
    request: Request<Incoming>,
    host: &str,
) -> Result<Vec<(String, String)>, Rejected> {
    let origins: Vec<&[u8]> = request
        .headers()
        .get_all(ORIGIN)
        .iter()
        .map(HeaderValue::as_bytes)
        .collect();
    guard::check_origin(&origins, host).map_err(Rejected::Other)?;
    let declared = request
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok());
    let form = guard::read_form(declared, request.into_body())
        .await
        .map_err(Rejected::Other)?;
    match guard::check_token(&form, &session.token) {
        Ok(()) => Ok(form),
        Err(why) => Err(Rejected::Token(why, form)),
    }
}

async fn blocking(work: impl FnOnce() -> Response<Body> + Send + 'static) -> Response<Body> {
    tokio::task::spawn_blocking(work)
        .await
        .unwrap_or_else(|_| reply::text(500, "Server error"))
}

/// The parts of an editor address after the prefix (`cluster/arm` is `["cluster", "arm"]`).
fn parts(path: &str) -> Vec<&str> {
    path.strip_prefix(page::PREFIX)
        .unwrap_or("")
        .split('/')
        .filter(|p| !p.is_empty())
        .collect()
}

fn get(session: &Session, path: &str, query: &str) -> Response<Body> {
    match parts(path)[..] {
        [] => start::page(session),
        ["static", "editor.css"] => reply::response(
            200,
            "text/css; charset=utf-8",
            EDITOR_CSS.as_bytes().to_vec(),
        ),
        ["static", "editor.js"] => reply::response(
            200,
            "text/javascript; charset=utf-8",
            EDITOR_JS.as_bytes().to_vec(),
        ),
        ["new", kind] => create::page(session, kind, query),
        [quick_form @ ("update" | "meeting")] => quick::page(session, quick_form),
        [kind, slug] => record::page(session, kind, slug),
        [kind, slug, "history"] => history::page(session, kind, slug),
        _ => not_found(),
    }
}

fn post(session: &Session, path: &str, form: &[(String, String)]) -> Response<Body> {
    match parts(path)[..] {
        ["preview"] => record::preview(session, form),
        ["new", kind] => create::post(session, kind, form),
        [quick_form @ ("update" | "meeting")] => quick::post(session, quick_form, form),
        [kind, slug] => record::post(session, kind, slug, form),
        [kind, slug, "restore"] => history::restore(session, kind, slug, form),
        _ => not_found(),
    }
}

fn not_found() -> Response<Body> {
    page::not_found()
}
