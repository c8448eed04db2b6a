//! Location headers: Meta's header parameter on v2 (the coordinates as
//! numbers, as in Kaleyra's v2 location message and Meta's "Send Location
//! Message" example), refused on v1 by name, and each part checked before
//! sending.

use kaleyra_runtime::{
    Api, ApiVersion, Client, Error, Location, Pod, TemplateHeader, TemplateMessage,
};
use serde_json::json;

const TO: &str = "+14155550100";

fn client(api: Api) -> Client {
    Client::builder()
        .sid("HXAP16XXXXXX97IN")
        .api_key("key")
        .from("+912025550100")
        .api(api)
        .build()
        .unwrap()
}

fn delivery(place: Location) -> TemplateMessage {
    TemplateMessage::media("order_delivery_update")
        .language("en_US")
        .header(TemplateHeader::Location(place))
        .param("Mark")
        .param("566701")
}

#[test]
fn v2_sends_metas_location_parameter_byte_for_byte() {
    // Meta's "Send Location Message" example's place.
    let place = Location::new(37.758056, -122.425332)
        .unwrap()
        .name("META HQ")
        .address("1 Hacker Way, Menlo Park, CA 94025");
    let request = client(Api::V2(Pod::In))
        .prepare(&delivery(place), TO)
        .unwrap();
    let body = std::str::from_utf8(request.body()).unwrap();
    assert!(
        body.contains(r#"{"type":"header","parameters":[{"type":"location","location":{"latitude":37.758056,"longitude":-122.425332,"name":"META HQ","address":"1 Hacker Way, Menlo Park, CA 94025"}}]}"#),
        "{body}"
    );
    // Without a name or address, only the coordinates are sent.
    let bare = client(Api::V2(Pod::In))
        .prepare(&delivery(Location::new(-90.0, 180.0).unwrap()), TO)
        .unwrap();
    assert_eq!(
        bare.json().unwrap()["messaging_object"]["template"]["components"][0],
        json!({"type": "header", "parameters": [{"type": "location", "location": {"latitude": -90.0, "longitude": 180.0}}]})
    );
}

#[test]
fn v1_refuses_a_location_header_by_name() {
    let error = client(Api::V1)
        .prepare(&delivery(Location::new(12.97, 77.59).unwrap()), TO)
        .unwrap_err();
    assert!(
        matches!(&error, Error::Unsupported { what, api: ApiVersion::V1 } if what.contains("no Kaleyra v1 page documents one")),
        "{error:?}"
    );
}

#[test]
fn coordinates_out_of_range_are_refused_naming_the_part() {
    for (latitude, longitude, field) in [
        (91.0, 0.0, "location latitude"),
        (-90.5, 0.0, "location latitude"),
        (f64::NAN, 0.0, "location latitude"),
        (0.0, 180.1, "location longitude"),
        (0.0, f64::NEG_INFINITY, "location longitude"),
    ] {
        let Err(Error::Invalid {
            field: named,
            reason,
        }) = Location::new(latitude, longitude)
        else {
            panic!("{latitude}, {longitude} is refused");
        };
        assert_eq!(named, field);
        assert!(
            reason.contains("degrees")
                || reason.contains("-180 to 180")
                || reason.contains("-90 to 90"),
            "{reason}"
        );
    }
    let Err(Error::Invalid { reason, .. }) = Location::new(91.0, 0.0) else {
        unreachable!()
    };
    assert_eq!(reason, "is 91 degrees; a latitude is -90 to 90");
}

#[test]
fn a_blank_name_or_address_is_refused_before_sending() {
    let place = Location::new(12.97, 77.59).unwrap().address("  ");
    let error = client(Api::V2(Pod::In))
        .prepare(&delivery(place), TO)
        .unwrap_err();
    assert!(
        matches!(&error, Error::Invalid { field, reason } if field == "location address" && reason.contains("is empty")),
        "{error:?}"
    );
    let hindi = Location::new(28.6139, 77.209).unwrap().name("दिल्ली 🏛️");
    assert!(
        client(Api::V2(Pod::In))
            .prepare(&delivery(hindi), TO)
            .is_ok()
    );
}
