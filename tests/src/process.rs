//! The real `standpunt` binary as a child process: for tests that kill it, restart it, or
//! run its command-line tools.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::OnceLock;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// Builds the binary once per test run (cargo only builds test harnesses for `cargo test`)
/// and returns its path; `STANDPUNT_BINARY` names another build instead (the benchmarks run
/// the release build).
pub fn binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        if let Some(binary) = std::env::var_os("STANDPUNT_BINARY") {
            return binary.into();
        }
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let status = std::process::Command::new(cargo)
            .args(["build", "--quiet", "--package", "server", "--bin", "standpunt"])
            .status()
            .expect("run cargo build");
        assert!(status.success(), "the standpunt binary builds");
        let deps = std::env::current_exe().expect("the test binary's path");
        let profile = deps.parent().and_then(Path::parent).expect("target/<profile>");
        profile.join("standpunt")
    })
}

/// `standpunt` serving on a free port; killed (SIGKILL) on drop.
pub struct ServerProcess {
    pub addr: SocketAddr,
    child: Child,
}

impl ServerProcess {
    pub async fn start(data_dir: &Path) -> ServerProcess {
        ServerProcess::spawn(data_dir, "warn", Stdio::null()).await
    }

    /// Starts it logging everything (`RUST_LOG=debug`) to `log`.
    pub async fn start_logging_to(data_dir: &Path, log: &Path) -> ServerProcess {
        let file = std::fs::File::create(log).expect("create the log file");
        ServerProcess::spawn(data_dir, "debug", Stdio::from(file)).await
    }

    /// Starts it on a given address and with the built browser client, so browsers can come
    /// back to the same address after a restart.
    pub async fn start_serving(data_dir: &Path, addr: SocketAddr, client_dir: &Path) -> ServerProcess {
        let args = ["--addr".into(), addr.to_string(), "--client".into(), client_dir.display().to_string()];
        ServerProcess::spawn_with(data_dir, "warn", Stdio::null(), &args).await
    }

    /// Starts it as one node of several: on `addr`, its store the PostgreSQL database `store`,
    /// holding its rooms for `lease_seconds` unless renewed; its log goes to `log`.
    pub async fn start_node(
        data_dir: &Path,
        addr: SocketAddr,
        store: &str,
        lease_seconds: u64,
        log: &Path,
        extra: &[String],
    ) -> ServerProcess {
        let file = std::fs::OpenOptions::new().create(true).append(true).open(log).expect("open the node's log");
        let mut args = vec![
            "--addr".into(),
            addr.to_string(),
            "--store".into(),
            store.to_owned(),
            "--owner-lease-seconds".into(),
            lease_seconds.to_string(),
        ];
        args.extend_from_slice(extra);
        ServerProcess::spawn_with(data_dir, "info", Stdio::from(file), &args).await
    }

    /// The process id, for signals (SIGSTOP, SIGCONT).
    pub fn pid(&self) -> u32 {
        self.child.id().expect("it runs")
    }

    async fn spawn(data_dir: &Path, log_level: &str, stderr: Stdio) -> ServerProcess {
        ServerProcess::spawn_with(data_dir, log_level, stderr, &["--addr".into(), "127.0.0.1:0".into()]).await
    }

    async fn spawn_with(data_dir: &Path, log_level: &str, stderr: Stdio, args: &[String]) -> ServerProcess {
        let mut child = Command::new(binary())
            .args(args)
            .arg("--data")
            .arg(data_dir)
            .env("RUST_LOG", log_level)
            .stdout(Stdio::piped())
            .stderr(stderr)
            .kill_on_drop(true)
            .spawn()
            .expect("start standpunt");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut lines = BufReader::new(stdout).lines();
        let line = lines.next_line().await.expect("read its output").expect("it prints where it listens");
        let addr = line
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .and_then(|addr| addr.parse().ok())
            .unwrap_or_else(|| panic!("no address in {line:?}"));
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        ServerProcess { addr, child }
    }

    /// SIGKILL: no shutdown, no flush.
    pub async fn kill(mut self) {
        self.child.kill().await.expect("kill standpunt");
    }

    /// SIGTERM, as a service manager stops it: returns how the process ended.
    pub async fn terminate(mut self) -> std::process::ExitStatus {
        let pid = self.child.id().expect("it runs").to_string();
        let sent = std::process::Command::new("kill").args(["-TERM", &pid]).status().expect("run kill");
        assert!(sent.success(), "SIGTERM sent");
        self.child.wait().await.expect("it ends")
    }
}

/// Starts `standpunt` with `args`, reads what it says at start (up to the blank line that
/// ends it), and stops it.
pub async fn start_and_read(data_dir: &Path, args: &[&str]) -> String {
    let mut child = Command::new(binary())
        .args(args)
        .arg("--data")
        .arg(data_dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("start standpunt");
    let mut lines = BufReader::new(child.stdout.take().expect("piped stdout")).lines();
    let mut said = String::new();
    while let Some(line) = lines.next_line().await.expect("read its output") {
        if line.is_empty() {
            break;
        }
        said.push_str(&line);
        said.push('\n');
    }
    child.kill().await.expect("stop standpunt");
    said
}

/// A port nobody listens on right now.
pub fn free_addr() -> SocketAddr {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|listener| listener.local_addr()).expect("a free port")
}

/// Runs one of the binary's tools and returns its standard output; panics if it fails.
pub fn tool(data_dir: &Path, args: &[&str]) -> String {
    let output =
        std::process::Command::new(binary()).args(args).arg("--data").arg(data_dir).output().expect("run standpunt");
    assert!(output.status.success(), "standpunt {args:?} failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("utf-8 output")
}

/// Runs one of the binary's tools on a PostgreSQL store (`--store URL`); returns its standard
/// output.
pub fn tool_with_store(store: &str, args: &[&str]) -> String {
    let output =
        std::process::Command::new(binary()).args(args).args(["--store", store]).output().expect("run standpunt");
    assert!(output.status.success(), "standpunt {args:?} failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("utf-8 output")
}

/// Runs one of the binary's tools that should fail; returns its standard error.
pub fn tool_fails(data_dir: &Path, args: &[&str]) -> String {
    let output =
        std::process::Command::new(binary()).args(args).arg("--data").arg(data_dir).output().expect("run standpunt");
    assert!(!output.status.success(), "standpunt {args:?} should fail");
    String::from_utf8(output.stderr).expect("utf-8 output")
}
