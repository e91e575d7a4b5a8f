//! Markdown to HTML, with pulldown-cmark's options set in this one place.
//!
//! Policy on raw HTML: it is refused (an error naming the line), because text pasted into
//! a record must never become markup or script on a public page. HTML comments are
//! allowed and dropped. Headings get stable ids for in-page links; the page title is the
//! only `h1`, so Markdown headings start at `##` and may not skip a level. Fenced code is
//! highlighted by syntect into CSS classes (`hl-*`), never inline styles.

use std::collections::HashSet;
use std::ops::Range;
use std::sync::OnceLock;

use pulldown_cmark::{
    html, Alignment, CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd,
};
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

use crate::content::contact::UkPhone;
use crate::text::slugify;

/// Prefix of syntect's CSS classes, shared with the generated stylesheet.
pub const CODE_CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
}

/// Syntax definitions are loaded once, and only when a page has code in it.
fn syntax_set() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// A link in the Markdown, with its byte range in the Markdown text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub url: String,
    pub span: Range<usize>,
}

/// Something in the Markdown that breaks the rules above.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub span: Range<usize>,
    pub message: String,
    pub hint: String,
}

/// A heading being read: its level, explicit id, place, text and inner events.
struct PendingHeading<'a> {
    level: u8,
    id: Option<String>,
    span: Range<usize>,
    text: String,
    inner: Vec<Event<'a>>,
}

#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    pub headings: Vec<Heading>,
    pub links: Vec<Link>,
    pub problems: Vec<Problem>,
    /// Plain text of the document (for descriptions and search).
    pub text: String,
}

/// URL schemes that run code or smuggle content; refused in every link.
pub fn is_dangerous_url(url: &str) -> bool {
    let lower: String = url
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:", "file:"]
        .iter()
        .any(|s| lower.starts_with(s))
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

/// Where the renderer is inside a table. Cells are written here rather than by
/// pulldown-cmark, whose column alignment is an inline `style` attribute that a strict
/// Content-Security-Policy (no `'unsafe-inline'` styles) blocks; a class does the same job.
#[derive(Default)]
struct TableState {
    alignments: Vec<Alignment>,
    in_head: bool,
    column: usize,
}

impl TableState {
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

/// Render Markdown. `top_level` is the heading level the document's `##` maps to
/// (2: documents sit under the page's `h1`; 3: text inside a section with its own `h2`).
pub fn render(markdown: &str, top_level: u8) -> Rendered {
    let mut out = Rendered::default();
    let mut used_ids: HashSet<String> = HashSet::new();
    let mut events: Vec<Event> = Vec::new();
    let mut last_level = top_level - 1;
    let shift = top_level as i32 - 2;

    // State while inside a heading or a code block.
    let mut heading: Option<PendingHeading> = None;
    let mut code: Option<(String, String)> = None;
    let mut table = TableState::default();

    for (event, span) in Parser::new_ext(markdown, options()).into_offset_iter() {
        let event = replace_nul(event);
        if let Some((_, text)) = code.as_mut() {
            match event {
                Event::Text(t) => text.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let (lang, text) = code.take().unwrap_or_default();
                    out.text.push_str(&text);
                    events.push(Event::Html(CowStr::from(highlight(&lang, &text))));
                }
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                heading = Some(PendingHeading {
                    level: heading_number(level),
                    id: id.map(|i| i.to_string()),
                    span,
                    text: String::new(),
                    inner: Vec::new(),
                });
            }
            Event::End(TagEnd::Heading(_)) => {
                let Some(PendingHeading {
                    level,
                    id,
                    span,
                    text,
                    inner,
                }) = heading.take()
                else {
                    continue;
                };
                if level == 1 {
                    out.problems.push(Problem {
                        span: span.clone(),
                        message: "a level-1 heading (`#`) in the text; the page title is the page's only level-1 heading".into(),
                        hint: "start sections with `##`".into(),
                    });
                } else if level as i32 + shift > last_level as i32 + 1 {
                    out.problems.push(Problem {
                        span: span.clone(),
                        message: format!(
                            "this heading skips a level: `{}` follows `{}`",
                            "#".repeat(level as usize),
                            "#".repeat((last_level as i32 - shift).max(1) as usize)
                        ),
                        hint: format!(
                            "use `{}` here, so headings go down one level at a time",
                            "#".repeat((last_level as i32 - shift + 1).max(2) as usize)
                        ),
                    });
                }
                let shown = ((level as i32 + shift).clamp(2, 6)) as u8;
                last_level = shown;
                let id = unique_id(id.unwrap_or_else(|| slugify(&text)), &mut used_ids);
                out.headings.push(Heading {
                    level: shown,
                    id: id.clone(),
                    text: text.clone(),
                });
                out.text.push_str(&text);
                out.text.push('\n');
                let mut inner_html = String::new();
                html::push_html(&mut inner_html, inner.into_iter());
                events.push(Event::Html(CowStr::from(format!(
                    "<h{shown} id=\"{}\">{inner_html}</h{shown}>\n",
                    escape_attr(&id)
                ))));
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(l) => {
                        l.split_whitespace().next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
            }
            Event::Html(h) | Event::InlineHtml(h) => {
                if !h.trim().is_empty() && !is_comment(&h) {
                    out.problems.push(Problem {
                        span,
                        message: format!("raw HTML is not allowed in Markdown: `{}`", h.trim().chars().take(40).collect::<String>()),
                        hint: "use Markdown instead (for example **bold**, [link text](/page/), ## Heading), or write the `<` as `&lt;` if you meant the character".into(),
                    });
                }
            }
            Event::Start(Tag::Table(alignments)) if heading.is_none() => {
                // Wide tables scroll inside a labelled, focusable box instead of making
                // the whole page scroll sideways on a small screen.
                events.push(Event::Html(CowStr::from(
                    "<div class=\"table-scroll\" role=\"region\" aria-label=\"Table (scrolls sideways on small screens)\" tabindex=\"0\">\n",
                )));
                events.push(Event::Start(Tag::Table(Vec::new())));
                table = TableState {
                    alignments,
                    ..TableState::default()
                };
            }
            Event::Start(Tag::TableHead) => {
                table.in_head = true;
                events.push(Event::Start(Tag::TableHead));
            }
            Event::End(TagEnd::TableHead) => {
                table.in_head = false;
                table.column = 0;
                events.push(Event::End(TagEnd::TableHead));
            }
            Event::End(TagEnd::TableRow) => {
                table.column = 0;
                events.push(Event::End(TagEnd::TableRow));
            }
            Event::Start(Tag::TableCell) => {
                events.push(Event::Html(CowStr::from(table.open_cell())));
            }
            Event::End(TagEnd::TableCell) => {
                events.push(Event::Html(CowStr::from(table.close_cell())));
            }
            Event::End(TagEnd::Table) if heading.is_none() => {
                events.push(Event::End(TagEnd::Table));
                events.push(Event::Html(CowStr::from("</div>\n")));
            }
            ev => {
                let ev = normalise_tel_link(ev);
                if let Event::Start(Tag::Link { dest_url, .. })
                | Event::Start(Tag::Image { dest_url, .. }) = &ev
                {
                    if is_dangerous_url(dest_url) {
                        out.problems.push(Problem {
                            span: span.clone(),
                            message: format!("this link uses a forbidden kind of address: `{dest_url}`"),
                            hint: "links may go to pages of this site, https:// addresses, mailto: or tel:".into(),
                        });
                    }
                    out.links.push(Link {
                        url: dest_url.to_string(),
                        span: span.clone(),
                    });
                }
                if let Event::Text(t) | Event::Code(t) = &ev {
                    match heading.as_mut() {
                        Some(h) => h.text.push_str(t),
                        None => out.text.push_str(t),
                    }
                }
                if matches!(
                    ev,
                    Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph)
                ) && heading.is_none()
                {
                    out.text.push(if matches!(ev, Event::End(_)) {
                        '\n'
                    } else {
                        ' '
                    });
                }
                // Images would need alt text and local files; they are refused for now.
                if let Event::Start(Tag::Image { .. }) = &ev {
                    out.problems.push(Problem {
                        span: span.clone(),
                        message: "images are not supported in Markdown yet".into(),
                        hint: "describe the image in words, or link to it".into(),
                    });
                }
                match heading.as_mut() {
                    Some(h) => h.inner.push(ev),
                    None => events.push(ev),
                }
            }
        }
    }
    html::push_html(&mut out.html, events.into_iter());
    out
}

/// `tel:` links are rewritten to the international form (`tel:+441133785254`), which
/// dials from any phone, whatever spacing the author used.
fn normalise_tel_link(ev: Event) -> Event {
    match ev {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let dest_url = match dest_url.strip_prefix("tel:").map(UkPhone::parse) {
                Some(Ok(p)) => CowStr::from(p.tel_uri()),
                _ => dest_url,
            };
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            })
        }
        ev => ev,
    }
}

fn heading_number(level: HeadingLevel) -> u8 {
    level as u8
}

fn is_comment(html: &str) -> bool {
    let t = html.trim();
    t.starts_with("<!--") && t.ends_with("-->")
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

use crate::text::escape_markup as escape_attr;

fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Highlight code into `<pre><code>` with syntect classes; unknown languages are plain.
fn highlight(lang: &str, code: &str) -> String {
    let lang_class = if lang.is_empty() {
        String::new()
    } else {
        format!(" class=\"language-{}\"", escape_attr(lang))
    };
    // Plain text needs no grammar: don't load syntect's syntax set for it.
    let plain = lang.is_empty() || matches!(lang, "text" | "txt" | "plain" | "plaintext");
    let found = if plain {
        None
    } else {
        let set = syntax_set();
        set.find_syntax_by_token(lang).map(|syntax| (syntax, set))
    };
    let body = match found {
        Some((syntax, set)) => {
            let mut gen = ClassedHTMLGenerator::new_with_class_style(syntax, set, CODE_CLASS_STYLE);
            let ok = LinesWithEndings::from(code)
                .all(|line| gen.parse_html_for_line_which_includes_newline(line).is_ok());
            if ok {
                gen.finalize()
            } else {
                escape_html(code)
            }
        }
        None => escape_html(code),
    };
    format!("<pre tabindex=\"0\"><code{lang_class}>{body}</code></pre>\n")
}

/// The stylesheet for highlighted code, generated from a syntect theme whose colours
/// keep AA contrast on a white background. The theme ships it as
/// `themes/default/static/syntax.css` (a test keeps the two the same), so builds do not
/// pay for loading syntect's themes.
pub fn code_stylesheet() -> String {
    let themes = syntect::highlighting::ThemeSet::load_defaults();
    let theme = &themes.themes["InspiredGitHub"];
    syntect::html::css_for_theme_with_class_style(theme, CODE_CLASS_STYLE).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn dangerous_links_are_refused_and_links_are_collected() {
        let md = "[a](/guides/x/) and [b](JavaScript:alert(1))";
        let r = render(md, 2);
        assert_eq!(r.links.len(), 2);
        assert_eq!(r.links[0].url, "/guides/x/");
        assert_eq!(&md[r.links[0].span.clone()], "[a](/guides/x/)");
        assert_eq!(r.problems.len(), 1);
        assert!(r.problems[0].message.contains("forbidden kind of address"));
    }

    #[test]
    fn tel_links_are_written_in_international_form() {
        let r = render(
            "[Call 0113 378 5254](tel:0113%20378%205254) or [this](tel:01133785254)",
            2,
        );
        assert_eq!(
            r.html.matches("href=\"tel:+441133785254\"").count(),
            1,
            "{}",
            r.html
        );
        let r = render("[this](tel:01133785254)", 2);
        assert!(r.html.contains("href=\"tel:+441133785254\""), "{}", r.html);
    }

    #[test]
    fn code_is_highlighted_with_classes_not_styles() {
        let r = render("```json\n{\"name\": \"x\"}\n```\n", 2);
        assert!(r.html.contains("class=\"language-json\""), "{}", r.html);
        assert!(r.html.contains("class=\"hl-"), "{}", r.html);
        assert!(!r.html.contains("style="), "{}", r.html);
        assert!(code_stylesheet().contains(".hl-"));
    }

    #[test]
    fn shipped_code_stylesheet_is_the_generated_one() {
        let shipped = include_str!("../../themes/default/static/syntax.css");
        assert_eq!(
            shipped,
            code_stylesheet(),
            "regenerate it: cargo run --example syntax_css > themes/default/static/syntax.css"
        );
    }

    #[test]
    fn tables_and_footnotes_render() {
        let r = render(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\nText[^1]\n\n[^1]: Note\n",
            2,
        );
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("footnote"));
    }

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
