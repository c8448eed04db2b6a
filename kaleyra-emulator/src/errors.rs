//! Kaleyra's error answers: `{"code", "message", "data", "error": {field: message}}`,
//! word for word where Kaleyra's pages give the body.

use std::borrow::Cow;
use std::collections::BTreeMap;

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use kaleyra_definitions::codes::{self, AnswerCode};
use serde::Serialize;
use serde_json::{Map, Value};

use kaleyra_runtime::ApiVersion;

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
    code: Cow<'static, str>,
    message: String,
    data: Data,
    fields: Problems,
}

/// The `error` map's `payload` entry of a `WA400`, as Kaleyra's page gives it.
const PAYLOAD: &str = "Incorrect payload format";

impl ApiError {
    /// The answer for `row` of Kaleyra's table: its code, status and message.
    fn new(row: &'static AnswerCode, data: Data, fields: Problems) -> Self {
        ApiError {
            status: status_of(row),
            code: Cow::Borrowed(row.code),
            message: row.message.to_owned(),
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
            &codes::RBC001,
            Data::EmptyList,
            Self::one("error", codes::RBC001.message),
        )
    }

    /// 401 `WA401`: the v2 path number is not on the account.
    pub(crate) fn number_not_on_account() -> Self {
        Self::new(
            &codes::WA401,
            Data::EmptyObject,
            Self::one("phone_number", codes::WA401.message),
        )
    }

    /// 401 `WA-401`: the number is bound to the other API version.
    pub(crate) fn different_version() -> Self {
        Self::new(
            &codes::WA_401,
            Data::EmptyObject,
            Self::one("phone_number", codes::WA_401.message),
        )
    }

    /// 400 `WA400`: the v2 payload is malformed. The documented
    /// `"payload": "Incorrect payload format"` comes first; `details` name
    /// each field at fault.
    pub(crate) fn malformed_payload(details: Problems) -> Self {
        let mut fields = Self::one("payload", PAYLOAD);
        fields.extend(details);
        Self::new(&codes::WA400, Data::EmptyObject, fields)
    }

    /// 429 `WA429`: too many requests (the template APIs' hourly limits);
    /// `details` say which limit and when the next request is allowed.
    pub(crate) fn too_many_requests(details: Problems) -> Self {
        Self::new(&codes::WA429, Data::EmptyObject, details)
    }

    /// 500 `WA500`: the emulator could not answer (a templates file it
    /// cannot read); `details` say which and why.
    pub(crate) fn server_error(details: Problems) -> Self {
        Self::new(&codes::WA500, Data::EmptyObject, details)
    }

    /// 400 `E413`: invalid or incorrect v1 inputs, by field.
    pub(crate) fn invalid_inputs(fields: Problems) -> Self {
        Self::new(&codes::E413, Data::EmptyList, fields)
    }

    /// 400 `E13008`: the v1 `from` number is invalid.
    pub(crate) fn invalid_from(reason: impl Into<String>) -> Self {
        Self::new(
            &codes::E13008,
            Data::EmptyList,
            Self::one("from", &reason.into()),
        )
    }

    /// 400 `E13009`: a v1 `to` number is invalid.
    pub(crate) fn invalid_to(reason: impl Into<String>) -> Self {
        Self::new(
            &codes::E13009,
            Data::EmptyList,
            Self::one("to", &reason.into()),
        )
    }

    /// A fault's answer (see [`crate::faults`]): `code` at `status` with
    /// `message`, in the body shape of `api` (`data` is `[]` on v1 and for
    /// `RBC001`, `{}` on v2), its `error` map naming the fault.
    pub(crate) fn fault(
        api: ApiVersion,
        code: &str,
        status: StatusCode,
        message: &str,
        fault_id: &str,
    ) -> Self {
        let data = if api == ApiVersion::V1 || code == codes::RBC001.code {
            Data::EmptyList
        } else {
            Data::EmptyObject
        };
        ApiError {
            status,
            code: Cow::Owned(code.to_owned()),
            message: message.to_owned(),
            data,
            fields: Self::one("fault", &format!("answered by the emulator's {fault_id}")),
        }
    }

    /// The error code, such as `WA-401`.
    pub(crate) fn code(&self) -> &str {
        &self.code
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

/// The HTTP status of `row`'s answers. Every code the emulator answers
/// with has a documented status (a test checks it); one without would be a
/// server error, so it shows.
pub(crate) fn status_of(row: &AnswerCode) -> StatusCode {
    row.http_status
        .and_then(|status| StatusCode::from_u16(status).ok())
        .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
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
            code: &self.code,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_answer_takes_its_code_status_and_message_from_the_table() {
        let answers = [
            (ApiError::incorrect_credentials(), &codes::RBC001),
            (ApiError::number_not_on_account(), &codes::WA401),
            (ApiError::different_version(), &codes::WA_401),
            (ApiError::malformed_payload(Problems::new()), &codes::WA400),
            (ApiError::server_error(Problems::new()), &codes::WA500),
            (ApiError::too_many_requests(Problems::new()), &codes::WA429),
            (ApiError::invalid_inputs(Problems::new()), &codes::E413),
            (ApiError::invalid_from("x"), &codes::E13008),
            (ApiError::invalid_to("x"), &codes::E13009),
        ];
        for (answer, row) in answers {
            assert_eq!(answer.code(), row.code);
            assert_eq!(
                Some(answer.status().as_u16()),
                row.http_status,
                "{}",
                row.code
            );
            assert_eq!(answer.message(), row.message);
        }
    }
}
