//! The documents the search index finds: every cluster with its schools, children's
//! centres and services, then every current guide and page. Also writes them, in chunks,
//! as the `d/<n>.json` files.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::content::model::{ChildrenCentre, OfferItem, School};
use crate::output::Output;
use crate::routes;
use crate::site::{Cluster, Site};

/// Documents per chunk file.
pub const CHUNK: usize = 128;

pub const KIND_CLUSTER: u8 = 0;
pub const KIND_SCHOOL: u8 = 1;
pub const KIND_CENTRE: u8 = 2;
pub const KIND_SERVICE: u8 = 3;
pub const KIND_GUIDE: u8 = 4;
pub const KIND_PAGE: u8 = 5;

/// A document to index.
pub(super) struct Doc<'a> {
    pub kind: u8,
    pub title: String,
    pub cluster: i64,
    pub extra: Value,
    /// Extra text whose words find the document less strongly than its title.
    pub text: String,
    /// A guide's or page's text, read where the site holds it (it can be long).
    pub body: &'a str,
}

/// Every document of the site, ordered by kind. `clusters` gives each cluster its index
/// in `meta.clusters`.
pub(super) fn collect<'a>(site: &'a Site, clusters: &[&Cluster]) -> Vec<Doc<'a>> {
    let categories = Categories::new(site);
    let mut docs: Vec<Doc> = Vec::new();
    for (ci, c) in clusters.iter().enumerate() {
        cluster_docs(&categories, c, ci as i64, &mut docs);
    }
    docs.extend(site.current_guides().into_iter().map(|g| Doc {
        kind: KIND_GUIDE,
        title: g.front.title.clone(),
        cluster: -1,
        extra: json!(routes::guide(&g.slug)),
        text: g.front.summary.clone(),
        body: &g.text,
    }));
    docs.extend(site.pages_in_order().into_iter().map(|p| Doc {
        kind: KIND_PAGE,
        title: p.front.title.clone(),
        cluster: -1,
        extra: json!(routes::page(&p.slug)),
        text: p.front.summary.clone().unwrap_or_default(),
        body: &p.text,
    }));
    // Documents are ordered by kind, so a kind is a range of ids (`meta.kinds`) and a
    // search limited to some kinds needs no document downloads to filter. (The sort is
    // stable: within a kind, documents keep the order above.)
    docs.sort_by_key(|d| d.kind);
    docs
}

/// The first id of each kind, then the number of documents (`meta.kinds`).
pub(super) fn kind_starts(docs: &[Doc<'_>]) -> Vec<usize> {
    let mut kind_starts = vec![0usize; 7];
    for k in 0..7u8 {
        kind_starts[k as usize] = docs.iter().position(|d| d.kind >= k).unwrap_or(docs.len());
    }
    kind_starts
}

/// The `d/<n>.json` files: documents `n*CHUNK .. (n+1)*CHUNK`, each
/// `[kind, title, cluster, extra]`.
pub(super) fn write_chunks(docs: &[Doc], out: &mut Output) {
    for (n, chunk) in docs.chunks(CHUNK).enumerate() {
        let arr: Vec<Value> = chunk
            .iter()
            .map(|d| json!([d.kind, d.title, d.cluster, d.extra]))
            .collect();
        out.insert(
            format!("search/d/{n}.json"),
            Value::Array(arr).to_string().into_bytes(),
        );
    }
}

/// The offer categories by slug, with their index in `meta.categories`.
struct Categories<'a> {
    site: &'a Site,
    index: BTreeMap<&'a str, usize>,
}

impl<'a> Categories<'a> {
    fn new(site: &'a Site) -> Self {
        let index = site
            .categories
            .iter()
            .enumerate()
            .map(|(i, c)| (c.slug.get_ref().as_str(), i))
            .collect();
        Categories { site, index }
    }

    /// The index of a category (the first for an unknown slug) and its name.
    fn get(&self, slug: &str) -> (usize, &'a str) {
        let i = self.index.get(slug).copied().unwrap_or(0);
        (i, self.site.categories[i].name.as_str())
    }
}

/// A cluster's own document, then its schools', children's centres' and services'.
fn cluster_docs(categories: &Categories, c: &Cluster, ci: i64, docs: &mut Vec<Doc<'_>>) {
    let r = &c.record;
    docs.push(Doc {
        kind: KIND_CLUSTER,
        title: r.name.clone(),
        cluster: ci,
        extra: Value::Null,
        text: [
            r.short_name.clone().unwrap_or_default(),
            r.area.clone().unwrap_or_default(),
        ]
        .join(" "),
        body: "",
    });
    docs.extend(r.schools.iter().map(|s| school_doc(s, ci)));
    docs.extend(r.children_centres.iter().map(|cc| centre_doc(cc, ci)));
    docs.extend(r.offer.iter().map(|o| service_doc(categories, o, ci)));
}

fn school_doc(s: &School, ci: i64) -> Doc<'static> {
    Doc {
        kind: KIND_SCHOOL,
        title: s.name.get_ref().clone(),
        cluster: ci,
        extra: json!(s.phase.label()),
        text: s.also_known_as.join(" "),
        body: "",
    }
}

fn centre_doc(cc: &ChildrenCentre, ci: i64) -> Doc<'static> {
    Doc {
        kind: KIND_CENTRE,
        title: cc.name.get_ref().clone(),
        cluster: ci,
        extra: Value::Null,
        text: String::new(),
        body: "",
    }
}

/// A service of the core offer, found also by its category, provider and descriptions.
fn service_doc(categories: &Categories, o: &OfferItem, ci: i64) -> Doc<'static> {
    let (cat, category_name) = categories.get(o.category.get_ref());
    Doc {
        kind: KIND_SERVICE,
        title: o.service.clone(),
        cluster: ci,
        extra: json!(cat),
        text: [
            category_name,
            o.provider.as_deref().unwrap_or(""),
            o.description.as_deref().unwrap_or(""),
            o.who_for.as_deref().unwrap_or(""),
            o.access.as_deref().unwrap_or(""),
        ]
        .join(" "),
        body: "",
    }
}
