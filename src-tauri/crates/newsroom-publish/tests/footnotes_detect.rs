//! Native footnotes are chosen from what the portal says about `core/footnotes`: a tiny
//! local HTTP server stands for WordPress 6.3+ (the block type is listed) and for 6.1 (the
//! REST API's 404 `rest_block_type_invalid`), so the detection is tested on both sides even
//! though the test WordPress is 6.1.

#![allow(clippy::unwrap_used)]

use std::time::Duration;

use newsroom_publish::blocks::portal_has_native_footnotes;
use newsroom_publish::client::{ClientOptions, WpClient};
use newsroom_publish::profile::{Credentials, Portal, Secret};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Serves every request with `status` and the JSON `body`; returns the site's URL.
async fn portal(status: &'static str, body: &'static str) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buf = vec![0u8; 8192];
                let mut got = Vec::new();
                while !got.windows(4).any(|w| w == b"\r\n\r\n") {
                    match sock.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => got.extend_from_slice(&buf[..n]),
                    }
                }
                let answer = format!(
                    "HTTP/1.1 {status}\r\nContent-Type: application/json; charset=UTF-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = sock.write_all(answer.as_bytes()).await;
                let _ = sock.shutdown().await;
            });
        }
    });
    url
}

fn client(url: &str) -> WpClient {
    WpClient::new(
        &Credentials {
            portal: Portal {
                name: "fake".into(),
                url: url.to_owned(),
                user: "ana".into(),
            },
            password: Secret::new(String::from("xxxx xxxx xxxx xxxx")),
        },
        ClientOptions {
            timeout: Duration::from_secs(5),
            get_retries: 0,
            ..Default::default()
        },
    )
    .unwrap()
}

#[tokio::test]
async fn a_portal_listing_core_footnotes_gets_native_footnotes() {
    let url = portal("200 OK", r#"{"name":"core/footnotes"}"#).await;
    assert!(portal_has_native_footnotes(&client(&url)).await);
}

#[tokio::test]
async fn wordpress_6_1_and_odd_answers_get_the_html_block() {
    let url = portal(
        "404 Not Found",
        r#"{"code":"rest_block_type_invalid","message":"Invalid block type.","data":{"status":404}}"#,
    )
    .await;
    assert!(!portal_has_native_footnotes(&client(&url)).await);
    // Another block's answer, or one without a name, is no.
    let url = portal("200 OK", r#"{"name":"core/paragraph"}"#).await;
    assert!(!portal_has_native_footnotes(&client(&url)).await);
    let url = portal("200 OK", r#"[]"#).await;
    assert!(!portal_has_native_footnotes(&client(&url)).await);
    // Nobody answering at all.
    assert!(!portal_has_native_footnotes(&client("http://127.0.0.1:9")).await);
}
