//! The layout of `src/` stays readable: no import cycles between modules, and each stage
//! depends only on the stages below it (docs/architecture.md draws the picture).
//!
//! The test reads every `.rs` file under `src/` (leaving out `#[cfg(test)]` blocks and
//! comments), finds every path into the crate (`crate::…`, `super::…`, `self::…` and a
//! child module named from its parent), and builds the graph of which module uses
//! which. A folder's `mod.rs` counts as the folder's module: it may use its children,
//! and then they may not use it back.

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

/// The code of a file without comments, string literals and `#[cfg(test)]` items.
fn code_of(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let rest = &text[i..];
        if rest.starts_with("//") {
            i += rest.find('\n').unwrap_or(rest.len());
        } else if rest.starts_with("/*") {
            i += rest.find("*/").map_or(rest.len(), |e| e + 2);
        } else if rest.starts_with("#[cfg(test)]") {
            i += skip_item(rest);
        } else if let Some(raw) = rest.strip_prefix("r#\"") {
            i += raw.find("\"#").map_or(rest.len(), |e| e + 5);
        } else if rest.starts_with('"') {
            i += skip_string(rest);
        } else if rest.starts_with("'\\")
            || (rest.len() > 2 && rest.as_bytes()[2] == b'\'' && rest.starts_with('\''))
        {
            // A char literal such as '{' or '\n' (lifetimes have no closing quote).
            let end = rest[1..].find('\'').map_or(1, |e| e + 2);
            i += end;
        } else {
            let c = rest.chars().next().unwrap();
            out.push(c);
            i += c.len_utf8();
        }
    }
    // Visibilities name modules but use nothing.
    for vis in ["pub(super)", "pub(crate)", "pub(self)"] {
        out = out.replace(vis, "pub");
    }
    out
}

fn skip_string(rest: &str) -> usize {
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

/// Length of the attribute and the item after it: to its `;` or its matching `}`.
fn skip_item(rest: &str) -> usize {
    let mut depth = 0;
    for (k, c) in rest.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return k + 1;
                }
            }
            ';' if depth == 0 => return k + 1,
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
