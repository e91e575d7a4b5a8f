//! A publisher's moves: pointing `build` and `serve` at a folder, publishing files at the
//! top of the site, binary static files, and themes. Nothing clusterdir did not make is
//! ever lost, and folders the build reads are never written.

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};

/// Every file under `dir` (names and bytes), following nothing.
fn everything(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let name = e.path().strip_prefix(dir).unwrap().display().to_string();
            (name, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

fn run(root: &Path, args: &[&str]) -> Output {
    // From the site's folder, as a publisher runs it (a relative --output is relative
    // to where the command runs).
    Command::new(env!("CARGO_BIN_EXE_clusterdir"))
        .current_dir(root)
        .arg("--root")
        .arg(root)
        .args(["--today", "2025-07-01"])
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `build` and `serve` refuse `output`, saying so, and nothing anywhere changes.
fn assert_refused(world: &Path, root: &Path, output: &Path, needle: &str) {
    let before = everything(world);
    for command in ["build", "serve"] {
        let mut args = vec![command, "--output", output.to_str().unwrap()];
        if command == "serve" {
            args.extend(["--port", "0"]);
        }
        // `--force` never overrides these refusals; a refused serve stops at once.
        args.push("--force");
        let out = run(root, &args);
        let text = stderr(&out);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{command} --output {output:?}:\n{text}"
        );
        assert!(
            text.contains(needle),
            "{command} --output {output:?}: expected {needle:?} in\n{text}"
        );
        assert!(text.contains("help:"), "{text}");
        assert!(
            everything(world) == before,
            "{command} --output {output:?} changed files"
        );
    }
}

#[test]
fn folders_the_build_reads_and_folders_holding_the_site_are_never_written() {
    let world = tempfile::tempdir().unwrap();
    let root = world.path().join("site");
    common::copy_tree(&common::repo_root().join("tests/fixtures/full"), &root);
    for d in ["static/img", "themes/calm/static", "templates"] {
        std::fs::create_dir_all(root.join(d)).unwrap();
        std::fs::write(root.join(d).join("keep.txt"), d).unwrap();
    }
    std::fs::write(world.path().join("notes.txt"), "mine").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&root, world.path().join("link")).unwrap();
    let cases = [
        (root.clone(), "the site's own folder"),
        (root.join("."), "the site's own folder"),
        (root.join("content"), "inside the site's content/"),
        (root.join("content/clusters/"), "inside the site's content/"),
        (
            root.join("static/../content/new"),
            "inside the site's content/",
        ),
        (
            root.join("not-yet/../content"),
            "goes up (..) from a folder that does not exist yet",
        ),
        // A folder not made yet, then up, then through a link into the site.
        (world.path().join("not-yet/../link/content"), "goes up (..)"),
        (root.join("static"), "inside the site's static/"),
        (root.join("static/public"), "inside the site's static/"),
        (root.join("themes/calm"), "inside the site's themes/"),
        (root.join("templates/out"), "inside the site's templates/"),
        (world.path().to_path_buf(), "holds the site"),
        (root.join(".."), "holds the site"),
        (world.path().join("notes.txt"), "is a file, not a folder"),
    ];
    for (output, needle) in cases {
        assert_refused(world.path(), &root, &output, needle);
    }
}

#[test]
fn a_folder_clusterdir_did_not_make_is_kept_until_force_says_what_goes() {
    let dir = common::full_fixture();
    let docs = dir.path().join("docs");
    std::fs::create_dir_all(docs.join("img")).unwrap();
    std::fs::write(docs.join("CNAME"), "directory.example.org").unwrap();
    std::fs::write(docs.join("img/photo.jpg"), [0xff, 0xd8, 0xff]).unwrap();
    let before = everything(&docs);
    for command in [
        &["build", "--output", "docs"][..],
        &["serve", "--output", "docs", "--port", "0"],
    ] {
        let out = run(dir.path(), command);
        let text = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{text}");
        for needle in [
            "not made by clusterdir",
            "2 files",
            "CNAME, img",
            "static/root/",
            "--force",
        ] {
            assert!(
                text.contains(needle),
                "{command:?}: expected {needle:?} in\n{text}"
            );
        }
        assert!(everything(&docs) == before, "{command:?} changed docs/");
    }
    // With --force, the build says what it removes, then builds.
    let out = run(dir.path(), &["build", "--output", "docs", "--force"]);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        said.contains("will remove 2 files") && said.contains("CNAME, img"),
        "{said}"
    );
    assert!(docs.join("index.html").is_file() && !docs.join("CNAME").exists());
    // From then on the folder is clusterdir's: later builds need no --force.
    let again = run(dir.path(), &["build", "--output", "docs"]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(!String::from_utf8_lossy(&again.stdout).contains("--force"));
}

#[test]
fn the_folder_the_command_runs_in_is_never_the_output() {
    let dir = common::full_fixture();
    let here = tempfile::tempdir().unwrap();
    for output in [".", "./", "sub/.."] {
        let out = Command::new(env!("CARGO_BIN_EXE_clusterdir"))
            .current_dir(here.path())
            .arg("--root")
            .arg(dir.path())
            .args(["build", "--output", output])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{output}");
        assert!(stderr(&out).contains("help:"), "{output}: {}", stderr(&out));
        assert_eq!(
            std::fs::read_dir(here.path()).unwrap().count(),
            0,
            "{output}"
        );
    }
}

#[cfg(unix)]
#[test]
fn a_link_as_the_output_folder_is_refused() {
    let dir = common::full_fixture();
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::write(elsewhere.path().join("keep.txt"), "x").unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), dir.path().join("out")).unwrap();
    let out = run(dir.path(), &["build", "--output", "out", "--force"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("symbolic link"), "{}", stderr(&out));
    assert!(elsewhere.path().join("keep.txt").is_file());
}

#[test]
fn files_for_the_host_are_published_at_the_top_byte_for_byte() {
    let dir = common::full_fixture();
    let root = dir.path();
    let binary: Vec<u8> = (0..=255u8).rev().chain([0xc3, 0x28, 0x00]).collect();
    let files: &[(&str, &[u8])] = &[
        ("static/root/CNAME", b"directory.example.org\n"),
        ("static/root/.nojekyll", b""),
        (
            "static/root/.well-known/security.txt",
            b"Contact: mailto:security@example.org\n",
        ),
        ("static/root/_redirects", b"/old /clusters/ 301\n"),
        (
            "static/root/robots.txt",
            b"User-agent: *\nDisallow: /drafts/\n",
        ),
        ("static/img/logo.png", &binary),
        ("static/files/leaflet.pdf", &binary[7..]),
    ];
    for (path, bytes) in files {
        std::fs::create_dir_all(root.join(path).parent().unwrap()).unwrap();
        std::fs::write(root.join(path), bytes).unwrap();
    }
    let public = common::build(root);
    for (path, bytes) in files {
        let published = path
            .strip_prefix("static/root/")
            .map_or_else(|| path.to_string(), str::to_string);
        let mut read = std::fs::read(public.join(&published)).unwrap();
        if published == "_redirects" {
            // The site's own rules come first; the feed's addresses follow.
            assert!(
                String::from_utf8_lossy(&read[bytes.len()..]).contains("/oruk/services "),
                "the feed's rules follow the site's own"
            );
            read.truncate(bytes.len());
        }
        assert_eq!(&read, bytes, "{published}");
    }
    // The default theme's icons are there, and every page names them.
    assert!(public.join("favicon.ico").is_file() && public.join("static/favicon.svg").is_file());
    for page in common::html_files(&public) {
        let html = std::fs::read_to_string(&page).unwrap();
        assert!(
            html.contains(r#"rel="icon" href="/favicon.ico""#),
            "{page:?}"
        );
    }
}

#[test]
fn a_file_for_the_host_may_not_replace_a_page_the_site_makes() {
    let dir = common::full_fixture();
    let public = common::build(dir.path());
    let before = everything(&public);
    for clash in [
        "index.html",
        "feed.xml",
        "clusters/index.html",
        "static/style.css",
    ] {
        let path = dir.path().join("static/root").join(clash);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, "mine").unwrap();
        let out = run(dir.path(), &["build"]);
        let text = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{clash}: {text}");
        assert!(
            text.contains(&format!("static/root/{clash}"))
                && text.contains("would take the place of"),
            "{clash}: {text}"
        );
        assert!(everything(&public) == before);
        std::fs::remove_file(&path).unwrap();
    }
}

#[cfg(unix)]
#[test]
fn links_out_of_the_site_in_static_templates_or_themes_are_refused() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("id_rsa"), "private key").unwrap();
    std::fs::create_dir_all(outside.path().join("templates")).unwrap();
    for (link, target) in [
        ("static", outside.path().to_path_buf()),
        ("static/secret.txt", outside.path().join("id_rsa")),
        ("templates", outside.path().join("templates")),
        ("themes/calm", outside.path().to_path_buf()),
    ] {
        let dir = common::full_fixture();
        let root = dir.path();
        if link.starts_with("themes/calm") {
            let config = root.join("content/site.toml");
            let text = std::fs::read_to_string(&config).unwrap();
            std::fs::write(&config, format!("theme = \"calm\"\n{text}")).unwrap();
        }
        let at = root.join(link);
        std::fs::create_dir_all(at.parent().unwrap()).unwrap();
        let _ = std::fs::remove_dir_all(&at);
        std::os::unix::fs::symlink(&target, &at).unwrap();
        let out = run(root, &["build"]);
        let text = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{link}: {text}");
        assert!(text.contains("symbolic link"), "{link}: {text}");
        assert!(
            !root.join("public").exists(),
            "{link}: nothing was published"
        );
    }
}

#[test]
fn a_theme_is_named_never_given_as_a_path() {
    let dir = common::full_fixture();
    std::fs::create_dir_all(dir.path().join("themes/calm/templates")).unwrap();
    let config = dir.path().join("content/site.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    for (theme, needle) in [
        ("../../etc", "is not the name of a theme"),
        ("/tmp", "is not the name of a theme"),
        ("clam", "did you mean \"calm\""),
    ] {
        std::fs::write(&config, format!("theme = \"{theme}\"\n{text}")).unwrap();
        let out = run(dir.path(), &["check"]);
        let said = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{theme}: {said}");
        assert!(said.contains(needle), "{theme}: {said}");
        assert!(
            said.contains("content/site.toml:1:"),
            "{theme}: the line is named: {said}"
        );
    }
}
