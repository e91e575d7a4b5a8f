//! Responses as the preview sends them: a content type, no caching, and the site's
//! security headers (the production Content-Security-Policy included), for the files
//! of the site and the editor's pages alike.

use hyper::header::{HeaderName, HeaderValue, CACHE_CONTROL, CONTENT_TYPE};
use hyper::{Response, StatusCode};

use crate::data::headers::SECURITY_HEADERS;
use crate::serve::body::Body;

/// A response with a content type, no caching, and the site's security headers.
pub fn response(status: u16, content_type: &str, body: Vec<u8>) -> Response<Body> {
    respond_with(status, content_type, Body::bytes(body))
}

/// The same, for any body.
pub fn respond_with(status: u16, content_type: &str, body: Body) -> Response<Body> {
    let mut response = Response::new(body);
    *response.status_mut() =
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    let content_type = HeaderValue::from_str(content_type);
    headers.insert(CONTENT_TYPE, content_type.expect("content types are valid"));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    for (name, value) in SECURITY_HEADERS {
        let name = HeaderName::from_bytes(name.as_bytes()).expect("header names are valid");
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}

/// Plain text, for refusals.
pub fn text(status: u16, message: &str) -> Response<Body> {
    response(
        status,
        "text/plain; charset=utf-8",
        message.as_bytes().to_vec(),
    )
}

/// An HTML page.
pub fn html(status: u16, page: String) -> Response<Body> {
    response(status, "text/html; charset=utf-8", page.into_bytes())
}

/// `303 See Other` to `location` (after a change, so that reloading does not post again).
pub fn see_other(location: &str) -> Response<Body> {
    let mut r = text(303, "See other");
    if let Ok(value) = HeaderValue::from_str(location) {
        r.headers_mut().insert(hyper::header::LOCATION, value);
    }
    r
}
