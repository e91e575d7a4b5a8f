//! Text shown on a terminal: what a record holds is quoted in messages and source
//! snippets, so every control character in it (escape sequences that could move the
//! cursor, recolour or retitle the terminal, a lone carriage return that could write
//! over a line) and every character that reorders text (bidirectional controls) is
//! shown escaped, like `\u{1b}`, never sent raw. Line breaks and tabs are kept.

use std::borrow::Cow;

/// Whether a character is shown escaped rather than sent to the terminal.
pub fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
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
            if is_unsafe(c) && !line_end {
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
        assert_eq!(escaped("two\nlines\tand tab"), "two\nlines\tand tab");
    }

    #[test]
    fn spans_follow_the_escaped_text() {
        let source = "a = \"\u{1b}]0;x\u{7}\"\r\nname = \"\u{9b}é\u{1b}\"\n";
        let escaped = EscapedSource::new(source);
        assert!(!escaped.text.replace("\r\n", "\n").chars().any(is_unsafe));
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
