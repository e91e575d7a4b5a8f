//! How long the editor takes to save one changed value on a site: open the record,
//! change one phone number, save (which checks the whole site with the edited file in
//! memory, keeps the old file in the history and writes the new one). The site is
//! copied to a temporary folder first; the figures are the median and the slowest of
//! the runs.
//!
//! `cargo run --release --example edit_timing -- [site folder] [runs]` (default: the
//! repository's own site, 20 runs).

use std::path::{Path, PathBuf};
use std::time::Instant;

use clusterdir::edit::{self, Kind, Scope, Target};

fn copy(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("the site can be read");
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let site = PathBuf::from(args.first().map_or(".", String::as_str));
    let runs: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(20);
    let dir = std::env::temp_dir().join(format!("clusterdir-edit-timing-{}", std::process::id()));
    copy(&site.join("content"), &dir.join("content"));
    let records = edit::records(&dir).expect("the site checks");
    let cluster = records
        .iter()
        .find(|r| r.target.kind == Kind::Cluster)
        .expect("a cluster");
    let target: Target = cluster.target.clone();
    let (mut check, mut save) = (Vec::new(), Vec::new());
    for n in 0..runs {
        let opened = edit::open(&dir, &target).unwrap();
        let form = vec![("area".to_string(), format!("Area {n}"))];
        let t = Instant::now();
        let text = edit::apply(&dir, &target, &form, Scope::Whole).unwrap();
        let file = edit::path_of(&dir, &target).unwrap();
        let rel = file.strip_prefix(&dir).unwrap();
        let overlay = clusterdir::content::load::Overlay {
            file: rel,
            text: &text,
        };
        let options = clusterdir::build::Options {
            drafts: true,
            ..Default::default()
        };
        let checked = clusterdir::build::check_over(&dir, &options, None, Some(overlay));
        check.push(t.elapsed().as_secs_f64() * 1000.0);
        assert!(checked.ok(), "{}", checked.report(false));
        if n == 0 {
            let t = &checked.timings;
            println!(
                "first check: load {:.1} ms, validate {:.1} ms, render {:.1} ms",
                t.load.as_secs_f64() * 1000.0,
                t.validate.as_secs_f64() * 1000.0,
                t.render.as_secs_f64() * 1000.0
            );
        }
        let t = Instant::now();
        edit::save(&dir, &target, &form, Scope::Whole, &opened.version).unwrap();
        save.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let _ = std::fs::remove_dir_all(&dir);
    for (what, mut times) in [
        ("check with the edit in memory", check),
        ("whole save", save),
    ] {
        times.sort_by(f64::total_cmp);
        println!(
            "{what}: median {:.1} ms, slowest {:.1} ms ({runs} runs, {})",
            times[times.len() / 2],
            times[times.len() - 1],
            target.slug
        );
    }
}
