//! A transport error says why, not only `error sending request`: the causes
//! under reqwest's error, and a hint for the common `https://` on a
//! plain-HTTP port.

use kaleyra_runtime::error::TransportErrorKind;
use kaleyra_runtime::{Api, Error, Pod, Text};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const TO: &str = "+919876543210";

async fn transport_error(base_url: &str) -> kaleyra_runtime::error::TransportError {
    let client = kaleyra_test_support::client_builder(Api::V2(Pod::In), base_url)
        .build()
        .unwrap();
    match client.send(&Text::new("Hello"), TO).await {
        Err(Error::Transport(error)) => error,
        other => panic!("expected a transport error, got {other:?}"),
    }
}

#[tokio::test]
async fn https_on_a_plain_http_port_says_so() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let mut buffer = [0u8; 1024];
            let _ = stream.read(&mut buffer).await;
            let _ = stream
                .write_all(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n")
                .await;
        }
    });
    let error = transport_error(&format!("https://127.0.0.1:{port}")).await;
    assert_eq!(error.kind(), TransportErrorKind::Connect);
    let message = error.to_string();
    assert!(
        message.contains("does not speak TLS there") && message.contains("plain `http://`"),
        "{message}"
    );
}

#[tokio::test]
async fn a_closed_port_names_the_refused_connection() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let message = transport_error(&format!("http://127.0.0.1:{port}"))
        .await
        .to_string();
    assert!(message.contains("nothing was sent"), "{message}");
    assert!(message.to_lowercase().contains("refused"), "{message}");
}
