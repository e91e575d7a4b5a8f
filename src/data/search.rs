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

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use serde_json::{json, Value};
use unicode_normalization::UnicodeNormalization;

use crate::output::Output;
use crate::routes;
use crate::site::Site;

/// Documents per chunk file.
pub const CHUNK: usize = 128;

pub const KIND_CLUSTER: u8 = 0;
pub const KIND_SCHOOL: u8 = 1;
pub const KIND_CENTRE: u8 = 2;
pub const KIND_SERVICE: u8 = 3;
pub const KIND_GUIDE: u8 = 4;
pub const KIND_PAGE: u8 = 5;

/// Words that add nothing to finding a school ("Primary School" is optional).
const STOP_WORDS: &[&str] = &["primary", "school", "the"];

/// Multi-word and single-word spellings that mean the same thing.
const PHRASES: &[(&[&str], &str)] = &[
    (&["church", "of", "england"], "ce"),
    (&["c", "of", "e"], "ce"),
    (&["roman", "catholic"], "rc"),
    (&["cofe"], "ce"),
    (&["saint"], "st"),
];

/// Normalise text for matching: accents removed, lower case, `&` as "and", apostrophes
/// and dots dropped, other punctuation as spaces, common spellings unified, and filler
/// words removed. Returns the tokens.
pub fn tokens(text: &str) -> Vec<String> {
    fn clean(cleaned: &mut String, c: char) {
        if ('\u{300}'..='\u{36f}').contains(&c) {
            return;
        }
        match c {
            '&' => cleaned.push_str(" and "),
            '\'' | '\u{2019}' | '\u{2018}' | '`' | '.' => {}
            c if c.is_alphanumeric() => cleaned.extend(c.to_lowercase()),
            _ => cleaned.push(' '),
        }
    }
    let mut cleaned = String::with_capacity(text.len());
    // ASCII text is its own decomposition, and an ASCII character is a boundary that
    // decomposition and reordering never cross: only the runs of other characters go
    // through the (slower) normaliser.
    let mut rest = text;
    while !rest.is_empty() {
        let ascii = rest
            .bytes()
            .position(|b| !b.is_ascii())
            .unwrap_or(rest.len());
        for b in rest[..ascii].bytes() {
            // `clean` for ASCII, a byte at a time.
            match b {
                b'&' => cleaned.push_str(" and "),
                b'\'' | b'`' | b'.' => {}
                b if b.is_ascii_alphanumeric() => cleaned.push(b.to_ascii_lowercase() as char),
                _ => cleaned.push(' '),
            }
        }
        rest = &rest[ascii..];
        let other = rest
            .char_indices()
            .find(|(_, c)| c.is_ascii())
            .map_or(rest.len(), |(i, _)| i);
        rest[..other].nfkd().for_each(|c| clean(&mut cleaned, c));
        rest = &rest[other..];
    }
    let words: Vec<&str> = cleaned.split_whitespace().collect();
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut i = 0;
    'outer: while i < words.len() {
        // Most words start with a letter no phrase starts with.
        let first = words[i].as_bytes()[0];
        for (phrase, replacement) in PHRASES.iter().filter(|(p, _)| p[0].as_bytes()[0] == first) {
            if words[i..].starts_with(phrase) {
                out.push((*replacement).to_string());
                i += phrase.len();
                continue 'outer;
            }
        }
        out.push(words[i].to_string());
        i += 1;
    }
    out.retain(|w| !STOP_WORDS.contains(&w.as_str()));
    out
}

/// The normalised form as one string (tokens joined by single spaces).
pub fn normalise(text: &str) -> String {
    tokens(text).join(" ")
}

/// The shard a token belongs to: its first two characters, as hex of their UTF-8.
pub fn shard_key(token: &str) -> String {
    let prefix: String = token.chars().take(2).collect();
    prefix.bytes().map(|b| format!("{b:02x}")).collect()
}

/// One shard file: postings of title tokens (`t`) and of text tokens (`x`).
#[derive(serde::Serialize)]
struct Shard {
    t: BTreeMap<String, Vec<usize>>,
    x: BTreeMap<String, Vec<usize>>,
}

/// A document to index.
struct Doc {
    kind: u8,
    title: String,
    cluster: i64,
    extra: Value,
    /// Extra text whose words find the document less strongly than its title.
    text: String,
}

/// Build every search file for the site.
pub fn build_index(site: &Site) -> Output {
    let clusters: Vec<&crate::site::Cluster> = site.clusters_in_order();
    let category_index: BTreeMap<&str, usize> = site
        .categories
        .iter()
        .enumerate()
        .map(|(i, c)| (c.slug.get_ref().as_str(), i))
        .collect();
    let mut docs: Vec<Doc> = Vec::new();
    for (ci, c) in clusters.iter().enumerate() {
        let r = &c.record;
        let ci = ci as i64;
        docs.push(Doc {
            kind: KIND_CLUSTER,
            title: r.name.clone(),
            cluster: ci,
            extra: Value::Null,
            text: [
                r.short_name.clone().unwrap_or_default(),
                r.area.clone().unwrap_or_default(),
            ]
            .join(" "),
        });
        for s in &r.schools {
            docs.push(Doc {
                kind: KIND_SCHOOL,
                title: s.name.get_ref().clone(),
                cluster: ci,
                extra: json!(s.phase.label()),
                text: s.also_known_as.join(" "),
            });
        }
        for cc in &r.children_centres {
            docs.push(Doc {
                kind: KIND_CENTRE,
                title: cc.name.get_ref().clone(),
                cluster: ci,
                extra: Value::Null,
                text: String::new(),
            });
        }
        for o in &r.offer {
            let cat = category_index
                .get(o.category.get_ref().as_str())
                .copied()
                .unwrap_or(0);
            let category_name = &site.categories[cat].name;
            docs.push(Doc {
                kind: KIND_SERVICE,
                title: o.service.clone(),
                cluster: ci,
                extra: json!(cat),
                text: [
                    category_name.as_str(),
                    o.provider.as_deref().unwrap_or(""),
                    o.description.as_deref().unwrap_or(""),
                    o.who_for.as_deref().unwrap_or(""),
                    o.access.as_deref().unwrap_or(""),
                ]
                .join(" "),
            });
        }
    }
    for g in site.current_guides() {
        docs.push(Doc {
            kind: KIND_GUIDE,
            title: g.front.title.clone(),
            cluster: -1,
            extra: json!(routes::guide(&g.slug)),
            text: format!("{} {}", g.front.summary, g.text),
        });
    }
    for p in site.pages_in_order() {
        docs.push(Doc {
            kind: KIND_PAGE,
            title: p.front.title.clone(),
            cluster: -1,
            extra: json!(routes::page(&p.slug)),
            text: format!("{} {}", p.front.summary.as_deref().unwrap_or(""), p.text),
        });
    }

    // Documents are ordered by kind, so a kind is a range of ids (`meta.kinds`) and a
    // search limited to some kinds needs no document downloads to filter.
    docs.sort_by_key(|d| d.kind);
    let mut kind_starts = vec![0usize; 7];
    for k in 0..7u8 {
        kind_starts[k as usize] = docs.iter().position(|d| d.kind >= k).unwrap_or(docs.len());
    }

    // Inverted index: token -> ascending doc ids, one map for titles and one for text;
    // grouped into shards afterwards, so each distinct token is keyed once.
    type Postings = BTreeMap<String, Vec<usize>>;
    let mut title_postings: HashMap<String, Vec<usize>> = HashMap::new();
    let mut text_postings: HashMap<String, Vec<usize>> = HashMap::new();
    let add = |map: &mut HashMap<String, Vec<usize>>, t: &str, id: usize| match map.get_mut(t) {
        Some(ids) => push_unique(ids, id),
        None => {
            map.insert(t.to_string(), vec![id]);
        }
    };
    // Each document's tokens are worked out in parallel (the slow part: every word of
    // every guide), then added to the postings in id order.
    let tokenise = |d: &Doc| {
        let mut title_tokens = tokens(&d.title);
        // People often type two words of a name as one ("wigtonmoor"): index adjacent
        // title words joined too.
        let joined: Vec<String> = title_tokens
            .windows(2)
            .map(|w| format!("{}{}", w[0], w[1]))
            .collect();
        title_tokens.extend(joined);
        let mut text_tokens = tokens(&d.text);
        text_tokens.retain(|t| !title_tokens.contains(t));
        (title_tokens, text_tokens)
    };
    // A few hundred documents at a time, so the tokens of every guide are never all in
    // memory together.
    const BATCH: usize = 256;
    for (n, chunk) in docs.chunks(BATCH).enumerate() {
        let tokenised: Vec<(Vec<String>, Vec<String>)> = chunk.par_iter().map(tokenise).collect();
        for (i, (title_tokens, text_tokens)) in tokenised.iter().enumerate() {
            let id = n * BATCH + i;
            for t in title_tokens {
                add(&mut title_postings, t, id);
            }
            for t in text_tokens {
                add(&mut text_postings, t, id);
            }
        }
    }
    let mut shards: BTreeMap<String, (Postings, Postings)> = BTreeMap::new();
    for (t, ids) in title_postings {
        shards.entry(shard_key(&t)).or_default().0.insert(t, ids);
    }
    for (t, ids) in text_postings {
        shards.entry(shard_key(&t)).or_default().1.insert(t, ids);
    }

    let mut out = Output::new();
    let meta = json!({
        "v": 1,
        "n": docs.len(),
        "chunk": CHUNK,
        "kinds": kind_starts,
        "clusters": clusters.iter().map(|c| json!([c.record.name, routes::cluster(&c.slug)])).collect::<Vec<_>>(),
        "categories": site.categories.iter().map(|c| json!([c.slug.get_ref(), c.name])).collect::<Vec<_>>(),
    });
    out.insert("search/meta.json".into(), meta.to_string().into_bytes());
    // Vocabulary: every token, grouped by its first character, so a client can find
    // near spellings and then fetch only the shards that hold them.
    let mut vocab: BTreeMap<String, std::collections::BTreeSet<&String>> = BTreeMap::new();
    for (title, text) in shards.values() {
        for t in title.keys().chain(text.keys()) {
            let first: String = t.chars().take(1).collect();
            vocab.entry(shard_key(&first)).or_default().insert(t);
        }
    }
    for (key, words) in vocab {
        out.insert(
            format!("search/v/{key}.json"),
            serde_json::to_vec(&words).expect("strings serialise"),
        );
    }
    for (key, (title, text)) in shards {
        // Serialised straight from the maps (no intermediate JSON tree: postings can be long).
        let shard = Shard {
            t: deltas(title),
            x: deltas(text),
        };
        out.insert(
            format!("search/t/{key}.json"),
            serde_json::to_vec(&shard).expect("maps of strings to numbers serialise"),
        );
    }
    for (n, chunk) in docs.chunks(CHUNK).enumerate() {
        let arr: Vec<Value> = chunk
            .iter()
            .map(|d| json!([d.kind, d.title, d.cluster, d.extra]))
            .collect();
        out.insert(
            format!("search/d/{n}.json"),
            Value::Array(arr).to_string().into_bytes(),
        );
    }
    out
}

fn push_unique(list: &mut Vec<usize>, id: usize) {
    if list.last() != Some(&id) {
        list.push(id);
    }
}

/// Postings as gaps between ascending ids (smaller numbers, smaller files).
fn deltas(postings: BTreeMap<String, Vec<usize>>) -> BTreeMap<String, Vec<usize>> {
    postings
        .into_iter()
        .map(|(t, ids)| {
            let mut prev = 0;
            let gaps = ids
                .into_iter()
                .enumerate()
                .map(|(i, id)| {
                    let gap = if i == 0 { id } else { id - prev };
                    prev = id;
                    gap
                })
                .collect();
            (t, gaps)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalisation_matches_the_shared_table() {
        let text = include_str!("../../tests/search/normalise.json");
        let table: Value = serde_json::from_str(text).unwrap();
        let cases = table["cases"].as_array().unwrap();
        assert!(cases.len() >= 15);
        for case in cases {
            let input = case["input"].as_str().unwrap();
            assert_eq!(
                normalise(input),
                case["expected"].as_str().unwrap(),
                "normalising {input:?}"
            );
        }
    }

    #[test]
    fn shard_keys_are_the_hex_of_the_first_two_characters() {
        assert_eq!(shard_key("allerton"), "616c");
        assert_eq!(shard_key("a"), "61");
        assert_eq!(shard_key("ångström"), "c3a56e");
    }

    fn fixture_site() -> Site {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/full");
        let checked = crate::build::check(&root);
        assert!(checked.ok(), "{}", checked.report(false));
        checked.site.unwrap()
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
        let out = build_index(&fixture_site());
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
        let out = build_index(&fixture_site());
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
        let out = build_index(&site);
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

    #[test]
    fn gaps_encode_ascending_ids() {
        let mut p = BTreeMap::new();
        p.insert("x".to_string(), vec![3, 5, 10]);
        assert_eq!(deltas(p)["x"], vec![3, 2, 5]);
    }
}
