//! The static files a site publishes, copied byte for byte (images, icons, fonts and
//! PDFs as well as styles and scripts): the built-in theme's, then the theme folder's,
//! then the site's own `static/`, later ones replacing earlier ones by name. Files
//! under `root/` in any of them are published at the top of the site (`CNAME`,
//! `.nojekyll`, `favicon.ico`, `.well-known/security.txt`, `_redirects`), the rest under
//! `/static/`. A root file may not take the place of a file the site makes, except
//! [`REPLACEABLE`] ones; a [`MERGED`] one goes in front of the site's.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::Output;
use crate::pages::theme::{site_files, Theme};
use crate::routes;

/// The folder, inside `static/`, whose files go to the top of the site.
pub const ROOT_FOLDER: &str = "root/";

/// Files the site makes that a root file may replace.
pub const REPLACEABLE: &[&str] = &["robots.txt"];

/// Files the site makes that a root file goes in front of: the host's rules
/// (`_redirects`, where the host uses the first rule that matches), so the site's own
/// rules win and the ones the site makes (the feed's addresses) still apply after them.
pub const MERGED: &[&str] = &["_redirects"];

/// Embed files of the built-in default theme's `static/`: `(name, bytes)` pairs.
macro_rules! embed_static {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_bytes!(concat!("../../themes/default/static/", $name)))),*]
    };
}

/// The built-in default theme's static files.
const BUILT_IN: &[(&str, &[u8])] = embed_static!(
    "style.css",
    "noscript.css",
    "syntax.css",
    "search-core.mjs",
    "confusables.mjs",
    "search.mjs",
    "quick-exit.mjs",
    "cluster.mjs",
    "print.mjs",
    "offer-pending.js",
    "favicon.svg",
    "root/favicon.ico",
);

/// A static file: where it came from (for messages) and its bytes.
struct Asset {
    shown: PathBuf,
    bytes: Vec<u8>,
}

/// Add every static file to `out`: `/static/` files, then root files, which may not
/// take the place of a file already there (call this once every other file is made).
pub fn publish(root: &Path, theme: &Theme, out: &mut Output, diags: &mut Diagnostics) {
    let (statics, roots): (Vec<_>, Vec<_>) = read_all(root, theme, diags)
        .into_iter()
        .partition(|(name, _)| !name.starts_with(ROOT_FOLDER));
    for (name, asset) in statics {
        out.insert(static_path(&name), asset.bytes);
    }
    let taken = Taken::new(out, !roots.is_empty());
    for (name, asset) in roots {
        let at = name[ROOT_FOLDER.len()..].to_string();
        if let Some(what) = taken.clash(&at) {
            diags.push(
                Diagnostic::error(&asset.shown, None, format!("this file would take the place of {what}"))
                    .with_hint(format!(
                        "rename or remove it; of the files the site makes, only {} may be replaced from {ROOT_FOLDER}",
                        REPLACEABLE.join(", ")
                    )),
            );
            continue;
        }
        let bytes = match out.remove(&at).filter(|_| MERGED.contains(&at.as_str())) {
            Some(made) => merged(asset.bytes, &made),
            None => asset.bytes,
        };
        out.insert(at, bytes);
    }
}

/// A site's own rules, then the ones the site makes, on lines of their own.
fn merged(mut own: Vec<u8>, made: &[u8]) -> Vec<u8> {
    if !own.is_empty() && !own.ends_with(b"\n") {
        own.push(b'\n');
    }
    own.extend_from_slice(made);
    own
}

/// The paths the site makes, to find root files that would take their place. Hosts
/// differ in whether `Index.html` and `index.html` are one file, so case is ignored.
struct Taken {
    lower: std::collections::BTreeSet<String>,
}

impl Taken {
    fn new(out: &Output, needed: bool) -> Taken {
        let lower = if needed {
            out.keys().map(|k| k.to_lowercase()).collect()
        } else {
            Default::default()
        };
        Taken { lower }
    }

    /// What a root file at `at` would replace, in words, if anything: a file the site
    /// makes (but a [`REPLACEABLE`] one), a folder it makes, a file where it needs a
    /// folder, or the output folder's mark.
    fn clash(&self, at: &str) -> Option<String> {
        let key = at.to_lowercase();
        if key == crate::output::guard::MARKER {
            return Some("the mark clusterdir leaves in its output folder".into());
        }
        let allowed = REPLACEABLE.contains(&key.as_str()) || MERGED.contains(&key.as_str());
        if self.lower.contains(&key) && !allowed {
            return Some(format!("/{at}, which the site makes"));
        }
        let inside = format!("{key}/");
        if let Some(made) = self
            .lower
            .range(inside.clone()..)
            .next()
            .filter(|k| k.starts_with(&inside))
        {
            return Some(format!("the folder /{at}/, where the site makes /{made}"));
        }
        let mut end = key.len();
        while let Some(slash) = key[..end].rfind('/') {
            let folder = &key[..slash];
            if self.lower.contains(folder) {
                return Some(format!("a folder where the site makes the file /{folder}"));
            }
            end = slash;
        }
        None
    }
}

/// Every static file by name, later layers replacing earlier ones.
fn read_all(root: &Path, theme: &Theme, diags: &mut Diagnostics) -> BTreeMap<String, Asset> {
    let mut all: BTreeMap<String, Asset> = BUILT_IN
        .iter()
        .map(|(name, bytes)| {
            let shown = PathBuf::from(format!("(built-in)/themes/default/static/{name}"));
            let asset = Asset {
                shown,
                bytes: bytes.to_vec(),
            };
            (name.to_string(), asset)
        })
        .collect();
    for dir in theme.layers("static") {
        for file in site_files(root, &dir, diags) {
            match std::fs::read(root.join(&file.shown)) {
                Ok(bytes) => {
                    let shown = file.shown;
                    all.insert(file.name, Asset { shown, bytes });
                }
                Err(e) => diags.push(Diagnostic::error(
                    file.shown,
                    None,
                    format!("could not read this file: {e}"),
                )),
            }
        }
    }
    all
}

/// Where a static file goes in the output (`static/style.css`).
fn static_path(name: &str) -> String {
    routes::output_path(&format!("{}{name}", routes::files::STATIC))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site_with(files: &[(&str, &[u8])]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, bytes) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, bytes).unwrap();
        }
        dir
    }

    #[test]
    fn every_byte_of_every_file_is_copied() {
        // Every byte value, and sequences that are not UTF-8.
        let all_bytes: Vec<u8> = (0..=255u8).chain([0xff, 0xfe, 0xc3, 0x28]).collect();
        let dir = site_with(&[
            ("static/img/logo.png", &all_bytes),
            ("themes/calm/static/fonts/a.woff2", &all_bytes[100..]),
            (
                "static/root/.well-known/security.txt",
                b"Contact: mailto:a@example.org\n",
            ),
            ("static/root/CNAME", b"directory.example.org"),
            ("static/root/.nojekyll", b""),
        ]);
        let theme = Theme {
            name: "calm".into(),
            folder: Some("themes/calm".into()),
        };
        let mut out = Output::new();
        let mut diags = Diagnostics::default();
        publish(dir.path(), &theme, &mut out, &mut diags);
        assert_eq!(diags.error_count(), 0);
        assert_eq!(out["static/img/logo.png"], all_bytes);
        assert_eq!(out["static/fonts/a.woff2"], &all_bytes[100..]);
        assert_eq!(out["CNAME"], b"directory.example.org");
        assert!(out.contains_key(".nojekyll") && out.contains_key(".well-known/security.txt"));
        assert!(out.contains_key("favicon.ico") && out.contains_key("static/favicon.svg"));
        assert!(!out.keys().any(|k| k.starts_with("static/root")));
    }

    #[test]
    fn a_root_file_may_not_take_the_place_of_a_made_file_but_robots_txt() {
        let dir = site_with(&[
            ("static/root/index.html", b"<p>mine</p>"),
            ("static/root/robots.txt", b"User-agent: *\nDisallow: /\n"),
            ("static/root/static/style.css", b"x"),
        ]);
        let mut out = crate::output::output_of(&[("index.html", "made"), ("robots.txt", "made")]);
        let mut diags = Diagnostics::default();
        publish(dir.path(), &Theme::built_in(), &mut out, &mut diags);
        assert_eq!(out["index.html"], b"made");
        assert_eq!(out["robots.txt"], b"User-agent: *\nDisallow: /\n");
        let files: Vec<_> = diags.iter().map(|d| d.file.display().to_string()).collect();
        assert_eq!(
            files,
            ["static/root/index.html", "static/root/static/style.css"]
        );
    }

    /// A site's own `_redirects` goes first (the host uses the first rule that
    /// matches), whether or not it ends its last line, and the made rules follow whole.
    #[test]
    fn a_sites_own_redirects_go_in_front_of_the_made_ones() {
        for own in [&b"/old /clusters/ 301\n"[..], b"/old /clusters/ 301", b""] {
            let dir = site_with(&[("static/root/_redirects", own)]);
            let made = "/oruk /oruk/index.json 200\n";
            let mut out = crate::output::output_of(&[("_redirects", made)]);
            let mut diags = Diagnostics::default();
            publish(dir.path(), &Theme::built_in(), &mut out, &mut diags);
            assert_eq!(diags.error_count(), 0);
            let text = String::from_utf8(out["_redirects"].clone()).unwrap();
            assert!(
                text.starts_with(std::str::from_utf8(own).unwrap()),
                "{text}"
            );
            assert!(text.ends_with(made), "{text}");
            let lines = if own.is_empty() { 1 } else { 2 };
            assert_eq!(text.lines().count(), lines, "{text}");
        }
    }
}
