//! Who may change content through the editor: a request whose `Host` the server has
//! already accepted (see [`crate::serve::host`]), whose `Origin` is that same address,
//! that carries this run's token, and whose form is no larger than [`MAX_FORM`].
//!
//! A page on another website can send a form to the preview (a browser lets it post
//! anywhere), but the browser names that website in `Origin` and the page cannot read
//! the token, which is made from the system's random source when `serve` starts and
//! is written only into the editor's own pages.

use std::future::poll_fn;
use std::pin::Pin;

use hyper::body::{Body as _, Incoming};

/// The most bytes a form may post: a long guide and its fields, with room to spare.
pub const MAX_FORM: usize = 2 * 1024 * 1024;

/// The name of the token's field in every form.
pub const TOKEN_FIELD: &str = "_token";

/// This run's secret, required in every form the editor accepts.
#[derive(Clone)]
pub struct Token(String);

impl Token {
    /// 32 bytes from the system's random source, as hex.
    pub fn generate() -> std::io::Result<Token> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| std::io::Error::other(e.to_string()))?;
        Ok(Token(bytes.iter().map(|b| format!("{b:02x}")).collect()))
    }

    /// The token as written into forms.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `given` is the token; compared in a time that does not depend on where
    /// the first difference is.
    pub fn matches(&self, given: &str) -> bool {
        let (a, b) = (self.0.as_bytes(), given.as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }
}

/// What the editor answers from: the site it edits and this run's token.
pub struct Session {
    pub root: std::path::PathBuf,
    pub token: Token,
    /// The preview's state: its render cache makes the check before a save quick.
    preview: std::sync::Arc<crate::serve::state::PreviewState>,
    /// Tells the preview's watcher that a save is written, so it rebuilds at once.
    saves: crate::serve::watch::Saves,
    /// Whether the preview listens on a loopback address only: when it listens on the
    /// network (`--bind`), the editor is off, as anyone who can reach it could edit.
    pub loopback: bool,
}

impl Session {
    /// A session for the site at `root`, with a new token; `listening` is the
    /// address the preview listens on.
    pub fn start(
        root: &std::path::Path,
        listening: std::net::IpAddr,
        preview: std::sync::Arc<crate::serve::state::PreviewState>,
        saves: crate::serve::watch::Saves,
    ) -> std::io::Result<Session> {
        Ok(Session {
            root: root.to_path_buf(),
            token: Token::generate()?,
            preview,
            saves,
            loopback: listening.is_loopback(),
        })
    }

    /// Where saves go: the site, checked through the preview's render cache.
    pub fn place(&self) -> crate::edit::Place<'_> {
        crate::edit::Place {
            root: &self.root,
            cache: Some(&self.preview.cache),
        }
    }

    /// Say that a save was written: the preview rebuilds without waiting for the file
    /// events to settle.
    pub fn saved(&self) {
        let _ = self.saves.send(crate::serve::watch::saved());
    }

    /// The preview's last build error, if its last build failed.
    pub fn build_error(&self) -> Option<String> {
        self.preview.error()
    }

    /// Why the editor is off, if it is.
    pub fn off(&self) -> Option<Refused> {
        (!self.loopback).then(|| {
            refused(
                403,
                "The editor is off because the preview listens on the network (--bind): anyone who can reach it could change the content. Run clusterdir serve without --bind to edit in the browser.",
            )
        })
    }
}

/// Why a change was refused, in words for the person who sent it.
#[derive(Debug, PartialEq)]
pub struct Refused {
    pub status: u16,
    pub message: String,
}

fn refused(status: u16, message: &str) -> Refused {
    Refused {
        status,
        message: message.to_string(),
    }
}

/// Whether `origin` (the request's `Origin` headers) is the preview's own address,
/// `http://` + `host` (the `Host` the server already accepted).
pub fn check_origin(origins: &[&[u8]], host: &str) -> Result<(), Refused> {
    let own = format!("http://{host}");
    match origins {
        [] => Err(refused(
            403,
            "This change was refused: the request did not say which page sent it (no Origin header). Open the editor in a browser at the preview's address and send the form from there.",
        )),
        [one] if one.eq_ignore_ascii_case(own.as_bytes()) => Ok(()),
        _ => Err(refused(
            403,
            "This change was refused: it was sent from another website. Only the editor's own pages, at the preview's address, may change content.",
        )),
    }
}

/// Whether the form carries this run's token.
pub fn check_token(form: &[(String, String)], token: &Token) -> Result<(), Refused> {
    let given: Vec<&str> = form
        .iter()
        .filter(|(k, _)| k == TOKEN_FIELD)
        .map(|(_, v)| v.as_str())
        .collect();
    match given[..] {
        [one] if token.matches(one) => Ok(()),
        [] => Err(refused(
            403,
            "This change was refused: the form had no editor token. Reload the editor page and send the form again.",
        )),
        _ => Err(refused(
            403,
            "This change was refused: the form's editor token is not this preview's (the preview may have been restarted). Reload the editor page and send the form again.",
        )),
    }
}

/// Read a form body of at most [`MAX_FORM`] bytes (refusing a longer one, said or
/// sent, without reading the rest) and decode it.
pub async fn read_form(
    declared: Option<u64>,
    mut body: Incoming,
) -> Result<Vec<(String, String)>, Refused> {
    let too_large = || {
        refused(
            413,
            &format!(
                "This form is too large: the editor accepts at most {} MB at once.",
                MAX_FORM / (1024 * 1024)
            ),
        )
    };
    if declared.is_some_and(|n| n > MAX_FORM as u64) {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    while let Some(frame) = poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await {
        let frame = frame.map_err(|_| refused(400, "The form was not received whole."))?;
        if let Ok(data) = frame.into_data() {
            if bytes.len() + data.len() > MAX_FORM {
                return Err(too_large());
            }
            bytes.extend_from_slice(&data);
        }
    }
    Ok(decode_form(&bytes))
}

/// `application/x-www-form-urlencoded` to name, value pairs, in order.
pub fn decode_form(bytes: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(bytes).into_owned().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_only_the_same_token_matches() {
        let a = Token::generate().unwrap();
        let b = Token::generate().unwrap();
        assert_ne!(a.as_str(), b.as_str());
        assert_eq!(a.as_str().len(), 64);
        assert!(a.matches(a.as_str()));
        let mut rng = fastrand::Rng::with_seed(20);
        let chars: Vec<char> = a.as_str().chars().collect();
        for _ in 0..500 {
            // One character changed, one dropped, one added, or an unrelated string.
            let mut other = chars.clone();
            match rng.u8(..4) {
                0 => {
                    let i = rng.usize(..other.len());
                    other[i] = if other[i] == '0' { '1' } else { '0' };
                }
                1 => {
                    other.remove(rng.usize(..other.len()));
                }
                2 => other.push(rng.alphanumeric()),
                _ => other = (0..rng.usize(..80)).map(|_| rng.char(..)).collect(),
            }
            let other: String = other.into_iter().collect();
            assert!(!a.matches(&other), "{other}");
            let form = vec![(TOKEN_FIELD.to_string(), other)];
            assert_eq!(check_token(&form, &a).unwrap_err().status, 403);
        }
        let ok = vec![(TOKEN_FIELD.to_string(), a.as_str().to_string())];
        assert!(check_token(&ok, &a).is_ok());
        assert!(check_token(&[], &a)
            .unwrap_err()
            .message
            .contains("no editor token"));
        let twice = [ok.clone(), ok].concat();
        assert!(check_token(&twice, &a).is_err());
    }

    #[test]
    fn only_the_previews_own_origin_may_post() {
        let host = "127.0.0.1:4321";
        assert!(check_origin(&[b"http://127.0.0.1:4321"], host).is_ok());
        let mut rng = fastrand::Rng::with_seed(21);
        let mut others: Vec<String> = [
            "null",
            "http://127.0.0.1:4322",
            "https://127.0.0.1:4321",
            "http://localhost:4321",
            "http://127.0.0.1:4321.evil.example",
            "http://127.0.0.1",
            "",
        ]
        .map(String::from)
        .to_vec();
        for _ in 0..300 {
            let label: String = (0..rng.usize(1..12)).map(|_| rng.alphanumeric()).collect();
            others.push(format!("http://{label}.example"));
            others.push(format!("http://127.0.0.1:{}", rng.u16(..).max(4322)));
        }
        for origin in &others {
            let why = check_origin(&[origin.as_bytes()], host).unwrap_err();
            assert!(why.message.contains("another website"), "{origin}");
        }
        let missing = check_origin(&[], host).unwrap_err();
        assert!(missing.message.contains("no Origin header"));
        let two: &[&[u8]] = &[b"http://127.0.0.1:4321", b"http://127.0.0.1:4321"];
        assert!(check_origin(two, host).is_err());
    }

    #[test]
    fn forms_decode_every_character_they_encode() {
        let mut rng = fastrand::Rng::with_seed(22);
        for _ in 0..300 {
            let value: String = (0..rng.usize(..40)).map(|_| rng.char(..)).collect();
            let encoded: String = url::form_urlencoded::Serializer::new(String::new())
                .append_pair("offer.0.name", &value)
                .finish();
            let form = decode_form(encoded.as_bytes());
            assert_eq!(form, vec![("offer.0.name".to_string(), value)]);
        }
    }
}
