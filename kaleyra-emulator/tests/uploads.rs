//! Media by uploaded id, end to end: `Client::upload_media` to the
//! emulator's upload route, a header that shows the id, the emulator
//! checking the id against the file and serving it for the inbox.

mod common;

use common::{TO, V1, V2, client, start};
use kaleyra_definitions::HeaderType;
use kaleyra_runtime::{
    Error, InteractiveHeader, Media, MediaFile, MediaId, ReplyButtons, TemplateHeader,
    TemplateMessage,
};

/// A PDF's first bytes: the emulator keeps and serves what it was given.
const PDF: &[u8] = b"%PDF-1.4 ticket";

fn ticket(media: impl Into<Media>) -> TemplateMessage {
    TemplateMessage::media("imt_dynamic")
        .language("en")
        .params(["John", "Doe"])
        .header(TemplateHeader::Document(media.into()))
        .quick_reply_payload(0, "confirm-t-1")
        .url_button(1, "t-1")
}

#[tokio::test]
async fn an_uploaded_document_is_sent_by_id_and_served_for_the_inbox() {
    let emulator = start().await;
    let client = client(&emulator, V2);
    let file = MediaFile::new(PDF.to_vec(), "application/pdf", "ticket.pdf").unwrap();
    let id = client.upload_media(&file).await.unwrap();
    assert_eq!(id.mime(), Some("application/pdf"));
    assert!(id.as_str().chars().all(|c| c.is_ascii_digit()), "{id}");

    let receipt = client.send(&ticket(id.clone()), TO).await.unwrap();
    let stored = emulator.message(receipt.message_id().unwrap()).unwrap();
    let header = stored.header.unwrap();
    assert_eq!(header.kind, HeaderType::Document);
    let url = header.url.unwrap();
    assert_eq!(
        url,
        format!("{}/emulator/media/{id}", emulator.base_url()),
        "the inbox draws the uploaded file from the emulator itself"
    );
    let served = reqwest::get(&url).await.unwrap();
    assert_eq!(served.status(), 200);
    assert_eq!(served.headers()["content-type"], "application/pdf");
    assert_eq!(&served.bytes().await.unwrap()[..], PDF);
}

#[tokio::test]
async fn an_interactive_header_shows_an_uploaded_image() {
    let emulator = start().await;
    let client = client(&emulator, V2);
    let file = MediaFile::new(vec![0x89, b'P', b'N', b'G'], "image/png", "menu.png").unwrap();
    let id = client.upload_media(&file).await.unwrap();
    let message = ReplyButtons::new("Today's menu")
        .header(InteractiveHeader::Image(id.into()))
        .button("order", "Order");
    let receipt = client.send(&message, TO).await.unwrap();
    let stored = emulator.message(receipt.message_id().unwrap()).unwrap();
    let header = stored.header.unwrap();
    assert_eq!(header.kind, HeaderType::Image);
    assert!(header.url.unwrap().contains("/emulator/media/"));
}

#[tokio::test]
async fn an_id_the_emulator_never_issued_is_refused_naming_the_field() {
    let emulator = start().await;
    let client = client(&emulator, V2);
    let unknown = MediaId::new("999").unwrap();
    let error = client.send(&ticket(unknown), TO).await.unwrap_err();
    let Error::Api { fields, .. } = &error else {
        panic!("expected Kaleyra's refusal, got {error:?}");
    };
    let (field, reason) = fields.iter().next().unwrap();
    assert!(field.ends_with("document.id"), "{field}");
    assert!(
        reason.contains("no media was uploaded as `999`"),
        "{reason}"
    );
}

#[tokio::test]
async fn a_video_id_in_a_document_header_is_refused_before_sending() {
    let emulator = start().await;
    let client = client(&emulator, V2);
    let video = MediaFile::new(b"mp4".to_vec(), "video/mp4", "clip.mp4").unwrap();
    let id = client.upload_media(&video).await.unwrap();
    let error = client.prepare(&ticket(id), TO).unwrap_err();
    assert!(
        error.to_string().contains(
            "the media id is of a video/mp4 file, but a document header shows PDF documents"
        ),
        "{error}"
    );
}

#[tokio::test]
async fn a_v1_client_neither_uploads_nor_sends_by_id() {
    let emulator = start().await;
    let client = client(&emulator, V1);
    let file = MediaFile::new(PDF.to_vec(), "application/pdf", "ticket.pdf").unwrap();
    let upload = client.upload_media(&file).await.unwrap_err();
    assert!(matches!(upload, Error::Unsupported { .. }), "{upload:?}");
    let send = client
        .prepare(&ticket(MediaId::new("1203982341087365").unwrap()), TO)
        .unwrap_err();
    assert!(matches!(send, Error::Unsupported { .. }), "{send:?}");
    assert!(send.to_string().contains("media by uploaded id"), "{send}");
}

#[tokio::test]
async fn the_upload_route_refuses_a_type_no_header_shows_and_a_wrong_key() {
    let emulator = start().await;
    let url = format!(
        "{}/v2/{}/whatsapp/{}/media",
        emulator.base_url(),
        kaleyra_emulator::DEFAULT_SID,
        kaleyra_emulator::DEFAULT_V2_NUMBER
    );
    let form = || {
        reqwest::multipart::Form::new()
            .part(
                "file",
                reqwest::multipart::Part::bytes(b"GIF89a".to_vec()).file_name("a.gif"),
            )
            .text("type", "image/gif")
    };
    let http = reqwest::Client::new();
    let answer = http
        .post(&url)
        .header("api-key", kaleyra_emulator::DEFAULT_API_KEY)
        .multipart(form())
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 400);
    let body: serde_json::Value = serde_json::from_slice(&answer.bytes().await.unwrap()).unwrap();
    assert!(
        body["error"]["file"]
            .as_str()
            .unwrap()
            .contains("`image/gif`"),
        "{body}"
    );
    let wrong_key = http
        .post(&url)
        .header("api-key", "wrong")
        .multipart(form())
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_key.status(), 401);
}
