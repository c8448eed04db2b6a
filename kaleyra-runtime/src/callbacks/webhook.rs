//! Receiving Kaleyra's callbacks in an [axum](https://docs.rs/axum) app
//! (feature `axum`): an extractor that turns a callback request into typed
//! [`Event`]s, and a router that hands each event to your code.
//!
//! Kaleyra's callbacks carry no signature, so both refuse any request whose
//! URL does not end with the [`CallbackSecret`] (compared in constant time)
//! with `404 Not Found`, before reading its body. Receiving without a secret
//! has to be asked for with [`CallbackAuth::allow_unauthenticated`]. What a
//! Kaleyra callback profile adds (custom headers, HTTP Basic, bearer tokens
//! from an auth URL the router serves) is required on top: see
//! [`CallbackAuth`].
//!
//! Both are strict and bounded, so that what reaches the handler is a
//! callback and a peer cannot hold the receiver:
//!
//! - a body that is not a callback (not JSON, a form or a query string; JSON
//!   that is not an object) is `400 Bad Request` and never reaches the handler;
//! - a body over [`Callback::BODY_LIMIT`] (64 KiB) is `413 Payload Too Large`;
//! - a body that has not fully arrived [`Callback::BODY_TIMEOUT`] (10 seconds)
//!   after its headers is cut off with `408 Request Timeout`;
//! - [`callback_router`] answers a method it does not serve exactly as a
//!   path that does not exist (`404 Not Found`, empty), so the answer does
//!   not confirm the route, and it handles at most [`Callback::MAX_IN_FLIGHT`]
//!   (256) requests at once: one more is `503 Service Unavailable` at once,
//!   and Kaleyra posts it again later.
//!
//! The connections themselves (how many are open, how long headers may
//! take) are the server's: `axum::serve` or the server the application
//! runs the router in.
//!
//! ```no_run
//! use axum::Router;
//! use kaleyra_runtime::callbacks::{Callback, CallbackAuth, CallbackSecret, Event, callback_router};
//!
//! # fn run() -> Result<(), kaleyra_runtime::callbacks::CallbackSecretError> {
//! let secret = CallbackSecret::from_env()?; // KALEYRA_CALLBACK_SECRET
//! // Messages carry https://app.example.com/kaleyra/<secret> as their callback URL.
//! let callback_url = secret.callback_url("https://app.example.com/kaleyra")?;
//!
//! // A ready router, for GET (v1 query strings) and POST alike, on /kaleyra/{secret}...
//! let app: Router = callback_router("/kaleyra", secret.clone(), |event: Event| async move {
//!     println!("{:?}: {event:?}", event.idempotency_key());
//! });
//!
//! // ... or the extractor in your own route, with the secret as the router's state.
//! async fn on_callback(Callback(events): Callback) {
//!     for event in events {
//!         println!("{event:?}");
//!     }
//! }
//! let app: Router = Router::new()
//!     .route("/hooks/kaleyra/{secret}", axum::routing::post(on_callback))
//!     .with_state(CallbackAuth::from(secret));
//! # Ok(()) }
//! ```

use std::fmt;
use std::future::Future;
use std::time::Duration;

use axum::Router;
use axum::error_handling::HandleErrorLayer;
use axum::extract::{FromRef, FromRequest, Request, State};
use axum::http::header::{AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, WWW_AUTHENTICATE};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use tower::ServiceBuilder;
use tower::limit::GlobalConcurrencyLimitLayer;

use subtle::Choice;

use super::credentials::{BasicCredentials, CallbackAuthError, CallbackHeader, authorization};
use super::tokens::CallbackTokens;
use super::{CallbackSecret, Event, InboundError};

/// Which callback requests are Kaleyra's: what a callback must carry for
/// [`Callback`] and [`callback_router`] to take it.
///
/// The URL secret is the default and the first check; a callback profile's
/// credentials (custom headers, HTTP Basic, or a bearer token from its
/// "advanced authentication") add to it, and a request must carry every one
/// configured. A request missing one, or with a wrong one, is refused before
/// its body is read and before the handler runs: `404 Not Found`, as for a
/// path that does not exist, except a bearer token that is not (or no
/// longer) one [`CallbackTokens`] issued, which is `401 Unauthorized` with
/// `WWW-Authenticate: Bearer error="invalid_token"`, so Kaleyra fetches a
/// new one. Every comparison is in constant time.
///
/// The [`Callback`] extractor reads it from the router's state
/// (`CallbackAuth: FromRef<S>`), so a route without it does not compile.
///
/// The URL secret, alone or with a custom header:
///
/// ```
/// use kaleyra_runtime::callbacks::{CallbackAuth, CallbackHeader, CallbackSecret};
///
/// let secret = CallbackSecret::generate()?;
/// let url_only = CallbackAuth::secret(secret.clone());
/// // The callback profile also sends `X-Callback-Token: <value>`.
/// let header = CallbackHeader::new("X-Callback-Token", "token-from-your-vault-0001")?;
/// let both = CallbackAuth::secret(secret).and_header(header)?;
/// assert!(!format!("{both:?}").contains("token-from-your-vault"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// HTTP Basic (the profile's user and password), with the URL secret:
///
/// ```
/// use kaleyra_runtime::callbacks::{BasicCredentials, CallbackAuth, CallbackSecret};
///
/// let basic = BasicCredentials::new("kaleyra", "password-from-your-vault")?;
/// let auth = CallbackAuth::secret(CallbackSecret::generate()?).and_basic(basic)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// Advanced authentication (a bearer token from your auth URL), see
/// [`CallbackTokens`] for the router that serves it:
///
/// ```
/// use kaleyra_runtime::callbacks::{BasicCredentials, CallbackAuth, CallbackSecret, CallbackTokens};
///
/// let tokens = CallbackTokens::new("/kaleyra/token", "kaleyra-client", "client-secret-0123456789")?;
/// let auth = CallbackAuth::secret(CallbackSecret::generate()?).and_bearer(tokens)?;
/// // One Authorization header cannot carry both Basic and Bearer:
/// let basic = BasicCredentials::new("kaleyra", "password-from-your-vault")?;
/// assert!(auth.and_basic(basic).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct CallbackAuth {
    secret: Option<CallbackSecret>,
    headers: Vec<CallbackHeader>,
    authorization: Option<Authorization>,
}

/// What the one `Authorization` header of a callback must carry.
#[derive(Clone, PartialEq, Eq)]
enum Authorization {
    Basic(BasicCredentials),
    Bearer(CallbackTokens),
}

impl CallbackAuth {
    /// Accepts only requests whose URL's last path segment is `secret`.
    pub fn secret(secret: CallbackSecret) -> CallbackAuth {
        CallbackAuth {
            secret: Some(secret),
            headers: Vec::new(),
            authorization: None,
        }
    }

    /// Accepts only requests that carry `header` (and no URL secret is
    /// asked for): for a callback profile whose URL cannot hold a secret.
    pub fn header(header: CallbackHeader) -> CallbackAuth {
        CallbackAuth {
            secret: None,
            headers: vec![header],
            authorization: None,
        }
    }

    /// Accepts only requests with these Basic credentials (and no URL secret).
    pub fn basic(credentials: BasicCredentials) -> CallbackAuth {
        CallbackAuth {
            secret: None,
            headers: Vec::new(),
            authorization: Some(Authorization::Basic(credentials)),
        }
    }

    /// Accepts only requests with an unexpired bearer token `tokens` issued
    /// (and no URL secret).
    pub fn bearer(tokens: CallbackTokens) -> CallbackAuth {
        CallbackAuth {
            secret: None,
            headers: Vec::new(),
            authorization: Some(Authorization::Bearer(tokens)),
        }
    }

    /// Accepts every request that parses, from anyone who can reach the URL.
    /// For tests, or behind a gateway that authenticates Kaleyra itself.
    pub fn allow_unauthenticated() -> CallbackAuth {
        CallbackAuth {
            secret: None,
            headers: Vec::new(),
            authorization: None,
        }
    }

    /// Also requires `header`. Refused: a second header of the same name,
    /// or an `Authorization` header beside Basic or bearer credentials.
    pub fn and_header(mut self, header: CallbackHeader) -> Result<CallbackAuth, CallbackAuthError> {
        if self
            .headers
            .iter()
            .any(|known| known.header_name() == header.header_name())
        {
            return Err(CallbackAuthError::Conflict(format!(
                "the header `{}` is required twice; a callback profile sends each header once",
                header.name()
            )));
        }
        if *header.header_name() == AUTHORIZATION && self.authorization.is_some() {
            return Err(authorization_taken("a custom `Authorization` header"));
        }
        self.headers.push(header);
        Ok(self)
    }

    /// Also requires these Basic credentials. Refused beside bearer
    /// credentials or a custom `Authorization` header: a callback has one.
    pub fn and_basic(
        self,
        credentials: BasicCredentials,
    ) -> Result<CallbackAuth, CallbackAuthError> {
        self.and_authorization(Authorization::Basic(credentials), "Basic credentials")
    }

    /// Also requires an unexpired bearer token `tokens` issued. Refused
    /// beside Basic credentials or a custom `Authorization` header.
    pub fn and_bearer(self, tokens: CallbackTokens) -> Result<CallbackAuth, CallbackAuthError> {
        self.and_authorization(Authorization::Bearer(tokens), "a bearer token")
    }

    fn and_authorization(
        mut self,
        authorization: Authorization,
        what: &str,
    ) -> Result<CallbackAuth, CallbackAuthError> {
        let header_taken = self
            .headers
            .iter()
            .any(|header| *header.header_name() == AUTHORIZATION);
        if self.authorization.is_some() || header_taken {
            return Err(authorization_taken(what));
        }
        self.authorization = Some(authorization);
        Ok(self)
    }

    /// The token issuer, when callbacks must carry a bearer token.
    pub fn tokens(&self) -> Option<&CallbackTokens> {
        match &self.authorization {
            Some(Authorization::Bearer(tokens)) => Some(tokens),
            _ => None,
        }
    }

    /// Whether a request for `path` with `headers` may be a callback. Every
    /// credential is compared in constant time, and all of them are
    /// compared whatever the first says, so the time taken does not tell
    /// which one was wrong.
    fn admits(&self, path: &str, headers: &HeaderMap) -> Result<(), CallbackRejection> {
        let mut admitted = match &self.secret {
            Some(secret) => Choice::from(u8::from(
                secret.matches(path.rsplit('/').next().unwrap_or_default()),
            )),
            None => Choice::from(1),
        };
        for header in &self.headers {
            admitted &= header.admits(headers);
        }
        match &self.authorization {
            None => {}
            Some(Authorization::Basic(credentials)) => admitted &= credentials.admits(headers),
            Some(Authorization::Bearer(tokens)) => {
                let Some(token) = authorization(headers, "Bearer") else {
                    return Err(CallbackRejection::NotFound);
                };
                // A token that is not (or no longer) valid is told apart
                // only once everything else matched, so the answer that
                // makes Kaleyra fetch a new token reveals nothing else.
                let token_valid = tokens.admits(token.trim());
                if !bool::from(admitted) {
                    return Err(CallbackRejection::NotFound);
                }
                if !bool::from(token_valid) {
                    return Err(CallbackRejection::InvalidToken);
                }
            }
        }
        if bool::from(admitted) {
            Ok(())
        } else {
            Err(CallbackRejection::NotFound)
        }
    }
}

fn authorization_taken(what: &str) -> CallbackAuthError {
    CallbackAuthError::Conflict(format!(
        "{what} cannot be required beside another `Authorization` requirement: a callback carries one Authorization header"
    ))
}

impl From<CallbackSecret> for CallbackAuth {
    fn from(secret: CallbackSecret) -> CallbackAuth {
        CallbackAuth::secret(secret)
    }
}

impl fmt::Debug for CallbackAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.secret, self.headers.is_empty(), &self.authorization) {
            (Some(secret), true, None) => {
                f.debug_tuple("CallbackAuth::Secret").field(secret).finish()
            }
            (None, true, None) => f.write_str("CallbackAuth::AllowUnauthenticated"),
            _ => f
                .debug_struct("CallbackAuth")
                .field("secret", &self.secret)
                .field("headers", &self.headers)
                .field("authorization", &self.authorization)
                .finish(),
        }
    }
}

impl fmt::Debug for Authorization {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Authorization::Basic(credentials) => credentials.fmt(f),
            Authorization::Bearer(tokens) => tokens.fmt(f),
        }
    }
}

/// The events of one Kaleyra callback request (JSON, form body or query
/// string), from a request the router state's [`CallbackAuth`] admits.
#[derive(Debug, Clone, PartialEq)]
pub struct Callback(pub Vec<Event>);

impl Callback {
    /// The largest callback body read: 64 KiB. Kaleyra's callbacks are a few
    /// KiB at most; a larger body is refused with `413 Payload Too Large`.
    pub const BODY_LIMIT: usize = 64 * 1024;

    /// How long a callback body may take to arrive, counted from when its
    /// headers are in: 10 seconds. Kaleyra sends its few KiB at once; a body
    /// still incomplete by then (a peer that announces 60,000 bytes and
    /// sends 20) is cut off with `408 Request Timeout`, so it cannot hold
    /// the receiver. It needs the Tokio runtime's timer, which
    /// `#[tokio::main]` and `axum::serve` have.
    pub const BODY_TIMEOUT: Duration = Duration::from_secs(10);

    /// The most callback requests one [`callback_router`] handles at once
    /// (reading the body or running the handler): 256, which bounds its
    /// memory to 256 bodies of at most [`Callback::BODY_LIMIT`]. One request
    /// more is answered `503 Service Unavailable` at once, not queued:
    /// Kaleyra delivers at least once and posts it again.
    pub const MAX_IN_FLIGHT: usize = 256;
}

/// Why a request is not taken as a callback.
#[derive(Debug)]
#[non_exhaustive]
pub enum CallbackRejection {
    /// The URL does not end with the secret: `404 Not Found`, as for a route
    /// that does not exist, so the answer does not confirm there is one.
    NotFound,
    /// The body is over [`Callback::BODY_LIMIT`]: `413 Payload Too Large`.
    TooLarge,
    /// The body did not fully arrive within [`Callback::BODY_TIMEOUT`]:
    /// `408 Request Timeout`.
    TimedOut,
    /// The body could not be read: `400 Bad Request` with the reason.
    Unreadable(String),
    /// The body is not a callback Kaleyra sends: `400 Bad Request` with the reason.
    Invalid(InboundError),
    /// Every credential matched but the bearer token is not one the
    /// [`CallbackTokens`] issued, or has expired: `401 Unauthorized` with
    /// `WWW-Authenticate: Bearer error="invalid_token"` (RFC 6750), so
    /// Kaleyra fetches a new token and posts again.
    InvalidToken,
}

impl IntoResponse for CallbackRejection {
    fn into_response(self) -> Response {
        match self {
            CallbackRejection::NotFound => StatusCode::NOT_FOUND.into_response(),
            CallbackRejection::InvalidToken => (
                StatusCode::UNAUTHORIZED,
                [(WWW_AUTHENTICATE, r#"Bearer error="invalid_token""#)],
            )
                .into_response(),
            CallbackRejection::TooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("a callback body is at most {} bytes", Callback::BODY_LIMIT),
            )
                .into_response(),
            CallbackRejection::TimedOut => (
                StatusCode::REQUEST_TIMEOUT,
                format!(
                    "the callback body did not arrive within {} seconds",
                    Callback::BODY_TIMEOUT.as_secs()
                ),
            )
                .into_response(),
            CallbackRejection::Unreadable(reason) => (
                StatusCode::BAD_REQUEST,
                format!("the callback body cannot be read: {reason}"),
            )
                .into_response(),
            CallbackRejection::Invalid(error) => {
                (StatusCode::BAD_REQUEST, error.to_string()).into_response()
            }
        }
    }
}

impl<S> FromRequest<S> for Callback
where
    S: Send + Sync,
    CallbackAuth: FromRef<S>,
{
    type Rejection = CallbackRejection;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        CallbackAuth::from_ref(state).admits(request.uri().path(), request.headers())?;
        let declared_length = request
            .headers()
            .get(CONTENT_LENGTH)
            .and_then(|value| value.to_str().ok()?.parse::<u64>().ok());
        if declared_length.is_some_and(|length| length > Callback::BODY_LIMIT as u64) {
            return Err(CallbackRejection::TooLarge);
        }
        let content_type = request
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        let query = request.uri().query().map(str::to_owned);
        let body = axum::body::to_bytes(request.into_body(), Callback::BODY_LIMIT);
        let body = tokio::time::timeout(Callback::BODY_TIMEOUT, body)
            .await
            .map_err(|_elapsed| CallbackRejection::TimedOut)?
            .map_err(|error| {
                let error = error.into_inner();
                if error.is::<http_body_util::LengthLimitError>() {
                    CallbackRejection::TooLarge
                } else {
                    CallbackRejection::Unreadable(error.to_string())
                }
            })?;
        Event::parse_request(content_type.as_deref(), query.as_deref(), &body)
            .map(Callback)
            .map_err(CallbackRejection::Invalid)
    }
}

/// A router that accepts Kaleyra's callbacks (`GET` and `POST`) and calls
/// `handler` with each event, in order, before answering `200 OK`.
///
/// Any other method (`HEAD`, `PUT`, `OPTIONS`...) is answered as a path that
/// does not exist is (`404 Not Found`, empty, no `Allow`), whether the
/// secret is right or not. At most
/// [`Callback::MAX_IN_FLIGHT`] requests are handled at once; one more gets
/// `503 Service Unavailable`. (See the [module](self) for every limit.)
///
/// With a [`CallbackSecret`] it serves `{path}/{secret}`: give Kaleyra
/// [`CallbackSecret::callback_url`] of the public URL of `path`. With
/// [`CallbackAuth::allow_unauthenticated`] it serves `path` itself.
///
/// When `auth` requires a bearer token ([`CallbackAuth::and_bearer`]), the
/// router also serves the [`CallbackTokens`] auth URL at its own path: give
/// Kaleyra's callback profile its public URL, the client id and secret.
///
/// Kaleyra delivers at least once, so the same event can come again: drop
/// repeats by [`Event::idempotency_key`].
///
/// # Panics
///
/// As axum's `Router::route` does, when the token path is the callback
/// route itself (only possible without a URL secret).
pub fn callback_router<H, F>(path: &str, auth: impl Into<CallbackAuth>, handler: H) -> Router
where
    H: Fn(Event) -> F + Clone + Send + Sync + 'static,
    F: Future<Output = ()> + Send + 'static,
{
    let auth = auth.into();
    let route = match auth.secret {
        // The segment is matched by the extractor, in constant time, not by
        // the router; the parameter's name is what `MatchedPath` shows.
        Some(_) => format!("{}/{{secret}}", path.trim_end_matches('/')),
        None => path.to_owned(),
    };
    // Every method reaches this one handler, which answers any but GET and
    // POST as a missing path does: a `MethodRouter` would answer 405 with
    // `Allow`, confirming the route exists.
    let receive = move |State(auth): State<CallbackAuth>, request: Request| {
        let handler = handler.clone();
        async move {
            if !matches!(*request.method(), Method::GET | Method::POST) {
                return CallbackRejection::NotFound.into_response();
            }
            let events = match Callback::from_request(request, &auth).await {
                Ok(Callback(events)) => events,
                Err(rejection) => return rejection.into_response(),
            };
            for event in events {
                handler(event).await;
            }
            StatusCode::OK.into_response()
        }
    };
    // One semaphore for the route (a plain `ConcurrencyLimitLayer` is one
    // per handler), and no queue: a request over the limit is shed at once
    // rather than held open.
    let bounded = ServiceBuilder::new()
        .layer(HandleErrorLayer::new(overloaded))
        .load_shed()
        .layer(GlobalConcurrencyLimitLayer::new(Callback::MAX_IN_FLIGHT));
    let tokens = auth.tokens().map(CallbackTokens::router);
    let callbacks = Router::new()
        .route(&route, axum::routing::any(receive))
        .route_layer(bounded)
        .with_state(auth);
    match tokens {
        Some(tokens) => callbacks.merge(tokens),
        None => callbacks,
    }
}

/// The answer to a request over [`Callback::MAX_IN_FLIGHT`] (the only error
/// the load-shedding layer gives).
async fn overloaded(_: tower::BoxError) -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        format!(
            "this receiver is handling {} callbacks already; post it again later",
            Callback::MAX_IN_FLIGHT
        ),
    )
        .into_response()
}
