//! Table cells: a column's alignment becomes a class on each cell, and the head row's
//! cells are `th` with `scope="col"`.

use pulldown_cmark::{Alignment, CowStr, Event, Tag, TagEnd};

/// Where the renderer is inside a table. Cells are written here rather than by
/// pulldown-cmark, whose column alignment is an inline `style` attribute that a strict
/// Content-Security-Policy (no `'unsafe-inline'` styles) blocks; a class does the same job.
#[derive(Default)]
pub(super) struct TableState {
    alignments: Vec<Alignment>,
    in_head: bool,
    column: usize,
}

impl TableState {
    /// A table starts, with these column alignments.
    pub(super) fn new(alignments: Vec<Alignment>) -> Self {
        TableState {
            alignments,
            ..TableState::default()
        }
    }

    /// Follow a table head, row or cell event; returns the event to write in its place
    /// (a cell becomes HTML with its alignment class).
    pub(super) fn event<'a>(&mut self, event: Event<'a>) -> Event<'a> {
        match event {
            Event::Start(Tag::TableHead) => self.in_head = true,
            Event::End(TagEnd::TableHead) => {
                self.in_head = false;
                self.column = 0;
            }
            Event::End(TagEnd::TableRow) => self.column = 0,
            Event::Start(Tag::TableCell) => return Event::Html(CowStr::from(self.open_cell())),
            Event::End(TagEnd::TableCell) => return Event::Html(CowStr::from(self.close_cell())),
            _ => {}
        }
        event
    }

    fn cell_tag(&self) -> &'static str {
        if self.in_head {
            "th"
        } else {
            "td"
        }
    }

    fn open_cell(&mut self) -> String {
        let class = match self.alignments.get(self.column) {
            Some(Alignment::Left) => " class=\"align-left\"",
            Some(Alignment::Center) => " class=\"align-center\"",
            Some(Alignment::Right) => " class=\"align-right\"",
            _ => "",
        };
        let scope = if self.in_head { " scope=\"col\"" } else { "" };
        self.column += 1;
        format!("<{}{scope}{class}>", self.cell_tag())
    }

    fn close_cell(&self) -> String {
        format!("</{}>", self.cell_tag())
    }
}

#[cfg(test)]
mod tests {
    use crate::content::markdown::render;

    #[test]
    fn table_alignment_is_a_class_not_an_inline_style() {
        let r = render(
            "| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n| 4 | 5 | 6 |\n",
            2,
        );
        assert!(!r.html.contains("style="), "{}", r.html);
        assert!(
            r.html
                .contains("<th scope=\"col\" class=\"align-left\">a</th>"),
            "{}",
            r.html
        );
        assert!(r
            .html
            .contains("<th scope=\"col\" class=\"align-center\">b</th>"));
        assert!(
            r.html.contains("<td class=\"align-right\">3</td>"),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("<td class=\"align-left\">4</td>"),
            "{}",
            r.html
        );
        assert_eq!(r.html.matches("<tr>").count(), 3);
    }
}
