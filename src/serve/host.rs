//! Which host names the preview answers to, so that no other website can read it.
//!
//! A web page elsewhere can point its own name at 127.0.0.1 (DNS rebinding) and then
//! read the preview, drafts and error text quoting the content included, as if it
//! were its own. The browser still names that website in the `Host` header, so the
//! preview answers only requests for `localhost`, a loopback address (`127.0.0.1`,
//! `[::1]`) or the address it listens on, with its port. Listening on every address
//! (`--bind 0.0.0.0`), any address written as numbers is accepted too (the machine's
//! own addresses): rebinding needs a name, and every name but `localhost` is refused.

use std::net::{IpAddr, SocketAddr};

/// The addresses this preview answers to.
#[derive(Clone, Copy, Debug)]
pub struct Allowed {
    listening: SocketAddr,
}

impl Allowed {
    pub fn new(listening: SocketAddr) -> Allowed {
        Allowed { listening }
    }

    /// Whether a request with these `Host` header values (and, for a request naming a
    /// whole address, its authority) is for this preview; if not, why, in words.
    pub fn check(&self, hosts: &[&[u8]], authority: Option<&str>) -> Result<(), String> {
        let host = match hosts {
            [one] => *one,
            [] => return Err(self.refusal("had no Host header")),
            _ => return Err(self.refusal("had more than one Host header")),
        };
        for named in [Some(host), authority.map(str::as_bytes)]
            .into_iter()
            .flatten()
        {
            if !self.allows(named) {
                let shown: String = String::from_utf8_lossy(named).chars().take(80).collect();
                return Err(self.refusal(&format!("was for {shown:?}")));
            }
        }
        Ok(())
    }

    /// Whether `host` (`name` or `name:port`) names this preview.
    fn allows(&self, host: &[u8]) -> bool {
        let Some((name, port)) = std::str::from_utf8(host).ok().and_then(split_port) else {
            return false;
        };
        let port_matches = match port {
            Some(p) => p.parse::<u16>().ok() == Some(self.listening.port()),
            None => self.listening.port() == 80,
        };
        port_matches && self.allows_name(name)
    }

    fn allows_name(&self, name: &str) -> bool {
        if name.eq_ignore_ascii_case("localhost") {
            return true;
        }
        let literal = match name.strip_prefix('[').and_then(|n| n.strip_suffix(']')) {
            Some(v6) => v6.parse().ok().map(IpAddr::V6),
            None => name.parse().ok().map(IpAddr::V4),
        };
        let bound = self.listening.ip();
        literal.is_some_and(|ip| ip.is_loopback() || ip == bound || bound.is_unspecified())
    }

    /// The answer to a request for another host: where the preview is instead.
    fn refusal(&self, what: &str) -> String {
        let port = self.listening.port();
        let own = if self.listening.ip().is_unspecified() {
            format!("127.0.0.1:{port}")
        } else {
            self.listening.to_string()
        };
        format!(
            "421 Misdirected Request: this preview answers only at http://{own}/ or \
             http://localhost:{port}/, and this request {what}. Open the preview at one of \
             those addresses. Requests for any other name are refused so that no other \
             website can read the preview.\n"
        )
    }
}

/// `name:port` to its name and port (`[v6]:port` keeps its brackets); `None` when it
/// is not of that shape.
fn split_port(host: &str) -> Option<(&str, Option<&str>)> {
    let (name, port) = match host.rfind(':') {
        Some(i) if !host[i..].contains(']') => (&host[..i], Some(&host[i + 1..])),
        _ => (host, None),
    };
    let digits = port.map_or(true, |p| {
        !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())
    });
    (!name.is_empty() && digits).then_some((name, port))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loopback(port: u16) -> Allowed {
        Allowed::new(SocketAddr::from(([127, 0, 0, 1], port)))
    }

    fn allowed(a: &Allowed, host: &str) -> bool {
        a.check(&[host.as_bytes()], None).is_ok()
    }

    #[test]
    fn loopback_names_and_addresses_with_the_port_are_answered() {
        let a = loopback(4321);
        for host in [
            "localhost:4321",
            "LocalHost:4321",
            "127.0.0.1:4321",
            "127.1.2.3:4321",
            "[::1]:4321",
        ] {
            assert!(allowed(&a, host), "{host}");
        }
        assert!(allowed(&loopback(80), "localhost"));
    }

    #[test]
    fn every_other_name_port_or_shape_is_refused() {
        let a = loopback(4321);
        let mut rng = fastrand::Rng::with_seed(16);
        let mut hosts: Vec<String> = [
            "localhost",
            "127.0.0.1",
            "localhost:80",
            "localhost:04321x",
            "localhost:",
            ":4321",
            "evil.example:4321",
            "127.0.0.1.evil.example:4321",
            "localhost.evil.example:4321",
            "evil.localhost:4321",
            "localhost.:4321",
            "0.0.0.0:4321",
            "[::2]:4321",
            "[::1]4321",
            "::1:4321",
            "127.0.0.1:4321@evil.example",
            "127.0.0.1:4321 ",
            "2130706433:4321",
        ]
        .map(String::from)
        .to_vec();
        // Generated names: random labels, and random addresses off the loopback range.
        for _ in 0..500 {
            let label: String = (0..rng.usize(1..12)).map(|_| rng.alphanumeric()).collect();
            let tld: String = (0..rng.usize(2..6)).map(|_| rng.lowercase()).collect();
            hosts.push(format!("{label}.{tld}:4321"));
            hosts.push(format!("127.0.0.1.{label}.{tld}:4321"));
            let ip = [rng.u8(128..=255), rng.u8(..), rng.u8(..), rng.u8(1..)];
            hosts.push(format!("{}:4321", IpAddr::from(ip)));
        }
        for host in &hosts {
            let why = a.check(&[host.as_bytes()], None).expect_err(host);
            assert!(why.contains("http://127.0.0.1:4321/"), "{why}");
        }
        assert!(a.check(&[], None).unwrap_err().contains("no Host header"));
        let two: &[&[u8]] = &[b"localhost:4321", b"localhost:4321"];
        assert!(a.check(two, None).unwrap_err().contains("more than one"));
        let absolute = a.check(&[b"localhost:4321"], Some("evil.example:4321"));
        assert!(absolute.unwrap_err().contains("\"evil.example:4321\""));
        assert!(a.check(&[&[0xff, b':', b'1']], None).is_err());
    }

    #[test]
    fn listening_on_every_address_accepts_numeric_addresses_but_no_other_name() {
        let a = Allowed::new(SocketAddr::from(([0, 0, 0, 0], 1111)));
        assert!(allowed(&a, "192.0.2.7:1111"));
        assert!(allowed(&a, "localhost:1111"));
        assert!(!allowed(&a, "preview.example:1111"));
        assert!(!allowed(&a, "192.0.2.7:1112"));
        let b = Allowed::new(SocketAddr::from(([192, 0, 2, 7], 1111)));
        assert!(allowed(&b, "192.0.2.7:1111"));
        assert!(!allowed(&b, "192.0.2.8:1111"));
    }
}
