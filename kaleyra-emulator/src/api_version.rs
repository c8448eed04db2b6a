//! The API generation a request came through: a leaf the account, the
//! recorded requests and the stored messages all name.

use serde::{Deserialize, Serialize};

/// The Kaleyra API generation a message came through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ApiVersion {
    /// `POST /v1/{sid}/messages`, form fields.
    V1,
    /// `POST /v2/{sid}/whatsapp/{phone_number}/messages`, JSON.
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

impl std::fmt::Display for ApiVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
