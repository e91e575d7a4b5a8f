//! The small typed views every page shares: links, dates, the city-wide contact, the
//! layout's site view and what a page says about itself. Each page kind's own views are
//! in its module; all are already formatted (dates in words, phone numbers grouped).

use serde::Serialize;

use crate::content::model::{CityContact, PartialDate};
use crate::routes;
use crate::site::Site;
pub use crate::site::{phone, text, PersonView, PhoneView};

#[derive(Debug, Clone, Serialize)]
pub struct LinkView {
    pub title: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DateView {
    pub human: String,
    pub iso: String,
    /// "on 31 January 2025" or "in January 2025".
    pub on: String,
}

impl From<PartialDate> for DateView {
    fn from(d: PartialDate) -> Self {
        DateView {
            human: d.human(),
            iso: d.iso(),
            on: d.on(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ContactView {
    pub name: String,
    pub phone: Option<PhoneView>,
    pub email: Option<String>,
    pub url: Option<String>,
    pub about: Option<String>,
}

impl From<&CityContact> for ContactView {
    fn from(c: &CityContact) -> Self {
        ContactView {
            name: c.name.clone(),
            phone: phone(&c.phone),
            email: text(&c.email),
            url: text(&c.url),
            about: c.about.clone(),
        }
    }
}

/// What every page's layout needs.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub title: String,
    pub description: String,
    pub language: String,
    pub city: String,
    pub contact: ContactView,
    pub help_intro: Option<String>,
    pub quick_exit_url: String,
    pub nav: Vec<LinkView>,
    pub footer_pages: Vec<LinkView>,
    /// The addresses of the site's own pages, from the route table, for templates to
    /// link to (`{{ site.urls.schools }}`).
    pub urls: SiteUrls,
    /// Where "Report a problem" sends by default: `report_email`, else the city-wide email.
    pub report_email: Option<String>,
    /// The published address without its final `/`, when `base_url` is set.
    pub base_url: Option<String>,
    /// The terms pages explain where they first appear (part of every page's context,
    /// so a change to the glossary renders every page again in the preview).
    pub glossary: std::sync::Arc<crate::pages::glossary::Glossary>,
}

/// The address of each page kind that has one page.
#[derive(Debug, Clone, Serialize)]
pub struct SiteUrls {
    pub home: String,
    pub clusters: String,
    pub core_offer: String,
    pub schools: String,
    pub guides: String,
    pub search: String,
    pub data: String,
    /// The news feed of every cluster.
    pub feed: String,
    /// The folder of static files (`{{ site.urls.static }}style.css`).
    pub r#static: String,
}

impl SiteUrls {
    fn new() -> Self {
        SiteUrls {
            home: routes::home(),
            clusters: routes::clusters(),
            core_offer: routes::core_offer(),
            schools: routes::schools(),
            guides: routes::guides(),
            search: routes::search(),
            data: routes::data(),
            feed: routes::files::FEED.to_string(),
            r#static: routes::files::STATIC.to_string(),
        }
    }
}

impl SiteView {
    pub fn new(site: &Site) -> Self {
        SiteView {
            title: site.config.title.clone(),
            description: site.config.description.clone(),
            language: site.config.language.clone(),
            city: site.config.city.clone(),
            contact: (&site.config.contact).into(),
            help_intro: site.config.help_intro.clone(),
            quick_exit_url: site.quick_exit_url(),
            nav: vec![
                link("Home", routes::home()),
                link("Clusters", routes::clusters()),
                link("Core offer", routes::core_offer()),
                link("Schools A to Z", routes::schools()),
                link("Guides", routes::guides()),
                link("Search", routes::search()),
            ],
            footer_pages: site
                .pages_in_order()
                .iter()
                .map(|p| link(&p.front.title, routes::page(&p.slug)))
                .collect(),
            urls: SiteUrls::new(),
            report_email: site
                .config
                .report_email
                .as_ref()
                .or(site.config.contact.email.as_ref())
                .map(|e| e.get_ref().clone()),
            base_url: site.base_url().map(str::to_string),
            glossary: std::sync::Arc::new(crate::pages::glossary::Glossary::new(site)),
        }
    }
}

pub fn link(title: &str, url: String) -> LinkView {
    LinkView {
        title: title.to_string(),
        url,
    }
}

/// What a page says about itself: title, description, address and breadcrumbs.
#[derive(Debug, Clone, Serialize)]
pub struct PageMeta {
    pub title: String,
    pub description: String,
    pub url: String,
    /// The trail from Home to the parent of this page (this page is not a link).
    pub breadcrumbs: Vec<LinkView>,
    /// Which top navigation entry is current.
    pub section: String,
    /// Whether the page carries the quick-exit control.
    pub quick_exit: bool,
    /// A draft shown in a preview (`--drafts`): the page says so.
    pub draft: bool,
    /// The file the page's facts come from (`content/clusters/arm.toml`), named in
    /// problem reports.
    pub record: Option<String>,
    /// Where this page's problem reports go, when not the site's address.
    pub report_email: Option<String>,
}

/// JSON for a `<script type="application/ld+json">` block: `<`, `>` and `&` are escaped
/// so the text can never close the element.
pub fn json_for_script(v: &serde_json::Value) -> String {
    v.to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}
