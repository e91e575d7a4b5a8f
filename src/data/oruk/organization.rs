//! A cluster as an ORUK organization: its description, help email and web page.

use super::records::Organization;
use crate::data::ids::id;
use crate::routes;
use crate::site::{Cluster, Site};

/// The organization record of a cluster, without its services.
pub(super) fn organization<'a>(site: &Site, c: &'a Cluster) -> Organization<'a> {
    Organization {
        description: plain_summary(c, site),
        email: help_email(c),
        id: id(&format!("organization:{}", c.slug)),
        name: format!("{} cluster", c.record.name),
        services: None,
        website: site.absolute(&routes::cluster(&c.slug)),
    }
}

/// The cluster's email for getting help, if it has one.
pub(super) fn help_email(c: &Cluster) -> Option<&str> {
    c.record
        .help
        .as_ref()
        .and_then(|h| h.email.as_ref())
        .map(|e| e.get_ref().trim())
}

/// The cluster's summary on one line, or a sentence saying where it serves.
fn plain_summary(c: &Cluster, site: &Site) -> String {
    let r = &c.record;
    let summary = r
        .summary
        .as_ref()
        .map(|s| s.get_ref().split_whitespace().collect::<Vec<_>>().join(" "));
    summary.unwrap_or_else(|| match &r.area {
        Some(area) => format!(
            "Early help cluster of schools and partners serving {area}, {}.",
            site.config.city
        ),
        None => format!(
            "Early help cluster of schools and partners in {}.",
            site.config.city
        ),
    })
}
