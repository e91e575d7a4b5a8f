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

/// The `_headers` file: every header for every path.
pub fn headers_file() -> String {
    let mut out = String::from(
        "# Security headers for every page, in the format Netlify and Cloudflare Pages read.\n# Written by clusterdir; see docs/security.md for other hosts.\n/*\n",
    );
    for (name, value) in SECURITY_HEADERS {
        out.push_str(&format!("  {name}: {value}\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_file_lists_every_header_under_one_path_rule() {
        let file = headers_file();
        let rules: Vec<&str> = file
            .lines()
            .filter(|l| !l.starts_with([' ', '#']))
            .collect();
        assert_eq!(rules, ["/*"]);
        for (name, value) in SECURITY_HEADERS {
            assert!(
                file.contains(&format!("\n  {name}: {value}\n")),
                "{name} missing"
            );
        }
        assert!(!CONTENT_SECURITY_POLICY.contains("unsafe"));
    }
}
