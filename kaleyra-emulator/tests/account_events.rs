//! End to end: the emulator posts each of the account's events (a
//! template's status, category, quality and components, the number's
//! quality) to an application's `callback_router`, which receives it typed;
//! `POST /emulator/events` and `RunningEmulator::post_event` alike, to the
//! URL given or the template status URL. Values the runtime would not know
//! are refused, naming the field.

mod common;

use std::time::Duration;

use kaleyra_emulator::{
    AccountEvent, CallbackOutcome, Emulator, OtherInfo, PhoneNumberQualityEvent, RejectionInfo,
    RunningEmulator, TemplateCategoryEvent, TemplateComponentsEvent, TemplateQualityEvent,
    TemplateStatusEvent, UpdatedButton,
};
use kaleyra_runtime::callbacks::{
    ButtonKind, CallbackSecret, Event, MessagingLimit, PhoneNumberEvent, QualityScore,
    TemplateCategory, TemplateEvent, callback_router,
};
use kaleyra_runtime::definitions::{ButtonType, Category};
use serde_json::{Value, json};
use tokio::sync::mpsc;

/// `templates/order_update.en.json`'s id, as the account lists it.
const ORDER_UPDATE_ID: &str = "1187340651993520";

/// An application's callback receiver on loopback, behind a secret; its URL
/// and the events it receives.
async fn receiver() -> (String, mpsc::UnboundedReceiver<Event>) {
    let (sender, events) = mpsc::unbounded_channel();
    let secret = CallbackSecret::generate().unwrap();
    let app = callback_router("/kaleyra", secret.clone(), move |event| {
        let sender = sender.clone();
        async move {
            let _ = sender.send(event);
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}/kaleyra", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let url = secret.callback_url(&base).unwrap();
    (url.expose_url().to_owned(), events)
}

async fn next(events: &mut mpsc::UnboundedReceiver<Event>) -> Event {
    tokio::time::timeout(Duration::from_secs(10), events.recv())
        .await
        .expect("an event within 10 s")
        .expect("the receiver runs")
}

async fn emulator(status_url: Option<&str>) -> RunningEmulator {
    let mut builder = Emulator::builder().templates_dir(common::templates_dir());
    if let Some(url) = status_url {
        builder = builder.template_status_url(url);
    }
    builder.start().await.unwrap()
}

fn posted(outcome: CallbackOutcome) {
    assert_eq!(outcome, CallbackOutcome::Posted { http_status: 200 });
}

#[tokio::test]
async fn a_rejection_reaches_the_callback_profile_url_typed_with_its_reason() {
    let (url, mut events) = receiver().await;
    let emulator = emulator(Some(&url)).await;
    let event = AccountEvent::TemplateStatus(TemplateStatusEvent {
        template: "order_update".into(),
        language: "en".into(),
        status: "rejected".into(),
        reason: Some("INVALID_FORMAT".into()),
        rejection_info: Some(RejectionInfo {
            reason: "Parameters sit next to each other.".into(),
            recommendation: "Put text between them.".into(),
        }),
        ..TemplateStatusEvent::default()
    });
    // No URL: the template status URL, as Kaleyra's callback profile.
    posted(emulator.post_event(None, &event).await.unwrap());
    let Event::TemplateStatus(update) = next(&mut events).await else {
        panic!("not a template status")
    };
    assert_eq!(update.event, TemplateEvent::Rejected);
    assert_eq!(update.name.as_deref(), Some("order_update"));
    assert_eq!(update.language.as_deref(), Some("en"));
    assert_eq!(update.template_id.as_deref(), Some(ORDER_UPDATE_ID));
    assert_eq!(update.reason.as_deref(), Some("INVALID_FORMAT"));
    assert_eq!(
        update.category,
        Some(TemplateCategory::Known(Category::Utility)),
        "the account's category"
    );
    let info = update.rejection_info.unwrap();
    assert_eq!(
        info.reason.as_deref(),
        Some("Parameters sit next to each other.")
    );
    assert_eq!(
        info.recommendation.as_deref(),
        Some("Put text between them.")
    );
    assert!(update.extra.is_empty(), "{:?}", update.extra);

    let paused = AccountEvent::TemplateStatus(TemplateStatusEvent {
        template: "order_update".into(),
        language: "en".into(),
        status: "PAUSED".into(),
        other_info: Some(OtherInfo {
            title: "FIRST_PAUSE".into(),
            description: "Paused for 3 hours.".into(),
        }),
        ..TemplateStatusEvent::default()
    });
    posted(emulator.post_event(Some(&url), &paused).await.unwrap());
    let Event::TemplateStatus(update) = next(&mut events).await else {
        panic!("not a template status")
    };
    assert_eq!(update.event, TemplateEvent::Paused);
    assert_eq!(
        update.reason.as_deref(),
        Some("NONE"),
        "Meta's word for none"
    );
    let info = update.other_info.unwrap();
    assert_eq!(info.title.as_deref(), Some("FIRST_PAUSE"));
    assert_eq!(info.description.as_deref(), Some("Paused for 3 hours."));
}

#[tokio::test]
async fn category_quality_components_and_number_events_reach_the_handler_typed() {
    let (url, mut events) = receiver().await;
    let emulator = emulator(None).await;

    let category = AccountEvent::TemplateCategory(TemplateCategoryEvent {
        template: "order_update".into(),
        language: "en".into(),
        new_category: "MARKETING".into(),
        ..TemplateCategoryEvent::default()
    });
    posted(emulator.post_event(Some(&url), &category).await.unwrap());
    let Event::TemplateCategory(update) = next(&mut events).await else {
        panic!("not a category update")
    };
    assert_eq!(update.template_id.as_deref(), Some(ORDER_UPDATE_ID));
    assert_eq!(update.name.as_deref(), Some("order_update"));
    assert_eq!(update.language.as_deref(), Some("en"));
    assert_eq!(
        update.previous_category,
        Some(TemplateCategory::Known(Category::Utility))
    );
    assert_eq!(
        update.new_category,
        Some(TemplateCategory::Known(Category::Marketing))
    );
    assert!(update.extra.is_empty());

    let quality = AccountEvent::TemplateQuality(TemplateQualityEvent {
        template: "order_update".into(),
        language: "en".into(),
        previous_quality_score: Some("GREEN".into()),
        new_quality_score: "red".into(),
        ..TemplateQualityEvent::default()
    });
    posted(emulator.post_event(Some(&url), &quality).await.unwrap());
    let Event::TemplateQuality(update) = next(&mut events).await else {
        panic!("not a quality update")
    };
    assert_eq!(update.template_id.as_deref(), Some(ORDER_UPDATE_ID));
    assert_eq!(update.previous_quality_score, Some(QualityScore::Green));
    assert_eq!(update.new_quality_score, Some(QualityScore::Red));
    assert!(update.extra.is_empty());

    // Nothing given but the template: its components as the account lists them.
    let components = AccountEvent::TemplateComponents(TemplateComponentsEvent {
        template: "order_update".into(),
        language: "en".into(),
        ..TemplateComponentsEvent::default()
    });
    posted(emulator.post_event(Some(&url), &components).await.unwrap());
    let Event::TemplateComponents(update) = next(&mut events).await else {
        panic!("not a components update")
    };
    assert_eq!(update.template_id.as_deref(), Some(ORDER_UPDATE_ID));
    assert_eq!(update.header, None);
    assert_eq!(
        update.body.as_deref(),
        Some("Hi {{1}}, your order {{2}} is on its way.")
    );
    assert_eq!(update.footer.as_deref(), Some("Reply STOP to opt out"));
    assert_eq!(update.buttons.len(), 1);
    assert_eq!(
        update.buttons[0].kind,
        Some(ButtonKind::Known(ButtonType::Url))
    );
    assert_eq!(update.buttons[0].text.as_deref(), Some("Track order"));
    assert_eq!(
        update.buttons[0].url.as_deref(),
        Some("https://shop.example.com/track/{{1}}")
    );
    assert!(update.extra.is_empty());

    // Given components replace the account's.
    let edited = AccountEvent::TemplateComponents(TemplateComponentsEvent {
        template: "order_update".into(),
        language: "en".into(),
        header: Some("Your order".into()),
        body: Some("Hi {{1}}, order {{2}} ships today.".into()),
        buttons: Some(vec![UpdatedButton {
            kind: "PHONE_NUMBER".into(),
            text: "Call us".into(),
            phone_number: Some("+15550783881".into()),
            ..UpdatedButton::default()
        }]),
        ..TemplateComponentsEvent::default()
    });
    posted(emulator.post_event(Some(&url), &edited).await.unwrap());
    let Event::TemplateComponents(update) = next(&mut events).await else {
        panic!("not a components update")
    };
    assert_eq!(update.header.as_deref(), Some("Your order"));
    assert_eq!(
        update.body.as_deref(),
        Some("Hi {{1}}, order {{2}} ships today.")
    );
    assert_eq!(update.footer.as_deref(), Some("Reply STOP to opt out"));
    assert_eq!(
        update.buttons[0].kind,
        Some(ButtonKind::Known(ButtonType::PhoneNumber))
    );
    assert_eq!(
        update.buttons[0].phone_number.as_deref(),
        Some("+15550783881")
    );

    let number = AccountEvent::PhoneNumberQuality(PhoneNumberQualityEvent {
        status: "DOWNGRADE".into(),
        old_limit: Some("TIER_10K".into()),
        current_limit: Some("TIER_1K".into()),
        business_limit: Some("TIER_2K".into()),
        ..PhoneNumberQualityEvent::default()
    });
    posted(emulator.post_event(Some(&url), &number).await.unwrap());
    let Event::PhoneNumberQuality(update) = next(&mut events).await else {
        panic!("not a phone-number update")
    };
    let v2_number = emulator.v2_number().trim_start_matches('+').to_owned();
    assert_eq!(update.display_phone_number, Some(v2_number));
    assert_eq!(update.event, PhoneNumberEvent::Downgrade);
    assert_eq!(update.old_limit, Some(MessagingLimit::Tier10K));
    assert_eq!(update.current_limit, Some(MessagingLimit::Tier1K));
    assert_eq!(update.business_limit, Some(MessagingLimit::Tier2K));
    assert!(update.extra.is_empty());
}

/// `POST /emulator/events` with `body`: its status and JSON answer.
async fn post_route(emulator: &RunningEmulator, body: &Value) -> (u16, Value) {
    let response = reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap()
        .post(format!("{}/emulator/events", emulator.base_url()))
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let bytes = response.bytes().await.unwrap();
    (status, serde_json::from_slice(&bytes).unwrap())
}

#[tokio::test]
async fn the_route_posts_each_kind_and_answers_the_body_posted() {
    let (url, mut events) = receiver().await;
    let emulator = emulator(None).await;
    let (status, answer) = post_route(
        &emulator,
        &json!({"url": url, "event": "template_status", "template": "order_update",
                "language": "en", "status": "REJECTED", "reason": "TAG_CONTENT_MISMATCH"}),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["outcome"], "posted");
    assert_eq!(answer["http_status"], 200);
    assert_eq!(
        answer["body"]["meta_object"]["field"],
        "message_template_status_update"
    );
    let Event::TemplateStatus(update) = next(&mut events).await else {
        panic!("not a template status")
    };
    assert_eq!(update.event, TemplateEvent::Rejected);
    assert_eq!(update.reason.as_deref(), Some("TAG_CONTENT_MISMATCH"));

    for (body, field) in [
        (
            json!({"event": "quality", "template": "order_update", "language": "en", "new_quality_score": "YELLOW"}),
            "message_template_quality_update",
        ),
        (
            json!({"event": "category", "template": "order_update", "language": "en", "new_category": "MARKETING"}),
            "template_category_update",
        ),
        (
            json!({"event": "components", "template": "order_update", "language": "en"}),
            "message_template_components_update",
        ),
        (
            json!({"event": "phone_number_quality", "status": "FLAGGED", "current_limit": "TIER_1K"}),
            "phone_number_quality_update",
        ),
    ] {
        let mut body = body;
        body["url"] = json!(url);
        let (status, answer) = post_route(&emulator, &body).await;
        assert_eq!(status, 200, "{answer}");
        assert_eq!(answer["body"]["meta_object"]["field"], field);
        let event = next(&mut events).await;
        let kind_matches = match field {
            "message_template_quality_update" => {
                matches!(&event, Event::TemplateQuality(u) if u.new_quality_score == Some(QualityScore::Yellow))
            }
            "template_category_update" => matches!(&event, Event::TemplateCategory(_)),
            "message_template_components_update" => matches!(&event, Event::TemplateComponents(_)),
            _ => {
                matches!(&event, Event::PhoneNumberQuality(u) if u.event == PhoneNumberEvent::Flagged)
            }
        };
        assert!(kind_matches, "{field}: {event:?}");
    }
}

#[tokio::test]
async fn what_the_runtime_would_not_know_is_refused_naming_the_field() {
    let (url, _events) = receiver().await;
    let emulator = emulator(None).await;
    for (body, field, needle) in [
        (
            json!({"url": url, "event": "template_status", "template": "order_update", "language": "en", "status": "SHINY"}),
            "status",
            "APPROVED",
        ),
        (
            json!({"url": url, "event": "template_category", "template": "order_update", "language": "en", "new_category": "PROMO"}),
            "new_category",
            "MARKETING",
        ),
        (
            json!({"url": url, "event": "phone_number_quality", "status": "UPGRADE", "current_limit": "TIER_5K"}),
            "current_limit",
            "TIER_UNLIMITED",
        ),
        (
            json!({"url": url, "event": "template_components", "template": "order_update", "language": "en",
                   "buttons": [{"type": "HOLOGRAM", "text": "x"}]}),
            "buttons[0].type",
            "HOLOGRAM",
        ),
        (
            json!({"url": url, "event": "template_status", "template": "no_such", "language": "en", "status": "APPROVED"}),
            "template",
            "template_id",
        ),
        (
            json!({"event": "template_status", "template": "order_update", "language": "en", "status": "APPROVED"}),
            "url",
            "template_status_url",
        ),
        (
            json!({"url": "https://example.com/hook", "event": "template_status", "template": "order_update", "language": "en", "status": "APPROVED"}),
            "url",
            "http",
        ),
        (
            json!({"url": url, "event": "weather"}),
            "event",
            "template_status",
        ),
    ] {
        let (status, answer) = post_route(&emulator, &body).await;
        assert_eq!(status, 400, "{body}: {answer}");
        assert_eq!(answer["field"], field, "{body}: {answer}");
        assert!(
            answer["error"].as_str().unwrap().contains(needle),
            "{body}: {answer}"
        );
    }

    // A template the account does not list is posted when its id is given.
    let (url, mut events) = receiver().await;
    let event = AccountEvent::TemplateStatus(TemplateStatusEvent {
        template: "not_listed".into(),
        language: "en".into(),
        template_id: Some("42".into()),
        status: "APPROVED".into(),
        ..TemplateStatusEvent::default()
    });
    posted(emulator.post_event(Some(&url), &event).await.unwrap());
    let Event::TemplateStatus(update) = next(&mut events).await else {
        panic!("not a template status")
    };
    assert_eq!(update.template_id.as_deref(), Some("42"));
    assert_eq!(update.category, None);
}

#[tokio::test]
async fn a_template_file_whose_status_changes_posts_the_template_status_event() {
    let (url, mut events) = receiver().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("order_update.en.json");
    let approved =
        std::fs::read_to_string(common::templates_dir().join("order_update.en.json")).unwrap();
    assert!(approved.contains("\"APPROVED\""));
    std::fs::write(&file, &approved).unwrap();
    let _emulator = Emulator::builder()
        .templates_dir(dir.path())
        .template_status_url(&url)
        .start()
        .await
        .unwrap();

    // Half written, then as it was: no change, nothing posted.
    tokio::time::sleep(Duration::from_millis(400)).await;
    std::fs::write(&file, "{\"name\": \"order_upd").unwrap();
    tokio::time::sleep(Duration::from_millis(400)).await;
    std::fs::write(&file, &approved).unwrap();
    let nothing = tokio::time::timeout(Duration::from_millis(700), events.recv()).await;
    assert!(nothing.is_err(), "posted without a change: {nothing:?}");

    // `pull` writes the account's pause.
    std::fs::write(&file, approved.replace("\"APPROVED\"", "\"PAUSED\"")).unwrap();
    let Event::TemplateStatus(update) = next(&mut events).await else {
        panic!("not a template status")
    };
    assert_eq!(update.event, TemplateEvent::Paused);
    assert_eq!(update.name.as_deref(), Some("order_update"));
    assert_eq!(update.language.as_deref(), Some("en"));
    assert_eq!(update.template_id.as_deref(), Some(ORDER_UPDATE_ID));
}
