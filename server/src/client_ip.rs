//! The address a request comes from, for the per-address limits: the connection's own, or,
//! when the connection comes from a reverse proxy the operator trusts (`--trusted-proxy`), the
//! address that proxy wrote into `X-Forwarded-For`. Behind nginx every participant would
//! otherwise share the proxy's address: ten typos in a class would lock the whole class out.
//! From anyone else the header is ignored, so nobody can pick their own address. The proxy
//! must append the address it was reached from (nginx: `proxy_set_header X-Forwarded-For
//! $proxy_add_x_forwarded_for;`), or a client could put its own choice last.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::StatusCode;
use axum::http::request::Parts;

use crate::app_state::AppState;

pub struct ClientIp(pub IpAddr);

impl FromRequestParts<Arc<AppState>> for ClientIp {
    type Rejection = StatusCode;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState>) -> Result<ClientIp, StatusCode> {
        let ConnectInfo(peer) =
            parts.extensions.get::<ConnectInfo<SocketAddr>>().copied().ok_or(StatusCode::INTERNAL_SERVER_ERROR)?;
        let forwarded = parts.headers.get_all("x-forwarded-for").iter().filter_map(|value| value.to_str().ok());
        Ok(ClientIp(client_ip(peer.ip(), forwarded, &state.trusted_proxies)))
    }
}

/// Each proxy appends the address it was reached from, so the list is read from the right:
/// the first address that is not a trusted proxy is the client. A list that is missing or
/// unreadable leaves the proxy's own address. IPv4 addresses that arrive mapped into IPv6
/// (a server listening on `[::]`) are compared as IPv4.
fn client_ip<'a>(peer: IpAddr, forwarded: impl Iterator<Item = &'a str>, trusted: &[IpAddr]) -> IpAddr {
    let trusted = |ip: &IpAddr| trusted.iter().any(|proxy| proxy.to_canonical() == ip.to_canonical());
    let peer = peer.to_canonical();
    if !trusted(&peer) {
        return peer;
    }
    let hops: Vec<&str> = forwarded.flat_map(|value| value.split(',')).collect();
    let mut client = peer;
    for hop in hops.iter().rev() {
        let Ok(ip) = hop.trim().parse::<IpAddr>() else { break };
        client = ip.to_canonical();
        if !trusted(&client) {
            break;
        }
    }
    client
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("an address")
    }

    #[test]
    fn only_a_trusted_proxy_may_name_the_client() {
        let proxy = [ip("10.0.0.1")];
        assert_eq!(client_ip(ip("10.0.0.1"), ["203.0.113.7"].into_iter(), &proxy), ip("203.0.113.7"));
        assert_eq!(client_ip(ip("198.51.100.9"), ["203.0.113.7"].into_iter(), &proxy), ip("198.51.100.9"));
        assert_eq!(client_ip(ip("10.0.0.1"), ["203.0.113.7"].into_iter(), &[]), ip("10.0.0.1"));
    }

    #[test]
    fn the_list_is_read_from_the_right_past_every_trusted_proxy() {
        let proxies = [ip("10.0.0.1"), ip("10.0.0.2")];
        // The client wrote a false first entry itself; the proxies appended the truth.
        let forwarded = ["1.2.3.4, 203.0.113.7", "10.0.0.2"];
        assert_eq!(client_ip(ip("10.0.0.1"), forwarded.into_iter(), &proxies), ip("203.0.113.7"));
        assert_eq!(client_ip(ip("10.0.0.1"), ["not an address"].into_iter(), &proxies), ip("10.0.0.1"));
        assert_eq!(client_ip(ip("10.0.0.1"), [].into_iter(), &proxies), ip("10.0.0.1"));
    }

    #[test]
    fn a_proxy_seen_over_ipv6_as_a_mapped_ipv4_address_is_still_trusted() {
        let proxy = [ip("10.0.0.1")];
        assert_eq!(client_ip(ip("::ffff:10.0.0.1"), ["203.0.113.7"].into_iter(), &proxy), ip("203.0.113.7"));
    }
}
