//! `Client::list_templates`: every page of the account's template list on
//! v2, each element kept byte for byte, and a typed error for every way the
//! answer can be wrong. The server is a small loopback app that answers as
//! each test scripts it.

use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::get;
use kaleyra_runtime::account_templates::{TemplateList, TemplateListOptions};
use kaleyra_runtime::error::ApiCode;
use kaleyra_runtime::{Api, Error, Pod};
use kaleyra_test_support::{API_KEY, SID, client_at, client_builder};

const V2: Api = Api::V2(Pod::In);
const WABA: &str = "102290129340398";

/// What the server answers to a query string: status and body.
type Script = dyn Fn(&str) -> (u16, String) + Send + Sync;

/// Each request's query string and `api-key` header.
type Requests = Arc<Mutex<Vec<(String, Option<String>)>>>;

struct Server {
    url: String,
    requests: Requests,
}

/// Kaleyra's answer to a wrong SID or API key.
const CREDENTIALS_ERROR: &str =
    r#"{"code":"RBC001","message":"Incorrect SID or API key.","error":{}}"#;

/// The account's templates as the test server lists them, on v2.
async fn list(server: &Server) -> Result<TemplateList, Error> {
    client_at(V2, &server.url).list_templates(WABA).await
}

async fn serve(script: impl Fn(&str) -> (u16, String) + Send + Sync + 'static) -> Server {
    type Shared = (Arc<Script>, Requests);
    let requests = Arc::new(Mutex::new(Vec::new()));
    let shared: Shared = (Arc::new(script), requests.clone());
    let app = Router::new()
        .route(
            &format!("/v2/{SID}/whatsapp/{WABA}/message_templates"),
            get(
                |State((script, requests)): State<Shared>,
                 headers: HeaderMap,
                 RawQuery(query): RawQuery| async move {
                    let query = query.unwrap_or_default();
                    let key = headers
                        .get("api-key")
                        .and_then(|key| key.to_str().ok())
                        .map(str::to_owned);
                    requests.lock().unwrap().push((query.clone(), key));
                    let (status, body) = script(&query);
                    (
                        StatusCode::from_u16(status).unwrap(),
                        [("content-type", "application/json")],
                        body,
                    )
                },
            ),
        )
        .with_state(shared);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Server { url, requests }
}

/// A template object named `name` in English, with one body parameter.
fn template(name: &str) -> String {
    format!(
        r#"{{"name":"{name}","language":"en","status":"APPROVED","category":"UTILITY","id":"1","components":[{{"type":"BODY","text":"Hi {{{{1}}}}"}}],"company_id":"c1"}}"#
    )
}

fn page(templates: &[String], paging: &str) -> String {
    format!(
        r#"{{"code":"WA200","message":"Templates fetched","data":[{}]{paging},"error":{{}}}}"#,
        templates.join(",")
    )
}

fn query_value<'a>(query: &'a str, key: &str) -> Option<&'a str> {
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix(key)?.strip_prefix('='))
}

#[tokio::test]
async fn every_page_is_followed_by_cursor_and_each_element_kept_byte_for_byte() {
    let all: Vec<String> = (0..7).map(|i| template(&format!("t{i}"))).collect();
    let served = all.clone();
    let server = serve(move |query| {
        let start: usize = query_value(query, "after").map_or(0, |a| a[1..].parse().unwrap());
        let end = (start + 3).min(served.len());
        let paging = format!(r#","paging":{{"cursors":{{"before":"c{start}","after":"c{end}"}}}}"#);
        (200, page(&served[start..end], &paging))
    })
    .await;
    let client = client_at(V2, &server.url);
    let options = TemplateListOptions::default().page_size(NonZeroUsize::new(3).unwrap());
    let list = client.list_templates_with(WABA, &options).await.unwrap();

    let raw: Vec<&str> = list.templates().iter().map(|t| t.raw_json()).collect();
    assert_eq!(raw, all.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(list.definitions().len(), 7);
    // Three full pages, then the empty page after the last cursor.
    assert_eq!(list.pages(), 4);
    let requests = server.requests.lock().unwrap().clone();
    let queries: Vec<&str> = requests.iter().map(|(query, _)| query.as_str()).collect();
    assert_eq!(
        queries,
        [
            "limit=3",
            "limit=3&after=c3",
            "limit=3&after=c6",
            "limit=3&after=c7"
        ]
    );
    assert!(
        requests
            .iter()
            .all(|(_, key)| key.as_deref() == Some(API_KEY))
    );
}

#[tokio::test]
async fn a_next_url_on_the_same_host_is_followed_when_there_is_no_cursor() {
    let server_url = Arc::new(Mutex::new(String::new()));
    let base = server_url.clone();
    let server = serve(move |query| match query {
        "" => {
            let next = format!(
                "{}/v2/{SID}/whatsapp/{WABA}/message_templates?page=2",
                base.lock().unwrap()
            );
            (
                200,
                page(
                    &[template("first")],
                    &format!(r#","paging":{{"next":"{next}"}}"#),
                ),
            )
        }
        _ => (200, page(&[template("second")], "")),
    })
    .await;
    *server_url.lock().unwrap() = server.url.clone();
    let list = list(&server).await.unwrap();
    let names: Vec<&str> = list.templates().iter().filter_map(|t| t.name()).collect();
    assert_eq!(names, ["first", "second"]);
    assert_eq!(list.pages(), 2);
}

#[tokio::test]
async fn a_next_url_on_another_host_is_refused_so_the_key_stays_home() {
    let server = serve(|_| {
        let paging =
            r#","paging":{"next":"https://graph.example.com/v20/123/message_templates?after=x"}"#;
        (200, page(&[template("first")], paging))
    })
    .await;
    let error = list(&server).await.unwrap_err();
    assert!(
        matches!(&error, Error::Decode { reason, .. } if reason.contains("https://graph.example.com")),
        "{error}"
    );
    assert_eq!(server.requests.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn a_repeated_cursor_ends_the_list() {
    let server = serve(|_| {
        let paging = r#","paging":{"cursors":{"after":"same"}}"#;
        (200, page(&[template("looping")], paging))
    })
    .await;
    let list = list(&server).await.unwrap();
    assert_eq!(list.pages(), 2);
    assert_eq!(server.requests.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn an_element_that_does_not_parse_is_kept_and_named_not_fatal() {
    let broken = r#"{"name":"promo","language":"en","status":"APPROVED","components":[{"type":"BODY","text":"Hi {{1}} {{3}}"}]}"#;
    let server = serve(move |_| (200, page(&[template("ok"), broken.to_owned()], ""))).await;
    let list = list(&server).await.unwrap();
    assert_eq!(list.definitions().len(), 1);
    let unreadable: Vec<String> = list
        .unreadable()
        .map(|t| t.definition().unwrap_err().to_string())
        .collect();
    assert_eq!(unreadable.len(), 1);
    assert!(unreadable[0].starts_with("promo.en.json"), "{unreadable:?}");
    assert_eq!(list.unreadable().next().unwrap().raw_json(), broken);
}

#[tokio::test]
async fn a_wrong_key_is_kaleyras_credentials_error() {
    let server = serve(|_| (401, CREDENTIALS_ERROR.to_owned())).await;
    let error = list(&server).await.unwrap_err();
    assert!(
        matches!(
            &error,
            Error::Api {
                status: 401,
                code: ApiCode::InvalidCredentials,
                ..
            }
        ),
        "{error}"
    );
}

#[tokio::test]
async fn a_server_error_is_typed_with_or_without_kaleyras_body() {
    let server = serve(|query| match query {
        "" => (
            500,
            r#"{"code":"WA500","message":"Internal error","error":{}}"#.to_owned(),
        ),
        _ => (502, "<html>bad gateway</html>".to_owned()),
    })
    .await;
    let client = client_at(V2, &server.url);
    let error = client.list_templates(WABA).await.unwrap_err();
    assert!(
        matches!(
            &error,
            Error::Api {
                status: 500,
                code: ApiCode::ServerError,
                ..
            }
        ),
        "{error}"
    );
    let options = TemplateListOptions::default().page_size(NonZeroUsize::new(5).unwrap());
    let error = client
        .list_templates_with(WABA, &options)
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::Decode { status: 502, .. }),
        "{error}"
    );
}

#[tokio::test]
async fn a_page_that_is_not_a_list_is_a_decode_error() {
    for body in [
        "{\"code\":\"WA200\",\"data\":[",
        "{\"templates\":[]}",
        "[1,2]",
    ] {
        let server = serve(move |_| (200, body.to_owned())).await;
        let error = list(&server).await.unwrap_err();
        assert!(
            matches!(&error, Error::Decode { status: 200, reason, .. } if reason.contains("not a template list")),
            "{body}: {error}"
        );
    }
}

#[tokio::test]
async fn an_error_body_under_200_is_the_api_error() {
    let server = serve(|_| (200, CREDENTIALS_ERROR.to_owned())).await;
    let error = list(&server).await.unwrap_err();
    assert!(
        matches!(
            &error,
            Error::Api {
                code: ApiCode::InvalidCredentials,
                ..
            }
        ),
        "{error}"
    );
}

#[tokio::test]
async fn an_answer_over_the_size_cap_is_refused_unread() {
    let names: Vec<String> = (0..100).map(|i| template(&format!("t{i}"))).collect();
    let server = serve(move |_| (200, page(&names, ""))).await;
    let client = client_builder(V2, &server.url)
        .max_response_bytes(4096)
        .build()
        .unwrap();
    let error = client.list_templates(WABA).await.unwrap_err();
    assert!(
        matches!(&error, Error::Decode { reason, .. } if reason.contains("4096 byte cap")),
        "{error}"
    );
}

#[tokio::test]
async fn v1_has_no_template_list_and_nothing_is_sent() {
    let server = serve(|_| (200, page(&[], ""))).await;
    let error = client_at(Api::V1, &server.url)
        .list_templates(WABA)
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Unsupported { .. }), "{error}");
    assert_eq!(
        error.to_string(),
        "the template list (Kaleyra documents its JSON for v2 only) is not available on Kaleyra's v1 API"
    );
    assert!(server.requests.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_waba_id_that_would_change_the_path_is_refused() {
    let client = client_at(V2, "http://127.0.0.1:9");
    for waba in ["", "../messages", "123?x=1"] {
        let error = client.list_templates(waba).await.unwrap_err();
        assert!(
            matches!(&error, Error::Invalid { field, .. } if field == "waba_id"),
            "{waba}: {error}"
        );
    }
}
