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

/// Keys whose values are structured (checked codes, dates, addresses): a hostile value
/// there is a validation error, tested below for addresses and amounts.
const STRUCTURED: &[&str] = &[
    "slug",
    "category",
    "role",
    "model",
    "phase",
    "status",
    "phone",
    "mobile",
    "email",
    "request_form_url",
    "url",
    "base_url",
    "quick_exit_url",
    "last_reviewed",
    "date",
    "time",
    "opens",
    "closes",
    "reopens",
    "year",
    "replaces",
    "edition",
    "theme",
    "language",
    "sources",
];

/// Keys holding Markdown (or text shown through it): hostile characters, but no
/// Markdown or HTML punctuation, which would be markup rather than text.
const MARKDOWN: &[&str] = &["summary", "body", "help_intro", "data_licence"];

/// What a spreadsheet may take as the start of a formula.
const FORMULA_STARTS: &[char] = &['=', '+', '-', '@', '\t', '\r', '\n', '＝', '＋', '－', '＠'];

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
        toml::Value::String(s) if !STRUCTURED.contains(&key) => {
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
        .collect()
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
    !(c.is_control() && c != '\t' && c != '\n') && !nonchar
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
        .find(|c| !(c.is_whitespace() || c.is_control()) || FORMULA_STARTS.contains(c))
        .is_some_and(|c| FORMULA_STARTS.contains(&c))
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
                let service = str_of(o, "service").unwrap();
                let want = if formula_like(service) {
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
        let ok = line.starts_with('#')
            || line == "/*"
            || clusterdir::data::headers::SECURITY_HEADERS
                .iter()
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
