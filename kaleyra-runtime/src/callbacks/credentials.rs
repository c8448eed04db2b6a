//! The credentials a Kaleyra callback profile can put on every callback,
//! beside the URL secret: a custom header and HTTP Basic. Each is checked
//! when it is made, compared in constant time, and never shown by `Debug`
//! or in an error.

use std::fmt;

use axum::http::header::AUTHORIZATION;
use axum::http::{HeaderMap, HeaderName, HeaderValue};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use secrecy::{ExposeSecret, SecretString};
use subtle::{Choice, ConstantTimeEq};

use super::secret::REDACTED;

/// The fewest characters a header value, a Basic password or a client
/// secret may have: 16, so a credential that guards every callback is not
/// one a peer can guess. (A callback secret has its own, longer minimum,
/// [`super::CallbackSecret::MIN_CHARS`], as it is generated, not chosen.)
pub const MIN_CREDENTIAL_CHARS: usize = 16;

/// Headers a callback profile cannot require: HTTP itself sets them per
/// request, so they cannot carry a fixed credential.
const RESERVED_HEADERS: [&str; 6] = [
    "host",
    "content-length",
    "content-type",
    "transfer-encoding",
    "connection",
    "te",
];

/// A custom header the callback profile sends on every callback, such as
/// `X-Callback-Token: <value>`. The name is matched case-insensitively, as
/// HTTP names are; the value exactly, in constant time.
///
/// ```
/// use kaleyra_runtime::callbacks::CallbackHeader;
///
/// let header = CallbackHeader::new("X-Callback-Token", "c2VjcmV0LXRva2VuLTAwMDAx")?;
/// assert_eq!(header.name(), "x-callback-token");
/// assert!(!format!("{header:?}").contains("c2VjcmV0"));
/// // Too short to guard anything:
/// assert!(CallbackHeader::new("X-Callback-Token", "1234").is_err());
/// # Ok::<(), kaleyra_runtime::callbacks::CallbackAuthError>(())
/// ```
#[derive(Clone)]
pub struct CallbackHeader {
    name: HeaderName,
    value: SecretString,
}

impl CallbackHeader {
    /// A required header: `name` a valid HTTP header name other than those
    /// HTTP sets per request (`Host`, `Content-Length`, `Content-Type`,
    /// `Transfer-Encoding`, `Connection`, `TE`); `value` at least
    /// [`MIN_CREDENTIAL_CHARS`] visible ASCII characters (spaces inside
    /// allowed), as the callback profile's page takes it.
    pub fn new(
        name: impl AsRef<str>,
        value: impl Into<String>,
    ) -> Result<CallbackHeader, CallbackAuthError> {
        let name = name.as_ref();
        let parsed = HeaderName::from_bytes(name.as_bytes()).map_err(|_invalid| {
            CallbackAuthError::Invalid {
                what: "the callback header's name",
                reason: format!("`{name}` is not an HTTP header name"),
            }
        })?;
        if RESERVED_HEADERS.contains(&parsed.as_str()) {
            return Err(CallbackAuthError::Invalid {
                what: "the callback header's name",
                reason: format!("`{name}` is set by HTTP itself and cannot carry a credential"),
            });
        }
        let value = value.into();
        check_credential("the callback header's value", &value)?;
        Ok(CallbackHeader {
            name: parsed,
            value: value.into(),
        })
    }

    /// The header's name, in lower case.
    pub fn name(&self) -> &str {
        self.name.as_str()
    }

    /// The value, to configure it on Kaleyra's callback profile. Never log it.
    pub fn expose_value(&self) -> &str {
        self.value.expose_secret()
    }

    pub(crate) fn header_name(&self) -> &HeaderName {
        &self.name
    }

    /// Whether `headers` carry this header exactly once, with this value.
    pub(crate) fn admits(&self, headers: &HeaderMap) -> Choice {
        let mut values = headers.get_all(&self.name).iter();
        match (values.next(), values.next()) {
            (Some(value), None) => equal(value.as_bytes(), self.expose_value().as_bytes()),
            _ => Choice::from(0),
        }
    }
}

impl fmt::Debug for CallbackHeader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallbackHeader")
            .field("name", &self.name.as_str())
            .field("value", &REDACTED)
            .finish()
    }
}

/// Equal headers: the same name and value, the value compared in constant time.
impl PartialEq for CallbackHeader {
    fn eq(&self, other: &CallbackHeader) -> bool {
        self.name == other.name
            && bool::from(equal(
                self.expose_value().as_bytes(),
                other.expose_value().as_bytes(),
            ))
    }
}

impl Eq for CallbackHeader {}

/// HTTP Basic credentials (RFC 7617) the callback profile sends on every
/// callback as `Authorization: Basic base64(user:password)`.
///
/// ```
/// use kaleyra_runtime::callbacks::BasicCredentials;
///
/// let basic = BasicCredentials::new("kaleyra", "a-long-password-0001")?;
/// assert_eq!(basic.user(), "kaleyra");
/// assert!(!format!("{basic:?}").contains("a-long-password"));
/// // RFC 7617: a user id cannot hold a colon.
/// assert!(BasicCredentials::new("kale:yra", "a-long-password-0001").is_err());
/// # Ok::<(), kaleyra_runtime::callbacks::CallbackAuthError>(())
/// ```
#[derive(Clone)]
pub struct BasicCredentials {
    user: String,
    password: SecretString,
    /// `user:password`, what the header's base64 decodes to.
    joined: SecretString,
}

impl BasicCredentials {
    /// Basic credentials: `user` non-empty, without `:` (RFC 7617) or
    /// control characters; `password` at least [`MIN_CREDENTIAL_CHARS`]
    /// characters, without control characters.
    pub fn new(
        user: impl Into<String>,
        password: impl Into<String>,
    ) -> Result<BasicCredentials, CallbackAuthError> {
        let user = user.into();
        let invalid_user = |reason: &str| CallbackAuthError::Invalid {
            what: "the Basic user",
            reason: reason.to_owned(),
        };
        if user.is_empty() {
            return Err(invalid_user("is empty"));
        }
        if user.contains(':') {
            return Err(invalid_user(
                "contains `:`, which Basic authentication (RFC 7617) cannot carry in a user id",
            ));
        }
        if user.chars().any(char::is_control) {
            return Err(invalid_user("contains a control character"));
        }
        let password = password.into();
        if password.chars().any(char::is_control) {
            return Err(CallbackAuthError::Invalid {
                what: "the Basic password",
                reason: "contains a control character".to_owned(),
            });
        }
        if password.chars().count() < MIN_CREDENTIAL_CHARS {
            return Err(too_short("the Basic password", &password));
        }
        let joined = format!("{user}:{password}").into();
        Ok(BasicCredentials {
            user,
            password: password.into(),
            joined,
        })
    }

    /// The user id.
    pub fn user(&self) -> &str {
        &self.user
    }

    /// The password, to configure it on Kaleyra's callback profile. Never log it.
    pub fn expose_password(&self) -> &str {
        self.password.expose_secret()
    }

    /// The `Authorization` header's value: `Basic base64(user:password)`.
    /// Never log it.
    pub fn expose_header_value(&self) -> String {
        format!("Basic {}", STANDARD.encode(self.joined.expose_secret()))
    }

    /// Whether `headers` carry these credentials as the one `Authorization` header.
    pub(crate) fn admits(&self, headers: &HeaderMap) -> Choice {
        let Some(encoded) = authorization(headers, "Basic") else {
            return Choice::from(0);
        };
        match STANDARD.decode(encoded.trim()) {
            Ok(decoded) => equal(&decoded, self.joined.expose_secret().as_bytes()),
            Err(_not_base64) => Choice::from(0),
        }
    }
}

impl fmt::Debug for BasicCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BasicCredentials")
            .field("user", &self.user)
            .field("password", &REDACTED)
            .finish()
    }
}

/// Equal credentials: the same user and password, compared in constant time.
impl PartialEq for BasicCredentials {
    fn eq(&self, other: &BasicCredentials) -> bool {
        bool::from(equal(
            self.joined.expose_secret().as_bytes(),
            other.joined.expose_secret().as_bytes(),
        ))
    }
}

impl Eq for BasicCredentials {}

/// The credentials of the one `Authorization` header of `headers` if it is
/// of `scheme` (compared case-insensitively, as RFC 9110 says).
pub(crate) fn authorization<'a>(headers: &'a HeaderMap, scheme: &str) -> Option<&'a str> {
    let mut values = headers.get_all(AUTHORIZATION).iter();
    let (Some(value), None) = (values.next(), values.next()) else {
        return None;
    };
    let (given, credentials) = value.to_str().ok()?.split_once(' ')?;
    given
        .eq_ignore_ascii_case(scheme)
        .then_some(credentials.trim_start())
}

/// `given == expected` in constant time (only a difference in length, which
/// is not secret, answers sooner).
pub(crate) fn equal(given: &[u8], expected: &[u8]) -> Choice {
    given.ct_eq(expected)
}

/// Refuses a credential that is too short or not sendable in a header.
/// The reasons never quote it.
pub(crate) fn check_credential(what: &'static str, value: &str) -> Result<(), CallbackAuthError> {
    if HeaderValue::from_str(value).is_err() || !value.is_ascii() {
        return Err(CallbackAuthError::Invalid {
            what,
            reason: "has a character an HTTP header cannot carry; use visible ASCII".to_owned(),
        });
    }
    if value.trim() != value {
        return Err(CallbackAuthError::Invalid {
            what,
            reason: "starts or ends with a space, which HTTP drops".to_owned(),
        });
    }
    if value.chars().count() < MIN_CREDENTIAL_CHARS {
        return Err(too_short(what, value));
    }
    Ok(())
}

fn too_short(what: &'static str, value: &str) -> CallbackAuthError {
    CallbackAuthError::Invalid {
        what,
        reason: format!(
            "is {} characters long; use at least {MIN_CREDENTIAL_CHARS} (such as CallbackSecret::generate's 43)",
            value.chars().count()
        ),
    }
}

/// Why callback authentication could not be set up. The messages never
/// contain a credential.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CallbackAuthError {
    /// A credential or setting is not usable.
    #[error("{what} {reason}")]
    Invalid {
        /// Which one, such as `the Basic password`.
        what: &'static str,
        /// What is wrong with it (never its value).
        reason: String,
    },
    /// Two requirements cannot both be met by one callback.
    #[error("{0}")]
    Conflict(String),
    /// The operating system's random generator failed.
    #[error("cannot generate a callback token: {0}")]
    Random(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(
                HeaderName::from_bytes(name.as_bytes()).unwrap(),
                HeaderValue::from_str(value).unwrap(),
            );
        }
        map
    }

    const VALUE: &str = "header-value-0123456789";

    #[test]
    fn a_header_matches_its_value_only_once_and_case_insensitively_by_name() {
        let header = CallbackHeader::new("X-Callback-Token", VALUE).unwrap();
        assert!(bool::from(
            header.admits(&headers(&[("x-callback-token", VALUE)]))
        ));
        assert!(bool::from(
            header.admits(&headers(&[("X-CALLBACK-TOKEN", VALUE)]))
        ));
        let mut last = VALUE.to_owned();
        last.pop();
        last.push('X');
        for forged in [
            &headers(&[]),
            &headers(&[("x-callback-token", "")]),
            &headers(&[("x-callback-token", &last)]),
            &headers(&[("x-callback-token", &VALUE[1..])]),
            &headers(&[("x-callback-token", &format!("{VALUE}0"))]),
            &headers(&[("x-callback-token", &VALUE.to_ascii_uppercase())]),
            &headers(&[("x-other", VALUE)]),
            // Twice is ambiguous: refused even if one is right.
            &headers(&[("x-callback-token", VALUE), ("x-callback-token", &last)]),
        ] {
            assert!(!bool::from(header.admits(forged)), "{forged:?}");
        }
    }

    #[test]
    fn unusable_headers_are_refused_by_reason_without_the_value() {
        for (name, value, expected) in [
            ("X Token", VALUE, "not an HTTP header name"),
            ("", VALUE, "not an HTTP header name"),
            ("Content-Type", VALUE, "set by HTTP itself"),
            ("Host", VALUE, "set by HTTP itself"),
            ("X-Token", "short-1", "is 7 characters long"),
            ("X-Token", "header\nvalue-0123456789", "cannot carry"),
            ("X-Token", "header-välue-0123456789", "cannot carry"),
            (
                "X-Token",
                " header-value-0123456789",
                "starts or ends with a space",
            ),
        ] {
            let error = CallbackHeader::new(name, value).unwrap_err().to_string();
            assert!(error.contains(expected), "{name}: {error}");
            assert!(!error.contains("value-0123"), "{error}");
        }
    }

    #[test]
    fn basic_credentials_match_the_pair_only() {
        let basic = BasicCredentials::new("kaleyra", "basic-password-0001").unwrap();
        let right = basic.expose_header_value();
        assert_eq!(
            right,
            format!("Basic {}", STANDARD.encode("kaleyra:basic-password-0001"))
        );
        assert!(bool::from(
            basic.admits(&headers(&[("authorization", &right)]))
        ));
        // The scheme is case-insensitive (RFC 9110).
        let lower = right.replacen("Basic", "basic", 1);
        assert!(bool::from(
            basic.admits(&headers(&[("authorization", &lower)]))
        ));
        let encode = |pair: &str| format!("Basic {}", STANDARD.encode(pair));
        for forged in [
            String::new(),
            encode("kaleyra:basic-password-0002"),
            encode("Kaleyra:basic-password-0001"),
            encode("kaleyra:basic-password-000"),
            encode("kaleyra:basic-password-00011"),
            encode("kaleyra"),
            "Basic not-base64!".to_owned(),
            right.replacen("Basic", "Bearer", 1),
            right.replacen("Basic ", "Basic", 1),
        ] {
            let map = if forged.is_empty() {
                headers(&[])
            } else {
                headers(&[("authorization", &forged)])
            };
            assert!(!bool::from(basic.admits(&map)), "{forged}");
        }
        let twice = headers(&[("authorization", &right), ("authorization", &right)]);
        assert!(!bool::from(basic.admits(&twice)));
    }

    #[test]
    fn unusable_basic_credentials_are_refused_without_the_password() {
        for (user, password, expected) in [
            ("", "basic-password-0001", "user is empty"),
            ("a:b", "basic-password-0001", "RFC 7617"),
            ("a\u{7}", "basic-password-0001", "control character"),
            ("kaleyra", "pw-0001", "is 7 characters long"),
            ("kaleyra", "basic-password\t0001", "control character"),
        ] {
            let error = BasicCredentials::new(user, password)
                .unwrap_err()
                .to_string();
            assert!(error.contains(expected), "{user}: {error}");
            assert!(!error.contains("password-0001"), "{error}");
        }
    }

    #[test]
    fn debug_shows_names_not_credentials() {
        let header = CallbackHeader::new("X-Callback-Token", VALUE).unwrap();
        let basic = BasicCredentials::new("kaleyra", "basic-password-0001").unwrap();
        let shown = format!("{header:?} {basic:?}");
        assert!(
            shown.contains("x-callback-token") && shown.contains("kaleyra"),
            "{shown}"
        );
        assert!(
            !shown.contains(VALUE) && !shown.contains("password-0001"),
            "{shown}"
        );
    }
}
