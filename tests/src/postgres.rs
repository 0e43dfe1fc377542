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
        let Some(bin) = binaries() else {
            let message = "PostgreSQL is not installed (`cargo xtask test` installs it)";
            assert!(std::env::var_os("STANDPUNT_REQUIRE_POSTGRES").is_none(), "{message}");
            eprintln!("SKIPPED the PostgreSQL half: {message}");
            return None;
        };
        let dir = crate::scratch_dir(&format!("postgres-{purpose}"));
        std::fs::create_dir_all(&dir).expect("a folder for the cluster");
        if is_root() {
            let status = Command::new("chown").args(["-R", "postgres:postgres"]).arg(&dir).status();
            assert!(status.is_ok_and(|status| status.success()), "cannot give the cluster's folder to postgres");
        }
        let data = dir.join("data");
        let data = data.to_str().expect("a UTF-8 path");
        run(&bin, "initdb", &["-D", data, "-U", "standpunt", "-A", "trust", "-E", "UTF8", "--no-sync"]);
        let port =
            std::net::TcpListener::bind("127.0.0.1:0").and_then(|free| free.local_addr()).expect("a free port").port();
        let options = format!("-p {port} -k {} -c listen_addresses=127.0.0.1", dir.display());
        let log = dir.join("server.log");
        run(&bin, "pg_ctl", &["-D", data, "-o", &options, "-l", log.to_str().expect("a UTF-8 path"), "-w", "start"]);
        Some(Cluster { dir, bin, url: format!("postgres://standpunt@127.0.0.1:{port}/postgres") })
    }
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
