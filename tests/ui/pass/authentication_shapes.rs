//! Authentication templates in every shape an account returns them derive
//! with one `code` field and send as authentication templates: the `URL`
//! button WhatsApp renders the copy-code button as, a one-tap `OTP` button,
//! a zero-tap `URL` button. A Meta object with five buttons derives too, and
//! is refused on v1 by name.

use kaleyra_runtime::{Api, ApiVersion, Client, Error, Pod, PreparedRequest, Template};

/// The copy-code `URL` button, as an account's list writes it.
#[derive(Template)]
#[kaleyra(template = "login_link", dir = "templates/meta")]
struct LoginLink {
    code: String,
}

/// A one-tap `OTP` button with its Android app.
#[derive(Template)]
#[kaleyra(template = "login_autofill", dir = "templates/meta")]
struct LoginAutofill {
    code: u32,
}

/// A zero-tap `URL` button, its app in the URL.
#[derive(Template)]
#[kaleyra(template = "login_zero_tap", dir = "templates/meta")]
struct LoginZeroTap<'a> {
    code: &'a str,
}

/// Five buttons: four quick replies and a URL button at index 3.
#[derive(Template)]
#[kaleyra(template = "store_menu", dir = "templates/meta")]
struct StoreMenu<'a> {
    name: &'a str,
    #[kaleyra(button = 3)]
    store: &'a str,
    #[kaleyra(button = 4)]
    stop: &'a str,
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

fn components(request: &PreparedRequest) -> serde_json::Value {
    request.json().unwrap()["messaging_object"]["template"]["components"].clone()
}

fn main() {
    let client = |api| Client::builder().sid("HX1").api_key("k").from("+912025550100").api(api).build().unwrap();
    let (v1, v2) = (client(Api::V1), client(Api::V2(Pod::In)));
    let to = "+919876543210";
    let expected = serde_json::json!([
        {"type": "body", "parameters": [{"type": "text", "text": "482913"}]},
        {"type": "button", "sub_type": "url", "index": "0", "parameters": [{"type": "text", "text": "482913"}]}
    ]);

    let link = LoginLink { code: "482913".into() };
    let autofill = LoginAutofill { code: 482913 };
    let zero_tap = LoginZeroTap { code: "482913" };
    for (name, v1_request, v2_request) in [
        ("login_link", link.prepare(&v1, to), link.prepare(&v2, to)),
        ("login_autofill", autofill.prepare(&v1, to), autofill.prepare(&v2, to)),
        ("login_zero_tap", zero_tap.prepare(&v1, to), zero_tap.prepare(&v2, to)),
    ] {
        let v1_request = v1_request.unwrap();
        assert_eq!(field(&v1_request, "type"), "authenticationtemplate", "{name}");
        assert_eq!(field(&v1_request, "template_name"), name);
        assert_eq!(field(&v1_request, "verification_code"), "482913");
        assert_eq!(components(&v2_request.unwrap()), expected, "{name}");
    }

    let menu = StoreMenu { name: "Asha", store: "asha", stop: "stop-asha" };
    let components = components(&menu.prepare(&v2, to).unwrap());
    assert_eq!(components[1]["index"], "3");
    assert_eq!(components[2], serde_json::json!({"type": "button", "sub_type": "quick_reply", "index": "4",
        "parameters": [{"type": "payload", "payload": "stop-asha"}]}));
    let Err(Error::Unsupported { what, api: ApiVersion::V1 }) = menu.prepare(&v1, to) else {
        panic!("five buttons are refused on v1");
    };
    assert!(what.starts_with("a template with 5 buttons (Kaleyra v1's media templates take at most 3"), "{what}");
}
