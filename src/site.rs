//! The checked site model. Records are kept in maps keyed by slug and refer to each
//! other by slug (an offer item names its category; a guide names the guide it
//! replaces). Everything here has passed validation, so rendering can rely on it. Also
//! what the pages and the data files both need: queries over the model (clusters in
//! name order, current guides, updates newest first) and contacts as people read them.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Serialize;

use crate::content::contact::UkPhone;
use crate::content::markdown::Heading;
use crate::content::model::{
    Category, ClusterRecord, Contact, GuideFrontMatter, OfferItem, PageFrontMatter, PartialDate,
    SiteConfig, Status, Text,
};

#[derive(Debug, Clone)]
pub struct Cluster {
    pub slug: String,
    pub file: PathBuf,
    pub record: ClusterRecord,
    pub last_reviewed: PartialDate,
    /// Summary rendered from Markdown, if the record has one.
    pub summary_html: Option<String>,
    /// Updates, newest first, with their bodies rendered.
    pub updates: Vec<UpdateEntry>,
    /// Meetings in date order.
    pub meetings: Vec<MeetingEntry>,
    /// When a temporarily closed cluster reopens.
    pub reopens: Option<PartialDate>,
    /// Per offer item (same order as `record.offer`): its own review date and reopening date.
    pub offer_dates: Vec<OfferDates>,
    /// A hash of the record's file (path and text): everything above is made from it
    /// alone, so what is made from a cluster and the site's settings can be remembered
    /// under this and the settings' hash.
    pub source: u64,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct OfferDates {
    pub last_reviewed: Option<PartialDate>,
    pub reopens: Option<PartialDate>,
}

#[derive(Debug, Clone)]
pub struct UpdateEntry {
    pub date: PartialDate,
    pub title: String,
    pub body_html: Option<String>,
}

#[derive(Debug, Clone)]
pub struct MeetingEntry {
    pub date: PartialDate,
    pub title: String,
    pub time: Option<String>,
    pub place: Option<String>,
    pub public: Option<bool>,
}

#[derive(Debug, Clone)]
pub struct Guide {
    pub slug: String,
    pub file: PathBuf,
    pub front: GuideFrontMatter,
    pub edition: PartialDate,
    pub html: String,
    pub headings: Vec<Heading>,
    /// Plain text of the body, for search.
    pub text: String,
    /// Slug of the newer edition that replaces this one, if any.
    pub replaced_by: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Page {
    pub slug: String,
    pub file: PathBuf,
    pub front: PageFrontMatter,
    pub html: String,
    pub headings: Vec<Heading>,
    /// Plain text of the body, for search.
    pub text: String,
}

/// A link from Markdown to a page of this site.
#[derive(Debug, Clone)]
pub struct InternalLink {
    pub file: PathBuf,
    pub span: std::ops::Range<usize>,
    /// The page it goes to (`/guides/x/`).
    pub target: String,
    /// The part after `#`, if any.
    pub fragment: Option<String>,
}

/// A web address of another website: a link in Markdown, or the value of a field that
/// holds one (`help.request_form_url`, `contact.url`, a source).
#[derive(Debug, Clone)]
pub struct ExternalLink {
    pub file: PathBuf,
    pub span: std::ops::Range<usize>,
    pub url: String,
    /// The field that holds it (`help.request_form_url`), or `None` for a Markdown link.
    pub field: Option<&'static str>,
}

#[derive(Debug, Clone)]
pub struct Site {
    pub config: SiteConfig,
    /// The date the site is built for: staleness is judged against it.
    pub today: chrono::NaiveDate,
    /// Whether drafts are included (a preview), so pages mark them.
    pub drafts: bool,
    /// Every internal link in Markdown, for checks that need the rendered pages.
    pub links: Vec<InternalLink>,
    /// Every `http(s)://` address in the content (Markdown links and fields that hold
    /// web addresses), for `check --external`.
    pub external_links: Vec<ExternalLink>,
    /// Categories in the order `site.toml` lists them.
    pub categories: Vec<Category>,
    pub clusters: BTreeMap<String, Cluster>,
    pub guides: BTreeMap<String, Guide>,
    pub pages: BTreeMap<String, Page>,
}

impl Cluster {
    /// The status a service really has: a closed cluster closes its services too.
    pub fn offer_status(&self, item: &OfferItem) -> Status {
        match (
            self.record.status.unwrap_or_default(),
            item.status.unwrap_or_default(),
        ) {
            (Status::Ended, _) | (_, Status::Ended) => Status::Ended,
            (Status::TemporarilyClosed, _) | (_, Status::TemporarilyClosed) => {
                Status::TemporarilyClosed
            }
            _ => Status::Active,
        }
    }
}

impl Site {
    pub fn stale_after_months(&self) -> u32 {
        self.config
            .stale_after_months
            .unwrap_or(crate::content::model::DEFAULT_STALE_AFTER_MONTHS)
    }

    /// The site's `base_url` without a trailing `/`, when it has one.
    pub fn base_url(&self) -> Option<&str> {
        self.config
            .base_url
            .as_ref()
            .map(|b| b.get_ref().trim_end_matches('/'))
    }

    /// An address of the site made absolute, when the site has a `base_url`.
    pub fn absolute(&self, path: &str) -> Option<String> {
        self.base_url().map(|b| format!("{b}{path}"))
    }

    pub fn quick_exit_url(&self) -> String {
        self.config.quick_exit_url.as_ref().map_or_else(
            || crate::content::model::DEFAULT_QUICK_EXIT_URL.to_string(),
            |u| u.get_ref().clone(),
        )
    }

    /// Slugs of categories whose help someone may need to hide looking at.
    pub fn is_sensitive_category(&self, slug: &str) -> bool {
        self.categories
            .iter()
            .any(|c| c.sensitive && c.slug.get_ref() == slug)
    }

    /// Pages in footer order: by weight, then title.
    pub fn pages_in_order(&self) -> Vec<&Page> {
        let mut pages: Vec<&Page> = self.pages.values().collect();
        pages.sort_by(|a, b| {
            (a.front.weight.unwrap_or(i32::MAX), &a.front.title)
                .cmp(&(b.front.weight.unwrap_or(i32::MAX), &b.front.title))
        });
        pages
    }

    /// Clusters in name order (as people look for them), not slug order.
    pub fn clusters_in_order(&self) -> Vec<&Cluster> {
        let mut v: Vec<&Cluster> = self.clusters.values().collect();
        v.sort_by_key(|c| c.record.name.to_lowercase());
        v
    }

    /// Current editions of the guides, by guide number then title.
    pub fn current_guides(&self) -> Vec<&Guide> {
        let mut current: Vec<&Guide> = self
            .guides
            .values()
            .filter(|g| g.replaced_by.is_none())
            .collect();
        current.sort_by(|a, b| {
            (a.front.number, &a.front.title).cmp(&(b.front.number, &b.front.title))
        });
        current
    }

    /// Every cluster's updates, newest first (for the home page and the Atom feed).
    pub fn all_updates(&self) -> Vec<(&Cluster, &UpdateEntry)> {
        let mut all: Vec<_> = self
            .clusters
            .values()
            .flat_map(|c| c.updates.iter().map(move |u| (c, u)))
            .collect();
        all.sort_by(|a, b| {
            b.1.date
                .cmp(&a.1.date)
                .then_with(|| a.0.slug.cmp(&b.0.slug))
                .then_with(|| a.1.title.cmp(&b.1.title))
        });
        all
    }
}

// ---------------------------------------------------------------------------------------
// Contacts as people read them (phone numbers grouped, with tel: links), shared by the
// pages and the JSON export

#[derive(Debug, Clone, Serialize)]
pub struct PhoneView {
    pub display: String,
    pub tel: String,
}

pub fn phone(t: &Option<Text>) -> Option<PhoneView> {
    let p = UkPhone::parse(t.as_ref()?.get_ref()).ok()?;
    Some(PhoneView {
        display: p.display(),
        tel: p.tel_uri(),
    })
}

pub fn text(t: &Option<Text>) -> Option<String> {
    t.as_ref().map(|t| t.get_ref().trim().to_string())
}

#[derive(Debug, Clone, Serialize)]
pub struct PersonView {
    pub role: String,
    pub name: Option<String>,
    pub job_title: Option<String>,
    pub organisation: Option<String>,
    pub phone: Option<PhoneView>,
    pub mobile: Option<PhoneView>,
    pub email: Option<String>,
    pub address: Vec<String>,
}

impl From<&Contact> for PersonView {
    fn from(p: &Contact) -> Self {
        PersonView {
            role: p.role.label().to_string(),
            name: p.name.clone(),
            job_title: p.job_title.clone(),
            organisation: p.organisation.clone(),
            phone: phone(&p.phone),
            mobile: phone(&p.mobile),
            email: text(&p.email),
            address: p.address.clone(),
        }
    }
}
