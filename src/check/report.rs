//! Checks that `check` (and `build`) run on the whole site after rendering: anchors of
//! internal links, records due for review, and how complete each record is.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::diagnostics::{did_you_mean, Diagnostic, Diagnostics};
use crate::output::Output;
use crate::routes::file_for;
use crate::site::Site;

/// Default for `review_warning_months`.
pub const DEFAULT_REVIEW_WARNING_MONTHS: u32 = 12;

/// Every `id="..."` in an HTML page.
fn ids(html: &str) -> HashSet<&str> {
    let mut out = HashSet::new();
    let mut rest = html;
    while let Some(i) = rest.find(" id=\"") {
        rest = &rest[i + 5..];
        if let Some(end) = rest.find('"') {
            out.insert(&rest[..end]);
            rest = &rest[end..];
        }
    }
    out
}

/// Every `#anchor` in an internal link must be an id on the page it goes to.
pub fn check_anchors(site: &Site, out: &Output, diags: &mut Diagnostics) {
    let mut cache: HashMap<String, HashSet<String>> = HashMap::new();
    for link in &site.links {
        let Some(fragment) = &link.fragment else {
            continue;
        };
        let page_ids = cache.entry(link.target.clone()).or_insert_with(|| {
            out.get(&file_for(&link.target))
                .map(|b| {
                    ids(&String::from_utf8_lossy(b))
                        .into_iter()
                        .map(String::from)
                        .collect()
                })
                .unwrap_or_default()
        });
        if !page_ids.contains(fragment) {
            let mut known: Vec<&str> = page_ids.iter().map(String::as_str).collect();
            known.sort_unstable();
            let hint = match did_you_mean(fragment, known.iter().copied()) {
                Some(best) => format!("did you mean #{best}? Section ids come from their headings"),
                None => "link to a heading's id: the heading text in lower case, with hyphens for spaces".into(),
            };
            diags.push(
                Diagnostic::error(
                    &link.file,
                    Some(link.span.clone()),
                    format!("there is no #{fragment} on {}", link.target),
                )
                .with_hint(hint),
            );
        }
    }
}

/// Records last checked longer ago than the site's review limit are warnings.
pub fn check_review_dates(site: &Site, diags: &mut Diagnostics) {
    let months = site
        .config
        .review_warning_months
        .unwrap_or(DEFAULT_REVIEW_WARNING_MONTHS);
    for c in site.clusters.values() {
        if c.last_reviewed.is_older_than(months, site.today) {
            diags.push(
                Diagnostic::warning(
                    &c.file,
                    Some(c.record.last_reviewed.span()),
                    format!("this record was last checked in {}, more than {months} months ago", c.last_reviewed.human()),
                )
                .with_hint("confirm the details with the cluster, then set `last_reviewed` to the date you checked"),
            );
        }
    }
}

/// `check --external`: request every external link once (in parallel, with a
/// timeout). A link that fails or answers with an error status is a warning, since
/// other sites go down for a while; `--strict` makes it fail the check.
pub fn check_external(site: &Site, timeout: std::time::Duration, diags: &mut Diagnostics) {
    use rayon::prelude::*;
    let mut urls: Vec<&str> = site.external_links.iter().map(|l| l.url.as_str()).collect();
    urls.sort_unstable();
    urls.dedup();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .build()
        .into();
    let results: HashMap<&str, Option<String>> = urls
        .par_iter()
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
        .collect();
    for link in &site.external_links {
        if let Some(Some(problem)) = results.get(link.url.as_str()) {
            diags.push(
                Diagnostic::warning(
                    &link.file,
                    Some(link.span.clone()),
                    format!("the link to {} {problem}", link.url),
                )
                .with_hint(
                    "open the address in a browser; if the page has moved, link to its new address",
                ),
            );
        }
    }
}

/// Which recommended parts of a record are missing.
#[derive(Debug, Clone, Serialize)]
pub struct Completeness {
    pub cluster: String,
    pub file: String,
    pub missing: Vec<&'static str>,
    /// Share of the recommended parts present, 0 to 100.
    pub percent: u32,
}

/// The recommended parts, in the order the table shows them.
pub const RECOMMENDED: &[&str] = &[
    "way to self-refer",
    "contact phone",
    "offer",
    "schools",
    "governance",
    "contacts",
];

pub fn completeness(site: &Site) -> Vec<Completeness> {
    site.clusters_in_order()
        .into_iter()
        .map(|c| {
            let r = &c.record;
            let help = r.help.clone().unwrap_or_default();
            let present = [
                help.self_referral.is_some()
                    || help.request_form.is_some()
                    || help.request_form_url.is_some(),
                help.phone.is_some()
                    || r.contacts
                        .iter()
                        .any(|p| p.phone.is_some() || p.mobile.is_some()),
                !r.offer.is_empty(),
                !r.schools.is_empty(),
                r.governance.as_ref().is_some_and(|g| g.model.is_some()),
                !r.contacts.is_empty(),
            ];
            let missing: Vec<&'static str> = RECOMMENDED
                .iter()
                .zip(present)
                .filter(|(_, p)| !p)
                .map(|(n, _)| *n)
                .collect();
            Completeness {
                cluster: r.name.clone(),
                file: c.file.display().to_string(),
                percent: ((RECOMMENDED.len() - missing.len()) * 100 / RECOMMENDED.len()) as u32,
                missing,
            }
        })
        .collect()
}

/// The completeness report as a plain-text table.
pub fn completeness_table(rows: &[Completeness]) -> String {
    let width = rows
        .iter()
        .map(|r| r.cluster.chars().count())
        .max()
        .unwrap_or(7)
        .max(7);
    let mut out = format!("{:<width$}  {:>8}  missing\n", "cluster", "complete");
    for r in rows {
        let missing = if r.missing.is_empty() {
            "nothing".to_string()
        } else {
            r.missing.join(", ")
        };
        out.push_str(&format!(
            "{:<width$}  {:>7}%  {missing}\n",
            r.cluster, r.percent
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_found_in_html() {
        let found = ids(r#"<h2 id="how-to-get-help">x</h2><div class="a" id="b"></div>"#);
        assert!(found.contains("how-to-get-help") && found.contains("b"));
        assert_eq!(found.len(), 2);
    }
}
