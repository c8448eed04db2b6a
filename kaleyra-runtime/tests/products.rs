//! Catalog, multi-product and single-product template messages: their v2
//! bodies against Meta's example ("Send Catalog Template Message") and Meta's
//! documented shapes, their v1 forms against Kaleyra's catalog and
//! multi-product pages, and the products WhatsApp would refuse, refused by
//! `prepare` (so before anything is sent) with the field named.

use std::collections::BTreeMap;

use kaleyra_runtime::{
    Api, ApiVersion, Client, Error, MultiProduct, Pod, PreparedRequest, Product, ProductSection,
    TemplateHeader, TemplateMessage,
};
use serde_json::{Value, json};

const TO: &str = "+16505551234";

fn client(api: Api) -> Client {
    Client::builder()
        .sid("HXAP16XXXXXX97IN")
        .api_key("key")
        .from("+919812345678")
        .api(api)
        .build()
        .unwrap()
}

fn prepare(api: Api, message: &TemplateMessage) -> Result<PreparedRequest, Error> {
    client(api).prepare(message, TO)
}

fn v2(message: &TemplateMessage) -> Value {
    prepare(Api::V2(Pod::In), message)
        .unwrap_or_else(|error| panic!("{error}"))
        .json()
        .unwrap()
}

fn v1_form(message: &TemplateMessage) -> BTreeMap<String, String> {
    prepare(Api::V1, message)
        .unwrap_or_else(|error| panic!("{error}"))
        .form_fields()
        .unwrap()
        .into_iter()
        .collect()
}

#[track_caller]
fn assert_invalid(result: Result<PreparedRequest, Error>, expected_field: &str) -> String {
    match result {
        Err(Error::Invalid { field, reason }) => {
            assert_eq!(field, expected_field, "refused for `{reason}`");
            reason
        }
        other => panic!("expected Error::Invalid for `{expected_field}`, got {other:?}"),
    }
}

/// Button indices as numbers, on both sides: Meta's examples write both.
fn numeric_indices(value: &mut Value) {
    if let Some(components) = value
        .pointer_mut("/template/components")
        .and_then(Value::as_array_mut)
    {
        for component in components {
            if let Some(index) = component.get("index").and_then(Value::as_str) {
                component["index"] = json!(index.parse::<u64>().unwrap());
            }
        }
    }
}

fn meta_example(name: &str) -> Value {
    let examples: Value =
        serde_json::from_str(include_str!("fixtures/meta-send-message-examples.json")).unwrap();
    examples[name]["value"].clone()
}

fn catalog() -> TemplateMessage {
    TemplateMessage::media("intro_catalog_offer")
        .language("en_US")
        .params(["100", "400", "3"])
        .catalog_thumbnail(0, "2lc20305pt")
}

fn cart() -> MultiProduct {
    MultiProduct::new("2lc20305pt")
        .section(ProductSection::new(
            "Popular Bundles",
            ["nseiw1x9ez", "46sgk8mwlv"],
        ))
        .section(ProductSection::new("Succulents", ["5wdd8fa1w0"]))
}

fn abandoned_cart(products: MultiProduct) -> TemplateMessage {
    TemplateMessage::media("abandoned_cart")
        .language("en_US")
        .header(TemplateHeader::Text("Pablo".to_owned()))
        .param("10OFF")
        .multi_product(0, products)
}

// Meta's "Send Catalog Template Message" (its index is a number; this crate
// writes indices as strings, as Meta's other examples do).
#[test]
fn v2_catalog_template_is_metas_example() {
    let mut sent = v2(&catalog());
    let mut expected = json!({ "messaging_object": meta_example("Send Catalog Template Message") });
    numeric_indices(&mut sent["messaging_object"]);
    numeric_indices(&mut expected["messaging_object"]);
    assert_eq!(sent, expected);
}

// Meta's multi-product template send: the `mpm` button's `action` holds the
// thumbnail and the sections (Kaleyra's v2 page leaves it unseen).
#[test]
fn v2_multi_product_template_sends_the_mpm_action() {
    let sent = v2(&abandoned_cart(cart()));
    assert_eq!(
        sent["messaging_object"]["template"],
        json!({
            "name": "abandoned_cart",
            "language": {"code": "en_US"},
            "components": [
                {"type": "header", "parameters": [{"type": "text", "text": "Pablo"}]},
                {"type": "body", "parameters": [{"type": "text", "text": "10OFF"}]},
                {"type": "button", "sub_type": "mpm", "index": "0", "parameters": [{
                    "type": "action",
                    "action": {
                        "thumbnail_product_retailer_id": "2lc20305pt",
                        "sections": [
                            {"title": "Popular Bundles", "product_items": [
                                {"product_retailer_id": "nseiw1x9ez"},
                                {"product_retailer_id": "46sgk8mwlv"}
                            ]},
                            {"title": "Succulents", "product_items": [
                                {"product_retailer_id": "5wdd8fa1w0"}
                            ]}
                        ]
                    }
                }]}
            ]
        })
    );
}

// Meta's single-product template send: the header's `product` parameter
// names the product and its catalog; the `spm` button takes nothing.
#[test]
fn v2_single_product_template_sends_the_header_product() {
    let message = TemplateMessage::media("abandoned_cart_offer")
        .language("en_US")
        .header(TemplateHeader::Product(Product::new(
            "194836987003835",
            "2lc20305pt",
        )))
        .params(["25OFF", "25%"]);
    let sent = v2(&message);
    assert_eq!(
        sent["messaging_object"]["template"]["components"],
        json!([
            {"type": "header", "parameters": [{"type": "product", "product": {
                "product_retailer_id": "2lc20305pt", "catalog_id": "194836987003835"
            }}]},
            {"type": "body", "parameters": [
                {"type": "text", "text": "25OFF"}, {"type": "text", "text": "25%"}
            ]}
        ])
    );
}

// Kaleyra's v1 catalog page (`whatsapp-apis-send-a-catalog-message`):
// `type=template`, `template_name`, `params`, and the thumbnail id plain.
#[test]
fn v1_catalog_template_is_kaleyras_catalog_form() {
    let form = v1_form(&catalog().callback_url("https://example.com/status"));
    let expected: BTreeMap<String, String> = [
        ("to", TO),
        ("type", "template"),
        ("channel", "whatsapp"),
        ("from", "+919812345678"),
        ("template_name", "intro_catalog_offer"),
        ("params", r#""100","400","3""#),
        ("lang_code", "en_US"),
        ("callback_url", "https://example.com/status"),
        ("thumbnail_product_retailer_id", "2lc20305pt"),
    ]
    .into_iter()
    .map(|(key, value)| (key.to_owned(), value.to_owned()))
    .collect();
    assert_eq!(form, expected);
}

// Kaleyra's v1 multi-product page (`send-multi-product-message-template`):
// `name` and `language` (not `template_name`, `lang_code`), the thumbnail
// JSON-quoted and `sections` as JSON. Its `type` is unseen: given by the caller.
#[test]
fn v1_multi_product_template_is_kaleyras_multi_product_form() {
    let message = TemplateMessage::media("abandoned_cart")
        .language("en_US")
        .multi_product(0, cart().v1_message_type("mpm_template"));
    let form = v1_form(&message);
    let keys: Vec<&str> = form.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "channel",
            "from",
            "language",
            "name",
            "sections",
            "thumbnail_product_retailer_id",
            "to",
            "type"
        ]
    );
    assert_eq!(form["name"], "abandoned_cart");
    assert_eq!(form["language"], "en_US");
    assert_eq!(form["type"], "mpm_template");
    assert_eq!(form["thumbnail_product_retailer_id"], "\"2lc20305pt\"");
    let sections: Value = serde_json::from_str(&form["sections"]).unwrap();
    assert_eq!(
        sections,
        json!([
            {"title": "Popular Bundles", "product_items": [
                {"product_retailer_id": "nseiw1x9ez"}, {"product_retailer_id": "46sgk8mwlv"}
            ]},
            {"title": "Succulents", "product_items": [{"product_retailer_id": "5wdd8fa1w0"}]}
        ])
    );
}

#[test]
fn v1_multi_product_without_its_type_is_refused_naming_type() {
    let message = TemplateMessage::media("abandoned_cart")
        .language("en_US")
        .multi_product(0, cart());
    let reason = assert_invalid(prepare(Api::V1, &message), "type");
    assert!(reason.contains("v1_message_type"), "{reason}");
}

#[test]
fn v1_multi_product_with_body_values_is_refused_by_name() {
    let message = abandoned_cart(cart().v1_message_type("mpm_template"));
    match prepare(Api::V1, &message) {
        Err(Error::Unsupported { what, api }) => {
            assert!(what.contains("body values"), "{what}");
            assert_eq!(api, ApiVersion::V1);
        }
        other => panic!("expected Error::Unsupported, got {other:?}"),
    }
}

#[test]
fn v1_single_product_template_is_refused_by_name() {
    let message = TemplateMessage::media("abandoned_cart_offer")
        .header(TemplateHeader::Product(Product::new("1", "sku")))
        .param("25OFF");
    match prepare(Api::V1, &message) {
        Err(Error::Unsupported { what, api }) => {
            assert!(what.contains("single-product"), "{what}");
            assert_eq!(api, ApiVersion::V1);
        }
        other => panic!("expected Error::Unsupported, got {other:?}"),
    }
}

fn numbered(section: usize, count: usize) -> Vec<String> {
    (0..count)
        .map(|item| format!("sku-{section}-{item}"))
        .collect()
}

const BOTH: [Api; 2] = [Api::V1, Api::V2(Pod::In)];

fn lone_cart(products: MultiProduct) -> TemplateMessage {
    TemplateMessage::media("abandoned_cart")
        .language("en_US")
        .multi_product(0, products.v1_message_type("mpm_template"))
}

#[test]
fn thirty_one_products_are_refused_naming_the_sections() {
    for api in BOTH {
        let thirty = MultiProduct::new("sku")
            .section(ProductSection::new("A", numbered(0, 20)))
            .section(ProductSection::new("B", numbered(1, 10)));
        prepare(api, &lone_cart(thirty)).unwrap();
        let thirty_one = MultiProduct::new("sku")
            .section(ProductSection::new("A", numbered(0, 20)))
            .section(ProductSection::new("B", numbered(1, 11)));
        let reason = assert_invalid(prepare(api, &lone_cart(thirty_one)), "products sections");
        assert!(reason.contains("31 products"), "{reason}");
    }
}

#[test]
fn eleven_sections_are_refused_naming_the_sections() {
    for api in BOTH {
        let sections =
            |count| (0..count).map(|n| ProductSection::new(format!("S{n}"), numbered(n, 1)));
        prepare(
            api,
            &lone_cart(MultiProduct::new("sku").sections_from(sections(10))),
        )
        .unwrap();
        let eleven = MultiProduct::new("sku").sections_from(sections(11));
        let reason = assert_invalid(prepare(api, &lone_cart(eleven)), "products sections");
        assert!(reason.contains("11 sections"), "{reason}");
    }
}

#[test]
fn a_twenty_five_character_title_is_refused_naming_its_section() {
    for api in BOTH {
        let products = |title: &str| {
            MultiProduct::new("sku")
                .section(ProductSection::new("Fine", ["a"]))
                .section(ProductSection::new(title, ["b"]))
        };
        prepare(api, &lone_cart(products(&"t".repeat(24)))).unwrap();
        let reason = assert_invalid(
            prepare(api, &lone_cart(products(&"t".repeat(25)))),
            "products sections[1] title",
        );
        assert!(reason.contains("25 characters"), "{reason}");
    }
}

#[test]
fn an_empty_product_id_is_refused_naming_it() {
    for api in BOTH {
        let empty_item = MultiProduct::new("sku").section(ProductSection::new("A", ["a", ""]));
        assert_invalid(
            prepare(api, &lone_cart(empty_item)),
            "products sections[0] product_items[1]",
        );
        let empty_thumbnail = MultiProduct::new(" ").section(ProductSection::new("A", ["a"]));
        assert_invalid(
            prepare(api, &lone_cart(empty_thumbnail)),
            "products thumbnail",
        );
        let catalog = TemplateMessage::media("intro_catalog_offer")
            .language("en_US")
            .catalog_thumbnail(0, "");
        assert_invalid(prepare(api, &catalog), "buttons[0] thumbnail product");
    }
    let header = TemplateMessage::media("abandoned_cart_offer")
        .language("en_US")
        .header(TemplateHeader::Product(Product::new("194836987003835", "")));
    assert_invalid(
        prepare(Api::V2(Pod::In), &header),
        "header product_retailer_id",
    );
    let header = TemplateMessage::media("abandoned_cart_offer")
        .language("en_US")
        .header(TemplateHeader::Product(Product::new("", "sku")));
    assert_invalid(prepare(Api::V2(Pod::In), &header), "header catalog_id");
}

#[test]
fn products_and_another_value_at_one_index_are_refused() {
    let message = TemplateMessage::media("abandoned_cart")
        .language("en_US")
        .catalog_thumbnail(0, "sku")
        .multi_product(0, cart());
    assert_invalid(prepare(Api::V2(Pod::In), &message), "buttons[0]");
}
