//! The preview's rebuilds reuse what earlier builds made from unchanged inputs: after
//! any edit, what an incremental rebuild makes must be byte for byte what a cold build
//! of the same site makes, and an edit to one cluster's record must make that
//! cluster's pages again and no other's.

mod common;

use std::path::{Path, PathBuf};

use clusterdir::build::{check_cached, Options};
use clusterdir::pages::RenderCache;
use common::test_today;

/// A word of generated letters and digits.
fn word(rng: &mut fastrand::Rng) -> String {
    (0..rng.usize(3..10)).map(|_| rng.alphanumeric()).collect()
}

/// The kinds of input a page can be made from.
#[derive(Debug, Clone, Copy)]
enum Input {
    Cluster,
    Guide,
    Page,
    Settings,
    Template,
}

const INPUTS: [Input; 5] = [
    Input::Cluster,
    Input::Guide,
    Input::Page,
    Input::Settings,
    Input::Template,
];

/// A file of `folder` chosen by `rng`.
fn pick(rng: &mut fastrand::Rng, folder: &Path) -> PathBuf {
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files.swap_remove(rng.usize(..files.len()))
}

/// Put a generated word at the start of one text value of the file (a line `key = "`
/// whose key is one of `keys`, chosen at random).
fn edit_value(rng: &mut fastrand::Rng, file: &Path, keys: &[&str]) -> String {
    let text = std::fs::read_to_string(file).unwrap();
    let lines: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| keys.iter().any(|k| l.starts_with(&format!("{k} = \""))))
        .map(|(i, _)| i)
        .collect();
    assert!(!lines.is_empty(), "{} has none of {keys:?}", file.display());
    let chosen = lines[rng.usize(..lines.len())];
    let w = word(rng);
    let edited: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(i, l)| match i == chosen {
            true => l.replacen(" = \"", &format!(" = \"{w} "), 1),
            false => l.to_string(),
        })
        .collect();
    std::fs::write(file, edited.join("\n") + "\n").unwrap();
    w
}

/// Make one generated edit of the kind `input`; the word it added.
fn edit(rng: &mut fastrand::Rng, root: &Path, input: Input) -> String {
    let content = root.join("content");
    match input {
        Input::Cluster => {
            let file = pick(rng, &content.join("clusters"));
            edit_value(rng, &file, &["name", "service", "description", "area"])
        }
        Input::Guide => {
            let file = pick(rng, &content.join("guides"));
            let w = word(rng);
            let text = std::fs::read_to_string(&file).unwrap();
            std::fs::write(&file, format!("{text}\nA new line: {w}.\n")).unwrap();
            w
        }
        Input::Page => edit_value(rng, &content.join("pages/about.md"), &["title"]),
        Input::Settings => edit_value(rng, &content.join("site.toml"), &["title", "name"]),
        Input::Template => {
            let name = ["base.html", "cluster.html"][rng.usize(..2)];
            let theme = common::repo_root().join("themes/default/templates");
            let ours = root.join("templates").join(name);
            let text = std::fs::read_to_string(&ours)
                .unwrap_or_else(|_| std::fs::read_to_string(theme.join(name)).unwrap());
            let w = word(rng);
            let edited = match name {
                "base.html" => text.replacen("</main>", &format!("<p>{w}</p></main>"), 1),
                _ => text.replacen("<h1>", &format!("<h1>{w} "), 1),
            };
            std::fs::create_dir_all(ours.parent().unwrap()).unwrap();
            std::fs::write(&ours, edited).unwrap();
            w
        }
    }
}

#[test]
fn after_every_kind_of_edit_an_incremental_rebuild_makes_what_a_cold_build_makes() {
    let mut rng = fastrand::Rng::with_seed(2121);
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    clusterdir::scaffold::generate::generate(root, rng.usize(5..9), 3, rng.u64(..1000)).unwrap();
    let options = Options {
        today: test_today(),
        ..Default::default()
    };
    let cache = RenderCache::default();
    let first = check_cached(root, &options, Some(&cache));
    assert!(first.ok(), "{}", first.report(false));
    for round in 0..15 {
        let input = INPUTS[round % INPUTS.len()];
        let w = edit(&mut rng, root, input);
        let incremental = check_cached(root, &options, Some(&cache));
        assert!(incremental.ok(), "{}", incremental.report(false));
        let cold = check_cached(root, &options, None);
        assert_eq!(
            incremental.report(false),
            cold.report(false),
            "round {round}"
        );
        let (inc, cold) = (incremental.rendered.unwrap(), cold.rendered.unwrap());
        let shows = |out: &clusterdir::output::Output| {
            out.iter()
                .filter(|(_, b)| String::from_utf8_lossy(b).contains(&w))
                .count()
        };
        assert!(
            shows(&cold) > 0,
            "round {round}: {input:?} edit \"{w}\" shows"
        );
        let differing: Vec<&String> = cold
            .keys()
            .filter(|k| inc.get(k) != cold.get(k))
            .chain(inc.keys().filter(|k| !cold.contains_key(k)))
            .collect();
        assert!(
            differing.is_empty(),
            "round {round}: after a {input:?} edit (\"{w}\") the preview differs from a cold build in {differing:?}"
        );
    }
}

#[test]
fn an_edit_to_one_cluster_makes_only_that_clusters_pages_again() {
    let mut rng = fastrand::Rng::with_seed(21);
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let clusters = rng.usize(6..12);
    clusterdir::scaffold::generate::generate(root, clusters, 2, rng.u64(..1000)).unwrap();
    let options = Options {
        today: test_today(),
        ..Default::default()
    };
    let cache = RenderCache::default();
    assert!(check_cached(root, &options, Some(&cache)).ok());
    assert_eq!(
        cache.last_groups_made(),
        clusters,
        "the first build makes all"
    );
    for _ in 0..6 {
        edit(&mut rng, root, Input::Cluster);
        assert!(check_cached(root, &options, Some(&cache)).ok());
        assert_eq!(cache.last_groups_made(), 1, "one record changed");
        edit(&mut rng, root, Input::Guide);
        assert!(check_cached(root, &options, Some(&cache)).ok());
        assert_eq!(cache.last_groups_made(), 0, "cluster pages read no guide");
    }
    edit(&mut rng, root, Input::Settings);
    assert!(check_cached(root, &options, Some(&cache)).ok());
    assert_eq!(
        cache.last_groups_made(),
        clusters,
        "every page reads the settings"
    );
}

#[test]
fn a_cluster_file_broken_then_mended_is_reported_and_rebuilt_as_a_cold_build_does() {
    let mut rng = fastrand::Rng::with_seed(2122);
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    clusterdir::scaffold::generate::generate(root, rng.usize(4..8), 1, rng.u64(..1000)).unwrap();
    let options = Options {
        today: test_today(),
        ..Default::default()
    };
    let cache = RenderCache::default();
    assert!(check_cached(root, &options, Some(&cache)).ok());
    for round in 0..6 {
        let file = pick(&mut rng, &root.join("content/clusters"));
        let good = std::fs::read_to_string(&file).unwrap();
        // A generated break in a one-line value: the string left open after a random
        // number of its characters (none: no value), or a number where text belongs.
        let lines: Vec<&str> = good.lines().collect();
        let values: Vec<usize> = (0..lines.len())
            .filter(|&i| {
                ["name = \"", "service = \""]
                    .iter()
                    .any(|k| lines[i].starts_with(k))
            })
            .collect();
        let at = values[rng.usize(..values.len())];
        let (key, value) = lines[at].split_once(" = ").unwrap();
        let cut: String = value.chars().take(rng.usize(1..value.len())).collect();
        let bad = match rng.bool() {
            true => format!("{key} = {}", cut.trim_end_matches('"')),
            false => format!("{key} = {}", rng.u32(..)),
        };
        let mut l = lines.clone();
        l[at] = &bad;
        let broken = l.join("\n") + "\n";
        for text in [&broken, &good] {
            std::fs::write(&file, text).unwrap();
            let incremental = check_cached(root, &options, Some(&cache));
            let cold = check_cached(root, &options, None);
            assert_eq!(incremental.ok(), cold.ok(), "round {round}");
            assert_eq!(
                incremental.report(false),
                cold.report(false),
                "round {round}"
            );
            assert_eq!(incremental.rendered, cold.rendered, "round {round}");
        }
        std::fs::write(&file, &broken).unwrap();
        assert!(
            !check_cached(root, &options, None).ok(),
            "round {round}: {bad}"
        );
        std::fs::write(&file, &good).unwrap();
    }
}

#[test]
fn a_core_offer_split_into_parts_follows_edits_that_move_clusters_between_parts() {
    let mut rng = fastrand::Rng::with_seed(2124);
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    // More than the 100 clusters of one part.
    let clusters = rng.usize(101..140);
    clusterdir::scaffold::generate::generate(root, clusters, 1, rng.u64(..1000)).unwrap();
    let options = Options {
        today: test_today(),
        ..Default::default()
    };
    let cache = RenderCache::default();
    assert!(check_cached(root, &options, Some(&cache)).ok());
    for round in 0..4 {
        // A generated word put first in a name moves the cluster in name order, and so
        // between parts and to the start or end of one.
        edit(&mut rng, root, Input::Cluster);
        let incremental = check_cached(root, &options, Some(&cache));
        assert!(incremental.ok(), "{}", incremental.report(false));
        let made = cache.last_groups_made();
        assert!(
            (1..=3).contains(&made),
            "round {round}: {made} groups made again"
        );
        let cold = check_cached(root, &options, None);
        let (inc, cold) = (incremental.rendered.unwrap(), cold.rendered.unwrap());
        let differing: Vec<&String> = cold.keys().filter(|k| inc.get(k) != cold.get(k)).collect();
        assert!(differing.is_empty(), "round {round}: {differing:?}");
        assert_eq!(inc.len(), cold.len(), "round {round}");
    }
}
