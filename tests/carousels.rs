//! Carousel templates: Meta's reference objects 011 (media cards) and 012
//! (product cards) and this repository's `spring_collection` derive with
//! their cards; the v2 body is pinned against Kaleyra's carousel page and
//! Meta's example; v1 refuses by name; a wrong card count and a bad card
//! value are refused before sending, naming the card; and the emulator
//! accepts what v2 sends and refuses another number of cards.

use kaleyra_emulator::Emulator;
use kaleyra_examples::{SpringCard, SpringCollection};
use kaleyra_runtime::definitions::TemplateDefinition;
use kaleyra_runtime::{
    Api, ApiVersion, Card, CarouselCard, Client, Error, Media, MediaId, MediaUrl, Pod,
    PreparedRequest, Product, Template, TemplateHeader, TemplateMessage,
};
use serde_json::{Value, json};

const TO: &str = "+919876543210";

/// Meta's reference object 011, with `"status": "APPROVED"` added.
#[derive(Card)]
#[kaleyra(
    template = "carousel_template_media_cards_v1",
    dir = "tests/ui/templates/meta"
)]
struct SucculentCard<'a> {
    #[kaleyra(header)]
    photo: MediaId,
    #[kaleyra(button = 0)]
    more: &'a str,
    #[kaleyra(button = 1)]
    product: &'a str,
}

#[derive(Template)]
#[kaleyra(
    template = "carousel_template_media_cards_v1",
    dir = "tests/ui/templates/meta"
)]
struct SucculentSale<'a> {
    name: &'a str,
    discount: &'a str,
    code: &'a str,
    #[kaleyra(cards)]
    cards: [SucculentCard<'a>; 3],
}

/// Meta's reference object 012: each card a catalog product.
#[derive(Card)]
#[kaleyra(
    template = "carousel_template_product_cards_v1",
    dir = "tests/ui/templates/meta"
)]
struct ProductCard {
    #[kaleyra(header)]
    product: Product,
}

#[derive(Template)]
#[kaleyra(
    template = "carousel_template_product_cards_v1",
    dir = "tests/ui/templates/meta"
)]
struct SucculentProducts<'a> {
    name: &'a str,
    #[kaleyra(cards)]
    cards: [ProductCard; 2],
}

fn offline(api: Api) -> Client {
    kaleyra_test_support::client(api)
}

fn template_of(request: &PreparedRequest) -> Value {
    let body: Value = serde_json::from_slice(request.body()).unwrap();
    body["messaging_object"]["template"].clone()
}

fn succulent(photo: &str, product: &'static str) -> SucculentCard<'static> {
    SucculentCard {
        photo: MediaId::new(photo).unwrap(),
        more: "more-like-this",
        product,
    }
}

fn sale() -> SucculentSale<'static> {
    SucculentSale {
        name: "Pablo",
        discount: "30%",
        code: "30OFF",
        cards: [
            succulent("1635572613893474", "BLUE_ELF"),
            succulent("1635572613893475", "BUDDHA"),
            succulent("1635572613893476", "BLACK_PRINCE"),
        ],
    }
}

fn spring() -> SpringCollection<'static> {
    let card = |photo: &str, price, product| SpringCard {
        photo: Media::from(MediaUrl::parse(photo).unwrap()),
        price,
        more: "more",
        product,
    };
    SpringCollection {
        name: "Asha",
        cards: [
            card(
                "https://shop.example.com/img/kurta.jpg",
                "₹1,299",
                "kurta-linen",
            ),
            card(
                "https://shop.example.com/img/saree.jpg",
                "₹2,499",
                "saree-block",
            ),
        ],
    }
}

/// One card of `spring_collection`, built by hand.
fn kurta_card() -> CarouselCard<'static> {
    CarouselCard::new(TemplateHeader::Image(
        MediaUrl::parse("https://shop.example.com/img/kurta.jpg")
            .unwrap()
            .into(),
    ))
    .param("₹1,299")
    .url_button(1, "kurta-linen")
}

/// An emulator over this repository's templates.
async fn workspace_emulator() -> kaleyra_emulator::RunningEmulator {
    Emulator::builder()
        .templates_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/templates"))
        .start()
        .await
        .unwrap()
}

#[test]
fn a_media_card_carousel_sends_the_body_then_each_card_by_index_on_v2() {
    let request = sale().prepare(&offline(Api::V2(Pod::In)), TO).unwrap();
    let card = |index: u64, id: &str, product: &str| {
        json!({"card_index": index, "components": [
            {"type": "header", "parameters": [{"type": "image", "image": {"id": id}}]},
            {"type": "button", "sub_type": "quick_reply", "index": "0",
             "parameters": [{"type": "payload", "payload": "more-like-this"}]},
            {"type": "button", "sub_type": "url", "index": "1",
             "parameters": [{"type": "text", "text": product}]}
        ]})
    };
    assert_eq!(
        template_of(&request),
        json!({
            "name": "carousel_template_media_cards_v1",
            "language": {"code": "en_US"},
            "components": [
                {"type": "body", "parameters": [
                    {"type": "text", "text": "Pablo"},
                    {"type": "text", "text": "30%"},
                    {"type": "text", "text": "30OFF"}
                ]},
                {"type": "carousel", "cards": [
                    card(0, "1635572613893474", "BLUE_ELF"),
                    card(1, "1635572613893475", "BUDDHA"),
                    card(2, "1635572613893476", "BLACK_PRINCE")
                ]}
            ]
        })
    );
}

#[test]
fn a_product_card_carousel_sends_each_card_s_product() {
    let message = SucculentProducts {
        name: "Pablo",
        cards: [
            ProductCard {
                product: Product::new("194910323386476", "2lc20305pt"),
            },
            ProductCard {
                product: Product::new("194910323386476", "nseiw1x9ez"),
            },
        ],
    };
    let request = message.prepare(&offline(Api::V2(Pod::In)), TO).unwrap();
    let cards = &template_of(&request)["components"][1]["cards"];
    assert_eq!(
        cards[1],
        json!({"card_index": 1, "components": [{"type": "header", "parameters": [
            {"type": "product", "product": {"product_retailer_id": "nseiw1x9ez", "catalog_id": "194910323386476"}}
        ]}]})
    );
}

#[test]
fn a_card_s_body_values_are_sent_in_its_body_component() {
    let request = spring().prepare(&offline(Api::V2(Pod::In)), TO).unwrap();
    let first = &template_of(&request)["components"][1]["cards"][0]["components"];
    assert_eq!(
        first[1],
        json!({"type": "body", "parameters": [{"type": "text", "text": "₹1,299"}]})
    );
    assert_eq!(
        first[0]["parameters"][0],
        json!({"type": "image", "image": {"link": "https://shop.example.com/img/kurta.jpg"}})
    );
}

#[test]
fn v1_refuses_a_carousel_by_name() {
    let error = sale().prepare(&offline(Api::V1), TO).unwrap_err();
    let Error::Unsupported { what, api } = error else {
        panic!("{error}")
    };
    assert_eq!(api, ApiVersion::V1);
    assert!(what.contains("carousel"), "{what}");
}

#[test]
fn a_card_value_that_breaks_its_rule_is_refused_naming_the_card_and_field() {
    let mut message = spring();
    message.cards[1].price = "";
    let error = message.prepare(&offline(Api::V2(Pod::In)), TO).unwrap_err();
    let Error::Invalid { field, .. } = error else {
        panic!("{error}")
    };
    assert_eq!(field, "price (cards[1] body {{1}})");

    let mut message = spring();
    message.cards[0].product = "";
    let Error::Invalid { field, .. } = message.prepare(&offline(Api::V2(Pod::In)), TO).unwrap_err()
    else {
        panic!()
    };
    assert_eq!(field, "cards[0] buttons[1] url suffix");
}

#[test]
fn a_hand_built_message_with_another_number_of_cards_is_refused_before_sending() {
    let definition = TemplateDefinition::from_file(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/templates/spring_collection.en.json"
    )))
    .unwrap();
    let card = kurta_card();
    let message = TemplateMessage::media("spring_collection")
        .language("en")
        .param("Asha")
        .card(card)
        .checked_against(&definition);
    let Error::Invalid { field, reason } =
        offline(Api::V2(Pod::In)).prepare(&message, TO).unwrap_err()
    else {
        panic!()
    };
    assert_eq!(field, "cards");
    assert!(
        reason.contains("approved with 2 cards") && reason.contains("132012"),
        "{reason}"
    );
}

#[tokio::test]
async fn the_emulator_accepts_a_carousel_on_v2_and_keeps_its_cards() {
    let emulator = workspace_emulator().await;
    let v2 = emulator.client(Api::V2(Pod::In)).unwrap();
    spring().send(&v2, TO).await.unwrap();
    let messages = emulator.messages();
    assert_eq!(messages.len(), 1, "{:?}", emulator.refused());
    let stored = &messages[0];
    assert_eq!(
        stored.body,
        "New in for spring, Asha: swipe to see this week's picks."
    );
    assert_eq!(stored.cards.len(), 2);
    assert_eq!(
        stored.cards[1].body.as_deref(),
        Some("Block-print saree, now ₹2,499")
    );
    assert_eq!(
        stored.cards[1].buttons[1].url.as_deref(),
        Some("https://shop.example.com/p/saree-block")
    );

    // v1 is refused by the derive's client before anything is sent.
    let v1 = emulator.client(Api::V1).unwrap();
    assert!(matches!(
        spring().send(&v1, TO).await,
        Err(Error::Unsupported { .. })
    ));
}

#[tokio::test]
async fn the_emulator_refuses_another_number_of_cards_with_132012() {
    let emulator = workspace_emulator().await;
    // One card, sent by hand without the definition's check.
    let card = kurta_card();
    let message = TemplateMessage::media("spring_collection")
        .language("en")
        .param("Asha")
        .card(card);
    let v2 = emulator.client(Api::V2(Pod::In)).unwrap();
    let error = v2.send(&message, TO).await.unwrap_err();
    assert!(
        error.to_string().contains("132012") && error.to_string().contains("approved with 2 cards"),
        "{error}"
    );
    assert!(emulator.messages().is_empty());
}
