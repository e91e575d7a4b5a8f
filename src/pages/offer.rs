//! One service of a cluster's offer as pages show it, with its status: shared by the
//! cluster pages and the core offer.

use serde::Serialize;

use crate::content::model::{self, PartialDate};
use crate::pages::common::DateView;
use crate::site::{Cluster, Site};
use crate::text::money;

/// A status other than active, for a banner or a label.
#[derive(Debug, Clone, Serialize)]
pub struct StatusView {
    pub slug: String,
    pub label: String,
    pub reopens: Option<DateView>,
}

pub fn status_view(
    status: Option<model::Status>,
    reopens: Option<PartialDate>,
) -> Option<StatusView> {
    let s = status.unwrap_or_default();
    (s != model::Status::Active).then(|| StatusView {
        slug: s.slug().to_string(),
        label: s.label().to_string(),
        reopens: reopens.map(DateView::from),
    })
}

#[derive(Debug, Clone, Serialize)]
pub struct OfferView {
    pub service: String,
    pub provider: Option<String>,
    pub description: Option<String>,
    pub who_for: Option<String>,
    pub ages: Option<String>,
    pub access: Option<String>,
    pub self_referral: Option<bool>,
    pub capacity: Option<String>,
    pub funded_by: Option<String>,
    pub cost: Option<String>,
    /// Set when the service is not running.
    pub status: Option<StatusView>,
    pub alert: Option<String>,
    /// When its details were last checked (its own date, or the record's).
    pub last_checked: DateView,
    pub stale: bool,
}

impl OfferView {
    pub fn new(site: &Site, cluster: &Cluster, index: usize) -> Self {
        let o = &cluster.record.offer[index];
        let dates = cluster.offer_dates.get(index).copied().unwrap_or_default();
        let checked = dates.last_reviewed.unwrap_or(cluster.last_reviewed);
        OfferView {
            status: status_view(o.status, dates.reopens),
            alert: o.alert.clone(),
            last_checked: checked.into(),
            stale: checked.is_older_than(site.stale_after_months(), site.today),
            service: o.service.clone(),
            provider: o.provider.clone(),
            description: o.description.clone(),
            who_for: o.who_for.clone(),
            ages: o
                .age_range()
                .map(|a| format!("{} to {} years", a.min, a.max)),
            access: o.access.clone(),
            self_referral: o.self_referral,
            capacity: o.capacity.clone(),
            funded_by: o.funded_by.clone(),
            cost: o
                .cost
                .as_ref()
                .map(|c| format!("{} ({})", money(*c.amount.get_ref()), c.basis)),
        }
    }
}
