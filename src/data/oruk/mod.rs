//! The Open Referral UK (ORUK v3) export, laid out like the ORUK read API as static
//! files under `/oruk/`: `services/index.json` (a page of service list items),
//! `services/<id>.json` (full services), `organizations/...`, `taxonomies/...` and
//! `taxonomy_terms/...`. Each cluster is an organization; each offer item a service,
//! classified by its offer category. Identifiers are UUIDs derived from slugs (UUID v5),
//! so they stay the same from build to build. docs/open-data.md maps every field.

use serde::Serialize;
use serde_json::json;
use serde_json::value::RawValue;
use uuid::Uuid;

use crate::content::contact::UkPhone;
use crate::content::model::{self, Status};
use crate::data::export::effective_status;
use crate::output::Output;
use crate::routes;
use crate::site::{Cluster, Site};
use crate::text::slugify;

/// Namespace for this project's UUIDs (worked out once).
fn namespace() -> Uuid {
    static NAMESPACE: std::sync::OnceLock<Uuid> = std::sync::OnceLock::new();
    *NAMESPACE.get_or_init(|| Uuid::new_v5(&Uuid::NAMESPACE_URL, b"clusterdir"))
}

/// A stable UUID for a key such as `service:arm:pupil-counselling`.
pub fn id(key: &str) -> String {
    Uuid::new_v5(&namespace(), key.as_bytes()).to_string()
}

fn oruk_status(s: Status) -> &'static str {
    match s {
        Status::Active => "active",
        Status::TemporarilyClosed => "temporarily closed",
        Status::Ended => "defunct",
    }
}

fn absolute(site: &Site, path: &str) -> Option<String> {
    site.config
        .base_url
        .as_ref()
        .map(|b| format!("{}{}", b.get_ref().trim_end_matches('/'), path))
}

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

// The records below are written straight to JSON by serde. Their fields are in
// alphabetical order (the order the earlier `serde_json::Value` maps had) and unknown
// values are left out, not written as null.

fn skip<T>(v: &Option<T>) -> bool {
    v.is_none()
}

/// An organization (a cluster), with its services when it is written on its own.
#[derive(Serialize)]
struct Organization<'a> {
    description: String,
    #[serde(skip_serializing_if = "skip")]
    email: Option<&'a str>,
    id: String,
    name: String,
    #[serde(skip_serializing_if = "skip")]
    services: Option<Vec<Box<RawValue>>>,
    #[serde(skip_serializing_if = "skip")]
    website: Option<String>,
}

/// The cluster's email for getting help, if it has one.
fn help_email(c: &Cluster) -> Option<&str> {
    c.record
        .help
        .as_ref()
        .and_then(|h| h.email.as_ref())
        .map(|e| e.get_ref().trim())
}

fn organization<'a>(site: &Site, c: &'a Cluster) -> Organization<'a> {
    Organization {
        description: plain_summary(c, site),
        email: help_email(c),
        id: id(&format!("organization:{}", c.slug)),
        name: format!("{} cluster", c.record.name),
        services: None,
        website: absolute(site, &routes::cluster(&c.slug)),
    }
}

fn taxonomy_id() -> String {
    id("taxonomy:offer-categories")
}

#[derive(Serialize)]
struct Term<'a> {
    description: &'a str,
    id: String,
    name: &'a str,
    taxonomy: &'static str,
    taxonomy_id: String,
    term: &'a str,
}

fn term<'a>(site: &'a Site, slug: &'a str) -> Term<'a> {
    let cat = site.categories.iter().find(|c| c.slug.get_ref() == slug);
    Term {
        description: cat.map_or("", |c| c.description.as_str()),
        id: id(&format!("term:{slug}")),
        name: cat.map_or(slug, |c| c.name.as_str()),
        taxonomy: "clusterdir offer categories",
        taxonomy_id: taxonomy_id(),
        term: slug,
    }
}

/// Stable keys for a cluster's services: the service name's slug, numbered if repeated.
fn service_keys(c: &Cluster) -> Vec<String> {
    let mut seen = std::collections::HashMap::new();
    c.record
        .offer
        .iter()
        .map(|o| {
            let base = format!("service:{}:{}", c.slug, slugify(&o.service));
            let n = seen.entry(base.clone()).or_insert(0);
            *n += 1;
            if *n == 1 {
                base
            } else {
                format!("{base}:{n}")
            }
        })
        .collect()
}

#[derive(Serialize)]
struct Phone<'a> {
    contact_id: &'a str,
    description: &'a str,
    id: String,
    number: String,
}

fn phones_for<'a>(contact_id: &'a str, list: &[(&'a str, &Option<model::Text>)]) -> Vec<Phone<'a>> {
    list.iter()
        .filter_map(|&(label, p)| {
            let p = UkPhone::parse(p.as_ref()?.get_ref()).ok()?;
            Some(Phone {
                contact_id,
                description: label,
                id: id(&format!("phone:{contact_id}:{label}")),
                number: p.display(),
            })
        })
        .collect()
}

#[derive(Serialize)]
struct Contact<'a> {
    id: &'a str,
    #[serde(skip_serializing_if = "skip")]
    name: Option<&'a str>,
    phones: Vec<Phone<'a>>,
    service_id: &'a str,
    title: &'a str,
}

/// The contacts of a service: how to get help (the cluster's, or the city-wide one),
/// then the cluster's named contacts. Phones are nested on each contact (as in HSDS 3).
/// Serialised here, as their ids borrow from this function.
fn contacts(site: &Site, c: &Cluster, service_id: &str) -> Vec<Box<RawValue>> {
    let help_phone = c.record.help.as_ref().and_then(|h| h.phone.clone());
    let help_id = id(&format!("contact:{service_id}:help"));
    let (name, phones) = if help_phone.is_some() {
        (
            format!("{} cluster", c.record.name),
            phones_for(&help_id, &[("How to get help", &help_phone)]),
        )
    } else {
        (
            site.config.contact.name.clone(),
            phones_for(
                &help_id,
                &[("City-wide contact", &site.config.contact.phone)],
            ),
        )
    };
    let mut out = vec![raw(&Contact {
        id: &help_id,
        name: Some(&name),
        phones,
        service_id,
        title: "How to get help",
    })];
    for (i, p) in c.record.contacts.iter().enumerate() {
        let cid = id(&format!("contact:{service_id}:{i}"));
        out.push(raw(&Contact {
            id: &cid,
            name: p.name.as_deref(),
            phones: phones_for(&cid, &[("Phone", &p.phone), ("Mobile", &p.mobile)]),
            service_id,
            title: p.job_title.as_deref().unwrap_or(p.role.label()),
        }));
    }
    out
}

#[derive(Serialize)]
struct Location<'a> {
    #[serde(skip_serializing_if = "skip")]
    description: Option<&'a str>,
    id: &'a str,
    location_type: &'static str,
    name: &'a str,
}

#[derive(Serialize)]
struct ServiceAtLocation<'a> {
    id: String,
    location: Location<'a>,
    location_id: &'a str,
    service_id: &'a str,
}

#[derive(Serialize)]
struct ServiceArea<'a> {
    id: String,
    name: String,
    service_id: &'a str,
}

#[derive(Serialize)]
struct Funding<'a> {
    id: String,
    service_id: &'a str,
    source: &'a str,
}

#[derive(Serialize)]
struct CostOption<'a> {
    amount: f64,
    amount_description: &'a str,
    id: String,
    option: &'static str,
    service_id: &'a str,
}

#[derive(Serialize)]
struct Attribute<'a> {
    id: String,
    link_id: &'a str,
    link_type: &'static str,
    taxonomy_term: Term<'a>,
    taxonomy_term_id: String,
}

#[derive(Serialize)]
struct Service<'a> {
    #[serde(skip_serializing_if = "skip")]
    alert: Option<String>,
    assured_date: String,
    #[serde(skip_serializing_if = "skip")]
    attributes: Option<Vec<Attribute<'a>>>,
    #[serde(skip_serializing_if = "skip")]
    contacts: Option<Vec<Box<RawValue>>>,
    #[serde(skip_serializing_if = "skip")]
    cost_options: Option<Vec<CostOption<'a>>>,
    #[serde(skip_serializing_if = "skip")]
    description: Option<String>,
    #[serde(skip_serializing_if = "skip")]
    email: Option<&'a str>,
    #[serde(skip_serializing_if = "skip")]
    fees: Option<String>,
    #[serde(skip_serializing_if = "skip")]
    funding: Option<Vec<Funding<'a>>>,
    id: &'a str,
    #[serde(skip_serializing_if = "skip")]
    maximum_age: Option<u8>,
    #[serde(skip_serializing_if = "skip")]
    minimum_age: Option<u8>,
    name: &'a str,
    #[serde(skip_serializing_if = "skip")]
    organization: Option<&'a RawValue>,
    organization_id: &'a str,
    #[serde(skip_serializing_if = "skip")]
    service_areas: Option<Vec<ServiceArea<'a>>>,
    #[serde(skip_serializing_if = "skip")]
    service_at_locations: Option<Vec<ServiceAtLocation<'a>>>,
    status: &'static str,
    #[serde(skip_serializing_if = "skip")]
    url: Option<String>,
}

impl Service<'_> {
    /// The same service as a list item: without its nested collections.
    fn strip_collections(&mut self) {
        self.attributes = None;
        self.contacts = None;
        self.cost_options = None;
        self.funding = None;
        self.service_areas = None;
        self.service_at_locations = None;
    }
}

/// One service's three forms: its own file (with its organization), the form nested in
/// its organization (without), and its list item.
struct ServiceForms {
    file: Vec<u8>,
    nested: Box<RawValue>,
    item: Box<RawValue>,
}

fn service(
    site: &Site,
    c: &Cluster,
    index: usize,
    key: &str,
    ids: (&str, &str),
    org: &RawValue,
) -> ServiceForms {
    let (sid, org_id) = ids;
    let o = &c.record.offer[index];
    let dates = c.offer_dates.get(index).copied().unwrap_or_default();
    let assured = dates.last_reviewed.unwrap_or(c.last_reviewed);
    let status = effective_status(c, o);
    let alert = match (&o.alert, dates.reopens) {
        (Some(a), _) => Some(a.clone()),
        (None, Some(d)) if status == Status::TemporarilyClosed => {
            Some(format!("Temporarily closed; reopens {}", d.human()))
        }
        _ => c.record.alert.clone(),
    };
    let description = [
        o.description.clone(),
        o.who_for.clone().map(|w| format!("For: {w}.")),
        o.access.clone().map(|a| format!("How to get it: {a}.")),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    let location_ids: Vec<String> = if o.category.get_ref() == "early-years" {
        (0..c.record.children_centres.len())
            .map(|i| id(&format!("location:{}:centre:{i}", c.slug)))
            .collect()
    } else {
        Vec::new()
    };
    let locations = location_ids
        .iter()
        .zip(&c.record.children_centres)
        .enumerate()
        .map(|(i, (lid, cc))| ServiceAtLocation {
            id: id(&format!("sal:{key}:{i}")),
            location: Location {
                description: cc.based_at.as_deref(),
                id: lid,
                location_type: "physical",
                name: cc.name.get_ref(),
            },
            location_id: lid,
            service_id: sid,
        })
        .collect();
    let category = o.category.get_ref();
    let mut v = Service {
        alert,
        assured_date: assured.iso(),
        attributes: Some(vec![Attribute {
            id: id(&format!("attribute:{key}")),
            link_id: sid,
            link_type: "service",
            taxonomy_term: term(site, category),
            taxonomy_term_id: id(&format!("term:{category}")),
        }]),
        contacts: Some(contacts(site, c, sid)),
        cost_options: o.cost.as_ref().map(|cost| {
            vec![CostOption {
                amount: cost.amount,
                amount_description: &cost.basis,
                id: id(&format!("cost:{key}")),
                option: "Indicative cost per case (paid by the cluster, not by families)",
                service_id: sid,
            }]
        }),
        description: (!description.is_empty()).then_some(description),
        email: help_email(c),
        fees: o.cost.as_ref().map(|cost| {
            format!(
                "Indicative cost to the cluster: £{:.2} ({})",
                cost.amount, cost.basis
            )
        }),
        funding: o.funded_by.as_deref().map(|f| {
            vec![Funding {
                id: id(&format!("funding:{key}")),
                service_id: sid,
                source: f,
            }]
        }),
        id: sid,
        maximum_age: o.ages.map(|a| a.max),
        minimum_age: o.ages.map(|a| a.min),
        name: &o.service,
        organization: Some(org),
        organization_id: org_id,
        service_areas: Some(vec![ServiceArea {
            id: id(&format!("area:{key}")),
            name: c
                .record
                .area
                .clone()
                .unwrap_or_else(|| format!("{} cluster", c.record.name)),
            service_id: sid,
        }]),
        service_at_locations: Some(locations),
        status: oruk_status(status),
        url: absolute(
            site,
            &format!("{}#offer-{}", routes::cluster(&c.slug), category),
        ),
    };
    let file = json_bytes(&v);
    v.organization = None;
    let nested = raw(&v);
    v.organization = Some(org);
    v.strip_collections();
    ServiceForms {
        file,
        nested,
        item: raw(&v),
    }
}

/// A file's JSON, trimmed to its length (held until written, like the pages).
fn json_bytes(v: &impl Serialize) -> Vec<u8> {
    let mut bytes = serde_json::to_vec(v).expect("JSON values serialise");
    bytes.shrink_to_fit();
    bytes
}

/// Serialise now, to keep only the bytes.
fn raw(v: &impl Serialize) -> Box<RawValue> {
    serde_json::value::to_raw_value(v).expect("JSON values serialise")
}

/// One page of results, as the ORUK API returns them (everything on one page).
#[derive(Serialize)]
struct Page<T> {
    contents: Vec<T>,
    empty: bool,
    first_page: bool,
    last_page: bool,
    page_number: usize,
    size: usize,
    total_items: usize,
    total_pages: usize,
}

fn page<T>(contents: Vec<T>) -> Page<T> {
    Page {
        empty: contents.is_empty(),
        first_page: true,
        last_page: true,
        page_number: 1,
        size: contents.len(),
        total_items: contents.len(),
        total_pages: 1,
        contents,
    }
}

fn put(out: &mut Output, path: String, v: &impl Serialize) {
    out.insert(path, serde_json::to_vec(v).expect("JSON values serialise"));
}

/// One cluster's files: its services and its organization, plus their list items.
struct ClusterFiles {
    files: Vec<(String, Vec<u8>)>,
    service_items: Vec<Box<RawValue>>,
    organization: Box<RawValue>,
}

fn cluster_files(site: &Site, c: &Cluster) -> ClusterFiles {
    let keys = service_keys(c);
    let mut org = organization(site, c);
    let org_raw = raw(&org);
    let mut files = Vec::with_capacity(keys.len() + 1);
    let mut service_items = Vec::with_capacity(keys.len());
    let mut org_services = Vec::with_capacity(keys.len());
    for (i, key) in keys.iter().enumerate() {
        let sid = id(key);
        let forms = service(site, c, i, key, (&sid, &org.id), &org_raw);
        files.push((format!("oruk/services/{sid}.json"), forms.file));
        service_items.push(forms.item);
        org_services.push(forms.nested);
    }
    org.services = Some(org_services);
    files.push((
        format!("oruk/organizations/{}.json", org.id),
        json_bytes(&org),
    ));
    ClusterFiles {
        files,
        service_items,
        organization: org_raw,
    }
}

/// Write the whole ORUK export (clusters in parallel; compact JSON).
pub fn write_oruk(site: &Site, out: &mut Output) {
    use rayon::prelude::*;
    let per_cluster: Vec<ClusterFiles> = site
        .clusters_in_order()
        .par_iter()
        .map(|c| cluster_files(site, c))
        .collect();
    let mut service_list = Vec::new();
    let mut org_list = Vec::new();
    for cf in per_cluster {
        out.extend(cf.files);
        service_list.extend(cf.service_items);
        org_list.push(cf.organization);
    }
    put(out, "oruk/services/index.json".into(), &page(service_list));
    put(out, "oruk/organizations/index.json".into(), &page(org_list));
    let terms: Vec<Term> = site
        .categories
        .iter()
        .map(|c| term(site, c.slug.get_ref()))
        .collect();
    let taxonomy = json!({
        "id": taxonomy_id(),
        "name": "clusterdir offer categories",
        "description": format!("The kinds of help in the core offer of {}'s early help clusters.", site.config.city),
        "taxonomy_terms": &terms,
    });
    put(
        out,
        format!("oruk/taxonomies/{}.json", taxonomy_id()),
        &taxonomy,
    );
    put(
        out,
        "oruk/taxonomies/index.json".into(),
        &page(vec![
            json!({ "id": taxonomy_id(), "name": taxonomy["name"], "description": taxonomy["description"] }),
        ]),
    );
    put(out, "oruk/taxonomy_terms/index.json".into(), &page(terms));
    put(out, "oruk/index.json".into(), &json!({ "version": "3.0" }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_uuids() {
        assert_eq!(
            id("service:arm:pupil-counselling"),
            id("service:arm:pupil-counselling")
        );
        assert_ne!(
            id("service:arm:pupil-counselling"),
            id("service:arm:parent-counselling")
        );
        assert!(Uuid::parse_str(&id("x")).is_ok());
    }

    #[test]
    fn statuses_map_to_oruk_values() {
        assert_eq!(oruk_status(Status::TemporarilyClosed), "temporarily closed");
        assert_eq!(oruk_status(Status::Ended), "defunct");
    }
}
