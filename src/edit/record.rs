//! A record's text in parts: the TOML (all of a cluster record, the front matter of a
//! guide or page), and a guide's or page's Markdown body, put back together unchanged
//! around what was edited.

use crate::content::load::split_front_matter;
use crate::content::schema::describe;

use super::types::Kind;

pub struct Parts {
    /// Before the TOML: a document's opening `+++` line.
    before: String,
    pub toml: String,
    /// Between the TOML and the body: a document's closing `+++` line.
    middle: String,
    body: String,
}

impl Parts {
    pub fn split(kind: Kind, text: &str) -> Result<Parts, String> {
        if !describe(kind).has_body {
            // A byte-order mark (which the loader accepts) stays where it is.
            let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
            return Ok(Parts {
                before: text[..bom].to_string(),
                toml: text[bom..].to_string(),
                middle: String::new(),
                body: String::new(),
            });
        }
        let p = split_front_matter(text).map_err(|(_, message)| message)?;
        Ok(Parts {
            before: text[..p.front.start].to_string(),
            toml: text[p.front.clone()].to_string(),
            middle: text[p.front.end..p.body.start].to_string(),
            body: text[p.body].to_string(),
        })
    }

    /// Where the TOML starts in the file.
    pub fn toml_offset(&self) -> usize {
        self.before.len()
    }

    /// Where the body starts in the file.
    pub fn body_offset(&self) -> usize {
        self.before.len() + self.toml.len() + self.middle.len()
    }

    /// The body as a form shows it: without the blank lines that separate it from the
    /// front matter.
    pub fn body_text(&self) -> String {
        self.body.trim_start_matches(['\n', '\r']).to_string()
    }

    /// Replace the body, unless it is the same text; the blank lines before it stay.
    pub fn set_body(&mut self, body: &str) {
        let body = body.replace("\r\n", "\n");
        let new = body.trim_start_matches('\n').trim_end();
        if new == self.body_text().replace("\r\n", "\n").trim_end() {
            return;
        }
        let lead = &self.body[..self.body.len() - self.body_text().len()];
        let lead = if lead.is_empty() { "\n" } else { lead };
        self.body = match self.body.contains("\r\n") {
            true => format!("{lead}{}\r\n", new.replace('\n', "\r\n")),
            false => format!("{lead}{new}\n"),
        };
    }

    pub fn join(&self) -> String {
        format!("{}{}{}{}", self.before, self.toml, self.middle, self.body)
    }
}
