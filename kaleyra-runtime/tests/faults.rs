//! A broken network or server becomes the documented typed error, with no
//! panic and no hang; retries happen only where they cannot send a message
//! twice, unless the user opts in by name. Each test counts the requests the
//! server received.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use kaleyra_runtime::error::{ApiCode, TransportErrorKind};

use kaleyra_runtime::{Api, Client, Error, Pod, RetryPolicy, Text};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const TO: &str = "+919876543210";
const V2_ACCEPTED: &str =
    r#"{"code":"WA202","message":"Request Accepted","data":{"message_id":"wamid.OK"},"error":{}}"#;

/// What the raw server does with each request it reads.
#[derive(Clone, Copy)]
enum Behaviour {
    /// Reads the request and never answers.
    Silent,
    /// Starts an answer, then resets the connection.
    ResetMidResponse,
    /// Answers 200 with a 10 MiB body, `Content-Length` given or not.
    HugeBody { with_length: bool },
    /// Answers 202 with the v2 success body in three chunks, sent apart.
    SplitSuccess,
}

/// A loopback HTTP server that misbehaves, counting the requests it reads.
struct RawServer {
    url: String,
    requests: Arc<AtomicUsize>,
}

impl RawServer {
    async fn start(behaviour: Behaviour) -> RawServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(AtomicUsize::new(0));
        let counter = requests.clone();
        tokio::spawn(async move {
            loop {
                let (stream, _) = listener.accept().await.unwrap();
                let counter = counter.clone();
                tokio::spawn(async move { serve(stream, behaviour, counter).await });
            }
        });
        RawServer { url, requests }
    }

    fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

/// Reads one request (head and `Content-Length` body), then behaves.
async fn serve(mut stream: TcpStream, behaviour: Behaviour, requests: Arc<AtomicUsize>) {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let read = stream.read(&mut chunk).await.unwrap_or(0);
        if read == 0 {
            return;
        }
        buffer.extend_from_slice(&chunk[..read]);
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .map_or(0, |value| value.trim().parse().unwrap());
    while buffer.len() < head_end + length {
        let read = stream.read(&mut chunk).await.unwrap_or(0);
        if read == 0 {
            return;
        }
        buffer.extend_from_slice(&chunk[..read]);
    }
    requests.fetch_add(1, Ordering::SeqCst);
    match behaviour {
        Behaviour::Silent => tokio::time::sleep(Duration::from_secs(3600)).await,
        Behaviour::ResetMidResponse => {
            let partial = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 200\r\n\r\n{\"code\":\"WA2";
            stream.write_all(partial.as_bytes()).await.unwrap();
            stream.flush().await.unwrap();
            let std = stream.into_std().unwrap();
            // A zero linger makes closing send a reset rather than a clean end.
            socket2::SockRef::from(&std)
                .set_linger(Some(Duration::ZERO))
                .unwrap();
            drop(std);
        }
        Behaviour::HugeBody { with_length } => {
            const SIZE: usize = 10 * 1024 * 1024;
            let head = if with_length {
                format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {SIZE}\r\n\r\n"
                )
            } else {
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n".to_owned()
            };
            if stream.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            let block = vec![b' '; 64 * 1024];
            for _ in 0..SIZE / block.len() {
                let written = if with_length {
                    stream.write_all(&block).await
                } else {
                    let mut framed = format!("{:x}\r\n", block.len()).into_bytes();
                    framed.extend_from_slice(&block);
                    framed.extend_from_slice(b"\r\n");
                    stream.write_all(&framed).await
                };
                if written.is_err() {
                    return; // the client stopped reading, as it should
                }
            }
        }
        Behaviour::SplitSuccess => {
            let head = "HTTP/1.1 202 Accepted\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
            stream.write_all(head.as_bytes()).await.unwrap();
            let (first, rest) = V2_ACCEPTED.split_at(10);
            let (second, third) = rest.split_at(30);
            for part in [first, second, third] {
                let framed = format!("{:x}\r\n{part}\r\n", part.len());
                stream.write_all(framed.as_bytes()).await.unwrap();
                stream.flush().await.unwrap();
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            stream.write_all(b"0\r\n\r\n").await.unwrap();
        }
    }
}

fn client(base_url: &str, retry: RetryPolicy) -> Client {
    kaleyra_test_support::client_builder(Api::V2(Pod::In), base_url)
        .request_timeout(Duration::from_millis(300))
        .retry_policy(retry.base_delay(Duration::from_millis(10)))
        .build()
        .unwrap()
}

fn transport_kind(error: &Error) -> TransportErrorKind {
    match error {
        Error::Transport(transport) => transport.kind(),
        other => panic!("expected a transport error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_server_that_never_answers_times_out_and_is_not_retried_by_default() {
    let server = RawServer::start(Behaviour::Silent).await;
    let started = Instant::now();
    let error = client(&server.url, RetryPolicy::safe(3))
        .send(&Text::new("hi"), TO)
        .await
        .unwrap_err();
    assert_eq!(transport_kind(&error), TransportErrorKind::Timeout);
    assert!(error.may_have_been_sent() && !error.is_retryable());
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "bounded by the request timeout"
    );
    assert_eq!(
        server.requests(),
        1,
        "a timeout after the request was written is not retried"
    );
}

#[tokio::test]
async fn timeouts_are_retried_only_when_the_user_accepts_duplicates() {
    let server = RawServer::start(Behaviour::Silent).await;
    let policy = RetryPolicy::safe(2).retry_even_if_possibly_sent();
    let error = client(&server.url, policy)
        .send(&Text::new("hi"), TO)
        .await
        .unwrap_err();
    assert_eq!(transport_kind(&error), TransportErrorKind::Timeout);
    assert_eq!(server.requests(), 3, "the first try and two retries");
}

#[tokio::test]
async fn a_reset_mid_response_is_an_interrupted_transfer_and_is_not_retried() {
    let server = RawServer::start(Behaviour::ResetMidResponse).await;
    let error = client(&server.url, RetryPolicy::safe(3))
        .send(&Text::new("hi"), TO)
        .await
        .unwrap_err();
    assert_eq!(transport_kind(&error), TransportErrorKind::Interrupted);
    assert!(error.may_have_been_sent());
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn a_refused_connection_is_a_connect_error_and_safe_to_retry() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let error = client(&format!("http://127.0.0.1:{port}"), RetryPolicy::none())
        .send(&Text::new("hi"), TO)
        .await
        .unwrap_err();
    assert_eq!(transport_kind(&error), TransportErrorKind::Connect);
    assert!(error.is_retryable() && !error.may_have_been_sent());
}

#[tokio::test]
async fn a_refused_connection_is_retried_until_the_server_is_up_and_sends_once() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let received = Arc::new(AtomicUsize::new(0));
    let counter = received.clone();
    tokio::spawn(async move {
        // Refused for a while, then up.
        tokio::time::sleep(Duration::from_millis(150)).await;
        let listener = TcpListener::bind(address).await.unwrap();
        let app = axum::Router::new().route(
            "/{*path}",
            axum::routing::post(move || {
                counter.fetch_add(1, Ordering::SeqCst);
                async { (axum::http::StatusCode::ACCEPTED, V2_ACCEPTED) }
            }),
        );
        axum::serve(listener, app).await.unwrap();
    });
    let policy = RetryPolicy::safe(20).max_delay(Duration::from_millis(50));
    let receipt = client(&format!("http://{address}"), policy)
        .send(&Text::new("hi"), TO)
        .await
        .unwrap();
    assert_eq!(receipt.message_id(), Some("wamid.OK"));
    assert_eq!(
        received.load(Ordering::SeqCst),
        1,
        "the message reached the server once"
    );
}

#[tokio::test]
async fn a_10_mib_body_is_refused_at_the_cap_without_reading_it_all() {
    for with_length in [true, false] {
        let server = RawServer::start(Behaviour::HugeBody { with_length }).await;
        let started = Instant::now();
        let error = client(&server.url, RetryPolicy::safe(3))
            .send(&Text::new("hi"), TO)
            .await
            .unwrap_err();
        match &error {
            Error::Decode {
                status,
                reason,
                body,
            } => {
                assert_eq!(*status, 200);
                assert!(
                    reason.contains("larger than the 1048576 byte cap"),
                    "{reason}"
                );
                assert!(
                    body.len() <= Error::BODY_EXCERPT_BYTES + 40,
                    "the excerpt is bounded"
                );
            }
            other => panic!("expected Decode, got {other:?}"),
        }
        assert_eq!(
            server.requests(),
            1,
            "a 2xx with an unreadable body may have sent; not retried"
        );
        assert!(started.elapsed() < Duration::from_secs(5));
    }
}

#[tokio::test]
async fn an_answer_in_several_chunks_is_read_whole() {
    let server = RawServer::start(Behaviour::SplitSuccess).await;
    let receipt = client(&server.url, RetryPolicy::none())
        .send(&Text::new("hi"), TO)
        .await
        .unwrap();
    assert_eq!(receipt.message_id(), Some("wamid.OK"));
    assert_eq!(server.requests(), 1);
}

mod with_mock_server {
    use super::*;
    use wiremock::matchers::method;
    use wiremock::{Mock, MockServer, ResponseTemplate};

    fn wa429() -> ResponseTemplate {
        ResponseTemplate::new(429).set_body_string(
            r#"{"code":"WA429","message":"Too many requests","data":{},"error":{"error":"Too many requests"}}"#,
        )
    }

    fn wa500() -> ResponseTemplate {
        ResponseTemplate::new(500).set_body_string(
            r#"{"code":"WA500","message":"Please try again later","data":{},"error":{"error":"Internal server error"}}"#,
        )
    }

    async fn server_answering(first: ResponseTemplate, times: u64) -> MockServer {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(first)
            .up_to_n_times(times)
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(202).set_body_string(V2_ACCEPTED))
            .mount(&server)
            .await;
        server
    }

    async fn received(server: &MockServer) -> usize {
        server.received_requests().await.unwrap().len()
    }

    #[tokio::test]
    async fn a_redirect_is_reported_and_not_followed_with_the_api_key() {
        let elsewhere = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(202).set_body_string(V2_ACCEPTED))
            .mount(&elsewhere)
            .await;
        let target = format!("{}/v1/HXTEST/messages", elsewhere.uri());
        let redirecting = server_answering(
            ResponseTemplate::new(307).insert_header("location", &target),
            1,
        )
        .await;
        let error = client(
            &redirecting.uri(),
            RetryPolicy::safe(2).retry_even_if_possibly_sent(),
        )
        .send(&Text::new("hi"), TO)
        .await
        .unwrap_err();
        match &error {
            Error::Decode { status, reason, .. } => {
                assert_eq!(*status, 307);
                assert!(
                    reason.contains(&format!("redirect to `{target}`")),
                    "{reason}"
                );
                assert!(reason.contains("not followed"), "{reason}");
            }
            other => panic!("expected a decode error, got {other:?}"),
        }
        assert!(!error.may_have_been_sent());
        assert_eq!(received(&redirecting).await, 1, "sent once, not retried");
        assert_eq!(
            received(&elsewhere).await,
            0,
            "the API key went nowhere else"
        );
    }

    #[tokio::test]
    async fn a_429_with_retry_after_is_retried_after_that_delay() {
        let server = server_answering(wa429().insert_header("retry-after", "1"), 1).await;
        let started = Instant::now();
        let receipt = client(&server.uri(), RetryPolicy::safe(2))
            .send(&Text::new("hi"), TO)
            .await
            .unwrap();
        assert_eq!(receipt.code(), Some("WA202"));
        assert!(
            started.elapsed() >= Duration::from_secs(1),
            "waited as Retry-After asked"
        );
        assert_eq!(received(&server).await, 2);
    }

    #[tokio::test]
    async fn retry_after_is_capped_by_the_policy() {
        let server = server_answering(wa429().insert_header("retry-after", "3600"), 1).await;
        let started = Instant::now();
        let policy = RetryPolicy::safe(1).max_delay(Duration::from_millis(100));
        client(&server.uri(), policy)
            .send(&Text::new("hi"), TO)
            .await
            .unwrap();
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[tokio::test]
    async fn a_429_without_retry_after_backs_off_and_gives_up_after_the_limit() {
        let server = server_answering(wa429(), 10).await;
        let error = client(&server.uri(), RetryPolicy::safe(2))
            .send(&Text::new("hi"), TO)
            .await
            .unwrap_err();
        assert!(
            matches!(
                &error,
                Error::Api {
                    status: 429,
                    code: ApiCode::TooManyRequests,
                    ..
                }
            ),
            "{error:?}"
        );
        assert_eq!(
            received(&server).await,
            3,
            "the first try and two retries, then the error"
        );
    }

    #[tokio::test]
    async fn no_policy_means_no_retry() {
        let server = server_answering(wa429(), 1).await;
        let error = client(&server.uri(), RetryPolicy::none())
            .send(&Text::new("hi"), TO)
            .await
            .unwrap_err();
        assert!(error.is_retryable());
        assert_eq!(received(&server).await, 1);
    }

    #[tokio::test]
    async fn a_wa500_is_not_retried_unless_the_user_accepts_duplicates() {
        let server = server_answering(wa500(), 1).await;
        let error = client(&server.uri(), RetryPolicy::safe(3))
            .send(&Text::new("hi"), TO)
            .await
            .unwrap_err();
        assert!(
            matches!(
                &error,
                Error::Api {
                    status: 500,
                    code: ApiCode::ServerError,
                    ..
                }
            ),
            "{error:?}"
        );
        assert_eq!(
            received(&server).await,
            1,
            "WA500 may have sent the message"
        );

        let server = server_answering(wa500(), 1).await;
        let policy = RetryPolicy::safe(3)
            .retry_even_if_possibly_sent()
            .max_delay(Duration::from_millis(20));
        let receipt = client(&server.uri(), policy)
            .send(&Text::new("hi"), TO)
            .await
            .unwrap();
        assert_eq!(receipt.message_id(), Some("wamid.OK"));
        assert_eq!(received(&server).await, 2);
    }

    #[tokio::test]
    async fn refusals_of_the_message_are_never_retried() {
        let e413 = ResponseTemplate::new(400).set_body_string(
            r#"{"code":"E413","message":"Invalid/incorrect inputs","data":[],"error":{"body":"bad"}}"#,
        );
        let server = server_answering(e413, 1).await;
        let policy = RetryPolicy::safe(3).retry_even_if_possibly_sent();
        let error = client(&server.uri(), policy)
            .send(&Text::new("hi"), TO)
            .await
            .unwrap_err();
        assert!(matches!(error, Error::Api { status: 400, .. }));
        assert_eq!(received(&server).await, 1);
    }
}
