//! The layout of `src/` stays readable: no import cycles between modules, and each stage
//! depends only on the stages below it (docs/architecture.md draws the picture).
//!
//! The test reads every `.rs` file under `src/` (leaving out comments, literals and
//! `#[cfg(test)]` items), finds every path into the crate (`crate::…`, `super::…`,
//! `self::…`, a child module named from its parent, and a path in an attribute's string
//! such as `#[serde(with = "crate::x")]`), and builds the graph of which module uses
//! which. A folder's `mod.rs` counts as the folder's module: it may use its children,
//! and then they may not use it back. What the graph cannot follow (`#[path]`,
//! `include!`, another name for the crate root, `#[macro_export]`, anything but `pub mod`
//! in `src/lib.rs`) is refused outright.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// What each stage may use (besides itself). Anything else is a layering error.
const MAY_USE: &[(&str, &[&str])] = &[
    ("diagnostics", &[]),
    ("text", &[]),
    ("output", &[]),
    ("content", &["diagnostics", "text"]),
    ("site", &["content"]),
    ("routes", &["site"]),
    (
        "check",
        &["content", "site", "routes", "output", "diagnostics", "text"],
    ),
    (
        "pages",
        &["content", "site", "routes", "output", "diagnostics", "text"],
    ),
    ("data", &["content", "site", "routes", "output", "text"]),
    (
        "build",
        &[
            "check",
            "content",
            "site",
            "routes",
            "pages",
            "data",
            "output",
            "diagnostics",
        ],
    ),
    (
        "serve",
        &["build", "pages", "data", "output", "diagnostics"],
    ),
    ("scaffold", &["routes", "text"]),
];

type Module = String;

/// Every source file of the library, as its module path (`pages::cluster::help`).
fn modules(src: &Path) -> BTreeMap<Module, PathBuf> {
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(src).sort_by_file_name() {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some("rs") {
            continue;
        }
        let rel = path.strip_prefix(src).unwrap().with_extension("");
        let mut parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        if parts.last().map(String::as_str) == Some("mod") {
            parts.pop();
        }
        let name = parts.join("::");
        if name == "main" {
            continue; // the binary: it may use anything of the library
        }
        out.insert(
            if name == "lib" { String::new() } else { name },
            path.to_path_buf(),
        );
    }
    out
}

/// The code of a file without comments, literals and `#[cfg(test)]` items.
fn code_of(text: &str) -> String {
    let mut out = without_test_items(&strip(text));
    // Visibilities name modules but use nothing.
    for vis in ["pub(super)", "pub(crate)", "pub(self)"] {
        out = out.replace(vis, "pub");
    }
    out
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// `text` with each comment and literal replaced by a space, except that a string in an
/// attribute that holds a path (`#[serde(with = "crate::x::y")]`) is replaced by the path.
fn strip(text: &str) -> String {
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
struct Attr {
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
fn block_comment_len(rest: &str) -> usize {
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
fn literal_at(rest: &str) -> Option<(usize, &str)> {
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

fn string_len(rest: &str) -> usize {
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
fn char_len(rest: &str) -> Option<usize> {
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
fn path_in_string(content: &str) -> Option<&str> {
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
fn without_test_items(code: &str) -> String {
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
fn item_len(rest: &str) -> usize {
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
fn paths(code: &str) -> Vec<String> {
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
fn path_at(code: &str, start: usize) -> (Vec<String>, usize) {
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

/// The module a path written in `from` points into, if it points into the crate.
fn target(from: &str, path: &str, modules: &BTreeMap<Module, PathBuf>) -> Option<Module> {
    let segs: Vec<&str> = path.split("::").collect();
    let (mut base, rest): (Vec<String>, &[&str]) = match segs[0] {
        "crate" => (Vec::new(), &segs[1..]),
        "super" => {
            let mut b: Vec<String> = from
                .split("::")
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect();
            let mut r = &segs[..];
            while r.first() == Some(&"super") {
                b.pop();
                r = &r[1..];
            }
            (b, r)
        }
        "self" => (
            from.split("::")
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect(),
            &segs[1..],
        ),
        first => {
            // A child module named from its parent (`use cache::RenderCache` in pages/mod.rs).
            let child = if from.is_empty() {
                first.to_string()
            } else {
                format!("{from}::{first}")
            };
            if segs.len() < 2 || !modules.contains_key(&child) {
                return None;
            }
            (
                from.split("::")
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect(),
                &segs[..],
            )
        }
    };
    let mut found = base.join("::");
    for s in rest {
        base.push(s.to_string());
        let candidate = base.join("::");
        if modules.contains_key(&candidate) {
            found = candidate;
        } else {
            break;
        }
    }
    Some(found)
}

/// Which modules each module uses.
fn graph() -> BTreeMap<Module, BTreeSet<Module>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let modules = modules(&src);
    let mut g = BTreeMap::new();
    for (m, file) in &modules {
        let code = code_of(&std::fs::read_to_string(file).unwrap());
        let mut uses = BTreeSet::new();
        for p in paths(&code) {
            if let Some(t) = target(m, &p, &modules) {
                if &t != m && !t.is_empty() {
                    uses.insert(t);
                }
            }
        }
        g.insert(m.clone(), uses);
    }
    g
}

/// Strongly connected groups of more than one node (each is at least one cycle).
fn cycles(g: &BTreeMap<Module, BTreeSet<Module>>) -> Vec<Vec<Module>> {
    // Two nodes are in one group when each reaches the other.
    let reach = |from: &Module| -> BTreeSet<Module> {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.clone()];
        while let Some(n) = stack.pop() {
            for next in g.get(&n).into_iter().flatten() {
                if seen.insert(next.clone()) {
                    stack.push(next.clone());
                }
            }
        }
        seen
    };
    let reached: BTreeMap<&Module, BTreeSet<Module>> = g.keys().map(|k| (k, reach(k))).collect();
    let mut groups: Vec<Vec<Module>> = Vec::new();
    let mut placed = BTreeSet::new();
    for a in g.keys() {
        if placed.contains(a) || !reached[a].contains(a) {
            continue;
        }
        let group: Vec<Module> = g
            .keys()
            .filter(|b| reached[a].contains(*b) && reached[*b].contains(a))
            .cloned()
            .collect();
        placed.extend(group.iter().cloned());
        groups.push(group);
    }
    groups
}

fn stage(m: &str) -> &str {
    m.split("::").next().unwrap_or(m)
}

fn stage_graph(g: &BTreeMap<Module, BTreeSet<Module>>) -> BTreeMap<Module, BTreeSet<Module>> {
    let mut s: BTreeMap<Module, BTreeSet<Module>> = BTreeMap::new();
    for (from, tos) in g {
        let entry = s.entry(stage(from).to_string()).or_default();
        for to in tos {
            if stage(to) != stage(from) {
                entry.insert(stage(to).to_string());
            }
        }
    }
    s
}

/// The tokens of `code`: each name or number whole, each other character alone.
fn tokens(code: &str) -> Vec<&str> {
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

/// Constructs the graph cannot follow (matched token by token), and why.
const UNFOLLOWABLE: &[(&str, &str)] = &[
    (
        "#[path",
        "`#[path]` loads a module from a file elsewhere than its place in src/",
    ),
    ("include!", "`include!` pastes in code from another file"),
    (
        "use crate as",
        "`use crate as` gives the crate root another name",
    ),
    (
        "extern crate self",
        "`extern crate self` gives the crate root another name",
    ),
    (
        "#[macro_export",
        "`#[macro_export]` puts a macro at the crate root, usable anywhere",
    ),
];

/// Why the layering check cannot see through `code` (stripped of comments and literals).
fn unfollowable(code: &str) -> Vec<&'static str> {
    let spaced = |t: Vec<&str>| format!(" {} ", t.join(" "));
    let code_tokens = spaced(tokens(code));
    let mut why: Vec<&str> = UNFOLLOWABLE
        .iter()
        .filter(|(pattern, _)| code_tokens.contains(&spaced(tokens(pattern))))
        .map(|(_, why)| *why)
        .collect();
    // `crate::{self as root}`, also in a longer group: `self` is the crate root itself.
    if paths(code).iter().any(|p| p == "crate::self") {
        why.push("`crate::{self as …}` gives the crate root another name");
    }
    why
}

/// What in the crate root (stripped of comments and literals) is not a `pub mod x;`.
fn root_extras(code: &str) -> Vec<String> {
    code.split(';')
        .map(tokens)
        .filter(|t| match t[..] {
            [] => false,
            ["pub", "mod", name] => !name.chars().all(is_ident_char),
            _ => true,
        })
        .map(|t| t.join(" "))
        .collect()
}

#[test]
fn no_module_is_in_an_import_cycle() {
    let g = graph();
    assert!(g.len() > 20, "the source was not found: {:?}", g.keys());
    let found = cycles(&g);
    assert!(
        found.is_empty(),
        "modules that use each other, directly or through others (move what they share \
         into a module below both): {found:#?}"
    );
}

#[test]
fn no_stage_is_in_an_import_cycle() {
    let stages = stage_graph(&graph());
    // `cargo test --test architecture -- --nocapture` shows what each stage uses.
    for (s, uses) in &stages {
        println!("{s:>12} uses {uses:?}");
    }
    let found = cycles(&stages);
    assert!(found.is_empty(), "stages that use each other: {found:#?}");
}

#[test]
fn each_stage_uses_only_the_stages_below_it() {
    let allowed: BTreeMap<&str, &[&str]> = MAY_USE.iter().copied().collect();
    let mut wrong = Vec::new();
    for (from, tos) in graph().iter().filter(|(m, _)| !m.is_empty()) {
        let Some(ok) = allowed.get(stage(from)) else {
            wrong.push(format!(
                "{from}: a new stage; add it to MAY_USE and docs/architecture.md"
            ));
            continue;
        };
        for to in tos {
            let s = stage(to);
            if s != stage(from) && !ok.contains(&s) {
                wrong.push(format!("{from} uses {to}"));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "uses across stages that the layering forbids:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn no_file_uses_what_the_checker_cannot_follow() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(root.join("src")).sort_by_file_name() {
        let path = entry.unwrap().into_path();
        if path.extension().and_then(|e| e.to_str()) != Some("rs") {
            continue;
        }
        let code = strip(&std::fs::read_to_string(&path).unwrap());
        for why in unfollowable(&code) {
            let file = path.strip_prefix(root).unwrap().display();
            found.push(format!("{file}: {why}"));
        }
    }
    assert!(
        found.is_empty(),
        "the layering check cannot see through these; write them another way:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_crate_root_only_declares_the_stages() {
    let lib = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs");
    let extras = root_extras(&strip(&std::fs::read_to_string(lib).unwrap()));
    assert!(
        extras.is_empty(),
        "src/lib.rs may hold only `pub mod x;` declarations and its `//!` docs; everything \
         else must live in a stage module so the layering check can see it: {extras:#?}"
    );
}

// The checker itself: it must find what it is meant to find.

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
fn a_cycle_is_found() {
    let mut g: BTreeMap<Module, BTreeSet<Module>> = BTreeMap::new();
    let edge = |g: &mut BTreeMap<Module, BTreeSet<Module>>, a: &str, b: &str| {
        g.entry(a.into()).or_default().insert(b.into());
        g.entry(b.into()).or_default();
    };
    edge(&mut g, "pages", "data::search");
    edge(&mut g, "data::search", "output");
    assert!(cycles(&g).is_empty());
    edge(&mut g, "data::search", "pages");
    assert_eq!(
        cycles(&g),
        vec![vec!["data::search".to_string(), "pages".to_string()]]
    );
}

#[test]
fn super_and_child_paths_resolve_to_modules() {
    let modules: BTreeMap<Module, PathBuf> = ["pages", "pages::cache", "pages::job", "site"]
        .iter()
        .map(|m| (m.to_string(), PathBuf::new()))
        .collect();
    assert_eq!(
        target("pages::cache", "super::job::Job", &modules).as_deref(),
        Some("pages::job")
    );
    assert_eq!(
        target("pages", "cache::RenderCache", &modules).as_deref(),
        Some("pages::cache")
    );
    assert_eq!(
        target("pages", "crate::site::Site", &modules).as_deref(),
        Some("site")
    );
    assert_eq!(target("pages", "serde::Serialize", &modules), None);
}

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

#[test]
fn constructs_the_checker_cannot_follow_are_refused() {
    let refused = r#"
        #[path = "elsewhere.rs"] mod x;
        # [ path = "elsewhere.rs" ] mod y;
        include!("generated.rs");
        std::include! { "generated.rs" }
        use crate as root;
        pub use crate::{self as root};
        use crate::{pages, self as root};
        extern crate self as clusterdir;
        #[macro_export] macro_rules! m { () => {} }
    "#;
    for bad in refused.lines().map(str::trim).filter(|l| !l.is_empty()) {
        assert!(
            !unfollowable(&strip(bad)).is_empty(),
            "{bad} was let through"
        );
    }
    let fine = r##"
        const T: &str = include_str!("page.html");
        const B: &[u8] = include_bytes!("logo.png");
        const S: &str = "#[path = x] include!(x)"; // include!("x.rs")
        use crate::pages::{self, cache};
        struct P { path: String } macro_rules! m { () => {} }
    "##;
    for ok in fine.lines() {
        assert_eq!(unfollowable(&strip(ok)), Vec::<&str>::new(), "{ok}");
    }
}

#[test]
fn the_crate_root_may_only_declare_modules() {
    let ok = strip("//! Docs.\n/*! More. */\n\npub mod build;\npub mod check; // the checks\n");
    assert_eq!(root_extras(&ok), Vec::<String>::new());
    let refused = r#"
        pub mod a; pub use a::Thing;
        pub mod a; fn helper() {}
        pub mod a; macro_rules! m { () => {} }
        pub mod a { pub fn f() {} }
        pub mod a; const X: &str = "x";
        #![allow(dead_code)] pub mod a;
        mod a;
    "#;
    for bad in refused.lines().map(str::trim).filter(|l| !l.is_empty()) {
        assert!(
            !root_extras(&strip(bad)).is_empty(),
            "{bad} was let through"
        );
    }
}

#[test]
fn the_architecture_page_names_files_that_exist_and_every_stage() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("docs/architecture.md")).unwrap();
    let mut missing = Vec::new();
    for quoted in doc.split('`').skip(1).step_by(2) {
        let path = quoted.trim_end_matches('/');
        let is_path = ["src/", "tests/", "themes/", "docs/"]
            .iter()
            .any(|p| path.starts_with(p));
        // `<kind>` and the like stand for a name the reader chooses.
        if is_path && !path.contains('<') && !root.join(path).exists() {
            missing.push(quoted.to_string());
        }
    }
    assert!(
        missing.is_empty(),
        "docs/architecture.md names files that do not exist: {missing:?}"
    );
    for (stage, _) in MAY_USE {
        assert!(
            doc.contains(&format!("`{stage}`")),
            "docs/architecture.md does not mention `{stage}`"
        );
    }
}
