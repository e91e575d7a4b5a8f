//! Every output format against generated hostile text: control characters (C0, DEL,
//! C1), lone carriage returns and CRLF, bidirectional controls, noncharacters in every
//! plane, characters beside the surrogates, long runs of multi-byte characters (to fold
//! lines at odd places) and spreadsheet formula prefixes, mixed at random from a fixed
//! seed and put into every free-text field of the fixture site. Each output is read
//! with a strict parser: iCalendar lines of at most 75 octets that unfold to the right
//! text, XML (Atom, sitemaps, SVG charts) that parses and holds only XML characters,
//! CSV cells no spreadsheet would run, `_headers` and `robots.txt` with nothing from
//! content, and `check` output with no raw control or escape character. Web addresses
//! and amounts are refused with their place when they cannot be right.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

/// Keys left alone: [`common::CHECKED_KEYS`] (a hostile value there is a validation
/// error, tested below for addresses and amounts), and `sources`, whose entries may be
/// web addresses.
fn structured(key: &str) -> bool {
    common::CHECKED_KEYS.contains(&key) || key == "sources"
}

/// Keys holding Markdown (or text shown through it): hostile characters, but no
/// Markdown or HTML punctuation, which would be markup rather than text.
const MARKDOWN: &[&str] = &["summary", "body", "help_intro", "data_licence"];

/// What a spreadsheet may take as the start of a formula.
const FORMULA_STARTS: &[char] = &[
    '=', '+', '-', '@', '\t', '\r', '\n', '＝', '＋', '－', '＠', '\u{fe66}', '\u{fe62}',
    '\u{fe63}', '\u{fe6b}', '\u{2212}', '\u{2796}',
];

/// Invisible characters a spreadsheet passes over, put before a formula's start.
const INVISIBLE: &[char] = &[
    '\u{200b}',
    '\u{feff}',
    '\u{202e}',
    '\u{61c}',
    '\u{2060}',
    '\u{ad}',
    '\u{180e}',
    '\u{e0001}',
];

/// Every character the tests must see pass through each format, in groups.
fn special_chars() -> Vec<char> {
    let mut v: Vec<char> = Vec::new();
    v.extend(['\t', '\n', '\r']);
    v.extend((0x80..0xa0).filter_map(char::from_u32)); // C1 controls
    v.extend(['\u{61c}', '\u{200e}', '\u{200f}', '\u{2028}', '\u{2029}']);
    v.extend(('\u{202a}'..='\u{202e}').chain('\u{2066}'..='\u{2069}'));
    v.extend('\u{fdd0}'..='\u{fdef}'); // noncharacters
    for plane in 0..=16u32 {
        v.extend([0xfffe, 0xffff].map(|n| char::from_u32(plane << 16 | n).unwrap()));
    }
    v.extend([
        '\u{d7ff}', '\u{e000}', '\u{fffd}', '\u{feff}', '\u{ad}', '\u{a0}',
    ]);
    v.extend(['é', '€', '🙂', '\u{301}', '𝄞']);
    v.extend(['<', '>', '&', '"', '\'', ';', ',', '\\', ':']);
    v
}

/// Characters no Markdown field gets (they would be markup, not text).
fn is_markup(c: char) -> bool {
    c.is_ascii_punctuation() && !matches!(c, ';' | ',' | ':' | '\'' | '"')
}

/// Makes hostile strings: each takes the next few special characters in turn (so that
/// every one is used somewhere), then random filler, sometimes very long, sometimes
/// starting with a formula prefix or a line break.
struct Hostile {
    rng: fastrand::Rng,
    specials: Vec<char>,
    next: usize,
    used: BTreeSet<char>,
}

impl Hostile {
    fn new(seed: u64) -> Hostile {
        Hostile {
            rng: fastrand::Rng::with_seed(seed),
            specials: special_chars(),
            next: 0,
            used: BTreeSet::new(),
        }
    }

    fn string(&mut self, markdown: bool) -> String {
        let mut s = String::new();
        if self.rng.u8(0..3) == 0 {
            if self.rng.bool() {
                s.push(INVISIBLE[self.rng.usize(..INVISIBLE.len())]);
            }
            s.push(FORMULA_STARTS[self.rng.usize(..FORMULA_STARTS.len())]);
            s.push_str("HYPERLINK(\"https://example.org\";\"x\")");
        }
        // A word of its own, so that no two names are the same once their letters alone
        // are compared (school names are).
        s.push_str("Word");
        s.extend(std::iter::repeat_with(|| self.rng.alphabetic()).take(8));
        let pieces = if self.rng.u8(0..4) == 0 { 200 } else { 12 };
        for i in 0..pieces {
            let c = if i < 8 {
                self.next += 1;
                self.specials[self.next % self.specials.len()]
            } else {
                match self.rng.u8(0..4) {
                    0 => self.specials[self.rng.usize(..self.specials.len())],
                    1 => ['é', '€', '🙂'][self.rng.usize(..3)],
                    2 => ' ',
                    _ => self.rng.alphanumeric(),
                }
            };
            if markdown && is_markup(c) {
                continue;
            }
            self.used.insert(c);
            s.push(c);
            if i % 5 == 0 {
                s.push_str("text");
            }
        }
        s.push_str(" end");
        s
    }
}

fn poison(value: &mut toml::Value, key: &str, gen: &mut Hostile) {
    match value {
        toml::Value::String(s) if !structured(key) => {
            *s = gen.string(MARKDOWN.contains(&key));
        }
        toml::Value::Array(items) => items.iter_mut().for_each(|v| poison(v, key, gen)),
        toml::Value::Table(t) => t.iter_mut().for_each(|(k, v)| poison(v, k, gen)),
        _ => {}
    }
}

fn poison_file(path: &Path, gen: &mut Hostile) {
    let text = std::fs::read_to_string(path).unwrap();
    let (front, body) = match text.strip_prefix("+++\n") {
        Some(rest) => {
            let (f, b) = rest.split_once("\n+++\n").unwrap();
            (f.to_string(), Some(b.to_string()))
        }
        None => (text, None),
    };
    let mut value: toml::Value = toml::from_str(&front).unwrap();
    poison(&mut value, "", gen);
    let front = toml::to_string(&value).unwrap();
    let out = match body {
        Some(b) => format!("+++\n{front}+++\n{b}"),
        None => front,
    };
    std::fs::write(path, out).unwrap();
}

/// The full fixture with a generated hostile string in every free-text field.
fn hostile_fixture(seed: u64) -> tempfile::TempDir {
    let dir = common::full_fixture();
    let content = dir.path().join("content");
    let mut gen = Hostile::new(seed);
    poison_file(&content.join("site.toml"), &mut gen);
    for folder in ["clusters", "guides", "pages"] {
        let mut files: Vec<_> = std::fs::read_dir(content.join(folder))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for f in files {
            poison_file(&f, &mut gen);
        }
    }
    let missed: Vec<String> = gen
        .specials
        .iter()
        .filter(|c| !gen.used.contains(c))
        .map(|c| format!("U+{:04X}", *c as u32))
        .collect();
    assert!(missed.is_empty(), "never generated: {missed:?}");
    dir
}

fn files_with(public: &Path, extension: &str) -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = walkdir::WalkDir::new(public)
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.extension().is_some_and(|x| x == extension))
        .collect();
    v.sort();
    v
}

/// The clusters of the site as written, read back with the TOML parser.
fn cluster_records(root: &Path) -> Vec<toml::Table> {
    files_with(&root.join("content/clusters"), "toml")
        .iter()
        .map(|f| toml::from_str(&std::fs::read_to_string(f).unwrap()).unwrap())
        .collect()
}

fn str_of<'a>(t: &'a toml::Table, key: &str) -> Option<&'a str> {
    t.get(key).and_then(|v| v.as_str())
}

fn tables<'a>(t: &'a toml::Table, key: &str) -> Vec<&'a toml::Table> {
    t.get(key)
        .and_then(|v| v.as_array())
        .map(|a| a.iter().filter_map(|v| v.as_table()).collect())
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------------------
// iCalendar

/// A TEXT value as a calendar reader should get it back: every line end is a line
/// feed, and control characters other than tab are gone.
fn ics_expected(s: &str) -> String {
    s.replace("\r\n", "\n")
        .replace(['\r', '\u{2028}', '\u{2029}'], "\n")
        .chars()
        .filter(|&c| !c.is_control() || c == '\t' || c == '\n')
        .filter(|&c| without_bidi(&c.to_string()) == c.to_string() && !is_noncharacter(c))
        .collect()
}

/// U+FDD0..U+FDEF and the last two code points of every plane.
fn is_noncharacter(c: char) -> bool {
    (0xFDD0..=0xFDEF).contains(&(c as u32)) || c as u32 & 0xFFFE == 0xFFFE
}

/// RFC 5545 TEXT unescaping.
fn ics_unescape(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(e) => out.push(e),
                None => panic!("a value ends in a backslash: {s:?}"),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Check the framing of a calendar file: CRLF line ends only, no line over 75 octets;
/// returns its unfolded content lines.
fn ics_lines(file: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(file).unwrap();
    assert!(text.ends_with("\r\n"), "{}", file.display());
    let mut lines: Vec<String> = Vec::new();
    for raw in text[..text.len() - 2].split("\r\n") {
        assert!(
            !raw.contains(['\r', '\n']),
            "a bare CR or LF in {}: {raw:?}",
            file.display()
        );
        assert!(
            raw.len() <= 75,
            "{} octets in {}: {raw:?}",
            raw.len(),
            file.display()
        );
        assert!(
            !raw.chars().any(|c| c.is_control() && c != '\t'),
            "a control character in {}: {raw:?}",
            file.display()
        );
        match raw.strip_prefix(' ') {
            Some(rest) => lines.last_mut().expect("a first line").push_str(rest),
            None => lines.push(raw.to_string()),
        }
    }
    lines
}

#[test]
fn calendars_fold_at_75_octets_and_unfold_to_the_text() {
    for seed in [1, 2, 3] {
        let dir = hostile_fixture(seed);
        let public = common::build(dir.path());
        let files = files_with(&public, "ics");
        assert!(!files.is_empty());
        let mut summaries = BTreeSet::new();
        let mut locations = BTreeSet::new();
        for file in &files {
            let text = std::fs::read_to_string(file).unwrap();
            icalendar::parser::read_calendar(&icalendar::parser::unfold(&text))
                .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            for line in ics_lines(file) {
                if let Some(v) = line.strip_prefix("SUMMARY:") {
                    summaries.insert(ics_unescape(v));
                } else if let Some(v) = line.strip_prefix("LOCATION:") {
                    locations.insert(ics_unescape(v));
                } else if let Some(v) = line.strip_prefix("X-WR-CALNAME:") {
                    assert!(!ics_unescape(v).contains('\r'));
                }
            }
        }
        let mut meetings = 0;
        for rec in cluster_records(dir.path()) {
            let name = str_of(&rec, "name").unwrap();
            for m in tables(&rec, "meetings") {
                if m.get("public").and_then(|p| p.as_bool()) != Some(true) {
                    continue;
                }
                meetings += 1;
                let title = str_of(m, "title").unwrap();
                let want = ics_expected(&format!("{name} cluster: {title}"));
                assert!(summaries.contains(&want), "{want:?} not in {summaries:#?}");
                if let Some(place) = str_of(m, "place") {
                    assert!(locations.contains(&ics_expected(place)), "{place:?}");
                }
            }
        }
        assert!(meetings > 0, "no public meeting in the fixture");
    }
}

// ---------------------------------------------------------------------------------------
// XML: Atom, sitemaps, SVG charts

/// Whether a character may be in an XML document as we write them: XML's `Char`
/// production, without the discouraged controls and the noncharacters.
fn xml_allowed(c: char) -> bool {
    let n = c as u32;
    let nonchar = (0xfdd0..=0xfdef).contains(&n) || n & 0xfffe == 0xfffe;
    let control = c.is_control() && c != '\t' && c != '\n';
    !(control || nonchar)
}

/// Text as an XML reader should get it back.
fn xml_expected(s: &str) -> String {
    s.replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|&c| xml_allowed(c))
        .collect()
}

fn assert_xml_safe(name: &str, text: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(text)
        .unwrap_or_else(|e| panic!("{name} is not well-formed XML: {e}"));
    if let Some(c) = text.chars().find(|&c| !xml_allowed(c) && c != '\r') {
        panic!("{name} holds U+{:04X}", c as u32);
    }
    doc.descendants()
        .filter_map(|n| n.text())
        .map(str::to_string)
        .collect()
}

/// The inline SVG charts of an HTML page.
fn svg_charts(html: &str) -> Vec<&str> {
    html.match_indices("<svg class=\"chart\"")
        .map(|(at, _)| {
            let end = html[at..].find("</svg>").unwrap() + at + "</svg>".len();
            &html[at..end]
        })
        .collect()
}

#[test]
fn xml_outputs_parse_and_hold_only_xml_characters() {
    for seed in [4, 5, 6] {
        let dir = hostile_fixture(seed);
        let public = common::build(dir.path());
        let mut texts = BTreeSet::new();
        let mut xml_files = 0;
        for file in files_with(&public, "xml")
            .iter()
            .chain(&files_with(&public, "svg"))
        {
            let text = std::fs::read_to_string(file).unwrap();
            texts.extend(assert_xml_safe(&file.display().to_string(), &text));
            xml_files += 1;
        }
        assert!(xml_files >= 3, "feeds and the sitemap");
        let mut charts = 0;
        for file in common::html_files(&public) {
            let html = std::fs::read_to_string(&file).unwrap();
            for svg in svg_charts(&html) {
                // The page is HTML; the chart in it is written as XML.
                let svg = svg.replace("&nbsp;", "\u{a0}");
                texts.extend(assert_xml_safe(&file.display().to_string(), &svg));
                charts += 1;
            }
        }
        assert!(charts > 0, "no chart to check");
        let mut checked = 0;
        for rec in cluster_records(dir.path()) {
            let name = str_of(&rec, "name").unwrap();
            for u in tables(&rec, "updates") {
                let want = xml_expected(&format!("{name}: {}", str_of(u, "title").unwrap()));
                assert!(texts.contains(&want), "{want:?} is not an entry title");
                checked += 1;
            }
            for f in tables(&rec, "funding") {
                for s in tables(f, "spending") {
                    let want = xml_expected(str_of(s, "name").unwrap());
                    assert!(
                        texts.iter().any(|t| t.contains(&want)),
                        "{want:?} not in a chart"
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked > 1);
    }
}

// ---------------------------------------------------------------------------------------
// CSV

fn formula_like(cell: &str) -> bool {
    cell.chars()
        .find(|&c| !(c.is_whitespace() || unprintable(c)) || FORMULA_STARTS.contains(&c))
        .is_some_and(|c| FORMULA_STARTS.contains(&c))
}

/// A text as a CSV cell holds it: bidirectional controls dropped.
fn without_bidi(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'))
        .collect()
}

#[test]
fn no_csv_cell_is_a_formula() {
    for seed in [7, 8, 9] {
        let dir = hostile_fixture(seed);
        let public = common::build(dir.path());
        let mut cells = BTreeSet::new();
        let mut neutralised = 0;
        for file in files_with(&public, "csv") {
            let mut reader = csv::Reader::from_path(&file).unwrap();
            let width = reader.headers().unwrap().len();
            for row in reader.records() {
                let row = row.unwrap_or_else(|e| panic!("{}: {e}", file.display()));
                assert_eq!(row.len(), width, "a ragged row in {}", file.display());
                for cell in &row {
                    assert!(!formula_like(cell), "{cell:?} in {}", file.display());
                    assert_eq!(
                        without_bidi(cell),
                        cell,
                        "a bidirectional control in a cell"
                    );
                    if cell.starts_with('\'') && formula_like(&cell[1..]) {
                        neutralised += 1;
                    }
                    cells.insert(cell.to_string());
                }
            }
        }
        // Every service is in a cell, as written, after an apostrophe only when a
        // spreadsheet would have run it.
        for rec in cluster_records(dir.path()) {
            for o in tables(&rec, "offer") {
                let service = without_bidi(str_of(o, "service").unwrap());
                let want = if formula_like(&service) {
                    format!("'{service}")
                } else {
                    service.to_string()
                };
                assert!(cells.contains(&want), "{want:?} is not a cell");
            }
        }
        assert!(neutralised > 0, "seed {seed} made no formula-like cell");
    }
}

// ---------------------------------------------------------------------------------------
// _headers and robots.txt

#[test]
fn headers_and_robots_hold_nothing_from_content() {
    let dir = hostile_fixture(10);
    let public = common::build(dir.path());
    let headers = std::fs::read_to_string(public.join("_headers")).unwrap();
    for line in headers.lines() {
        use clusterdir::data::headers::{FEED_HEADERS, FEED_RULES, SECURITY_HEADERS};
        let ok = line.starts_with('#')
            || line == "/*"
            || FEED_RULES.contains(&line)
            || SECURITY_HEADERS
                .iter()
                .chain(FEED_HEADERS)
                .any(|(n, v)| line == format!("  {n}: {v}"));
        assert!(ok, "an unexpected line in _headers: {line:?}");
    }
    let robots = std::fs::read_to_string(public.join("robots.txt")).unwrap();
    assert_eq!(
        robots,
        "User-agent: *\nAllow: /\nSitemap: https://clusters.example.org/sitemap.xml\n"
    );
    assert!(!headers.contains('\r') && !robots.contains('\r'));
}

// ---------------------------------------------------------------------------------------
// Web addresses

/// A TOML basic string holding `s`, every control character written as an escape
/// (which TOML allows and the loader judges) and everything else as it is.
fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The error lines of `check` for a site, as `file:line:column: error: message`.
fn error_lines(root: &Path) -> Vec<String> {
    let checked = common::check(root);
    checked
        .diagnostics
        .short_lines(&checked.sources)
        .into_iter()
        .filter(|l| l.contains(": error: "))
        .collect()
}

/// A site whose four web-address fields (three in `site.toml`, one in a cluster) hold
/// the given values; returns it with the line each field is on.
fn site_with_addresses(values: [&str; 4]) -> (tempfile::TempDir, Vec<(&'static str, String)>) {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir_all(content.join("clusters")).unwrap();
    let [base, exit, contact, form] = values.map(toml_string);
    // SITE ends inside [[categories]]: top-level keys go before it, `contact.url` in
    // a dotted key beside it.
    let site = format!(
        "base_url = {base}\nquick_exit_url = {exit}\n{}",
        common::SITE
            .replace("base_url = \"https://clusters.example.org/\"\n", "")
            .replace("[contact]\n", &format!("[contact]\nurl = {contact}\n"))
    );
    std::fs::write(content.join("site.toml"), &site).unwrap();
    // `quick_exit` shows the quick-exit link on the cluster's page.
    let record = format!(
        "{}quick_exit = true\n[help]\nrequest_form_url = {form}\n",
        common::GOOD
    );
    std::fs::write(content.join("clusters/a.toml"), &record).unwrap();
    // The line of `key = ` at the start of a line.
    let line_of = |text: &str, key: &str| {
        let padded = format!("\n{text}");
        let at = padded.find(&format!("\n{key} = ")).unwrap();
        padded[..=at].matches('\n').count()
    };
    let places = vec![
        (
            "base_url",
            format!("content/site.toml:{}:", line_of(&site, "base_url")),
        ),
        (
            "quick_exit_url",
            format!("content/site.toml:{}:", line_of(&site, "quick_exit_url")),
        ),
        (
            "contact.url",
            format!("content/site.toml:{}:", line_of(&site, "url")),
        ),
        (
            "help.request_form_url",
            format!(
                "content/clusters/a.toml:{}:",
                line_of(&record, "request_form_url")
            ),
        ),
    ];
    (dir, places)
}

#[test]
fn web_addresses_with_controls_or_spaces_are_refused_at_their_place() {
    let mut rng = fastrand::Rng::with_seed(16);
    let bad: Vec<char> = (0u32..0x20)
        .chain(0x7f..0xa0)
        .filter_map(char::from_u32)
        .chain([
            ' ', '\u{a0}', '\u{1680}', '\u{2007}', '\u{2028}', '\u{2029}', '\u{3000}',
        ])
        .chain(['\u{200e}', '\u{202e}', '\u{2066}', '\u{2069}', '\u{61c}'])
        .collect();
    for c in bad {
        let mut values: Vec<String> = Vec::new();
        for base in [
            "https://a.example.org/",
            "https://b.example.org/x",
            "https://c.example.org/?q=1",
            "https://d.example.org/f#top",
        ] {
            let mut chars: Vec<char> = base.chars().collect();
            // Anywhere but the ends, where spaces are trimmed.
            let at = rng.usize(1..chars.len());
            chars.insert(at, c);
            values.push(chars.into_iter().collect());
        }
        let values: [&str; 4] = std::array::from_fn(|i| values[i].as_str());
        let (dir, places) = site_with_addresses(values);
        let lines = error_lines(dir.path());
        // The loader refuses escapes of control characters other than tab, line feed
        // and carriage return in any text; the address check refuses the rest.
        let loader_refuses = c.is_control() && !matches!(c, '\t' | '\n' | '\r');
        for (field, place) in &places {
            let here = lines.iter().any(|l| {
                l.starts_with(place.as_str())
                    && if loader_refuses {
                        l.contains("control character")
                    } else {
                        l.contains(&format!("`{field}`: "))
                            && l.contains("a web address cannot hold")
                    }
            });
            // The loader stops at the first escape of a file.
            let first_in_file = places
                .iter()
                .find(|(_, p)| p[..12] == place[..12])
                .unwrap()
                .1
                == *place;
            if !loader_refuses || first_in_file {
                assert!(
                    here,
                    "U+{:04X} in `{field}`: no error at {place}\n{lines:#?}",
                    c as u32
                );
            }
        }
        assert!(
            lines
                .iter()
                .all(|l| places.iter().any(|(_, p)| l.starts_with(p.as_str()))),
            "an error elsewhere: {lines:#?}"
        );
    }
}

/// Every string in a JSON value.
fn json_strings(v: &serde_json::Value, out: &mut BTreeSet<String>) {
    match v {
        serde_json::Value::String(s) => {
            out.insert(s.clone());
        }
        serde_json::Value::Array(a) => a.iter().for_each(|v| json_strings(v, out)),
        serde_json::Value::Object(o) => o.values().for_each(|v| json_strings(v, out)),
        _ => {}
    }
}

#[test]
fn web_addresses_are_written_normalised_never_as_pasted() {
    let pasted = [
        "HTTPS://Clusters.EXAMPLE.org:443/",
        "https://Weather.EXAMPLE.org/./today",
        "HTTPS://WWW.Example.ORG:443/a/../Caf\u{e9}?q=\u{e9}#Top",
        "Http://Forms.EXAMPLE.org/form/../ask",
    ];
    let normalised = [
        "https://clusters.example.org/",
        "https://weather.example.org/today",
        "https://www.example.org/Caf%C3%A9?q=%C3%A9#Top",
        "http://forms.example.org/ask",
    ];
    let (dir, _) = site_with_addresses(pasted);
    let public = common::build(dir.path());
    let mut hrefs = BTreeSet::new();
    for file in common::html_files(&public) {
        let doc = common::read_html(&file);
        for a in doc.select(&common::sel("[href]")) {
            hrefs.insert(a.value().attr("href").unwrap().to_string());
        }
    }
    for want in &normalised[1..] {
        assert!(hrefs.contains(*want), "{want} not linked: {hrefs:#?}");
    }
    let mut strings = BTreeSet::new();
    for file in files_with(&public, "json") {
        let v = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        json_strings(&v, &mut strings);
    }
    assert!(
        strings.contains(normalised[3]),
        "the request form in the JSON"
    );
    let robots = std::fs::read_to_string(public.join("robots.txt")).unwrap();
    assert!(robots.contains("Sitemap: https://clusters.example.org/sitemap.xml\n"));
    // Nothing as pasted, in any file: the hosts in capitals never appear.
    for (path, bytes) in common::snapshot(&public) {
        let text = String::from_utf8_lossy(&bytes);
        for host in ["EXAMPLE.org", "Example.ORG"] {
            assert!(!text.contains(host), "{host} as pasted in {path}");
        }
    }
}

// ---------------------------------------------------------------------------------------
// Amounts

#[test]
fn amounts_refuse_nan_infinite_negative_and_absurd_values_at_their_place() {
    let mut rng = fastrand::Rng::with_seed(17);
    let mut bad: Vec<String> = [
        "nan",
        "+nan",
        "-nan",
        "inf",
        "+inf",
        "-inf",
        "-1",
        "-0.01",
        "1e13",
        "1.7976931348623157e308",
    ]
    .map(String::from)
    .to_vec();
    bad.extend((0..6).map(|_| format!("-{}.{:02}", rng.u32(1..1_000_000), rng.u8(0..100))));
    // Negative zero (a float: the integer -0 is 0), and parts of a penny.
    bad.extend(["-0.0", "-0e3", "-0.000", "0.001", "0.004", "1e-9"].map(String::from));
    bad.extend((0..6).map(|_| {
        let tenths_of_pence = rng.u32(1..1000) * 10 + rng.u32(1..10);
        format!("{}.{tenths_of_pence:04}", rng.u32(0..1_000_000))
    }));
    let mut good: Vec<String> = [
        "0", "-0", "0.0", "+0", "250.5", "1e12", "66000", "285.12", "0.01",
    ]
    .map(String::from)
    .to_vec();
    good.extend((0..6).map(|_| format!("{}.{:02}", rng.u32(0..1_000_000_000), rng.u8(0..100))));
    let fields = [
        ("offer.cost.amount", "cost = { amount = "),
        ("funding.total", "total = "),
        (
            "funding.sources.amount",
            "sources = [{ name = \"A\", amount = ",
        ),
        (
            "funding.spending.amount",
            "spending = [{ name = \"B\", amount = ",
        ),
    ];
    for value in bad.iter().chain(&good).map(String::as_str) {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        std::fs::create_dir_all(content.join("clusters")).unwrap();
        std::fs::write(content.join("site.toml"), common::SITE).unwrap();
        let record = format!(
            "{}[[offer]]\nservice = \"S\"\ncategory = \"family-support\"\n{}{value}, basis = \"b\" }}\n[[funding]]\nyear = \"2024/25\"\n{}{value}\n{}{value} }}]\n{}{value} }}]\n",
            common::GOOD, fields[0].1, fields[1].1, fields[2].1, fields[3].1
        );
        std::fs::write(content.join("clusters/n.toml"), &record).unwrap();
        let lines = error_lines(dir.path());
        if good.iter().any(|g| g == value) {
            assert!(lines.is_empty(), "{value} refused: {lines:#?}");
            continue;
        }
        for (field, before) in fields {
            let at = record.find(before).unwrap() + before.len();
            let line = record[..at].matches('\n').count() + 1;
            let col = at - record[..at].rfind('\n').unwrap();
            let place = format!("content/clusters/n.toml:{line}:{col}: error: `{field}` ");
            assert!(
                lines.iter().any(|l| l.starts_with(&place)),
                "{value}: no {place:?} in {lines:#?}"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------
// The terminal

/// What a terminal must never be sent raw.
fn terminal_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[test]
fn check_output_shows_control_and_escape_characters_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir_all(content.join("clusters")).unwrap();
    std::fs::create_dir_all(content.join("guides")).unwrap();
    std::fs::write(content.join("site.toml"), common::SITE).unwrap();
    let unsafe_chars: Vec<char> = (1u32..0xa0)
        .filter_map(char::from_u32)
        .chain(
            ('\u{200e}'..='\u{200f}')
                .chain('\u{202a}'..='\u{202e}')
                .chain('\u{2066}'..='\u{2069}'),
        )
        .filter(|&c| terminal_unsafe(c))
        .collect();
    for (i, c) in unsafe_chars.iter().enumerate() {
        // Raw in a TOML string: a parse error, whose snippet shows the line.
        std::fs::write(
            content.join(format!("clusters/raw-{i}.toml")),
            format!("name = \"A{c}[31mB\"\nlast_reviewed = 2025-01-01\n"),
        )
        .unwrap();
        // Escaped (where TOML allows it) in an address, which the message quotes.
        std::fs::write(
            content.join(format!("clusters/url-{i}.toml")),
            format!(
                "{}[help]\nrequest_form_url = {}\n",
                common::GOOD,
                toml_string(&format!("https://x.example.org/{c}]0;title\u{7}"))
            ),
        )
        .unwrap();
        // Raw in Markdown, on the line of a broken link.
        std::fs::write(
            content.join(format!("guides/g-{i}.md")),
            format!("+++\ntitle = \"G\"\nnumber = {}\nedition = \"2025-01\"\nsummary = \"S\"\n+++\n\nSee {c}[2J [this](/no-such-page/).\n", i + 1),
        )
        .unwrap();
        // In a file name, which messages quote.
        if *c != '/' {
            std::fs::write(content.join(format!("clusters/n{c}[2J.toml")), common::GOOD).unwrap();
        }
    }
    let out = common::run(dir.path(), &["--today", "2025-07-01", "check"]);
    assert!(!out.status.success());
    for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        let text = String::from_utf8_lossy(bytes);
        let text = text.replace("\r\n", "\n");
        if let Some(c) = text.chars().find(|&c| terminal_unsafe(c)) {
            let at = text.find(c).unwrap();
            let from = text[..at]
                .char_indices()
                .rev()
                .nth(80)
                .map_or(0, |(i, _)| i);
            panic!(
                "U+{:04X} raw on {stream}, after: {:?}",
                c as u32,
                &text[from..at]
            );
        }
    }
    let all = String::from_utf8_lossy(&out.stdout) + String::from_utf8_lossy(&out.stderr);
    for c in &unsafe_chars {
        assert!(
            all.contains(&format!("\\u{{{:x}}}", *c as u32)),
            "U+{:04X} not shown escaped",
            *c as u32
        );
    }
}

/// Whether a character prints nothing or not itself (Unicode's categories), so quoted
/// content must show it escaped: line feed and tab too, so no value can add a line.
fn unprintable(c: char) -> bool {
    use unicode_general_category::{get_general_category, GeneralCategory as G};
    matches!(
        get_general_category(c),
        G::Control
            | G::Format
            | G::LineSeparator
            | G::ParagraphSeparator
            | G::Unassigned
            | G::PrivateUse
    ) || matches!(c, '\u{ad}' | '\u{34f}' | '\u{115f}' | '\u{1160}' | '\u{3164}' | '\u{ffa0}' | '\u{fe00}'..='\u{fe0f}' | '\u{180b}'..='\u{180f}')
}

#[test]
fn quoted_content_cannot_add_lines_or_hide_characters_on_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir_all(content.join("clusters")).unwrap();
    std::fs::write(content.join("site.toml"), common::SITE).unwrap();
    // Line breaks and tabs that would forge a line, and a seeded sample of every
    // unprintable code point, each in a category value a message quotes.
    let mut rng = fastrand::Rng::with_seed(2);
    let mut chars: Vec<char> = vec!['\n', '\t', '\r', '\u{2028}', '\u{2029}'];
    chars.extend(
        (0..=0x10FFFFu32)
            .filter_map(char::from_u32)
            .filter(|&c| unprintable(c) && !c.is_control() && rng.u32(..2000) == 0),
    );
    for (i, c) in chars.iter().enumerate() {
        let value = format!("x{c}No errors, 0 warnings.{c}y");
        std::fs::write(
            content.join(format!("clusters/c-{i}.toml")),
            format!(
                "{}[[offer]]\nservice = \"S\"\ncategory = {}\n",
                common::GOOD,
                toml_string(&value)
            ),
        )
        .unwrap();
    }
    let out = common::run(dir.path(), &["--today", "2025-07-01", "check"]);
    assert!(!out.status.success());
    let all = String::from_utf8_lossy(&out.stdout) + String::from_utf8_lossy(&out.stderr);
    assert!(
        !all.lines().any(|l| l.trim_start().starts_with("No errors")),
        "a value added a line: {all}"
    );
    if let Some(c) = all.chars().find(|&c| c != '\n' && unprintable(c)) {
        panic!("U+{:04X} raw in {all}", c as u32);
    }
    for c in &chars {
        let shown = format!("x\\u{{{:x}}}No errors", *c as u32);
        assert!(
            all.contains(&shown),
            "U+{:04X} not shown escaped",
            *c as u32
        );
    }
}

/// File names quoted in the note `build --force` prints (what it will remove) are
/// escaped like content: a name cannot add a line or send an escape sequence.
#[test]
fn file_names_in_the_force_note_are_escaped() {
    let dir = common::full_fixture();
    let out_dir = tempfile::tempdir().unwrap();
    let docs = out_dir.path().join("public");
    std::fs::create_dir_all(&docs).unwrap();
    for name in [
        "a\nNo errors, 0 warnings.",
        "b\u{1b}[2J",
        "c\u{202e}txt.exe",
        "d\u{2028}e",
    ] {
        std::fs::write(docs.join(name), "x").unwrap();
    }
    let docs = docs.to_str().unwrap();
    let out = common::run(
        dir.path(),
        &[
            "--today",
            "2025-07-01",
            "build",
            "--output",
            docs,
            "--force",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("a\\u{a}No errors"), "{said}");
    assert!(!said.lines().any(|l| l.starts_with("No errors")), "{said}");
    if let Some(c) = said.chars().find(|&c| c != '\n' && unprintable(c)) {
        panic!("U+{:04X} raw in {said}", c as u32);
    }
}

/// The same rule in record fields and Markdown links: a user name before the host, an
/// invisible character or a scheme without `//` is an error at its place; a host with
/// letters outside a-z is a warning at its place naming the host.
#[test]
fn deceptive_web_addresses_are_refused_or_named_in_fields_and_links() {
    let errors = [
        "https://good.example@evil.example/",
        "https://ex\u{200b}ample.org/",
        "https:/evil.example/",
    ];
    let warned = "https://\u{430}pple.com/";
    for (i, bad) in errors.iter().chain([&warned]).enumerate() {
        let (dir, places) = site_with_addresses([
            "https://clusters.example.org/",
            "https://weather.example.org/",
            "https://contact.example.org/",
            bad,
        ]);
        let guide = format!("+++\ntitle = \"G\"\nnumber = 1\nedition = \"2025-01\"\nsummary = \"S\"\n+++\n\nSee [this]({bad}).\n");
        std::fs::create_dir_all(dir.path().join("content/guides")).unwrap();
        std::fs::write(dir.path().join("content/guides/g.md"), guide).unwrap();
        let checked = common::check(dir.path());
        let lines = checked.diagnostics.short_lines(&checked.sources);
        let severity = if i < errors.len() { "error" } else { "warning" };
        let field = format!("{}20: {severity}: `help.request_form_url`", places[3].1);
        let link = format!("content/guides/g.md:8:5: {severity}: ");
        for want in [field, link] {
            assert!(
                lines.iter().any(|l| l.starts_with(&want)),
                "{bad}: no {want:?} in {lines:#?}"
            );
        }
        if i == errors.len() {
            assert!(
                lines
                    .iter()
                    .any(|l| l.contains("`\u{430}pple.com`") && l.contains("xn--pple-")),
                "{lines:#?}"
            );
        }
    }
}

/// Ages above 25 (the oldest a children's service may name) and ranges whose lower age
/// is above the upper are errors at the `ages` value's line and column; ranges within
/// 0 to 25 pass.
#[test]
fn ages_out_of_range_or_reversed_are_refused_at_their_place() {
    let mut rng = fastrand::Rng::with_seed(19);
    let mut pairs: Vec<(u8, u8)> = vec![(19, 0), (0, 200), (26, 26), (0, 25), (25, 25), (0, 0)];
    pairs.extend((0..30).map(|_| (rng.u8(..), rng.u8(..))));
    pairs.extend((0..10).map(|_| (rng.u8(..=25), rng.u8(..=25))));
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir_all(content.join("clusters")).unwrap();
    std::fs::write(content.join("site.toml"), common::SITE).unwrap();
    let mut record = common::GOOD.to_string();
    let mut places = Vec::new();
    for (i, (min, max)) in pairs.iter().enumerate() {
        record.push_str(&format!(
            "[[offer]]\nservice = \"S{i}\"\ncategory = \"family-support\"\nages = "
        ));
        let line = record.matches('\n').count() + 1;
        let col = record.len() - record.rfind('\n').unwrap();
        places.push(format!(
            "content/clusters/n.toml:{line}:{col}: error: `offer.ages` of \"S{i}\""
        ));
        record.push_str(&format!("{{ min = {min}, max = {max} }}\n"));
    }
    std::fs::write(content.join("clusters/n.toml"), &record).unwrap();
    let lines = error_lines(dir.path());
    for ((min, max), place) in pairs.iter().zip(&places) {
        let found = lines.iter().any(|l| l.starts_with(place.as_str()));
        let bad = min > max || *max > 25;
        assert_eq!(found, bad, "{min} to {max}: {place:?} in {lines:#?}");
    }
    assert_eq!(
        lines.len(),
        pairs.iter().filter(|(a, b)| a > b || *b > 25).count()
    );
}

#[test]
fn whole_numbers_refuse_nan_infinite_negative_and_fractional_values_at_their_place() {
    let mut rng = fastrand::Rng::with_seed(18);
    let mut bad: Vec<String> = ["nan", "-nan", "inf", "-inf", "-1", "1.5", "99999999999"]
        .map(String::from)
        .to_vec();
    bad.extend((0..4).map(|_| format!("-{}", rng.u32(2..100_000))));
    // (file, text before the value, text after it) for every whole-number field.
    let fields: [(&str, &str, &str); 5] = [
        ("content/site.toml", "stale_after_months = ", "\n"),
        ("content/site.toml", "review_warning_months = ", "\n"),
        (
            "content/clusters/a.toml",
            "ages = { min = ",
            ", max = 19 }\n",
        ),
        (
            "content/clusters/a.toml",
            "ages = { min = 0, max = ",
            " }\n",
        ),
        ("content/guides/g.md", "number = ", "\n"),
    ];
    for value in &bad {
        for (i, (file, before, after)) in fields.iter().enumerate() {
            let dir = tempfile::tempdir().unwrap();
            let content = dir.path().join("content");
            std::fs::create_dir_all(content.join("clusters")).unwrap();
            std::fs::create_dir_all(content.join("guides")).unwrap();
            let line = format!("{before}{value}{after}");
            let pick = |j: usize, normal: &str| {
                if i == j {
                    line.clone()
                } else {
                    normal.to_string()
                }
            };
            let site = format!("{}{}{}", pick(0, ""), pick(1, ""), common::SITE);
            let record = format!(
                "{}[[offer]]\nservice = \"S\"\ncategory = \"family-support\"\n{}",
                common::GOOD,
                if i == 2 || i == 3 {
                    line.clone()
                } else {
                    String::new()
                }
            );
            let guide = format!(
                "+++\ntitle = \"G\"\n{}edition = \"2025-01\"\nsummary = \"S\"\n+++\nText.\n",
                pick(4, "number = 1\n")
            );
            let texts = [
                ("content/site.toml", site),
                ("content/clusters/a.toml", record),
                ("content/guides/g.md", guide),
            ];
            for (path, text) in &texts {
                std::fs::write(dir.path().join(path), text).unwrap();
            }
            let text = &texts.iter().find(|(p, _)| p == file).unwrap().1;
            let at = text.find(&line).unwrap() + before.len();
            let (l, c) = (
                text[..at].matches('\n').count() + 1,
                at - text[..at].rfind('\n').map_or(0, |n| n + 1) + 1,
            );
            let lines = error_lines(dir.path());
            let place = format!("{file}:{l}:{c}: error: ");
            assert!(
                lines.iter().any(|e| e.starts_with(&place)
                    && (e.contains("whole number") || e.contains("too large"))),
                "{value} in {before:?}: no {place:?} in {lines:#?}"
            );
        }
    }
}
