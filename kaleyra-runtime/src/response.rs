//! Reading Kaleyra's answer: a receipt for its documented success bodies, a
//! typed error for its documented error bodies, and a decode error for
//! anything else.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use crate::api::ApiVersion;
use crate::error::{ApiCode, Error, excerpt};
use crate::receipt::{Receipt, SentMessage};
use crate::transport::RawResponse;

/// The code of a v2 success.
const V2_ACCEPTED: &str = kaleyra_definitions::codes::WA202.code;

/// Reads one of Kaleyra's answers: the receipt, or the typed error, that an
/// answer with `status` and `body` means for a request to `recipients` (the
/// numbers a v2 receipt names). For code that sends a [`crate::PreparedRequest`]
/// with its own HTTP client; never panics, whatever the bytes.
///
/// ```
/// use kaleyra_runtime::{ApiVersion, Error, decode_response};
///
/// let body = br#"{"code":"WA202","message":"Request Accepted","data":{"message_id":"wamid.1"},"error":{}}"#;
/// let receipt = decode_response(ApiVersion::V2, 202, body, &["+919876543210".into()])?;
/// assert_eq!(receipt.message_id(), Some("wamid.1"));
/// assert!(matches!(decode_response(ApiVersion::V2, 502, b"<html>", &[]), Err(Error::Decode { .. })));
/// # Ok::<(), Error>(())
/// ```
pub fn decode_response(
    api: ApiVersion,
    status: u16,
    body: &[u8],
    recipients: &[String],
) -> Result<Receipt, Error> {
    let response = RawResponse {
        status,
        retry_after: None,
        location: None,
        body: bytes::Bytes::copy_from_slice(body),
    };
    decode(api, &response, recipients)
}

/// The receipt or error that `response` means, for a request to `recipients`.
pub(crate) fn decode(
    api: ApiVersion,
    response: &RawResponse,
    recipients: &[String],
) -> Result<Receipt, Error> {
    let status = response.status;
    let decode_error = |reason: String| Error::Decode {
        status,
        reason,
        body: excerpt(&response.body),
    };
    if (200..300).contains(&status)
        && let Some(receipt) = documented_success(api, &response.body, recipients)
    {
        return Ok(receipt);
    }
    if (300..400).contains(&status) {
        return Err(decode_error(redirect_reason(response)));
    }
    if response.body.iter().all(u8::is_ascii_whitespace) {
        return Err(decode_error("the body is empty".to_owned()));
    }
    let body: Value = serde_json::from_slice(&response.body)
        .map_err(|error| decode_error(format!("the body is not JSON ({error})")))?;

    // A documented error body is an error even under a success status; v1
    // success bodies have no `code`, and v2's is `WA202`.
    if let Some(error) = api_error(&body, status, response) {
        return Err(error);
    }
    if !(200..300).contains(&status) {
        return Err(decode_error(format!(
            "HTTP {status} without Kaleyra's error body (`code` and `message`)"
        )));
    }
    let receipt = match api {
        ApiVersion::V1 => v1_receipt(body),
        ApiVersion::V2 => v2_receipt(body, recipients),
    };
    receipt.map_err(decode_error)
}

/// Why a redirect is an error: Kaleyra documents none, and following one
/// would send the API key and the message elsewhere.
fn redirect_reason(response: &RawResponse) -> String {
    let to = response
        .location
        .as_deref()
        .map(|to| format!(" to `{to}`"))
        .unwrap_or_default();
    format!(
        "a redirect{to}, which is not followed: it would take the API key and the message to \
         another address; set the base URL to the address Kaleyra documents"
    )
}

/// The error an answer that is not a success means, for a request that
/// expects something other than a receipt (the template list): Kaleyra's
/// documented error body as [`Error::Api`], anything else as [`Error::Decode`].
pub(crate) fn refusal(response: &RawResponse) -> Error {
    let status = response.status;
    let decode_error = |reason: String| Error::Decode {
        status,
        reason,
        body: excerpt(&response.body),
    };
    if (300..400).contains(&status) {
        return decode_error(redirect_reason(response));
    }
    if response.body.iter().all(u8::is_ascii_whitespace) {
        return decode_error("the body is empty".to_owned());
    }
    match serde_json::from_slice::<Value>(&response.body) {
        Ok(body) => api_error(&body, status, response).unwrap_or_else(|| {
            decode_error(format!(
                "HTTP {status} without Kaleyra's error body (`code` and `message`)"
            ))
        }),
        Err(error) => decode_error(format!("the body is not JSON ({error})")),
    }
}

/// The receipt for a body in exactly the documented success shape, read in
/// one pass; anything else (`None`) goes through the full reading above.
fn documented_success(api: ApiVersion, body: &[u8], recipients: &[String]) -> Option<Receipt> {
    match api {
        ApiVersion::V1 => {
            let success: V1Success = serde_json::from_slice(body).ok()?;
            // A `code` means an error body, whatever else it holds.
            (success.code.is_none() && !success.data.is_empty()).then(|| v1_receipt_from(success))
        }
        ApiVersion::V2 => {
            let success: V2Success = serde_json::from_slice(body).ok()?;
            (success.code == V2_ACCEPTED).then(|| v2_receipt_from(success, recipients))
        }
    }
}

/// The `Api` error a body with a non-success `code` describes.
fn api_error(body: &Value, status: u16, response: &RawResponse) -> Option<Error> {
    let code = body.get("code")?.as_str()?;
    if code == V2_ACCEPTED {
        return None;
    }
    let message = body
        .get("message")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let fields = match body.get("error") {
        Some(Value::Object(map)) => map
            .iter()
            .map(|(field, value)| {
                let text = value
                    .as_str()
                    .map_or_else(|| value.to_string(), str::to_owned);
                (field.clone(), text)
            })
            .collect(),
        _ => BTreeMap::new(),
    };
    Some(Error::Api {
        status,
        code: ApiCode::parse(code),
        message: message.to_owned(),
        fields,
        body: excerpt(&response.body),
        retry_after: response.retry_after,
    })
}

/// `{"id", "type", "body", "createdDateTime", "totalCount", "data": [{"message_id", "recipient"}], "error": {}}`
#[derive(Deserialize)]
struct V1Success {
    code: Option<serde::de::IgnoredAny>,
    id: String,
    #[serde(rename = "createdDateTime")]
    created_at: Option<String>,
    data: Vec<V1Message>,
}

#[derive(Deserialize)]
struct V1Message {
    message_id: String,
    recipient: String,
}

fn v1_receipt(body: Value) -> Result<Receipt, String> {
    let success: V1Success = serde_json::from_value(body)
        .map_err(|error| format!("the body is not Kaleyra's v1 success shape ({error})"))?;
    if success.data.is_empty() {
        return Err("the v1 success body lists no message (`data` is empty)".to_owned());
    }
    Ok(v1_receipt_from(success))
}

fn v1_receipt_from(success: V1Success) -> Receipt {
    let messages = success
        .data
        .into_iter()
        .map(|message| {
            let mut sent = SentMessage::new(message.recipient, message.message_id);
            sent.request_id = Some(success.id.clone());
            sent.created_at = success.created_at.clone();
            sent
        })
        .collect();
    Receipt::new(messages)
}

/// `{"code": "WA202", "message": "Request Accepted", "data": {"message_id"}, "error": {}}`
#[derive(Deserialize)]
struct V2Success {
    code: String,
    data: V2Data,
}

#[derive(Deserialize)]
struct V2Data {
    message_id: String,
}

fn v2_receipt(body: Value, recipients: &[String]) -> Result<Receipt, String> {
    let success: V2Success = serde_json::from_value(body)
        .map_err(|error| format!("the body is not Kaleyra's v2 success shape ({error})"))?;
    Ok(v2_receipt_from(success, recipients))
}

fn v2_receipt_from(success: V2Success, recipients: &[String]) -> Receipt {
    let recipient = recipients.first().cloned().unwrap_or_default();
    let mut sent = SentMessage::new(recipient, success.data.message_id);
    sent.code = Some(success.code);
    Receipt::new(vec![sent])
}
