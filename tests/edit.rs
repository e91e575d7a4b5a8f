//! The browser editor's engine (`clusterdir::edit`) on copies of the fixture site and
//! the real content: minimal edits (one changed value changes one line), lists (append,
//! remove exactly one table), comments and blank lines kept, invalid values refused
//! with `check`'s words beside their field and nothing written, files changed on disk
//! not overwritten, slugs that could name another place refused, history and restore.

mod common;

use std::path::Path;

use clusterdir::content::schema::{describe, walk, FieldType, Kind};
use clusterdir::edit::{self, EditError, Opened, Saved, Scope, Target};

fn target(kind: Kind, slug: &str) -> Target {
    Target {
        kind,
        slug: slug.to_string(),
    }
}

fn read(root: &Path, t: &Target) -> String {
    std::fs::read_to_string(edit::path_of(root, t).unwrap()).unwrap()
}

/// The opened values with `name` set to `value` (added if absent).
fn with(opened: &Opened, changes: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut form = opened.values.clone();
    for (name, value) in changes {
        match form.iter_mut().find(|(n, _)| n == name) {
            Some(pair) => pair.1 = value.to_string(),
            None => form.push((name.to_string(), value.to_string())),
        }
    }
    form
}

fn value(opened: &Opened, name: &str) -> Option<String> {
    opened
        .values
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.clone())
}

/// The lines a change removed and added, from two texts (not from the engine's diff).
fn changed_lines(old: &str, new: &str) -> (Vec<String>, Vec<String>) {
    let diff = similar::TextDiff::from_lines(old, new);
    let (mut removed, mut added) = (Vec::new(), Vec::new());
    for change in diff.iter_all_changes() {
        match change.tag() {
            similar::ChangeTag::Delete => removed.push(change.value().to_string()),
            similar::ChangeTag::Insert => added.push(change.value().to_string()),
            similar::ChangeTag::Equal => {}
        }
    }
    (removed, added)
}

fn save(root: &Path, t: &Target, form: &[(String, String)]) -> Result<Saved, EditError> {
    let opened = edit::open(root, t).unwrap();
    edit::save(root, t, form, Scope::Whole, &opened.version)
}

/// Every record of a site, by kind and file name.
fn every_record(root: &Path) -> Vec<Target> {
    let mut out = Vec::new();
    for kind in [Kind::Cluster, Kind::Guide, Kind::Page] {
        let described = describe(kind);
        let dir = root.join("content").join(described.folder);
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if let Some(slug) = name.strip_suffix(&format!(".{}", described.extension)) {
                out.push(target(kind, slug));
            }
        }
    }
    out.sort_by(|a, b| a.slug.cmp(&b.slug));
    out
}

/// A different valid value for a field of this type, from a seeded generator: text
/// with quotes, backslashes, apostrophes and letters beyond ASCII; phone numbers from
/// the drama range; dates next to the old one (so editions keep their order).
fn new_value(ty: &FieldType, old: &str, rng: &mut fastrand::Rng, categories: &[String]) -> String {
    const PIECES: &[&str] = &[
        "Family",
        "help",
        "Ēmma's",
        "\"quoted\"",
        "back\\slash",
        "café",
        "St. Test's",
        "—",
        "5 workers",
        "Léa",
        "tab\tin",
        "#hash",
        "a = b",
        "[not a table]",
        "'single'",
    ];
    let words = |rng: &mut fastrand::Rng| {
        (0..rng.usize(2..6))
            .map(|_| PIECES[rng.usize(..PIECES.len())])
            .collect::<Vec<_>>()
            .join(" ")
    };
    let other = |values: &[&str]| {
        values
            .iter()
            .find(|v| **v != old)
            .map(|v| v.to_string())
            .unwrap()
    };
    match ty {
        FieldType::Text | FieldType::Multiline | FieldType::TextList => words(rng),
        FieldType::Email => format!("office{}@example.org", rng.u32(1..999)),
        FieldType::Phone => format!("0113 496 0{:03}", rng.u32(0..1000)),
        FieldType::Url => format!("https://example.org/page-{}", rng.u32(1..999)),
        FieldType::Time => other(&["10:30", "11:15"]),
        FieldType::Integer => (old.parse::<i64>().unwrap() + 1).to_string(),
        FieldType::Money => format!("{}.25", rng.u32(1..5000)),
        FieldType::Bool => other(&["true", "false"]),
        FieldType::PartialDate => match old.len() {
            7 => format!("{old}-1{}", rng.u32(1..9)),
            10 => {
                let day: u32 = old[8..].parse().unwrap();
                format!("{}-{:02}", &old[..7], if day > 1 { day - 1 } else { 2 })
            }
            _ => format!("{old}-06"),
        },
        FieldType::Choice(choices) => {
            let values: Vec<&str> = choices.iter().map(|c| c.value).collect();
            other(&values)
        }
        FieldType::Category => {
            let values: Vec<&str> = categories.iter().map(String::as_str).collect();
            other(&values)
        }
        FieldType::Table(_) | FieldType::TableList(_) => unreachable!(),
    }
}

/// The description's type of a form name (`offer.2.category`, `sources.1`).
fn type_of(kind: Kind, name: &str) -> Option<&'static FieldType> {
    let keys: Vec<&str> = name
        .split('.')
        .filter(|s| s.parse::<usize>().is_err())
        .collect();
    let (last, path) = keys.split_last()?;
    walk(kind)
        .into_iter()
        .find(|(p, f)| p.as_slice() == path && f.key == *last)
        .map(|(_, f)| &f.ty)
}

fn categories(root: &Path) -> Vec<String> {
    let site: toml::Table = std::fs::read_to_string(root.join("content/site.toml"))
        .unwrap()
        .parse()
        .unwrap();
    site["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["slug"].as_str().unwrap().to_string())
        .collect()
}

/// Every value of every record of the fixture site, and of a real guide, changed
/// alone to a new valid value: exactly one line of the file changes (compared by the
/// test, not the engine), the engine's diff says so, and the record reads back with
/// the new value. A value the whole-site check refuses (a status that clashes with a
/// `reopens` date, a guide number an edition must share) must leave the file untouched
/// and show every error beside a field; almost all must save.
#[test]
fn every_value_changed_alone_changes_one_line_and_reads_back() {
    let mut rng = fastrand::Rng::with_seed(20);
    let (mut saved, mut refused) = (0, Vec::new());
    let fixture = common::full_fixture();
    let real = common::real_site();
    let mut cases = Vec::new();
    for t in every_record(fixture.path()) {
        cases.push((fixture.path(), t));
    }
    cases.push((real.path(), target(Kind::Guide, "cluster-working-2025")));
    for (root, t) in cases {
        let categories = categories(root);
        let original = read(root, &t);
        let opened = edit::open(root, &t).unwrap();
        for (name, old) in &opened.values {
            if name == "body" {
                continue;
            }
            let ty = type_of(t.kind, name).unwrap_or_else(|| panic!("{name} not described"));
            let new = new_value(ty, old, &mut rng, &categories);
            let form = with(&opened, &[(name, &new)]);
            match edit::save(root, &t, &form, Scope::Whole, &opened.version) {
                Ok(result) => {
                    let now = read(root, &t);
                    let (removed, added) = changed_lines(&original, &now);
                    // A value of several lines may have been written over several
                    // lines (`"""` ... `"""`): then its lines go, and one comes.
                    assert!(
                        added.len() == 1 && (removed.len() == 1 || old.contains('\n')),
                        "{} {name} = {new:?}: {removed:?} -> {added:?}",
                        t.slug
                    );
                    assert!(
                        result.diff.contains(&format!("-{}", removed[0])),
                        "{}",
                        result.diff
                    );
                    let back = edit::open(root, &t).unwrap();
                    assert_eq!(value(&back, name).as_deref(), Some(new.as_str()), "{name}");
                    saved += 1;
                }
                Err(EditError::Invalid(problems)) => {
                    assert_eq!(read(root, &t), original, "{name}: written though refused");
                    // An error is shown beside a field (this one, or the one it
                    // clashes with, like `reopens` for a status no longer closed).
                    assert!(
                        problems.iter().any(|p| p.field.is_some()),
                        "{name} = {new:?}: {problems:?}"
                    );
                    refused.push(format!("{} {name}", t.slug));
                }
                Err(e) => panic!("{name}: {e:?}"),
            }
            std::fs::write(edit::path_of(root, &t).unwrap(), &original).unwrap();
        }
    }
    assert!(saved > 120, "only {saved} values saved");
    assert!(refused.len() * 20 < saved, "too many refused: {refused:?}");
    println!("{saved} values saved, refused: {refused:?}");
}

/// A changed phone number changes one line, and the comments, blank lines and quoting
/// of the rest of the file stay as they were.
#[test]
fn a_phone_number_change_changes_one_line_and_keeps_comments() {
    let site = common::real_site();
    let root = site.path();
    let t = target(Kind::Cluster, "arm");
    let mut text = read(root, &t);
    text = format!("# Kept: a note at the top.\n\n{text}");
    text = text.replacen(
        "\n[[contacts]]",
        "\n# A note about contacts.\n\n[[contacts]]",
        1,
    );
    std::fs::write(edit::path_of(root, &t).unwrap(), &text).unwrap();
    let opened = edit::open(root, &t).unwrap();
    let old = value(&opened, "contacts.1.phone").expect("arm has a contact's phone");
    let result = save(
        root,
        &t,
        &with(&opened, &[("contacts.1.phone", "0113 496 0123")]),
    )
    .unwrap();
    let now = read(root, &t);
    let (removed, added) = changed_lines(&text, &now);
    assert_eq!(removed.len(), 1, "{}", result.diff);
    assert!(removed[0].contains(&old) && added[0].contains("0113 496 0123"));
    assert!(now.starts_with("# Kept: a note at the top.\n\n"));
    assert!(now.contains("\n# A note about contacts.\n\n[[contacts]]"));
    assert_eq!(result.version, edit::open(root, &t).unwrap().version);
}

/// A new row of each list of tables of a cluster goes at the end of that list, after
/// its last row, and changes nothing else.
#[test]
fn a_new_row_is_appended_to_the_right_list() {
    let site = common::full_fixture();
    let root = site.path();
    let t = target(Kind::Cluster, "complete");
    let original = read(root, &t);
    let opened = edit::open(root, &t).unwrap();
    let count = |name: &str| {
        let dotted = format!("{name}.");
        opened
            .values
            .iter()
            .filter_map(|(n, _)| {
                n.strip_prefix(&dotted)?
                    .split('.')
                    .next()?
                    .parse::<usize>()
                    .ok()
            })
            .max()
            .map_or(0, |i| i + 1)
    };
    let schools = count("schools");
    let key = |field: &str| format!("schools.{schools}.{field}");
    let form = with(
        &opened,
        &[
            (&key("name"), "Newfield Primary"),
            (&key("phase"), "primary"),
        ],
    );
    save(root, &t, &form).unwrap();
    let now = read(root, &t);
    let (removed, added) = changed_lines(&original, &now);
    assert!(removed.is_empty(), "{removed:?}");
    let added: String = added.concat();
    assert!(
        added.contains("[[schools]]") && added.contains("Newfield Primary"),
        "{added}"
    );
    let record: toml::Table = now.parse().unwrap();
    let rows = record["schools"].as_array().unwrap();
    assert_eq!(rows.len(), schools + 1);
    assert_eq!(rows[schools]["name"].as_str(), Some("Newfield Primary"));
    // The new table comes right after the last school, before the next list.
    let new_at = now.find("Newfield Primary").unwrap();
    let next = now.find("[[children_centres]]").unwrap();
    assert!(new_at < next, "{now}");
}

/// Removing any one offer item removes exactly its lines (its table, and the comment
/// lines above it) and nothing else; the other items read back unchanged.
#[test]
fn removing_an_offer_item_removes_exactly_its_table() {
    let site = common::full_fixture();
    let root = site.path();
    let t = target(Kind::Cluster, "complete");
    let clean = read(root, &t);
    let opened = edit::open(root, &t).unwrap();
    let items = opened
        .values
        .iter()
        .filter(|(n, _)| n.ends_with(".service") && n.starts_with("offer."))
        .count();
    assert!(items >= 3);
    for i in 0..items {
        // A comment above the item goes with it; one above the next item stays.
        let text = with_offer_comments(&clean);
        std::fs::write(edit::path_of(root, &t).unwrap(), &text).unwrap();
        let opened = edit::open(root, &t).unwrap();
        let prefix = format!("offer.{i}.");
        let form: Vec<_> = opened
            .values
            .iter()
            .filter(|(n, _)| !n.starts_with(&prefix))
            .cloned()
            .collect();
        let service = value(&opened, &format!("offer.{i}.service")).unwrap();
        edit::save(root, &t, &form, Scope::Whole, &opened.version).unwrap();
        let now = read(root, &t);
        let (removed, added) = changed_lines(&text, &now);
        assert!(added.is_empty(), "item {i}: added {added:?}");
        assert!(removed.iter().any(|l| l.contains(&service)));
        // The comment above the first item describes the list: it stays.
        assert_eq!(
            removed
                .iter()
                .any(|l| l.contains(&format!("# About offer {i}."))),
            i > 0,
            "{removed:?}"
        );
        for j in (0..items).filter(|j| *j != i || i == 0) {
            assert!(
                now.contains(&format!("# About offer {j}.")),
                "item {i}: lost the note of {j}"
            );
        }
        let back = edit::open(root, &t).unwrap();
        let rest: Vec<_> = opened
            .values
            .iter()
            .filter(|(n, _)| n.starts_with("offer.") && !n.starts_with(&prefix))
            .map(|(n, v)| (renumber(n, i), v.clone()))
            .collect();
        let offers: Vec<_> = back
            .values
            .iter()
            .filter(|(n, _)| n.starts_with("offer."))
            .cloned()
            .collect();
        assert_eq!(offers, rest);
    }
}

/// `offer.3.x` as it is named once offer `removed` is gone.
fn renumber(name: &str, removed: usize) -> String {
    let mut parts: Vec<String> = name.split('.').map(str::to_string).collect();
    let i: usize = parts[1].parse().unwrap();
    if i > removed {
        parts[1] = (i - 1).to_string();
    }
    parts.join(".")
}

/// The record with a comment line above each `[[offer]]` header.
fn with_offer_comments(text: &str) -> String {
    let mut n = 0;
    let mut out = String::new();
    for line in text.lines() {
        if line == "[[offer]]" {
            out.push_str(&format!("# About offer {n}.\n"));
            n += 1;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Invalid values of each kind of checked field (generated: each email, phone, date,
/// web address, category, phase and whole-number field of the record) are refused with
/// `check`'s own words, beside the field, and the file is not touched.
#[test]
fn an_invalid_value_writes_nothing_and_is_shown_beside_its_field() {
    let site = common::full_fixture();
    let root = site.path();
    let t = target(Kind::Cluster, "complete");
    let original = read(root, &t);
    let opened = edit::open(root, &t).unwrap();
    let mut tried = 0;
    for (name, _) in &opened.values {
        let bad = match type_of(t.kind, name).unwrap() {
            FieldType::Email => "not-an-email",
            FieldType::Phone => "12345",
            FieldType::PartialDate => "31/02/2025",
            FieldType::Url => "not a web address",
            FieldType::Category => "no-such-category",
            FieldType::Choice(_) => "no-such-value",
            FieldType::Integer | FieldType::Money => "lots",
            FieldType::Time => "25:99",
            _ => continue,
        };
        let form = with(&opened, &[(name, bad)]);
        let Err(EditError::Invalid(problems)) =
            edit::save(root, &t, &form, Scope::Whole, &opened.version)
        else {
            panic!("{name} = {bad:?} was saved");
        };
        assert_eq!(read(root, &t), original, "{name}: the file changed");
        let problem = problems
            .iter()
            .find(|p| p.field.as_deref() == Some(name.as_str()))
            .unwrap_or_else(|| panic!("{name} = {bad:?}: {problems:?}"));
        // The same words as `clusterdir check` on the file with that value.
        let checked = check_with_text(root, &t, &form);
        assert!(
            checked.iter().any(|m| m == &problem.message),
            "{name}: {:?} not among check's {checked:?}",
            problem.message
        );
        tried += 1;
    }
    assert!(tried > 15, "only {tried} fields tried");
    assert!(edit::history(root, &t).unwrap().is_empty());
}

/// What `clusterdir check` says (its messages) about a copy of the site with the
/// record as the engine would write it for the form.
fn check_with_text(root: &Path, t: &Target, form: &[(String, String)]) -> Vec<String> {
    let copy = common::copy_site(root);
    let text = edit::apply(copy.path(), t, form, Scope::Whole).unwrap();
    std::fs::write(edit::path_of(copy.path(), t).unwrap(), text).unwrap();
    let options = clusterdir::build::Options {
        drafts: true,
        ..Default::default()
    };
    let checked = clusterdir::build::check_with(copy.path(), &options);
    checked
        .diagnostics
        .iter()
        .map(|d| d.message.clone())
        .collect()
}

/// A file changed on disk after the form was opened is not overwritten.
#[test]
fn a_file_changed_on_disk_since_open_is_not_overwritten() {
    let site = common::full_fixture();
    let root = site.path();
    let t = target(Kind::Cluster, "complete");
    let opened = edit::open(root, &t).unwrap();
    let elsewhere = format!("{}# changed in a text editor\n", read(root, &t));
    std::fs::write(edit::path_of(root, &t).unwrap(), &elsewhere).unwrap();
    let form = with(&opened, &[("area", "Somewhere else")]);
    let result = edit::save(root, &t, &form, Scope::Whole, &opened.version);
    assert_eq!(result.unwrap_err(), EditError::Changed);
    assert_eq!(read(root, &t), elsewhere);
    let restored = edit::restore(root, &t, "20260101T000000.000000Z", &opened.version);
    assert_eq!(restored.unwrap_err(), EditError::Changed);
}

/// Slugs that could name another place, or are not the content format's, are refused
/// before any path is made: generated from characters outside `[a-z0-9-]` put into a
/// valid slug, and from path tricks.
#[test]
fn a_slug_that_is_not_lowercase_letters_digits_and_hyphens_is_refused() {
    let site = common::full_fixture();
    let root = site.path();
    let mut slugs: Vec<String> = ["../x", "A B", "", ".", "..", "-x", "x/y", "x\\y", "x\0"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    for c in (0u32..0x250).filter_map(char::from_u32) {
        if !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
            slugs.push(format!("ok{c}slug"));
        }
    }
    for slug in &slugs {
        for kind in [Kind::Cluster, Kind::Guide, Kind::Page] {
            let t = target(kind, slug);
            assert!(
                matches!(edit::path_of(root, &t), Err(EditError::BadRequest(_))),
                "{slug:?}"
            );
            assert!(matches!(
                edit::open(root, &t),
                Err(EditError::BadRequest(_))
            ));
            let form = vec![("name".to_string(), "X".to_string())];
            assert!(matches!(
                edit::create(root, &t, &form),
                Err(EditError::BadRequest(_))
            ));
            assert!(matches!(
                edit::history(root, &t),
                Err(EditError::BadRequest(_))
            ));
        }
    }
    let ok = edit::path_of(root, &target(Kind::Guide, "working-2024")).unwrap();
    assert_eq!(ok, root.join("content/guides/working-2024.md"));
}

/// The quick forms: one update and one meeting appended, nothing else changed.
#[test]
fn append_adds_one_update_or_one_meeting_and_nothing_else() {
    let site = common::real_site();
    let root = site.path();
    let t = target(Kind::Cluster, "arm");
    for (key, form) in [
        (
            "updates",
            vec![
                ("updates.0.date", "2026-11-01"),
                ("updates.0.title", "New worker"),
                ("updates.0.body", "Families can now ask us directly."),
            ],
        ),
        (
            "meetings",
            vec![
                ("meetings.0.title", "Cluster committee"),
                ("meetings.0.date", "2026-12-03"),
                ("meetings.0.time", "16:00"),
            ],
        ),
    ] {
        let before = read(root, &t);
        let opened = edit::open(root, &t).unwrap();
        let rows = |text: &str| text.matches(&format!("[[{key}]]")).count();
        let pairs: Vec<_> = form
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
        edit::save(root, &t, &pairs, Scope::Append(key), &opened.version).unwrap();
        let now = read(root, &t);
        assert_eq!(rows(&now), rows(&before) + 1, "{key}");
        let (removed, added) = changed_lines(&before, &now);
        assert!(removed.is_empty(), "{removed:?}");
        for (_, v) in &form {
            assert!(added.concat().contains(v), "{v} not added: {added:?}");
        }
        // Every old value is still there, unchanged.
        let back = edit::open(root, &t).unwrap();
        for pair in &opened.values {
            assert!(back.values.contains(pair), "{pair:?} lost");
        }
    }
    // Only a list of tables can be appended to.
    let opened = edit::open(root, &t).unwrap();
    let r = edit::save(root, &t, &[], Scope::Append("name"), &opened.version);
    assert!(matches!(r, Err(EditError::BadRequest(_))));
}

/// A guide's body edit changes only the body; its front matter stays byte for byte.
#[test]
fn a_body_edit_changes_only_the_body() {
    let site = common::real_site();
    let root = site.path();
    let t = target(Kind::Guide, "cluster-working-2025");
    let before = read(root, &t);
    let opened = edit::open(root, &t).unwrap();
    let body = value(&opened, "body").unwrap();
    let new_body = body.replacen("In Leeds, a cluster", "In Leeds, each cluster", 1);
    assert_ne!(body, new_body);
    // A browser sends text areas with CRLF line endings.
    let posted = new_body.replace('\n', "\r\n");
    save(root, &t, &with(&opened, &[("body", &posted)])).unwrap();
    let now = read(root, &t);
    let (removed, added) = changed_lines(&before, &now);
    assert_eq!(
        (removed.len(), added.len()),
        (1, 1),
        "{removed:?} {added:?}"
    );
    let front = |s: &str| s.split("+++").nth(1).unwrap().to_string();
    assert_eq!(front(&before), front(&now));
    assert_eq!(
        value(&edit::open(root, &t).unwrap(), "body").unwrap(),
        new_body
    );
}

/// Names that are not fields of the record are refused, and nothing is written.
#[test]
fn a_form_name_that_is_not_a_field_is_refused() {
    let site = common::full_fixture();
    let root = site.path();
    let t = target(Kind::Cluster, "complete");
    let before = read(root, &t);
    for name in [
        "colour",
        "offer.x.service",
        "offer.0.colour",
        "sources",
        "help",
        "help.phone.0",
        "body",
        "../x",
        "offer.0",
    ] {
        let opened = edit::open(root, &t).unwrap();
        let form = with(&opened, &[(name, "x")]);
        let r = edit::save(root, &t, &form, Scope::Whole, &opened.version);
        assert!(matches!(r, Err(EditError::BadRequest(_))), "{name}: {r:?}");
        assert_eq!(read(root, &t), before);
    }
}

/// A new record from a form: written, checked like a save, and refused when the slug
/// is taken or the form lacks what the model requires.
#[test]
fn create_writes_a_new_record_and_refuses_a_taken_slug() {
    let site = common::full_fixture();
    let root = site.path();
    let t = target(Kind::Cluster, "new-cluster");
    let form: Vec<(String, String)> = [
        ("name", "New Cluster"),
        ("last_reviewed", "2025-10-01"),
        ("help.phone", "0113 496 0500"),
        ("schools.0.name", "New Primary"),
        ("schools.0.phase", "primary"),
        ("sources.0", "Invented for tests"),
    ]
    .iter()
    .map(|(n, v)| (n.to_string(), v.to_string()))
    .collect();
    let missing: Vec<_> = form
        .iter()
        .filter(|(n, _)| n != "name" && !n.starts_with("schools."))
        .cloned()
        .collect();
    let Err(EditError::Invalid(problems)) = edit::create(root, &t, &missing) else {
        panic!("a cluster without a name was created");
    };
    assert!(
        problems.iter().any(|p| p.field.as_deref() == Some("name")),
        "{problems:?}"
    );
    assert!(!edit::path_of(root, &t).unwrap().exists());
    edit::create(root, &t, &form).unwrap();
    let record: clusterdir::content::model::ClusterRecord =
        toml::from_str(&read(root, &t)).unwrap();
    assert_eq!(record.schools[0].name.get_ref(), "New Primary");
    assert_eq!(
        edit::create(root, &t, &form).unwrap_err(),
        EditError::Exists
    );
    // A new edition of a guide: the old one's fields as the start.
    let old = edit::open(root, &target(Kind::Guide, "working-2024")).unwrap();
    let edition = target(Kind::Guide, "working-2026");
    let form = with(
        &old,
        &[("edition", "2026-01"), ("replaces", "working-2024")],
    );
    edit::create(root, &edition, &form).unwrap();
    let text = read(root, &edition);
    assert!(
        text.starts_with("+++\n") && text.contains("replaces = \"working-2024\""),
        "{text}"
    );
}

/// Each save keeps the previous file in the history (outside content/, so the build
/// never reads it), newest first; restoring brings a version back and keeps the file
/// it replaces.
#[test]
fn history_keeps_each_previous_version_and_restore_brings_it_back() {
    let site = common::full_fixture();
    let root = site.path();
    let t = target(Kind::Cluster, "complete");
    let first = read(root, &t);
    for area in ["North", "South", "East"] {
        let opened = edit::open(root, &t).unwrap();
        save(root, &t, &with(&opened, &[("area", area)])).unwrap();
    }
    let versions = edit::history(root, &t).unwrap();
    assert_eq!(versions.len(), 3);
    let oldest = versions.last().unwrap();
    assert_eq!(oldest.bytes, first.len());
    assert!(
        versions.windows(2).all(|w| w[0].id > w[1].id),
        "{versions:?}"
    );
    let current = edit::open(root, &t).unwrap();
    edit::restore(root, &t, &oldest.id, &current.version).unwrap();
    assert_eq!(read(root, &t), first);
    assert_eq!(edit::history(root, &t).unwrap().len(), 4);
    // Ids are names the engine made, never paths.
    let current = edit::open(root, &t).unwrap();
    for id in ["../complete", "/etc/passwd", "x"] {
        assert_eq!(
            edit::restore(root, &t, id, &current.version).unwrap_err(),
            EditError::NotFound
        );
    }
    // The build reads none of it: a broken file in the history changes nothing.
    let dir = root.join(edit::HISTORY).join("clusters/complete");
    std::fs::write(dir.join("20990101T000000.000000Z.toml"), "name = [broken").unwrap();
    assert!(common::check(root).ok());
    // No build may write its output over the history.
    for output in [root.join(".clusterdir"), root.join(edit::HISTORY), dir] {
        assert!(
            clusterdir::output::guard::claim(root, &output, true).is_err(),
            "{output:?}"
        );
    }
}

/// The start page's list: every record with its title, clusters with completeness and
/// last-checked date.
#[test]
fn records_lists_every_record() {
    let site = common::real_site();
    let root = site.path();
    let records = edit::records(root).unwrap();
    let expected = every_record(root);
    assert_eq!(records.len(), expected.len());
    for t in &expected {
        let r = records
            .iter()
            .find(|r| &r.target == t)
            .unwrap_or_else(|| panic!("{t:?}"));
        assert!(!r.title.is_empty());
        if t.kind == Kind::Cluster {
            assert!(
                r.completeness.is_some() && r.last_checked.is_some(),
                "{r:?}"
            );
        }
    }
}

/// Only the newest `KEEP` earlier versions of a record are kept.
#[test]
fn history_keeps_only_the_newest_versions() {
    let site = common::full_fixture();
    let root = site.path();
    let t = target(Kind::Cluster, "minimal");
    let mut areas = Vec::new();
    for n in 0..edit::KEEP + 3 {
        let opened = edit::open(root, &t).unwrap();
        let area = format!("Area {n}");
        save(root, &t, &with(&opened, &[("area", &area)])).unwrap();
        areas.push(area);
    }
    let versions = edit::history(root, &t).unwrap();
    assert_eq!(versions.len(), edit::KEEP);
    // The newest kept version is the one before the last save.
    let newest = std::fs::read_to_string(
        root.join(edit::HISTORY)
            .join("clusters/minimal")
            .join(format!("{}.toml", versions[0].id)),
    )
    .unwrap();
    assert!(newest.contains(&areas[areas.len() - 2]), "{newest}");
}

/// Every required field of every record of the fixture site (in every row of every
/// list), emptied alone: refused, shown beside that field (with the loader's words, and
/// no second, wrong message about a neighbouring table), and nothing written.
#[test]
fn an_emptied_required_field_is_refused_beside_that_field() {
    let site = common::full_fixture();
    let root = site.path();
    let mut tried = 0;
    for t in every_record(root) {
        let original = read(root, &t);
        let opened = edit::open(root, &t).unwrap();
        for (name, _) in &opened.values {
            let keys: Vec<&str> = name
                .split('.')
                .filter(|s| s.parse::<usize>().is_err())
                .collect();
            let (last, path) = keys.split_last().unwrap();
            let required = walk(t.kind)
                .into_iter()
                .any(|(p, f)| p.as_slice() == path && f.key == *last && f.required);
            // A row whose every value is emptied is a removed row, not an error.
            let row = name.rsplit_once('.').map_or("", |(r, _)| r);
            let others = opened
                .values
                .iter()
                .any(|(n, v)| n != name && n.starts_with(row) && !v.is_empty());
            if !required || !others {
                continue;
            }
            let form = with(&opened, &[(name, "")]);
            let result = edit::save(root, &t, &form, Scope::Whole, &opened.version);
            let Err(EditError::Invalid(problems)) = result else {
                panic!("{} {name} emptied: {result:?}", t.slug);
            };
            assert!(
                problems
                    .iter()
                    .any(|p| p.field.as_deref() == Some(name.as_str())),
                "{} {name}: {problems:?}",
                t.slug
            );
            assert!(
                !problems
                    .iter()
                    .any(|p| p.message.starts_with("unknown field")),
                "{} {name}: {problems:?}",
                t.slug
            );
            assert_eq!(read(root, &t), original);
            tried += 1;
        }
    }
    assert!(tried > 30, "only {tried} required fields");
}

/// Removing any one row of any list of tables of the complete fixture record (`[[...]]`
/// tables and inline ones like `opening_hours` and `funding.0.sources`, at any depth):
/// exactly that row goes, the other rows read back unchanged (renumbered), and no line
/// is added unless the row shared its line with others.
#[test]
fn removing_any_row_of_any_list_removes_exactly_that_row() {
    let site = common::full_fixture();
    let root = site.path();
    let t = target(Kind::Cluster, "complete");
    let original = read(root, &t);
    let opened = edit::open(root, &t).unwrap();
    // Every row: a name ending in a row index, followed by a field.
    let mut rows: Vec<String> = Vec::new();
    for (name, _) in &opened.values {
        let parts: Vec<&str> = name.split('.').collect();
        for i in 1..parts.len().saturating_sub(1) {
            if parts[i].parse::<usize>().is_ok() {
                let row = parts[..=i].join(".");
                let list: Vec<&str> = parts[..i]
                    .iter()
                    .copied()
                    .filter(|p| p.parse::<usize>().is_err())
                    .collect();
                let is_table_list = walk(t.kind).iter().any(|(p, f)| {
                    matches!(f.ty, FieldType::TableList(_))
                        && p.iter().chain([&f.key]).copied().eq(list.iter().copied())
                });
                if is_table_list && !rows.contains(&row) {
                    rows.push(row);
                }
            }
        }
    }
    assert!(rows.len() > 15, "{rows:?}");
    for row in &rows {
        let dotted = format!("{row}.");
        let form: Vec<_> = opened
            .values
            .iter()
            .filter(|(n, _)| !n.starts_with(&dotted))
            .cloned()
            .collect();
        edit::save(root, &t, &form, Scope::Whole, &opened.version)
            .unwrap_or_else(|e| panic!("{row}: {e:?}"));
        let now = read(root, &t);
        let (removed, added) = changed_lines(&original, &now);
        assert!(!removed.is_empty(), "{row}");
        assert!(
            added.is_empty() || (added.len() == 1 && removed.len() == 1),
            "{row}: {removed:?} -> {added:?}"
        );
        let (list, index) = row.rsplit_once('.').unwrap();
        let index: usize = index.parse().unwrap();
        let expected: Vec<(String, String)> = form
            .iter()
            .map(|(n, v)| {
                let renamed = match n.strip_prefix(&format!("{list}.")) {
                    Some(rest) => {
                        let (i, tail) = rest.split_once('.').unwrap_or((rest, ""));
                        match i.parse::<usize>() {
                            Ok(i) if i > index => format!("{list}.{}.{tail}", i - 1),
                            _ => n.clone(),
                        }
                    }
                    None => n.clone(),
                };
                (renamed, v.clone())
            })
            .collect();
        let back = edit::open(root, &t).unwrap();
        let mut got = back.values.clone();
        let mut want = expected;
        got.sort();
        want.sort();
        assert_eq!(got, want, "{row}");
        std::fs::write(edit::path_of(root, &t).unwrap(), &original).unwrap();
    }
}

/// Files as other editors save them: a byte-order mark, Windows line endings. A change
/// still changes one line and keeps the rest as it was.
#[test]
fn files_with_a_byte_order_mark_or_windows_line_endings_are_edited_in_place() {
    let site = common::full_fixture();
    let root = site.path();
    let t = target(Kind::Cluster, "complete");
    let clean = read(root, &t);
    for text in [format!("\u{feff}{clean}"), clean.replace('\n', "\r\n")] {
        std::fs::write(edit::path_of(root, &t).unwrap(), &text).unwrap();
        let opened = edit::open(root, &t).unwrap();
        save(root, &t, &with(&opened, &[("help.phone", "0113 496 0777")])).unwrap();
        let now = read(root, &t);
        let (removed, added) = changed_lines(&text, &now);
        assert_eq!(
            (removed.len(), added.len()),
            (1, 1),
            "{removed:?} {added:?}"
        );
        assert!(added[0].contains("0113 496 0777"));
        assert_eq!(now.starts_with('\u{feff}'), text.starts_with('\u{feff}'));
    }
    // A guide with Windows line endings: its title and its body, each one line.
    let t = target(Kind::Guide, "working-2024");
    let text = read(root, &t).replace('\n', "\r\n");
    std::fs::write(edit::path_of(root, &t).unwrap(), &text).unwrap();
    let opened = edit::open(root, &t).unwrap();
    let body = value(&opened, "body").unwrap();
    let first = body.lines().find(|l| l.len() > 20).unwrap().to_string();
    let new_body = body.replacen(&first, &format!("{first} More."), 1);
    let form = with(&opened, &[("title", "A new title"), ("body", &new_body)]);
    save(root, &t, &form).unwrap();
    let now = read(root, &t);
    let (removed, added) = changed_lines(&text, &now);
    assert_eq!(
        (removed.len(), added.len()),
        (2, 2),
        "{removed:?} {added:?}"
    );
    assert!(added.iter().all(|l| l.ends_with("\r\n")), "{added:?}");
}

/// A bad value for `name`'s type, if it has a checked type.
fn bad_value(ty: &FieldType) -> Option<&'static str> {
    Some(match ty {
        FieldType::Email => "not-an-email",
        FieldType::Phone => "12345",
        FieldType::PartialDate => "31/02/2025",
        FieldType::Url => "not a web address",
        FieldType::Category => "no-such-category",
        FieldType::Choice(_) => "no-such-value",
        FieldType::Integer | FieldType::Money => "lots",
        FieldType::Time => "25:99",
        _ => return None,
    })
}

/// Errors are named as the form named the field, even where the file's rows moved:
/// every checked field of a row after the first, with the list's first row removed in
/// the same save, and of a new row posted at an index past the next free one.
#[test]
fn errors_are_named_by_the_forms_row_numbers_when_rows_move() {
    let site = common::full_fixture();
    let root = site.path();
    let t = target(Kind::Cluster, "complete");
    let opened = edit::open(root, &t).unwrap();
    let mut tried = 0;
    for (name, _) in &opened.values {
        let parts: Vec<&str> = name.split('.').collect();
        let Some(pos) = parts
            .iter()
            .position(|p| p.parse::<usize>().is_ok_and(|i| i >= 1))
        else {
            continue;
        };
        let Some(bad) = bad_value(type_of(t.kind, name).unwrap()) else {
            continue;
        };
        let first_row = format!("{}.0.", parts[..pos].join("."));
        let mut form: Vec<_> = opened
            .values
            .iter()
            .filter(|(n, _)| !n.starts_with(&first_row))
            .cloned()
            .collect();
        form.iter_mut()
            .filter(|(n, _)| n == name)
            .for_each(|p| p.1 = bad.to_string());
        let Err(EditError::Invalid(problems)) =
            edit::save(root, &t, &form, Scope::Whole, &opened.version)
        else {
            panic!("{name} = {bad:?} saved");
        };
        assert!(
            problems
                .iter()
                .any(|p| p.field.as_deref() == Some(name.as_str())),
            "{name}: {problems:?}"
        );
        tried += 1;
    }
    assert!(tried > 10, "only {tried}");
    // A new school posted as row 9 of 5, without its phase.
    let form = with(&opened, &[("schools.9.name", "Newfield Primary")]);
    let Err(EditError::Invalid(problems)) =
        edit::save(root, &t, &form, Scope::Whole, &opened.version)
    else {
        panic!("a school without a phase saved");
    };
    assert!(
        problems
            .iter()
            .any(|p| p.field.as_deref() == Some("schools.9.phase")),
        "{problems:?}"
    );
}

/// An empty quick form adds nothing and says which fields to fill in, as `check` would.
#[test]
fn an_empty_quick_form_is_refused_naming_its_required_fields() {
    let site = common::full_fixture();
    let root = site.path();
    let t = target(Kind::Cluster, "complete");
    let before = read(root, &t);
    for (key, fields) in [
        ("updates", vec!["date", "title", "body"]),
        ("meetings", vec!["title", "date", "time", "place"]),
    ] {
        let opened = edit::open(root, &t).unwrap();
        let form: Vec<_> = fields
            .iter()
            .map(|f| (format!("{key}.0.{f}"), " ".to_string()))
            .collect();
        let Err(EditError::Invalid(problems)) =
            edit::save(root, &t, &form, Scope::Append(key), &opened.version)
        else {
            panic!("{key}: an empty row was added");
        };
        let required: Vec<String> = walk(Kind::Cluster)
            .into_iter()
            .filter(|(p, f)| p.as_slice() == [key] && f.required)
            .map(|(_, f)| format!("{key}.0.{}", f.key))
            .collect();
        let named: Vec<String> = problems.iter().filter_map(|p| p.field.clone()).collect();
        assert_eq!(named, required);
        assert!(problems
            .iter()
            .all(|p| p.message.starts_with("missing field")));
        assert_eq!(read(root, &t), before);
    }
}

/// A record that is a symbolic link, or sits in a linked folder, is neither shown nor
/// written (the build does not read it either): the link could point anywhere.
#[cfg(unix)]
#[test]
fn records_reached_through_symbolic_links_are_neither_read_nor_written() {
    use std::os::unix::fs::symlink;
    let site = common::full_fixture();
    let root = site.path();
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.toml");
    std::fs::write(&secret, "name = \"secret\"\nlast_reviewed = 2025-01-01\n").unwrap();
    symlink(&secret, root.join("content/clusters/linked.toml")).unwrap();
    std::fs::create_dir_all(outside.path().join("pages")).unwrap();
    std::fs::write(
        outside.path().join("pages/away.md"),
        "+++\ntitle = \"Away\"\n+++\n",
    )
    .unwrap();
    std::fs::remove_dir_all(root.join("content/pages")).unwrap();
    symlink(outside.path().join("pages"), root.join("content/pages")).unwrap();
    let form = vec![("name".to_string(), "Changed".to_string())];
    for t in [
        target(Kind::Cluster, "linked"),
        target(Kind::Page, "away"),
        target(Kind::Page, "new-page"),
    ] {
        assert!(
            matches!(edit::path_of(root, &t), Err(EditError::BadRequest(_))),
            "{t:?}"
        );
        assert!(
            matches!(edit::open(root, &t), Err(EditError::BadRequest(_))),
            "{t:?}"
        );
        assert!(matches!(
            edit::save(root, &t, &form, Scope::Whole, "x"),
            Err(EditError::BadRequest(_))
        ));
        assert!(matches!(
            edit::create(root, &t, &form),
            Err(EditError::BadRequest(_))
        ));
    }
    assert!(std::fs::read_to_string(&secret).unwrap().contains("secret"));
    assert!(!outside.path().join("pages/new-page.md").exists());
}

/// Dates that are not dates (a day past the month's end, month 13, month 0, a year of
/// two digits, no leading zeros, words), in a record's date and a row's: refused beside
/// the field, nothing written. Dates that are (a year, a month, a day, a leap day) save.
#[test]
fn dates_are_checked_as_the_content_format_reads_them() {
    let site = common::full_fixture();
    let root = site.path();
    let t = target(Kind::Cluster, "complete");
    let original = read(root, &t);
    for name in ["last_reviewed", "meetings.0.date", "offer.1.last_reviewed"] {
        for bad in [
            "2025-02-30",
            "2025-13",
            "2025-00-10",
            "25-01-01",
            "2025-1-5",
            "yesterday",
            "2025-02-29T10:00",
        ] {
            let opened = edit::open(root, &t).unwrap();
            let form = with(&opened, &[(name, bad)]);
            let result = edit::save(root, &t, &form, Scope::Whole, &opened.version);
            let Err(EditError::Invalid(problems)) = result else {
                panic!("{name} = {bad:?}: {result:?}");
            };
            assert!(
                problems.iter().any(|p| p.field.as_deref() == Some(name)),
                "{name} = {bad:?}: {problems:?}"
            );
            assert_eq!(read(root, &t), original);
        }
        for good in ["2024", "2024-02", "2024-02-29"] {
            let opened = edit::open(root, &t).unwrap();
            let result = save(root, &t, &with(&opened, &[(name, good)]));
            match result {
                Ok(_) => assert_eq!(
                    value(&edit::open(root, &t).unwrap(), name).as_deref(),
                    Some(good)
                ),
                // A year alone is not a review date everywhere; the refusal names the field.
                Err(EditError::Invalid(p)) => assert!(
                    p.iter().any(|p| p.field.as_deref() == Some(name)),
                    "{name} = {good}: {p:?}"
                ),
                Err(e) => panic!("{name} = {good}: {e:?}"),
            }
            std::fs::write(edit::path_of(root, &t).unwrap(), &original).unwrap();
        }
    }
}

/// In the preview the check before a save goes through the preview's render cache: it
/// renders again only the pages the edit changes (the cluster's own pages and the pages
/// that list clusters), not the whole site, and the save is the same as without it.
#[test]
fn a_save_through_the_render_cache_renders_only_the_pages_it_changes() {
    let site = common::real_site();
    let root = site.path();
    let cache = clusterdir::pages::RenderCache::default();
    let options = clusterdir::build::Options {
        drafts: true,
        ..Default::default()
    };
    let first = clusterdir::build::check_cached(root, &options, Some(&cache));
    assert!(first.ok(), "{}", first.report(false));
    let all = cache.last_rendered();
    assert!(
        all.len() > 20,
        "the first check renders every page: {all:?}"
    );

    let t = target(Kind::Cluster, "arm");
    let opened = edit::open(root, &t).unwrap();
    let place = edit::Place {
        root,
        cache: Some(&cache),
    };
    let form = with(&opened, &[("contacts.1.phone", "0113 496 0456")]);
    let saved = edit::save(place, &t, &form, Scope::Whole, &opened.version).unwrap();
    assert!(saved.diff.contains("0113 496 0456"), "{}", saved.diff);
    let again = cache.last_rendered();
    assert!(
        again.iter().any(|p| p.contains("clusters/arm")),
        "the cluster's page is rendered again: {again:?}"
    );
    assert!(
        again.len() * 2 < all.len(),
        "only the changed pages are rendered again: {} of {}: {again:?}",
        again.len(),
        all.len()
    );
    // An invalid value is still refused through the cache, with nothing written.
    let opened = edit::open(root, &t).unwrap();
    let before = read(root, &t);
    let bad = with(&opened, &[("contacts.0.email", "not an email")]);
    let refused = edit::save(place, &t, &bad, Scope::Whole, &opened.version);
    assert!(matches!(refused, Err(EditError::Invalid(_))), "{refused:?}");
    assert_eq!(read(root, &t), before);
}

/// The decor of the row at `path` (`offer.0`, `funding.0.sources.0`, `sources.0`)
/// under `table`.
fn row_decor<'a>(
    table: &'a mut dyn toml_edit::TableLike,
    path: &[&str],
) -> Option<&'a mut toml_edit::Decor> {
    use toml_edit::{Item, Value};
    let (key, rest) = path.split_first()?;
    let item = table.get_mut(key)?;
    let index = rest.first().and_then(|p| p.parse::<usize>().ok());
    match (item, index) {
        (Item::ArrayOfTables(a), Some(n)) => {
            let t = a.get_mut(n)?;
            match rest.len() {
                1 => Some(t.decor_mut()),
                _ => row_decor(t, &rest[1..]),
            }
        }
        (Item::Value(Value::Array(a)), Some(n)) => {
            let v = a.get_mut(n)?;
            match (rest.len(), v) {
                (1, v) => Some(v.decor_mut()),
                (_, Value::InlineTable(t)) => row_decor(t, &rest[1..]),
                _ => None,
            }
        }
        (Item::Table(t), None) => row_decor(t, rest),
        (Item::Value(Value::InlineTable(t)), None) => row_decor(t, rest),
        _ => None,
    }
}

/// Every list at any depth of the fixture's fullest cluster (lists of tables and lists
/// of text), with a generated comment above its first row: removing that row keeps
/// the comment (it moves to the row now first), and removing every row keeps it too.
#[test]
fn a_comment_above_the_first_row_of_any_list_survives_its_removal() {
    let site = common::full_fixture();
    let root = site.path();
    let t = target(Kind::Cluster, "complete");
    let original = read(root, &t);
    let opened = edit::open(root, &t).unwrap();
    let mut lists: Vec<String> = Vec::new();
    for (name, _) in &opened.values {
        let parts: Vec<&str> = name.split('.').collect();
        for i in 1..parts.len() {
            let list = parts[..i].join(".");
            if parts[i] == "0" && !lists.contains(&list) {
                lists.push(list);
            }
        }
    }
    assert!(lists.len() > 12, "{lists:?}");
    let mut rng = fastrand::Rng::with_seed(2001);
    for list in &lists {
        let words: String = (0..rng.usize(1..6))
            .map(|_| {
                (0..rng.usize(1..9))
                    .map(|_| rng.alphanumeric())
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join(" ");
        let note = format!("# About the list: {words}.");
        let blank = if rng.bool() { "\n" } else { "" };
        let mut doc: toml_edit::DocumentMut = original.parse().unwrap();
        let path: Vec<&str> = list.split('.').chain(["0"]).collect();
        let decor = row_decor(doc.as_table_mut(), &path).unwrap_or_else(|| panic!("{list}"));
        let now = decor
            .prefix()
            .and_then(|p| p.as_str())
            .unwrap_or("")
            .to_string();
        decor.set_prefix(format!("{blank}\n{note}\n{now}"));
        let text = doc.to_string();
        std::fs::write(edit::path_of(root, &t).unwrap(), &text).unwrap();
        let opened = edit::open(root, &t).unwrap();
        let first = format!("{list}.0");
        let row_of = |n: &str, row: &str| n == row || n.starts_with(&format!("{row}."));
        let without_first: Vec<_> = opened
            .values
            .iter()
            .filter(|(n, _)| !row_of(n, &first))
            .cloned()
            .collect();
        let without_all: Vec<_> = opened
            .values
            .iter()
            .filter(|(n, _)| {
                let rest = n.strip_prefix(&format!("{list}."));
                !rest.is_some_and(|r| {
                    r.split('.')
                        .next()
                        .is_some_and(|i| i.parse::<usize>().is_ok())
                })
            })
            .cloned()
            .collect();
        for (what, form) in [("first row", &without_first), ("every row", &without_all)] {
            let new = edit::apply(root, &t, form, Scope::Whole).unwrap();
            assert_eq!(new.matches(&note).count(), 1, "{list}, {what}:\n{new}");
            new.parse::<toml::Table>()
                .unwrap_or_else(|e| panic!("{list}, {what}: {e}\n{new}"));
            let (removed, _) = changed_lines(&text, &new);
            assert!(
                removed.iter().all(|l| !l.trim_start().starts_with('#')),
                "{list}, {what}: {removed:?}"
            );
        }
    }
    std::fs::write(edit::path_of(root, &t).unwrap(), &original).unwrap();
}

/// On the real A.R.M record, removing the first school and the first offer item keeps
/// the comments that describe those lists, and the blank lines before them.
#[test]
fn removing_the_first_school_and_offer_item_keeps_the_lists_comments() {
    let site = common::real_site();
    let root = site.path();
    let t = target(Kind::Cluster, "arm");
    let text = read(root, &t);
    let opened = edit::open(root, &t).unwrap();
    let form: Vec<_> = opened
        .values
        .iter()
        .filter(|(n, _)| !n.starts_with("schools.0.") && !n.starts_with("offer.0."))
        .cloned()
        .collect();
    let new = edit::apply(root, &t, &form, Scope::Whole).unwrap();
    let (removed, _) = changed_lines(&text, &new);
    assert!(removed.iter().all(|l| !l.starts_with('#')), "{removed:?}");
    assert!(new.contains("\n\n# Schools. Source lists them by phase.\n[[schools]]\n"));
    assert!(new.contains("\n\n# The core offer."));
}

/// A save of one record while another file of the site has errors (each other record
/// of the fixture in turn, broken in a generated way) is written, and says which
/// errors elsewhere keep the preview from showing it; with no such errors it says none.
#[test]
fn a_save_names_the_errors_in_other_files_that_keep_the_preview_from_showing_it() {
    let site = common::full_fixture();
    let root = site.path();
    let t = target(Kind::Cluster, "complete");
    let mut rng = fastrand::Rng::with_seed(204);
    let others: Vec<Target> = every_record(root).into_iter().filter(|o| *o != t).collect();
    assert!(others.len() >= 4);
    for (n, other) in others.iter().enumerate() {
        let path = edit::path_of(root, other).unwrap();
        let clean = std::fs::read_to_string(&path).unwrap();
        let key: String = (0..rng.usize(3..10)).map(|_| rng.lowercase()).collect();
        let broken_line = match rng.usize(..3) {
            0 => format!("{key} = [\n"),
            1 => format!("{key} = \"unclosed\n"),
            _ => format!("{key} {key}\n"),
        };
        let broken = match other.kind {
            Kind::Cluster => format!("{broken_line}{clean}"),
            _ => clean.replacen("+++\n", &format!("+++\n{broken_line}"), 1),
        };
        std::fs::write(&path, &broken).unwrap();
        let opened = edit::open(root, &t).unwrap();
        let area = format!("Area {n} {key}");
        let saved = save(root, &t, &with(&opened, &[("area", &area)])).unwrap();
        assert!(read(root, &t).contains(&area));
        let rel = path.strip_prefix(root).unwrap().display().to_string();
        assert!(
            saved
                .elsewhere
                .iter()
                .any(|e| e.starts_with(&format!("{rel}, line "))),
            "{rel}: {:?}",
            saved.elsewhere
        );
        std::fs::write(&path, &clean).unwrap();
        let opened = edit::open(root, &t).unwrap();
        let saved = save(root, &t, &with(&opened, &[("area", "Back again")])).unwrap();
        assert!(saved.elsewhere.is_empty(), "{:?}", saved.elsewhere);
    }
}

/// Record files the site cannot use are on the start page's list as "cannot be read",
/// with why: a symbolic link, a cluster whose slug another has, a file that does not
/// parse; the site's errors are listed too.
#[cfg(unix)]
#[test]
fn records_the_site_cannot_use_are_listed_with_why() {
    let site = common::full_fixture();
    let root = site.path();
    let clusters = root.join("content/clusters");
    let minimal = std::fs::read_to_string(clusters.join("minimal.toml")).unwrap();
    std::os::unix::fs::symlink(clusters.join("minimal.toml"), clusters.join("linked.toml"))
        .unwrap();
    std::fs::write(
        clusters.join("twin.toml"),
        format!("slug = \"complete\"\n{minimal}"),
    )
    .unwrap();
    std::fs::write(clusters.join("broken.toml"), format!("name = [\n{minimal}")).unwrap();
    let overview = edit::overview(root).unwrap();
    for (slug, why) in [
        ("linked", "symbolic link"),
        ("twin", "slug \"complete\""),
        ("broken", ""),
    ] {
        let r = overview
            .records
            .iter()
            .find(|r| r.target.slug == slug)
            .unwrap_or_else(|| panic!("{slug} not listed: {:?}", overview.records));
        let reason = r.unreadable.as_deref().unwrap_or_else(|| panic!("{slug}"));
        assert!(
            reason.contains(why) && !reason.is_empty(),
            "{slug}: {reason}"
        );
        assert!(
            overview
                .errors
                .iter()
                .any(|e| e.contains(&format!("{slug}.toml"))),
            "{slug}: {:?}",
            overview.errors
        );
    }
    assert!(overview
        .records
        .iter()
        .filter(|r| !["linked", "twin", "broken"].contains(&r.target.slug.as_str()))
        .all(|r| r.unreadable.is_none()));
}

/// Changing one word of a multi-line text (generated: a random word of every
/// multi-line value of the real A.R.M record, replaced by a generated word with
/// quotes or a backslash now and then) changes one line of the file, and the closing
/// `"""` stays on a line of its own.
#[test]
fn one_word_changed_in_a_multi_line_text_changes_one_line() {
    let site = common::real_site();
    let root = site.path();
    let t = target(Kind::Cluster, "arm");
    let original = read(root, &t);
    let opened = edit::open(root, &t).unwrap();
    let multi: Vec<(String, String)> = opened
        .values
        .iter()
        .filter(|(n, v)| v.trim_end().contains('\n') && type_of(t.kind, n).is_some())
        .cloned()
        .collect();
    assert!(!multi.is_empty());
    let mut rng = fastrand::Rng::with_seed(209);
    for round in 0..40 {
        let (name, text) = &multi[round % multi.len()];
        let words: Vec<&str> = text.split(' ').collect();
        let i = rng.usize(..words.len());
        if words[i].contains('\n') || words[i].is_empty() {
            continue;
        }
        let new_word: String = match rng.usize(..4) {
            0 => "\"quoted\"".to_string(),
            1 => "back\\slash".to_string(),
            _ => (0..rng.usize(2..9)).map(|_| rng.alphabetic()).collect(),
        };
        let mut changed = words.clone();
        changed[i] = &new_word;
        let new_text = changed.join(" ");
        let new =
            edit::apply(root, &t, &with(&opened, &[(name, &new_text)]), Scope::Whole).unwrap();
        let (removed, added) = changed_lines(&original, &new);
        assert_eq!(
            (removed.len(), added.len()),
            (1, 1),
            "{name}: {removed:?} -> {added:?}"
        );
        let back: toml::Table = new.parse().unwrap();
        let mut value = &back;
        let parts: Vec<&str> = name.split('.').collect();
        for p in &parts[..parts.len() - 1] {
            value = match p.parse::<usize>() {
                Ok(_) => continue,
                Err(_) => match &value[*p] {
                    toml::Value::Array(a) => a[parts
                        [parts.iter().position(|x| x == p).unwrap() + 1]
                        .parse::<usize>()
                        .unwrap()]
                    .as_table()
                    .unwrap(),
                    v => v.as_table().unwrap(),
                },
            };
        }
        let got = value[*parts.last().unwrap()].as_str().unwrap();
        assert_eq!(got.trim_end(), new_text.trim_end(), "{name}");
    }
}

/// A history folder that is, or is reached through, a symbolic link (each folder on
/// the way in turn, linked to a folder outside the site; or a kept version linked to a
/// file outside) is neither written nor read: the save is refused saying why, and
/// nothing is written anywhere.
#[cfg(unix)]
#[test]
fn a_history_folder_reached_through_a_symbolic_link_is_neither_written_nor_read() {
    let site = common::full_fixture();
    let root = site.path();
    let t = target(Kind::Cluster, "complete");
    // One save, so that the folders and a kept version exist.
    let opened = edit::open(root, &t).unwrap();
    save(root, &t, &with(&opened, &[("area", "First")])).unwrap();
    let kept = edit::history(root, &t).unwrap();
    assert_eq!(kept.len(), 1);
    let levels = [
        ".clusterdir",
        ".clusterdir/history",
        ".clusterdir/history/clusters",
        ".clusterdir/history/clusters/complete",
    ];
    for level in levels {
        let outside = tempfile::tempdir().unwrap();
        let real = root.join(level);
        let moved = root.join(format!("{level}.moved"));
        std::fs::rename(&real, &moved).unwrap();
        std::os::unix::fs::symlink(outside.path(), &real).unwrap();
        let before = read(root, &t);
        let opened = edit::open(root, &t).unwrap();
        let err = save(root, &t, &with(&opened, &[("area", "Through a link")])).unwrap_err();
        assert!(format!("{err}").contains("symbolic link"), "{level}: {err}");
        assert_eq!(read(root, &t), before, "{level}");
        assert!(
            std::fs::read_dir(outside.path()).unwrap().next().is_none(),
            "{level}: wrote outside"
        );
        assert!(edit::history(root, &t).is_err(), "{level}");
        assert!(
            edit::restore(root, &t, &kept[0].id, &opened.version).is_err(),
            "{level}"
        );
        std::fs::remove_file(&real).unwrap();
        std::fs::rename(&moved, &real).unwrap();
    }
    // A kept version that is a link to a file outside is not read.
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.toml");
    std::fs::write(&secret, "name = \"Secret\"\n").unwrap();
    let version = root.join(format!(
        ".clusterdir/history/clusters/complete/{}.toml",
        kept[0].id
    ));
    std::fs::remove_file(&version).unwrap();
    std::os::unix::fs::symlink(&secret, &version).unwrap();
    let opened = edit::open(root, &t).unwrap();
    assert!(edit::restore(root, &t, &kept[0].id, &opened.version).is_err());
    assert!(edit::history(root, &t).unwrap().is_empty());
    assert!(!read(root, &t).contains("Secret"));
}
