//! Small text helpers shared by every stage: slugs, name keys, escaping for HTML and
//! XML, money, index letters.

/// A URL- and id-safe slug: lowercase letters, digits and single hyphens.
/// "How to get help?" becomes "how-to-get-help"; "A.R.M" becomes "a-r-m".
pub fn slugify(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_hyphen = false;
    for c in s.chars() {
        if c.is_alphanumeric() {
            if pending_hyphen && !out.is_empty() {
                out.push('-');
            }
            pending_hyphen = false;
            out.extend(c.to_lowercase());
        } else if c == '\'' || c == '’' {
            // "Children's" -> "childrens"
        } else {
            pending_hyphen = true;
        }
    }
    out
}

/// The longest slug (in bytes; slugs are ASCII): a slug is a folder name in the built
/// site, and file systems refuse names over 255 bytes; addresses this long are already
/// hard to read out or type.
pub const MAX_SLUG_LEN: usize = 100;

/// Whether a slug is in the canonical form [`slugify`] produces (ASCII only, so that
/// URLs stay readable and typeable).
pub fn is_valid_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
}

/// A key for comparing names of schools and centres however they are written: the
/// [`name_tokens`] run together, without the spaces or hyphens between them (so "All
/// through", "All-through" and "Allthrough" are one name). "St. Paul's RC Primary",
/// "Saint Pauls Roman Catholic School" and the same with a zero-width space, a Cyrillic
/// "а" or full-width letters all give "stpaulsrc".
pub fn name_key(s: &str) -> String {
    name_tokens(s).concat()
}

/// Words that add nothing to telling schools apart ("Primary School" is optional).
const STOP_WORDS: &[&str] = &["primary", "school", "the"];

/// Multi-word and single-word spellings that mean the same thing.
const PHRASES: &[(&[&str], &str)] = &[
    (&["church", "of", "england"], "ce"),
    (&["c", "of", "e"], "ce"),
    (&["c", "e"], "ce"),
    (&["roman", "catholic"], "rc"),
    (&["r", "c"], "rc"),
    (&["catholic"], "rc"),
    (&["cofe"], "ce"),
    (&["saint"], "st"),
];

mod confusables;

/// Characters that look like Latin letters or digits, and what they stand for: Unicode's
/// confusables (UTS #39) for every letter and digit, small capitals, `ß`, fillers that
/// show as a blank (a space) and the Arabic tatweel (nothing). Generated with its mirror
/// for `search-core.mjs` by `scripts/confusables.py`.
use confusables::CONFUSABLES;

/// Apostrophes (and marks typed for them), dropped so that "Paul's" is "pauls".
const APOSTROPHES: &[char] = &[
    '\'', '`', '\u{2018}', '\u{2019}', '\u{2bc}', '\u{b4}', '\u{2032}',
];

/// Default ignorable code points (Unicode's `Default_Ignorable_Code_Point`): invisible
/// characters such as the zero-width space, the soft hyphen, joiners, variation
/// selectors, bidirectional controls and tags.
#[rustfmt::skip]
const IGNORABLE: &[(u32, u32)] = &[
    (0xAD, 0xAD), (0x34F, 0x34F), (0x61C, 0x61C), (0x115F, 0x1160), (0x17B4, 0x17B5),
    (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F),
    (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF),
];

/// The Latin letters (or the space, or nothing) a look-alike character stands for.
fn look_alike(c: char) -> Option<&'static str> {
    CONFUSABLES
        .binary_search_by_key(&c, |(from, _)| *from)
        .ok()
        .map(|i| CONFUSABLES[i].1)
}

/// Unicode's `Default_Ignorable_Code_Point`: characters that show nothing (zero-width
/// space, soft hyphen, joiners, fillers, variation selectors, bidirectional controls,
/// tags).
pub fn is_ignorable(c: char) -> bool {
    let c = c as u32;
    IGNORABLE.iter().any(|(lo, hi)| (*lo..=*hi).contains(&c))
}

/// Characters that reorder the text around them: the bidirectional embeddings,
/// overrides, isolates and marks (U+061C, U+200E, U+200F, U+202A..U+202E,
/// U+2066..U+2069).
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Characters a reader cannot see or that do not print as themselves: controls (tab
/// and line feed too), format characters, line and paragraph separators, private-use,
/// surrogate and unassigned code points (noncharacters among them), and every
/// [`is_ignorable`] one.
pub fn is_invisible(c: char) -> bool {
    use unicode_general_category::{get_general_category, GeneralCategory as G};
    matches!(
        get_general_category(c),
        G::Control
            | G::Format
            | G::LineSeparator
            | G::ParagraphSeparator
            | G::PrivateUse
            | G::Surrogate
            | G::Unassigned
    ) || is_ignorable(c)
        || is_noncharacter(c)
}

/// The tokens of a name or a search: one identity rule for names, shared by the check
/// of schools listed twice and the search index (and mirrored exactly in the theme's
/// `search-core.mjs`; both are tested against `tests/search/normalise.json`).
///
/// A character that looks like Latin letters or digits becomes them (Unicode's
/// confusables: Cyrillic, Greek, Cherokee, Lisu, Armenian, small capitals...; a filler
/// that shows as a blank is a space, the tatweel nothing). Each other character is taken
/// in its compatibility decomposition (NFKD: full-width and styled letters become plain
/// ones, accents come apart), and then combining marks and invisible characters are
/// dropped, look-alikes among what is left become Latin letters,
/// case is folded, `&` is "and", apostrophes and dots are dropped and other
/// punctuation separates words. Then common spellings are unified ("Saint" is "st",
/// "Roman Catholic" and "Catholic" are "rc", "Church of England" and "C of E" are "ce")
/// and filler words ("primary", "school", "the") removed.
pub fn name_tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_name_token(text, |t| out.push(t.to_string()));
    out
}

/// [`name_tokens`] one at a time, without holding them all: a long text's tokens would
/// take many times the text's own memory.
pub fn for_each_name_token(text: &str, f: impl FnMut(&str)) {
    let cleaned = clean_name(text);
    for_each_cleaned_token(&cleaned, f);
}

/// [`for_each_name_token`] over a text already cleaned by [`clean_name`], each token
/// borrowed from it (or a fixed spelling), so a caller may keep them while it keeps the
/// text.
pub fn for_each_cleaned_token<'a>(cleaned: &'a str, mut f: impl FnMut(&'a str)) {
    let mut words = cleaned.split_ascii_whitespace();
    // The longest phrase is three words: look that far ahead.
    let mut ahead: std::collections::VecDeque<&'a str> =
        std::collections::VecDeque::with_capacity(3);
    loop {
        while ahead.len() < 3 {
            match words.next() {
                Some(w) => ahead.push_back(w),
                None => break,
            }
        }
        let Some(first) = ahead.front() else { return };
        let phrase = PHRASES.iter().find(|(p, _)| {
            p[0].as_bytes()[0] == first.as_bytes()[0]
                && p.len() <= ahead.len()
                && p.iter().zip(&ahead).all(|(a, b)| a == b)
        });
        let (token, used): (&'a str, usize) = match phrase {
            Some((p, replacement)) => (replacement, p.len()),
            None => (first, 1),
        };
        if !STOP_WORDS.contains(&token) {
            f(token);
        }
        ahead.drain(..used);
    }
}

/// The text as lower-case words separated by spaces (see [`name_tokens`]).
pub fn clean_name(text: &str) -> String {
    use unicode_normalization::char::{decompose_compatible, is_combining_mark};
    let mut cleaned = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            push_clean(&mut cleaned, c);
        } else if let Some(to) = look_alike(c) {
            cleaned.push_str(to);
        } else if !APOSTROPHES.contains(&c) {
            // Marks are dropped, so each character can be decomposed on its own.
            decompose_compatible(c, |d| {
                if is_combining_mark(d) || is_ignorable(d) {
                    return;
                }
                match look_alike(d) {
                    Some(to) => cleaned.push_str(to),
                    None => push_clean(&mut cleaned, d),
                }
            });
        }
    }
    cleaned
}

/// One character of a name, cleaned: see [`name_tokens`].
fn push_clean(cleaned: &mut String, c: char) {
    // Letters and digits first: they are almost every character of a long text, and no
    // other arm matches them.
    match c {
        c if c.is_ascii_alphanumeric() => cleaned.push(c.to_ascii_lowercase()),
        '&' => cleaned.push_str(" and "),
        '.' => {}
        c if APOSTROPHES.contains(&c) => {}
        c if c.is_alphanumeric() => cleaned.extend(c.to_lowercase()),
        _ => cleaned.push(' '),
    }
}

/// Escape text for HTML or XML text and double-quoted attributes.
pub fn escape_markup(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Escape text for XML (Atom, sitemaps, SVG): [`escape_markup`], after dropping every
/// character outside XML 1.0's `Char` production (C0 controls but tab and newline) and
/// the ones XML discourages or a reader may refuse: DEL, C1 controls and Unicode
/// noncharacters (U+FDD0..U+FDEF and U+xFFFE, U+xFFFF in every plane). Line ends
/// (CRLF, lone CR) become `\n`, as an XML parser would read them anyway.
pub fn xml_text(s: &str) -> String {
    let kept: String = s
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|&c| !is_xml_unsafe(c))
        .collect();
    escape_markup(&kept)
}

/// Whether [`xml_text`] drops a character.
pub fn is_xml_unsafe(c: char) -> bool {
    (c.is_control() && c != '\t' && c != '\n') || is_noncharacter(c)
}

/// Unicode noncharacters: U+FDD0..U+FDEF and the last two code points of every plane.
pub fn is_noncharacter(c: char) -> bool {
    let n = c as u32;
    (0xFDD0..=0xFDEF).contains(&n) || n & 0xFFFE == 0xFFFE
}

/// Pounds with thousands separators: 348776.0 -> "£348,776", 285.12 -> "£285.12".
pub fn money(amount: f64) -> String {
    let pence = (amount * 100.0).round() as i64;
    let (pounds, rem) = (pence / 100, pence % 100);
    let digits = pounds.abs().to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if pence < 0 { "-" } else { "" };
    if rem == 0 {
        format!("{sign}£{grouped}")
    } else {
        format!("{sign}£{grouped}.{:02}", rem.abs())
    }
}

/// The first letter of a name for A to Z grouping: A-Z, or "#" for anything else.
pub fn index_letter(s: &str) -> char {
    s.chars()
        .find(|c| c.is_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .filter(char::is_ascii_uppercase)
        .unwrap_or('#')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slugify("How to get help?"), "how-to-get-help");
        assert_eq!(slugify("Children's centres"), "childrens-centres");
        assert_eq!(slugify("  A.R.M  "), "a-r-m");
        assert!(is_valid_slug("beeston-cottingley-middleton"));
        assert!(!is_valid_slug("ARM"));
        assert!(!is_valid_slug("a--b"));
        assert!(!is_valid_slug(""));
    }

    #[test]
    fn name_keys_ignore_punctuation_and_case() {
        assert_eq!(name_key("St. Paul's RC"), name_key("St Pauls R.C."));
        assert_eq!(name_key("St. Paul's RC"), "stpaulsrc");
        assert_ne!(name_key("Allerton High"), name_key("Allerton Grange"));
    }

    /// Names as they are usually written, with the spellings that are the same words.
    const NAMES: &[&str] = &[
        "St Paul's RC Primary School",
        "Allerton CE Primary",
        "Holy Rosary and St Anne's Catholic Primary",
        "Beeston Hill St Luke's C of E School",
        "Kerr Mackie Primary",
        "Café Crèche Children's Centre",
    ];

    /// Spellings that mean the same words: each is swapped for the others.
    const SAME_WORDS: &[&[&str]] = &[
        &["St", "Saint", "St.", "ST"],
        &["RC", "Roman Catholic", "R.C.", "Catholic", "R. C."],
        &[
            "CE",
            "Church of England",
            "C of E",
            "C.E.",
            "CofE",
            "C. of E.",
        ],
        &["Primary School", "Primary", "School", "Primary school"],
    ];

    /// Invisible characters (zero-width space and joiners, soft hyphen, word joiner,
    /// variation selectors, bidirectional controls, byte order mark, a tag).
    const INVISIBLE: &[char] = &[
        '\u{200b}',
        '\u{200c}',
        '\u{200d}',
        '\u{ad}',
        '\u{2060}',
        '\u{fe0f}',
        '\u{fe00}',
        '\u{200e}',
        '\u{200f}',
        '\u{202e}',
        '\u{2066}',
        '\u{feff}',
        '\u{e0041}',
        '\u{34f}',
    ];

    /// Every variant of `name` made by one transformation: an invisible character at each
    /// place, each letter swapped for each look-alike, full-width letters, accents
    /// added to each letter (decomposed), each same-word spelling, and changes of case.
    fn variants(name: &str, rng: &mut fastrand::Rng) -> Vec<String> {
        let chars: Vec<char> = name.chars().collect();
        let mut out = Vec::new();
        for i in 0..=chars.len() {
            for inv in INVISIBLE {
                let mut v = chars.clone();
                v.insert(i, *inv);
                out.push(v.into_iter().collect());
            }
        }
        for (i, c) in chars.iter().enumerate() {
            // Up to 6 look-alikes of each letter, from all of Unicode's confusables.
            let alikes: Vec<char> = CONFUSABLES
                .iter()
                .filter(|(_, to)| to.len() == 1 && to.eq_ignore_ascii_case(&c.to_string()))
                .map(|(from, _)| *from)
                .collect();
            for _ in 0..alikes.len().min(6) {
                let mut v = chars.clone();
                v[i] = alikes[rng.usize(..alikes.len())];
                out.push(v.into_iter().collect());
            }
            if c.is_alphabetic() {
                let mark = char::from_u32(rng.u32(0x300..0x370)).unwrap();
                let mut v = chars.clone();
                v.insert(i + 1, mark);
                out.push(v.into_iter().collect());
            }
        }
        let full_width = |c: char| match c {
            '!'..='~' => char::from_u32(c as u32 + 0xFEE0).unwrap(),
            ' ' => '\u{3000}',
            c => c,
        };
        out.push(name.chars().map(full_width).collect());
        let mixed: String = chars
            .iter()
            .map(|c| if rng.bool() { full_width(*c) } else { *c })
            .collect();
        out.push(mixed);
        out.push(name.to_uppercase());
        out.push(name.to_lowercase());
        for group in SAME_WORDS {
            for from in *group {
                if let Some(at) = find_word(name, from) {
                    for to in *group {
                        out.push(format!("{}{to}{}", &name[..at], &name[at + from.len()..]));
                    }
                }
            }
        }
        out
    }

    /// Where `word` is in `name` as whole words.
    fn find_word(name: &str, word: &str) -> Option<usize> {
        name.match_indices(word).map(|(i, _)| i).find(|&i| {
            let before = name[..i].chars().next_back();
            let after = name[i + word.len()..].chars().next();
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        })
    }

    #[test]
    fn every_way_of_writing_a_name_has_its_key() {
        let mut rng = fastrand::Rng::with_seed(16);
        for name in NAMES {
            let key = name_key(name);
            let all = variants(name, &mut rng);
            assert!(all.len() > 100, "{name}: {}", all.len());
            for v in all {
                assert_eq!(
                    name_key(&v),
                    key,
                    "{v:?} ({:?})",
                    v.escape_unicode().to_string()
                );
            }
        }
    }

    /// The look-alikes the identity rule must catch, each in a name.
    #[test]
    fn look_alikes_of_other_scripts_and_fillers_are_caught() {
        for (disguised, name) in [
            ("\u{13c3}ebra Academy", "Zebra Academy"),
            ("\u{a4d2}ale Primary", "Dale Primary"),
            ("Br\u{585}\u{578}te", "Bronte"),
            ("\u{251}ll Saints", "All Saints"),
            ("\u{1d05}ale \u{1d0f}ak", "Dale Oak"),
            ("\u{271}oor", "Moor"),
            ("Zebr\u{640}a", "Zebra"),
            ("All\u{1160}Saints", "All Saints"),
            ("All\u{115f}Saints", "All Saints"),
            ("Saint\u{180e}Mary", "St Mary"),
            ("Allthrough", "All-through"),
            ("ZebraAcademy", "Zebra Academy"),
        ] {
            assert_eq!(name_key(disguised), name_key(name), "{disguised:?}");
        }
        assert_eq!(name_tokens("All\u{1160}Saints"), ["all", "saints"]);
    }

    /// Names of generated words are one name however the words are put together:
    /// spaces, hyphens, nothing, fillers that show as a blank, or a mix.
    #[test]
    fn spacing_and_hyphens_do_not_change_a_name() {
        let mut rng = fastrand::Rng::with_seed(5);
        let joins = [
            " ", "-", "", " - ", "\u{1160}", "\u{3164}", "\u{180e}", "  ",
        ];
        for _ in 0..300 {
            let words: Vec<String> = (0..rng.usize(2..5))
                .map(|_| {
                    let mut w: String = (0..rng.usize(3..9)).map(|_| rng.lowercase()).collect();
                    if rng.bool() {
                        w[..1].make_ascii_uppercase();
                    }
                    w
                })
                .collect();
            let plain = words.join(" ");
            if PHRASES
                .iter()
                .any(|(p, _)| p.iter().any(|w| plain.to_lowercase().contains(w)))
                || STOP_WORDS.iter().any(|w| plain.to_lowercase().contains(w))
            {
                continue;
            }
            let mut joined = words[0].clone();
            for w in &words[1..] {
                joined.push_str(joins[rng.usize(..joins.len())]);
                joined.push_str(w);
            }
            assert_eq!(name_key(&joined), name_key(&plain), "{joined:?}");
        }
    }

    /// Every look-alike of the table reads as what it stands for inside a word (the
    /// browser's suite checks the same of `search-core.mjs`).
    #[test]
    fn every_look_alike_reads_as_what_it_stands_for() {
        for (c, to) in CONFUSABLES {
            assert_eq!(
                name_tokens(&format!("zq{c}qz")),
                name_tokens(&format!("zq{to}qz")),
                "U+{:04X}",
                *c as u32
            );
        }
    }

    /// The table the browser's search reads is the table the check reads.
    #[test]
    fn the_browser_has_the_same_look_alike_table() {
        let js = include_str!("../themes/default/static/confusables.mjs");
        let rows: Vec<(char, String)> = js
            .lines()
            .filter_map(|l| l.trim().strip_prefix("\"\\u{"))
            .map(|l| {
                let (hex, rest) = l.split_once("}\": \"").unwrap();
                let c = char::from_u32(u32::from_str_radix(hex, 16).unwrap()).unwrap();
                (c, rest.trim_end_matches("\",").to_string())
            })
            .collect();
        let rust: Vec<(char, String)> = CONFUSABLES
            .iter()
            .map(|(c, s)| (*c, s.to_string()))
            .collect();
        assert!(rust.len() > 800, "{}", rust.len());
        assert_eq!(rows, rust);
        assert!(CONFUSABLES.windows(2).all(|w| w[0].0 < w[1].0), "sorted");
    }

    #[test]
    fn different_names_keep_different_keys() {
        let keys: std::collections::HashSet<String> = NAMES.iter().map(|n| name_key(n)).collect();
        assert_eq!(keys.len(), NAMES.len());
        assert_ne!(name_key("Allerton CE"), name_key("Allerton RC"));
        assert_ne!(name_key("St Mary's"), name_key("St Mark's"));
    }

    #[test]
    fn money_is_grouped() {
        assert_eq!(money(348776.0), "£348,776");
        assert_eq!(money(285.12), "£285.12");
        assert_eq!(money(6615.0), "£6,615");
        assert_eq!(money(1_000_000.5), "£1,000,000.50");
    }

    #[test]
    fn xml_text_drops_what_xml_cannot_hold() {
        assert_eq!(xml_text("a\u{0}b\u{1b}c\u{7f}d\u{85}e"), "abcde");
        assert_eq!(xml_text("a\r\nb\rc\td"), "a\nb\nc\td");
        for plane in 0..=16u32 {
            let c = char::from_u32(plane << 16 | 0xFFFE).unwrap();
            assert_eq!(xml_text(&format!("x{c}y")), "xy");
        }
        assert_eq!(xml_text("\u{fdd0}\u{fdef}<&>"), "&lt;&amp;&gt;");
        assert_eq!(
            xml_text("\u{fffd}\u{fdcf}\u{10000}"),
            "\u{fffd}\u{fdcf}\u{10000}"
        );
    }

    #[test]
    fn letters() {
        assert_eq!(index_letter("allerton"), 'A');
        assert_eq!(index_letter("'St Pauls"), 'S');
        assert_eq!(index_letter("123"), '#');
    }

    #[test]
    fn generated_text_is_well_formed_xml_and_reads_back() {
        let mut rng = fastrand::Rng::with_seed(1010);
        let mut pool: Vec<char> = (0u32..0xa0).filter_map(char::from_u32).collect();
        pool.extend([
            '\u{d7ff}', '\u{e000}', '\u{fdd0}', '\u{fdef}', '\u{fffd}', '\u{2028}',
        ]);
        for plane in 0..=16u32 {
            pool.extend([0xfffe, 0xffff].map(|n| char::from_u32(plane << 16 | n).unwrap()));
        }
        for _ in 0..2000 {
            let s: String = (0..rng.usize(0..60))
                .map(|_| pool[rng.usize(..pool.len())])
                .collect();
            let xml = format!("<a t=\"{}\">{}</a>", xml_text(&s), xml_text(&s));
            let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{e}: {xml:?}"));
            let want: String = s
                .replace("\r\n", "\n")
                .replace('\r', "\n")
                .chars()
                .filter(|&c| !is_xml_unsafe(c))
                .collect();
            assert_eq!(doc.root_element().text().unwrap_or(""), want);
        }
    }
}
