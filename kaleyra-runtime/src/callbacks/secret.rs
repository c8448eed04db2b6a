//! The secret that makes a callback URL one only Kaleyra knows.
//!
//! Kaleyra's WhatsApp callbacks carry no signature, so anyone who learns a
//! callback URL could post a fake status or a fake customer tap to it. A long
//! random secret in the URL is the defence: the webhook refuses every request
//! whose URL does not end with it, comparing in constant time.
//!
//! The secret is the URL's last path segment, not a query parameter: v1
//! status callbacks can arrive as a query string Kaleyra builds on the URL,
//! and a secret there would be mixed with (and parsed as) Kaleyra's fields.

use std::borrow::Cow;
use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use secrecy::{ExposeSecret, SecretString};
use subtle::ConstantTimeEq;

/// Random bytes in a generated secret: 256 bits, 43 base64url characters.
const GENERATED_BYTES: usize = 32;

/// What replaces the secret wherever a URL or request is shown.
pub(crate) const REDACTED: &str = "[redacted]";

/// A random secret for callback URLs: at least 128 bits, URL-safe
/// (`A-Z a-z 0-9 - _`), never shown by `Debug`.
///
/// Store it where the application keeps its other secrets and set it in
/// [`CallbackSecret::ENV_VAR`]; every instance must share the same one, because
/// messages already sent carry it in their callback URL.
///
/// ```
/// use kaleyra_runtime::callbacks::CallbackSecret;
/// use kaleyra_runtime::TemplateMessage;
///
/// let secret = CallbackSecret::generate()?; // or CallbackSecret::from_env()?
/// let url = secret.callback_url("https://app.example.com/kaleyra/callbacks")?;
/// assert_eq!(url.to_string(), "https://app.example.com/kaleyra/callbacks/[redacted]");
/// assert!(url.expose_url().ends_with(secret.expose_secret()));
/// let message = TemplateMessage::new("booking_confirm").callback_url(&url);
/// assert!(!format!("{message:?}").contains(secret.expose_secret()));
/// # Ok::<(), kaleyra_runtime::callbacks::CallbackSecretError>(())
/// ```
#[derive(Clone)]
pub struct CallbackSecret(SecretString);

impl CallbackSecret {
    /// The environment variable [`CallbackSecret::from_env`] reads.
    pub const ENV_VAR: &str = "KALEYRA_CALLBACK_SECRET";
    /// The fewest characters a secret may have: 32 from the URL-safe alphabet is
    /// at least 128 bits even when they are hex digits.
    pub const MIN_CHARS: usize = 32;
    /// The most characters a secret may have, so a URL stays a sensible length.
    pub const MAX_CHARS: usize = 256;

    /// A new secret of 256 random bits from the operating system, in base64url.
    pub fn generate() -> Result<CallbackSecret, CallbackSecretError> {
        let mut bytes = [0u8; GENERATED_BYTES];
        getrandom::fill(&mut bytes)
            .map_err(|error| CallbackSecretError::Random(error.to_string()))?;
        Ok(CallbackSecret(URL_SAFE_NO_PAD.encode(bytes).into()))
    }

    /// The secret in [`CallbackSecret::ENV_VAR`] (`KALEYRA_CALLBACK_SECRET`).
    pub fn from_env() -> Result<CallbackSecret, CallbackSecretError> {
        match std::env::var(CallbackSecret::ENV_VAR) {
            Ok(text) => CallbackSecret::checked(text, CallbackSecret::ENV_VAR),
            Err(std::env::VarError::NotPresent) => Err(CallbackSecretError::Missing {
                variable: CallbackSecret::ENV_VAR,
            }),
            Err(std::env::VarError::NotUnicode(_)) => Err(CallbackSecretError::Invalid {
                origin: CallbackSecret::ENV_VAR,
                reason: "is not valid Unicode".to_owned(),
            }),
        }
    }

    /// [`CallbackSecret::from_env`] with the variable read through `lookup`,
    /// so the configuration can come from anywhere (as
    /// [`crate::Client::from_lookup`] does).
    pub fn from_lookup(
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<CallbackSecret, CallbackSecretError> {
        match lookup(CallbackSecret::ENV_VAR) {
            Some(text) => CallbackSecret::checked(text, CallbackSecret::ENV_VAR),
            None => Err(CallbackSecretError::Missing {
                variable: CallbackSecret::ENV_VAR,
            }),
        }
    }

    /// A secret the application already has, such as one read from its
    /// configuration: 32 to 256 characters of `A-Z a-z 0-9 - _`.
    pub fn new(secret: impl Into<String>) -> Result<CallbackSecret, CallbackSecretError> {
        CallbackSecret::checked(secret.into(), "the callback secret")
    }

    fn checked(text: String, origin: &'static str) -> Result<CallbackSecret, CallbackSecretError> {
        let invalid = |reason: String| CallbackSecretError::Invalid { origin, reason };
        // The reasons never quote the text: it may be a real secret with a typo.
        if let Some(position) = text
            .chars()
            .position(|c| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        {
            return Err(invalid(format!(
                "has a character other than A-Z, a-z, 0-9, `-` and `_` at position {}",
                position + 1
            )));
        }
        if !(CallbackSecret::MIN_CHARS..=CallbackSecret::MAX_CHARS).contains(&text.len()) {
            return Err(invalid(format!(
                "is {} characters long; use {} to {} (CallbackSecret::generate makes 43)",
                text.len(),
                CallbackSecret::MIN_CHARS,
                CallbackSecret::MAX_CHARS
            )));
        }
        Ok(CallbackSecret(text.into()))
    }

    /// The secret itself, to store it or to configure it elsewhere. Never log it.
    pub fn expose_secret(&self) -> &str {
        self.0.expose_secret()
    }

    /// Whether `candidate` is this secret, compared in constant time (only
    /// a difference in length, which is not secret, answers sooner).
    pub fn matches(&self, candidate: &str) -> bool {
        self.expose_secret()
            .as_bytes()
            .ct_eq(candidate.as_bytes())
            .into()
    }

    /// The callback URL for messages: `base` with the secret appended as its
    /// last path segment, so `https://app.example.com/kaleyra` becomes
    /// `https://app.example.com/kaleyra/<secret>`. `base` must be an http(s)
    /// URL without a query or fragment.
    ///
    /// The secret is a path segment, not a query parameter: v1 status
    /// callbacks can arrive as a query string Kaleyra builds on the URL, and
    /// a secret there would be mixed with (and parsed as) Kaleyra's fields.
    pub fn callback_url(&self, base: &str) -> Result<CallbackUrl, CallbackSecretError> {
        let invalid = |reason: String| CallbackSecretError::BaseUrl {
            base: base.to_owned(),
            reason,
        };
        let mut url =
            url::Url::parse(base).map_err(|error| invalid(format!("is not a URL ({error})")))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(invalid(format!(
                "is {}; Kaleyra posts to http(s) URLs",
                url.scheme()
            )));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(invalid(
                "has a query or fragment; the secret must be the URL's last path segment"
                    .to_owned(),
            ));
        }
        url.path_segments_mut()
            .map_err(|()| invalid("cannot have a path".to_owned()))?
            .pop_if_empty()
            .push(self.expose_secret());
        Ok(CallbackUrl {
            url: url.into(),
            secret: Some(self.clone()),
        })
    }

    /// `text` with every occurrence of the secret replaced by `[redacted]`.
    pub(crate) fn redact<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let secret = self.expose_secret();
        if text.contains(secret) {
            Cow::Owned(text.replace(secret, REDACTED))
        } else {
            Cow::Borrowed(text)
        }
    }
}

impl fmt::Debug for CallbackSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("CallbackSecret").field(&REDACTED).finish()
    }
}

/// Equal secrets, compared in constant time.
impl PartialEq for CallbackSecret {
    fn eq(&self, other: &CallbackSecret) -> bool {
        self.matches(other.expose_secret())
    }
}

impl Eq for CallbackSecret {}

/// `text` with `secret` (if any) replaced by `[redacted]`.
pub(crate) fn redacted<'a>(secret: Option<&CallbackSecret>, text: &'a str) -> Cow<'a, str> {
    match secret {
        Some(secret) => secret.redact(text),
        None => Cow::Borrowed(text),
    }
}

/// The URL Kaleyra posts a message's callbacks to, as the `callback_url`
/// message option takes it: a plain URL (any `&str` or `String`), or one from
/// [`CallbackSecret::callback_url`], whose secret `Debug`, `Display`, the
/// message's `Debug` and a prepared request's curl never show.
#[derive(Clone, PartialEq, Eq)]
pub struct CallbackUrl {
    url: String,
    secret: Option<CallbackSecret>,
}

impl CallbackUrl {
    /// The whole URL, secret included, as it is sent. Never log it.
    pub fn expose_url(&self) -> &str {
        &self.url
    }

    /// The secret in this URL, if it was built with one.
    pub fn secret(&self) -> Option<&CallbackSecret> {
        self.secret.as_ref()
    }

    /// The URL and its secret, for the message's options.
    pub(crate) fn into_parts(self) -> (String, Option<CallbackSecret>) {
        (self.url, self.secret)
    }
}

impl fmt::Display for CallbackUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&redacted(self.secret.as_ref(), &self.url))
    }
}

impl fmt::Debug for CallbackUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("CallbackUrl")
            .field(&redacted(self.secret.as_ref(), &self.url))
            .finish()
    }
}

impl From<&CallbackUrl> for CallbackUrl {
    fn from(url: &CallbackUrl) -> CallbackUrl {
        url.clone()
    }
}

/// Plain URLs, as the `callback_url` option always took them.
macro_rules! plain_callback_url {
    ($($type:ty),*) => {$(
        impl From<$type> for CallbackUrl {
            fn from(url: $type) -> CallbackUrl {
                CallbackUrl { url: url.into(), secret: None }
            }
        }
    )*};
}
plain_callback_url!(&str, String, &String, Box<str>, Cow<'_, str>);

/// Why a callback secret or URL could not be made. The messages never contain
/// the secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CallbackSecretError {
    /// The environment variable is not set.
    #[error(
        "`{variable}` is not set; set it to a secret from CallbackSecret::generate (43 characters of A-Z, a-z, 0-9, `-`, `_`)"
    )]
    Missing {
        /// The variable, [`CallbackSecret::ENV_VAR`].
        variable: &'static str,
    },
    /// The secret is too short, too long or has characters a URL would escape.
    #[error("{origin} {reason}")]
    Invalid {
        /// Where the secret came from: the variable's name, or `the callback secret`.
        origin: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// The base URL cannot carry the secret.
    #[error("the callback base URL `{base}` {reason}")]
    BaseUrl {
        /// The base URL given (it holds no secret).
        base: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The operating system's random generator failed.
    #[error("cannot generate a callback secret: {0}")]
    Random(String),
}
