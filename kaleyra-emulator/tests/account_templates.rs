//! The account's templates: the v2 template list (Kaleyra's envelope, Meta's
//! objects, paging, authentication, a directory that changes while the
//! emulator runs), and sends of named, multi-language, authentication and
//! copy-code templates checked as Kaleyra would.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::{Answer, Raw, TO};
use kaleyra_emulator::{Emulator, RunningEmulator};
use serde_json::{Value, json};

const FIXTURES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../kaleyra-definitions/tests/fixtures"
);
const WORKSPACE_TEMPLATES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../templates");

/// A templates directory with Meta objects captured from an account, two
/// languages of one name, and definitions in this project's format.
fn account_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let copy = |from: PathBuf, name: &str| std::fs::copy(from, dir.path().join(name)).unwrap();
    let fixtures = Path::new(FIXTURES);
    for name in [
        "order_update.en_US.json",
        "login_code.en.json",
        "festive_coupon.en.json",
        "delivery_named.en.json",
    ] {
        copy(fixtures.join(name), name);
    }
    // `booking_confirm` gives only `params`, no body text.
    for name in [
        "order_status.en.json",
        "order_status.hi.json",
        "booking_confirm.json",
    ] {
        copy(fixtures.join("languages").join(name), name);
    }
    copy(
        Path::new(WORKSPACE_TEMPLATES).join("cta_url_sample.json"),
        "cta_url_sample.json",
    );
    // The same named template, approved, to send.
    let named = std::fs::read_to_string(fixtures.join("delivery_named.en.json")).unwrap();
    let named = named
        .replace("\"delivery_named\"", "\"delivery_ready\"")
        .replace("\"PAUSED\"", "\"APPROVED\"");
    std::fs::write(dir.path().join("delivery_ready.en.json"), named).unwrap();
    dir
}

async fn start(dir: &Path) -> RunningEmulator {
    Emulator::builder()
        .templates_dir(dir)
        .callback_delay(Duration::from_millis(10))
        .start()
        .await
        .expect("the emulator starts")
}

fn http() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().unwrap()
}

async fn get(url: &str, api_key: &str) -> Answer {
    let response = http()
        .get(url)
        .header("api-key", api_key)
        .send()
        .await
        .expect("the emulator answers");
    let status = response.status().as_u16();
    let bytes = response.bytes().await.expect("a body");
    let body = serde_json::from_slice(&bytes).expect("a JSON body");
    Answer { status, body }
}

fn list_url(emulator: &RunningEmulator, query: &str) -> String {
    format!(
        "{}/v2/{}/whatsapp/102290129340398/message_templates{query}",
        emulator.base_url(),
        emulator.sid()
    )
}

async fn list(emulator: &RunningEmulator, query: &str) -> Answer {
    get(&list_url(emulator, query), emulator.api_key()).await
}

fn names(data: &Value) -> Vec<String> {
    data.as_array()
        .unwrap()
        .iter()
        .map(|template| {
            format!(
                "{}.{}",
                template["name"].as_str().unwrap(),
                template["language"].as_str().unwrap_or("-")
            )
        })
        .collect()
}

#[tokio::test]
async fn the_list_is_kaleyras_envelope_of_metas_objects() {
    let dir = account_dir();
    let emulator = start(dir.path()).await;
    let answer = list(&emulator, "").await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.body["code"], "WA200");
    assert_eq!(answer.body["error"], json!({}));
    assert!(answer.body.get("paging").is_none(), "{}", answer.body);
    assert_eq!(
        names(&answer.body["data"]),
        [
            "booking_confirm.en",
            "delivery_named.en",
            "delivery_ready.en",
            "festive_coupon.en",
            "login_code.en",
            "order_status.en",
            "order_status.hi",
            "order_update.en_US",
        ],
        "interactive definitions (cta_url) are not approved templates and are not listed"
    );
    // A Meta object is listed exactly as the file holds it, `company_id` and all.
    let captured: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("order_update.en_US.json")).unwrap())
            .unwrap();
    assert_eq!(answer.body["data"][7], captured);
    // A definition in this project's format is converted to Meta's shape.
    let booking = &answer.body["data"][0];
    assert_eq!(booking["status"], "APPROVED");
    assert_eq!(booking["parameter_format"], "POSITIONAL");
    assert_eq!(
        booking["components"],
        json!([{"type": "BODY", "text": "{{1}} {{2}}"}])
    );
    assert!(
        booking["id"]
            .as_str()
            .unwrap()
            .bytes()
            .all(|b| b.is_ascii_digit())
    );
    // What the emulator lists reads back as a definition.
    let converted = serde_json::to_vec(booking).unwrap();
    kaleyra_definitions::TemplateDefinition::from_slice(
        &converted,
        Path::new("booking_confirm.en.json"),
    )
    .unwrap();
}

#[tokio::test]
async fn the_list_needs_the_api_key() {
    let dir = account_dir();
    let emulator = start(dir.path()).await;
    let answer = get(&list_url(&emulator, ""), "wrong-key").await;
    answer.assert_error(401, "RBC001", "error", "Incorrect SID or API key.");
    let response = http().get(list_url(&emulator, "")).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 401);
}

#[tokio::test]
async fn a_small_page_is_followed_to_the_end_by_its_next_links() {
    let dir = account_dir();
    let emulator = start(dir.path()).await;
    let everything = list(&emulator, "").await.body["data"].clone();

    let mut collected = Vec::new();
    let mut answer = list(&emulator, "?limit=3").await;
    let mut pages = 1;
    loop {
        assert_eq!(answer.status, 200, "{}", answer.body);
        let data = answer.body["data"].as_array().unwrap();
        assert!(data.len() <= 3);
        collected.extend(data.iter().cloned());
        assert!(answer.body["paging"]["cursors"]["after"].is_string());
        match answer.body["paging"]["next"].as_str() {
            Some(next) => {
                assert!(next.contains("limit=3&after="), "{next}");
                answer = get(next, emulator.api_key()).await;
                pages += 1;
            }
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(Value::Array(collected), everything);

    // A cursor taken from a page gives the rest.
    let first = list(&emulator, "?limit=7").await;
    let after = first.body["paging"]["cursors"]["after"]
        .as_str()
        .unwrap()
        .to_owned();
    let rest = list(&emulator, &format!("?limit=7&after={after}")).await;
    assert_eq!(names(&rest.body["data"]), ["order_update.en_US"]);
    assert!(rest.body["paging"].get("next").is_none());
}

#[tokio::test]
async fn bad_paging_is_refused_by_name() {
    let dir = account_dir();
    let emulator = start(dir.path()).await;
    list(&emulator, "?limit=0").await.assert_error(
        400,
        "WA400",
        "limit",
        "give a page size from 1 to 1000",
    );
    list(&emulator, "?limit=ten")
        .await
        .assert_error(400, "WA400", "limit", "is `ten`");
    list(&emulator, "?limit=2&after=somewhere")
        .await
        .assert_error(400, "WA400", "after", "is not a cursor this list gave");
    list(&emulator, "?limit=2&after=pos_999")
        .await
        .assert_error(400, "WA400", "after", "is not a cursor this list gave");
}

#[tokio::test]
async fn the_list_follows_the_directory_so_tests_can_make_the_account_drift() {
    let dir = account_dir();
    let emulator = start(dir.path()).await;
    let file = dir.path().join("order_status.hi.json");
    let paused = std::fs::read_to_string(&file)
        .unwrap()
        .replace("\"APPROVED\"", "\"PAUSED\"");
    std::fs::write(&file, paused).unwrap();
    std::fs::remove_file(dir.path().join("login_code.en.json")).unwrap();

    let answer = list(&emulator, "").await;
    let data = answer.body["data"].as_array().unwrap();
    let hindi = data
        .iter()
        .find(|t| t["name"] == "order_status" && t["language"] == "hi")
        .unwrap();
    assert_eq!(hindi["status"], "PAUSED");
    assert!(!names(&answer.body["data"]).contains(&"login_code.en".to_owned()));

    // A file broken while running is a server error naming it, not a panic.
    std::fs::write(dir.path().join("broken.json"), "{\"name\":").unwrap();
    list(&emulator, "")
        .await
        .assert_error(500, "WA500", "templates", "broken.json");
}

fn v2_template(name: &str, language: &str, components: Value) -> Value {
    json!({
        "messaging_object": {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": TO,
            "type": "template",
            "template": {"name": name, "language": {"code": language}, "components": components}
        }
    })
}

const V2_PARAMS: &str = "messaging_object.template.components[body]";

fn named_body(parameters: Value) -> Value {
    json!([
        {"type": "header", "parameters": [{"type": "text", "parameter_name": "order_id", "text": "ORD-7"}]},
        {"type": "body", "parameters": parameters}
    ])
}

#[tokio::test]
async fn named_parameters_are_matched_by_name_on_v2_and_refused_on_v1() {
    let dir = account_dir();
    let emulator = start(dir.path()).await;
    let raw = Raw::new(&emulator);
    let good = named_body(json!([
        {"type": "text", "parameter_name": "order_id", "text": "ORD-7"},
        {"type": "text", "parameter_name": "customer_name", "text": "Asha"},
        {"type": "text", "parameter_name": "delivery_date", "text": "Friday"}
    ]));
    let answer = raw.v2(&v2_template("delivery_ready", "en", good)).await;
    assert_eq!(answer.status, 202, "{}", answer.body);
    let stored = &emulator.messages()[0];
    assert_eq!(
        stored.body,
        "Hi Asha, order ORD-7 arrives Friday. Thanks, Asha!"
    );

    let misspelt = named_body(json!([
        {"type": "text", "parameter_name": "order_id", "text": "ORD-7"},
        {"type": "text", "parameter_name": "customer_nme", "text": "Asha"},
        {"type": "text", "parameter_name": "delivery_date", "text": "Friday"}
    ]));
    raw.v2(&v2_template("delivery_ready", "en", misspelt))
        .await
        .assert_error(400, "WA400", V2_PARAMS, "did you mean `customer_name`?");

    let missing = named_body(json!([
        {"type": "text", "parameter_name": "order_id", "text": "ORD-7"},
        {"type": "text", "parameter_name": "customer_name", "text": "Asha"}
    ]));
    raw.v2(&v2_template("delivery_ready", "en", missing))
        .await
        .assert_error(400, "WA400", V2_PARAMS, "(#132000) template `delivery_ready` takes `customer_name`, `order_id`, `delivery_date`; missing `delivery_date`");

    let mut wrong_header = named_body(json!([
        {"type": "text", "parameter_name": "order_id", "text": "ORD-7"},
        {"type": "text", "parameter_name": "customer_name", "text": "Asha"},
        {"type": "text", "parameter_name": "delivery_date", "text": "Friday"}
    ]));
    wrong_header[0]["parameters"][0]["parameter_name"] = json!("order");
    raw.v2(&v2_template("delivery_ready", "en", wrong_header))
        .await
        .assert_error(
            400,
            "WA400",
            "messaging_object.template.components[header]",
            "the header parameter of template `delivery_ready` is `order_id`, but the request gives `order`",
        );

    let unnamed = named_body(json!([{"type": "text", "text": "Asha"}]));
    raw.v2(&v2_template("delivery_ready", "en", unnamed))
        .await
        .assert_error(400, "WA400", V2_PARAMS, "has no `parameter_name`");

    let v1 = raw.v1_fields(
        "mediatemplate",
        &[("template_name", "delivery_ready"), ("params", "\"Asha\"")],
    );
    raw.v1(&v1)
        .await
        .assert_error(400, "E413", "params", "send it through v2");
}

#[tokio::test]
async fn a_template_is_sent_in_a_language_it_has() {
    let dir = account_dir();
    let emulator = start(dir.path()).await;
    let raw = Raw::new(&emulator);
    let components = json!([
        {"type": "body", "parameters": [{"type": "text", "text": "Asha"}, {"type": "text", "text": "ORD-7"}]},
        {"type": "button", "sub_type": "url", "index": 0, "parameters": [{"type": "text", "text": "ORD-7"}]}
    ]);
    let answer = raw
        .v2(&v2_template("order_status", "hi", components.clone()))
        .await;
    assert_eq!(answer.status, 202, "{}", answer.body);
    assert_eq!(emulator.messages()[0].body, "नमस्ते Asha, ऑर्डर ORD-7 तैयार है।");

    raw.v2(&v2_template("order_status", "fr", components))
        .await
        .assert_error(
            400,
            "WA400",
            "messaging_object.template.language.code",
            "(#132001) template `order_status` does not exist in `fr`; it is approved in `en`, `hi`",
        );

    let v1 = raw.v1_fields(
        "mediatemplate",
        &[
            ("template_name", "order_status"),
            ("params", "\"Asha\",\"ORD-7\""),
            ("param_url", "ORD-7"),
        ],
    );
    raw.v1(&v1)
        .await
        .assert_error(400, "E413", "lang_code", "say which language to send");
}

#[tokio::test]
async fn a_paused_template_is_refused_with_metas_code() {
    let dir = account_dir();
    let emulator = start(dir.path()).await;
    let raw = Raw::new(&emulator);
    let components = named_body(json!([
        {"type": "text", "parameter_name": "order_id", "text": "ORD-7"},
        {"type": "text", "parameter_name": "customer_name", "text": "Asha"},
        {"type": "text", "parameter_name": "delivery_date", "text": "Friday"}
    ]));
    raw.v2(&v2_template("delivery_named", "en", components))
        .await
        .assert_error(
            400,
            "WA400",
            "messaging_object.template.name",
            "(#132015) template `delivery_named` is PAUSED in the account",
        );
}

fn authentication(code: &str, button_code: Option<&str>) -> Value {
    let mut components =
        vec![json!({"type": "body", "parameters": [{"type": "text", "text": code}]})];
    if let Some(button_code) = button_code {
        components.push(json!({"type": "button", "sub_type": "url", "index": 0,
            "parameters": [{"type": "text", "text": button_code}]}));
    }
    v2_template("login_code", "en", Value::Array(components))
}

#[tokio::test]
async fn authentication_templates_send_the_code_on_v2_in_the_body_and_the_button() {
    let dir = account_dir();
    let emulator = start(dir.path()).await;
    let raw = Raw::new(&emulator);
    let answer = raw.v2(&authentication("482913", Some("482913"))).await;
    assert_eq!(answer.status, 202, "{}", answer.body);
    assert!(
        emulator.messages()[0]
            .body
            .starts_with("*482913* is your verification code.")
    );

    raw.v2(&authentication("482913", None)).await.assert_error(
        400,
        "WA400",
        "messaging_object.template.components[button 0]",
        "needs the code, as a `url` button parameter",
    );
    raw.v2(&authentication("482913", Some("111111")))
        .await
        .assert_error(
            400,
            "WA400",
            "messaging_object.template.components[button 0]",
            "takes the same code as the body",
        );
    let sixteen = "1234567890123456";
    raw.v2(&authentication(sixteen, Some(sixteen)))
        .await
        .assert_error(
            400,
            "WA400",
            V2_PARAMS,
            "has 16 characters; the limit is 15",
        );
}

#[tokio::test]
async fn authentication_templates_send_the_verification_code_on_v1() {
    let dir = account_dir();
    let emulator = start(dir.path()).await;
    let raw = Raw::new(&emulator);
    let fields = raw.v1_fields(
        "authenticationtemplate",
        &[
            ("template_name", "login_code"),
            ("verification_code", "482913"),
        ],
    );
    let answer = raw.v1(&fields).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.body["type"], "authenticationtemplate");
    assert!(
        emulator.messages()[0]
            .body
            .starts_with("*482913* is your verification code.")
    );

    let too_long = raw.v1_fields(
        "authenticationtemplate",
        &[
            ("template_name", "login_code"),
            ("verification_code", "1234567890123456"),
        ],
    );
    raw.v1(&too_long)
        .await
        .assert_error(400, "E413", "verification_code", "the limit is 15");

    let as_template = raw.v1_fields(
        "mediatemplate",
        &[("template_name", "login_code"), ("params", "\"482913\"")],
    );
    raw.v1(&as_template).await.assert_error(
        400,
        "E413",
        "type",
        "send it with type=authenticationtemplate",
    );

    let not_authentication = raw.v1_fields(
        "authenticationtemplate",
        &[
            ("template_name", "booking_confirm"),
            ("verification_code", "482913"),
        ],
    );
    raw.v1(&not_authentication).await.assert_error(
        400,
        "E413",
        "type",
        "is not an authentication template",
    );

    let missing = raw.v1_fields("authenticationtemplate", &[("template_name", "login_code")]);
    raw.v1(&missing)
        .await
        .assert_error(400, "E413", "verification_code", "mandatory");
}

#[tokio::test]
async fn a_copy_code_button_takes_a_coupon_on_v2_and_v1() {
    let dir = account_dir();
    let emulator = start(dir.path()).await;
    let raw = Raw::new(&emulator);
    let with_coupon = |button: Value| {
        v2_template(
            "festive_coupon",
            "en",
            json!([
                {"type": "header", "parameters": [{"type": "image", "image": {"link": "https://example.com/sale.jpg"}}]},
                {"type": "body", "parameters": [{"type": "text", "text": "25%"}]},
                button
            ]),
        )
    };
    let answer = raw
        .v2(&with_coupon(
            json!({"type": "button", "sub_type": "copy_code", "index": 0,
            "parameters": [{"type": "coupon_code", "coupon_code": "SAVE25"}]}),
        ))
        .await;
    assert_eq!(answer.status, 202, "{}", answer.body);

    raw.v2(&with_coupon(
        json!({"type": "button", "sub_type": "quick_reply", "index": 0,
        "parameters": [{"type": "payload", "payload": "x"}]}),
    ))
    .await
    .assert_error(
        400,
        "WA400",
        "messaging_object.template.components[button 0]",
        "is a copy-code button; it takes a coupon code",
    );
    raw.v2(&with_coupon(
        json!({"type": "button", "sub_type": "copy_code", "index": 0,
        "parameters": [{"type": "text", "text": "SAVE25"}]}),
    ))
    .await
    .assert_error(
        400,
        "WA400",
        "messaging_object.template.components[2].parameters[0]",
        "a copy_code button takes {\"type\": \"coupon_code\"",
    );
    let coupon_on_url = json!([
        {"type": "header", "parameters": [{"type": "image", "image": {"link": "https://example.com/sale.jpg"}}]},
        {"type": "body", "parameters": [{"type": "text", "text": "25%"}]},
        {"type": "button", "sub_type": "copy_code", "index": 0,
            "parameters": [{"type": "coupon_code", "coupon_code": "SAVE25"}]},
        {"type": "button", "sub_type": "copy_code", "index": 1,
            "parameters": [{"type": "coupon_code", "coupon_code": "SAVE25"}]}
    ]);
    raw.v2(&v2_template("festive_coupon", "en", coupon_on_url))
        .await
        .assert_error(
            400,
            "WA400",
            "messaging_object.template.components[button 1]",
            "is a url button, not a copy-code button",
        );
    let v1 = raw.v1_fields(
        "mediatemplate",
        &[
            ("template_name", "festive_coupon"),
            ("params", "\"25%\""),
            ("media_url", "https://example.com/sale.jpg"),
        ],
    );
    // v1 carries the coupon in `coupon_code`, quoted like `params`
    // (Kaleyra's coupon-code page).
    raw.v1(&v1)
        .await
        .assert_error(400, "E413", "coupon_code", "needs a coupon code");
    let with_coupon = raw.v1_fields(
        "mediatemplate",
        &[
            ("template_name", "festive_coupon"),
            ("params", "\"25%\""),
            ("media_url", "https://example.com/sale.jpg"),
            ("coupon_code", "\"SAVE25\""),
        ],
    );
    let answer = raw.v1(&with_coupon).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let without = v2_template(
        "festive_coupon",
        "en",
        json!([
            {"type": "header", "parameters": [{"type": "image", "image": {"link": "https://example.com/sale.jpg"}}]},
            {"type": "body", "parameters": [{"type": "text", "text": "25%"}]}
        ]),
    );
    raw.v2(&without).await.assert_error(
        400,
        "WA400",
        "messaging_object.template.components[button 0]",
        "needs a coupon code",
    );
}
