//! Trust and safety for families: out-of-date notices at the right boundary, closures
//! shown (not dropped) and kept out of self-referral, contact details, the same help
//! block on every page, and the quick exit where it is needed.

mod common;

use chrono::NaiveDate;
use common::*;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn has_stale_notice(public: &std::path::Path, slug: &str) -> bool {
    let doc = read_html(&public.join(format!("clusters/{slug}/index.html")));
    doc.select(&sel(".notice-stale")).next().is_some()
}

#[test]
fn stale_notice_appears_the_day_after_the_limit() {
    // complete.toml was reviewed on 2025-06-30; the limit is 6 months (the default).
    let site = full_fixture();
    let public = build_on(site.path(), day("2025-12-30"));
    assert!(
        !has_stale_notice(&public, "complete"),
        "not yet stale on the last day"
    );
    let public = build_on(site.path(), day("2025-12-31"));
    assert!(has_stale_notice(&public, "complete"), "stale the day after");
    let doc = read_html(&public.join("clusters/complete/index.html"));
    let text = texts(&doc, ".notice-stale").join(" ");
    assert!(
        text.contains("This information may be out of date"),
        "{text}"
    );
    assert!(
        text.contains("last checked on 30 June 2025, more than 6 months ago"),
        "{text}"
    );
    assert!(
        text.contains("ask the Test Help Desk: call 01632 960000"),
        "{text}"
    );
    assert!(doc
        .select(&sel(".notice-stale a[href='tel:+441632960000']"))
        .next()
        .is_some());
}

#[test]
fn the_notice_says_how_old_a_record_is_in_years_once_it_is_years_old() {
    let site = full_fixture();
    for (today, words) in [
        ("2026-07-01", "more than a year ago"),
        ("2036-07-01", "more than 11 years ago"),
    ] {
        let public = build_on(site.path(), day(today));
        let doc = read_html(&public.join("clusters/complete/index.html"));
        let text = texts(&doc, ".notice-stale").join(" ");
        assert!(
            text.contains(&format!("30 June 2025, {words}")),
            "{today}: {text}"
        );
        assert!(!text.contains("months ago"), "{today}: {text}");
    }
}

#[test]
fn stale_limit_comes_from_site_toml() {
    let site = full_fixture();
    let cfg = site.path().join("content/site.toml");
    let text = std::fs::read_to_string(&cfg).unwrap();
    std::fs::write(
        &cfg,
        text.replacen(
            "city = \"Testville\"",
            "city = \"Testville\"\nstale_after_months = 12",
            1,
        ),
    )
    .unwrap();
    let public = build_on(site.path(), day("2026-06-30"));
    assert!(!has_stale_notice(&public, "complete"));
    let public = build_on(site.path(), day("2026-07-01"));
    assert!(has_stale_notice(&public, "complete"));
}

#[test]
fn month_only_review_dates_count_to_the_end_of_the_month() {
    // minimal.toml says "2014-07": fresh until 2015-01-31 with a 6-month limit.
    let site = full_fixture();
    assert!(!has_stale_notice(
        &build_on(site.path(), day("2015-01-31")),
        "minimal"
    ));
    assert!(has_stale_notice(
        &build_on(site.path(), day("2015-02-01")),
        "minimal"
    ));
}

#[test]
fn every_offer_item_says_when_it_was_last_checked() {
    let site = full_fixture();
    let public = build(site.path());
    let doc = read_html(&public.join("clusters/complete/index.html"));
    let items = doc.select(&sel(".offer-item")).count();
    let checked: Vec<String> = texts(&doc, ".offer-item dt + dd time");
    let last_checked = doc
        .select(&sel(".offer-item dl div"))
        .filter(|d| d.text().collect::<String>().starts_with("Last checked"))
        .map(|d| d.text().collect::<String>())
        .collect::<Vec<_>>();
    assert_eq!(last_checked.len(), items, "{checked:?}");
    // An item with its own older date is marked; the rest use the record's date.
    assert!(
        last_checked
            .iter()
            .any(|t| t == "Last checked10 January 2024 (may be out of date)"),
        "{last_checked:?}"
    );
    assert!(
        last_checked.iter().any(|t| t == "Last checked30 June 2025"),
        "{last_checked:?}"
    );
}

#[test]
fn closed_and_ended_items_are_shown_marked_and_not_offered_for_self_referral() {
    let site = full_fixture();
    let public = build(site.path());
    let doc = read_html(&public.join("clusters/complete/index.html"));
    let page = texts(&doc, ".offer-item").join("\n");
    assert!(
        page.contains("Holiday parenting course Temporarily closed"),
        "{page}"
    );
    assert!(
        page.contains("This service is temporarily closed and reopens in April 2026."),
        "{page}"
    );
    assert!(page.contains("Closed for the winter."), "{page}");
    assert!(page.contains("Old drop-in Ended"), "{page}");
    assert!(page.contains("This service has ended."), "{page}");
    let offer = read_html(&public.join("core-offer/index.html"));
    let self_items: Vec<String> = texts(&offer, "table.matrix li[data-self]");
    assert_eq!(
        self_items,
        ["Family support workers", "Safe families worker"]
    );
    let closed: Vec<String> = texts(&offer, "table.matrix li:not([data-self])");
    assert!(
        closed.contains(&"Holiday parenting course (temporarily closed)".to_string()),
        "{closed:?}"
    );
}

#[test]
fn a_closed_cluster_gets_a_banner_with_the_city_contact() {
    let site = full_fixture();
    let rec = site.path().join("content/clusters/minimal.toml");
    std::fs::write(
        &rec,
        "name = \"Minimal\"\nlast_reviewed = \"2025-06\"\nstatus = \"temporarily-closed\"\nreopens = 2025-09-01\nalert = \"The office is being rebuilt.\"\n",
    )
    .unwrap();
    let public = build(site.path());
    let doc = read_html(&public.join("clusters/minimal/index.html"));
    let banner = texts(&doc, ".notice-closed").join(" ");
    assert!(
        banner.starts_with("This cluster is temporarily closed"),
        "{banner}"
    );
    assert!(
        banner.contains("It reopens in 1 September 2025."),
        "{banner}"
    );
    assert!(banner.contains("The office is being rebuilt."), "{banner}");
    assert!(banner.contains("01632 960000"), "{banner}");
}

#[test]
fn reopens_without_a_closed_status_is_an_error() {
    let site = full_fixture();
    let rec = site.path().join("content/clusters/minimal.toml");
    std::fs::write(
        &rec,
        "name = \"Minimal\"\nlast_reviewed = \"2025-06\"\nreopens = 2025-09-01\n",
    )
    .unwrap();
    let checked = common::check(site.path());
    let lines = checked.diagnostics.short_lines(&checked.sources);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].starts_with(
            "content/clusters/minimal.toml:3:11: error: `reopens` is set, but `status` is not"
        ),
        "{}",
        lines[0]
    );
}

#[test]
fn contact_details_the_way_people_need_them() {
    let site = full_fixture();
    let public = build(site.path());
    let doc = read_html(&public.join("clusters/complete/index.html"));
    let help = texts(&doc, "section.get-help").join(" ");
    for want in [
        "Monday to Friday: 9am to 5pm",
        "Saturday: 10am to 12:30pm",
        "Closed on bank holidays",
        "Late opening on Thursdays in term time.",
        "Cost of a call: Calls cost the same as a call to a local number.",
        "We reply within two working days.",
        "01632 960001",
    ] {
        assert!(help.contains(want), "missing {want:?} in {help}");
    }
}

#[test]
fn premium_numbers_without_a_call_cost_are_warned_about() {
    let site = full_fixture();
    let rec = site.path().join("content/clusters/minimal.toml");
    std::fs::write(
        &rec,
        "name = \"Minimal\"\nlast_reviewed = \"2025-06\"\n\n[help]\nphone = \"0845 600 0000\"\n",
    )
    .unwrap();
    let checked = common::check(site.path());
    assert!(checked.ok(), "a warning does not stop the build");
    let lines = checked.diagnostics.short_lines(&checked.sources);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].contains("warning: 0845 600 0000 is not charged at a local rate"),
        "{}",
        lines[0]
    );
}

#[test]
fn the_help_block_is_identical_and_in_the_same_place_on_every_page() {
    for site in [full_fixture(), real_site()] {
        let public = build(site.path());
        let mut blocks = std::collections::BTreeMap::new();
        for path in html_files(&public) {
            let doc = read_html(&path);
            let footer = doc
                .select(&sel("body > footer.site-footer"))
                .next()
                .unwrap_or_else(|| panic!("{}: no footer", path.display()));
            let help: Vec<_> = footer
                .select(&sel("section.help-now"))
                .map(|h| h.html())
                .collect();
            assert_eq!(
                help.len(),
                1,
                "{}: one help block in the footer",
                path.display()
            );
            // The footer is the last landmark of the body.
            let last = doc
                .select(&sel("body > *"))
                .rfind(|e| e.value().name() != "script")
                .unwrap();
            assert_eq!(last.value().name(), "footer", "{}", path.display());
            blocks
                .entry(help[0].clone())
                .or_insert_with(Vec::new)
                .push(path);
        }
        assert_eq!(
            blocks.len(),
            1,
            "the help block differs between pages: {:?}",
            blocks.values().map(|v| v.len()).collect::<Vec<_>>()
        );
        assert!(blocks.keys().next().unwrap().contains("Need help now?"));
    }
}

#[test]
fn quick_exit_is_on_sensitive_pages_only() {
    let site = full_fixture();
    let public = build(site.path());
    let with: Vec<String> = html_files(&public)
        .into_iter()
        .filter(|p| {
            read_html(p)
                .select(&sel("a.quick-exit-link[data-quick-exit]"))
                .next()
                .is_some()
        })
        .map(|p| p.strip_prefix(&public).unwrap().display().to_string())
        .collect();
    // complete lists a service in a sensitive category (its printable view too); the
    // governance page asks for it in its front matter.
    assert_eq!(
        with,
        [
            "clusters/complete/index.html",
            "clusters/complete/offer/index.html",
            "governance/index.html"
        ]
    );
    let doc = read_html(&public.join("clusters/complete/index.html"));
    let link = doc.select(&sel("a.quick-exit-link")).next().unwrap();
    assert_eq!(
        link.value().attr("href"),
        Some("https://www.bbc.co.uk/weather")
    );
    assert!(doc
        .select(&sel("script[src='/static/quick-exit.mjs']"))
        .next()
        .is_some());
    // It comes straight after the skip link, before the header, and holds a skip link
    // of its own for keyboard users.
    let order: Vec<String> = doc
        .select(&sel("body > *"))
        .map(|e| e.value().attr("class").unwrap_or("").to_string())
        .take(3)
        .collect();
    assert_eq!(order, ["skip-link", "quick-exit", "site-header"]);
    assert!(doc
        .select(&sel("aside.quick-exit > a.quick-exit-skip"))
        .next()
        .is_some());
}

#[test]
fn real_site_carries_quick_exit_where_domestic_abuse_is_discussed() {
    let site = real_site();
    let public = build(site.path());
    for (page, want) in [
        ("getting-help/index.html", true),
        ("clusters/inner-east/index.html", true),
        ("clusters/arm/index.html", false),
        ("index.html", false),
    ] {
        let has = read_html(&public.join(page))
            .select(&sel("a.quick-exit-link"))
            .next()
            .is_some();
        assert_eq!(has, want, "{page}");
    }
}

#[test]
fn every_cluster_has_a_printable_offer_page() {
    let site = real_site();
    let public = build(site.path());
    let doc = read_html(&public.join("clusters/arm/offer/index.html"));
    let rows = doc.select(&sel("table.offer-sheet tbody tr")).count();
    assert_eq!(rows, 14);
    assert!(texts(&doc, "h2").contains(&"How to get help".to_string()));
    let cluster = read_html(&public.join("clusters/arm/index.html"));
    assert!(cluster
        .select(&sel("a[href='/clusters/arm/offer/']"))
        .next()
        .is_some());
}
