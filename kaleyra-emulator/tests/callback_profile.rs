//! `callback_profile_id`: a v1 form field, as Kaleyra's v1 pages send it;
//! refused on v2, where no page shows its place.

mod common;

use common::{TO, V1, V2, client, start};
use kaleyra_runtime::{Error, MediaUrl, TemplateHeader, TemplateMessage};

const PROFILE: &str = "IN_b86b078e-046b-4565-892c-0123456789ab";

fn ticket() -> TemplateMessage {
    TemplateMessage::media("imt_dynamic")
        .language("en")
        .params(["John", "Doe"])
        .header(TemplateHeader::Document(
            MediaUrl::parse("https://example.com/t.pdf").unwrap().into(),
        ))
        .quick_reply_payload(0, "confirm")
        .url_button(1, "t-1")
        .callback_profile_id(PROFILE)
}

#[tokio::test]
async fn v1_sends_the_profile_as_a_form_field_and_the_emulator_takes_it() {
    let emulator = start().await;
    let client = client(&emulator, V1);
    let request = client.prepare(&ticket(), TO).unwrap();
    let fields = request.form_fields().unwrap();
    assert!(
        fields
            .iter()
            .any(|(name, value)| name == "callback_profile_id" && value == PROFILE),
        "{fields:?}"
    );
    client.send_prepared(&request).await.unwrap();
}

#[tokio::test]
async fn v2_refuses_the_profile_by_name() {
    let emulator = start().await;
    let error = client(&emulator, V2).prepare(&ticket(), TO).unwrap_err();
    assert!(matches!(error, Error::Unsupported { .. }), "{error:?}");
    assert!(error.to_string().contains("callback_profile_id"), "{error}");
}

#[tokio::test]
async fn a_blank_profile_id_is_refused_before_sending() {
    let emulator = start().await;
    let message = ticket().callback_profile_id(" ");
    let error = client(&emulator, V1).prepare(&message, TO).unwrap_err();
    assert!(error.to_string().contains("callback_profile_id"), "{error}");
}
