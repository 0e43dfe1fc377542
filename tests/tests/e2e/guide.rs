//! The trainer's guide is served in both languages, as a page that runs nothing.

use tests::{TestServer, http_request};

async fn page(server: &TestServer, path: &str) -> String {
    let response = http_request(server.addr, "GET", path, &[], "").await;
    assert_eq!(response.status, 200, "{path}");
    assert_eq!(response.header("content-type"), Some("text/html; charset=utf-8"), "{path}");
    let policy = response.header("content-security-policy").unwrap_or_default().to_owned();
    assert!(policy.starts_with("default-src 'none'") && !policy.contains("script"), "{path}: {policy}");
    String::from_utf8(response.body).expect("the page is text")
}

#[tokio::test]
async fn the_guide_is_served_in_dutch_and_in_english_with_every_section() {
    let server = TestServer::start().await;
    let dutch = page(&server, "/handleiding").await;
    assert!(dutch.contains("<html lang=\"nl\">") && dutch.contains("<h1>Handleiding voor trainers</h1>"));
    for section in [
        "Een sessie voorbereiden",
        "Welk deck bij welke vraag",
        "Een eigen deck",
        "Rollen",
        "Het gesprek na het onthullen",
        "Als de groep verdeeld is",
        "Als iedereen het snel eens is",
        "De terugblik lezen",
        "Privacy",
    ] {
        assert!(dutch.contains(&format!(">{section}</h")), "Dutch: {section}");
    }

    for path in ["/handleiding?lang=en", "/guide"] {
        let english = page(&server, path).await;
        assert!(english.contains("<html lang=\"en\">") && english.contains("<h1>A guide for trainers</h1>"), "{path}");
        for section in [
            "Preparing a session",
            "Which deck for which question",
            "Your own deck",
            "Roles",
            "Leading the conversation after a reveal",
            "When the group is split",
            "When everyone agrees quickly",
            "Reading the review",
            "Privacy",
        ] {
            assert!(english.contains(&format!(">{section}</h")), "{path}: {section}");
        }
        assert!(english.contains("href=\"/handleiding\""), "the way back to Dutch");
    }
    assert!(page(&server, "/guide?lang=nl").await.contains("<html lang=\"nl\">"));
}
