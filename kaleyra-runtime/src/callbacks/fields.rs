//! Reading fields out of a callback's JSON object, taking each value out
//! rather than copying it, so what is left is the event's `extra`.

use serde_json::{Map, Value};

use super::error::InboundError;

/// Takes `key` out of `object` as text: strings as they are, numbers written
/// out. Anything else (an object, a list) stays in `object`.
pub(super) fn take_text(object: &mut Map<String, Value>, key: &str) -> Option<String> {
    match object.remove(key)? {
        Value::String(text) => Some(text),
        Value::Number(number) => Some(number.to_string()),
        Value::Null => None,
        other => {
            object.insert(key.to_owned(), other);
            None
        }
    }
}

/// [`take_text`] for a field the payload cannot do without.
pub(super) fn required_text(
    object: &mut Map<String, Value>,
    key: &str,
    path: &str,
) -> Result<String, InboundError> {
    take_text(object, key).ok_or_else(|| InboundError::Malformed {
        path: join(path, key),
        reason: "is missing or not text".to_owned(),
    })
}

/// `path.key`, or `key` at the top.
pub(super) fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// The error for a part that must be an object and is not.
pub(super) fn not_an_object(path: &str) -> InboundError {
    InboundError::Malformed {
        path: path.to_owned(),
        reason: "is not an object".to_owned(),
    }
}

/// Takes `key` out of `object` when it is an object; anything else (text,
/// a list) stays in `object`, as sent.
pub(super) fn take_object(
    object: &mut Map<String, Value>,
    key: &str,
) -> Option<Map<String, Value>> {
    match object.remove(key)? {
        Value::Object(inner) => Some(inner),
        other => {
            object.insert(key.to_owned(), other);
            None
        }
    }
}
