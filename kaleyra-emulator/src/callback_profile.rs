//! The emulator as a Kaleyra callback profile: the credentials it puts on
//! every callback it posts, beside whatever secret the callback URL holds.
//!
//! A profile sets custom headers, HTTP Basic credentials, or "advanced
//! authentication": before a callback, a token is fetched from the
//! customer's auth URL (with a client id and secret) and the callback
//! carries `Authorization: Bearer <token>`. The token is kept until its
//! `expires_in` passes, fetched again then, and fetched again once when a
//! callback is answered `401`.

use std::fmt;
use std::time::{Duration, Instant};

use kaleyra_runtime::callbacks::{
    CLIENT_CREDENTIALS_GRANT, CLIENT_ID_FIELD, CLIENT_SECRET_FIELD, GRANT_TYPE_FIELD, TokenAnswer,
};
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderName, HeaderValue};
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::Mutex;

/// What replaces a credential wherever the profile is shown.
const REDACTED: &str = "[redacted]";

/// The HTTP method of the auth URL's token request, as the profile sets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum AuthMethod {
    /// `GET`.
    Get,
    /// `POST` (the default).
    #[default]
    Post,
}

impl AuthMethod {
    /// Reads `GET` or `POST` (in any case), as the command line gives it.
    pub fn parse(text: &str) -> Option<AuthMethod> {
        match text.to_ascii_uppercase().as_str() {
            "GET" => Some(AuthMethod::Get),
            "POST" => Some(AuthMethod::Post),
            _ => None,
        }
    }
}

/// How the token request carries the client id and secret. Kaleyra does not
/// say, so it is set here; the runtime's auth URL
/// (`kaleyra_runtime::callbacks::CallbackTokens`) takes all three.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum ClientCredentialsIn {
    /// A form body `grant_type=client_credentials&client_id=..&client_secret=..`,
    /// OAuth 2.0's client credentials grant (the default).
    #[default]
    Form,
    /// A JSON body `{"grant_type": "client_credentials", "client_id": .., "client_secret": ..}`.
    Json,
    /// `Authorization: Basic base64(client_id:client_secret)` and the form
    /// body `grant_type=client_credentials` (OAuth 2.0's `client_secret_basic`).
    Basic,
}

impl ClientCredentialsIn {
    /// Reads `form`, `json` or `basic` (in any case), as the command line gives it.
    pub fn parse(text: &str) -> Option<ClientCredentialsIn> {
        match text.to_ascii_lowercase().as_str() {
            "form" => Some(ClientCredentialsIn::Form),
            "json" => Some(ClientCredentialsIn::Json),
            "basic" => Some(ClientCredentialsIn::Basic),
            _ => None,
        }
    }
}

/// A callback profile's "advanced authentication": where and how the
/// emulator fetches the bearer token each callback carries.
///
/// ```
/// use kaleyra_emulator::{AdvancedAuth, AuthMethod, ClientCredentialsIn};
///
/// let auth = AdvancedAuth::new("http://127.0.0.1:8081/kaleyra/token", "kaleyra-client", "client-secret-0123456789")
///     .method(AuthMethod::Post)
///     .credentials_in(ClientCredentialsIn::Form)
///     .header("X-Tenant", "acme");
/// assert!(!format!("{auth:?}").contains("client-secret"));
/// ```
#[derive(Clone)]
pub struct AdvancedAuth {
    url: String,
    method: AuthMethod,
    client_id: String,
    client_secret: SecretString,
    credentials_in: ClientCredentialsIn,
    headers: Vec<(String, SecretString)>,
}

impl AdvancedAuth {
    /// Fetches tokens from `url` (plain http on loopback, as every post of
    /// the emulator) with `POST`, the client id and secret in a form body.
    pub fn new(
        url: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> AdvancedAuth {
        AdvancedAuth {
            url: url.into(),
            method: AuthMethod::default(),
            client_id: client_id.into(),
            client_secret: client_secret.into().into(),
            credentials_in: ClientCredentialsIn::default(),
            headers: Vec::new(),
        }
    }

    /// The token request's method; `POST` unless set.
    pub fn method(mut self, method: AuthMethod) -> AdvancedAuth {
        self.method = method;
        self
    }

    /// How the client id and secret are carried; a form body unless set.
    pub fn credentials_in(mut self, credentials_in: ClientCredentialsIn) -> AdvancedAuth {
        self.credentials_in = credentials_in;
        self
    }

    /// A custom header on the token request (its value is never shown).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> AdvancedAuth {
        self.headers.push((name.into(), value.into().into()));
        self
    }
}

impl fmt::Debug for AdvancedAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AdvancedAuth")
            .field("url", &self.url)
            .field("method", &self.method)
            .field("client_id", &self.client_id)
            .field("client_secret", &REDACTED)
            .field("credentials_in", &self.credentials_in)
            .field("headers", &shown_headers(&self.headers))
            .finish()
    }
}

/// The credentials a callback profile puts on each callback. Empty unless
/// the emulator's builder sets some.
#[derive(Clone, Default)]
pub(crate) struct CallbackProfile {
    pub(crate) headers: Vec<(String, SecretString)>,
    pub(crate) basic: Option<(String, SecretString)>,
    pub(crate) advanced: Option<AdvancedAuth>,
}

impl fmt::Debug for CallbackProfile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallbackProfile")
            .field("headers", &shown_headers(&self.headers))
            .field(
                "basic",
                &self.basic.as_ref().map(|(user, _)| (user, REDACTED)),
            )
            .field("advanced", &self.advanced)
            .finish()
    }
}

fn shown_headers(headers: &[(String, SecretString)]) -> Vec<(&str, &str)> {
    headers
        .iter()
        .map(|(name, _)| (name.as_str(), REDACTED))
        .collect()
}

/// Headers as a request carries them, values marked sensitive; an error
/// names the header (never its value).
fn header_values(
    headers: &[(String, SecretString)],
    setting: &'static str,
) -> Result<Vec<(HeaderName, HeaderValue)>, (&'static str, String)> {
    let mut checked: Vec<(HeaderName, HeaderValue)> = Vec::new();
    for (name, value) in headers {
        let parsed = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| (setting, format!("`{name}` is not an HTTP header name")))?;
        if checked.iter().any(|(known, _)| *known == parsed) {
            return Err((setting, format!("`{name}` is given twice")));
        }
        let mut value = HeaderValue::from_str(value.expose_secret()).map_err(|_| {
            (
                setting,
                format!("the value of `{name}` has a character an HTTP header cannot carry"),
            )
        })?;
        value.set_sensitive(true);
        checked.push((parsed, value));
    }
    Ok(checked)
}

impl CallbackProfile {
    /// Checks the profile and readies its headers. An error names the
    /// builder setting and the reason, never a credential.
    pub(crate) fn checked(self) -> Result<Authenticator, (&'static str, String)> {
        let headers = header_values(&self.headers, "callback_header")?;
        let custom_authorization = headers.iter().any(|(name, _)| *name == AUTHORIZATION);
        if self.basic.is_some() && self.advanced.is_some() {
            return Err((
                "callback_basic_auth",
                "cannot be set with callback_advanced_auth: a callback carries one Authorization header (Basic or Bearer)".to_owned(),
            ));
        }
        if custom_authorization && (self.basic.is_some() || self.advanced.is_some()) {
            return Err((
                "callback_header",
                "`Authorization` cannot be a custom header beside Basic or advanced authentication, which set it".to_owned(),
            ));
        }
        let basic = match self.basic {
            Some((user, password)) => {
                if user.is_empty() || user.contains(':') {
                    return Err((
                        "callback_basic_auth",
                        "the user is empty or holds `:`, which Basic (RFC 7617) cannot carry"
                            .to_owned(),
                    ));
                }
                Some((user, password))
            }
            None => None,
        };
        let advanced = match self.advanced {
            Some(advanced) => {
                if let Some(reason) = crate::loopback::refusal(&advanced.url) {
                    return Err(("callback_advanced_auth", format!("the auth URL: {reason}")));
                }
                if advanced.client_id.is_empty() {
                    return Err((
                        "callback_advanced_auth",
                        "the client id is empty".to_owned(),
                    ));
                }
                if matches!(advanced.credentials_in, ClientCredentialsIn::Basic)
                    && advanced.client_id.contains(':')
                {
                    return Err((
                        "callback_advanced_auth",
                        "the client id holds `:`, which Basic credentials cannot carry".to_owned(),
                    ));
                }
                let headers = header_values(&advanced.headers, "callback_advanced_auth")?;
                Some(Advanced {
                    headers,
                    config: advanced,
                    cached: Mutex::new(None),
                })
            }
            None => None,
        };
        Ok(Authenticator {
            headers,
            basic,
            advanced,
        })
    }
}

/// A checked profile, as the poster applies it.
#[derive(Debug, Default)]
pub(crate) struct Authenticator {
    headers: Vec<(HeaderName, HeaderValue)>,
    basic: Option<(String, SecretString)>,
    advanced: Option<Advanced>,
}

struct Advanced {
    config: AdvancedAuth,
    headers: Vec<(HeaderName, HeaderValue)>,
    /// The token in use and when it expires.
    cached: Mutex<Option<Cached>>,
}

impl fmt::Debug for Advanced {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.config.fmt(f)
    }
}

struct Cached {
    header: HeaderValue,
    /// `None` when `expires_in` is beyond what the clock can count: kept
    /// until a callback is answered `401`.
    expires: Option<Instant>,
}

impl Authenticator {
    /// Whether callbacks carry a bearer token, fetched from an auth URL.
    pub(crate) fn uses_tokens(&self) -> bool {
        self.advanced.is_some()
    }

    /// `request` with the profile's headers and Basic credentials (the
    /// bearer token is added by the caller, from [`Authenticator::bearer`]).
    pub(crate) fn apply(&self, mut request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        for (name, value) in &self.headers {
            request = request.header(name, value);
        }
        if let Some((user, password)) = &self.basic {
            request = request.basic_auth(user, Some(password.expose_secret()));
        }
        request
    }

    /// The `Authorization: Bearer ..` value for a callback: the token kept,
    /// unless it has expired or `refresh` asks for a new one (after a
    /// `401`). `None` without advanced authentication; an error says why no
    /// token could be had, never holding a credential.
    pub(crate) async fn bearer(
        &self,
        http: &reqwest::Client,
        refresh: bool,
    ) -> Option<Result<HeaderValue, String>> {
        let advanced = self.advanced.as_ref()?;
        let mut cached = advanced.cached.lock().await;
        if !refresh
            && let Some(token) = cached.as_ref()
            && token.expires.is_none_or(|expires| expires > Instant::now())
        {
            return Some(Ok(token.header.clone()));
        }
        *cached = None;
        let fetched = advanced.fetch(http).await;
        Some(fetched.map(|token| {
            let header = token.header.clone();
            *cached = Some(token);
            header
        }))
    }
}

impl Advanced {
    /// Asks the auth URL for a token.
    async fn fetch(&self, http: &reqwest::Client) -> Result<Cached, String> {
        let config = &self.config;
        let method = match config.method {
            AuthMethod::Get => reqwest::Method::GET,
            AuthMethod::Post => reqwest::Method::POST,
        };
        let mut request = http.request(method, &config.url);
        for (name, value) in &self.headers {
            request = request.header(name, value);
        }
        let secret = config.client_secret.expose_secret();
        let form =
            |fields: &[(&str, &str)]| serde_urlencoded::to_string(fields).unwrap_or_default();
        request = match config.credentials_in {
            ClientCredentialsIn::Form => request
                .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(form(&[
                    (GRANT_TYPE_FIELD, CLIENT_CREDENTIALS_GRANT),
                    (CLIENT_ID_FIELD, &config.client_id),
                    (CLIENT_SECRET_FIELD, secret),
                ])),
            ClientCredentialsIn::Json => request.header(CONTENT_TYPE, "application/json").body(
                serde_json::json!({
                    GRANT_TYPE_FIELD: CLIENT_CREDENTIALS_GRANT,
                    CLIENT_ID_FIELD: config.client_id,
                    CLIENT_SECRET_FIELD: secret,
                })
                .to_string(),
            ),
            ClientCredentialsIn::Basic => request
                .basic_auth(&config.client_id, Some(secret))
                .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(form(&[(GRANT_TYPE_FIELD, CLIENT_CREDENTIALS_GRANT)])),
        };
        let asked = Instant::now();
        let response = request.send().await.map_err(|error| {
            format!("the auth URL could not be reached: {}", error.without_url())
        })?;
        let status = response.status();
        let body = response.bytes().await.map_err(|error| {
            format!(
                "the auth URL's answer could not be read: {}",
                error.without_url()
            )
        })?;
        if !status.is_success() {
            return Err(format!(
                "the auth URL answered HTTP {} instead of a token",
                status.as_u16()
            ));
        }
        let answer = TokenAnswer::parse(&body).map_err(|error| error.to_string())?;
        let mut header =
            HeaderValue::from_str(&format!("Bearer {}", answer.access_token.expose_secret()))
                .map_err(|_| {
                    "the token answer's `access_token` has a character an HTTP header cannot carry"
                        .to_owned()
                })?;
        header.set_sensitive(true);
        Ok(Cached {
            header,
            expires: asked.checked_add(Duration::from_secs(answer.expires_in)),
        })
    }
}
