//! The route table: every kind of page the site has, declared once with its address
//! and its template.
//!
//! Everything that needs a page's address reads it from here: the page renderer
//! ([`crate::pages`], which pairs each [`PageKind`] with its view builder), the sitemap,
//! the data files that link to pages, the validator (which links resolve, which page
//! slugs are taken) and `clusterdir new page` (which refuses a page whose address the
//! site itself uses). To add a page kind: add a [`PageKind`], its [`Route`] in [`ROUTES`]
//! and, if it has one page per record, its addresses in [`addresses`]; the compiler then
//! asks for its view builder in `pages::jobs_for`.

use crate::site::{Cluster, Site};

/// Each kind of page the site renders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PageKind {
    Home,
    Clusters,
    Cluster,
    ClusterOffer,
    CoreOffer,
    CoreOfferPart,
    Schools,
    Guides,
    Guide,
    Page,
    Search,
    Data,
    NotFound,
}

/// One kind of page: where its pages live and which template draws them.
#[derive(Debug)]
pub struct Route {
    pub kind: PageKind,
    /// The address, with `{slug}` standing for a record's slug or `{n}` for a part
    /// number (from 1).
    pub address: &'static str,
    /// The Tera template, looked up in the theme and the site's `templates/`.
    pub template: &'static str,
    /// Whether its pages are listed in `sitemap.xml`.
    pub in_sitemap: bool,
}

/// Every page kind, in the order pages are listed.
pub const ROUTES: &[Route] = &[
    route(PageKind::Home, "/", "home.html", true),
    route(PageKind::Clusters, "/clusters/", "clusters.html", true),
    route(PageKind::Cluster, "/clusters/{slug}/", "cluster.html", true),
    route(
        PageKind::ClusterOffer,
        "/clusters/{slug}/offer/",
        "cluster_offer.html",
        true,
    ),
    route(PageKind::CoreOffer, "/core-offer/", "core_offer.html", true),
    route(
        PageKind::CoreOfferPart,
        "/core-offer/part-{n}/",
        "core_offer.html",
        true,
    ),
    route(PageKind::Schools, "/schools/", "schools.html", true),
    route(PageKind::Guides, "/guides/", "guides.html", true),
    route(PageKind::Guide, "/guides/{slug}/", "guide.html", true),
    route(PageKind::Page, "/{slug}/", "page.html", true),
    route(PageKind::Search, "/search/", "search.html", true),
    route(PageKind::Data, "/data/", "data.html", true),
    route(PageKind::NotFound, "/404.html", "404.html", false),
];

const fn route(
    kind: PageKind,
    address: &'static str,
    template: &'static str,
    in_sitemap: bool,
) -> Route {
    Route {
        kind,
        address,
        template,
        in_sitemap,
    }
}

/// Top-level folders of the output that hold data files rather than pages (static
/// assets, downloads, the Open Referral UK feed, the search index).
pub const DATA_FOLDERS: &[&str] = &["static", "data", "oruk", "search"];

/// Addresses of the data files that pages, templates and feeds link to: each producer
/// writes its file at [`output_path`] of its address, and the data page lists them.
pub mod files {
    /// The whole directory as JSON.
    pub const CLUSTERS_JSON: &str = "/data/clusters.json";
    pub const CORE_OFFER_CSV: &str = "/data/core-offer.csv";
    pub const SCHOOLS_CSV: &str = "/data/schools.csv";
    /// The Open Referral UK feed's folder, and its list of services.
    pub const ORUK: &str = "/oruk/";
    pub const ORUK_SERVICES: &str = "/oruk/services/index.json";
    /// Every cluster's public meetings; each cluster's own are [`CLUSTER_MEETINGS`]
    /// under its page.
    pub const MEETINGS_ICS: &str = "/meetings.ics";
    pub const CLUSTER_MEETINGS: &str = "meetings.ics";
    /// Every cluster's news; each cluster's own is [`CLUSTER_FEED`] under its page.
    pub const FEED: &str = "/feed.xml";
    pub const CLUSTER_FEED: &str = "feed.xml";
    /// Static files: the theme's CSS and scripts, then the site's own.
    pub const STATIC: &str = "/static/";
}

/// Where a data file's address is in the output folder: `/data/x.csv` -> `data/x.csv`.
pub fn output_path(address: &str) -> String {
    address.trim_start_matches('/').to_string()
}

/// The Open Referral UK feed is written as `.json` files (`oruk/index.json`,
/// `oruk/services/index.json`, `oruk/services/<id>.json`) and answers at the addresses
/// its API specification uses, without the suffix: `oruk`, `oruk/services`,
/// `oruk/services/<id>`. This is that one rule, used by `serve`, the host rules the build
/// writes, and `deploy` (which stores each feed file under this key too). Takes and
/// returns output paths (no leading `/`); `None` for a file that is not part of the feed.
pub fn feed_address(file: &str) -> Option<String> {
    let rest = file.strip_prefix("oruk/")?;
    let stem = rest.strip_suffix(".json")?;
    if stem == "index" {
        return Some("oruk".into());
    }
    let address = stem.strip_suffix("/index").unwrap_or(stem);
    (!address.is_empty()).then(|| format!("oruk/{address}"))
}

/// Every key object storage holds a feed file under besides its own name: its address,
/// and for the base document also `oruk/index.html`, which website hosting (S3's, or a
/// CDN's index rule) answers `/oruk/` with, as it answers every folder of the site: a
/// validator given the feed's base asks for `<base>/`, and storage has no folders.
pub fn feed_keys(file: &str) -> Vec<String> {
    match feed_address(file) {
        Some(a) if a == "oruk" => vec![a, "oruk/index.html".into()],
        Some(a) => vec![a],
        None => Vec::new(),
    }
}

/// The address of a file under a cluster's page (`/clusters/arm/meetings.ics`).
pub fn cluster_file(slug: &str, name: &str) -> String {
    format!("{}{name}", cluster(slug))
}

/// The route of a page kind.
pub fn route_of(kind: PageKind) -> &'static Route {
    ROUTES
        .iter()
        .find(|r| r.kind == kind)
        .expect("every page kind has a route")
}

/// The address of a page of `kind` for `slug` (or part number): the pattern filled in.
fn fill(kind: PageKind, value: &str) -> String {
    let pattern = route_of(kind).address;
    match pattern.find('{') {
        None => pattern.to_string(),
        Some(start) => {
            let end = pattern[start..]
                .find('}')
                .map_or(pattern.len(), |e| start + e + 1);
            format!("{}{value}{}", &pattern[..start], &pattern[end..])
        }
    }
}

pub fn home() -> String {
    fill(PageKind::Home, "")
}
pub fn clusters() -> String {
    fill(PageKind::Clusters, "")
}
pub fn cluster(slug: &str) -> String {
    fill(PageKind::Cluster, slug)
}
pub fn cluster_offer(slug: &str) -> String {
    fill(PageKind::ClusterOffer, slug)
}
pub fn core_offer() -> String {
    fill(PageKind::CoreOffer, "")
}
/// One part of a core offer split over several pages (numbered from 1).
pub fn core_offer_part(n: usize) -> String {
    fill(PageKind::CoreOfferPart, &n.to_string())
}
pub fn schools() -> String {
    fill(PageKind::Schools, "")
}
pub fn guides() -> String {
    fill(PageKind::Guides, "")
}
pub fn guide(slug: &str) -> String {
    fill(PageKind::Guide, slug)
}
pub fn page(slug: &str) -> String {
    fill(PageKind::Page, slug)
}
pub fn search() -> String {
    fill(PageKind::Search, "")
}
pub fn data() -> String {
    fill(PageKind::Data, "")
}
pub fn not_found() -> String {
    fill(PageKind::NotFound, "")
}

/// Output path for a page address: `/clusters/arm/` -> `clusters/arm/index.html`.
pub fn file_for(url: &str) -> String {
    let trimmed = url.trim_start_matches('/');
    if trimmed.is_empty() {
        "index.html".into()
    } else if trimmed.ends_with(".html") {
        trimmed.into()
    } else {
        format!("{trimmed}index.html")
    }
}

/// Clusters on one core-offer page. A bigger directory gets an index at `/core-offer/`
/// and parts of this many clusters each, in name order, so no page grows past a few
/// thousand rows (a country's 10,000 clusters make 100 parts, not 150,000 rows).
pub const CORE_OFFER_PART_CLUSTERS: usize = 100;

/// The clusters of each part of the core offer, in name order: one part holding every
/// cluster when there are at most [`CORE_OFFER_PART_CLUSTERS`].
pub fn core_offer_parts(site: &Site) -> Vec<Vec<&Cluster>> {
    let clusters = site.clusters_in_order();
    if clusters.len() <= CORE_OFFER_PART_CLUSTERS {
        return vec![clusters];
    }
    clusters
        .chunks(CORE_OFFER_PART_CLUSTERS)
        .map(<[&Cluster]>::to_vec)
        .collect()
}

/// How many parts the core offer has (1 when it fits on one page), without sorting the
/// clusters into them.
pub fn core_offer_part_count(site: &Site) -> usize {
    site.clusters
        .len()
        .div_ceil(CORE_OFFER_PART_CLUSTERS)
        .max(1)
}

/// One page of the site: its kind, its address and the record it shows, if any.
#[derive(Debug, Clone)]
pub struct Address<'a> {
    pub kind: PageKind,
    pub url: String,
    pub slug: Option<&'a str>,
}

/// Every page address the site will have, kind by kind in [`ROUTES`] order.
pub fn addresses(site: &Site) -> Vec<Address<'_>> {
    let parts = core_offer_part_count(site);
    let mut out = Vec::new();
    for r in ROUTES {
        let each = |slug: &'static str| Address {
            kind: r.kind,
            url: fill(r.kind, slug),
            slug: None,
        };
        let of = |slug| Address {
            kind: r.kind,
            url: fill(r.kind, slug),
            slug: Some(slug),
        };
        match r.kind {
            PageKind::Cluster | PageKind::ClusterOffer => {
                out.extend(site.clusters.keys().map(|s| of(s.as_str())))
            }
            PageKind::Guide => out.extend(site.guides.keys().map(|s| of(s.as_str()))),
            PageKind::Page => out.extend(site.pages.keys().map(|s| of(s.as_str()))),
            PageKind::CoreOfferPart if parts > 1 => out.extend((1..=parts).map(|n| Address {
                kind: r.kind,
                url: core_offer_part(n),
                slug: None,
            })),
            PageKind::CoreOfferPart => {}
            PageKind::Home
            | PageKind::Clusters
            | PageKind::CoreOffer
            | PageKind::Schools
            | PageKind::Guides
            | PageKind::Search
            | PageKind::Data
            | PageKind::NotFound => out.push(each("")),
        }
    }
    out
}

/// Top-level names a page may not take as its slug: those of the site's own pages and
/// of the data folders.
pub fn reserved_slugs() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = Vec::new();
    let firsts = ROUTES.iter().filter_map(|r| {
        let first = r.address.trim_start_matches('/').split('/').next()?;
        let first = first.strip_suffix(".html").unwrap_or(first);
        (!first.is_empty() && !first.contains('{')).then_some(first)
    });
    for name in firsts.chain(DATA_FOLDERS.iter().copied()) {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_are_filled_with_the_slug() {
        assert_eq!(home(), "/");
        assert_eq!(cluster("arm"), "/clusters/arm/");
        assert_eq!(cluster_offer("arm"), "/clusters/arm/offer/");
        assert_eq!(core_offer_part(3), "/core-offer/part-3/");
        assert_eq!(page("about"), "/about/");
        assert_eq!(not_found(), "/404.html");
    }

    #[test]
    fn every_kind_has_exactly_one_route() {
        for r in ROUTES {
            assert_eq!(
                ROUTES.iter().filter(|o| o.kind == r.kind).count(),
                1,
                "{:?}",
                r.kind
            );
        }
    }

    #[test]
    fn page_addresses_map_to_index_files() {
        assert_eq!(file_for("/"), "index.html");
        assert_eq!(file_for("/clusters/arm/"), "clusters/arm/index.html");
        assert_eq!(file_for("/404.html"), "404.html");
    }

    #[test]
    fn the_part_count_is_the_number_of_parts() {
        let mut site = crate::check::validate(
            crate::content::load::Loaded {
                config: crate::content::model::SiteConfig::stand_in(),
                config_file: "content/site.toml".into(),
                clusters: Vec::new(),
                guides: Vec::new(),
                pages: Vec::new(),
                unusable: Default::default(),
                config_usable: true,
            },
            &Default::default(),
            &mut Default::default(),
        );
        let template = crate::content::load::parse_cluster(
            std::path::Path::new("c.toml"),
            "name = \"A\"\nlast_reviewed = 2025-01-01\n",
        )
        .into_result()
        .unwrap();
        for n in [0, 1, 100, 101, 250] {
            while site.clusters.len() < n {
                let slug = format!("c{}", site.clusters.len());
                let mut c = crate::site::Cluster {
                    slug: slug.clone(),
                    file: "c.toml".into(),
                    record: template.data.clone(),
                    last_reviewed: crate::content::model::PartialDate {
                        year: 2025,
                        month: 1,
                        day: Some(1),
                    },
                    summary_html: None,
                    updates: Vec::new(),
                    meetings: Vec::new(),
                    reopens: None,
                    offer_dates: Vec::new(),
                    source: 0,
                };
                c.record.name = slug.clone();
                site.clusters.insert(slug, c);
            }
            assert_eq!(
                core_offer_part_count(&site),
                core_offer_parts(&site).len(),
                "{n} clusters"
            );
        }
    }

    #[test]
    fn feed_files_answer_at_the_address_without_json() {
        for (file, address) in [
            ("oruk/index.json", Some("oruk")),
            ("oruk/services/index.json", Some("oruk/services")),
            ("oruk/services/6f1c.json", Some("oruk/services/6f1c")),
            (
                "oruk/taxonomy_terms/x-y.json",
                Some("oruk/taxonomy_terms/x-y"),
            ),
            ("oruk/openapi.yaml", None),
            ("data/clusters.json", None),
            ("oruk.json", None),
        ] {
            assert_eq!(feed_address(file).as_deref(), address, "{file}");
        }
    }

    #[test]
    fn reserved_slugs_cover_pages_and_data_folders() {
        let r = reserved_slugs();
        for name in [
            "clusters",
            "core-offer",
            "schools",
            "guides",
            "search",
            "data",
            "404",
            "static",
            "oruk",
        ] {
            assert!(r.contains(&name), "{name} is not reserved: {r:?}");
        }
        assert!(!r.iter().any(|n| n.is_empty() || n.contains('{')), "{r:?}");
    }
}
