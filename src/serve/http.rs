//! The preview's web server: files of the output folder only (never following a link
//! out of it), with the site's security headers, the reload script injected into HTML,
//! and the two addresses the script polls. While the content is broken and there is no
//! earlier site to show, every page request gets an error page listing the errors.

use std::net::{IpAddr, SocketAddr};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use hyper::body::Incoming;
use hyper::header::{HeaderName, HeaderValue, ALLOW, CONTENT_TYPE, HOST, RETRY_AFTER};
use hyper::{Method, Request, Response};

use crate::data::headers::FEED_HEADERS;
use crate::serve::body::Body;
use crate::serve::editor::{self, guard::Session};
use crate::serve::host::Allowed;
use crate::serve::reply::{respond_with, response};
use crate::serve::server::{self, Limits};
use crate::serve::state::PreviewState;
use crate::text::escape_markup;

const RELOAD_JS: &str = include_str!("../../themes/default/preview/reload.js");
const STATUS_PATH: &str = "/__clusterdir/status";
const WAIT_PATH: &str = "/__clusterdir/wait";
const RELOAD_PATH: &str = "/__clusterdir/reload.js";

/// Browsers waiting for the next build at once; beyond it, a wait is answered at once
/// with `503` and the script asks again a second later.
pub const MAX_WAITING: usize = 32;
/// How long a browser waits for the next build before asking again.
const WAIT_LIMIT: Duration = Duration::from_secs(25);
/// Threads reading files, besides those that wait for builds.
const FILE_THREADS: usize = 8;

/// The preview's listening socket, ready to answer.
pub struct Server {
    listener: server::Listener,
    addr: SocketAddr,
}

/// Find a free port on `ip`, starting at `first`.
pub fn bind(ip: IpAddr, first: u16) -> std::io::Result<(Server, SocketAddr)> {
    let limits = Limits::for_this_process(MAX_WAITING + FILE_THREADS);
    let listener = server::Listener::bind(ip, first..first.saturating_add(50), limits)?;
    let addr = listener.local_addr()?;
    Ok((Server { listener, addr }, addr))
}

/// What every request is answered from.
struct Preview {
    output: PathBuf,
    state: Arc<PreviewState>,
    hosts: Allowed,
    waiting: AtomicUsize,
    editor: Arc<Session>,
}

/// Answer requests until the process stops.
pub fn serve_requests(
    server: &Server,
    output: &Path,
    state: &Arc<PreviewState>,
    editor: Arc<Session>,
) {
    let preview = Arc::new(Preview {
        output: output.to_path_buf(),
        state: Arc::clone(state),
        hosts: Allowed::new(server.addr),
        waiting: AtomicUsize::new(0),
        editor,
    });
    server
        .listener
        .run(move |request| answer(Arc::clone(&preview), request));
}

async fn answer(preview: Arc<Preview>, request: Request<Incoming>) -> Response<Body> {
    let hosts: Vec<&[u8]> = request
        .headers()
        .get_all(HOST)
        .iter()
        .map(HeaderValue::as_bytes)
        .collect();
    let authority = request.uri().authority().map(|a| a.as_str());
    if let Err(why) = preview.hosts.check(&hosts, authority) {
        return response(421, "text/plain; charset=utf-8", why.into_bytes());
    }
    if editor::is_editor(request.uri().path()) {
        let host = String::from_utf8_lossy(hosts[0]).into_owned();
        return editor::answer(Arc::clone(&preview.editor), request, host).await;
    }
    // A static host answers only GET and HEAD; so does the preview, so that what works
    // here works there.
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        let mut refused = response(
            405,
            "text/plain; charset=utf-8",
            b"The preview answers only GET and HEAD requests.".to_vec(),
        );
        refused
            .headers_mut()
            .insert(ALLOW, HeaderValue::from_static("GET, HEAD"));
        return refused;
    }
    let url = request.uri().path().to_string();
    let query = request.uri().query().map(str::to_string);
    if url == WAIT_PATH {
        let seen = request
            .uri()
            .query()
            .and_then(|q| q.split('&').find_map(|kv| kv.strip_prefix("v=")))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        return wait(preview, seen).await;
    }
    tokio::task::spawn_blocking(move || respond(&preview, &url, query.as_deref()))
        .await
        .unwrap_or_else(|_| response(500, "text/plain; charset=utf-8", b"Server error".to_vec()))
}

/// A browser waiting for the next build: answered when it finishes, or after
/// [`WAIT_LIMIT`]; at once with `503` when [`MAX_WAITING`] browsers already wait.
async fn wait(preview: Arc<Preview>, seen: u64) -> Response<Body> {
    let Some(place) = Waiting::take(&preview) else {
        let mut busy = response(
            503,
            "text/plain; charset=utf-8",
            b"Too many pages are waiting for the next build; ask again in a second.".to_vec(),
        );
        busy.headers_mut()
            .insert(RETRY_AFTER, HeaderValue::from_static("1"));
        return busy;
    };
    let waited = tokio::task::spawn_blocking(move || {
        let body = place.0.state.wait_for_change(seen, WAIT_LIMIT);
        drop(place);
        body
    })
    .await;
    match waited {
        Ok(body) => response(200, "application/json", body.into_bytes()),
        Err(_) => response(500, "text/plain; charset=utf-8", b"Server error".to_vec()),
    }
}

/// One of the [`MAX_WAITING`] places for a waiting browser, given back when dropped.
struct Waiting(Arc<Preview>);

impl Waiting {
    fn take(preview: &Arc<Preview>) -> Option<Waiting> {
        let before = preview.waiting.fetch_add(1, Ordering::AcqRel);
        let place = Waiting(Arc::clone(preview));
        (before < MAX_WAITING).then_some(place)
    }
}

impl Drop for Waiting {
    fn drop(&mut self) {
        self.0.waiting.fetch_sub(1, Ordering::AcqRel);
    }
}

fn respond(preview: &Preview, url: &str, query: Option<&str>) -> Response<Body> {
    let (output, state) = (&preview.output, &preview.state);
    if url == STATUS_PATH {
        return response(200, "application/json", state.status_json().into_bytes());
    }
    if url == RELOAD_PATH {
        let body = RELOAD_JS.as_bytes().to_vec();
        return response(200, "text/javascript; charset=utf-8", body);
    }
    if let Some(error) = state.nothing_to_show() {
        let body = error_page(&error).into_bytes();
        return response(503, "text/html; charset=utf-8", body);
    }
    // Only files the last good build made: one put in the folder by hand is not part
    // of the site and would not be published.
    let built = |p: &PathBuf| {
        let root = output.canonicalize().unwrap_or_else(|_| output.clone());
        let rel = p
            .strip_prefix(&root)
            .map(|r| r.to_string_lossy().replace('\\', "/"));
        let built = rel
            .as_ref()
            .is_ok_and(|r| state.serves(r, Duration::from_secs(10)));
        if let (false, Ok(rel)) = (built, &rel) {
            eprintln!(
                "note: {} is in the output folder but is not part of the site, so it is not served; put files to publish in static/ (or static/root/ for the top of the site)",
                crate::diagnostics::terminal::escaped(rel)
            );
        }
        built
    };
    let (status, path) = match find_file(output, url, query, built) {
        Some(p) => (200, p),
        None => (404, output.join("404.html")),
    };
    let mime = mime_for(&path);
    let editing = preview.editor.off().is_none();
    let edit = (editing && status == 200 && mime.starts_with("text/html"))
        .then(|| editor::link::edit_address(&preview.editor.root, url))
        .flatten();
    let body = if mime.starts_with("text/html") {
        std::fs::read(&path).map(|page| Body::bytes(with_edit_link(inject_reload(page), edit)))
    } else {
        std::fs::File::open(&path).and_then(Body::file)
    };
    let mut response = match body {
        Ok(body) => respond_with(status, mime, body),
        Err(_) => response(404, "text/plain; charset=utf-8", b"Not found".to_vec()),
    };
    if is_feed(url) {
        add_feed_headers(&mut response, status == 200);
    }
    response
}

/// The file answering `url` with `query`: for a feed address, the first of the files
/// the feed's rules name (`/oruk/services?page=2` is `oruk/services/page/2.json`);
/// else the file or folder at `url`. Only files `built` accepts.
fn find_file(
    output: &Path,
    url: &str,
    query: Option<&str>,
    built: impl Fn(&PathBuf) -> bool,
) -> Option<PathBuf> {
    crate::data::oruk::hosts::feed_files(url, query)
        .iter()
        .find_map(|file| resolve_path(output, &format!("/{file}")).filter(&built))
        .or_else(|| resolve_path(output, url).filter(&built))
}

/// Whether `url` is in the feed's folder (`/oruk`, `/oruk/...`).
fn is_feed(url: &str) -> bool {
    url == "/oruk" || url.starts_with("/oruk/")
}

/// The feed's headers: leave for any site to read it, and (for a file found) its type,
/// which its address without `.json` does not tell.
fn add_feed_headers(response: &mut Response<Body>, found: bool) {
    for (name, value) in FEED_HEADERS {
        let name = HeaderName::from_bytes(name.as_bytes()).expect("header names are valid");
        if found || name != CONTENT_TYPE {
            response
                .headers_mut()
                .insert(name, HeaderValue::from_static(value));
        }
    }
}

/// Map a URL path to a file inside `output`, refusing anything that would leave it.
pub fn resolve_path(output: &Path, url_path: &str) -> Option<PathBuf> {
    let decoded = percent_decode(url_path)?;
    // `/robots.txt/` names a folder, which a file is not (static hosts answer 404 too).
    let names_folder = decoded.ends_with('/') || decoded.ends_with("/.");
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
    } else if names_folder && decoded != "/" {
        return None;
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
         <p>The site did not build, and there is no complete earlier version to show. \
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

/// The page with its "Edit this page" link, when it shows a record.
fn with_edit_link(page: Vec<u8>, edit: Option<String>) -> Vec<u8> {
    match (edit, String::from_utf8(page)) {
        (Some(address), Ok(text)) => editor::link::insert(&text, &address).into_bytes(),
        (_, Ok(text)) => text.into_bytes(),
        (_, Err(e)) => e.into_bytes(),
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
        // A file is never a folder, however the address ends.
        for folder_of_a_file in [
            "/index.html/",
            "/index.html/.",
            "/index.html//",
            "/index.html%2f",
        ] {
            assert_eq!(
                resolve_path(&out, folder_of_a_file),
                None,
                "{folder_of_a_file}"
            );
        }
        assert!(resolve_path(&out, "/index.html").is_some());
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
