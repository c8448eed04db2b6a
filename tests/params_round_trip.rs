//! The v1 `params` encoding, against the emulator's own decoder: every value
//! the client accepts decodes back to exactly the same string, and every
//! value it refuses is refused with `Invalid` naming the field.
//!
//! `PROPTEST_CASES=100000 cargo test --test params_round_trip` runs longer.

use kaleyra_emulator::decode_params;
use kaleyra_runtime::{Api, Client, Error, TemplateMessage};
use proptest::prelude::*;

/// One client for every case: building one loads the system's TLS roots.
fn client() -> &'static Client {
    static CLIENT: std::sync::LazyLock<Client> =
        std::sync::LazyLock::new(|| kaleyra_test_support::client(Api::V1));
    &CLIENT
}

/// Why the client must refuse `value`, by the documented rules.
fn must_refuse(value: &str) -> bool {
    value.is_empty()
        || value.contains(['"', '\n', '\r', '\t'])
        || value.contains("     ")
        || value.chars().count() > 1024
}

/// Text with the characters that matter over-represented.
fn value() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => "[a-zA-Z0-9]{1,8}",
        2 => Just(",".to_owned()),
        2 => Just("\"".to_owned()),
        2 => prop::sample::select(vec![" ", "  ", "    ", "     "]).prop_map(str::to_owned),
        1 => prop::sample::select(vec!["\n", "\r", "\t", "\\", "'", "%", "&", "=", "+", "é", "😀", "\u{0}"]).prop_map(str::to_owned),
        1 => ".{1,4}",
    ];
    prop_oneof![
        20 => prop::collection::vec(piece, 0..8).prop_map(|pieces| pieces.concat()),
        1 => Just("x".repeat(1024)),
        1 => Just("x".repeat(1025)),
    ]
}

proptest! {
    #![proptest_config(kaleyra_test_support::proptest_config(4096))]

    #[test]
    fn accepted_values_decode_back_exactly_and_refused_ones_name_the_field(values in prop::collection::vec(value(), 1..4)) {
        let mut message = TemplateMessage::new("booking_confirm");
        for (i, value) in values.iter().enumerate() {
            message = message.labelled_param(["first", "second", "third"][i], value);
        }
        match client().prepare(&message, "+919876543210") {
            Ok(request) => {
                prop_assert!(!values.iter().any(|value| must_refuse(value)), "accepted a value the rules refuse: {values:?}");
                let fields = request.form_fields().unwrap();
                let params = &fields.iter().find(|(key, _)| key == "params").unwrap().1;
                prop_assert_eq!(decode_params(params).unwrap(), values);
            }
            Err(Error::Invalid { field, reason }) => {
                let named = ["first", "second", "third"].iter().position(|name| field.starts_with(name));
                prop_assert!(named.is_some(), "the field names a value: {field}");
                let value = &values[named.unwrap()];
                prop_assert!(must_refuse(value), "refused {value:?}, which the rules accept: {field}: {reason}");
            }
            Err(other) => prop_assert!(false, "unexpected error: {other:?}"),
        }
    }
}
