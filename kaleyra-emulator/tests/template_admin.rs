//! Templates created, edited and deleted through the emulator's v2 routes,
//! with the runtime's typed calls: reviewed after the delay, edited by
//! Kaleyra's rules, 100 creations an hour, deletion by name or id.

use std::time::Duration;

use kaleyra_definitions::TemplateStatus;
use kaleyra_emulator::{Emulator, RunningEmulator};
use kaleyra_runtime::error::ApiCode;
use kaleyra_runtime::template_management::{NewTemplate, TemplateDeletion, TemplateEdit};
use kaleyra_runtime::{Api, Client, Error, Pod};
use serde_json::{Value, json};

const WABA: &str = "102290129340398";
const REVIEW: Duration = Duration::from_millis(150);

async fn start(builder: kaleyra_emulator::EmulatorBuilder) -> (RunningEmulator, Client) {
    let emulator = builder.template_review_delay(REVIEW).start().await.unwrap();
    let client = emulator.client(Api::V2(Pod::In)).unwrap();
    (emulator, client)
}

fn template(name: &str, language: &str, body: &str) -> NewTemplate {
    NewTemplate::from_object(&json!({
        "name": name,
        "language": language,
        "category": "UTILITY",
        "components": [{"type": "BODY", "text": body, "example": {"body_text": [["Asha"]]}}]
    }))
    .unwrap()
}

/// The account's object of `name` in `language`, as the list shows it.
async fn listed(client: &Client, name: &str, language: &str) -> Option<Value> {
    let list = client.list_templates(WABA).await.unwrap();
    list.templates()
        .iter()
        .find(|listed| listed.name() == Some(name) && listed.language() == Some(language))
        .map(|listed| serde_json::from_str(listed.raw_json()).unwrap())
}

async fn status_after_review(client: &Client, name: &str) -> Value {
    tokio::time::sleep(REVIEW * 2).await;
    listed(client, name, "en").await.expect("listed")
}

fn fields(error: &Error) -> String {
    match error {
        Error::Api { fields, .. } => fields.values().cloned().collect::<Vec<_>>().join("; "),
        other => panic!("{other}"),
    }
}

#[tokio::test]
async fn a_created_template_is_pending_then_approved_after_the_delay() {
    let (_emulator, client) = start(Emulator::builder()).await;
    let created = client
        .create_template(
            WABA,
            &template("order_note", "en", "Hi {{1}}, your order shipped."),
        )
        .await
        .unwrap();
    assert_eq!(created.status, Some(TemplateStatus::Pending));
    let id = created.id.expect("an id");
    let pending = listed(&client, "order_note", "en").await.unwrap();
    assert_eq!(pending["status"], "PENDING");
    assert_eq!(pending["id"], id.as_str());
    let approved = status_after_review(&client, "order_note").await;
    assert_eq!(approved["status"], "APPROVED", "{approved}");
    assert_eq!(
        approved["components"][0]["text"],
        "Hi {{1}}, your order shipped."
    );
}

#[tokio::test]
async fn a_template_meta_refuses_or_the_test_names_is_rejected_with_its_reason() {
    let (_emulator, client) =
        start(Emulator::builder().reject_template("promo_blast", "TAG_CONTENT_MISMATCH")).await;
    client
        .create_template(WABA, &template("code_note", "en", "Your code is {{1}}"))
        .await
        .unwrap();
    client
        .create_template(WABA, &template("promo_blast", "en", "Hi {{1}}, a note."))
        .await
        .unwrap();
    let rejected = status_after_review(&client, "code_note").await;
    assert_eq!(rejected["status"], "REJECTED");
    let reason = rejected["rejected_reason"].as_str().unwrap();
    assert!(reason.contains("placeholder-at-edge"), "{reason}");
    let named = listed(&client, "promo_blast", "en").await.unwrap();
    assert_eq!(named["rejected_reason"], "TAG_CONTENT_MISMATCH");
}

#[tokio::test]
async fn edits_follow_kaleyras_rules() {
    let (_emulator, client) = start(Emulator::builder()).await;
    let id = client
        .create_template(
            WABA,
            &template("order_note", "en", "Hi {{1}}, your order shipped."),
        )
        .await
        .unwrap()
        .id
        .unwrap();
    let components =
        |text: &str| json!([{"type": "BODY", "text": text, "example": {"body_text": [["A"]]}}]);
    let edit = |text: &str| TemplateEdit::components("order_note", &id, components(text)).unwrap();
    // Pending: not editable.
    let refused = client
        .edit_template(WABA, &edit("Hello {{1}}, shipped."))
        .await
        .unwrap_err();
    assert!(
        fields(&refused).contains("this one is PENDING"),
        "{refused}"
    );
    tokio::time::sleep(REVIEW * 2).await;
    // Approved: the category cannot change.
    let category = TemplateEdit::category("order_note", &id, "MARKETING").unwrap();
    let refused = client.edit_template(WABA, &category).await.unwrap_err();
    assert!(
        fields(&refused).contains("category of an APPROVED template"),
        "{refused}"
    );
    // One edit, back to review, approved again ..
    let edited = client
        .edit_template(WABA, &edit("Hello {{1}}, shipped."))
        .await
        .unwrap();
    assert_eq!(edited.status, Some(TemplateStatus::Pending));
    let approved = status_after_review(&client, "order_note").await;
    assert_eq!(approved["status"], "APPROVED");
    assert_eq!(approved["components"][0]["text"], "Hello {{1}}, shipped.");
    // .. and no second edit within 24 hours, naming when.
    let refused = client
        .edit_template(WABA, &edit("Hey {{1}}, shipped."))
        .await
        .unwrap_err();
    let reason = fields(&refused);
    assert!(reason.contains("once in 24 hours"), "{reason}");
    assert!(reason.contains("is allowed at 20"), "{reason}");
    assert!(matches!(
        refused,
        Error::Api {
            status: 400,
            code: ApiCode::MalformedPayload,
            ..
        }
    ));
}

#[tokio::test]
async fn the_eleventh_edit_in_30_days_waits_for_the_first_to_leave_the_window() {
    use kaleyra_definitions::management::{APPROVED_EDIT_MONTH, APPROVED_EDITS_PER_MONTH};
    let (emulator, client) = start(Emulator::builder()).await;
    let day = Duration::from_secs(86_400);
    let id = client
        .create_template(WABA, &template("order_note", "en", "Hi {{1}}, shipped."))
        .await
        .unwrap()
        .id
        .unwrap();
    let edit = |n: usize| {
        let text = format!("Hi {{{{1}}}}, shipped (edit {n}).");
        let components = json!([{"type": "BODY", "text": text, "example": {"body_text": [["A"]]}}]);
        TemplateEdit::components("order_note", &id, components).unwrap()
    };
    // Approved, then one edit a day and an hour, each approved in turn.
    emulator.emulator().advance_template_clock(day);
    for n in 0..APPROVED_EDITS_PER_MONTH {
        client
            .edit_template(WABA, &edit(n))
            .await
            .unwrap_or_else(|error| panic!("edit {n}: {error}"));
        emulator
            .emulator()
            .advance_template_clock(day + Duration::from_secs(3600));
    }
    let refused = client
        .edit_template(WABA, &edit(APPROVED_EDITS_PER_MONTH))
        .await
        .unwrap_err();
    let reason = fields(&refused);
    assert!(reason.contains("10 times in 30 days"), "{reason}");
    // More than 24 hours since the last edit, so the 30 days hold it back
    // until the first edit leaves them: a minute before, still refused ..
    let waited =
        (day + Duration::from_secs(3600)) * u32::try_from(APPROVED_EDITS_PER_MONTH).unwrap();
    let minute = Duration::from_secs(60);
    emulator
        .emulator()
        .advance_template_clock(APPROVED_EDIT_MONTH - waited - minute);
    assert!(
        client
            .edit_template(WABA, &edit(APPROVED_EDITS_PER_MONTH))
            .await
            .is_err()
    );
    // .. and a minute after, allowed.
    emulator.emulator().advance_template_clock(minute * 2);
    client
        .edit_template(WABA, &edit(APPROVED_EDITS_PER_MONTH))
        .await
        .unwrap_or_else(|error| panic!("the edit after the window: {error}"));
}

#[tokio::test]
async fn the_template_clock_route_takes_whole_seconds_only() {
    let (emulator, _client) = start(Emulator::builder()).await;
    let url = format!("{}/emulator/template-clock", emulator.base_url());
    let http = reqwest::Client::new();
    let moved = http
        .post(&url)
        .body(r#"{"advance_secs": 3600}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(moved.status(), 204);
    for body in [r#"{"advance_secs": -1}"#, r#"{"advance": 1}"#, "[]"] {
        let refused = http.post(&url).body(body).send().await.unwrap();
        assert_eq!(refused.status(), 400, "{body}");
        let answer: Value = serde_json::from_slice(&refused.bytes().await.unwrap()).unwrap();
        assert_eq!(answer["field"], "advance_secs", "{body}");
    }
}

#[tokio::test]
async fn the_hundred_and_first_creation_in_an_hour_is_refused() {
    let (_emulator, client) = start(Emulator::builder()).await;
    for n in 0..100 {
        client
            .create_template(
                WABA,
                &template(&format!("note_{n}"), "en", "Hi {{1}}, a note."),
            )
            .await
            .unwrap_or_else(|error| panic!("creation {n}: {error}"));
    }
    let refused = client
        .create_template(WABA, &template("note_100", "en", "Hi {{1}}, a note."))
        .await
        .unwrap_err();
    assert!(
        matches!(
            refused,
            Error::Api {
                status: 429,
                code: ApiCode::TooManyRequests,
                ..
            }
        ),
        "{refused}"
    );
    assert!(
        fields(&refused).contains("100 template creations"),
        "{refused}"
    );
    assert!(listed(&client, "note_100", "en").await.is_none());
}

#[tokio::test]
async fn a_delete_by_name_takes_every_language_and_by_id_one() {
    let (_emulator, client) = start(Emulator::builder()).await;
    for language in ["en", "hi", "pt_BR"] {
        client
            .create_template(WABA, &template("order_note", language, "Hi {{1}}, a note."))
            .await
            .unwrap();
    }
    let hindi = listed(&client, "order_note", "hi").await.unwrap();
    let one = TemplateDeletion::one("order_note", hindi["id"].as_str().unwrap()).unwrap();
    client.delete_template(WABA, &one).await.unwrap();
    assert!(listed(&client, "order_note", "hi").await.is_none());
    assert!(listed(&client, "order_note", "en").await.is_some());
    let every = TemplateDeletion::every_language("order_note").unwrap();
    client.delete_template(WABA, &every).await.unwrap();
    let list = client.list_templates(WABA).await.unwrap();
    assert!(list.templates().is_empty(), "{:?}", list.templates());
    let again = client.delete_template(WABA, &every).await.unwrap_err();
    assert!(
        fields(&again).contains("no template named `order_note`"),
        "{again}"
    );
}

#[tokio::test]
async fn a_pushed_template_sends_once_approved_and_not_after_it_is_deleted() {
    let (emulator, client) = start(Emulator::builder()).await;
    let message = || {
        kaleyra_runtime::TemplateMessage::new("order_note")
            .language("en")
            .param("Asha")
    };
    let to = "+919876543210";
    client
        .create_template(
            WABA,
            &template("order_note", "en", "Hi {{1}}, your order shipped."),
        )
        .await
        .unwrap();
    let pending = client.send(&message(), to).await.unwrap_err().to_string();
    assert!(pending.contains("`order_note` is PENDING"), "{pending}");
    status_after_review(&client, "order_note").await;
    let receipt = client.send(&message(), to).await.unwrap();
    let stored = emulator
        .message(receipt.message_id().unwrap())
        .expect("stored");
    assert_eq!(stored.body, "Hi Asha, your order shipped.");
    client
        .delete_template(
            WABA,
            &TemplateDeletion::every_language("order_note").unwrap(),
        )
        .await
        .unwrap();
    let deleted = client.send(&message(), to).await.unwrap_err().to_string();
    assert!(deleted.contains("132001"), "{deleted}");
}

#[tokio::test]
async fn a_template_the_derive_cannot_read_is_refused_at_once() {
    let (_emulator, client) = start(Emulator::builder()).await;
    let broken = NewTemplate::from_object(&json!({
        "name": "gap_note", "language": "en", "category": "UTILITY",
        "components": [{"type": "BODY", "text": "Hi {{1}} and {{3}}, a note.", "example": {"body_text": [["a", "b"]]}}]
    }))
    .unwrap();
    let refused = client.create_template(WABA, &broken).await.unwrap_err();
    assert!(
        matches!(refused, Error::Api { status: 400, .. }),
        "{refused}"
    );
    assert!(listed(&client, "gap_note", "en").await.is_none());
    let twice = template("order_note", "en", "Hi {{1}}, a note.");
    client.create_template(WABA, &twice).await.unwrap();
    let refused = client.create_template(WABA, &twice).await.unwrap_err();
    assert!(fields(&refused).contains("exists"), "{refused}");
}

#[tokio::test]
async fn each_review_outcome_is_posted_as_kaleyras_template_status_callback() {
    use std::sync::{Arc, Mutex};

    use kaleyra_runtime::callbacks::{Event, TemplateEvent};

    let posted: Arc<Mutex<Vec<Vec<u8>>>> = Arc::default();
    let app = axum::Router::new()
        .route(
            "/template-status",
            axum::routing::post(
                |axum::extract::State(posted): axum::extract::State<Arc<Mutex<Vec<Vec<u8>>>>>,
                 body: axum::body::Bytes| async move {
                    posted.lock().unwrap().push(body.to_vec());
                },
            ),
        )
        .with_state(posted.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/template-status", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    let (_emulator, client) = start(
        Emulator::builder()
            .template_status_url(url)
            .reject_template("promo_blast", "TAG_CONTENT_MISMATCH"),
    )
    .await;
    let approved_id = client
        .create_template(WABA, &template("order_note", "en", "Hi {{1}}, a note."))
        .await
        .unwrap()
        .id
        .unwrap();
    client
        .create_template(WABA, &template("promo_blast", "hi", "Hi {{1}}, a note."))
        .await
        .unwrap();
    let started = std::time::Instant::now();
    while posted.lock().unwrap().len() < 2 {
        assert!(started.elapsed() < Duration::from_secs(10), "two callbacks");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let mut updates: Vec<_> = posted
        .lock()
        .unwrap()
        .iter()
        .flat_map(|body| Event::parse_json(body).unwrap())
        .map(|event| match event {
            Event::TemplateStatus(update) => update,
            other => panic!("{other:?}"),
        })
        .collect();
    updates.sort_by(|a, b| a.name.cmp(&b.name));
    assert_eq!(updates[0].name.as_deref(), Some("order_note"));
    assert_eq!(updates[0].event, TemplateEvent::Approved);
    assert_eq!(
        updates[0].template_id.as_deref(),
        Some(approved_id.as_str())
    );
    assert_eq!(updates[1].event, TemplateEvent::Rejected);
    assert_eq!(updates[1].language.as_deref(), Some("hi"));
    assert_eq!(updates[1].reason.as_deref(), Some("TAG_CONTENT_MISMATCH"));
}

#[tokio::test]
async fn a_status_url_off_the_machine_is_refused_at_start() {
    let refused = Emulator::builder()
        .template_status_url("https://example.com/status")
        .build()
        .unwrap_err();
    assert!(
        refused.to_string().contains("template_status_url"),
        "{refused}"
    );
}
