//! Read `content/` into the typed model.
//!
//! Every file is read and parsed on its own (in parallel); a file that cannot be read or
//! parsed becomes a diagnostic naming the file, line and column, and the other files are
//! still read, so one run reports every broken file. `parse.rs` turns TOML into the
//! model with helpful messages; `front_matter.rs` splits Markdown documents into front
//! matter and body.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use crate::content::model::{ClusterRecord, GuideFrontMatter, PageFrontMatter, SiteConfig};
use crate::diagnostics::{Diagnostic, Diagnostics, Sources};

mod front_matter;
mod messages;
mod parse;
mod record;

pub use front_matter::{parse_document, split_front_matter, FrontMatter, Parts};
pub use parse::{parse_toml, parse_toml_all, Parsed};
use record::{slug_for, source_hash};
pub use record::{Document, Record};

/// Everything read from `content/`, before cross-record checks.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub config: SiteConfig,
    pub config_file: PathBuf,
    pub clusters: Vec<Record<ClusterRecord>>,
    pub guides: Vec<Document<GuideFrontMatter>>,
    pub pages: Vec<Document<PageFrontMatter>>,
    /// The slugs (from their file names) of the records and documents that could not be
    /// read for their problems (already reported). Their pages will exist once they are
    /// fixed, so links to them are not reported as broken too.
    pub unusable: Unusable,
    /// False when `site.toml` could not be read (its problems are reported): `config` is
    /// then a stand-in, so that every other file is still checked.
    pub config_usable: bool,
}

/// Slugs of the files of each kind that could not be read.
#[derive(Debug, Clone, Default)]
pub struct Unusable {
    pub clusters: Vec<String>,
    pub guides: Vec<String>,
    pub pages: Vec<String>,
}

/// The outcome of reading one file: its text (for messages) and the parsed value.
struct FileResult<T> {
    rel: PathBuf,
    text: Option<String>,
    value: Parsed<T>,
}

/// A content file's text to read instead of what is on disk (or as well, for a file
/// not written yet): the editor checks the whole site with its edited file this way.
#[derive(Debug, Clone, Copy)]
pub struct Overlay<'a> {
    /// Relative to the site root, like `content/clusters/arm.toml`.
    pub file: &'a Path,
    pub text: &'a str,
}

/// Read the whole content folder: the records that parsed, with diagnostics for those
/// that did not. When `site.toml` cannot be read, a stand-in takes its place (and
/// `config_usable` is false), so its problems hide no other file's.
pub fn load_content(root: &Path, sources: &mut Sources, diags: &mut Diagnostics) -> Option<Loaded> {
    load_content_with(root, None, sources, diags)
}

/// [`load_content`] with one file's text given rather than read.
pub fn load_content_with(
    root: &Path,
    overlay: Option<Overlay>,
    sources: &mut Sources,
    diags: &mut Diagnostics,
) -> Option<Loaded> {
    load_content_cached(root, overlay, None, sources, diags)
}

/// A parsed cluster record and the hash ([`source_hash`]) of the text it came from.
type Remembered = Arc<(u64, Parsed<Record<ClusterRecord>>)>;

/// Cluster records parsed by earlier loads in one process (the preview), by file, each
/// with the hash of the text it was parsed from: a later load still reads every file,
/// but parses again only those whose text changed.
#[derive(Default)]
pub struct Parses(Mutex<HashMap<PathBuf, Remembered>>);

impl Parses {
    /// The record parsed from this text of `file`: as parsed before, or parsed now.
    fn parse(&self, file: &Path, text: &str) -> Parsed<Record<ClusterRecord>> {
        let source = source_hash(file, text);
        let hit = self.0.lock().ok().and_then(|m| m.get(file).cloned());
        if let Some(hit) = hit.filter(|h| h.0 == source) {
            return hit.1.clone();
        }
        let parsed = parse_cluster_hashed(file, text, source);
        if let Ok(mut m) = self.0.lock() {
            m.insert(file.to_path_buf(), Arc::new((source, parsed.clone())));
        }
        parsed
    }

    /// Forget the files not in `files` (removed since).
    fn keep_only(&self, files: &[PathBuf]) {
        let files: std::collections::HashSet<&PathBuf> = files.iter().collect();
        if let Ok(mut m) = self.0.lock() {
            m.retain(|f, _| files.contains(f));
        }
    }
}

/// [`load_content_with`], taking the cluster records whose text did not change from
/// `parses` (and remembering the others there).
pub fn load_content_cached(
    root: &Path,
    overlay: Option<Overlay>,
    parses: Option<&Parses>,
    sources: &mut Sources,
    diags: &mut Diagnostics,
) -> Option<Loaded> {
    let content = root.join("content");
    let config_file = PathBuf::from("content/site.toml");
    let config = {
        let r = read_file(root, &config_file, overlay, |rel, text| {
            parse_toml_all::<SiteConfig>(rel, text, 0)
        });
        collect(r, sources, diags)
    };
    let files = |folder: &str, ext: &str, diags: &mut Diagnostics| {
        let mut files = list_files(root, &content.join(folder), ext, diags);
        if let Some(o) = overlay.filter(|o| {
            o.file.parent() == Some(Path::new("content").join(folder).as_path())
                && !files.iter().any(|f| f == o.file)
        }) {
            files.push(o.file.to_path_buf());
            files.sort();
        }
        files
    };

    let cluster_files = files("clusters", "toml", diags);
    if let Some(p) = parses {
        p.keep_only(&cluster_files);
    }
    let clusters: Vec<_> = cluster_files
        .into_par_iter()
        .map(|rel| match parses {
            Some(p) => read_file(root, &rel, overlay, |f, t| p.parse(f, t)),
            None => read_file(root, &rel, overlay, parse_cluster),
        })
        .collect();
    let guides: Vec<_> = files("guides", "md", diags)
        .into_par_iter()
        .map(|rel| read_file(root, &rel, overlay, parse_document::<GuideFrontMatter>))
        .collect();
    let pages: Vec<_> = files("pages", "md", diags)
        .into_par_iter()
        .map(|rel| read_file(root, &rel, overlay, parse_document::<PageFrontMatter>))
        .collect();

    let mut unusable = Unusable::default();
    let clusters = collect_all(clusters, sources, diags, &mut unusable.clusters);
    let guides = collect_all(guides, sources, diags, &mut unusable.guides);
    let pages = collect_all(pages, sources, diags, &mut unusable.pages);
    let config_usable = config.is_some();
    Some(Loaded {
        config: config.unwrap_or_else(SiteConfig::stand_in),
        config_usable,
        config_file,
        clusters,
        guides,
        pages,
        unusable,
    })
}

/// The values of the files that could be read; the others' slugs go in `unusable`.
fn collect_all<T>(
    results: Vec<FileResult<T>>,
    sources: &mut Sources,
    diags: &mut Diagnostics,
    unusable: &mut Vec<String>,
) -> Vec<T> {
    let mut out = Vec::with_capacity(results.len());
    for r in results {
        let rel = r.rel.clone();
        match collect(r, sources, diags) {
            Some(v) => out.push(v),
            None => unusable.push(slug_for(&rel, None)),
        }
    }
    out
}

fn collect<T>(r: FileResult<T>, sources: &mut Sources, diags: &mut Diagnostics) -> Option<T> {
    if let Some(text) = r.text {
        sources.insert_owned(&r.rel, text);
    }
    for d in r.value.problems {
        diags.push(d);
    }
    r.value.value
}

/// What a file in a content folder is, by its name.
#[derive(Debug, PartialEq, Eq)]
enum FileKind {
    /// Content of this folder: read.
    Content,
    /// An editor's lock, backup or swap file, or a file the system leaves in folders:
    /// passed over in silence.
    Ignored,
    /// A hidden file (`.name.toml`) that would otherwise be content: not read, with a
    /// warning, since someone may have hidden it by mistake.
    Hidden,
    /// Anything else: not read, with a warning naming the extension expected.
    Other,
}

/// Emacs locks `.#name` and autosaves `#name#`, backups `name~` and `name.bak`, Vim's
/// swap files `.name.swp` (`.swo`, `.swx`...), and folder files of macOS and Windows.
fn is_editor_or_system_file(name: &str) -> bool {
    let vim_swap = name.starts_with('.')
        && name
            .rsplit_once('.')
            .is_some_and(|(_, ext)| ext.len() == 3 && ext.starts_with("sw"));
    name.starts_with(".#")
        || (name.len() > 1 && name.starts_with('#') && name.ends_with('#'))
        || name.ends_with('~')
        || name.ends_with(".bak")
        || vim_swap
        || matches!(
            name,
            ".DS_Store" | ".gitkeep" | ".gitignore" | ".keep" | "Thumbs.db" | "desktop.ini"
        )
        || name.starts_with("._")
}

fn file_kind(name: &str, ext: &str) -> FileKind {
    let is_content = Path::new(name).extension().is_some_and(|x| x == ext);
    if is_editor_or_system_file(name) {
        FileKind::Ignored
    } else if name.starts_with('.') {
        if is_content {
            FileKind::Hidden
        } else {
            FileKind::Ignored
        }
    } else if is_content {
        FileKind::Content
    } else {
        FileKind::Other
    }
}

/// Files with the extension in a folder, sorted, as paths relative to the site root.
/// A missing folder is not an error (a site may have no pages). Hidden folders
/// (`.git`) are not looked into; see [`file_kind`] for the files passed over.
fn list_files(root: &Path, dir: &Path, ext: &str, diags: &mut Diagnostics) -> Vec<PathBuf> {
    if !dir.exists() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let walk = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0
                || !e.file_type().is_dir()
                || !e.file_name().to_string_lossy().starts_with('.')
        });
    for entry in walk {
        let e = match entry {
            Ok(e) => e,
            Err(e) => {
                diags.push(Diagnostic::error(
                    e.path()
                        .map(|p| p.strip_prefix(root).unwrap_or(p))
                        .unwrap_or(dir),
                    None,
                    format!("could not read this folder: {e}"),
                ));
                continue;
            }
        };
        let rel = e.path().strip_prefix(root).unwrap_or(e.path());
        let name = e.file_name().to_string_lossy();
        let kind = file_kind(&name, ext);
        if e.path_is_symlink() && kind != FileKind::Ignored {
            diags.push(
                Diagnostic::error(
                    rel,
                    None,
                    "this is a symbolic link; content files must be ordinary files",
                )
                .with_hint("copy the file into the content folder instead of linking to it"),
            );
            continue;
        }
        if !e.file_type().is_file() {
            continue;
        }
        match kind {
            FileKind::Content => out.push(rel.to_path_buf()),
            FileKind::Ignored => {}
            FileKind::Hidden => diags.push(
                Diagnostic::warning(
                    rel,
                    None,
                    "this file is not read: its name starts with a dot, which hides it",
                )
                .with_hint(format!(
                    "rename it to {} if it is content, or delete it",
                    name.trim_start_matches('.')
                )),
            ),
            FileKind::Other => {
                let stem = name.split('.').next().unwrap_or_default();
                diags.push(
                    Diagnostic::warning(
                        rel,
                        None,
                        format!("this file is not read: files here must end in .{ext}"),
                    )
                    .with_hint(format!(
                        "rename it to {stem}.{ext}, or move it out of this folder"
                    )),
                );
            }
        }
    }
    out
}

/// The largest content file read (100 MB): far beyond any real record or guide, and a
/// bound on the memory one stray file can take.
pub const MAX_FILE_BYTES: u64 = 100_000_000;

fn read_file<T>(
    root: &Path,
    rel: &Path,
    overlay: Option<Overlay>,
    parse: impl Fn(&Path, &str) -> Parsed<T>,
) -> FileResult<T> {
    if let Some(o) = overlay.filter(|o| o.file == rel) {
        return FileResult {
            rel: rel.to_path_buf(),
            text: Some(o.text.to_string()),
            value: parse(rel, o.text),
        };
    }
    let path = root.join(rel);
    // The file could not be read at all: no text to show, one problem.
    let unread = |d: Diagnostic| FileResult {
        rel: rel.to_path_buf(),
        text: None,
        value: Parsed::failed(vec![d]),
    };
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    if size > MAX_FILE_BYTES {
        return unread(
            Diagnostic::error(
                rel,
                None,
                format!(
                    "this file is {:.1} MB; content files may be at most {} MB",
                    size as f64 / 1e6,
                    MAX_FILE_BYTES / 1_000_000
                ),
            )
            .with_hint("split it into several guides or pages, or check it is the file you meant"),
        );
    }
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            return unread(Diagnostic::error(
                rel,
                None,
                format!("could not read this file: {e}"),
            ))
        }
    };
    match String::from_utf8(bytes) {
        Ok(text) => {
            let value = parse(rel, &text);
            FileResult {
                rel: rel.to_path_buf(),
                text: Some(text),
                value,
            }
        }
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
            FileResult {
                rel: rel.to_path_buf(),
                text: Some(lossy),
                value: Parsed::failed(vec![Diagnostic::error(
                    rel,
                    Some(at..at + 1),
                    "this file is not valid UTF-8 text",
                )
                .with_hint("save the file as UTF-8 (in most editors: Save As, Encoding: UTF-8)")]),
            }
        }
    }
}

/// Parse one cluster record (the text of a `content/clusters/*.toml` file).
/// A record whose only problems are unknown fields is still returned, so that the
/// rest of it is checked too.
pub fn parse_cluster(file: &Path, text: &str) -> Parsed<Record<ClusterRecord>> {
    parse_cluster_hashed(file, text, source_hash(file, text))
}

/// [`parse_cluster`], given the hash of the file's path and text.
fn parse_cluster_hashed(file: &Path, text: &str, source: u64) -> Parsed<Record<ClusterRecord>> {
    parse_toml_all::<ClusterRecord>(file, text, 0).map(|data| Record {
        file: file.to_path_buf(),
        slug: slug_for(file, data.slug.as_ref()),
        data,
        source,
    })
}
