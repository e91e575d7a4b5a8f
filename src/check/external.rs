//! `check --external`: request every web address in the content (links in Markdown,
//! request forms, the city-wide contact's `url`, sources that are web addresses) and
//! warn about those that fail: "the link to ... answered ..." or "the link to ... could
//! not be reached" for Markdown links, "`field` ... answered ..." or "`field` ... could
//! not be reached" for the value of a field, and "skipped ... (a private address)".
//!
//! Only public addresses are requested: every host name is resolved here, and loopback,
//! private, link-local, shared (CGNAT), multicast, unspecified and reserved addresses
//! (IPv4 and IPv6, and IPv4 inside IPv6) are refused before any connection, on the first
//! request and on every redirect. Such a link gets a warning: "skipped ... (a private
//! address)".

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{DefaultConnector, NextTimeout};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::site::Site;

/// `check --external`: request every web address once (in parallel, with a
/// timeout). A link that fails or answers with an error status is a warning, since
/// other sites go down for a while; `--strict` makes it fail the check.
/// With `loopback`, the computer's own loopback addresses are requested too (for tests).
pub fn check_external(site: &Site, timeout: Duration, loopback: bool, diags: &mut Diagnostics) {
    let mut urls: Vec<&str> = site.external_links.iter().map(|l| l.url.as_str()).collect();
    urls.sort_unstable();
    urls.dedup();
    let allowed: Allowed =
        Arc::new(move |a: SocketAddr| is_public(a.ip()) || (loopback && a.ip().is_loopback()));
    let results = request_all(&urls, timeout, allowed);
    for link in &site.external_links {
        let outcome = results.get(link.url.as_str()).unwrap_or(&Outcome::Fine);
        if let Some((message, hint)) = describe(outcome, &link.url, link.field) {
            diags.push(
                Diagnostic::warning(&link.file, Some(link.span.clone()), message).with_hint(hint),
            );
        }
    }
}

/// The warning for an outcome (none when the address answered well): its message and
/// hint, for a Markdown link or the value of `field`.
fn describe(outcome: &Outcome, url: &str, field: Option<&str>) -> Option<(String, &'static str)> {
    let what = match field {
        None => format!("the link to {url}"),
        Some(field) => format!("`{field}` {url}"),
    };
    Some(match (outcome, field) {
        (Outcome::Fine, _) => return None,
        (Outcome::Private, _) => (
            format!("skipped {what} (a private address): only addresses on the public internet are requested"),
            "a public site should link to public addresses; if this one is meant, check it by hand",
        ),
        (Outcome::Failed(problem), None) => (
            format!("{what} {problem}"),
            "open the address in a browser; if the page has moved, link to its new address",
        ),
        (Outcome::Failed(problem), Some(_)) => (
            format!("{what} {problem}"),
            "open the address in a browser; if the page has moved, write its new address here",
        ),
    })
}

/// What became of one request: the problem to report, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    Fine,
    Failed(String),
    /// Not requested: its host (or a redirect's) has only addresses that are not public.
    Private,
}

/// Request each address in parallel, connecting only to addresses `allowed` accepts.
fn request_all<'a>(
    urls: &[&'a str],
    timeout: Duration,
    allowed: Allowed,
) -> HashMap<&'a str, Outcome> {
    use rayon::prelude::*;
    let config = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        // A proxy would resolve the host itself, out of this check's sight.
        .proxy(None)
        .build();
    let resolver = AllowedOnly {
        inner: DefaultResolver::default(),
        allowed,
    };
    let agent = ureq::Agent::with_parts(config, DefaultConnector::default(), resolver);
    urls.par_iter()
        .map(|url| (*url, request(&agent, url)))
        .collect()
}

fn request(agent: &ureq::Agent, url: &str) -> Outcome {
    match agent
        .get(url)
        .header("User-Agent", "clusterdir link check")
        .call()
    {
        Ok(resp) if resp.status().as_u16() < 400 => Outcome::Fine,
        Ok(resp) => Outcome::Failed(format!("answered {}", resp.status())),
        Err(ureq::Error::Other(e)) if e.is::<NotPublic>() => Outcome::Private,
        Err(e) => Outcome::Failed(format!("could not be reached ({e})")),
    }
}

/// The error of a host that has no address the check may connect to.
#[derive(Debug)]
struct NotPublic;

impl std::fmt::Display for NotPublic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the host has only private addresses")
    }
}

impl std::error::Error for NotPublic {}

/// Which addresses may be connected to.
type Allowed = Arc<dyn Fn(SocketAddr) -> bool + Send + Sync>;

/// Resolves as usual, then keeps only the addresses `allowed` accepts. The agent asks
/// it for every connection, redirects included.
struct AllowedOnly {
    inner: DefaultResolver,
    allowed: Allowed,
}

impl std::fmt::Debug for AllowedOnly {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AllowedOnly")
    }
}

impl Resolver for AllowedOnly {
    fn resolve(
        &self,
        uri: &ureq::http::Uri,
        config: &ureq::config::Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let all = self.inner.resolve(uri, config, timeout)?;
        let mut kept = self.empty();
        for a in all.iter().filter(|a| (self.allowed)(**a)) {
            kept.push(*a);
        }
        if kept.is_empty() {
            return Err(ureq::Error::Other(Box::new(NotPublic)));
        }
        Ok(kept)
    }
}

/// Whether an address is on the public internet: not loopback, private, link-local,
/// shared (CGNAT), multicast, broadcast, unspecified, documentation or otherwise
/// reserved; IPv4 inside IPv6 (mapped, compatible, NAT64, 6to4) is judged as IPv4.
pub(crate) fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

/// IPv4 ranges that are not public (RFC 6890 and its updates): (address, prefix length).
const NOT_PUBLIC_V4: &[([u8; 4], u8)] = &[
    ([0, 0, 0, 0], 8),       // "this network", unspecified
    ([10, 0, 0, 0], 8),      // private
    ([100, 64, 0, 0], 10),   // shared address space (CGNAT)
    ([127, 0, 0, 0], 8),     // loopback
    ([169, 254, 0, 0], 16),  // link-local
    ([172, 16, 0, 0], 12),   // private
    ([192, 0, 0, 0], 24),    // IETF protocol assignments
    ([192, 0, 2, 0], 24),    // documentation
    ([192, 88, 99, 0], 24),  // 6to4 relay anycast
    ([192, 168, 0, 0], 16),  // private
    ([198, 18, 0, 0], 15),   // benchmarking
    ([198, 51, 100, 0], 24), // documentation
    ([203, 0, 113, 0], 24),  // documentation
    ([224, 0, 0, 0], 4),     // multicast
    ([240, 0, 0, 0], 4),     // reserved, broadcast
];

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let bits = u32::from(ip);
    !NOT_PUBLIC_V4.iter().any(|(net, len)| {
        let mask = u32::MAX << (32 - u32::from(*len));
        bits & mask == u32::from_be_bytes(*net) & mask
    })
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let s = ip.segments();
    let bits = u128::from(ip);
    let in_net = |net: u128, len: u32| bits >> (128 - len) == net >> (128 - len);
    let embedded = |hi: usize| {
        Ipv4Addr::new(
            (s[hi] >> 8) as u8,
            s[hi] as u8,
            (s[hi + 1] >> 8) as u8,
            s[hi + 1] as u8,
        )
    };
    if in_net(0xffff_0000_0000, 96) || in_net(0, 96) {
        // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d, with :: and ::1)
        return false;
    }
    if in_net(0x0064_ff9b << 96, 96) {
        return is_public_v4(embedded(6)); // NAT64
    }
    if in_net(0x2002 << 112, 16) {
        return is_public_v4(embedded(1)); // 6to4
    }
    !(in_net(0xfc00 << 112, 7) // unique local
        || in_net(0xfe80 << 112, 10) // link-local
        || in_net(0xfec0 << 112, 10) // site-local (deprecated)
        || in_net(0xff00 << 112, 8) // multicast
        || in_net(0x0100 << 112, 64) // discard
        || in_net(0x2001_0db8 << 96, 32) // documentation
        || in_net(0x2001 << 112, 23) // IETF protocol assignments, Teredo
        || in_net(0x0064_ff9b_0001 << 80, 48)) // local-use NAT64
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A random address in the IPv4 network `net`/`len`.
    fn v4_in(rng: &mut fastrand::Rng, net: [u8; 4], len: u8) -> Ipv4Addr {
        let host_mask = u32::MAX.checked_shr(u32::from(len)).unwrap_or(0);
        Ipv4Addr::from((u32::from_be_bytes(net) & !host_mask) | (rng.u32(..) & host_mask))
    }

    /// A random address in the IPv6 network `net`/`len`.
    fn v6_in(rng: &mut fastrand::Rng, net: u128, len: u32) -> Ipv6Addr {
        let host_mask = u128::MAX.checked_shr(len).unwrap_or(0);
        Ipv6Addr::from((net & !host_mask) | (rng.u128(..) & host_mask))
    }

    /// IPv4 inside IPv6 in each way it can be written: mapped, compatible, NAT64, 6to4.
    fn embeddings(v4: Ipv4Addr) -> [Ipv6Addr; 4] {
        let b = u128::from(u32::from(v4));
        [
            v4.to_ipv6_mapped(),
            v4.to_ipv6_compatible(),
            Ipv6Addr::from((0x0064_ff9b << 96) | b),
            Ipv6Addr::from((0x2002 << 112) | (b << 80)),
        ]
    }

    #[test]
    fn addresses_in_every_range_that_is_not_public_are_refused() {
        let mut rng = fastrand::Rng::with_seed(6890);
        let v6: &[(u128, u32)] = &[
            (0, 128), // unspecified
            (1, 128), // loopback
            (0xfc00 << 112, 7),
            (0xfe80 << 112, 10),
            (0xfec0 << 112, 10),
            (0xff00 << 112, 8),
            (0x2001_0db8 << 96, 32),
            (0x2001 << 112, 32), // Teredo
            (0xffff_0000_0000, 96),
        ];
        for _ in 0..500 {
            for (net, len) in NOT_PUBLIC_V4 {
                let ip = v4_in(&mut rng, *net, *len);
                assert!(!is_public(ip.into()), "{ip}");
                for e in embeddings(ip) {
                    assert!(!is_public(e.into()), "{e} ({ip})");
                }
            }
            for (net, len) in v6 {
                let ip = v6_in(&mut rng, *net, *len);
                assert!(!is_public(ip.into()), "{ip}");
            }
        }
    }

    #[test]
    fn public_addresses_are_allowed() {
        let mut rng = fastrand::Rng::with_seed(1);
        for _ in 0..500 {
            for (net, len) in [
                ([8, 0, 0, 0], 8),
                ([81, 0, 0, 0], 8),
                ([151, 101, 0, 0], 16),
            ] {
                let ip = v4_in(&mut rng, net, len);
                assert!(is_public(ip.into()), "{ip}");
                let [_, _, nat64, six_to_four] = embeddings(ip);
                assert!(
                    is_public(nat64.into()) && is_public(six_to_four.into()),
                    "{ip}"
                );
            }
            let ip = v6_in(&mut rng, 0x2a00 << 112, 12);
            assert!(is_public(ip.into()), "{ip}");
        }
    }

    /// A server on the loopback address that counts its requests and answers each with
    /// `answer` (status, Location).
    fn server(answer: (u16, Option<String>)) -> (u16, Arc<AtomicUsize>) {
        let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
        let port = server.server_addr().to_ip().unwrap().port();
        let hits = Arc::new(AtomicUsize::new(0));
        let counter = hits.clone();
        std::thread::spawn(move || {
            for req in server.incoming_requests() {
                counter.fetch_add(1, Ordering::SeqCst);
                let mut resp = tiny_http::Response::empty(answer.0);
                if let Some(to) = &answer.1 {
                    resp = resp.with_header(
                        tiny_http::Header::from_bytes("Location", to.as_bytes()).unwrap(),
                    );
                }
                let _ = req.respond(resp);
            }
        });
        (port, hits)
    }

    #[test]
    fn loopback_and_private_hosts_are_never_requested() {
        let (port, hits) = server((200, None));
        let urls: Vec<String> = [
            "127.0.0.1",
            "localhost",
            "[::1]",
            "127.1",
            "[::ffff:127.0.0.1]",
            "0.0.0.0",
            "2130706433",
        ]
        .iter()
        .map(|host| format!("http://{host}:{port}/"))
        .collect();
        let urls: Vec<&str> = urls.iter().map(String::as_str).collect();
        let allowed: Allowed = Arc::new(|a| is_public(a.ip()));
        let results = request_all(&urls, Duration::from_secs(5), allowed);
        for url in &urls {
            assert_eq!(results[url], Outcome::Private, "{url}");
        }
        assert_eq!(hits.load(Ordering::SeqCst), 0);
        let (message, _) = describe(&Outcome::Private, urls[0], None).unwrap();
        assert!(
            message.starts_with("skipped the link to http://127.0.0.1:"),
            "{message}"
        );
        assert!(message.contains("(a private address)"), "{message}");
    }

    #[test]
    fn a_redirect_to_a_private_address_is_not_followed() {
        let (inner_port, inner_hits) = server((200, None));
        let (outer_port, outer_hits) =
            server((302, Some(format!("http://127.0.0.1:{inner_port}/secret"))));
        // The first server stands for a public one: only its port is allowed.
        let allowed: Allowed = Arc::new(move |a: SocketAddr| a.port() == outer_port);
        let url = format!("http://127.0.0.1:{outer_port}/");
        let results = request_all(&[url.as_str()], Duration::from_secs(5), allowed);
        assert_eq!(results[url.as_str()], Outcome::Private);
        assert_eq!(outer_hits.load(Ordering::SeqCst), 1);
        assert_eq!(inner_hits.load(Ordering::SeqCst), 0);
    }
}
