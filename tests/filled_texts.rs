//! WhatsApp counts a template's header, body and button URL with the values
//! filled in. `prepare` refuses a value that fits alone but makes one of them
//! too long, on the derive path and on a hand-built message checked against
//! its definition, naming the slot; and what `prepare` accepts the emulator
//! accepts, what it refuses the emulator refuses naming the same slot.
//!
//! `tests/filled/shipment_notice.json`: the header `Order {{1}} shipped`
//! (14 characters of text), the body `Hi {{1}}, your order {{2}} ships
//! today.` (29), the URL `https://example.com/track/{{1}}` (26).
//!
//! `PROPTEST_CASES=10000 cargo test --test filled_texts` runs longer.

use std::path::Path;
use std::sync::LazyLock;

use kaleyra_emulator::{Emulator, RunningEmulator};
use kaleyra_runtime::definitions::TemplateDefinition;
use kaleyra_runtime::{
    Api, Client, Error, PreparedRequest, Template, TemplateHeader, TemplateMessage,
};
use proptest::prelude::*;
use serde_json::Value;

const TO: &str = "+919876543210";
const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/filled");

#[derive(Template)]
#[kaleyra(template = "shipment_notice", dir = "tests/filled")]
struct ShipmentNotice<'a> {
    #[kaleyra(header)]
    order: &'a str,
    name: &'a str,
    order_number: &'a str,
    #[kaleyra(button = 0)]
    tracking: &'a str,
}

impl ShipmentNotice<'_> {
    /// The same values as a hand-built message, checked against the definition.
    fn by_hand(&self) -> TemplateMessage {
        let definition =
            TemplateDefinition::from_file(&Path::new(DIR).join("shipment_notice.json"))
                .expect("the fixture reads");
        TemplateMessage::media("shipment_notice")
            .language("en")
            .header(TemplateHeader::Text(self.order.to_owned()))
            .param(self.name)
            .param(self.order_number)
            .url_button(0, self.tracking)
            .checked_against(&definition)
    }
}

fn notice<'a>(order: &'a str, name: &'a str, tracking: &'a str) -> ShipmentNotice<'a> {
    ShipmentNotice {
        order,
        name,
        order_number: "ORD-1",
        tracking,
    }
}

fn clients() -> [Client; 2] {
    [
        kaleyra_test_support::client(Api::V1),
        kaleyra_test_support::client(Api::V2(kaleyra_runtime::Pod::In)),
    ]
}

/// `prepare`'s verdict on both paths and both APIs, which must agree.
fn verdicts(values: &ShipmentNotice<'_>) -> Vec<Result<(), String>> {
    let by_hand = values.by_hand();
    clients()
        .iter()
        .flat_map(|client| [values.prepare(client, TO), client.prepare(&by_hand, TO)])
        .map(|result| match result {
            Ok(_) => Ok(()),
            Err(Error::Invalid { field, reason }) => Err(format!("{field}: {reason}")),
            Err(other) => panic!("not a refusal of a value: {other:?}"),
        })
        .collect()
}

fn assert_refused(values: &ShipmentNotice<'_>, field: &str, why: &str) {
    for verdict in verdicts(values) {
        let refusal = verdict.expect_err("refused");
        assert!(
            refusal.starts_with(&format!("{field}: ")) && refusal.contains(why),
            "{refusal}"
        );
    }
}

fn assert_accepted(values: &ShipmentNotice<'_>) {
    for verdict in verdicts(values) {
        assert_eq!(verdict, Ok(()));
    }
}

#[test]
fn a_filled_header_of_60_characters_is_accepted_and_61_refused() {
    // 14 characters of text around the value.
    assert_accepted(&notice(&"é".repeat(46), "Asha", "a1"));
    assert_refused(
        &notice(&"é".repeat(47), "Asha", "a1"),
        "header",
        "makes a header of 61 characters",
    );
}

#[test]
fn a_filled_body_of_1024_characters_is_accepted_and_1025_refused() {
    // 29 characters of text and `ORD-1`: 990 characters of name fill it.
    assert_accepted(&notice("4711", &"न".repeat(990), "a1"));
    assert_refused(
        &notice("4711", &"न".repeat(991), "a1"),
        "body",
        "a body of 1025 characters",
    );
}

#[test]
fn a_filled_url_of_2000_characters_is_accepted_and_2001_refused() {
    assert_accepted(&notice("4711", "Asha", &"a".repeat(1974)));
    assert_refused(
        &notice("4711", "Asha", &"a".repeat(1975)),
        "buttons[0] url suffix",
        "makes a URL of 2001 characters",
    );
}

#[test]
fn a_suffix_that_breaks_the_url_is_refused() {
    // Spaces pass the parameter rules (four in a row at most) but not a URL.
    assert_refused(
        &notice("4711", "Asha", "a b"),
        "buttons[0] url suffix",
        "not an http(s) URL",
    );
}

#[test]
fn a_message_not_checked_against_its_definition_is_judged_by_its_values_alone() {
    let message = TemplateMessage::media("shipment_notice")
        .language("en")
        .header(TemplateHeader::Text("é".repeat(47)))
        .param("Asha")
        .param("ORD-1")
        .url_button(0, "a1");
    for client in clients() {
        assert!(client.prepare(&message, TO).is_ok());
    }
}

/// The emulator on loopback, and a runtime to reach it from the property.
struct Kaleyra {
    runtime: tokio::runtime::Runtime,
    emulator: RunningEmulator,
    client: Client,
    http: reqwest::Client,
}

static KALEYRA: LazyLock<Kaleyra> = LazyLock::new(|| {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let emulator = runtime.block_on(async {
        Emulator::builder()
            .templates_dir(DIR)
            .start()
            .await
            .unwrap()
    });
    let client = emulator.client(Api::V2(kaleyra_runtime::Pod::In)).unwrap();
    Kaleyra {
        runtime,
        emulator,
        client,
        http: reqwest::Client::new(),
    }
});

/// The emulator's answer to `values` sent as v2 would send them, checked or
/// not: a request `prepare` accepts for placeholder values, with the values
/// put in. `Ok` when accepted, else the answer's body.
fn emulator_verdict(values: &ShipmentNotice<'_>) -> Result<(), String> {
    let kaleyra = &*KALEYRA;
    let request: PreparedRequest = notice("o", "n", "t")
        .prepare(&kaleyra.client, TO)
        .expect("placeholder values are accepted");
    let mut body: Value = serde_json::from_slice(request.body()).unwrap();
    let components = body["messaging_object"]["template"]["components"]
        .as_array_mut()
        .unwrap();
    for component in components {
        let value = match (component["type"].as_str(), component["sub_type"].as_str()) {
            (Some("header"), _) => values.order,
            (Some("button"), Some("url")) => values.tracking,
            (Some("body"), _) => {
                component["parameters"][0]["text"] = values.name.into();
                component["parameters"][1]["text"] = values.order_number.into();
                continue;
            }
            other => panic!("unexpected component {other:?}"),
        };
        component["parameters"][0]["text"] = value.into();
    }
    kaleyra.runtime.block_on(async {
        let answer = kaleyra
            .http
            .post(request.url().clone())
            .headers(request.headers().clone())
            .body(serde_json::to_vec(&body).unwrap())
            .send()
            .await
            .unwrap();
        let status = answer.status();
        let text = answer.text().await.unwrap();
        if status.is_success() {
            Ok(())
        } else {
            Err(text)
        }
    })
}

/// A value of `chars` characters (counted, whatever their bytes) of one
/// letter, with up to three characters put in that may break a rule of
/// their own: built in one step, as values near the URL limit are long.
fn text_near(chars: std::ops::Range<usize>) -> impl Strategy<Value = String> {
    let letter = prop::sample::select(vec!['a', 'é', 'न', '😀']);
    let odd = prop::sample::select(vec![' ', '\n', '\t', '/', '?', '#', '%', 'x']);
    (
        letter,
        chars,
        prop::collection::vec((odd, any::<prop::sample::Index>()), 0..3),
    )
        .prop_map(|(letter, count, odd)| {
            let mut text: Vec<char> = std::iter::repeat_n(letter, count).collect();
            for (character, at) in odd {
                if !text.is_empty() {
                    let at = at.index(text.len());
                    text[at] = character;
                }
            }
            text.into_iter().collect()
        })
}

fn short_or_near(limit: usize) -> impl Strategy<Value = String> {
    prop_oneof![
        text_near(1..8),
        text_near(limit.saturating_sub(8)..limit + 4),
    ]
}

proptest! {
    #![proptest_config(kaleyra_test_support::proptest_config(256))]

    #[test]
    fn what_prepare_accepts_the_emulator_accepts_and_what_it_refuses_it_refuses_naming_the_same_slot(
        order in short_or_near(46),
        name in short_or_near(990),
        tracking in short_or_near(1974),
    ) {
        let values = notice(&order, &name, &tracking);
        let kaleyra = &*KALEYRA;
        let emulator = emulator_verdict(&values);
        match values.prepare(&kaleyra.client, TO) {
            Ok(_) => prop_assert!(emulator.is_ok(), "prepare accepted what the emulator refuses: {emulator:?}"),
            Err(Error::Invalid { field, reason }) => {
                // `name (body {{1}})` names the slot `body {{1}}`.
                let slot = field
                    .split_once(" (")
                    .map_or(field.as_str(), |(_, slot)| slot.trim_end_matches(')'));
                let refusal = emulator.expect_err("the emulator refuses it too");
                prop_assert!(
                    refusal.contains(&format!("({slot})")),
                    "prepare refused {field}: {reason}; the emulator: {refusal}"
                );
            }
            Err(other) => prop_assert!(false, "not a refusal of a value: {other:?}"),
        }
        kaleyra.emulator.clear();
    }
}
