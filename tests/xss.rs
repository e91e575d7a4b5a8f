//! Script payloads in every free-text field of the fixture site: the build must show
//! them as text everywhere (HTML text and attributes, JSON-LD, JSON, Atom, sitemaps,
//! SVG charts, iCalendar, CSV) and never as markup; links with script addresses are
//! refused.

mod common;

use std::path::Path;

use scraper::Html;

/// Breaks out of HTML text, attributes (both quotes), a `<script>` block and CDATA.
const PAYLOAD: &str =
    "<script>alert(1)</script>\"'><img src=x onerror=alert(2)></script><!--]]>&amp;";

/// Keys left alone: [`common::CHECKED_KEYS`], and Markdown, where a payload would be a
/// validation error (raw HTML) rather than text.
fn structured(key: &str) -> bool {
    common::CHECKED_KEYS.contains(&key)
        || ["summary", "body", "data_licence", "licence", "help_intro"].contains(&key)
}

/// Append the payload to every free-text string in a TOML value.
fn poison(value: &mut toml::Value, key: &str) {
    match value {
        toml::Value::String(s) if !structured(key) => s.push_str(PAYLOAD),
        toml::Value::Array(items) => items.iter_mut().for_each(|v| poison(v, key)),
        toml::Value::Table(t) => t.iter_mut().for_each(|(k, v)| poison(v, k)),
        _ => {}
    }
}

fn poison_toml(path: &Path) {
    let mut value: toml::Value = toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    poison(&mut value, "");
    std::fs::write(path, toml::to_string(&value).unwrap()).unwrap();
}

/// The full fixture with the payload in every free-text field of every record, the
/// site settings and the front matter of every guide and page.
fn poisoned_fixture() -> tempfile::TempDir {
    let dir = common::full_fixture();
    let content = dir.path().join("content");
    // A glossary whose explanations (put into pages' text and `title` attributes) carry
    // the payload too, and the page that lists it.
    let config = content.join("site.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        format!("{text}\n[[glossary]]\nterm = \"C.E.\"\nstands_for = \"Small\"\nmeaning = \"Small.\"\n\n[[glossary]]\nterm = \"Testville\"\nmeaning = \"A town.\"\n"),
    )
    .unwrap();
    std::fs::write(
        content.join("pages/words.md"),
        "+++\ntitle = \"Words\"\nlist = \"glossary\"\n+++\n\nTerms.\n",
    )
    .unwrap();
    poison_toml(&config);
    for entry in std::fs::read_dir(content.join("clusters")).unwrap() {
        poison_toml(&entry.unwrap().path());
    }
    for folder in ["guides", "pages"] {
        for entry in std::fs::read_dir(content.join(folder)).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let (front, body) = text
                .trim_start_matches("+++\n")
                .split_once("\n+++\n")
                .unwrap();
            let mut value: toml::Value = toml::from_str(front).unwrap();
            poison(&mut value, "");
            let front = toml::to_string(&value).unwrap();
            std::fs::write(&path, format!("+++\n{front}+++\n{body}")).unwrap();
        }
    }
    dir
}

fn files_with(public: &Path, extension: &str) -> Vec<std::path::PathBuf> {
    walkdir::WalkDir::new(public)
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.extension().is_some_and(|x| x == extension))
        .collect()
}

#[test]
fn payloads_in_every_field_are_text_in_every_output() {
    let dir = poisoned_fixture();
    let public = common::build(dir.path());
    let mut shown_as_text = 0;
    let pages: Vec<String> = common::html_files(&public)
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap())
        .collect();
    for sign in [
        "<abbr title=\"Small&lt;script&gt;",
        "class=\"glossary-term\"",
    ] {
        assert!(
            pages.iter().any(|p| p.contains(sign)),
            "no page explained a poisoned term: {sign}"
        );
    }

    for file in common::html_files(&public) {
        let doc = Html::parse_document(&std::fs::read_to_string(&file).unwrap());
        for el in doc
            .root_element()
            .descendants()
            .filter_map(scraper::ElementRef::wrap)
        {
            let name = el.value().name();
            assert_ne!(name, "img", "an <img> element in {}", file.display());
            for (attr, value) in el.value().attrs() {
                assert!(
                    !attr.starts_with("on"),
                    "{attr}={value:?} on <{name}> in {}",
                    file.display()
                );
            }
            if name == "script" {
                match el.value().attr("type") {
                    Some("application/ld+json") => {
                        let json: String = el.text().collect();
                        let data: serde_json::Value =
                            serde_json::from_str(&json).unwrap_or_else(|e| {
                                panic!("JSON-LD in {} is not JSON ({e}): {json}", file.display())
                            });
                        assert!(data.to_string().contains("alert(1)") || !json.contains("alert"));
                    }
                    _ => assert!(
                        el.value().attr("src").is_some()
                            && el.text().collect::<String>().is_empty(),
                        "an inline script in {}",
                        file.display()
                    ),
                }
            }
        }
        let text: String = doc.root_element().text().collect();
        if text.contains(PAYLOAD) {
            shown_as_text += 1;
        }
    }
    assert!(
        shown_as_text > 10,
        "the payload was shown as text on only {shown_as_text} pages"
    );

    // Attributes: the payload survives intact inside an attribute value (a page title or
    // description in a <meta>), so quotes did not end the attribute.
    let home = common::read_html(&public.join("index.html"));
    let meta: Vec<&str> = home
        .select(&common::sel(
            "meta[property='og:title'], meta[name='description']",
        ))
        .filter_map(|m| m.value().attr("content"))
        .collect();
    assert!(meta.iter().any(|c| c.contains(PAYLOAD)), "{meta:?}");

    for file in files_with(&public, "json") {
        let text = std::fs::read_to_string(&file).unwrap();
        serde_json::from_str::<serde_json::Value>(&text)
            .unwrap_or_else(|e| panic!("{} is not JSON: {e}", file.display()));
    }
    let mut feeds_with_payload = 0;
    for ext in ["xml", "svg"] {
        for file in files_with(&public, ext) {
            let text = std::fs::read_to_string(&file).unwrap();
            let doc = roxmltree::Document::parse(&text)
                .unwrap_or_else(|e| panic!("{} is not well-formed XML: {e}", file.display()));
            assert!(
                doc.descendants().all(|n| n.tag_name().name() != "script"),
                "a script element in {}",
                file.display()
            );
            if doc
                .descendants()
                .any(|n| n.text().is_some_and(|t| t.contains(PAYLOAD)))
            {
                feeds_with_payload += 1;
            }
        }
    }
    assert!(
        feeds_with_payload > 0,
        "no feed carries the payload as text"
    );

    let mut events_with_payload = 0;
    for file in files_with(&public, "ics") {
        use icalendar::{Calendar, CalendarComponent, Component};
        let text = std::fs::read_to_string(&file).unwrap();
        let cal: Calendar = icalendar::parser::read_calendar(&icalendar::parser::unfold(&text))
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()))
            .into();
        for c in &cal.components {
            if let CalendarComponent::Event(e) = c {
                if e.get_summary().is_some_and(|s| s.contains(PAYLOAD)) {
                    events_with_payload += 1;
                }
            }
        }
    }
    assert!(
        events_with_payload > 0,
        "no calendar event carries the payload as text"
    );

    let mut cells_with_payload = 0;
    for file in files_with(&public, "csv") {
        let mut reader = csv::Reader::from_path(&file).unwrap();
        let width = reader.headers().unwrap().len();
        for row in reader.records() {
            let row = row.unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            assert_eq!(row.len(), width, "a ragged row in {}", file.display());
            cells_with_payload += row.iter().filter(|c| c.contains(PAYLOAD)).count();
        }
    }
    assert!(cells_with_payload > 0, "no CSV cell carries the payload");
}

#[test]
fn script_addresses_are_refused_in_markdown_and_record_fields() {
    let dir = common::full_fixture();
    let content = dir.path().join("content");
    let record = content.join("clusters/minimal.toml");
    let text = std::fs::read_to_string(&record).unwrap();
    std::fs::write(
        &record,
        format!("{text}summary = \"[Click](javascript:alert(1)) and [data](data:text/html;base64,PHNjcmlwdD4=) and [vb]( VBScript:msgbox)\"\n\n[help]\nrequest_form_url = \"javascript:alert(1)\"\n"),
    )
    .unwrap();
    let checked = common::check(dir.path());
    let lines = checked.diagnostics.short_lines(&checked.sources);
    let about = |needle: &str| lines.iter().filter(|l| l.contains(needle)).count();
    assert_eq!(about("javascript:alert(1)"), 2, "{lines:#?}"); // the link and the form address
    assert_eq!(about("data:text/html"), 1, "{lines:#?}");
    assert_eq!(about("VBScript:msgbox"), 1, "{lines:#?}");
    assert!(
        lines
            .iter()
            .all(|l| l.starts_with("content/clusters/minimal.toml:")),
        "{lines:#?}"
    );
}
