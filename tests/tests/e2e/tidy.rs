//! Rules read off the source: every file says what it is for, the core does no I/O, the core
//! and the server panic only on a broken invariant, and the docs name only files that exist.
//!
//! Each test lists every offender at once, so one run shows all there is to fix.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Every Rust file opens with a `//!` line saying what it is for (STYLE.md 14).
#[test]
fn every_rust_file_opens_with_a_doc_line() {
    let repo = Repo::load();
    let offenders = repo
        .files_ending(".rs")
        .filter(|file| {
            let text = repo.read(file);
            !text.lines().find(|line| !line.trim().is_empty()).is_some_and(|line| line.starts_with("//!"))
        })
        .map(str::to_owned)
        .collect();
    fail_unless_empty("these files do not open with a `//!` line saying what they are for", offenders);
}

/// What `cards` may never name, and why. `cards/clippy.toml` bans the clock and rng calls too,
/// whatever name they are imported under; this adds the I/O, which clippy cannot ban whole.
const CORE_BANS: &[(&str, &str)] = &[
    ("tokio", "the core runs no tasks; the shell does"),
    ("std::fs", "the core reads no files; the shell hands it their text"),
    ("std::net", "the core opens no sockets"),
    ("std::thread", "the core runs no threads"),
    ("Instant::now", "time comes in as `Context::now`"),
    ("SystemTime::now", "time comes in as `Context::now`"),
    ("thread_rng", "the rng comes in as `Context::rng`"),
    ("rand::rng(", "the rng comes in as `Context::rng`"),
];

/// Architecture Invariant: `cards` does no I/O, reads no clock and uses no global randomness.
/// Checked in every line of `cards/src` that is not a comment, tests included.
#[test]
fn the_core_does_no_io_reads_no_clock_and_uses_no_global_rng() {
    let repo = Repo::load();
    let mut offenders = Vec::new();
    for file in repo.files_ending(".rs").filter(|file| file.starts_with("cards/src/")) {
        for (number, line) in repo.read(file).lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            for (banned, why) in CORE_BANS {
                if line.contains(banned) {
                    offenders.push(format!("{file}:{}: `{banned}`: {why}", number + 1));
                }
            }
        }
    }
    fail_unless_empty("the core must not reach the outside world", offenders);
}

/// The `.unwrap()`s and `.expect(`s allowed outside tests in `cards/src` and `server/src`:
/// (file, text on the line, the invariant that makes it safe). Keep this list short; an entry
/// that no longer matches anything is an error too.
const INVARIANTS: &[(&str, &str, &str)] = &[
    (
        "cards/src/protocol.rs",
        r#"always serialise")"#,
        "serde_json fails only on a map key that is not a string or number, or on a `Serialize` \
         that errs; our types have neither",
    ),
    ("cards/src/export.rs", r#"expect("events always serialise")"#, "the same, for a log's events"),
    (
        "cards/src/room.rs",
        "SeatId(u16::try_from(index).expect(",
        "a join is refused past `Setup::max_seats`, which is a u16",
    ),
];

/// STYLE.md 7: panic only on a broken invariant, never on input. The core and the server read
/// everything that comes from outside (frames, uploads, HTTP requests, the stored log), so in
/// their code outside tests every `.unwrap()` and `.expect(` must be an entry in [`INVARIANTS`].
/// Test code is a file named `tests.rs` or inside a `tests/` folder, and a `#[cfg(test)] mod
/// tests { … }` block up to its closing `}` at the start of a line (rustfmt puts it there).
#[test]
fn the_core_and_the_server_panic_only_on_invariants() {
    let repo = Repo::load();
    let mut offenders = Vec::new();
    let mut used = vec![false; INVARIANTS.len()];
    let core_and_server =
        repo.files_ending(".rs").filter(|file| file.starts_with("cards/src/") || file.starts_with("server/src/"));
    for file in core_and_server.filter(|file| !file.ends_with("/tests.rs") && !file.contains("/tests/")) {
        let text = repo.read(file);
        let mut lines = text.lines().enumerate().peekable();
        while let Some((number, line)) = lines.next() {
            if line == "#[cfg(test)]" && lines.peek().is_some_and(|(_, next)| next.starts_with("mod tests {")) {
                lines.by_ref().find(|(_, line)| *line == "}");
                continue;
            }
            if line.trim_start().starts_with("//") || !(line.contains(".unwrap()") || line.contains(".expect(")) {
                continue;
            }
            let allowed = INVARIANTS.iter().position(|(path, needle, _)| *path == file && line.contains(needle));
            match allowed {
                Some(entry) => used[entry] = true,
                None => offenders.push(format!("{file}:{}: {}", number + 1, line.trim())),
            }
        }
    }
    for ((path, needle, _), used) in INVARIANTS.iter().zip(used) {
        if !used {
            offenders.push(format!("{path}: `{needle}` is in INVARIANTS but not in the file: remove the entry"));
        }
    }
    fail_unless_empty(
        "input must never panic: return an error instead, or (for a true invariant) add the line to \
         INVARIANTS in tests/tests/e2e/tidy.rs with the reason it cannot fail",
        offenders,
    );
}

/// The documents whose file names are checked.
const DOCS: &[&str] = &["README.md", "ARCHITECTURE.md", "PROTOCOL.md"];

/// Paths the docs name on purpose that are not files of this repository.
const NOT_IN_REPO: &[(&str, &str)] = &[
    ("../shared/", "the shared design documents live beside the repository"),
    ("target/", "what the build and the tests write"),
];

/// The endings that make a name in backticks a file name.
const FILE_ENDINGS: &[&str] =
    &[".rs", ".toml", ".md", ".csv", ".png", ".html", ".css", ".json", ".js", ".txt", ".lock", ".sh"];

/// The docs name only files that exist. A name counts as a path when it is a link's target, or
/// sits in backticks, holds a `/` and ends in a file ending or a `/` (a folder). URLs and
/// addresses on the server (starting with `/`) are not paths. A path may be written from the
/// repository's root or from a folder the text is about (`room/tests.rs` in the section on
/// `cards/`), so it must be the whole or the tail of a tracked path; `{a,b}` is expanded.
#[test]
fn docs_name_only_files_that_exist() {
    let repo = Repo::load();
    let mut offenders = Vec::new();
    for doc in DOCS {
        let mut fenced = false;
        for (number, line) in repo.read(doc).lines().enumerate() {
            if line.trim_start().starts_with("```") {
                fenced = !fenced;
                continue;
            }
            if fenced {
                continue;
            }
            for path in named_paths(line) {
                if !repo.names(&path) {
                    offenders.push(format!("{doc}:{}: `{path}`", number + 1));
                }
            }
        }
    }
    fail_unless_empty(
        "the docs name files that are not in the repository (fix the name, or add the path to \
         NOT_IN_REPO in tests/tests/e2e/tidy.rs if it is meant to be elsewhere)",
        offenders,
    );
}

/// The repository paths one line of Markdown names, `{a,b}` expanded.
fn named_paths(line: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = line;
    while let Some(start) = rest.find("](") {
        rest = &rest[start + 2..];
        let end = rest.find(')').unwrap_or(rest.len());
        names.push(rest[..end].split('#').next().unwrap_or_default());
        rest = &rest[end..];
    }
    let in_backticks = line.split('`').skip(1).step_by(2);
    names.extend(in_backticks.filter(|span| {
        !span.contains(' ')
            && span.contains('/')
            && (span.ends_with('/') || FILE_ENDINGS.iter().any(|ending| span.ends_with(ending)))
    }));
    names
        .into_iter()
        .map(|name| name.strip_prefix("./").unwrap_or(name))
        .filter(|name| !name.is_empty() && !name.starts_with('/') && !name.contains("://"))
        .filter(|name| !NOT_IN_REPO.iter().any(|(prefix, _)| name.starts_with(prefix)))
        .flat_map(expand_braces)
        .collect()
}

/// `a/{b,c}.rs` is `a/b.rs` and `a/c.rs`.
fn expand_braces(name: &str) -> Vec<String> {
    let (Some(open), Some(close)) = (name.find('{'), name.find('}')) else { return vec![name.to_owned()] };
    if close < open {
        return vec![name.to_owned()];
    }
    let (head, tail) = (&name[..open], &name[close + 1..]);
    name[open + 1..close].split(',').flat_map(|choice| expand_braces(&format!("{head}{choice}{tail}"))).collect()
}

/// The repository's files: tracked, or new and not ignored, as `git ls-files` lists them.
struct Repo {
    root: PathBuf,
    files: Vec<String>,
}

impl Repo {
    fn load() -> Repo {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests lives in the workspace").to_path_buf();
        let listed = Command::new("git")
            .args(["ls-files", "-z", "--cached", "--others", "--exclude-standard"])
            .current_dir(&root)
            .output()
            .expect("tidy lists the repository's files with git");
        assert!(listed.status.success(), "git ls-files failed: {}", String::from_utf8_lossy(&listed.stderr));
        let files = String::from_utf8(listed.stdout)
            .expect("file names are UTF-8")
            .split('\0')
            .filter(|file| !file.is_empty() && root.join(file).is_file())
            .map(str::to_owned)
            .collect();
        Repo { root, files }
    }

    fn files_ending<'a>(&'a self, ending: &'a str) -> impl Iterator<Item = &'a str> {
        self.files.iter().map(String::as_str).filter(move |file| file.ends_with(ending))
    }

    fn read(&self, file: &str) -> String {
        std::fs::read_to_string(self.root.join(file)).unwrap_or_else(|error| panic!("cannot read {file}: {error}"))
    }

    /// Whether `path` is a file or folder of the repository, whole or as the tail of one.
    fn names(&self, path: &str) -> bool {
        let wanted = path.trim_end_matches('/');
        let folder = path.ends_with('/');
        self.files.iter().any(|file| {
            file.match_indices(wanted).any(|(found, _)| {
                let at_start = found == 0 || file[..found].ends_with('/');
                let after = &file[found + wanted.len()..];
                at_start && if folder { after.starts_with('/') } else { after.is_empty() }
            })
        })
    }
}

fn fail_unless_empty(rule: &str, offenders: Vec<String>) {
    assert!(offenders.is_empty(), "{rule}:\n  {}\n", offenders.join("\n  "));
}
