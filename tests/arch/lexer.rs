//! Reading Rust source as text: comments and literals blanked out, `#[cfg(test)]` items
//! left out, and every path written in the code (with `a::{b, c}` groups expanded).

/// The code of a file without comments, literals and `#[cfg(test)]` items.
pub fn code_of(text: &str) -> String {
    let mut out = without_test_items(&strip(text));
    // Visibilities name modules but use nothing.
    for vis in ["pub(super)", "pub(crate)", "pub(self)"] {
        out = out.replace(vis, "pub");
    }
    out
}

pub fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// `text` with each comment and literal replaced by a space, except that a string in an
/// attribute that holds a path (`#[serde(with = "crate::x::y")]`) is replaced by the path.
pub fn strip(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut attr = Attr::default();
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        // A literal's prefix (`b`, `r`, `br`…) starts a token; a quote always does.
        let token_start = !text[..i].ends_with(is_ident_char) || rest.starts_with(['"', '\'']);
        let literal = literal_at(rest).filter(|_| token_start);
        let len = if rest.starts_with("//") {
            out.push(' ');
            rest.find('\n').unwrap_or(rest.len())
        } else if rest.starts_with("/*") {
            out.push(' ');
            block_comment_len(rest)
        } else if let Some((len, content)) = literal {
            match path_in_string(content).filter(|_| attr.depth > 0) {
                Some(path) => out.extend([" ", path, " "]),
                None => out.push(' '),
            }
            len
        } else {
            let c = rest.chars().next().unwrap();
            attr.see(c);
            out.push(c);
            c.len_utf8()
        };
        i += len;
    }
    out
}

/// Whether the lexer is inside an attribute (`#[…]` or `#![…]`).
#[derive(Default)]
pub struct Attr {
    /// A `#` was just seen: the next `[` opens an attribute.
    opening: bool,
    /// Brackets open in the current attribute; 0 outside one.
    depth: usize,
}

impl Attr {
    fn see(&mut self, c: char) {
        match c {
            '#' => self.opening = true,
            '!' if self.opening => {}
            c if c.is_whitespace() => {}
            '[' if self.opening || self.depth > 0 => {
                self.depth += 1;
                self.opening = false;
            }
            ']' if self.depth > 0 => self.depth -= 1,
            _ => self.opening = false,
        }
    }
}

/// Length of a block comment, nested ones included.
pub fn block_comment_len(rest: &str) -> usize {
    let bytes = rest.as_bytes();
    let (mut depth, mut k) = (0, 0);
    while k < bytes.len() {
        if bytes[k..].starts_with(b"/*") {
            depth += 1;
            k += 2;
        } else if bytes[k..].starts_with(b"*/") {
            depth -= 1;
            k += 2;
            if depth == 0 {
                return k;
            }
        } else {
            k += 1;
        }
    }
    rest.len()
}

/// The string or char literal at the start of `rest` (`"…"`, `r#"…"#`, `b"…"`, `br"…"`,
/// `c"…"`, `'x'`, `b'x'`): its length and the content of a string. A lifetime is none.
pub fn literal_at(rest: &str) -> Option<(usize, &str)> {
    let (raw, n) = match rest.as_bytes() {
        [b'b' | b'c', b'r', ..] => (true, 2),
        [b'r', ..] => (true, 1),
        [b'b' | b'c', ..] => (false, 1),
        _ => (false, 0),
    };
    let body = &rest[n..];
    if raw {
        // No escapes: the string ends at the first quote followed by as many hashes.
        let hashes = body.len() - body.trim_start_matches('#').len();
        let open = body[hashes..].strip_prefix('"')?; // else `r#ident` or a plain name
        let close = format!("\"{}", "#".repeat(hashes));
        let end = open.find(&close).unwrap_or(open.len());
        let len = (n + hashes + 1 + end + close.len()).min(rest.len());
        return Some((len, &open[..end]));
    }
    if body.starts_with('"') {
        let len = string_len(body);
        return Some((n + len, body.get(1..len - 1).unwrap_or("")));
    }
    if body.starts_with('\'') && !rest.starts_with('c') {
        return char_len(body).map(|len| (n + len, ""));
    }
    None
}

pub fn string_len(rest: &str) -> usize {
    let mut escaped = false;
    for (k, c) in rest.char_indices().skip(1) {
        match c {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => return k + 1,
            _ => escaped = false,
        }
    }
    rest.len()
}

/// Length of the char literal at the start of `rest`, or none for a lifetime (`'a`).
pub fn char_len(rest: &str) -> Option<usize> {
    let mut chars = rest.char_indices().skip(1);
    let (_, first) = chars.next()?;
    if first == '\\' {
        // '\n', '\'', '\\', '\u{1F600}': the escaped character, then up to the quote.
        let escaped = rest[2..].chars().next()?.len_utf8();
        return rest[2 + escaped..].find('\'').map(|e| 2 + escaped + e + 1);
    }
    let (k, next) = chars.next()?;
    (next == '\'').then_some(k + 1)
}

/// The path a string names, as in `#[serde(with = "crate::x::y")]`: it starts with
/// `crate::`, `super::` or `self::`, or is all one path (`"cache::load"`).
pub fn path_in_string(content: &str) -> Option<&str> {
    let s = content.trim();
    let end = s
        .find(|c: char| !(is_ident_char(c) || c == ':'))
        .unwrap_or(s.len());
    let path = &s[..end];
    let anchored = ["crate::", "super::", "self::"]
        .iter()
        .any(|p| path.starts_with(p));
    (anchored || (end == s.len() && path.contains("::"))).then_some(path)
}

/// `code` (already stripped of comments and literals) without its `#[cfg(test)]` items.
pub fn without_test_items(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut rest = code;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        rest = &rest[item_len(rest)..];
    }
    out.push_str(rest);
    out
}

/// Length of the attribute and the item after it: to its `;` or its matching `}`, or to
/// a `,` (a field or match arm) or the `}` around it, whichever comes first.
pub fn item_len(rest: &str) -> usize {
    let start = "#[cfg(test)]".len();
    let mut depth = 0;
    for (k, c) in rest[start..].char_indices() {
        match c {
            '{' | '(' | '[' => depth += 1,
            '}' if depth == 0 => return start + k,
            '}' if depth == 1 => return start + k + 1,
            '}' | ')' | ']' => depth -= 1,
            ';' | ',' if depth == 0 => return start + k + 1,
            _ => {}
        }
    }
    rest.len()
}

/// Paths written in `code`, with `a::{b, c::{d}}` groups expanded.
pub fn paths(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let bytes = code.as_bytes();
    let is_ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut i = 0;
    while i < bytes.len() {
        if is_ident(bytes[i]) && (i == 0 || !(is_ident(bytes[i - 1]) || bytes[i - 1] == b':')) {
            let (list, end) = path_at(code, i);
            out.extend(list);
            i = end.max(i + 1);
        } else {
            i += 1;
        }
    }
    out
}

/// The path or path group starting at `start`, and where it ends.
pub fn path_at(code: &str, start: usize) -> (Vec<String>, usize) {
    let bytes = code.as_bytes();
    let is_ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut i = start;
    let mut prefix = String::new();
    loop {
        let s = i;
        while i < bytes.len() && is_ident(bytes[i]) {
            i += 1;
        }
        prefix.push_str(&code[s..i]);
        if !code[i..].starts_with("::") {
            return (vec![prefix], i);
        }
        prefix.push_str("::");
        i += 2;
        if code[i..].starts_with('{') {
            let mut list = Vec::new();
            i += 1;
            loop {
                while i < bytes.len() && (bytes[i] == b' ' || bytes[i] == b'\n' || bytes[i] == b',')
                {
                    i += 1;
                }
                if i >= bytes.len() || bytes[i] == b'}' {
                    return (list, i + 1);
                }
                if !is_ident(bytes[i]) && bytes[i] != b'*' {
                    i += 1;
                    continue;
                }
                let (inner, end) = path_at(code, i);
                list.extend(inner.into_iter().map(|p| format!("{prefix}{p}")));
                i = end;
            }
        }
        if i >= bytes.len() || !is_ident(bytes[i]) {
            return (vec![prefix.trim_end_matches("::").to_string()], i);
        }
    }
}

/// The tokens of `code`: each name or number whole, each other character alone.
pub fn tokens(code: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = code.trim_start();
    while let Some(c) = rest.chars().next() {
        let len = if is_ident_char(c) {
            rest.find(|c| !is_ident_char(c)).unwrap_or(rest.len())
        } else {
            c.len_utf8()
        };
        out.push(&rest[..len]);
        rest = rest[len..].trim_start();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Asserts that the paths of `text` include each of `want` and none containing `never`.
    fn assert_paths(text: &str, want: &str, never: &str) {
        let found = paths(&code_of(text));
        for p in want.split_whitespace() {
            assert!(found.iter().any(|x| x == p), "{p} not in {found:?}");
        }
        let wrong: Vec<_> = found.iter().filter(|x| x.contains(never)).collect();
        assert!(wrong.is_empty(), "{wrong:?} wrongly found in {text}");
    }

    #[test]
    fn paths_are_found_in_groups_and_outside_comments_and_tests() {
        let code = code_of(
            "use crate::{a::{B, c::D}, e};\n// crate::comment::X\npub(super) fn v() {}\nfn f() { crate::f::g(); let s = \"crate::s::t\"; }\n#[cfg(test)]\nmod tests { use crate::t::X; }\n",
        );
        let found = paths(&code);
        for p in ["crate::a::B", "crate::a::c::D", "crate::e", "crate::f::g"] {
            assert!(found.iter().any(|x| x == p), "{p} not in {found:?}");
        }
        for p in ["crate::comment::X", "crate::s::t", "crate::t::X", "super"] {
            assert!(!found.iter().any(|x| x == p), "{p} wrongly in {found:?}");
        }
    }

    #[test]
    fn raw_and_byte_strings_chars_and_lifetimes_keep_the_lexer_in_step() {
        let text = r###"
    const A: &str = r##"a "# crate::in_literal::a"##;
    use crate::after::a::X;
    const B: &str = r"C:\";
    use crate::after::b::X;
    const C: &[u8] = b"crate::in_literal::c \" {";
    const D: &[u8] = br"C:\";
    const E: &[u8] = br#"a "crate::in_literal::e" {"#;
    const F: [u8; 2] = [b'{', b'\''];
    const G: [char; 4] = ['\'', 'é', '"', '\u{7B}'];
    fn f<'a>(x: &'a str) -> &'static crate::after::c::Y {
        crate::after::d::z(x)
    }
    "###;
        let want = "crate::after::a::X crate::after::b::X crate::after::c::Y crate::after::d::z";
        assert_paths(text, want, "in_literal");
    }

    #[test]
    fn test_items_are_left_out_whatever_their_literals_hold() {
        let text = r##"
    #[cfg(test)]
    mod tests {
        use crate::in_test::a::X;
        fn f() { let s = "{"; let c = '{'; let r = r#"}"#; /* { */ }
    }
    use crate::after_test::a::Y;
    #[cfg(test)]
    use crate::{in_test::b, in_test::c};
    struct S {
        #[cfg(test)]
        probe: crate::in_test::d::P,
        kept: crate::after_test::b::K,
    }
    fn g() { crate::after_test::c::z(); }
    "##;
        let want = "crate::after_test::a::Y crate::after_test::b::K crate::after_test::c::z";
        assert_paths(text, want, "in_test");
    }

    #[test]
    fn paths_in_attribute_strings_are_found() {
        let text = r#"
    #[derive(Serialize)]
    #[serde(rename_all = "kebab-case")]
    struct S {
        #[serde(skip_serializing_if = "crate::pages::skip")]
        a: u8,
        #[serde(with = "crate::data::dates", default = "super::defaults::b")]
        b: u8,
        #[serde(serialize_with = "cache::write")]
        c: u8,
    }
    fn f() { let s = "crate::in_code::s"; }
    "#;
        let want = "crate::pages::skip crate::data::dates super::defaults::b cache::write";
        assert_paths(text, want, "in_code");
    }
}
