//! The build benchmark: `cargo bench --bench build` (add `-- --quick` to skip the
//! 10,000-cluster and 10,000-guide sites, `-- --compare` to time Hugo on the shared
//! corpus too). See docs/performance.md for what it measures and the last figures.
//!
//! Every build runs the release binary as its own process, as a user would: the wall
//! time is measured from outside, the stage timings, output size and peak memory come
//! from the binary's `build --timings` line. Synthetic sites are generated (by
//! `clusterdir generate`, deterministic) into the target folder, never into content/.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

// The integration tests' helpers (the preview server's address, GET requests).
#[path = "../tests/common/mod.rs"]
mod common;

const BIN: &str = env!("CARGO_BIN_EXE_clusterdir");
const SEED: u64 = 1;
/// The date builds are made as of, so staleness never changes the work done.
const TODAY: &str = "2025-07-01";

struct Case {
    name: String,
    root: PathBuf,
    clusters: usize,
    runs: usize,
}

fn work_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bench")
}

/// A generated site, made once and kept between runs (same seed, same bytes).
fn generated(name: &str, clusters: usize, guides: usize) -> PathBuf {
    let dir = work_dir().join("sites").join(name);
    let done = dir.join(".complete");
    if !done.exists() {
        let _ = std::fs::remove_dir_all(&dir);
        eprintln!("generating {name} ...");
        clusterdir::scaffold::generate::generate(&dir, clusters, guides, SEED)
            .expect("generate site");
        std::fs::write(&done, "").unwrap();
    }
    dir
}

/// One build's figures, from the binary's `timings:` line plus the wall time.
struct Run {
    wall: Duration,
    timings: serde_json::Value,
}

impl Run {
    fn ms(&self, key: &str) -> f64 {
        self.timings[key].as_f64().unwrap_or(0.0)
    }
    fn count(&self, key: &str) -> u64 {
        self.timings[key].as_u64().unwrap_or(0)
    }
}

fn build_once(root: &Path, output: &Path) -> Run {
    let started = Instant::now();
    let out = Command::new(BIN)
        .arg("--root")
        .arg(root)
        .args([
            "--today",
            TODAY,
            "build",
            "--force",
            "--timings",
            "--output",
        ])
        .arg(output)
        .stderr(Stdio::null())
        .output()
        .expect("run clusterdir");
    let wall = started.elapsed();
    assert!(
        out.status.success(),
        "the build of {} failed",
        root.display()
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix("timings: "))
        .expect("a timings line");
    Run {
        wall,
        timings: serde_json::from_str(line).expect("timings JSON"),
    }
}

/// A cold build (no earlier output: every file is new, as on a fresh checkout) and the
/// median by wall time of the rebuilds after it (unchanged files carried over).
fn measure(case: &Case) -> (Run, Run) {
    let output = work_dir().join("out").join(&case.name);
    let _ = std::fs::remove_dir_all(&output);
    // Fill the page cache with the content first, so the cold build measures the build.
    build_once(&case.root, &output);
    let _ = std::fs::remove_dir_all(&output);
    let cold = build_once(&case.root, &output);
    let mut runs: Vec<Run> = (0..case.runs)
        .map(|_| build_once(&case.root, &output))
        .collect();
    runs.sort_by_key(|r| r.wall);
    (cold, runs.swap_remove(runs.len() / 2))
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

fn print_build_table(results: &[(&Case, (Run, Run))]) {
    println!("\n## Full builds\n");
    println!("Cold: no earlier output, every file written. Rebuild: the median of the runs after it, same content, unchanged files carried over from the last output. Stage columns are from the rebuild.\n");
    println!("| site | cold wall | cold write | runs | rebuild wall | pages | pages/s (cold) | files | output | peak memory | load | validate | templates | cluster pages | other contexts | other pages | search index | exports | ORUK | feeds | write |");
    println!(
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    );
    for (case, (cold, r)) in results {
        let cold_wall = cold.wall.as_secs_f64();
        println!(
            "| {} | {:.3} s | {:.0} ms | {} | {:.3} s | {} | {:.0} | {} | {:.1} MB | {:.0} MiB | {:.0} ms | {:.0} ms | {:.0} ms | {:.0} ms | {:.0} ms | {:.0} ms | {:.0} ms | {:.0} ms | {:.0} ms | {:.0} ms | {:.0} ms |",
            case.name,
            cold_wall,
            cold.ms("write_ms"),
            case.runs,
            r.wall.as_secs_f64(),
            r.count("pages"),
            r.count("pages") as f64 / cold_wall,
            r.count("files"),
            r.count("bytes") as f64 / 1e6,
            mib(cold.count("peak_rss_kib").max(r.count("peak_rss_kib"))),
            r.ms("load_ms"),
            r.ms("validate_ms"),
            r.ms("templates_ms"),
            r.ms("render_cluster_pages_ms"),
            r.ms("render_contexts_ms"),
            r.ms("render_pages_ms"),
            r.ms("search_index_ms"),
            r.ms("exports_ms"),
            r.ms("oruk_ms"),
            r.ms("feeds_ms"),
            r.ms("write_ms"),
        );
    }
    let per_cluster: Vec<(usize, f64)> = results
        .iter()
        .filter(|(c, _)| c.name.starts_with("clusters-"))
        .map(|(c, (cold, _))| {
            (
                c.clusters,
                cold.wall.as_secs_f64() * 1000.0 / c.clusters as f64,
            )
        })
        .collect();
    if let (Some(first), Some(last)) = (per_cluster.first(), per_cluster.last()) {
        println!();
        for (n, ms) in &per_cluster {
            println!("- {n} clusters: {ms:.2} ms of cold-build wall time per cluster");
        }
        println!(
            "- ratio, {} to {} clusters: {:.2}",
            last.0,
            first.0,
            last.1 / first.1
        );
    }
}

// ---------------------------------------------------------------------------------------
// Incremental preview rebuilds

/// `GET path` from the preview server; the body.
fn http_get(port: u16, path: &str) -> String {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect to serve");
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    write!(s, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    let mut text = String::new();
    s.read_to_string(&mut text).unwrap();
    text.split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default()
}

fn version(port: u16) -> u64 {
    let status: serde_json::Value =
        serde_json::from_str(&http_get(port, "/__clusterdir/status")).unwrap();
    status["version"].as_u64().unwrap()
}

/// Start `serve` on `root`, change one line of `record` `runs` times, and return for each
/// change the time from the save to the server having the new site (what the browser
/// waits for), and the rebuild time `serve` itself reports.
fn incremental(root: &Path, record: &Path, runs: usize) -> Vec<(Duration, f64)> {
    let output = work_dir().join("out").join("serve");
    let mut child = Command::new(BIN)
        .arg("--root")
        .arg(root)
        .args([
            "--today", TODAY, "serve", "--force", "--port", "0", "--output",
        ])
        .arg(&output)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start serve");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let port = common::serve_port(&mut lines);
    let (tx, rx) = std::sync::mpsc::channel::<f64>();
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            if let Some(ms) = line
                .strip_prefix("Rebuilt in ")
                .and_then(|r| r.strip_suffix(" ms"))
            {
                let _ = tx.send(ms.parse().unwrap_or(f64::NAN));
            }
        }
    });
    let original = std::fs::read_to_string(record).unwrap();
    let mut results = Vec::new();
    for i in 0..runs + 1 {
        std::thread::sleep(Duration::from_millis(300));
        while rx.try_recv().is_ok() {}
        let seen = version(port);
        let changed = original.replacen("name = \"", &format!("name = \"Changed {i} "), 1);
        let started = Instant::now();
        std::fs::write(record, changed).unwrap();
        let _ = http_get(port, &format!("/__clusterdir/wait?v={seen}"));
        let ready = started.elapsed();
        let rebuilt = rx.recv_timeout(Duration::from_secs(60)).unwrap_or(f64::NAN);
        if i > 0 {
            results.push((ready, rebuilt)); // the first change warms the render cache
        }
    }
    std::fs::write(record, original).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let _ = child.kill();
    let _ = child.wait();
    results
}

fn print_incremental(name: &str, mut results: Vec<(Duration, f64)>) {
    results.sort_by_key(|r| r.0);
    let ready = results[results.len() / 2].0;
    let mut rebuilt: Vec<f64> = results.iter().map(|r| r.1).collect();
    rebuilt.sort_by(f64::total_cmp);
    println!(
        "| {name} | {} | {:.1} ms | {:.1} ms | {:.1} ms |",
        results.len(),
        rebuilt[rebuilt.len() / 2],
        ready.as_secs_f64() * 1000.0,
        results.last().unwrap().0.as_secs_f64() * 1000.0,
    );
}

// ---------------------------------------------------------------------------------------
// The same Markdown guides through Hugo (the shared corpus)

/// Turn the shared corpus's Zola layout into a clusterdir site of guides with the same
/// bodies: title and number from the front matter, the body byte for byte.
fn corpus_as_guides(zola_content: &Path, site: &Path) {
    let guides = site.join("content/guides");
    std::fs::create_dir_all(&guides).unwrap();
    std::fs::write(
        site.join("content/site.toml"),
        "title = \"Corpus\"\ndescription = \"The shared benchmark corpus.\"\ncity = \"Corpus\"\n\n[contact]\nname = \"Help\"\nphone = \"0113 496 0000\"\n\n[[categories]]\nslug = \"family-support\"\nname = \"Family support\"\ndescription = \"x\"\n",
    )
    .unwrap();
    let mut n = 0;
    let pages = zola_content.join("guides");
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&pages)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.ends_with(".md") || name.starts_with('_') {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let rest = text.strip_prefix("+++\n").expect("Zola front matter");
        let (front, body) = rest.split_once("\n+++\n").expect("end of front matter");
        let title = front
            .lines()
            .find_map(|l| l.strip_prefix("title = "))
            .unwrap_or("\"Guide\"");
        n += 1;
        std::fs::write(
            guides.join(&name),
            format!("+++\ntitle = {title}\nnumber = {n}\nedition = \"2025-01\"\nsummary = \"A guide from the shared corpus.\"\n+++\n{body}"),
        )
        .unwrap();
    }
    assert!(n > 0, "no pages found in {}", pages.display());
}

/// Median wall time of `runs` runs of `cmd` (after one untimed run), each writing into
/// `output`; with `cold`, the output is removed (untimed) before each run.
fn time_command(cmd: &mut Command, output: &Path, cold: bool, runs: usize) -> Duration {
    let mut times: Vec<Duration> = (0..runs + 1)
        .map(|_| {
            if cold {
                let _ = std::fs::remove_dir_all(output);
            }
            let started = Instant::now();
            let status = cmd
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .unwrap();
            assert!(status.success(), "{cmd:?} failed");
            started.elapsed()
        })
        .skip(1)
        .collect();
    times.sort();
    times[times.len() / 2]
}

fn compare(pages: usize) {
    let corpus = work_dir().join(format!("corpus-{pages}"));
    if !corpus.join("hugo").exists() {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/gen_corpus.py");
        let status = Command::new("python3")
            .arg(&script)
            .arg(pages.to_string())
            .arg(&corpus)
            .args(["--layout", "both"])
            .status()
            .expect("python3 runs the shared corpus generator");
        assert!(status.success(), "{} failed", script.display());
    }
    let site = corpus.join("clusterdir");
    if !site
        .join("content/guides")
        .read_dir()
        .is_ok_and(|mut d| d.next().is_some())
    {
        let _ = std::fs::remove_dir_all(&site);
        corpus_as_guides(&corpus.join("zola/content"), &site);
    }
    let run = build_once(&site, &corpus.join("out-clusterdir"));
    assert!(
        run.count("pages") as usize >= pages,
        "clusterdir built {} pages of the {pages}",
        run.count("pages")
    );
    let hugo_version = Command::new("hugo")
        .arg("version")
        .output()
        .ok()
        .filter(|v| v.status.success())
        .map(|v| {
            String::from_utf8_lossy(&v.stdout)
                .split_whitespace()
                .take(2)
                .collect::<Vec<_>>()
                .join(" ")
        });
    println!("\n## The same {pages} Markdown pages (shared corpus), median of 5\n");
    println!("Cold: output folder removed before each run. Rebuild: over the last output.\n");
    println!("| generator | output on | cold | pages/s (cold) | rebuild | pages/s (rebuild) |");
    println!("|---|---|---|---|---|---|");
    let shm = Path::new("/dev/shm");
    let places: Vec<(&str, PathBuf)> = [("disk", corpus.clone())]
        .into_iter()
        .chain(
            shm.is_dir()
                .then(|| ("tmpfs", shm.join("clusterdir-bench"))),
        )
        .collect();
    for (place, dir) in &places {
        let out = dir.join("out-clusterdir");
        let mut ours = Command::new(BIN);
        ours.arg("--root")
            .arg(&site)
            .args(["--today", TODAY, "build", "--force", "--output"])
            .arg(&out);
        row("clusterdir", place, pages, &mut ours, &out);
        match &hugo_version {
            Some(version) => {
                let out = dir.join("out-hugo");
                let mut hugo = Command::new("hugo");
                hugo.arg("--source")
                    .arg(corpus.join("hugo"))
                    .arg("--destination")
                    .arg(&out)
                    .arg("--quiet");
                row(version, place, pages, &mut hugo, &out);
            }
            None => println!("| Hugo | not installed (apt-get install hugo) | | | | |"),
        }
    }
    let _ = std::fs::remove_dir_all(shm.join("clusterdir-bench"));
}

/// One row of the comparison: cold and rebuild times of one generator.
fn row(name: &str, place: &str, pages: usize, cmd: &mut Command, out: &Path) {
    let cold = time_command(cmd, out, true, 5).as_secs_f64();
    let warm = time_command(cmd, out, false, 5).as_secs_f64();
    println!(
        "| {name} | {place} | {cold:.3} s | {:.0} | {warm:.3} s | {:.0} |",
        pages as f64 / cold,
        pages as f64 / warm
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    if !args.iter().any(|a| a == "--bench") {
        // Run by `cargo test --all-targets`: check the measuring works, quickly.
        let run = build_once(&repo, &work_dir().join("out").join("smoke"));
        for key in [
            "load_ms",
            "render_pages_ms",
            "search_index_ms",
            "write_ms",
            "peak_rss_kib",
            "pages",
            "bytes",
        ] {
            assert!(
                run.timings.get(key).is_some_and(|v| !v.is_null()),
                "no {key} in the timings line"
            );
        }
        assert!(run.count("pages") > 20 && run.count("bytes") > 100_000);
        println!("bench smoke test: the real site built in {:?}", run.wall);
        return;
    }
    let quick = args.iter().any(|a| a == "--quick");
    let mut cases = vec![
        Case {
            name: "real (Leeds)".into(),
            root: repo.clone(),
            clusters: 0,
            runs: 15,
        },
        Case {
            name: "clusters-100".into(),
            root: generated("clusters-100", 100, 0),
            clusters: 100,
            runs: 5,
        },
        Case {
            name: "clusters-1000".into(),
            root: generated("clusters-1000", 1000, 0),
            clusters: 1000,
            runs: 3,
        },
    ];
    if !quick {
        cases.push(Case {
            name: "clusters-10000".into(),
            root: generated("clusters-10000", 10_000, 0),
            clusters: 10_000,
            runs: 1,
        });
        cases.push(Case {
            name: "guides-10000".into(),
            root: generated("guides-10000", 0, 10_000),
            clusters: 0,
            runs: 3,
        });
    }
    println!("# clusterdir build benchmark\n");
    println!("{}", machine());
    let results: Vec<(&Case, (Run, Run))> = cases.iter().map(|c| (c, measure(c))).collect();
    print_build_table(&results);

    // Let the machine write out the big builds' files first, so the preview is not
    // measured against the kernel flushing gigabytes to disk.
    let _ = Command::new("sync").status();
    std::thread::sleep(Duration::from_secs(5));
    println!("\n## Preview: one line of one record changed while `serve` runs\n");
    println!("| site | changes | rebuild (median, as serve reports) | save to new site ready (median) | slowest |");
    println!("|---|---|---|---|---|");
    let real_copy = work_dir().join("sites").join("real-copy");
    let _ = std::fs::remove_dir_all(&real_copy);
    common::copy_tree(&repo.join("content"), &real_copy.join("content"));
    print_incremental(
        "real (Leeds)",
        incremental(&real_copy, &real_copy.join("content/clusters/arm.toml"), 9),
    );
    let thousand = generated("clusters-1000", 1000, 0);
    let record = first_file(&thousand.join("content/clusters"));
    print_incremental("clusters-1000", incremental(&thousand, &record, 5));

    if args.iter().any(|a| a == "--compare") {
        compare(10_000);
    }
}

fn first_file(dir: &Path) -> PathBuf {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files.remove(0)
}

/// The machine, for the record.
fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .next()
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|k| k.parse::<u64>().ok())
        })
        .map_or("?".into(), |k| {
            format!("{:.0} GiB", k as f64 / 1024.0 / 1024.0)
        });
    format!(
        "Machine: {cpu}, {cores} cores, {mem} memory; output folder on disk ({}).",
        work_dir().display()
    )
}
