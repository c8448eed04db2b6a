//! When a failed send is tried again. Off by default: Kaleyra does not
//! deduplicate sends, so a retry after the request may have arrived can send
//! the customer the same message twice.

use std::time::Duration;

use crate::error::Error;
use crate::receipt::Receipt;
use crate::request::PreparedRequest;
use crate::transport::Transport;

/// Which failures are retried, how often, and how long to wait between tries.
///
/// ```
/// use std::time::Duration;
/// use kaleyra_runtime::RetryPolicy;
///
/// // Retries only what cannot send twice: no connection, or 429.
/// let safe = RetryPolicy::safe(3);
/// // Also retries timeouts and server errors, accepting that a customer may
/// // get the message twice.
/// let risky = RetryPolicy::safe(3).retry_even_if_possibly_sent().max_delay(Duration::from_secs(30));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: u32,
    base_delay: Duration,
    max_delay: Duration,
    retry_possibly_sent: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy::none()
    }
}

impl RetryPolicy {
    /// Never retries (the default).
    pub fn none() -> Self {
        RetryPolicy {
            max_retries: 0,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(60),
            retry_possibly_sent: false,
        }
    }

    /// Retries up to `max_retries` times, only failures that cannot have sent
    /// the message: a connection that was never made, and 429 answers
    /// (waiting as long as `Retry-After` asks, up to [`RetryPolicy::max_delay`]).
    pub fn safe(max_retries: u32) -> Self {
        RetryPolicy {
            max_retries,
            ..RetryPolicy::none()
        }
    }

    /// Also retries failures after which the message may have been sent:
    /// timeouts, connections dropped mid-request, and 5xx answers such as
    /// `WA500`. **A customer may receive the message twice.**
    pub fn retry_even_if_possibly_sent(mut self) -> Self {
        self.retry_possibly_sent = true;
        self
    }

    /// The first back-off delay, doubled at each retry (with random jitter);
    /// 500 ms unless set.
    pub fn base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// The longest wait between tries, whatever `Retry-After` asks; 60 s unless set.
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// Whether `error`, after `retries_so_far` retries, is tried again.
    pub fn should_retry(&self, error: &Error, retries_so_far: u32) -> bool {
        retries_so_far < self.max_retries
            && (error.is_retryable()
                || (self.retry_possibly_sent && error.may_have_been_sent() && is_transient(error)))
    }

    /// How long to wait before retry number `retry` (from 0) after `error`:
    /// `Retry-After` when given, else exponential back-off with full jitter,
    /// never more than [`RetryPolicy::max_delay`].
    pub fn delay(&self, error: &Error, retry: u32) -> Duration {
        if let Some(asked) = error.retry_after() {
            return asked.min(self.max_delay);
        }
        let ceiling = self
            .base_delay
            .saturating_mul(2u32.saturating_pow(retry))
            .min(self.max_delay);
        ceiling.mul_f64(fastrand::f64())
    }
}

/// Errors worth trying again at all: not refusals of the message itself.
fn is_transient(error: &Error) -> bool {
    match error {
        Error::Transport(_) => true,
        Error::Api { status, .. } | Error::Decode { status, .. } => {
            *status >= 500 || *status == 429
        }
        _ => false,
    }
}

/// Sends `request` through `transport`, retrying as `policy` says.
pub(crate) async fn send_with_policy(
    transport: &Transport,
    policy: &RetryPolicy,
    request: &PreparedRequest,
) -> Result<Receipt, Error> {
    let mut retries = 0;
    loop {
        tracing::debug!(method = %request.method, url = %request.shown_url(), attempt = retries + 1, "sending to Kaleyra");
        let result = match transport.execute(request).await {
            Ok(response) => crate::response::decode(request.api, &response, &request.recipients),
            Err(error) => Err(error),
        };
        match result {
            Ok(receipt) => {
                tracing::debug!(
                    messages = receipt.messages().len(),
                    "Kaleyra accepted the message"
                );
                return Ok(receipt);
            }
            Err(error) if policy.should_retry(&error, retries) => {
                let delay = policy.delay(&error, retries);
                tracing::warn!(%error, ?delay, retry = retries + 1, "retrying the send");
                tokio::time::sleep(delay).await;
                retries += 1;
            }
            Err(error) => {
                tracing::debug!(%error, "the send failed");
                return Err(error);
            }
        }
    }
}
