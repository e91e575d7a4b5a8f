//! Where the keys come from: the standard AWS environment variables
//! (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`), else a profile
//! of the shared credentials file (`AWS_SHARED_CREDENTIALS_FILE`, default
//! `~/.aws/credentials`; the profile named by the target, else `AWS_PROFILE`, else
//! `default`), else a web identity token (`AWS_WEB_IDENTITY_TOKEN_FILE` and
//! `AWS_ROLE_ARN`, as CI services give them) or a container's role, which the storage
//! client fetches itself. Never from `site.toml`, and never printed: `Debug` shows
//! where they came from, not what they are.

use std::path::PathBuf;

/// Keys to sign requests with.
#[derive(Clone)]
pub struct Credentials {
    pub key_id: String,
    pub secret: String,
    pub token: Option<String>,
    /// Where they came from, for messages: "AWS_ACCESS_KEY_ID", "profile x in FILE".
    pub from: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Credentials from {}", self.from)
    }
}

/// How credentials were found.
#[derive(Debug)]
pub enum Found {
    Keys(Credentials),
    /// No keys, but variables the storage client fetches credentials with.
    Delegated(Vec<(String, String)>),
}

/// Variables (lower-cased, as the storage client's settings are named) that let the
/// client fetch credentials itself.
const DELEGATED: &[&str] = &[
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_ROLE_ARN",
    "AWS_ROLE_SESSION_NAME",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
];

/// Find credentials through `env` (the process's variables, or a test's); `profile`
/// is the target's. An error says what was looked at and what to set, never a key.
pub fn find(env: &dyn Fn(&str) -> Option<String>, profile: Option<&str>) -> Result<Found, String> {
    let var = |k: &str| env(k).filter(|v| !v.is_empty());
    if let Some(key_id) = var("AWS_ACCESS_KEY_ID") {
        let secret = var("AWS_SECRET_ACCESS_KEY").ok_or(
            "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not: set both (the storage's console shows them when the key is made)",
        )?;
        let token = var("AWS_SESSION_TOKEN");
        let from = "AWS_ACCESS_KEY_ID".to_string();
        return Ok(Found::Keys(Credentials {
            key_id,
            secret,
            token,
            from,
        }));
    }
    let named = profile.map(str::to_string).or_else(|| var("AWS_PROFILE"));
    let file = var("AWS_SHARED_CREDENTIALS_FILE")
        .map(PathBuf::from)
        .or_else(|| var("HOME").map(|h| PathBuf::from(h).join(".aws/credentials")));
    let name = named.clone().unwrap_or_else(|| "default".into());
    let text = file.as_ref().and_then(|f| std::fs::read_to_string(f).ok());
    if let (Some(file), Some(text)) = (&file, &text) {
        let from = format!("profile {name} in {}", file.display());
        if let Some(c) = from_profile(text, &name, from.clone())? {
            return Ok(Found::Keys(c));
        }
        if named.is_some() {
            return Err(format!("there is no profile [{name}] with aws_access_key_id and aws_secret_access_key in {}", file.display()));
        }
    } else if let (Some(_), Some(file)) = (&named, &file) {
        return Err(format!(
            "the profile {name} was asked for, but {} could not be read",
            file.display()
        ));
    }
    let delegated: Vec<(String, String)> = DELEGATED
        .iter()
        .filter_map(|k| var(k).map(|v| (k.to_ascii_lowercase(), v)))
        .collect();
    if delegated.iter().any(|(k, _)| k != "aws_role_session_name") {
        return Ok(Found::Delegated(delegated));
    }
    Err("no credentials were found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or put them in a profile of ~/.aws/credentials (docs/publishing.md shows how)".into())
}

/// The keys of profile `name` in a shared credentials file (an INI file: `[name]`
/// sections of `key = value` lines, `#` and `;` starting comments).
fn from_profile(text: &str, name: &str, from: String) -> Result<Option<Credentials>, String> {
    let mut section: Option<&str> = None;
    let (mut key_id, mut secret, mut token) = (None, None, None);
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with(['#', ';']) {
            continue;
        }
        if let Some(s) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            let s = s.trim();
            section = Some(s.strip_prefix("profile ").map_or(s, str::trim));
            continue;
        }
        let (Some(sec), Some((k, v))) = (section, line.split_once('=')) else {
            continue;
        };
        if sec != name {
            continue;
        }
        let v = Some(v.trim().to_string());
        match k.trim().to_ascii_lowercase().as_str() {
            "aws_access_key_id" => key_id = v,
            "aws_secret_access_key" => secret = v,
            "aws_session_token" => token = v,
            _ => {}
        }
    }
    match (key_id, secret) {
        (Some(key_id), Some(secret)) => Ok(Some(Credentials {
            key_id,
            secret,
            token,
            from,
        })),
        (Some(_), None) | (None, Some(_)) => Err(format!(
            "{from} has only one of aws_access_key_id and aws_secret_access_key: give both"
        )),
        (None, None) => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k: &str| map.get(k).cloned()
    }

    fn keys(found: Result<Found, String>) -> Credentials {
        match found {
            Ok(Found::Keys(c)) => c,
            other => panic!("expected keys, got {other:?}"),
        }
    }

    #[test]
    fn the_environment_comes_first_then_the_profile() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("credentials");
        std::fs::write(
            &file,
            "# comment\n[default]\naws_access_key_id = DEFAULTID\naws_secret_access_key = defaultsecret\n\n[profile site]\n; note\naws_access_key_id=SITEID\naws_secret_access_key=sitesecret\naws_session_token = tok\n",
        )
        .unwrap();
        let f = file.to_str().unwrap();
        let c = keys(find(
            &env(&[
                ("AWS_ACCESS_KEY_ID", "ENVID"),
                ("AWS_SECRET_ACCESS_KEY", "s"),
                ("AWS_SHARED_CREDENTIALS_FILE", f),
            ]),
            None,
        ));
        assert_eq!(
            (c.key_id.as_str(), c.from.as_str()),
            ("ENVID", "AWS_ACCESS_KEY_ID")
        );
        let c = keys(find(&env(&[("AWS_SHARED_CREDENTIALS_FILE", f)]), None));
        assert_eq!(
            (c.key_id.as_str(), c.secret.as_str()),
            ("DEFAULTID", "defaultsecret")
        );
        let c = keys(find(
            &env(&[
                ("AWS_SHARED_CREDENTIALS_FILE", f),
                ("AWS_PROFILE", "default"),
            ]),
            Some("site"),
        ));
        assert_eq!(
            (c.key_id.as_str(), c.token.as_deref()),
            ("SITEID", Some("tok"))
        );
        let c = keys(find(
            &env(&[("AWS_SHARED_CREDENTIALS_FILE", f), ("AWS_PROFILE", "site")]),
            None,
        ));
        assert_eq!(c.key_id, "SITEID");
        let e = find(&env(&[("AWS_SHARED_CREDENTIALS_FILE", f)]), Some("missing")).unwrap_err();
        assert!(e.contains("[missing]"), "{e}");
    }

    #[test]
    fn no_message_or_debug_output_shows_a_key() {
        let mut rng = fastrand::Rng::with_seed(11);
        let dir = tempfile::tempdir().unwrap();
        for _ in 0..200 {
            let id: String = (0..20).map(|_| rng.uppercase()).collect();
            let secret: String = (0..40).map(|_| rng.alphanumeric()).collect();
            let file = dir.path().join("credentials");
            let half = rng.bool();
            let body = if half {
                format!("[default]\naws_secret_access_key = {secret}\n")
            } else {
                format!("[default]\naws_access_key_id = {id}\naws_secret_access_key = {secret}\n")
            };
            std::fs::write(&file, body).unwrap();
            let found = find(
                &env(&[("AWS_SHARED_CREDENTIALS_FILE", file.to_str().unwrap())]),
                None,
            );
            let shown = format!("{found:?}");
            assert!(!shown.contains(&secret) && !shown.contains(&id), "{shown}");
            assert_eq!(found.is_err(), half, "{shown}");
            let only_id = find(&env(&[("AWS_ACCESS_KEY_ID", &id)]), None).unwrap_err();
            assert!(!only_id.contains(&id) && only_id.contains("AWS_SECRET_ACCESS_KEY"));
        }
    }

    #[test]
    fn without_keys_a_ci_token_is_handed_to_the_client_and_nothing_is_an_error() {
        let found = find(
            &env(&[
                ("AWS_WEB_IDENTITY_TOKEN_FILE", "/t"),
                ("AWS_ROLE_ARN", "arn:x"),
            ]),
            None,
        );
        assert!(matches!(found, Ok(Found::Delegated(v)) if v.len() == 2));
        let none = find(&env(&[("HOME", "/nonexistent")]), None).unwrap_err();
        assert!(none.contains("AWS_ACCESS_KEY_ID"), "{none}");
    }
}
