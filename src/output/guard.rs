//! Whose folder is the output? A build replaces its output folder whole, so clusterdir
//! writes only into a folder that is absent, empty (a `.gitkeep` aside), or carries the
//! mark ([`MARKER`]) it leaves in every folder it writes. Any other folder is refused
//! before any work, with what it holds and how to go on; `--force` takes it over and says
//! exactly what will be removed. Folders the build reads from (the site itself, its
//! `content/`, `static/`, `themes/`, `templates/`, and anything holding the site) are
//! refused even with `--force`.

use std::io;
use std::path::{Component, Path, PathBuf};

/// The file that marks a folder as clusterdir's output.
pub const MARKER: &str = ".clusterdir-output";

const MARKER_TEXT: &str = "This folder is written by clusterdir. Every build replaces it whole:\n\
files put here by hand are removed. To publish a file at the top of the site (CNAME,\n\
.nojekyll, favicon.ico, .well-known/...), put it in the site's static/root/ folder.\n";

/// The line that begins the list of files clusterdir made, in the mark. A file in the
/// folder that the list does not name was put there by someone else.
const LIST_HEADING: &str = "\nFiles it made:\n";

/// Folders of a site that a build reads, and `.clusterdir` (the editor's history of
/// earlier versions of records): no output may be, or be inside, one of them.
const SOURCES: &[&str] = &[
    "content",
    "static",
    "themes",
    "templates",
    ".git",
    ".clusterdir",
];

/// Files a folder may hold and still count as empty.
const KEPT: &[&str] = &[".gitkeep"];

/// An output folder that clusterdir may write.
#[derive(Debug)]
pub struct Claim {
    pub path: PathBuf,
    /// Entries at the top of the folder that clusterdir did not make and that the build
    /// will remove (only with `force`).
    pub foreign: Vec<String>,
    /// How many files those entries hold in all.
    pub foreign_files: usize,
}

impl Claim {
    /// What `--force` will remove, in words, or `None` when nothing.
    pub fn removal_note(&self) -> Option<String> {
        if self.foreign.is_empty() {
            return None;
        }
        Some(format!(
            "--force: {} holds files clusterdir did not make; building will remove {}: {}",
            self.path.display(),
            files_in_words(self.foreign_files),
            name_list(&self.foreign, usize::MAX)
        ))
    }
}

/// Why an output folder may not be written: what is wrong and how to go on.
#[derive(Debug)]
pub struct Refusal {
    pub path: PathBuf,
    pub message: String,
    pub hint: String,
}

/// Decide whether the site at `root` may write its output to `output`.
pub fn claim(root: &Path, output: &Path, force: bool) -> Result<Claim, Refusal> {
    // `public/`, `./public` and `public/.` are the same folder; a trailing `/` would
    // also make a link look like the folder it points to.
    let output = &tidy(output);
    let refuse = |message: String, hint: &str| Refusal {
        path: output.to_path_buf(),
        message,
        hint: hint.to_string(),
    };
    let elsewhere =
        "give a folder of its own with --output (the default is public/ in the site's folder)";
    let Some(out) = resolve(output) else {
        return Err(refuse(
            "the output path goes up (..) from a folder that does not exist yet, so where it leads cannot be known".into(),
            "give the path without .., or create the folders first",
        ));
    };
    let site = resolve(root).unwrap_or_else(|| root.to_path_buf());
    if out == site {
        return Err(refuse(
            "the output folder is the site's own folder: a build would replace the site".into(),
            elsewhere,
        ));
    }
    if site.starts_with(&out) {
        return Err(refuse(
            format!(
                "the output folder holds the site ({}): a build would replace it",
                site.display()
            ),
            elsewhere,
        ));
    }
    for source in SOURCES {
        if resolve(&root.join(source)).is_some_and(|s| out.starts_with(s)) {
            return Err(refuse(
                format!("the output folder is inside the site's {source}/ folder, which the build reads"),
                elsewhere,
            ));
        }
    }
    if let Some(here) = std::env::current_dir().ok().and_then(|d| resolve(&d)) {
        if here.starts_with(&out) {
            return Err(refuse(
                "the output folder is the folder this command runs in, or holds it: a build replaces its output folder whole".into(),
                elsewhere,
            ));
        }
    }
    let meta = match std::fs::symlink_metadata(output) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(claimed(output)),
        Err(e) => {
            return Err(refuse(
                format!("could not look at the output folder: {e}"),
                elsewhere,
            ))
        }
    };
    if meta.file_type().is_symlink() {
        return Err(refuse(
            "the output folder is a symbolic link".into(),
            "give the folder it points to with --output",
        ));
    }
    if !meta.is_dir() {
        return Err(refuse(
            "the output is a file, not a folder".into(),
            "give a folder with --output; clusterdir will not replace a file",
        ));
    }
    let (foreign, foreign_files) = foreign_entries(output)
        .map_err(|e| refuse(format!("could not list the output folder: {e}"), elsewhere))?;
    if foreign.is_empty() || force {
        return Ok(Claim {
            path: output.to_path_buf(),
            foreign,
            foreign_files,
        });
    }
    let whose = if is_marked(output) {
        "the output folder holds files clusterdir did not make:"
    } else {
        "the output folder was not made by clusterdir and holds"
    };
    Err(refuse(
        format!(
            "{whose} {} ({}); a build replaces its output folder whole, so these would be lost",
            files_in_words(foreign_files),
            name_list(&foreign, 5)
        ),
        "give an empty or new folder with --output; put files to publish at the top of the site (CNAME, .nojekyll, ...) in static/root/ instead; or, to replace the folder and everything in it (a site built by an earlier clusterdir, say), build once with --force",
    ))
}

/// `path` without `.` parts or a trailing separator.
fn tidy(path: &Path) -> PathBuf {
    let tidy: PathBuf = path.components().collect();
    if tidy.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        tidy
    }
}

/// Whether `dir` carries clusterdir's mark (a plain file, not a link to one, that
/// begins as every mark does).
pub fn is_marked(dir: &Path) -> bool {
    let path = dir.join(MARKER);
    let first_line = MARKER_TEXT.lines().next().unwrap_or_default();
    std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file())
        && std::fs::read_to_string(&path).is_ok_and(|t| t.starts_with(first_line))
}

fn claimed(output: &Path) -> Claim {
    Claim {
        path: output.to_path_buf(),
        foreign: Vec::new(),
        foreign_files: 0,
    }
}

/// Mark `dir` as clusterdir's output.
pub fn mark<'a>(dir: &Path, files: impl IntoIterator<Item = &'a String>) -> io::Result<()> {
    let path = dir.join(MARKER);
    let mut names: Vec<&str> = files.into_iter().map(String::as_str).collect();
    names.sort_unstable();
    let mut text = String::with_capacity(MARKER_TEXT.len() + names.len() * 32);
    text.push_str(MARKER_TEXT);
    text.push_str(LIST_HEADING);
    for name in names {
        text.push_str(name);
        text.push('\n');
    }
    if is_marked(dir) && std::fs::read(&path).is_ok_and(|b| b == text.as_bytes()) {
        return Ok(());
    }
    // Never write through a link someone put in its place.
    if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
        std::fs::remove_file(&path).map_err(|e| super::ctx(e, "could not remove", &path))?;
    }
    std::fs::write(&path, text).map_err(|e| super::ctx(e, "could not write", &path))
}

/// The files the mark in `dir` says clusterdir made (none when it lists none).
fn made_files(dir: &Path) -> std::collections::HashSet<String> {
    let text = std::fs::read_to_string(dir.join(MARKER)).unwrap_or_default();
    text.split_once(LIST_HEADING)
        .map(|(_, list)| list.lines().map(str::to_string).collect())
        .unwrap_or_default()
}

/// What in `dir` clusterdir did not make, and how many files that is: in a marked
/// folder, each file its mark does not list; in any other folder, every entry at the
/// top (a folder shown as `name/`), but a `.gitkeep` file.
pub(crate) fn foreign_entries(dir: &Path) -> io::Result<(Vec<String>, usize)> {
    if is_marked(dir) {
        let made = made_files(dir);
        let mut extra = Vec::new();
        for entry in walkdir::WalkDir::new(dir).min_depth(1) {
            let entry = entry.map_err(io::Error::other)?;
            if entry.file_type().is_dir() {
                continue;
            }
            let rel = relative(dir, entry.path());
            if rel != MARKER && rel != ".gitkeep" && !made.contains(&rel) {
                extra.push(rel);
            }
        }
        extra.sort();
        let count = extra.len();
        return Ok((extra, count));
    }
    let mut names = Vec::new();
    let mut files = 0;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let mut name = entry.file_name().to_string_lossy().into_owned();
        let kind = entry.file_type()?;
        if KEPT.contains(&name.as_str()) && kind.is_file() {
            continue;
        }
        files += walkdir::WalkDir::new(entry.path())
            .follow_root_links(false)
            .into_iter()
            .filter(|e| e.as_ref().map_or(true, |e| !e.file_type().is_dir()))
            .count();
        if kind.is_dir() {
            name.push('/');
        }
        names.push(name);
    }
    names.sort();
    Ok((names, files))
}

/// `path` inside `dir`, `/`-separated.
fn relative(dir: &Path, path: &Path) -> String {
    path.strip_prefix(dir)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

fn files_in_words(n: usize) -> String {
    if n == 1 {
        "1 file".into()
    } else {
        format!("{n} files")
    }
}

/// Up to `max` names, then how many more.
pub(crate) fn name_list(names: &[String], max: usize) -> String {
    let shown: Vec<&str> = names.iter().take(max).map(String::as_str).collect();
    let more = names.len().saturating_sub(max);
    if more > 0 {
        format!("{}, and {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

/// `path` made absolute with every symbolic link and `..` of the part that exists
/// resolved, and the names of the rest (which does not exist yet) added. `None` when
/// the rest goes up (`..`): where it leads depends on folders not made yet.
fn resolve(path: &Path) -> Option<PathBuf> {
    let absolute = std::path::absolute(path).ok()?;
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            let mut out = real;
            for part in rest.iter().rev() {
                match part {
                    Component::Normal(name) => out.push(name),
                    Component::CurDir => {}
                    _ => return None,
                }
            }
            return Some(out);
        }
        rest.push(existing.components().next_back()?);
        existing = existing.parent()?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for d in ["content/clusters", "static", "themes/default", "templates"] {
            std::fs::create_dir_all(dir.path().join(d)).unwrap();
        }
        dir
    }

    #[test]
    fn folders_the_build_reads_are_refused_however_they_are_spelled() {
        let dir = site();
        let root = dir.path().join("./");
        let spellings = |p: &str| {
            vec![
                root.join(p),
                root.join(format!("{p}/")),
                root.join(format!("content/../{p}")),
                root.join(format!("new/../{p}/.")),
            ]
        };
        let bad = [
            "",
            "content",
            "content/clusters",
            "content/new",
            "static",
            "static/public",
            "themes/default",
            "templates/out",
            ".clusterdir",
            ".clusterdir/history/clusters",
            "..",
        ];
        for p in bad {
            for output in spellings(p) {
                let refusal = claim(&root, &output, true).expect_err(&output.display().to_string());
                assert!(!refusal.hint.is_empty());
            }
        }
        // Through a symbolic link to the site.
        #[cfg(unix)]
        {
            let link = dir.path().join("link");
            std::os::unix::fs::symlink(dir.path().join("static"), &link).unwrap();
            assert!(claim(&root, &link.join("out"), true).is_err());
        }
        assert!(claim(&root, &root.join("public"), false).is_ok());
        assert!(claim(&root, &root.join("publicity"), false).is_ok());
        assert!(claim(&root, &root.join("contented"), false).is_ok());
    }

    #[test]
    fn only_empty_or_marked_folders_are_taken_without_force() {
        let dir = site();
        let out = dir.path().join("docs");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join(".gitkeep"), "").unwrap();
        assert!(
            claim(dir.path(), &out, false).is_ok(),
            "empty but for .gitkeep"
        );
        std::fs::create_dir_all(out.join("img")).unwrap();
        std::fs::write(out.join("CNAME"), "example.org").unwrap();
        std::fs::write(out.join("img/a.png"), "x").unwrap();
        let refusal = claim(dir.path(), &out, false).unwrap_err();
        assert!(
            refusal.message.contains("CNAME, img"),
            "{}",
            refusal.message
        );
        assert!(refusal.message.contains("2 files"), "{}", refusal.message);
        let forced = claim(dir.path(), &out, true).unwrap();
        assert_eq!(forced.foreign, ["CNAME", "img/"]);
        assert!(forced.removal_note().unwrap().contains("2 files"));
        // Marked as made by clusterdir, with these files listed as its own.
        let own = ["CNAME".to_string(), "img/a.png".to_string()];
        mark(&out, &own).unwrap();
        let marked = claim(dir.path(), &out, false).unwrap();
        assert!(marked.removal_note().is_none());
    }

    #[test]
    fn a_file_or_a_link_as_output_is_refused() {
        let dir = site();
        let file = dir.path().join("out.txt");
        std::fs::write(&file, "keep me").unwrap();
        assert!(claim(dir.path(), &file, true).is_err());
        #[cfg(unix)]
        {
            let target = tempfile::tempdir().unwrap();
            let link = dir.path().join("public");
            std::os::unix::fs::symlink(target.path(), &link).unwrap();
            assert!(claim(dir.path(), &link, true).is_err());
        }
    }

    #[cfg(unix)]
    #[test]
    fn red_herrings_are_not_taken_for_empty_or_for_the_folder() {
        let dir = site();
        // A `.gitkeep` folder holding files is not the empty-folder marker file.
        let out = dir.path().join("out");
        std::fs::create_dir_all(out.join(".gitkeep")).unwrap();
        std::fs::write(out.join(".gitkeep/thesis.txt"), "mine").unwrap();
        assert!(claim(dir.path(), &out, false).is_err());
        // A link, however it is written.
        let target = dir.path().join("elsewhere");
        std::fs::create_dir_all(&target).unwrap();
        mark(&target, &[]).unwrap();
        let link = dir.path().join("pub");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        for spelled in ["pub", "pub/", "pub/.", "./pub//"] {
            assert!(
                claim(dir.path(), &dir.path().join(spelled), true).is_err(),
                "{spelled}"
            );
        }
        // What --force would remove is counted without following links.
        let full = dir.path().join("full");
        std::fs::create_dir_all(&full).unwrap();
        for i in 0..20 {
            std::fs::write(target.join(format!("{i}.txt")), "x").unwrap();
        }
        std::os::unix::fs::symlink(&target, full.join("photos")).unwrap();
        let forced = claim(dir.path(), &full, true).unwrap();
        assert_eq!(
            forced.foreign_files, 1,
            "the link, not the 20 files it leads to"
        );
        // A mark that is a link is not a mark, and marking never writes through it.
        let outside = dir.path().join("outside.txt");
        std::fs::write(&outside, "mine").unwrap();
        let fake = dir.path().join("fake");
        std::fs::create_dir_all(&fake).unwrap();
        std::os::unix::fs::symlink(&outside, fake.join(MARKER)).unwrap();
        assert!(!is_marked(&fake));
        mark(&fake, &[]).unwrap();
        assert_eq!(std::fs::read_to_string(&outside).unwrap(), "mine");
        assert!(is_marked(&fake));
    }

    #[test]
    fn a_marked_folder_with_files_clusterdir_did_not_make_is_refused_naming_them() {
        let dir = site();
        let out = dir.path().join("docs");
        std::fs::create_dir_all(out.join("clusters")).unwrap();
        let made = ["index.html".to_string(), "clusters/index.html".to_string()];
        for f in &made {
            std::fs::write(out.join(f), "made").unwrap();
        }
        mark(&out, &made).unwrap();
        assert!(claim(dir.path(), &out, false).is_ok(), "everything listed");
        // A copy of a built site with a file added by hand, or a mark copied on its own.
        std::fs::write(out.join("CNAME"), "example.org").unwrap();
        std::fs::write(out.join("clusters/notes.txt"), "mine").unwrap();
        let refusal = claim(dir.path(), &out, false).unwrap_err();
        assert!(
            refusal
                .message
                .contains("did not make: 2 files (CNAME, clusters/notes.txt)"),
            "{}",
            refusal.message
        );
        let forced = claim(dir.path(), &out, true).unwrap();
        assert_eq!(forced.foreign, ["CNAME", "clusters/notes.txt"]);
        // A file with the mark's name but not its words is no mark.
        std::fs::write(out.join(MARKER), "").unwrap();
        assert!(!is_marked(&out));
        assert!(claim(dir.path(), &out, false).is_err());
    }
}
