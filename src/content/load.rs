//! Stage 1: read `content/` into the typed model.
//!
//! Every file is read and parsed on its own (in parallel); a file that cannot be read or
//! parsed becomes a diagnostic naming the file, line and column, and the other files are
//! still read, so one run reports every broken file.

use std::ops::Range;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::de::DeserializeOwned;

use crate::content::model::{ClusterRecord, GuideFrontMatter, PageFrontMatter, SiteConfig, Text};
use crate::diagnostics::{did_you_mean, Diagnostic, Diagnostics, Sources};

/// A parsed TOML record and where it came from.
#[derive(Debug, Clone)]
pub struct Record<T> {
    /// Path relative to the site root, as shown in messages.
    pub file: PathBuf,
    pub slug: String,
    pub data: T,
}

/// A parsed Markdown document: front matter plus body.
#[derive(Debug, Clone)]
pub struct Document<T> {
    pub file: PathBuf,
    pub slug: String,
    pub front: T,
    pub body: String,
    /// Byte offset of the body in the file, to turn body positions into file positions.
    pub body_offset: usize,
}

/// Everything read from `content/`, before cross-record checks.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub config: SiteConfig,
    pub config_file: PathBuf,
    pub clusters: Vec<Record<ClusterRecord>>,
    pub guides: Vec<Document<GuideFrontMatter>>,
    pub pages: Vec<Document<PageFrontMatter>>,
}

/// The outcome of reading one file: its text (for messages) and the parsed value.
struct FileResult<T> {
    rel: PathBuf,
    text: Option<String>,
    value: Result<T, Vec<Diagnostic>>,
}

/// Read the whole content folder. Returns `None` when `site.toml` itself is unusable;
/// otherwise the records that parsed, with diagnostics for those that did not.
pub fn load_content(root: &Path, sources: &mut Sources, diags: &mut Diagnostics) -> Option<Loaded> {
    let content = root.join("content");
    let config_file = PathBuf::from("content/site.toml");
    let config = {
        let r = read_file(root, &config_file, |rel, text| {
            parse_toml::<SiteConfig>(rel, text, 0)
        });
        collect(r, sources, diags)
    };

    let clusters: Vec<_> = list_files(root, &content.join("clusters"), "toml", diags)
        .into_par_iter()
        .map(|rel| read_file(root, &rel, parse_cluster))
        .collect();
    let guides: Vec<_> = list_files(root, &content.join("guides"), "md", diags)
        .into_par_iter()
        .map(|rel| read_file(root, &rel, parse_document::<GuideFrontMatter>))
        .collect();
    let pages: Vec<_> = list_files(root, &content.join("pages"), "md", diags)
        .into_par_iter()
        .map(|rel| read_file(root, &rel, parse_document::<PageFrontMatter>))
        .collect();

    let clusters = clusters
        .into_iter()
        .filter_map(|r| collect(r, sources, diags))
        .collect();
    let guides = guides
        .into_iter()
        .filter_map(|r| collect(r, sources, diags))
        .collect();
    let pages = pages
        .into_iter()
        .filter_map(|r| collect(r, sources, diags))
        .collect();
    Some(Loaded {
        config: config?,
        config_file,
        clusters,
        guides,
        pages,
    })
}

fn collect<T>(r: FileResult<T>, sources: &mut Sources, diags: &mut Diagnostics) -> Option<T> {
    if let Some(text) = &r.text {
        sources.insert(&r.rel, text);
    }
    match r.value {
        Ok(v) => Some(v),
        Err(ds) => {
            for d in ds {
                diags.push(d);
            }
            None
        }
    }
}

/// Files with the extension in a folder, sorted, as paths relative to the site root.
/// A missing folder is not an error (a site may have no pages).
fn list_files(root: &Path, dir: &Path, ext: &str, diags: &mut Diagnostics) -> Vec<PathBuf> {
    if !dir.exists() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
    {
        match entry {
            Ok(e) if e.file_type().is_file() && e.path().extension().is_some_and(|x| x == ext) => {
                out.push(
                    e.path()
                        .strip_prefix(root)
                        .unwrap_or(e.path())
                        .to_path_buf(),
                );
            }
            Ok(e) if e.path_is_symlink() => {
                let rel = e.path().strip_prefix(root).unwrap_or(e.path());
                diags.push(
                    Diagnostic::error(
                        rel,
                        None,
                        "this is a symbolic link; content files must be ordinary files",
                    )
                    .with_hint("copy the file into the content folder instead of linking to it"),
                );
            }
            Ok(_) => {}
            Err(e) => diags.push(Diagnostic::error(
                e.path()
                    .map(|p| p.strip_prefix(root).unwrap_or(p))
                    .unwrap_or(dir),
                None,
                format!("could not read this folder: {e}"),
            )),
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
    parse: impl Fn(&Path, &str) -> Result<T, Vec<Diagnostic>>,
) -> FileResult<T> {
    let path = root.join(rel);
    // The file could not be read at all: no text to show, one problem.
    let unread = |d: Diagnostic| FileResult {
        rel: rel.to_path_buf(),
        text: None,
        value: Err(vec![d]),
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
                value: Err(vec![Diagnostic::error(
                    rel,
                    Some(at..at + 1),
                    "this file is not valid UTF-8 text",
                )
                .with_hint(
                    "save the file as UTF-8 (in most editors: Save As, Encoding: UTF-8)",
                )]),
            }
        }
    }
}

/// Where the TOML starts: after a byte-order mark, if the file has one.
fn bom_len(text: &str) -> usize {
    if text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    }
}

/// Parse TOML that starts at `offset` in the file, turning errors into diagnostics.
pub fn parse_toml<T: DeserializeOwned>(
    file: &Path,
    text: &str,
    offset: usize,
) -> Result<T, Vec<Diagnostic>> {
    let skip = bom_len(text);
    if let Some(span) = escaped_control_character(&text[skip..]) {
        let span = span.start + offset + skip..span.end + offset + skip;
        return Err(vec![Diagnostic::error(
            file,
            Some(span),
            "this escape writes an invisible control character, which cannot appear on a web page or in a feed",
        )
        .with_hint("remove it; for a line break in a long text, use a multi-line string (\"\"\"...\"\"\")")]);
    }
    toml::from_str::<T>(&text[skip..]).map_err(|e| vec![toml_error(file, &e, offset + skip)])
}

/// The span of the first `\uXXXX`, `\UXXXXXXXX`, `\xHH` or `\e` escape in `text` that
/// writes a control character other than tab, line feed or carriage return (a NUL, for
/// example, is not allowed in HTML text or XML). TOML forbids such characters typed
/// raw but allows them escaped, so they are looked for before parsing.
fn escaped_control_character(text: &str) -> Option<Range<usize>> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(found) = bytes[i..].iter().position(|&b| b == b'\\') {
        let start = i + found;
        let kind = bytes.get(start + 1).copied();
        let digits = match kind {
            Some(b'u') => 4,
            Some(b'U') => 8,
            Some(b'x') => 2,
            Some(b'e') => return Some(start..start + 2),
            _ => 0,
        };
        let hex = text.get(start + 2..start + 2 + digits).unwrap_or("");
        if digits > 0 {
            if let Ok(code) = u32::from_str_radix(hex, 16) {
                let c = char::from_u32(code).unwrap_or('\0');
                if c.is_control() && !matches!(c, '\t' | '\n' | '\r') {
                    return Some(start..start + 2 + digits);
                }
            }
        }
        // `\\` is an escaped backslash: skip both, so `\\u0000` is the text "\u0000".
        i = start + if kind == Some(b'\\') { 2 } else { 1 };
    }
    None
}

fn toml_error(file: &Path, e: &toml::de::Error, offset: usize) -> Diagnostic {
    let message = e.message().trim().to_string();
    let span = e
        .span()
        .map(|s: Range<usize>| s.start + offset..s.end.max(s.start + 1) + offset);
    let mut d = Diagnostic::error(file, span, first_line(&message));
    if let Some(hint) = hint_for(&message) {
        d = d.with_hint(hint);
    }
    d
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or(s).to_string()
}

/// A fix for the common serde messages: unknown fields get the nearest known name,
/// unknown variants the list of allowed values, missing fields how to add them.
fn hint_for(message: &str) -> Option<String> {
    let quoted: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
    if message.starts_with("unknown field") || message.starts_with("unknown variant") {
        let (word, expected) = quoted.split_first()?;
        let what = if message.starts_with("unknown field") {
            "fields here are"
        } else {
            "allowed values are"
        };
        let list = expected
            .iter()
            .map(|s| format!("`{s}`"))
            .collect::<Vec<_>>()
            .join(", ");
        return Some(match did_you_mean(word, expected.iter().copied()) {
            Some(best) => format!("did you mean `{best}`? The {what}: {list}"),
            None if expected.is_empty() => "remove this line".to_string(),
            None => format!("the {what}: {list}"),
        });
    }
    if message.starts_with("missing field") {
        let field = quoted.first()?;
        return Some(format!("add a line `{field} = ...` to this table"));
    }
    if message.starts_with("invalid type") {
        return Some(
            "check the quotes: text goes in \"double quotes\", numbers and true/false do not"
                .into(),
        );
    }
    if message.starts_with("duplicate key") {
        return Some("each key may appear once in a table; remove or rename one of them".into());
    }
    None
}

/// The slug of a record: its own `slug` field, or the file name.
fn slug_for(file: &Path, explicit: Option<&Text>) -> String {
    match explicit {
        Some(s) => s.get_ref().clone(),
        None => file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
    }
}

/// Parse one cluster record (the text of a `content/clusters/*.toml` file).
pub fn parse_cluster(file: &Path, text: &str) -> Result<Record<ClusterRecord>, Vec<Diagnostic>> {
    let data: ClusterRecord = parse_toml(file, text, 0)?;
    Ok(Record {
        file: file.to_path_buf(),
        slug: slug_for(file, data.slug.as_ref()),
        data,
    })
}

/// Front matter that can name its own slug.
pub trait FrontMatter: DeserializeOwned {
    fn slug(&self) -> Option<&Text>;
}

impl FrontMatter for GuideFrontMatter {
    fn slug(&self) -> Option<&Text> {
        self.slug.as_ref()
    }
}

impl FrontMatter for PageFrontMatter {
    fn slug(&self) -> Option<&Text> {
        self.slug.as_ref()
    }
}

/// Parse one Markdown document: front matter and body.
pub fn parse_document<T: FrontMatter>(
    file: &Path,
    text: &str,
) -> Result<Document<T>, Vec<Diagnostic>> {
    let parts = split_front_matter(text).map_err(|(span, msg)| {
        vec![Diagnostic::error(file, Some(span), msg)
            .with_hint("start the file with a line `+++`, then the fields (title = \"...\"), then another `+++` line")]
    })?;
    // Parse the front matter where it stands in the file (everything before it blanked
    // out, line breaks kept), so spans of values are file positions.
    let padded: String = text[..parts.front.start]
        .chars()
        .map(|c| if c == '\n' { '\n' } else { ' ' })
        .collect();
    let padded = pad_to(padded, parts.front.start) + &text[parts.front.clone()];
    let front: T = parse_toml(file, &padded, 0)?;
    Ok(Document {
        file: file.to_path_buf(),
        slug: slug_for(file, front.slug()),
        front,
        body: text[parts.body.clone()].to_string(),
        body_offset: parts.body.start,
    })
}

/// Keep byte offsets: a blanked multi-byte character (a byte-order mark) becomes one
/// space, so add spaces until the text is `len` bytes long again.
fn pad_to(mut s: String, len: usize) -> String {
    while s.len() < len {
        s.insert(0, ' ');
    }
    s
}

/// Byte ranges of the front matter and the body in a Markdown file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parts {
    pub front: Range<usize>,
    pub body: Range<usize>,
}

/// Split `+++`-fenced TOML front matter from the body. Accepts a byte-order mark and
/// CRLF line endings.
pub fn split_front_matter(text: &str) -> Result<Parts, (Range<usize>, String)> {
    let start = bom_len(text);
    let mut lines = line_ranges(text, start);
    let first = lines.next();
    match first {
        Some(r) if text[r.clone()].trim_end() == "+++" => {
            let front_start = r.end;
            for l in lines {
                if text[l.clone()].trim_end() == "+++" {
                    let body_start = (l.end).min(text.len());
                    return Ok(Parts {
                        front: front_start..l.start,
                        body: body_start..text.len(),
                    });
                }
            }
            Err((
                start..start + 3,
                "the front matter opened with `+++` is never closed".into(),
            ))
        }
        Some(r) => Err((
            r.start..r.end.max(r.start + 1),
            "expected the file to start with front matter: a line `+++`".into(),
        )),
        None => Err((
            0..0,
            "the file is empty; expected front matter between `+++` lines".into(),
        )),
    }
}

/// Ranges of each line including its line ending, from `start`.
fn line_ranges(text: &str, start: usize) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut pos = start;
    std::iter::from_fn(move || {
        if pos >= text.len() {
            return None;
        }
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
        let r = pos..end;
        pos = end;
        Some(r)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::line_col;

    #[test]
    fn escaped_control_characters_are_found_and_ordinary_escapes_are_not() {
        for (text, found) in [
            (r#"name = "A\u0000B""#, Some(9..15)),
            (r#"name = "A\U0000001bB""#, Some(9..19)),
            (r#"name = "A\x07""#, Some(9..13)),
            (r#"name = "A\eB""#, Some(9..11)),
            (r#"name = "A\u00e9 \t \n \u000a \"q\" ""#, None),
            (r#"name = "C:\\u0000""#, None),
            (r#"name = "é\u0085""#, Some(10..16)),
        ] {
            assert_eq!(escaped_control_character(text), found, "{text}");
        }
    }

    #[test]
    fn front_matter_splits_with_lf_crlf_and_bom() {
        let t = "+++\ntitle = \"A\"\n+++\nBody\n";
        let p = split_front_matter(t).unwrap();
        assert_eq!(&t[p.front.clone()], "title = \"A\"\n");
        assert_eq!(&t[p.body.clone()], "Body\n");
        let t = "\u{feff}+++\r\ntitle = \"A\"\r\n+++\r\nBody";
        let p = split_front_matter(t).unwrap();
        assert_eq!(&t[p.front.clone()], "title = \"A\"\r\n");
        assert_eq!(&t[p.body], "Body");
    }

    #[test]
    fn front_matter_errors_say_what_is_missing() {
        assert!(split_front_matter("# Title\n")
            .unwrap_err()
            .1
            .contains("start with front matter"));
        assert!(split_front_matter("+++\ntitle = \"x\"\n")
            .unwrap_err()
            .1
            .contains("never closed"));
        assert!(split_front_matter("").unwrap_err().1.contains("empty"));
    }

    #[test]
    fn unknown_field_gives_line_column_and_suggestion() {
        let text = "+++\ntitle = \"T\"\nnumber = 1\nedition = 2025-01-01\nsumary = \"x\"\n+++\n";
        let err = parse_document::<GuideFrontMatter>(Path::new("g.md"), text).unwrap_err();
        let d = &err[0];
        assert!(
            d.message.contains("unknown field `sumary`"),
            "{}",
            d.message
        );
        assert!(
            d.hint
                .as_deref()
                .unwrap()
                .starts_with("did you mean `summary`?"),
            "{:?}",
            d.hint
        );
        assert_eq!(line_col(text, d.span.clone().unwrap().start), (5, 1));
    }

    #[test]
    fn missing_required_field_is_named() {
        let text = "name = \"X\"\n";
        let err = parse_cluster(Path::new("c.toml"), text).unwrap_err();
        assert!(
            err[0].message.contains("missing field `last_reviewed`"),
            "{}",
            err[0].message
        );
        assert_eq!(
            err[0].hint.as_deref(),
            Some("add a line `last_reviewed = ...` to this table")
        );
    }

    #[test]
    fn unknown_enum_value_lists_allowed_values() {
        let text = "name = \"X\"\nlast_reviewed = 2025-01-01\n[[schools]]\nname = \"A\"\nphase = \"primry\"\n";
        let err = parse_cluster(Path::new("c.toml"), text).unwrap_err();
        assert!(
            err[0].message.contains("unknown variant `primry`"),
            "{}",
            err[0].message
        );
        assert!(err[0]
            .hint
            .as_deref()
            .unwrap()
            .starts_with("did you mean `primary`?"));
        assert_eq!(line_col(text, err[0].span.clone().unwrap().start), (5, 9));
    }

    #[test]
    fn syntax_error_points_at_the_line() {
        let text = "name = \"X\nlast_reviewed = 2025-01-01\n";
        let err = parse_cluster(Path::new("c.toml"), text).unwrap_err();
        assert_eq!(line_col(text, err[0].span.clone().unwrap().start).0, 1);
    }
}
