//! How the browser client's files reach a phone: compressed when the browser accepts gzip,
//! plain otherwise, a screen's address gets the page, and a browser that has a file already is
//! told so instead of downloading it again.

use tests::{TestServer, http_request, scratch_dir};

/// A client folder as `cargo xtask` leaves it: each file with its gzip twin. (The twin's
/// bytes need not be real gzip here: the server never looks inside.) Beside the folder lies a
/// file nobody may fetch.
fn client_folder() -> std::path::PathBuf {
    let outside = scratch_dir("client");
    std::fs::write(outside.join("secret.txt"), "not for browsers").expect("write the file outside");
    let dir = outside.join("client");
    std::fs::create_dir_all(&dir).expect("create the client folder");
    for (name, content) in [("index.html", "<!doctype html><title>Standpunt</title>"), ("standpunt.js", "init()")] {
        std::fs::write(dir.join(name), content).expect("write a client file");
        std::fs::write(dir.join(format!("{name}.gz")), format!("gzipped {content}")).expect("write its twin");
    }
    std::fs::write(dir.join("style.css"), "body {}").expect("write a file without a twin");
    dir
}

async fn server() -> TestServer {
    let dir = client_folder();
    TestServer::start_with(|config| config.client_dir = Some(dir)).await
}

#[tokio::test]
async fn a_browser_that_accepts_gzip_gets_the_compressed_file() {
    let server = server().await;
    let gzip = [("Accept-Encoding", "br, GZIP, deflate")];
    let response = http_request(server.addr, "GET", "/standpunt.js", &gzip, "").await;
    assert_eq!(response.status, 200);
    assert_eq!(response.header("content-encoding"), Some("gzip"));
    assert_eq!(response.header("content-type"), Some("text/javascript; charset=utf-8"));
    assert_eq!(response.body, b"gzipped init()");

    let plain = http_request(server.addr, "GET", "/standpunt.js", &[], "").await;
    assert_eq!(plain.header("content-encoding"), None);
    assert_eq!(plain.body, b"init()");

    let refused = http_request(server.addr, "GET", "/standpunt.js", &[("Accept-Encoding", "gzip;q=0, br")], "").await;
    assert_eq!(refused.header("content-encoding"), None, "q=0 means no gzip");

    let no_twin = http_request(server.addr, "GET", "/style.css", &gzip, "").await;
    assert_eq!((no_twin.status, no_twin.header("content-encoding")), (200, None));
    assert_eq!(no_twin.body, b"body {}");
}

#[tokio::test]
async fn every_screen_address_gets_the_page_and_nothing_outside_the_folder_is_served() {
    let server = server().await;
    for screen in ["/", "/play/KX7-4QD", "/trainer/KX7-4QD", "/review"] {
        let response = http_request(server.addr, "GET", screen, &[], "").await;
        assert_eq!(response.status, 200, "{screen}");
        assert_eq!(response.header("content-type"), Some("text/html; charset=utf-8"), "{screen}");
    }
    for escape in ["/../secret.txt", "/%2e%2e/secret.txt", "/missing.js"] {
        let response = http_request(server.addr, "GET", escape, &[], "").await;
        assert_eq!(response.status, 404, "{escape}");
        assert!(!String::from_utf8_lossy(&response.body).contains("not for browsers"), "{escape}");
    }
}

#[tokio::test]
async fn a_browser_with_the_file_in_its_cache_is_told_it_is_still_good() {
    let server = server().await;
    let gzip = ("Accept-Encoding", "gzip");
    let first = http_request(server.addr, "GET", "/standpunt.js", &[gzip], "").await;
    assert_eq!(first.header("cache-control"), Some("no-cache"));
    let tag = first.header("etag").expect("a validator").to_owned();

    let again = http_request(server.addr, "GET", "/standpunt.js", &[gzip, ("If-None-Match", &tag)], "").await;
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());

    // The plain file is another representation, with a tag of its own.
    let plain = http_request(server.addr, "GET", "/standpunt.js", &[("If-None-Match", &tag)], "").await;
    assert_eq!(plain.status, 200);
    assert_ne!(plain.header("etag"), Some(tag.as_str()));
}
