//! Links in Markdown: each is collected with its place, `tel:` links are rewritten to
//! the international form, and dangerous addresses and images are [`Problem`]s.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag};

use super::rendered::{Link, Problem, Rendered};
use crate::content::contact::UkPhone;

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

/// `tel:` links are rewritten to the international form (`tel:+441133785254`), which
/// dials from any phone, whatever spacing the author used.
pub(super) fn normalise_tel_link(ev: Event) -> Event {
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

/// Record the link or image an event starts (at `span`) in `out`, with a problem for a
/// forbidden address and for any image.
pub(super) fn check(ev: &Event, span: Range<usize>, out: &mut Rendered) {
    if let Event::Start(Tag::Link { dest_url, .. }) | Event::Start(Tag::Image { dest_url, .. }) = ev
    {
        if is_dangerous_url(dest_url) {
            out.problems.push(Problem {
                span: span.clone(),
                message: format!("this link uses a forbidden kind of address: `{dest_url}`"),
                hint: "links may go to pages of this site, https:// addresses, mailto: or tel:"
                    .into(),
            });
        }
        out.links.push(Link {
            url: dest_url.to_string(),
            span: span.clone(),
        });
    }
    // Images would need alt text and local files; they are refused for now.
    if let Event::Start(Tag::Image { .. }) = ev {
        out.problems.push(Problem {
            span,
            message: "images are not supported in Markdown yet".into(),
            hint: "describe the image in words, or link to it".into(),
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::content::markdown::render;

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
}
