//! After rendering: every `#anchor` in an internal link must be an id on the page it
//! goes to. Message: "there is no #... on ...".

use std::collections::{HashMap, HashSet};

use crate::diagnostics::{did_you_mean, Diagnostic, Diagnostics};
use crate::output::Output;
use crate::routes::file_for;
use crate::site::Site;

/// Every `id="..."` in an HTML page.
fn ids(html: &str) -> HashSet<&str> {
    let mut out = HashSet::new();
    let mut rest = html;
    while let Some(i) = rest.find(" id=\"") {
        rest = &rest[i + 5..];
        if let Some(end) = rest.find('"') {
            out.insert(&rest[..end]);
            rest = &rest[end..];
        }
    }
    out
}

/// Every `#anchor` in an internal link must be an id on the page it goes to.
pub fn check_anchors(site: &Site, out: &Output, diags: &mut Diagnostics) {
    let mut cache: HashMap<String, HashSet<String>> = HashMap::new();
    for link in &site.links {
        let Some(fragment) = &link.fragment else {
            continue;
        };
        let page_ids = cache.entry(link.target.clone()).or_insert_with(|| {
            out.get(&file_for(&link.target))
                .map(|b| {
                    ids(&String::from_utf8_lossy(b))
                        .into_iter()
                        .map(String::from)
                        .collect()
                })
                .unwrap_or_default()
        });
        if !page_ids.contains(fragment) {
            let mut known: Vec<&str> = page_ids.iter().map(String::as_str).collect();
            known.sort_unstable();
            let prefixed = format!("section-{fragment}");
            let hint = match did_you_mean(fragment, known.iter().copied()) {
                _ if page_ids.contains(&prefixed) => format!("did you mean #{prefixed}? A heading whose id the site's own templates use gets `section-` in front"),
                Some(best) => format!("did you mean #{best}? Section ids come from their headings"),
                None => "link to a heading's id: the heading text in lower case, with hyphens for spaces".into(),
            };
            diags.push(
                Diagnostic::error(
                    &link.file,
                    Some(link.span.clone()),
                    format!("there is no #{fragment} on {}", link.target),
                )
                .with_hint(hint),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_found_in_html() {
        let found = ids(r#"<h2 id="how-to-get-help">x</h2><div class="a" id="b"></div>"#);
        assert!(found.contains("how-to-get-help") && found.contains("b"));
        assert_eq!(found.len(), 2);
    }
}
