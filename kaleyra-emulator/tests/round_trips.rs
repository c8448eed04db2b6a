//! Messages sent with the project's client on v1 and v2 are accepted with
//! Kaleyra's documented success bodies; the receipt's ids are the stored
//! messages' ids, and templates are stored filled in from their definitions.

mod common;

use common::{Raw, TO, TO_2, V1, V2, client, start, v2_text};
use kaleyra_definitions::{ButtonType, HeaderType};
use kaleyra_emulator::{ApiVersion, MessageKind, StoredMessage};
use kaleyra_runtime::{
    CtaUrl, InteractiveHeader, MediaUrl, ReplyButtons, TemplateHeader, TemplateMessage, Text,
};
use serde_json::json;

fn stored(emulator: &kaleyra_emulator::RunningEmulator, id: &str) -> StoredMessage {
    emulator
        .message(id)
        .unwrap_or_else(|| panic!("no stored message {id}; stored: {:?}", emulator.messages()))
}

fn imt_dynamic() -> TemplateMessage {
    TemplateMessage::media("imt_dynamic")
        .language("en")
        .params(["John", "Doe"])
        .header(TemplateHeader::Document(
            MediaUrl::parse("https://example.com/tickets/t-1.pdf")
                .unwrap()
                .into(),
        ))
        .quick_reply_payload(0, "confirm-t-1")
        .url_button(1, "t-1")
}

#[tokio::test]
async fn v1_success_body_has_the_documented_shape() {
    let emulator = start().await;
    let raw = Raw::new(&emulator);
    let answer = raw.v1(&raw.v1_text()).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let body = answer.body.as_object().unwrap();
    let keys: Vec<&str> = body.keys().map(String::as_str).collect();
    let mut expected = [
        "body",
        "createdDateTime",
        "data",
        "error",
        "id",
        "totalCount",
        "type",
    ];
    expected.sort_unstable();
    assert_eq!(keys, expected);
    let id = body["id"].as_str().unwrap();
    assert!(uuid::Uuid::parse_str(id).is_ok(), "{id}");
    assert_eq!(body["type"], "text");
    assert_eq!(body["body"], "Hello");
    assert_eq!(body["totalCount"], 1);
    assert_eq!(body["error"], json!({}));
    let created = body["createdDateTime"].as_str().unwrap();
    assert_eq!(
        created.len(),
        "2020-12-08 07:09:37+00:00".len(),
        "{created}"
    );
    assert!(
        created.ends_with("+00:00") && created.as_bytes()[10] == b' ',
        "{created}"
    );
    assert_eq!(
        body["data"],
        json!([{ "message_id": format!("{id}:0"), "recipient": "919876543210" }])
    );
}

#[tokio::test]
async fn v2_success_body_has_the_documented_shape() {
    let emulator = start().await;
    let raw = Raw::new(&emulator);
    let answer = raw.v2(&v2_text("Hello")).await;
    assert_eq!(answer.status, 202, "{}", answer.body);
    let id = answer.body["data"]["message_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(id.starts_with("wamid."), "{id}");
    assert_eq!(
        answer.body,
        json!({"code": "WA202", "message": "Request Accepted", "data": {"message_id": id}, "error": {}})
    );
}

#[tokio::test]
async fn v1_text_round_trip() {
    let emulator = start().await;
    let receipt = client(&emulator, V1)
        .send(
            &Text::new("Your order has shipped").reference("order-7"),
            TO,
        )
        .await
        .unwrap();
    let id = receipt.message_id().unwrap();
    assert!(
        receipt
            .request_id()
            .is_some_and(|request| id.starts_with(request))
    );
    let message = stored(&emulator, id);
    assert_eq!(message.api, ApiVersion::V1);
    assert_eq!(message.kind, MessageKind::Text);
    assert_eq!(message.from, emulator.v1_number());
    assert_eq!(message.to, TO);
    assert_eq!(message.body, "Your order has shipped");
    assert_eq!(message.refs.reference.as_deref(), Some("order-7"));
}

#[tokio::test]
async fn v1_text_sent_with_get_round_trip() {
    let emulator = start().await;
    let receipt = client(&emulator, V1)
        .send(&Text::new("Sent with GET").use_get(), TO)
        .await
        .unwrap();
    let message = stored(&emulator, receipt.message_id().unwrap());
    assert_eq!(message.body, "Sent with GET");
}

#[tokio::test]
async fn v1_several_recipients_are_one_stored_message_each() {
    let emulator = start().await;
    let receipt = client(&emulator, V1)
        .send(&Text::new("To you both"), [TO, TO_2])
        .await
        .unwrap();
    let ids: Vec<&str> = receipt.message_ids().collect();
    assert_eq!(ids.len(), 2);
    let request = receipt.request_id().unwrap();
    assert_eq!(ids, [format!("{request}:0"), format!("{request}:1")]);
    assert_eq!(stored(&emulator, ids[0]).to, TO);
    assert_eq!(stored(&emulator, ids[1]).to, TO_2);
    assert_eq!(emulator.messages().len(), 2);
}

#[tokio::test]
async fn v1_template_round_trip_stores_the_filled_in_body() {
    let emulator = start().await;
    let message = TemplateMessage::new("booking_confirm")
        .language("en")
        .params(["John", "B-1042"]);
    let receipt = client(&emulator, V1).send(&message, TO).await.unwrap();
    let message = stored(&emulator, receipt.message_id().unwrap());
    assert_eq!(message.kind, MessageKind::Template);
    assert_eq!(message.template_name.as_deref(), Some("booking_confirm"));
    assert_eq!(message.language.as_deref(), Some("en"));
    assert_eq!(
        message.body,
        "Hi John, your booking id is B-1042. We look forward to seeing you."
    );
    assert_eq!(message.params, ["John", "B-1042"]);
}

#[tokio::test]
async fn v1_mediatemplate_round_trip_stores_header_footer_and_buttons() {
    let emulator = start().await;
    let receipt = client(&emulator, V1)
        .send(&imt_dynamic(), TO)
        .await
        .unwrap();
    let message = stored(&emulator, receipt.message_id().unwrap());
    assert_media_template(&message);
    assert_eq!(message.api, ApiVersion::V1);
}

fn assert_media_template(message: &StoredMessage) {
    assert_eq!(message.kind, MessageKind::MediaTemplate);
    assert_eq!(message.body, "Hi John Doe, your ticket is attached.");
    assert_eq!(message.footer.as_deref(), Some("Reply STOP to opt out"));
    let header = message.header.as_ref().unwrap();
    assert_eq!(header.kind, HeaderType::Document);
    assert_eq!(
        header.url.as_deref(),
        Some("https://example.com/tickets/t-1.pdf")
    );
    let buttons: Vec<_> = message
        .buttons
        .iter()
        .map(|b| {
            (
                b.index,
                b.kind,
                b.text.as_str(),
                b.url.as_deref(),
                b.payload.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        buttons,
        [
            (
                0,
                ButtonType::QuickReply,
                "Confirm",
                None,
                Some("confirm-t-1")
            ),
            (
                1,
                ButtonType::Url,
                "Login",
                Some("https://example.com/login/t-1"),
                None
            ),
        ]
    );
}

#[tokio::test]
async fn v1_reply_buttons_round_trip() {
    let emulator = start().await;
    let message = ReplyButtons::new("Hi Ada, which one would you like?")
        .header(InteractiveHeader::Text("Header text value".into()))
        .footer("Hey footer")
        .button("1", "First Button Title")
        .button("2", "Second Button Title");
    let receipt = client(&emulator, V1).send(&message, TO).await.unwrap();
    let message = stored(&emulator, receipt.message_id().unwrap());
    assert_reply_buttons(&message);
}

fn assert_reply_buttons(message: &StoredMessage) {
    assert_eq!(message.kind, MessageKind::Reply);
    assert_eq!(message.body, "Hi Ada, which one would you like?");
    assert_eq!(message.footer.as_deref(), Some("Hey footer"));
    let header = message.header.as_ref().unwrap();
    assert_eq!(
        (header.kind, header.text.as_deref()),
        (HeaderType::Text, Some("Header text value"))
    );
    let buttons: Vec<_> = message
        .buttons
        .iter()
        .map(|b| (b.kind, b.id.as_deref(), b.text.as_str()))
        .collect();
    assert_eq!(
        buttons,
        [
            (ButtonType::Reply, Some("1"), "First Button Title"),
            (ButtonType::Reply, Some("2"), "Second Button Title"),
        ]
    );
}

#[tokio::test]
async fn v1_reply_with_a_media_header_and_caption_round_trip() {
    let emulator = start().await;
    let message = ReplyButtons::new("Your ticket")
        .header(InteractiveHeader::Document(
            MediaUrl::parse("https://example.com/t.pdf").unwrap().into(),
        ))
        .caption("ticket.pdf")
        .button("ok", "OK");
    let receipt = client(&emulator, V1).send(&message, TO).await.unwrap();
    let header = stored(&emulator, receipt.message_id().unwrap())
        .header
        .unwrap();
    assert_eq!(header.kind, HeaderType::Document);
    assert_eq!(header.url.as_deref(), Some("https://example.com/t.pdf"));
    assert_eq!(header.caption.as_deref(), Some("ticket.pdf"));
}

#[tokio::test]
async fn v2_text_round_trip_keeps_the_reply_context() {
    let emulator = start().await;
    let receipt = client(&emulator, V2)
        .send(
            &Text::new("Thanks for your order!").reply_to("wamid.PREVIOUS"),
            TO,
        )
        .await
        .unwrap();
    assert_eq!(receipt.code(), Some("WA202"));
    let message = stored(&emulator, receipt.message_id().unwrap());
    assert_eq!(message.api, ApiVersion::V2);
    assert_eq!(message.kind, MessageKind::Text);
    assert_eq!(message.from, emulator.v2_number());
    assert_eq!(message.to, TO);
    assert_eq!(message.body, "Thanks for your order!");
    assert_eq!(message.reply_to.as_deref(), Some("wamid.PREVIOUS"));
}

#[tokio::test]
async fn v2_template_round_trip_stores_the_filled_in_body() {
    let emulator = start().await;
    let message = TemplateMessage::new("british_council")
        .language("en")
        .param("Raman");
    let receipt = client(&emulator, V2).send(&message, TO).await.unwrap();
    let message = stored(&emulator, receipt.message_id().unwrap());
    assert_eq!(message.kind, MessageKind::Template);
    assert_eq!(
        message.body,
        "Hello Raman, thank you for your interest in British Council courses. Reply to this message to talk to an advisor."
    );
}

#[tokio::test]
async fn v2_mediatemplate_round_trip_stores_header_footer_and_buttons() {
    let emulator = start().await;
    let receipt = client(&emulator, V2)
        .send(&imt_dynamic(), TO)
        .await
        .unwrap();
    let message = stored(&emulator, receipt.message_id().unwrap());
    assert_media_template(&message);
    assert_eq!(message.api, ApiVersion::V2);
}

#[tokio::test]
async fn v2_reply_buttons_round_trip() {
    let emulator = start().await;
    let message = ReplyButtons::new("Hi Ada, which one would you like?")
        .header(InteractiveHeader::Text("Header text value".into()))
        .footer("Hey footer")
        .button("1", "First Button Title")
        .button("2", "Second Button Title");
    let receipt = client(&emulator, V2).send(&message, TO).await.unwrap();
    assert_reply_buttons(&stored(&emulator, receipt.message_id().unwrap()));
}

#[tokio::test]
async fn v2_cta_url_round_trip() {
    let emulator = start().await;
    let message = CtaUrl::new(
        "Tap the button below to see available dates.",
        "See Dates",
        "https://www.luckyshrub.com?clickID=abc",
    )
    .header_text("Available Dates")
    .footer("Dates subject to change.");
    let receipt = client(&emulator, V2).send(&message, TO).await.unwrap();
    let message = stored(&emulator, receipt.message_id().unwrap());
    assert_eq!(message.kind, MessageKind::CtaUrl);
    assert_eq!(message.body, "Tap the button below to see available dates.");
    assert_eq!(
        message.header.unwrap().text.as_deref(),
        Some("Available Dates")
    );
    assert_eq!(message.footer.as_deref(), Some("Dates subject to change."));
    let button = &message.buttons[0];
    assert_eq!(
        (button.kind, button.text.as_str(), button.url.as_deref()),
        (
            ButtonType::Url,
            "See Dates",
            Some("https://www.luckyshrub.com?clickID=abc")
        )
    );
}

#[tokio::test]
async fn v2_several_recipients_are_one_request_and_message_each() {
    let emulator = start().await;
    let receipt = client(&emulator, V2)
        .send(&Text::new("To you both"), [TO, TO_2])
        .await
        .unwrap();
    let mut recipients: Vec<String> = receipt
        .message_ids()
        .map(|id| stored(&emulator, id).to)
        .collect();
    recipients.sort();
    assert_eq!(recipients, [TO, TO_2]);
}

#[tokio::test]
async fn v1_accepts_the_docs_multipart_and_json_bodies() {
    let emulator = start().await;
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let url = format!("{}/v1/{}/messages", emulator.base_url(), emulator.sid());
    let boundary = "XBOUNDARYX";
    let mut multipart = String::new();
    for (name, value) in [
        ("to", TO),
        ("type", "text"),
        ("channel", "WhatsApp"),
        ("from", emulator.v1_number()),
        ("body", "Sent as multipart"),
    ] {
        multipart.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    multipart.push_str(&format!("--{boundary}--\r\n"));
    let response = http
        .post(&url)
        .header("api-key", emulator.api_key())
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(multipart)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);

    let json_body = json!({"to": TO, "type": "text", "channel": "whatsapp", "from": emulator.v1_number(), "body": "Sent as JSON"});
    let response = http
        .post(&url)
        .header("api-key", emulator.api_key())
        .header("content-type", "application/json")
        .body(json_body.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let bodies: Vec<String> = emulator.messages().into_iter().map(|m| m.body).collect();
    assert_eq!(bodies, ["Sent as JSON", "Sent as multipart"]);
}

#[tokio::test]
async fn the_list_is_newest_first_filters_by_recipient_and_clears() {
    let emulator = start().await;
    let raw = Raw::new(&emulator);
    let client = client(&emulator, V1);
    for (body, to) in [("first", TO), ("second", TO_2), ("third", TO)] {
        client.send(&Text::new(body), to).await.unwrap();
    }
    let (status, all) = raw.list("").await;
    assert_eq!(status, 200);
    let bodies: Vec<&str> = all.iter().map(|m| m.body.as_str()).collect();
    assert_eq!(bodies, ["third", "second", "first"]);
    // The same messages in process; their statuses may move on in between.
    let ids = |messages: &[StoredMessage]| -> Vec<String> {
        messages.iter().map(|message| message.id.clone()).collect()
    };
    assert_eq!(ids(&all), ids(&emulator.messages()));

    for query in [
        "?to=%2B919876543210",
        "?to=919876543210",
        "?to=+919876543210",
    ] {
        let (_, to_first) = raw.list(query).await;
        let bodies: Vec<&str> = to_first.iter().map(|m| m.body.as_str()).collect();
        assert_eq!(bodies, ["third", "first"], "{query}");
    }

    assert_eq!(raw.clear().await, 204);
    assert!(raw.list("").await.1.is_empty());
    assert!(emulator.messages().is_empty());
}

#[tokio::test]
async fn clear_on_the_running_emulator_forgets_every_message() {
    let emulator = start().await;
    client(&emulator, V2)
        .send(&Text::new("hi"), TO)
        .await
        .unwrap();
    assert_eq!(emulator.messages().len(), 1);
    emulator.clear();
    assert!(emulator.messages().is_empty());
}

#[tokio::test]
async fn a_stored_code_button_reads_back_from_the_message_list() {
    let emulator = start().await;
    let raw = Raw::new(&emulator);
    let receipt = client(&emulator, V2)
        .send(
            &TemplateMessage::authentication("login_code", "482913").language("en_US"),
            TO,
        )
        .await
        .unwrap();
    let (status, listed) = raw.list("").await;
    assert_eq!(status, 200);
    let message = listed
        .iter()
        .find(|message| Some(message.id.as_str()) == receipt.message_id())
        .unwrap();
    assert_eq!(message.buttons, stored(&emulator, &message.id).buttons);
    assert!(
        message
            .buttons
            .iter()
            .any(|button| matches!(button.kind, ButtonType::CopyCode | ButtonType::Otp)),
        "{:?}",
        message.buttons
    );
}
