//! The renderer: takes pulldown-cmark's events one at a time, one method per kind of
//! event, and collects the HTML events, headings, links, plain text and problems that
//! make up a [`Rendered`] document.

use std::ops::Range;

use pulldown_cmark::{html, Alignment, CowStr, Event, Tag, TagEnd};

use super::heading::{Outline, PendingHeading};
use super::highlight::{highlight, CodeBlock};
use super::links;
use super::rendered::{Problem, Rendered};
use super::table::TableState;

/// One document being rendered: what is done so far, and the heading, code block or
/// table it is inside.
pub(super) struct Renderer<'a> {
    out: Rendered,
    /// The events left for pulldown-cmark's HTML writer, after the changes made here.
    events: Vec<Event<'a>>,
    outline: Outline,
    heading: Option<PendingHeading<'a>>,
    code: Option<CodeBlock>,
    table: TableState,
}

impl<'a> Renderer<'a> {
    pub(super) fn new(top_level: u8) -> Self {
        Renderer {
            out: Rendered::default(),
            events: Vec::new(),
            outline: Outline::new(top_level),
            heading: None,
            code: None,
            table: TableState::default(),
        }
    }

    /// Take the next event and its byte range in the Markdown.
    pub(super) fn event(&mut self, event: Event<'a>, span: Range<usize>) {
        let event = footnote_id(replace_nul(event));
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

    /// The document as HTML, with everything collected on the way.
    pub(super) fn finish(mut self) -> Rendered {
        html::push_html(&mut self.out.html, self.events.into_iter());
        self.out
    }

    fn push_html(&mut self, html: impl Into<CowStr<'a>>) {
        self.events.push(Event::Html(html.into()));
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

    /// Raw HTML is a problem, unless it is blank or a comment; either way it is dropped.
    fn raw_html(&mut self, html: &str, span: Range<usize>) {
        if !html.trim().is_empty() && !is_comment(html) {
            self.out.problems.push(Problem {
                span,
                message: format!("raw HTML is not allowed in Markdown: `{}`", html.trim().chars().take(40).collect::<String>()),
                hint: "use Markdown instead (for example **bold**, [link text](/page/), ## Heading), or write the `<` as `&lt;` if you meant the character".into(),
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
        let event = links::normalise_tel_link(event);
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

/// A footnote's id is its label (`[^1]` gives `id="1"`), which could be an id the page
/// already uses: labels are prefixed with `fn-`, an id no heading or template takes.
fn footnote_id(event: Event<'_>) -> Event<'_> {
    match event {
        Event::FootnoteReference(label) => Event::FootnoteReference(format!("fn-{label}").into()),
        Event::Start(Tag::FootnoteDefinition(label)) => {
            Event::Start(Tag::FootnoteDefinition(format!("fn-{label}").into()))
        }
        other => other,
    }
}

fn is_comment(html: &str) -> bool {
    let t = html.trim();
    t.starts_with("<!--") && t.ends_with("-->")
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
}
