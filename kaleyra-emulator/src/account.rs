//! The emulated Kaleyra account: its SID, API key and business numbers, and
//! the credential and number checks every send goes through first.

use std::fmt;

use axum::http::HeaderMap;

use crate::errors::ApiError;
use kaleyra_runtime::ApiVersion;

/// The header that carries the API key.
pub(crate) const API_KEY_HEADER: &str = "api-key";

/// One account with one business number per API version.
#[derive(Clone)]
pub(crate) struct Account {
    pub(crate) sid: String,
    pub(crate) api_key: String,
    /// E.164 with `+`, bound to v1.
    pub(crate) v1_number: String,
    /// E.164 with `+`, bound to v2.
    pub(crate) v2_number: String,
}

impl fmt::Debug for Account {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Account")
            .field("sid", &self.sid)
            .field("api_key", &"[redacted]")
            .field("v1_number", &self.v1_number)
            .field("v2_number", &self.v2_number)
            .finish()
    }
}

impl Account {
    /// `RBC001` unless the path's SID and the `api-key` header are this account's.
    pub(crate) fn check_credentials(&self, sid: &str, headers: &HeaderMap) -> Result<(), ApiError> {
        let key = headers
            .get(API_KEY_HEADER)
            .map(|value| value.as_bytes())
            .unwrap_or_default();
        // Both are compared in full whatever the result, so timing tells
        // nothing about which part or how much of the key was right.
        let sid_ok = constant_time_eq(sid.as_bytes(), self.sid.as_bytes());
        let key_ok = constant_time_eq(key, self.api_key.as_bytes());
        if sid_ok & key_ok {
            Ok(())
        } else {
            Err(ApiError::incorrect_credentials())
        }
    }

    /// The API version `number` is bound to, if it is one of the account's.
    pub(crate) fn binding(&self, number: &str) -> Option<ApiVersion> {
        if same_number(number, &self.v1_number) {
            Some(ApiVersion::V1)
        } else if same_number(number, &self.v2_number) {
            Some(ApiVersion::V2)
        } else {
            None
        }
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    let mut difference = a.len() ^ b.len();
    for (i, byte) in a.iter().enumerate() {
        difference |= usize::from(byte ^ b.get(i).copied().unwrap_or(!byte));
    }
    difference == 0
}

/// `number` without its leading `+`.
pub(crate) fn digits(number: &str) -> &str {
    number.strip_prefix('+').unwrap_or(number)
}

/// `number` written E.164 with `+`.
pub(crate) fn with_plus(number: &str) -> String {
    format!("+{}", digits(number))
}

/// Whether two numbers are the same, with or without `+`.
pub(crate) fn same_number(a: &str, b: &str) -> bool {
    digits(a) == digits(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account() -> Account {
        Account {
            sid: "HXTEST".to_owned(),
            api_key: "key-1".to_owned(),
            v1_number: "+912025550100".to_owned(),
            v2_number: "+912025550101".to_owned(),
        }
    }

    fn with_key(key: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(API_KEY_HEADER, key.parse().unwrap());
        headers
    }

    #[test]
    fn credentials_need_both_the_sid_and_the_key() {
        let account = account();
        assert!(
            account
                .check_credentials("HXTEST", &with_key("key-1"))
                .is_ok()
        );
        assert!(
            account
                .check_credentials("HXTEST", &with_key("key-2"))
                .is_err()
        );
        assert!(
            account
                .check_credentials("HXTEST", &with_key("key-11"))
                .is_err()
        );
        assert!(
            account
                .check_credentials("HXTEST", &with_key("key-"))
                .is_err()
        );
        assert!(
            account
                .check_credentials("HXOTHER", &with_key("key-1"))
                .is_err()
        );
        assert!(
            account
                .check_credentials("HXTEST", &HeaderMap::new())
                .is_err()
        );
    }

    #[test]
    fn numbers_are_bound_with_or_without_plus() {
        let account = account();
        assert_eq!(account.binding("912025550100"), Some(ApiVersion::V1));
        assert_eq!(account.binding("+912025550101"), Some(ApiVersion::V2));
        assert_eq!(account.binding("+912025550102"), None);
    }

    #[test]
    fn debug_never_shows_the_key() {
        assert!(!format!("{:?}", account()).contains("key-1"));
    }
}
