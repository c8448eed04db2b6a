//! `Client::create_template`, `edit_template` and `delete_template`: the
//! requests pinned against Kaleyra's v2 template pages (path, method, query,
//! headers, Meta's bodies), the answers read, and v1 refused by name.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::routing::any;
use kaleyra_runtime::definitions::TemplateStatus;
use kaleyra_runtime::error::ApiCode;
use kaleyra_runtime::template_management::{NewTemplate, TemplateDeletion, TemplateEdit};
use kaleyra_runtime::{Api, Error, Pod};
use kaleyra_test_support::{API_KEY, SID, client_at};
use serde_json::{Value, json};

const V2: Api = Api::V2(Pod::In);
const WABA: &str = "102290129340398";
const BASE: &str = "https://api.in.kaleyra.io";

fn path() -> String {
    format!("/v2/{SID}/whatsapp/{WABA}/message_templates")
}

/// A template as `kaleyra templates pull` writes it: Meta's object with the
/// account's `id` and `status`.
fn pulled() -> Value {
    json!({
        "id": "594425479261596",
        "status": "APPROVED",
        "name": "order_update",
        "language": "en_US",
        "category": "UTILITY",
        "components": [{"type": "BODY", "text": "Hi {{1}}, your order shipped.", "example": {"body_text": [["Asha"]]}}]
    })
}

#[test]
fn create_posts_metas_create_object_and_says_what_it_left_out() {
    let template = NewTemplate::from_object(&pulled()).unwrap();
    assert_eq!(template.left_out(), ["id", "status"]);
    let request = client_at(V2, BASE)
        .prepare_create_template(WABA, &template)
        .unwrap();
    assert_eq!(request.method(), Method::POST);
    assert_eq!(request.url().as_str(), format!("{BASE}{}", path()));
    assert_eq!(request.headers()["content-type"], "application/json");
    assert_eq!(request.headers()["api-key"], API_KEY);
    let mut expected = pulled();
    expected.as_object_mut().unwrap().remove("id");
    expected.as_object_mut().unwrap().remove("status");
    assert_eq!(request.json().unwrap(), expected);
    assert!(
        !request.to_curl().contains(API_KEY),
        "{}",
        request.to_curl()
    );
}

#[test]
fn an_edit_names_the_template_in_the_query_and_changes_one_thing() {
    let client = client_at(V2, BASE);
    let components = json!([{"type": "BODY", "text": "Hello {{1}}, shipped.", "example": {"body_text": [["A"]]}}]);
    let edit =
        TemplateEdit::components("order_update", "594425479261596", components.clone()).unwrap();
    let request = client.prepare_edit_template(WABA, &edit).unwrap();
    assert_eq!(request.method(), Method::PUT);
    assert_eq!(
        request.url().as_str(),
        format!(
            "{BASE}{}?name=order_update&template_id=594425479261596",
            path()
        )
    );
    assert_eq!(request.json().unwrap(), json!({"components": components}));
    let edit = TemplateEdit::category("order_update", "594425479261596", "MARKETING").unwrap();
    let request = client.prepare_edit_template(WABA, &edit).unwrap();
    assert_eq!(request.json().unwrap(), json!({"category": "MARKETING"}));
}

#[test]
fn a_delete_by_name_or_by_id_as_kaleyras_page_shows() {
    let client = client_at(V2, BASE);
    let every = TemplateDeletion::every_language("order_update").unwrap();
    let request = client.prepare_delete_template(WABA, &every).unwrap();
    assert_eq!(request.method(), Method::DELETE);
    assert_eq!(
        request.url().as_str(),
        format!("{BASE}{}?name=order_update", path())
    );
    assert_eq!(request.headers()["cache-control"], "no-cache");
    assert!(request.body().is_empty());
    let one = TemplateDeletion::one("order_update", "594425479261596").unwrap();
    let request = client.prepare_delete_template(WABA, &one).unwrap();
    assert_eq!(
        request.url().query(),
        Some("name=order_update&template_id=594425479261596")
    );
}

#[test]
fn bad_values_are_refused_naming_the_field() {
    let field = |error: Error| match error {
        Error::Invalid { field, .. } => field,
        other => panic!("{other}"),
    };
    let mut object = pulled();
    object["name"] = json!("Order Update");
    assert_eq!(
        field(NewTemplate::from_object(&object).unwrap_err()),
        "name"
    );
    let mut object = pulled();
    object["category"] = json!("PROMOTION");
    assert_eq!(
        field(NewTemplate::from_object(&object).unwrap_err()),
        "category"
    );
    let mut object = pulled();
    object["components"] = json!([]);
    assert_eq!(
        field(NewTemplate::from_object(&object).unwrap_err()),
        "components"
    );
    assert_eq!(
        field(TemplateDeletion::one("a", "1&name=b").unwrap_err()),
        "template_id"
    );
    let template = NewTemplate::from_object(&pulled()).unwrap();
    let refused = client_at(V2, BASE).prepare_create_template("1/../2", &template);
    assert_eq!(field(refused.unwrap_err()), "waba_id");
}

#[test]
fn v1_refuses_template_management_saying_why() {
    let client = client_at(Api::V1, BASE);
    let template = NewTemplate::from_object(&pulled()).unwrap();
    let error = client.prepare_create_template(WABA, &template).unwrap_err();
    let Error::Unsupported { what, .. } = &error else {
        panic!("{error}");
    };
    assert!(what.contains("`footer` against `footer_content`"), "{what}");
    assert!(what.contains("JSON body against a form"), "{what}");
    let deletion = TemplateDeletion::every_language("order_update").unwrap();
    assert!(matches!(
        client.prepare_delete_template(WABA, &deletion),
        Err(Error::Unsupported { .. })
    ));
}

type Seen = Arc<Mutex<Vec<(Method, String, Value)>>>;

/// A server answering `status` and `body` to every request on the path.
async fn serve(status: u16, body: &'static str) -> (String, Seen) {
    let seen: Seen = Arc::default();
    let app = Router::new()
        .route(
            &path(),
            any(
                move |State(seen): State<Seen>,
                      method: Method,
                      _headers: HeaderMap,
                      RawQuery(query): RawQuery,
                      bytes: Bytes| async move {
                    let body_json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
                    seen.lock()
                        .unwrap()
                        .push((method, query.unwrap_or_default(), body_json));
                    (StatusCode::from_u16(status).unwrap(), body)
                },
            ),
        )
        .with_state(seen.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, seen)
}

#[tokio::test]
async fn a_created_template_is_read_from_kaleyras_envelope_or_metas_answer() {
    for answer in [
        r#"{"code":"WA200","message":"ok","data":{"id":"123","status":"PENDING","category":"UTILITY"},"error":{}}"#,
        r#"{"id":"123","status":"PENDING","category":"UTILITY"}"#,
    ] {
        let (url, seen) = serve(200, answer).await;
        let template = NewTemplate::from_object(&pulled()).unwrap();
        let created = client_at(V2, &url)
            .create_template(WABA, &template)
            .await
            .unwrap();
        assert_eq!(created.id.as_deref(), Some("123"));
        assert_eq!(created.status, Some(TemplateStatus::Pending));
        assert_eq!(seen.lock().unwrap()[0].2, template.body());
    }
}

#[tokio::test]
async fn the_hundred_and_first_creation_is_kaleyras_too_many_requests() {
    let (url, _) = serve(
        429,
        r#"{"code":"WA429","message":"Too many requests","data":{},"error":{"message_templates":"100 created this hour"}}"#,
    )
    .await;
    let template = NewTemplate::from_object(&pulled()).unwrap();
    let error = client_at(V2, &url)
        .create_template(WABA, &template)
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
        "{error}"
    );
    assert!(error.is_retryable());
    assert!(!error.to_string().contains(API_KEY));
}

#[tokio::test]
async fn a_refused_edit_keeps_kaleyras_reason_and_a_delete_answers_its_body() {
    let (url, seen) = serve(
        400,
        r#"{"code":"WA400","message":"Refer to correct payload format","data":{},"error":{"edit":"next edit allowed at 2026-12-04T17:00:00Z"}}"#,
    )
    .await;
    let edit = TemplateEdit::category("order_update", "1", "UTILITY").unwrap();
    let error = client_at(V2, &url)
        .edit_template(WABA, &edit)
        .await
        .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("next edit allowed at 2026-12-04T17:00:00Z"),
        "{error}"
    );
    assert_eq!(seen.lock().unwrap()[0].0, Method::PUT);
    let (url, seen) = serve(200, r#"{"code":"WA200","message":"deleted"}"#).await;
    let deletion = TemplateDeletion::every_language("order_update").unwrap();
    let body = client_at(V2, &url)
        .delete_template(WABA, &deletion)
        .await
        .unwrap();
    assert!(body.contains("deleted"));
    assert_eq!(seen.lock().unwrap()[0].1, "name=order_update");
}
