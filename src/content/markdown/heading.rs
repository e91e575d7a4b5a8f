//! Headings: each gets a unique id for in-page links and a level that fits under the
//! page's own headings; a `#` heading or a skipped level is a [`Problem`].

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{html, CowStr, Event, HeadingLevel};

use super::rendered::{Heading, Problem, Rendered};
use crate::text::escape_markup as escape_attr;
use crate::text::slugify;

/// A heading being read: its level, explicit id, place, text and inner events.
pub(super) struct PendingHeading<'a> {
    level: u8,
    id: Option<String>,
    span: Range<usize>,
    pub(super) text: String,
    pub(super) inner: Vec<Event<'a>>,
}

impl<'a> PendingHeading<'a> {
    pub(super) fn new(level: HeadingLevel, id: Option<CowStr>, span: Range<usize>) -> Self {
        PendingHeading {
            level: heading_number(level),
            id: id.map(|i| i.to_string()),
            span,
            text: String::new(),
            inner: Vec::new(),
        }
    }
}

/// The headings of a document so far: the level of the last one and the ids taken.
pub(super) struct Outline {
    ids: PageIds,
    /// This document's footnote labels and the ids they were given.
    footnotes: HashMap<String, String>,
    last_level: u8,
    /// How far levels move: `##` is shown as `h{top_level}`.
    shift: i32,
}

impl Outline {
    pub(super) fn new(top_level: u8, ids: PageIds) -> Self {
        Outline {
            ids,
            footnotes: HashMap::new(),
            last_level: top_level - 1,
            shift: top_level as i32 - 2,
        }
    }

    /// A footnote's id: `fn-<label>` (a beginning no heading or template id has), made
    /// unique on the page; the same label always gets the same id.
    pub(super) fn footnote_id(&mut self, label: &str) -> String {
        if let Some(id) = self.footnotes.get(label) {
            return id.clone();
        }
        let id = self.ids.unique(format!("fn-{label}"));
        self.footnotes.insert(label.to_string(), id.clone());
        id
    }

    /// The ids taken, for the next document on the same page.
    pub(super) fn into_ids(self) -> PageIds {
        self.ids
    }

    /// Finish a heading: record it (and any problem with its level) in `out`, and return
    /// its HTML.
    pub(super) fn close(&mut self, heading: PendingHeading, out: &mut Rendered) -> String {
        let PendingHeading {
            level,
            id,
            span,
            text,
            inner,
        } = heading;
        if let Some(problem) = self.level_problem(level, span) {
            out.problems.push(problem);
        }
        let shown = ((level as i32 + self.shift).clamp(2, 6)) as u8;
        self.last_level = shown;
        let id = self.ids.allocate(id.unwrap_or_else(|| slugify(&text)));
        out.headings.push(Heading {
            level: shown,
            id: id.clone(),
            text: text.clone(),
        });
        out.text.push_str(&text);
        out.text.push('\n');
        let mut inner_html = String::new();
        html::push_html(&mut inner_html, inner.into_iter());
        format!(
            "<h{shown} id=\"{}\">{inner_html}</h{shown}>\n",
            escape_attr(&id)
        )
    }

    /// A `#` heading (the page title is the only `h1`), or one that skips a level.
    fn level_problem(&self, level: u8, span: Range<usize>) -> Option<Problem> {
        let (shift, last_level) = (self.shift, self.last_level);
        if level == 1 {
            Some(Problem {
                span,
                message: "a level-1 heading (`#`) in the text; the page title is the page's only level-1 heading".into(),
                hint: "start sections with `##`".into(),
            })
        } else if level as i32 + shift > last_level as i32 + 1 {
            Some(Problem {
                span,
                message: format!(
                    "this heading skips a level: `{}` follows `{}`",
                    "#".repeat(level as usize),
                    "#".repeat((last_level as i32 - shift).max(1) as usize)
                ),
                hint: format!(
                    "use `{}` here, so headings go down one level at a time",
                    "#".repeat((last_level as i32 - shift + 1).max(2) as usize)
                ),
            })
        } else {
            None
        }
    }
}

fn heading_number(level: HeadingLevel) -> u8 {
    level as u8
}

/// Ids the built-in templates give their own elements, which a heading must never take
/// (a link to `#main` must reach the page's main content, not a heading called "Main").
/// `tests/hostile.rs` builds a site whose headings are every id its pages use and checks
/// that no page has an id twice.
pub const RESERVED_IDS: &[&str] = &[
    "about-this-information",
    "age",
    "alert-title",
    "by-kind",
    "by-model",
    "category",
    "childrens-centres",
    "cluster",
    "contacts",
    "contents-title",
    "current",
    "earlier",
    "editions",
    "fields",
    "filters-title",
    "find",
    "freshness",
    "funding",
    "get-help",
    "governance",
    "guides-title",
    "help-now-title",
    "how-to-get-help",
    "kinds",
    "licence",
    "main",
    "meetings",
    "news",
    "not-listed",
    "offer",
    "offer-caption",
    "opening-times",
    "parts-title",
    "priorities",
    "quick-exit",
    "recent",
    "report",
    "schools",
    "search-input",
    "search-status",
    "self",
    "stale-title",
    "status-title",
    "table",
    "unlisted",
    "updates",
    "what",
];

/// Beginnings of ids the templates make from data (`cat-<category>`, `offer-<category>`,
/// `letter-<a..z>`, glossary terms `term-<term>`), the school finder's (`find-school-list`...) and search
/// results' (`results-...`), the ids page code writes (`spending-chart-<n>-title` and `-desc`,
/// `pages/cluster/governance.rs`, whose test checks every id its charts write) and
/// footnotes' ids (`fn-<label>`, see `renderer.rs`).
pub const RESERVED_ID_PREFIXES: &[&str] = &[
    "cat-",
    "offer-",
    "letter-",
    "spending-chart-",
    "term-",
    "fn-",
    "find-school",
    "results-",
];

/// What a heading's id is prefixed with when its own would be a reserved one.
const HEADING_PREFIX: &str = "section-";

/// Whether the templates or footnotes may use this id.
pub fn is_reserved_id(id: &str) -> bool {
    RESERVED_IDS.contains(&id) || RESERVED_ID_PREFIXES.iter().any(|p| id.starts_with(p))
}

/// The ids of the headings on one page (of one document, or of several shown on the
/// same page): each new id is its base, or the base with `-2`, `-3`... The next number
/// to try is kept per base, so that `n` headings with the same text take `n` steps, not
/// `n²`.
#[derive(Debug, Default)]
pub struct PageIds {
    taken: HashSet<String>,
    next: HashMap<String, usize>,
    /// How many candidate ids were tried in all (a measure of the work done, which the
    /// tests read).
    #[allow(dead_code)]
    probes: usize,
}

impl PageIds {
    fn allocate(&mut self, base: String) -> String {
        let base = if base.is_empty() {
            "section".to_string()
        } else if is_reserved_id(&base) {
            format!("{HEADING_PREFIX}{base}")
        } else {
            base
        };
        self.unique(base)
    }

    /// `base`, or `base-2`, `base-3`...: the first not taken on the page.
    fn unique(&mut self, base: String) -> String {
        self.probes += 1;
        if self.taken.insert(base.clone()) {
            return base;
        }
        let n = self.next.entry(base.clone()).or_insert(2);
        loop {
            let id = format!("{base}-{n}");
            *n += 1;
            self.probes += 1;
            if self.taken.insert(id.clone()) {
                return id;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::markdown::render;

    #[test]
    fn headings_get_unique_ids_and_start_at_h2() {
        let r = render("## Where to go\n\ntext\n\n## Where to go\n\n### Phone\n", 2);
        assert!(
            r.html.contains("<h2 id=\"where-to-go\">Where to go</h2>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("<h2 id=\"where-to-go-2\">"), "{}", r.html);
        assert!(r.html.contains("<h3 id=\"phone\">Phone</h3>"), "{}", r.html);
        assert!(r.problems.is_empty());
    }

    #[test]
    fn twenty_thousand_identical_headings_get_unique_numbered_ids() {
        let n = 20_000;
        let r = render(&"## Same\n\n".repeat(n), 2);
        assert_eq!(r.headings.len(), n);
        assert_eq!(r.headings[0].id, "same");
        for (i, h) in r.headings.iter().enumerate().skip(1) {
            assert_eq!(h.id, format!("same-{}", i + 1));
        }
    }

    /// The allocator's work is counted, not timed: a constant number of tries per id,
    /// however the headings repeat or take each other's numbered ids.
    #[test]
    fn id_allocation_takes_constant_work_per_heading() {
        let mut rng = fastrand::Rng::with_seed(16);
        for _ in 0..20 {
            let mut ids = PageIds::default();
            let n = 5_000;
            let mut seen = HashSet::new();
            for _ in 0..n {
                let base = match rng.u8(0..3) {
                    0 => "a".to_string(),
                    1 => format!("a-{}", rng.usize(2..n)),
                    _ => format!("b-{}", rng.usize(0..50)),
                };
                assert!(seen.insert(ids.allocate(base)));
            }
            assert!(ids.probes <= 3 * n, "{} tries for {n} ids", ids.probes);
        }
    }

    #[test]
    fn headings_never_take_a_reserved_id() {
        let mut ids = PageIds::default();
        for reserved in RESERVED_IDS {
            let id = ids.allocate(reserved.to_string());
            assert!(!is_reserved_id(&id), "{id}");
            assert_eq!(id, format!("section-{reserved}"));
        }
        for prefix in RESERVED_ID_PREFIXES {
            let id = ids.allocate(format!("{prefix}family-support"));
            assert!(!is_reserved_id(&id), "{id}");
        }
    }

    #[test]
    fn level_one_and_skipped_headings_are_problems() {
        let r = render("# Title\n\n## A\n\n#### Too deep\n", 2);
        assert_eq!(r.problems.len(), 2, "{:?}", r.problems);
        assert!(r.problems[0].message.contains("level-1 heading"));
        assert_eq!(r.problems[0].span.start, 0);
        assert!(r.problems[1].message.contains("skips a level"));
        assert_eq!(r.problems[1].span.start, "# Title\n\n## A\n\n".len());
    }
}
