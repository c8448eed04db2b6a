//! Carousel templates (Meta's `CAROUSEL` component): the reference objects
//! 011 (media cards) and 012 (product cards) read with their cards, and
//! each of Meta's carousel rules refuses what WhatsApp would not approve,
//! naming the card and the part.

use std::path::Path;

use kaleyra_definitions::{ButtonParameter, ButtonType, HeaderType, TemplateDefinition};
use serde_json::{Value, json};

fn fixture(file: &str) -> TemplateDefinition {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(file);
    TemplateDefinition::from_file(&path).unwrap_or_else(|error| panic!("{file}: {error}"))
}

fn media_card(body: Option<&str>, buttons: Value) -> Value {
    let mut components = vec![json!({"type": "HEADER", "format": "IMAGE"})];
    if let Some(body) = body {
        components.push(json!({"type": "BODY", "text": body}));
    }
    components.push(json!({"type": "BUTTONS", "buttons": buttons}));
    json!({ "components": components })
}

fn shop_buttons() -> Value {
    json!([
        {"type": "QUICK_REPLY", "text": "More like this"},
        {"type": "URL", "text": "Shop", "url": "https://shop.example.com/p/{{1}}"}
    ])
}

/// A carousel template object with `cards`, and `extra` components after them.
fn carousel(cards: Vec<Value>, extra: Vec<Value>) -> Vec<u8> {
    let mut components = vec![
        json!({"type": "BODY", "text": "New arrivals for {{1}}"}),
        json!({"type": "CAROUSEL", "cards": cards}),
    ];
    components.extend(extra);
    serde_json::to_vec(&json!({
        "name": "new_arrivals", "language": "en", "status": "APPROVED",
        "category": "MARKETING", "components": components
    }))
    .unwrap()
}

fn problems(json: &[u8]) -> Vec<String> {
    let error = TemplateDefinition::from_slice(json, Path::new("new_arrivals.en.json"))
        .expect_err("the carousel breaks a rule");
    error
        .problems()
        .iter()
        .map(|problem| {
            format!(
                "`{}`: {}",
                problem.path.as_deref().unwrap_or(""),
                problem.message
            )
        })
        .collect()
}

#[test]
fn the_reference_media_card_carousel_reads_with_its_three_cards() {
    let definition = fixture("carousel_template_media_cards_v1.en_US.json");
    assert!(
        definition.unsupported.is_empty(),
        "{:?}",
        definition.unsupported
    );
    assert_eq!(definition.card_count(), 3);
    assert_eq!(
        definition.param_count(),
        3,
        "the bubble's body takes 3 values"
    );
    let carousel = definition.carousel.as_ref().unwrap();
    for card in &carousel.cards {
        assert_eq!(card.header.kind, HeaderType::Image);
        assert!(card.body.is_some());
        assert_eq!(
            card.buttons
                .iter()
                .map(|button| button.button_type())
                .collect::<Vec<_>>(),
            [ButtonType::QuickReply, ButtonType::Url]
        );
    }
    let takes = definition.card_takes().unwrap().unwrap();
    assert_eq!(takes.header, HeaderType::Image);
    assert_eq!(takes.params, 0, "the cards' bodies have no placeholder");
    assert_eq!(
        takes.buttons,
        [
            (0, ButtonParameter::Payload),
            (1, ButtonParameter::UrlSuffix)
        ]
    );
}

#[test]
fn the_reference_product_card_carousel_reads_each_card_as_a_product() {
    let definition = fixture("carousel_template_product_cards_v1.en_US.json");
    assert!(definition.unsupported.is_empty());
    assert_eq!(definition.card_count(), 2);
    let takes = definition.card_takes().unwrap().unwrap();
    assert_eq!(takes.header, HeaderType::Product);
    assert_eq!(takes.params, 0);
    assert!(takes.buttons.is_empty(), "an SPM button takes no value");
}

#[test]
fn a_card_count_outside_two_to_ten_is_refused() {
    let one = carousel(vec![media_card(Some("Kurta"), shop_buttons())], vec![]);
    assert_eq!(
        problems(&one),
        ["`components[1].cards`: has 1 card(s); a carousel template has 2 to 10"]
    );
    let eleven = carousel(
        (0..11)
            .map(|_| media_card(Some("Kurta"), shop_buttons()))
            .collect(),
        vec![],
    );
    assert_eq!(
        problems(&eleven),
        ["`components[1].cards`: has 11 card(s); a carousel template has 2 to 10"]
    );
}

#[test]
fn cards_that_differ_in_header_body_or_buttons_are_refused_naming_the_card() {
    let mut video = media_card(Some("Saree"), shop_buttons());
    video["components"][0]["format"] = json!("VIDEO");
    let found = problems(&carousel(
        vec![media_card(Some("Kurta"), shop_buttons()), video],
        vec![],
    ));
    assert_eq!(
        found,
        [
            "`components[1].cards[1].components[0].format`: is `video` but card 0's is `image`; every card of a carousel has the same header format"
        ]
    );

    let found = problems(&carousel(
        vec![
            media_card(Some("Kurta"), shop_buttons()),
            media_card(None, shop_buttons()),
        ],
        vec![],
    ));
    assert_eq!(
        found,
        [
            "`components[1].cards[1]`: is on some cards but not on others; a carousel's cards all have a body or none has"
        ]
    );

    let swapped = json!([
        {"type": "URL", "text": "Shop", "url": "https://shop.example.com/p/{{1}}"},
        {"type": "QUICK_REPLY", "text": "More like this"}
    ]);
    let found = problems(&carousel(
        vec![
            media_card(Some("Kurta"), shop_buttons()),
            media_card(Some("Saree"), swapped),
        ],
        vec![],
    ));
    assert_eq!(
        found,
        [
            "`components[1].cards[1].components[2].buttons`: differ from card 0's; every card of a carousel has the same button types in the same order"
        ]
    );
}

#[test]
fn a_card_keeps_to_meta_s_card_limits_and_a_template_s_rules() {
    let long = "a".repeat(161);
    let three_buttons = json!([
        {"type": "QUICK_REPLY", "text": "One"},
        {"type": "QUICK_REPLY", "text": "Two"},
        {"type": "QUICK_REPLY", "text": "Three"}
    ]);
    let found = problems(&carousel(
        vec![
            media_card(Some(&long), shop_buttons()),
            media_card(Some("Saree {{2}}"), three_buttons),
        ],
        vec![],
    ));
    assert!(
        found.contains(
            &"`components[1].cards[0].components[1].text`: has 161 characters; the limit is 160"
                .to_owned()
        ),
        "{found:#?}"
    );
    assert!(
        found.iter().any(|problem| problem.starts_with(
            "`components[1].cards[1].components[1].text`: placeholders must run from `{{1}}`"
        )),
        "a card's body follows a template's placeholder rules: {found:#?}"
    );
    assert!(
        found.contains(
            &"`components[1].cards[1].components[2].buttons`: has 3 button(s); a media card has 1 to 2"
                .to_owned()
        ),
        "{found:#?}"
    );
    let phone = json!([{"type": "COPY_CODE", "example": "SAVE10"}]);
    let found = problems(&carousel(
        vec![
            media_card(Some("Kurta"), phone.clone()),
            media_card(Some("Saree"), phone),
        ],
        vec![],
    ));
    assert!(
        found.contains(&"`components[1].cards[0].components[2].buttons[0].type`: is `copy_code`; a media card's buttons are `quick_reply`, `url`, `phone_number`".to_owned()),
        "{found:#?}"
    );
}

#[test]
fn a_carousel_has_no_header_or_buttons_outside_its_cards() {
    let found = problems(&carousel(
        vec![
            media_card(Some("Kurta"), shop_buttons()),
            media_card(Some("Saree"), shop_buttons()),
        ],
        vec![
            json!({"type": "HEADER", "format": "TEXT", "text": "Sale"}),
            json!({"type": "BUTTONS", "buttons": [{"type": "QUICK_REPLY", "text": "Stop"}]}),
        ],
    ));
    assert_eq!(
        found,
        [
            "`components[2]`: is not allowed on a carousel template: each card has its own header",
            "`components[3].buttons`: are not allowed on a carousel template outside its cards: each card has its own buttons"
        ]
    );
}

#[test]
fn a_card_without_a_header_is_refused() {
    let headless = json!({"components": [{"type": "BODY", "text": "Saree"},
        {"type": "BUTTONS", "buttons": [{"type": "QUICK_REPLY", "text": "Buy"}]}]});
    let found = problems(&carousel(
        vec![
            media_card(
                Some("Kurta"),
                json!([{"type": "QUICK_REPLY", "text": "Buy"}]),
            ),
            headless,
        ],
        vec![],
    ));
    assert_eq!(
        found,
        [
            "`components[1].cards[1]`: has no HEADER component; every carousel card has an image, video or product header"
        ]
    );
}
