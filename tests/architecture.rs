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

mod arch;

use std::collections::BTreeMap;
use std::path::Path;

use arch::graph::{cycles, graph, root_extras, stage, stage_graph, unfollowable};
use arch::lexer::strip;

/// What each stage may use (besides itself). Anything else is a layering error.
const MAY_USE: &[(&str, &[&str])] = &[
    ("diagnostics", &["text"]),
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
        &[
            "build",
            "edit",
            "content",
            "routes",
            "pages",
            "data",
            "output",
            "diagnostics",
            "text",
        ],
    ),
    (
        "edit",
        &[
            "build",
            "check",
            "content",
            "site",
            "pages",
            "output",
            "diagnostics",
            "text",
        ],
    ),
    ("scaffold", &["content", "routes", "text"]),
    (
        "deploy",
        &["build", "content", "routes", "output", "diagnostics"],
    ),
];

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
