//! The publishing workflow: live preview, `check` (with --strict and --format json),
//! `new` and `init`, drafts, and the Atom feed.

mod common;

use std::time::{Duration, Instant};

use common::*;

/// Poll until `pred` holds for the page, for at most `limit`; returns the time taken.
fn wait_for(
    port: u16,
    path: &str,
    limit: Duration,
    pred: impl Fn(&str) -> bool,
) -> Option<Duration> {
    let start = Instant::now();
    while start.elapsed() < limit {
        if pred(&get(port, path).1) {
            return Some(start.elapsed());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    None
}

#[test]
fn preview_updates_on_save_keeps_the_last_good_site_on_error_and_recovers() {
    let site = full_fixture();
    let root = site.path();
    let (_server, port) = start_serve(root);
    let (status, body) = get(port, "/clusters/minimal/");
    assert!(status.contains("200"), "{status}");
    assert!(body.contains("<h1>Minimal cluster</h1>"));
    assert!(
        body.contains("/__clusterdir/reload.js"),
        "the preview injects its reload script"
    );
    let guide = root.join("public/guides/working-2020/index.html");
    let guide_time = std::fs::metadata(&guide).unwrap().modified().unwrap();
    std::thread::sleep(Duration::from_millis(50));

    let rec = root.join("content/clusters/minimal.toml");
    std::fs::write(
        &rec,
        "name = \"Minimal Renamed\"\nlast_reviewed = \"2014-07\"\n",
    )
    .unwrap();
    let took = wait_for(port, "/clusters/minimal/", Duration::from_secs(5), |b| {
        b.contains("Minimal Renamed cluster")
    });
    let took = took.expect("the change was never served");
    assert!(
        took < Duration::from_secs(1),
        "the change took {took:?} to be served"
    );
    assert_eq!(
        std::fs::metadata(&guide).unwrap().modified().unwrap(),
        guide_time,
        "an unrelated guide was rewritten"
    );

    std::fs::write(
        &rec,
        "name = \"Minimal Broken\nlast_reviewed = \"2014-07\"\n",
    )
    .unwrap();
    let status = wait_for(port, "/__clusterdir/status", Duration::from_secs(5), |b| {
        b.contains("content/clusters/minimal.toml:1:")
    })
    .expect("the error was not reported");
    assert!(status < Duration::from_secs(2));
    let (_, page) = get(port, "/clusters/minimal/");
    assert!(
        page.contains("Minimal Renamed cluster"),
        "the last good page is still served"
    );

    std::fs::write(
        &rec,
        "name = \"Minimal Fixed\"\nlast_reviewed = \"2014-07\"\n",
    )
    .unwrap();
    wait_for(port, "/clusters/minimal/", Duration::from_secs(5), |b| {
        b.contains("Minimal Fixed cluster")
    })
    .expect("no recovery after the fix");
    wait_for(port, "/__clusterdir/status", Duration::from_secs(2), |b| {
        b.contains("\"error\":null")
    })
    .expect("the error was not cleared");
    assert!(get(port, "/../Cargo.toml").0.contains("404"));
}

#[test]
fn build_output_never_contains_the_preview_script() {
    let site = full_fixture();
    let public = build(site.path());
    for f in html_files(&public) {
        assert!(
            !std::fs::read_to_string(&f)
                .unwrap()
                .contains("__clusterdir"),
            "{}",
            f.display()
        );
    }
}

#[test]
fn check_reports_each_planted_problem_with_the_right_exit_codes() {
    let site = full_fixture();
    let root = site.path();
    // Clean apart from warnings? First: no errors, and the fixture's stale record warns.
    let ok = run(root, &["--today", "2025-07-01", "check"]);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let page = root.join("content/pages/accessibility.md");
    std::fs::write(&page, "+++\ntitle = \"Accessibility statement\"\n+++\n\n## Standard\n\n[gone](/nowhere/) [anchor](/governance/#no-such) [call](tel:123)\n").unwrap();
    let out = run(root, &["--today", "2025-07-01", "check"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("this link goes to /nowhere/, which is not a page of this site"),
        "{err}"
    );
    assert!(
        err.contains("there is no #no-such on /governance/"),
        "{err}"
    );
    assert!(err.contains("this tel: link is broken"), "{err}");
    assert!(err.contains("content/pages/accessibility.md:7:"), "{err}");
    assert!(err.contains("Found 3 errors"), "{err}");
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        table.contains("Minimal")
            && table
                .contains("way to self-refer, contact phone, offer, schools, governance, contacts"),
        "{table}"
    );

    // Warnings only: the default passes, --strict fails.
    std::fs::write(
        &page,
        "+++\ntitle = \"Accessibility statement\"\n+++\n\n## Standard\n\nFine.\n",
    )
    .unwrap();
    let later = ["--today", "2026-12-01", "check"];
    let out = run(root, &later);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("more than 12 months ago"));
    let strict = run(root, &["--today", "2026-12-01", "check", "--strict"]);
    assert_eq!(strict.status.code(), Some(1));

    let json = run(
        root,
        &[
            "--today",
            "2026-12-01",
            "check",
            "--strict",
            "--format",
            "json",
        ],
    );
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["ok"], false);
    assert!(v["errors"].as_array().unwrap().is_empty());
    let w = &v["warnings"][0];
    assert!(w["file"].as_str().unwrap().starts_with("content/clusters/"));
    assert!(w["line"].as_u64().is_some() && w["column"].as_u64().is_some());
    assert_eq!(v["completeness"].as_array().unwrap().len(), 3);
}

#[test]
fn new_files_and_init_sites_pass_check_and_build() {
    let (_dir, site, _) = init_site();
    for (kind, title) in [
        ("cluster", "Otley and Pool"),
        ("guide", "Attendance matters"),
        ("guide", "Café Ünïon"),
        ("page", "Contact us"),
    ] {
        let out = run(&site, &["--today", "2025-07-01", "new", kind, title]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let again = run(&site, &["new", kind, title]);
        assert!(!again.status.success(), "new must not overwrite");
        assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    }
    let starter =
        std::fs::read_to_string(site.join("content/clusters/otley-and-pool.toml")).unwrap();
    // In a site made by init, the starter points at the site's own FORMAT.md.
    assert!(
        starter.lines().next().unwrap().contains("FORMAT.md"),
        "{starter}"
    );
    assert!(!starter.contains("docs/content-format.md"));
    // Each new guide takes the next free number: the example guide is No. 1.
    for (file, number) in [("attendance-matters", 2), ("cafe-union", 3)] {
        let text = std::fs::read_to_string(site.join(format!("content/guides/{file}.md")))
            .unwrap_or_else(|e| panic!("{file}.md: {e}"));
        assert!(
            text.contains(&format!("\nnumber = {number} ")),
            "{file}: {text}"
        );
    }
    // Both new guides pass check as written, beside the example guide.
    let checked = check(&site);
    assert!(checked.diagnostics.is_empty(), "{}", checked.report(false));
    let public = build(&site);
    assert!(public.join("clusters/otley-and-pool/index.html").is_file());
    assert!(public
        .join("guides/attendance-matters/index.html")
        .is_file());
    assert!(public.join("contact-us/index.html").is_file());
    assert!(public.join("guides/cafe-union/index.html").is_file());
}

/// `init` writes a small, complete example site: it checks with no errors and no
/// warnings (on a day near its review date), builds the example cluster's page with
/// what its record holds, and its notes point at the FORMAT.md it writes, never at
/// docs the new site does not have.
#[test]
fn init_writes_an_example_site_that_checks_clean_and_explains_itself() {
    let (dir, site, out) = init_site();
    assert!(String::from_utf8_lossy(&out.stdout).contains("FORMAT.md"));
    let format = std::fs::read_to_string(site.join("FORMAT.md")).unwrap();
    for words in [
        "clusterdir check",
        "clusterdir serve",
        "last_reviewed",
        "[[offer]]",
    ] {
        assert!(format.contains(words), "FORMAT.md says nothing of {words}");
    }
    for (file, text) in snapshot(&site.join("content")) {
        let text = String::from_utf8(text).unwrap();
        assert!(
            !text.contains("docs/"),
            "{file} points at docs the site has not got"
        );
        if file.ends_with(".toml") {
            assert!(
                text.contains("FORMAT.md"),
                "{file} does not point at FORMAT.md"
            );
        }
    }
    // No errors and no warnings, as the command line reports it, a few weeks later.
    let out = run(
        &site,
        &["--today", "2025-08-15", "check", "--format", "json"],
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    assert!(out.status.success(), "{report}");
    assert_eq!(report["errors"].as_array().unwrap().len(), 0, "{report}");
    assert_eq!(report["warnings"].as_array().unwrap().len(), 0, "{report}");
    assert_eq!(report["completeness"][0]["percent"], 100, "{report}");
    let checked = check(&site);
    assert!(checked.diagnostics.is_empty(), "{}", checked.report(false));
    // The example really is complete enough to show each part of a cluster's page.
    let s = checked.site.unwrap();
    let c = &s.clusters["example-cluster"].record;
    assert!(c
        .help
        .as_ref()
        .is_some_and(|h| h.phone.is_some() && !h.opening_hours.is_empty()));
    assert!(c.schools.len() == 2 && c.offer.len() >= 3);
    assert!(
        c.contacts.len() == 1 && c.contacts[0].name.is_none(),
        "a contact by role, not a name"
    );
    assert!(c.meetings.len() == 1 && c.updates.len() == 1);
    assert_eq!(s.categories.len(), 2);
    assert!(
        s.config.contact.phone.is_some()
            && s.config.contact.email.is_some()
            && s.config.contact.url.is_some()
    );
    assert_eq!((s.guides.len(), s.pages.len()), (1, 1));
    let public = build_on(&site, chrono::NaiveDate::from_ymd_opt(2025, 8, 15).unwrap());
    let page = std::fs::read_to_string(public.join("clusters/example-cluster/index.html")).unwrap();
    for words in [
        "Example Primary School",
        "Parenting course",
        "0113 496 0999",
        "Cluster manager",
    ] {
        assert!(page.contains(words), "the cluster page lacks {words}");
    }
    assert!(public.join("guides/about-clusters/index.html").is_file());
    assert!(public.join("about/index.html").is_file());
    // FORMAT.md is for the editors, not the published site.
    assert!(!snapshot(&public).keys().any(|f| f.contains("FORMAT")));
    // A second init writes nothing.
    let again = run(dir.path(), &["init", site.to_str().unwrap()]);
    assert!(!again.status.success());
}

/// The starter `new cluster` writes shows every field of the cluster model: each field
/// of every struct reachable from `ClusterRecord` (read from src/content/model/, as
/// docs.rs does for the format's documentation) is there, in use or commented out.
#[test]
fn cluster_starter_shows_every_field_of_the_cluster_model() {
    let starter = clusterdir::scaffold::cluster_template("Otley and Pool", "2025-07-01", None);
    let structs = structs_reachable_from("ClusterRecord");
    let names: Vec<&str> = structs.iter().map(|s| s.name.as_str()).collect();
    for expected in [
        "Help",
        "OpeningHours",
        "OfferItem",
        "Cost",
        "Contact",
        "Governance",
        "Funding",
        "Money",
    ] {
        assert!(
            names.contains(&expected),
            "{expected} not reached from ClusterRecord: {names:?}"
        );
    }
    let mut missing = Vec::new();
    for s in &structs {
        for (field, _) in &s.fields {
            if !shows_field(&starter, field) {
                missing.push(format!("{}.{field}", s.name));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "not in the cluster starter:\n{}",
        missing.join("\n")
    );
    // Every field and table heading has a note of its own.
    for line in starter.lines() {
        if uncomment_field(line).is_some() {
            assert!(line.contains(" # "), "no note on: {line}");
        }
    }
}

/// A line of a starter that holds a field or a table heading, in use or commented out:
/// the line as it is with the field in use.
fn uncomment_field(line: &str) -> Option<&str> {
    let rest = line.strip_prefix("# ").unwrap_or(line);
    let key = rest.split(" = ").next().unwrap();
    let is_field = rest.starts_with('[')
        || (rest.contains(" = ") && key.chars().all(|c| c.is_ascii_lowercase() || c == '_'));
    is_field.then_some(rest)
}

/// Uncommenting every field of the starter gives a record the model reads: the commented
/// examples use the right names and kinds of value, so removing a `#` never breaks a file.
#[test]
fn cluster_starter_fields_are_valid_when_uncommented() {
    let starter = clusterdir::scaffold::cluster_template("Otley and Pool", "2025-07-01", None);
    let uncommented: String = starter
        .lines()
        .map(|line| uncomment_field(line).unwrap_or(line))
        .collect::<Vec<_>>()
        .join("\n");
    let record: clusterdir::content::model::ClusterRecord =
        toml::from_str(&uncommented).unwrap_or_else(|e| panic!("{e}\n{uncommented}"));
    let help = record.help.unwrap();
    assert!(help.notes.is_some() && help.mindmate_spa.is_some() && !help.opening_hours.is_empty());
    let offer = &record.offer[0];
    assert!(
        offer.cost.is_some()
            && offer.capacity.is_some()
            && offer.status.is_some()
            && offer.last_reviewed.is_some()
    );
    let contact = &record.contacts[0];
    assert!(contact.mobile.is_some() && !contact.address.is_empty());
    let governance = record.governance.unwrap();
    assert!(governance.voting.is_some() && !governance.membership.is_empty());
    assert!(record.priorities.len() == 1 && record.funding[0].sources.len() == 2);
    assert!(record.meetings[0].place.is_some() && record.updates[0].body.is_some());
    assert!(record.quick_exit.is_some() && record.slug.is_some() && record.reopens.is_some());
}

#[test]
fn drafts_stay_out_of_build_unless_asked_for_and_are_marked() {
    let site = full_fixture();
    let root = site.path();
    std::fs::write(
        root.join("content/pages/upcoming.md"),
        "+++\ntitle = \"Upcoming\"\ndraft = true\n+++\n\n## Soon\n\nNot yet.\n",
    )
    .unwrap();
    let rec = root.join("content/clusters/minimal.toml");
    std::fs::write(
        &rec,
        "name = \"Minimal\"\nlast_reviewed = \"2025-06\"\ndraft = true\n",
    )
    .unwrap();
    let public = build(root);
    assert!(!public.join("upcoming/index.html").exists());
    assert!(!public.join("clusters/minimal/index.html").exists());
    let out = run(
        root,
        &[
            "--today",
            "2025-07-01",
            "--drafts",
            "build",
            "--output",
            root.join("preview").to_str().unwrap(),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc = read_html(&root.join("preview/upcoming/index.html"));
    assert!(texts(&doc, ".draft-banner")[0].starts_with("Draft."));
    let doc = read_html(&root.join("preview/clusters/minimal/index.html"));
    assert_eq!(doc.select(&sel(".draft-banner")).count(), 1);
    let doc = read_html(&root.join("preview/clusters/complete/index.html"));
    assert_eq!(doc.select(&sel(".draft-banner")).count(), 0);
}

#[test]
fn atom_feed_has_ids_dates_links_and_newest_first() {
    let site = full_fixture();
    let public = build(site.path());
    let xml = std::fs::read_to_string(public.join("feed.xml")).unwrap();
    let doc = roxmltree::Document::parse(&xml).expect("feed.xml is well-formed");
    let feed = doc.root_element();
    assert_eq!(
        feed.tag_name().namespace(),
        Some("http://www.w3.org/2005/Atom")
    );
    let child = |n: roxmltree::Node, name: &str| {
        n.children()
            .find(|c| c.has_tag_name(name))
            .and_then(|c| c.text())
            .map(String::from)
    };
    assert!(child(feed, "id").unwrap().starts_with("urn:uuid:"));
    assert!(feed
        .children()
        .any(|c| c.has_tag_name("link") && c.attribute("rel") == Some("self")));
    let entries: Vec<_> = feed
        .children()
        .filter(|c| c.has_tag_name("entry"))
        .collect();
    assert_eq!(entries.len(), 2);
    let updated: Vec<String> = entries
        .iter()
        .map(|e| child(*e, "updated").unwrap())
        .collect();
    assert_eq!(updated, ["2025-06-01T00:00:00Z", "2025-05-01T00:00:00Z"]);
    assert_eq!(child(feed, "updated").unwrap(), updated[0]);
    for e in &entries {
        assert!(child(*e, "id").unwrap().starts_with("urn:uuid:"));
        let href = e
            .children()
            .find(|c| c.has_tag_name("link"))
            .and_then(|l| l.attribute("href"))
            .unwrap();
        assert_eq!(
            href,
            "https://clusters.example.org/clusters/complete/#updates"
        );
    }
    let home = read_html(&public.join("index.html"));
    assert_eq!(texts(&home, "#news + ul li").len(), 2);
    assert!(public.join("clusters/complete/feed.xml").is_file());
}

#[test]
fn external_links_are_requested_only_with_external() {
    // A local stand-in for another website: /ok answers 200, anything else 404.
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let port = server.server_addr().to_ip().unwrap().port();
    std::thread::spawn(move || {
        for req in server.incoming_requests() {
            let code = if req.url() == "/ok" { 200 } else { 404 };
            let _ = req.respond(tiny_http::Response::from_string("x").with_status_code(code));
        }
    });
    let site = full_fixture();
    let root = site.path();
    std::fs::write(
        root.join("content/pages/accessibility.md"),
        format!("+++\ntitle = \"Accessibility statement\"\n+++\n\n## Links\n\n[fine](http://127.0.0.1:{port}/ok) and [gone](http://127.0.0.1:{port}/gone)\n"),
    )
    .unwrap();
    let about_links = |c: &clusterdir::build::Checked| -> Vec<String> {
        c.diagnostics
            .short_lines(&c.sources)
            .into_iter()
            .filter(|l| l.contains("the link to"))
            .collect()
    };
    assert!(
        about_links(&check(root)).is_empty(),
        "without --external no request is made"
    );
    let checked = clusterdir::build::check_with(
        root,
        &clusterdir::build::Options {
            today: test_today(),
            external_links: true,
            // The test's server is on this computer.
            external_loopback: true,
            ..Default::default()
        },
    );
    let lines = about_links(&checked);
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(
        lines[0].starts_with("content/pages/accessibility.md:7:"),
        "{}",
        lines[0]
    );
    assert!(
        lines[0].contains(&format!(
            "warning: the link to http://127.0.0.1:{port}/gone answered 404"
        )),
        "{}",
        lines[0]
    );
}

#[test]
fn external_visits_the_web_addresses_in_records_and_front_matter() {
    // A local stand-in for other websites: paths ending in "ok" answer 200, others 404.
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let port = server.server_addr().to_ip().unwrap().port();
    let visited = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let seen = visited.clone();
    std::thread::spawn(move || {
        for req in server.incoming_requests() {
            seen.lock().unwrap().push(req.url().to_string());
            let code = if req.url().ends_with("ok") { 200 } else { 404 };
            let _ = req.respond(tiny_http::Response::from_string("x").with_status_code(code));
        }
    });
    let at = |path: &str| format!("http://127.0.0.1:{port}/{path}");
    let dir = tempfile::tempdir().unwrap();
    let site_toml = format!(
        "quick_exit_url = \"{}\"\n{}url = \"{}\"\n",
        at("quick-exit-ok"),
        common::SITE.split("[[categories]]").next().unwrap(),
        at("contact-gone")
    ) + "\n[[categories]]\nslug = \"family-support\"\nname = \"Family support\"\ndescription = \"x\"\n";
    let cluster = format!(
        "name = \"A\"\nlast_reviewed = 2025-01-01\nsources = [\"Leeds City Council, 2025\", \"{}\", \"{}\"]\n\n[help]\nrequest_form_url = \"{}\"\n",
        at("source-ok"),
        at("source-gone"),
        at("form-gone")
    );
    let guide = format!(
        "+++\ntitle = \"G\"\nnumber = 1\nedition = 2025-01-01\nsummary = \"S\"\nsources = [\"{}\"]\n+++\n\n## Body\n\nText.\n",
        at("guide-gone")
    );
    let page = format!(
        "+++\ntitle = \"P\"\nsources = [\"{}\"]\n+++\n\n## Body\n\nText.\n",
        at("page-ok")
    );
    let files = [
        ("site.toml", site_toml),
        ("clusters/a.toml", cluster),
        ("guides/g.md", guide),
        ("pages/p.md", page),
    ];
    for (path, text) in &files {
        let p = dir.path().join("content").join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    // Where a value stands: `file:line:col` of its opening quote.
    let place = |file: &str, url: &str| {
        let text = &files.iter().find(|(p, _)| *p == file).unwrap().1;
        let quoted = format!("\"{url}\"");
        let (n, line) = text
            .lines()
            .enumerate()
            .find(|(_, l)| l.contains(&quoted))
            .unwrap();
        format!(
            "content/{file}:{}:{}:",
            n + 1,
            line.find(&quoted).unwrap() + 1
        )
    };

    let local = |c: &clusterdir::build::Checked| -> Vec<String> {
        let mut lines: Vec<String> = c
            .diagnostics
            .short_lines(&c.sources)
            .into_iter()
            .filter(|l| l.contains("127.0.0.1"))
            .collect();
        lines.sort();
        lines
    };
    let checked = check(dir.path());
    assert_eq!(
        checked.diagnostics.error_count(),
        0,
        "{}",
        checked.report(false)
    );
    assert!(local(&checked).is_empty());
    assert!(
        visited.lock().unwrap().is_empty(),
        "no request without --external"
    );
    let checked = clusterdir::build::check_with(
        dir.path(),
        &clusterdir::build::Options {
            today: test_today(),
            external_links: true,
            // The test's server is on this computer.
            external_loopback: true,
            ..Default::default()
        },
    );
    let lines = local(&checked);
    let mut expected = vec![
        (
            place("site.toml", &at("contact-gone")),
            "`contact.url`",
            "contact-gone",
        ),
        (
            place("clusters/a.toml", &at("source-gone")),
            "`sources`",
            "source-gone",
        ),
        (
            place("clusters/a.toml", &at("form-gone")),
            "`help.request_form_url`",
            "form-gone",
        ),
        (
            place("guides/g.md", &at("guide-gone")),
            "`sources`",
            "guide-gone",
        ),
    ];
    expected.sort();
    assert_eq!(lines.len(), expected.len(), "{lines:#?}");
    for (line, (place, field, path)) in lines.iter().zip(&expected) {
        let want = format!("{place} warning: {field} {} answered 404", at(path));
        assert!(line.starts_with(&want), "{line}\nwanted {want}");
    }
    let mut visited = visited.lock().unwrap().clone();
    visited.sort();
    assert_eq!(
        visited,
        [
            "/contact-gone",
            "/form-gone",
            "/guide-gone",
            "/page-ok",
            "/quick-exit-ok",
            "/source-gone",
            "/source-ok"
        ]
    );
}

#[test]
fn a_record_change_re_renders_that_cluster_and_the_pages_that_list_clusters_only() {
    let site = full_fixture();
    let root = site.path();
    let cache = clusterdir::pages::RenderCache::default();
    let options = clusterdir::build::Options {
        today: test_today(),
        ..Default::default()
    };
    let first = clusterdir::build::check_cached(root, &options, Some(&cache));
    assert!(first.ok());
    let all = cache.last_rendered();
    assert!(all.len() >= 15, "{all:?}");
    let again = clusterdir::build::check_cached(root, &options, Some(&cache));
    assert_eq!(
        cache.last_rendered(),
        Vec::<String>::new(),
        "nothing changed, nothing rendered"
    );
    assert_eq!(
        again.rendered, first.rendered,
        "cached pages are the same bytes"
    );

    let rec = root.join("content/clusters/minimal.toml");
    std::fs::write(
        &rec,
        std::fs::read_to_string(&rec)
            .unwrap()
            .replace("name = \"Minimal\"", "name = \"Minimal Two\""),
    )
    .unwrap();
    let changed = clusterdir::build::check_cached(root, &options, Some(&cache));
    assert!(changed.ok());
    let rendered = cache.last_rendered();
    for page in [
        "clusters/minimal/index.html",
        "clusters/minimal/offer/index.html",
        "clusters/index.html",
        "core-offer/index.html",
        "index.html",
        // It lists every cluster under its governance model.
        "governance/index.html",
    ] {
        assert!(
            rendered.contains(&page.to_string()),
            "{page} was not re-rendered: {rendered:?}"
        );
    }
    for page in [
        "guides/working-2024/index.html",
        "guides/working-2020/index.html",
        "accessibility/index.html",
        "clusters/complete/index.html",
    ] {
        assert!(
            !rendered.contains(&page.to_string()),
            "{page} was re-rendered: {rendered:?}"
        );
    }
    // The result is what a full render gives.
    let full = common::check(root);
    assert_eq!(changed.rendered, full.rendered);
}

/// The schools A to Z is rendered a letter at a time, its letters' entries outside the
/// page's own context: renaming a school (same letter, so the page's own context is the
/// same) still renders it again, as a full render would.
#[test]
fn renaming_a_school_re_renders_the_a_to_z_through_the_cache() {
    let site = full_fixture();
    let root = site.path();
    let cache = clusterdir::pages::RenderCache::default();
    let options = clusterdir::build::Options {
        today: test_today(),
        ..Default::default()
    };
    assert!(clusterdir::build::check_cached(root, &options, Some(&cache)).ok());
    let rec = root.join("content/clusters/complete.toml");
    let text = std::fs::read_to_string(&rec).unwrap();
    assert!(text.contains("name = \"Zebra Academy\""));
    std::fs::write(
        &rec,
        text.replace("name = \"Zebra Academy\"", "name = \"Zebra Academy North\""),
    )
    .unwrap();
    let changed = clusterdir::build::check_cached(root, &options, Some(&cache));
    assert!(changed.ok());
    assert!(
        cache
            .last_rendered()
            .contains(&"schools/index.html".to_string()),
        "{:?}",
        cache.last_rendered()
    );
    let page = &changed.rendered.as_ref().unwrap()["schools/index.html"];
    assert!(String::from_utf8_lossy(page).contains("Zebra Academy North"));
    assert_eq!(changed.rendered, common::check(root).rendered);
}

/// A new site made by `init` (on 1 July 2025) in a temporary folder: the folder, the
/// site in it, and what `init` printed.
fn init_site() -> (tempfile::TempDir, std::path::PathBuf, std::process::Output) {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let out = run(
        dir.path(),
        &["--today", "2025-07-01", "init", site.to_str().unwrap()],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (dir, site, out)
}

/// `check --external` as published: links to this computer (by address and by name)
/// are named as skipped and never requested.
#[test]
fn external_never_requests_this_computer() {
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let port = server.server_addr().to_ip().unwrap().port();
    let hits = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = hits.clone();
    std::thread::spawn(move || {
        for req in server.incoming_requests() {
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let _ = req.respond(tiny_http::Response::from_string("x"));
        }
    });
    let site = full_fixture();
    let root = site.path();
    std::fs::write(
        root.join("content/pages/accessibility.md"),
        format!("+++\ntitle = \"Accessibility statement\"\n+++\n\n## Links\n\n[a](http://127.0.0.1:{port}/a) and [b](http://localhost:{port}/b)\n"),
    )
    .unwrap();
    let checked = clusterdir::build::check_with(
        root,
        &clusterdir::build::Options {
            today: test_today(),
            external_links: true,
            ..Default::default()
        },
    );
    let skipped: Vec<String> = checked
        .diagnostics
        .short_lines(&checked.sources)
        .into_iter()
        .filter(|l| l.contains(&format!(":{port}/")))
        .collect();
    assert_eq!(skipped.len(), 2, "{skipped:#?}");
    for line in &skipped {
        assert!(
            line.starts_with("content/pages/accessibility.md:7:")
                && line.contains("warning: skipped the link to http://")
                && line.contains("(a private address)"),
            "{line}"
        );
    }
    assert_eq!(hits.load(std::sync::atomic::Ordering::SeqCst), 0);
}

/// Every starter `clusterdir new` writes shows every field of the content model's
/// description (`content::schema`, which its own tests hold to the serde model) where
/// it belongs, and the note of every field with a fixed list of values names each value.
#[test]
fn starters_show_every_described_field_and_every_allowed_value() {
    use clusterdir::content::schema::{walk, FieldType, Kind};
    use clusterdir::scaffold::{cluster_template, guide_template, page_template};
    for (kind, starter) in [
        (
            Kind::Cluster,
            cluster_template("Otley and Pool", "2025-07-01", None),
        ),
        (
            Kind::Guide,
            guide_template("Cluster working", 13, "2025-07-01"),
        ),
        (Kind::Page, page_template("About")),
    ] {
        let missing = common::fields_not_shown(&starter, kind);
        assert!(missing.is_empty(), "{kind:?} starter lacks {missing:?}");
        let sections = common::toml_sections(&starter);
        for (path, field) in walk(kind) {
            let FieldType::Choice(choices) = field.ty else {
                continue;
            };
            let section = path.first().copied().unwrap_or("");
            let line = sections[section]
                .iter()
                .find(|l| l.starts_with(&format!("{} = ", field.key)))
                .unwrap_or_else(|| panic!("{kind:?}: no line for {}", field.key));
            for choice in choices {
                assert!(
                    line.contains(choice.value),
                    "{kind:?}: the note of {} does not name {}: {line}",
                    field.key,
                    choice.value
                );
            }
        }
    }
}
