//! What the emulator keeps of the requests it gets, for the inbox: each
//! refused request with its code and every field's reason, the raw request
//! behind each accepted message, the callbacks posted with where they went
//! and what they carried, and never the API key.

mod common;

use common::{Raw, Receiver, TO, V2, client, start, wait_for_message};
use kaleyra_runtime::Text;

#[tokio::test]
async fn a_refused_v1_request_is_kept_with_its_code_every_reason_and_its_body() {
    let emulator = start().await;
    let raw = Raw::new(&emulator);
    let fields = raw.v1_fields(
        "text",
        &[("body", "Hello"), ("colour", "blue"), ("param_url", "x")],
    );
    let answer = raw.v1(&fields).await;
    assert_eq!((answer.status, answer.code()), (400, "E413"));

    let refused = emulator.refused();
    assert_eq!(refused.len(), 1, "{refused:?}");
    let refusal = &refused[0];
    assert_eq!(refusal.code, "E413");
    assert_eq!(refusal.http_status, 400);
    assert_eq!(refusal.api.as_str(), "v1");
    assert_eq!(refusal.message, "Invalid/incorrect inputs");
    let fields: Vec<&str> = refusal
        .problems
        .iter()
        .map(|problem| problem.field.as_str())
        .collect();
    assert_eq!(fields, ["colour", "param_url"]);
    assert!(
        refusal.problems[1]
            .reason
            .contains("is not used by type text")
    );
    assert_eq!(refusal.request.method, "POST");
    assert_eq!(refusal.request.path, format!("/v1/{}/messages", raw.sid));
    assert!(refusal.request.body.contains("colour=blue"));
    assert!(emulator.messages().is_empty());
}

#[tokio::test]
async fn a_refused_request_never_shows_the_api_key_even_when_its_body_holds_it() {
    let emulator = start().await;
    let raw = Raw::new(&emulator);
    // A wrong key in the header, and the right one pasted into the body.
    let body = serde_json::json!({ "oops": emulator.api_key() }).to_string();
    let answer = raw
        .v2_raw(
            &raw.sid,
            Some("not-the-key"),
            &raw.v2_number,
            "application/json",
            body.clone(),
        )
        .await;
    assert_eq!((answer.status, answer.code()), (401, "RBC001"));

    let refusal = &emulator.refused()[0];
    assert_eq!(refusal.code, "RBC001");
    assert_eq!(refusal.api.as_str(), "v2");
    assert!(refusal.request.redacted);
    assert!(
        !refusal.request.body.contains(emulator.api_key()),
        "{}",
        refusal.request.body
    );
    assert!(refusal.request.body.contains("[api-key redacted]"));
    let listed = serde_json::to_string(&emulator.refused()).unwrap();
    assert!(!listed.contains(emulator.api_key()));
    assert!(!listed.contains("not-the-key"));
}

#[tokio::test]
async fn refused_requests_are_listed_over_http_newest_first_and_can_be_forgotten() {
    let emulator = start().await;
    let raw = Raw::new(&emulator);
    raw.v1(&raw.v1_fields("text", &[])).await;
    raw.v2(&serde_json::json!({ "messaging_object": { "to": "nope" } }))
        .await;

    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let url = format!("{}/emulator/refused", emulator.base_url());
    let bytes = http.get(&url).send().await.unwrap().bytes().await.unwrap();
    let listed: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    let codes: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|refusal| refusal["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["WA400", "E413"]);
    let problems = listed[0]["problems"].as_array().unwrap();
    assert!(
        problems.iter().any(|problem| problem["field"] == "payload"
            && problem["reason"] == "Incorrect payload format"),
        "{problems:?}"
    );

    let status = http.delete(&url).send().await.unwrap().status();
    assert_eq!(status.as_u16(), 204);
    assert!(emulator.refused().is_empty());
}

#[tokio::test]
async fn an_accepted_message_keeps_its_raw_request_and_its_callbacks() {
    let emulator = start().await;
    let receiver = Receiver::start().await;
    let receipt = client(&emulator, V2)
        .send(&Text::new("hello there").callback_url(&receiver.url), TO)
        .await
        .unwrap();
    let id = receipt.message_id().unwrap().to_owned();

    let message = wait_for_message(&emulator, &id, |message| message.callbacks.len() == 3).await;
    let request = message.request.expect("the request is kept");
    assert_eq!(request.method, "POST");
    assert!(request.path.starts_with("/v2/"), "{}", request.path);
    assert_eq!(request.content_type.as_deref(), Some("application/json"));
    assert!(request.body.contains("hello there"), "{}", request.body);
    assert!(!request.body.contains(emulator.api_key()));
    assert_eq!(request.truncated_bytes, 0);

    let first = &message.callbacks[0];
    assert_eq!(first.event, "sent");
    assert_eq!(first.url, receiver.url);
    assert!(first.payload.contains(&id), "{}", first.payload);
    assert!(first.at >= message.received_at);
    assert!(emulator.refused().is_empty());
}

#[tokio::test]
async fn a_v1_request_to_several_recipients_is_the_request_of_each_message() {
    let emulator = start().await;
    let raw = Raw::new(&emulator);
    let mut fields = raw.v1_text();
    fields[0].1 = format!("{TO},+919876543211");
    let answer = raw.v1(&fields).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let messages = emulator.messages();
    assert_eq!(messages.len(), 2);
    for message in messages {
        let request = message.request.expect("the request is kept");
        assert!(
            request.body.contains("%2C%2B919876543211"),
            "{}",
            request.body
        );
    }
}

#[tokio::test]
async fn a_body_over_the_size_limit_is_refused_and_listed_by_its_size() {
    let emulator = start().await;
    let raw = Raw::new(&emulator);
    let size = 3 * 1024 * 1024;
    let huge = format!("body={}", "a".repeat(size));
    let http = reqwest::Client::builder().no_proxy().build().unwrap();

    let v1 = http
        .post(format!("{}/v1/{}/messages", emulator.base_url(), raw.sid))
        .header("api-key", &raw.api_key)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(huge.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(v1.status().as_u16(), 400);
    let v2 = http
        .post(format!(
            "{}/v2/{}/whatsapp/{}/messages",
            emulator.base_url(),
            raw.sid,
            raw.v2_number
        ))
        .header("api-key", &raw.api_key)
        .header("content-type", "application/json")
        .body(huge.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(v2.status().as_u16(), 413);

    let refused = emulator.refused();
    let summary: Vec<(&str, &str, u16)> = refused
        .iter()
        .map(|refusal| {
            (
                refusal.api.as_str(),
                refusal.code.as_str(),
                refusal.http_status,
            )
        })
        .collect();
    assert_eq!(summary, [("v2", "HTTP 413", 413), ("v1", "E413", 400)]);
    for refusal in &refused {
        assert_eq!(refusal.request.body_bytes, huge.len(), "{refusal:?}");
        assert_eq!(refusal.request.truncated_bytes, huge.len());
        assert!(refusal.request.body.is_empty());
    }
    assert!(refused[1].problems[0].reason.contains("cannot be read"));
}

#[tokio::test]
async fn a_chunked_body_over_the_size_limit_is_refused_and_listed() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let emulator = start().await;
    let raw = Raw::new(&emulator);
    // No Content-Length: the size shows only while reading.
    let mut stream = tokio::net::TcpStream::connect(emulator.local_addr())
        .await
        .unwrap();
    let head = format!(
        "POST /v2/{}/whatsapp/{}/messages HTTP/1.1\r\nhost: 127.0.0.1\r\napi-key: {}\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n",
        raw.sid, raw.v2_number, raw.api_key
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    // Two bytes over the 2 MiB limit, so little is left unread when the
    // emulator answers.
    let mebibyte = "a".repeat(1024 * 1024);
    for chunk in [mebibyte.as_str(), &mebibyte, "aa"] {
        let sent = stream
            .write_all(format!("{:x}\r\n{chunk}\r\n", chunk.len()).as_bytes())
            .await;
        if sent.is_err() {
            break; // the emulator answered and closed before the end
        }
    }
    let _ = stream.write_all(b"0\r\n\r\n").await;
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer).await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");

    let refused = emulator.refused();
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert_eq!(refused[0].code, "HTTP 413");
    assert_eq!(refused[0].api.as_str(), "v2");
    assert!(refused[0].request.body.is_empty());
}
