//! Each validation rule, on a small site with one planted mistake: the message names the
//! problem and points at the right file, line and column.

mod common;

use common::{GOOD, SITE};

/// Write a site with the given files (paths under content/), check it, and return one
/// line per problem: `file:line:col: severity: message (help: ...)`.
fn problems(files: &[(&str, &str)]) -> Vec<String> {
    problems_with_site(SITE, files)
}

/// [`problems`] with a `site.toml` of the test's own.
fn problems_with_site(site: &str, files: &[(&str, &str)]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let mut all = vec![("site.toml", site)];
    all.extend_from_slice(files);
    for (path, text) in all {
        let p = dir.path().join("content").join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let checked = common::check(dir.path());
    checked.diagnostics.short_lines(&checked.sources)
}

fn only(files: &[(&str, &str)]) -> String {
    let p = problems(files);
    assert_eq!(p.len(), 1, "expected one problem, got {p:#?}");
    p.into_iter().next().unwrap()
}

#[test]
fn a_good_site_has_no_problems() {
    assert_eq!(
        problems(&[("clusters/good.toml", GOOD)]),
        Vec::<String>::new()
    );
}

/// Without `base_url` the feed's base document cannot name its profile and OpenAPI
/// document absolutely: `check` warns, at `site.toml`, and says what to set.
#[test]
fn without_a_base_url_the_feed_cannot_be_validated() {
    let site = SITE.replace("base_url = \"https://clusters.example.org/\"\n", "");
    assert_ne!(site, SITE);
    let p = problems_with_site(&site, &[("clusters/good.toml", GOOD)]);
    assert_eq!(p.len(), 1, "{p:#?}");
    assert!(
        p[0].starts_with("content/site.toml: warning: `base_url` is not set, so the Open Referral UK feed (/oruk) cannot be validated"),
        "{}",
        p[0]
    );
    assert!(
        p[0].contains("help: add `base_url = \"https://…/\"`"),
        "{}",
        p[0]
    );
}

#[test]
fn missing_required_field() {
    let p = only(&[("clusters/a.toml", "name = \"A\"\n")]);
    assert!(
        p.starts_with("content/clusters/a.toml:1:1: error: missing field `last_reviewed`"),
        "{p}"
    );
    assert!(p.contains("help: add a line `last_reviewed = ...`"), "{p}");
}

#[test]
fn unknown_field_suggests_the_nearest() {
    let p = only(&[("clusters/a.toml", "name = \"A\"\nlast_reviewed = 2025-01-01\n\n[[contacts]]\nrole = \"chair\"\nphon = \"0113 496 0001\"\n")]);
    assert!(
        p.starts_with("content/clusters/a.toml:6:1: error: unknown field `phon`"),
        "{p}"
    );
    assert!(p.contains("help: did you mean `phone`?"), "{p}");
}

#[test]
fn bad_dates() {
    let p = problems(&[(
        "clusters/a.toml",
        "name = \"A\"\nlast_reviewed = \"31/01/2025\"\n\n[[updates]]\ndate = \"2025-02-30\"\ntitle = \"x\"\n",
    )]);
    assert_eq!(p.len(), 2, "{p:#?}");
    assert!(
        p[0].starts_with(
            "content/clusters/a.toml:2:17: error: `last_reviewed`: `31/01/2025` is not a date"
        ),
        "{}",
        p[0]
    );
    assert!(p[1].starts_with("content/clusters/a.toml:5:8: error: `updates.date`: `2025-02-30` is not a day on the calendar"), "{}", p[1]);
}

#[test]
fn phone_numbers_that_are_not_uk_numbers() {
    let p = only(&[(
        "clusters/a.toml",
        "name = \"A\"\nlast_reviewed = 2025-01-01\n[help]\nphone = \"+1 212 555 0100\"\n",
    )]);
    assert!(
        p.starts_with("content/clusters/a.toml:4:9: error: `help.phone` is not a UK phone number"),
        "{p}"
    );
    assert!(p.contains("0113 496 0000"), "{p}");
}

#[test]
fn bad_email_and_url() {
    let p = problems(&[(
        "clusters/a.toml",
        "name = \"A\"\nlast_reviewed = 2025-01-01\n[help]\nemail = \"jodu@armcluster\"\nrequest_form_url = \"javascript:alert(1)\"\n",
    )]);
    assert_eq!(p.len(), 2, "{p:#?}");
    assert!(p[0].starts_with("content/clusters/a.toml:4:9: error: `help.email`: `jodu@armcluster` is not an email address"), "{}", p[0]);
    assert!(p[1].starts_with("content/clusters/a.toml:5:20: error: `help.request_form_url`: `javascript:alert(1)` uses `javascript:`"), "{}", p[1]);
}

#[test]
fn unknown_category() {
    let p = only(&[("clusters/a.toml", "name = \"A\"\nlast_reviewed = 2025-01-01\n[[offer]]\nservice = \"S\"\ncategory = \"family-suport\"\n")]);
    assert!(
        p.starts_with(
            "content/clusters/a.toml:5:12: error: unknown category \"family-suport\" for \"S\""
        ),
        "{p}"
    );
    assert!(p.contains("did you mean \"family-support\"?"), "{p}");
}

#[test]
fn duplicate_cluster_slugs() {
    let p = only(&[
        ("clusters/a.toml", GOOD),
        (
            "clusters/b.toml",
            "slug = \"a\"\nname = \"B\"\nlast_reviewed = 2025-01-01\n",
        ),
    ]);
    assert!(
        p.starts_with("content/clusters/b.toml:1:8: error: two clusters have the slug \"a\""),
        "{p}"
    );
    assert!(p.contains("content/clusters/a.toml already uses it"), "{p}");
}

#[test]
fn one_school_in_two_clusters() {
    let a = "name = \"A\"\nlast_reviewed = 2025-01-01\n[[schools]]\nname = \"St. Paul's RC\"\nphase = \"primary\"\n";
    let b = "name = \"B\"\nlast_reviewed = 2025-01-01\n\n[[schools]]\nname = \"St Pauls RC\"\nphase = \"primary\"\n";
    let p = only(&[("clusters/a.toml", a), ("clusters/b.toml", b)]);
    assert!(p.starts_with("content/clusters/b.toml:5:8: error: the school \"St Pauls RC\" is also listed in the cluster \"a\""), "{p}");
}

const GUIDE: &str = "+++\ntitle = \"G\"\nnumber = 1\nedition = 2025-01-01\nsummary = \"s\"\nreplaces = \"old-editon\"\n+++\n\nText.\n";

#[test]
fn guide_that_replaces_a_missing_guide() {
    let old = "+++\ntitle = \"G\"\nnumber = 1\nedition = 2020-01-01\nsummary = \"s\"\n+++\n";
    let all = problems(&[("guides/new.md", GUIDE), ("guides/old-edition.md", old)]);
    assert_eq!(all.len(), 2, "{all:#?}");
    // With the link broken, both editions are current: that is reported too.
    assert!(
        all[1].contains("guide No. 1 has two current editions"),
        "{}",
        all[1]
    );
    let p = all[0].clone();
    assert!(p.starts_with("content/guides/new.md:6:12: error: this guide replaces \"old-editon\", but there is no guide with that slug"), "{p}");
    assert!(p.contains("did you mean \"old-edition\"?"), "{p}");
}

#[test]
fn markdown_link_to_a_missing_page() {
    let page =
        "+++\ntitle = \"P\"\n+++\n\n## Part\n\nSee [the guide](/guides/nope/) or [home](/).\n";
    let p = only(&[("pages/about.md", page)]);
    assert!(p.starts_with("content/pages/about.md:7:5: error: this link goes to /guides/nope/, which is not a page of this site"), "{p}");
}

#[test]
fn markdown_link_in_a_record_summary_is_checked_too() {
    let p = only(&[(
        "clusters/a.toml",
        "name = \"A\"\nlast_reviewed = 2025-01-01\nsummary = \"See [x](/nowhere/).\"\n",
    )]);
    assert!(
        p.starts_with("content/clusters/a.toml:3:16: error: this link goes to /nowhere/"),
        "{p}"
    );
}

#[test]
fn raw_html_in_markdown_is_refused() {
    let page = "+++\ntitle = \"P\"\n+++\n\nHello <script>alert(1)</script>\n";
    let p = problems(&[("pages/about.md", page)]);
    assert!(
        p[0].starts_with("content/pages/about.md:5:7: error: raw HTML is not allowed"),
        "{p:#?}"
    );
}

#[test]
fn page_that_takes_a_reserved_address() {
    let page = "+++\ntitle = \"P\"\n+++\nText\n";
    let p = only(&[("pages/clusters.md", page)]);
    assert!(
        p.contains("the address /clusters/ is used by the site itself"),
        "{p}"
    );
}

#[test]
fn toml_syntax_error_points_at_the_line() {
    let p = only(&[(
        "clusters/a.toml",
        "name = \"A\nlast_reviewed = 2025-01-01\n",
    )]);
    assert!(p.starts_with("content/clusters/a.toml:1:"), "{p}");
}

#[test]
fn every_planted_mistake_is_reported_in_one_run() {
    // A copy of the real content with one mistake of each kind planted in it.
    let site = common::real_site();
    let root = site.path();
    let edit = |rel: &str, from: &str, to: &str| {
        let p = root.join("content").join(rel);
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(text.contains(from), "{rel} does not contain {from}");
        std::fs::write(&p, text.replacen(from, to, 1)).unwrap();
    };
    edit(
        "clusters/arm.toml",
        "mobile = \"07900 741214\"",
        "mobile = \"07900 74121\"",
    );
    edit(
        "clusters/arm.toml",
        "email = \"jodu@armcluster.co.uk\"",
        "email = \"jodu.armcluster.co.uk\"",
    );
    edit(
        "clusters/arm.toml",
        "category = \"attendance\"",
        "category = \"attendence\"",
    );
    edit(
        "clusters/arm.toml",
        "date = \"2015-12\"",
        "date = \"2015-13\"",
    );
    edit(
        "clusters/temple-newsam.toml",
        "[[contacts]]",
        "[[schools]]\nname = \"Gledhow Primary\"\nphase = \"primary\"\n\n[[contacts]]",
    );
    edit(
        "guides/cluster-working-2013.md",
        "[current edition of this guide](/guides/cluster-working-2025/)",
        "[current edition](/guides/cluster-working-2052/)",
    );
    edit(
        "guides/cluster-working-2025.md",
        "replaces = \"cluster-working-2013\"",
        "replaces = \"cluster-working-2031\"",
    );
    let out = common::run(root, &["check"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    for expected in [
        "content/clusters/arm.toml:", // every one below names its file and line
        "`contacts.mobile` is not a UK phone number",
        "`contacts.email`: `jodu.armcluster.co.uk` is not an email address",
        "unknown category \"attendence\"",
        "`updates.date`: `2015-13` has month 13",
        "the school \"Gledhow Primary\" is also listed in the cluster \"arm\"",
        "this link goes to /guides/cluster-working-2052/, which is not a page of this site",
        "this guide replaces \"cluster-working-2031\", but there is no guide with that slug",
        "guide No. 13 has two current editions",
        // The 9 stale records, and the feed that cannot be validated without `base_url`.
        "`base_url` is not set, so the Open Referral UK feed (/oruk) cannot be validated",
        "Found 8 errors and 10 warnings",
    ] {
        assert!(
            stderr.contains(expected),
            "missing {expected:?} in:\n{stderr}"
        );
    }
    // The errors with a place in a file show it as `┌─ file:line:column`.
    assert!(stderr.matches("┌─ content/").count() >= 7, "{stderr}");
}

#[test]
fn failed_build_exits_non_zero_and_leaves_output_untouched() {
    let site = common::full_fixture();
    let root = site.path();
    let ok = common::run(root, &["build"]);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(String::from_utf8_lossy(&ok.stdout).contains("Built 3 clusters, 2 guides, 2 pages"));
    let before = common::snapshot(&root.join("public"));
    assert!(before.len() > 10);

    let rec = root.join("content/clusters/minimal.toml");
    std::fs::write(
        &rec,
        "name = \"Minimal\"\nlast_reviewed = 2014-07-01\nphone = 12\n",
    )
    .unwrap();
    let bad = common::run(root, &["build"]);
    assert!(!bad.status.success());
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(
        stderr.contains("content/clusters/minimal.toml:3:1"),
        "{stderr}"
    );
    assert!(stderr.contains("unknown field `phone`"), "{stderr}");
    assert_eq!(
        common::snapshot(&root.join("public")),
        before,
        "output changed after a failed build"
    );
    let leftovers: Vec<_> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().contains("clusterdir"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn check_outside_a_site_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let out = common::run(dir.path(), &["check"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("there is no content/site.toml here"));
}

/// The file:line of each problem, sorted.
fn places(problems: &[String]) -> Vec<String> {
    let mut v: Vec<String> = problems
        .iter()
        .map(|p| p.split(':').take(2).collect::<Vec<_>>().join(":"))
        .collect();
    v.sort();
    v
}

#[test]
fn one_run_reports_an_unknown_field_and_the_bad_values_beside_it() {
    let record = "name = \"A\"\nlast_reviewed = 2025-01-01\ncolour = \"blue\"\n\n[help]\nemial = \"x@example.org\"\nemail = \"help at example.org\"\nphone = \"0113 496\"\n";
    let p = problems(&[("clusters/a.toml", record)]);
    assert_eq!(
        places(&p),
        [
            "content/clusters/a.toml:3",
            "content/clusters/a.toml:6",
            "content/clusters/a.toml:7",
            "content/clusters/a.toml:8"
        ],
        "{p:#?}"
    );
    assert!(
        p.iter().any(|l| l.contains("unknown field `colour`")),
        "{p:#?}"
    );
    assert!(
        p.iter().any(|l| l.contains("unknown field `emial`")),
        "{p:#?}"
    );
}

#[test]
fn a_mistake_in_site_toml_hides_no_other_file() {
    let site = format!("tittle = \"x\"\n{SITE}");
    let p = problems_with_site(
        &site,
        &[(
            "clusters/a.toml",
            "name = \"A\"\nlast_reviewed = 2025-01-01\n[help]\nphone = \"0113 496\"\n",
        )],
    );
    assert_eq!(
        places(&p),
        ["content/clusters/a.toml:4", "content/site.toml:1"],
        "{p:#?}"
    );
}

#[test]
fn a_link_to_a_record_with_errors_is_not_reported_as_broken_too() {
    let page = "+++\ntitle = \"P\"\n+++\n\nSee [B](/clusters/b/), [its offer](/clusters/b/offer/), [the guide](/guides/g/) and [nothing](/clusters/nope/).\n";
    let p = problems(&[
        ("clusters/a.toml", GOOD),
        (
            "clusters/b.toml",
            "name = \"B\nlast_reviewed = 2025-01-01\n",
        ),
        ("guides/g.md", "+++\ntitle = \"G\"\nnumber = one\n+++\n"),
        ("pages/about.md", page),
    ]);
    assert_eq!(
        places(&p),
        [
            "content/clusters/b.toml:1",
            "content/guides/g.md:3",
            "content/pages/about.md:5"
        ],
        "{p:#?}"
    );
    assert!(p.iter().any(|l| l.contains("/clusters/nope/")), "{p:#?}");
}

#[test]
fn a_site_toml_that_cannot_be_read_hides_no_other_file() {
    let site = format!("title = \"T\n{}", SITE.split_once('\n').unwrap().1);
    let record = "name = \"A\"\nlast_reviewed = 2025-01-01\n[help]\nphone = \"0113 496\"\n\n[[offer]]\nservice = \"S\"\ncategory = \"family-support\"\n";
    let p = problems_with_site(&site, &[("clusters/a.toml", record)]);
    assert_eq!(
        places(&p),
        ["content/clusters/a.toml:4", "content/site.toml:1"],
        "{p:#?}"
    );
}

#[test]
fn a_file_with_the_wrong_ending_is_named_not_skipped_in_silence() {
    let p = problems(&[
        ("clusters/a.toml", GOOD),
        ("clusters/b.TOML", GOOD),
        ("clusters/c.toml.txt", GOOD),
        ("clusters/.gitkeep", ""),
        ("clusters/a.toml~", GOOD),
    ]);
    assert_eq!(p.len(), 2, "{p:#?}");
    assert!(
        p[0].starts_with("content/clusters/b.TOML: warning: this file is not read"),
        "{p:#?}"
    );
    assert!(p[0].contains("rename it to b.toml"), "{p:#?}");
    assert!(p[1].contains("rename it to c.toml"), "{p:#?}");
}

/// Editors' lock, backup and swap files and the files systems leave in folders, made for
/// several record and document names in each content folder (locks both as Emacs makes
/// them, a link to nowhere, and as ordinary files), are passed over without a word;
/// their text could not be read as content.
#[test]
fn editor_lock_backup_and_swap_files_are_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir_all(content.join("guides")).unwrap();
    std::fs::create_dir_all(content.join("pages")).unwrap();
    std::fs::create_dir_all(content.join("clusters/.git")).unwrap();
    std::fs::write(content.join("site.toml"), SITE).unwrap();
    std::fs::write(content.join("clusters/good.toml"), GOOD).unwrap();
    std::fs::write(content.join("clusters/.git/x.toml"), "not = [toml").unwrap();
    let junk = "+++\nnot = [toml\n\u{0}";
    let patterns = [
        ".#{}", "{}~", "#{}#", ".{}.swp", ".{}.swo", ".{}.swx", "{}.bak", "._{}",
    ];
    for (folder, ext) in [("clusters", "toml"), ("guides", "md"), ("pages", "md")] {
        for name in ["good", "a-b", "x.y", "site"] {
            let file = format!("{name}.{ext}");
            for p in patterns {
                let path = content.join(folder).join(p.replace("{}", &file));
                std::fs::write(path, junk).unwrap();
            }
            #[cfg(unix)]
            std::os::unix::fs::symlink(
                "someone@host.1234:1700000000",
                content.join(folder).join(format!(".#{name}-lock.{ext}")),
            )
            .unwrap();
        }
        for system in [".DS_Store", "Thumbs.db", "desktop.ini", ".gitkeep"] {
            std::fs::write(content.join(folder).join(system), junk).unwrap();
        }
    }
    let checked = common::check(dir.path());
    let p = checked.diagnostics.short_lines(&checked.sources);
    assert_eq!(p, Vec::<String>::new());
}

#[test]
fn a_hidden_content_file_is_named_not_read() {
    let p = only(&[("clusters/good.toml", GOOD), ("clusters/.old.toml", GOOD)]);
    assert!(
        p.starts_with("content/clusters/.old.toml: warning: this file is not read: its name starts with a dot"),
        "{p}"
    );
    assert!(p.contains("rename it to old.toml"), "{p}");
}

/// A slug of `len` characters made of random words and hyphens.
fn slug_of_length(rng: &mut fastrand::Rng, len: usize) -> String {
    let mut s = String::new();
    while s.len() < len {
        if !s.is_empty() {
            s.push('-');
        }
        let word: String = (0..rng.usize(1..9)).map(|_| rng.lowercase()).collect();
        s.push_str(&word);
    }
    s.truncate(len);
    while s.ends_with('-') {
        s.pop();
        s.push(rng.lowercase());
    }
    s
}

/// Slugs around and far beyond the longest allowed, given by `slug = ...` or by the file
/// name, for each kind of record and document: `check` refuses the long ones (so
/// `build` never meets a name the file system refuses), pointing at the value.
#[test]
fn a_slug_too_long_for_an_address_fails_the_check() {
    let max = clusterdir::text::MAX_SLUG_LEN;
    let mut rng = fastrand::Rng::with_seed(99);
    for len in [1, max - 1, max, max + 1, max + 20, 255, 300, 1000] {
        let slug = slug_of_length(&mut rng, len);
        let too_long = len > max;
        let page = format!("+++\ntitle = \"P\"\nslug = \"{slug}\"\n+++\n\nText.\n");
        let guide = format!("+++\ntitle = \"G\"\nnumber = 1\nedition = 2025-01-01\nsummary = \"s\"\nslug = \"{slug}\"\n+++\n\nText.\n");
        let cluster = format!("name = \"A\"\nslug = \"{slug}\"\nlast_reviewed = 2025-01-01\n");
        for (path, text, line) in [
            ("pages/p.md", page, 3),
            ("guides/g.md", guide, 6),
            ("clusters/a.toml", cluster, 2),
        ] {
            let p = problems(&[(path, &text)]);
            if too_long {
                assert_eq!(p.len(), 1, "{len}: {p:#?}");
                assert!(
                    p[0].starts_with(&format!("content/{path}:{line}:")),
                    "{p:#?}"
                );
                assert!(
                    p[0].contains(&format!("is {len} characters long")),
                    "{p:#?}"
                );
                assert!(p[0].contains("help: use a shorter one"), "{p:#?}");
            } else {
                assert_eq!(p, Vec::<String>::new(), "{len}");
            }
        }
        if len <= 240 {
            let p = problems(&[(&format!("clusters/{slug}.toml"), GOOD)]);
            assert_eq!(p.len(), usize::from(too_long), "{len}: {p:#?}");
        }
    }
}

/// Pairs of edition dates (whole days and months only, seeded): an edition that says it
/// replaces another must be dated after it, or the check names both dates.
#[test]
fn an_older_edition_cannot_replace_a_newer_one() {
    let mut rng = fastrand::Rng::with_seed(2025);
    // A date and how the front matter writes it: a TOML date, or a month as a string.
    let date = |rng: &mut fastrand::Rng| {
        let (y, m) = (rng.i32(2019..2022), rng.u32(1..4));
        if rng.bool() {
            let d = rng.u32(1..4);
            ((y, m, Some(d)), format!("{y:04}-{m:02}-{d:02}"))
        } else {
            ((y, m, None), format!("\"{y:04}-{m:02}\""))
        }
    };
    let mut refused = 0;
    for _ in 0..60 {
        let ((ny, nm, nd), new_text) = date(&mut rng);
        let ((oy, om, od), old_text) = date(&mut rng);
        let later = match ((ny, nm).cmp(&(oy, om)), nd, od) {
            (std::cmp::Ordering::Equal, Some(a), Some(b)) => a > b,
            (std::cmp::Ordering::Equal, None, None) => false,
            (std::cmp::Ordering::Equal, _, _) => true,
            (order, _, _) => order.is_gt(),
        };
        let new = format!("+++\ntitle = \"G\"\nnumber = 1\nedition = {new_text}\nsummary = \"s\"\nreplaces = \"old\"\n+++\n\nText.\n");
        let old = format!(
            "+++\ntitle = \"G\"\nnumber = 1\nedition = {old_text}\nsummary = \"s\"\n+++\n\nText.\n"
        );
        let p = problems(&[("guides/new.md", &new), ("guides/old.md", &old)]);
        if later {
            assert_eq!(p, Vec::<String>::new(), "{new_text} after {old_text}");
        } else {
            refused += 1;
            assert_eq!(p.len(), 1, "{new_text} before {old_text}: {p:#?}");
            assert!(
                p[0].starts_with("content/guides/new.md:4:11: error: this edition ("),
                "{p:#?}"
            );
            assert!(p[0].contains("replaces \"old\", but is"), "{p:#?}");
        }
    }
    assert!(refused > 10, "{refused}");
}

/// A school written another way: a few of the ways (chosen at random) an editor's
/// copy and paste can change a name without changing the school.
fn disguise(name: &str, rng: &mut fastrand::Rng) -> String {
    let mut s = name
        .replace("St ", ["Saint ", "St. ", "ST "][rng.usize(0..3)])
        .replace(
            "RC",
            ["Roman Catholic", "R.C.", "Catholic"][rng.usize(0..3)],
        );
    if rng.bool() {
        s = s.replace(" Primary School", "");
    }
    let mut chars: Vec<char> = s.chars().collect();
    let alikes = look_alikes();
    for _ in 0..3 {
        let i = rng.usize(0..chars.len());
        match rng.u8(0..6) {
            5 => {
                // Any look-alike of Unicode's confusables table for this letter.
                let of: Vec<char> = alikes
                    .iter()
                    .filter(|(_, to)| to.eq_ignore_ascii_case(&chars[i].to_string()))
                    .map(|(c, _)| *c)
                    .collect();
                if !of.is_empty() {
                    chars[i] = of[rng.usize(..of.len())];
                }
            }
            0 => chars.insert(
                i,
                ['\u{200b}', '\u{ad}', '\u{2060}', '\u{feff}', '\u{200e}'][rng.usize(0..5)],
            ),
            1 => {
                let swap = [
                    ('a', 'а'),
                    ('e', 'е'),
                    ('o', 'ο'),
                    ('c', 'с'),
                    ('p', 'р'),
                    ('S', 'Ѕ'),
                    ('P', 'Р'),
                    ('C', 'С'),
                ];
                if let Some((_, to)) = swap.iter().find(|(from, _)| *from == chars[i]) {
                    chars[i] = *to;
                }
            }
            2 if chars[i].is_ascii_graphic() => {
                chars[i] = char::from_u32(chars[i] as u32 + 0xFEE0).unwrap()
            }
            3 if chars[i].is_alphabetic() => chars.insert(i + 1, '\u{301}'),
            _ => chars[i] = chars[i].to_ascii_uppercase(),
        }
    }
    chars.into_iter().collect()
}

/// Every look-alike character of the generated table (the browser's copy, which a test
/// in `src/text.rs` checks is the check's own) and the letters it stands for.
fn look_alikes() -> Vec<(char, String)> {
    let js =
        std::fs::read_to_string(common::repo_root().join("themes/default/static/confusables.mjs"))
            .unwrap();
    js.lines()
        .filter_map(|l| l.trim().strip_prefix("\"\\u{"))
        .map(|l| {
            let (hex, rest) = l.split_once("}\": \"").unwrap();
            let c = char::from_u32(u32::from_str_radix(hex, 16).unwrap()).unwrap();
            (c, rest.trim_end_matches("\",").to_string())
        })
        .collect()
}

/// Names of generated words written with their words run together, hyphenated or
/// joined by a filler that shows as a blank are the same school.
#[test]
fn a_school_written_with_other_spacing_is_still_the_same_school() {
    let mut rng = fastrand::Rng::with_seed(17);
    let joins = [
        "", "-", "\u{1160}", "\u{115f}", "\u{3164}", "\u{180e}", " - ",
    ];
    let mut names = vec![
        vec!["All".to_string(), "through".to_string()],
        vec!["Zebra".into(), "Academy".into()],
    ];
    for _ in 0..10 {
        names.push(
            (0..rng.usize(2..4))
                .map(|_| {
                    let mut w: String = (0..rng.usize(4..8)).map(|_| rng.lowercase()).collect();
                    w[..1].make_ascii_uppercase();
                    w
                })
                .collect(),
        );
    }
    for words in names {
        let name = words.join(" ");
        let mut other = words[0].clone();
        for w in &words[1..] {
            other.push_str(joins[rng.usize(..joins.len())]);
            other.push_str(w);
        }
        let a = format!("name = \"A\"\nlast_reviewed = 2025-01-01\n[[schools]]\nname = \"{name}\"\nphase = \"primary\"\n");
        let b = format!("name = \"B\"\nlast_reviewed = 2025-01-01\n\n[[schools]]\nname = \"{other}\"\nphase = \"primary\"\n");
        let p = only(&[("clusters/a.toml", &a), ("clusters/b.toml", &b)]);
        assert!(
            p.contains("is also listed in the cluster \"a\""),
            "{other:?}: {p}"
        );
    }
}

/// The same school written with invisible characters, look-alike letters from other
/// scripts, full-width letters, accents or other spellings of Saint and Roman Catholic
/// is reported as one school in two clusters.
#[test]
fn a_school_written_another_way_is_still_the_same_school() {
    let mut rng = fastrand::Rng::with_seed(16);
    for name in ["St Paul's RC Primary School", "St Anne's RC Primary School"] {
        for _ in 0..12 {
            let other = disguise(name, &mut rng);
            let a = format!("name = \"A\"\nlast_reviewed = 2025-01-01\n[[schools]]\nname = \"{name}\"\nphase = \"primary\"\n");
            let b = format!("name = \"B\"\nlast_reviewed = 2025-01-01\n\n[[schools]]\nname = \"{other}\"\nphase = \"primary\"\n");
            let p = only(&[("clusters/a.toml", &a), ("clusters/b.toml", &b)]);
            assert!(
                p.starts_with("content/clusters/b.toml:5:8: error: the school \"")
                    && p.contains("is also listed in the cluster \"a\""),
                "{other:?}: {p}"
            );
        }
    }
}

/// A heading whose id the templates use is `#section-<id>`: a link to the plain id is
/// reported with the id to use.
#[test]
fn a_link_to_a_heading_with_a_reserved_id_names_its_id() {
    let guide = "+++\ntitle = \"G\"\nnumber = 1\nedition = 2025-01-01\nsummary = \"s\"\n+++\n\n## Funding\n\nText.\n";
    let page = "+++\ntitle = \"P\"\n+++\n\nSee [funding](/guides/g/#funding) and [too](/guides/g/#section-funding).\n";
    let p = only(&[("guides/g.md", guide), ("pages/p.md", page)]);
    assert!(
        p.starts_with("content/pages/p.md:5:5: error: there is no #funding on /guides/g/"),
        "{p}"
    );
    assert!(p.contains("did you mean #section-funding?"), "{p}");
}
