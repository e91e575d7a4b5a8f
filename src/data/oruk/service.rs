//! An offer item as an ORUK service: its status and alert, description, category,
//! contacts (with their phones), locations, service area, costs and funding, written in
//! the three forms the API has (own file, nested in its organization, list item), and
//! the places it is given on their own (`/service_at_locations`).

use serde_json::value::RawValue;

use super::organization::help_email;
use super::records::{
    Attribute, Contact, CostOption, Funding, Location, Phone, Service, ServiceArea,
    ServiceAtLocation,
};
use super::taxonomy::term;
use super::write::{json_bytes, raw};
use crate::content::contact::UkPhone;
use crate::content::model::{self, OfferItem, Status};
use crate::data::ids::id;
use crate::routes;
use crate::site::{Cluster, OfferDates, Site};
use crate::text::slugify;

/// Stable keys for a cluster's services: the service name's slug, numbered if repeated.
pub(super) fn service_keys(c: &Cluster) -> Vec<String> {
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

/// One service's three forms: its own file (with its organization), the form nested in
/// its organization (without), and its list item.
pub(super) struct ServiceForms {
    pub file: Vec<u8>,
    pub nested: Box<RawValue>,
    pub item: Box<RawValue>,
    /// The places it is given, each with its id (for `/service_at_locations/{id}`).
    pub at_locations: Vec<(String, Box<RawValue>)>,
}

/// The service of a cluster's offer item `index`, whose stable key is `key`; `ids` are
/// the service's and its organization's ids, `org` the organization's record.
pub(super) fn service(
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
    let status = c.offer_status(o);
    let location_ids = location_ids(c, o);
    let category = o.category.get_ref();
    let v = Service {
        alert: alert(c, o, dates, status),
        assured_date: dates.last_reviewed.unwrap_or(c.last_reviewed).iso(),
        attributes: Some(vec![Attribute {
            id: id(&format!("attribute:{key}")),
            link_id: sid,
            link_type: "service",
            taxonomy_term: term(site, category),
            taxonomy_term_id: id(&format!("term:{category}")),
        }]),
        contacts: Some(contacts(site, c, sid)),
        cost_options: cost_options(o, key, sid),
        description: description(o),
        email: help_email(c),
        fees: fees(o),
        funding: funding(o, key, sid),
        id: sid,
        maximum_age: o.age_range().map(|a| a.max),
        minimum_age: o.age_range().map(|a| a.min),
        name: &o.service,
        organization: Some(org),
        organization_id: org_id,
        service_areas: Some(vec![service_area(c, key, sid)]),
        service_at_locations: Some(locations(c, &location_ids, key, sid)),
        status: oruk_status(status),
        url: site.absolute(&format!("{}#offer-{}", routes::cluster(&c.slug), category)),
    };
    forms(v, org)
}

/// Serialise a service in its three forms.
fn forms<'a>(mut v: Service<'a>, org: &'a RawValue) -> ServiceForms {
    let file = json_bytes(&v);
    let at_locations = v
        .service_at_locations
        .iter()
        .flatten()
        .map(|sal| (sal.id.clone(), raw(sal)))
        .collect();
    v.organization = None;
    let nested = raw(&v);
    v.organization = Some(org);
    v.strip_collections();
    ServiceForms {
        file,
        nested,
        item: raw(&v),
        at_locations,
    }
}

fn oruk_status(s: Status) -> &'static str {
    match s {
        Status::Active => "active",
        Status::TemporarilyClosed => "temporarily closed",
        Status::Ended => "defunct",
    }
}

/// The item's own alert; else, when it is closed for now, when it reopens; else the
/// cluster's alert.
fn alert(c: &Cluster, o: &OfferItem, dates: OfferDates, status: Status) -> Option<String> {
    match (&o.alert, dates.reopens) {
        (Some(a), _) => Some(a.clone()),
        (None, Some(d)) if status == Status::TemporarilyClosed => {
            Some(format!("Temporarily closed; reopens {}", d.human()))
        }
        _ => c.record.alert.clone(),
    }
}

/// What the service is, who it is for and how to get it, in one paragraph.
fn description(o: &OfferItem) -> Option<String> {
    let description = [
        o.description.clone(),
        o.who_for.clone().map(|w| format!("For: {w}.")),
        o.access.clone().map(|a| format!("How to get it: {a}.")),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    (!description.is_empty()).then_some(description)
}

/// The ids of the places the service is given: the cluster's children's centres, for
/// early-years services.
fn location_ids(c: &Cluster, o: &OfferItem) -> Vec<String> {
    if o.category.get_ref() == "early-years" {
        (0..c.record.children_centres.len())
            .map(|i| id(&format!("location:{}:centre:{i}", c.slug)))
            .collect()
    } else {
        Vec::new()
    }
}

fn locations<'a>(
    c: &'a Cluster,
    location_ids: &'a [String],
    key: &str,
    sid: &'a str,
) -> Vec<ServiceAtLocation<'a>> {
    location_ids
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
        .collect()
}

/// The cluster's area (or the cluster itself, when it names none).
fn service_area<'a>(c: &Cluster, key: &str, sid: &'a str) -> ServiceArea<'a> {
    ServiceArea {
        id: id(&format!("area:{key}")),
        name: c
            .record
            .area
            .clone()
            .unwrap_or_else(|| format!("{} cluster", c.record.name)),
        service_id: sid,
    }
}

fn cost_options<'a>(o: &'a OfferItem, key: &str, sid: &'a str) -> Option<Vec<CostOption<'a>>> {
    o.cost.as_ref().map(|cost| {
        vec![CostOption {
            amount: *cost.amount.get_ref(),
            amount_description: &cost.basis,
            id: id(&format!("cost:{key}")),
            option: "Indicative cost per case (paid by the cluster, not by families)",
            service_id: sid,
        }]
    })
}

fn fees(o: &OfferItem) -> Option<String> {
    o.cost.as_ref().map(|cost| {
        format!(
            "Indicative cost to the cluster: £{:.2} ({})",
            cost.amount.get_ref(),
            cost.basis
        )
    })
}

fn funding<'a>(o: &'a OfferItem, key: &str, sid: &'a str) -> Option<Vec<Funding<'a>>> {
    o.funded_by.as_deref().map(|f| {
        vec![Funding {
            id: id(&format!("funding:{key}")),
            service_id: sid,
            source: f,
        }]
    })
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

/// The numbers of a contact that parse as UK phone numbers, each with its label.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_map_to_oruk_values() {
        assert_eq!(oruk_status(Status::TemporarilyClosed), "temporarily closed");
        assert_eq!(oruk_status(Status::Ended), "defunct");
    }
}
