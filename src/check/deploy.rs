//! Checks of the `[[deploy]]` targets in `site.toml`, so that a mistake is found by
//! `check` (with its line and column) rather than half-way through a deploy. Messages:
//! "deploy target name ... may use only a-z, 0-9 and single hyphens", "deploy target ...
//! is defined twice", "`deploy.bucket` ... is not a bucket name", "`deploy.endpoint`
//! ...", "`deploy.region` ...", "`deploy.prefix` ...", "`deploy.profile` ...",
//! "`deploy.cache_control.<kind>` ... is not a Cache-Control value".

use std::collections::HashMap;
use std::path::Path;

use crate::content::model::{DeployTarget, Text};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::text::{is_valid_slug, slugify};

use super::fields::{ascii_slug, span_of};

pub(super) fn check_deploy_targets(file: &Path, targets: &[DeployTarget], diags: &mut Diagnostics) {
    let mut seen: HashMap<&str, &Text> = HashMap::new();
    for t in targets {
        let name = t.name.get_ref().as_str();
        if !is_valid_slug(name) {
            diags.push(
                Diagnostic::error(
                    file,
                    span_of(&t.name),
                    format!(
                        "deploy target name \"{name}\" may use only a-z, 0-9 and single hyphens"
                    ),
                )
                .with_hint(format!(
                    "use \"{}\" (it is what --target calls it)",
                    fixed_name(name)
                )),
            );
        }
        if let Some(first) = seen.insert(name, &t.name) {
            diags.push(
                Diagnostic::error(
                    file,
                    span_of(&t.name),
                    format!("deploy target \"{name}\" is defined twice"),
                )
                .with_note(file, first.span(), "first defined here")
                .with_hint("give each [[deploy]] target its own name"),
            );
        }
        check_target_fields(file, t, diags);
    }
}

/// A name `--target` can use, made from one that cannot.
fn fixed_name(name: &str) -> String {
    let s = ascii_slug(&slugify(name));
    if s.is_empty() {
        "live".into()
    } else {
        s
    }
}

/// Each field's value, with the target's name in the message.
fn check_target_fields(file: &Path, t: &DeployTarget, diags: &mut Diagnostics) {
    let mut report = |field: &str, v: &Text, problem: Option<(String, String)>| {
        if let Some((what, hint)) = problem {
            let name = t.name.get_ref();
            diags.push(
                Diagnostic::error(
                    file,
                    span_of(v),
                    format!("`deploy.{field}` of target \"{name}\" {what}"),
                )
                .with_hint(hint),
            );
        }
    };
    report("bucket", &t.bucket, bucket_problem(t.bucket.get_ref()));
    let optional = [
        (
            "endpoint",
            &t.endpoint,
            endpoint_problem as fn(&str) -> Option<(String, String)>,
        ),
        ("region", &t.region, region_problem),
        ("prefix", &t.prefix, prefix_problem),
        ("profile", &t.profile, profile_problem),
    ];
    for (field, value, problem) in optional {
        if let Some(v) = value {
            report(field, v, problem(v.get_ref()));
        }
    }
    let c = &t.cache_control;
    for (kind, value) in [
        ("pages", &c.pages),
        ("data", &c.data),
        ("assets", &c.assets),
        ("fingerprinted", &c.fingerprinted),
    ] {
        if let Some(v) = value {
            report(
                &format!("cache_control.{kind}"),
                v,
                cache_control_problem(v.get_ref()),
            );
        }
    }
}

type Problem = Option<(String, String)>;

fn problem(what: impl Into<String>, hint: impl Into<String>) -> Problem {
    Some((what.into(), hint.into()))
}

/// Bucket names as Amazon S3 (and R2, MinIO, Garage) allow them: 3 to 63 of a-z, 0-9,
/// `.` and `-`, starting and ending with a letter or digit.
fn bucket_problem(b: &str) -> Problem {
    let hint = "a bucket name is 3 to 63 characters of a-z, 0-9, dots and hyphens, starting and ending with a letter or digit, like \"leeds-clusters\"; copy it from the storage's console";
    let edge = |c: Option<char>| c.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    if let Some(c) = b
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '.' || *c == '-'))
    {
        return problem(format!("is not a bucket name: it holds {}", shown(c)), hint);
    }
    if !(3..=63).contains(&b.len()) {
        return problem(
            format!("is not a bucket name: it has {} characters", b.len()),
            hint,
        );
    }
    if !edge(b.chars().next()) || !edge(b.chars().last()) || b.contains("..") {
        return problem("is not a bucket name: it must start and end with a letter or digit, with no two dots together", hint);
    }
    None
}

/// How a character is named in a message: visible ones as themselves, others by code.
fn shown(c: char) -> String {
    if c.is_ascii_graphic()
        || (!c.is_control() && !crate::text::is_invisible(c) && !c.is_whitespace())
    {
        format!("\"{c}\"")
    } else {
        format!("the character U+{:04X}", c as u32)
    }
}

/// An `https://` address with nothing but a host and port (`http://` only for this
/// computer, where nothing crosses a network), and no name or password in it.
fn endpoint_problem(e: &str) -> Problem {
    let hint = "write the storage's address alone, like \"https://ACCOUNT.r2.cloudflarestorage.com\" (\"http://\" is allowed only for a server on this computer, like \"http://127.0.0.1:9000\")";
    let Ok(url) = url::Url::parse(e) else {
        return problem("is not a web address", hint);
    };
    let loopback = match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        "http" => {
            return problem(
                "uses http://, which sends the site and the signed requests unencrypted",
                "use the https:// address of the storage",
            )
        }
        other => return problem(format!("uses \"{other}:\", not https://"), hint),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return problem(
            "holds a name or password",
            "remove it: credentials come from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or a profile, never from site.toml",
        );
    }
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
        return problem("has a path, query or fragment after the host", hint);
    }
    None
}

/// A region name: a-z, 0-9 and hyphens (`eu-west-2`, `auto`).
fn region_problem(r: &str) -> Problem {
    let ok = !r.is_empty()
        && r.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    (!ok).then(|| {
        (
            format!("\"{}\" is not a region name", r.escape_debug()),
            "write the region as the storage names it, like \"eu-west-2\" (Amazon S3) or \"auto\" (Cloudflare R2)".to_string(),
        )
    })
}

/// A folder in the bucket: segments of visible characters, without `/` at either end,
/// `//`, `.` or `..`, or characters storage treats specially.
fn prefix_problem(p: &str) -> Problem {
    let fixed = p
        .split('/')
        .map(|s| s.chars().filter(|c| is_prefix_char(*c)).collect::<String>())
        .filter(|s| !s.is_empty() && s != "." && s != "..")
        .collect::<Vec<_>>()
        .join("/");
    let hint = format!("write the folder like \"site\" or \"leeds/clusters\": use \"{fixed}\"");
    if let Some(c) = p.chars().find(|c| !is_prefix_char(*c) && *c != '/') {
        return problem(format!("holds {}: a prefix may use a-z, A-Z, 0-9, \"-\", \"_\" and \".\" between its slashes", shown(c)), hint);
    }
    if p.starts_with('/') || p.ends_with('/') || p.contains("//") {
        return problem("starts or ends with \"/\", or has \"//\"", hint);
    }
    if p.split('/').any(|s| s == "." || s == "..") {
        return problem(
            "has a \".\" or \"..\" folder, which storage does not treat as a path",
            hint,
        );
    }
    None
}

fn is_prefix_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')
}

/// A profile name as the shared credentials file writes it between `[` and `]`.
fn profile_problem(p: &str) -> Problem {
    let ok = !p.is_empty()
        && p.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '@' | '+'));
    (!ok).then(|| {
        (
            format!("\"{}\" is not a profile name", p.escape_debug()),
            "write the name between [ and ] in ~/.aws/credentials, like \"clusters\"".to_string(),
        )
    })
}

/// The directives of a `Cache-Control` value: split at commas outside quotes.
fn split_directives(v: &str) -> Vec<&str> {
    let (mut parts, mut start, mut quoted) = (Vec::new(), 0, false);
    for (i, c) in v.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => {
                parts.push(&v[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&v[start..]);
    parts
}

/// A `Cache-Control` value: directives (`max-age=300`, `no-cache`, `private="x"`)
/// separated by commas.
fn cache_control_problem(v: &str) -> Problem {
    let hint = "write directives separated by commas, like \"public, max-age=300\" or \"no-cache\"";
    let directive = |d: &str| {
        let d = d.trim();
        let (name, value) = d.split_once('=').unwrap_or((d, "x"));
        let token = |s: &str| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c))
        };
        let quoted = value.len() >= 2
            && value.starts_with('"')
            && value.ends_with('"')
            && value[1..value.len() - 1]
                .chars()
                .all(|c| c == ' ' || (c.is_ascii_graphic() && c != '"' && c != '\\'));
        token(name) && (token(value) || quoted)
    };
    if v.trim().is_empty() {
        return problem("is empty", hint);
    }
    if let Some(c) = v.chars().find(|c| !(c.is_ascii_graphic() || *c == ' ')) {
        return problem(
            format!("holds {}, which a header cannot carry", shown(c)),
            hint,
        );
    }
    (!split_directives(v).into_iter().all(directive)).then(|| {
        (
            format!("\"{v}\" is not a Cache-Control value"),
            hint.to_string(),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pick<'a>(rng: &mut fastrand::Rng, from: &[&'a str]) -> &'a str {
        from[rng.usize(..from.len())]
    }

    #[test]
    fn bucket_names_follow_the_storage_rules() {
        let mut rng = fastrand::Rng::with_seed(19);
        let alphabet: Vec<char> = "abcxyz0189.-_ABZ é\t/".chars().collect();
        for _ in 0..5000 {
            let len = rng.usize(0..70);
            let name: String = (0..len)
                .map(|_| alphabet[rng.usize(..alphabet.len())])
                .collect();
            let alnum =
                |c: Option<char>| c.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
            let valid = (3..=63).contains(&name.len())
                && name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-')
                && alnum(name.chars().next())
                && alnum(name.chars().last())
                && !name.contains("..");
            assert_eq!(bucket_problem(&name).is_none(), valid, "{name:?}");
        }
    }

    #[test]
    fn endpoints_are_https_or_this_computer_and_never_hold_credentials() {
        let mut rng = fastrand::Rng::with_seed(5);
        let hosts = [
            ("127.0.0.1", true),
            ("127.3.2.1", true),
            ("localhost", true),
            ("[::1]", true),
            ("example.org", false),
            ("10.0.0.1", false),
            ("192.168.1.2", false),
        ];
        for _ in 0..3000 {
            let scheme = pick(&mut rng, &["https", "http", "ftp", "s3"]);
            let (host, loopback) = hosts[rng.usize(..hosts.len())];
            let user = pick(&mut rng, &["", "", "", "key@", "key:secret@"]);
            let port = pick(&mut rng, &["", ":9000", ":443"]);
            let tail = pick(&mut rng, &["", "", "/", "/bucket", "?x=1", "#a"]);
            let e = format!("{scheme}://{user}{host}{port}{tail}");
            let valid = (scheme == "https" || (scheme == "http" && loopback))
                && user.is_empty()
                && matches!(tail, "" | "/");
            let problem = endpoint_problem(&e);
            assert_eq!(problem.is_none(), valid, "{e}: {problem:?}");
            if let Some((what, hint)) = problem {
                assert!(
                    !what.contains("secret") && !hint.contains("secret"),
                    "{what} {hint}"
                );
            }
        }
    }

    #[test]
    fn a_prefix_is_a_plain_folder_and_the_fix_offered_is_one() {
        let mut rng = fastrand::Rng::with_seed(8);
        let parts = [
            "site", "leeds", "a-b_c.d", "", ".", "..", "x y", "é", "a\tb", "Up",
        ];
        for _ in 0..3000 {
            let n = rng.usize(1..5);
            let segments: Vec<&str> = (0..n).map(|_| pick(&mut rng, &parts)).collect();
            let p = segments.join("/");
            let ok_segment = |s: &&str| {
                !s.is_empty()
                    && *s != "."
                    && *s != ".."
                    && s.chars()
                        .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
            };
            let problem = prefix_problem(&p);
            let valid = p.is_empty() || segments.iter().all(ok_segment);
            assert_eq!(problem.is_none(), valid, "{p:?}: {problem:?}");
            if let Some((_, hint)) = problem {
                let fixed = hint.rsplit("use \"").next().unwrap().trim_end_matches('"');
                assert!(
                    fixed.is_empty() || prefix_problem(fixed).is_none(),
                    "{p:?} -> {fixed:?}"
                );
            }
        }
    }

    #[test]
    fn cache_control_values_are_directives_a_header_can_carry() {
        let mut rng = fastrand::Rng::with_seed(2);
        let good = [
            "public",
            "private",
            "max-age=300",
            "s-maxage=60",
            "no-cache",
            "immutable",
            "stale-while-revalidate=30",
        ];
        // Characters that are neither a token's nor a separator's, wherever they go.
        let bad = ["\n", "\r", "\u{0}", "é", ";", "(", "@", "\"", "\u{200b}"];
        for _ in 0..3000 {
            let mut directives: Vec<String> = (0..rng.usize(1..4))
                .map(|_| pick(&mut rng, &good).to_string())
                .collect();
            let broken = rng.bool();
            if broken {
                let at = rng.usize(..directives.len());
                let b = pick(&mut rng, &bad);
                let d = &mut directives[at];
                let i = rng.usize(..=d.len());
                d.insert_str(i, b);
            }
            let v = directives.join(", ");
            assert_eq!(cache_control_problem(&v).is_some(), broken, "{v:?}");
        }
        assert!(cache_control_problem("").is_some() && cache_control_problem(" ").is_some());
        assert!(cache_control_problem("no-cache=\"Set-Cookie, Vary\"").is_none());
        assert!(
            cache_control_problem("max-age=").is_some() && cache_control_problem("=3").is_some()
        );
    }

    #[test]
    fn regions_and_profiles() {
        for ok in ["eu-west-2", "auto", "us-east-1"] {
            assert!(region_problem(ok).is_none(), "{ok}");
        }
        for bad in ["", "EU-West-2", "eu west", "eu_west"] {
            assert!(region_problem(bad).is_some(), "{bad}");
        }
        assert!(profile_problem("clusters-live").is_none());
        for bad in ["", "a]b", "a b", "a\nb"] {
            assert!(profile_problem(bad).is_some(), "{bad:?}");
        }
    }
}
