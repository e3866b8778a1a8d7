//! Who is asking: the client address of a request, for limits per client.
//!
//! The client is the peer of the connection. `X-Forwarded-For` and `Forwarded` are read only
//! when the peer is one of the configured [`TrustedProxies`] (none by default): anyone can
//! write those headers, so trusting them from anyone would let an attacker pick a new address
//! for every request. Through trusted proxies, the client is the right-most forwarded address
//! that is not itself a trusted proxy.
//!
//! IPv6 clients are counted by their /64 network: one host usually holds a whole /64, so
//! counting single addresses would let it change address for every request.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use http::HeaderMap;
use ipnet::IpNet;

/// The proxies whose `X-Forwarded-For` / `Forwarded` headers are believed. Empty by default.
///
/// ```
/// use std::net::IpAddr;
/// use http::HeaderMap;
/// use loginradius::auth::{ClientAddr, TrustedProxies};
///
/// let proxies = TrustedProxies::none().trust("10.0.0.0/8".parse().unwrap());
/// let mut headers = HeaderMap::new();
/// headers.insert("x-forwarded-for", "203.0.113.9, 10.0.0.2".parse().unwrap());
/// let via_proxy = ClientAddr::resolve(Some("10.0.0.1".parse().unwrap()), &headers, &proxies);
/// assert_eq!(via_proxy.to_string(), "203.0.113.9");
/// // From anyone else, the header is ignored.
/// let direct = ClientAddr::resolve(Some("198.51.100.7".parse().unwrap()), &headers, &proxies);
/// assert_eq!(direct.to_string(), "198.51.100.7");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// No trusted proxy: the client is always the peer.
    pub fn none() -> Self {
        Self::default()
    }

    /// Also trusts the proxies in `network` (a single address is a /32 or /128).
    pub fn trust(mut self, network: IpNet) -> Self {
        self.0.push(network);
        self
    }

    /// Whether `addr` is a trusted proxy.
    pub fn contains(&self, addr: &IpAddr) -> bool {
        self.0.iter().any(|net| net.contains(addr))
    }

    /// Whether no proxy is trusted.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl FromStr for TrustedProxies {
    type Err = ipnet::AddrParseError;

    /// A comma-separated list of networks or addresses (`"10.0.0.0/8, 192.168.1.4"`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut proxies = Self::none();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let net = match part.parse::<IpNet>() {
                Ok(net) => net,
                Err(e) => match part.parse::<IpAddr>() {
                    Ok(addr) => IpNet::from(addr),
                    Err(_) => return Err(e),
                },
            };
            proxies = proxies.trust(net);
        }
        Ok(proxies)
    }
}

/// The client of a request, as counted by the limits: an IPv4 address, an IPv6 /64, or
/// [`ClientAddr::Unknown`] when the adapter could not tell the peer (every such request shares
/// one count: fail closed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClientAddr {
    /// A known client address (IPv6 truncated to its /64).
    Ip(IpAddr),
    /// The server did not give the peer address (for axum: not served with
    /// `into_make_service_with_connect_info::<SocketAddr>()`).
    Unknown,
}

impl ClientAddr {
    /// The client of a request from `peer` with `headers`. `X-Forwarded-For` and `Forwarded`
    /// are believed only when `peer` is one of the `trusted` proxies; then the client is the
    /// right-most forwarded address that is not itself a trusted proxy (an unreadable hop stops
    /// the walk). IPv6 clients are counted by their /64; `None` is [`ClientAddr::Unknown`].
    pub fn resolve(peer: Option<IpAddr>, headers: &HeaderMap, trusted: &TrustedProxies) -> Self {
        let Some(peer) = peer.map(canonical) else {
            return Self::Unknown;
        };
        if !trusted.contains(&peer) {
            return Self::of(peer);
        }
        // From a trusted proxy: walk the forwarded chain from the nearest hop outwards; the
        // first hop that is not a trusted proxy is the client. An unreadable hop stops the
        // walk at the last trusted one (its writer is not trusted).
        let mut client = peer;
        for hop in forwarded_chain(headers).into_iter().rev() {
            match hop {
                Some(addr) if trusted.contains(&addr) => client = addr,
                Some(addr) => return Self::of(addr),
                None => break,
            }
        }
        Self::of(client)
    }

    fn of(addr: IpAddr) -> Self {
        match canonical(addr) {
            IpAddr::V6(v6) => {
                let mut octets = v6.octets();
                octets[8..].fill(0);
                Self::Ip(IpAddr::from(octets))
            }
            v4 => Self::Ip(v4),
        }
    }
}

impl fmt::Display for ClientAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Ip(IpAddr::V6(v6)) => write!(f, "{v6}/64"),
            Self::Ip(v4) => write!(f, "{v4}"),
            Self::Unknown => f.write_str("unknown"),
        }
    }
}

/// An IPv4-mapped IPv6 address as IPv4.
fn canonical(addr: IpAddr) -> IpAddr {
    match addr {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(addr, IpAddr::V4),
        v4 => v4,
    }
}

/// The forwarded hops, client first: from `Forwarded` (`for=` of each element) when present,
/// else from `X-Forwarded-For`. `None` for a hop that is not an address (`unknown`, an
/// obfuscated identifier, garbage).
fn forwarded_chain(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    let values = |name: &str| -> Vec<String> {
        headers
            .get_all(name)
            .iter()
            .map(|v| v.to_str().map(str::to_owned).unwrap_or_default())
            .collect()
    };
    let forwarded = values("forwarded");
    if !forwarded.is_empty() {
        return forwarded
            .iter()
            .flat_map(|v| v.split(','))
            .map(|element| {
                element
                    .split(';')
                    .filter_map(|pair| pair.trim().split_once('='))
                    .find(|(k, _)| k.trim().eq_ignore_ascii_case("for"))
                    .and_then(|(_, v)| parse_node(v.trim().trim_matches('"')))
            })
            .collect();
    }
    values("x-forwarded-for")
        .iter()
        .flat_map(|v| v.split(','))
        .map(|hop| parse_node(hop.trim()))
        .collect()
}

/// An address with an optional port: `192.0.2.1`, `192.0.2.1:8080`, `[2001:db8::1]:8080`,
/// `2001:db8::1`.
fn parse_node(node: &str) -> Option<IpAddr> {
    if let Ok(addr) = node.parse::<IpAddr>() {
        return Some(addr);
    }
    if let Some(rest) = node.strip_prefix('[') {
        return rest.split_once(']')?.0.parse().ok();
    }
    node.rsplit_once(':')?.0.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, v.parse().unwrap());
        }
        h
    }

    fn ip(s: &str) -> Option<IpAddr> {
        Some(s.parse().unwrap())
    }

    #[test]
    fn forwarding_headers_are_ignored_without_trusted_proxies() {
        let h = headers(&[("x-forwarded-for", "1.2.3.4"), ("forwarded", "for=5.6.7.8")]);
        let none = TrustedProxies::none();
        assert_eq!(
            ClientAddr::resolve(ip("9.9.9.9"), &h, &none).to_string(),
            "9.9.9.9"
        );
        assert_eq!(ClientAddr::resolve(None, &h, &none), ClientAddr::Unknown);
    }

    #[test]
    fn through_trusted_proxies_the_right_most_untrusted_hop_is_the_client() {
        let trusted: TrustedProxies = "10.0.0.0/8, 192.168.1.4".parse().unwrap();
        // A spoofed left-most entry does not matter: the proxy appended the real peer.
        let h = headers(&[("x-forwarded-for", "6.6.6.6, 203.0.113.5, 10.1.1.1")]);
        assert_eq!(
            ClientAddr::resolve(ip("192.168.1.4"), &h, &trusted).to_string(),
            "203.0.113.5"
        );
        let h = headers(&[(
            "forwarded",
            r#"for=6.6.6.6, for="[2001:db8:1:2:3::9]:443";proto=https"#,
        )]);
        assert_eq!(
            ClientAddr::resolve(ip("10.0.0.1"), &h, &trusted).to_string(),
            "2001:db8:1:2::/64"
        );
        // An unreadable hop stops the walk at the last trusted one.
        let h = headers(&[("x-forwarded-for", "1.1.1.1, garbage, 10.2.2.2")]);
        assert_eq!(
            ClientAddr::resolve(ip("10.0.0.1"), &h, &trusted).to_string(),
            "10.2.2.2"
        );
        assert!("not-an-address".parse::<TrustedProxies>().is_err());
    }

    #[test]
    fn ipv6_clients_count_by_their_64_and_mapped_ipv4_as_ipv4() {
        let none = TrustedProxies::none();
        let a = ClientAddr::resolve(ip("2001:db8::1"), &HeaderMap::new(), &none);
        let b = ClientAddr::resolve(ip("2001:db8::ffff:2"), &HeaderMap::new(), &none);
        assert_eq!(a, b);
        assert_eq!(
            ClientAddr::resolve(ip("::ffff:192.0.2.1"), &HeaderMap::new(), &none).to_string(),
            "192.0.2.1"
        );
    }
}
