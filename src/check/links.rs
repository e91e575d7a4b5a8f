//! Links written in Markdown: internal links must reach a page of the site (addresses
//! come from [`crate::routes`]), `mailto:` and `tel:` must hold an email or a UK number,
//! others must be web addresses. Web addresses, in Markdown and in the fields that hold
//! them, are remembered on the site for `check --external`. Messages: "this link goes to ..., which is not a page of
//! this site", "this mailto: link is broken", "this tel: link is broken", "this link is
//! broken".

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::fields::look_alike_host;
use crate::content::contact::{check_email, check_web_url, deceptive_host, UkPhone};
use crate::content::load::Unusable;
use crate::content::markdown::{Link, Rendered};
use crate::content::model::Text;
use crate::diagnostics::{did_you_mean, Diagnostic, Diagnostics};
use crate::routes;
use crate::site::{ExternalLink, InternalLink, Site};

/// Markdown rendered during validation, remembered with its file and offset so that
/// its links can be checked once every page's address is known.
pub(super) struct MarkdownUse {
    pub(super) file: PathBuf,
    pub(super) offset: usize,
    pub(super) page_url: String,
    pub(super) rendered: Rendered,
}

/// A broken link: the message and the hint.
type LinkError = (String, String);

/// The address of every page of the site.
pub(super) fn site_addresses(site: &Site, unusable: &Unusable) -> HashSet<String> {
    let mut all: HashSet<String> = routes::addresses(site).into_iter().map(|a| a.url).collect();
    // The pages of records that could not be read: links to them are right, and will
    // work once the record's own problems are fixed.
    for slug in &unusable.clusters {
        all.insert(routes::cluster(slug));
        all.insert(routes::cluster_offer(slug));
    }
    all.extend(unusable.guides.iter().map(|s| routes::guide(s)));
    all.extend(unusable.pages.iter().map(|s| routes::page(s)));
    all
}

/// Check one link of a Markdown text: report it if broken, else remember it on the site
/// (internal links for the anchor check after rendering, web links for `--external`).
pub(super) fn check_and_record(
    site: &mut Site,
    u: &MarkdownUse,
    link: &Link,
    addresses: &HashSet<String>,
    diags: &mut Diagnostics,
) {
    let span = link.span.start + u.offset..link.span.end + u.offset;
    match check_link(&link.url, &u.page_url, addresses) {
        Err((msg, hint)) => diags.push(Diagnostic::error(&u.file, Some(span), msg).with_hint(hint)),
        Ok(Some(target)) => site.links.push(InternalLink {
            file: u.file.clone(),
            span,
            target,
            fragment: link
                .url
                .split_once('#')
                .map(|(_, f)| f.to_string())
                .filter(|f| !f.is_empty()),
        }),
        Ok(None) if link.url.starts_with("https://") || link.url.starts_with("http://") => {
            if let Some(w) = deceptive_host(&link.url) {
                let message = format!("this link's address: {w}");
                diags.push(look_alike_host(&u.file, Some(span.clone()), &message));
            }
            site.external_links.push(ExternalLink {
                file: u.file.clone(),
                span,
                url: link.url.clone(),
                field: None,
            })
        }
        Ok(None) => {}
    }
}

/// Remember every web address held in a field, for `check --external`: the city-wide
/// contact's `url` and `quick_exit_url` in `site.toml`, each cluster's
/// `help.request_form_url`, and the sources of clusters, guides and pages that are web
/// addresses. `base_url` is left out: it is this site's own address, which may not be
/// published yet. Values that are not valid web addresses were reported already.
pub(super) fn record_field_addresses(site: &mut Site, config_file: &Path) {
    let mut found: Vec<ExternalLink> = Vec::new();
    let mut add = |file: &Path, field: &'static str, v: &Text| {
        let url = v.get_ref().trim();
        if (url.starts_with("https://") || url.starts_with("http://")) && check_web_url(url).is_ok()
        {
            found.push(ExternalLink {
                file: file.to_path_buf(),
                span: v.span(),
                url: url.to_string(),
                field: Some(field),
            });
        }
    };
    let config = &site.config;
    for (field, v) in [
        ("contact.url", &config.contact.url),
        ("quick_exit_url", &config.quick_exit_url),
    ] {
        if let Some(v) = v {
            add(config_file, field, v);
        }
    }
    for c in site.clusters.values() {
        if let Some(v) = c
            .record
            .help
            .as_ref()
            .and_then(|h| h.request_form_url.as_ref())
        {
            add(&c.file, "help.request_form_url", v);
        }
        for v in &c.record.sources {
            add(&c.file, "sources", v);
        }
    }
    for g in site.guides.values() {
        for v in &g.front.sources {
            add(&g.file, "sources", v);
        }
    }
    for p in site.pages.values() {
        for v in &p.front.sources {
            add(&p.file, "sources", v);
        }
    }
    site.external_links.extend(found);
}

/// Check one link from a page at `from`: internal links must reach a page of the site;
/// `mailto:` and `tel:` must hold an email or a UK number; others must be web addresses.
/// Returns the page an internal link goes to (for anchor checks after rendering).
fn check_link(
    url: &str,
    from: &str,
    routes: &HashSet<String>,
) -> Result<Option<String>, LinkError> {
    let url = url.trim();
    // Script and data addresses are reported once, by the Markdown renderer.
    if url.is_empty() || crate::content::markdown::is_dangerous_url(url) {
        return Ok(None);
    }
    if url.starts_with('#') {
        return Ok(Some(from.to_string()));
    }
    if let Some(addr) = url.strip_prefix("mailto:") {
        return check_mailto(addr);
    }
    if let Some(num) = url.strip_prefix("tel:") {
        return check_tel(num);
    }
    let has_scheme = url
        .split(['/', '?', '#'])
        .next()
        .is_some_and(|first| first.contains(':'));
    if has_scheme || url.starts_with("//") {
        return check_web_link(url);
    }
    check_internal(url, from, routes).map(Some)
}

fn check_mailto(addr: &str) -> Result<Option<String>, LinkError> {
    check_email(addr.split('?').next().unwrap_or(""))
        .map(|_| None)
        .map_err(|e| {
            (
                format!("this mailto: link is broken: {e}"),
                "write it like mailto:name@leeds.gov.uk".into(),
            )
        })
}

fn check_tel(num: &str) -> Result<Option<String>, LinkError> {
    UkPhone::parse(num).map(|_| None).map_err(|e| {
        (
            format!("this tel: link is broken: {e}"),
            "write it like tel:01133785254".into(),
        )
    })
}

fn check_web_link(url: &str) -> Result<Option<String>, LinkError> {
    check_web_url(url).map(|_| None).map_err(|e| {
        (
            format!("this link is broken: {e}"),
            "links go to pages of this site (/guides/...), https:// addresses, mailto: or tel:"
                .into(),
        )
    })
}

/// A link to a page of this site, with or without its trailing slash or `index.html`:
/// returns the page's address.
fn check_internal(url: &str, from: &str, routes: &HashSet<String>) -> Result<String, LinkError> {
    let path = url.split(['#', '?']).next().unwrap_or("");
    let resolved = resolve(from, path);
    let candidates = [
        resolved.clone(),
        format!("{}/", resolved.trim_end_matches('/')),
        resolved.trim_end_matches("index.html").to_string(),
    ];
    if let Some(found) = candidates.iter().find(|c| routes.contains(*c)) {
        return Ok(found.clone());
    }
    let mut known: Vec<&str> = routes.iter().map(String::as_str).collect();
    known.sort_unstable();
    let hint = match did_you_mean(&resolved, known.iter().copied()) {
        Some(best) => format!("did you mean {best}?"),
        None => {
            "check the address against the site's pages (for a guide: /guides/<file name>/)".into()
        }
    };
    Err((
        format!("this link goes to {resolved}, which is not a page of this site"),
        hint,
    ))
}

/// Resolve a relative path against the page's own address.
fn resolve(from: &str, path: &str) -> String {
    let mut parts: Vec<&str> = if path.starts_with('/') {
        Vec::new()
    } else {
        from.trim_end_matches('/')
            .split('/')
            .filter(|s| !s.is_empty())
            .collect()
    };
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let trailing = path.ends_with('/') || path.is_empty();
    let mut out = format!("/{}", parts.join("/"));
    if trailing && out != "/" {
        out.push('/');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn routes_of(list: &[&str]) -> HashSet<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn internal_links_resolve_with_or_without_trailing_slash() {
        let r = routes_of(&["/", "/guides/cluster-working/", "/about/"]);
        assert!(check_link("/guides/cluster-working/", "/about/", &r).is_ok());
        assert!(check_link("/guides/cluster-working", "/about/", &r).is_ok());
        assert!(check_link("/guides/cluster-working/#how", "/about/", &r).is_ok());
        assert!(check_link("../guides/cluster-working/", "/about/", &r).is_ok());
        assert!(check_link("#top", "/about/", &r).is_ok());
        let (msg, hint) = check_link("/guides/cluster-workin/", "/about/", &r).unwrap_err();
        assert!(
            msg.contains("/guides/cluster-workin/, which is not a page"),
            "{msg}"
        );
        assert_eq!(hint, "did you mean /guides/cluster-working/?");
    }

    #[test]
    fn scheme_links_are_checked() {
        let r = routes_of(&["/"]);
        assert!(check_link("mailto:Schoolwellbeing@leeds.gov.uk", "/", &r).is_ok());
        assert!(check_link("tel:0113 378 5254", "/", &r).is_ok());
        assert!(check_link("https://www.leeds.gov.uk/", "/", &r).is_ok());
        assert!(check_link("tel:12", "/", &r)
            .unwrap_err()
            .0
            .contains("tel: link is broken"));
        assert!(check_link("mailto:nobody", "/", &r)
            .unwrap_err()
            .0
            .contains("mailto: link is broken"));
        assert!(check_link("ftp://x.org/", "/", &r).is_err());
        for bad in [
            "https:evil.example",
            "https:/evil.example/",
            "HTTP:evil.example",
            "https:\\\\evil.example",
        ] {
            let (msg, _) = check_link(bad, "/", &r).unwrap_err();
            assert!(msg.contains("no `//`"), "{bad}: {msg}");
        }
    }

    #[test]
    fn relative_paths_resolve() {
        assert_eq!(resolve("/guides/a/", "../b/"), "/guides/b/");
        assert_eq!(resolve("/guides/a/", "/x"), "/x");
        assert_eq!(resolve("/", "about/"), "/about/");
    }
}
