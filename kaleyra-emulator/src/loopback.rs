//! The one rule every post of the emulator obeys: plain http to a loopback
//! host, never off this machine.

/// Why the emulator will not post to `url`, if it will not: it posts plain
/// `http` to a loopback host (`127.0.0.0/8`, `::1`, `localhost`) only.
pub(crate) fn refusal(url: &str) -> Option<String> {
    let parsed = match url::Url::parse(url) {
        Ok(parsed) => parsed,
        Err(error) => return Some(format!("`{url}` is not a URL ({error})")),
    };
    if parsed.scheme() != "http" {
        return Some(format!(
            "the emulator posts plain http only, not {}",
            parsed.scheme()
        ));
    }
    let loopback = match parsed.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        None => false,
    };
    (!loopback).then(|| {
        format!(
            "`{}` is not a loopback host; the emulator never posts off this machine",
            parsed.host_str().unwrap_or_default()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_http_to_loopback_is_allowed() {
        for allowed in [
            "http://127.0.0.1:8080/cb",
            "http://127.8.9.10/cb",
            "http://[::1]:9000/",
            "http://localhost:3000/hook",
            "http://LOCALHOST/hook",
            "http://0x7f000001/",
        ] {
            assert_eq!(refusal(allowed), None, "{allowed}");
        }
        for refused in [
            "https://127.0.0.1/cb",
            "http://example.com/cb",
            "http://localhost.example.com/",
            "http://127.0.0.1.nip.io/",
            "http://localhost@example.com/",
            "http://10.0.0.1/",
            "http://[::ffff:10.0.0.1]/",
            "not a url",
        ] {
            assert!(refusal(refused).is_some(), "{refused}");
        }
    }
}
