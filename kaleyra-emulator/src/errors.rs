//! Kaleyra's error answers: `{"code", "message", "data", "error": {field: message}}`,
//! word for word where Kaleyra's pages give the body.

use std::collections::BTreeMap;

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::{Map, Value};

/// The problems found in a request: the field at fault, mapped to what is
/// wrong with it (the first problem found for each field).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Problems(BTreeMap<String, String>);

impl Problems {
    pub(crate) fn new() -> Self {
        Problems::default()
    }

    /// Notes that `field` is wrong; a field keeps its first problem.
    pub(crate) fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.entry(field.into()).or_insert_with(|| message.into());
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(())` when nothing was found, else the problems.
    pub(crate) fn into_result(self) -> Result<(), Problems> {
        if self.is_empty() { Ok(()) } else { Err(self) }
    }

    pub(crate) fn extend(&mut self, other: Problems) {
        for (field, message) in other.0 {
            self.add(field, message);
        }
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(f, m)| (f.as_str(), m.as_str()))
    }
}

/// Kaleyra's `data` in error bodies: `[]` on v1 and for `RBC001`, `{}` on v2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Data {
    EmptyList,
    EmptyObject,
}

/// One of Kaleyra's documented error answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    data: Data,
    fields: Problems,
}

const CREDENTIALS: &str = "Incorrect SID or API key.";
const NOT_ON_ACCOUNT: &str = "Phone number is not present or does not belong to the account.";
const DIFFERENT_VERSION: &str = "The phone number you're using is associated with different Version of our WA API. Please use the appropriate endpoint.";
const PAYLOAD: &str = "Incorrect payload format";
const INVALID_FROM: &str = "Invalid or in-correct input of the From number.";
const INVALID_TO: &str = "Invalid or in-correct input of the TO number.";

impl ApiError {
    fn new(
        status: StatusCode,
        code: &'static str,
        message: &str,
        data: Data,
        fields: Problems,
    ) -> Self {
        ApiError {
            status,
            code,
            message: message.to_owned(),
            data,
            fields,
        }
    }

    fn one(field: &str, message: &str) -> Problems {
        let mut problems = Problems::new();
        problems.add(field, message);
        problems
    }

    /// 401 `RBC001`: the SID or API key is wrong or missing.
    pub(crate) fn incorrect_credentials() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "RBC001",
            CREDENTIALS,
            Data::EmptyList,
            Self::one("error", CREDENTIALS),
        )
    }

    /// 401 `WA401`: the v2 path number is not on the account.
    pub(crate) fn number_not_on_account() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "WA401",
            NOT_ON_ACCOUNT,
            Data::EmptyObject,
            Self::one("phone_number", NOT_ON_ACCOUNT),
        )
    }

    /// 401 `WA-401`: the number is bound to the other API version.
    pub(crate) fn different_version() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "WA-401",
            DIFFERENT_VERSION,
            Data::EmptyObject,
            Self::one("phone_number", DIFFERENT_VERSION),
        )
    }

    /// 400 `WA400`: the v2 payload is malformed. The documented
    /// `"payload": "Incorrect payload format"` comes first; `details` name
    /// each field at fault.
    pub(crate) fn malformed_payload(details: Problems) -> Self {
        let mut fields = Self::one("payload", PAYLOAD);
        fields.extend(details);
        Self::new(
            StatusCode::BAD_REQUEST,
            "WA400",
            "Refer to correct payload format",
            Data::EmptyObject,
            fields,
        )
    }

    /// 500 `WA500`: the emulator could not answer (a templates file it
    /// cannot read); `details` say which and why.
    pub(crate) fn server_error(details: Problems) -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "WA500",
            "Internal server error",
            Data::EmptyObject,
            details,
        )
    }

    /// 400 `E413`: invalid or incorrect v1 inputs, by field.
    pub(crate) fn invalid_inputs(fields: Problems) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "E413",
            "Invalid/incorrect inputs",
            Data::EmptyList,
            fields,
        )
    }

    /// 400 `E13008`: the v1 `from` number is invalid.
    pub(crate) fn invalid_from(reason: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "E13008",
            INVALID_FROM,
            Data::EmptyList,
            Self::one("from", &reason.into()),
        )
    }

    /// 400 `E13009`: a v1 `to` number is invalid.
    pub(crate) fn invalid_to(reason: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "E13009",
            INVALID_TO,
            Data::EmptyList,
            Self::one("to", &reason.into()),
        )
    }

    /// The error code, such as `WA-401`.
    pub(crate) fn code(&self) -> &'static str {
        self.code
    }

    /// The HTTP status of the answer.
    pub(crate) fn status(&self) -> StatusCode {
        self.status
    }

    /// The answer's `message`.
    pub(crate) fn message(&self) -> &str {
        &self.message
    }

    /// Each field at fault with its message, as the answer's `error` map gives them.
    pub(crate) fn fields(&self) -> impl Iterator<Item = (&str, &str)> {
        self.fields.iter()
    }

    /// Each field at fault with its message, for logs.
    pub(crate) fn describe(&self) -> String {
        let fields: Vec<String> = self
            .fields
            .iter()
            .map(|(field, message)| format!("{field}: {message}"))
            .collect();
        fields.join("; ")
    }
}

#[derive(Serialize)]
struct Body<'a> {
    code: &'a str,
    message: &'a str,
    data: Value,
    error: Map<String, Value>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let data = match self.data {
            Data::EmptyList => Value::Array(Vec::new()),
            Data::EmptyObject => Value::Object(Map::new()),
        };
        let error = self
            .fields
            .iter()
            .map(|(field, message)| (field.to_owned(), Value::String(message.to_owned())))
            .collect();
        let body = Body {
            code: self.code,
            message: &self.message,
            data,
            error,
        };
        let mut response = (self.status, Json(body)).into_response();
        // The inbox lists the refusal with the request it answers.
        response.extensions_mut().insert(self);
        response
    }
}
