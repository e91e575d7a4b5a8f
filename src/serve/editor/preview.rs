//! The body's preview, as the build renders it, except for what `check` refuses (a
//! `javascript:` or `data:` link, an image from anywhere): the preview shows that as
//! the text that was typed, under a warning that says why, never as a live link or a
//! picture fetched from another site.

use crate::content::markdown::{render, Problem};
use crate::text::escape_markup as esc;

/// Markdown to HTML for the editor's preview.
pub fn html(markdown: &str) -> String {
    let mut text = markdown.to_string();
    let mut refused: Vec<Problem> = Vec::new();
    // Each round makes the refused links and images of the text plain text; a link
    // inside a refused image is found in the next round.
    for _ in 0..4 {
        let rendered = render(&text, 2);
        let found: Vec<Problem> = rendered
            .problems
            .into_iter()
            .filter(|p| is_link_or_image(&text, p))
            .collect();
        if found.is_empty() {
            return warnings(&refused) + &rendered.html;
        }
        text = as_text(&text, &found);
        refused.extend(found);
    }
    warnings(&refused) + &format!("<pre>{}</pre>\n", esc(markdown))
}

/// Whether a problem is about a link or an image (its text starts as one does).
fn is_link_or_image(text: &str, p: &Problem) -> bool {
    text.get(p.span.clone())
        .is_some_and(|s| s.starts_with(['[', '!', '<']))
}

/// The text with each problem's span written so Markdown shows it as typed: every
/// punctuation mark escaped with a backslash. Outer spans first; a span inside one
/// already done is left.
fn as_text(text: &str, problems: &[Problem]) -> String {
    let mut spans: Vec<std::ops::Range<usize>> = problems.iter().map(|p| p.span.clone()).collect();
    spans.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
    let mut out = String::with_capacity(text.len() + 16);
    let mut at = 0;
    for span in spans {
        if span.start < at || text.get(span.clone()).is_none() {
            continue;
        }
        out.push_str(&text[at..span.start]);
        for c in text[span.clone()].chars() {
            if c.is_ascii_punctuation() {
                out.push('\\');
            }
            out.push(c);
        }
        at = span.end;
    }
    out.push_str(&text[at..]);
    out
}

fn warnings(problems: &[Problem]) -> String {
    if problems.is_empty() {
        return String::new();
    }
    let items: String = problems
        .iter()
        .map(|p| format!("<li>{}: {}</li>\n", esc(&p.message), esc(&p.hint)))
        .collect();
    format!(
        "<div class=\"editor-warning-summary\">\n<p>Shown as text here, and the page cannot be saved with it:</p>\n<ul class=\"govuk-list\">\n{items}</ul>\n</div>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Generated text around links with forbidden addresses (any case, with spaces
    /// and control characters inside the scheme) and images from anywhere, in every
    /// Markdown form (inline, reference, autolink, nested): the preview has no such
    /// link or image, and says why; ordinary links still work.
    #[test]
    fn forbidden_links_and_images_are_shown_as_text_with_a_warning() {
        let schemes = [
            "javascript:",
            "JavaScript:",
            "java\tscript:",
            "vbscript:",
            "data:",
            "file:",
            " javascript:",
        ];
        let mut rng = fastrand::Rng::with_seed(211);
        let mut caught = 0;
        for n in 0..300 {
            let scheme = schemes[rng.usize(..schemes.len())];
            let word: String = (0..rng.usize(1..8)).map(|_| rng.alphanumeric()).collect();
            let bad = format!("{scheme}alert({n})");
            let image = format!("https://{word}.example/{n}.png");
            let piece = match n % 6 {
                0 => format!("[{word}]({bad})"),
                1 => format!("![{word}]({image})"),
                2 => format!("[{word}][r]\n\n[r]: {bad}"),
                3 => format!("[![{word}]({image})](/guides/)"),
                4 => format!("![{word}](/x.png)"),
                _ => format!("[![{word}]({image})]({bad})"),
            };
            let md = format!("Before {word}.\n\n{piece}\n\nAnd [fine](/guides/) after.\n");
            let out = html(&md);
            let risky = |html: &str| {
                let lower = html.to_ascii_lowercase();
                lower.contains("<img")
                    || [
                        "href=\"javascript",
                        "href=\"vbscript",
                        "href=\"data",
                        "href=\"file",
                        "href=\"java",
                    ]
                    .iter()
                    .any(|s| lower.contains(s))
            };
            assert!(!risky(&out), "{md}\n{out}");
            // Whenever the build's renderer would make a risky link or image, the
            // preview says why it shows text instead.
            if risky(&render(&md, 2).html) {
                assert!(out.contains("cannot be saved with it"), "{md}\n{out}");
                caught += 1;
            }
            assert!(out.contains("<a href=\"/guides/\">fine</a>"), "{md}\n{out}");
            assert!(out.contains(&word), "{md}\n{out}");
        }
        assert!(caught > 200, "{caught}");
        assert_eq!(html("[a](/guides/)"), render("[a](/guides/)", 2).html);
    }
}
