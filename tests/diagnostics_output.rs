//! How problems are shown to a comms officer: errors before warnings, the warnings
//! about records not checked for a year as one block, counts in every summary line,
//! colour only for a terminal (and never with NO_COLOR), and `serve` telling the truth
//! when there is no earlier site to show.

mod common;

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};

use common::*;

/// The real site with the address it is published at, so that its only warnings are
/// the stale records (without `base_url`, check also warns that the feed cannot be
/// validated).
fn real_site() -> tempfile::TempDir {
    let dir = common::real_site();
    let site_toml = dir.path().join("content/site.toml");
    let text = std::fs::read_to_string(&site_toml).unwrap();
    let text = format!("base_url = \"https://directory.example.org/\"\n{text}");
    std::fs::write(&site_toml, text).unwrap();
    dir
}

/// The real site (9 records not checked for 12 months on this date) with one broken
/// link in a page, which sorts after every cluster record.
fn real_site_with_one_error() -> tempfile::TempDir {
    let dir = real_site();
    let page = dir.path().join("content/pages/accessibility.md");
    let mut text = std::fs::read_to_string(&page).unwrap();
    text.push_str("\nSee [fish & \"chips\"](/nowhere/).\n");
    std::fs::write(&page, text).unwrap();
    dir
}

const TODAY: &str = "2026-11-23";
const ERROR: &str = "this link goes to /nowhere/, which is not a page of this site";
const HEADING: &str = "warning: 9 records were last checked more than 12 months ago";

#[test]
fn check_shows_errors_before_warnings_and_stale_records_as_one_block() {
    let site = real_site_with_one_error();
    let out = run(site.path(), &["--today", TODAY, "check"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    let error_at = err
        .find(ERROR)
        .unwrap_or_else(|| panic!("no error in:\n{err}"));
    let warning_at = err.find("warning").expect("the warnings are shown");
    assert!(error_at < warning_at, "a warning before the error:\n{err}");
    assert_eq!(err.matches(HEADING).count(), 1, "{err}");
    assert_eq!(err.matches("warning:").count(), 1, "one block:\n{err}");
    assert_eq!(
        err.matches("last checked 24 July 2014, over 12 years ago")
            .count(),
        8,
        "{err}"
    );
    assert!(
        err.contains("content/clusters/arm.toml:15:17")
            && err.contains("last checked January 2016, over 10 years ago"),
        "{err}"
    );
    assert_eq!(err.matches("= help: confirm").count(), 1, "{err}");
    assert!(err.contains("Found 1 error and 9 warnings."), "{err}");
    // The block is short: heading, 9 lines, the hint.
    let block: Vec<&str> = err[warning_at..]
        .lines()
        .take_while(|l| !l.is_empty())
        .collect();
    assert_eq!(block.len(), 11, "{block:#?}");
}

#[test]
fn json_lists_each_warning_separately_and_errors_first() {
    let site = real_site_with_one_error();
    let out = run(
        site.path(),
        &["--today", TODAY, "check", "--format", "json"],
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["errors"].as_array().unwrap().len(), 1, "{text}");
    let warnings = v["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 9, "{text}");
    assert!(warnings.iter().all(|w| w["message"]
        .as_str()
        .unwrap()
        .starts_with("this record was last checked ")));
    assert!(text.find("\"errors\"").unwrap() < text.find("\"warnings\"").unwrap());
}

#[test]
fn build_counts_the_warnings_and_shows_the_errors() {
    let site = real_site();
    let out = run(site.path(), &["--today", TODAY, "build"]);
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("(9 warnings: run clusterdir check to see them)"),
        "{stdout}"
    );
    let site = real_site_with_one_error();
    let out = run(site.path(), &["--today", TODAY, "build"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(ERROR), "{err}");
    assert!(
        !err.contains("last checked"),
        "warnings listed by build:\n{err}"
    );
    assert!(
        err.contains("Build failed with 1 error and 9 warnings"),
        "{err}"
    );
}

#[test]
fn no_colour_codes_in_a_pipe_or_with_no_color() {
    let site = real_site_with_one_error();
    let out = run(site.path(), &["--today", TODAY, "check"]);
    assert!(!String::from_utf8_lossy(&out.stderr).contains('\x1b'));

    // In a terminal (faked with `script`): colour, unless NO_COLOR.
    let script = which_script().expect(
        "`script` (util-linux, in every Debian system) is needed to fake a terminal: apt-get install -y bsdutils",
    );
    let line = format!(
        "{} --root {} --today {TODAY} check",
        env!("CARGO_BIN_EXE_clusterdir"),
        site.path().display()
    );
    let in_terminal = |no_color: Option<&str>| {
        let mut cmd = Command::new(&script);
        cmd.args(["-qec", &line, "/dev/null"]);
        cmd.env_remove("NO_COLOR");
        if let Some(v) = no_color {
            cmd.env("NO_COLOR", v);
        }
        let out = cmd.output().unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let coloured = in_terminal(None);
    assert!(coloured.contains(ERROR), "{coloured}");
    assert!(
        coloured.contains('\x1b'),
        "no colour in a terminal:\n{coloured}"
    );
    let plain = in_terminal(Some("1"));
    assert!(plain.contains(ERROR), "{plain}");
    assert!(!plain.contains('\x1b'), "colour with NO_COLOR:\n{plain}");
    assert!(
        in_terminal(Some("")).contains('\x1b'),
        "an empty NO_COLOR counts as unset"
    );
}

fn which_script() -> Result<std::path::PathBuf, ()> {
    ["/usr/bin/script", "/bin/script"]
        .into_iter()
        .map(std::path::PathBuf::from)
        .find(|p| p.is_file())
        .ok_or(())
}

/// Start `serve` with stdout and stderr piped: the server, its port, the lines it
/// printed to stdout before its address, and its stderr (read when it stops).
fn serve_piped(root: &std::path::Path) -> (Server, u16, Vec<String>, std::process::ChildStderr) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_clusterdir"))
        .arg("--root")
        .arg(root)
        .args(["--today", TODAY, "serve", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .env_remove("NO_COLOR")
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let (port, before) = common::serve_port_and_lines(&mut lines);
    std::thread::spawn(move || for _ in lines {});
    (Server(child), port, before, stderr)
}

#[test]
fn serve_with_broken_content_and_no_earlier_site_answers_with_the_errors() {
    let site = real_site_with_one_error();
    let (server, port, _, mut stderr_pipe) = serve_piped(site.path());
    let (head, body) = get_with_head(port, "/");
    assert!(head.contains("text/html"), "{head}");
    assert!(!body.contains("Not found"), "{body}");
    assert!(body.contains("Nothing to show yet"), "{body}");
    assert!(body.contains(ERROR), "{body}");
    // The source line is shown escaped, never as markup.
    assert!(body.contains("[fish &amp; &quot;chips&quot;]"), "{body}");
    assert!(!body.contains("fish & "), "{body}");
    assert!(
        body.contains("<script src=\"/__clusterdir/reload.js\""),
        "{body}"
    );
    // Errors in full, warnings counted (not listed).
    assert!(!body.contains("last checked"), "{body}");
    assert!(body.contains("9 warnings"), "{body}");
    let (_, status) = get(port, "/__clusterdir/status");
    assert!(status.contains("\"last_good\":false"), "{status}");

    drop(server);
    let mut stderr = String::new();
    stderr_pipe.read_to_string(&mut stderr).unwrap();
    assert!(stderr.contains(ERROR), "{stderr}");
    assert!(!stderr.contains("last good site"), "{stderr}");
    assert!(stderr.contains("nothing to show yet"), "{stderr}");
    assert!(
        stderr.contains("Build failed with 1 error and 9 warnings"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("last checked"),
        "warnings listed:\n{stderr}"
    );
    assert!(
        !stderr.contains('\x1b'),
        "colour codes into a pipe:\n{stderr}"
    );
}

#[test]
fn serve_with_broken_content_keeps_an_earlier_site_and_says_so() {
    let site = real_site();
    let out = run(site.path(), &["--today", TODAY, "build"]);
    assert!(out.status.success());
    let page = site.path().join("content/pages/accessibility.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, format!("{text}\n[gone](/nowhere/)\n")).unwrap();
    let (server, port, _, mut stderr_pipe) = serve_piped(site.path());
    let (status, body) = get(port, "/");
    assert!(status.contains("200"), "{status}");
    assert!(!body.contains("Nothing to show yet"));
    drop(server);
    let mut stderr = String::new();
    stderr_pipe.read_to_string(&mut stderr).unwrap();
    assert!(
        stderr.contains("still serving the last good site"),
        "{stderr}"
    );
}

#[test]
fn first_serve_into_an_empty_folder_does_not_claim_the_rest_unchanged() {
    let site = real_site();
    let (server, _, before, _) = serve_piped(site.path());
    let built = before
        .iter()
        .find(|l| l.starts_with("Built "))
        .unwrap_or_else(|| panic!("{before:#?}"));
    assert!(!built.contains("unchanged"), "{built}");
    assert!(built.contains("pages rendered"), "{built}");
    assert!(built.contains("9 warnings"), "{built}");
    drop(server);
    // A second serve over the first one's site: now the rest is unchanged.
    let (_server, _, before, _) = serve_piped(site.path());
    let built = before.iter().find(|l| l.starts_with("Built ")).unwrap();
    assert!(built.contains("the rest unchanged"), "{built}");
}
