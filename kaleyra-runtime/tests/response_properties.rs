//! The response decoder on anything a server (or a proxy in between) might
//! send: it never panics, and every outcome keeps the status and a bounded
//! excerpt of the body.
//!
//! `PROPTEST_CASES=100000 cargo test -p kaleyra-runtime --test response_properties`
//! runs a longer campaign.

use kaleyra_runtime::{ApiVersion, Error, decode_response};
use kaleyra_test_support::strategies::{json_leaf, json_tree};
use proptest::prelude::*;
use serde_json::Value;

const KEYS: &[&str] = &[
    "code",
    "message",
    "data",
    "error",
    "id",
    "type",
    "body",
    "createdDateTime",
    "totalCount",
    "message_id",
    "recipient",
    "x",
];
const WORDS: &[&str] = &[
    "WA202",
    "WA500",
    "E413",
    "RBC001",
    "WA-401",
    "wamid.1",
    "abc:0",
    "919876543210",
    "",
];

fn json_value() -> impl Strategy<Value = Value> {
    json_tree(KEYS, json_leaf(WORDS))
}

fn api() -> impl Strategy<Value = ApiVersion> {
    prop_oneof![Just(ApiVersion::V1), Just(ApiVersion::V2)]
}

fn check(api: ApiVersion, status: u16, body: &[u8]) -> Result<(), TestCaseError> {
    let recipients = vec!["+919876543210".to_owned()];
    match decode_response(api, status, body, &recipients) {
        Ok(receipt) => {
            prop_assert!(
                (200..300).contains(&status),
                "a receipt only for a success status"
            );
            prop_assert!(
                !receipt.messages().is_empty(),
                "a receipt names at least one message"
            );
        }
        Err(Error::Api {
            status: kept,
            body: excerpt,
            ..
        })
        | Err(Error::Decode {
            status: kept,
            body: excerpt,
            ..
        }) => {
            prop_assert_eq!(kept, status);
            prop_assert!(
                excerpt.len() <= Error::BODY_EXCERPT_BYTES + 40,
                "the excerpt is bounded: {} bytes",
                excerpt.len()
            );
        }
        Err(other) => prop_assert!(false, "unexpected error kind: {other:?}"),
    }
    Ok(())
}

proptest! {
    #![proptest_config(kaleyra_test_support::proptest_config(4096))]

    #[test]
    fn arbitrary_bytes_never_panic(api in api(), status in 100u16..600, body in prop::collection::vec(any::<u8>(), 0..2048)) {
        check(api, status, &body)?;
    }

    #[test]
    fn json_shaped_like_kaleyra_s_never_panics(api in api(), status in prop::sample::select(vec![200u16, 202, 400, 401, 429, 500, 502]), value in json_value()) {
        check(api, status, value.to_string().as_bytes())?;
    }

    #[test]
    fn long_bodies_are_cut_to_the_excerpt(api in api(), status in 400u16..600, body in ".{600,3000}") {
        check(api, status, body.as_bytes())?;
    }
}
