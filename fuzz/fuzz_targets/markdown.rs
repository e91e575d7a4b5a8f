//! Markdown rendering on any text: no panic, and nothing in the output that could run
//! a script. Raw HTML is refused (a problem is reported) and never reaches the output.
#![no_main]

use clusterdir::content::markdown::render;
use libfuzzer_sys::fuzz_target;

/// Tags that can run or embed active content; none may appear in rendered Markdown.
const FORBIDDEN_TAGS: &[&str] = &[
    "script", "iframe", "object", "embed", "style", "svg", "math", "form", "base", "link",
    "meta",
];

/// One tag of the output: its lower-case name and attribute `(name, value)` pairs.
/// Text content never holds a bare `<` (it is escaped as `&lt;`), so every `<` opens a
/// tag and the scan below sees exactly what a browser's tokenizer would.
fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        rest = &rest[start + 1..];
        let body = rest.trim_start_matches('/');
        let name_len = body
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .unwrap_or(body.len());
        let name = body[..name_len].to_ascii_lowercase();
        let mut attrs = Vec::new();
        let mut s = &body[name_len..];
        loop {
            s = s.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
            if s.is_empty() || s.starts_with('>') {
                break;
            }
            let n = s
                .find(|c: char| c.is_whitespace() || c == '=' || c == '>')
                .unwrap_or(s.len());
            let attr = s[..n].to_ascii_lowercase();
            s = &s[n..];
            let mut value = String::new();
            if let Some(after) = s.strip_prefix('=') {
                if let Some(q) = after.chars().next().filter(|c| *c == '"' || *c == '\'') {
                    let end = after[1..].find(q).map_or(after.len(), |e| e + 1);
                    value = after[1..end].to_string();
                    s = after.get(end + 1..).unwrap_or("");
                } else {
                    let end = after
                        .find(|c: char| c.is_whitespace() || c == '>')
                        .unwrap_or(after.len());
                    value = after[..end].to_string();
                    s = &after[end..];
                }
            }
            attrs.push((attr, value));
        }
        out.push((name, attrs));
    }
    out
}

fuzz_target!(|text: &str| {
    for top_level in [2, 3] {
        let out = render(text, top_level);
        for (name, attrs) in tags(&out.html) {
            assert!(
                !FORBIDDEN_TAGS.contains(&name.as_str()),
                "<{name}> in output of {text:?}: {}",
                out.html
            );
            for (attr, value) in attrs {
                assert!(
                    !attr.starts_with("on") && attr != "style" && attr != "srcdoc",
                    "attribute {attr} on <{name}> in output of {text:?}: {}",
                    out.html
                );
                if out.problems.is_empty() && (attr == "href" || attr == "src") {
                    let url: String = value
                        .chars()
                        .filter(|c| !c.is_whitespace() && !c.is_control())
                        .collect::<String>()
                        .to_ascii_lowercase();
                    assert!(
                        !url.starts_with("javascript:")
                            && !url.starts_with("vbscript:")
                            && !url.starts_with("data:"),
                        "dangerous link passed without a problem: {text:?}"
                    );
                }
            }
        }
        for p in &out.problems {
            assert!(p.span.end <= text.len());
        }
    }
});
