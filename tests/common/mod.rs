//! Helpers shared by the integration tests: copy a fixture site, build it, read the HTML.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use scraper::{Html, Selector};

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
