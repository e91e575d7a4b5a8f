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
