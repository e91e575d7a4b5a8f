//! The offer categories as an ORUK taxonomy: its terms, which classify each service, and
//! the `taxonomies/...` and `taxonomy_terms/...` files.

use serde_json::json;

use super::records::Term;
use super::write::{page, put};
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
    put(
        out,
        "oruk/taxonomies/index.json".into(),
        &page(vec![
            json!({ "id": taxonomy_id(), "name": taxonomy["name"], "description": taxonomy["description"] }),
        ]),
    );
    put(out, "oruk/taxonomy_terms/index.json".into(), &page(terms));
}
