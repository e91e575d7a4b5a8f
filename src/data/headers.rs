//! The HTTP security headers the site is meant to be served with: written to `_headers`
//! in the output (the file Netlify and Cloudflare Pages read) and sent by `serve`, so
//! the preview enforces exactly the policy production does. `docs/security.md` explains
//! each one and how to set them on other hosts.

/// Everything comes from the site's own origin; no inline script or style, no plugins,
/// no framing, forms post only to the site. The theme needs nothing more.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; base-uri 'none'; object-src 'none'; form-action 'self'; frame-ancestors 'none'";

/// Header name and value, in the order they are written.
pub const SECURITY_HEADERS: &[(&str, &str)] = &[
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    // Other sites are not told which page a family came from.
    ("Referrer-Policy", "same-origin"),
    (
        "Permissions-Policy",
        "camera=(), microphone=(), geolocation=(), payment=(), usb=(), accelerometer=(), gyroscope=(), magnetometer=()",
    ),
];

/// What every address of the Open Referral UK feed is answered with besides: its type
/// (the addresses have no `.json` to tell a host) and, as ORUK asks, leave for any
/// web page to read it.
pub const FEED_HEADERS: &[(&str, &str)] = &[
    ("Content-Type", "application/json"),
    ("Access-Control-Allow-Origin", "*"),
];

/// The path rules of the feed's addresses in `_headers` (the folder's own address and
/// everything under it).
pub const FEED_RULES: &[&str] = &["/oruk", "/oruk/*"];

/// The `_headers` file: every security header for every path, and the feed's headers
/// for the feed.
pub fn headers_file() -> String {
    let mut out = String::from(
        "# Security headers for every page, in the format Netlify and Cloudflare Pages read.\n# Written by clusterdir; see docs/security.md for other hosts.\n/*\n",
    );
    for (name, value) in SECURITY_HEADERS {
        out.push_str(&format!("  {name}: {value}\n"));
    }
    out.push_str("# The Open Referral UK feed: JSON at addresses without .json, readable from any site (docs/open-data.md).\n");
    for rule in FEED_RULES {
        out.push_str(&format!("{rule}\n"));
        for (name, value) in FEED_HEADERS {
            out.push_str(&format!("  {name}: {value}\n"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_file_lists_every_header_for_every_path_and_the_feeds_for_the_feed() {
        let file = headers_file();
        let rules: Vec<&str> = file
            .lines()
            .filter(|l| !l.starts_with([' ', '#']))
            .collect();
        assert_eq!(rules, ["/*", "/oruk", "/oruk/*"]);
        for (name, value) in SECURITY_HEADERS {
            assert!(
                file.contains(&format!("\n  {name}: {value}\n")),
                "{name} missing"
            );
        }
        let (_, feed) = file.split_once("\n/oruk/*\n").expect("a rule for the feed");
        for (name, value) in FEED_HEADERS {
            assert!(feed.contains(&format!("  {name}: {value}\n")), "{name}");
        }
        assert!(!CONTENT_SECURITY_POLICY.contains("unsafe"));
    }
}
