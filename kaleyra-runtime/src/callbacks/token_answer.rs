//! The answer of a callback profile's auth URL ("advanced authentication"):
//! the shape of an Azure AD v1 token answer, with every number a string, as
//! Kaleyra's callback-profile page shows it:
//!
//! ```json
//! {"token_type": "Bearer", "expires_in": "3599", "ext_expires_in": "3599",
//!  "expires_on": "1686632570", "not_before": "1686628670",
//!  "resource": "...", "access_token": "..."}
//! ```
//!
//! [`TokenAnswer::to_json`] writes it (the runtime's token route) and
//! [`TokenAnswer::parse`] reads it (the emulator, as Kaleyra), so both sides
//! use one definition of the shape.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};
use serde_json::{Map, Value, json};

/// The form (or JSON) field naming the OAuth 2.0 grant of a token request.
pub const GRANT_TYPE_FIELD: &str = "grant_type";
/// The OAuth 2.0 grant a token request asks for: client credentials.
pub const CLIENT_CREDENTIALS_GRANT: &str = "client_credentials";
/// The field carrying the client id in a token request.
pub const CLIENT_ID_FIELD: &str = "client_id";
/// The field carrying the client secret in a token request.
pub const CLIENT_SECRET_FIELD: &str = "client_secret";

/// A token answer, read or to be written. The numbers are seconds: a
/// lifetime (`expires_in`, `ext_expires_in`) or a Unix time (`expires_on`,
/// `not_before`). `Debug` never shows the access token.
#[derive(Clone)]
pub struct TokenAnswer {
    /// `token_type`: `Bearer`.
    pub token_type: String,
    /// `access_token`: what the callback then carries as `Authorization: Bearer <token>`.
    pub access_token: SecretString,
    /// `expires_in`: how many seconds the token is good for, from now.
    pub expires_in: u64,
    /// `ext_expires_in`, when given.
    pub ext_expires_in: Option<u64>,
    /// `expires_on`: the Unix time the token expires, when given.
    pub expires_on: Option<u64>,
    /// `not_before`: the Unix time from which the token is good, when given.
    pub not_before: Option<u64>,
    /// `resource`: what the token is for, when given.
    pub resource: Option<String>,
}

impl TokenAnswer {
    /// Reads a token answer. Refused, with the field and the reason (never
    /// the token): a body that is not a JSON object; no `access_token`, or
    /// one that is not a non-empty string; a `token_type` other than
    /// `Bearer` (in any case); an `expires_in` that is missing; and any of
    /// the four numbers that is not a string of decimal digits (a JSON
    /// number included, since the documented shape writes them as strings).
    pub fn parse(body: &[u8]) -> Result<TokenAnswer, TokenAnswerError> {
        let value: Value =
            serde_json::from_slice(body).map_err(|error| TokenAnswerError::NotJson {
                // The parser's position, not its message: a message can quote the body.
                reason: format!("line {} column {}", error.line(), error.column()),
            })?;
        let Value::Object(object) = value else {
            return Err(TokenAnswerError::NotAnObject);
        };
        let access_token = match object.get("access_token") {
            Some(Value::String(token)) if !token.trim().is_empty() => {
                SecretString::from(token.clone())
            }
            Some(Value::String(_)) => {
                return Err(TokenAnswerError::Field {
                    field: "access_token",
                    reason: "is empty".to_owned(),
                });
            }
            Some(other) => {
                return Err(TokenAnswerError::Field {
                    field: "access_token",
                    reason: format!("is {}, not a string", kind(other)),
                });
            }
            None => return Err(TokenAnswerError::Missing("access_token")),
        };
        let token_type = match object.get("token_type") {
            Some(Value::String(kind)) if kind.eq_ignore_ascii_case("bearer") => kind.clone(),
            Some(Value::String(kind)) => {
                return Err(TokenAnswerError::Field {
                    field: "token_type",
                    reason: format!("is `{kind}`; a callback carries a Bearer token"),
                });
            }
            Some(other) => {
                return Err(TokenAnswerError::Field {
                    field: "token_type",
                    reason: format!("is {}, not a string", kind(other)),
                });
            }
            None => return Err(TokenAnswerError::Missing("token_type")),
        };
        let expires_in =
            seconds(&object, "expires_in")?.ok_or(TokenAnswerError::Missing("expires_in"))?;
        let resource = match object.get("resource") {
            None | Some(Value::Null) => None,
            Some(Value::String(resource)) => Some(resource.clone()),
            Some(other) => {
                return Err(TokenAnswerError::Field {
                    field: "resource",
                    reason: format!("is {}, not a string", kind(other)),
                });
            }
        };
        Ok(TokenAnswer {
            token_type,
            access_token,
            expires_in,
            ext_expires_in: seconds(&object, "ext_expires_in")?,
            expires_on: seconds(&object, "expires_on")?,
            not_before: seconds(&object, "not_before")?,
            resource,
        })
    }

    /// The answer as JSON, every number a string, as Kaleyra's page shows
    /// it. It holds the access token: send it, never log it.
    pub fn to_json(&self) -> Value {
        let mut answer = json!({
            "token_type": self.token_type,
            "expires_in": self.expires_in.to_string(),
            "access_token": self.access_token.expose_secret(),
        });
        for (field, value) in [
            ("ext_expires_in", self.ext_expires_in),
            ("expires_on", self.expires_on),
            ("not_before", self.not_before),
        ] {
            if let Some(value) = value {
                answer[field] = Value::String(value.to_string());
            }
        }
        if let Some(resource) = &self.resource {
            answer["resource"] = Value::String(resource.clone());
        }
        answer
    }
}

impl fmt::Debug for TokenAnswer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenAnswer")
            .field("token_type", &self.token_type)
            .field("access_token", &super::secret::REDACTED)
            .field("expires_in", &self.expires_in)
            .field("ext_expires_in", &self.ext_expires_in)
            .field("expires_on", &self.expires_on)
            .field("not_before", &self.not_before)
            .field("resource", &self.resource)
            .finish()
    }
}

/// The field `field` as seconds: absent (or null) is `None`; a string of
/// decimal digits is its value; anything else is refused.
fn seconds(
    object: &Map<String, Value>,
    field: &'static str,
) -> Result<Option<u64>, TokenAnswerError> {
    let text = match object.get(field) {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::String(text)) => text,
        Some(Value::Number(number)) => {
            return Err(TokenAnswerError::Field {
                field,
                reason: format!(
                    "is the JSON number {number}; the token answer writes its numbers as strings, such as \"3599\""
                ),
            });
        }
        Some(other) => {
            return Err(TokenAnswerError::Field {
                field,
                reason: format!("is {}, not a string of seconds", kind(other)),
            });
        }
    };
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(TokenAnswerError::Field {
            field,
            reason: format!("is \"{text}\", not a whole number of seconds"),
        });
    }
    text.parse::<u64>()
        .map(Some)
        .map_err(|_overflow| TokenAnswerError::Field {
            field,
            reason: format!("is \"{text}\", too large a number of seconds"),
        })
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "true or false",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// Why a token answer could not be read. The messages never hold the token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TokenAnswerError {
    /// The body is not JSON.
    #[error("the token answer is not JSON (at {reason})")]
    NotJson {
        /// Where the parser stopped.
        reason: String,
    },
    /// The body is JSON but not an object.
    #[error("the token answer is JSON but not an object")]
    NotAnObject,
    /// A field the answer must have is missing.
    #[error("the token answer has no `{0}`")]
    Missing(&'static str),
    /// A field has the wrong type or value.
    #[error("the token answer's `{field}` {reason}")]
    Field {
        /// The field.
        field: &'static str,
        /// What is wrong with it.
        reason: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    const KALEYRA_EXAMPLE: &str = r#"{"token_type":"Bearer","expires_in":"3599","ext_expires_in":"3599","expires_on":"1686632570","not_before":"1686628670","resource":"00000002-0000-0000-c000-000000000000","access_token":"eyJ0eXAiOiJKV1Qi.secret-part"}"#;

    #[test]
    fn kaleyras_example_reads_with_string_numbers() {
        let answer = TokenAnswer::parse(KALEYRA_EXAMPLE.as_bytes()).unwrap();
        assert_eq!(answer.expires_in, 3599);
        assert_eq!(answer.ext_expires_in, Some(3599));
        assert_eq!(answer.expires_on, Some(1_686_632_570));
        assert_eq!(answer.not_before, Some(1_686_628_670));
        assert_eq!(
            answer.access_token.expose_secret(),
            "eyJ0eXAiOiJKV1Qi.secret-part"
        );
        let written = answer.to_json();
        assert_eq!(
            written,
            serde_json::from_str::<Value>(KALEYRA_EXAMPLE).unwrap()
        );
    }

    #[test]
    fn debug_does_not_show_the_token() {
        let answer = TokenAnswer::parse(KALEYRA_EXAMPLE.as_bytes()).unwrap();
        let shown = format!("{answer:?}");
        assert!(!shown.contains("secret-part"), "{shown}");
        assert!(shown.contains("[redacted]"), "{shown}");
    }

    #[test]
    fn bad_answers_are_refused_by_field_without_the_token() {
        let cases: &[(&str, &str)] = &[
            ("not json at all", "not JSON"),
            ("[1, 2]", "not an object"),
            (
                r#"{"token_type":"Bearer","expires_in":"60"}"#,
                "no `access_token`",
            ),
            (
                r#"{"token_type":"Bearer","expires_in":"60","access_token":""}"#,
                "`access_token` is empty",
            ),
            (
                r#"{"token_type":"Bearer","expires_in":"60","access_token":7}"#,
                "`access_token` is a number",
            ),
            (
                r#"{"token_type":"MAC","expires_in":"60","access_token":"tok-abc"}"#,
                "`token_type` is `MAC`",
            ),
            (
                r#"{"expires_in":"60","access_token":"tok-abc"}"#,
                "no `token_type`",
            ),
            (
                r#"{"token_type":"Bearer","access_token":"tok-abc"}"#,
                "no `expires_in`",
            ),
            (
                r#"{"token_type":"Bearer","expires_in":3599,"access_token":"tok-abc"}"#,
                "JSON number 3599",
            ),
            (
                r#"{"token_type":"Bearer","expires_in":"soon","access_token":"tok-abc"}"#,
                "\"soon\", not a whole number",
            ),
            (
                r#"{"token_type":"Bearer","expires_in":"-5","access_token":"tok-abc"}"#,
                "not a whole number",
            ),
            (
                r#"{"token_type":"Bearer","expires_in":"99999999999999999999999","access_token":"tok-abc"}"#,
                "too large",
            ),
            (
                r#"{"token_type":"Bearer","expires_in":"60","expires_on":"x","access_token":"tok-abc"}"#,
                "`expires_on`",
            ),
        ];
        for (body, expected) in cases {
            let error = TokenAnswer::parse(body.as_bytes()).unwrap_err().to_string();
            assert!(error.contains(expected), "{body}: {error}");
            assert!(!error.contains("tok-abc"), "{body}: {error}");
        }
    }
}
