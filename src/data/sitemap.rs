//! `sitemap.xml` (split into an index of parts past the protocol's limit), listing every
//! page of the route table that belongs in it, and `robots.txt` pointing at it.

use crate::output::Output;
use crate::routes::{self, PageKind};
use crate::site::Site;
use crate::text::xml_text;

/// Most addresses one sitemap file may hold (the sitemaps.org protocol's limit).
pub const SITEMAP_LIMIT: usize = 50_000;

/// `sitemap.xml` (when `base_url` is set: a sitemap needs absolute addresses) and
/// `robots.txt` pointing at it, listing every page of the route table that belongs in it.
pub fn write_sitemap(site: &Site, out: &mut Output) {
    let Some(base) = site.base_url() else {
        out.insert("robots.txt".into(), b"User-agent: *\nAllow: /\n".to_vec());
        return;
    };
    let lastmod = |a: &routes::Address| match (a.kind, a.slug) {
        (PageKind::Cluster | PageKind::ClusterOffer, Some(s)) => {
            site.clusters.get(s).map(|c| c.last_reviewed.iso())
        }
        (PageKind::Guide, Some(s)) => site.guides.get(s).map(|g| g.edition.iso()),
        _ => None,
    };
    // In the order of their files, as a listing of the output would give them.
    let mut pages: Vec<(String, routes::Address)> = routes::addresses(site)
        .into_iter()
        .filter(|a| routes::route_of(a.kind).in_sitemap)
        .map(|a| (routes::file_for(&a.url), a))
        .collect();
    pages.sort_by(|a, b| a.0.cmp(&b.0));
    let entries: Vec<String> = pages
        .iter()
        .map(|(_, a)| {
            let mut entry = format!("<url><loc>{}</loc>", xml_text(&format!("{base}{}", a.url)));
            if let Some(m) = lastmod(a) {
                entry.push_str(&format!("<lastmod>{m}</lastmod>"));
            }
            entry.push_str("</url>\n");
            entry
        })
        .collect();
    for (name, xml) in sitemap_files(base, &entries, SITEMAP_LIMIT) {
        out.insert(name, xml.into_bytes());
    }
    out.insert(
        "robots.txt".into(),
        format!("User-agent: *\nAllow: /\nSitemap: {base}/sitemap.xml\n").into_bytes(),
    );
}

/// `sitemap.xml` with every `<url>` entry; or, past `limit` entries, `sitemap.xml` as an
/// index of `sitemap-1.xml`, `sitemap-2.xml`, ... of up to `limit` entries each.
fn sitemap_files(base: &str, entries: &[String], limit: usize) -> Vec<(String, String)> {
    const HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    const NS: &str = "xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"";
    let urlset = |list: &[String]| format!("{HEAD}<urlset {NS}>\n{}</urlset>\n", list.concat());
    if entries.len() <= limit {
        return vec![("sitemap.xml".into(), urlset(entries))];
    }
    let mut files = Vec::new();
    let mut index = format!("{HEAD}<sitemapindex {NS}>\n");
    for (i, part) in entries.chunks(limit).enumerate() {
        let name = format!("sitemap-{}.xml", i + 1);
        index.push_str(&format!(
            "<sitemap><loc>{}</loc></sitemap>\n",
            xml_text(&format!("{base}/{name}"))
        ));
        files.push((name, urlset(part)));
    }
    index.push_str("</sitemapindex>\n");
    files.push(("sitemap.xml".into(), index));
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(n: usize) -> Vec<String> {
        (0..n)
            .map(|i| format!("<url><loc>https://x.example/p{i}/</loc></url>\n"))
            .collect()
    }

    #[test]
    fn a_sitemap_within_the_limit_is_one_file() {
        let files = sitemap_files("https://x.example", &entries(3), 3);
        assert_eq!(files.len(), 1);
        let doc = roxmltree::Document::parse(&files[0].1).unwrap();
        assert_eq!(doc.root_element().tag_name().name(), "urlset");
        assert_eq!(
            doc.descendants().filter(|n| n.has_tag_name("url")).count(),
            3
        );
    }

    #[test]
    fn a_sitemap_past_the_limit_becomes_an_index_of_parts() {
        let files = sitemap_files("https://x.example", &entries(7), 3);
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "sitemap-1.xml",
                "sitemap-2.xml",
                "sitemap-3.xml",
                "sitemap.xml"
            ]
        );
        let index = roxmltree::Document::parse(&files[3].1).unwrap();
        assert_eq!(index.root_element().tag_name().name(), "sitemapindex");
        let locs: Vec<&str> = index
            .descendants()
            .filter(|n| n.has_tag_name("loc"))
            .filter_map(|n| n.text())
            .collect();
        assert_eq!(locs[0], "https://x.example/sitemap-1.xml");
        assert_eq!(locs.len(), 3);
        let mut total = 0;
        for (_, xml) in &files[..3] {
            let doc = roxmltree::Document::parse(xml).unwrap();
            let n = doc.descendants().filter(|n| n.has_tag_name("url")).count();
            assert!(n <= 3);
            total += n;
        }
        assert_eq!(total, 7, "every address is in exactly one part");
    }
}
