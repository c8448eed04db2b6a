//! What the emulator posts to a message's `callback_url`, under the one rule
//! every post obeys ([`crate::loopback`]): plain http to a loopback host,
//! never off this machine.
//!
//! [`Poster::post`] sends any [`CallbackBody`] under that rule and reports
//! what became of it; [`status_body`] builds the status callbacks in each
//! API's shape, and [`report_statuses`] runs a message through `sent`,
//! `delivered`, `read`. Other events (a customer's button tap) are one more
//! body builder over the same poster.

use std::borrow::Cow;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{AUTHORIZATION, CONTENT_TYPE};
use serde_json::{Map, Value, json};

use crate::account::digits;
use crate::callback_profile::Authenticator;
use crate::clock::unix_now;
use crate::faults::MetaFailure;
use crate::loopback::refusal;
use crate::message::{
    ApiVersion, CallbackOutcome, CallbackRecord, DeliveryStatus, Refs, StoredButton, StoredMessage,
};
use crate::store::Store;

/// How long a receiver has to answer one callback.
const POST_TIMEOUT: Duration = Duration::from_secs(5);

/// A callback's body, in the encoding its API uses.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum CallbackBody {
    /// v1: `application/x-www-form-urlencoded` fields.
    Form(Vec<(&'static str, String)>),
    /// v2: a JSON document.
    Json(Value),
}

impl CallbackBody {
    /// The body as posted, for the message's record of its callbacks.
    pub(crate) fn text(&self) -> String {
        match self {
            CallbackBody::Form(fields) => serde_urlencoded::to_string(fields).unwrap_or_default(),
            CallbackBody::Json(value) => value.to_string(),
        }
    }
}

/// Posts callbacks, to loopback hosts only, with the callback profile's
/// credentials.
#[derive(Debug, Clone)]
pub(crate) struct Poster {
    http: reqwest::Client,
    auth: Arc<Authenticator>,
}

impl Poster {
    pub(crate) fn new(auth: Authenticator) -> Result<Self, reqwest::Error> {
        let http = reqwest::Client::builder()
            // A proxy or a redirect could carry a post off the machine.
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            // `localhost` is never looked up: it is 127.0.0.1.
            .resolve(
                "localhost",
                SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 0),
            )
            .timeout(POST_TIMEOUT)
            .build()?;
        Ok(Poster {
            http,
            auth: Arc::new(auth),
        })
    }

    /// Posts `body` to `url` if it is plain http on a loopback host; refuses
    /// (and logs) anything else. With advanced authentication, a callback
    /// answered `401` is posted once more with a token fetched anew.
    pub(crate) async fn post(&self, url: &str, body: &CallbackBody) -> CallbackOutcome {
        if let Some(reason) = refusal(url) {
            tracing::warn!(url = %logged_url(url), %reason, "callback not posted");
            return CallbackOutcome::Refused { reason };
        }
        let mut outcome = self.post_once(url, body, false).await;
        if self.auth.uses_tokens()
            && matches!(outcome, CallbackOutcome::Posted { http_status: 401 })
        {
            tracing::debug!(url = %logged_url(url), "callback answered 401; fetching a new token");
            outcome = self.post_once(url, body, true).await;
        }
        outcome
    }

    /// One post of `body`, with a new token if `refresh`.
    async fn post_once(&self, url: &str, body: &CallbackBody, refresh: bool) -> CallbackOutcome {
        let request = match body {
            CallbackBody::Form(fields) => self
                .http
                .post(url)
                .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(serde_urlencoded::to_string(fields).unwrap_or_default()),
            CallbackBody::Json(value) => self
                .http
                .post(url)
                .header(CONTENT_TYPE, "application/json")
                .body(value.to_string()),
        };
        let mut request = self.auth.apply(request);
        match self.auth.bearer(&self.http, refresh).await {
            None => {}
            Some(Ok(token)) => request = request.header(AUTHORIZATION, token),
            Some(Err(reason)) => {
                let reason = format!("no token for the callback: {reason}");
                tracing::warn!(url = %logged_url(url), %reason, "callback not posted");
                return CallbackOutcome::Failed { reason };
            }
        }
        match request.send().await {
            Ok(response) => {
                let http_status = response.status().as_u16();
                tracing::debug!(url = %logged_url(url), http_status, "callback posted");
                CallbackOutcome::Posted { http_status }
            }
            Err(error) => {
                let reason = error.without_url().to_string();
                tracing::warn!(url = %logged_url(url), %reason, "callback failed");
                CallbackOutcome::Failed { reason }
            }
        }
    }
}

/// `url` as the emulator logs it: a last path segment that looks like a
/// callback secret (`kaleyra_runtime::callbacks::CallbackSecret`: 32 or more URL-safe
/// characters) is shown as `[redacted]`, so the log does not give away what
/// the application keeps secret.
fn logged_url(url: &str) -> Cow<'_, str> {
    let Ok(parsed) = url::Url::parse(url) else {
        return Cow::Borrowed(url);
    };
    let Some((prefix, last)) = parsed.path().rsplit_once('/') else {
        return Cow::Borrowed(url);
    };
    let secret_like = last.len() >= kaleyra_runtime::callbacks::CallbackSecret::MIN_CHARS
        && last
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !secret_like {
        return Cow::Borrowed(url);
    }
    let mut shown = format!(
        "{}{prefix}/[redacted]",
        &parsed[..url::Position::BeforePath]
    );
    if let Some(query) = parsed.query() {
        shown.push('?');
        shown.push_str(query);
    }
    Cow::Owned(shown)
}

/// Where Meta's error objects point, as its webhooks write `href`.
const META_ERROR_CODES_PAGE: &str =
    "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/";

/// The status callback for `message` reaching `status`, in its API's shape.
///
/// v1: form fields `id`, `status`, `mobile`, `timestamp`, and `ref`, `ref1`,
/// `ref2` when set. v2: `{"meta_object": {"field": "messages", "value":
/// {"messaging_product", "metadata": {"display_phone_number"}, "statuses":
/// [{"id", "status", "timestamp", "recipient_id"}]}}, "extra_info": {refs}}`.
///
/// A `failed` status carries Meta's error, `failure`: on v1
/// the profile fields `error` (the title) and `error_code`; on v2 Meta's
/// `errors: [{"code", "title", "message", "error_data": {"details"},
/// "href"}]`, as Meta's webhooks write it (Kaleyra's v2 pages show no failed
/// status, so Meta's shape is used as Kaleyra passes Meta's value on).
pub(crate) fn status_body(
    message: &StoredMessage,
    status: DeliveryStatus,
    failure: Option<&MetaFailure>,
    timestamp: u64,
) -> CallbackBody {
    match message.api {
        ApiVersion::V1 => {
            let mut fields = vec![
                ("id", message.id.clone()),
                ("status", status.as_str().to_owned()),
                ("mobile", digits(&message.to).to_owned()),
                ("timestamp", timestamp.to_string()),
            ];
            if let Some(failure) = failure {
                fields.push(("error", failure.title.clone()));
                fields.push(("error_code", failure.code.to_string()));
            }
            fields.extend(
                message
                    .refs
                    .iter()
                    .map(|(name, value)| (name, value.to_owned())),
            );
            CallbackBody::Form(fields)
        }
        ApiVersion::V2 => {
            let mut reported = json!({
                "id": message.id,
                "status": status.as_str(),
                "timestamp": timestamp.to_string(),
                "recipient_id": digits(&message.to),
            });
            if let Some(failure) = failure {
                reported["errors"] = json!([{
                    "code": failure.code,
                    "title": failure.title,
                    "message": failure.title,
                    "error_data": { "details": failure.details },
                    "href": META_ERROR_CODES_PAGE,
                }]);
            }
            CallbackBody::Json(json!({
                "meta_object": {
                    "field": "messages",
                    "value": {
                        "messaging_product": "whatsapp",
                        "metadata": { "display_phone_number": digits(&message.from) },
                        "statuses": [reported],
                    },
                },
                "extra_info": extra_info(&message.refs),
            }))
        }
    }
}

/// The customer's name in simulated customer messages.
pub(crate) const CUSTOMER_NAME: &str = "Emulated customer";

/// The incoming message a customer's tap on `button` of `message` makes,
/// with the new message's id `tap_id`.
///
/// v2 (Meta's webhook shape): a quick reply is `type: "button"` with
/// `button: {text, payload}` (the payload the message gave, else the label);
/// a reply button is `type: "interactive"` with `interactive.button_reply:
/// {id, title}`; both with `context: {from, id}` naming the tapped message.
/// v1 (an incoming message's fields): `from`, `name`, `body` (the label),
/// `type` (`button`, with `payload`; or `button_reply`, with `reply_id`),
/// `created_at`, `reply_to` and `wanumber`.
pub(crate) fn tap_body(
    message: &StoredMessage,
    button: &StoredButton,
    tap_id: &str,
    timestamp: u64,
) -> CallbackBody {
    let payload = button
        .payload
        .clone()
        .unwrap_or_else(|| button.text.clone());
    let reply_id = button.id.clone().unwrap_or_default();
    let is_reply = button.kind == kaleyra_definitions::ButtonType::Reply;
    match message.api {
        ApiVersion::V1 => {
            let mut fields = vec![
                ("from", digits(&message.to).to_owned()),
                ("name", CUSTOMER_NAME.to_owned()),
                ("body", button.text.clone()),
                ("created_at", timestamp.to_string()),
                ("reply_to", message.id.clone()),
                ("wanumber", digits(&message.from).to_owned()),
            ];
            if is_reply {
                fields.push(("type", "button_reply".to_owned()));
                fields.push(("reply_id", reply_id));
            } else {
                fields.push(("type", "button".to_owned()));
                fields.push(("payload", payload));
            }
            CallbackBody::Form(fields)
        }
        ApiVersion::V2 => {
            let mut incoming = json!({
                "from": digits(&message.to),
                "id": tap_id,
                "timestamp": timestamp.to_string(),
                "context": { "from": digits(&message.from), "id": message.id },
            });
            let (kind, content) = if is_reply {
                (
                    "interactive",
                    json!({"type": "button_reply", "button_reply": {"id": reply_id, "title": button.text}}),
                )
            } else {
                ("button", json!({"text": button.text, "payload": payload}))
            };
            incoming["type"] = json!(kind);
            incoming[kind] = content;
            CallbackBody::Json(json!({
                "meta_object": {
                    "field": "messages",
                    "value": {
                        "messaging_product": "whatsapp",
                        "metadata": { "display_phone_number": digits(&message.from) },
                        "contacts": [{ "profile": { "name": CUSTOMER_NAME }, "wa_id": digits(&message.to) }],
                        "messages": [incoming],
                    },
                },
            }))
        }
    }
}

fn extra_info(refs: &Refs) -> Value {
    let map: Map<String, Value> = refs
        .iter()
        .map(|(name, value)| (name.to_owned(), Value::String(value.to_owned())))
        .collect();
    Value::Object(map)
}

/// What a message whose request met a `fail_later` fault goes through.
const FAILING: [DeliveryStatus; 2] = [DeliveryStatus::Sent, DeliveryStatus::Failed];

/// Takes the message with id `id` through `sent`, `delivered` and `read`
/// (or `sent` and `failed`, when its request met a `fail_later` fault),
/// `delay` apart, updating its stored status and posting each status to its
/// callback URL, in order (each post is answered before the next is made).
/// Stops when the message is cleared.
pub(crate) async fn report_statuses(store: &Store, poster: &Poster, delay: Duration, id: &str) {
    let failure = store
        .get(id)
        .and_then(|message| message.fault)
        .and_then(|fault| MetaFailure::of(&fault.action));
    let plan: &[DeliveryStatus] = if failure.is_some() {
        &FAILING
    } else {
        &DeliveryStatus::PROGRESSION
    };
    for &status in plan {
        tokio::time::sleep(delay).await;
        // A status reported on demand (`failed`, `deleted`) ends the message:
        // nothing is reported after it.
        let mut ended = false;
        let Some(message) = store.update(id, |message| {
            ended = message.status.is_final();
            message.status = message.status.max(status);
        }) else {
            return;
        };
        if ended {
            return;
        }
        if message.callback_url.is_none() {
            continue;
        }
        let failure = failure
            .as_ref()
            .filter(|_| status == DeliveryStatus::Failed);
        if post_status(store, poster, &message, status, failure)
            .await
            .is_none()
        {
            return;
        }
    }
}

/// Posts `status` of `message` to its callback URL, if it has one, and keeps
/// the record among its callbacks. `None` when there is no URL to post to or
/// the message was cleared meanwhile.
pub(crate) async fn post_status(
    store: &Store,
    poster: &Poster,
    message: &StoredMessage,
    status: DeliveryStatus,
    failure: Option<&MetaFailure>,
) -> Option<CallbackOutcome> {
    let url = message.callback_url.as_deref()?;
    let body = status_body(message, status, failure, unix_now());
    let outcome = poster.post(url, &body).await;
    let record = CallbackRecord::new(
        status.as_str().to_owned(),
        url,
        body.text(),
        outcome.clone(),
    );
    store.update(&message.id, |message| message.callbacks.push(record))?;
    Some(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logs_show_a_secret_like_last_segment_as_redacted() {
        let secret = "q3J0N1ZxV0dYc2tRbUJ5S3JQZm9zZWNyZXQtMDEy";
        assert_eq!(
            logged_url(&format!("http://127.0.0.1:8080/kaleyra/{secret}")),
            "http://127.0.0.1:8080/kaleyra/[redacted]"
        );
        assert_eq!(
            logged_url(&format!("http://localhost/{secret}?a=1")),
            "http://localhost/[redacted]?a=1"
        );
        for plain in ["http://127.0.0.1:8080/kaleyra/callbacks", "not a url"] {
            assert_eq!(logged_url(plain), plain);
        }
    }

    fn message(api: ApiVersion) -> StoredMessage {
        let submission = crate::message::Submission {
            api,
            type_name: "text",
            from: "+912025550100".to_owned(),
            recipients: vec!["+919876543210".to_owned()],
            content: crate::message::Content::new(crate::message::MessageKind::Text, "hi".into()),
            callback_url: Some("http://127.0.0.1:1/cb".to_owned()),
            refs: Refs {
                reference: Some("customer1".to_owned()),
                ref1: None,
                ref2: Some("x".to_owned()),
            },
        };
        submission.stored("m-1".to_owned(), 0, 7)
    }

    #[test]
    fn v1_status_callbacks_are_form_fields_with_the_set_refs() {
        let body = status_body(
            &message(ApiVersion::V1),
            DeliveryStatus::Delivered,
            None,
            42,
        );
        let CallbackBody::Form(fields) = body else {
            panic!("not a form: {body:?}");
        };
        let expected: Vec<(&str, String)> = vec![
            ("id", "m-1".into()),
            ("status", "delivered".into()),
            ("mobile", "919876543210".into()),
            ("timestamp", "42".into()),
            ("ref", "customer1".into()),
            ("ref2", "x".into()),
        ];
        assert_eq!(fields, expected);
    }

    #[test]
    fn v2_status_callbacks_are_meta_webhooks_in_kaleyras_envelope() {
        let body = status_body(&message(ApiVersion::V2), DeliveryStatus::Read, None, 42);
        let CallbackBody::Json(value) = body else {
            panic!("not JSON: {body:?}");
        };
        let status = &value["meta_object"]["value"]["statuses"][0];
        assert_eq!(value["meta_object"]["field"], "messages");
        assert_eq!(
            value["meta_object"]["value"]["metadata"]["display_phone_number"],
            "912025550100"
        );
        assert_eq!(status["id"], "m-1");
        assert_eq!(status["status"], "read");
        assert_eq!(status["timestamp"], "42");
        assert_eq!(status["recipient_id"], "919876543210");
        assert_eq!(
            value["extra_info"],
            json!({"ref": "customer1", "ref2": "x"})
        );
    }
}
