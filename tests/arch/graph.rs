//! The module graph of `src/`: which module uses which, its cycles, and what the
//! graph cannot follow (and so must be refused).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

#[cfg(test)]
use super::lexer::strip;
use super::lexer::{code_of, is_ident_char, paths, tokens};

pub type Module = String;

/// Every source file of the library, as its module path (`pages::cluster::help`).
pub fn modules(src: &Path) -> BTreeMap<Module, PathBuf> {
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

/// The module a path written in `from` points into, if it points into the crate.
pub fn target(from: &str, path: &str, modules: &BTreeMap<Module, PathBuf>) -> Option<Module> {
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
pub fn graph() -> BTreeMap<Module, BTreeSet<Module>> {
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
pub fn cycles(g: &BTreeMap<Module, BTreeSet<Module>>) -> Vec<Vec<Module>> {
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

pub fn stage(m: &str) -> &str {
    m.split("::").next().unwrap_or(m)
}

pub fn stage_graph(g: &BTreeMap<Module, BTreeSet<Module>>) -> BTreeMap<Module, BTreeSet<Module>> {
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

/// Constructs the graph cannot follow (matched token by token), and why.
pub const UNFOLLOWABLE: &[(&str, &str)] = &[
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
pub fn unfollowable(code: &str) -> Vec<&'static str> {
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
pub fn root_extras(code: &str) -> Vec<String> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
