//! The feed's base document (`/oruk`, what the ORUK validator reads first to learn the
//! standard's version) and the OpenAPI document it points to, which lists every
//! endpoint the feed answers with the ORUK schema of its response.

use serde_json::{json, Map, Value};

use crate::site::Site;

/// The version of the standard, as the ORUK validator reads it.
pub const VERSION: &str = "3.0";
/// The UK profile of HSDS that the feed follows.
pub const PROFILE: &str = "https://openreferraluk.org/specifications/3.0";
/// Where the ORUK schemas are published (each response's schema is named from here).
const SCHEMAS: &str = "https://openreferraluk.org/specifications/3.0/schema/";
/// The feed's OpenAPI document, next to its base document.
pub const OPENAPI_FILE: &str = "oruk/openapi.json";

/// An endpoint of the ORUK API: its path under the feed, the schema of its answer,
/// and its level (`required` is Level 1, `optional` Level 2).
pub struct Endpoint {
    pub path: &'static str,
    pub schema: &'static str,
    pub level: &'static str,
}

impl Endpoint {
    /// A paginated list (which takes `?page=`).
    pub fn is_list(&self) -> bool {
        self.schema.ends_with("_list.json")
    }
}

const fn endpoint(path: &'static str, schema: &'static str, level: &'static str) -> Endpoint {
    Endpoint {
        path,
        schema,
        level,
    }
}

/// Every endpoint the feed answers: all of Level 1 and Level 2.
pub const ENDPOINTS: &[Endpoint] = &[
    endpoint("/", "api_details.json", "required"),
    endpoint("/services", "service_list.json", "required"),
    endpoint("/services/{id}", "service.json", "required"),
    endpoint("/organizations", "organization_list.json", "optional"),
    endpoint("/organizations/{id}", "organization.json", "optional"),
    endpoint("/taxonomies", "taxonomy_list.json", "optional"),
    endpoint("/taxonomies/{id}", "taxonomy.json", "optional"),
    endpoint("/taxonomy_terms", "taxonomy_term_list.json", "optional"),
    endpoint("/taxonomy_terms/{id}", "taxonomy_term.json", "optional"),
    endpoint(
        "/service_at_locations",
        "service_at_location_list.json",
        "optional",
    ),
    endpoint(
        "/service_at_locations/{id}",
        "service_at_location.json",
        "optional",
    ),
];

/// The base document: `version`, and, when the site has a `base_url` (they must be
/// absolute), `profile` and `openapi_url`. Without one, `check` warns.
pub(super) fn base_document(site: &Site) -> Value {
    let mut doc = Map::new();
    doc.insert("version".into(), VERSION.into());
    if let Some(openapi) = site.absolute(&format!("/{OPENAPI_FILE}")) {
        doc.insert("profile".into(), PROFILE.into());
        doc.insert("openapi_url".into(), openapi.into());
    }
    Value::Object(doc)
}

/// The OpenAPI 3.1 document of the feed: every endpoint, its `page` parameter if it
/// is a list, and its answer's ORUK schema.
pub(super) fn openapi(site: &Site) -> Value {
    let mut paths = Map::new();
    for e in ENDPOINTS {
        let mut get = json!({
            "tags": [e.level],
            "responses": { "200": {
                "description": "OK",
                "content": { "application/json": { "schema": { "$ref": format!("{SCHEMAS}{}", e.schema) } } }
            } }
        });
        if e.is_list() {
            get["parameters"] = json!([{ "name": "page", "in": "query", "required": false, "schema": { "type": "integer" } }]);
        }
        if e.path.ends_with("{id}") {
            get["parameters"] = json!([{ "name": "id", "in": "path", "required": true, "schema": { "type": "string" } }]);
        }
        paths.insert(e.path.into(), json!({ "get": get }));
    }
    let mut doc = json!({
        "openapi": "3.1.0",
        "info": {
            "title": format!("{}: Open Referral UK feed", site.config.title),
            "version": format!("HSDS-UK-{VERSION}"),
            "description": "The early help clusters' services as Open Referral UK 3.0, read only. Lists are pages of up to 500 items; other query parameters are not supported.",
        },
        "paths": paths,
    });
    if let Some(server) = site.absolute("/oruk") {
        doc["servers"] = json!([{ "url": server }]);
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_the_endpoints_without_an_id_that_answer_a_list_schema() {
        let lists: Vec<&str> = ENDPOINTS
            .iter()
            .filter(|e| e.is_list())
            .map(|e| e.path)
            .collect();
        assert_eq!(
            lists,
            [
                "/services",
                "/organizations",
                "/taxonomies",
                "/taxonomy_terms",
                "/service_at_locations"
            ]
        );
    }
}
