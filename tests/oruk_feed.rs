//! The Open Referral UK feed as the official validator meets it: a generated site with
//! more services than fit on one page, served by `clusterdir serve` and by a minimal
//! static host that follows only the rules the build writes for Netlify and Cloudflare
//! Pages (`_redirects`, `_headers`), each tested by `common::oruk_feed::validate_feed`.

mod common;

use std::path::{Path, PathBuf};

use common::oruk_feed::{fetch, validate_feed};
use common::*;

/// Clusters of the generated site: 15 services each, so the services list has three
/// pages (a first, a middle and a last) of `lists::PAGE_SIZE`.
const CLUSTERS: usize = 70;

/// A generated site with a `base_url`, and its build.
fn generated_site() -> (tempfile::TempDir, PathBuf) {
    let (dir, root) = common::oruk_feed::generated_site_with_base_url(CLUSTERS);
    let public = build(&root);
    (dir, public)
}

fn services_pages(public: &Path) -> u64 {
    let first: serde_json::Value =
        serde_json::from_slice(&std::fs::read(public.join("oruk/services/index.json")).unwrap())
            .unwrap();
    first["total_pages"].as_u64().unwrap()
}

/// Every endpoint of the specification was asked for: the base document once, each
/// list's pages, and each `{id}` endpoint for every id on its list's first page.
fn assert_every_endpoint_asked(requests: &std::collections::BTreeMap<String, usize>) {
    let spec = common::oruk_feed::endpoints();
    for e in &spec {
        assert!(
            requests.get(&e.path).copied().unwrap_or(0) > 0,
            "{} ({}) was not asked for: {requests:?}",
            e.path,
            e.level
        );
    }
    assert_eq!(requests["/"], 1);
    assert_eq!(
        requests["/services"], 3,
        "pages 1, 2 (the middle) and 3 (the last)"
    );
    assert!(requests["/services/{id}"] >= 500, "{requests:?}");
}

/// The feed's own OpenAPI document (its base document's `openapi_url`) names every
/// endpoint of the specification, at the same level, with the same response schema.
fn assert_openapi_lists_the_specs_endpoints(public: &Path) {
    let read = |path: PathBuf| -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap()
    };
    let ours = read(public.join("oruk/openapi.json"));
    let spec = read(common::oruk_feed::api_spec_dir().join("openapi.json"));
    let base = read(public.join("oruk/index.json"));
    assert_eq!(
        base["openapi_url"],
        "https://directory.example.org/oruk/openapi.json"
    );
    let paths = |doc: &serde_json::Value| -> Vec<(String, String, String)> {
        let mut list: Vec<_> = doc["paths"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(path, item)| {
                let get = &item["get"];
                let schema =
                    &get["responses"]["200"]["content"]["application/json"]["schema"]["$ref"];
                let level = get["tags"][0].as_str().unwrap().to_lowercase();
                (path.clone(), level, schema.as_str().unwrap().to_string())
            })
            .collect();
        list.sort();
        list
    };
    assert_eq!(paths(&ours), paths(&spec));
}

#[test]
fn serve_answers_every_endpoint_as_the_validator_asks() {
    let (dir, public) = generated_site();
    assert_eq!(services_pages(&public), 3);
    assert_openapi_lists_the_specs_endpoints(&public);
    let (_server, port) = start_serve(&dir.path().join("site"));
    let base = format!("http://127.0.0.1:{port}/oruk");
    assert_every_endpoint_asked(&validate_feed(&base));
}

/// The same file answers a feed address with or without a trailing slash, with any
/// query string but `page`, and at its file's own name.
#[test]
fn serve_answers_a_feed_address_however_it_is_written() {
    let site = full_fixture();
    let public = build(site.path());
    let (_server, port) = start_serve(site.path());
    let url = |path: &str| format!("http://127.0.0.1:{port}{path}");
    let mut files: Vec<String> = snapshot(&public.join("oruk")).into_keys().collect();
    files.retain(|f| !f.contains("/page/"));
    assert!(files.len() > 10, "{files:?}");
    for file in files {
        let file = format!("oruk/{file}");
        let address = clusterdir::routes::feed_address(&file).unwrap();
        let want = std::fs::read_to_string(public.join(&file)).unwrap();
        for asked in [
            format!("/{address}"),
            format!("/{address}/"),
            format!("/{address}?format=json"),
            format!("/{address}/?search=x&per_page=3"),
            format!("/{file}"),
        ] {
            let answer = fetch(&url(&asked));
            assert_eq!(answer.status, 200, "{asked}");
            assert_eq!(answer.body, want, "{asked}");
            assert_eq!(
                answer.content_type.as_deref(),
                Some("application/json"),
                "{asked}"
            );
            assert_eq!(answer.allow_origin.as_deref(), Some("*"), "{asked}");
        }
    }
    // A page beyond the last is not there, and not the first page under another name.
    for page in ["2", "99"] {
        let answer = fetch(&url(&format!("/oruk/services?page={page}")));
        assert_eq!(answer.status, 404, "page {page}");
        assert_eq!(answer.allow_origin.as_deref(), Some("*"));
    }
}

#[test]
fn a_static_host_following_the_written_rules_answers_every_endpoint() {
    let (dir, public) = generated_site();
    // A list of more than one page is served in full only where `?page=` is routed:
    // check says so, once, for that list.
    let checked = check(&dir.path().join("site"));
    let lines = checked.diagnostics.short_lines(&checked.sources);
    let paged: Vec<&String> = lines
        .iter()
        .filter(|l| l.contains("pages of 500"))
        .collect();
    assert_eq!(paged.len(), 1, "{lines:#?}");
    assert!(paged[0].contains("warning: the Open Referral UK feed's /oruk/services is 3 pages of 500: hosts that ignore query strings"), "{}", paged[0]);
    let host = static_host::start(&public);
    let base = format!("http://127.0.0.1:{}/oruk", host.port);
    assert_every_endpoint_asked(&validate_feed(&base));
}

/// A static host that knows nothing of clusterdir: it serves the folder's files, and
/// follows `_redirects` (first matching rule; `:name` placeholders for one segment;
/// `key=:name` query conditions; `200` rewrites; a file at the address is served
/// first) and `_headers` (a path, or a path ending in `*`, then indented headers) as
/// Netlify documents them. Types come from file extensions alone.
mod static_host {
    use std::path::{Path, PathBuf};
    use std::sync::Arc;

    pub struct Host {
        pub port: u16,
        server: Arc<tiny_http::Server>,
    }

    impl Drop for Host {
        fn drop(&mut self) {
            self.server.unblock();
        }
    }

    struct Rule {
        from: Vec<String>,
        query: Vec<(String, String)>,
        to: String,
    }

    pub fn start(public: &Path) -> Host {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").unwrap());
        let port = server.server_addr().to_ip().unwrap().port();
        let (root, serving) = (public.to_path_buf(), Arc::clone(&server));
        let rules =
            redirects(&std::fs::read_to_string(public.join("_redirects")).unwrap_or_default());
        let headers = headers(&std::fs::read_to_string(public.join("_headers")).unwrap());
        std::thread::spawn(move || {
            for request in serving.incoming_requests() {
                let (status, file) = answer(&root, &rules, request.url());
                let path = request.url().split('?').next().unwrap_or("").to_string();
                let body = file
                    .as_ref()
                    .and_then(|f| std::fs::read(f).ok())
                    .unwrap_or_default();
                let mut response = tiny_http::Response::from_data(body).with_status_code(status);
                let ext = file
                    .as_ref()
                    .and_then(|f| f.extension())
                    .and_then(|e| e.to_str());
                let mut types = vec![("Content-Type".to_string(), mime(ext).to_string())];
                types.extend(headers_for(&headers, &path));
                for (name, value) in types {
                    let header = tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes());
                    response.add_header(header.unwrap());
                }
                let _ = request.respond(response);
            }
        });
        Host { port, server }
    }

    fn mime(ext: Option<&str>) -> &'static str {
        match ext {
            Some("json") => "application/json",
            Some("html") => "text/html",
            _ => "application/octet-stream",
        }
    }

    fn redirects(text: &str) -> Vec<Rule> {
        let mut rules = Vec::new();
        for line in text.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let words: Vec<&str> = line.split_whitespace().collect();
            let (from, rest) = words.split_first().unwrap();
            let (status, rest) = rest.split_last().unwrap();
            let (to, query) = rest.split_last().unwrap();
            assert_eq!(*status, "200", "only rewrites are expected: {line}");
            rules.push(Rule {
                from: segments(from),
                query: query
                    .iter()
                    .map(|q| {
                        let (k, v) = q.split_once('=').unwrap();
                        (k.to_string(), v.to_string())
                    })
                    .collect(),
                to: to.to_string(),
            });
        }
        rules
    }

    fn segments(path: &str) -> Vec<String> {
        path.split('/').map(str::to_string).collect()
    }

    /// The status and file answering `url` (path and query).
    fn answer(root: &Path, rules: &[Rule], url: &str) -> (u16, Option<PathBuf>) {
        let (path, query) = url.split_once('?').unwrap_or((url, ""));
        let file = root.join(path.trim_start_matches('/'));
        if !path.contains("..") && file.is_file() {
            return (200, Some(file));
        }
        let params: Vec<(&str, &str)> = query
            .split('&')
            .filter_map(|kv| kv.split_once('='))
            .collect();
        for rule in rules {
            if let Some(to) = rewrite(rule, path, &params) {
                let file = root.join(to.trim_start_matches('/'));
                return match file.is_file() && !to.contains("..") {
                    true => (200, Some(file)),
                    false => (404, None),
                };
            }
        }
        (404, None)
    }

    fn rewrite(rule: &Rule, path: &str, params: &[(&str, &str)]) -> Option<String> {
        let asked = segments(path);
        if asked.len() != rule.from.len() {
            return None;
        }
        let mut bound: Vec<(String, String)> = Vec::new();
        for (pattern, seg) in rule.from.iter().zip(&asked) {
            match pattern.strip_prefix(':') {
                Some(name) if !seg.is_empty() => bound.push((name.into(), seg.clone())),
                None if pattern == seg => {}
                _ => return None,
            }
        }
        for (key, value) in &rule.query {
            let given = params.iter().find(|(k, _)| k == key)?.1;
            bound.push((value.trim_start_matches(':').into(), given.into()));
        }
        let mut to = rule.to.clone();
        for (name, value) in bound {
            to = to.replace(&format!(":{name}"), &value);
        }
        Some(to)
    }

    fn headers(text: &str) -> Vec<(String, Vec<(String, String)>)> {
        let mut rules: Vec<(String, Vec<(String, String)>)> = Vec::new();
        for line in text.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            if line.starts_with(char::is_whitespace) {
                let (name, value) = line.trim().split_once(':').unwrap();
                let rule = rules.last_mut().unwrap();
                rule.1.push((name.trim().into(), value.trim().into()));
            } else {
                rules.push((line.trim().into(), Vec::new()));
            }
        }
        rules
    }

    /// The headers of every rule matching `path`; a later value replaces an earlier.
    fn headers_for(rules: &[(String, Vec<(String, String)>)], path: &str) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        for (pattern, list) in rules {
            let matches = match pattern.strip_suffix('*') {
                Some(prefix) => path.starts_with(prefix),
                None => path == pattern,
            };
            if matches {
                for (name, value) in list {
                    out.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
                    out.push((name.clone(), value.clone()));
                }
            }
        }
        out
    }
}

/// A feed address that climbs out of the output folder never reaches a file there,
/// whichever way the climb is written and whatever the feed's rules add (`.json`,
/// `/index.json`, a page's file).
#[test]
fn serve_feed_rules_never_leave_the_output_folder() {
    const SECRET: &str = "secret-feed-7d2e";
    let site = full_fixture();
    let root = site.path();
    for name in ["secret.json", "secret/index.json", "secret/page/1.json"] {
        let path = root.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, SECRET).unwrap();
    }
    let (_server, port) = start_serve(root);
    let ups = ["..", "%2e%2e", "%2E%2E", ".%2e", "%252e%252e"];
    let slashes = ["/", "%2f", "%2F", "%5c"];
    let mut asked = 0;
    for prefix in ["/oruk/", "/oruk/services/"] {
        for up in ups {
            for slash in slashes {
                for query in ["", "?page=1"] {
                    let climb = format!("{up}{slash}").repeat(prefix.matches('/').count());
                    let path = format!("{prefix}{climb}secret{query}");
                    let (head, body) = get_with_head(port, &path);
                    assert!(!body.contains(SECRET), "{path} leaked the file");
                    assert!(
                        head.lines().next().unwrap_or("").contains(" 404"),
                        "{path}: {head}"
                    );
                    asked += 1;
                }
            }
        }
    }
    assert_eq!(asked, 2 * ups.len() * slashes.len() * 2);
}

/// The validator-playing check has teeth: on a feed whose files break the schema's
/// formats (an email, web addresses, a uuid) or hold a `null`, and whose host drops
/// the CORS header, it fails, naming each.
#[test]
fn the_feed_check_refuses_broken_formats_nulls_and_a_missing_cors_header() {
    let site = full_fixture();
    let public = build(site.path());
    let edit = |file: &Path, from: &str, to: &str| {
        let text = std::fs::read_to_string(file).unwrap();
        assert!(text.contains(from), "{} has no {from}", file.display());
        std::fs::write(file, text.replace(from, to)).unwrap();
    };
    let files = |folder: &str| -> Vec<PathBuf> {
        std::fs::read_dir(public.join("oruk").join(folder))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file() && !p.ends_with("index.json"))
            .collect()
    };
    let base = public.join("oruk/index.json");
    edit(
        &base,
        "https://clusters.example.org/oruk/openapi.json",
        "/oruk/openapi.json",
    );
    let service = files("services")
        .into_iter()
        .find(|f| {
            std::fs::read_to_string(f)
                .unwrap()
                .contains("cluster@example.org")
        })
        .unwrap();
    edit(&service, "cluster@example.org", "cluster.example.org");
    let term = files("taxonomy_terms").remove(0);
    let term_id = term.file_stem().unwrap().to_str().unwrap().to_string();
    edit(&term, &format!("\"id\":\"{term_id}\""), "\"id\":\"term-1\"");
    edit(
        &public.join("_headers"),
        "  Access-Control-Allow-Origin: *\n",
        "",
    );
    let org = files("organizations").remove(0);
    edit(&org, "\"name\":", "\"logo\":null,\"name\":");
    let host = static_host::start(&public);
    let base_url = format!("http://127.0.0.1:{}/oruk", host.port);
    let failed = std::panic::catch_unwind(|| validate_feed(&base_url)).unwrap_err();
    let message = failed.downcast_ref::<String>().cloned().unwrap_or_default();
    for expected in [
        "\"/oruk/openapi.json\" is not a \"uri\"",
        "\"cluster.example.org\" is not a \"email\"",
        "\"term-1\" is not a \"uuid\"",
        "Access-Control-Allow-Origin None",
        "null at /logo: leave an empty field out",
    ] {
        assert!(
            message.contains(expected),
            "{expected:?} not in:\n{message}"
        );
    }
}
