//! `decode_params` reads back what the project's client writes in v1's
//! `params` field, value for value.

mod common;

use common::{TO, V1};
use kaleyra_emulator::decode_params;
use kaleyra_runtime::TemplateMessage;

fn encoded_by_the_client(values: &[&str]) -> String {
    let client = kaleyra_test_support::client(V1);
    let request = client
        .prepare(&TemplateMessage::new("any_template").params(values), TO)
        .unwrap();
    request
        .form_fields()
        .unwrap()
        .into_iter()
        .find(|(name, _)| name == "params")
        .map(|(_, value)| value)
        .expect("a params field")
}

#[test]
fn decode_params_reads_what_the_client_encodes() {
    let cases: &[&[&str]] = &[
        &["John", "Doe"],
        &["Doe, John"],
        &["a,b", ",", "x y"],
        &[" leading", "trailing ", "    four"],
        &["नमस्ते", "🙂", "{{1}}", "50% off & more"],
    ];
    for values in cases {
        let field = encoded_by_the_client(values);
        assert_eq!(decode_params(&field).unwrap(), *values, "{field}");
    }
}

#[test]
fn decode_params_reads_the_docs_samples() {
    assert_eq!(decode_params("\"John\",\"Doe\"").unwrap(), ["John", "Doe"]);
    assert_eq!(decode_params("\"Raman\"").unwrap(), ["Raman"]);
    assert_eq!(decode_params("a,b,c").unwrap(), ["a", "b", "c"]);
}
