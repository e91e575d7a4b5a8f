//! `clusterdir deploy` against a real S3-compatible server (`moto`, started on
//! 127.0.0.1 for each test; see `common/s3.rs`): what it uploads, skips and deletes,
//! what it never touches, the headers a visitor gets, and that a site with errors is
//! never published. What the bucket should hold is worked out from the site's own build.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Output;

use common::s3::{S3Server, KEY_ID, SECRET};

const BUCKET: &str = "site";
const PREFIX: &str = "leeds";

/// A copy of the full fixture site with a `[[deploy]]` target on `server`.
fn site(server: &S3Server, extra: &str) -> tempfile::TempDir {
    let dir = common::full_fixture();
    common::s3::add_target(dir.path(), server, BUCKET, PREFIX, extra);
    dir
}

fn deploy(root: &Path, args: &[&str]) -> Output {
    common::s3::deploy(root, args)
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// A deploy that must succeed: its (uploaded, unchanged, deleted) counts.
fn deployed(root: &Path, args: &[&str]) -> (usize, usize, usize) {
    let out = deploy(root, args);
    let all = text(&out);
    assert!(out.status.success(), "deploy failed:\n{all}");
    assert!(
        !all.contains(SECRET) && !all.contains(KEY_ID),
        "a credential was printed:\n{all}"
    );
    let n = |word: &str| -> usize {
        let at = all
            .find(word)
            .unwrap_or_else(|| panic!("no {word:?} in:\n{all}"))
            + word.len();
        all[at..]
            .trim_start()
            .split(|c: char| !c.is_ascii_digit())
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    assert!(
        all.contains(" s") && all.contains("KB"),
        "the summary gives bytes and seconds:\n{all}"
    );
    (n("uploaded"), n("unchanged"), n("deleted"))
}

/// What the site at `root` needs in the bucket: key (under the prefix) to bytes and
/// headers (content type, cache control), from the library's own build.
fn wanted(root: &Path) -> BTreeMap<String, (Vec<u8>, String, String)> {
    let checked = common::check(root);
    assert!(checked.ok(), "{}", checked.report(false));
    let site = checked.site.unwrap();
    let out = checked.rendered.unwrap();
    let rules = &site.config.deploy[0].cache_control;
    clusterdir::deploy::metadata::objects(&out, rules)
        .into_iter()
        .map(|(k, l)| {
            (
                k,
                (
                    out[&l.source].clone(),
                    l.headers.content_type,
                    l.headers.cache_control,
                ),
            )
        })
        .collect()
}

/// Every object under the prefix: relative key to ETag.
fn listed(server: &S3Server) -> BTreeMap<String, String> {
    server
        .list(BUCKET)
        .into_iter()
        .filter_map(|(k, e)| Some((k.strip_prefix(&format!("{PREFIX}/"))?.to_string(), e)))
        .collect()
}

const MANIFEST: &str = ".clusterdir-deploy.json";

/// Objects others put in the bucket, inside and outside the prefix.
const FOREIGN: &[&str] = &[
    "elsewhere/keep.txt",
    "leeds-old/index.html",
    "index.html",
    "leeds/theirs.txt",
    "leeds/oruk/theirs.json",
];

fn start() -> S3Server {
    let server = S3Server::start();
    server.create_bucket(BUCKET);
    for key in FOREIGN {
        server.put(BUCKET, key, format!("not clusterdir's: {key}").as_bytes());
    }
    server
}

fn assert_foreign_untouched(server: &S3Server) {
    for key in FOREIGN {
        let got = server.get(BUCKET, key);
        assert_eq!(got.status, 200, "{key} was deleted");
        assert_eq!(
            got.body,
            format!("not clusterdir's: {key}").as_bytes(),
            "{key} was changed"
        );
    }
}

/// The bucket holds exactly what the site needs (plus others' objects and the
/// manifest), byte for byte, with the headers a visitor must get.
fn assert_bucket_holds(server: &S3Server, root: &Path) {
    let want = wanted(root);
    let mut expected: BTreeSet<String> = want.keys().cloned().collect();
    expected.extend([
        "theirs.txt".to_string(),
        "oruk/theirs.json".into(),
        MANIFEST.into(),
    ]);
    let got: BTreeSet<String> = listed(server).into_keys().collect();
    assert_eq!(got, expected);
    for (key, (bytes, _, _)) in &want {
        let o = server.get(BUCKET, &format!("{PREFIX}/{key}"));
        assert_eq!(o.status, 200, "{key}");
        assert!(
            o.body == *bytes,
            "{key}: the stored bytes differ from the build's"
        );
        let (ct, cc) = expected_headers(key);
        assert_eq!(
            o.headers.get("content-type").map(String::as_str),
            Some(ct.as_str()),
            "{key}"
        );
        assert_eq!(
            o.headers.get("cache-control").map(String::as_str),
            Some(cc),
            "{key}"
        );
    }
}

/// The headers each object must have, written out here independently of the code.
fn expected_headers(key: &str) -> (String, &'static str) {
    let name = key.rsplit('/').next().unwrap();
    let short = "public, max-age=300";
    let ext = name
        .rsplit_once('.')
        .filter(|(s, _)| !s.is_empty())
        .map(|(_, e)| e);
    // The feed's addresses have no suffix; its base document is also the `oruk/` folder's
    // index, which website hosting serves for `/oruk/`.
    let feed_address = key.starts_with("oruk") && ext.is_none() || key == "oruk/index.html";
    let (ct, cc) = match ext {
        _ if feed_address => ("application/json", short),
        Some("html") => ("text/html; charset=utf-8", short),
        Some("json") => ("application/json", short),
        Some("csv") => ("text/csv; charset=utf-8", short),
        Some("ics") => ("text/calendar; charset=utf-8", short),
        Some("xml") => ("application/xml; charset=utf-8", short),
        Some("txt") => ("text/plain; charset=utf-8", short),
        Some("yaml") => ("application/yaml", short),
        Some("css") => ("text/css; charset=utf-8", "public, max-age=3600"),
        Some("mjs" | "js") => ("text/javascript; charset=utf-8", "public, max-age=3600"),
        Some("svg") => ("image/svg+xml; charset=utf-8", "public, max-age=3600"),
        Some("ico") => ("image/x-icon", "public, max-age=3600"),
        None => ("text/plain; charset=utf-8", short),
        Some(other) => panic!("{key}: no expectation for .{other} files yet; add one"),
    };
    (ct.to_string(), cc)
}

#[test]
fn the_first_deploy_uploads_everything_and_the_second_nothing() {
    let server = start();
    let dir = site(&server, "");
    let want = wanted(dir.path());
    let feed_addresses = want
        .keys()
        .filter(|k| k.starts_with("oruk") && !k.contains('.'))
        .count();
    assert!(
        feed_addresses > 3,
        "the feed answers at its addresses without .json"
    );
    assert_eq!(deployed(dir.path(), &[]), (want.len(), 0, 0));
    assert_bucket_holds(&server, dir.path());
    assert_foreign_untouched(&server);
    let mark = dir.path().join("public/.clusterdir-output");
    assert!(mark.is_file() && !listed(&server).contains_key(".clusterdir-output"));
    assert!(
        dir.path().join("public/index.html").is_file(),
        "deploy builds the site as build does"
    );
    let before = server.list(BUCKET);
    assert_eq!(deployed(dir.path(), &[]), (0, want.len(), 0));
    assert_eq!(
        server.list(BUCKET),
        before,
        "a deploy with nothing to do wrote something"
    );
}

/// A one-line edit, made up from `rng`: a new value for one text field of one record.
fn one_line_change(root: &Path, rng: &mut fastrand::Rng) -> String {
    let words = [
        "north", "south", "river", "park", "hill", "green", "bridge", "wood", "field",
    ];
    let mut sentence: Vec<&str> = (0..rng.usize(2..6))
        .map(|_| words[rng.usize(..words.len())])
        .collect();
    sentence.push(["Leeds", "Testville"][rng.usize(..2)]);
    let dir = root.join("content/clusters");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let file = &files[rng.usize(..files.len())];
    let record = std::fs::read_to_string(file).unwrap();
    let lines: Vec<&str> = record.lines().collect();
    let fields: Vec<usize> = (0..lines.len())
        .filter(|i| {
            ["name = \"", "area = \"", "notes = \""]
                .iter()
                .any(|f| lines[*i].starts_with(f))
        })
        .filter(|i| lines[*i].ends_with('"'))
        .collect();
    let edited = match fields.get(rng.usize(..fields.len().max(1))) {
        Some(&i) => {
            let field = lines[i].split(" = ").next().unwrap();
            let mut new = lines.clone();
            let line = format!("{field} = \"{} {}\"", sentence.join(" "), rng.u32(..1000));
            new[i] = &line;
            new.join("\n") + "\n"
        }
        None => format!("{record}area = \"{}\"\n", sentence.join(" ")),
    };
    std::fs::write(file, edited).unwrap();
    file.display().to_string()
}

#[test]
fn a_one_line_change_to_a_record_uploads_exactly_the_objects_it_changed() {
    let server = start();
    let dir = site(&server, "");
    deployed(dir.path(), &[]);
    let mut rng = fastrand::Rng::with_seed(19);
    for _ in 0..3 {
        let before = wanted(dir.path());
        let file = one_line_change(dir.path(), &mut rng);
        let after = wanted(dir.path());
        let changed: BTreeSet<String> = after
            .iter()
            .filter(|(k, v)| before.get(*k) != Some(v))
            .map(|(k, _)| k.clone())
            .collect();
        let gone = before.keys().filter(|k| !after.contains_key(*k)).count();
        assert!(!changed.is_empty(), "the edit of {file} changed nothing");
        let plan = deploy(dir.path(), &["--dry-run"]);
        assert!(plan.status.success(), "{}", text(&plan));
        let planned: BTreeSet<String> = String::from_utf8_lossy(&plan.stdout)
            .lines()
            .filter_map(|l| l.strip_prefix("upload "))
            .map(|l| l.split(" (").next().unwrap().to_string())
            .collect();
        assert_eq!(planned, changed, "after editing {file}");
        assert_eq!(
            deployed(dir.path(), &[]),
            (changed.len(), after.len() - changed.len(), gone)
        );
        assert_bucket_holds(&server, dir.path());
    }
    assert_foreign_untouched(&server);
}

#[test]
fn a_removed_page_is_deleted_and_nothing_else() {
    let server = start();
    let dir = site(&server, "");
    deployed(dir.path(), &[]);
    let before = wanted(dir.path());
    std::fs::remove_file(dir.path().join("content/pages/accessibility.md")).unwrap();
    let after = wanted(dir.path());
    let gone: Vec<&String> = before.keys().filter(|k| !after.contains_key(*k)).collect();
    assert!(
        gone.iter().any(|k| k.starts_with("accessibility/")),
        "{gone:?}"
    );
    let (_, _, deleted) = deployed(dir.path(), &[]);
    assert_eq!(deleted, gone.len());
    for key in gone {
        assert_ne!(
            server.get(BUCKET, &format!("{PREFIX}/{key}")).status,
            200,
            "{key} is still there"
        );
    }
    assert_bucket_holds(&server, dir.path());
    assert_foreign_untouched(&server);
}

#[test]
fn max_deletes_stops_a_mass_deletion_before_anything_changes() {
    let server = start();
    let dir = site(&server, "");
    deployed(dir.path(), &[]);
    let before = wanted(dir.path());
    for record in ["minimal.toml", "long-name.toml"] {
        std::fs::remove_file(dir.path().join("content/clusters").join(record)).unwrap();
    }
    let after = wanted(dir.path());
    let gone = before.keys().filter(|k| !after.contains_key(*k)).count();
    assert!(gone > 4, "{gone}");
    let bucket = server.list(BUCKET);
    let limit = (gone - 1).to_string();
    let refused = deploy(dir.path(), &["--max-deletes", &limit]);
    let message = text(&refused);
    assert_eq!(refused.status.code(), Some(1), "{message}");
    assert!(
        message.contains(&format!("would delete {gone} objects")),
        "{message}"
    );
    assert!(
        message.contains(&format!("--max-deletes {gone}")),
        "the message says how to go on:\n{message}"
    );
    assert!(
        message.contains("nothing was uploaded or deleted"),
        "{message}"
    );
    assert_eq!(
        server.list(BUCKET),
        bucket,
        "a refused deploy changed the bucket"
    );
    let (_, _, deleted) = deployed(dir.path(), &["--max-deletes", &gone.to_string()]);
    assert_eq!(deleted, gone);
    assert_bucket_holds(&server, dir.path());
    assert_foreign_untouched(&server);
}

#[test]
fn a_change_of_cache_control_alone_is_uploaded() {
    let server = start();
    let dir = site(&server, "");
    deployed(dir.path(), &[]);
    let config = dir.path().join("content/site.toml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str("\n[deploy.cache_control]\nassets = \"public, max-age=60\"\n");
    std::fs::write(&config, text).unwrap();
    let want = wanted(dir.path());
    let assets: Vec<&String> = want
        .keys()
        .filter(|k| k.starts_with("static/") || k.ends_with(".ico"))
        .collect();
    assert!(assets.len() > 3);
    assert_eq!(
        deployed(dir.path(), &[]),
        (assets.len(), want.len() - assets.len(), 0)
    );
    for key in assets {
        let o = server.get(BUCKET, &format!("{PREFIX}/{key}"));
        assert_eq!(o.headers["cache-control"], "public, max-age=60", "{key}");
    }
}

#[test]
fn a_site_with_an_error_uploads_nothing() {
    let server = start();
    let dir = site(&server, "");
    let empty = server.list(BUCKET);
    let record = dir.path().join("content/clusters/minimal.toml");
    let good = std::fs::read_to_string(&record).unwrap();
    let mut rng = fastrand::Rng::with_seed(4);
    for round in 0..4 {
        // A phone number that is not one, made up: letters or too few digits.
        let bad: String = (0..rng.usize(1..6))
            .map(|_| {
                if rng.bool() {
                    rng.lowercase()
                } else {
                    rng.digit(10)
                }
            })
            .collect();
        std::fs::write(&record, format!("{good}\n[help]\nphone = \"{bad}\"\n")).unwrap();
        let out = deploy(dir.path(), &[]);
        let message = text(&out);
        assert_eq!(out.status.code(), Some(1), "{message}");
        let line = good.lines().count() + 3;
        let place = format!("content/clusters/minimal.toml:{line}:9");
        assert!(
            message.contains(&place),
            "the error names its place ({place}):\n{message}"
        );
        assert_eq!(
            server.list(BUCKET),
            empty,
            "round {round}: a site with an error was uploaded"
        );
    }
    std::fs::write(&record, &good).unwrap();
    deployed(dir.path(), &[]);
    let published = server.list(BUCKET);
    std::fs::write(&record, format!("{good}\n[help]\nphone = \"0113 496\"\n")).unwrap();
    let out = deploy(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(
        server.list(BUCKET),
        published,
        "the published site was changed by a broken one"
    );
}

#[test]
fn credentials_are_never_printed_even_when_the_bucket_is_missing() {
    let server = S3Server::start();
    let dir = site(&server, "");
    let out = deploy(dir.path(), &[]);
    let message = text(&out);
    assert_eq!(out.status.code(), Some(1), "{message}");
    assert!(
        message.contains("s3://site/leeds/"),
        "the message names the bucket:\n{message}"
    );
    assert!(
        message.contains("content/site.toml:"),
        "it points at the target:\n{message}"
    );
    assert!(
        !message.contains(SECRET) && !message.contains(KEY_ID),
        "{message}"
    );
}

#[test]
fn drafts_are_never_deployed() {
    let server = start();
    let dir = site(&server, "");
    let before = server.list(BUCKET);
    let out = deploy(dir.path(), &["--drafts"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("never publishes drafts"),
        "{}",
        text(&out)
    );
    assert_eq!(server.list(BUCKET), before);
}

#[test]
fn deploy_without_a_target_or_with_an_unknown_one_says_what_to_do() {
    let dir = common::full_fixture();
    let out = deploy(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out).contains("no [[deploy]] target"),
        "{}",
        text(&out)
    );
    let server = S3Server::start();
    let dir = site(
        &server,
        "\n[[deploy]]\nname = \"preview\"\nbucket = \"other\"\n",
    );
    let out = deploy(dir.path(), &["--dry-run"]);
    assert!(
        text(&out).contains("--target local, --target preview"),
        "{}",
        text(&out)
    );
    let out = deploy(dir.path(), &["--dry-run", "--target", "locl"]);
    assert!(
        text(&out).contains("did you mean --target local?"),
        "{}",
        text(&out)
    );
}

#[test]
fn check_points_at_each_wrong_deploy_setting_with_its_line_and_column() {
    let mut rng = fastrand::Rng::with_seed(21);
    let cases: &[(&str, &[&str])] = &[
        (
            "bucket",
            &["My_Bucket", "ab", "-site", "site..x", "site bucket"],
        ),
        (
            "endpoint",
            &[
                "http://storage.example.org",
                "ftp://127.0.0.1",
                "https://key:secret@example.org",
                "https://example.org/bucket",
            ],
        ),
        ("region", &["EU West 2", "eu_west"]),
        ("prefix", &["/leeds", "leeds/", "leeds//x", "../up", "a b"]),
        ("profile", &["my profile", "a]b"]),
    ];
    for _ in 0..3 {
        let dir = common::full_fixture();
        let config = dir.path().join("content/site.toml");
        let mut text = std::fs::read_to_string(&config).unwrap();
        text.push_str("\n[[deploy]]\nname = \"live\"\n");
        let mut expected = Vec::new();
        let mut fields: Vec<&(&str, &[&str])> = cases.iter().collect();
        rng.shuffle(&mut fields);
        for (field, bad) in fields {
            let value = bad[rng.usize(..bad.len())];
            let line = text.lines().count() + 1;
            text.push_str(&format!("{field} = \"{value}\"\n"));
            expected.push((field.to_string(), line, field.len() + 4));
        }
        std::fs::write(&config, &text).unwrap();
        let out = common::run(dir.path(), &["check"]);
        let report = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{report}");
        for (field, line, column) in expected {
            let place = format!("content/site.toml:{line}:{column}");
            assert!(
                report.contains(&place),
                "`deploy.{field}` not reported at {place}:\n{report}"
            );
            assert!(
                report.contains(&format!("`deploy.{field}` of target \"live\"")),
                "{field}:\n{report}"
            );
        }
    }
}

#[test]
fn files_with_any_printable_name_are_stored_under_that_name_and_found_again() {
    let server = start();
    let dir = site(&server, "");
    let mut rng = fastrand::Rng::with_seed(31);
    let alphabet: Vec<char> = "aZ09 -_.()+%&=@!,;'~é中😀".chars().collect();
    let mut names = BTreeSet::new();
    while names.len() < 12 {
        let stem: String = (0..rng.usize(1..10))
            .map(|_| alphabet[rng.usize(..alphabet.len())])
            .collect();
        let stem = stem.trim_matches(['.', ' ']).to_string();
        if !stem.is_empty() {
            names.insert(format!("{stem}.pdf"));
        }
    }
    let static_dir = dir.path().join("static/files");
    std::fs::create_dir_all(&static_dir).unwrap();
    for (i, name) in names.iter().enumerate() {
        std::fs::write(static_dir.join(name), format!("document {i}")).unwrap();
    }
    let want = wanted(dir.path());
    assert_eq!(deployed(dir.path(), &[]), (want.len(), 0, 0));
    assert_eq!(
        deployed(dir.path(), &[]),
        (0, want.len(), 0),
        "a name was not found again: {names:?}"
    );
    let stored = listed(&server);
    for (i, name) in names.iter().enumerate() {
        let key = format!("static/files/{name}");
        assert!(
            stored.contains_key(&key),
            "{key:?} not stored under its name: {stored:?}"
        );
        let encoded =
            percent_encoding::utf8_percent_encode(&key, percent_encoding::NON_ALPHANUMERIC)
                .to_string()
                .replace("%2F", "/");
        let got = server.get(BUCKET, &format!("{PREFIX}/{encoded}"));
        assert_eq!(
            (got.status, got.body),
            (200, format!("document {i}").into_bytes()),
            "{key:?}"
        );
    }
}

#[test]
fn the_feed_answers_at_its_addresses_in_the_bucket_as_a_client_reads_them() {
    let server = start();
    let dir = site(&server, "");
    deployed(dir.path(), &[]);
    let base = server.web_address(BUCKET, &format!("{PREFIX}/"));
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let get_json = |address: &str| {
        let mut r = agent.get(&format!("{base}{address}")).call().unwrap();
        assert_eq!(r.status(), 200, "{address}");
        let ct = r
            .headers()
            .get("content-type")
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        assert_eq!(ct, "application/json", "{address}");
        let body = r.body_mut().read_to_string().unwrap();
        serde_json::from_str::<serde_json::Value>(&body)
            .unwrap_or_else(|e| panic!("{address}: {e}"))
    };
    let root = get_json("oruk");
    assert!(root.is_object(), "the base document is an object");
    let mut lists = 0;
    for list in ["services", "organizations", "taxonomies"] {
        let Some(page) = dir
            .path()
            .join(format!("public/oruk/{list}/index.json"))
            .is_file()
            .then(|| get_json(&format!("oruk/{list}")))
        else {
            continue;
        };
        lists += 1;
        let contents = page["contents"]
            .as_array()
            .unwrap_or_else(|| panic!("{list}: {page}"));
        assert!(!contents.is_empty(), "{list}");
        for item in contents {
            let id = item["id"].as_str().unwrap();
            assert_eq!(
                get_json(&format!("oruk/{list}/{id}"))["id"],
                id,
                "{list}/{id}"
            );
        }
    }
    assert!(lists >= 2, "the feed's lists were not found");
}

#[test]
fn the_feed_read_back_from_the_bucket_passes_the_validators_level_1_and_2_checks() {
    let server = start();
    // A generated site: every list of the feed has items (the fixture has no locations).
    let (_dir, root) = common::oruk_feed::generated_site_with_base_url(4);
    common::s3::add_target(&root, &server, BUCKET, PREFIX, "");
    deployed(&root, &[]);
    server.allow_any_origin(BUCKET);
    // Website hosting answers `/oruk/` with `oruk/index.html`, as it answers every folder
    // of the site; the test server's plain object address needs that spelled out.
    let requests = common::oruk_feed::validate_feed_on(
        &server.web_address(BUCKET, &format!("{PREFIX}/oruk")),
        Some("index.html"),
    );
    assert!(requests.values().sum::<usize>() > 10, "{requests:?}");
}
