//! Open data written on every build, beside the pages (documented in docs/open-data.md):
//! `data/clusters.json` (the whole directory in clusterdir's own format, with a version
//! number), `data/core-offer.csv` (one row per offer item) and `data/schools.csv`.

use serde::Serialize;

use crate::content::model::{self, Status};
use crate::output::Output;
use crate::routes;
use crate::site::{Cluster, Site};

/// Version of the `clusters.json` format; raised when a field changes meaning or goes.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Serialize)]
pub struct Directory {
    pub format_version: u32,
    pub title: String,
    pub city: String,
    pub contact: ContactOut,
    pub categories: Vec<CategoryOut>,
    pub clusters: Vec<ClusterOut>,
}

#[derive(Debug, Serialize)]
pub struct ContactOut {
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct CategoryOut {
    pub slug: String,
    pub name: String,
    pub description: String,
}

#[derive(Debug, Serialize)]
pub struct ClusterOut {
    pub slug: String,
    pub url: String,
    pub name: String,
    pub short_name: Option<String>,
    pub area: Option<String>,
    pub status: &'static str,
    pub reopens: Option<String>,
    pub alert: Option<String>,
    pub last_reviewed: String,
    pub schools: Vec<SchoolOut>,
    pub children_centres: Vec<String>,
    pub offer: Vec<OfferOut>,
    pub help: HelpOut,
    pub contacts: Vec<PersonOut>,
    pub governance_model: Option<String>,
    pub governing_body: Option<String>,
    pub meetings: Vec<MeetingOut>,
    pub updates: Vec<UpdateOut>,
    pub sources: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct SchoolOut {
    pub name: String,
    pub phase: String,
}

#[derive(Debug, Serialize)]
pub struct OfferOut {
    pub service: String,
    pub category: String,
    pub provider: Option<String>,
    pub description: Option<String>,
    pub who_for: Option<String>,
    pub min_age: Option<u8>,
    pub max_age: Option<u8>,
    pub access: Option<String>,
    pub self_referral: Option<bool>,
    pub cost_pounds: Option<f64>,
    pub cost_basis: Option<String>,
    pub status: &'static str,
    pub reopens: Option<String>,
    pub alert: Option<String>,
    pub last_reviewed: String,
}

#[derive(Debug, Serialize)]
pub struct HelpOut {
    pub self_referral: Option<String>,
    pub request_form_url: Option<String>,
    /// National format with the usual grouping (`0113 378 5254`).
    pub phone: Option<String>,
    pub email: Option<String>,
    /// True when the cluster publishes no phone or email of its own here.
    pub uses_city_contact: bool,
}

#[derive(Debug, Serialize)]
pub struct PersonOut {
    pub role: String,
    pub name: Option<String>,
    pub job_title: Option<String>,
    pub organisation: Option<String>,
    pub phone: Option<String>,
    pub mobile: Option<String>,
    pub email: Option<String>,
    pub address: Vec<String>,
}

impl From<crate::content::contact::PersonView> for PersonOut {
    fn from(p: crate::content::contact::PersonView) -> Self {
        PersonOut {
            role: p.role,
            name: p.name,
            job_title: p.job_title,
            organisation: p.organisation,
            phone: p.phone.map(|x| x.display),
            mobile: p.mobile.map(|x| x.display),
            email: p.email,
            address: p.address,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct MeetingOut {
    pub title: String,
    pub date: String,
    pub time: Option<String>,
    pub place: Option<String>,
    pub public: Option<bool>,
}

#[derive(Debug, Serialize)]
pub struct UpdateOut {
    pub date: String,
    pub title: String,
}

/// A phone number in the usual UK grouping.
fn phone(t: &Option<model::Text>) -> Option<String> {
    crate::content::contact::phone(t).map(|p| p.display)
}

use crate::content::contact::text;

/// The status a service really has: a closed cluster closes its services too.
pub fn effective_status(cluster: &Cluster, item: &model::OfferItem) -> Status {
    match (
        cluster.record.status.unwrap_or_default(),
        item.status.unwrap_or_default(),
    ) {
        (Status::Ended, _) | (_, Status::Ended) => Status::Ended,
        (Status::TemporarilyClosed, _) | (_, Status::TemporarilyClosed) => {
            Status::TemporarilyClosed
        }
        _ => Status::Active,
    }
}

pub fn directory(site: &Site) -> Directory {
    let clusters = site
        .clusters_in_order()
        .into_iter()
        .map(|c| {
            let r = &c.record;
            let help = r.help.clone().unwrap_or_default();
            ClusterOut {
                slug: c.slug.clone(),
                url: routes::cluster(&c.slug),
                name: r.name.clone(),
                short_name: r.short_name.clone(),
                area: r.area.clone(),
                status: r.status.unwrap_or_default().slug(),
                reopens: c.reopens.map(|d| d.iso()),
                alert: r.alert.clone(),
                last_reviewed: c.last_reviewed.iso(),
                schools: r
                    .schools
                    .iter()
                    .map(|s| SchoolOut {
                        name: s.name.get_ref().clone(),
                        phase: s.phase.label().to_string(),
                    })
                    .collect(),
                children_centres: r
                    .children_centres
                    .iter()
                    .map(|cc| cc.name.get_ref().clone())
                    .collect(),
                offer: r
                    .offer
                    .iter()
                    .enumerate()
                    .map(|(i, o)| {
                        let dates = c.offer_dates.get(i).copied().unwrap_or_default();
                        OfferOut {
                            service: o.service.clone(),
                            category: o.category.get_ref().clone(),
                            provider: o.provider.clone(),
                            description: o.description.clone(),
                            who_for: o.who_for.clone(),
                            min_age: o.ages.map(|a| a.min),
                            max_age: o.ages.map(|a| a.max),
                            access: o.access.clone(),
                            self_referral: o.self_referral,
                            cost_pounds: o.cost.as_ref().map(|c| c.amount),
                            cost_basis: o.cost.as_ref().map(|c| c.basis.clone()),
                            status: effective_status(c, o).slug(),
                            reopens: dates.reopens.map(|d| d.iso()),
                            alert: o.alert.clone(),
                            last_reviewed: dates.last_reviewed.unwrap_or(c.last_reviewed).iso(),
                        }
                    })
                    .collect(),
                help: HelpOut {
                    uses_city_contact: help.phone.is_none() && help.email.is_none(),
                    self_referral: help.self_referral.clone(),
                    request_form_url: text(&help.request_form_url),
                    phone: phone(&help.phone),
                    email: text(&help.email),
                },
                contacts: r
                    .contacts
                    .iter()
                    .map(|p| PersonOut::from(crate::content::contact::PersonView::from(p)))
                    .collect(),
                governance_model: r
                    .governance
                    .as_ref()
                    .and_then(|g| g.model)
                    .map(|m| m.label().to_string()),
                governing_body: r.governance.as_ref().and_then(|g| g.body.clone()),
                meetings: c
                    .meetings
                    .iter()
                    .map(|m| MeetingOut {
                        title: m.title.clone(),
                        date: m.date.iso(),
                        time: m.time.clone(),
                        place: m.place.clone(),
                        public: m.public,
                    })
                    .collect(),
                updates: c
                    .updates
                    .iter()
                    .map(|u| UpdateOut {
                        date: u.date.iso(),
                        title: u.title.clone(),
                    })
                    .collect(),
                sources: r.sources.clone(),
            }
        })
        .collect();
    Directory {
        format_version: FORMAT_VERSION,
        title: site.config.title.clone(),
        city: site.config.city.clone(),
        contact: ContactOut {
            name: site.config.contact.name.clone(),
            phone: phone(&site.config.contact.phone),
            email: text(&site.config.contact.email),
        },
        categories: site
            .categories
            .iter()
            .map(|c| CategoryOut {
                slug: c.slug.get_ref().clone(),
                name: c.name.clone(),
                description: c.description.clone(),
            })
            .collect(),
        clusters,
    }
}

/// Columns of `core-offer.csv`, in order.
pub const OFFER_COLUMNS: &[&str] = &[
    "cluster",
    "cluster_slug",
    "category",
    "service",
    "provider",
    "ages",
    "how_to_access",
    "self_referral",
    "indicative_cost",
    "status",
    "last_reviewed",
];

/// Columns of `schools.csv`, in order.
pub const SCHOOL_COLUMNS: &[&str] = &["name", "kind", "phase", "cluster", "cluster_slug"];

fn csv_bytes(header: &[&str], rows: Vec<Vec<String>>) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record(header).expect("writing to memory");
    for r in rows {
        w.write_record(&r).expect("writing to memory");
    }
    w.into_inner().expect("writing to memory")
}

/// Write every export file.
pub fn write_exports(site: &Site, out: &mut Output) {
    let dir = directory(site);
    let mut json = serde_json::to_vec_pretty(&dir).expect("the directory serialises");
    json.push(b'\n');
    out.insert("data/clusters.json".into(), json);

    let category_name = |slug: &str| {
        dir.categories
            .iter()
            .find(|c| c.slug == slug)
            .map_or(slug.to_string(), |c| c.name.clone())
    };
    let mut offer_rows = Vec::new();
    let mut school_rows = Vec::new();
    for c in &dir.clusters {
        for o in &c.offer {
            offer_rows.push(vec![
                c.name.clone(),
                c.slug.clone(),
                category_name(&o.category),
                o.service.clone(),
                o.provider.clone().unwrap_or_default(),
                match (o.min_age, o.max_age) {
                    (Some(a), Some(b)) => format!("{a}-{b}"),
                    _ => String::new(),
                },
                o.access.clone().unwrap_or_default(),
                match o.self_referral {
                    Some(true) => "yes".into(),
                    Some(false) => "no".into(),
                    None => String::new(),
                },
                o.cost_pounds.map(|p| format!("{p:.2}")).unwrap_or_default(),
                o.status.to_string(),
                o.last_reviewed.clone(),
            ]);
        }
        for s in &c.schools {
            school_rows.push(vec![
                s.name.clone(),
                "school".into(),
                s.phase.clone(),
                c.name.clone(),
                c.slug.clone(),
            ]);
        }
        for cc in &c.children_centres {
            school_rows.push(vec![
                cc.clone(),
                "children's centre".into(),
                String::new(),
                c.name.clone(),
                c.slug.clone(),
            ]);
        }
    }
    school_rows.sort_by(|a, b| (a[0].to_lowercase(), &a[1]).cmp(&(b[0].to_lowercase(), &b[1])));
    out.insert(
        "data/core-offer.csv".into(),
        csv_bytes(OFFER_COLUMNS, offer_rows),
    );
    out.insert(
        "data/schools.csv".into(),
        csv_bytes(SCHOOL_COLUMNS, school_rows),
    );
}
