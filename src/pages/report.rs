//! "Report a problem with this page": on every page, one mail link per kind of problem,
//! addressed to the people who keep the record (the cluster's `report_email`, else the
//! site's, else the city-wide contact's email), with the page's address and the record's
//! file in the subject and body. Mail links need no script and no server; the address
//! is shown too, for people who cannot use a mail link.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::Serialize;

use crate::pages::common::{LinkView, PageMeta, SiteView};

/// What a visitor can say is wrong, in the words the link shows.
pub const REASONS: &[&str] = &[
    "It is out of date",
    "A service has closed or changed",
    "A phone number, email or address is wrong",
    "Something else",
];

/// Everything but letters, digits and `-._~` is encoded (RFC 6068 allows these as they
/// are in a `mailto:` address or header value).
const MAILTO: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

#[derive(Debug, Clone, Serialize)]
pub struct ReportView {
    /// Where reports go, shown as text; absent when the site has no email at all (the
    /// template then names the city-wide contact and its phone).
    pub email: Option<String>,
    /// One mail link per reason (empty without an email).
    pub reasons: Vec<LinkView>,
}

impl ReportView {
    pub fn new(site: &SiteView, meta: &PageMeta) -> Self {
        let Some(email) = meta
            .report_email
            .clone()
            .or_else(|| site.report_email.clone())
        else {
            return ReportView {
                email: None,
                reasons: Vec::new(),
            };
        };
        let address = match &site.base_url {
            Some(base) => format!("{base}{}", meta.url),
            None => meta.url.clone(),
        };
        let reasons = REASONS
            .iter()
            .map(|reason| LinkView {
                title: reason.to_string(),
                url: mail_link(
                    &email,
                    &subject(meta, reason),
                    &body(meta, &address, reason),
                ),
            })
            .collect();
        ReportView {
            email: Some(email),
            reasons,
        }
    }
}

fn subject(meta: &PageMeta, reason: &str) -> String {
    format!("Problem with \"{}\": {}", meta.title, reason.to_lowercase())
}

fn body(meta: &PageMeta, address: &str, reason: &str) -> String {
    let mut body = format!("Page: {address}\r\n");
    if let Some(record) = &meta.record {
        body.push_str(&format!("Record: {record}\r\n"));
    }
    body.push_str(&format!(
        "What is wrong: {}\r\n\r\nPlease say what is wrong and, if you know it, what is right:\r\n\r\n",
        reason.to_lowercase()
    ));
    body
}

/// A `mailto:` link with a subject and body, every part percent-encoded.
pub fn mail_link(to: &str, subject: &str, body: &str) -> String {
    format!(
        "mailto:{}?subject={}&body={}",
        utf8_percent_encode(to, MAILTO)
            .to_string()
            .replace("%40", "@"),
        utf8_percent_encode(subject, MAILTO),
        utf8_percent_encode(body, MAILTO)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mail_link_keeps_every_character_of_subject_and_body() {
        // Characters that would end or split a mailto: link if left as they are.
        let nasty = "A&B ?=#%+ \"quotes\" <tag> line\r\nbreak é 😀";
        let link = mail_link("help@example.org", nasty, nasty);
        let (to, query) = link
            .strip_prefix("mailto:")
            .unwrap()
            .split_once('?')
            .unwrap();
        assert_eq!(to, "help@example.org");
        let parts: Vec<(&str, &str)> = query
            .split('&')
            .map(|p| p.split_once('=').unwrap())
            .collect();
        assert_eq!(parts.len(), 2, "{query}");
        for (key, value) in parts {
            assert!(["subject", "body"].contains(&key));
            assert!(!value.contains([' ', '&', '?', '#', '"', '<', '\r', '\n']));
            let decoded = percent_encoding::percent_decode_str(value)
                .decode_utf8()
                .unwrap();
            assert_eq!(decoded, nasty);
        }
    }
}
