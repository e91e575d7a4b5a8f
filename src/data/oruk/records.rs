//! The ORUK 3.0 records this export writes, as serde structs. Their fields are in
//! alphabetical order (the order the earlier `serde_json::Value` maps had) and unknown
//! values are left out, not written as null.

use serde::Serialize;
use serde_json::value::RawValue;

fn skip<T>(v: &Option<T>) -> bool {
    v.is_none()
}

/// An organization (a cluster), with its services when it is written on its own.
#[derive(Serialize)]
pub(super) struct Organization<'a> {
    pub description: String,
    #[serde(skip_serializing_if = "skip")]
    pub email: Option<&'a str>,
    pub id: String,
    pub name: String,
    #[serde(skip_serializing_if = "skip")]
    pub services: Option<Vec<Box<RawValue>>>,
    #[serde(skip_serializing_if = "skip")]
    pub website: Option<String>,
}

/// A term of the offer-categories taxonomy.
#[derive(Serialize)]
pub(super) struct Term<'a> {
    pub description: &'a str,
    pub id: String,
    pub name: &'a str,
    pub taxonomy: &'static str,
    pub taxonomy_id: String,
    pub term: &'a str,
}

#[derive(Serialize)]
pub(super) struct Phone<'a> {
    pub contact_id: &'a str,
    pub description: &'a str,
    pub id: String,
    pub number: String,
}

#[derive(Serialize)]
pub(super) struct Contact<'a> {
    pub id: &'a str,
    #[serde(skip_serializing_if = "skip")]
    pub name: Option<&'a str>,
    pub phones: Vec<Phone<'a>>,
    pub service_id: &'a str,
    pub title: &'a str,
}

#[derive(Serialize)]
pub(super) struct Location<'a> {
    #[serde(skip_serializing_if = "skip")]
    pub description: Option<&'a str>,
    pub id: &'a str,
    pub location_type: &'static str,
    pub name: &'a str,
}

#[derive(Serialize)]
pub(super) struct ServiceAtLocation<'a> {
    pub id: String,
    pub location: Location<'a>,
    pub location_id: &'a str,
    pub service_id: &'a str,
}

#[derive(Serialize)]
pub(super) struct ServiceArea<'a> {
    pub id: String,
    pub name: String,
    pub service_id: &'a str,
}

#[derive(Serialize)]
pub(super) struct Funding<'a> {
    pub id: String,
    pub service_id: &'a str,
    pub source: &'a str,
}

#[derive(Serialize)]
pub(super) struct CostOption<'a> {
    pub amount: f64,
    pub amount_description: &'a str,
    pub id: String,
    pub option: &'static str,
    pub service_id: &'a str,
}

#[derive(Serialize)]
pub(super) struct Attribute<'a> {
    pub id: String,
    pub link_id: &'a str,
    pub link_type: &'static str,
    pub taxonomy_term: Term<'a>,
    pub taxonomy_term_id: String,
}

#[derive(Serialize)]
pub(super) struct Service<'a> {
    #[serde(skip_serializing_if = "skip")]
    pub alert: Option<String>,
    pub assured_date: String,
    #[serde(skip_serializing_if = "skip")]
    pub attributes: Option<Vec<Attribute<'a>>>,
    #[serde(skip_serializing_if = "skip")]
    pub contacts: Option<Vec<Box<RawValue>>>,
    #[serde(skip_serializing_if = "skip")]
    pub cost_options: Option<Vec<CostOption<'a>>>,
    #[serde(skip_serializing_if = "skip")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "skip")]
    pub email: Option<&'a str>,
    #[serde(skip_serializing_if = "skip")]
    pub fees: Option<String>,
    #[serde(skip_serializing_if = "skip")]
    pub funding: Option<Vec<Funding<'a>>>,
    pub id: &'a str,
    #[serde(skip_serializing_if = "skip")]
    pub maximum_age: Option<u8>,
    #[serde(skip_serializing_if = "skip")]
    pub minimum_age: Option<u8>,
    pub name: &'a str,
    #[serde(skip_serializing_if = "skip")]
    pub organization: Option<&'a RawValue>,
    pub organization_id: &'a str,
    #[serde(skip_serializing_if = "skip")]
    pub service_areas: Option<Vec<ServiceArea<'a>>>,
    #[serde(skip_serializing_if = "skip")]
    pub service_at_locations: Option<Vec<ServiceAtLocation<'a>>>,
    pub status: &'static str,
    #[serde(skip_serializing_if = "skip")]
    pub url: Option<String>,
}

impl Service<'_> {
    /// The same service as a list item: without its nested collections.
    pub fn strip_collections(&mut self) {
        self.attributes = None;
        self.contacts = None;
        self.cost_options = None;
        self.funding = None;
        self.service_areas = None;
        self.service_at_locations = None;
    }
}

/// One page of results, as the ORUK API returns them.
#[derive(Serialize)]
pub(super) struct Page<T> {
    pub contents: Vec<T>,
    pub empty: bool,
    pub first_page: bool,
    pub last_page: bool,
    pub page_number: usize,
    pub size: usize,
    pub total_items: usize,
    pub total_pages: usize,
}
