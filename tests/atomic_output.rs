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
    // The next build finishes and leaves nothing beside the output.
    build_into(&public);
    let leftovers: Vec<String> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("clusterdir"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
