//! The preview server against a hostile browser: path traversal in every encoding,
//! symbolic links out of the output folder, unknown paths, the security headers, and
//! the loopback-only default.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use common::*;

const SECRET: &str = "secret-token-4f1c9a";

fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().skip(1).find_map(|l| {
        let (n, v) = l.split_once(':')?;
        n.trim().eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

#[test]
fn traversal_attempts_get_the_404_page_and_never_the_file() {
    let dir = full_fixture();
    let root = dir.path();
    std::fs::write(root.join("secret.txt"), SECRET).unwrap();
    std::fs::write(root.join("content/secret.txt"), SECRET).unwrap();
    let (_server, port) = start_serve(root);
    #[cfg(unix)]
    std::os::unix::fs::symlink(root.join("secret.txt"), root.join("public/link.txt")).unwrap();

    for path in [
        "/../secret.txt",
        "/../content/secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/%2e%2e%2fsecret.txt",
        "/..%2fsecret.txt",
        "/clusters/../../secret.txt",
        "/clusters/%2e%2e/%2e%2e/secret.txt",
        "/static/..%5c..%5csecret.txt",
        "/%252e%252e/secret.txt",
        "/..%00/secret.txt",
        "/%c0%ae%c0%ae/secret.txt",
        "//secret.txt",
        &format!("/{}", root.join("secret.txt").display()),
        "/link.txt",
        "/no-such-page/",
    ] {
        let (head, body) = get_with_head(port, path);
        assert!(!body.contains(SECRET), "{path} leaked the file");
        let status = head.lines().next().unwrap_or("");
        assert!(status.contains(" 404"), "{path}: {status}");
        assert!(
            body.contains("Page not found"),
            "{path}: not the site's 404 page"
        );
        assert_eq!(
            header(&head, "X-Content-Type-Options"),
            Some("nosniff"),
            "{path}"
        );
    }
}

#[test]
fn every_response_carries_the_production_security_headers_and_its_type() {
    let dir = full_fixture();
    let (_server, port) = start_serve(dir.path());
    for (path, content_type) in [
        ("/", "text/html; charset=utf-8"),
        ("/clusters/complete/", "text/html; charset=utf-8"),
        ("/static/style.css", "text/css; charset=utf-8"),
        ("/static/search.mjs", "text/javascript; charset=utf-8"),
        ("/data/clusters.json", "application/json"),
        ("/data/schools.csv", "text/csv; charset=utf-8"),
        ("/meetings.ics", "text/calendar; charset=utf-8"),
        ("/feed.xml", "application/xml"),
        ("/__clusterdir/status", "application/json"),
    ] {
        let (head, _) = get_with_head(port, path);
        assert!(
            head.starts_with("HTTP/1.1 200") || head.starts_with("HTTP/1.0 200"),
            "{path}: {head}"
        );
        assert_eq!(header(&head, "Content-Type"), Some(content_type), "{path}");
        for (name, value) in clusterdir::data::headers::SECURITY_HEADERS {
            assert_eq!(header(&head, name), Some(*value), "{path}: {name}");
        }
    }
    // The same headers are written for the static host.
    let (_, headers_file) = get_with_head(port, "/_headers");
    for (name, value) in clusterdir::data::headers::SECURITY_HEADERS {
        assert!(
            headers_file.contains(&format!("  {name}: {value}\n")),
            "{name}"
        );
    }
}

#[test]
fn serve_listens_on_loopback_unless_told_otherwise_and_then_warns() {
    let dir = full_fixture();
    let child = Command::new(env!("CARGO_BIN_EXE_clusterdir"))
        .arg("--root")
        .arg(dir.path())
        .args(["serve", "--port", "0", "--bind", "0.0.0.0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut server = Server(child);
    let mut stdout = BufReader::new(server.0.stdout.take().unwrap()).lines();
    let mut stderr_pipe = server.0.stderr.take().unwrap();
    let previewing = stdout
        .find_map(|l| l.ok().filter(|l| l.starts_with("Previewing at")))
        .expect("serve printed its address");
    assert!(
        previewing.starts_with("Previewing at http://0.0.0.0:"),
        "{previewing}"
    );
    drop(server); // stops it, closing its stderr
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut stderr_pipe, &mut stderr).unwrap();
    assert!(
        stderr.contains("warning: listening on 0.0.0.0:")
            && stderr.contains("sees the preview (and drafts, if --drafts was given)"),
        "{stderr}"
    );
    // The default is loopback: start_serve accepts only a 127.0.0.1 address.
    let (_server, port) = start_serve(dir.path());
    assert!(get(port, "/").0.contains("200"));
}

/// `METHOD /` from the preview server (no body); the response head.
fn head_for(port: u16, method: &str) -> String {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(5)))
        .unwrap();
    write!(
        s,
        "{method} / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut bytes = Vec::new();
    let _ = s.read_to_end(&mut bytes);
    let text = String::from_utf8_lossy(&bytes).into_owned();
    text.split("\r\n\r\n")
        .next()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn only_get_and_head_are_answered_as_a_static_host_would() {
    let dir = full_fixture();
    let (_server, port) = start_serve(dir.path());
    for method in [
        "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "FOO", "get",
    ] {
        let head = head_for(port, method);
        assert!(
            head.starts_with("HTTP/1.1 405") || head.starts_with("HTTP/1.1 400"),
            "{method}: {head}"
        );
        if head.starts_with("HTTP/1.1 405") {
            assert_eq!(header(&head, "allow"), Some("GET, HEAD"), "{method}");
        }
    }
    assert!(head_for(port, "HEAD").starts_with("HTTP/1.1 200"));
    assert!(head_for(port, "GET").starts_with("HTTP/1.1 200"));
    // A file is not a folder: `/robots.txt/` is not the file.
    assert!(get(port, "/robots.txt").0.contains("200"));
    assert!(get(port, "/robots.txt/").0.contains("404"));
}

#[test]
fn a_file_put_in_the_output_folder_by_hand_is_not_served() {
    let dir = full_fixture();
    let (_server, port) = start_serve(dir.path());
    let public = dir.path().join("public");
    std::fs::write(public.join("notes.txt"), SECRET).unwrap();
    std::fs::create_dir_all(public.join("clusters/extra")).unwrap();
    std::fs::write(public.join("clusters/extra/index.html"), SECRET).unwrap();
    for path in ["/notes.txt", "/clusters/extra/"] {
        let (status, body) = get(port, path);
        assert!(status.contains("404"), "{path}: {status}");
        assert!(!body.contains(SECRET), "{path}");
    }
    assert!(get(port, "/robots.txt").0.contains("200"));
}
