//! Explaining terms where they first appear: after a page is rendered, the first use of
//! each glossary term in its main content becomes `<abbr title="...">CAMHS</abbr>
//! (Child and Adolescent Mental Health Service)` for an abbreviation (the brackets left
//! out when the page already spells it out), or a link to the term on the glossary page
//! for a phrase. Only text is touched: never inside a tag, a link, a heading, a control,
//! an existing `<abbr>`, code or a script, and never outside `<main>`.
//!
//! The pages are the templates' own well-formed output (every value escaped, Markdown's
//! raw HTML refused or escaped by the renderer), so a scan of tags and text is enough.

use serde::Serialize;

use crate::content::model::PageList;
use crate::routes;
use crate::site::Site;
use crate::text::escape_markup;

/// Elements whose text is never changed: links and controls (a link inside them would
/// be nested or unreachable), the page's title, text that is not prose, and anything
/// marked `data-keep-words` (the core offer's table of names).
const KEEP_ALWAYS: &[&str] = &[
    "a", "abbr", "button", "code", "dfn", "h1", "kbd", "label", "option", "pre", "samp", "script",
    "select", "style", "summary", "svg", "textarea", "title",
];

/// Labels: headings, table headers and captions stay as written (and match the charts
/// drawn from the same names) unless a term appears only in labels; then a second pass
/// explains it in the first of them.
const LABELS: &[&str] = &["caption", "h2", "h3", "h4", "h5", "h6", "th"];

/// Elements with no end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// One term, ready to find and to explain.
#[derive(Debug, Clone, Serialize)]
pub struct Term {
    pub term: String,
    pub stands_for: Option<String>,
    pub meaning: String,
    /// Its id on the glossary page (`term-camhs`).
    pub id: String,
    /// Its address on the glossary page, when the site has one.
    pub url: Option<String>,
    /// Every way escaped text may write it (see [`spellings`]), and for a phrase each of
    /// them with a capital too, as at the start of a sentence: worked out once, not on
    /// every run of text of every page.
    #[serde(skip)]
    forms: Vec<String>,
}

impl Term {
    /// A term; `page` is the glossary page's address, when the site has one.
    pub fn new(term: &str, stands_for: Option<&str>, meaning: &str, page: Option<&str>) -> Term {
        let id = format!("term-{}", crate::text::slugify(term));
        let mut forms = spellings(term);
        if stands_for.is_none() {
            let capitals: Vec<String> = forms.iter().map(|f| capitalised(f)).collect();
            forms.extend(capitals);
            forms.sort();
            forms.dedup();
        }
        Term {
            term: term.to_string(),
            stands_for: stands_for.map(str::to_string),
            meaning: meaning.to_string(),
            url: page.map(|p| format!("{p}#{id}")),
            id,
            forms,
        }
    }
}

/// The site's glossary, longest terms first (so "MindMate SPA" wins over "SPA").
#[derive(Debug, Clone, Default, Serialize)]
pub struct Glossary {
    pub terms: Vec<Term>,
}

impl Glossary {
    pub fn new(site: &Site) -> Self {
        let page = site
            .pages
            .values()
            .find(|p| p.front.list == Some(PageList::Glossary))
            .map(|p| routes::page(&p.slug));
        let mut terms: Vec<Term> = site
            .config
            .glossary
            .iter()
            .map(|e| {
                Term::new(
                    e.term.get_ref(),
                    e.stands_for.as_deref(),
                    &e.meaning,
                    page.as_deref(),
                )
            })
            .collect();
        terms.sort_by_key(|t| std::cmp::Reverse(t.term.chars().count()));
        Glossary { terms }
    }

    /// The terms A to Z, for the glossary page.
    pub fn a_to_z(&self) -> Vec<Term> {
        let mut terms = self.terms.clone();
        terms.sort_by_key(|t| t.term.to_lowercase());
        terms
    }

    /// `html` with the first use of each term in its `<main>` explained.
    pub fn explain(&self, html: &str) -> String {
        let (Some(start), Some(end)) = (html.find("<main"), html.rfind("</main>")) else {
            return html.to_string();
        };
        if self.terms.is_empty() || end < start {
            return html.to_string();
        }
        let main_text = text_of(&html[start..end]).to_lowercase();
        let mut state = Scan {
            terms: &self.terms,
            done: vec![false; self.terms.len()],
            main_text,
        };
        let mut main = state.pass(&html[start..end], &[KEEP_ALWAYS, LABELS]);
        if state.done.contains(&false) {
            main = state.pass(&main, &[KEEP_ALWAYS]);
        }
        let mut out = String::with_capacity(html.len() + main.len() - (end - start));
        out.push_str(&html[..start]);
        out.push_str(&main);
        out.push_str(&html[end..]);
        out
    }
}

struct Scan<'a> {
    terms: &'a [Term],
    done: Vec<bool>,
    /// The main content's text, lower case: an abbreviation spelled out anywhere in it
    /// needs no brackets.
    main_text: String,
}

impl Scan<'_> {
    /// Copy `main`, explaining terms in text outside the elements `keep` names.
    fn pass(&mut self, main: &str, keep: &[&[&str]]) -> String {
        let mut out = String::with_capacity(main.len() + 256);
        let mut kept: Vec<String> = Vec::new();
        let mut rest = main;
        while !rest.is_empty() {
            if rest.starts_with("<!--") {
                let close = rest.find("-->").map_or(rest.len(), |i| i + 3);
                out.push_str(&rest[..close]);
                rest = &rest[close..];
            } else if rest.starts_with('<') {
                let close = tag_end(rest);
                let tag = &rest[..close];
                track(tag, keep, &mut kept);
                out.push_str(tag);
                rest = &rest[close..];
            } else {
                let next = rest.find('<').unwrap_or(rest.len());
                if kept.is_empty() {
                    self.explain_text(&rest[..next], &mut out);
                } else {
                    out.push_str(&rest[..next]);
                }
                rest = &rest[next..];
            }
        }
        out
    }

    /// Copy one run of (escaped) text, explaining each term's first use in it.
    fn explain_text(&mut self, text: &str, out: &mut String) {
        let mut at = 0;
        while let Some((pos, len, i)) = self.next_use(&text[at..]) {
            out.push_str(&text[at..at + pos]);
            let found = &text[at + pos..at + pos + len];
            self.done[i] = true;
            out.push_str(&self.explained(&self.terms[i], found));
            at += pos + len;
        }
        out.push_str(&text[at..]);
    }

    /// The earliest use of a term not yet explained: (offset, length, term index).
    fn next_use(&self, text: &str) -> Option<(usize, usize, usize)> {
        let mut best: Option<(usize, usize, usize)> = None;
        for (i, t) in self.terms.iter().enumerate() {
            if self.done[i] {
                continue;
            }
            for wanted in &t.forms {
                if let Some(pos) = find_word(text, wanted) {
                    if best.map_or(true, |(b, _, _)| pos < b) {
                        best = Some((pos, wanted.len(), i));
                    }
                }
            }
        }
        best
    }

    fn explained(&self, t: &Term, found: &str) -> String {
        match (&t.stands_for, &t.url) {
            (Some(long), _) => {
                let spelled_out = self.main_text.contains(&long.to_lowercase());
                let mut s = format!("<abbr title=\"{}\">{found}</abbr>", escape_markup(long));
                if !spelled_out {
                    s.push_str(&format!(" ({})", escape_markup(long)));
                }
                s
            }
            (None, Some(url)) => format!(
                "<a href=\"{}\" class=\"glossary-term\">{found}</a>",
                escape_markup(url)
            ),
            (None, None) => found.to_string(),
        }
    }
}

/// How escaped text may spell a term: an apostrophe as typed, as the templates write it
/// (`&#x27;`) or as Markdown's typography does (`’`); terms hold no other character
/// that is escaped.
fn spellings(term: &str) -> Vec<String> {
    let plain = escape_markup(term);
    if !plain.contains(['\'', '’']) {
        return vec![plain];
    }
    // Markdown's typography turns `'` into `’`; a term may be written either way.
    ["'", "&#x27;", "’"]
        .iter()
        .map(|a| plain.replace(['\'', '’'], a))
        .collect()
}

/// `word` with a capital first letter.
fn capitalised(word: &str) -> String {
    let mut c = word.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// Where `word` (exactly as written) first appears in `text` as a whole word.
fn find_word(text: &str, word: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = text[from..].find(word).map(|i| i + from) {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        // Not inside a word, nor an entity's name (`&amp;`, `&#SPA;`); an entity may
        // follow (`Testville&#x27;s`, `CAMHS&lt;`).
        let starts = before.map_or(true, |c| {
            !c.is_alphanumeric() && !matches!(c, '&' | '#' | '_')
        });
        let ends = after.map_or(true, |c| !c.is_alphanumeric() && !matches!(c, ';' | '_'));
        if starts && ends && !in_address(text, i, i + word.len()) {
            return Some(i);
        }
        from = i + word.len().max(1);
    }
    None
}

/// Whether `text[from..to]` is part of a web or email address written out as text
/// (`https://leeds.gov.uk/cluster-info`, `cluster@leeds.gov.uk`): a link there would
/// break the address.
fn in_address(text: &str, from: usize, to: usize) -> bool {
    let start = text[..from].rfind(char::is_whitespace).map_or(0, |i| i + 1);
    let end = text[to..]
        .find(char::is_whitespace)
        .map_or(text.len(), |i| i + to);
    let token = &text[start..end];
    token.contains("://") || token.contains('@') || token.starts_with("www.")
}

/// The length of the tag at the start of `s` (to its `>`, skipping quoted values).
fn tag_end(s: &str) -> usize {
    let mut quote: Option<char> = None;
    for (i, c) in s.char_indices().skip(1) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return i + 1,
            _ => {}
        }
    }
    s.len()
}

/// Keep `kept`, the open elements from the outermost kept one in, up to date after `tag`.
fn track(tag: &str, keep: &[&[&str]], kept: &mut Vec<String>) {
    let closing = tag.starts_with("</");
    let name: String = tag
        .trim_start_matches("</")
        .trim_start_matches('<')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    if closing {
        if let Some(at) = kept.iter().rposition(|n| *n == name) {
            kept.truncate(at);
        }
        return;
    }
    let opens = !tag.ends_with("/>") && !VOID.contains(&name.as_str());
    let keeps = keep.iter().any(|k| k.contains(&name.as_str())) || tag.contains(" data-keep-words");
    if opens && (keeps || !kept.is_empty()) {
        kept.push(name);
    }
}

/// The text of some HTML, tags left out (entities as written).
fn text_of(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        out.push(' ');
        rest = &rest[i + tag_end(&rest[i..])..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glossary(terms: &[(&str, Option<&str>)]) -> Glossary {
        let mut terms: Vec<Term> = terms
            .iter()
            .map(|(t, s)| Term::new(t, *s, "m", Some("/glossary/")))
            .collect();
        terms.sort_by_key(|t| std::cmp::Reverse(t.term.len()));
        Glossary { terms }
    }

    fn page(main: &str) -> String {
        format!("<html><head><title>CAMHS</title></head><body><nav>CAMHS</nav><main id=\"main\">{main}</main><footer>CAMHS</footer></body></html>")
    }

    #[test]
    fn the_first_use_in_main_is_explained_once_and_nothing_else_changes() {
        let g = glossary(&[
            ("CAMHS", Some("Child and Adolescent Mental Health Service")),
            ("traded service", None),
        ]);
        let html = page("<h2>CAMHS</h2><p>Ask CAMHS. CAMHS again.</p><p>A traded service, and Traded service.</p><a href=\"/x\">CAMHS</a>");
        let out = g.explain(&html);
        assert_eq!(
            out,
            page("<h2>CAMHS</h2><p>Ask <abbr title=\"Child and Adolescent Mental Health Service\">CAMHS</abbr> (Child and Adolescent Mental Health Service). CAMHS again.</p><p>A <a href=\"/glossary/#term-traded-service\" class=\"glossary-term\">traded service</a>, and Traded service.</p><a href=\"/x\">CAMHS</a>")
        );
    }

    #[test]
    fn an_abbreviation_spelled_out_on_the_page_gets_no_brackets() {
        let g = glossary(&[("SPA", Some("Single Point of Access"))]);
        let out = g.explain(&page("<p>MindMate Single Point of Access (SPA).</p>"));
        assert!(
            out.contains("(<abbr title=\"Single Point of Access\">SPA</abbr>)."),
            "{out}"
        );
    }

    #[test]
    fn terms_inside_words_tags_attributes_and_kept_elements_are_left_alone() {
        let g = glossary(&[
            ("SPA", Some("Single Point of Access")),
            ("ENE", Some("East North East")),
        ]);
        let cases = [
            "<p>SPAIN and ASPA and GENE</p>",
            "<p title=\"SPA\" data-x='ENE > SPA'>x</p>",
            "<button>SPA</button><label for=\"a\">ENE</label><code>SPA</code>",
            "<summary>SPA</summary><script>var SPA = 1;</script>",
            "<!-- SPA --><p>&ENE; &#SPA;</p>",
            "<h1><span>SPA</span></h1><a href=\"/\"><span>ENE</span></a>",
        ];
        for main in cases {
            assert_eq!(g.explain(&page(main)), page(main), "{main}");
        }
        // A term after a kept element closes is explained.
        let out = g.explain(&page("<a href=\"/\"><b>SPA</b></a><p>SPA</p>"));
        assert!(
            out.contains(
                "<p><abbr title=\"Single Point of Access\">SPA</abbr> (Single Point of Access)</p>"
            ),
            "{out}"
        );
    }

    #[test]
    fn a_term_followed_by_an_escaped_character_is_found() {
        let g = glossary(&[("Testville", None)]);
        for after in ["&#x27;s", "&lt;b&gt;", "&amp; more", "&quot;"] {
            let out = g.explain(&page(&format!("<p>Testville{after}</p>")));
            assert!(
                out.contains(&format!("glossary-term\">Testville</a>{after}")),
                "{out}"
            );
        }
    }

    #[test]
    fn a_term_used_only_in_labels_is_explained_in_the_first_of_them() {
        let g = glossary(&[("CAMHS", Some("Child and Adolescent Mental Health Service"))]);
        let out = g.explain(&page("<h1>CAMHS</h1><h4>CAMHS in schools</h4><table><tr><th>CAMHS</th></tr></table><a href=\"/\">CAMHS</a>"));
        assert_eq!(
            out,
            page("<h1>CAMHS</h1><h4><abbr title=\"Child and Adolescent Mental Health Service\">CAMHS</abbr> (Child and Adolescent Mental Health Service) in schools</h4><table><tr><th>CAMHS</th></tr></table><a href=\"/\">CAMHS</a>")
        );
    }

    #[test]
    fn an_element_marked_data_keep_words_is_left_alone_whatever_it_holds() {
        let g = glossary(&[("SPA", Some("Single Point of Access"))]);
        let main = "<table class=\"matrix\" data-keep-words><tr><td><ul><li>SPA<br>x</li></ul></td></tr></table><p>SPA</p>";
        let out = g.explain(&page(main));
        assert!(out.contains("<li>SPA<br>x</li>"), "{out}");
        assert!(out.contains("<p><abbr"), "{out}");
    }

    #[test]
    fn a_term_inside_an_address_written_as_text_is_left_alone() {
        let g = glossary(&[("cluster", None)]);
        for text in [
            "https://leeds.gov.uk/cluster-info",
            "www.cluster.example",
            "cluster@leeds.gov.uk",
            "(https://x.example/cluster)",
        ] {
            let main = format!("<p>See {text} here.</p>");
            assert_eq!(g.explain(&page(&main)), page(&main), "{text}");
        }
        assert!(g
            .explain(&page("<p>See https://x.example/ and the cluster.</p>"))
            .contains("glossary-term\">cluster</a>."));
    }

    #[test]
    fn the_longest_term_wins_where_terms_overlap() {
        let g = glossary(&[
            ("SPA", Some("Single Point of Access")),
            ("MindMate SPA", None),
        ]);
        let out = g.explain(&page("<p>Ask MindMate SPA or SPA.</p>"));
        assert!(out.contains("<a href=\"/glossary/#term-mindmate-spa\" class=\"glossary-term\">MindMate SPA</a> or <abbr"), "{out}");
    }

    #[test]
    fn escaped_text_is_matched_as_escaped() {
        let g = glossary(&[("children's centre", None)]);
        for written in [
            "children's centre",
            "children&#x27;s centre",
            "children’s centre",
        ] {
            let out = g.explain(&page(&format!("<p>A {written} here.</p>")));
            assert!(
                out.contains(&format!("class=\"glossary-term\">{written}</a>")),
                "{out}"
            );
        }
    }
}
