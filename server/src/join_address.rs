//! Where participants can reach this server: the addresses a phone in the room can open, which
//! the console offers for the join link and QR code, and the start-up message names.

use std::net::{IpAddr, SocketAddr};

use cards::api::JoinAddresses;

/// What a server listening on `listening` (behind `public_url`, if given) can offer, best first.
pub fn join_addresses(listening: SocketAddr, public_url: Option<&str>) -> JoinAddresses {
    if let Some(url) = public_url {
        return JoinAddresses { urls: vec![url.trim_end_matches('/').to_owned()], local_only: false };
    }
    let ip = listening.ip();
    if ip.is_loopback() {
        return JoinAddresses { urls: Vec::new(), local_only: true };
    }
    let ips = if ip.is_unspecified() { network_ips(ip.is_ipv6()) } else { vec![ip] };
    let urls = ips.into_iter().map(|ip| base_url(SocketAddr::new(ip, listening.port()))).collect();
    JoinAddresses { urls, local_only: false }
}

/// What the server says on its console when it starts where `addresses` are the ones to join
/// at, in Dutch and then English; a blank line ends it.
pub fn startup_message(addresses: &JoinAddresses, listening: SocketAddr) -> String {
    let here = base_url(listening_here(listening));
    let mut message = format!("Standpunt draait. Open de console op deze computer: {here}/\n");
    if addresses.local_only {
        message.push_str(&format!(
            "Let op: alleen deze computer kan meedoen. Telefoons en laptops in het netwerk kunnen \
             dit adres niet openen.\n  Om ze te laten meedoen: start met --addr 0.0.0.0:{port} \
             (cargo xtask run -- --addr 0.0.0.0:{port}), of met --public-url achter een proxy.\n\
             (Standpunt is running at {here}/ for this computer only; to let phones join, start \
             with --addr 0.0.0.0:{port}.)\n",
            port = listening.port()
        ));
    } else if addresses.urls.is_empty() {
        message.push_str(
            "Let op: deze computer heeft geen netwerkadres gevonden; telefoons kunnen niet meedoen.\n\
             (No network address found: phones cannot join.)\n",
        );
    } else {
        message.push_str("Deelnemers doen mee via (participants join at):\n");
        for url in &addresses.urls {
            message.push_str(&format!("  {url}/\n"));
        }
    }
    message.push('\n');
    message
}

/// An address on this machine that reaches a server listening on `listening`.
fn listening_here(listening: SocketAddr) -> SocketAddr {
    match listening.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => SocketAddr::from(([127, 0, 0, 1], listening.port())),
        IpAddr::V6(ip) if ip.is_unspecified() => SocketAddr::from(([0, 0, 0, 0, 0, 0, 0, 1], listening.port())),
        _ => listening,
    }
}

fn base_url(addr: SocketAddr) -> String {
    format!("http://{addr}")
}

/// This machine's addresses in its networks (not loopback, not link-local IPv6), IPv4 first.
fn network_ips(with_ipv6: bool) -> Vec<IpAddr> {
    let mut ips: Vec<IpAddr> = if_addrs::get_if_addrs()
        .unwrap_or_default()
        .into_iter()
        .map(|interface| interface.ip())
        .filter(|ip| !ip.is_loopback())
        .filter(|ip| match ip {
            IpAddr::V4(_) => true,
            IpAddr::V6(v6) => with_ipv6 && (v6.segments()[0] & 0xffc0) != 0xfe80,
        })
        .collect();
    ips.sort_by_key(|ip| (ip.is_ipv6(), *ip));
    ips.dedup();
    ips
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_on_loopback_says_no_phone_can_join_and_how_to_fix_it() {
        let addresses = join_addresses("127.0.0.1:8080".parse().expect("address"), None);
        assert_eq!(addresses, JoinAddresses { urls: Vec::new(), local_only: true });
        let message = startup_message(&addresses, "127.0.0.1:8080".parse().expect("address"));
        assert!(message.contains("http://127.0.0.1:8080/"), "{message}");
        assert!(message.contains("--addr 0.0.0.0:8080"), "{message}");
    }

    #[test]
    fn a_public_url_is_the_one_address_to_join_at() {
        let addresses = join_addresses("0.0.0.0:8080".parse().expect("address"), Some("https://standpunt.example.nl/"));
        assert_eq!(addresses.urls, ["https://standpunt.example.nl"]);
        let message = startup_message(&addresses, "0.0.0.0:8080".parse().expect("address"));
        assert!(message.contains("https://standpunt.example.nl/"), "{message}");
    }

    #[test]
    fn a_server_on_one_network_address_offers_that_address() {
        let addresses = join_addresses("192.168.1.20:9000".parse().expect("address"), None);
        assert_eq!(addresses.urls, ["http://192.168.1.20:9000"]);
    }

    #[test]
    fn a_server_on_all_interfaces_offers_every_network_address_but_loopback() {
        let addresses = join_addresses("0.0.0.0:8080".parse().expect("address"), None);
        assert!(!addresses.local_only);
        assert!(addresses.urls.iter().all(|url| !url.contains("127.0.0.1") && url.ends_with(":8080")), "{addresses:?}");
    }
}
