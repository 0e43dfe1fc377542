//! A throwaway PostgreSQL cluster for a test: `initdb` in a fresh folder, one server on a free
//! port that only listens on 127.0.0.1, stopped and removed when dropped. PostgreSQL refuses to
//! run as root, so as root the cluster belongs to the `postgres` user (Debian's package makes
//! it). Without PostgreSQL installed, `start` says why and gives `None`, unless
//! `STANDPUNT_REQUIRE_POSTGRES` is set (as `cargo xtask test` does): then it fails.

use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Cluster {
    dir: PathBuf,
    bin: PathBuf,
    /// `postgres://standpunt@127.0.0.1:PORT/postgres`
    pub url: String,
}

/// Where Debian keeps the server's programs (`/usr/lib/postgresql/15/bin`), newest first.
fn binaries() -> Option<PathBuf> {
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .flatten()
        .map(|entry| entry.path().join("bin"))
        .filter(|bin| bin.join("initdb").exists())
        .collect();
    versions.sort();
    versions.pop()
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|output| String::from_utf8_lossy(&output.stdout).trim() == "0")
}

/// Runs a PostgreSQL program, as the `postgres` user when we are root.
fn run(bin: &Path, program: &str, args: &[&str]) {
    let path = bin.join(program);
    let output = if is_root() {
        Command::new("runuser").args(["-u", "postgres", "--"]).arg(&path).args(args).output()
    } else {
        Command::new(&path).args(args).output()
    }
    .unwrap_or_else(|error| panic!("cannot run {}: {error}", path.display()));
    assert!(
        output.status.success(),
        "{program} {args:?} failed: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

impl Cluster {
    pub fn start(purpose: &str) -> Option<Cluster> {
        Cluster::start_with(purpose, false)
    }

    /// A cluster that takes TLS connections only (`hostssl`), its certificate made out to
    /// 127.0.0.1 by a root of its own (`root_certificate`).
    pub fn start_tls(purpose: &str) -> Option<Cluster> {
        Cluster::start_with(purpose, true)
    }

    /// The root certificate (PEM) that signed a TLS cluster's certificate.
    pub fn root_certificate(&self) -> PathBuf {
        self.dir.join("root.crt")
    }

    /// Another root, which signed nothing of this cluster's, made on first use.
    pub fn stranger_root_certificate(&self) -> PathBuf {
        let path = self.dir.join("stranger.crt");
        if !path.exists() {
            self_signed_root(&self.dir, "Stranger", "stranger");
        }
        path
    }

    fn start_with(purpose: &str, tls: bool) -> Option<Cluster> {
        let Some(bin) = binaries() else {
            let message = "PostgreSQL is not installed (`cargo xtask test` installs it)";
            assert!(std::env::var_os("STANDPUNT_REQUIRE_POSTGRES").is_none(), "{message}");
            eprintln!("SKIPPED the PostgreSQL half: {message}");
            return None;
        };
        let dir = crate::scratch_dir(&format!("postgres-{purpose}"));
        std::fs::create_dir_all(&dir).expect("a folder for the cluster");
        if tls {
            certificates(&dir);
        }
        if is_root() {
            let status = Command::new("chown").args(["-R", "postgres:postgres"]).arg(&dir).status();
            assert!(status.is_ok_and(|status| status.success()), "cannot give the cluster's folder to postgres");
        }
        let data = dir.join("data");
        let data = data.to_str().expect("a UTF-8 path");
        run(&bin, "initdb", &["-D", data, "-U", "standpunt", "-A", "trust", "-E", "UTF8", "--no-sync"]);
        let port =
            std::net::TcpListener::bind("127.0.0.1:0").and_then(|free| free.local_addr()).expect("a free port").port();
        let mut options = format!("-p {port} -k {} -c listen_addresses=127.0.0.1", dir.display());
        if tls {
            let hba = format!("{data}/pg_hba.conf");
            let rules = std::fs::read_to_string(&hba).expect("initdb wrote pg_hba.conf");
            let ssl_only: String =
                rules
                    .lines()
                    .map(|line| {
                        if line.starts_with("host ") { line.replacen("host ", "hostssl ", 1) } else { line.to_owned() }
                    })
                    .map(|line| line + "\n")
                    .collect();
            std::fs::write(&hba, ssl_only).expect("TLS connections only");
            let (certificate, key) = (dir.join("server.crt"), dir.join("server.key"));
            options.push_str(&format!(
                " -c ssl=on -c ssl_cert_file={} -c ssl_key_file={}",
                certificate.display(),
                key.display()
            ));
        }
        let log = dir.join("server.log");
        run(&bin, "pg_ctl", &["-D", data, "-o", &options, "-l", log.to_str().expect("a UTF-8 path"), "-w", "start"]);
        Some(Cluster { dir, bin, url: format!("postgres://standpunt@127.0.0.1:{port}/postgres") })
    }
}

/// Runs `openssl` in `dir`; panics if it fails.
fn openssl(dir: &Path, args: &[&str]) {
    let output = Command::new("openssl").args(args).current_dir(dir).output().expect("run openssl");
    assert!(output.status.success(), "openssl {args:?} failed: {}", String::from_utf8_lossy(&output.stderr));
}

/// A root certificate of its own, `NAME.crt` and `NAME.key`, for two days.
fn self_signed_root(dir: &Path, subject: &str, name: &str) {
    let (subject, key, certificate) = (format!("/CN={subject}"), format!("{name}.key"), format!("{name}.crt"));
    let args = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", &subject];
    openssl(dir, &[&args[..], &["-keyout", &key, "-out", &certificate]].concat());
}

/// A root (root.crt) and a server certificate for 127.0.0.1 it signed (server.crt, server.key,
/// readable by its owner only, as PostgreSQL demands).
fn certificates(dir: &Path) {
    self_signed_root(dir, "Standpunt test root", "root");
    openssl(
        dir,
        &[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-subj",
            "/CN=127.0.0.1",
            "-keyout",
            "server.key",
            "-out",
            "server.csr",
        ],
    );
    std::fs::write(dir.join("server.ext"), "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n")
        .expect("write the extensions");
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "root.crt",
            "-CAkey",
            "root.key",
            "-CAcreateserial",
            "-days",
            "2",
            "-extfile",
            "server.ext",
            "-out",
            "server.crt",
        ],
    );
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir.join("server.key"), std::fs::Permissions::from_mode(0o600))
        .expect("key for its owner");
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data = self.dir.join("data");
        let data = data.to_string_lossy().into_owned();
        let path = self.bin.join("pg_ctl");
        let _ = if is_root() {
            Command::new("runuser")
                .args(["-u", "postgres", "--"])
                .arg(&path)
                .args(["-D", &data, "-m", "immediate", "stop"])
                .output()
        } else {
            Command::new(&path).args(["-D", &data, "-m", "immediate", "stop"]).output()
        };
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
