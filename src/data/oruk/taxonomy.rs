//! The offer categories as an ORUK taxonomy: its terms, which classify each service, and
//! the `taxonomies/...` and `taxonomy_terms/...` files (lists, and each by its id).

use serde_json::json;

use super::lists::write_list;
use super::records::Term;
use super::write::{put, raw};
use crate::data::ids::id;
use crate::output::Output;
use crate::site::Site;

pub(super) fn taxonomy_id() -> String {
    id("taxonomy:offer-categories")
}

/// The term of an offer category (named by its slug when the site does not know it).
pub(super) fn term<'a>(site: &'a Site, slug: &'a str) -> Term<'a> {
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

/// The taxonomy with its terms, the list of taxonomies and the list of terms.
pub(super) fn write_taxonomy(site: &Site, out: &mut Output) {
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
    let item = json!({ "id": taxonomy_id(), "name": taxonomy["name"], "description": taxonomy["description"] });
    write_list(out, "taxonomies", vec![raw(&item)]);
    for t in &terms {
        put(out, format!("oruk/taxonomy_terms/{}.json", t.id), t);
    }
    write_list(out, "taxonomy_terms", terms.iter().map(raw).collect());
}
