//! The browser editor's HTTP side (`clusterdir serve`, under `/_edit/`): a change is
//! accepted only from the preview's own address (Host and Origin), with this run's
//! token, in a form of bounded size, and then it changes the record's file; the
//! editor and its "Edit this page" link never appear in `build` output.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::Duration;

use common::*;

/// A raw request to the preview: the status line and the body.
fn send(port: u16, request: &str) -> (String, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(request.as_bytes()).unwrap();
    let mut bytes = Vec::new();
    let _ = s.read_to_end(&mut bytes);
    let text = String::from_utf8_lossy(&bytes);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    (
        head.lines().next().unwrap_or("").to_string(),
        body.to_string(),
    )
}

/// A form post with the given `Host` and `Origin` (none when `None`).
fn post(
    port: u16,
    path: &str,
    host: &str,
    origin: Option<&str>,
    form: &[(&str, &str)],
) -> (String, String) {
    let body: String = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form)
        .finish();
    let origin = origin
        .map(|o| format!("Origin: {o}\r\n"))
        .unwrap_or_default();
    send(
        port,
        &format!(
            "POST {path} HTTP/1.0\r\nHost: {host}\r\n{origin}Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        ),
    )
}

/// The value of the hidden field `name` in a form page.
fn hidden(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name} in {page}"))
        + marker.len();
    page[start..].split('"').next().unwrap().to_string()
}

fn refs<'a>(f: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    f.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

fn content(root: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    snapshot(&root.join("content"))
}

#[test]
fn changes_from_another_host_origin_or_without_the_token_are_refused_and_write_nothing() {
    let dir = full_fixture();
    let root = dir.path();
    let (_server, port) = start_serve(root);
    let own = format!("127.0.0.1:{port}");
    let origin = format!("http://{own}");
    let (status, form_page) = get(port, "/_edit/cluster/complete");
    assert!(status.contains(" 200"), "{status}: {form_page}");
    let (token, version) = (hidden(&form_page, "_token"), hidden(&form_page, "_version"));
    let before = content(root);
    let change = |token: &str| {
        vec![
            ("_token", token.to_string()),
            ("_version", version.clone()),
            ("_action", "save".to_string()),
            ("name", "Renamed by another site".to_string()),
            ("last_reviewed", "2025-01".to_string()),
        ]
    };
    let good = change(&token);

    // Generated wrong tokens: the right one with one character changed, cut short,
    // lengthened, and random strings.
    let mut rng = fastrand::Rng::with_seed(20);
    let mut wrong_tokens = vec![
        String::new(),
        token[..token.len() - 1].to_string(),
        format!("{token}0"),
    ];
    for _ in 0..20 {
        let mut t: Vec<char> = token.chars().collect();
        let i = rng.usize(..t.len());
        t[i] = if t[i] == 'a' { 'b' } else { 'a' };
        wrong_tokens.push(t.into_iter().collect());
        wrong_tokens.push((0..64).map(|_| rng.alphanumeric()).collect());
    }
    let mut attempts: Vec<(String, (String, String))> = Vec::new();
    let path = "/_edit/cluster/complete";
    for host in ["evil.example", "127.0.0.1.evil.example:1", "localhost:1"] {
        attempts.push((
            format!("Host {host}"),
            post(port, path, host, Some(&origin), &refs(&good)),
        ));
    }
    for other in [
        "http://evil.example",
        "null",
        &format!("https://{own}"),
        &format!("http://localhost:{port}"),
    ] {
        attempts.push((
            format!("Origin {other}"),
            post(port, path, &own, Some(other), &refs(&good)),
        ));
    }
    attempts.push((
        "no Origin".into(),
        post(port, path, &own, None, &refs(&good)),
    ));
    let no_token: Vec<(&str, &str)> = refs(&good)
        .into_iter()
        .filter(|(k, _)| *k != "_token")
        .collect();
    attempts.push((
        "no token".into(),
        post(port, path, &own, Some(&origin), &no_token),
    ));
    for wrong in &wrong_tokens {
        let form = change(wrong);
        attempts.push((
            format!("token {wrong:?}"),
            post(port, path, &own, Some(&origin), &refs(&form)),
        ));
    }
    let big = "x".repeat(3 * 1024 * 1024);
    let mut huge = refs(&good);
    huge.push(("summary", &big));
    attempts.push((
        "a 3 MB form".into(),
        post(port, path, &own, Some(&origin), &huge),
    ));
    for (what, (status, body)) in &attempts {
        let code: u16 = status.split(' ').nth(1).unwrap_or("0").parse().unwrap_or(0);
        assert!((400..500).contains(&code), "{what}: {status} {body}");
        assert!(!body.contains("Saved"), "{what}: {body}");
    }
    assert_eq!(content(root), before, "a refused change wrote something");
    assert!(attempts
        .iter()
        .any(|(w, (_, b))| w == "no Origin" && b.contains("no Origin header")));
    assert!(attempts
        .iter()
        .any(|(w, (_, b))| w == "no token" && b.contains("no editor token")));
}

/// Every control of the form at `action` in `page`, as a browser would post it
/// (buttons left out).
fn form_values(page: &str, action: &str) -> Vec<(String, String)> {
    let doc = scraper::Html::parse_document(page);
    let mut form: Vec<(String, String)> = Vec::new();
    for el in doc.select(&sel(&format!("form[action='{action}'] [name]"))) {
        let name = el.value().attr("name").unwrap().to_string();
        let value = match el.value().name() {
            "textarea" => el.text().collect(),
            "select" => el
                .select(&sel("option[selected]"))
                .next()
                .and_then(|o| o.value().attr("value"))
                .unwrap_or("")
                .to_string(),
            "button" => continue,
            _ => el.value().attr("value").unwrap_or("").to_string(),
        };
        form.push((name, value));
    }
    form
}

/// Post `form` from the preview's own page, with `action` as the button pressed.
fn post_form(port: u16, path: &str, form: &[(String, String)], action: &str) -> (String, String) {
    let own = format!("127.0.0.1:{port}");
    let mut pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    pairs.push(("_action", action));
    post(port, path, &own, Some(&format!("http://{own}")), &pairs)
}

#[test]
fn a_form_post_changes_the_record_file_and_only_the_value_changed() {
    let dir = full_fixture();
    let root = dir.path();
    let (_server, port) = start_serve(root);
    let own = format!("127.0.0.1:{port}");
    let (_, form_page) = get(port, "/_edit/cluster/complete");
    // Every control of the form, posted back as the browser would, with one change.
    let mut form = form_values(&form_page, "/_edit/cluster/complete");
    let file = root.join("content/clusters/complete.toml");
    let old = std::fs::read_to_string(&file).unwrap();
    let area = form
        .iter_mut()
        .find(|(k, _)| k == "area")
        .expect("an area field");
    area.1 = "Somewhere new in Leeds".to_string();
    form.push(("_action".into(), "save".into()));
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let (status, body) = post(
        port,
        "/_edit/cluster/complete",
        &own,
        Some(&format!("http://{own}")),
        &pairs,
    );
    assert!(status.contains(" 200"), "{status}: {body}");
    assert!(body.contains("Saved"), "{body}");
    let new = std::fs::read_to_string(&file).unwrap();
    assert!(new.contains("Somewhere new in Leeds"), "{new}");
    let changed: Vec<(&str, &str)> = old
        .lines()
        .zip(new.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert_eq!(old.lines().count(), new.lines().count());
}

#[test]
fn the_editor_and_its_links_appear_only_in_the_preview_never_in_build_output() {
    let dir = full_fixture();
    let root = dir.path();
    let public = build(root);
    for (path, bytes) in snapshot(&public) {
        let text = String::from_utf8_lossy(&bytes);
        for trace in [
            "/_edit",
            "Edit this page",
            "editor.css",
            "editor.js",
            "clusterdir-edit-link",
        ] {
            assert!(!text.contains(trace), "{path} has {trace}");
        }
    }
    // A page whose address is not its file name.
    let page = root.join("content/pages/accessibility.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(
        &page,
        text.replacen("weight = 2", "weight = 2\nslug = \"access\"", 1),
    )
    .unwrap();
    let (_server, port) = start_serve(root);
    for (address, editor) in [
        ("/clusters/complete/", "/_edit/cluster/complete"),
        ("/clusters/minimal/", "/_edit/cluster/minimal"),
        ("/guides/working-2024/", "/_edit/guide/working-2024"),
        ("/governance/", "/_edit/page/governance"),
        ("/access/", "/_edit/page/accessibility"),
    ] {
        let (status, page) = get(port, address);
        assert!(status.contains(" 200"), "{address}: {status}");
        let link = format!("<a href=\"{editor}\">Edit this page</a>");
        assert_eq!(page.matches(&link).count(), 1, "{address}: {page}");
    }
    for address in [
        "/",
        "/search/",
        "/schools/",
        "/clusters/",
        "/guides/",
        "/clusters/complete/offer/",
        "/no-such-page/",
    ] {
        let (_, page) = get(port, address);
        assert!(!page.contains("Edit this page"), "{address}");
    }
    for asset in ["/_edit/static/editor.css", "/_edit/static/editor.js"] {
        let (head, _) = get_with_head(port, asset);
        assert!(head.contains(" 200"), "{asset}: {head}");
        assert!(head.contains("default-src 'self'"), "{asset}: {head}");
    }
}

#[test]
fn a_file_changed_since_the_form_was_opened_is_not_overwritten() {
    let dir = full_fixture();
    let root = dir.path();
    let (_server, port) = start_serve(root);
    let path = "/_edit/cluster/complete";
    let (_, page) = get(port, path);
    let mut form = form_values(&page, path);
    let file = root.join("content/clusters/complete.toml");
    // Someone else saves the file meanwhile.
    let theirs = std::fs::read_to_string(&file).unwrap() + "\n# Their comment\n";
    std::fs::write(&file, &theirs).unwrap();
    form.iter_mut().find(|(k, _)| k == "area").unwrap().1 = "Mine".into();
    let (status, body) = post_form(port, path, &form, "save");
    assert!(status.contains(" 409"), "{status}");
    assert!(
        body.contains("This file changed since you opened it"),
        "{body}"
    );
    // The form is shown again with what was typed, and the file as it is now.
    let again = form_values(&body, path);
    assert!(
        again.iter().any(|(k, v)| k == "area" && v == "Mine"),
        "{body}"
    );
    assert!(body.contains("Open the record as it is now"), "{body}");
    assert!(body.contains("# Their comment"), "{body}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), theirs);
    // Saving again from that form still writes nothing.
    let (status, _) = post_form(port, path, &again, "save");
    assert!(status.contains(" 409"), "{status}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), theirs);
}

#[test]
fn adding_or_removing_a_row_or_previewing_shows_the_form_again_and_saves_nothing() {
    let dir = full_fixture();
    let root = dir.path();
    let (_server, port) = start_serve(root);
    let before = content(root);
    let path = "/_edit/cluster/complete";
    let (_, page) = get(port, path);
    let form = form_values(&page, path);
    let offers = form
        .iter()
        .filter(|(k, _)| k.starts_with("offer.") && k.ends_with(".service"))
        .count();
    assert!(offers > 0);
    let (status, added) = post_form(port, path, &form, "add:offer");
    assert!(status.contains(" 200"), "{status}");
    let with_row = form_values(&added, path);
    let new = format!("offer.{offers}.service");
    assert!(with_row.iter().any(|(k, _)| *k == new), "{added}");
    let (_, removed) = post_form(port, path, &with_row, "remove:offer.0");
    let without = form_values(&removed, path);
    assert!(!without.iter().any(|(k, _)| k.starts_with("offer.0.")));
    assert!(without.iter().any(|(k, _)| *k == new));
    // A new row after a removal still takes an index past the file's rows.
    let (_, again) = post_form(port, path, &without, &format!("remove:offer.{offers}"));
    let (_, readded) = post_form(port, path, &form_values(&again, path), "add:offer");
    assert!(
        form_values(&readded, path).iter().any(|(k, _)| *k == new),
        "{readded}"
    );
    let guide = "/_edit/guide/working-2024";
    let (_, page) = get(port, guide);
    let mut form = form_values(&page, guide);
    form.iter_mut().find(|(k, _)| k == "body").unwrap().1 =
        "## Heading\n\nSome *emphasis* & <script>x</script>".into();
    let (status, previewed) = post_form(port, guide, &form, "preview");
    assert!(status.contains(" 200"), "{status}: {previewed}");
    assert!(previewed.contains("<em>emphasis</em>"), "{previewed}");
    assert!(!previewed.contains("<script>x"), "{previewed}");
    assert_eq!(content(root), before, "nothing may be saved");
}

#[test]
fn an_earlier_version_can_be_restored() {
    let dir = full_fixture();
    let root = dir.path();
    let (_server, port) = start_serve(root);
    let path = "/_edit/cluster/complete";
    let file = root.join("content/clusters/complete.toml");
    let original = std::fs::read_to_string(&file).unwrap();
    for area in ["First change", "Second change"] {
        let (_, page) = get(port, path);
        let mut form = form_values(&page, path);
        form.iter_mut().find(|(k, _)| k == "area").unwrap().1 = area.into();
        let (status, body) = post_form(port, path, &form, "save");
        assert!(
            status.contains(" 200") && body.contains("Saved"),
            "{status}: {body}"
        );
    }
    let history = format!("{path}/history");
    let (_, page) = get(port, &history);
    let restore = format!("{path}/restore");
    let doc = scraper::Html::parse_document(&page);
    let forms: Vec<_> = doc
        .select(&sel(&format!("form[action='{restore}']")))
        .collect();
    assert_eq!(forms.len(), 2, "{page}");
    // The oldest kept version is the file as it was first.
    let oldest = form_values(&forms[1].html(), &restore);
    let (status, body) = post_form(port, &restore, &oldest, "restore");
    assert!(status.contains(" 200"), "{status}: {body}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), original);
}

#[test]
fn the_editor_is_off_when_the_preview_listens_on_the_network() {
    use std::io::BufRead;
    let dir = full_fixture();
    let root = dir.path();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_clusterdir"))
        .arg("--root")
        .arg(root)
        .args(["serve", "--port", "0", "--bind", "0.0.0.0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let port: u16 = loop {
        let line = lines.next().expect("serve printed its address").unwrap();
        if let Some(rest) = line.strip_prefix("Previewing at http://0.0.0.0:") {
            break rest.split('/').next().unwrap().parse().unwrap();
        }
    };
    let _server = Server(child);
    let before = content(root);
    let (status, body) = get(port, "/_edit/");
    assert!(status.contains(" 403"), "{status}");
    assert!(body.contains("without --bind"), "{body}");
    let own = format!("127.0.0.1:{port}");
    let form = [("_token", "x"), ("name", "Changed")];
    let (status, _) = post(
        port,
        "/_edit/cluster/complete",
        &own,
        Some(&format!("http://{own}")),
        &form,
    );
    assert!(status.contains(" 403"), "{status}");
    let (_, page) = get(port, "/clusters/complete/");
    assert!(page.contains("<h1") && !page.contains("Edit this page"));
    assert_eq!(content(root), before);
}

#[test]
fn a_record_whose_file_cannot_be_read_says_what_is_wrong_and_where_to_fix_it() {
    let dir = full_fixture();
    let root = dir.path();
    let (_server, port) = start_serve(root);
    let file = root.join("content/clusters/minimal.toml");
    let broken = "name = [broken\n";
    std::fs::write(&file, broken).unwrap();
    let (status, page) = get(port, "/_edit/cluster/minimal");
    assert!(status.contains(" 422"), "{status}");
    assert!(page.contains("There is a problem with this file"), "{page}");
    assert!(page.contains("cannot be read"), "{page}");
    assert!(
        page.contains("<code>content/clusters/minimal.toml</code>"),
        "{page}"
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), broken);
}

#[test]
fn a_new_record_is_made_only_under_a_proper_file_name() {
    let dir = full_fixture();
    let root = dir.path();
    let (_server, port) = start_serve(root);
    let path = "/_edit/new/cluster";
    let (_, page) = get(port, path);
    let blank = form_values(&page, path);
    let with = |slug: &str| {
        let mut form = blank.clone();
        form.retain(|(k, _)| k != "_slug" && k != "name" && k != "last_reviewed");
        form.push(("_slug".into(), slug.into()));
        form.push(("name".into(), "North Leeds".into()));
        form.push(("last_reviewed".into(), "2026-01".into()));
        form
    };
    let before = content(root);
    // Generated file names that are not lower-case letters, digits and hyphens, and
    // names of records that exist.
    let mut rng = fastrand::Rng::with_seed(27);
    let mut bad: Vec<String> = [
        "",
        "complete",
        "minimal",
        "../escape",
        "a/b",
        "North",
        "x.toml",
        "%2e%2e",
    ]
    .map(String::from)
    .to_vec();
    for _ in 0..30 {
        let mut name: String = (0..rng.usize(1..12)).map(|_| rng.char(..)).collect();
        if name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            name.push('/');
        }
        bad.push(name);
    }
    for slug in &bad {
        let (status, body) = post_form(port, path, &with(slug), "save");
        assert!(status.contains(" 422"), "{slug:?}: {status}");
        assert!(
            body.contains("href=\"#f-_slug\""),
            "{slug:?}: no error for the file name: {body}"
        );
        assert!(body.contains("id=\"f-_slug-error-0\""), "{slug:?}");
    }
    assert_eq!(content(root), before, "a refused name wrote something");
    let (status, body) = post_form(port, path, &with("north-leeds"), "save");
    assert!(
        status.contains(" 200") && body.contains("Saved"),
        "{status}: {body}"
    );
    let made = std::fs::read_to_string(root.join("content/clusters/north-leeds.toml")).unwrap();
    assert!(made.contains("North Leeds"), "{made}");
}

#[test]
fn only_the_save_button_saves_and_any_other_action_is_refused() {
    let dir = full_fixture();
    let root = dir.path();
    let (_server, port) = start_serve(root);
    let path = "/_edit/cluster/complete";
    let (_, page) = get(port, path);
    let mut form = form_values(&page, path);
    form.iter_mut().find(|(k, _)| k == "area").unwrap().1 = "Changed".into();
    let before = content(root);
    let mut rng = fastrand::Rng::with_seed(28);
    let mut actions: Vec<String> = [
        "remove:offer.x",
        "remove:offer",
        "remove:name.0",
        "add:name",
        "add:",
        "Save",
        "delete",
    ]
    .map(String::from)
    .to_vec();
    for _ in 0..20 {
        actions.push((0..rng.usize(1..15)).map(|_| rng.char(..)).collect());
    }
    for action in actions
        .iter()
        .filter(|a| !["save", "preview"].contains(&a.as_str()))
    {
        let (status, _) = post_form(port, path, &form, action);
        assert!(status.contains(" 400"), "{action:?}: {status}");
        for quick in ["/_edit/update", "/_edit/meeting", "/_edit/new/page"] {
            let (status, _) = post_form(port, quick, &form, action);
            assert!(status.contains(" 400"), "{quick} {action:?}: {status}");
        }
    }
    assert_eq!(content(root), before);
}

/// Every record of the fixture site (whose records fill every field of the model) and
/// of the real site, posted back from its form untouched, leaves its file byte for
/// byte as it was: every kind of control shows the value the file has.
#[test]
fn every_record_posted_back_unchanged_leaves_its_file_as_it_was() {
    for dir in [full_fixture(), real_site()] {
        let root = dir.path();
        let (_server, port) = start_serve(root);
        let before = content(root);
        let (_, start) = get(port, "/_edit/");
        let doc = scraper::Html::parse_document(&start);
        let forms: Vec<String> = doc
            .select(&sel("td a[href^='/_edit/']"))
            .filter_map(|a| a.value().attr("href"))
            .filter(|h| !h.contains("/new/"))
            .map(String::from)
            .collect();
        assert!(forms.len() >= 5, "{start}");
        for path in &forms {
            let (_, page) = get(port, path);
            let form = form_values(&page, path);
            let (status, body) = post_form(port, path, &form, "save");
            assert!(status.contains(" 200"), "{path}: {status}: {body}");
        }
        assert_eq!(
            content(root),
            before,
            "a form posted back unchanged changed a file"
        );
    }
}

/// A form from the preview's own address with a stale token (the preview restarted
/// since it was opened) or none: nothing is written, and the form comes back with what
/// was typed and this run's token, so pressing Save again saves it. Generated values
/// and tokens, on a record's form, a new record's form and a quick form.
#[test]
fn a_stale_or_missing_token_shows_the_form_again_with_the_values_kept() {
    let dir = full_fixture();
    let root = dir.path();
    let (_server, port) = start_serve(root);
    let mut rng = fastrand::Rng::with_seed(203);
    let forms = [
        ("/_edit/cluster/complete", "area"),
        ("/_edit/new/cluster", "name"),
        ("/_edit/update", "updates.0.title"),
    ];
    for n in 0..6 {
        let (path, field) = forms[n % forms.len()];
        let (_, page) = get(port, path);
        let token = hidden(&page, "_token");
        let typed: String = format!(
            "Typed {} é \"{}\"",
            n,
            (0..rng.usize(1..20))
                .map(|_| rng.alphanumeric())
                .collect::<String>()
        );
        let mut form = form_values(&page, path);
        match form.iter_mut().find(|(k, _)| k == field) {
            Some(pair) => pair.1 = typed.clone(),
            None => form.push((field.to_string(), typed.clone())),
        }
        form.retain(|(k, _)| k != "_token");
        if n % 2 == 0 {
            let stale: String = (0..64).map(|_| rng.digit(16)).collect();
            form.push(("_token".into(), stale));
        }
        let before = content(root);
        let (status, body) = post_form(port, path, &form, "save");
        assert!(status.contains(" 403"), "{path}: {status}");
        assert!(
            body.contains("Nothing was saved: press Save again"),
            "{body}"
        );
        assert_eq!(
            content(root),
            before,
            "{path}: a stale form wrote something"
        );
        let again = form_values(&body, path);
        assert!(
            again.iter().any(|(k, v)| k == field && *v == typed),
            "{path}: {typed:?} lost\n{body}"
        );
        assert!(
            again.iter().any(|(k, v)| k == "_token" && *v == token),
            "{path}"
        );
    }
    // Pressing Save on the form that came back saves it.
    let path = "/_edit/cluster/complete";
    let (_, page) = get(port, path);
    let mut form = form_values(&page, path);
    form.iter_mut().find(|(k, _)| k == "area").unwrap().1 = "Somewhere else".into();
    form.retain(|(k, _)| k != "_token");
    let (_, body) = post_form(port, path, &form, "save");
    let (status, _) = post_form(port, path, &form_values(&body, path), "save");
    assert!(status.contains(" 200"), "{status}");
    let file = std::fs::read_to_string(root.join("content/clusters/complete.toml")).unwrap();
    assert!(file.contains("area = \"Somewhere else\""), "{file}");
}

/// With another file broken, a save says it is saved but that the preview shows the
/// last good site until that file is fixed, naming it; the start page lists the
/// problem and the files the site cannot use ("cannot be read", with why).
#[cfg(unix)]
#[test]
fn a_save_while_another_file_is_broken_says_the_preview_cannot_show_it_yet() {
    let dir = full_fixture();
    let root = dir.path();
    let (_server, port) = start_serve(root);
    let guide = root.join("content/guides/working-2020.md");
    let text = std::fs::read_to_string(&guide).unwrap();
    std::fs::write(&guide, text.replacen("+++\n", "+++\ncolour = [\n", 1)).unwrap();
    let clusters = root.join("content/clusters");
    std::os::unix::fs::symlink(clusters.join("minimal.toml"), clusters.join("linked.toml"))
        .unwrap();
    let path = "/_edit/cluster/complete";
    let (_, page) = get(port, path);
    let mut form = form_values(&page, path);
    form.iter_mut().find(|(k, _)| k == "area").unwrap().1 = "Saved anyway".into();
    let (status, body) = post_form(port, path, &form, "save");
    assert!(status.contains(" 200"), "{status}: {body}");
    assert!(
        body.contains("Saved, but the preview still shows the last good site until these problems in other files are fixed:"),
        "{body}"
    );
    assert!(
        body.contains("content/guides/working-2020.md, line "),
        "{body}"
    );
    let (_, start) = get(port, "/_edit/");
    assert!(start.contains("until these problems are fixed"), "{start}");
    assert!(start.contains("content/guides/working-2020.md"), "{start}");
    assert!(start.contains("linked</a>: cannot be read"), "{start}");
    assert!(start.contains("symbolic link"), "{start}");
}

/// The web address name comes last among a form's first fields (not first), says that
/// changing it changes the page's address, and a save that changes it (to a generated
/// name) warns, naming the old and the new address, without stopping the save.
#[test]
fn the_web_address_name_is_last_in_the_first_group_and_changing_it_warns() {
    let dir = full_fixture();
    let root = dir.path();
    let (_server, port) = start_serve(root);
    let mut rng = fastrand::Rng::with_seed(205);
    for (path, old_address, page_prefix) in [
        ("/_edit/cluster/minimal", "/clusters/minimal/", "/clusters/"),
        (
            "/_edit/guide/working-2024",
            "/guides/working-2024/",
            "/guides/",
        ),
        ("/_edit/page/governance", "/governance/", "/"),
    ] {
        let (_, page) = get(port, path);
        let doc = scraper::Html::parse_document(&page);
        let names: Vec<String> = doc
            .select(&sel(&format!("form[action='{path}'] [name]")))
            .filter_map(|e| e.value().attr("name"))
            .filter(|n| !n.starts_with('_'))
            .map(str::to_string)
            .collect();
        let at = names
            .iter()
            .position(|n| n == "slug")
            .expect("a slug field");
        assert!(at > 0, "{path}: {names:?}");
        // Every single field before the first group or list of the description
        // comes before it; nothing of a group or list does.
        use clusterdir::content::schema::{self, FieldType};
        let kind = path.split('/').nth(2).unwrap();
        let record = schema::all().iter().find(|k| k.name == kind).unwrap();
        let first_group: Vec<&str> = record
            .fields
            .iter()
            .take_while(|f| {
                !matches!(
                    f.ty,
                    FieldType::Table(_) | FieldType::TableList(_) | FieldType::TextList
                )
            })
            .map(|f| f.key)
            .filter(|k| *k != "slug")
            .collect();
        for key in &first_group {
            if let Some(i) = names.iter().position(|n| n == key) {
                assert!(i < at, "{path}: {key} after slug in {names:?}");
            }
        }
        assert!(
            names[..at].iter().all(|n| !n.contains('.')),
            "{path}: {names:?}"
        );
        assert!(
            page.contains("Changing it changes the page&#39;s web address")
                || page.contains("Changing it changes the page's web address"),
            "{page}"
        );
        let new: String = (0..rng.usize(4..12)).map(|_| rng.lowercase()).collect();
        let mut form = form_values(&page, path);
        match form.iter_mut().find(|(k, _)| k == "slug") {
            Some(pair) => pair.1 = new.clone(),
            None => form.push(("slug".into(), new.clone())),
        }
        let (status, body) = post_form(port, path, &form, "save");
        assert!(status.contains(" 200"), "{path}: {status}\n{body}");
        let expected = format!("{old_address} to {page_prefix}{new}/");
        assert!(body.contains(&expected), "{path}: {expected}\n{body}");
        // Saving again without a change of name warns no more.
        let (_, body) = post_form(port, path, &form_values(&body, path), "save");
        assert!(!body.contains("web address changed"), "{path}");
    }
}

/// The form's error messages name fields by their labels, never by their keys: every
/// date and email of the fixture's fullest cluster, at any depth, given a generated
/// bad value, is refused with messages that quote no field key.
#[test]
fn error_messages_in_the_form_say_labels_not_keys() {
    use clusterdir::content::schema::{walk, FieldType, Kind};
    let dir = full_fixture();
    let root = dir.path();
    let (_server, port) = start_serve(root);
    let path = "/_edit/cluster/complete";
    let (_, page) = get(port, path);
    let clean = form_values(&page, path);
    let keys: Vec<&str> = walk(Kind::Cluster).iter().map(|(_, f)| f.key).collect();
    let checked: Vec<String> = clean
        .iter()
        .map(|(k, _)| k.clone())
        .filter(|k| {
            let plain: Vec<&str> = k
                .split('.')
                .filter(|p| p.parse::<usize>().is_err())
                .collect();
            walk(Kind::Cluster).iter().any(|(p, f)| {
                matches!(f.ty, FieldType::PartialDate | FieldType::Email)
                    && p.iter().chain([&f.key]).copied().eq(plain.iter().copied())
            })
        })
        .collect();
    assert!(checked.len() >= 4, "{checked:?}");
    let mut rng = fastrand::Rng::with_seed(208);
    for name in &checked {
        let bad: String = format!(
            "no{}",
            (0..rng.usize(1..8))
                .map(|_| rng.alphanumeric())
                .collect::<String>()
        );
        let mut form = clean.clone();
        form.iter_mut().find(|(k, _)| k == name).unwrap().1 = bad.clone();
        let (status, body) = post_form(port, path, &form, "save");
        assert!(status.contains(" 422"), "{name}: {status}");
        let doc = scraper::Html::parse_document(&body);
        let messages: Vec<String> = doc
            .select(&sel(".govuk-error-message, .govuk-error-summary__list li"))
            .map(|e| e.text().collect())
            .collect();
        assert!(!messages.is_empty(), "{name}");
        for m in &messages {
            for key in &keys {
                assert!(!m.contains(&format!("`{key}`")), "{name}: {m}");
                assert!(!m.contains(&format!(".{key}`")), "{name}: {m}");
            }
        }
    }
}

/// The elements Tab stops at, in document order, as their ids (or names).
fn tab_stops(doc: &scraper::Html) -> Vec<String> {
    doc.select(&sel(
        "a[href], input:not([type=hidden]), select, textarea, button, fieldset[id]",
    ))
    .filter(|e| e.value().attr("tabindex") != Some("-1"))
    .map(|e| {
        let v = e.value();
        let what = v
            .attr("id")
            .or(v.attr("href"))
            .or(v.attr("name"))
            .unwrap_or("");
        format!("{}:{what}", v.name())
    })
    .collect()
}

/// Every record form starts with a contents list that links to each of its groups and
/// lists (each fieldset has the id it links to), so a contact's phone is a few Tab
/// presses away; the two "Phone" fields have hints that tell them apart.
#[test]
fn the_form_has_a_contents_list_of_its_sections_and_tells_the_phones_apart() {
    use clusterdir::content::schema::{self, FieldType};
    let dir = full_fixture();
    let root = dir.path();
    let (_server, port) = start_serve(root);
    for record in schema::all() {
        let slug = match record.name {
            "cluster" => "complete",
            "guide" => "working-2024",
            _ => "governance",
        };
        let path = format!("/_edit/{}/{slug}", record.name);
        let (_, page) = get(port, &path);
        let doc = scraper::Html::parse_document(&page);
        let links: Vec<(String, String)> = doc
            .select(&sel("nav.editor-contents a"))
            .map(|a| {
                (
                    a.value().attr("href").unwrap().to_string(),
                    a.text().collect(),
                )
            })
            .collect();
        let sections = record.fields.iter().filter(|f| {
            matches!(
                f.ty,
                FieldType::Table(_) | FieldType::TableList(_) | FieldType::TextList
            )
        });
        for f in sections {
            let (href, _) = links
                .iter()
                .find(|(_, text)| text == f.label)
                .unwrap_or_else(|| panic!("{path}: no link to {}: {links:?}", f.label));
            let id = href.trim_start_matches('#');
            let target = doc
                .select(&sel(&format!("fieldset[id='{id}']")))
                .next()
                .unwrap_or_else(|| panic!("{path}: {href} is no fieldset"));
            let legend: String = target
                .select(&sel("legend"))
                .next()
                .unwrap()
                .text()
                .collect();
            assert!(legend.starts_with(f.label), "{path}: {legend}");
        }
        assert!(page.find("editor-contents").unwrap() < page.find("<form").unwrap());
    }
    // Keyboard only: Tab to the contents link, follow it, Tab to the first contact's phone.
    let (_, page) = get(port, "/_edit/cluster/complete");
    let doc = scraper::Html::parse_document(&page);
    let stops = tab_stops(&doc);
    let link = stops
        .iter()
        .position(|s| s == "a:#f-contacts-fieldset")
        .unwrap();
    let fieldset = stops
        .iter()
        .position(|s| s == "fieldset:f-contacts-fieldset")
        .unwrap();
    let phone = stops
        .iter()
        .position(|s| s == "input:f-contacts-0-phone")
        .unwrap();
    let presses = (link + 1) + (phone - fieldset);
    assert!(presses < 40, "{presses} Tab presses to a contact's phone");
    let hint = |id: &str| -> String {
        doc.select(&sel(&format!("#{id}-hint")))
            .next()
            .unwrap()
            .text()
            .collect()
    };
    let (help, contact) = (hint("f-help-phone"), hint("f-contacts-0-phone"));
    assert_ne!(help, contact);
    assert!(help.contains("families call"), "{help}");
    assert!(contact.contains("own"), "{contact}");
    eprintln!("Tab presses to a contact's phone: {presses} (all in order: {phone})");
}

/// Saving a form with no change says "Nothing changed" (never "Saved" with an empty
/// diff) and leaves every file as it was, for every kind of record.
#[test]
fn saving_with_no_change_says_nothing_changed() {
    let dir = full_fixture();
    let root = dir.path();
    let (_server, port) = start_serve(root);
    for path in [
        "/_edit/cluster/complete",
        "/_edit/cluster/minimal",
        "/_edit/guide/working-2024",
        "/_edit/page/governance",
    ] {
        let before = content(root);
        let (_, page) = get(port, path);
        let (status, body) = post_form(port, path, &form_values(&page, path), "save");
        assert!(status.contains(" 200"), "{path}: {status}");
        assert!(body.contains("Nothing changed"), "{path}: {body}");
        assert!(!body.contains(">Saved<"), "{path}");
        assert!(!body.contains("What changed in the file"), "{path}");
        assert_eq!(content(root), before, "{path}");
    }
}

/// A new record's file name that `check` would refuse (generated: doubled, leading or
/// trailing hyphens, capitals, spaces, letters beyond ASCII, too long, empty) is
/// refused beside the field with the form kept as typed, never as a bare error page,
/// and nothing is written. A new edition's page is headed with the guide's title and
/// suggests a file name that is free.
#[test]
fn a_bad_file_name_is_shown_beside_its_field_and_a_new_edition_suggests_one() {
    let dir = full_fixture();
    let root = dir.path();
    let (_server, port) = start_serve(root);
    let mut rng = fastrand::Rng::with_seed(210);
    let pieces = ["a", "b", "-", "--", "A", " ", "é", "_", ".", "9"];
    let mut names: Vec<String> = vec![
        "a--b".into(),
        "-lead".into(),
        "trail-".into(),
        String::new(),
        "x".repeat(101),
    ];
    while names.len() < 60 {
        let name: String = (0..rng.usize(1..6))
            .map(|_| pieces[rng.usize(..pieces.len())])
            .collect();
        // Spaces at the ends are trimmed, as a browser user would expect.
        if !clusterdir::text::is_valid_slug(name.trim()) {
            names.push(name);
        }
    }
    let path = "/_edit/new/page";
    let (_, page) = get(port, path);
    let before = content(root);
    for name in &names {
        let mut form = form_values(&page, path);
        form.retain(|(k, _)| k != "_slug" && k != "title");
        form.push(("_slug".into(), name.clone()));
        form.push(("title".into(), format!("Kept {name}")));
        let (status, body) = post_form(port, path, &form, "save");
        assert!(status.contains(" 422"), "{name:?}: {status}\n{body}");
        let doc = scraper::Html::parse_document(&body);
        let beside: String = doc
            .select(&sel("[id^=f-_slug-error]"))
            .map(|e| e.text().collect::<String>())
            .collect();
        assert!(
            !beside.is_empty(),
            "{name:?}: no error beside the field\n{body}"
        );
        let again = form_values(&body, path);
        assert!(
            again
                .iter()
                .any(|(k, v)| k == "title" && *v == format!("Kept {name}")),
            "{name:?}"
        );
        assert!(
            again.iter().any(|(k, v)| k == "_slug" && v == name),
            "{name:?}"
        );
    }
    assert_eq!(content(root), before);
    let (_, page) = get(port, "/_edit/new/guide?from=working-2024");
    let doc = scraper::Html::parse_document(&page);
    let h1: String = doc.select(&sel("h1")).next().unwrap().text().collect();
    assert!(h1.starts_with("New edition of "), "{h1}");
    let suggested = hidden_or_input(&page, "_slug");
    assert!(clusterdir::text::is_valid_slug(&suggested), "{suggested:?}");
    assert!(suggested.starts_with("working-"), "{suggested}");
    assert!(!root.join(format!("content/guides/{suggested}.md")).exists());
}

/// The value of the control `name` in a page.
fn hidden_or_input(page: &str, name: &str) -> String {
    let doc = scraper::Html::parse_document(page);
    let el = doc
        .select(&sel(&format!("[name='{name}']")))
        .next()
        .unwrap();
    el.value().attr("value").unwrap_or("").to_string()
}

/// The live preview (`POST /_edit/preview`) never makes a `javascript:` link or an
/// image from another site: it shows them as text with a warning.
#[test]
fn the_live_preview_shows_forbidden_links_and_images_as_text() {
    let dir = full_fixture();
    let root = dir.path();
    let (_server, port) = start_serve(root);
    let (_, page) = get(port, "/_edit/page/governance");
    let token = hidden(&page, "_token");
    let own = format!("127.0.0.1:{port}");
    let mut rng = fastrand::Rng::with_seed(212);
    for n in 0..20 {
        let word: String = (0..rng.usize(1..8)).map(|_| rng.alphanumeric()).collect();
        let body = match n % 2 {
            0 => format!("[{word}](JavaScript:alert({n}))"),
            _ => format!("![{word}](https://{word}.example/{n}.png)"),
        };
        let form = [("_token", token.as_str()), ("body", body.as_str())];
        let (status, html) = post(
            port,
            "/_edit/preview",
            &own,
            Some(&format!("http://{own}")),
            &form,
        );
        assert!(status.contains(" 200"), "{status}");
        let lower = html.to_ascii_lowercase();
        assert!(
            !lower.contains("<img") && !lower.contains("href=\"javascript"),
            "{html}"
        );
        assert!(
            html.contains("cannot be saved with it") && html.contains(&word),
            "{html}"
        );
    }
}
