//! The machine's faults: a content file that cannot be read, an output folder that
//! cannot be written, and a write that fails part-way (as on a full disk). Each gives
//! an error naming the path, and the last good site is left exactly as it was.
//!
//! Permission checks do not apply to root, so when the tests run as root (as in CI)
//! the build runs as the unprivileged user `nobody` (through `setpriv`).

#![cfg(unix)]

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.trim_ascii() == b"0")
}

const NOBODY: u32 = 65534;

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// A site (the full fixture) already built once into `<site>/public`, owned by the user
/// the build runs as (`nobody` when the tests run as root), with a copy of the binary
/// that user can run.
struct Site {
    dir: tempfile::TempDir,
    binary: PathBuf,
}

impl Site {
    fn new() -> Site {
        let dir = common::full_fixture();
        common::build(dir.path());
        let binary = dir.path().join("clusterdir");
        std::fs::copy(env!("CARGO_BIN_EXE_clusterdir"), &binary).unwrap();
        for entry in walkdir::WalkDir::new(dir.path()) {
            let entry = entry.unwrap();
            let mode = if entry.file_type().is_dir() || entry.path() == binary {
                0o755
            } else {
                0o644
            };
            chmod(entry.path(), mode);
            if is_root() {
                std::os::unix::fs::chown(entry.path(), Some(NOBODY), Some(NOBODY)).unwrap();
            }
        }
        Site { dir, binary }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn public(&self) -> PathBuf {
        self.root().join("public")
    }

    /// The site's copy of clusterdir, run with `args` without root's power to ignore
    /// permissions (as `nobody` when the tests run as root); `shell` runs first (in
    /// bash), for limits.
    fn command(&self, shell: &str, args: &[&str]) -> Command {
        let mut cmd = if is_root() {
            let mut c = Command::new("setpriv");
            c.args([
                &format!("--reuid={NOBODY}"),
                &format!("--regid={NOBODY}"),
                "--clear-groups",
                "bash",
            ]);
            c
        } else {
            Command::new("bash")
        };
        cmd.arg("-c")
            .arg(format!("{shell}\nexec \"$@\""))
            .arg("bash")
            .arg(&self.binary)
            .arg("--root")
            .arg(self.root())
            .args(["--today", "2025-07-01"])
            .args(args);
        cmd
    }

    /// Run `build` (see [`Site::command`]).
    fn build(&self, shell: &str) -> Output {
        self.command(shell, &["build"])
            .output()
            .expect("run the build")
    }

    /// Build, expect failure with `needles` in the message, and check the last good
    /// site is untouched and no staging folder is left.
    fn assert_fails_keeping_site(&self, shell: &str, needles: &[&str]) {
        let before = common::snapshot(&self.public());
        let out = self.build(shell);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            out.status.code(),
            Some(1),
            "expected a clean failure:\n{stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
        for n in needles {
            assert!(stderr.contains(n), "expected {n:?} in:\n{stderr}");
        }
        assert!(
            common::snapshot(&self.public()) == before,
            "the last good site changed"
        );
        let leftovers: Vec<_> = std::fs::read_dir(self.root())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("clusterdir-"))
            .collect();
        assert!(leftovers.is_empty(), "left behind: {leftovers:?}");
    }
}

#[test]
fn an_unreadable_content_file_is_named() {
    let site = Site::new();
    let locked = site.root().join("content/clusters/minimal.toml");
    chmod(&locked, 0o000);
    site.assert_fails_keeping_site(
        "",
        &[
            "content/clusters/minimal.toml",
            "could not read this file",
            "ermission denied",
        ],
    );
}

#[test]
fn an_output_folder_that_cannot_be_written_is_named() {
    let site = Site::new();
    // The new site is written beside public/ before the swap: make that impossible.
    chmod(site.root(), 0o555);
    site.assert_fails_keeping_site("", &[site.root().to_str().unwrap(), "ermission denied"]);
    chmod(site.root(), 0o755);
}

#[test]
fn a_write_that_fails_part_way_keeps_the_last_good_site() {
    let site = Site::new();
    // A new title changes every page, so every page is written again (unchanged files
    // would be carried over from the last build without writing).
    let config = site.root().join("content/site.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, text.replacen("title = \"", "title = \"New ", 1)).unwrap();
    // No file may grow past 8 KiB, as if the disk filled up during the build: writes
    // of larger files fail ("File too large") instead of stopping the process.
    site.assert_fails_keeping_site(
        "trap '' XFSZ; ulimit -f 8",
        &[
            "could not write",
            "File too large",
            "previous site was left as it was",
        ],
    );
}

/// Every file under `dir` whose name marks it as one of clusterdir's temporary files.
fn temporary_files(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .map(|e| e.into_path())
        .filter(|p| {
            p.to_string_lossy().contains("clusterdir-") && !p.ends_with(".clusterdir-output")
        })
        .collect()
}

#[test]
fn a_preview_rebuild_that_fails_part_way_keeps_the_site_being_served_whole() {
    use std::io::BufRead;
    let site = Site::new();
    let config = site.root().join("content/site.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    let before = common::snapshot(&site.public());
    // `serve` under the same limit: its first look finds every file unchanged (nothing
    // to write); then a new title changes every page, and the larger pages cannot be
    // written, as on a full disk.
    let child = site
        .command("trap '' XFSZ; ulimit -f 8", &["serve", "--port", "0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut server = common::Server(child);
    let mut out = std::io::BufReader::new(server.0.stdout.take().unwrap()).lines();
    let mut err = std::io::BufReader::new(server.0.stderr.take().unwrap()).lines();
    common::serve_port(&mut out);
    std::thread::spawn(move || for _ in out {});
    std::fs::write(&config, text.replacen("title = \"", "title = \"New ", 1)).unwrap();
    let mut said = String::new();
    for line in (&mut err).map_while(Result::ok) {
        said.push_str(&line);
        said.push('\n');
        if line.starts_with("Build failed") {
            break;
        }
    }
    std::thread::spawn(move || for _ in err {});
    assert!(said.contains("File too large"), "{said}");
    assert!(said.contains("still serving the last good site"), "{said}");
    assert!(
        common::snapshot(&site.public()) == before,
        "the served site changed after a failed write: {said}"
    );
    assert_eq!(temporary_files(site.root()), Vec::<PathBuf>::new());
    // Put the title back: the next rebuild succeeds and needs to write nothing.
    std::fs::write(&config, &text).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert!(common::snapshot(&site.public()) == before);
    assert_eq!(temporary_files(site.root()), Vec::<PathBuf>::new());
}
