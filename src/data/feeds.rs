//! Feeds and files for machines: iCalendar feeds of public meetings (`/meetings.ics`
//! and one per cluster), `sitemap.xml` and `robots.txt`.

use crate::output::Output;
use crate::routes::{self, PageKind};
use crate::site::{Cluster, MeetingEntry, Site};

/// The Europe/London time zone (GMT/BST, EU rules since 1996), as RFC 5545 wants it
/// beside events whose times are local.
const VTIMEZONE: &[&str] = &[
    "BEGIN:VTIMEZONE",
    "TZID:Europe/London",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0000",
    "TZOFFSETTO:+0100",
    "TZNAME:BST",
    "DTSTART:19810329T010000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0000",
    "TZNAME:GMT",
    "DTSTART:19961027T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
];

/// Escape a TEXT value (RFC 5545 3.3.11).
fn ics_text(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace("\r\n", "\\n")
        .replace('\n', "\\n")
}

/// Fold a content line at 75 octets (RFC 5545 3.1), never inside a character.
fn fold(line: &str, out: &mut String) {
    let mut start = 0;
    let mut limit = 75;
    while line.len() - start > limit {
        let mut end = start + limit;
        while !line.is_char_boundary(end) {
            end -= 1;
        }
        out.push_str(&line[start..end]);
        out.push_str("\r\n ");
        start = end;
        limit = 74; // the leading space of a continuation line counts
    }
    out.push_str(&line[start..]);
    out.push_str("\r\n");
}

/// Meetings that go in a feed: public ones with a whole date (a month alone cannot be
/// put in a calendar).
fn publishable(m: &MeetingEntry) -> bool {
    m.public == Some(true) && m.date.day.is_some()
}

fn event_lines(site: &Site, c: &Cluster, m: &MeetingEntry) -> Vec<String> {
    let d = m.date.first_day();
    let uid = crate::data::oruk::id(&format!("meeting:{}:{}:{}", c.slug, m.date.iso(), m.title));
    // DTSTAMP must be UTC; the record's review date keeps builds reproducible.
    let stamp = c.last_reviewed.last_day().format("%Y%m%dT000000Z");
    let mut lines = vec![
        "BEGIN:VEVENT".to_string(),
        format!("UID:{uid}@clusterdir"),
        format!("DTSTAMP:{stamp}"),
    ];
    match &m.time {
        Some(t) => lines.push(format!(
            "DTSTART;TZID=Europe/London:{}T{}00",
            d.format("%Y%m%d"),
            t.replace(':', "")
        )),
        None => lines.push(format!("DTSTART;VALUE=DATE:{}", d.format("%Y%m%d"))),
    }
    lines.push(format!(
        "SUMMARY:{}",
        ics_text(&format!("{} cluster: {}", c.record.name, m.title))
    ));
    if let Some(p) = &m.place {
        lines.push(format!("LOCATION:{}", ics_text(p)));
    }
    lines.push(format!(
        "DESCRIPTION:{}",
        ics_text(&format!(
            "Public meeting of the {} early help cluster.",
            c.record.name
        ))
    ));
    if let Some(base) = &site.config.base_url {
        lines.push(format!(
            "URL:{}{}#meetings",
            base.get_ref().trim_end_matches('/'),
            routes::cluster(&c.slug)
        ));
    }
    lines.push("END:VEVENT".to_string());
    lines
}

fn calendar(site: &Site, name: &str, clusters: &[&Cluster]) -> Vec<u8> {
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".to_string(),
        "PRODID:-//clusterdir//cluster meetings//EN".to_string(),
        "CALSCALE:GREGORIAN".to_string(),
        "METHOD:PUBLISH".to_string(),
        format!("X-WR-CALNAME:{}", ics_text(name)),
        "X-WR-TIMEZONE:Europe/London".to_string(),
    ];
    lines.extend(VTIMEZONE.iter().map(|s| s.to_string()));
    for c in clusters {
        for m in c.meetings.iter().filter(|m| publishable(m)) {
            lines.extend(event_lines(site, c, m));
        }
    }
    lines.push("END:VCALENDAR".to_string());
    let mut out = String::new();
    for l in &lines {
        fold(l, &mut out);
    }
    out.into_bytes()
}

/// `/meetings.ics` and `/clusters/<slug>/meetings.ics`.
pub fn write_calendars(site: &Site, out: &mut Output) {
    let clusters = site.clusters_in_order();
    out.insert(
        "meetings.ics".into(),
        calendar(
            site,
            &format!("{}: public cluster meetings", site.config.title),
            &clusters,
        ),
    );
    for c in &clusters {
        out.insert(
            format!("clusters/{}/meetings.ics", c.slug),
            calendar(
                site,
                &format!("{} cluster: public meetings", c.record.name),
                &[c],
            ),
        );
    }
}

use crate::text::escape_markup as xml_escape;

/// Most addresses one sitemap file may hold (the sitemaps.org protocol's limit).
pub const SITEMAP_LIMIT: usize = 50_000;

/// `sitemap.xml` (when `base_url` is set: a sitemap needs absolute addresses) and
/// `robots.txt` pointing at it, listing every page of the route table that belongs in it.
pub fn write_sitemap(site: &Site, out: &mut Output) {
    let Some(base) = &site.config.base_url else {
        out.insert("robots.txt".into(), b"User-agent: *\nAllow: /\n".to_vec());
        return;
    };
    let base = base.get_ref().trim_end_matches('/');
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
            let mut entry = format!(
                "<url><loc>{}</loc>",
                xml_escape(&format!("{base}{}", a.url))
            );
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
            xml_escape(&format!("{base}/{name}"))
        ));
        files.push((name, urlset(part)));
    }
    index.push_str("</sitemapindex>\n");
    files.push(("sitemap.xml".into(), index));
    files
}

/// RFC 3339 time for an Atom `updated`: midnight UTC on the first day the date means.
fn atom_time(d: crate::content::model::PartialDate) -> String {
    format!("{}T00:00:00Z", d.first_day().format("%Y-%m-%d"))
}

fn atom_feed(
    site: &Site,
    title: &str,
    self_path: &str,
    page_path: &str,
    entries: &[(&Cluster, &crate::site::UpdateEntry)],
) -> Vec<u8> {
    let base = site
        .config
        .base_url
        .as_ref()
        .map(|b| b.get_ref().trim_end_matches('/').to_string())
        .unwrap_or_default();
    // The feed changes when its newest entry does; an empty feed has a fixed date so
    // that builds stay reproducible.
    let updated = entries
        .first()
        .map(|(_, u)| atom_time(u.date))
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<title>{}</title>\n<id>urn:uuid:{}</id>\n<updated>{updated}</updated>\n<link rel=\"self\" href=\"{}\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n<author><name>{}</name></author>\n",
        xml_escape(title),
        crate::data::oruk::id(&format!("feed:{self_path}")),
        xml_escape(&format!("{base}{self_path}")),
        xml_escape(&format!("{base}{page_path}")),
        xml_escape(&site.config.title),
    );
    for (c, u) in entries {
        let body = u.body_html.as_deref().unwrap_or("");
        xml.push_str(&format!(
            "<entry>\n<title>{}</title>\n<id>urn:uuid:{}</id>\n<updated>{}</updated>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n<summary type=\"html\">{}</summary>\n</entry>\n",
            xml_escape(&format!("{}: {}", c.record.name, u.title)),
            crate::data::oruk::id(&format!("update:{}:{}:{}", c.slug, u.date.iso(), u.title)),
            atom_time(u.date),
            xml_escape(&format!("{base}{}#updates", routes::cluster(&c.slug))),
            xml_escape(body),
        ));
    }
    xml.push_str("</feed>\n");
    xml.into_bytes()
}

/// `/feed.xml` (every cluster's news) and `/clusters/<slug>/feed.xml`, newest first.
pub fn write_atom(site: &Site, out: &mut Output) {
    let all = site.all_updates();
    out.insert(
        "feed.xml".into(),
        atom_feed(
            site,
            &format!("{}: news", site.config.title),
            "/feed.xml",
            "/",
            &all,
        ),
    );
    // Group once (newest first within each cluster), rather than scanning every update
    // for every cluster.
    let mut by_cluster: std::collections::HashMap<
        &str,
        Vec<(&Cluster, &crate::site::UpdateEntry)>,
    > = std::collections::HashMap::new();
    for (c, u) in &all {
        by_cluster.entry(c.slug.as_str()).or_default().push((c, u));
    }
    for c in site.clusters.values() {
        let own = by_cluster.remove(c.slug.as_str()).unwrap_or_default();
        let path = format!("{}feed.xml", routes::cluster(&c.slug));
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

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_characters() {
        let mut out = String::new();
        let line = format!("SUMMARY:{}", "é".repeat(60));
        fold(&line, &mut out);
        for l in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{} octets", l.len());
        }
        let unfolded = out.replace("\r\n ", "");
        assert_eq!(unfolded.trim_end(), line);
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(ics_text("a, b; c\\d\ne"), "a\\, b\\; c\\\\d\\ne");
    }
}
