//! A cluster's own page and its printable offer, both drawn from one [`ClusterView`]:
//! how to get help ([`help`]), the offer by kind of help, schools, contacts, how it is
//! run and funded ([`governance`]), meetings and news.

use serde::Serialize;

pub mod governance;
pub mod help;

use crate::content::contact::UkPhone;
use crate::content::model;
use crate::pages::cluster::governance::{FundingView, GovernanceView, PriorityView};
use crate::pages::cluster::help::HelpView;
use crate::pages::common::{json_for_script, link, DateView, PersonView, SiteView};
use crate::pages::job::{page_meta, Job};
use crate::pages::offer::{status_view, OfferView, StatusView};
use crate::routes::{self, PageKind};
use crate::site::{Cluster, Site};

#[derive(Debug, Clone, Serialize)]
pub struct OfferGroup {
    pub category: String,
    pub name: String,
    pub items: Vec<OfferView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct NamedList {
    pub name: String,
    pub items: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CentreView {
    pub name: String,
    pub based_at: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MeetingView {
    pub title: String,
    pub date: DateView,
    pub time: Option<String>,
    pub place: Option<String>,
    pub public: Option<bool>,
}

#[derive(Debug, Clone, Serialize)]
pub struct UpdateView {
    pub title: String,
    pub date: DateView,
    pub body_html: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ClusterView {
    pub name: String,
    pub url: String,
    /// The printable one-to-two-page view of the offer.
    pub print_url: String,
    /// The cluster's iCalendar feed of public meetings.
    pub calendar_url: String,
    /// Set when the cluster is not running.
    pub status: Option<StatusView>,
    pub alert: Option<String>,
    /// The record is older than the site's limit.
    pub stale: bool,
    /// How long ago the record was last checked, in words ("more than 10 years ago").
    pub reviewed_ago: String,
    pub quick_exit: bool,
    /// schema.org description of the cluster, as JSON ready for a script data block.
    pub json_ld: String,
    pub short_name: Option<String>,
    pub area: Option<String>,
    pub summary_html: Option<String>,
    pub last_reviewed: DateView,
    pub help: HelpView,
    pub offer: Vec<OfferGroup>,
    pub schools: Vec<NamedList>,
    pub children_centres: Vec<CentreView>,
    pub contacts: Vec<PersonView>,
    pub governance: Option<GovernanceView>,
    /// Address of the page explaining the governance models, if the site has one.
    pub governance_explainer: Option<String>,
    pub priorities: Vec<PriorityView>,
    pub funding: Vec<FundingView>,
    pub meetings: Vec<MeetingView>,
    pub updates: Vec<UpdateView>,
    pub sources: Vec<String>,
}

impl ClusterView {
    pub fn new(site: &Site, c: &Cluster) -> Self {
        let r = &c.record;
        let mut contacts: Vec<&model::Contact> = r.contacts.iter().collect();
        contacts.sort_by_key(|c| c.role);
        ClusterView {
            name: r.name.clone(),
            url: routes::cluster(&c.slug),
            print_url: routes::cluster_offer(&c.slug),
            calendar_url: routes::cluster_file(&c.slug, routes::files::CLUSTER_MEETINGS),
            status: status_view(r.status, c.reopens),
            alert: r.alert.clone(),
            stale: c
                .last_reviewed
                .is_older_than(site.stale_after_months(), site.today),
            reviewed_ago: c.last_reviewed.age_in_words(site.today),
            quick_exit: cluster_needs_quick_exit(site, c),
            json_ld: cluster_json_ld(site, c),
            short_name: r.short_name.clone(),
            area: r.area.clone(),
            summary_html: c.summary_html.clone(),
            last_reviewed: c.last_reviewed.into(),
            help: HelpView::new(r.help.as_ref(), &r.contacts),
            offer: offer_groups(site, c),
            schools: schools_by_phase(r),
            children_centres: r
                .children_centres
                .iter()
                .map(|cc| CentreView {
                    name: cc.name.get_ref().clone(),
                    based_at: cc.based_at.clone(),
                })
                .collect(),
            contacts: contacts.into_iter().map(PersonView::from).collect(),
            governance: r.governance.as_ref().map(GovernanceView::new),
            governance_explainer: site
                .pages
                .contains_key("governance")
                .then(|| routes::page("governance")),
            priorities: governance::priorities(r),
            funding: governance::funding(r),
            meetings: meetings(c),
            updates: updates(c),
            sources: r.sources.iter().map(|s| s.get_ref().clone()).collect(),
        }
    }
}

/// The offer grouped by category, in the order site.toml lists categories.
fn offer_groups(site: &Site, c: &Cluster) -> Vec<OfferGroup> {
    site.categories
        .iter()
        .filter_map(|cat| {
            let items: Vec<OfferView> = c
                .record
                .offer
                .iter()
                .enumerate()
                .filter(|(_, o)| o.category.get_ref() == cat.slug.get_ref())
                .map(|(i, _)| OfferView::new(site, c, i))
                .collect();
            (!items.is_empty()).then(|| OfferGroup {
                category: cat.slug.get_ref().clone(),
                name: cat.name.clone(),
                items,
            })
        })
        .collect()
}

/// The schools, one list per phase, each in name order.
fn schools_by_phase(r: &model::ClusterRecord) -> Vec<NamedList> {
    let mut phases: Vec<model::Phase> = r.schools.iter().map(|s| s.phase).collect();
    phases.sort();
    phases.dedup();
    phases
        .into_iter()
        .map(|p| {
            let mut items: Vec<String> = r
                .schools
                .iter()
                .filter(|s| s.phase == p)
                .map(|s| s.name.get_ref().clone())
                .collect();
            items.sort_by_key(|s| s.to_lowercase());
            NamedList {
                name: p.label().to_string(),
                items,
            }
        })
        .collect()
}

fn meetings(c: &Cluster) -> Vec<MeetingView> {
    c.meetings
        .iter()
        .map(|m| MeetingView {
            title: m.title.clone(),
            date: m.date.into(),
            time: m.time.clone(),
            place: m.place.clone(),
            public: m.public,
        })
        .collect()
}

fn updates(c: &Cluster) -> Vec<UpdateView> {
    c.updates
        .iter()
        .map(|u| UpdateView {
            title: u.title.clone(),
            date: u.date.into(),
            body_html: u.body_html.clone(),
        })
        .collect()
}

fn cluster_json_ld(site: &Site, c: &Cluster) -> String {
    let r = &c.record;
    let help = r.help.clone().unwrap_or_default();
    let city = &site.config.contact;
    let mut points = Vec::new();
    let help_phone = help.phone.as_ref().or(city.phone.as_ref());
    if let Some(p) = help_phone.and_then(|p| UkPhone::parse(p.get_ref()).ok()) {
        points.push(serde_json::json!({ "@type": "ContactPoint", "contactType": "How to get help", "telephone": p.tel_uri().trim_start_matches("tel:") }));
    }
    for p in &r.contacts {
        for t in [&p.phone, &p.mobile].into_iter().flatten() {
            if let Ok(ph) = UkPhone::parse(t.get_ref()) {
                points.push(serde_json::json!({ "@type": "ContactPoint", "contactType": p.role.label(), "telephone": ph.tel_uri().trim_start_matches("tel:") }));
            }
        }
    }
    let v = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "GovernmentService",
        "name": format!("{} early help cluster", r.name),
        "serviceType": "Early help for children and families",
        "areaServed": r.area.clone().unwrap_or_else(|| site.config.city.clone()),
        "provider": { "@type": "Organization", "name": format!("{} cluster", r.name), "contactPoint": points },
        "dateModified": c.last_reviewed.iso(),
    });
    json_for_script(&v)
}

/// A cluster page carries the quick exit when its record asks for it or it lists help
/// in a sensitive category (domestic abuse).
pub fn cluster_needs_quick_exit(site: &Site, c: &Cluster) -> bool {
    c.record.quick_exit == Some(true)
        || c.record
            .offer
            .iter()
            .any(|o| site.is_sensitive_category(o.category.get_ref()))
}

/// The jobs for one cluster: its printable offer and its page.
pub fn jobs(site: &Site, sv: &SiteView, c: &Cluster) -> [Job; 2] {
    let view = ClusterView::new(site, c);
    let description = format!(
        "How to get early help from the {} cluster, what it offers, its schools and contacts.",
        c.record.name
    );
    let crumbs = vec![
        link("Home", routes::home()),
        link("Clusters", routes::clusters()),
    ];
    let title = format!("{} cluster", c.record.name);
    let mut meta = page_meta(
        &title,
        &description,
        routes::cluster(&c.slug),
        crumbs.clone(),
        "Clusters",
    );
    meta.quick_exit = view.quick_exit;
    meta.draft = c.record.draft;
    meta.record = Some(c.file.display().to_string());
    meta.report_email = c.record.report_email.as_ref().map(|e| e.get_ref().clone());
    let mut print_meta = page_meta(
        &format!("{} cluster: offer to print or save", c.record.name),
        &format!(
            "The {} cluster's offer, how to get help and contacts, on one or two printed pages.",
            c.record.name
        ),
        routes::cluster_offer(&c.slug),
        [crumbs, vec![link(&title, routes::cluster(&c.slug))]].concat(),
        "Clusters",
    );
    print_meta.quick_exit = view.quick_exit;
    print_meta.record = meta.record.clone();
    print_meta.report_email = meta.report_email.clone();
    [
        Job::new(PageKind::ClusterOffer, sv, print_meta, "cluster", &view),
        Job::new(PageKind::Cluster, sv, meta, "cluster", &view),
    ]
}
