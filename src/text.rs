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

/// A key for comparing names of schools and centres however they are written:
/// "St. Paul's RC" and "St Pauls R.C." give the same key.
pub fn name_key(s: &str) -> String {
    s.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’' || c == '.'))
        .map(|w| {
            w.chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect::<String>()
        })
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Escape text for HTML or XML text and double-quoted attributes.
pub fn escape_markup(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
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
        assert_eq!(name_key("St. Paul's RC"), "st pauls rc");
        assert_ne!(name_key("Allerton High"), name_key("Allerton Grange"));
    }

    #[test]
    fn money_is_grouped() {
        assert_eq!(money(348776.0), "£348,776");
        assert_eq!(money(285.12), "£285.12");
        assert_eq!(money(6615.0), "£6,615");
        assert_eq!(money(1_000_000.5), "£1,000,000.50");
    }

    #[test]
    fn letters() {
        assert_eq!(index_letter("allerton"), 'A');
        assert_eq!(index_letter("'St Pauls"), 'S');
        assert_eq!(index_letter("123"), '#');
    }
}
