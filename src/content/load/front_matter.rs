//! Markdown documents (guides and pages): `+++`-fenced TOML front matter split from the
//! body, and the front matter parsed where it stands so that messages point into the file.

use std::ops::Range;
use std::path::Path;

use serde::de::DeserializeOwned;

use super::parse::{bom_len, parse_toml_all, Parsed};
use super::record::{slug_for, Document};
use crate::content::model::{GuideFrontMatter, PageFrontMatter, Text};
use crate::diagnostics::Diagnostic;

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
/// A document whose only problems are unknown fields is still returned, so that the
/// rest of it is checked too.
pub fn parse_document<T: FrontMatter>(file: &Path, text: &str) -> Parsed<Document<T>> {
    let parts = match split_front_matter(text) {
        Ok(parts) => parts,
        Err((span, msg)) => {
            return Parsed::failed(vec![Diagnostic::error(file, Some(span), msg)
                .with_hint("start the file with a line `+++`, then the fields (title = \"...\"), then another `+++` line")])
        }
    };
    // Parse the front matter where it stands in the file (everything before it blanked
    // out, line breaks kept), so spans of values are file positions.
    let padded: String = text[..parts.front.start]
        .chars()
        .map(|c| if c == '\n' { '\n' } else { ' ' })
        .collect();
    let padded = pad_to(padded, parts.front.start) + &text[parts.front.clone()];
    parse_toml_all::<T>(file, &padded, 0).map(|front| Document {
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
        let err = parse_document::<GuideFrontMatter>(Path::new("g.md"), text)
            .into_result()
            .unwrap_err();
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
}
