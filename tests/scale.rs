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
