//! Which theme a site uses, and reading the files of a site's theme, `templates/` and
//! `static/` without ever leaving the site folder.
//!
//! `theme` in `site.toml` names a folder under `themes/` (or `default`, the built-in
//! theme, which a `themes/default/` folder may override file by file); never a path.
//! A symbolic link anywhere on the way to those files, or among them, is refused (as
//! in `content/`): a link could publish files from elsewhere on the computer.

use std::path::{Path, PathBuf};

use crate::content::model::SiteConfig;
use crate::diagnostics::{did_you_mean, Diagnostic, Diagnostics};

/// The name of the built-in theme.
pub const BUILT_IN: &str = "default";

const CONFIG_FILE: &str = "content/site.toml";

/// The theme a site uses: its name, and its folder in the site (if it has one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    pub name: String,
    /// `themes/<name>/` in the site, when the site has one (relative to the site).
    pub folder: Option<PathBuf>,
}

impl Theme {
    /// The built-in theme alone.
    pub fn built_in() -> Theme {
        Theme {
            name: BUILT_IN.into(),
            folder: None,
        }
    }

    /// The theme `site.toml` names. A name that is a path, or names no folder under
    /// `themes/`, is an error (with the themes there are); the built-in theme is used
    /// meanwhile so the rest of the site is still checked.
    pub fn resolve(root: &Path, config: &SiteConfig, diags: &mut Diagnostics) -> Theme {
        let Some(setting) = &config.theme else {
            return Theme::with_folder(root, BUILT_IN);
        };
        let name = setting.get_ref().as_str();
        let span = Some(setting.span());
        let valid = !name.is_empty()
            && !name.starts_with('.')
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.');
        if !valid {
            diags.push(
                Diagnostic::error(
                    CONFIG_FILE,
                    span,
                    format!("theme {name:?} is not the name of a theme"),
                )
                .with_hint("give the name of a folder in themes/ (letters, digits, -, _ and .), not a path, or leave `theme` out for the built-in theme"),
            );
            return Theme::built_in();
        }
        let theme = Theme::with_folder(root, name);
        if theme.folder.is_none() && name != BUILT_IN {
            let known = installed(root);
            let hint = match did_you_mean(name, known.iter().map(String::as_str)) {
                Some(near) => format!("did you mean \"{near}\"? The themes are: {}", known.join(", ")),
                None => format!(
                    "the themes are: {}; a theme is a folder in themes/ with templates/ and static/ inside",
                    known.join(", ")
                ),
            };
            diags.push(
                Diagnostic::error(
                    CONFIG_FILE,
                    span,
                    format!("there is no theme {name:?}: no folder themes/{name}/"),
                )
                .with_hint(hint),
            );
            return Theme::built_in();
        }
        theme
    }

    fn with_folder(root: &Path, name: &str) -> Theme {
        let folder = Path::new("themes").join(name);
        Theme {
            name: name.into(),
            folder: root.join(&folder).is_dir().then_some(folder),
        }
    }

    /// The folders a kind of file (`templates` or `static`) is read from, later ones
    /// overriding earlier ones by name: the theme's, then the site's own (relative to
    /// the site).
    pub fn layers(&self, kind: &str) -> Vec<PathBuf> {
        let mut dirs: Vec<PathBuf> = self.folder.iter().map(|f| f.join(kind)).collect();
        dirs.push(PathBuf::from(kind));
        dirs
    }
}

/// The themes a site can name: the built-in one and every folder under `themes/`.
fn installed(root: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root.join("themes"))
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with('.'))
        .collect();
    if !names.iter().any(|n| n == BUILT_IN) {
        names.push(BUILT_IN.into());
    }
    names.sort();
    names
}

/// A file of a theme or of the site's `templates/` or `static/`.
pub struct SiteFile {
    /// Its name within the folder, `/`-separated (`root/CNAME`, `fonts/a.woff2`).
    pub name: String,
    /// Where it is, relative to the site (for messages).
    pub shown: PathBuf,
}

/// Every file under `dir` (relative to the site at `root`), in name order. A symbolic
/// link (the folder itself, a folder on the way to it, or anything inside) is an error
/// and is not followed.
pub fn site_files(root: &Path, dir: &Path, diags: &mut Diagnostics) -> Vec<SiteFile> {
    let mut on_the_way = PathBuf::new();
    for part in dir.components() {
        on_the_way.push(part);
        match std::fs::symlink_metadata(root.join(&on_the_way)) {
            Err(_) => return Vec::new(),
            Ok(m) if m.file_type().is_symlink() => {
                diags.push(link_refused(&on_the_way));
                return Vec::new();
            }
            Ok(_) => {}
        }
    }
    let mut out = Vec::new();
    let full = root.join(dir);
    for entry in walkdir::WalkDir::new(&full)
        .min_depth(1)
        .sort_by_file_name()
    {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let shown = e
                    .path()
                    .map_or_else(|| dir.to_path_buf(), |p| shown(root, p));
                diags.push(Diagnostic::error(
                    shown,
                    None,
                    format!("could not read this folder: {e}"),
                ));
                continue;
            }
        };
        if entry.path_is_symlink() {
            diags.push(link_refused(&shown(root, entry.path())));
        } else if entry.file_name().to_str().is_none() {
            diags.push(
                Diagnostic::error(
                    shown(root, entry.path()),
                    None,
                    "this name is not valid UTF-8, so it cannot be a web address",
                )
                .with_hint("rename it with letters, digits, - and _"),
            );
        } else if entry.file_type().is_file() {
            let name = entry
                .path()
                .strip_prefix(&full)
                .unwrap_or(entry.path())
                .to_string_lossy()
                .replace('\\', "/");
            out.push(SiteFile {
                name,
                shown: shown(root, entry.path()),
            });
        }
    }
    out
}

fn shown(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

fn link_refused(path: &Path) -> Diagnostic {
    Diagnostic::error(
        path,
        None,
        "this is a symbolic link: clusterdir does not follow links in themes, templates or static files",
    )
    .with_hint("a link could publish files from elsewhere on this computer; copy the file or folder here instead")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(theme: Option<&str>) -> SiteConfig {
        let line = theme
            .map(|t| format!("theme = {t:?}\n"))
            .unwrap_or_default();
        toml::from_str(&format!(
            "title = \"t\"\ndescription = \"d\"\ncity = \"c\"\n{line}[contact]\nname = \"n\"\n"
        ))
        .unwrap()
    }

    #[test]
    fn a_theme_is_a_folder_name_never_a_path() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("themes/calm/static")).unwrap();
        std::fs::create_dir_all(dir.path().join("outside/static")).unwrap();
        let resolve = |t: Option<&str>| {
            let mut diags = Diagnostics::default();
            let theme = Theme::resolve(dir.path(), &config(t), &mut diags);
            (theme, diags.iter().cloned().collect::<Vec<_>>())
        };
        let (calm, problems) = resolve(Some("calm"));
        assert!(problems.is_empty());
        assert_eq!(calm.folder, Some(PathBuf::from("themes/calm")));
        let (builtin, problems) = resolve(None);
        assert!(problems.is_empty() && builtin.folder.is_none());
        for bad in [
            "../outside",
            "/etc",
            "calm/../../outside",
            "..",
            ".",
            "",
            "a\\b",
            "ca lm",
        ] {
            let (theme, problems) = resolve(Some(bad));
            assert_eq!(theme, Theme::built_in(), "{bad}");
            assert_eq!(problems.len(), 1, "{bad}");
            assert!(
                problems[0].span.is_some(),
                "{bad}: the message points at the line"
            );
        }
        let (_, problems) = resolve(Some("clam"));
        assert!(
            problems[0]
                .hint
                .as_deref()
                .unwrap()
                .contains("did you mean \"calm\""),
            "{problems:?}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn links_out_of_the_site_are_refused_wherever_they_are() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.txt"), "private").unwrap();
        for link_at in [
            "static",
            "static/img",
            "themes",
            "themes/calm",
            "themes/calm/static",
        ] {
            let dir = tempfile::tempdir().unwrap();
            let link = dir.path().join(link_at);
            std::fs::create_dir_all(link.parent().unwrap()).unwrap();
            std::os::unix::fs::symlink(outside.path(), &link).unwrap();
            for folder in [Path::new("static"), Path::new("themes/calm/static")] {
                if !Path::new(link_at).starts_with(folder) && !folder.starts_with(link_at) {
                    continue;
                }
                let mut diags = Diagnostics::default();
                let files = site_files(dir.path(), folder, &mut diags);
                assert!(files.is_empty(), "{link_at} in {folder:?}");
                assert_eq!(diags.error_count(), 1, "{link_at} in {folder:?}");
            }
        }
    }
}
