//! The inverted index: each document's tokens, the postings from each token to the ids of
//! the documents holding it, grouped into the shard files `t/<hex>.json` by token prefix,
//! and the vocabulary files `v/<hex>.json` that let a client find near spellings.

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;
// A fast hash for the many short tokens (the keys are our own words, so SipHash's
// defence against chosen collisions buys nothing here and costs a tenth of a build).
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::documents::Doc;
use super::tokens::{shard_key, tokens};
use crate::output::Output;
use crate::text::for_each_name_token;

/// Token -> ascending doc ids.
type Postings = BTreeMap<String, Vec<usize>>;

/// Each shard's postings, by shard key: title tokens, then text tokens.
pub(super) type Shards = BTreeMap<String, (Postings, Postings)>;

/// One shard file: postings of title tokens (`t`) and of text tokens (`x`).
#[derive(serde::Serialize)]
struct Shard {
    t: BTreeMap<String, Vec<usize>>,
    x: BTreeMap<String, Vec<usize>>,
}

/// A few hundred documents at a time, so the tokens of every guide are never all in
/// memory together.
const BATCH: usize = 256;

/// The postings of every document's tokens, grouped into shards.
pub(super) fn shards(docs: &[Doc]) -> Shards {
    let (title_postings, text_postings) = postings(docs);
    // Grouped into shards only now, so each distinct token is keyed once.
    let mut shards = Shards::new();
    for (t, ids) in title_postings {
        shards.entry(shard_key(&t)).or_default().0.insert(t, ids);
    }
    for (t, ids) in text_postings {
        shards.entry(shard_key(&t)).or_default().1.insert(t, ids);
    }
    shards
}

/// The vocabulary: every token, grouped by its first character, so a client can find
/// near spellings and then fetch only the shards that hold them.
pub(super) fn write_vocabulary(shards: &Shards, out: &mut Output) {
    let mut vocab: BTreeMap<String, BTreeSet<&String>> = BTreeMap::new();
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
}

/// The shard files, their postings as gaps between ids.
pub(super) fn write_shards(shards: Shards, out: &mut Output) {
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
}

/// Inverted index: token -> ascending doc ids, one map for titles and one for text.
/// Each document's tokens are worked out in parallel (the slow part: every word of every
/// guide), then added to the postings in id order.
fn postings(docs: &[Doc]) -> (HashMap<String, Vec<usize>>, HashMap<String, Vec<usize>>) {
    let mut title_postings: HashMap<String, Vec<usize>> = HashMap::default();
    let mut text_postings: HashMap<String, Vec<usize>> = HashMap::default();
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
    (title_postings, text_postings)
}

/// A document's title tokens, and the tokens of its text that are not in its title.
fn tokenise(d: &Doc) -> (Vec<String>, Vec<String>) {
    let mut title_tokens = tokens(&d.title);
    // People often type two words of a name as one ("wigtonmoor"): index adjacent
    // title words joined too.
    let joined: Vec<String> = title_tokens
        .windows(2)
        .map(|w| format!("{}{}", w[0], w[1]))
        .collect();
    title_tokens.extend(joined);
    // Each distinct word once: a long guide has millions of words but few distinct ones.
    let mut text_tokens: HashSet<String> = HashSet::default();
    for text in [d.text.as_str(), d.body] {
        for_each_name_token(text, |t| {
            if !text_tokens.contains(t) && !title_tokens.iter().any(|x| x == t) {
                text_tokens.insert(t.to_string());
            }
        });
    }
    (title_tokens, text_tokens.into_iter().collect())
}

/// Record that document `id` holds token `t` (ids arrive in ascending order).
fn add(map: &mut HashMap<String, Vec<usize>>, t: &str, id: usize) {
    match map.get_mut(t) {
        Some(ids) => push_unique(ids, id),
        None => {
            map.insert(t.to_string(), vec![id]);
        }
    }
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
    fn gaps_encode_ascending_ids() {
        let mut p = BTreeMap::new();
        p.insert("x".to_string(), vec![3, 5, 10]);
        assert_eq!(deltas(p)["x"], vec![3, 2, 5]);
    }
}
