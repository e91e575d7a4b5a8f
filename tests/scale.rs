//! A directory too big for one core-offer page gets an index and parts, each cluster in
//! exactly one part, in name order.

mod common;

use common::{build, read_html, sel, texts};

#[test]
fn big_core_offer_is_split_into_parts_in_name_order() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    // One more than two full parts, so the last part holds a single cluster.
    let clusters = 2 * clusterdir::routes::CORE_OFFER_PART_CLUSTERS + 1;
    clusterdir::scaffold::generate::generate(&root, clusters, 0, 11).unwrap();
    let public = build(&root);

    let index = read_html(&public.join("core-offer/index.html"));
    assert!(
        index.select(&sel("table.matrix")).next().is_none(),
        "the index of a split core offer has no table"
    );
    let links: Vec<String> = index
        .select(&sel("ol.offer-parts a"))
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(
        links,
        [
            "/core-offer/part-1/",
            "/core-offer/part-2/",
            "/core-offer/part-3/"
        ]
    );
    let counts = texts(&index, "ol.offer-parts li");
    assert!(counts[0].ends_with("(100 clusters)"), "{counts:?}");
    assert!(counts[2].ends_with("(1 cluster)"), "{counts:?}");

    let mut names: Vec<String> = Vec::new();
    let mut slugs: Vec<String> = Vec::new();
    for n in 1..=3 {
        let doc = read_html(&public.join(format!("core-offer/part-{n}/index.html")));
        let rows = texts(&doc, "table.matrix tbody th[scope=row]");
        let expected = if n < 3 { 100 } else { 1 };
        assert_eq!(rows.len(), expected, "part {n}");
        // The part names its first and last cluster, and marks itself in the list.
        let current = texts(&doc, "ol.offer-parts [aria-current=page]");
        assert_eq!(
            current,
            [format!("{} to {}", rows[0], rows[rows.len() - 1])],
            "part {n}"
        );
        // Every listing entry belongs to a cluster of this part.
        let part_slugs: Vec<String> = doc
            .select(&sel("table.matrix tbody tr"))
            .map(|r| r.value().attr("data-cluster").unwrap().to_string())
            .collect();
        for e in doc.select(&sel("ul.listing li")) {
            let slug = e.value().attr("data-cluster").unwrap();
            assert!(part_slugs.iter().any(|s| s == slug), "{slug} in part {n}");
        }
        names.extend(rows);
        slugs.extend(part_slugs);
    }
    let mut sorted = names.clone();
    sorted.sort_by_key(|n| n.to_lowercase());
    assert_eq!(names, sorted, "parts follow each other in name order");
    slugs.sort();
    slugs.dedup();
    assert_eq!(
        slugs.len(),
        clusters,
        "every cluster is in exactly one part"
    );
}

/// The peak memory (KiB) of a release of the binary building a generated site of
/// `guides` guides (seeded), as its `--timings` line reports it.
fn peak_kib_with_guides(guides: usize, seed: u64) -> u64 {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    clusterdir::scaffold::generate::generate(&root, 1, guides, seed).unwrap();
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_clusterdir"))
        .arg("--root")
        .arg(&root)
        .args(["build", "--timings", "--output"])
        .arg(dir.path().join("public"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stdout}{stderr}");
    let line = format!("{stdout}{stderr}");
    let json = line
        .lines()
        .find_map(|l| l.strip_prefix("timings: "))
        .unwrap_or_else(|| panic!("no timings line in {line}"));
    let timings: serde_json::Value = serde_json::from_str(json).unwrap();
    timings["peak_rss_kib"]
        .as_u64()
        .expect("peak memory is known on Linux")
}

/// Guides' pages are made one at a time as they are rendered, so what a build holds per
/// guide is its source, its HTML and its search text (about 30 KiB for a generated
/// guide of 4 KB), not also a rendered context of every guide at once (which was about
/// 52 KiB per guide).
#[test]
fn memory_per_guide_stays_small() {
    let (small, large) = (250, 2_250);
    for seed in [3, 17] {
        let grown =
            peak_kib_with_guides(large, seed).saturating_sub(peak_kib_with_guides(small, seed));
        let per_guide = grown / (large - small) as u64;
        assert!(
            per_guide <= 40,
            "seed {seed}: each guide adds {per_guide} KiB to the peak (at most 40 expected)"
        );
    }
}

/// A small seeded generator (xorshift), so the names are the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// A character from `from..=to` for which `keep` holds.
    fn char_in(&mut self, from: u32, to: u32, keep: fn(&char) -> bool) -> char {
        loop {
            let c = char::from_u32(from + self.below(u64::from(to - from + 1)) as u32);
            if let Some(c) = c.filter(keep) {
                return c;
            }
        }
    }
}

/// `name` with a generated beginning: left alone, lowered, its first letter replaced by
/// any ASCII letter of either case, or led by punctuation, a digit or a letter outside
/// ASCII (Latin, Greek, Cyrillic).
fn varied(name: &str, rng: &mut Rng) -> String {
    let rest: String = name.chars().skip(1).collect();
    match rng.below(6) {
        0 => name.to_string(),
        1 => name.to_lowercase(),
        2 => format!(
            "{}{rest}",
            rng.char_in(0x41, 0x7a, char::is_ascii_alphabetic)
        ),
        3 => format!(
            "{}{name}",
            rng.char_in(0x21, 0x7e, char::is_ascii_punctuation)
        ),
        4 => format!("{} {name}", rng.char_in(0x30, 0x39, char::is_ascii_digit)),
        _ => {
            let (from, to) = [(0xc0, 0x24f), (0x391, 0x3c9), (0x410, 0x44f)][rng.below(3) as usize];
            format!("{}{rest}", rng.char_in(from, to, |c| c.is_alphabetic()))
        }
    }
}

/// Give every school and children's centre of the generated site at `root` a varied
/// name; the names, as written.
fn vary_names(root: &std::path::Path, seed: u64) -> Vec<String> {
    let mut rng = Rng(seed);
    let mut names = Vec::new();
    for e in std::fs::read_dir(root.join("content/clusters")).unwrap() {
        let path = e.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let mut in_list = false;
        let mut out = String::new();
        for line in text.lines() {
            if line.starts_with('[') {
                in_list = line == "[[schools]]" || line == "[[children_centres]]";
            }
            match line.strip_prefix("name = ").filter(|_| in_list) {
                Some(quoted) => {
                    let old: String = toml::from_str::<toml::Value>(&format!("v = {quoted}"))
                        .unwrap()["v"]
                        .as_str()
                        .unwrap()
                        .to_string();
                    let new = varied(&old, &mut rng);
                    out.push_str(&format!("name = {}\n", toml::Value::String(new.clone())));
                    names.push(new);
                }
                None => out.push_str(&format!("{line}\n")),
            }
        }
        std::fs::write(&path, out).unwrap();
    }
    names
}

/// The letter a name is listed under: its first letter or digit decides; a letter A to
/// Z (of either case) is its own, anything else goes under "#".
fn letter_of(name: &str) -> char {
    match name.chars().find(|c| c.is_alphanumeric()) {
        Some(c) if c.is_ascii_alphabetic() => c.to_ascii_uppercase(),
        _ => '#',
    }
}

/// The schools A to Z of a generated site whose names begin with generated letters,
/// digits and punctuation (seeded): every school and centre exactly once, under the
/// right letter, A to Z ignoring case within a letter, the letters A to Z then "#",
/// and the home page links to the same letters.
#[test]
fn a_to_z_of_many_generated_names_lists_each_once_in_order_under_its_letter() {
    for seed in [7, 2026] {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        clusterdir::scaffold::generate::generate(&root, 40, 0, seed).unwrap();
        let mut written = vary_names(&root, seed);
        let public = build(&root);
        let doc = read_html(&public.join("schools/index.html"));
        let mut listed = Vec::new();
        let mut ids = Vec::new();
        for section in doc.select(&sel("main section[aria-labelledby]")) {
            let id = section.value().attr("aria-labelledby").unwrap().to_string();
            let heading = section.select(&sel("h2")).next().unwrap();
            assert_eq!(heading.value().attr("id"), Some(id.as_str()));
            let letter: String = heading.text().collect();
            let letter = letter.chars().next().unwrap();
            let names: Vec<String> = section
                .select(&sel(".school-name"))
                .map(|n| n.text().collect())
                .collect();
            for n in &names {
                assert_eq!(letter_of(n), letter, "seed {seed}: {n:?} under {letter}");
            }
            let lowered: Vec<String> = names.iter().map(|n| n.to_lowercase()).collect();
            assert!(
                lowered.windows(2).all(|w| w[0] <= w[1]),
                "seed {seed}: {letter} is not in order: {names:?}"
            );
            let want_id = match letter {
                '#' => "letter-other".to_string(),
                l => format!("letter-{}", l.to_ascii_lowercase()),
            };
            assert_eq!(id, want_id);
            ids.push((letter == '#', letter, id));
            listed.extend(names);
        }
        let mut sorted_ids = ids.clone();
        sorted_ids.sort();
        sorted_ids.dedup();
        assert_eq!(
            ids, sorted_ids,
            "seed {seed}: letters A to Z, then #, once each"
        );
        assert!(ids.len() > 20, "seed {seed}: {ids:?}");
        listed.sort();
        written.sort();
        assert_eq!(listed, written, "seed {seed}: every name exactly once");
        let home = read_html(&public.join("index.html"));
        let home_links: Vec<String> = home
            .select(&sel("ul.letters a"))
            .map(|a| a.value().attr("href").unwrap().to_string())
            .collect();
        let want: Vec<String> = ids
            .iter()
            .map(|(_, _, id)| format!("/schools/#{id}"))
            .collect();
        assert_eq!(home_links, want, "seed {seed}");
    }
}
