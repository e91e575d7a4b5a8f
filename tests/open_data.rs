//! Open data: JSON and CSV round-trips, Open Referral UK validation against the official
//! schemas, iCalendar parsed by an independent parser, sitemap, JSON-LD and charts.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;

fn json(path: &Path) -> Value {
    serde_json::from_slice(
        &std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
    )
    .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn built_fixture() -> (tempfile::TempDir, PathBuf) {
    let site = full_fixture();
    let public = build(site.path());
    (site, public)
}

#[test]
fn clusters_json_round_trips_to_the_records() {
    let (site, public) = built_fixture();
    let data = json(&public.join("data/clusters.json"));
    assert_eq!(data["format_version"], 1);
    let checked = common::check(site.path());
    let model = checked.site.unwrap();
    let clusters = data["clusters"].as_array().unwrap();
    assert_eq!(clusters.len(), model.clusters.len());
    for c in clusters {
        let slug = c["slug"].as_str().unwrap();
        let rec = &model.clusters[slug].record;
        assert_eq!(c["name"], rec.name.as_str());
        let schools: Vec<&str> = c["schools"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["name"].as_str().unwrap())
            .collect();
        let want: Vec<&str> = rec
            .schools
            .iter()
            .map(|s| s.name.get_ref().as_str())
            .collect();
        assert_eq!(schools, want);
        let services: Vec<&str> = c["offer"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["service"].as_str().unwrap())
            .collect();
        let want: Vec<&str> = rec.offer.iter().map(|o| o.service.as_str()).collect();
        assert_eq!(services, want);
    }
    let complete = clusters.iter().find(|c| c["slug"] == "complete").unwrap();
    assert_eq!(complete["help"]["phone"], "01632 960001");
    let closed = complete["offer"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["service"] == "Holiday parenting course")
        .unwrap();
    assert_eq!(closed["status"], "temporarily-closed");
    assert_eq!(closed["reopens"], "2026-04");
    assert_eq!(closed["alert"], "Closed for the winter.");
}

#[test]
fn csv_files_round_trip() {
    let (_site, public) = built_fixture();
    let mut r = csv::Reader::from_path(public.join("data/core-offer.csv")).unwrap();
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header, clusterdir::data::export::OFFER_COLUMNS);
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    let data = json(&public.join("data/clusters.json"));
    let total: usize = data["clusters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["offer"].as_array().unwrap().len())
        .sum();
    assert_eq!(rows.len(), total);
    let row = rows
        .iter()
        .find(|r| &r[3] == "Family support workers")
        .unwrap();
    assert_eq!(
        row.iter().collect::<Vec<_>>(),
        [
            "Complete <Example> & Sons",
            "complete",
            "Family support",
            "Family support workers",
            "Cluster team",
            "0-19",
            "Ask the school or call us",
            "yes",
            "1234.50",
            "active",
            "2025-06-30"
        ]
    );
    let closed = rows
        .iter()
        .find(|r| &r[3] == "Holiday parenting course")
        .unwrap();
    assert_eq!(&closed[9], "temporarily-closed");
    let bytes = std::fs::read(public.join("data/core-offer.csv")).unwrap();
    assert!(
        bytes.windows(2).any(|w| w == b"\r\n"),
        "RFC 4180 line endings"
    );

    let mut r = csv::Reader::from_path(public.join("data/schools.csv")).unwrap();
    let names: Vec<String> = r.records().map(|x| x.unwrap()[0].to_string()).collect();
    assert!(names.contains(&"St. Test's RC Primary".to_string()));
    assert!(names.contains(&"North Children's Centre".to_string()));
    assert_eq!(names.len(), 5 + 1 + 2);
}

/// The ORUK schemas live beside the project (../shared/oruk), never in it.
fn oruk_dir() -> PathBuf {
    let dir = std::env::var_os("CLUSTERDIR_ORUK_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("../shared/oruk"));
    assert!(
        dir.join("schema/compiled/service.json").is_file(),
        "\n\n*** The Open Referral UK schemas are not at {}. ***\nThis test validates the export against them and cannot pass without them.\nSee docs/open-data.md (\"Validating the export\") for where to get them, or set CLUSTERDIR_ORUK_DIR.\n\n",
        dir.display()
    );
    dir
}

fn validator(dir: &Path, schema: &str) -> jsonschema::Validator {
    let path = dir.join("schema").join(schema).canonicalize().unwrap();
    let schema = json(&path);
    jsonschema::options()
        .should_validate_formats(true)
        .with_base_uri(format!("file://{}", path.display()))
        .build(&schema)
        .unwrap_or_else(|e| panic!("schema {}: {e}", path.display()))
}

fn assert_valid(v: &jsonschema::Validator, doc: &Value, what: &str) {
    let errors: Vec<String> = v
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what} is not valid Open Referral UK:\n{}",
        errors.join("\n")
    );
}

#[test]
fn oruk_export_validates_against_the_official_schemas() {
    let dir = oruk_dir();
    let service = validator(&dir, "compiled/service.json");
    let organization = validator(&dir, "compiled/organization.json");
    let service_list = validator(&dir, "compiled/service_list.json");
    let phone = validator(&dir, "phone.json");
    for site in [full_fixture(), real_site()] {
        let public = build(site.path());
        let index = json(&public.join("oruk/services/index.json"));
        let contents = index["contents"].as_array().unwrap();
        assert_eq!(index["total_items"], contents.len());
        assert!(!contents.is_empty());
        let mut phones = 0;
        for item in contents {
            assert_valid(&service_list, item, "a service list item");
            let id = item["id"].as_str().unwrap();
            let full = json(&public.join(format!("oruk/services/{id}.json")));
            assert_valid(&service, &full, &format!("service {id}"));
            for c in full["contacts"].as_array().unwrap() {
                for p in c["phones"].as_array().unwrap() {
                    assert_valid(&phone, p, "a phone");
                    phones += 1;
                }
            }
            assert!(full["assured_date"].is_string());
            assert!(full["attributes"][0]["taxonomy_term"]["name"].is_string());
        }
        assert!(phones > 0);
        let orgs = json(&public.join("oruk/organizations/index.json"));
        for o in orgs["contents"].as_array().unwrap() {
            let id = o["id"].as_str().unwrap();
            assert_valid(
                &organization,
                &json(&public.join(format!("oruk/organizations/{id}.json"))),
                &format!("organization {id}"),
            );
        }
    }
}

#[test]
fn oruk_carries_status_alert_and_ages() {
    let (_site, public) = built_fixture();
    let index = json(&public.join("oruk/services/index.json"));
    let find = |name: &str| {
        index["contents"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"] == name)
            .unwrap()
            .clone()
    };
    let closed = find("Holiday parenting course");
    assert_eq!(closed["status"], "temporarily closed");
    assert_eq!(closed["alert"], "Closed for the winter.");
    assert_eq!(find("Old drop-in")["status"], "defunct");
    let fsw = find("Family support workers");
    assert_eq!(
        (fsw["minimum_age"].as_f64(), fsw["maximum_age"].as_f64()),
        (Some(0.0), Some(19.0))
    );
    assert_eq!(fsw["assured_date"], "2025-06-30");
    assert_eq!(
        fsw["url"],
        "https://clusters.example.org/clusters/complete/#offer-family-support"
    );
    // Ids are the same from one build to the next.
    let other = full_fixture();
    let again = json(&build(other.path()).join("oruk/services/index.json"));
    assert_eq!(index, again);
}

#[test]
fn meetings_calendar_parses_with_an_independent_parser() {
    use icalendar::{Calendar, CalendarComponent, Component};
    let (_site, public) = built_fixture();
    let text = std::fs::read_to_string(public.join("meetings.ics")).unwrap();
    assert!(
        text.lines().all(|l| l.len() <= 75),
        "lines are folded at 75 octets"
    );
    assert!(text.contains("\r\n"));
    let unfolded = icalendar::parser::unfold(&text);
    let cal: Calendar = icalendar::parser::read_calendar(&unfolded).unwrap().into();
    let events: Vec<_> = cal
        .components
        .iter()
        .filter_map(|c| {
            if let CalendarComponent::Event(e) = c {
                Some(e)
            } else {
                None
            }
        })
        .collect();
    assert_eq!(events.len(), 1, "one public meeting in the fixture");
    let e = events[0];
    assert!(e.get_uid().unwrap().ends_with("@clusterdir"));
    assert_eq!(
        e.get_summary(),
        Some("Complete <Example> & Sons cluster: Board meeting")
    );
    assert_eq!(e.property_value("LOCATION"), Some("Zebra Academy"));
    assert!(e.property_value("DTSTAMP").unwrap().ends_with('Z'));
    let start = e.properties().get("DTSTART").unwrap();
    assert_eq!(start.value(), "20250910T160000");
    assert_eq!(
        start.params().get("TZID").map(|p| p.value()),
        Some("Europe/London")
    );
    assert!(text.contains("BEGIN:VTIMEZONE\r\nTZID:Europe/London"));
    // Per-cluster calendars: complete has the meeting, minimal none.
    let own = std::fs::read_to_string(public.join("clusters/complete/meetings.ics")).unwrap();
    assert_eq!(own.matches("BEGIN:VEVENT").count(), 1);
    let none = std::fs::read_to_string(public.join("clusters/minimal/meetings.ics")).unwrap();
    assert_eq!(none.matches("BEGIN:VEVENT").count(), 0);
    let parsed: Calendar = icalendar::parser::read_calendar(&icalendar::parser::unfold(&none))
        .unwrap()
        .into();
    assert!(!parsed
        .components
        .iter()
        .any(|c| matches!(c, CalendarComponent::Event(_))));
}

#[test]
fn sitemap_lists_every_page_with_absolute_addresses() {
    let (_site, public) = built_fixture();
    let xml = std::fs::read_to_string(public.join("sitemap.xml")).unwrap();
    let doc = roxmltree::Document::parse(&xml).expect("sitemap.xml is well-formed XML");
    let locs: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    let pages = html_files(&public)
        .into_iter()
        .filter(|p| !p.ends_with("404.html"))
        .count();
    assert_eq!(locs.len(), pages);
    for loc in &locs {
        let path = loc
            .strip_prefix("https://clusters.example.org")
            .unwrap_or_else(|| panic!("{loc} is not absolute"));
        assert!(file_for_url(&public, path).is_some(), "{loc} has no page");
    }
    let lastmod = doc
        .descendants()
        .find(|n| {
            n.has_tag_name("loc")
                && n.text() == Some("https://clusters.example.org/clusters/complete/")
        })
        .unwrap();
    assert_eq!(
        lastmod.next_sibling_element().and_then(|n| n.text()),
        Some("2025-06-30")
    );
    let robots = std::fs::read_to_string(public.join("robots.txt")).unwrap();
    assert!(robots.contains("Sitemap: https://clusters.example.org/sitemap.xml"));
}

#[test]
fn without_a_base_url_there_is_no_sitemap_but_robots_txt_is_written() {
    let site = real_site();
    let public = build(site.path());
    assert!(!public.join("sitemap.xml").exists());
    assert!(!std::fs::read_to_string(public.join("robots.txt"))
        .unwrap()
        .contains("Sitemap"));
}

#[test]
fn json_ld_parses_and_carries_the_pages_phone_numbers() {
    for site in [full_fixture(), real_site()] {
        let public = build(site.path());
        for path in html_files(&public).into_iter().filter(|p| {
            p.to_string_lossy().contains("/clusters/")
                && p.parent().unwrap().file_name().unwrap() != "clusters"
                && !p.to_string_lossy().contains("/offer/")
        }) {
            let doc = read_html(&path);
            let block = doc
                .select(&sel("script[type='application/ld+json']"))
                .next()
                .unwrap_or_else(|| panic!("{}: no JSON-LD", path.display()));
            let ld: Value = serde_json::from_str(&block.text().collect::<String>()).unwrap();
            assert_eq!(ld["@type"], "GovernmentService");
            let ld_phones: std::collections::BTreeSet<String> = ld["provider"]["contactPoint"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["telephone"].as_str().unwrap().to_string())
                .collect();
            let page_phones: std::collections::BTreeSet<String> = doc
                .select(&sel("main a[href^='tel:']"))
                .map(|a| {
                    a.value()
                        .attr("href")
                        .unwrap()
                        .trim_start_matches("tel:")
                        .to_string()
                })
                .collect();
            assert_eq!(ld_phones, page_phones, "{}", path.display());
        }
    }
    let site = full_fixture();
    let public = build(site.path());
    let doc = read_html(&public.join("guides/working-2024/index.html"));
    let ld: Value = serde_json::from_str(
        &doc.select(&sel("script[type='application/ld+json']"))
            .next()
            .unwrap()
            .text()
            .collect::<String>(),
    )
    .unwrap();
    assert_eq!(
        (ld["@type"].as_str(), ld["datePublished"].as_str()),
        (Some("Article"), Some("2024-02"))
    );
}

#[test]
fn spending_chart_is_well_formed_and_matches_its_table() {
    let site = real_site();
    let public = build(site.path());
    let html = std::fs::read_to_string(public.join("clusters/arm/index.html")).unwrap();
    let start = html.find("<svg").unwrap();
    let end = html[start..].find("</svg>").unwrap() + start + 6;
    let svg = roxmltree::Document::parse(&html[start..end]).expect("the chart is well-formed SVG");
    let title = svg
        .descendants()
        .find(|n| n.has_tag_name("title"))
        .and_then(|n| n.text())
        .unwrap();
    assert_eq!(title, "Main spending, 2015/16");
    let desc = svg
        .descendants()
        .find(|n| n.has_tag_name("desc"))
        .and_then(|n| n.text())
        .unwrap()
        .to_string();
    let bars = svg.descendants().filter(|n| n.has_tag_name("rect")).count();
    let doc = read_html(&public.join("clusters/arm/index.html"));
    let table = doc
        .select(&sel("#funding ~ table caption"))
        .find(|c| c.text().collect::<String>().starts_with("Main spending"))
        .unwrap();
    let rows: Vec<(String, String)> = table
        .parent()
        .and_then(scraper::ElementRef::wrap)
        .unwrap()
        .select(&sel("tbody tr"))
        .map(|r| (texts_of(&r, "th"), texts_of(&r, "td")))
        .collect();
    assert_eq!(rows.len(), bars);
    for (name, amount) in &rows {
        assert!(
            desc.contains(&format!("{name}: {amount}")),
            "{name}: {amount} not in the chart's description: {desc}"
        );
    }
}

fn texts_of(el: &scraper::ElementRef, s: &str) -> String {
    el.select(&sel(s))
        .map(|e| e.text().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn the_oruk_validation_rejects_a_broken_service() {
    let dir = oruk_dir();
    let service = validator(&dir, "compiled/service.json");
    let (_site, public) = built_fixture();
    let index = json(&public.join("oruk/services/index.json"));
    let id = index["contents"][0]["id"].as_str().unwrap();
    let mut full = json(&public.join(format!("oruk/services/{id}.json")));
    assert!(service.is_valid(&full));
    full["status"] = Value::from("open");
    assert!(
        !service.is_valid(&full),
        "an unknown status must be refused"
    );
    full["status"] = Value::from("active");
    full["id"] = Value::from("not-a-uuid");
    assert!(!service.is_valid(&full), "a malformed id must be refused");
}
