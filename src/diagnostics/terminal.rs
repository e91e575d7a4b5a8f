//! Text shown on a terminal: what a record holds is quoted in messages and source
//! snippets, so every control character in it (escape sequences that could move the
//! cursor, recolour or retitle the terminal, a lone carriage return that could write
//! over a line) and every character that reorders text (bidirectional controls) is
//! shown escaped, like `\u{1b}`, never sent raw. So is every character that prints
//! nothing or not itself (line feed, tab, U+2028, zero-width space, soft hyphen,
//! noncharacters, unassigned code points): quoted content cannot add a line of its own
//! ("No errors, 0 warnings.") or hide what it holds. Messages are one line each; the
//! line breaks of a source file's snippet are the file's own, and kept.

use std::borrow::Cow;

/// Whether a character is shown escaped rather than sent to the terminal.
pub fn is_unsafe(c: char) -> bool {
    crate::text::is_invisible(c) || crate::text::is_bidi_control(c)
}

/// Whether a character of a source file is shown escaped in a snippet: [`is_unsafe`]
/// but the file's own line feeds and tabs.
fn is_unsafe_in_source(c: char) -> bool {
    c != '\n' && c != '\t' && is_unsafe(c)
}

fn escape_into(c: char, out: &mut String) {
    out.push_str(&format!("\\u{{{:x}}}", c as u32));
}

/// Text for the terminal: every [`is_unsafe`] character escaped as `\u{1b}`.
pub fn escaped(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_unsafe(c) {
            escape_into(c, &mut out);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A source file's text as shown in snippets, with [`is_unsafe`] characters escaped
/// (a carriage return before a line feed is kept: it ends a line), and a way to find
/// where a byte offset of the file moved to.
pub struct EscapedSource {
    pub text: String,
    /// For each escaped character: its offset in the file and how many bytes the
    /// escaped text had grown by once it was written.
    shifts: Vec<(usize, usize)>,
    /// For each escaped character: where its escape ends in the escaped text.
    ends: Vec<usize>,
}

impl EscapedSource {
    pub fn new(source: &str) -> EscapedSource {
        let mut text = String::with_capacity(source.len());
        let mut shifts = Vec::new();
        let mut ends = Vec::new();
        let mut chars = source.char_indices().peekable();
        while let Some((at, c)) = chars.next() {
            let line_end = c == '\r' && chars.peek().is_some_and(|&(_, n)| n == '\n');
            if is_unsafe_in_source(c) && !line_end {
                escape_into(c, &mut text);
                shifts.push((at, text.len() - (at + c.len_utf8())));
                ends.push(text.len());
            } else {
                text.push(c);
            }
        }
        EscapedSource { text, shifts, ends }
    }

    /// Where a byte offset of the file is in the escaped text.
    pub fn offset(&self, original: usize) -> usize {
        let before = self.shifts.partition_point(|&(at, _)| at < original);
        original + before.checked_sub(1).map_or(0, |i| self.shifts[i].1)
    }

    /// Where a byte offset of the escaped text is in the file (an offset inside an
    /// escape is the escaped character's own).
    pub fn original(&self, escaped: usize) -> usize {
        let done = self.ends.partition_point(|&end| end <= escaped);
        let growth = done.checked_sub(1).map_or(0, |i| self.shifts[i].1);
        let o = escaped - growth;
        match self.shifts.get(done) {
            Some(&(at, _)) if o > at => at,
            _ => o,
        }
    }

    pub fn span(&self, span: &std::ops::Range<usize>) -> std::ops::Range<usize> {
        self.offset(span.start)..self.offset(span.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_bidi_are_escaped_line_breaks_kept() {
        assert_eq!(
            escaped("a\u{1b}[2Jb\u{7}\u{9b}c"),
            "a\\u{1b}[2Jb\\u{7}\\u{9b}c"
        );
        assert_eq!(escaped("x\u{202e}y\rz"), "x\\u{202e}y\\u{d}z");
        assert_eq!(
            escaped("category\nNo errors, 0 warnings.\t"),
            "category\\u{a}No errors, 0 warnings.\\u{9}"
        );
    }

    /// Every code point that prints nothing or not itself is escaped, and what is left
    /// of the text is the text's own visible characters.
    #[test]
    fn every_unprintable_character_is_escaped() {
        use unicode_general_category::{get_general_category, GeneralCategory as G};
        let mut rng = fastrand::Rng::with_seed(16);
        let mut seen = 0;
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let category = get_general_category(c);
            let must = c.is_control()
                || matches!(
                    category,
                    G::Format
                        | G::LineSeparator
                        | G::ParagraphSeparator
                        | G::Unassigned
                        | G::PrivateUse
                )
                || crate::text::is_ignorable(c)
                || crate::text::is_noncharacter(c);
            if !must && !rng.bool() {
                continue;
            }
            seen += 1;
            let shown = escaped(&format!("a{c}b")).into_owned();
            if must {
                assert_eq!(
                    shown,
                    format!("a\\u{{{:x}}}b", c as u32),
                    "U+{:04X}",
                    c as u32
                );
            } else if !crate::text::is_bidi_control(c) {
                assert_eq!(shown, format!("a{c}b"), "U+{:04X}", c as u32);
            }
        }
        assert!(seen > 100_000);
    }

    #[test]
    fn spans_follow_the_escaped_text() {
        let source = "a = \"\u{1b}]0;x\u{7}\"\r\nname = \"\u{9b}é\u{1b}\"\n";
        let escaped = EscapedSource::new(source);
        assert!(!escaped
            .text
            .replace("\r\n", "\n")
            .chars()
            .any(is_unsafe_in_source));
        for (i, _) in source.char_indices() {
            let rest = &source[i..];
            // Every safe character is found at its new place.
            if let Some(c) = rest.chars().next().filter(|c| !is_unsafe(*c)) {
                assert!(escaped.text[escaped.offset(i)..].starts_with(c), "at {i}");
            }
        }
        for (i, _) in source.char_indices() {
            assert_eq!(escaped.original(escaped.offset(i)), i, "at {i}");
        }
        let name = source.find("name").unwrap();
        assert_eq!(&escaped.text[escaped.span(&(name..name + 4))], "name");
    }
}
