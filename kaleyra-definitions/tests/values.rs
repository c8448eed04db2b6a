//! The filled-URL rule takes a shortcut past the host (only whitespace can
//! break a URL there); this holds it against parsing the filled URL, for URLs
//! the definition rules accept and any suffix.

use kaleyra_definitions::limits;
use kaleyra_definitions::placeholder::fill;
use kaleyra_definitions::values::filled_url_problem;
use proptest::prelude::*;

/// Button URLs as definitions have them: `http(s)`, one `{{1}}` at the end.
const URLS: &[&str] = &[
    "https://example.com/track/{{1}}",
    "https://example.com/{{1}}",
    "https://example.com/login?code={{1}}",
    "https://example.com/a#{{1}}",
    "http://127.0.0.1:8080/v1/{{1}}",
    "https://example.com{{1}}",
    "https://{{1}}",
    "https://xn--80ak6aa92e.com/{{1}}",
];

fn suffix() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => "[a-zA-Z0-9._~-]{1,6}",
        2 => prop::sample::select(vec!["/", "?", "#", "%", "%zz", "@", ":", "[", "]", "\\", "^", "|", "{", "}", "`", "<", ">", "\"", "'"])
            .prop_map(str::to_owned),
        1 => prop::sample::select(vec![" ", "\u{a0}", "\u{3000}", "\u{0}", "\u{7f}", "é", "न", "😀", "\u{200b}", "\u{feff}"])
            .prop_map(str::to_owned),
        1 => any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..10).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(kaleyra_test_support::proptest_config(4096))]

    #[test]
    fn the_shortcut_agrees_with_parsing_the_filled_url(url in prop::sample::select(URLS), suffix in suffix()) {
        let filled = fill(url, &[suffix.as_str()]);
        let expected = limits::chars(&filled) > limits::BUTTON_URL || !limits::is_http_url(&filled);
        prop_assert_eq!(
            filled_url_problem(url, &suffix).is_some(),
            expected,
            "{} with {:?}", url, suffix
        );
    }
}

#[test]
fn every_url_above_passes_the_definition_rules() {
    for url in URLS {
        assert!(limits::is_http_url(&fill(url, &["suffix"])), "{url}");
    }
}
