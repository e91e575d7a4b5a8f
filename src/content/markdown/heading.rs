//! Headings: each gets a unique id for in-page links and a level that fits under the
//! page's own headings; a `#` heading or a skipped level is a [`Problem`].

use std::collections::HashSet;
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
    used_ids: HashSet<String>,
    last_level: u8,
    /// How far levels move: `##` is shown as `h{top_level}`.
    shift: i32,
}

impl Outline {
    pub(super) fn new(top_level: u8) -> Self {
        Outline {
            used_ids: HashSet::new(),
            last_level: top_level - 1,
            shift: top_level as i32 - 2,
        }
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
        let id = unique_id(id.unwrap_or_else(|| slugify(&text)), &mut self.used_ids);
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

fn unique_id(base: String, used: &mut HashSet<String>) -> String {
    let base = if base.is_empty() {
        "section".to_string()
    } else {
        base
    };
    let mut id = base.clone();
    let mut n = 2;
    while !used.insert(id.clone()) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

#[cfg(test)]
mod tests {
    use crate::content::markdown::render;

    #[test]
    fn headings_get_unique_ids_and_start_at_h2() {
        let r = render(
            "## How to get help\n\ntext\n\n## How to get help\n\n### Phone\n",
            2,
        );
        assert!(
            r.html
                .contains("<h2 id=\"how-to-get-help\">How to get help</h2>"),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("<h2 id=\"how-to-get-help-2\">"),
            "{}",
            r.html
        );
        assert!(r.html.contains("<h3 id=\"phone\">Phone</h3>"), "{}", r.html);
        assert!(r.problems.is_empty());
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
