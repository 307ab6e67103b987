//! Broken targets: every fault becomes a typed result within the timeout plus a second,
//! never a panic or a hang. A raw TCP listener on 127.0.0.1 plays the faults wiremock cannot.

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use crate::wire::{HttpClient, Request, WireError, WireSettings};

const TIMEOUT: Duration = Duration::from_secs(2);

/// Serve one behaviour on a loopback port, for every connection, until the test ends.
async fn fault_server<F, Fut>(behave: F) -> String
where
    F: Fn(tokio::net::TcpStream) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let behave = std::sync::Arc::new(behave);
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let behave = behave.clone();
            tokio::spawn(async move {
                // Read the request head so the client is not blocked writing.
                let mut buf = vec![0u8; 64 * 1024];
                let _ = tokio::time::timeout(Duration::from_millis(300), sock.read(&mut buf)).await;
                behave(sock).await;
            });
        }
    });
    format!("http://{addr}/")
}

async fn send(url: &str) -> (Result<crate::wire::Response, WireError>, Duration) {
    let settings = WireSettings {
        connect_timeout: Duration::from_secs(1),
        request_timeout: TIMEOUT,
        max_body: 64 * 1024,
    };
    let client = HttpClient::new(settings).unwrap();
    let req = Request::json("DeleteUser", &serde_json::json!({"AccessToken": "x"}));
    let start = Instant::now();
    let r = client.send(url, &req).await;
    (r, start.elapsed())
}

fn within_budget(elapsed: Duration) {
    assert!(
        elapsed < TIMEOUT + Duration::from_secs(1),
        "took {elapsed:?}"
    );
}

#[tokio::test]
async fn connection_refused() {
    let port = {
        std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port()
    };
    let (r, t) = send(&format!("http://127.0.0.1:{port}/")).await;
    assert!(matches!(r, Err(WireError::Connect { .. })), "{r:?}");
    within_budget(t);
}

#[tokio::test]
async fn reset_before_responding() {
    let url = fault_server(|sock| async move {
        // SO_LINGER 0 makes the close a TCP reset; with a zero timeout it does not block.
        #[allow(deprecated)]
        let _ = sock.set_linger(Some(Duration::ZERO));
        drop(sock);
    })
    .await;
    let (r, t) = send(&url).await;
    assert!(matches!(r, Err(WireError::Broken(_))), "{r:?}");
    within_budget(t);
}

#[tokio::test]
async fn truncated_body() {
    let url = fault_server(|mut sock| async move {
        let _ = sock.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: 100\r\n\r\n{\"__type\":").await;
        drop(sock);
    })
    .await;
    let (r, t) = send(&url).await;
    assert!(matches!(r, Err(WireError::Broken(_))), "{r:?}");
    within_budget(t);
}

#[tokio::test]
async fn hang_after_accepting() {
    let url = fault_server(|sock| async move {
        tokio::time::sleep(Duration::from_secs(30)).await;
        drop(sock);
    })
    .await;
    let (r, t) = send(&url).await;
    assert!(matches!(r, Err(WireError::Timeout(_))), "{r:?}");
    within_budget(t);
}

#[tokio::test]
async fn slow_drip_body() {
    let url = fault_server(|mut sock| async move {
        let _ = sock
            .write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 1000\r\n\r\n")
            .await;
        for _ in 0..1000 {
            if sock.write_all(b"x").await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    })
    .await;
    let (r, t) = send(&url).await;
    assert!(matches!(r, Err(WireError::Timeout(_))), "{r:?}");
    within_budget(t);
}

#[tokio::test]
async fn huge_chunked_body_is_capped() {
    let url = fault_server(|mut sock| async move {
        let _ = sock
            .write_all(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
            .await;
        let chunk = format!("{:x}\r\n{}\r\n", 8192, "a".repeat(8192));
        for _ in 0..10_000 {
            if sock.write_all(chunk.as_bytes()).await.is_err() {
                return;
            }
        }
    })
    .await;
    let (r, t) = send(&url).await;
    assert!(
        matches!(r, Err(WireError::BodyTooLarge { limit: 65536 })),
        "{r:?}"
    );
    within_budget(t);
}

#[tokio::test]
async fn huge_declared_length_is_refused_up_front() {
    let url = fault_server(|mut sock| async move {
        let _ = sock
            .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 99999999999\r\n\r\n")
            .await;
        tokio::time::sleep(Duration::from_secs(5)).await;
    })
    .await;
    let (r, t) = send(&url).await;
    assert!(matches!(r, Err(WireError::BodyTooLarge { .. })), "{r:?}");
    within_budget(t);
}

#[tokio::test]
async fn invalid_utf8_and_html_bodies_are_responses_not_errors() {
    let url = fault_server(|mut sock| async move {
        let body: &[u8] = b"\xff\xfe<html>\xc3\x28</html>";
        let head = format!("HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\r\n", body.len());
        let _ = sock.write_all(head.as_bytes()).await;
        let _ = sock.write_all(body).await;
    })
    .await;
    let (r, t) = send(&url).await;
    let resp = r.expect("a response");
    assert_eq!(resp.status, 500);
    assert_eq!(resp.error_type(), None);
    assert_eq!(resp.error_message(), None);
    within_budget(t);
}

#[tokio::test]
async fn not_http_at_all() {
    let url = fault_server(|mut sock| async move {
        let _ = sock.write_all(b"SSH-2.0-OpenSSH_9.6\r\n\r\n").await;
    })
    .await;
    let (r, t) = send(&url).await;
    assert!(matches!(r, Err(WireError::Broken(_))), "{r:?}");
    within_budget(t);
}
