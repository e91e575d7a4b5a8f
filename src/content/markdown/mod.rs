//! Markdown to HTML, with pulldown-cmark's options set in this one place.
//!
//! Policy on raw HTML: it is refused (an error naming the line), because text pasted into
//! a record must never become markup or script on a public page. HTML comments are
//! allowed and dropped. Headings get stable ids for in-page links; the page title is the
//! only `h1`, so Markdown headings start at `##` and may not skip a level. Fenced code is
//! highlighted by syntect into CSS classes (`hl-*`), never inline styles.
//!
//! [`render`] feeds pulldown-cmark's events to the renderer (`renderer.rs`), which hands
//! headings to `heading.rs`, links to `links.rs`, code blocks to `highlight.rs` and table
//! cells to `table.rs`.

use pulldown_cmark::{Options, Parser};

mod heading;
mod highlight;
mod links;
mod rendered;
mod renderer;
mod table;

pub use heading::{is_reserved_id, PageIds};
pub use highlight::{code_stylesheet, CODE_CLASS_STYLE};
pub use links::is_dangerous_url;
pub use rendered::{Heading, Link, Problem, Rendered};

use renderer::Renderer;

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
}

/// Render Markdown. `top_level` is the heading level the document's `##` maps to
/// (2: documents sit under the page's `h1`; 3: text inside a section with its own `h2`).
pub fn render(markdown: &str, top_level: u8) -> Rendered {
    render_on_page(markdown, top_level, &mut PageIds::default())
}

/// [`render`] a document shown on a page beside others (a cluster's summary and its
/// news): its headings take no id in `ids`, the ids taken on the page so far.
pub fn render_on_page(markdown: &str, top_level: u8, ids: &mut PageIds) -> Rendered {
    let mut renderer = Renderer::new(markdown, top_level, std::mem::take(ids));
    for (event, span) in Parser::new_ext(markdown, options()).into_offset_iter() {
        renderer.event(event, span);
    }
    let (rendered, taken) = renderer.finish();
    *ids = taken;
    rendered
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_and_footnotes_render() {
        let r = render(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\nText[^1]\n\n[^1]: Note\n",
            2,
        );
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("footnote"));
    }
}
