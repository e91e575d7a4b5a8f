//! A real S3-compatible server for tests: `moto` in server mode, started on 127.0.0.1
//! for one test and stopped when dropped. `./scripts/test.sh` installs it (a Python
//! virtual environment in the target folder); `CLUSTERDIR_MOTO_SERVER` may name another
//! `moto_server`. Objects are also served over plain HTTP at
//! `http://127.0.0.1:PORT/<bucket>/<key>` ([`S3Server::web_address`]), so a test can
//! read the published site as a visitor's browser or the ORUK validator would.

use std::collections::BTreeMap;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The test credentials `deploy` runs with (moto accepts any).
pub const KEY_ID: &str = "AKIATESTKEYID0000000";
pub const SECRET: &str = "test-secret-Zq8vY2kP4mW7nR1xT6bL3cJ9";

/// Add a `[[deploy]]` target named `local` to the site at `root`, publishing to
/// `bucket`/`prefix` on `server`. The site is then at
/// `server.web_address(bucket, "<prefix>/")`.
pub fn add_target(root: &Path, server: &S3Server, bucket: &str, prefix: &str, extra: &str) {
    let config = root.join("content/site.toml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str(&format!(
        "\n[[deploy]]\nname = \"local\"\nbucket = \"{bucket}\"\nendpoint = \"{}\"\nregion = \"eu-west-2\"\nprefix = \"{prefix}\"\n{extra}",
        server.endpoint()
    ));
    std::fs::write(config, text).unwrap();
}

/// Run `clusterdir deploy` (built for 2025-07-01) with only the test credentials in
/// its environment.
pub fn deploy(root: &Path, args: &[&str]) -> std::process::Output {
    let home = root.join("home");
    std::fs::create_dir_all(&home).unwrap();
    Command::new(env!("CARGO_BIN_EXE_clusterdir"))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", &home)
        .env("AWS_ACCESS_KEY_ID", KEY_ID)
        .env("AWS_SECRET_ACCESS_KEY", SECRET)
        .arg("--root")
        .arg(root)
        .args(["--today", "2025-07-01", "deploy"])
        .args(args)
        .output()
        .unwrap()
}

/// The `moto` release `./scripts/test.sh` installs.
pub const MOTO: &str = "moto[server]==5.2.5";

pub struct S3Server {
    child: Child,
    pub port: u16,
}

/// An object as a visitor gets it: status, headers (names in lower case), body.
pub struct Fetched {
    pub status: u16,
    pub headers: BTreeMap<String, String>,
    pub body: Vec<u8>,
}

fn moto_server() -> PathBuf {
    if let Some(p) = std::env::var_os("CLUSTERDIR_MOTO_SERVER") {
        return PathBuf::from(p);
    }
    // `<target>/tmp` is CARGO_TARGET_TMPDIR; the server is in `<target>/moto`.
    let target = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    target.parent().unwrap().join("moto/bin/moto_server")
}

impl S3Server {
    /// Start a server on a free port and wait until it answers; panics, saying how to
    /// install it, when it cannot.
    pub fn start() -> S3Server {
        let bin = moto_server();
        if std::env::var_os("CLUSTERDIR_MOTO_SERVER").is_some() {
            assert!(
                bin.is_file(),
                "CLUSTERDIR_MOTO_SERVER names {}, which does not exist",
                bin.display()
            );
        }
        let venv = bin
            .parent()
            .unwrap()
            .parent()
            .unwrap()
            .display()
            .to_string();
        assert!(
            bin.is_file(),
            "the S3 test server is missing: {} does not exist. ./scripts/test.sh installs it; by hand: python3 -m venv {venv} && {venv}/bin/pip install '{MOTO}'",
            bin.display(),
        );
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(&bin)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("could not start the S3 test server {}: {e}", bin.display())
            });
        let server = S3Server { child, port };
        let start = Instant::now();
        while server.agent().get(&server.endpoint()).call().is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "the S3 test server did not answer on port {port} within 60 s"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        server
    }

    fn agent(&self) -> ureq::Agent {
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(30)))
            .build()
            .into()
    }

    /// The address `[[deploy]] endpoint` names.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Where a visitor reads `key` of `bucket` (the site's base address is
    /// `web_address(bucket, "prefix/")`).
    pub fn web_address(&self, bucket: &str, key: &str) -> String {
        format!("{}/{bucket}/{key}", self.endpoint())
    }

    /// Create a bucket anyone may read, as a bucket a site is published from is.
    pub fn create_bucket(&self, bucket: &str) {
        let url = format!("{}/{bucket}", self.endpoint());
        let r = self
            .agent()
            .put(&url)
            .header("x-amz-acl", "public-read")
            .send_empty()
            .unwrap();
        assert_eq!(r.status(), 200, "could not create bucket {bucket}");
    }

    /// Let any web page read the bucket, as docs/publishing.md tells a publisher to (the
    /// bucket's CORS rule: S3 sends `Access-Control-Allow-Origin` by bucket, not object).
    pub fn allow_any_origin(&self, bucket: &str) {
        let rule = "<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><AllowedMethod>HEAD</AllowedMethod></CORSRule></CORSConfiguration>";
        let url = format!("{}/{bucket}?cors", self.endpoint());
        let r = self.agent().put(&url).send(rule.as_bytes()).unwrap();
        assert_eq!(r.status(), 200, "could not set the CORS rule of {bucket}");
    }

    /// Put an object as someone other than clusterdir would.
    pub fn put(&self, bucket: &str, key: &str, body: &[u8]) {
        let r = self
            .agent()
            .put(&self.web_address(bucket, key))
            .send(body)
            .unwrap();
        assert_eq!(r.status(), 200, "could not put {key}");
    }

    pub fn get(&self, bucket: &str, key: &str) -> Fetched {
        let mut r = self
            .agent()
            .get(&self.web_address(bucket, key))
            .call()
            .unwrap();
        let headers = r
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_ascii_lowercase(),
                    v.to_str().unwrap_or("").to_string(),
                )
            })
            .collect();
        let body = r
            .body_mut()
            .with_config()
            .limit(1 << 30)
            .read_to_vec()
            .unwrap();
        Fetched {
            status: r.status().as_u16(),
            headers,
            body,
        }
    }

    /// Every object of `bucket`: key to ETag.
    pub fn list(&self, bucket: &str) -> BTreeMap<String, String> {
        let mut all = BTreeMap::new();
        let mut token: Option<String> = None;
        loop {
            let mut url = format!("{}/{bucket}?list-type=2", self.endpoint());
            if let Some(t) = &token {
                url.push_str(&format!(
                    "&continuation-token={}",
                    percent_encoding::utf8_percent_encode(t, percent_encoding::NON_ALPHANUMERIC)
                ));
            }
            let mut r = self.agent().get(&url).call().unwrap();
            let xml = r.body_mut().read_to_string().unwrap();
            let doc = roxmltree::Document::parse(&xml).unwrap();
            let text = |n: roxmltree::Node, tag: &str| {
                n.children()
                    .find(|c| c.has_tag_name(tag))
                    .and_then(|c| c.text())
                    .unwrap_or("")
                    .to_string()
            };
            for c in doc.descendants().filter(|n| n.has_tag_name("Contents")) {
                all.insert(text(c, "Key"), text(c, "ETag"));
            }
            let root = doc.root_element();
            token =
                (text(root, "IsTruncated") == "true").then(|| text(root, "NextContinuationToken"));
            if token.is_none() {
                return all;
            }
        }
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
