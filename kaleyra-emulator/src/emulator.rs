//! Configuring, starting and stopping the emulator.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use kaleyra_definitions::{DefinitionError, TemplateSet, limits};
use kaleyra_runtime::{Api, Client, ClientBuilder};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::account::{Account, same_number, with_plus};
use crate::account_events::{AccountEvent, EventError};
use crate::callback_profile::{AdvancedAuth, CallbackProfile};
use crate::callbacks::Poster;
use crate::connection::{ResetHandle, ResettableListener};
use crate::customer::{CustomerMessage, ReportedStatus, StatusError, TapError, WriteError};
use crate::faults::{ActiveFault, FaultError, FaultRule, Faults};
use crate::ids::Ids;
use crate::message::{CallbackOutcome, StoredMessage};
use crate::requests::RefusedRequest;
use crate::server::router;
use crate::state::Shared;
use crate::store::Store;
use crate::written::WrittenMessage;

/// The account SID unless [`EmulatorBuilder::sid`] sets one.
pub const DEFAULT_SID: &str = "HXEMULATOR00001";
/// The API key unless [`EmulatorBuilder::api_key`] sets one.
pub const DEFAULT_API_KEY: &str = "emulator-secret-key-0001";
/// The business number bound to v1 unless [`EmulatorBuilder::v1_number`] sets one.
pub const DEFAULT_V1_NUMBER: &str = "+912025550100";
/// The business number bound to v2 unless [`EmulatorBuilder::v2_number`] sets one.
pub const DEFAULT_V2_NUMBER: &str = "+912025550101";
/// The time between a message's status callbacks unless
/// [`EmulatorBuilder::callback_delay`] sets one.
pub const DEFAULT_CALLBACK_DELAY: Duration = Duration::from_millis(50);

/// An emulated Kaleyra account with its templates and stored messages.
///
/// Make one with [`Emulator::builder`]. [`EmulatorBuilder::start`] serves it
/// on a port; [`Emulator::router`] gives its routes to serve some other way.
/// Clones share the same account and messages.
#[derive(Clone)]
pub struct Emulator {
    shared: Arc<Shared>,
}

impl fmt::Debug for Emulator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Emulator")
            .field("account", &self.shared.account)
            .field("templates", &self.shared.templates.len())
            .finish_non_exhaustive()
    }
}

impl Emulator {
    /// Starts configuring an emulator: the default account, no templates,
    /// loopback, a free port.
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), kaleyra_emulator::StartError> {
    /// let emulator = kaleyra_emulator::Emulator::builder()
    ///     .templates_dir("templates")
    ///     .start()
    ///     .await?;
    /// assert!(emulator.base_url().starts_with("http://127.0.0.1:"));
    /// # Ok(()) }
    /// ```
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder::default()
    }

    /// The emulator's routes, for serving it on a listener of your own.
    pub fn router(&self) -> axum::Router {
        router(Arc::clone(&self.shared))
    }

    /// The account SID.
    pub fn sid(&self) -> &str {
        &self.shared.account.sid
    }

    /// The API key requests must send in the `api-key` header.
    pub fn api_key(&self) -> &str {
        &self.shared.account.api_key
    }

    /// The business number bound to v1 (E.164 with `+`).
    pub fn v1_number(&self) -> &str {
        &self.shared.account.v1_number
    }

    /// The business number bound to v2 (E.164 with `+`).
    pub fn v2_number(&self) -> &str {
        &self.shared.account.v2_number
    }

    /// The approved templates requests are checked against.
    pub fn templates(&self) -> &TemplateSet {
        &self.shared.templates
    }

    /// Every stored message, newest first.
    pub fn messages(&self) -> Vec<StoredMessage> {
        self.shared.store.all()
    }

    /// The stored message with id `id` (a v1 `message_id` or a v2 `wamid`).
    pub fn message(&self, id: &str) -> Option<StoredMessage> {
        self.shared.store.get(id)
    }

    /// Forgets every stored message; their remaining status callbacks are not posted.
    pub fn clear(&self) {
        self.shared.store.clear();
    }

    /// The refused requests kept (the last 1,000), newest first: the code,
    /// every field's reason and the request, with the API key redacted.
    pub fn refused(&self) -> Vec<RefusedRequest> {
        self.shared.store.refused()
    }

    /// Simulates the customer tapping button `index` (a quick reply, or a
    /// reply button) of the message with id `id`: the incoming message, in
    /// that message's API shape, is posted to its callback URL.
    pub async fn tap(&self, id: &str, index: u8) -> Result<CallbackOutcome, TapError> {
        crate::customer::tap(&self.shared, id, index).await
    }

    /// Simulates `customer` writing `message` to a business number: the
    /// incoming message, in that number's API shape, is posted to the
    /// Incoming URL ([`EmulatorBuilder::incoming_url`]), else to the callback
    /// URL of the newest message the number sent the customer, and kept
    /// ([`Emulator::written`]).
    ///
    /// ```
    /// use kaleyra_emulator::{CustomerContent, CustomerMessage, Emulator, WriteError};
    /// # #[tokio::main] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let emulator = Emulator::builder().start().await?;
    /// let hello = CustomerMessage::new(CustomerContent::Location {
    ///     latitude: 19.076,
    ///     longitude: 72.8777,
    ///     name: Some("Home".into()),
    ///     address: None,
    /// })
    /// .to(emulator.v1_number());
    /// // Kaleyra's v1 fields do not show a location, so it is refused there.
    /// let refused = emulator.write_as_customer("+919876543210", hello).await;
    /// assert!(matches!(refused, Err(WriteError::NotOnV1 { .. })));
    /// # Ok(()) }
    /// ```
    pub async fn write_as_customer(
        &self,
        customer: &str,
        message: CustomerMessage,
    ) -> Result<WrittenMessage, WriteError> {
        crate::customer::write(&self.shared, customer, message).await
    }

    /// The messages simulated customers wrote, newest first.
    pub fn written(&self) -> Vec<WrittenMessage> {
        self.shared.store.written(None)
    }

    /// Reports `status` for the message with id `id`, as the customer's
    /// phone would make it: `delivered`, `read`, `failed` with Meta's code,
    /// or `deleted` (v2). The stored status becomes it, its callback is
    /// posted, and after `failed` or `deleted` nothing more is reported.
    pub async fn report_status(
        &self,
        id: &str,
        status: &ReportedStatus,
    ) -> Result<CallbackOutcome, StatusError> {
        crate::customer::report_status(&self.shared, id, status).await
    }

    /// Posts an event of the account (a template's status, category,
    /// quality or components, or the number's quality) to `url`, or, when
    /// `url` is `None`, to the template status URL
    /// ([`EmulatorBuilder::template_status_url`]), as Kaleyra's callback
    /// profile passes Meta's webhook on: `{"meta_object": {"field",
    /// "value"}}`. `POST /emulator/events` does the same.
    ///
    /// A value the runtime would not read as one it knows (a status, a
    /// category, a rating, a limit, a button type), a template the account
    /// does not list (without a `template_id`), or a URL the emulator does
    /// not post to is refused, naming the field.
    ///
    /// ```
    /// use kaleyra_emulator::{AccountEvent, CallbackOutcome, Emulator, TemplateQualityEvent};
    /// # #[tokio::main] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let emulator = Emulator::builder().start().await?;
    /// let event = AccountEvent::TemplateQuality(TemplateQualityEvent {
    ///     template: "order_update".into(),
    ///     language: "en".into(),
    ///     template_id: Some("594425479261596".into()),
    ///     previous_quality_score: Some("GREEN".into()),
    ///     new_quality_score: "PURPLE".into(),
    /// });
    /// let refused = emulator.post_event(Some("http://127.0.0.1:9/hook"), &event).await;
    /// assert_eq!(refused.unwrap_err().field, "new_quality_score");
    /// # Ok(()) }
    /// ```
    pub async fn post_event(
        &self,
        url: Option<&str>,
        event: &AccountEvent,
    ) -> Result<CallbackOutcome, EventError> {
        crate::account_events::post(&self.shared, url, event)
            .await
            .map(|(_, outcome)| outcome)
    }

    /// Sets a fault: the requests `rule` matches fail as it says (a Kaleyra
    /// error, a held answer, a reset connection, or a `failed` status
    /// later), as `POST /emulator/faults` does. Answers the rule with its
    /// id; a rule that is not usable is refused, naming the field.
    ///
    /// Faults apply only to requests the emulator would accept (a request it
    /// refuses uses none up). A Kaleyra code not in
    /// `kaleyra_definitions::codes`, and `WAV2101` (no documented status),
    /// need an explicit HTTP status; a Meta code not in
    /// `kaleyra_definitions::failures` needs a title; a random rule needs
    /// a seed. See [`FaultRule`] and the crate's README.
    ///
    /// ```
    /// use kaleyra_emulator::{Emulator, FaultAction, FaultRule};
    /// use kaleyra_runtime::{Api, Error, Text};
    /// # #[tokio::main] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let emulator = Emulator::builder().start().await?;
    /// emulator.add_fault(FaultRule::next(1, FaultAction::error("E110")))?;
    /// let client = emulator.client(Api::V1)?;
    /// let refused = client.send(&Text::new("Hello"), "+919876543210").await;
    /// assert!(matches!(refused, Err(Error::Api { status: 400, .. })));
    /// assert!(client.send(&Text::new("Hello"), "+919876543210").await.is_ok());
    /// # Ok(()) }
    /// ```
    pub fn add_fault(&self, rule: FaultRule) -> Result<ActiveFault, FaultError> {
        self.shared.faults.add(rule, &self.shared.templates)
    }

    /// The fault rules set, in the order set, with what is left of each.
    pub fn faults(&self) -> Vec<ActiveFault> {
        self.shared.faults.list()
    }

    /// Removes every fault rule.
    pub fn clear_faults(&self) {
        self.shared.faults.clear();
    }

    /// Moves the clock the template rules read on by `by`: the review delay,
    /// the edit windows of an approved template (once in 24 hours, 10 times
    /// in 30 days) and the hourly creation and edit limits, so a test can
    /// reach the end of a window without waiting for it. Nothing else reads
    /// it (message timestamps and offer expiries keep the machine's clock),
    /// and it only moves forward. `POST /emulator/template-clock` with
    /// `{"advance_secs": N}` does the same.
    pub fn advance_template_clock(&self, by: Duration) {
        self.shared.template_store.advance_clock(by);
    }
}

/// Configures an [`Emulator`]; see [`Emulator::builder`].
#[derive(Clone)]
pub struct EmulatorBuilder {
    templates_dir: Option<PathBuf>,
    sid: String,
    api_key: String,
    v1_number: String,
    v2_number: String,
    host: IpAddr,
    port: u16,
    callback_delay: Duration,
    seed: Option<u64>,
    template_review_delay: Duration,
    template_rejections: Vec<(String, String)>,
    template_status_url: Option<String>,
    incoming_url: Option<String>,
    callback_profile: CallbackProfile,
}

impl Default for EmulatorBuilder {
    fn default() -> Self {
        EmulatorBuilder {
            templates_dir: None,
            sid: DEFAULT_SID.to_owned(),
            api_key: DEFAULT_API_KEY.to_owned(),
            v1_number: DEFAULT_V1_NUMBER.to_owned(),
            v2_number: DEFAULT_V2_NUMBER.to_owned(),
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            callback_delay: DEFAULT_CALLBACK_DELAY,
            seed: None,
            template_review_delay: crate::template_store::DEFAULT_TEMPLATE_REVIEW_DELAY,
            template_rejections: Vec::new(),
            template_status_url: None,
            incoming_url: None,
            callback_profile: CallbackProfile::default(),
        }
    }
}

impl fmt::Debug for EmulatorBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EmulatorBuilder")
            .field("templates_dir", &self.templates_dir)
            .field("sid", &self.sid)
            .field("api_key", &"[redacted]")
            .field("v1_number", &self.v1_number)
            .field("v2_number", &self.v2_number)
            .field("host", &self.host)
            .field("port", &self.port)
            .field("callback_delay", &self.callback_delay)
            .field("seed", &self.seed)
            .field("template_review_delay", &self.template_review_delay)
            .field("template_rejections", &self.template_rejections)
            .field("template_status_url", &self.template_status_url)
            .field("incoming_url", &self.incoming_url)
            .field("callback_profile", &self.callback_profile)
            .finish()
    }
}

impl EmulatorBuilder {
    /// Loads every template definition in `dir` (every `*.json` but
    /// `schema.json`); a broken one makes [`EmulatorBuilder::build`] fail,
    /// naming the file. Without it, no template is approved.
    pub fn templates_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.templates_dir = Some(dir.into());
        self
    }

    /// The account SID (letters and digits); [`DEFAULT_SID`] unless set.
    pub fn sid(mut self, sid: impl Into<String>) -> Self {
        self.sid = sid.into();
        self
    }

    /// The API key; [`DEFAULT_API_KEY`] unless set.
    pub fn api_key(mut self, api_key: impl Into<String>) -> Self {
        self.api_key = api_key.into();
        self
    }

    /// The business number bound to v1; [`DEFAULT_V1_NUMBER`] unless set.
    pub fn v1_number(mut self, number: impl Into<String>) -> Self {
        self.v1_number = number.into();
        self
    }

    /// The business number bound to v2; [`DEFAULT_V2_NUMBER`] unless set.
    pub fn v2_number(mut self, number: impl Into<String>) -> Self {
        self.v2_number = number.into();
        self
    }

    /// The address to listen on; loopback (`127.0.0.1`) unless set.
    pub fn host(mut self, host: IpAddr) -> Self {
        self.host = host;
        self
    }

    /// The port to listen on; `0` (any free port) unless set.
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// The time before each status callback; [`DEFAULT_CALLBACK_DELAY`] unless set.
    pub fn callback_delay(mut self, delay: Duration) -> Self {
        self.callback_delay = delay;
        self
    }

    /// Draws message ids (v1 request UUIDs, v2 `wamid`s) from `seed`
    /// instead of at random, so the same requests in the same order get the
    /// same ids on every run. Concurrent requests may take them in another
    /// order.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = Some(seed);
        self
    }

    /// How long a template created or edited through the API stays
    /// `PENDING` before its review's outcome (`APPROVED`, or `REJECTED` with
    /// a reason); [`crate::DEFAULT_TEMPLATE_REVIEW_DELAY`] unless set.
    pub fn template_review_delay(mut self, delay: Duration) -> Self {
        self.template_review_delay = delay;
        self
    }

    /// Rejects a template named `name` at review with `reason` (as Meta's
    /// `rejected_reason`), whatever its content: a rule the test gives, on
    /// top of the review of [`kaleyra_definitions::review`].
    pub fn reject_template(mut self, name: impl Into<String>, reason: impl Into<String>) -> Self {
        self.template_rejections.push((name.into(), reason.into()));
        self
    }

    /// Posts each review outcome of a template created or edited through the
    /// API to `url` (plain http on loopback), as Kaleyra's template-status
    /// callback: JSON `{id, time, event, message_template_id,
    /// message_template_name, message_template_language, reason}`, `event`
    /// `APPROVED` or `REJECTED`. Kaleyra sets this URL on a callback
    /// profile; without it nothing is posted. With a
    /// [`templates_dir`](Self::templates_dir), a template file whose `status`
    /// changes (as `kaleyra templates pull` writes it) is posted here too, as
    /// Meta's `message_template_status_update`.
    pub fn template_status_url(mut self, url: impl Into<String>) -> Self {
        self.template_status_url = Some(url.into());
        self
    }

    /// Posts the messages simulated customers write
    /// ([`Emulator::write_as_customer`]) here (plain http on loopback), as
    /// Kaleyra posts incoming messages to a number's Incoming URL. Without
    /// it, they go to the callback URL of the newest message the business
    /// number sent that customer.
    pub fn incoming_url(mut self, url: impl Into<String>) -> Self {
        self.incoming_url = Some(url.into());
        self
    }

    /// Sends the header `name: value` on every callback (statuses, taps,
    /// template statuses), as a callback profile's custom headers do; call
    /// again for more. The value is never shown (not in `Debug`, logs or
    /// the inbox).
    pub fn callback_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.callback_profile
            .headers
            .push((name.into(), value.into().into()));
        self
    }

    /// Sends `Authorization: Basic base64(user:password)` (RFC 7617) on
    /// every callback, as a callback profile's Basic authentication. Not
    /// with [`EmulatorBuilder::callback_advanced_auth`]: a callback has one
    /// `Authorization` header.
    pub fn callback_basic_auth(
        mut self,
        user: impl Into<String>,
        password: impl Into<String>,
    ) -> Self {
        self.callback_profile.basic = Some((user.into(), password.into().into()));
        self
    }

    /// A callback profile's advanced authentication: before posting a
    /// callback, fetches a token from `auth`'s URL and sends
    /// `Authorization: Bearer <access_token>`. The token answer is read as
    /// Kaleyra documents it (an Azure AD v1 answer, its numbers strings); the
    /// token is kept until its `expires_in` passes, and fetched anew once
    /// when a callback is answered `401`. An unusable answer is the
    /// callback's failure, with the reason, in its record.
    pub fn callback_advanced_auth(mut self, auth: AdvancedAuth) -> Self {
        self.callback_profile.advanced = Some(auth);
        self
    }

    /// Checks the settings and loads the templates, without listening anywhere.
    pub fn build(self) -> Result<Emulator, StartError> {
        let invalid =
            |setting: &'static str, reason: String| StartError::Setting { setting, reason };
        if self.sid.is_empty() || !self.sid.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(invalid(
                "sid",
                format!(
                    "`{}` is not an account SID; use letters and digits only",
                    self.sid
                ),
            ));
        }
        if self.api_key.is_empty()
            || self
                .api_key
                .contains(|c: char| c.is_whitespace() || c.is_control())
        {
            return Err(invalid(
                "api_key",
                "is empty or contains whitespace, which an `api-key` header cannot carry"
                    .to_owned(),
            ));
        }
        for (setting, number) in [
            ("v1_number", &self.v1_number),
            ("v2_number", &self.v2_number),
        ] {
            if !limits::is_e164(number) {
                return Err(invalid(
                    setting,
                    format!("`{number}` is not an E.164 number such as +912025550100"),
                ));
            }
        }
        if same_number(&self.v1_number, &self.v2_number) {
            return Err(invalid(
                "v2_number",
                "is the v1 number; a business number is bound to one API version".to_owned(),
            ));
        }
        if let Some(reason) = self
            .template_status_url
            .as_deref()
            .and_then(crate::loopback::refusal)
        {
            return Err(invalid("template_status_url", reason));
        }
        if let Some(reason) = self
            .incoming_url
            .as_deref()
            .and_then(crate::loopback::refusal)
        {
            return Err(invalid("incoming_url", reason));
        }
        let templates = match &self.templates_dir {
            Some(dir) => TemplateSet::load_dir(dir).map_err(|errors| StartError::Templates {
                dir: dir.clone(),
                errors,
            })?,
            None => TemplateSet::default(),
        };
        let authenticator = self
            .callback_profile
            .checked()
            .map_err(|(setting, reason)| invalid(setting, reason))?;
        let poster =
            Poster::new(authenticator).map_err(|error| StartError::Http(error.to_string()))?;
        Ok(Emulator {
            shared: Arc::new(Shared {
                account: Account {
                    sid: self.sid,
                    api_key: self.api_key,
                    v1_number: with_plus(&self.v1_number),
                    v2_number: with_plus(&self.v2_number),
                },
                templates,
                templates_dir: self.templates_dir,
                store: Store::default(),
                template_store: crate::template_store::TemplateStore::new(
                    self.template_review_delay,
                    self.template_rejections,
                    self.template_status_url,
                ),
                uploads: Default::default(),
                faults: Faults::default(),
                ids: Ids::new(self.seed),
                poster,
                incoming_url: self.incoming_url,
                callback_delay: self.callback_delay,
                stopping: CancellationToken::new(),
            }),
        })
    }

    /// Builds the emulator and serves it on the configured host and port.
    pub async fn start(self) -> Result<RunningEmulator, StartError> {
        let address = SocketAddr::new(self.host, self.port);
        let emulator = self.build()?;
        let listener = tokio::net::TcpListener::bind(address)
            .await
            .map_err(|source| StartError::Bind { address, source })?;
        let local = listener
            .local_addr()
            .map_err(|source| StartError::Bind { address, source })?;
        let stopping = emulator.shared.stopping.clone();
        // Each request knows its connection, which a `reset` fault breaks off.
        let app = emulator
            .router()
            .into_make_service_with_connect_info::<ResetHandle>();
        let server = tokio::spawn(async move {
            let served = axum::serve(ResettableListener(listener), app)
                .with_graceful_shutdown(stopping.cancelled_owned())
                .await;
            if let Err(error) = served {
                tracing::error!(%error, "the emulator's server stopped");
            }
        });
        // Stops with the server, on the same token.
        tokio::spawn(crate::template_watch::watch(Arc::clone(&emulator.shared)));
        let running = RunningEmulator {
            emulator,
            address: local,
            server: Some(server),
        };
        running
            .emulator
            .shared
            .uploads
            .set_base_url(running.base_url());
        Ok(running)
    }
}

/// An emulator serving on a port. Dropping it stops the server (gracefully:
/// requests under way are answered) and the status callbacks not yet posted.
#[derive(Debug)]
pub struct RunningEmulator {
    emulator: Emulator,
    address: SocketAddr,
    server: Option<JoinHandle<()>>,
}

impl RunningEmulator {
    /// Where the API is: `http://127.0.0.1:PORT`. Give it to the client as its base URL.
    pub fn base_url(&self) -> String {
        // A wildcard address is reachable on loopback, which is what a local
        // client should use.
        let host = match self.address.ip() {
            IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
            ip => ip,
        };
        format!("http://{}", SocketAddr::new(host, self.address.port()))
    }

    /// A [`ClientBuilder`] set up for this emulator: its base URL, SID, API
    /// key, and the business number bound to `api`. Add timeouts, retries or
    /// another sender before `build()`.
    pub fn client_builder(&self, api: Api) -> ClientBuilder {
        let from = match api {
            Api::V1 => self.v1_number(),
            Api::V2(_) => self.v2_number(),
        };
        Client::builder()
            .sid(self.sid())
            .api_key(self.api_key())
            .from(from)
            .api(api)
            .base_url(self.base_url())
    }

    /// A client that sends to this emulator on `api`, from the business
    /// number bound to it.
    ///
    /// ```
    /// use kaleyra_emulator::Emulator;
    /// use kaleyra_runtime::{Api, Text};
    /// # #[tokio::main] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let emulator = Emulator::builder().start().await?;
    /// let client = emulator.client(Api::V1)?;
    /// client.send(&Text::new("Hello"), "+919876543210").await?;
    /// assert_eq!(emulator.messages().len(), 1);
    /// # Ok(()) }
    /// ```
    pub fn client(&self, api: Api) -> Result<Client, kaleyra_runtime::Error> {
        self.client_builder(api).build()
    }

    /// The inbox page: `http://127.0.0.1:PORT/`.
    pub fn inbox_url(&self) -> String {
        format!("{}/", self.base_url())
    }

    /// The address the server listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.address
    }

    /// The emulator being served.
    pub fn emulator(&self) -> &Emulator {
        &self.emulator
    }

    /// The account SID.
    pub fn sid(&self) -> &str {
        self.emulator.sid()
    }

    /// The API key requests must send in the `api-key` header.
    pub fn api_key(&self) -> &str {
        self.emulator.api_key()
    }

    /// The business number bound to v1.
    pub fn v1_number(&self) -> &str {
        self.emulator.v1_number()
    }

    /// The business number bound to v2.
    pub fn v2_number(&self) -> &str {
        self.emulator.v2_number()
    }

    /// Every stored message, newest first.
    pub fn messages(&self) -> Vec<StoredMessage> {
        self.emulator.messages()
    }

    /// The stored message with id `id`.
    pub fn message(&self, id: &str) -> Option<StoredMessage> {
        self.emulator.message(id)
    }

    /// Forgets every stored message.
    pub fn clear(&self) {
        self.emulator.clear();
    }

    /// The refused requests kept, newest first; see [`Emulator::refused`].
    pub fn refused(&self) -> Vec<RefusedRequest> {
        self.emulator.refused()
    }

    /// Simulates the customer tapping a button; see [`Emulator::tap`].
    pub async fn tap(&self, id: &str, index: u8) -> Result<CallbackOutcome, TapError> {
        self.emulator.tap(id, index).await
    }

    /// Simulates a customer writing; see [`Emulator::write_as_customer`].
    pub async fn write_as_customer(
        &self,
        customer: &str,
        message: CustomerMessage,
    ) -> Result<WrittenMessage, WriteError> {
        self.emulator.write_as_customer(customer, message).await
    }

    /// The messages simulated customers wrote; see [`Emulator::written`].
    pub fn written(&self) -> Vec<WrittenMessage> {
        self.emulator.written()
    }

    /// Reports a status on demand; see [`Emulator::report_status`].
    pub async fn report_status(
        &self,
        id: &str,
        status: &ReportedStatus,
    ) -> Result<CallbackOutcome, StatusError> {
        self.emulator.report_status(id, status).await
    }

    /// Posts an event of the account; see [`Emulator::post_event`].
    pub async fn post_event(
        &self,
        url: Option<&str>,
        event: &AccountEvent,
    ) -> Result<CallbackOutcome, EventError> {
        self.emulator.post_event(url, event).await
    }

    /// Sets a fault; see [`Emulator::add_fault`].
    pub fn add_fault(&self, rule: FaultRule) -> Result<ActiveFault, FaultError> {
        self.emulator.add_fault(rule)
    }

    /// The fault rules set; see [`Emulator::faults`].
    pub fn faults(&self) -> Vec<ActiveFault> {
        self.emulator.faults()
    }

    /// Removes every fault rule.
    pub fn clear_faults(&self) {
        self.emulator.clear_faults();
    }

    /// Stops the server and waits until it has finished answering the
    /// requests under way.
    pub async fn shutdown(mut self) {
        self.emulator.shared.stopping.cancel();
        if let Some(server) = self.server.take() {
            // The server task only ends by itself; a join error would mean it
            // panicked, which it has already reported.
            let _ = server.await;
        }
    }
}

impl Drop for RunningEmulator {
    fn drop(&mut self) {
        self.emulator.shared.stopping.cancel();
    }
}

/// Why the emulator could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StartError {
    /// A template definition is broken; each error names its file.
    #[error("cannot load the templates in `{}`:\n{}", dir.display(), describe(errors))]
    Templates {
        /// The templates directory.
        dir: PathBuf,
        /// Every broken file's problems.
        errors: Vec<DefinitionError>,
    },
    /// A setting is not usable.
    #[error("invalid {setting}: {reason}")]
    Setting {
        /// The builder setting at fault, such as `v1_number`.
        setting: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// The address could not be listened on.
    #[error("cannot listen on {address}: {source}")]
    Bind {
        /// The address asked for.
        address: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// The HTTP client that posts callbacks could not be made.
    #[error("cannot make the callback HTTP client: {0}")]
    Http(String),
}

fn describe(errors: &[DefinitionError]) -> String {
    let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
    lines.join("\n")
}
