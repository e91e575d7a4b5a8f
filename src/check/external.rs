//! `check --external`: request every web address in the content (links in Markdown,
//! request forms, the city-wide contact's `url`, sources that are web addresses) and
//! warn about those that fail: "the link to ... answered ..." or "the link to ... could
//! not be reached" for Markdown links, "`field` ... answered ..." or "`field` ... could
//! not be reached" for the value of a field.

use std::collections::HashMap;
use std::time::Duration;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::site::Site;

/// `check --external`: request every web address once (in parallel, with a
/// timeout). A link that fails or answers with an error status is a warning, since
/// other sites go down for a while; `--strict` makes it fail the check.
pub fn check_external(site: &Site, timeout: Duration, diags: &mut Diagnostics) {
    let mut urls: Vec<&str> = site.external_links.iter().map(|l| l.url.as_str()).collect();
    urls.sort_unstable();
    urls.dedup();
    let results = request_all(&urls, timeout);
    for link in &site.external_links {
        if let Some(Some(problem)) = results.get(link.url.as_str()) {
            let (message, hint) = match link.field {
                None => (
                    format!("the link to {} {problem}", link.url),
                    "open the address in a browser; if the page has moved, link to its new address",
                ),
                Some(field) => (
                    format!("`{field}` {} {problem}", link.url),
                    "open the address in a browser; if the page has moved, write its new address here",
                ),
            };
            diags.push(
                Diagnostic::warning(&link.file, Some(link.span.clone()), message).with_hint(hint),
            );
        }
    }
}

/// Request each address in parallel: its problem, or `None` when it answered well.
fn request_all<'a>(urls: &[&'a str], timeout: Duration) -> HashMap<&'a str, Option<String>> {
    use rayon::prelude::*;
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .build()
        .into();
    urls.par_iter()
        .map(|url| {
            let problem = match agent
                .get(*url)
                .header("User-Agent", "clusterdir link check")
                .call()
            {
                Ok(resp) if resp.status().as_u16() < 400 => None,
                Ok(resp) => Some(format!("answered {}", resp.status())),
                Err(e) => Some(format!("could not be reached ({e})")),
            };
            (*url, problem)
        })
        .collect()
}
