//! The search index, written at build time and read by the theme's `search-core.mjs`.
//!
//! Format (all JSON, in `/search/`), designed so that a query downloads a small part:
//! - `meta.json`: `{"v":1,"n":<docs>,"chunk":<docs per chunk>,"kinds":[first id of each
//!   kind, then n],"clusters":[[name,url],...],"categories":[[slug,name],...]}`.
//! - `t/<hex>.json`: one shard per two-character token prefix (`<hex>` is the prefix's
//!   UTF-8 in hex): `{"t":{token:[doc id deltas]},"x":{token:[...]}}`. `t` holds tokens
//!   of names and titles, `x` of descriptions and body text. A token is in exactly the
//!   shard its first two characters name.
//! - `v/<hex>.json`: the vocabulary: every token whose first character is the one named
//!   (in hex), sorted. A client matches query words against it, allowing typos after the
//!   first character, then fetches only the shards holding the tokens that matched.
//! - `d/<n>.json`: documents `n*chunk .. (n+1)*chunk`, each `[kind, title, cluster, extra]`:
//!   kind 0 cluster, 1 school, 2 children's centre, 3 service, 4 guide, 5 page; `cluster`
//!   an index into `meta.clusters` (or -1); `extra` the phase, category index, or the
//!   page's address. Addresses of schools and services are derived from their cluster,
//!   so they are not repeated.
//!
//! Normalisation is mirrored exactly in `search-core.mjs`; both are tested against the
//! shared table in `tests/search/normalise.json`.

use serde_json::{json, Value};

use crate::output::Output;
use crate::routes;
use crate::site::{Cluster, Site};

pub mod documents;
mod shards;
mod tokens;

pub use tokens::{normalise, shard_key, tokens};

pub use documents::{
    CHUNK, KIND_CENTRE, KIND_CLUSTER, KIND_GUIDE, KIND_PAGE, KIND_SCHOOL, KIND_SERVICE,
};

/// Build every search file for the site.
pub fn build_index(site: &Site, out: &mut Output) {
    let clusters = site.clusters_in_order();
    let docs = documents::collect(site, &clusters);
    let shards = shards::shards(&docs);
    out.insert(
        "search/meta.json".into(),
        meta(site, &clusters, &docs).to_string().into_bytes(),
    );
    shards::write_vocabulary(&shards, out);
    shards::write_shards(shards, out);
    documents::write_chunks(&docs, out);
}

/// `meta.json`: the number of documents, where each kind starts, and the clusters and
/// categories that documents refer to by index.
fn meta(site: &Site, clusters: &[&Cluster], docs: &[documents::Doc]) -> Value {
    json!({
        "v": 1,
        "n": docs.len(),
        "chunk": CHUNK,
        "kinds": documents::kind_starts(docs),
        "clusters": clusters.iter().map(|c| json!([c.record.name, routes::cluster(&c.slug)])).collect::<Vec<_>>(),
        "categories": site.categories.iter().map(|c| json!([c.slug.get_ref(), c.name])).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture_site() -> Site {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/full");
        let checked = crate::build::check(&root);
        assert!(checked.ok(), "{}", checked.report(false));
        checked.site.unwrap()
    }

    fn index(site: &Site) -> Output {
        let mut out = Output::new();
        build_index(site, &mut out);
        out
    }

    fn parse(out: &Output, path: &str) -> Value {
        serde_json::from_slice(&out[path]).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    /// All documents, in id order.
    fn all_docs(out: &Output) -> Vec<Value> {
        let meta = parse(out, "search/meta.json");
        let n = meta["n"].as_u64().unwrap() as usize;
        let docs: Vec<Value> = (0..n.div_ceil(CHUNK))
            .flat_map(|c| {
                parse(out, &format!("search/d/{c}.json"))
                    .as_array()
                    .unwrap()
                    .clone()
            })
            .collect();
        assert_eq!(docs.len(), n);
        docs
    }

    #[test]
    fn every_token_is_in_exactly_the_shard_its_key_names() {
        let out = index(&fixture_site());
        let docs = all_docs(&out);
        let mut seen = std::collections::HashSet::new();
        for (path, bytes) in &out {
            let Some(key) = path
                .strip_prefix("search/t/")
                .and_then(|p| p.strip_suffix(".json"))
            else {
                continue;
            };
            let shard: Value = serde_json::from_slice(bytes).unwrap();
            for field in ["t", "x"] {
                for (token, gaps) in shard[field].as_object().unwrap() {
                    assert_eq!(shard_key(token), key, "{token} is in the wrong shard");
                    assert!(
                        seen.insert((field, token.clone())),
                        "{token} is in two shards"
                    );
                    let mut id = 0;
                    for (i, g) in gaps.as_array().unwrap().iter().enumerate() {
                        id = if i == 0 {
                            g.as_u64().unwrap()
                        } else {
                            id + g.as_u64().unwrap()
                        };
                        let doc = &docs[id as usize];
                        if field == "t" {
                            let words = tokens(doc[1].as_str().unwrap());
                            let joined = words
                                .windows(2)
                                .any(|w| format!("{}{}", w[0], w[1]) == *token);
                            assert!(
                                words.contains(token) || joined,
                                "{token} not in title of {doc}"
                            );
                        }
                    }
                }
            }
        }
        assert!(seen.len() > 20);
        // Every token is in the vocabulary file of its first character, and nowhere else.
        let mut in_vocab = std::collections::HashSet::new();
        for (path, bytes) in &out {
            let Some(key) = path
                .strip_prefix("search/v/")
                .and_then(|p| p.strip_suffix(".json"))
            else {
                continue;
            };
            let words: Vec<String> = serde_json::from_slice(bytes).unwrap();
            for w in words {
                assert_eq!(shard_key(&w.chars().take(1).collect::<String>()), key);
                assert!(in_vocab.insert(w));
            }
        }
        let tokens_in_shards: std::collections::HashSet<String> =
            seen.into_iter().map(|(_, t)| t).collect();
        assert_eq!(in_vocab, tokens_in_shards);
    }

    #[test]
    fn documents_are_grouped_by_kind_as_meta_says() {
        let out = index(&fixture_site());
        let meta = parse(&out, "search/meta.json");
        let starts: Vec<u64> = meta["kinds"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap())
            .collect();
        for (id, doc) in all_docs(&out).iter().enumerate() {
            let kind = doc[0].as_u64().unwrap() as usize;
            assert!(
                starts[kind] as usize <= id && id < starts[kind + 1] as usize,
                "doc {id} of kind {kind} outside its range {starts:?}"
            );
        }
    }

    #[test]
    fn real_index_contains_every_school_with_its_cluster() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let checked = crate::build::check(root);
        let site = checked.site.unwrap();
        let out = index(&site);
        let meta = parse(&out, "search/meta.json");
        let docs = all_docs(&out);
        for c in site.clusters.values() {
            for s in &c.record.schools {
                let doc = docs
                    .iter()
                    .find(|d| d[0] == KIND_SCHOOL && d[1] == s.name.get_ref().as_str())
                    .unwrap_or_else(|| panic!("{} missing", s.name.get_ref()));
                let cluster = &meta["clusters"][doc[2].as_u64().unwrap() as usize];
                assert_eq!(cluster[1], routes::cluster(&c.slug));
            }
        }
    }
}
