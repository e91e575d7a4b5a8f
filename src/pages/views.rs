//! Small typed views that templates are given: each page kind gets only what it shows,
//! already formatted (dates in words, phone numbers grouped, money with separators).

use serde::Serialize;

use crate::content::contact::UkPhone;
pub use crate::content::contact::{phone, text, PersonView, PhoneView};
use crate::content::model::{self, CityContact, PartialDate};
use crate::routes;
use crate::site::{Cluster, Guide, Site};
use crate::text::{index_letter, money};

#[derive(Debug, Clone, Serialize)]
pub struct LinkView {
    pub title: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DateView {
    pub human: String,
    pub iso: String,
}

impl From<PartialDate> for DateView {
    fn from(d: PartialDate) -> Self {
        DateView {
            human: d.human(),
            iso: d.iso(),
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
}

// ---------------------------------------------------------------------------------------
// Clusters

#[derive(Debug, Clone, Serialize)]
pub struct ClusterSummary {
    pub name: String,
    pub short_name: Option<String>,
    pub url: String,
    pub area: Option<String>,
    pub schools: usize,
    pub offer_items: usize,
    pub governance: Option<String>,
}

impl From<&Cluster> for ClusterSummary {
    fn from(c: &Cluster) -> Self {
        ClusterSummary {
            name: c.record.name.clone(),
            short_name: c.record.short_name.clone(),
            url: routes::cluster(&c.slug),
            area: c.record.area.clone(),
            schools: c.record.schools.len(),
            offer_items: c.record.offer.len(),
            governance: c
                .record
                .governance
                .as_ref()
                .and_then(|g| g.model)
                .map(|m| m.label().to_string()),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct HelpView {
    pub self_referral: Option<String>,
    pub request_form: Option<String>,
    pub request_form_url: Option<String>,
    pub phone: Option<PhoneView>,
    pub email: Option<String>,
    pub opening_times: Option<String>,
    pub mindmate_spa: bool,
    pub notes: Option<String>,
    /// "Monday to Friday: 9am to 5pm", one line per entry.
    pub opening_hours: Vec<String>,
    pub opening_exceptions: Vec<String>,
    pub call_cost: Option<String>,
    pub reply_time: Option<String>,
    /// True when the record has no phone or email of its own, so the page shows the
    /// city-wide contact instead.
    pub uses_city_contact: bool,
}

/// A status other than active, for a banner or a label.
#[derive(Debug, Clone, Serialize)]
pub struct StatusView {
    pub slug: String,
    pub label: String,
    pub reopens: Option<DateView>,
}

fn status_view(status: Option<model::Status>, reopens: Option<PartialDate>) -> Option<StatusView> {
    let s = status.unwrap_or_default();
    (s != model::Status::Active).then(|| StatusView {
        slug: s.slug().to_string(),
        label: s.label().to_string(),
        reopens: reopens.map(DateView::from),
    })
}

/// "09:00" as "9am", "17:30" as "5:30pm".
pub fn clock(t: &str) -> String {
    let (h, m) = t.split_once(':').unwrap_or((t, "00"));
    let h: u32 = h.parse().unwrap_or(0);
    let suffix = if h < 12 { "am" } else { "pm" };
    let h12 = match h % 12 {
        0 => 12,
        x => x,
    };
    if m == "00" {
        format!("{h12}{suffix}")
    } else {
        format!("{h12}:{m}{suffix}")
    }
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
            ages: o.ages.map(|a| format!("{} to {} years", a.min, a.max)),
            access: o.access.clone(),
            self_referral: o.self_referral,
            capacity: o.capacity.clone(),
            funded_by: o.funded_by.clone(),
            cost: o
                .cost
                .as_ref()
                .map(|c| format!("{} ({})", money(c.amount), c.basis)),
        }
    }
}

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
pub struct GovernanceView {
    pub model: Option<String>,
    pub body: Option<String>,
    pub accountable_body: Option<String>,
    pub committees: Vec<String>,
    pub voting: Option<String>,
    pub membership: Vec<String>,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MoneyLine {
    pub name: String,
    pub amount: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FundingView {
    pub year: String,
    /// Bar chart of the spending lines (inline SVG), when they have amounts.
    pub chart_svg: Option<String>,
    pub total: Option<String>,
    pub sources: Vec<MoneyLine>,
    pub spending: Vec<MoneyLine>,
    pub notes: Option<String>,
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
pub struct PriorityView {
    pub title: String,
    pub detail: Option<String>,
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
    pub stale_months: u32,
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

fn money_lines(list: &[model::Money]) -> Vec<MoneyLine> {
    list.iter()
        .map(|m| MoneyLine {
            name: m.name.clone(),
            amount: m.amount.map(money),
        })
        .collect()
}

impl ClusterView {
    pub fn new(site: &Site, c: &Cluster) -> Self {
        let r = &c.record;
        let help = r.help.clone().unwrap_or_default();
        let help_view = HelpView {
            uses_city_contact: help.phone.is_none() && help.email.is_none(),
            self_referral: help.self_referral,
            request_form: help.request_form,
            request_form_url: text(&help.request_form_url),
            phone: phone(&help.phone),
            email: text(&help.email),
            opening_times: help.opening_times,
            opening_hours: help
                .opening_hours
                .iter()
                .map(|o| {
                    format!(
                        "{}: {} to {}",
                        o.days,
                        clock(o.opens.get_ref()),
                        clock(o.closes.get_ref())
                    )
                })
                .collect(),
            opening_exceptions: help.opening_exceptions,
            call_cost: help.call_cost,
            reply_time: help.reply_time,
            mindmate_spa: help.mindmate_spa.unwrap_or(false),
            notes: help.notes,
        };
        // Offer grouped by category, in the order site.toml lists categories.
        let offer = site
            .categories
            .iter()
            .filter_map(|cat| {
                let items: Vec<OfferView> = r
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
            .collect();
        let mut phases: Vec<model::Phase> = r.schools.iter().map(|s| s.phase).collect();
        phases.sort();
        phases.dedup();
        let schools = phases
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
            .collect();
        let mut contacts: Vec<&model::Contact> = r.contacts.iter().collect();
        contacts.sort_by_key(|c| c.role);
        ClusterView {
            name: r.name.clone(),
            url: routes::cluster(&c.slug),
            print_url: routes::cluster_offer(&c.slug),
            calendar_url: format!("{}meetings.ics", routes::cluster(&c.slug)),
            status: status_view(r.status, c.reopens),
            alert: r.alert.clone(),
            stale: c
                .last_reviewed
                .is_older_than(site.stale_after_months(), site.today),
            stale_months: site.stale_after_months(),
            quick_exit: cluster_needs_quick_exit(site, c),
            json_ld: cluster_json_ld(site, c),
            short_name: r.short_name.clone(),
            area: r.area.clone(),
            summary_html: c.summary_html.clone(),
            last_reviewed: c.last_reviewed.into(),
            help: help_view,
            offer,
            schools,
            children_centres: r
                .children_centres
                .iter()
                .map(|cc| CentreView {
                    name: cc.name.get_ref().clone(),
                    based_at: cc.based_at.clone(),
                })
                .collect(),
            contacts: contacts.into_iter().map(PersonView::from).collect(),
            governance: r.governance.as_ref().map(|g| GovernanceView {
                model: g.model.map(|m| m.label().to_string()),
                body: g.body.clone(),
                accountable_body: g.accountable_body.clone(),
                committees: g.committees.clone(),
                voting: g.voting.clone(),
                membership: g.membership.clone(),
                notes: g.notes.clone(),
            }),
            governance_explainer: site
                .pages
                .contains_key("governance")
                .then(|| routes::page("governance")),
            priorities: r
                .priorities
                .iter()
                .map(|p| PriorityView {
                    title: p.title.clone(),
                    detail: p.detail.clone(),
                })
                .collect(),
            funding: r
                .funding
                .iter()
                .enumerate()
                .map(|(i, f)| FundingView {
                    chart_svg: crate::pages::charts::bar_chart(
                        &format!("spending-chart-{i}"),
                        &format!("Main spending, {}", f.year),
                        &f.spending
                            .iter()
                            .filter_map(|m| Some((m.name.clone(), m.amount?)))
                            .collect::<Vec<_>>(),
                    ),
                    year: f.year.clone(),
                    total: f.total.map(money),
                    sources: money_lines(&f.sources),
                    spending: money_lines(&f.spending),
                    notes: f.notes.clone(),
                })
                .collect(),
            meetings: c
                .meetings
                .iter()
                .map(|m| MeetingView {
                    title: m.title.clone(),
                    date: m.date.into(),
                    time: m.time.clone(),
                    place: m.place.clone(),
                    public: m.public,
                })
                .collect(),
            updates: c
                .updates
                .iter()
                .map(|u| UpdateView {
                    title: u.title.clone(),
                    date: u.date.into(),
                    body_html: u.body_html.clone(),
                })
                .collect(),
            sources: r.sources.clone(),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Core offer

#[derive(Debug, Clone, Serialize)]
pub struct CategoryView {
    pub slug: String,
    pub name: String,
    pub description: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct OfferRow {
    pub cluster: LinkView,
    /// The cluster's slug, so filters can pick rows by cluster.
    pub slug: String,
    /// One cell per category, in category order: the services offered.
    pub cells: Vec<OfferCell>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OfferCell {
    pub category: String,
    pub services: Vec<FilterableService>,
}

/// A service name with what the core-offer filters look at.
#[derive(Debug, Clone, Serialize)]
pub struct FilterableService {
    pub name: String,
    pub min_age: Option<u8>,
    pub max_age: Option<u8>,
    pub self_referral: bool,
    /// "Temporarily closed" or "Ended"; absent when running.
    pub status: Option<String>,
}

impl From<&model::OfferItem> for FilterableService {
    fn from(o: &model::OfferItem) -> Self {
        let status = o.status.unwrap_or_default();
        FilterableService {
            name: o.service.clone(),
            min_age: o.ages.map(|a| a.min),
            max_age: o.ages.map(|a| a.max),
            // A closed or ended service is not one families can ask for now.
            self_referral: o.self_referral == Some(true) && status == model::Status::Active,
            status: (status != model::Status::Active).then(|| status.label().to_string()),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct CategoryListing {
    pub category: CategoryView,
    pub entries: Vec<CategoryEntry>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CategoryEntry {
    pub cluster: LinkView,
    pub slug: String,
    pub offer: OfferView,
    pub filter: FilterableService,
}

#[derive(Debug, Clone, Serialize)]
pub struct CoreOfferView {
    pub categories: Vec<CategoryView>,
    pub rows: Vec<OfferRow>,
    pub listings: Vec<CategoryListing>,
    /// Every part of a core offer too big for one page, in order (empty when it fits).
    pub parts: Vec<OfferPartLink>,
    /// How many clusters the whole directory has.
    pub total_clusters: usize,
}

/// One part of a split core offer: where it is and which clusters it covers.
#[derive(Debug, Clone, Serialize)]
pub struct OfferPartLink {
    pub number: usize,
    pub url: String,
    /// Name of the first and the last cluster in the part.
    pub first: String,
    pub last: String,
    pub clusters: usize,
    /// Whether this is the part the page shows.
    pub current: bool,
}

/// Links to every part (empty when there is only one), marking part `current`.
pub fn core_offer_part_links(
    parts: &[Vec<&Cluster>],
    current: Option<usize>,
) -> Vec<OfferPartLink> {
    if parts.len() < 2 {
        return Vec::new();
    }
    parts
        .iter()
        .enumerate()
        .map(|(i, p)| OfferPartLink {
            number: i + 1,
            url: routes::core_offer_part(i + 1),
            first: p.first().map(|c| c.record.name.clone()).unwrap_or_default(),
            last: p.last().map(|c| c.record.name.clone()).unwrap_or_default(),
            clusters: p.len(),
            current: current == Some(i + 1),
        })
        .collect()
}

impl CoreOfferView {
    /// The whole core offer on one page (a directory of up to
    /// [`routes::CORE_OFFER_PART_CLUSTERS`] clusters).
    pub fn new(site: &Site) -> Self {
        Self::for_clusters(site, &site.clusters_in_order(), Vec::new())
    }

    /// The index of a split core offer: the kinds of help and the parts, no rows.
    pub fn index(site: &Site, parts: Vec<OfferPartLink>) -> Self {
        Self::for_clusters(site, &[], parts)
    }

    /// The rows and listings of `clusters` (in the order given), with links to `parts`.
    pub fn for_clusters(site: &Site, clusters: &[&Cluster], parts: Vec<OfferPartLink>) -> Self {
        let categories: Vec<CategoryView> = site
            .categories
            .iter()
            .map(|c| CategoryView {
                slug: c.slug.get_ref().clone(),
                name: c.name.clone(),
                description: c.description.clone(),
            })
            .collect();
        let index: std::collections::HashMap<&str, usize> = categories
            .iter()
            .enumerate()
            .map(|(i, c)| (c.slug.as_str(), i))
            .collect();
        let mut listings: Vec<CategoryListing> = categories
            .iter()
            .map(|c| CategoryListing {
                category: c.clone(),
                entries: Vec::new(),
            })
            .collect();
        let mut rows = Vec::new();
        for &c in clusters {
            let cluster = link(&c.record.name, routes::cluster(&c.slug));
            let mut cells: Vec<OfferCell> = categories
                .iter()
                .map(|cat| OfferCell {
                    category: cat.slug.clone(),
                    services: Vec::new(),
                })
                .collect();
            for (n, item) in c.record.offer.iter().enumerate() {
                if let Some(&i) = index.get(item.category.get_ref().as_str()) {
                    cells[i].services.push(item.into());
                    listings[i].entries.push(CategoryEntry {
                        cluster: cluster.clone(),
                        slug: c.slug.clone(),
                        offer: OfferView::new(site, c, n),
                        filter: item.into(),
                    });
                }
            }
            rows.push(OfferRow {
                cluster,
                slug: c.slug.clone(),
                cells,
            });
        }
        CoreOfferView {
            categories,
            rows,
            listings,
            parts,
            total_clusters: site.clusters.len(),
        }
    }
}

/// JSON for a `<script type="application/ld+json">` block: `<`, `>` and `&` are escaped
/// so the text can never close the element.
pub fn json_for_script(v: &serde_json::Value) -> String {
    v.to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
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

// ---------------------------------------------------------------------------------------
// Schools A to Z

#[derive(Debug, Clone, Serialize)]
pub struct SchoolEntry {
    pub name: String,
    pub kind: String,
    pub cluster: LinkView,
    pub help_url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct LetterGroup {
    pub letter: String,
    pub id: String,
    pub entries: Vec<SchoolEntry>,
}

/// Every school and children's centre, A to Z, grouped by first letter.
pub fn schools_a_to_z(site: &Site) -> Vec<LetterGroup> {
    let mut all: Vec<SchoolEntry> = Vec::new();
    for c in site.clusters.values() {
        let cluster = link(&c.record.name, routes::cluster(&c.slug));
        let help_url = format!("{}#how-to-get-help", routes::cluster(&c.slug));
        for s in &c.record.schools {
            all.push(SchoolEntry {
                name: s.name.get_ref().clone(),
                kind: format!("{} school", s.phase.label()),
                cluster: cluster.clone(),
                help_url: help_url.clone(),
            });
        }
        for cc in &c.record.children_centres {
            all.push(SchoolEntry {
                name: cc.name.get_ref().clone(),
                kind: "Children's centre".into(),
                cluster: cluster.clone(),
                help_url: help_url.clone(),
            });
        }
    }
    all.sort_by(|a, b| (a.name.to_lowercase(), &a.kind).cmp(&(b.name.to_lowercase(), &b.kind)));
    // Group by first letter; names that do not start with A to Z go together under "#",
    // after Z, wherever they sort.
    let mut by_letter: std::collections::BTreeMap<(bool, char), Vec<SchoolEntry>> =
        std::collections::BTreeMap::new();
    for e in all {
        let letter = index_letter(&e.name);
        by_letter
            .entry((letter == '#', letter))
            .or_default()
            .push(e);
    }
    let groups: Vec<LetterGroup> = by_letter
        .into_iter()
        .map(|((_, letter), entries)| LetterGroup {
            letter: letter.to_string(),
            id: if letter == '#' {
                "letter-other".into()
            } else {
                format!("letter-{}", letter.to_ascii_lowercase())
            },
            entries,
        })
        .collect();
    groups
}

// ---------------------------------------------------------------------------------------
// News and review dates on the home page

#[derive(Debug, Clone, Serialize)]
pub struct NewsItem {
    pub title: String,
    pub date: DateView,
    pub cluster: LinkView,
}

pub fn latest_updates(site: &Site, n: usize) -> Vec<NewsItem> {
    site.all_updates()
        .into_iter()
        .take(n)
        .map(|(c, u)| NewsItem {
            title: u.title.clone(),
            date: u.date.into(),
            cluster: link(
                &c.record.name,
                format!("{}#updates", routes::cluster(&c.slug)),
            ),
        })
        .collect()
}

#[derive(Debug, Clone, Serialize)]
pub struct Checked {
    pub cluster: LinkView,
    pub date: DateView,
}

/// The clusters whose records were checked most recently.
pub fn recently_checked(site: &Site, n: usize) -> Vec<Checked> {
    let mut all: Vec<&Cluster> = site.clusters.values().collect();
    all.sort_by(|a, b| {
        b.last_reviewed
            .cmp(&a.last_reviewed)
            .then_with(|| a.slug.cmp(&b.slug))
    });
    all.into_iter()
        .take(n)
        .map(|c| Checked {
            cluster: link(&c.record.name, routes::cluster(&c.slug)),
            date: c.last_reviewed.into(),
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// Open data

#[derive(Debug, Clone, Serialize)]
pub struct Download {
    pub title: String,
    pub url: String,
    pub format: String,
    pub size: String,
    pub about: String,
}

fn size_of(out: &crate::output::Output, prefix: &str) -> usize {
    out.iter()
        .filter(|(k, _)| k.starts_with(prefix))
        .map(|(_, v)| v.len())
        .sum()
}

fn human_size(bytes: usize) -> String {
    if bytes < 1024 {
        format!("{bytes} bytes")
    } else if bytes < 1024 * 1024 {
        format!("{:.1} KB", bytes as f64 / 1024.0)
    } else {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    }
}

/// The downloads listed on the Data page, with their sizes in this build.
pub fn downloads(_site: &Site, out: &crate::output::Output) -> Vec<Download> {
    let d = |title: &str, url: &str, file: &str, format: &str, about: &str| Download {
        title: title.into(),
        url: url.into(),
        format: format.into(),
        size: human_size(size_of(out, file)),
        about: about.into(),
    };
    vec![
        d("The whole directory", "/data/clusters.json", "data/clusters.json", "JSON",
          "Every cluster with its schools, children's centres, core offer, how to get help, contacts, governance, meetings and news. The field format_version says which version of the format this is."),
        d("Core offer", "/data/core-offer.csv", "data/core-offer.csv", "CSV (UTF-8)",
          "One row per service per cluster: cluster, cluster_slug, category, service, provider, ages, how_to_access, self_referral (yes, no or blank when not known), indicative_cost (pounds), status, last_reviewed."),
        d("Schools and children's centres", "/data/schools.csv", "data/schools.csv", "CSV (UTF-8)",
          "One row per school or children's centre: name, kind, phase, cluster, cluster_slug."),
        d("Open Referral UK", "/oruk/services/index.json", "oruk/", "JSON (Open Referral UK 3.0)",
          "The directory in the UK standard for local services, laid out like its read API: /oruk/services/index.json lists services, /oruk/services/<id>.json gives each in full; the same for /oruk/organizations/ (one per cluster) and /oruk/taxonomy_terms/ (the kinds of help)."),
        d("Public meetings", "/meetings.ics", "meetings.ics", "iCalendar",
          "Public meetings of every cluster, for a calendar app to subscribe to. Each cluster also has its own, at /clusters/<slug>/meetings.ics."),
    ]
}

// ---------------------------------------------------------------------------------------
// Guides

#[derive(Debug, Clone, Serialize)]
pub struct GuideSummary {
    pub title: String,
    pub url: String,
    pub number: u32,
    pub edition: DateView,
    pub summary: String,
    pub replaced_by: Option<LinkView>,
}

pub fn guide_summary(site: &Site, g: &Guide) -> GuideSummary {
    GuideSummary {
        title: g.front.title.clone(),
        url: routes::guide(&g.slug),
        number: g.front.number,
        edition: g.edition.into(),
        summary: g.front.summary.clone(),
        replaced_by: g
            .replaced_by
            .as_ref()
            .and_then(|s| site.guides.get(s))
            .map(|n| link(&edition_title(n), routes::guide(&n.slug))),
    }
}

/// "Cluster working (January 2025 edition)".
pub fn edition_title(g: &Guide) -> String {
    format!("{} ({} edition)", g.front.title, g.edition.human())
}

pub fn guides_index(site: &Site) -> (Vec<GuideSummary>, Vec<GuideSummary>) {
    let current = site.current_guides();
    let mut replaced: Vec<&Guide> = site
        .guides
        .values()
        .filter(|g| g.replaced_by.is_some())
        .collect();
    replaced.sort_by(|a, b| {
        (a.front.number, std::cmp::Reverse(a.edition))
            .cmp(&(b.front.number, std::cmp::Reverse(b.edition)))
    });
    (
        current
            .into_iter()
            .map(|g| guide_summary(site, g))
            .collect(),
        replaced
            .into_iter()
            .map(|g| guide_summary(site, g))
            .collect(),
    )
}

#[derive(Debug, Clone, Serialize)]
pub struct GuideView {
    pub title: String,
    pub number: u32,
    pub edition: DateView,
    pub summary: String,
    pub html: String,
    pub contents: Vec<LinkView>,
    /// The newest edition, when this one has been replaced.
    pub current: Option<LinkView>,
    /// The edition that directly replaced this one.
    pub replaced_by: Option<LinkView>,
    /// Earlier editions of this guide, newest first.
    pub earlier: Vec<LinkView>,
    pub sources: Vec<String>,
    /// schema.org Article, as JSON ready for a script data block.
    pub json_ld: String,
}

impl GuideView {
    pub fn new(site: &Site, g: &Guide) -> Self {
        let next = |s: &str| site.guides.get(s).and_then(|g| g.replaced_by.clone());
        // Follow the chain forward to the current edition (bounded by the number of guides).
        let mut current = None;
        let mut at = g.replaced_by.clone();
        for _ in 0..site.guides.len() {
            let Some(s) = at else { break };
            at = next(&s);
            current = Some(s);
        }
        let mut earlier = Vec::new();
        let mut back = g.front.replaces.as_ref().map(|t| t.get_ref().clone());
        for _ in 0..site.guides.len() {
            let Some(s) = back else { break };
            let Some(old) = site.guides.get(&s) else {
                break;
            };
            earlier.push(link(&edition_title(old), routes::guide(&old.slug)));
            back = old.front.replaces.as_ref().map(|t| t.get_ref().clone());
        }
        let to_link = |s: &String| {
            site.guides
                .get(s)
                .map(|n| link(&edition_title(n), routes::guide(&n.slug)))
        };
        GuideView {
            title: g.front.title.clone(),
            number: g.front.number,
            edition: g.edition.into(),
            summary: g.front.summary.clone(),
            html: g.html.clone(),
            contents: g
                .headings
                .iter()
                .filter(|h| h.level == 2)
                .map(|h| link(&h.text, format!("#{}", h.id)))
                .collect(),
            current: current.as_ref().and_then(to_link),
            replaced_by: g.replaced_by.as_ref().and_then(to_link),
            earlier,
            sources: g.front.sources.clone(),
            json_ld: json_for_script(&serde_json::json!({
                "@context": "https://schema.org",
                "@type": "Article",
                "headline": g.front.title,
                "description": g.front.summary,
                "datePublished": g.edition.iso(),
                "isPartOf": { "@type": "CreativeWorkSeries", "name": format!("One-minute guide No. {}", g.front.number) },
            })),
        }
    }
}
