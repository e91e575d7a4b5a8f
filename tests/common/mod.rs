//! Helpers shared by the integration tests: copy a fixture site, build it, read the HTML.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use scraper::{Html, Selector};

pub mod oruk_feed;
pub mod s3;

/// Keys of the content model whose values are checked codes, dates, numbers written as
/// text, addresses or names of other things (slugs, a page list, a glossary term): a
/// hostile value there is a validation error, not text to show. The tests that put
/// hostile text into every other field leave these alone.
pub const CHECKED_KEYS: &[&str] = &[
    "slug",
    "category",
    "role",
    "model",
    "phase",
    "status",
    "phone",
    "mobile",
    "email",
    "report_email",
    "request_form_url",
    "website",
    "url",
    "base_url",
    "quick_exit_url",
    "last_reviewed",
    "date",
    "time",
    "opens",
    "closes",
    "reopens",
    "year",
    "replaces",
    "edition",
    "theme",
    "language",
    "list",
    "term",
];

/// The smallest valid `site.toml`, for tests that plant one file beside it.
pub const SITE: &str = r#"title = "T"
description = "D"
city = "C"
base_url = "https://clusters.example.org/"

[contact]
name = "Help"
phone = "0113 496 0000"

[[categories]]
slug = "family-support"
name = "Family support"
description = "x"
"#;

/// A valid cluster record with only the required fields.
pub const GOOD: &str = "name = \"Good\"\nlast_reviewed = 2025-01-01\n";

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copy a folder tree into `to`.
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Copy a fixture site into a new temporary folder.
pub fn copy_site(from: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(from, dir.path());
    dir
}

/// A copy of the fixture site with every page kind.
pub fn full_fixture() -> tempfile::TempDir {
    copy_site(&repo_root().join("tests/fixtures/full"))
}

/// A copy of the real Leeds site (content only; the theme is built in).
pub fn real_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&repo_root().join("content"), &dir.path().join("content"));
    dir
}

/// Run the clusterdir binary.
pub fn run(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_clusterdir"))
        .arg("--root")
        .arg(root)
        .args(args)
        .output()
        .expect("run clusterdir")
}

/// The date tests build for, so that what is stale does not depend on when they run.
pub fn test_today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2025, 7, 1).unwrap()
}

/// Build a site into `<root>/public` through the library (as of [`test_today`]),
/// panicking with the report on error.
pub fn build(root: &Path) -> PathBuf {
    build_on(root, test_today())
}

/// Build a site into `<root>/public` as if today were `today`.
pub fn build_on(root: &Path, today: chrono::NaiveDate) -> PathBuf {
    let out = root.join("public");
    match clusterdir::build::build_with(
        root,
        &out,
        &clusterdir::build::Options {
            today,
            ..Default::default()
        },
    ) {
        Ok(_) => out,
        Err(checked) => panic!("build failed:\n{}", checked.report(false)),
    }
}

/// Every file in a folder, relative path to bytes.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

pub fn html_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
        .collect();
    v.sort();
    v
}

pub fn read_html(path: &Path) -> Html {
    Html::parse_document(&std::fs::read_to_string(path).unwrap())
}

pub fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

pub fn texts(doc: &Html, selector: &str) -> Vec<String> {
    doc.select(&sel(selector))
        .map(|e| {
            e.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// The output file a root-relative address is served from, if it exists.
pub fn file_for_url(public: &Path, url: &str) -> Option<PathBuf> {
    let path = url.split(['#', '?']).next().unwrap();
    let mut p = public.join(path.trim_start_matches('/'));
    if path.ends_with('/') || p.is_dir() {
        p = p.join("index.html");
    }
    p.is_file().then_some(p)
}

/// Check a site as of [`test_today`].
pub fn check(root: &Path) -> clusterdir::build::Checked {
    clusterdir::build::check_with(
        root,
        &clusterdir::build::Options {
            today: test_today(),
            ..Default::default()
        },
    )
}

/// `GET path` (sent as written, not normalised) from the preview server; returns the
/// response head (status line and headers) and the body.
pub fn get_with_head(port: u16, path: &str) -> (String, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    write!(s, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n").unwrap();
    let mut bytes = Vec::new();
    s.read_to_end(&mut bytes).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    (head.to_string(), body.to_string())
}

/// `GET path` from the preview server; returns the status line and body.
pub fn get(port: u16, path: &str) -> (String, String) {
    let (head, body) = get_with_head(port, path);
    (head.lines().next().unwrap_or("").to_string(), body)
}

/// A running `serve`, stopped when dropped.
pub struct Server(pub Child);
impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Read `serve`'s output up to the line with its address; the port.
pub fn serve_port(lines: &mut impl Iterator<Item = std::io::Result<String>>) -> u16 {
    serve_port_and_lines(lines).0
}

/// Read `serve`'s output up to the line with its address; the port, and the lines
/// printed before it.
pub fn serve_port_and_lines(
    lines: &mut impl Iterator<Item = std::io::Result<String>>,
) -> (u16, Vec<String>) {
    let mut before = Vec::new();
    loop {
        let line = lines.next().expect("serve printed its address").unwrap();
        if let Some(rest) = line.strip_prefix("Previewing at http://127.0.0.1:") {
            let port = rest
                .trim_end_matches(|c: char| !c.is_ascii_digit())
                .split('/')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            return (port, before);
        }
        before.push(line);
    }
}

/// Start `serve` on a free port for the site in `root`.
pub fn start_serve(root: &std::path::Path) -> (Server, u16) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_clusterdir"))
        .args(["--root"])
        .arg(root)
        .args(["--today", "2025-07-01", "serve", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let port = serve_port(&mut lines);
    // Keep reading the rebuild lines so the child never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (Server(child), port)
}

/// A struct of the content model that is read from a file (`#[derive(Deserialize)]` in
/// src/content/model/), found by reading the source: its fields, each with its type
/// as written.
pub struct ModelStruct {
    pub file: PathBuf,
    pub name: String,
    pub fields: Vec<(String, String)>,
}

/// Every struct of the content model read from a file, in file order.
pub fn model_structs() -> Vec<ModelStruct> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(repo_root().join("src/content/model"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let mut structs = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let mut derives_deserialize = false;
        let mut current: Option<ModelStruct> = None;
        for line in text.lines() {
            let line = line.trim();
            if line.starts_with("#[derive(") {
                derives_deserialize = line.contains("Deserialize");
            } else if let Some(rest) = line.strip_prefix("pub struct ") {
                if derives_deserialize && rest.ends_with('{') {
                    current = Some(ModelStruct {
                        file: path.clone(),
                        name: rest.trim_end_matches('{').trim().to_string(),
                        fields: Vec::new(),
                    });
                }
            } else if line == "}" {
                structs.extend(current.take());
            } else if let Some(s) = current.as_mut() {
                if let Some((name, ty)) = line.strip_prefix("pub ").and_then(|l| l.split_once(':'))
                {
                    s.fields.push((
                        name.trim().to_string(),
                        ty.trim().trim_end_matches(',').to_string(),
                    ));
                }
            }
        }
    }
    structs
}

/// The structs of the model reachable from `root` through the types of its fields
/// (`root` first).
pub fn structs_reachable_from(root: &str) -> Vec<ModelStruct> {
    let mut all = model_structs();
    assert!(
        all.iter().any(|s| s.name == root),
        "no struct {root} in the model"
    );
    let mut names = vec![root.to_string()];
    let mut i = 0;
    while i < names.len() {
        let s = all.iter().find(|s| s.name == names[i]).unwrap();
        for (_, ty) in &s.fields {
            for word in ty.split(|c: char| !c.is_alphanumeric() && c != '_') {
                if !names.iter().any(|n| n == word) && all.iter().any(|s| s.name == word) {
                    names.push(word.to_string());
                }
            }
        }
        i += 1;
    }
    names
        .iter()
        .map(|n| {
            let at = all.iter().position(|s| &s.name == n).unwrap();
            all.remove(at)
        })
        .collect()
}

/// Whether a TOML text (documentation or a starter file) shows the field `name`: as
/// `name = ...` at the start of a line, commented out or not, inside an inline table
/// (`{ name = ...`, `, name = ...`), or as a table heading `[name]` or `[[name]]`.
pub fn shows_field(text: &str, name: &str) -> bool {
    let inline = text.contains(&format!("{{ {name} =")) || text.contains(&format!(", {name} ="));
    inline
        || text.lines().any(|line| {
            let line = line.trim_start().trim_start_matches('#').trim_start();
            line.starts_with(&format!("{name} ="))
                || line.starts_with(&format!("[{name}]"))
                || line.starts_with(&format!("[[{name}]]"))
                // A table inside another: `[deploy.cache_control]`.
                || (line.starts_with('[') && line.contains(&format!(".{name}]")))
        })
}

/// The fields of the content model's description (`content::schema`) that a TOML text
/// (a starter, a documented example; fields may be commented out with `# `) does not
/// show where they belong: a top-level field as a line of its own before any table
/// heading, a table's field under that table's heading (`[help]`, `[[offer]]`, or
/// inside its inline table). Each missing field as `table.key`.
pub fn fields_not_shown(text: &str, kind: clusterdir::content::schema::Kind) -> Vec<String> {
    let sections = toml_sections(text);
    let mut missing = Vec::new();
    for (path, field) in clusterdir::content::schema::walk(kind) {
        let shown = match path.first() {
            None => {
                sections[""]
                    .iter()
                    .any(|l| l.starts_with(&format!("{} = ", field.key)))
                    || field.children().is_some() && sections.contains_key(field.key)
            }
            Some(table) => sections
                .iter()
                .filter(|(name, _)| *name == table || name.starts_with(&format!("{table}.")))
                .any(|(_, lines)| {
                    lines
                        .iter()
                        .any(|l| l.contains(&format!("{} = ", field.key)))
                }),
        };
        if !shown {
            missing.push(
                path.iter()
                    .chain([&field.key])
                    .copied()
                    .collect::<Vec<_>>()
                    .join("."),
            );
        }
    }
    missing
}

/// The lines of a TOML text (comment marks at their start removed) under each table
/// heading, by the heading's name; `""` for the lines before the first heading.
pub fn toml_sections(text: &str) -> BTreeMap<String, Vec<String>> {
    let mut sections: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut current = String::new();
    sections.insert(current.clone(), Vec::new());
    for line in text.lines() {
        let line = line.trim_start_matches('#').trim();
        if line.starts_with('[') {
            let name = line.trim_start_matches('[');
            current = name[..name.find(']').unwrap_or(name.len())]
                .trim()
                .to_string();
        }
        sections
            .entry(current.clone())
            .or_default()
            .push(line.to_string());
    }
    sections
}
