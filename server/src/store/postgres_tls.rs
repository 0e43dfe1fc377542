//! TLS to PostgreSQL, as the URL asks for it, read the way `libpq` (and so `psql`) reads it:
//!
//! | `sslmode`            | encrypted          | certificate checked                          |
//! |----------------------|--------------------|----------------------------------------------|
//! | `disable`            | no                 | –                                            |
//! | `allow`, `prefer` (the default) | if the server offers it | no                          |
//! | `require`            | yes, or no connection | no (yes, as `verify-ca`, with `sslrootcert`) |
//! | `verify-ca`          | yes                | signed by a root in `sslrootcert`            |
//! | `verify-full`        | yes                | as `verify-ca`, and made out to the host     |
//!
//! `sslrootcert` names a PEM file of root certificates; without it (or with `system`) the
//! system's bundle (`/etc/ssl/certs/ca-certificates.crt`) is read. `tokio-postgres` knows only
//! `disable`, `prefer` and `require` and no `sslrootcert`: both are taken out of the URL here and
//! the connector (rustls) does the checking.

use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::{ClientConfig, WebPkiServerVerifier};
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, Error, RootCertStore, SignatureScheme};
use tokio_postgres::config::SslMode;

/// Where the system keeps its root certificates (Debian's `ca-certificates`).
const SYSTEM_ROOTS: &str = "/etc/ssl/certs/ca-certificates.crt";

/// How to connect: the URL as `tokio-postgres` reads it, and TLS if any.
pub struct Connection {
    pub config: tokio_postgres::Config,
    /// `None`: plain TCP or a local socket (`sslmode=disable`).
    pub tls: Option<ClientConfig>,
}

/// What the URL's `sslmode` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Disable,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

/// Reads a store URL (`postgres://…?sslmode=…` or `host=… sslmode=…`); the error is a sentence
/// for the operator.
pub fn connection(url: &str) -> Result<Connection, String> {
    let (rest, sslmode, root) = take_tls_options(url);
    let mut mode = match sslmode.as_deref() {
        None | Some("prefer" | "allow") => Mode::Prefer,
        Some("disable") => Mode::Disable,
        Some("require") => Mode::Require,
        Some("verify-ca") => Mode::VerifyCa,
        Some("verify-full") => Mode::VerifyFull,
        Some(other) => {
            return Err(format!(
                "sslmode={other} is not one PostgreSQL knows: disable, allow, prefer, require, verify-ca or verify-full"
            ));
        }
    };
    if mode == Mode::Require && root.is_some() {
        // As libpq: a root certificate named means it is checked.
        mode = Mode::VerifyCa;
    }
    let mut config: tokio_postgres::Config =
        rest.parse().map_err(|error| format!("the store URL cannot be read: {error}"))?;
    config.ssl_mode(match mode {
        Mode::Disable => SslMode::Disable,
        Mode::Prefer => SslMode::Prefer,
        Mode::Require | Mode::VerifyCa | Mode::VerifyFull => SslMode::Require,
    });
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|error| format!("TLS cannot be set up: {error}"))?;
    let algorithms = provider.signature_verification_algorithms;
    let chain_to = |provider: Arc<CryptoProvider>| {
        WebPkiServerVerifier::builder_with_provider(Arc::new(roots(root.as_deref())?), provider)
            .build()
            .map_err(|error| format!("TLS cannot be set up: {error}"))
    };
    let tls = match mode {
        Mode::Disable => None,
        Mode::VerifyFull => Some(builder.with_webpki_verifier(chain_to(provider)?).with_no_client_auth()),
        Mode::Prefer | Mode::Require | Mode::VerifyCa => {
            let chain = if mode == Mode::VerifyCa { Some(chain_to(provider)?) } else { None };
            let verifier = Arc::new(Verifier { chain, algorithms });
            Some(builder.dangerous().with_custom_certificate_verifier(verifier).with_no_client_auth())
        }
    };
    Ok(Connection { config, tls })
}

/// Splits `sslmode` and `sslrootcert` off the URL: (the rest, sslmode, sslrootcert).
fn take_tls_options(url: &str) -> (String, Option<String>, Option<String>) {
    let (mut sslmode, mut root) = (None, None);
    let mut keep = |key: &str, value: &str| match key {
        "sslmode" => {
            sslmode = Some(value.to_owned());
            false
        }
        "sslrootcert" => {
            root = Some(value.to_owned());
            false
        }
        _ => true,
    };
    let rest = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        match url.split_once('?') {
            Some((base, query)) => {
                let kept: Vec<&str> = query
                    .split('&')
                    .filter(|pair| {
                        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
                        keep(key, &percent_decoded(value))
                    })
                    .collect();
                if kept.is_empty() { base.to_owned() } else { format!("{base}?{}", kept.join("&")) }
            }
            None => url.to_owned(),
        }
    } else {
        let kept: Vec<&str> = url
            .split_whitespace()
            .filter(|pair| {
                let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
                keep(key.trim(), value.trim_matches('\''))
            })
            .collect();
        kept.join(" ")
    };
    (rest, sslmode, root)
}

/// `%2F` and the like in a URL's query, as a path may hold them.
fn percent_decoded(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|hex| std::str::from_utf8(hex).ok());
        match (bytes[i], hex.and_then(|hex| u8::from_str_radix(hex, 16).ok())) {
            (b'%', Some(byte)) => {
                decoded.push(byte);
                i += 3;
            }
            (byte, _) => {
                decoded.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

/// The root certificates in `path` (PEM), or the system's.
fn roots(path: Option<&str>) -> Result<RootCertStore, String> {
    let path = match path {
        None | Some("system") => SYSTEM_ROOTS,
        Some(path) => path,
    };
    let mut roots = RootCertStore::empty();
    let certificates = CertificateDer::pem_file_iter(path)
        .map_err(|error| format!("cannot read the root certificates in {path} (sslrootcert): {error}"))?;
    for certificate in certificates {
        let certificate = certificate
            .map_err(|error| format!("{path} (sslrootcert) holds a certificate that cannot be read: {error}"))?;
        roots.add(certificate).map_err(|error| format!("{path} (sslrootcert): {error}"))?;
    }
    if roots.is_empty() {
        return Err(format!("{path} (sslrootcert) holds no certificate"));
    }
    Ok(roots)
}

/// What `prefer`, `require` and `verify-ca` check of the server's certificate, as libpq does:
/// nothing (`chain: None`: encrypted, but whose certificate it is goes unchecked), or that its
/// chain ends at one of the roots, whatever name it is made out to. The handshake's signatures
/// are verified either way, so the session key belongs to the certificate presented.
#[derive(Debug)]
struct Verifier {
    chain: Option<Arc<WebPkiServerVerifier>>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for Verifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, Error> {
        let Some(chain) = &self.chain else { return Ok(ServerCertVerified::assertion()) };
        match chain.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now) {
            Err(Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            checked => checked,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        certificate: &CertificateDer<'_>,
        signed: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        rustls::crypto::verify_tls12_signature(message, certificate, signed, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        certificate: &CertificateDer<'_>,
        signed: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        rustls::crypto::verify_tls13_signature(message, certificate, signed, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tls_options_leave_the_url_and_the_rest_stays() {
        let (rest, mode, root) = take_tls_options(
            "postgres://u@db:5432/standpunt?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem&application_name=x",
        );
        assert_eq!(rest, "postgres://u@db:5432/standpunt?application_name=x");
        assert_eq!(mode.as_deref(), Some("verify-full"));
        assert_eq!(root.as_deref(), Some("/etc/ca.pem"));
        let (rest, mode, root) = take_tls_options("host=db user=u sslmode=require dbname=standpunt");
        assert_eq!(rest, "host=db user=u dbname=standpunt");
        assert_eq!((mode.as_deref(), root), (Some("require"), None));
        assert_eq!(take_tls_options("postgres://u@db/s?sslmode=disable").0, "postgres://u@db/s");
    }

    #[test]
    fn an_sslmode_postgresql_does_not_know_is_refused_in_words() {
        let problem = connection("postgres://u@db/s?sslmode=verify").err().unwrap_or_default();
        assert!(problem.contains("sslmode=verify is not one PostgreSQL knows"), "{problem}");
    }

    #[test]
    fn a_root_file_that_is_not_there_is_named() {
        let problem =
            connection("postgres://u@db/s?sslmode=verify-full&sslrootcert=/nowhere/ca.pem").err().unwrap_or_default();
        assert!(problem.contains("/nowhere/ca.pem (sslrootcert)"), "{problem}");
    }

    #[test]
    fn the_modes_ask_tokio_postgres_for_what_they_mean() {
        let mode =
            |url: &str| connection(url).map(|connection| (connection.config.get_ssl_mode(), connection.tls.is_some()));
        assert_eq!(mode("postgres://u@db/s"), Ok((SslMode::Prefer, true)));
        assert_eq!(mode("postgres://u@db/s?sslmode=disable"), Ok((SslMode::Disable, false)));
        assert_eq!(mode("postgres://u@db/s?sslmode=require"), Ok((SslMode::Require, true)));
    }
}
