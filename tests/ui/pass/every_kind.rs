//! Every kind of definition, with borrowed, owned, numeric and generic field
//! types, a unit struct, an omitted optional payload and a `dir` override.

use std::borrow::Cow;

use kaleyra_runtime::{Api, Client, MediaUrl, Pod, Template};

#[derive(Template)]
#[kaleyra(template = "greeting")]
struct Greeting<'a> {
    name: Cow<'a, str>,
    code: u32,
}

#[derive(Template)]
#[kaleyra(template = "ticket")]
struct Ticket {
    first: String,
    last: &'static str,
    #[kaleyra(header)]
    pdf: MediaUrl,
    #[kaleyra(button = 1)]
    login: String,
}

#[derive(Template)]
#[kaleyra(template = "plain_header")]
struct PlainHeader;

#[derive(Template)]
#[kaleyra(template = "order_update")]
struct OrderUpdate {
    #[kaleyra(header)]
    order: u64,
    date: String,
}

#[derive(Template)]
#[kaleyra(template = "menu")]
struct Menu<'a> {
    name: &'a str,
    #[kaleyra(header)]
    photo: &'a MediaUrl,
}

#[derive(Template)]
#[kaleyra(template = "promo_link")]
struct PromoLink<T: std::fmt::Display> {
    name: T,
    #[kaleyra(button = 0)]
    code: T,
}

#[derive(Template)]
#[kaleyra(template = "alt_greeting", dir = "templates/alt")]
struct AltGreeting {
    name: String,
}

fn field(request: &kaleyra_runtime::PreparedRequest, name: &str) -> String {
    request
        .form_fields()
        .unwrap()
        .into_iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value)
        .unwrap_or_default()
}

fn main() {
    let client = |api| Client::builder().sid("HX1").api_key("k").from("+912025550100").api(api).build().unwrap();
    let (v1, v2) = (client(Api::V1), client(Api::V2(Pod::In)));
    let to = "+919876543210";

    let greeting = Greeting { name: Cow::Borrowed("Ada"), code: 42 };
    assert_eq!(field(&greeting.prepare(&v1, to).unwrap(), "params"), "\"Ada\",\"42\"");

    let ticket = Ticket {
        first: "John".into(),
        last: "Doe",
        pdf: MediaUrl::parse("https://example.com/t.pdf").unwrap(),
        login: "abc".into(),
    };
    let request = ticket.prepare(&v1, to).unwrap();
    assert_eq!(field(&request, "param_url"), "abc");
    assert_eq!(field(&request, "payload1"), "");

    assert_eq!(PlainHeader::PARAMS, 0);
    assert_eq!(field(&PlainHeader.prepare(&v1, to).unwrap(), "type"), "template");

    let order = OrderUpdate { order: 1234, date: "Monday".into() };
    assert_eq!(field(&order.prepare(&v1, to).unwrap(), "param_header"), "1234");

    let photo = MediaUrl::parse("https://example.com/menu.png").unwrap();
    let menu = Menu { name: "Ada", photo: &photo };
    assert_eq!(field(&menu.prepare(&v1, to).unwrap(), "body"), "Hi Ada, what would you like?");

    let promo = PromoLink { name: "Ada", code: "X1" };
    let json = promo.prepare(&v2, to).unwrap().json().unwrap();
    assert_eq!(
        json["messaging_object"]["interactive"]["action"]["parameters"]["url"],
        "https://example.com/offer?code=X1"
    );

    assert_eq!(field(&AltGreeting { name: "Ada".into() }.prepare(&v1, to).unwrap(), "template_name"), "alt_greeting");
}
