//! The client: account settings, API version, and the entry points to prepare
//! and send messages.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use futures_util::stream::{FuturesUnordered, StreamExt};

use kaleyra_definitions::limits;
use secrecy::{ExposeSecret, SecretString};
use url::Url;

use crate::api::{Api, Pod};
use crate::endpoint::Endpoint;
use crate::error::Error;
use crate::message::Message;
use crate::receipt::Receipt;
use crate::recipients::Recipients;
use crate::request::PreparedRequest;
use crate::retry::RetryPolicy;
use crate::transport::Transport;

/// Sends WhatsApp messages through one Kaleyra account and business number.
///
/// `Client` is cheap to clone (the clones share one connection pool) and can
/// be shared between tasks. Its `Debug` never shows the API key.
///
/// ```
/// use kaleyra_runtime::{Api, Client, Text};
///
/// let client = Client::builder()
///     .sid("HXAP16XXXXXX97IN")
///     .api_key("Axxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx3")
///     .from("+912025550100")
///     .api(Api::V1)
///     .build()?;
/// let request = client.prepare(&Text::new("Your order has shipped"), "+919876543210")?;
/// assert_eq!(request.url().as_str(), "https://api.kaleyra.io/v1/HXAP16XXXXXX97IN/messages");
/// assert!(!format!("{client:?}").contains("Axxxx"));
/// # Ok::<(), kaleyra_runtime::Error>(())
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<ClientInner>,
}

struct ClientInner {
    sid: String,
    base_url: Url,
    endpoint: Endpoint,
    transport: Transport,
    retry: RetryPolicy,
    max_in_flight: usize,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("sid", &self.inner.sid)
            .field("api_key", &"[redacted]")
            .field("from", &self.inner.endpoint.from)
            .field("api", &self.inner.endpoint.api)
            .field("base_url", &self.inner.base_url.as_str())
            .field("retry", &self.inner.retry)
            .field("max_in_flight", &self.inner.max_in_flight)
            .finish()
    }
}

impl Client {
    /// The default time allowed to connect to Kaleyra.
    pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
    /// The default time allowed for a whole request, answer included.
    pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
    /// The default cap on the size of an answer read from Kaleyra.
    pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 1024 * 1024;
    /// The default number of requests one send (to several v2 recipients) or one
    /// [`Client::send_many`] keeps in flight at once.
    pub const DEFAULT_MAX_IN_FLIGHT: usize = 16;
    /// The most recipients one v1 batch request names: this crate's cap, since
    /// Kaleyra documents none; [`SendMany::v1_batch_size`](crate::bulk::SendMany::v1_batch_size)
    /// clamps to it.
    pub const MAX_V1_BATCH_SIZE: usize = 1000;

    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from the environment:
    ///
    /// | variable | meaning | required |
    /// |---|---|---|
    /// | `KALEYRA_SID` | account SID | yes |
    /// | `KALEYRA_API_KEY` | API key | yes |
    /// | `KALEYRA_FROM` | business number, E.164 | yes |
    /// | `KALEYRA_API` | `v1` or `v2` | no, `v1` |
    /// | `KALEYRA_POD` | `in`, `sg` or `eu` (v2) | no, `in` |
    /// | `KALEYRA_BASE_URL` | host override | no |
    ///
    /// Errors name the variable at fault.
    pub fn from_env() -> Result<Client, Error> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// [`Client::from_env`] with the variables read through `lookup`, so the
    /// configuration can come from anywhere (and be tested without the environment).
    ///
    /// Every required variable that is not set is named in one error (its
    /// field is the first), so a new setup is fixed in one go.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Client, Error> {
        let [sid, api_key, from] = ["KALEYRA_SID", "KALEYRA_API_KEY", "KALEYRA_FROM"]
            .map(|name| (name, lookup(name).filter(|value| !value.is_empty())));
        let missing = [&sid, &api_key, &from]
            .into_iter()
            .filter(|(_, value)| value.is_none())
            .map(|(name, _)| *name)
            .collect::<Vec<_>>();
        if let [first, others @ ..] = missing.as_slice() {
            let reason = match others {
                [] => "is not set".to_owned(),
                [other] => format!("is not set, nor is {other}"),
                [.., last] => format!(
                    "is not set, nor are {} and {last}",
                    others[..others.len() - 1].join(", ")
                ),
            };
            return Err(Error::invalid(*first, reason));
        }
        let required = |(_, value): (&str, Option<String>)| value.unwrap_or_default();
        let pod = || match lookup("KALEYRA_POD")
            .as_deref()
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            None | Some("") | Some("in") => Ok(Pod::In),
            Some("sg") | Some("ap") => Ok(Pod::Sg),
            Some("eu") => Ok(Pod::Eu),
            Some(other) => Err(Error::invalid(
                "KALEYRA_POD",
                format!("`{other}` is not a pod; use `in`, `sg` or `eu`"),
            )),
        };
        let api = match lookup("KALEYRA_API")
            .as_deref()
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            None | Some("") | Some("v1") => Api::V1,
            Some("v2") => Api::V2(pod()?),
            Some(other) => {
                return Err(Error::invalid(
                    "KALEYRA_API",
                    format!("`{other}` is not an API version; use `v1` or `v2`"),
                ));
            }
        };
        let mut builder = Client::builder()
            .sid(required(sid))
            .api_key(required(api_key))
            .from(required(from))
            .api(api);
        if let Some(base_url) = lookup("KALEYRA_BASE_URL").filter(|url| !url.is_empty()) {
            builder = builder.base_url(base_url);
        }
        builder.build().map_err(|error| match error {
            Error::Invalid { field, reason } => Error::Invalid {
                field: format!("KALEYRA_{}", field.to_ascii_uppercase()),
                reason,
            },
            other => other,
        })
    }

    /// The API version and pod this client sends to.
    pub fn api(&self) -> Api {
        self.inner.endpoint.api
    }

    /// The business number messages are sent from.
    pub fn from_number(&self) -> &str {
        &self.inner.endpoint.from
    }

    /// The account SID.
    pub fn sid(&self) -> &str {
        &self.inner.sid
    }

    /// The host requests go to.
    pub fn base_url(&self) -> &Url {
        &self.inner.base_url
    }

    /// How many requests one send to several v2 recipients keeps in flight
    /// at once, and [`Client::send_many`]'s default concurrency; see
    /// [`ClientBuilder::max_in_flight`].
    pub fn max_in_flight(&self) -> usize {
        self.inner.max_in_flight
    }

    /// Builds the one HTTP request that sends `message` to `to`, exactly as it
    /// would be sent, without sending it.
    ///
    /// On v1, several recipients share one request (`to` joined with `,`). On
    /// v2, each recipient needs a request of its own, so several recipients are
    /// an error here: use [`Client::prepare_all`].
    pub fn prepare(
        &self,
        message: &impl Message,
        to: impl Recipients,
    ) -> Result<PreparedRequest, Error> {
        let recipients = crate::recipients::checked(to)?;
        crate::encode::prepare_one(&self.inner.endpoint, message.as_message(), recipients)
    }

    /// Builds every HTTP request that sends `message` to `to`: one on v1, one
    /// per recipient on v2. Nothing is sent.
    pub fn prepare_all(
        &self,
        message: &impl Message,
        to: impl Recipients,
    ) -> Result<Vec<PreparedRequest>, Error> {
        let recipients = crate::recipients::checked(to)?;
        crate::encode::prepare(&self.inner.endpoint, message.as_message(), recipients)
    }

    /// Sends `message` to `to` and returns Kaleyra's receipt.
    ///
    /// Every value is checked before anything is sent. On v1, several
    /// recipients go in one request; on v2, each gets a request of its own,
    /// sent concurrently (at most [`Client::max_in_flight`] at once), and the
    /// receipt has one message per recipient, in the order given. When
    /// any of several v2 requests fails, the error is
    /// [`Error::RecipientsFailed`], which holds each failure and the receipt of
    /// those that succeeded.
    pub async fn send(
        &self,
        message: &impl Message,
        to: impl Recipients,
    ) -> Result<Receipt, Error> {
        let outgoing = self.prepare_send(message, to)?;
        self.send_outgoing(&outgoing).await
    }

    /// The checks and requests of [`Client::send`], done before anything is
    /// awaited, so a caller can drop the message and recipients before sending.
    pub(crate) fn prepare_send(
        &self,
        message: &impl Message,
        to: impl Recipients,
    ) -> Result<Outgoing, Error> {
        let recipients = crate::recipients::checked(to)?;
        let message = message.as_message();
        if self.inner.endpoint.api == Api::V1 || recipients.len() == 1 {
            let request = crate::encode::prepare_one(&self.inner.endpoint, message, recipients)?;
            return Ok(Outgoing::One(request));
        }
        let requests = crate::encode::prepare(&self.inner.endpoint, message, recipients)?;
        Ok(Outgoing::Several(requests))
    }

    /// Sends what [`Client::prepare_send`] built, as [`Client::send`] does.
    pub(crate) async fn send_outgoing(&self, outgoing: &Outgoing) -> Result<Receipt, Error> {
        match outgoing {
            Outgoing::One(request) => self.send_prepared(request).await,
            // Boxed: inline, this rarer case's larger future would make
            // every one-request send's future as large.
            Outgoing::Several(requests) => Box::pin(self.send_prepared_all(requests)).await,
        }
    }

    /// Sends one request built by [`Client::prepare`] (by this client or one
    /// with the same API key).
    pub async fn send_prepared(&self, request: &PreparedRequest) -> Result<Receipt, Error> {
        crate::retry::send_with_policy(&self.inner.transport, &self.inner.retry, request).await
    }

    async fn send_prepared_all(&self, requests: &[PreparedRequest]) -> Result<Receipt, Error> {
        if let [request] = requests {
            return self.send_prepared(request).await;
        }
        let results = self.send_bounded(requests).await;
        let mut receipt = Receipt::default();
        let mut failures = Vec::new();
        for (request, result) in requests.iter().zip(results) {
            match result {
                Ok(sent) => receipt.merge(sent),
                Err(error) => failures.push(crate::error::RecipientFailure {
                    recipient: request.recipients().join(","),
                    error: Box::new(error),
                }),
            }
        }
        if failures.is_empty() {
            Ok(receipt)
        } else {
            Err(Error::RecipientsFailed { receipt, failures })
        }
    }
}

/// The requests one [`Client::send`] makes: one, or one per v2 recipient.
pub(crate) enum Outgoing {
    One(PreparedRequest),
    Several(Vec<PreparedRequest>),
}

impl Client {
    /// Where requests go and the headers they carry, for the modules that
    /// build requests other than sends (the template list).
    pub(crate) fn endpoint(&self) -> &Endpoint {
        &self.inner.endpoint
    }

    /// The HTTP exchange, with the client's timeouts and answer size cap.
    pub(crate) fn transport(&self) -> &Transport {
        &self.inner.transport
    }
}

impl Client {
    /// Sends each request, at most [`Client::max_in_flight`] at once, so a
    /// send to hundreds of recipients does not open hundreds of connections
    /// to Kaleyra at the same moment. The results keep the requests' order.
    async fn send_bounded(&self, requests: &[PreparedRequest]) -> Vec<Result<Receipt, Error>> {
        let mut results: Vec<Option<Result<Receipt, Error>>> = std::iter::repeat_with(|| None)
            .take(requests.len())
            .collect();
        let mut waiting = requests.iter().enumerate();
        let mut in_flight = FuturesUnordered::new();
        loop {
            while in_flight.len() < self.inner.max_in_flight {
                let Some((index, request)) = waiting.next() else {
                    break;
                };
                in_flight.push(async move { (index, self.send_prepared(request).await) });
            }
            match in_flight.next().await {
                Some((index, result)) => results[index] = Some(result),
                None => break,
            }
        }
        // Every request was pushed and every pushed future finished.
        results.into_iter().flatten().collect()
    }
}

/// Configures a [`Client`]; see [`Client::builder`].
#[derive(Default)]
pub struct ClientBuilder {
    sid: Option<String>,
    api_key: Option<SecretString>,
    from: Option<String>,
    api: Option<Api>,
    base_url: Option<String>,
    connect_timeout: Option<Duration>,
    request_timeout: Option<Duration>,
    max_response_bytes: Option<usize>,
    allow_insecure_http: bool,
    retry: RetryPolicy,
    max_in_flight: Option<usize>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("sid", &self.sid)
            .field("api_key", &self.api_key.as_ref().map(|_| "[redacted]"))
            .field("from", &self.from)
            .field("api", &self.api)
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// The account SID (Security Identifier), such as `HXAP16XXXXXX97IN`.
    pub fn sid(mut self, sid: impl Into<String>) -> Self {
        self.sid = Some(sid.into());
        self
    }

    /// The API key. It is kept secret: no `Debug`, `Display`, error, log or
    /// printed request ever shows it.
    pub fn api_key(mut self, api_key: impl Into<String>) -> Self {
        self.api_key = Some(SecretString::from(api_key.into()));
        self
    }

    /// The WhatsApp business number messages are sent from, E.164 (`+912025550100`).
    ///
    /// v1 sends it as the `from` field; on v2 it is the number in the
    /// request's path (`/v2/{sid}/whatsapp/{from}/messages`), and the
    /// recipient goes in the body. (A decision: one Kaleyra page calls the
    /// path's number the customer's, but its `WA401` error, "does not belong
    /// to the account", only makes sense for the sender's.)
    pub fn from(mut self, number: impl Into<String>) -> Self {
        self.from = Some(number.into());
        self
    }

    /// The API generation the number is bound to; [`Api::V1`] unless set.
    pub fn api(mut self, api: Api) -> Self {
        self.api = Some(api);
        self
    }

    /// Sends to this host instead of Kaleyra's (a regional host, or the
    /// emulator). Plain `http://` is accepted for loopback hosts only, unless
    /// [`ClientBuilder::allow_insecure_http`] is set.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Allows a plain `http://` base URL on a host other than loopback, which
    /// sends the API key unencrypted.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// The time allowed to connect; [`Client::DEFAULT_CONNECT_TIMEOUT`] unless set.
    /// Zero is refused by [`ClientBuilder::build`]; a time too long to
    /// measure (such as `Duration::MAX`) means no limit.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// The time allowed for a whole request; [`Client::DEFAULT_REQUEST_TIMEOUT`] unless set.
    /// Zero is refused by [`ClientBuilder::build`]; a time too long to
    /// measure (such as `Duration::MAX`) means no limit.
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = Some(timeout);
        self
    }

    /// The largest answer read; [`Client::DEFAULT_MAX_RESPONSE_BYTES`] unless set.
    /// Zero is refused by [`ClientBuilder::build`].
    pub fn max_response_bytes(mut self, bytes: usize) -> Self {
        self.max_response_bytes = Some(bytes);
        self
    }

    /// How many requests one send may keep in flight at once: a send to
    /// several v2 recipients (one request each) sends at most this many
    /// concurrently, and it is [`Client::send_many`]'s default concurrency.
    /// [`Client::DEFAULT_MAX_IN_FLIGHT`] unless set; 0 is taken as 1.
    pub fn max_in_flight(mut self, requests: usize) -> Self {
        self.max_in_flight = Some(requests.max(1));
        self
    }

    /// When to retry a failed send; [`RetryPolicy::none`] unless set.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Checks the settings and builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let sid = self
            .sid
            .ok_or_else(|| Error::invalid("sid", "is not set"))?;
        if sid.is_empty() || !sid.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(Error::invalid(
                "sid",
                format!("`{sid}` is not an account SID; it has letters and digits only"),
            ));
        }
        let api_key = self
            .api_key
            .filter(|key| !key.expose_secret().is_empty())
            .ok_or_else(|| Error::invalid("api_key", "is not set"))?;
        if api_key
            .expose_secret()
            .contains(|c: char| c.is_whitespace() || c.is_control())
        {
            return Err(Error::invalid(
                "api_key",
                "contains whitespace; copy it again from Kaleyra",
            ));
        }
        let from = self
            .from
            .ok_or_else(|| Error::invalid("from", "is not set"))?;
        if !limits::is_e164(&from) {
            return Err(Error::invalid(
                "from",
                format!("`{from}` is not an E.164 number such as +912025550100"),
            ));
        }
        let api = self.api.unwrap_or(Api::V1);
        let base_url = self.base_url.as_deref().unwrap_or(api.default_base_url());
        let base_url = parse_base_url(base_url, self.allow_insecure_http)?;
        let endpoint = Endpoint::new(api, &base_url, &sid, from, api_key.expose_secret())?;
        let transport = Transport::new(
            positive(
                "connect_timeout",
                self.connect_timeout
                    .unwrap_or(Client::DEFAULT_CONNECT_TIMEOUT),
            )?,
            positive(
                "request_timeout",
                self.request_timeout
                    .unwrap_or(Client::DEFAULT_REQUEST_TIMEOUT),
            )?,
            match self
                .max_response_bytes
                .unwrap_or(Client::DEFAULT_MAX_RESPONSE_BYTES)
            {
                0 => {
                    return Err(Error::invalid(
                        "max_response_bytes",
                        "is 0, so no answer could be read; Kaleyra's answers take a few hundred bytes",
                    ));
                }
                bytes => bytes,
            },
        )?;
        Ok(Client {
            inner: Arc::new(ClientInner {
                sid,
                base_url,
                endpoint,
                transport,
                retry: self.retry,
                max_in_flight: self.max_in_flight.unwrap_or(Client::DEFAULT_MAX_IN_FLIGHT),
            }),
        })
    }
}

/// A timeout of zero would fail every request before it starts.
fn positive(field: &str, timeout: Duration) -> Result<Duration, Error> {
    if timeout.is_zero() {
        return Err(Error::invalid(
            field,
            "is zero, so every request would time out",
        ));
    }
    Ok(timeout)
}

fn parse_base_url(text: &str, allow_insecure_http: bool) -> Result<Url, Error> {
    let url = Url::parse(text)
        .map_err(|error| Error::invalid("base_url", format!("`{text}` is not a URL: {error}")))?;
    let loopback = match url.host() {
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    match url.scheme() {
        "https" => {}
        "http" if loopback || allow_insecure_http => {}
        "http" => {
            return Err(Error::invalid(
                "base_url",
                format!(
                    "`{text}` is plain http on a host that is not loopback, which would send the API key unencrypted; use https, or allow it with `allow_insecure_http(true)`"
                ),
            ));
        }
        other => {
            return Err(Error::invalid(
                "base_url",
                format!("`{text}` has scheme `{other}`; use https"),
            ));
        }
    }
    if url.query().is_some() || url.fragment().is_some() || url.cannot_be_a_base() {
        return Err(Error::invalid(
            "base_url",
            format!("`{text}` must be a host (and optional path) with no query or fragment"),
        ));
    }
    Ok(url)
}
