//! A build killed (SIGKILL) at any moment leaves the output folder as the complete old
//! site or the complete new one, and the next build cleans up what it left behind.

mod common;

use std::process::{Command, Stdio};
use std::time::Duration;

use common::snapshot;

#[test]
fn killed_builds_leave_the_old_or_the_new_site_complete() {
    // A synthetic site big enough that writing its files takes a while.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    clusterdir::scaffold::generate::generate(&root, 25, 0, 3).unwrap();
    let root = root.as_path();
    let rec = root.join("content/clusters/cluster-00000.toml");
    let original = std::fs::read_to_string(&rec).unwrap();
    let version = |n: u32| original.replacen("name = \"", &format!("name = \"Version {n} "), 1);
    let bin = env!("CARGO_BIN_EXE_clusterdir");
    let build_into = |out: &std::path::Path| {
        let s = Command::new(bin)
            .arg("--root")
            .arg(root)
            .args(["--today", "2025-07-01", "build", "--output"])
            .arg(out)
            .output()
            .unwrap();
        assert!(s.status.success(), "{}", String::from_utf8_lossy(&s.stderr));
    };
    // The two complete sites a killed build may leave.
    std::fs::write(&rec, version(1)).unwrap();
    build_into(&root.join("expected-1"));
    std::fs::write(&rec, version(2)).unwrap();
    let started = std::time::Instant::now();
    build_into(&root.join("expected-2"));
    let full = started.elapsed();
    let expected = [
        snapshot(&root.join("expected-1")),
        snapshot(&root.join("expected-2")),
    ];
    assert_ne!(expected[0], expected[1]);

    let public = root.join("public");
    std::fs::write(&rec, version(1)).unwrap();
    build_into(&public);
    let mut rng = fastrand::Rng::with_seed(7);
    let mut killed_mid_build = 0;
    let mut window_ms = full.as_millis() as f64;
    for i in 0..25u32 {
        std::fs::write(&rec, version(if i % 2 == 0 { 2 } else { 1 })).unwrap();
        let mut child = Command::new(bin)
            .arg("--root")
            .arg(root)
            .args(["--today", "2025-07-01", "build", "--output"])
            .arg(&public)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Most kills land in the last part of the build, where files are written and
        // swapped in. How long a build takes drifts on a busy machine, so the window
        // follows it: shorter after a build that finished before its kill, longer after
        // one that was killed.
        let at = (window_ms as u64).max(2);
        std::thread::sleep(Duration::from_millis(rng.u64(at / 2..at + at / 10)));
        if child.try_wait().unwrap().is_none() {
            killed_mid_build += 1;
            window_ms *= 1.05;
        } else {
            window_ms *= 0.8;
        }
        let _ = child.kill(); // SIGKILL on Unix
        let _ = child.wait();
        let now = snapshot(&public);
        assert!(
            now == expected[0] || now == expected[1],
            "after kill {i}, public/ is neither complete site ({} files)",
            now.len()
        );
    }
    assert!(
        killed_mid_build >= 8,
        "only {killed_mid_build} builds were killed before they finished"
    );
    // The next build finishes and leaves nothing beside the output but the spare (the
    // site before, which the build after writes into), and that is a complete site.
    build_into(&public);
    let leftovers: Vec<String> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("clusterdir"))
        .collect();
    assert_eq!(leftovers, [".public.clusterdir-spare"]);
    // It also holds a `.gitignore` of its own, which keeps it out of git.
    let mut spare = snapshot(&root.join(".public.clusterdir-spare"));
    assert!(spare.remove(".gitignore").is_some());
    assert!(spare == expected[0] || spare == expected[1]);
}

/// The peak memory (`VmHWM`) and output size, in KiB, of a build of a generated site
/// of `clusters` clusters, as `build --timings` reports them.
fn peak_and_size(clusters: usize, seed: u64) -> (f64, f64) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    clusterdir::scaffold::generate::generate(&root, clusters, 0, seed).unwrap();
    let s = Command::new(env!("CARGO_BIN_EXE_clusterdir"))
        .arg("--root")
        .arg(&root)
        .args(["--today", "2025-07-01", "build", "--timings", "--output"])
        .arg(dir.path().join("public"))
        .output()
        .unwrap();
    assert!(s.status.success(), "{}", String::from_utf8_lossy(&s.stderr));
    let stdout = String::from_utf8_lossy(&s.stdout);
    let line = stdout.lines().find_map(|l| l.strip_prefix("timings: "));
    let timings: serde_json::Value = serde_json::from_str(line.expect("a timings line")).unwrap();
    let kib = |key: &str| timings[key].as_f64().unwrap_or_else(|| panic!("{key}"));
    (kib("peak_rss_kib"), kib("bytes") / 1024.0)
}

#[test]
fn a_build_writes_its_files_as_they_are_made_instead_of_holding_them() {
    // Pages and data files are streamed into the staging folder, so memory grows by
    // much less than the output does: about 0.4 KiB per KiB of output from 100 to 300
    // clusters, where holding every file grew it by 1.5 KiB.
    let mut rng = fastrand::Rng::with_seed(21);
    let small = rng.usize(80..120);
    let seed = rng.u64(..1000);
    let (peak_small, size_small) = peak_and_size(small, seed);
    let (peak_big, size_big) = peak_and_size(small * 3, seed);
    let grown = (peak_big - peak_small) / (size_big - size_small);
    assert!(
        grown < 0.9,
        "{small} to {} clusters: memory grew by {grown:.2} KiB per KiB of output",
        small * 3
    );
}

#[test]
fn a_build_failing_after_its_pages_are_written_leaves_the_old_site() {
    // A link to a missing #anchor is found only once the pages are rendered, and so
    // written into the staging folder: the old site stays, and nothing is left beside it.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let mut rng = fastrand::Rng::with_seed(5);
    clusterdir::scaffold::generate::generate(&root, rng.usize(3..12), 2, rng.u64(..1000)).unwrap();
    let public = dir.path().join("public");
    let built = clusterdir::build::build(&root, &public);
    assert!(built.is_ok(), "the generated site builds");
    let before = snapshot(&public);
    for _ in 0..3 {
        let anchor: String = (0..rng.usize(4..12)).map(|_| rng.lowercase()).collect();
        let guide = std::fs::read_dir(root.join("content/guides"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|e| e == "md"))
            .unwrap();
        let text = std::fs::read_to_string(&guide).unwrap();
        std::fs::write(&guide, format!("{text}\n\n[More](/clusters/#{anchor})\n")).unwrap();
        let Err(checked) = clusterdir::build::build(&root, &public) else {
            panic!("a link to a missing #{anchor} builds");
        };
        assert!(
            checked.report(false).contains(&format!("no #{anchor}")),
            "{}",
            checked.report(false)
        );
        std::fs::write(&guide, text).unwrap();
        assert_eq!(snapshot(&public), before, "the old site is untouched");
        let beside: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("clusterdir"))
            .collect();
        assert!(beside.is_empty(), "{beside:?}");
    }
}
