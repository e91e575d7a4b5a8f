//! Normalisation of text into search tokens, and the shard a token belongs to. Mirrored
//! exactly in the theme's `search-core.mjs`; both are tested against the shared table in
//! `tests/search/normalise.json`.

use unicode_normalization::UnicodeNormalization;

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
    let cleaned = clean_text(text);
    let words: Vec<&str> = cleaned.split_whitespace().collect();
    let mut out = unify_phrases(&words);
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

/// The text with accents removed, in lower case, `&` spelt " and ", apostrophes and dots
/// dropped and other punctuation turned into spaces.
fn clean_text(text: &str) -> String {
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
    cleaned
}

/// The words with each of the [`PHRASES`] replaced by its one spelling.
fn unify_phrases(words: &[&str]) -> Vec<String> {
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
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn normalisation_matches_the_shared_table() {
        let text = include_str!("../../../tests/search/normalise.json");
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
}
