//! "Advanced authentication" of a Kaleyra callback profile: before posting a
//! callback, Kaleyra asks the customer's auth URL for a token with a client
//! id and secret, and sends the callback with `Authorization: Bearer
//! <token>`. [`CallbackTokens`] is both ends on the customer's side: the auth
//! URL, which issues short-lived random tokens to that client only, and the
//! check that a callback carries one of them, unexpired.

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::extract::{Request, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};
use subtle::Choice;

use super::Callback;
use super::credentials::{CallbackAuthError, authorization, check_credential, equal};
use super::secret::REDACTED;
use super::token_answer::{
    CLIENT_CREDENTIALS_GRANT, CLIENT_ID_FIELD, CLIENT_SECRET_FIELD, GRANT_TYPE_FIELD, TokenAnswer,
};

/// Random bytes in a token: 256 bits.
const TOKEN_BYTES: usize = 32;

/// The largest token request body read: Kaleyra's is a few fields.
const REQUEST_BODY_LIMIT: usize = 8 * 1024;

/// The auth URL and the tokens it issued.
///
/// Clones share the tokens: give one to [`super::CallbackAuth::bearer`] and
/// serve [`CallbackTokens::router`] (which [`super::callback_router`] does
/// by itself when its auth has tokens).
///
/// The auth URL answers `GET` and `POST`, and takes the client id and secret
/// in any of three forms, since Kaleyra does not say which it sends: a form
/// body (`grant_type=client_credentials&client_id=..&client_secret=..`, as
/// OAuth 2.0's client credentials grant), a JSON body with the same fields,
/// or `Authorization: Basic base64(client_id:client_secret)`. Its answer is
/// Kaleyra's documented shape, an Azure AD v1 token answer with string
/// numbers (see [`TokenAnswer`]); a wrong client gets `401` with OAuth's
/// `{"error": "invalid_client"}`.
///
/// ```
/// use std::time::Duration;
/// use kaleyra_runtime::callbacks::{CallbackAuth, CallbackSecret, CallbackTokens, callback_router};
/// use kaleyra_runtime::callbacks::Event;
///
/// // The callback profile: auth URL https://app.example.com/kaleyra/token,
/// // this client id and secret.
/// let tokens = CallbackTokens::new("/kaleyra/token", "kaleyra-client", "client-secret-0123456789")?
///     .lifetime(Duration::from_secs(3600))?;
/// let secret = CallbackSecret::generate()?;
/// let auth = CallbackAuth::secret(secret).and_bearer(tokens)?;
/// // Serves /kaleyra/{secret} for callbacks and /kaleyra/token for tokens.
/// let app = callback_router("/kaleyra", auth, |event: Event| async move {
///     println!("{event:?}");
/// });
/// # let _: axum::Router = app;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct CallbackTokens {
    issuer: Arc<Issuer>,
}

struct Issuer {
    path: String,
    client_id: SecretString,
    client_secret: SecretString,
    lifetime: Duration,
    resource: String,
    /// The tokens issued and not yet expired (or pushed out), oldest first.
    issued: Mutex<VecDeque<Issued>>,
}

struct Issued {
    token: SecretString,
    expires: Instant,
}

impl CallbackTokens {
    /// How long a token is good for unless [`CallbackTokens::lifetime`] says:
    /// one hour, as the Azure AD answer Kaleyra shows (`"3599"`).
    pub const DEFAULT_LIFETIME: Duration = Duration::from_secs(3600);
    /// The longest lifetime a token may have: one day.
    pub const MAX_LIFETIME: Duration = Duration::from_secs(24 * 3600);
    /// The most unexpired tokens kept: a new one beyond them pushes out the
    /// oldest. Kaleyra asks again only when its token expires, so a few are
    /// live at once.
    pub const MAX_LIVE: usize = 32;
    /// What the answers' `resource` says unless [`CallbackTokens::resource`] sets it.
    pub const DEFAULT_RESOURCE: &str = "kaleyra-callbacks";

    /// The auth URL at `path` (absolute, such as `/kaleyra/token`), which
    /// issues tokens to `client_id` with `client_secret` only. The client id
    /// is any non-empty text a header can carry; the secret at least
    /// [`super::MIN_CREDENTIAL_CHARS`] characters.
    pub fn new(
        path: &str,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Result<CallbackTokens, CallbackAuthError> {
        if !path.starts_with('/') || path.contains(['{', '}', '*', '?', '#']) {
            return Err(CallbackAuthError::Invalid {
                what: "the token path",
                reason: format!(
                    "`{path}` is not an absolute path such as /kaleyra/token (no `{{`, `}}`, `*`, `?`, `#`)"
                ),
            });
        }
        let client_id = client_id.into();
        if client_id.is_empty() || client_id.chars().any(char::is_control) {
            return Err(CallbackAuthError::Invalid {
                what: "the client id",
                reason: "is empty or has a control character".to_owned(),
            });
        }
        let client_secret = client_secret.into();
        check_credential("the client secret", &client_secret)?;
        Ok(CallbackTokens {
            issuer: Arc::new(Issuer {
                path: path.to_owned(),
                client_id: client_id.into(),
                client_secret: client_secret.into(),
                lifetime: CallbackTokens::DEFAULT_LIFETIME,
                resource: CallbackTokens::DEFAULT_RESOURCE.to_owned(),
                issued: Mutex::new(VecDeque::new()),
            }),
        })
    }

    /// How long each token is good for: whole seconds, 1 second to
    /// [`CallbackTokens::MAX_LIFETIME`] ([`CallbackTokens::DEFAULT_LIFETIME`]
    /// unless set). Its answer says it as `expires_in`, in seconds.
    ///
    /// Set it before cloning: clones share one issuer, and a clone that
    /// already went to [`super::CallbackAuth`] would not see the change,
    /// so a shared issuer is refused.
    pub fn lifetime(self, lifetime: Duration) -> Result<CallbackTokens, CallbackAuthError> {
        if lifetime.subsec_nanos() != 0
            || lifetime < Duration::from_secs(1)
            || lifetime > CallbackTokens::MAX_LIFETIME
        {
            return Err(CallbackAuthError::Invalid {
                what: "the token lifetime",
                reason: format!(
                    "is {lifetime:?}; use whole seconds from 1 to {} (expires_in is in seconds)",
                    CallbackTokens::MAX_LIFETIME.as_secs()
                ),
            });
        }
        self.configured("the token lifetime", |issuer| issuer.lifetime = lifetime)
    }

    /// What the answers' `resource` says ([`CallbackTokens::DEFAULT_RESOURCE`]
    /// unless set). Like [`CallbackTokens::lifetime`], set it before cloning.
    pub fn resource(
        self,
        resource: impl Into<String>,
    ) -> Result<CallbackTokens, CallbackAuthError> {
        let resource = resource.into();
        self.configured("the token resource", |issuer| issuer.resource = resource)
    }

    /// The auth URL's path.
    pub fn path(&self) -> &str {
        &self.issuer.path
    }

    /// The lifetime of each token.
    pub fn token_lifetime(&self) -> Duration {
        self.issuer.lifetime
    }

    /// Forgets every token issued, so each callback that carries one is
    /// refused (`401`) until Kaleyra fetches a new one: after the client
    /// secret leaked, for instance.
    pub fn revoke_all(&self) {
        self.issued().clear();
    }

    /// The auth URL as a router of its own, for an app that receives
    /// callbacks through the [`super::Callback`] extractor rather than
    /// [`super::callback_router`]. Bodies are bounded as callbacks are.
    pub fn router(&self) -> Router {
        let receive = |State(tokens): State<CallbackTokens>, request: Request| async move {
            if !matches!(*request.method(), Method::GET | Method::POST) {
                return StatusCode::NOT_FOUND.into_response();
            }
            tokens.answer(request).await
        };
        Router::new()
            .route(&self.issuer.path, axum::routing::any(receive))
            .with_state(self.clone())
    }

    /// Whether `token` is one this issued that has not expired, compared in
    /// constant time with each live token.
    pub(crate) fn admits(&self, token: &str) -> Choice {
        let now = Instant::now();
        let mut issued = self.issued();
        issued.retain(|issued| issued.expires > now);
        issued.iter().fold(Choice::from(0), |found, issued| {
            found | equal(token.as_bytes(), issued.token.expose_secret().as_bytes())
        })
    }

    /// Answers one token request.
    async fn answer(&self, request: Request) -> Response {
        let (parts, body) = request.into_parts();
        let body = axum::body::to_bytes(body, REQUEST_BODY_LIMIT);
        let body = match tokio::time::timeout(Callback::BODY_TIMEOUT, body).await {
            Ok(Ok(body)) => body,
            Ok(Err(_)) => {
                return oauth_error(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "invalid_request",
                    "the token request body is too large",
                );
            }
            Err(_elapsed) => {
                return oauth_error(
                    StatusCode::REQUEST_TIMEOUT,
                    "invalid_request",
                    "the token request body did not arrive in time",
                );
            }
        };
        let presented = match presented_client(&parts.headers, &body) {
            Ok(presented) => presented,
            Err(reason) => {
                return oauth_error(StatusCode::BAD_REQUEST, "invalid_request", &reason);
            }
        };
        let id_matches = equal(
            presented.id.as_bytes(),
            self.issuer.client_id.expose_secret().as_bytes(),
        );
        let secret_matches = equal(
            presented.secret.expose_secret().as_bytes(),
            self.issuer.client_secret.expose_secret().as_bytes(),
        );
        if !bool::from(id_matches & secret_matches) {
            return oauth_error(
                StatusCode::UNAUTHORIZED,
                "invalid_client",
                "the client id or secret is wrong",
            );
        }
        match self.issue() {
            Ok(answer) => json_answer(StatusCode::OK, &answer.to_json()),
            Err(error) => oauth_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "server_error",
                &error.to_string(),
            ),
        }
    }

    /// A new token, kept until it expires.
    fn issue(&self) -> Result<TokenAnswer, CallbackAuthError> {
        let mut bytes = [0u8; TOKEN_BYTES];
        getrandom::fill(&mut bytes)
            .map_err(|error| CallbackAuthError::Random(error.to_string()))?;
        let token = URL_SAFE_NO_PAD.encode(bytes);
        let lifetime = self.issuer.lifetime;
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_secs();
        {
            let mut issued = self.issued();
            let at = Instant::now();
            issued.retain(|issued| issued.expires > at);
            while issued.len() >= CallbackTokens::MAX_LIVE {
                issued.pop_front();
            }
            issued.push_back(Issued {
                token: token.clone().into(),
                expires: at + lifetime,
            });
        }
        Ok(TokenAnswer {
            token_type: "Bearer".to_owned(),
            access_token: token.into(),
            expires_in: lifetime.as_secs(),
            ext_expires_in: Some(lifetime.as_secs()),
            expires_on: Some(now + lifetime.as_secs()),
            not_before: Some(now),
            resource: Some(self.issuer.resource.clone()),
        })
    }

    fn issued(&self) -> std::sync::MutexGuard<'_, VecDeque<Issued>> {
        // The list holds no invariant a panic could break halfway.
        self.issuer
            .issued
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// This issuer with `change` made to its settings, if nothing shares it yet.
    fn configured(
        mut self,
        what: &'static str,
        change: impl FnOnce(&mut Issuer),
    ) -> Result<CallbackTokens, CallbackAuthError> {
        let Some(issuer) = Arc::get_mut(&mut self.issuer) else {
            return Err(CallbackAuthError::Invalid {
                what,
                reason: "cannot change once the CallbackTokens is cloned (its clones share one issuer); set it first"
                    .to_owned(),
            });
        };
        change(issuer);
        Ok(self)
    }
}

impl fmt::Debug for CallbackTokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallbackTokens")
            .field("path", &self.issuer.path)
            .field("client_id", &REDACTED)
            .field("client_secret", &REDACTED)
            .field("lifetime", &self.issuer.lifetime)
            .field("live_tokens", &self.issued().len())
            .finish()
    }
}

/// Equal issuers: the same one (clones share their tokens).
impl PartialEq for CallbackTokens {
    fn eq(&self, other: &CallbackTokens) -> bool {
        Arc::ptr_eq(&self.issuer, &other.issuer)
    }
}

impl Eq for CallbackTokens {}

/// The client a token request names.
struct Presented {
    id: String,
    secret: SecretString,
}

/// The client id and secret of a token request: from `Authorization:
/// Basic`, else a JSON body, else a form body (or none, when it has no
/// body). The reasons never quote the secret.
fn presented_client(headers: &HeaderMap, body: &[u8]) -> Result<Presented, String> {
    if let Some(encoded) = authorization(headers, "Basic") {
        let decoded = STANDARD
            .decode(encoded.trim())
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .ok_or("the Basic credentials are not base64 of UTF-8 text")?;
        let (id, secret) = decoded
            .split_once(':')
            .ok_or("the Basic credentials have no `:` between client id and secret")?;
        return Ok(Presented {
            id: id.to_owned(),
            secret: secret.to_owned().into(),
        });
    }
    let is_json = headers
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|kind| kind.to_ascii_lowercase().starts_with("application/json"));
    let fields: Vec<(String, String)> = if is_json {
        let Ok(Value::Object(object)) = serde_json::from_slice::<Value>(body) else {
            return Err("the JSON body is not a JSON object".to_owned());
        };
        object
            .into_iter()
            .filter_map(|(name, value)| match value {
                Value::String(text) => Some((name, text)),
                _ => None,
            })
            .collect()
    } else {
        form_urlencoded::parse(body).into_owned().collect()
    };
    let field = |name: &str| -> Result<Option<String>, String> {
        let mut found = fields.iter().filter(|(field, _)| field == name);
        match (found.next(), found.next()) {
            (Some((_, value)), None) => Ok(Some(value.clone())),
            (None, _) => Ok(None),
            (Some(_), Some(_)) => Err(format!("`{name}` is given more than once")),
        }
    };
    if let Some(grant) = field(GRANT_TYPE_FIELD)?
        && grant != CLIENT_CREDENTIALS_GRANT
    {
        return Err(format!(
            "`{GRANT_TYPE_FIELD}` is `{grant}`; this auth URL serves `{CLIENT_CREDENTIALS_GRANT}` only"
        ));
    }
    match (field(CLIENT_ID_FIELD)?, field(CLIENT_SECRET_FIELD)?) {
        (Some(id), Some(secret)) => Ok(Presented {
            id,
            secret: secret.into(),
        }),
        _ => Err(format!(
            "no `{CLIENT_ID_FIELD}` and `{CLIENT_SECRET_FIELD}`: send them as a form or JSON body, or as Basic credentials"
        )),
    }
}

/// An OAuth 2.0 error answer (RFC 6749 section 5.2).
fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    json_answer(
        status,
        &json!({"error": error, "error_description": description}),
    )
}

/// A JSON answer no cache may keep (RFC 6749 section 5.1).
fn json_answer(status: StatusCode, body: &Value) -> Response {
    (
        status,
        [
            (CACHE_CONTROL, "no-store"),
            (CONTENT_TYPE, "application/json"),
        ],
        body.to_string(),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens() -> CallbackTokens {
        CallbackTokens::new("/kaleyra/token", "client-1", "client-secret-0123456789").unwrap()
    }

    #[test]
    fn issued_tokens_are_admitted_until_revoked_and_others_never() {
        let tokens = tokens();
        let answer = tokens.issue().unwrap();
        let token = answer.access_token.expose_secret().to_owned();
        assert_eq!(token.len(), 43);
        assert!(bool::from(tokens.admits(&token)));
        let clone = tokens.clone();
        assert!(bool::from(clone.admits(&token)), "clones share tokens");
        let mut forged = token.clone();
        forged.pop();
        for other in [
            "",
            forged.as_str(),
            &format!("{token}A"),
            &token.to_ascii_uppercase(),
        ] {
            assert!(!bool::from(tokens.admits(other)), "{other}");
        }
        tokens.revoke_all();
        assert!(!bool::from(tokens.admits(&token)));
    }

    #[test]
    fn answers_have_kaleyras_shape_with_string_numbers() {
        let tokens = tokens().lifetime(Duration::from_secs(120)).unwrap();
        let json = tokens.issue().unwrap().to_json();
        assert_eq!(json["token_type"], "Bearer");
        assert_eq!(json["expires_in"], "120");
        assert_eq!(json["ext_expires_in"], "120");
        let on: u64 = json["expires_on"].as_str().unwrap().parse().unwrap();
        let before: u64 = json["not_before"].as_str().unwrap().parse().unwrap();
        assert_eq!(on - before, 120);
        assert_eq!(json["resource"], CallbackTokens::DEFAULT_RESOURCE);
        // Round trip through the reader the emulator uses.
        let read = TokenAnswer::parse(json.to_string().as_bytes()).unwrap();
        assert_eq!(read.expires_in, 120);
    }

    #[test]
    fn a_token_past_its_lifetime_is_refused() {
        let tokens = tokens().lifetime(Duration::from_secs(1)).unwrap();
        let token = tokens
            .issue()
            .unwrap()
            .access_token
            .expose_secret()
            .to_owned();
        assert!(bool::from(tokens.admits(&token)));
        std::thread::sleep(Duration::from_millis(1100));
        assert!(!bool::from(tokens.admits(&token)));
    }

    #[test]
    fn only_the_newest_tokens_stay_live() {
        let tokens = tokens();
        let first = tokens
            .issue()
            .unwrap()
            .access_token
            .expose_secret()
            .to_owned();
        for _ in 0..CallbackTokens::MAX_LIVE {
            tokens.issue().unwrap();
        }
        assert!(!bool::from(tokens.admits(&first)));
        assert_eq!(tokens.issued().len(), CallbackTokens::MAX_LIVE);
    }

    #[test]
    fn bad_settings_are_refused_by_name() {
        for path in ["kaleyra/token", "/kaleyra/{x}", "/a?b"] {
            let error = CallbackTokens::new(path, "c", "client-secret-0123456789").unwrap_err();
            assert!(error.to_string().contains("token path"), "{error}");
        }
        let error = CallbackTokens::new("/t", "", "client-secret-0123456789").unwrap_err();
        assert!(error.to_string().contains("client id"), "{error}");
        let shared = tokens();
        let _clone = shared.clone();
        let error = shared.lifetime(Duration::from_secs(60)).unwrap_err();
        assert!(error.to_string().contains("set it first"), "{error}");
        let error = CallbackTokens::new("/t", "c", "short").unwrap_err();
        assert!(
            error.to_string().contains("client secret is 5 characters"),
            "{error}"
        );
        for lifetime in [
            Duration::ZERO,
            Duration::from_millis(1500),
            Duration::from_secs(90_000),
        ] {
            let error = tokens().lifetime(lifetime).unwrap_err();
            assert!(error.to_string().contains("whole seconds"), "{error}");
        }
    }

    #[test]
    fn debug_shows_no_client_credentials() {
        let shown = format!("{:?}", tokens());
        assert!(
            !shown.contains("client-1") && !shown.contains("0123456789"),
            "{shown}"
        );
    }

    #[test]
    fn clients_are_read_from_basic_json_or_form() {
        let secret = "client-secret-0123456789";
        let mut basic = HeaderMap::new();
        basic.insert(
            axum::http::header::AUTHORIZATION,
            format!("Basic {}", STANDARD.encode(format!("client-1:{secret}")))
                .parse()
                .unwrap(),
        );
        let mut json = HeaderMap::new();
        json.insert(CONTENT_TYPE, "application/json".parse().unwrap());
        let form_body =
            format!("grant_type=client_credentials&client_id=client-1&client_secret={secret}");
        let json_body = format!(r#"{{"client_id":"client-1","client_secret":"{secret}"}}"#);
        for (headers, body) in [
            (&basic, ""),
            (&json, json_body.as_str()),
            (&HeaderMap::new(), form_body.as_str()),
        ] {
            let presented = presented_client(headers, body.as_bytes()).unwrap();
            assert_eq!(presented.id, "client-1");
            assert_eq!(presented.secret.expose_secret(), secret);
        }
        for (headers, body, expected) in [
            (&HeaderMap::new(), "", "no `client_id`"),
            (
                &HeaderMap::new(),
                "grant_type=password&client_id=a&client_secret=b",
                "`grant_type` is `password`",
            ),
            (
                &HeaderMap::new(),
                "client_id=a&client_id=b&client_secret=c",
                "more than once",
            ),
            (&json, "[]", "not a JSON object"),
        ] {
            let reason = presented_client(headers, body.as_bytes()).err().unwrap();
            assert!(reason.contains(expected), "{body}: {reason}");
        }
    }
}
