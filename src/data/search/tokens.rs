//! Normalisation of text into search tokens (the identity rule of `crate::text`), and the shard a token belongs to. Mirrored
//! exactly in the theme's `search-core.mjs`; both are tested against the shared table in
//! `tests/search/normalise.json`.

/// Normalised search tokens of a text: the site's one identity rule for names
/// ([`crate::text::name_tokens`]), so that a search finds a school however it is written.
pub fn tokens(text: &str) -> Vec<String> {
    crate::text::name_tokens(text)
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
