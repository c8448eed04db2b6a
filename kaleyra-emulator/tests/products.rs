//! Catalog, multi-product and single-product template sends (Meta's
//! reference objects 007, 008 and 010, approved): accepted when sent as the
//! runtime sends them, on v2 and (catalog) on v1, and refused as WhatsApp
//! would refuse them, naming the part: a missing or empty product, 31
//! products, 11 sections, a title over 24 characters.

mod common;

use std::path::Path;
use std::time::Duration;

use common::{Raw, TO};
use kaleyra_emulator::{Emulator, RunningEmulator};
use kaleyra_runtime::{
    Api, MultiProduct, Pod, Product, ProductSection, TemplateHeader, TemplateMessage,
};
use serde_json::{Value, json};

const FIXTURES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../kaleyra-definitions/tests/fixtures/products"
);

async fn start() -> (tempfile::TempDir, RunningEmulator) {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(FIXTURES).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
    }
    let emulator = Emulator::builder()
        .templates_dir(dir.path())
        .callback_delay(Duration::from_millis(10))
        .start()
        .await
        .expect("the emulator starts");
    (dir, emulator)
}

/// `GET /emulator/messages`, as JSON.
async fn messages(emulator: &RunningEmulator) -> Vec<Value> {
    let body = reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap()
        .get(format!("{}/emulator/messages", emulator.base_url()))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    serde_json::from_str(&body).unwrap()
}

fn v2_template(name: &str, components: Value) -> Value {
    json!({
        "messaging_object": {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": TO,
            "type": "template",
            "template": {"name": name, "language": {"code": "en_US"}, "components": components}
        }
    })
}

fn cart() -> MultiProduct {
    MultiProduct::new("2lc20305pt").section(ProductSection::new(
        "Your cart",
        ["nseiw1x9ez", "46sgk8mwlv"],
    ))
}

#[tokio::test]
async fn the_runtimes_product_sends_are_accepted_and_stored_with_their_products() {
    let (_dir, emulator) = start().await;
    let v2 = common::client(&emulator, Api::V2(Pod::In));
    let catalog = TemplateMessage::media("intro_catalog_offer")
        .language("en_US")
        .params(["100", "400", "3"])
        .catalog_thumbnail(0, "2lc20305pt");
    v2.send(&catalog, TO).await.unwrap();
    let cart_message = TemplateMessage::media("abandoned_cart")
        .language("en_US")
        .header(TemplateHeader::Text("Pablo".into()))
        .param("10OFF")
        .multi_product(0, cart());
    v2.send(&cart_message, TO).await.unwrap();
    let offer = TemplateMessage::media("abandoned_cart_offer")
        .language("en_US")
        .header(TemplateHeader::Product(Product::new(
            "194836987003835",
            "2lc20305pt",
        )))
        .params(["25OFF", "25%"]);
    v2.send(&offer, TO).await.unwrap();
    // Kaleyra's v1 catalog page: `type=template` and the thumbnail plain.
    let v1 = common::client(&emulator, Api::V1);
    v1.send(&catalog, TO).await.unwrap();

    let stored = messages(&emulator).await;
    assert_eq!(stored.len(), 4, "{stored:?}");
    let by_name = |name: &str| {
        stored
            .iter()
            .find(|message| message["template_name"] == name)
            .unwrap()
    };
    assert_eq!(
        by_name("intro_catalog_offer")["buttons"][0]["thumbnail_product"],
        "2lc20305pt"
    );
    assert_eq!(
        by_name("abandoned_cart")["buttons"][0]["products"],
        json!({"thumbnail": "2lc20305pt", "sections": [
            {"title": "Your cart", "product_retailer_ids": ["nseiw1x9ez", "46sgk8mwlv"]}
        ]})
    );
    assert_eq!(
        by_name("abandoned_cart")["header"]["text"],
        "Forget something, Pablo?"
    );
    let header = &by_name("abandoned_cart_offer")["header"];
    assert_eq!(header["type"], "product");
    assert_eq!(header["product"]["catalog_id"], "194836987003835");
    assert_eq!(header["product"]["product_retailer_id"], "2lc20305pt");
}

const BUTTON_0: &str = "messaging_object.template.components[button 0]";

fn mpm(sections: Value) -> Value {
    v2_template(
        "abandoned_cart",
        json!([
            {"type": "header", "parameters": [{"type": "text", "text": "Pablo"}]},
            {"type": "body", "parameters": [{"type": "text", "text": "10OFF"}]},
            {"type": "button", "sub_type": "mpm", "index": 0, "parameters": [{"type": "action",
                "action": {"thumbnail_product_retailer_id": "sku", "sections": sections}}]}
        ]),
    )
}

fn section(title: &str, count: usize) -> Value {
    let items: Vec<Value> = (0..count)
        .map(|n| json!({"product_retailer_id": format!("sku-{n}")}))
        .collect();
    json!({"title": title, "product_items": items})
}

#[tokio::test]
async fn products_whatsapp_would_refuse_are_refused_naming_the_part() {
    let (_dir, emulator) = start().await;
    let raw = Raw::new(&emulator);
    let answer = raw
        .v2(&mpm(json!([section("A", 20), section("B", 10)])))
        .await;
    assert_eq!(answer.status, 202, "{}", answer.body);

    raw.v2(&mpm(json!([section("A", 20), section("B", 11)])))
        .await
        .assert_error(400, "WA400", BUTTON_0, "31 products");
    let eleven: Vec<Value> = (0..11).map(|n| section(&format!("S{n}"), 1)).collect();
    raw.v2(&mpm(json!(eleven)))
        .await
        .assert_error(400, "WA400", BUTTON_0, "11 sections");
    raw.v2(&mpm(json!([section("A", 1), section(&"t".repeat(25), 1)])))
        .await
        .assert_error(400, "WA400", BUTTON_0, "(products sections[1] title)");
    raw.v2(&mpm(
        json!([{"title": "A", "product_items": [{"product_retailer_id": ""}]}]),
    ))
    .await
    .assert_error(
        400,
        "WA400",
        BUTTON_0,
        "(products sections[0] product_items[0])",
    );

    // Without its products, an MPM template is refused at its button.
    let no_button = v2_template(
        "abandoned_cart",
        json!([
            {"type": "header", "parameters": [{"type": "text", "text": "Pablo"}]},
            {"type": "body", "parameters": [{"type": "text", "text": "10OFF"}]}
        ]),
    );
    raw.v2(&no_button)
        .await
        .assert_error(400, "WA400", BUTTON_0, "needs its products");

    // A catalog button needs a non-empty thumbnail product.
    let catalog = |thumbnail: &str| {
        v2_template(
            "intro_catalog_offer",
            json!([
                {"type": "body", "parameters": [
                    {"type": "text", "text": "100"}, {"type": "text", "text": "400"}, {"type": "text", "text": "3"}
                ]},
                {"type": "button", "sub_type": "CATALOG", "index": 0, "parameters": [{"type": "action",
                    "action": {"thumbnail_product_retailer_id": thumbnail}}]}
            ]),
        )
    };
    raw.v2(&catalog(" "))
        .await
        .assert_error(400, "WA400", BUTTON_0, "thumbnail product is empty");

    // A product header needs its product, with both ids.
    let offer = |header: Value| {
        v2_template(
            "abandoned_cart_offer",
            json!([
                {"type": "header", "parameters": [header]},
                {"type": "body", "parameters": [
                    {"type": "text", "text": "25OFF"}, {"type": "text", "text": "25%"}
                ]}
            ]),
        )
    };
    raw.v2(&offer(
        json!({"type": "product", "product": {"product_retailer_id": "", "catalog_id": "1"}}),
    ))
    .await
    .assert_error(
        400,
        "WA400",
        "messaging_object.template.components[header]",
        "(header product_retailer_id)",
    );
    raw.v2(&offer(
        json!({"type": "product", "product": {"product_retailer_id": "sku"}}),
    ))
    .await
    .assert_error(
        400,
        "WA400",
        "messaging_object.template.components[0].parameters[0].product.catalog_id",
        "is missing",
    );
    raw.v2(&offer(json!({"type": "text", "text": "x"})))
        .await
        .assert_error(
            400,
            "WA400",
            "messaging_object.template.components[header]",
            "has a product header",
        );
    assert_eq!(
        messages(&emulator).await.len(),
        1,
        "only the first send is stored"
    );
}

#[test]
fn fixtures_are_the_reference_objects_approved() {
    for name in [
        "abandoned_cart",
        "abandoned_cart_offer",
        "intro_catalog_offer",
    ] {
        let path = Path::new(FIXTURES).join(format!("{name}.en_US.json"));
        let object: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
        assert_eq!(object["status"], "APPROVED");
        assert_eq!(object["name"], name);
    }
}
