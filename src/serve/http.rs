//! The preview's web server: files of the output folder only (never following a link
//! out of it), with the site's security headers, the reload script injected into HTML,
//! and the two addresses the script polls. While the content is broken and there is no
//! earlier site to show, every page request gets an error page listing the errors.

use std::io::Cursor;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use tiny_http::{Header, Request, Response, Server};

use crate::data::headers::SECURITY_HEADERS;
use crate::serve::state::PreviewState;
use crate::text::escape_markup;

const RELOAD_JS: &str = include_str!("../../themes/default/preview/reload.js");
const STATUS_PATH: &str = "/__clusterdir/status";
const WAIT_PATH: &str = "/__clusterdir/wait";
const RELOAD_PATH: &str = "/__clusterdir/reload.js";

/// Find a free port on `ip`, starting at `first`.
pub fn bind(ip: IpAddr, first: u16) -> std::io::Result<(Server, SocketAddr)> {
    let mut last_err = None;
    for port in first..first.saturating_add(50) {
        match TcpListener::bind(SocketAddr::from((ip, port))) {
            Ok(l) => {
                let addr = l.local_addr()?;
                let server = Server::from_listener(l, None)
                    .map_err(|e| std::io::Error::other(e.to_string()))?;
                return Ok((server, addr));
            }
            Err(e) => last_err = Some(e),
        }
    }
    Err(last_err.unwrap_or_else(|| std::io::Error::other("no free port")))
}

/// Answer requests until the server stops.
pub fn serve_requests(server: &Server, output: &Path, state: &Arc<PreviewState>) {
    for request in server.incoming_requests() {
        if request.url().starts_with(WAIT_PATH) {
            // A browser waiting for the next build: answer from its own thread.
            let state = Arc::clone(state);
            std::thread::spawn(move || {
                let seen = request
                    .url()
                    .split("v=")
                    .nth(1)
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0);
                let body = state.wait_for_change(seen, Duration::from_secs(25));
                let _ = request.respond(response(200, "application/json", body.into_bytes()));
            });
            continue;
        }
        let _ = respond(request, output, state);
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("static header is valid")
}

/// A response with a content type, no caching, and the site's security headers.
fn response(status: u16, content_type: &str, body: Vec<u8>) -> Response<Cursor<Vec<u8>>> {
    let mut headers = vec![
        header("Content-Type", content_type),
        header("Cache-Control", "no-store"),
    ];
    headers.extend(
        SECURITY_HEADERS
            .iter()
            .map(|(name, value)| header(name, value)),
    );
    let len = body.len();
    Response::new(status.into(), headers, Cursor::new(body), Some(len), None)
}

fn respond(request: Request, output: &Path, state: &PreviewState) -> std::io::Result<()> {
    let url = request
        .url()
        .split(['?', '#'])
        .next()
        .unwrap_or("/")
        .to_string();
    if url == STATUS_PATH {
        let body = state.status_json().into_bytes();
        return request.respond(response(200, "application/json", body));
    }
    if url == RELOAD_PATH {
        let body = RELOAD_JS.as_bytes().to_vec();
        return request.respond(response(200, "text/javascript; charset=utf-8", body));
    }
    if let Some(error) = state.nothing_to_show() {
        let body = error_page(&error).into_bytes();
        return request.respond(response(503, "text/html; charset=utf-8", body));
    }
    let (status, path) = match resolve_path(output, &url) {
        Some(p) => (200, p),
        None => (404, output.join("404.html")),
    };
    let Ok(bytes) = std::fs::read(&path) else {
        let body = b"Not found".to_vec();
        return request.respond(response(404, "text/plain; charset=utf-8", body));
    };
    let mime = mime_for(&path);
    let body = if mime.starts_with("text/html") {
        inject_reload(bytes)
    } else {
        bytes
    };
    request.respond(response(status, mime, body))
}

/// Map a URL path to a file inside `output`, refusing anything that would leave it.
pub fn resolve_path(output: &Path, url_path: &str) -> Option<PathBuf> {
    let decoded = percent_decode(url_path)?;
    let mut path = output.to_path_buf();
    for comp in Path::new(decoded.trim_start_matches('/')).components() {
        match comp {
            Component::Normal(c) => path.push(c),
            Component::CurDir => {}
            _ => return None,
        }
    }
    if path.is_dir() {
        path.push("index.html");
    }
    let canonical = path.canonicalize().ok()?;
    let root = output.canonicalize().ok()?;
    (canonical.starts_with(&root) && canonical.is_file()).then_some(canonical)
}

/// Decode `%xx` escapes; `None` for invalid UTF-8, NUL or a backslash (which some
/// systems treat as a path separator).
fn percent_decode(s: &str) -> Option<String> {
    let s = percent_encoding::percent_decode_str(s).decode_utf8().ok()?;
    (!s.contains('\0') && !s.contains('\\')).then(|| s.into_owned())
}

/// The page shown while the content is broken and there is no earlier site: the
/// errors (escaped) and the reload script, which reloads it into the site once the
/// content is fixed.
fn error_page(errors: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\" data-clusterdir-error>\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Nothing to show yet</title>\n</head>\n<body>\n<h1>Nothing to show yet</h1>\n\
         <p>The site did not build, and there is no earlier version to show. \
         Fix the problem and save; the page will reload.</p>\n<pre>{}</pre>\n\
         <script src=\"{RELOAD_PATH}\" defer></script>\n</body>\n</html>\n",
        escape_markup(errors)
    )
}

fn inject_reload(html: Vec<u8>) -> Vec<u8> {
    let tag = format!("<script src=\"{RELOAD_PATH}\" defer></script>");
    let text = String::from_utf8_lossy(&html);
    match text.rfind("</body>") {
        Some(i) => format!("{}{tag}{}", &text[..i], &text[i..]).into_bytes(),
        None => html,
    }
}

fn mime_for(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "csv" => "text/csv; charset=utf-8",
        "ics" => "text/calendar; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_cannot_leave_the_output_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        std::fs::create_dir_all(out.join("clusters/arm")).unwrap();
        std::fs::write(out.join("index.html"), "home").unwrap();
        std::fs::write(out.join("clusters/arm/index.html"), "arm").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "secret").unwrap();
        assert!(resolve_path(&out, "/").unwrap().ends_with("index.html"));
        assert!(resolve_path(&out, "/clusters/arm/")
            .unwrap()
            .ends_with("clusters/arm/index.html"));
        assert!(resolve_path(&out, "/clusters/%61rm/").is_some());
        assert_eq!(resolve_path(&out, "/../secret.txt"), None);
        assert_eq!(resolve_path(&out, "/%2e%2e/secret.txt"), None);
        assert_eq!(resolve_path(&out, "/..%2fsecret.txt"), None);
        assert_eq!(resolve_path(&out, "/nope/"), None);
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("secret.txt"), out.join("link.txt"))
                .unwrap();
            assert_eq!(resolve_path(&out, "/link.txt"), None);
        }
    }

    #[test]
    fn reload_script_is_injected_before_body_end() {
        let html = inject_reload(b"<html><body><p>x</p></body></html>".to_vec());
        let text = String::from_utf8(html).unwrap();
        assert!(text.contains("<script src=\"/__clusterdir/reload.js\" defer></script></body>"));
    }

    #[test]
    fn error_page_escapes_the_errors_and_reloads() {
        let page = error_page("error: `<script>` & \"x\"");
        assert!(
            page.contains("error: `&lt;script&gt;` &amp; &quot;x&quot;"),
            "{page}"
        );
        assert!(!page.contains("<script>`"), "{page}");
        assert!(page.contains("<script src=\"/__clusterdir/reload.js\" defer></script>"));
    }
}
