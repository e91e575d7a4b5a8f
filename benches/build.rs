//! The build benchmark: `cargo bench --bench build` (add `-- --quick` to skip the
//! 10,000-cluster and 10,000-guide sites, `-- --compare` to time cluster sites from 100
//! to 10,000 clusters with the output in tmpfs, and Zola and Hugo on the shared corpus,
//! interleaved, as ratios; `--country` adds a 100,000-cluster site; `--compare-only`
//! leaves out the builds and previews before the comparison, `--previews-only` the
//! builds before the previews). See docs/performance.md for what it measures and the
//! last figures.
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
    clear(&output);
    // Fill the page cache with the content first, so the cold build measures the build.
    build_once(&case.root, &output);
    clear(&output);
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
    write!(s, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n").unwrap();
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
                .and_then(|r| r.split_once(" ms").map(|(ms, _)| ms))
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

/// One generator in the side-by-side comparison: its name and the command line that
/// builds the corpus into a given output folder.
struct Tool {
    name: String,
    argv: Argv,
}

/// A generator's command line for a given output folder.
type Argv = Box<dyn Fn(&Path) -> Vec<std::ffi::OsString>>;

/// One timed run: wall time and peak memory (from `/usr/bin/time`, which reads the
/// child's own maximum resident set size, so every generator is measured the same way).
#[derive(Clone, Copy)]
struct Sample {
    wall: f64,
    peak_kib: u64,
}

/// Remove an output folder and what a build keeps beside it (the spare, the site before
/// last, which a rebuild writes into): a cold build starts from nothing.
fn clear(out: &Path) {
    let _ = std::fs::remove_dir_all(out);
    let name = out.file_name().unwrap_or_default().to_string_lossy();
    let _ = std::fs::remove_dir_all(out.with_file_name(format!(".{name}.clusterdir-spare")));
}

fn run_tool(tool: &Tool, out: &Path, cold: bool) -> Sample {
    if cold {
        clear(out);
    }
    let report = work_dir().join("time-report");
    let argv = (tool.argv)(out);
    let started = Instant::now();
    let status = Command::new("/usr/bin/time")
        .arg("-f")
        .arg("%M")
        .arg("-o")
        .arg(&report)
        .args(&argv)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("/usr/bin/time runs (apt-get install time)");
    let wall = started.elapsed().as_secs_f64();
    assert!(status.success(), "{} failed: {argv:?}", tool.name);
    let text = std::fs::read_to_string(&report).unwrap_or_default();
    let peak_kib = text
        .lines()
        .rev()
        .find_map(|l| l.trim().parse().ok())
        .unwrap_or(0);
    Sample { wall, peak_kib }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Medians of each tool, interleaved: every round runs each tool once, in turn, so a
/// slow moment of the (shared, noisy) machine falls on all of them alike.
fn interleaved(tools: &[Tool], dir: &Path, cold: bool, rounds: usize) -> Vec<Sample> {
    let outs: Vec<PathBuf> = (0..tools.len())
        .map(|i| dir.join(format!("out-{i}")))
        .collect();
    for (tool, out) in tools.iter().zip(&outs) {
        run_tool(tool, out, true); // untimed: fills the page cache, leaves an output
    }
    let mut samples: Vec<Vec<Sample>> = vec![Vec::new(); tools.len()];
    for _ in 0..rounds {
        for (i, (tool, out)) in tools.iter().zip(&outs).enumerate() {
            samples[i].push(run_tool(tool, out, cold));
        }
    }
    for out in &outs {
        clear(out);
    }
    samples
        .into_iter()
        .map(|s| Sample {
            wall: median(s.iter().map(|x| x.wall).collect()),
            peak_kib: s.iter().map(|x| x.peak_kib).max().unwrap_or(0),
        })
        .collect()
}

/// Zola 0.22.1 from the shared benchmark folder, unpacked once into the target folder.
fn zola() -> Option<PathBuf> {
    let packed = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/bench/zola/zola-0.22.1-x86_64-linux.xz");
    let bin = work_dir().join("zola");
    if !bin.exists() && packed.exists() {
        let data = Command::new("xz").arg("-dc").arg(&packed).output().ok()?;
        if !data.status.success() {
            return None;
        }
        std::fs::write(&bin, data.stdout).ok()?;
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).ok()?;
    }
    bin.exists().then_some(bin)
}

fn tool_version(bin: &Path, arg: &str) -> Option<String> {
    let out = Command::new(bin).arg(arg).output().ok()?;
    out.status.success().then(|| {
        String::from_utf8_lossy(&out.stdout)
            .split_whitespace()
            .take(2)
            .collect::<Vec<_>>()
            .join(" ")
    })
}

/// The generators to compare on the shared corpus: clusterdir, and Zola and Hugo where
/// they can run here.
fn tools(corpus: &Path, site: &Path) -> Vec<Tool> {
    let site = site.to_path_buf();
    let mut tools = vec![Tool {
        name: "clusterdir".into(),
        argv: Box::new(move |out| {
            let mut v: Vec<std::ffi::OsString> =
                vec![BIN.into(), "--root".into(), site.clone().into()];
            v.extend(["--today", TODAY, "build", "--force", "--output"].map(Into::into));
            v.push(out.into());
            v
        }),
    }];
    if let Some(bin) = zola() {
        let root = corpus.join("zola");
        let name = tool_version(&bin, "--version").unwrap_or_else(|| "zola".into());
        tools.push(Tool {
            name,
            argv: Box::new(move |out| {
                vec![
                    bin.clone().into(),
                    "--root".into(),
                    root.clone().into(),
                    "build".into(),
                    "--force".into(),
                    "--output-dir".into(),
                    out.into(),
                ]
            }),
        });
    } else {
        println!("(Zola not found: ../shared/bench/zola/ is missing)\n");
    }
    if let Some(name) = tool_version(Path::new("hugo"), "version") {
        let root = corpus.join("hugo");
        tools.push(Tool {
            name,
            argv: Box::new(move |out| {
                vec![
                    "hugo".into(),
                    "--source".into(),
                    root.clone().into(),
                    "--destination".into(),
                    out.into(),
                    "--quiet".into(),
                ]
            }),
        });
    } else {
        println!("(Hugo not installed: apt-get install hugo)\n");
    }
    tools
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
    let tools = tools(&corpus, &site);
    println!("\n## The same {pages} Markdown pages (shared corpus), interleaved, median of 5\n");
    println!("Cold: output folder removed (untimed) before each run. Rebuild: over the last output. Peak: the largest maximum resident set size of the runs. Ratios are clusterdir's time (or memory) over the other's: below 1 is better.\n");
    println!("| generator | output on | cold | pages/s | peak (cold) | rebuild | pages/s | peak (rebuild) |");
    println!("|---|---|---|---|---|---|---|---|");
    let shm = Path::new("/dev/shm");
    let places: Vec<(&str, PathBuf)> = [("disk", corpus.join("runs"))]
        .into_iter()
        .chain(
            shm.is_dir()
                .then(|| ("tmpfs", shm.join("clusterdir-bench"))),
        )
        .collect();
    let mut ratios = Vec::new();
    for (place, dir) in &places {
        std::fs::create_dir_all(dir).unwrap();
        let cold = interleaved(&tools, dir, true, 5);
        let warm = interleaved(&tools, dir, false, 5);
        for (i, tool) in tools.iter().enumerate() {
            println!(
                "| {} | {place} | {:.3} s | {:.0} | {:.0} MiB | {:.3} s | {:.0} | {:.0} MiB |",
                tool.name,
                cold[i].wall,
                pages as f64 / cold[i].wall,
                mib(cold[i].peak_kib),
                warm[i].wall,
                pages as f64 / warm[i].wall,
                mib(warm[i].peak_kib),
            );
        }
        for (i, tool) in tools.iter().enumerate().skip(1) {
            for (mode, s) in [("cold", &cold), ("rebuild", &warm)] {
                ratios.push(format!(
                    "- {place}, {mode}: clusterdir / {}: time {:.2}, peak memory {:.2}",
                    tool.name,
                    s[0].wall / s[i].wall,
                    s[0].peak_kib as f64 / s[i].peak_kib.max(1) as f64
                ));
            }
        }
        let _ = std::fs::remove_dir_all(dir);
    }
    println!("\nTargets: time ratio to Zola at most 0.50 (twice its pages per second), peak memory ratio to Zola at most 0.50, time ratio to Hugo at most 1.00.\n");
    for r in ratios {
        println!("{r}");
    }
}

/// Where a cold build of `clusters` clusters writes: tmpfs (where the file system is not
/// the bound) when it has room for the output twice over (about 300 KB a cluster),
/// else the disk (a 100,000-cluster site is about 29 GB).
fn cold_place(clusters: usize) -> Option<(PathBuf, &'static str)> {
    let shm = Path::new("/dev/shm");
    let room = rustix::fs::statvfs(shm)
        .map(|s| s.f_bavail * s.f_frsize)
        .ok()?;
    if room > clusters as u64 * 600_000 {
        Some((shm.join("clusterdir-bench-clusters"), "tmpfs"))
    } else {
        Some((work_dir().join("out").join("clusters-cold"), "disk"))
    }
}

/// A cold build of a generated cluster site: wall time, the binary's own peak memory
/// and where the output went.
fn cold_build(name: &str, clusters: usize) -> Option<(f64, u64, &'static str)> {
    let (out, place) = cold_place(clusters)?;
    let root = generated(name, clusters, 0);
    clear(&out);
    // Fill the page cache with the content first, but where a build takes minutes.
    if clusters <= 10_000 {
        build_once(&root, &out);
    }
    // The median of a few runs where they are short; one where they are long.
    let runs = if clusters <= 1000 { 5 } else { 1 };
    let mut results: Vec<(f64, u64)> = (0..runs)
        .map(|_| {
            clear(&out);
            let run = build_once(&root, &out);
            (run.wall.as_secs_f64(), run.count("peak_rss_kib"))
        })
        .collect();
    clear(&out);
    results.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (wall, peak) = results[results.len() / 2];
    Some((wall, peak, place))
}

/// Cold builds at each size (output in tmpfs where it fits), with the time per cluster
/// and its ratio to the smallest size's (the target: within 10%, so at most 1.10).
fn print_cluster_scaling(sizes: &[usize]) {
    println!("\n## Cluster sites, cold build\n");
    println!(
        "| clusters | output on | cold wall | per cluster | ratio to the first | peak memory |"
    );
    println!("|---|---|---|---|---|---|");
    let mut first = None;
    for &n in sizes {
        let Some((wall, peak, place)) = cold_build(&format!("clusters-{n}"), n) else {
            println!("(no /dev/shm here)");
            return;
        };
        let per = wall * 1000.0 / n as f64;
        let base = *first.get_or_insert(per);
        println!(
            "| {n} | {place} | {wall:.3} s | {per:.3} ms | {:.2} | {:.0} MiB |",
            per / base,
            mib(peak)
        );
    }
    println!(
        "\nTargets: 10,000 clusters under 10 s (in tmpfs) and under 1,024 MiB; ratio at most 1.10."
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
    if !args.iter().any(|a| a == "--compare-only") {
        if !args.iter().any(|a| a == "--previews-only") {
            let results: Vec<(&Case, (Run, Run))> = cases.iter().map(|c| (c, measure(c))).collect();
            print_build_table(&results);
        }
        previews(&repo, &cases);
    }
    if args.iter().any(|a| a == "--compare") {
        let mut sizes = vec![100, 1000];
        if !quick {
            sizes.push(10_000);
        }
        if args.iter().any(|a| a == "--country") {
            sizes.push(100_000);
        }
        print_cluster_scaling(&sizes);
        compare(10_000);
    }
}

/// The preview's rebuilds of the real site and generated sites.
fn previews(repo: &Path, cases: &[Case]) {
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
    if cases.iter().any(|c| c.clusters == 10_000) {
        let big = generated("clusters-10000", 10_000, 0);
        let record = first_file(&big.join("content/clusters"));
        print_incremental("clusters-10000", incremental(&big, &record, 3));
    }
    println!("\nTargets, save to new site ready: real site under 30 ms, 1,000 clusters under 100 ms, 10,000 clusters under 500 ms.");
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
