//! The values users pass that a library must survive: proptest strategies.

use std::time::Duration;

use proptest::prelude::*;
use serde_json::{Map, Value};

/// Any `f64`, weighted towards the edges: NaN, ±infinity, ±0, subnormals,
/// the smallest and largest finite values, and tiny and huge rates.
pub fn edge_f64() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(f64::NEG_INFINITY),
        Just(0.0),
        Just(-0.0),
        Just(f64::MIN_POSITIVE),
        Just(f64::MIN_POSITIVE / 2.0), // subnormal
        Just(f64::from_bits(1)),       // the smallest subnormal
        Just(f64::MAX),
        Just(f64::MIN),
        Just(1e-300),
        Just(1e300),
        any::<f64>(),
        -1e6..1e6f64,
    ]
}

/// Any `usize`, weighted towards 0, 1 and the largest values.
pub fn edge_usize() -> impl Strategy<Value = usize> {
    prop_oneof![
        Just(0),
        Just(1),
        Just(usize::MAX),
        Just(usize::MAX / 2),
        0..100_000usize,
        any::<usize>(),
    ]
}

/// Any `u32`, weighted towards 0 and the largest values.
pub fn edge_u32() -> impl Strategy<Value = u32> {
    prop_oneof![Just(0), Just(1), Just(u32::MAX), any::<u32>()]
}

/// Any `Duration`, weighted towards zero, a nanosecond and the longest.
pub fn edge_duration() -> impl Strategy<Value = Duration> {
    prop_oneof![
        Just(Duration::ZERO),
        Just(Duration::from_nanos(1)),
        Just(Duration::MAX),
        Just(Duration::from_secs(u64::MAX)),
        (0..10_000u64).prop_map(Duration::from_millis),
        (any::<u64>(), 0..1_000_000_000u32).prop_map(|(secs, nanos)| Duration::new(secs, nanos)),
    ]
}

/// Text as users write it: ASCII, Hindi, emoji, whitespace and control
/// characters, empty, and long.
pub fn user_text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("नमस्ते 🙏 आपका ऑर्डर भेज दिया गया है".to_owned()),
        Just("👨‍👩‍👧‍👦🇮🇳".repeat(300)),
        "[a-zA-Z0-9 .,_-]{0,40}",
        "\\PC{0,80}",
        any::<String>(),
        "[ \t\r\n\u{0}\u{a0}\u{200b}]{0,10}",
    ]
}

/// Phone numbers as users type them: E.164 with and without `+`, spaces,
/// dashes, too short, too long, letters, empty.
pub fn phone_like() -> impl Strategy<Value = String> {
    prop_oneof!["\\+?[1-9][0-9]{7,14}", "[+0-9 ()-]{0,25}", any::<String>(),]
}

/// URLs as users pass them: with and without a path or extension, other
/// schemes, garbage.
pub fn url_like() -> impl Strategy<Value = String> {
    prop_oneof![
        "https://[a-z]{1,10}\\.(com|in|example)(/[a-z0-9]{0,8}){0,3}(\\.[a-zA-Z0-9]{0,5})?(\\?[a-z]=[0-9a-z.]{0,6})?",
        "(http|https|ftp|file|data)://[^ ]{0,30}",
        any::<String>(),
    ]
}

/// JSON scalars a parser meets: null, booleans, any integer, small counts,
/// any float (null where JSON has none), one of `words`, and arbitrary text.
pub fn json_leaf(words: &'static [&'static str]) -> impl Strategy<Value = Value> + Clone {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        (0u64..5).prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        prop::sample::select(words).prop_map(|word| Value::String(word.to_owned())),
        ".{0,80}".prop_map(Value::String),
    ]
}

/// JSON trees in a parser's own vocabulary: arrays and objects with keys
/// from `keys` (repeats collapse, as in JSON), nested up to four levels, with
/// `leaf` values at the ends. A parser fed its own keys gets past its first
/// check, where arbitrary bytes would not.
pub fn json_tree(
    keys: &'static [&'static str],
    leaf: impl Strategy<Value = Value> + 'static,
) -> impl Strategy<Value = Value> {
    leaf.prop_recursive(4, 64, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(keys), inner), 0..10).prop_map(|pairs| {
                Value::Object(
                    pairs
                        .into_iter()
                        .map(|(key, value)| (key.to_owned(), value))
                        .collect::<Map<_, _>>(),
                )
            }),
        ]
    })
}
