//! Checking and presenting contact values: UK phone numbers, email addresses, web links.

use std::str::FromStr;

/// A UK phone number, kept as its national digits (leading 0, no spaces).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UkPhone {
    digits: String,
}

impl UkPhone {
    /// Accepts the ways people write UK numbers: `0113 378 5254`, `0113 37 85254`,
    /// `(0113) 3785254`, `+44 113 378 5254`, `+44 (0)113 378 5254`, `07900-741214`.
    pub fn parse(input: &str) -> Result<UkPhone, String> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err("the phone number is empty".into());
        }
        let mut rest = trimmed.to_string();
        let international = rest.starts_with('+') || rest.starts_with("0044");
        if let Some(r) = rest.strip_prefix('+') {
            rest = r.to_string();
        } else if let Some(r) = rest.strip_prefix("00") {
            rest = r.to_string();
        }
        rest = rest.replace("(0)", "");
        if let Some(bad) = rest
            .chars()
            .find(|c| !(c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')' | '.' | '\u{a0}')))
        {
            return Err(format!(
                "`{trimmed}` has `{bad}` in it; a phone number has only digits and spaces"
            ));
        }
        let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
        let national = if international {
            match digits.strip_prefix("44") {
                Some(d) => format!("0{}", d.trim_start_matches('0')),
                None => {
                    return Err(format!(
                        "`{trimmed}` is not a UK number (UK numbers start +44 or 0)"
                    ))
                }
            }
        } else {
            digits
        };
        if !national.starts_with('0') {
            return Err(format!(
                "`{trimmed}` does not start with 0 or +44; include the area code, like 0113"
            ));
        }
        let second = national.as_bytes().get(1).copied().unwrap_or(b'0');
        if !matches!(second, b'1' | b'2' | b'3' | b'5' | b'7' | b'8' | b'9') {
            return Err(format!("`{trimmed}` is not a UK number: after 0 it should start with 1, 2, 3, 5, 7, 8 or 9"));
        }
        let b = national.as_bytes();
        let len_ok = match national.len() {
            11 => true,
            // Some five-digit area codes (01xxx, not 011x or 01x1) and 0800 freephone
            // numbers are one digit shorter.
            10 => (second == b'1' && b[2] != b'1' && b[3] != b'1') || national.starts_with("0800"),
            _ => false,
        };
        if !len_ok {
            return Err(format!(
                "`{trimmed}` has {} digits; a UK number has 11 digits including the leading 0",
                national.len()
            ));
        }
        Ok(UkPhone { digits: national })
    }

    /// Written the usual UK way: `0113 378 5254`, `020 7946 0000`, `07900 741214`.
    pub fn display(&self) -> String {
        let d = &self.digits;
        let group = |cuts: &[usize]| {
            let mut out = String::new();
            let mut start = 0;
            for &c in cuts {
                out.push_str(&d[start..c]);
                out.push(' ');
                start = c;
            }
            out.push_str(&d[start..]);
            out
        };
        let b = d.as_bytes();
        match (d.len(), b[1], b[2], b[3]) {
            (11, b'2', _, _) => group(&[3, 7]),
            (11, b'1', b'1', _) | (11, b'1', _, b'1') => group(&[4, 7]),
            (11, b'1', _, _) | (11, b'7', _, _) => group(&[5]),
            (11, _, _, _) => group(&[4, 7]),
            (10, b'8', _, _) => group(&[4]),
            _ => group(&[5]),
        }
    }

    /// National digits with the leading 0, no spaces.
    pub fn digits(&self) -> &str {
        &self.digits
    }

    /// For `tel:` links: `+441133785254`.
    pub fn tel_uri(&self) -> String {
        format!("tel:+44{}", &self.digits[1..])
    }

    pub fn is_mobile(&self) -> bool {
        self.digits.starts_with("07")
    }
}

/// Checks an email address with the `email_address` crate, plus a dot in the domain
/// (an address on the public internet always has one).
pub fn check_email(input: &str) -> Result<String, String> {
    let s = input.trim();
    // The address is published as written: a space around it would be in every mail link.
    if s != input {
        return Err(format!(
            "`{s}` has a space or line break before or after it; remove it"
        ));
    }
    match email_address::EmailAddress::from_str(s) {
        Ok(addr) if addr.domain().contains('.') => Ok(s.to_string()),
        _ => Err(format!(
            "`{s}` is not an email address; write it like name@example.org.uk"
        )),
    }
}

/// Checks a web address: absolute `https://` or `http://` only, with no control,
/// invisible or bidirectional character or space anywhere in it (the URL parser would
/// silently drop, trim or encode them, so what was pasted is not what would be
/// published), `//` after the scheme, and no user name before the host
/// (`https://good.example@evil.example/` goes to evil.example). Returns the address as
/// the `url` crate writes it (normalised: lowercase scheme and host, percent-encoding,
/// a non-Latin host in its `xn--` form), which is what every output writes.
pub fn check_web_url(input: &str) -> Result<String, String> {
    let s = input.trim_matches(' ');
    if let Some((at, c)) = s.chars().enumerate().find(|(_, c)| {
        c.is_whitespace() || crate::text::is_invisible(*c) || crate::text::is_bidi_control(*c)
    }) {
        return Err(format!(
            "`{}` has {} at character {}: a web address cannot hold spaces, line breaks, control or invisible characters",
            s,
            char_name(c),
            at + 1
        ));
    }
    if let Some(e) = missing_slashes(s) {
        return Err(e);
    }
    match url::Url::parse(s) {
        Ok(u) if matches!(u.scheme(), "https" | "http") && u.host().is_some() => {
            if !u.username().is_empty() || u.password().is_some() {
                return Err(format!(
                    "`{s}` has `{}@` before its host, so it goes to {}, not to {}",
                    u.username(),
                    u.host_str().unwrap_or_default(),
                    u.username()
                ));
            }
            Ok(u.to_string())
        }
        Ok(u) => Err(format!(
            "`{s}` uses `{}:`; only web addresses starting https:// or http:// are allowed here",
            u.scheme()
        )),
        Err(_) => Err(format!(
            "`{s}` is not a web address; write it in full, like https://www.leeds.gov.uk/"
        )),
    }
}

/// For a web address [`check_web_url`] accepted: a warning when its host is not plain
/// Latin letters, digits and hyphens (`аpple.com` with a Cyrillic `а`), which browsers
/// show in its `xn--` form (or as look-alike letters), naming the host both ways.
pub fn deceptive_host(normalised: &str) -> Option<String> {
    let u = url::Url::parse(normalised).ok()?;
    let host = u.host_str()?;
    if !host.split('.').any(|label| label.starts_with("xn--")) {
        return None;
    }
    let (shown, _) = idna::domain_to_unicode(host);
    Some(format!(
        "the host `{shown}` of `{normalised}` has letters outside a-z, so it may not be the site it looks like; browsers may show it as `{host}`"
    ))
}

/// A web address whose scheme is not followed by `//` (`https:evil.example`,
/// `https:/evil.example`, `https:\\evil.example`): a URL parser repairs it, but a
/// browser given it as a link reads it as an address on the same site, so what was
/// pasted is not what the check saw. Returns the error.
fn missing_slashes(s: &str) -> Option<String> {
    let (scheme, rest) = s.split_once(':')?;
    if !(scheme.eq_ignore_ascii_case("https") || scheme.eq_ignore_ascii_case("http")) {
        return None;
    }
    if rest.starts_with("//") {
        return None;
    }
    let host = rest.trim_start_matches(['/', '\\']);
    Some(format!(
        "`{s}` has no `//` after `{scheme}:`, so a browser would take it for a page of this site; write it `{}://{host}`",
        scheme.to_ascii_lowercase()
    ))
}

/// "a space", "a line break", "the control character U+001B".
fn char_name(c: char) -> String {
    match c {
        ' ' => "a space".into(),
        '\n' | '\r' => "a line break".into(),
        '\t' => "a tab".into(),
        c if c.is_whitespace() => format!("the space character U+{:04X}", c as u32),
        c if c.is_control() => format!("the control character U+{:04X}", c as u32),
        c => format!("the invisible character U+{:04X}", c as u32),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_email_with_a_space_or_line_break_around_it_is_refused() {
        for space in [" ", "\t", "\n", "\r\n", "\u{a0}", "\u{2003}", "\u{3000}"] {
            for email in [
                format!("{space}help@example.org"),
                format!("help@example.org{space}"),
            ] {
                let err = check_email(&email).unwrap_err();
                assert!(err.contains("space or line break"), "{email:?}: {err}");
            }
        }
        assert_eq!(check_email("help@example.org").unwrap(), "help@example.org");
    }

    #[test]
    fn landlines_and_mobiles_are_grouped_the_uk_way() {
        for (input, want) in [
            ("0113 37 85254", "0113 378 5254"),
            ("01133785254", "0113 378 5254"),
            ("+44 (0)113 378 5254", "0113 378 5254"),
            ("0044 113 3785254", "0113 378 5254"),
            ("07900 741214", "07900 741214"),
            ("079-007-412-14", "07900 741214"),
            ("020 7946 0000", "020 7946 0000"),
            ("0121 496 0000", "0121 496 0000"),
            ("01632 960000", "01632 960000"),
            ("0800 123456", "0800 123456"),
            ("0300 123 4567", "0300 123 4567"),
        ] {
            assert_eq!(
                UkPhone::parse(input).unwrap().display(),
                want,
                "for {input}"
            );
        }
    }

    #[test]
    fn tel_links_are_international() {
        assert_eq!(
            UkPhone::parse("0113 3931244").unwrap().tel_uri(),
            "tel:+441133931244"
        );
        assert!(UkPhone::parse("07891 271053").unwrap().is_mobile());
    }

    #[test]
    fn non_uk_and_malformed_numbers_are_refused_with_reason() {
        assert!(UkPhone::parse("+1 212 555 0100")
            .unwrap_err()
            .contains("not a UK number"));
        assert!(UkPhone::parse("113 378 5254")
            .unwrap_err()
            .contains("does not start with 0"));
        assert!(UkPhone::parse("0113 378 525")
            .unwrap_err()
            .contains("has 10 digits"));
        assert!(UkPhone::parse("0113 378 52544")
            .unwrap_err()
            .contains("has 12 digits"));
        assert!(UkPhone::parse("0113 ext 5")
            .unwrap_err()
            .contains("has `e` in it"));
        assert!(UkPhone::parse("0413 378 5254")
            .unwrap_err()
            .contains("should start with"));
    }

    #[test]
    fn emails_and_urls() {
        assert!(check_email("Schoolwellbeing@leeds.gov.uk").is_ok());
        assert!(check_email("jodu@armcluster").is_err());
        assert!(check_email("not an email").is_err());
        assert!(check_web_url("https://www.leeds.gov.uk/").is_ok());
        assert!(check_web_url("javascript:alert(1)")
            .unwrap_err()
            .contains("`javascript:`"));
        assert!(check_web_url("www.leeds.gov.uk").is_err());
        assert_eq!(
            check_web_url(" HTTPS://WWW.Leeds.gov.uk/a b").unwrap_err(),
            "`HTTPS://WWW.Leeds.gov.uk/a b` has a space at character 27: a web address cannot hold spaces, line breaks, control or invisible characters"
        );
        assert_eq!(
            check_web_url("HTTPS://WWW.Leeds.GOV.uk/caf\u{e9}").unwrap(),
            "https://www.leeds.gov.uk/caf%C3%A9"
        );
    }

    /// `c` put at a random place in a good address is refused, naming that place.
    fn refused_at_its_place(rng: &mut fastrand::Rng, c: char) {
        let mut url: Vec<char> = "https://example.org/path?q=1#top".chars().collect();
        let at = rng.usize(0..=url.len());
        url.insert(at, c);
        let url: String = url.into_iter().collect();
        let e = check_web_url(&url).expect_err(&format!("{url:?} was accepted"));
        assert!(e.contains(&format!("at character {}", at + 1)), "{e}");
    }

    #[test]
    fn control_characters_anywhere_in_a_web_address_are_refused() {
        let mut rng = fastrand::Rng::with_seed(16);
        let bad = (0u32..0x20)
            .chain(0x7f..0xa0)
            .chain([0xa0, 0x2028, 0x2029, 0x202e, 0x2066, 0x3000])
            .filter_map(char::from_u32);
        for c in bad {
            for _ in 0..4 {
                refused_at_its_place(&mut rng, c);
            }
        }
    }

    /// Every invisible character (format, default-ignorable, separators, private-use,
    /// unassigned), anywhere in an address, is refused at its place, like the
    /// bidirectional ones: U+200B as U+202E.
    #[test]
    fn invisible_characters_anywhere_in_a_web_address_are_refused() {
        let mut rng = fastrand::Rng::with_seed(4);
        let mut tried = 0;
        for c in (0x80..=0x10FFFFu32).filter_map(char::from_u32) {
            if !crate::text::is_invisible(c) || (c as u32 > 0x30000 && rng.u32(..100) != 0) {
                continue;
            }
            tried += 1;
            refused_at_its_place(&mut rng, c);
        }
        assert!(tried > 5000, "{tried}");
        for c in [
            '\u{200b}',
            '\u{feff}',
            '\u{ad}',
            '\u{2060}',
            '\u{180e}',
            '\u{e0041}',
        ] {
            assert!(check_web_url(&format!("https://example.org/a{c}b")).is_err());
        }
    }

    /// A user name (and password) before the host is refused, whatever it holds.
    #[test]
    fn user_names_before_the_host_are_refused() {
        let mut rng = fastrand::Rng::with_seed(5);
        let users = [
            "good.example",
            "www.leeds.gov.uk",
            "a:b",
            "user",
            "%40x",
            "x:",
        ];
        for _ in 0..200 {
            let user = users[rng.usize(..users.len())];
            let scheme = ["https", "http", "HTTPS"][rng.usize(..3)];
            let url = format!(
                "{scheme}://{user}@evil{}.example/{}",
                rng.u8(..),
                rng.alphanumeric()
            );
            let e = check_web_url(&url).expect_err(&url);
            assert!(e.contains("before its host"), "{e}");
        }
    }

    #[test]
    fn the_message_names_both_schemes_allowed() {
        assert!(check_web_url("http://example.org/").is_ok());
        let e = check_web_url("ftp://example.org/").unwrap_err();
        assert!(e.contains("https:// or http://"), "{e}");
    }

    /// A host with any letter outside a-z (a Cyrillic or Greek look-alike mixed in, or
    /// an `xn--` name pasted as such) gets a warning naming it both ways; plain hosts
    /// get none.
    #[test]
    fn hosts_with_letters_outside_a_to_z_are_named_in_a_warning() {
        let mut rng = fastrand::Rng::with_seed(6);
        let look_alikes = [
            '\u{430}', '\u{435}', '\u{43e}', '\u{3bf}', '\u{456}', '\u{251}', '\u{1d0f}',
        ];
        for _ in 0..200 {
            let mut host: Vec<char> = "apple-example".chars().collect();
            let at = rng.usize(..host.len());
            host[at] = look_alikes[rng.usize(..look_alikes.len())];
            let host: String = host.into_iter().collect();
            let url = check_web_url(&format!("https://{host}.com/")).unwrap();
            let w = deceptive_host(&url).expect(&url);
            assert!(
                w.contains(&format!("`{host}.com`")) && w.contains("xn--"),
                "{w}"
            );
        }
        for plain in [
            "https://www.leeds.gov.uk/",
            "http://127.0.0.1/",
            "https://a-b.example/x",
        ] {
            assert_eq!(deceptive_host(&check_web_url(plain).unwrap()), None);
        }
    }
}
