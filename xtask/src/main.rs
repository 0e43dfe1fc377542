//! `cargo xtask run | test | client`: everything a fresh machine needs, installed on demand.
//!
//! - `run [-- SERVER ARGS]`: builds the browser client in release and starts the server with
//!   its embedded defaults (SQLite store in ./standpunt-data, built-in decks).
//! - `test`: checks the formatting first, then the same set-up plus Chromium and ChromeDriver,
//!   hunspell with the Dutch and British English dictionaries, PostgreSQL and HAProxy, clippy with
//!   warnings as errors, and every test.
//! - `bench`: release builds, then the load generator against the server and the bare relay;
//!   a table on stdout and target/bench/summary.json (see BENCHMARKS.md); `--soak` runs 20,000
//!   short sessions, `--abuse` only the scenario of hostile requests beside 50 playing rooms.
//! - `client`: only builds the browser client into target/client.

use std::env;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

mod bench;

type Result<T = ()> = std::result::Result<T, String>;

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run(&args[1..]),
        Some("test") => test(&args[1..]),
        Some("client") => build_client().map(|_| ()),
        Some("bench") => bench::run(&args[1..]),
        _ => Err(
            "usage: cargo xtask run [-- server arguments] | test [-- test filter] | bench [--quick] [--soak | --abuse] | client"
                .to_owned(),
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> Result {
    let client = build_client()?;
    let passthrough = args.iter().skip_while(|arg| *arg == "--");
    let mut cargo = cargo();
    cargo
        .args(["run", "--release", "--package", "server", "--bin", "standpunt", "--", "--client"])
        .arg(&client)
        .args(passthrough);
    status(&mut cargo)
}

fn test(args: &[String]) -> Result {
    formatting()?;
    ensure_system_packages()?;
    let axe = ensure_axe()?;
    supply_chain()?;
    let client = build_client()?;
    step("checking that the core builds for wasm32");
    status(cargo().args(["build", "--package", "cards", "--target", "wasm32-unknown-unknown"]))?;
    lints()?;
    step("running every test");
    let mut cargo = cargo();
    cargo
        .args(["test", "--workspace", "--exclude", "client-wasm"])
        .env("STANDPUNT_CLIENT_DIR", &client)
        .env("AXE_CORE_JS", &axe)
        .env("STANDPUNT_REQUIRE_HUNSPELL", "1")
        .env("STANDPUNT_REQUIRE_POSTGRES", "1");
    if !args.is_empty() {
        cargo.arg("--").args(args.iter().skip_while(|arg| *arg == "--"));
    }
    status(&mut cargo)
}

/// Checked first: it takes a second, needs nothing built, and its fix is one command.
fn formatting() -> Result {
    ensure_component("rustfmt", "fmt")?;
    step("checking the formatting (cargo fmt --check)");
    status(cargo().args(["fmt", "--all", "--", "--check"])).map_err(|_| {
        "some files are not formatted (the diff is above): run `cargo fmt --all`, then try again".to_owned()
    })
}

/// Clippy with warnings as errors: the workspace on this machine, and the browser client on
/// wasm32, the only target its code is meant for. It runs after the builds, so it finds their
/// dependencies checked; `-D warnings` goes to clippy alone, so the build cache stays valid.
/// `cards/clippy.toml` adds the core's own rules (no clock, no global rng).
fn lints() -> Result {
    ensure_component("clippy", "clippy")?;
    let fix = |command: &str| {
        format!("clippy found problems (listed above): fix them, then try again; `{command}` shows them again")
    };
    step("linting the workspace (cargo clippy, warnings are errors)");
    status(cargo().args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]))
        .map_err(|_| fix("cargo clippy --workspace --all-targets"))?;
    step("linting the browser client for wasm32 (cargo clippy, warnings are errors)");
    let client = ["--package", "client-wasm", "--target", "wasm32-unknown-unknown"];
    status(cargo().arg("clippy").args(client).args(["--", "-D", "warnings"]))
        .map_err(|_| fix("cargo clippy -p client-wasm --target wasm32-unknown-unknown"))
}

/// rustfmt and clippy come with rustup's default profile, but not with its minimal one.
fn ensure_component(component: &str, subcommand: &str) -> Result {
    if output(cargo().args([subcommand, "--version"])).is_some() {
        return Ok(());
    }
    step(&format!("installing {component} (rustup)"));
    status(Command::new("rustup").args(["component", "add", component]))
}

/// The version of axe-core the browser tests check every screen with.
const AXE_CORE: &str = "4.14.1";

/// axe-core from the npm registry, into target/axe; returns the path of its script.
fn ensure_axe() -> Result<PathBuf> {
    let prefix = target_dir().join("axe");
    let script = prefix.join("node_modules/axe-core/axe.min.js");
    let package = prefix.join("node_modules/axe-core/package.json");
    let installed = std::fs::read_to_string(&package).unwrap_or_default();
    if !script.is_file() || !installed.contains(&format!("\"version\": \"{AXE_CORE}\"")) {
        step(&format!("installing axe-core {AXE_CORE} (npm)"));
        std::fs::create_dir_all(&prefix).map_err(|error| format!("cannot create {}: {error}", prefix.display()))?;
        status(
            Command::new("npm")
                .args(["install", "--no-audit", "--no-fund", "--no-save", "--prefix"])
                .arg(&prefix)
                .arg(format!("axe-core@{AXE_CORE}")),
        )?;
    }
    Ok(script)
}

/// The version of cargo-deny the supply chain check uses.
const CARGO_DENY: &str = "0.20.2";

/// Every dependency comes from crates.io under a licence on our list, and none is banned
/// (deny.toml). Advisories are not checked here: their database lives on GitHub.
fn supply_chain() -> Result {
    let installed = output(Command::new("cargo").args(["deny", "--version"])).unwrap_or_default();
    if installed.split_whitespace().nth(1) != Some(CARGO_DENY) {
        step(&format!("installing cargo-deny {CARGO_DENY} (once per machine, a few minutes)"));
        status(cargo().args(["install", "cargo-deny", "--locked", "--version", CARGO_DENY]))?;
    }
    step("checking the supply chain (cargo deny: sources, licences, bans)");
    status(cargo().args(["deny", "--log-level", "error", "check", "bans", "licenses", "sources"]))
}

/// The client's apps (binaries of `client-wasm`): the participant's, the trainer's console and
/// the review.
pub(crate) const CLIENT_APPS: [&str; 3] = ["participant", "console", "review"];

/// Builds the Leptos client for wasm32 and runs wasm-bindgen; returns the folder to serve.
/// Every file also gets a gzip twin, which the server sends to browsers that accept it.
pub(crate) fn build_client() -> Result<PathBuf> {
    ensure_wasm_target()?;
    let bindgen = ensure_wasm_bindgen()?;
    step("building the browser client (release)");
    status(cargo().args([
        "build",
        "--package",
        "client-wasm",
        "--bins",
        "--target",
        "wasm32-unknown-unknown",
        "--profile",
        "wasm-release",
    ]))?;
    let target = target_dir();
    let out = target.join("client");
    let _ = std::fs::remove_dir_all(&out);
    for app in CLIENT_APPS {
        let wasm = target.join(format!("wasm32-unknown-unknown/wasm-release/{app}.wasm"));
        // Symbol names were 40 % of the wasm; the browser does not need them.
        status(
            Command::new(&bindgen)
                .args(["--target", "web", "--no-typescript", "--remove-name-section", "--remove-producers-section"])
                .args(["--out-name", app, "--out-dir"])
                .arg(&out)
                .arg(&wasm),
        )?;
    }
    for file in ["index.html", "boot.js", "style.css"] {
        let from = root().join("client-wasm").join(file);
        std::fs::copy(&from, out.join(file)).map_err(|error| format!("cannot copy {}: {error}", from.display()))?;
    }
    compress(&out)?;
    Ok(out)
}

/// Writes `NAME.gz` next to every file in `dir` (`gzip -9`, no name or time in the header).
fn compress(dir: &Path) -> Result {
    let entries = std::fs::read_dir(dir).map_err(|error| format!("cannot list {}: {error}", dir.display()))?;
    for entry in entries.flatten() {
        status(Command::new("gzip").args(["-9", "--keep", "--no-name", "--force"]).arg(entry.path()))?;
    }
    Ok(())
}

fn ensure_wasm_target() -> Result {
    let installed = output(Command::new("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if installed.lines().any(|line| line.trim() == "wasm32-unknown-unknown") {
        return Ok(());
    }
    step("installing the wasm32 target");
    status(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

/// wasm-bindgen's CLI must match the library version Cargo.lock pins, to the patch.
fn ensure_wasm_bindgen() -> Result<PathBuf> {
    let wanted = locked_version("wasm-bindgen")?;
    let installed = output(Command::new("wasm-bindgen").arg("--version")).unwrap_or_default();
    if installed.split_whitespace().nth(1) != Some(wanted.as_str()) {
        step(&format!("installing wasm-bindgen-cli {wanted} (once per machine, a few minutes)"));
        status(cargo().args(["install", "wasm-bindgen-cli", "--version", &wanted]))?;
    }
    Ok(PathBuf::from("wasm-bindgen"))
}

fn locked_version(package: &str) -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|error| format!("cannot read Cargo.lock: {error}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == format!("name = \"{package}\"") {
            let version = lines.next().and_then(|line| line.strip_prefix("version = \""));
            if let Some(version) = version.and_then(|rest| rest.strip_suffix('"')) {
                return Ok(version.to_owned());
            }
        }
    }
    Err(format!("Cargo.lock pins no version of {package}"))
}

/// What `test` needs from Debian: Chromium and ChromeDriver for the browser tests, hunspell
/// and its Dutch and British English dictionaries for the spelling check of the card text,
/// PostgreSQL for the store's contract tests (a throwaway cluster each) and HAProxy for the
/// nodes behind a balancer.
const PACKAGES: &[&str] =
    &["chromium", "chromium-driver", "hunspell", "hunspell-nl", "hunspell-en-gb", "postgresql", "haproxy"];

fn system_packages_present() -> bool {
    let dictionary = |name: &str| Path::new("/usr/share/hunspell").join(format!("{name}.dic")).is_file();
    let postgres = std::fs::read_dir("/usr/lib/postgresql")
        .is_ok_and(|versions| versions.flatten().any(|version| version.path().join("bin/initdb").is_file()));
    which("chromium")
        && which("chromedriver")
        && which("hunspell")
        && dictionary("nl_NL")
        && dictionary("en_GB")
        && postgres
}

/// Installs [`PACKAGES`] when any is missing. apt can fail once while it upgrades parts of the
/// system, so a failed install is tried a second time.
fn ensure_system_packages() -> Result {
    if system_packages_present() {
        return Ok(());
    }
    step("installing Chromium, ChromeDriver, hunspell with its dictionaries, PostgreSQL and HAProxy (Debian packages)");
    let install = || {
        status(Command::new("apt-get").arg("update"))?;
        status(
            Command::new("apt-get")
                .args(["install", "-y", "--no-install-recommends"])
                .args(PACKAGES)
                .env("DEBIAN_FRONTEND", "noninteractive"),
        )
    };
    install().or_else(|first| {
        eprintln!("xtask: apt failed ({first}); trying once more");
        install()
    })?;
    if system_packages_present() {
        Ok(())
    } else {
        Err(format!("some of {} are still missing after apt-get install", PACKAGES.join(", ")))
    }
}

pub(crate) fn which(program: &str) -> bool {
    env::var_os("PATH").is_some_and(|paths| env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
}

pub(crate) fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the workspace").to_path_buf()
}

pub(crate) fn target_dir() -> PathBuf {
    env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root().join("target"))
}

pub(crate) fn cargo() -> Command {
    let mut command = Command::new(env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command.current_dir(root());
    command
}

pub(crate) fn step(what: &str) {
    eprintln!("==> {what}");
}

pub(crate) fn status(command: &mut Command) -> Result {
    let shown = format!("{command:?}");
    match command.status() {
        Ok(exit) if exit.success() => Ok(()),
        Ok(exit) => Err(format!("{shown} failed ({exit})")),
        Err(error) => Err(format!("cannot run {shown}: {error}")),
    }
}

fn output(command: &mut Command) -> Option<String> {
    let output = command.output().ok()?;
    output.status.success().then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}
