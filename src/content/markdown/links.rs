//! Links in Markdown: each is collected with its place, `tel:` links are rewritten to
//! the international form, and dangerous addresses and images are [`Problem`]s.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag};

use super::rendered::{Link, Problem, Rendered};
use crate::content::contact::{check_web_url, UkPhone};

/// Whether a link names the web's schemes, in any case (`https:`, `HTTP:`).
fn is_web_address(url: &str) -> bool {
    url.trim().split_once(':').is_some_and(|(scheme, _)| {
        scheme.eq_ignore_ascii_case("https") || scheme.eq_ignore_ascii_case("http")
    })
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

/// Links are written in one form whatever the author pasted: `tel:` links in the
/// international form (`tel:+441133785254`), which dials from any phone, whatever
/// spacing the author used; web addresses (`HTTPS://Example.ORG/Café`) as the `url`
/// crate writes them once [`check_web_url`] accepts them, as record fields are
/// (`https://example.org/Caf%C3%A9`). A web address it refuses is left as written, for
/// the link check to report.
pub(super) fn normalise_link(ev: Event) -> Event {
    match ev {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let dest_url = match dest_url.strip_prefix("tel:").map(UkPhone::parse) {
                Some(Ok(p)) => CowStr::from(p.tel_uri()),
                _ if is_web_address(&dest_url) => match check_web_url(&dest_url) {
                    Ok(normal) => CowStr::from(normal),
                    Err(_) => dest_url,
                },
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

    /// A web address pasted in any case, with any host (capitals, non-Latin letters,
    /// ideographic full stops, numbers), is written as the `url` crate writes it; one
    /// without `//` after its scheme is left for the link check, which refuses it.
    #[test]
    fn web_links_are_written_normalised_or_refused() {
        use crate::content::contact::check_web_url;
        let mut rng = fastrand::Rng::with_seed(3);
        let hosts = [
            "Evil.EXAMPLE",
            "example.org",
            "\u{430}pple.com",
            "m\u{fc}nchen.example",
            "127\u{3002}0\u{3002}0\u{3002}1",
            "EXAMPLE\u{ff0e}org",
        ];
        let slashes = ["//", "//", "", "/", "\\", "\\\\", "/\\"];
        for _ in 0..500 {
            let scheme: String = ["https", "http"][rng.usize(..2)]
                .chars()
                .map(|c| {
                    if rng.bool() {
                        c.to_ascii_uppercase()
                    } else {
                        c
                    }
                })
                .collect();
            let slash = slashes[rng.usize(..slashes.len())];
            let host = hosts[rng.usize(..hosts.len())];
            let path = ["", "/", "/A/../Caf\u{e9}", "/x?q=1#Top"][rng.usize(..4)];
            let pasted = format!("{scheme}:{slash}{host}{path}");
            let r = render(&format!("See [a]({pasted})."), 2);
            let href = r
                .html
                .split("href=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap();
            if slash == "//" {
                let want = url::Url::parse(&pasted).unwrap().to_string();
                assert_eq!(href, crate::text::escape_markup(&want), "{pasted:?}");
                assert_eq!(r.links[0].url, want);
                assert!(href.is_ascii(), "{href}");
            } else {
                let e = check_web_url(&r.links[0].url).unwrap_err();
                assert!(e.contains("no `//`"), "{pasted:?}: {e}");
            }
        }
    }
}
