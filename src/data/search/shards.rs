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
use crate::text::{clean_name, for_each_cleaned_token};

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

/// Token -> ascending doc ids, for titles and for text.
type Pair = (HashMap<String, Vec<usize>>, HashMap<String, Vec<usize>>);

/// Inverted index: token -> ascending doc ids, one map for titles and one for text.
/// A batch of documents is tokenised in parallel, each thread adding the documents it
/// takes, in id order, straight into postings of its own (no list of each document's
/// tokens is made); those are then joined in id order into the whole index.
fn postings(docs: &[Doc]) -> Pair {
    let mut all: Pair = Pair::default();
    for (n, chunk) in docs.chunks(BATCH).enumerate() {
        let batch = chunk
            .par_iter()
            .enumerate()
            .fold(Pair::default, |mut acc, (i, d)| {
                add_document(&mut acc, d, n * BATCH + i);
                acc
            })
            .reduce(Pair::default, |mut a, b| {
                join(&mut a.0, b.0);
                join(&mut a.1, b.1);
                a
            });
        join(&mut all.0, batch.0);
        join(&mut all.1, batch.1);
    }
    all
}

/// Add a document's title tokens, and the tokens of its text that are not in its
/// title, to `postings` (whose ids are all below `id`). Each token of the text is looked
/// up in the document's own small set first, so the (large, shared) postings are looked
/// up once per distinct token, not once per word.
fn add_document((title_postings, text_postings): &mut Pair, d: &Doc, id: usize) {
    let mut title_tokens = tokens(&d.title);
    // People often type two words of a name as one ("wigtonmoor"): index adjacent
    // title words joined too.
    let joined: Vec<String> = title_tokens
        .windows(2)
        .map(|w| format!("{}{}", w[0], w[1]))
        .collect();
    title_tokens.extend(joined);
    for t in &title_tokens {
        add(title_postings, t, id);
    }
    let cleaned = [clean_name(&d.text), clean_name(d.body)];
    let mut seen: HashSet<&str> = title_tokens.iter().map(String::as_str).collect();
    for text in &cleaned {
        for_each_cleaned_token(text, |t| {
            if seen.insert(t) {
                add(text_postings, t, id);
            }
        });
    }
}

/// Join `later`, whose ids all come after those of `into`, onto the end of `into`'s
/// lists.
fn join(into: &mut HashMap<String, Vec<usize>>, later: HashMap<String, Vec<usize>>) {
    if into.is_empty() {
        *into = later;
        return;
    }
    for (t, ids) in later {
        let list = into.entry(t).or_default();
        debug_assert!(list.last() < ids.first(), "ids joined out of order");
        list.extend(ids);
    }
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

    /// The postings as the plain definition says: for each document in id order, its
    /// title tokens (and adjacent pairs joined), and the tokens of its text not among them.
    fn reference(docs: &[Doc]) -> (BTreeMap<String, Vec<usize>>, BTreeMap<String, Vec<usize>>) {
        let (mut title, mut text) = (BTreeMap::new(), BTreeMap::new());
        for (id, d) in docs.iter().enumerate() {
            let mut t = tokens(&d.title);
            let joined: Vec<String> = t.windows(2).map(|w| w.concat()).collect();
            t.extend(joined);
            for w in &t {
                let ids: &mut Vec<usize> = title.entry(w.clone()).or_default();
                push_unique(ids, id);
            }
            for w in tokens(&d.text).into_iter().chain(tokens(d.body)) {
                if !t.contains(&w) {
                    push_unique(text.entry(w).or_default(), id);
                }
            }
        }
        (title, text)
    }

    #[test]
    fn postings_match_the_plain_definition_on_generated_documents() {
        // Words that repeat, phrases that merge ("church of england"), filler words,
        // and an accented letter, in seeded random documents of random lengths: enough
        // documents for several batches, so batches and threads are joined in order.
        let words = [
            "church", "of", "england", "saint", "the", "school", "st", "mary", "c", "e", "roman",
            "catholic", "Álvarez", "care", "help", "x1", "&", "paul's",
        ];
        let mut rng = fastrand::Rng::with_seed(21);
        let mut text = |n: usize| -> String {
            (0..n)
                .map(|_| words[rng.usize(..words.len())])
                .collect::<Vec<_>>()
                .join(" ")
        };
        let bodies: Vec<String> = (0..BATCH * 3 + 17).map(|_| text(60)).collect();
        let docs: Vec<Doc> = bodies
            .iter()
            .map(|body| Doc {
                kind: 4,
                title: text(4),
                cluster: -1,
                extra: serde_json::Value::Null,
                text: text(3),
                body,
            })
            .collect();
        let (title, text_postings) = postings(&docs);
        let sorted = |m: HashMap<String, Vec<usize>>| m.into_iter().collect::<BTreeMap<_, _>>();
        let (want_title, want_text) = reference(&docs);
        assert!(want_text.len() > 5 && want_title.len() > 5);
        assert_eq!(sorted(title), want_title);
        assert_eq!(sorted(text_postings), want_text);
    }

    #[test]
    fn gaps_encode_ascending_ids() {
        let mut p = BTreeMap::new();
        p.insert("x".to_string(), vec![3, 5, 10]);
        assert_eq!(deltas(p)["x"], vec![3, 2, 5]);
    }
}
