//! What rendering a Markdown text gives: its HTML, its headings (for contents lists),
//! its links (checked once every page's address is known) and its problems.

use std::ops::Range;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// A link in the Markdown, with its byte range in the Markdown text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub url: String,
    pub span: Range<usize>,
}

/// Something in the Markdown that breaks the rules above.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub span: Range<usize>,
    pub message: String,
    pub hint: String,
}

#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    pub headings: Vec<Heading>,
    pub links: Vec<Link>,
    pub problems: Vec<Problem>,
    /// Plain text of the document (for descriptions and search).
    pub text: String,
}
