//! Trainers bring their own decks: uploaded for a room, or checked on the command line. A file
//! with problems changes nothing and names every problem.

use cards::protocol::ClientMsg;
use tests::process::binary;
use tests::{TestServer, scratch_dir};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Uploads a deck file for a room, as the trainer console does; returns the status and body.
pub(crate) async fn upload(
    server: &TestServer,
    code: &str,
    token: &str,
    file: &str,
    content: &str,
) -> (u16, serde_json::Value) {
    let mut stream = tokio::net::TcpStream::connect(server.addr).await.expect("connect");
    let request = format!(
        "POST /api/rooms/{code}/decks HTTP/1.1\r\nHost: x\r\nX-Trainer-Token: {token}\r\nX-File-Name: {file}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{content}",
        content.len()
    );
    stream.write_all(request.as_bytes()).await.expect("send");
    let mut response = String::new();
    stream.read_to_string(&mut response).await.expect("read");
    let status = response.split(' ').nth(1).and_then(|code| code.parse().ok()).expect("a status");
    let body = response.split_once("\r\n\r\n").map(|(_, body)| body).unwrap_or_default();
    (status, serde_json::from_str(body).unwrap_or(serde_json::Value::Null))
}

const GOOD_CSV: &str =
    "tekst;begrippen;thema\n\"Regie betekent: het gezin beslist.\";regie;regie\nEén gezin, één plan.;plan;plan\n";

const BAD_TOML: &str = r#"id = "mijn-deck"
kind = "statements"
title.nl = "Mijn deck"

[[card]]
id = "a"
text.nl = ""

[[card]]
id = "a"
text.nl = "Tweede"
terms = ["Regie!"]
"#;

#[tokio::test]
async fn an_uploaded_deck_is_played_and_a_bad_one_changes_nothing() {
    let server = TestServer::start().await;
    let (code, token) = server.create_room().await;
    let mut trainer = server.trainer(&code, &token).await;

    let (status, body) = upload(&server, &code, &token, "mijn-deck.toml", BAD_TOML).await;
    assert_eq!(status, 400);
    assert_eq!(body["code"], "invalid_deck");
    let problems: Vec<(u64, &str, &str)> = body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|error| {
            (
                error["line"].as_u64().unwrap_or(0),
                error["field"].as_str().unwrap_or(""),
                error["code"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        problems,
        [(10, "card.id", "duplicate_id"), (7, "card.text.nl", "empty_text"), (12, "card.terms", "bad_term")]
    );
    assert_eq!(trainer.view().decks.statements.id, "containerbegrippen", "nothing changed");

    assert_eq!(upload(&server, &code, &"0".repeat(32), "mijn.csv", GOOD_CSV).await.0, 403, "only a trainer");
    let (status, body) = upload(&server, &code, &token, "Mijn stellingen.csv", GOOD_CSV).await;
    assert_eq!((status, body["cards"].as_u64()), (200, Some(2)));
    let view = trainer.until(|view| view.decks.statements.id == "mijn-stellingen").await;
    assert_eq!(view.decks.statements.title.nl, "Mijn stellingen");

    let _anna = server.player(&code, "Anna").await;
    let _bram = server.player(&code, "Bram").await;
    trainer.request(ClientMsg::Start).await.expect("start");
    let (status, body) = upload(&server, &code, &token, "later.csv", GOOD_CSV).await;
    assert_eq!((status, body["code"].as_str()), (409, Some("wrong_phase")), "decks change only in the lobby");
}

#[test]
fn the_command_line_checks_deck_files() {
    let dir = scratch_dir("decks");
    let good = dir.join("goed.csv");
    let bad = dir.join("fout.toml");
    std::fs::write(&good, GOOD_CSV).expect("write");
    std::fs::write(&bad, BAD_TOML).expect("write");
    let run = |file: &std::path::Path| {
        std::process::Command::new(binary()).args(["decks", "check"]).arg(file).output().expect("run")
    };

    let output = run(&good);
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stdout).contains("ok, deck \"goed\" (statements, 2 cards)"));

    let output = run(&bad);
    assert!(!output.status.success(), "a bad deck fails the check");
    let errors = String::from_utf8_lossy(&output.stderr);
    assert!(errors.contains("fout.toml:10: card.id: deze id staat al op regel 6"), "{errors}");
    assert!(errors.contains("fout.toml:7: card.text.nl: dit veld is leeg"), "{errors}");
    assert!(errors.contains("fout.toml:12: card.terms: begrip 'Regie!'"), "{errors}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A draaiboek is checked against the built-in decks and the decks named beside it, by line and
/// field, like a deck.
#[test]
fn the_command_line_checks_a_draaiboek_against_the_decks_beside_it() {
    let dir = scratch_dir("draaiboek");
    let deck = dir.join("goed.csv");
    let draaiboek = dir.join("ochtend.toml");
    std::fs::write(&deck, GOOD_CSV).expect("write");
    let plan = "id = \"ochtend\"\nkind = \"draaiboek\"\ntitle.nl = \"Ochtend\"\n\n[[step]]\nform = \"statements\"\nminutes = 40\ndecks = [\"goed\", \"wijkteam\"]\n\n[[step]]\nform = \"scale\"\nminutes = 10\ndeck = \"schaalvragen\"\ncards = [\"toegang-soepel\"]\n";
    std::fs::write(&draaiboek, plan).expect("write");
    let run = |files: &[&std::path::Path]| {
        std::process::Command::new(binary()).args(["decks", "check"]).args(files).output().expect("run")
    };

    let output = run(&[&draaiboek, &deck]);
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{said}{}", String::from_utf8_lossy(&output.stderr));
    assert!(said.contains("ochtend.toml: ok, draaiboek \"ochtend\" (2 steps, 50 minutes)"), "{said}");

    let output = run(&[&draaiboek]);
    assert!(!output.status.success(), "without its deck the draaiboek names a deck the server lacks");
    let errors = String::from_utf8_lossy(&output.stderr);
    assert!(errors.contains("ochtend.toml:8: step.decks: er is geen deck 'goed' van soort \"statements\""), "{errors}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_example_decks_in_the_docs_are_valid() {
    for file in ["voorbeeld-deck.toml", "voorbeeld-stellingen.csv"] {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs").join(file);
        let source = std::fs::read_to_string(&path).expect("the example exists");
        cards::deck::parse_deck_file(file, &source).unwrap_or_else(|errors| panic!("{errors}"));
    }
}

#[test]
fn the_draaiboek_in_the_readme_is_valid() {
    let readme = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md"))
        .expect("the README");
    let example = readme
        .split("```toml\n")
        .filter_map(|block| block.split("```").next())
        .find(|block| block.contains("kind = \"draaiboek\""))
        .expect("a draaiboek example");
    let draaiboek = cards::session::agenda::parse_agenda("README.md", example, &cards::Library::built_in())
        .unwrap_or_else(|errors| panic!("{errors}"));
    assert_eq!((draaiboek.steps.len(), draaiboek.minutes()), (4, 100));
}
