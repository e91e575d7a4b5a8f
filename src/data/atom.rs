//! Atom feeds of the clusters' news: `/feed.xml` (every cluster's) and one per cluster,
//! newest first.

use std::collections::HashMap;

use crate::content::model::PartialDate;
use crate::data::ids;
use crate::output::Output;
use crate::routes;
use crate::site::{Cluster, Site, UpdateEntry};
use crate::text::xml_text;

/// RFC 3339 time for an Atom `updated`: midnight UTC on the first day the date means.
fn atom_time(d: PartialDate) -> String {
    format!("{}T00:00:00Z", d.first_day().format("%Y-%m-%d"))
}

fn atom_feed(
    site: &Site,
    title: &str,
    self_path: &str,
    page_path: &str,
    entries: &[(&Cluster, &UpdateEntry)],
) -> Vec<u8> {
    let base = site.base_url().unwrap_or_default();
    // The feed changes when its newest entry does; an empty feed has a fixed date so
    // that builds stay reproducible.
    let updated = entries
        .first()
        .map(|(_, u)| atom_time(u.date))
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<title>{}</title>\n<id>urn:uuid:{}</id>\n<updated>{updated}</updated>\n<link rel=\"self\" href=\"{}\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n<author><name>{}</name></author>\n",
        xml_text(title),
        ids::id(&format!("feed:{self_path}")),
        xml_text(&format!("{base}{self_path}")),
        xml_text(&format!("{base}{page_path}")),
        xml_text(&site.config.title),
    );
    for (c, u) in entries {
        let body = u.body_html.as_deref().unwrap_or("");
        xml.push_str(&format!(
            "<entry>\n<title>{}</title>\n<id>urn:uuid:{}</id>\n<updated>{}</updated>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n<summary type=\"html\">{}</summary>\n</entry>\n",
            xml_text(&format!("{}: {}", c.record.name, u.title)),
            ids::id(&format!("update:{}:{}:{}", c.slug, u.date.iso(), u.title)),
            atom_time(u.date),
            xml_text(&format!("{base}{}#updates", routes::cluster(&c.slug))),
            xml_text(body),
        ));
    }
    xml.push_str("</feed>\n");
    xml.into_bytes()
}

/// `/feed.xml` (every cluster's news) and `/clusters/<slug>/feed.xml`, newest first.
pub fn write_atom(site: &Site, out: &mut Output) {
    let all = site.all_updates();
    out.insert(
        routes::output_path(routes::files::FEED),
        atom_feed(
            site,
            &format!("{}: news", site.config.title),
            routes::files::FEED,
            &routes::home(),
            &all,
        ),
    );
    // Group once (newest first within each cluster), rather than scanning every update
    // for every cluster.
    let mut by_cluster: HashMap<&str, Vec<(&Cluster, &UpdateEntry)>> = HashMap::new();
    for (c, u) in &all {
        by_cluster.entry(c.slug.as_str()).or_default().push((c, u));
    }
    for c in site.clusters.values() {
        let own = by_cluster.remove(c.slug.as_str()).unwrap_or_default();
        let path = routes::cluster_file(&c.slug, routes::files::CLUSTER_FEED);
        out.insert(
            path.trim_start_matches('/').to_string(),
            atom_feed(
                site,
                &format!("{} cluster: news", c.record.name),
                &path,
                &routes::cluster(&c.slug),
                &own,
            ),
        );
    }
}
