//! Which Kaleyra API a client speaks: the generation (v1 or v2) and, for v2,
//! the pod. A leaf: it depends on nothing else in the crate.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Which Kaleyra WhatsApp API the business number is bound to.
///
/// A number works with one generation only; calling the other fails with
/// `WA-401`. So a client is configured for one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Api {
    /// `POST {base}/v1/{sid}/messages` with form fields, `channel=whatsapp`
    /// among them (Kaleyra's pages write both `whatsapp` and `WhatsApp`;
    /// this crate sends the lowercase one).
    V1,
    /// `POST {base}/v2/{sid}/whatsapp/{from}/messages` with JSON, on a pod.
    ///
    /// The path's number is the business (sender) number, and the recipient
    /// goes in `messaging_object.to`, one per request, with
    /// `recipient_type: "individual"` always sent (the documented default).
    V2(Pod),
}

/// The region (pod) a v2 account lives on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pod {
    /// India: `https://api.in.kaleyra.io`.
    In,
    /// Singapore: `https://api.ap.kaleyra.io`.
    Sg,
    /// Europe: `https://api.eu.kaleyra.io`.
    Eu,
}

/// The API generation, without the pod: what the client, the emulator's
/// account and its stored messages all name. Written `v1` or `v2`, in text
/// and in serde.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ApiVersion {
    /// Kaleyra's v1 API: `POST /v1/{sid}/messages`, form fields.
    V1,
    /// Kaleyra's v2 API: `POST /v2/{sid}/whatsapp/{from}/messages`, JSON,
    /// where `{from}` is the business number.
    V2,
}

impl ApiVersion {
    /// `v1` or `v2`.
    pub fn as_str(self) -> &'static str {
        match self {
            ApiVersion::V1 => "v1",
            ApiVersion::V2 => "v2",
        }
    }
}

impl fmt::Display for ApiVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Api {
    /// The API generation.
    pub fn version(self) -> ApiVersion {
        match self {
            Api::V1 => ApiVersion::V1,
            Api::V2(_) => ApiVersion::V2,
        }
    }

    /// Kaleyra's host for this API, used when no base URL is set.
    pub fn default_base_url(self) -> &'static str {
        match self {
            Api::V1 => "https://api.kaleyra.io",
            Api::V2(Pod::In) => "https://api.in.kaleyra.io",
            Api::V2(Pod::Sg) => "https://api.ap.kaleyra.io",
            Api::V2(Pod::Eu) => "https://api.eu.kaleyra.io",
        }
    }
}
