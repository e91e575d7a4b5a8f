//! The front-matter splitter and the guide/page parsers, on any text: no panic, and
//! the ranges they return lie inside the text, in order, on character boundaries.
#![no_main]

use std::path::Path;

use clusterdir::content::load::{parse_document, split_front_matter};
use clusterdir::content::model::{GuideFrontMatter, PageFrontMatter};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    match split_front_matter(text) {
        Ok(parts) => {
            assert!(parts.front.start <= parts.front.end);
            assert!(parts.front.end <= parts.body.start);
            assert!(parts.body.end == text.len());
            assert!(text.is_char_boundary(parts.front.start));
            assert!(text.is_char_boundary(parts.front.end));
            assert!(text.is_char_boundary(parts.body.start));
        }
        Err((span, message)) => {
            assert!(span.end <= text.len());
            assert!(!message.is_empty());
        }
    }
    let file = Path::new("content/guides/fuzz.md");
    if let Ok(doc) = parse_document::<GuideFrontMatter>(file, text).into_result() {
        assert_eq!(&text[doc.body_offset..], doc.body);
    }
    let _ = parse_document::<PageFrontMatter>(file, text);
});
