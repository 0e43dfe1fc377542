//! Real Chromium, driven over WebDriver: one ChromeDriver process, one browser session per
//! person, each with its own fresh profile.

use std::path::PathBuf;
use std::process::Stdio;

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::wd::Capabilities;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

use crate::scratch_dir;

/// A running ChromeDriver; killed on drop.
pub struct Driver {
    url: String,
    _process: Child,
}

impl Driver {
    /// Starts ChromeDriver on a free port and waits until it says it is ready.
    pub async fn start() -> Driver {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free port")
            .port();
        let mut process = Command::new(program("CHROMEDRIVER", "chromedriver"))
            .arg(format!("--port={port}"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("ChromeDriver starts (cargo xtask test installs it)");
        let stdout = process.stdout.take().expect("piped stdout");
        let mut lines = BufReader::new(stdout).lines();
        while let Some(line) = lines.next_line().await.expect("read ChromeDriver's output") {
            if line.contains("started successfully") {
                break;
            }
        }
        // Keep draining its output so ChromeDriver never blocks on a full pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Driver { url: format!("http://127.0.0.1:{port}"), _process: process }
    }

    /// A new browser window with its own profile, `width` × `height` CSS pixels.
    pub async fn browser(&self, width: u32, height: u32) -> Client {
        self.browser_with(width, height, None).await
    }

    /// A browser whose downloads land in `downloads`, without asking, as a trainer's do.
    pub async fn browser_downloading_to(&self, width: u32, height: u32, downloads: &std::path::Path) -> Client {
        self.browser_with(width, height, Some(downloads)).await
    }

    async fn browser_with(&self, width: u32, height: u32, downloads: Option<&std::path::Path>) -> Client {
        let profile = scratch_dir("chromium-profile");
        let args = vec![
            "--headless=new".to_owned(),
            "--no-sandbox".to_owned(),
            "--disable-gpu".to_owned(),
            "--disable-dev-shm-usage".to_owned(),
            "--disable-background-networking".to_owned(),
            "--disable-component-update".to_owned(),
            "--disable-sync".to_owned(),
            "--no-first-run".to_owned(),
            format!("--user-data-dir={}", profile.display()),
            format!("--window-size={width},{height}"),
        ];
        // Headless windows have a minimum width, so a phone is emulated rather than sized.
        let metrics = serde_json::json!({ "width": width, "height": height, "pixelRatio": 1.0 });
        let mut options = serde_json::json!({ "binary": program("CHROMIUM", "chromium"), "args": args });
        if width < 600 {
            options["mobileEmulation"] = serde_json::json!({ "deviceMetrics": metrics });
        }
        if let Some(downloads) = downloads {
            options["prefs"] = serde_json::json!({
                "download.default_directory": downloads.display().to_string(),
                "download.prompt_for_download": false,
            });
        }
        let mut capabilities = Capabilities::new();
        capabilities.insert("goog:chromeOptions".to_owned(), options);
        ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&self.url)
            .await
            .expect("a Chromium session")
    }
}

/// The program named by `variable`, or the full path of `default` on the PATH (ChromeDriver
/// wants a path, not a name, for the browser).
fn program(variable: &str, default: &str) -> String {
    if let Ok(chosen) = std::env::var(variable) {
        return chosen;
    }
    let paths = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&paths)
        .map(|dir| dir.join(default))
        .find(|candidate| candidate.is_file())
        .map_or_else(|| default.to_owned(), |found| found.display().to_string())
}

/// The built client to serve; `cargo xtask test` builds it and says where.
pub fn client_dir() -> PathBuf {
    let dir = std::env::var_os("STANDPUNT_CLIENT_DIR").map(PathBuf::from).expect(
        "STANDPUNT_CLIENT_DIR is not set: run the browser tests with `cargo xtask test`, which builds the client",
    );
    assert!(dir.join("index.html").is_file(), "no built client in {}: run `cargo xtask test`", dir.display());
    dir
}

/// Where screenshots are kept as artefacts: target/screenshots.
pub fn screenshot_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/screenshots");
    std::fs::create_dir_all(&dir).expect("create the screenshot folder");
    dir
}

/// Waits for the element, then clicks it.
pub async fn click(browser: &Client, css: &str) {
    let element =
        browser.wait().for_element(Locator::Css(css)).await.unwrap_or_else(|error| panic!("no {css}: {error}"));
    element.click().await.unwrap_or_else(|error| panic!("cannot click {css}: {error}"));
}

/// Waits for the element, then types into it.
pub async fn type_into(browser: &Client, css: &str, text: &str) {
    let element =
        browser.wait().for_element(Locator::Css(css)).await.unwrap_or_else(|error| panic!("no {css}: {error}"));
    element.send_keys(text).await.unwrap_or_else(|error| panic!("cannot type into {css}: {error}"));
}

/// WebDriver's codes for the keys a keyboard user needs besides letters.
pub const TAB: char = '\u{e004}';
pub const ENTER: char = '\u{e007}';
pub const SPACE: char = '\u{e00d}';

/// Presses and releases each key in turn on whatever has the focus, as a keyboard does.
pub async fn press(browser: &Client, keys: impl IntoIterator<Item = char>) {
    let actions = keys.into_iter().fold(KeyActions::new("keyboard".to_owned()), |actions, key| {
        actions.then(KeyAction::Down { value: key }).then(KeyAction::Up { value: key })
    });
    browser.perform_actions(actions).await.expect("the keys are pressed");
}

/// Presses Tab until the element matching `css` has the focus, as someone without a mouse
/// does; fails when forty presses never reach it.
pub async fn tab_to(browser: &Client, css: &str) {
    browser.wait().for_element(Locator::Css(css)).await.unwrap_or_else(|error| panic!("no {css}: {error}"));
    for _ in 0..40 {
        press(browser, [TAB]).await;
        let focused = browser
            .execute("return document.activeElement.matches(arguments[0]);", vec![css.into()])
            .await
            .expect("ask what has the focus");
        if focused == serde_json::Value::Bool(true) {
            return;
        }
    }
    let evidence = screenshot(browser, "failure").await;
    panic!("Tab never reaches {css}; see {}", evidence.display());
}

/// Waits until something matches the XPath (for example an element showing a text), and
/// returns its text.
/// When nothing comes, the page is saved as `failure.png` and `failure.html` beside the
/// screenshots, so the failure can be seen.
pub async fn wait_for(browser: &Client, xpath: &str) -> String {
    match browser.wait().for_element(Locator::XPath(xpath)).await {
        Ok(element) => element.text().await.expect("element text"),
        Err(error) => {
            let evidence = screenshot(browser, "failure").await;
            let source = browser.source().await.unwrap_or_default();
            std::fs::write(evidence.with_extension("html"), source).expect("save the page source");
            panic!("nothing matches {xpath}: {error}; see {}", evidence.display())
        }
    }
}

/// Saves a PNG of what the browser shows now.
pub async fn screenshot(browser: &Client, name: &str) -> PathBuf {
    let png = browser.screenshot().await.expect("a screenshot");
    let path = screenshot_dir().join(format!("{name}.png"));
    std::fs::write(&path, png).expect("save the screenshot");
    path
}

/// Runs axe-core on the page as it is and fails on any serious or critical violation. The
/// script comes from npm (`cargo xtask test` installs it and says where, in AXE_CORE_JS).
pub async fn assert_accessible(browser: &Client, screen: &str) {
    let path =
        std::env::var("AXE_CORE_JS").expect("AXE_CORE_JS is not set: run the browser tests with `cargo xtask test`");
    let source =
        std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("cannot read axe-core at {path}: {error}"));
    browser.execute(&format!("{source}\n;return true;"), vec![]).await.expect("load axe-core");
    let script = r#"
        const done = arguments[arguments.length - 1];
        axe.run(document, { resultTypes: ["violations"] }).then(
            (results) => done(results.violations
                .filter((v) => v.impact === "serious" || v.impact === "critical")
                .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`)),
            (error) => done([`axe failed: ${error}`]));
    "#;
    let violations = browser.execute_async(script, vec![]).await.expect("run axe-core");
    let violations: Vec<String> = serde_json::from_value(violations).unwrap_or_default();
    if !violations.is_empty() {
        screenshot(browser, &format!("axe-{screen}")).await;
    }
    assert!(
        violations.is_empty(),
        "{screen}: {} accessibility violations:\n{}",
        violations.len(),
        violations.join("\n")
    );
}

/// A screenshot, an accessibility check and a Content-Security-Policy check of the screen as
/// it is now.
pub async fn check_screen(browser: &Client, name: &str) {
    screenshot(browser, name).await;
    assert_accessible(browser, name).await;
    assert_within_policy(browser, name).await;
}

/// What the page's Content-Security-Policy blocked since it loaded: a `ReportingObserver` with
/// `buffered` is handed the reports made before it existed too, so a violation while the page
/// started counts as much as one after.
pub async fn policy_violations(browser: &Client) -> Vec<String> {
    let script = r#"
        const observer = new ReportingObserver(() => {}, { types: ["csp-violation"], buffered: true });
        observer.observe();
        const reports = observer.takeRecords();
        observer.disconnect();
        return reports.map((report) => `${report.body.effectiveDirective} blocked ${report.body.blockedURL || "?"} `
            + `(${report.body.sourceFile || report.url}:${report.body.lineNumber || 0}) ${report.body.sample || ""}`);
    "#;
    let violations = browser.execute(script, vec![]).await.expect("read the page's policy reports");
    serde_json::from_value(violations).unwrap_or_default()
}

/// Fails when the page's Content-Security-Policy blocked anything: the app must run whole
/// under the policy the server sends.
pub async fn assert_within_policy(browser: &Client, screen: &str) {
    let violations = policy_violations(browser).await;
    assert!(violations.is_empty(), "{screen}: the page broke its security policy:\n{}", violations.join("\n"));
}
