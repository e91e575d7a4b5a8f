//! The Open Referral UK (ORUK v3) export, laid out like the ORUK read API as static
//! files under `/oruk/`: `services/index.json` (a page of service list items),
//! `services/<id>.json` (full services), `organizations/...`, `taxonomies/...` and
//! `taxonomy_terms/...`. Each cluster is an organization; each offer item a service,
//! classified by its offer category. Identifiers are UUIDs derived from slugs (UUID v5),
//! so they stay the same from build to build. docs/open-data.md maps every field.

use serde_json::{json, Value};
use uuid::Uuid;

use crate::contact::UkPhone;
use crate::export::effective_status;
use crate::model::{self, Status};
use crate::render::Output;
use crate::site::{urls, Cluster, Site};
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

/// Drop null values, so optional fields that are unknown are left out.
fn clean(mut v: Value) -> Value {
    clean_in_place(&mut v);
    v
}

/// [`clean`] without rebuilding the maps.
fn clean_in_place(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.retain(|_, v| !v.is_null());
            m.values_mut().for_each(clean_in_place);
        }
        Value::Array(a) => a.iter_mut().for_each(clean_in_place),
        _ => {}
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

fn organization(site: &Site, c: &Cluster) -> Value {
    let help = c.record.help.clone().unwrap_or_default();
    clean(json!({
        "id": id(&format!("organization:{}", c.slug)),
        "name": format!("{} cluster", c.record.name),
        "description": plain_summary(c, site),
        "email": help.email.as_ref().map(|e| e.get_ref().trim().to_string()),
        "website": absolute(site, &urls::cluster(&c.slug)),
    }))
}

fn taxonomy_id() -> String {
    id("taxonomy:offer-categories")
}

fn term(site: &Site, slug: &str) -> Value {
    let cat = site.categories.iter().find(|c| c.slug.get_ref() == slug);
    json!({
        "id": id(&format!("term:{slug}")),
        "name": cat.map_or(slug, |c| c.name.as_str()),
        "description": cat.map_or("", |c| c.description.as_str()),
        "taxonomy": "clusterdir offer categories",
        "taxonomy_id": taxonomy_id(),
        "term": slug,
    })
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

fn phones_for(contact_id: &str, list: &[(&str, &Option<model::Text>)]) -> Vec<Value> {
    list.iter()
        .filter_map(|(label, p)| {
            let p = UkPhone::parse(p.as_ref()?.get_ref()).ok()?;
            Some(json!({
                "id": id(&format!("phone:{contact_id}:{label}")),
                "contact_id": contact_id,
                "number": p.display(),
                "description": label,
            }))
        })
        .collect()
}

/// The contacts of a service: how to get help (the cluster's, or the city-wide one),
/// then the cluster's named contacts. Phones are nested on each contact (as in HSDS 3).
fn contacts(site: &Site, c: &Cluster, service_id: &str) -> Vec<Value> {
    let help = c.record.help.clone().unwrap_or_default();
    let mut out = Vec::new();
    let help_id = id(&format!("contact:{service_id}:help"));
    let (name, phones) = if help.phone.is_some() {
        (
            format!("{} cluster", c.record.name),
            phones_for(&help_id, &[("How to get help", &help.phone)]),
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
    out.push(json!({ "id": help_id, "service_id": service_id, "name": name, "title": "How to get help", "phones": phones }));
    for (i, p) in c.record.contacts.iter().enumerate() {
        let cid = id(&format!("contact:{service_id}:{i}"));
        out.push(clean(json!({
            "id": cid,
            "service_id": service_id,
            "name": p.name,
            "title": p.job_title.clone().unwrap_or_else(|| p.role.label().to_string()),
            "phones": phones_for(&cid, &[("Phone", &p.phone), ("Mobile", &p.mobile)]),
        })));
    }
    out
}

/// One full service record (with its organization unless `nested_in_org`).
fn service(site: &Site, c: &Cluster, index: usize, key: &str, nested_in_org: bool) -> Value {
    let o = &c.record.offer[index];
    let sid = id(key);
    let dates = c.offer_dates.get(index).copied().unwrap_or_default();
    let assured = dates.last_reviewed.unwrap_or(c.last_reviewed);
    let help = c.record.help.clone().unwrap_or_default();
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
    let locations: Vec<Value> = if o.category.get_ref() == "early-years" {
        c.record
            .children_centres
            .iter()
            .enumerate()
            .map(|(i, cc)| {
                let lid = id(&format!("location:{}:centre:{i}", c.slug));
                clean(json!({
                    "id": id(&format!("sal:{key}:{i}")),
                    "service_id": sid,
                    "location_id": lid,
                    "location": { "id": lid, "location_type": "physical", "name": cc.name.get_ref(), "description": cc.based_at },
                }))
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut v = json!({
        "id": sid,
        "organization_id": id(&format!("organization:{}", c.slug)),
        "name": o.service,
        "description": if description.is_empty() { None } else { Some(description) },
        "url": absolute(site, &format!("{}#offer-{}", urls::cluster(&c.slug), o.category.get_ref())),
        "email": help.email.as_ref().map(|e| e.get_ref().trim().to_string()),
        "status": oruk_status(status),
        "fees": o.cost.as_ref().map(|cost| format!("Indicative cost to the cluster: £{:.2} ({})", cost.amount, cost.basis)),
        "minimum_age": o.ages.map(|a| a.min),
        "maximum_age": o.ages.map(|a| a.max),
        "assured_date": assured.iso(),
        "alert": alert,
        "service_areas": [{ "id": id(&format!("area:{key}")), "service_id": sid, "name": c.record.area.clone().unwrap_or_else(|| format!("{} cluster", c.record.name)) }],
        "service_at_locations": locations,
        "funding": o.funded_by.as_ref().map(|f| vec![json!({ "id": id(&format!("funding:{key}")), "service_id": sid, "source": f })]),
        "cost_options": o.cost.as_ref().map(|cost| vec![json!({
            "id": id(&format!("cost:{key}")),
            "service_id": sid,
            "option": "Indicative cost per case (paid by the cluster, not by families)",
            "amount": cost.amount,
            "amount_description": cost.basis,
        })]),
        "contacts": contacts(site, c, &sid),
        "attributes": [{
            "id": id(&format!("attribute:{key}")),
            "link_id": sid,
            "taxonomy_term_id": id(&format!("term:{}", o.category.get_ref())),
            "link_type": "service",
            "taxonomy_term": term(site, o.category.get_ref()),
        }],
    });
    if !nested_in_org {
        v["organization"] = organization(site, c);
    }
    clean(v)
}

/// A list item: the service without its nested collections, with its organization.
fn list_item(full: &Value) -> Value {
    let keep = [
        "id",
        "organization_id",
        "name",
        "description",
        "url",
        "email",
        "status",
        "fees",
        "minimum_age",
        "maximum_age",
        "assured_date",
        "alert",
        "organization",
    ];
    Value::Object(
        full.as_object()
            .map(|m| {
                m.iter()
                    .filter(|(k, _)| keep.contains(&k.as_str()))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect()
            })
            .unwrap_or_default(),
    )
}

fn page(contents: Vec<Value>) -> Value {
    json!({
        "total_items": contents.len(),
        "total_pages": 1,
        "page_number": 1,
        "size": contents.len(),
        "first_page": true,
        "last_page": true,
        "empty": contents.is_empty(),
        "contents": contents,
    })
}

fn put(out: &mut Output, path: String, v: &Value) {
    out.insert(path, serde_json::to_vec(v).expect("JSON values serialise"));
}

/// One cluster's files: its services and its organization, plus their list items.
struct ClusterFiles {
    files: Vec<(String, Vec<u8>)>,
    service_items: Vec<Value>,
    organization: Value,
}

fn cluster_files(site: &Site, c: &Cluster) -> ClusterFiles {
    let keys = service_keys(c);
    let org = organization(site, c);
    let mut files = Vec::with_capacity(keys.len() + 1);
    let mut service_items = Vec::with_capacity(keys.len());
    let mut org_services = Vec::with_capacity(keys.len());
    for (i, key) in keys.iter().enumerate() {
        let mut full = service(site, c, i, key, true);
        // Nested in its organization the service leaves the organization out; on its
        // own it carries it.
        full["organization"] = org.clone();
        service_items.push(list_item(&full));
        files.push((
            format!("oruk/services/{}.json", id(key)),
            serde_json::to_vec(&full).expect("JSON values serialise"),
        ));
        if let Value::Object(m) = &mut full {
            m.remove("organization");
        }
        org_services.push(full);
    }
    let mut with_services = org.clone();
    with_services["services"] = Value::Array(org_services);
    files.push((
        format!(
            "oruk/organizations/{}.json",
            id(&format!("organization:{}", c.slug))
        ),
        serde_json::to_vec(&with_services).expect("JSON values serialise"),
    ));
    ClusterFiles {
        files,
        service_items,
        organization: org,
    }
}

/// Write the whole ORUK export (clusters in parallel; compact JSON).
pub fn write_oruk(site: &Site, out: &mut Output) {
    use rayon::prelude::*;
    let per_cluster: Vec<ClusterFiles> = crate::views::cluster_order(site)
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
    let terms: Vec<Value> = site
        .categories
        .iter()
        .map(|c| term(site, c.slug.get_ref()))
        .collect();
    let taxonomy = json!({
        "id": taxonomy_id(),
        "name": "clusterdir offer categories",
        "description": format!("The kinds of help in the core offer of {}'s early help clusters.", site.config.city),
        "taxonomy_terms": terms,
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
