//! Limited-time offers, coupons and flow buttons, from Meta's reference
//! objects (013, 009, and a flow template written from Meta's docs): the v1 and v2 requests
//! pinned against Kaleyra's pages and Meta's examples, a past expiry and an
//! empty flow token refused before sending, and the emulator accepting what
//! each API sends.

use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use kaleyra_emulator::{Emulator, RunningEmulator};
use kaleyra_runtime::{
    Api, ApiVersion, Client, Error, FlowActionData, MediaUrl, Pod, PreparedRequest, Template,
    TemplateMessage,
};
use serde_json::{Value, json};

const TO: &str = "+919876543210";
const OFFER: &str = "limited_time_offer_caribbean_pkg_2023";
const FLOW: &str = "appointment_booking";

/// Meta's reference object 013, with `"status": "APPROVED"` added.
#[derive(Template)]
#[kaleyra(
    template = "limited_time_offer_caribbean_pkg_2023",
    dir = "tests/ui/templates/meta"
)]
struct CaribbeanOffer<'a> {
    #[kaleyra(header)]
    banner: MediaUrl,
    name: &'a str,
    code: &'a str,
    #[kaleyra(offer_expiry)]
    expires_at: SystemTime,
    #[kaleyra(button = 0)]
    coupon: &'a str,
    #[kaleyra(button = 1)]
    book_now: &'a str,
}

/// Meta's reference object 009: a fixed text header, a quick reply and a
/// copy-code button.
#[derive(Template)]
#[kaleyra(
    template = "coupon_code_fall2023_25off",
    dir = "tests/ui/templates/meta"
)]
struct FallCoupon<'a> {
    code: &'a str,
    discount: &'a str,
    #[kaleyra(button = 1)]
    coupon: &'a str,
}

/// A flow template written from Meta's docs (no reference object has one).
#[derive(Template)]
#[kaleyra(template = "appointment_booking", dir = "tests/ui/templates/meta")]
struct AppointmentBooking {
    name: String,
    service: String,
    #[kaleyra(button = 0)]
    flow_token: String,
    #[kaleyra(flow_data)]
    data: Option<FlowActionData>,
}

fn offline(api: Api) -> Client {
    kaleyra_test_support::client(api)
}

fn template_of(request: &PreparedRequest) -> Value {
    let body: Value = serde_json::from_slice(request.body()).unwrap();
    body["messaging_object"]["template"].clone()
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

/// A day from now, on a whole second so its milliseconds are known.
fn tomorrow() -> (SystemTime, u64) {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    let ms = (now.as_secs() + 86_400) * 1000;
    (UNIX_EPOCH + Duration::from_millis(ms), ms)
}

fn banner() -> MediaUrl {
    MediaUrl::parse("https://cdn.example.com/caribbean.jpg").unwrap()
}

fn offer(expires_at: SystemTime) -> CaribbeanOffer<'static> {
    CaribbeanOffer {
        banner: banner(),
        name: "Pablo",
        code: "CARIBE25",
        expires_at,
        coupon: "CARIBE25",
        book_now: "n3mtql",
    }
}

fn booking() -> AppointmentBooking {
    AppointmentBooking {
        name: "Pablo".into(),
        service: "dental".into(),
        flow_token: "booking-4711".into(),
        data: Some(FlowActionData::new().insert("clinic", "Andheri")),
    }
}

#[test]
fn a_limited_time_offer_on_v2_is_metas_limited_time_offer_component() {
    let (expires_at, ms) = tomorrow();
    let request = offer(expires_at)
        .prepare(&offline(Api::V2(Pod::In)), TO)
        .unwrap();
    // Meta's send shape (KALEYRA-API.md): header, the offer's expiry, body,
    // the copy-code and URL buttons.
    assert_eq!(
        template_of(&request),
        json!({
            "name": OFFER,
            "language": {"code": "en_US"},
            "components": [
                {"type": "header", "parameters": [
                    {"type": "image", "image": {"link": "https://cdn.example.com/caribbean.jpg"}}]},
                {"type": "limited_time_offer", "parameters": [
                    {"type": "limited_time_offer", "limited_time_offer": {"expiration_time_ms": ms}}]},
                {"type": "body", "parameters": [
                    {"type": "text", "text": "Pablo"}, {"type": "text", "text": "CARIBE25"}]},
                {"type": "button", "sub_type": "copy_code", "index": "0", "parameters": [
                    {"type": "coupon_code", "coupon_code": "CARIBE25"}]},
                {"type": "button", "sub_type": "url", "index": "1", "parameters": [
                    {"type": "text", "text": "n3mtql"}]}
            ]
        })
    );
}

#[test]
fn a_limited_time_offer_on_v1_is_the_form_kaleyras_lto_page_shows() {
    let (expires_at, ms) = tomorrow();
    let request = offer(expires_at).prepare(&offline(Api::V1), TO).unwrap();
    let fields = request.form_fields().unwrap();
    assert_eq!(field(&fields, "type"), Some("mediatemplate"));
    assert_eq!(field(&fields, "template_name"), Some(OFFER));
    // `coupon_code` in double quotes, `limited_time_offer` a JSON array text,
    // the URL button's suffix in `param_url`, the header by `media_url` only.
    assert_eq!(field(&fields, "coupon_code"), Some("\"CARIBE25\""));
    let offer: Value = serde_json::from_str(field(&fields, "limited_time_offer").unwrap()).unwrap();
    assert_eq!(
        offer,
        json!([{"type": "limited_time_offer", "limited_time_offer": {"expiration_time_ms": ms}}])
    );
    assert_eq!(field(&fields, "param_url"), Some("n3mtql"));
    assert_eq!(
        field(&fields, "media_url"),
        Some("https://cdn.example.com/caribbean.jpg")
    );
    assert_eq!(field(&fields, "media"), None);
    assert_eq!(field(&fields, "params"), Some("\"Pablo\",\"CARIBE25\""));
}

#[test]
fn a_past_expiry_is_refused_before_sending_naming_the_field() {
    let yesterday = SystemTime::now() - Duration::from_secs(86_400);
    for api in [Api::V1, Api::V2(Pod::In)] {
        let error = offer(yesterday).prepare(&offline(api), TO).unwrap_err();
        assert!(
            matches!(&error, Error::Invalid { field, reason }
                if field == "limited_time_offer expiration_time_ms" && reason.contains("in the past")),
            "{error:?}"
        );
    }
    let by_hand = TemplateMessage::media(OFFER)
        .language("en_US")
        .offer_expires_at(UNIX_EPOCH);
    let error = offline(Api::V2(Pod::In)).prepare(&by_hand, TO).unwrap_err();
    assert!(error.to_string().contains("expiration_time_ms"), "{error}");
}

#[test]
fn a_coupon_code_with_a_double_quote_is_refused_on_v1_only() {
    let (expires_at, _) = tomorrow();
    let quoted = CaribbeanOffer {
        coupon: "CARI\"BE",
        ..offer(expires_at)
    };
    let error = quoted.prepare(&offline(Api::V1), TO).unwrap_err();
    assert!(
        matches!(&error, Error::Invalid { field, reason }
            if field == "buttons[0] coupon code" && reason.contains("double quote")),
        "{error:?}"
    );
    quoted.prepare(&offline(Api::V2(Pod::In)), TO).unwrap();
}

#[test]
fn a_flow_button_on_v2_is_metas_flow_template_example() {
    let request = booking().prepare(&offline(Api::V2(Pod::In)), TO).unwrap();
    let components = &template_of(&request)["components"];
    // Meta's "Send Flow Template Message" example, with this message's values.
    let examples: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/meta_flow_template_example.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let mut expected = examples["template"]["components"][0].clone();
    expected["parameters"][0]["action"] =
        json!({"flow_token": "booking-4711", "flow_action_data": {"clinic": "Andheri"}});
    assert_eq!(components[1], expected);
    assert_eq!(
        components[0],
        json!({"type": "body", "parameters": [
            {"type": "text", "text": "Pablo"}, {"type": "text", "text": "dental"}]})
    );
    let without_data = AppointmentBooking {
        data: None,
        ..booking()
    };
    let request = without_data
        .prepare(&offline(Api::V2(Pod::In)), TO)
        .unwrap();
    assert_eq!(
        template_of(&request)["components"][1]["parameters"][0]["action"],
        json!({"flow_token": "booking-4711"})
    );
}

#[test]
fn a_flow_button_is_refused_on_v1_and_an_empty_token_everywhere() {
    let error = booking().prepare(&offline(Api::V1), TO).unwrap_err();
    assert!(
        matches!(&error, Error::Unsupported { what, api: ApiVersion::V1 } if what.contains("flow button")),
        "{error:?}"
    );
    let empty = AppointmentBooking {
        flow_token: String::new(),
        ..booking()
    };
    let error = empty.prepare(&offline(Api::V2(Pod::In)), TO).unwrap_err();
    assert!(
        matches!(&error, Error::Invalid { field, .. } if field == "buttons[0] flow token"),
        "{error:?}"
    );
    let no_data = AppointmentBooking {
        data: Some(FlowActionData::new()),
        ..booking()
    };
    let error = no_data.prepare(&offline(Api::V2(Pod::In)), TO).unwrap_err();
    assert!(
        matches!(&error, Error::Invalid { field, .. } if field == "flow_action_data"),
        "{error:?}"
    );
}

fn fall_coupon() -> FallCoupon<'static> {
    FallCoupon {
        code: "25OFF",
        discount: "25%",
        coupon: "25OFF",
    }
}

#[test]
fn metas_coupon_template_prepares_on_v1_as_well_as_v2() {
    let request = fall_coupon().prepare(&offline(Api::V1), TO).unwrap();
    let fields = request.form_fields().unwrap();
    assert_eq!(field(&fields, "type"), Some("mediatemplate"));
    assert_eq!(field(&fields, "params"), Some("\"25OFF\",\"25%\""));
    assert_eq!(field(&fields, "coupon_code"), Some("\"25OFF\""));
    let request = fall_coupon()
        .prepare(&offline(Api::V2(Pod::In)), TO)
        .unwrap();
    assert_eq!(
        template_of(&request)["components"][1],
        json!({"type": "button", "sub_type": "copy_code", "index": "1",
               "parameters": [{"type": "coupon_code", "coupon_code": "25OFF"}]})
    );
}

async fn emulator() -> (tempfile::TempDir, RunningEmulator) {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = Path::new(kaleyra_test_support::account::FIXTURES);
    for file in [
        "limited_time_offer_caribbean_pkg_2023.en_US.json",
        "appointment_booking.en_US.json",
        "coupon_code_fall2023_25off.en_US.json",
    ] {
        std::fs::copy(fixtures.join(file), dir.path().join(file)).unwrap();
    }
    let emulator = Emulator::builder()
        .templates_dir(dir.path())
        .start()
        .await
        .unwrap();
    (dir, emulator)
}

#[tokio::test]
async fn the_emulator_accepts_offers_on_both_apis_and_flows_on_v2() {
    let (_dir, emulator) = emulator().await;
    let v1 = emulator.client(Api::V1).unwrap();
    let v2 = emulator.client(Api::V2(Pod::In)).unwrap();
    let (expires_at, ms) = tomorrow();
    offer(expires_at).send(&v2, TO).await.unwrap();
    offer(expires_at).send(&v1, TO).await.unwrap();
    booking().send(&v2, TO).await.unwrap();
    fall_coupon().send(&v1, TO).await.unwrap();
    fall_coupon().send(&v2, TO).await.unwrap();

    let messages = emulator.emulator().messages();
    assert_eq!(messages.len(), 5, "{:?}", emulator.emulator().refused());
    let of = |name: &str| {
        messages
            .iter()
            .filter(|message| message.template_name.as_deref() == Some(name))
            .collect::<Vec<_>>()
    };
    let offers = of(OFFER);
    assert_eq!(offers.len(), 2);
    for message in offers {
        assert_eq!(
            message.body,
            "Good news, Pablo! Use code CARIBE25 to get 25% off all Caribbean Destination packages!"
        );
        let offer = message.offer.as_ref().unwrap();
        assert_eq!(offer.text, "Expiring offer!");
        assert_eq!(offer.expiration_time_ms, Some(ms));
        assert_eq!(
            message.buttons[1].url.as_deref(),
            Some("https://awesomedestinations.com/offers?code=n3mtql")
        );
        assert_eq!(message.buttons[0].code.as_deref(), Some("CARIBE25"));
    }
    let flows = of(FLOW);
    assert_eq!(flows.len(), 1);
    assert_eq!(flows[0].buttons[0].text, "Book now");
    assert_eq!(flows[0].buttons[0].code.as_deref(), Some("booking-4711"));
    assert_eq!(
        flows[0].body,
        "Hi Pablo, pick a time for your dental appointment in a few taps."
    );
    let coupons = of("coupon_code_fall2023_25off");
    assert_eq!(coupons.len(), 2);
    assert!(coupons.iter().all(|message| message.body
        == "Shop now through November and use code 25OFF to get 25% off of all merchandise!"));
    assert!(emulator.emulator().refused().is_empty());
}

#[tokio::test]
async fn the_emulator_refuses_a_past_expiry_and_a_missing_offer_or_token() {
    let (_dir, emulator) = emulator().await;
    let url = format!(
        "{}/v2/{}/whatsapp/{}/messages",
        emulator.base_url(),
        emulator.sid(),
        emulator.v2_number()
    );
    let raw = |body: Value| {
        let (url, key) = (url.clone(), emulator.api_key().to_owned());
        async move {
            reqwest::Client::new()
                .post(url)
                .header("api-key", key)
                .json(&body)
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
        }
    };
    let mut request: Value = serde_json::from_slice(
        offer(tomorrow().0)
            .prepare(&offline(Api::V2(Pod::In)), TO)
            .unwrap()
            .body(),
    )
    .unwrap();
    let components = "/messaging_object/template/components";
    *request
        .pointer_mut(&format!(
            "{components}/1/parameters/0/limited_time_offer/expiration_time_ms"
        ))
        .unwrap() = json!(1_000);
    let answer = raw(request.clone()).await;
    assert!(answer.contains("in the past"), "{answer}");
    request
        .pointer_mut(components)
        .unwrap()
        .as_array_mut()
        .unwrap()
        .remove(1);
    let answer = raw(request).await;
    assert!(answer.contains("expiration_time_ms"), "{answer}");

    let mut flow: Value = serde_json::from_slice(
        booking()
            .prepare(&offline(Api::V2(Pod::In)), TO)
            .unwrap()
            .body(),
    )
    .unwrap();
    flow.pointer_mut(components)
        .unwrap()
        .as_array_mut()
        .unwrap()
        .remove(1);
    let answer = raw(flow).await;
    assert!(answer.contains("flow token is required"), "{answer}");
    assert!(emulator.emulator().messages().is_empty());
}
