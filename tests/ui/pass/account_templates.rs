//! Meta's template objects as the account lists them (`templates/meta/`):
//! a file saved byte for byte, a template in several languages, named
//! placeholders on a paused template, an authentication code and a coupon.

use kaleyra_runtime::definitions::TemplateStatus;
use kaleyra_runtime::{Api, Client, MediaUrl, Pod, PreparedRequest, Template};

/// `order_update.en_US.json`, exactly as the account returned it.
#[derive(Template)]
#[kaleyra(template = "order_update", dir = "templates/meta")]
struct OrderUpdate<'a> {
    #[kaleyra(header)]
    invoice: MediaUrl,
    name: &'a str,
    order: &'a str,
    #[kaleyra(button = 0)]
    tracking: &'a str,
}

/// `order_status` is on file in `en`, `hi` and `pt_BR`: the field chooses.
#[derive(Template)]
#[kaleyra(template = "order_status", dir = "templates/meta")]
struct OrderStatus<'a> {
    #[kaleyra(language)]
    language: OrderStatusLanguage,
    name: &'a str,
    order: u32,
    #[kaleyra(button = 0)]
    tracking: String,
}

/// One of its languages, picked on the struct.
#[derive(Template)]
#[kaleyra(template = "order_status", language = "HI", dir = "templates/meta")]
struct OrderStatusHindi {
    name: String,
    order: u32,
    #[kaleyra(button = 0)]
    tracking: String,
}

/// Named placeholders, in any field order, one renamed; the template is PAUSED.
#[derive(Template)]
#[kaleyra(template = "delivery_named", dir = "templates/meta")]
struct DeliveryNamed<'a> {
    #[kaleyra(param = "delivery_date")]
    arrives: &'a str,
    order_id: &'a str,
    customer_name: String,
    #[kaleyra(header)]
    header_order: &'a str,
}

/// An authentication template: one field, the code.
#[derive(Template)]
#[kaleyra(template = "login_code", dir = "templates/meta")]
struct LoginCode {
    code: u32,
}

/// A marketing template with a copy-code coupon button.
#[derive(Template)]
#[kaleyra(template = "festive_coupon", dir = "templates/meta")]
struct FestiveCoupon<'a> {
    #[kaleyra(header)]
    banner: MediaUrl,
    discount: &'a str,
    #[kaleyra(button = 0)]
    coupon: &'a str,
}

fn field(request: &PreparedRequest, name: &str) -> String {
    request
        .form_fields()
        .unwrap()
        .into_iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value)
        .unwrap_or_default()
}

fn template(request: &PreparedRequest) -> serde_json::Value {
    request.json().unwrap()["messaging_object"]["template"].clone()
}

fn main() {
    let client = |api| Client::builder().sid("HX1").api_key("k").from("+912025550100").api(api).build().unwrap();
    let (v1, v2) = (client(Api::V1), client(Api::V2(Pod::In)));
    let to = "+919876543210";

    let order = OrderUpdate {
        invoice: MediaUrl::parse("https://example.com/invoice.pdf").unwrap(),
        name: "Asha",
        order: "ORD-1042",
        tracking: "ORD-1042",
    };
    let request = order.prepare(&v1, to).unwrap();
    assert_eq!(field(&request, "type"), "mediatemplate");
    assert_eq!(field(&request, "lang_code"), "en_US");
    assert_eq!(field(&request, "params"), "\"Asha\",\"ORD-1042\"");
    assert_eq!(field(&request, "param_url"), "ORD-1042");
    assert_eq!(OrderUpdate::LANGUAGE, Some("en_US"));
    assert_eq!(OrderUpdate::STATUS, Some(TemplateStatus::Approved));

    assert_eq!(OrderStatusLanguage::ALL, [OrderStatusLanguage::En, OrderStatusLanguage::Hi, OrderStatusLanguage::PtBr]);
    assert_eq!(OrderStatus::LANGUAGES, ["en", "hi", "pt_BR"]);
    assert_eq!(OrderStatus::LANGUAGE, None);
    assert_eq!(OrderStatusLanguage::from_code("pt-br"), Some(OrderStatusLanguage::PtBr));
    assert_eq!(OrderStatusLanguage::from_code("fr"), None);
    assert_eq!(OrderStatusLanguage::PtBr.status(), Some(TemplateStatus::Paused));
    assert_eq!(OrderStatusLanguage::Hi.to_string(), "hi");
    for language in OrderStatusLanguage::ALL {
        let status = OrderStatus { language: *language, name: "Asha", order: 7, tracking: "t7".into() };
        assert_eq!(field(&status.prepare(&v1, to).unwrap(), "lang_code"), language.code());
        assert_eq!(template(&status.prepare(&v2, to).unwrap())["language"]["code"], language.code());
    }
    assert_eq!(OrderStatusHindi::LANGUAGE, Some("hi"));
    let hindi = OrderStatusHindi { name: "Asha".into(), order: 7, tracking: "t7".into() };
    assert_eq!(field(&hindi.prepare(&v1, to).unwrap(), "lang_code"), "hi");

    assert_eq!(DeliveryNamed::STATUS, Some(TemplateStatus::Paused));
    let delivery = DeliveryNamed { arrives: "Friday", order_id: "ORD-7", customer_name: "Asha".into(), header_order: "ORD-7" };
    let components = template(&delivery.prepare(&v2, to).unwrap())["components"].clone();
    assert_eq!(
        components,
        serde_json::json!([
            {"type": "header", "parameters": [{"type": "text", "parameter_name": "order_id", "text": "ORD-7"}]},
            {"type": "body", "parameters": [
                {"type": "text", "parameter_name": "customer_name", "text": "Asha"},
                {"type": "text", "parameter_name": "order_id", "text": "ORD-7"},
                {"type": "text", "parameter_name": "delivery_date", "text": "Friday"}]}
        ])
    );
    assert!(delivery.prepare(&v1, to).is_err(), "v1 has no named parameters");

    let login = LoginCode { code: 482913 };
    let request = login.prepare(&v1, to).unwrap();
    assert_eq!(field(&request, "type"), "authenticationtemplate");
    assert_eq!(field(&request, "verification_code"), "482913");
    let components = template(&login.prepare(&v2, to).unwrap())["components"].clone();
    assert_eq!(components[0]["parameters"][0]["text"], "482913");
    assert_eq!(components[1]["sub_type"], "url");
    assert_eq!(components[1]["parameters"][0]["text"], "482913");

    let coupon = FestiveCoupon {
        banner: MediaUrl::parse("https://example.com/diwali.jpg").unwrap(),
        discount: "25%",
        coupon: "SAVE25",
    };
    let components = template(&coupon.prepare(&v2, to).unwrap())["components"].clone();
    assert_eq!(
        components[2],
        serde_json::json!({"type": "button", "sub_type": "copy_code", "index": "0",
            "parameters": [{"type": "coupon_code", "coupon_code": "SAVE25"}]})
    );
}
