//! A location-header template (Meta's reference object 006, approved)
//! derives with a `Location` header field and sends on v2; v1 refuses it by
//! name.

use kaleyra_runtime::{Api, ApiVersion, Client, Error, Location, Pod, Template};

#[derive(Template)]
#[kaleyra(template = "order_delivery_update", dir = "templates/meta")]
struct DeliveryUpdate<'a> {
    #[kaleyra(header)]
    place: Location,
    name: &'a str,
    order: &'a str,
}

/// The place may be borrowed too.
#[derive(Template)]
#[kaleyra(template = "order_delivery_update", dir = "templates/meta")]
struct DeliveryUpdateBorrowed<'a> {
    #[kaleyra(header)]
    place: &'a Location,
    name: &'a str,
    order: &'a str,
}

fn main() {
    let client = |api| Client::builder().sid("HX1").api_key("k").from("+912025550100").api(api).build().unwrap();
    let (v1, v2) = (client(Api::V1), client(Api::V2(Pod::In)));
    let to = "+14155550100";
    let place = Location::new(37.483307, -122.148981).unwrap().name("Pablo Morales").address("1 Hacker Way, Menlo Park, CA 94025");
    let update = DeliveryUpdate { place: place.clone(), name: "Mark", order: "566701" };
    let request = update.prepare(&v2, to).unwrap();
    assert_eq!(
        request.json().unwrap()["messaging_object"]["template"]["components"],
        serde_json::json!([
            {"type": "header", "parameters": [{"type": "location", "location": {
                "latitude": 37.483307, "longitude": -122.148981,
                "name": "Pablo Morales", "address": "1 Hacker Way, Menlo Park, CA 94025"}}]},
            {"type": "body", "parameters": [{"type": "text", "text": "Mark"}, {"type": "text", "text": "566701"}]}
        ])
    );
    let borrowed = DeliveryUpdateBorrowed { place: &place, name: "Mark", order: "566701" };
    assert_eq!(borrowed.prepare(&v2, to).unwrap().body(), request.body());
    let Err(Error::Unsupported { what, api: ApiVersion::V1 }) = update.prepare(&v1, to) else {
        panic!("a location header is refused on v1");
    };
    assert!(what.starts_with("a location header"), "{what}");
}
