//! A JSON text written piece by piece: the structure as literal fragments,
//! the message's values as JSON strings, escaped exactly as `serde_json`
//! escapes them.
//!
//! The v2 body has a fixed shape with a handful of values in it, so writing
//! the shape as literals costs far less than serializing it field by field:
//! serde_json escapes every key as if it could hold a quote, and each value
//! passes through several layers of calls.

/// A JSON text being written.
pub(crate) struct JsonWriter {
    text: String,
    /// Set when serde_json fails to write a string, which its writer for a
    /// `String` never does; kept rather than ignored all the same.
    failed: Option<serde_json::Error>,
}

impl JsonWriter {
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        JsonWriter {
            text: String::with_capacity(capacity),
            failed: None,
        }
    }

    /// Appends `fragment` as it is: JSON syntax and keys, literal in the code.
    pub(crate) fn raw(&mut self, fragment: &'static str) {
        self.text.push_str(fragment);
    }

    /// Appends `value` as a JSON string. Most values need no escaping and are
    /// copied between quotes; the others go through serde_json's escaper, so
    /// the output is byte for byte what serde_json writes.
    pub(crate) fn string(&mut self, value: &str) {
        if needs_no_escaping(value) {
            self.text.reserve(value.len() + 2);
            self.text.push('"');
            self.text.push_str(value);
            self.text.push('"');
            return;
        }
        match serde_json::to_string(value) {
            Ok(quoted) => self.text.push_str(&quoted),
            Err(error) => {
                self.failed.get_or_insert(error);
            }
        }
    }

    /// Appends an integer.
    pub(crate) fn integer(&mut self, value: u64) {
        use std::fmt::Write;
        // Writing to a `String` cannot fail.
        let _ = write!(self.text, "{value}");
    }

    /// Appends `value` as a JSON number, byte for byte as serde_json writes
    /// it. Callers give finite numbers only (serde_json writes NaN as `null`).
    pub(crate) fn number(&mut self, value: f64) {
        debug_assert!(value.is_finite(), "JSON has no {value}");
        self.json(&value);
    }

    /// Appends `value` as serde_json writes it: for the few values that are
    /// JSON already, such as a flow's data.
    pub(crate) fn json(&mut self, value: &impl serde::Serialize) {
        match serde_json::to_string(value) {
            Ok(text) => self.text.push_str(&text),
            Err(error) => {
                self.failed.get_or_insert(error);
            }
        }
    }

    /// The text written, or the first error.
    pub(crate) fn finish(self) -> Result<String, serde_json::Error> {
        match self.failed {
            Some(error) => Err(error),
            None => Ok(self.text),
        }
    }
}

/// Whether JSON takes `value` as it is between quotes: it holds no quote,
/// no backslash and no control character (U+0000 to U+001F), the only
/// characters JSON strings must escape and the only ones serde_json does.
fn needs_no_escaping(value: &str) -> bool {
    value
        .bytes()
        .all(|byte| byte >= 0x20 && byte != b'"' && byte != b'\\')
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn written(value: &str) -> String {
        let mut json = JsonWriter::with_capacity(0);
        json.string(value);
        json.finish().unwrap()
    }

    #[test]
    fn plain_text_is_copied_between_quotes() {
        assert!(needs_no_escaping(
            "Ada Lovelace, order 4711 – नमस्ते 🎉 \u{7f}"
        ));
        assert_eq!(written("नमस्ते 🎉"), "\"नमस्ते 🎉\"");
        assert_eq!(written(""), "\"\"");
    }

    #[test]
    fn quotes_backslashes_and_control_characters_are_escaped() {
        for value in ["\"", "\\", "\n", "\u{0}", "\u{1f}", "a\tb"] {
            assert!(!needs_no_escaping(value), "{value:?}");
        }
        assert_eq!(
            written("say \"hi\"\\\n\t\u{1}"),
            r#""say \"hi\"\\\n\t\u0001""#
        );
    }

    #[test]
    fn raw_fragments_and_strings_make_one_text() {
        let mut json = JsonWriter::with_capacity(0);
        json.raw(r#"{"name":"#);
        json.string("a\"b");
        json.raw("}");
        let text = json.finish().unwrap();
        assert_eq!(text, r#"{"name":"a\"b"}"#);
        let parsed: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(parsed["name"], "a\"b");
    }

    /// Text mixing what needs escaping with what does not: quotes,
    /// backslashes, every control character, DEL, Hindi and emoji.
    fn awkward_text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("\"".to_owned()),
            Just("\\".to_owned()),
            (0u32..0x20).prop_map(|code| char::from_u32(code).unwrap().to_string()),
            Just("\u{7f}".to_owned()),
            Just("नमस्ते".to_owned()),
            Just("🎉👍🏽".to_owned()),
            "[a-zA-Z0-9 ,.:/?&=+-]{0,8}",
            any::<String>(),
        ];
        proptest::collection::vec(piece, 0..8).prop_map(|pieces| pieces.concat())
    }

    proptest! {
        #![proptest_config(kaleyra_test_support::proptest_config(256))]

        #[test]
        fn strings_are_written_as_serde_json_writes_them(value in awkward_text()) {
            let text = written(&value);
            prop_assert_eq!(&text, &serde_json::to_string(&value).unwrap());
            prop_assert_eq!(serde_json::from_str::<String>(&text).unwrap(), value);
        }
    }
}
