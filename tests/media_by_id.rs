//! A derived struct whose media header is an uploaded id (`MediaId`) or
//! either kind of media (`Media`): the v2 body carries `id` where a link
//! would be, and v1, which takes media by URL, refuses it by name.

use kaleyra_runtime::{Api, Error, Media, MediaId, MediaUrl, Pod, Template};
use kaleyra_test_support::client;
use serde_json::json;

const TO: &str = "+919876543210";

/// `imt_dynamic` with its document header given by uploaded id.
#[derive(Template)]
#[kaleyra(template = "imt_dynamic")]
struct TicketById {
    first_name: String,
    last_name: String,
    #[kaleyra(header)]
    ticket: MediaId,
    #[kaleyra(button = 1)]
    login_path: String,
    #[kaleyra(button = 0)]
    confirm_payload: String,
}

/// `imt_dynamic` with its header chosen at run time.
#[derive(Template)]
#[kaleyra(template = "imt_dynamic")]
struct TicketEither<'a> {
    first_name: &'a str,
    last_name: &'a str,
    #[kaleyra(header)]
    ticket: &'a Media,
    #[kaleyra(button = 1)]
    login_path: &'a str,
    #[kaleyra(button = 0)]
    confirm_payload: &'a str,
}

fn by_id() -> TicketById {
    TicketById {
        first_name: "John".into(),
        last_name: "Doe".into(),
        ticket: MediaId::new("1203982341087365").unwrap(),
        login_path: "a1b2c3".into(),
        confirm_payload: "confirm-1234".into(),
    }
}

fn header_parameter(request: &kaleyra_runtime::PreparedRequest) -> serde_json::Value {
    let body = request.json().unwrap();
    let components = body["messaging_object"]["template"]["components"]
        .as_array()
        .unwrap()
        .clone();
    components
        .into_iter()
        .find(|component| component["type"] == "header")
        .unwrap()["parameters"][0]
        .clone()
}

#[test]
fn a_media_id_field_sends_the_id_where_the_link_would_be() {
    let request = by_id().prepare(&client(Api::V2(Pod::In)), TO).unwrap();
    assert_eq!(
        header_parameter(&request),
        json!({"type": "document", "document": {"id": "1203982341087365"}})
    );
}

#[test]
fn a_media_field_sends_a_link_or_an_id_as_it_holds() {
    let client = client(Api::V2(Pod::In));
    let link = Media::from(MediaUrl::parse("https://example.com/tickets/1.pdf").unwrap());
    let id = Media::from(MediaId::new("77").unwrap());
    let message = |ticket| TicketEither {
        first_name: "John",
        last_name: "Doe",
        ticket,
        login_path: "a1b2c3",
        confirm_payload: "confirm-1234",
    };
    let sent =
        [&link, &id].map(|ticket| header_parameter(&message(ticket).prepare(&client, TO).unwrap()));
    assert_eq!(
        sent,
        [
            json!({"type": "document", "document": {"link": "https://example.com/tickets/1.pdf"}}),
            json!({"type": "document", "document": {"id": "77"}}),
        ]
    );
}

#[test]
fn v1_refuses_a_media_id_by_name() {
    let error = by_id().prepare(&client(Api::V1), TO).unwrap_err();
    assert!(matches!(error, Error::Unsupported { .. }), "{error:?}");
    assert!(error.to_string().contains("`MediaId`"), "{error}");
}
