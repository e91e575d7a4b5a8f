//! Build fixture sites and the real site, and check the HTML by parsing it.

mod common;

use common::*;
use std::path::Path;

/// Every page kind the generator promises.
const EXPECTED_PAGES: &[&str] = &[
    "index.html",
    "404.html",
    "clusters/index.html",
    "clusters/complete/index.html",
    "clusters/minimal/index.html",
    "core-offer/index.html",
    "schools/index.html",
    "guides/index.html",
    "guides/working-2024/index.html",
    "guides/working-2020/index.html",
    "governance/index.html",
    "accessibility/index.html",
    "static/style.css",
    "static/syntax.css",
    "robots.txt",
];

#[test]
fn fixture_site_has_every_page() {
    let site = full_fixture();
    let public = build(site.path());
    for page in EXPECTED_PAGES {
        assert!(public.join(page).is_file(), "missing {page}");
    }
}

/// One h1 a page, headings never skip a level going down, landmarks and skip link.
fn check_page_structure(public: &Path) -> usize {
    let pages = html_files(public);
    for path in &pages {
        let doc = read_html(path);
        let name = path.strip_prefix(public).unwrap().display().to_string();
        assert_eq!(
            doc.select(&sel("h1")).count(),
            1,
            "{name}: expected exactly one h1"
        );
        assert_eq!(
            doc.select(&sel("main#main")).count(),
            1,
            "{name}: one main landmark"
        );
        assert_eq!(doc.select(&sel("header")).count(), 1, "{name}: header");
        assert_eq!(doc.select(&sel("footer")).count(), 1, "{name}: footer");
        let skip = doc.select(&sel("body > a")).next().expect("first link");
        assert_eq!(
            skip.value().attr("href"),
            Some("#main"),
            "{name}: skip link first"
        );
        assert!(
            doc.select(&sel("html[lang]")).next().is_some(),
            "{name}: lang"
        );
        let mut last = 0;
        for h in doc.select(&sel("h1, h2, h3, h4, h5, h6")) {
            let level: u32 = h.value().name()[1..].parse().unwrap();
            assert!(
                level <= last + 1,
                "{name}: heading {} skips from h{last}",
                h.html()
            );
            last = level;
        }
        // No inline styles or scripts anywhere.
        assert!(
            doc.select(&sel(
                "[style], style, script:not([src]):not([type='application/ld+json']), [onclick], [onload]"
            ))
            .next()
            .is_none(),
            "{name}: inline style or script"
        );
    }
    pages.len()
}

/// Every root-relative link and every in-page anchor resolves.
fn check_links(public: &Path) {
    for path in html_files(public) {
        let doc = read_html(&path);
        let name = path.strip_prefix(public).unwrap().display().to_string();
        for a in doc.select(&sel("a[href], link[href]")) {
            let href = a.value().attr("href").unwrap();
            let target_doc;
            let target = if let Some(frag) = href.strip_prefix('#') {
                Some((&doc, frag.to_string()))
            } else if !href.contains(':') {
                let resolved = resolve_relative(&name, href);
                let href = resolved.as_str();
                let file = file_for_url(public, href)
                    .unwrap_or_else(|| panic!("{name}: link to {href} has no file"));
                match href.split_once('#') {
                    Some((_, frag)) => {
                        target_doc = read_html(&file);
                        Some((&target_doc, frag.to_string()))
                    }
                    None => None,
                }
            } else {
                assert!(
                    href.starts_with("https://")
                        || href.starts_with("tel:+44")
                        || href.starts_with("mailto:"),
                    "{name}: unexpected link {href}"
                );
                None
            };
            if let Some((d, frag)) = target {
                let found = d.select(&sel(&format!("[id=\"{frag}\"]"))).next().is_some();
                assert!(found, "{name}: link {href} points at a missing id");
            }
        }
    }
}

/// Resolve a relative link against the page's own folder (pages are `<dir>/index.html`).
fn resolve_relative(page: &str, href: &str) -> String {
    if href.starts_with('/') {
        return href.to_string();
    }
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for seg in href.split('/') {
        match seg {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    let trailing = if href.ends_with('/') { "/" } else { "" };
    format!("/{}{trailing}", parts.join("/"))
}

#[test]
fn fixture_pages_have_one_h1_ordered_headings_and_links_that_resolve() {
    let site = full_fixture();
    let public = build(site.path());
    assert!(check_page_structure(&public) >= 12);
    check_links(&public);
}

#[test]
fn real_site_pages_are_well_formed_and_links_resolve() {
    let site = real_site();
    let public = build(site.path());
    let pages = check_page_structure(&public);
    assert!(pages >= 20, "only {pages} pages");
    check_links(&public);
}

#[test]
fn schools_a_to_z_lists_every_school_and_centre() {
    for site in [full_fixture(), real_site()] {
        let public = build(site.path());
        // Read the records independently of the generator's own model.
        let mut expected = Vec::new();
        for e in std::fs::read_dir(site.path().join("content/clusters")).unwrap() {
            let v: toml::Value =
                toml::from_str(&std::fs::read_to_string(e.unwrap().path()).unwrap()).unwrap();
            for key in ["schools", "children_centres"] {
                for s in v.get(key).and_then(|s| s.as_array()).into_iter().flatten() {
                    expected.push(s["name"].as_str().unwrap().to_string());
                }
            }
        }
        let doc = read_html(&public.join("schools/index.html"));
        let listed = texts(&doc, ".schools .school-name");
        expected.sort();
        let mut sorted = listed.clone();
        sorted.sort();
        assert_eq!(sorted, expected);
        // Listed A to Z, case-insensitively; names not starting with a letter A to Z come last.
        let key = |s: &String| {
            let starts_with_letter = s.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
            (!starts_with_letter, s.to_lowercase())
        };
        let mut want = listed.clone();
        want.sort_by_key(key);
        assert_eq!(listed, want);
    }
}

#[test]
fn real_site_lists_every_arm_school_from_the_profile() {
    let site = real_site();
    let public = build(site.path());
    let doc = read_html(&public.join("schools/index.html"));
    let listed = texts(&doc, ".schools li").join("\n");
    // The profile's names (seed 003), in the spelling families might use.
    for school in [
        "Allerton CE",
        "Highfield",
        "Alwoodley",
        "St Paul's RC",
        "St Urban's RC",
        "Brodetsky",
        "Wigton Moor",
        "Khalsa Academy",
        "Moor Allerton Hall",
        "Moortown",
        "Talbot",
        "Kerr Mackie",
        "Gledhow",
        "Roundhay St John's CE",
        "Immaculate Heart RC",
        "Allerton Grange",
        "Roundhay Through School",
        "Allerton High",
        "Cardinal Heenan RC",
        "Leeds Jewish Free School",
    ] {
        let line = listed
            .lines()
            .find(|l| l.starts_with(school))
            .unwrap_or_else(|| panic!("{school} not listed"));
        assert!(
            line.contains("Alwoodley, Roundhay and Moortown cluster"),
            "{line}"
        );
    }
}

#[test]
fn core_offer_table_has_a_row_per_cluster_that_lists_a_service_and_a_column_per_category() {
    let site = full_fixture();
    let public = build(site.path());
    let doc = read_html(&public.join("core-offer/index.html"));
    let rows = texts(&doc, "table.matrix tbody tr th[scope=row]");
    assert_eq!(rows.len(), 2, "{rows:?}");
    // A cluster that lists nothing is named in one sentence, not a row of empty cells.
    assert!(!rows.contains(&"Minimal".to_string()));
    let unlisted = texts(&doc, "#unlisted");
    assert!(
        unlisted[0].starts_with("This cluster has not published its offer here yet: Minimal."),
        "{unlisted:?}"
    );
    assert_eq!(texts(&doc, "#unlisted a")[0], "Minimal");
    let cols = texts(&doc, "table.matrix thead th[scope=col]");
    assert_eq!(
        cols,
        [
            "Cluster",
            "Family support",
            "Counselling",
            "Domestic abuse support",
            "A category nobody offers"
        ]
    );
    assert!(doc.select(&sel("table.matrix caption")).next().is_some());
    let complete_row = doc
        .select(&sel("table.matrix tbody tr"))
        .find(|r| r.text().collect::<String>().contains("Complete"))
        .unwrap();
    // Each cell names its kind of help (shown on narrow screens), then its services.
    let cells: Vec<String> = complete_row
        .select(&sel("td"))
        .map(|c| {
            let label = c.select(&sel(".cell-label")).next().unwrap();
            let all = c.text().collect::<String>();
            let label = label.text().collect::<String>();
            all.strip_prefix(&label).unwrap().to_string()
        })
        .collect();
    assert_eq!(
        cells[0],
        "Family support workersHoliday parenting course (temporarily closed)Old drop-in (ended)"
    );
    assert_eq!(cells[1], "Counselling for pupils");
    assert_eq!(cells[2], "Safe families worker");
    assert_eq!(cells[3], "None listed");
}

#[test]
fn a_cluster_leader_with_a_phone_is_the_way_to_help_when_the_record_has_no_help_line() {
    let site = full_fixture();
    let record = site.path().join("content/clusters/minimal.toml");
    let text = std::fs::read_to_string(&record).unwrap();
    assert!(
        !text.contains("[help]") && !text.contains("[[contacts]]"),
        "{text}"
    );
    let leader = "\n[[contacts]]\nrole = \"cluster-leader\"\nname = \"Sam Example\"\nphone = \"0113 496 0123\"\n";
    let public = build(site.path());
    let before = read_html(&public.join("clusters/minimal/index.html"));
    assert!(texts(&before, "main .help-first")
        .join(" ")
        .contains("They can put you in touch with this cluster"));
    std::fs::write(&record, format!("{text}{leader}")).unwrap();
    let public = build(site.path());
    let doc = read_html(&public.join("clusters/minimal/index.html"));
    let first = texts(&doc, "main .help-first").join(" ");
    assert!(
        first.contains("call Sam Example, cluster leader, on 0113 496 0123"),
        "{first}"
    );
    let help = texts(&doc, "section.get-help").join(" ");
    assert!(help.contains("Sam Example, cluster leader"), "{help}");
    assert!(!help.contains("not published here"), "{help}");
}

#[test]
fn cluster_page_has_help_first_with_dialling_links() {
    let site = full_fixture();
    let public = build(site.path());
    let doc = read_html(&public.join("clusters/complete/index.html"));
    let h2s = texts(&doc, "main h2");
    assert_eq!(h2s[0], "How to get help");
    let help = doc.select(&sel("section.get-help")).next().unwrap();
    let tel: Vec<_> = help
        .select(&sel("a[href^='tel:']"))
        .map(|a| {
            (
                a.value().attr("href").unwrap().to_string(),
                a.text().collect::<String>(),
            )
        })
        .collect();
    assert_eq!(
        tel,
        [("tel:+441632960001".to_string(), "01632 960001".to_string())]
    );
    // The city-wide contact is not needed when the cluster has its own.
    assert!(!help.html().contains("Test Help Desk"));
    // The same number is the first link in the page's main content, above the fold.
    let first = doc.select(&sel("main a[href^='tel:']")).next().unwrap();
    assert_eq!(first.value().attr("href"), Some("tel:+441632960001"));
    let box_text = texts(&doc, "main .help-first").join(" ");
    assert!(
        box_text.contains("To ask this cluster for help, call 01632 960001"),
        "{box_text}"
    );
    // Text from content is escaped, never markup.
    assert!(
        std::fs::read_to_string(public.join("clusters/complete/index.html"))
            .unwrap()
            .contains("Complete &lt;Example&gt; &amp; Sons")
    );
}

#[test]
fn cluster_without_contact_details_falls_back_to_city_wide_contact() {
    let site = full_fixture();
    let public = build(site.path());
    let doc = read_html(&public.join("clusters/minimal/index.html"));
    let help = doc.select(&sel("section.get-help")).next().unwrap();
    let text = help.text().collect::<String>();
    assert!(text.contains("Test Help Desk"), "{text}");
    let tel: Vec<_> = help
        .select(&sel("a[href^='tel:']"))
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(tel, ["tel:+441632960000"]);
}

#[test]
fn real_clusters_without_help_details_show_the_city_wide_number() {
    let site = real_site();
    let public = build(site.path());
    for slug in ["temple-newsam", "brigshaw", "morley"] {
        let doc = read_html(&public.join(format!("clusters/{slug}/index.html")));
        let help = doc.select(&sel("section.get-help")).next().unwrap();
        let tel: Vec<_> = help
            .select(&sel("a[href^='tel:']"))
            .map(|a| a.value().attr("href").unwrap().to_string())
            .collect();
        assert_eq!(tel, ["tel:+441133785254"], "{slug}");
    }
}

#[test]
fn replaced_guide_editions_are_marked_and_linked_both_ways() {
    let site = full_fixture();
    let public = build(site.path());
    let old = read_html(&public.join("guides/working-2020/index.html"));
    let notice = texts(&old, ".notice").join(" ");
    assert!(
        notice.contains("This edition has been replaced"),
        "{notice}"
    );
    assert!(old
        .select(&sel(".notice a[href='/guides/working-2024/']"))
        .next()
        .is_some());
    let new = read_html(&public.join("guides/working-2024/index.html"));
    assert!(new.select(&sel(".notice")).next().is_none());
    assert!(new
        .select(&sel("#editions + ul a[href='/guides/working-2020/']"))
        .next()
        .is_some());
    let index = read_html(&public.join("guides/index.html"));
    let current: Vec<_> = index
        .select(&sel(".cards a"))
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(current, ["/guides/working-2024/"]);
    let earlier = texts(&index, "#earlier + p + ul li").join(" ");
    assert!(earlier.contains("replaced by"), "{earlier}");
}

#[test]
fn markdown_tables_code_and_footnotes_render_with_classes_only() {
    let site = full_fixture();
    let public = build(site.path());
    let html = std::fs::read_to_string(public.join("guides/working-2024/index.html")).unwrap();
    let doc = scraper::Html::parse_document(&html);
    assert_eq!(doc.select(&sel(".prose table tr")).count(), 3);
    assert!(doc
        .select(&sel("pre code.language-json span[class^='hl-']"))
        .next()
        .is_some());
    assert!(!html.contains("style="));
    assert!(doc.select(&sel(".prose h3#a-sub-section")).next().is_some());
    let css = std::fs::read_to_string(public.join("static/syntax.css")).unwrap();
    assert!(css.contains(".hl-"));
}

#[test]
fn build_is_deterministic() {
    let site = full_fixture();
    let a = site.path().join("out-a");
    let b = site.path().join("out-b");
    clusterdir::build::build(site.path(), &a)
        .map_err(|c| c.report(false))
        .unwrap();
    clusterdir::build::build(site.path(), &b)
        .map_err(|c| c.report(false))
        .unwrap();
    let (sa, sb) = (snapshot(&a), snapshot(&b));
    assert!(sa.len() > 10);
    assert_eq!(sa.keys().collect::<Vec<_>>(), sb.keys().collect::<Vec<_>>());
    for (k, v) in &sa {
        assert!(v == &sb[k], "{k} differs between two builds");
    }
}

/// Slips a reader notices at once: "a informal partnership", "1 services", "checked in
/// 24 July 2014".
fn grammar_slips(public: &Path) -> Vec<String> {
    const NOUNS: &[&str] = &[
        "services", "schools", "clusters", "guides", "pages", "records", "items", "centres",
        "meetings", "updates", "contacts",
    ];
    let mut slips = Vec::new();
    for page in html_files(public) {
        let doc = read_html(&page);
        let text: String = doc.root_element().text().collect::<Vec<_>>().join(" ");
        let words: Vec<&str> = text.split_whitespace().collect();
        for pair in words.windows(2) {
            let (a, b) = (pair[0], pair[1].to_lowercase());
            let vowel = b.starts_with(['a', 'e', 'i', 'o']) && !b.starts_with("one");
            let plural = NOUNS
                .iter()
                .any(|n| b.trim_end_matches([',', '.', ')', ':']) == *n);
            if (a == "a" && vowel) || (a == "1" && plural) {
                slips.push(format!("{}: {a} {b}", page.display()));
            }
        }
        for three in words.windows(3) {
            let day = three[1].chars().all(|c| c.is_ascii_digit());
            if three[0] == "in" && day && clusterdir::content::model::MONTHS.contains(&three[2]) {
                slips.push(format!("{}: {}", page.display(), three.join(" ")));
            }
        }
    }
    slips
}

#[test]
fn no_page_says_a_informal_or_1_services() {
    for site in [real_site(), full_fixture()] {
        let public = build(site.path());
        let slips = grammar_slips(&public);
        assert!(slips.is_empty(), "{slips:#?}");
    }
    // The check finds what it looks for.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("x.html"),
        "<p>Run as a informal group; 1 services listed.</p>",
    )
    .unwrap();
    assert_eq!(grammar_slips(dir.path()).len(), 2);
}

#[test]
fn the_core_offer_explains_its_empty_cells_in_the_words_they_use() {
    let site = full_fixture();
    let public = build(site.path());
    let doc = read_html(&public.join("core-offer/index.html"));
    let lead = texts(&doc, "main p.lead").join(" ");
    let empty = texts(&doc, "table.matrix td .none");
    assert!(!empty.is_empty(), "the fixture has an empty cell");
    assert!(lead.contains(&format!("\"{}\" means", empty[0])), "{lead}");
}

/// The mail links of a page's "Report a problem": (recipient, subject, body) of each.
fn report_links(page: &Path) -> Vec<(String, String, String)> {
    let doc = read_html(page);
    doc.select(&sel("main > details#report a[href^='mailto:']"))
        .map(|a| {
            let href = a.value().attr("href").unwrap();
            let (to, query) = href["mailto:".len()..].split_once('?').unwrap();
            let mut parts = query.split('&').map(|p| {
                let (_, v) = p.split_once('=').unwrap();
                percent_encoding::percent_decode_str(v)
                    .decode_utf8()
                    .unwrap()
                    .to_string()
            });
            (to.to_string(), parts.next().unwrap(), parts.next().unwrap())
        })
        .collect()
}

#[test]
fn every_page_reports_a_problem_to_the_records_keeper_with_its_address_and_file() {
    let site = full_fixture();
    let root = site.path();
    // A cluster's own address wins on its pages; the site's on every other page; the
    // city-wide email when neither is set; words and a phone number when there is no email.
    let cluster = root.join("content/clusters/complete.toml");
    let text = std::fs::read_to_string(&cluster).unwrap();
    let text = text.replacen(
        "sources = [",
        "report_email = \"records@example.org\"\nsources = [",
        1,
    );
    std::fs::write(&cluster, text).unwrap();
    let config = root.join("content/site.toml");
    let original = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        original.replacen(
            "[contact]",
            "report_email = \"site-records@example.org\"\n\n[contact]",
            1,
        ),
    )
    .unwrap();
    let public = build(root);
    let cases = [
        (
            "clusters/complete/index.html",
            "records@example.org",
            Some("content/clusters/complete.toml"),
        ),
        (
            "clusters/complete/offer/index.html",
            "records@example.org",
            Some("content/clusters/complete.toml"),
        ),
        (
            "clusters/minimal/index.html",
            "site-records@example.org",
            Some("content/clusters/minimal.toml"),
        ),
        (
            "guides/working-2024/index.html",
            "site-records@example.org",
            Some("content/guides/working-2024.md"),
        ),
        (
            "governance/index.html",
            "site-records@example.org",
            Some("content/pages/governance.md"),
        ),
        ("index.html", "site-records@example.org", None),
        ("core-offer/index.html", "site-records@example.org", None),
    ];
    for (page, to, record) in cases {
        let links = report_links(&public.join(page));
        assert_eq!(links.len(), 4, "{page}: {links:?}");
        let address = format!(
            "https://clusters.example.org/{}",
            page.trim_end_matches("index.html")
        );
        for (recipient, subject, body) in &links {
            assert_eq!(recipient, to, "{page}");
            assert!(subject.starts_with("Problem with \""), "{page}: {subject}");
            assert!(
                body.starts_with(&format!("Page: {address}\r\n")),
                "{page}: {body}"
            );
            match record {
                Some(file) => assert!(
                    body.contains(&format!("Record: {file}\r\n")),
                    "{page}: {body}"
                ),
                None => assert!(!body.contains("Record:"), "{page}: {body}"),
            }
        }
        let reasons: Vec<&str> = links
            .iter()
            .map(|(_, _, b)| b.lines().find(|l| l.starts_with("What is wrong")).unwrap())
            .collect();
        assert_eq!(
            reasons
                .iter()
                .collect::<std::collections::HashSet<_>>()
                .len(),
            4,
            "{reasons:?}"
        );
        let shown = texts(&read_html(&public.join(page)), "details#report strong");
        assert_eq!(
            shown,
            [to],
            "{page}: the address is shown for people who cannot use a mail link"
        );
    }

    // Without `report_email` anywhere: the city-wide email.
    std::fs::write(&config, &original).unwrap();
    let public = build(root);
    let links = report_links(&public.join("clusters/minimal/index.html"));
    assert!(
        links.iter().all(|(to, _, _)| to == "help@example.org"),
        "{links:?}"
    );

    // Without any email: no mail links, but who to tell and their phone number.
    std::fs::write(
        &config,
        original.replacen("email = \"help@example.org\"\n", "", 1),
    )
    .unwrap();
    let public = build(root);
    let page = public.join("clusters/minimal/index.html");
    assert!(report_links(&page).is_empty());
    let words = texts(&read_html(&page), "details#report p");
    assert_eq!(
        words,
        ["Tell the Test Help Desk what is wrong, saying which page: call 01632 960000."]
    );
}

#[test]
fn the_governance_page_lists_every_cluster_under_the_model_its_record_names() {
    let site = full_fixture();
    let root = site.path();
    // Give each cluster a model (or none) and check the page follows the records.
    let models = ["trust", "joint-collaborative-committee"];
    for (i, name) in ["long-name", "minimal"].iter().enumerate() {
        let file = root.join(format!("content/clusters/{name}.toml"));
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(
            !text.contains("[governance]"),
            "{name} already has a governance table"
        );
        std::fs::write(
            &file,
            format!("{text}\n[governance]\nmodel = \"{}\"\n", models[i]),
        )
        .unwrap();
    }
    let public = build(root);
    let doc = read_html(&public.join("governance/index.html"));
    let section = doc
        .select(&sel("section[aria-labelledby=by-model]"))
        .next()
        .expect("no list by model");
    let mut under: Vec<(String, Vec<String>)> = Vec::new();
    for el in section.select(&sel("h3, ul > li > a")) {
        let text = el.text().collect::<String>();
        if el.value().name() == "h3" {
            under.push((text, Vec::new()));
        } else {
            under
                .last_mut()
                .unwrap()
                .1
                .push(el.value().attr("href").unwrap().to_string());
        }
    }
    assert_eq!(
        under,
        [
            (
                "Joint collaborative committee".to_string(),
                vec!["/clusters/minimal/".to_string()]
            ),
            (
                "Trust".to_string(),
                vec!["/clusters/long-name/".to_string()]
            ),
            (
                "Informal partnership".to_string(),
                vec!["/clusters/complete/".to_string()]
            ),
        ]
    );

    // A cluster without a model is listed as not recorded.
    let file = root.join("content/clusters/minimal.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replace(
            "\n[governance]\nmodel = \"joint-collaborative-committee\"\n",
            "",
        ),
    )
    .unwrap();
    let doc = read_html(&build(root).join("governance/index.html"));
    let headings = texts(&doc, "section[aria-labelledby=by-model] h3");
    assert_eq!(headings.last().unwrap(), "Not recorded");
    assert!(texts(&doc, "section[aria-labelledby=by-model] p")
        .contains(&"No cluster's record here says it uses this model.".to_string()));
}

#[test]
fn a_printed_page_says_its_full_address_when_the_site_has_a_base_url() {
    let site = full_fixture();
    let root = site.path();
    for page in [
        "clusters/complete/",
        "clusters/complete/offer/",
        "core-offer/",
        "governance/",
    ] {
        let doc = read_html(&build(root).join(page).join("index.html"));
        let line = doc
            .select(&sel("main > p[data-print-source]"))
            .next()
            .unwrap();
        assert!(line.value().attr("hidden").is_none(), "{page}");
        assert_eq!(
            texts(&doc, "[data-print-source] [data-address]"),
            [format!("https://clusters.example.org/{page}")]
        );
    }
    // Without one, the line waits for the browser to fill in the address it was opened at.
    let config = root.join("content/site.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        text.replace("base_url = \"https://clusters.example.org/\"\n", ""),
    )
    .unwrap();
    let doc = read_html(&build(root).join("clusters/complete/index.html"));
    let line = doc
        .select(&sel("main > p[data-print-source]"))
        .next()
        .unwrap();
    assert!(line.value().attr("hidden").is_some());
    assert_eq!(texts(&doc, "[data-print-source] [data-address]"), [""]);
}

const GLOSSARY: &str = r#"
[[glossary]]
term = "JCC"
stands_for = "Joint Collaborative Committee"
meaning = "A way to run a cluster."

[[glossary]]
term = "TSL"
stands_for = "Targeted Services Leader"
meaning = "The person who joins up a cluster's work."

[[glossary]]
term = "traded service"
meaning = "A service a cluster buys."
"#;

/// The fixture with a glossary and a page using its terms in every kind of place.
fn glossary_site(with_page: bool) -> tempfile::TempDir {
    let site = full_fixture();
    let root = site.path();
    let config = root.join("content/site.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("{text}\n{GLOSSARY}")).unwrap();
    std::fs::write(
        root.join("content/pages/terms.md"),
        "+++\ntitle = \"Terms\"\n+++\n\n## The JCC\n\nAsk the [JCC](/governance/) or the TSL. The JCC meets.\nA traded service. Traded service again.\n\n| Who | What |\n|---|---|\n| JCC | `TSL` |\n\nThe Targeted Services Leader (TSL) again.\n",
    )
    .unwrap();
    if with_page {
        std::fs::write(
            root.join("content/pages/words.md"),
            "+++\ntitle = \"Words\"\nlist = \"glossary\"\n+++\n\nThe JCC and the TSL.\n",
        )
        .unwrap();
    }
    site
}

#[test]
fn glossary_terms_are_explained_where_they_first_appear_and_listed_on_their_page() {
    let site = glossary_site(true);
    let public = build(site.path());
    let html = std::fs::read_to_string(public.join("terms/index.html")).unwrap();
    let main = &html[html.find("<main").unwrap()..html.find("</main>").unwrap()];
    // The heading and the link keep their words; the first use in the text is explained,
    // with the expansion in the text, and only once.
    assert!(main.contains("<h2 id=\"the-jcc\">The JCC</h2>"), "{main}");
    assert!(main.contains(">JCC</a> or the"), "{main}");
    assert_eq!(main.matches("<abbr").count(), 2, "{main}");
    assert!(main.contains("The <abbr title=\"Joint Collaborative Committee\">JCC</abbr> (Joint Collaborative Committee) meets."), "{main}");
    // Spelled out on the page already: no brackets.
    assert!(
        main.contains("the <abbr title=\"Targeted Services Leader\">TSL</abbr>."),
        "{main}"
    );
    assert!(main.contains("<code>TSL</code>"), "{main}");
    // A phrase links to its entry on the glossary page, which exists.
    let doc = read_html(&public.join("terms/index.html"));
    let links: Vec<String> = doc
        .select(&sel("main a.glossary-term"))
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(links, ["/words/#term-traded-service"]);
    let words = read_html(&public.join("words/index.html"));
    assert_eq!(
        texts(&words, "dl.glossary dt"),
        [
            "JCC (Joint Collaborative Committee)",
            "traded service",
            "TSL (Targeted Services Leader)"
        ]
    );
    assert_eq!(
        words
            .select(&sel("dl.glossary dt"))
            .map(|d| d.value().attr("id").unwrap().to_string())
            .collect::<Vec<_>>(),
        ["term-jcc", "term-traded-service", "term-tsl"]
    );
    // The page that defines the terms leaves them as they are; other pages explain them too.
    assert!(words
        .select(&sel("main abbr, main a.glossary-term"))
        .next()
        .is_none());
    let home = std::fs::read_to_string(public.join("index.html")).unwrap();
    assert!(
        !home[home.find("<footer").unwrap()..].contains("<abbr"),
        "the footer is never changed"
    );
}

#[test]
fn a_glossary_without_its_page_is_a_warning_and_bad_terms_are_errors_at_their_place() {
    let site = glossary_site(false);
    let checked = common::check(site.path());
    let warnings: Vec<String> = checked
        .diagnostics
        .iter()
        .map(|d| d.message.clone())
        .collect();
    assert!(
        warnings
            .iter()
            .any(|m| m.contains("the glossary has terms but no page lists them")),
        "{warnings:?}"
    );
    let public = build(site.path());
    let html = std::fs::read_to_string(public.join("terms/index.html")).unwrap();
    assert!(html.contains("<abbr title=\"Joint Collaborative Committee\">"));
    assert!(
        !html.contains("glossary-term"),
        "a phrase links nowhere without the page"
    );

    let config = site.path().join("content/site.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    let bad = text
        .replace("term = \"TSL\"", "term = \"TS<L>\"")
        .replace("term = \"traded service\"", "term = \"jcc\"");
    std::fs::write(&config, &bad).unwrap();
    let out = common::run(site.path(), &["check"]);
    let said =
        String::from_utf8_lossy(&out.stderr).to_string() + &String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success());
    let line_of = |needle: &str| bad.lines().position(|l| l.contains(needle)).unwrap() + 1;
    assert!(
        said.contains(&format!("content/site.toml:{}:", line_of("TS<L>"))),
        "{said}"
    );
    assert!(said.contains("may use only letters, digits"), "{said}");
    assert!(
        said.contains("glossary term \"jcc\" is given twice"),
        "{said}"
    );
    assert!(
        said.contains(&format!("content/site.toml:{}:", line_of("term = \"jcc\""))),
        "{said}"
    );
}
