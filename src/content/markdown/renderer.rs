//! The renderer: takes pulldown-cmark's events one at a time, one method per kind of
//! event, and collects the HTML events, headings, links, plain text and problems that
//! make up a [`Rendered`] document.

use std::ops::Range;

use pulldown_cmark::{html, Alignment, CowStr, Event, Tag, TagEnd};

use super::heading::{Outline, PageIds, PendingHeading};
use super::highlight::{highlight, CodeBlock};
use super::links;
use super::rendered::{Problem, Rendered};
use super::table::TableState;

/// One document being rendered: what is done so far, and the heading, code block or
/// table it is inside.
pub(super) struct Renderer<'a> {
    /// The Markdown being rendered.
    source: &'a str,
    out: Rendered,
    /// The events left for pulldown-cmark's HTML writer, after the changes made here.
    events: Vec<Event<'a>>,
    outline: Outline,
    heading: Option<PendingHeading<'a>>,
    code: Option<CodeBlock>,
    table: TableState,
    /// Inside an HTML comment that an earlier raw HTML event opened (a comment on several
    /// lines comes as one event per line).
    in_comment: bool,
}

impl<'a> Renderer<'a> {
    pub(super) fn new(source: &'a str, top_level: u8, ids: PageIds) -> Self {
        Renderer {
            source,
            out: Rendered::default(),
            events: Vec::new(),
            outline: Outline::new(top_level, ids),
            heading: None,
            code: None,
            table: TableState::default(),
            in_comment: false,
        }
    }

    /// Take the next event and its byte range in the Markdown.
    pub(super) fn event(&mut self, event: Event<'a>, span: Range<usize>) {
        let event = self.footnote_id(replace_nul(event));
        if !matches!(event, Event::Html(_) | Event::InlineHtml(_)) {
            self.in_comment = false;
        }
        if self.code.is_some() {
            return self.code_event(event);
        }
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                self.heading = Some(PendingHeading::new(level, id, span));
            }
            Event::End(TagEnd::Heading(_)) => self.end_heading(),
            Event::Start(Tag::CodeBlock(kind)) => self.code = Some(CodeBlock::new(kind)),
            Event::Html(h) | Event::InlineHtml(h) => self.raw_html(&h, span),
            Event::Start(Tag::Table(alignments)) if self.heading.is_none() => {
                self.start_table(alignments)
            }
            Event::End(TagEnd::Table) if self.heading.is_none() => self.end_table(),
            Event::Start(Tag::TableHead)
            | Event::End(TagEnd::TableHead)
            | Event::End(TagEnd::TableRow)
            | Event::Start(Tag::TableCell)
            | Event::End(TagEnd::TableCell) => {
                let event = self.table.event(event);
                self.events.push(event);
            }
            event => self.inline_event(event, span),
        }
    }

    /// The document as HTML, with everything collected on the way, and the ids its
    /// headings took.
    pub(super) fn finish(mut self) -> (Rendered, PageIds) {
        html::push_html(&mut self.out.html, self.events.into_iter());
        (self.out, self.outline.into_ids())
    }

    fn push_html(&mut self, html: impl Into<CowStr<'a>>) {
        self.events.push(Event::Html(html.into()));
    }

    /// A footnote's id is its label (`[^1]` gives `id="1"`), which could be an id the
    /// page already uses: each label gets an id of its own on the page instead.
    fn footnote_id(&mut self, event: Event<'a>) -> Event<'a> {
        match event {
            Event::FootnoteReference(label) => {
                Event::FootnoteReference(self.outline.footnote_id(&label).into())
            }
            Event::Start(Tag::FootnoteDefinition(label)) => Event::Start(Tag::FootnoteDefinition(
                self.outline.footnote_id(&label).into(),
            )),
            other => other,
        }
    }

    /// Inside a code block: keep its text until it ends, then write it highlighted.
    fn code_event(&mut self, event: Event<'a>) {
        match event {
            Event::Text(t) => {
                if let Some(code) = self.code.as_mut() {
                    code.text.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                let code = self.code.take().unwrap_or_default();
                self.out.text.push_str(&code.text);
                self.push_html(highlight(&code.lang, &code.text));
            }
            _ => {}
        }
    }

    fn end_heading(&mut self) {
        if let Some(pending) = self.heading.take() {
            let html = self.outline.close(pending, &mut self.out);
            self.push_html(html);
        }
    }

    /// Raw HTML is a problem, unless it is blank or comments (on one line or several);
    /// either way it is dropped.
    fn raw_html(&mut self, html: &str, span: Range<usize>) {
        if !only_comments(html, &mut self.in_comment) {
            self.out.problems.push(Problem {
                span,
                message: format!("raw HTML is not allowed in Markdown: `{}`", html.trim().chars().take(40).collect::<String>()),
                hint: "use Markdown instead (for example **bold**, [link text](/page/), ## Heading), or write the `<` as `&lt;` if you meant the character".into(),
            });
        }
    }

    /// `<!--` left as text: a comment inside a paragraph that the paragraph's end (a
    /// blank line) cut off, which would show on the page.
    fn unclosed_comment(&mut self, event: &Event, span: &Range<usize>) {
        if matches!(event, Event::Text(_))
            && self
                .source
                .get(span.start..)
                .is_some_and(|s| s.starts_with("<!--"))
        {
            self.out.problems.push(Problem {
                span: span.start..span.start + 4,
                message: "this comment (`<!--`) is not closed before its paragraph ends, so it would show on the page".into(),
                hint: "close it with `-->` before the blank line, or start the comment on a line of its own (such a comment may hold blank lines); write `&lt;!--` to show the characters".into(),
            });
        }
    }

    /// Wide tables scroll inside a labelled, focusable box instead of making the whole
    /// page scroll sideways on a small screen.
    fn start_table(&mut self, alignments: Vec<Alignment>) {
        self.push_html(
            "<div class=\"table-scroll\" role=\"region\" aria-label=\"Table (scrolls sideways on small screens)\" tabindex=\"0\">\n",
        );
        self.events.push(Event::Start(Tag::Table(Vec::new())));
        self.table = TableState::new(alignments);
    }

    fn end_table(&mut self) {
        self.events.push(Event::End(TagEnd::Table));
        self.push_html("</div>\n");
    }

    /// Everything else: text, emphasis, lists, links... Links are checked, text is
    /// collected, and the event goes to the heading being read or to the document.
    fn inline_event(&mut self, event: Event<'a>, span: Range<usize>) {
        let event = links::normalise_link(event);
        self.unclosed_comment(&event, &span);
        links::check(&event, span, &mut self.out);
        self.collect_text(&event);
        match self.heading.as_mut() {
            Some(h) => h.inner.push(event),
            None => self.events.push(event),
        }
    }

    /// The plain text: a heading's text goes to the heading; line breaks become spaces
    /// and paragraphs end with a new line.
    fn collect_text(&mut self, event: &Event) {
        if let Event::Text(t) | Event::Code(t) = event {
            match self.heading.as_mut() {
                Some(h) => h.text.push_str(t),
                None => self.out.text.push_str(t),
            }
        }
        if matches!(
            event,
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph)
        ) && self.heading.is_none()
        {
            self.out.text.push(if matches!(event, Event::End(_)) {
                '\n'
            } else {
                ' '
            });
        }
    }
}

/// CommonMark asks for U+0000 to be replaced by U+FFFD (a NUL byte in HTML is a parse
/// error); done per event so that spans keep pointing at the source.
fn replace_nul(event: Event<'_>) -> Event<'_> {
    match event {
        Event::Text(t) if t.contains('\0') => Event::Text(t.replace('\0', "\u{fffd}").into()),
        Event::Code(t) if t.contains('\0') => Event::Code(t.replace('\0', "\u{fffd}").into()),
        other => other,
    }
}

/// Whether `html` is nothing but whitespace and HTML comments, given whether it starts
/// inside a comment; `in_comment` is left saying whether it ends inside one.
fn only_comments(html: &str, in_comment: &mut bool) -> bool {
    let mut rest = html;
    loop {
        if *in_comment {
            match rest.find("-->") {
                Some(end) => {
                    rest = &rest[end + 3..];
                    *in_comment = false;
                }
                None => return true,
            }
        }
        rest = rest.trim_start();
        if rest.is_empty() {
            return true;
        }
        let Some(body) = rest.strip_prefix("<!--") else {
            return false;
        };
        // `<!-->` and `<!--->` are whole (empty) comments.
        rest = if let Some(after) = body.strip_prefix('>').or(body.strip_prefix("->")) {
            after
        } else {
            *in_comment = true;
            body
        };
    }
}

#[cfg(test)]
mod tests {
    use crate::content::markdown::render;

    #[test]
    fn raw_html_is_refused_but_comments_are_dropped() {
        let r = render(
            "Hello <script>alert(1)</script>\n\n<!-- editor note -->\n",
            2,
        );
        assert_eq!(r.problems.len(), 2, "{:?}", r.problems);
        assert!(r.problems[0].message.contains("raw HTML"));
        assert!(!r.html.contains("<script"));
        assert!(!r.html.contains("editor note"));
    }

    /// Comments spread over lines in every way (a line break or a blank line after each
    /// word, in a block or inside a paragraph or list) are accepted and dropped; markup
    /// before, between or after comments is still refused.
    #[test]
    fn comments_on_several_lines_are_accepted_and_markup_around_them_is_not() {
        let words = ["editor", "note", "about", "<b>", "this"];
        let mut rng = fastrand::Rng::with_seed(7);
        for _ in 0..300 {
            let kind = rng.u8(0..4);
            // Inside a paragraph a blank line ends the paragraph, so only a comment that
            // starts a block may hold one.
            let breaks: &[&str] = if kind % 3 == 0 {
                &["\n", " ", "\n\n", "\n  "]
            } else {
                &["\n", " ", "\n  "]
            };
            let mut comment = String::from("<!--");
            for w in words {
                comment.push_str(w);
                comment.push_str(breaks[rng.usize(0..breaks.len())]);
            }
            comment.push_str("-->");
            let doc = match kind {
                0 => format!("{comment}\n\nAfter.\n"),
                1 => format!("Before {comment} after.\n"),
                2 => format!("- item {comment}\n- next\n"),
                _ => format!("Intro.\n\n{comment}\n{comment}\n\n## Next\n"),
            };
            let r = render(&doc, 2);
            assert!(r.problems.is_empty(), "{doc:?}: {:?}", r.problems);
            assert!(
                !r.html.contains("editor") && !r.html.contains("<b>"),
                "{doc:?}: {}",
                r.html
            );
            for doc in [
                format!("{comment} <i>x</i>\n"),
                format!("<i>y</i> {comment}\n"),
            ] {
                let r = render(&doc, 2);
                assert!(
                    r.problems.iter().any(|p| p.message.contains("<i>")),
                    "{doc:?}: {:?}",
                    r.problems
                );
            }
        }
        assert!(render("<!-->\n\n<!--->\n", 2).problems.is_empty());
    }

    #[test]
    fn a_comment_a_paragraph_ends_before_it_closes_is_a_problem() {
        let r = render("Text <!-- note\n\nmore -->\n", 2);
        assert_eq!(r.problems.len(), 1, "{:?}", r.problems);
        assert!(
            r.problems[0].message.contains("not closed"),
            "{:?}",
            r.problems
        );
        assert_eq!(r.problems[0].span.start, 5);
        assert!(render("Write `<!--` to start a comment.\n", 2)
            .problems
            .is_empty());
    }
}
