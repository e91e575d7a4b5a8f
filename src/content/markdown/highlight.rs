//! Fenced code: highlighted by syntect into `<pre><code>` with CSS classes (`hl-*`),
//! never inline styles, and the stylesheet those classes need.

use std::sync::OnceLock;

use pulldown_cmark::CodeBlockKind;
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

use crate::text::escape_markup as escape_attr;

/// Prefix of syntect's CSS classes, shared with the generated stylesheet.
pub const CODE_CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Syntax definitions are loaded once, and only when a page has code in it.
fn syntax_set() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// A code block being read: the language named after the fence, and the code so far.
#[derive(Debug, Default)]
pub(super) struct CodeBlock {
    pub(super) lang: String,
    pub(super) text: String,
}

impl CodeBlock {
    pub(super) fn new(kind: CodeBlockKind) -> Self {
        let lang = match kind {
            CodeBlockKind::Fenced(l) => l.split_whitespace().next().unwrap_or("").to_string(),
            CodeBlockKind::Indented => String::new(),
        };
        CodeBlock {
            lang,
            text: String::new(),
        }
    }
}

fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Highlight code into `<pre><code>` with syntect classes; unknown languages are plain.
pub(super) fn highlight(lang: &str, code: &str) -> String {
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
    use crate::content::markdown::render;

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
        let shipped = include_str!("../../../themes/default/static/syntax.css");
        assert_eq!(
            shipped,
            code_stylesheet(),
            "regenerate it: cargo run --example syntax_css > themes/default/static/syntax.css"
        );
    }
}
