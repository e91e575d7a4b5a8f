//! Plays the official ORUK validator against a feed at a base URL: the base document
//! first, then every endpoint of the ORUK API specification
//! (`../shared/oruk/api-spec-3.0/openapi.json`): each list at `?page=1`, a middle page
//! and its last page, then each `{id}` endpoint for every id on the first page of its
//! list. Every response must be `200`, JSON by its `Content-Type`, readable from any
//! site (`Access-Control-Allow-Origin: *`), valid against the response schema the
//! specification names, with formats (uuid, uri, email, date-time) enforced, and hold
//! no `null` (an empty optional field is left out).
//! [`validate_feed`] takes any base URL: `serve`, a static host, object storage.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde_json::Value;

/// A site made by `clusterdir generate` with `clusters` clusters (15 services each) and
/// a `base_url`, so that its feed's addresses are absolute: the temporary folder and the
/// site's root inside it.
pub fn generated_site_with_base_url(clusters: usize) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let made = std::process::Command::new(env!("CARGO_BIN_EXE_clusterdir"))
        .arg("generate")
        .arg(&root)
        .args(["--clusters", &clusters.to_string()])
        .output()
        .unwrap();
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let site_toml = root.join("content/site.toml");
    let text = std::fs::read_to_string(&site_toml).unwrap();
    std::fs::write(
        &site_toml,
        format!("base_url = \"https://directory.example.org/\"\n{text}"),
    )
    .unwrap();
    (dir, root)
}

/// The ORUK API specification the validator tests feeds against.
pub fn api_spec_dir() -> PathBuf {
    let dir = std::env::var_os("CLUSTERDIR_ORUK_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| super::repo_root().join("../shared/oruk"))
        .join("api-spec-3.0");
    assert!(
        dir.join("openapi.json").is_file(),
        "the ORUK API specification is not at {} (see docs/open-data.md, or set CLUSTERDIR_ORUK_DIR)",
        dir.display()
    );
    dir
}

/// Where the specification names its schemas; the same files are in `schema/` beside it.
const SCHEMAS: &str = "https://openreferraluk.org/specifications/3.0/schema/";

/// Reads the specification's schemas from the local copy, never the network.
struct LocalSchemas(PathBuf);

impl jsonschema::Retrieve for LocalSchemas {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let name = uri
            .as_str()
            .strip_prefix(SCHEMAS)
            .ok_or_else(|| format!("not an ORUK schema: {uri}"))?;
        let text = std::fs::read(self.0.join("schema").join(name))?;
        Ok(serde_json::from_slice(&text)?)
    }
}

/// The validator of the response schema `reference` names, formats enforced.
fn validator(dir: &std::path::Path, reference: &str) -> jsonschema::Validator {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .with_retriever(LocalSchemas(dir.to_path_buf()))
        .build(&serde_json::json!({ "$ref": reference }))
        .unwrap_or_else(|e| panic!("schema {reference}: {e}"))
}

/// One endpoint of the specification: its path, its level tag and its answer's schema.
pub struct Endpoint {
    pub path: String,
    pub level: String,
    pub paginated: bool,
    schema: jsonschema::Validator,
}

/// Every GET endpoint of the specification, base document first, lists before the
/// `{id}` endpoints (which need ids from them).
pub fn endpoints() -> Vec<Endpoint> {
    let dir = api_spec_dir();
    let spec: Value =
        serde_json::from_slice(&std::fs::read(dir.join("openapi.json")).unwrap()).unwrap();
    let mut out: Vec<Endpoint> = spec["paths"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(path, item)| {
            let get = &item["get"];
            let reference = get["responses"]["200"]["content"]["application/json"]["schema"]
                ["$ref"]
                .as_str()
                .unwrap_or_else(|| panic!("{path}: no response schema"));
            let params = get["parameters"].as_array().cloned().unwrap_or_default();
            let paginated = params
                .iter()
                .any(|p| p["$ref"] == "#/components/parameters/page" || p["name"] == "page");
            Endpoint {
                path: path.clone(),
                level: get["tags"][0].as_str().unwrap_or("").to_lowercase(),
                paginated,
                schema: validator(&dir, reference),
            }
        })
        .collect();
    out.sort_by_key(|e| (e.path != "/", e.path.contains('{')));
    out
}

/// A response: status, the headers the feed must send, and the body.
pub struct Answer {
    pub status: u16,
    pub content_type: Option<String>,
    pub allow_origin: Option<String>,
    pub body: String,
}

/// The origin every request says it comes from, as a script on another site would.
pub const ORIGIN: &str = "https://validator.example.org";

/// `GET url`, whatever the status.
pub fn fetch(url: &str) -> Answer {
    let config = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build();
    let agent: ureq::Agent = config.into();
    // As a browser page on another site asks (hosts that send CORS headers only to
    // cross-origin requests, such as object storage, answer it the same way).
    let mut response = agent
        .get(url)
        .header("Origin", ORIGIN)
        .call()
        .unwrap_or_else(|e| panic!("GET {url}: {e}"));
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let (content_type, allow_origin) = (
        header("content-type"),
        header("access-control-allow-origin"),
    );
    Answer {
        status: response.status().as_u16(),
        content_type,
        allow_origin,
        body: response
            .body_mut()
            .with_config()
            .limit(64 << 20)
            .read_to_string()
            .unwrap_or_else(|e| panic!("GET {url}: {e}")),
    }
}

/// What the feed answered: requests made per endpoint, and every problem found.
#[derive(Default)]
pub struct Report {
    pub requests: BTreeMap<String, usize>,
    pub problems: Vec<String>,
    /// How the host finds a folder address's file (`.../oruk/` -> `.../oruk/index.html`),
    /// for a test server that lacks the host's own rule; `None`: ask as written.
    pub folder_index: Option<&'static str>,
}

impl Report {
    /// `GET url` as `endpoint` asks, noting every problem of the answer; its JSON, if it
    /// is JSON (so that one problem hides no other).
    fn get(&mut self, endpoint: &Endpoint, url: &str) -> Option<Value> {
        *self.requests.entry(endpoint.path.clone()).or_default() += 1;
        let answer = match self.folder_index {
            Some(index) if url.ends_with('/') => fetch(&format!("{url}{index}")),
            _ => fetch(url),
        };
        let mut problems = Vec::new();
        if answer.status != 200 {
            problems.push(format!("status {}", answer.status));
        }
        if !answer
            .content_type
            .as_deref()
            .is_some_and(|t| t.split(';').next() == Some("application/json"))
        {
            problems.push(format!("Content-Type {:?}", answer.content_type));
        }
        // `*`, or (as object storage answers under a rule allowing any origin) the
        // asking page's own origin: either lets any site's scripts read the feed.
        if !matches!(answer.allow_origin.as_deref(), Some("*") | Some(ORIGIN)) {
            problems.push(format!(
                "Access-Control-Allow-Origin {:?}",
                answer.allow_origin
            ));
        }
        let json: Option<Value> = serde_json::from_str(&answer.body).ok();
        match &json {
            Some(doc) => {
                problems.extend(
                    endpoint
                        .schema
                        .iter_errors(doc)
                        .map(|e| format!("{e} at {}", e.instance_path())),
                );
                problems.extend(
                    nulls(doc, "")
                        .into_iter()
                        .map(|at| format!("null at {at}: leave an empty field out")),
                );
            }
            None => problems.push("not JSON".into()),
        }
        self.problems
            .extend(problems.into_iter().map(|p| format!("GET {url}: {p}")));
        json
    }

    fn expect(&mut self, ok: bool, what: impl FnOnce() -> String) {
        if !ok {
            self.problems.push(what());
        }
    }
}

/// Where `doc` holds `null` (JSON pointers).
fn nulls(doc: &Value, at: &str) -> Vec<String> {
    match doc {
        Value::Null => vec![at.to_string()],
        Value::Array(items) => items
            .iter()
            .enumerate()
            .flat_map(|(i, v)| nulls(v, &format!("{at}/{i}")))
            .collect(),
        Value::Object(fields) => fields
            .iter()
            .flat_map(|(k, v)| nulls(v, &format!("{at}/{k}")))
            .collect(),
        _ => Vec::new(),
    }
}

/// Test the feed at `base` (no trailing `/`, e.g. `http://127.0.0.1:8000/oruk`) as the
/// ORUK validator does, at Level 1 and Level 2; panics listing every problem. Returns
/// the requests made per endpoint.
pub fn validate_feed(base: &str) -> BTreeMap<String, usize> {
    validate_feed_on(base, None)
}

/// [`validate_feed`] on a host that answers a folder address (`<base>/`) with the folder's
/// `folder_index` file, as object storage's website hosting does with `index.html`.
pub fn validate_feed_on(base: &str, folder_index: Option<&'static str>) -> BTreeMap<String, usize> {
    let base = base.trim_end_matches('/');
    let mut report = Report {
        folder_index,
        ..Report::default()
    };
    let mut ids: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for endpoint in endpoints() {
        if endpoint.path == "/" {
            base_document(&mut report, &endpoint, base);
        } else if endpoint.paginated {
            let first = list(&mut report, &endpoint, base);
            ids.insert(endpoint.path.clone(), first);
        } else if let Some(list_path) = endpoint.path.strip_suffix("/{id}") {
            let listed = ids.get(list_path).cloned().unwrap_or_default();
            report.expect(!listed.is_empty(), || {
                format!("{}: no ids from {list_path} to test it with", endpoint.path)
            });
            for id in listed {
                let url = format!("{base}{}", endpoint.path.replace("{id}", &id));
                if let Some(doc) = report.get(&endpoint, &url) {
                    report.expect(doc["id"] == id.as_str(), || {
                        format!("GET {url}: id {}", doc["id"])
                    });
                }
            }
        } else {
            report.problems.push(format!(
                "{}: not a kind of endpoint this test knows",
                endpoint.path
            ));
        }
    }
    assert!(
        report.problems.is_empty(),
        "the feed at {base} fails the ORUK validator's checks:\n{}",
        report.problems.join("\n")
    );
    report.requests
}

/// The base document: its version must be one the validator reads as 3.0.
fn base_document(report: &mut Report, endpoint: &Endpoint, base: &str) {
    let url = format!("{base}/");
    if let Some(doc) = report.get(endpoint, &url) {
        let version = doc["version"].as_str().unwrap_or("");
        let number = version
            .trim_start_matches("HSDS-UK-")
            .trim_start_matches(['v', 'V']);
        report.expect(number.trim() == "3.0", || {
            format!("GET {url}: version {version:?} is not 3.0")
        });
    }
}

/// A list: `?page=1`, a middle page and the last, each saying it is the page asked
/// for; the ids on the first page.
fn list(report: &mut Report, endpoint: &Endpoint, base: &str) -> Vec<String> {
    let url = |page: u64| format!("{base}{}?page={page}", endpoint.path);
    let Some(first) = report.get(endpoint, &url(1)) else {
        return Vec::new();
    };
    let contents = first["contents"].as_array().cloned().unwrap_or_default();
    report.expect(!contents.is_empty(), || format!("GET {}: no items", url(1)));
    let pages = first["total_pages"].as_u64().unwrap_or(0);
    let mut asked = vec![pages / 2, pages.div_ceil(2), pages];
    asked.retain(|&p| p > 1);
    asked.dedup();
    let mut total = 0;
    for page in asked {
        if let Some(doc) = report.get(endpoint, &url(page)) {
            report.expect(
                doc["page_number"] == page && doc["last_page"] == (page == pages),
                || {
                    format!(
                        "GET {}: page_number {} last_page {}",
                        url(page),
                        doc["page_number"],
                        doc["last_page"]
                    )
                },
            );
            total += doc["contents"].as_array().map_or(0, Vec::len);
        }
    }
    report.expect(
        first["page_number"] == 1 && first["total_items"].as_u64() >= Some(total as u64),
        || {
            format!(
                "GET {}: page_number {}, total_items {}",
                url(1),
                first["page_number"],
                first["total_items"]
            )
        },
    );
    contents
        .iter()
        .filter_map(|item| item["id"].as_str().map(str::to_string))
        .collect()
}
