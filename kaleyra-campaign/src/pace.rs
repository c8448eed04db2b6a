//! How fast a run starts requests: at most its rate, slower for a while
//! after Kaleyra or Meta says it sends too fast, and back up as messages are
//! accepted again.
//!
//! Kaleyra's capacity page says: on 429 (request rate limiting) or 503
//! (load shedding), "halt and slow down; queue on your side". So a throttle
//! signal (a 429 or 503 answer, Meta's `(#130429)` in an answer, or a
//! `130429` failed status) halts new requests for the answer's
//! `Retry-After` ([`DEFAULT_HALT`] without one, at most [`MAX_HALT`]) and
//! halves the rate (never below [`SLOWEST_RATE`]); every [`RECOVER_EVERY`]
//! acceptances after that raise it by half again, up to the run's rate. A
//! run without a rate limit paces from [`TESTED_MESSAGES_PER_SECOND`] once
//! throttled, and is unlimited again when it climbs back to it.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use kaleyra_runtime::definitions::limits::TESTED_MESSAGES_PER_SECOND;
use tokio::time::Instant;

/// The halt after a throttle signal without a `Retry-After`.
pub const DEFAULT_HALT: Duration = Duration::from_secs(1);
/// The longest halt, whatever `Retry-After` asks: a longer one would look
/// like a hung run; the rows stay pending for a rerun either way.
pub const MAX_HALT: Duration = Duration::from_secs(300);
/// The slowest a throttled run paces, in messages per second.
pub const SLOWEST_RATE: f64 = 0.5;
/// How many acceptances in a row raise a throttled rate by half.
pub const RECOVER_EVERY: u32 = 10;

/// The pace of one run, shared by its requests.
#[derive(Debug)]
pub(crate) struct Pace {
    /// The run's own rate limit; `None` for none.
    ceiling: Option<f64>,
    /// Whether any pacing applies: false only for a run without a rate
    /// limit that was never throttled, so such a run pays one atomic load
    /// per request.
    active: AtomicBool,
    throttles: AtomicU64,
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    /// Messages per second now; `None` for unlimited.
    rate: Option<f64>,
    /// When the next request may start.
    next_start: Instant,
    /// No request starts before this, after a throttle signal.
    halted_until: Option<Instant>,
    /// Acceptances since the rate last changed.
    accepted: u32,
}

impl Pace {
    /// A pace of at most `ceiling` messages per second; unlimited when
    /// `None` (or not a positive finite number, which the caller refused).
    pub(crate) fn new(ceiling: Option<f64>) -> Self {
        let ceiling = ceiling.filter(|rate| rate.is_finite() && *rate > 0.0);
        Pace {
            ceiling,
            active: AtomicBool::new(ceiling.is_some()),
            throttles: AtomicU64::new(0),
            state: Mutex::new(State {
                rate: ceiling,
                next_start: Instant::now(),
                halted_until: None,
                accepted: 0,
            }),
        }
    }

    /// Waits until the next request may start.
    pub(crate) async fn wait(&self) {
        if !self.active.load(Ordering::Relaxed) {
            return;
        }
        let start = {
            let mut state = self.lock();
            let mut start = Instant::now().max(state.next_start);
            if let Some(halted_until) = state.halted_until {
                start = start.max(halted_until);
            }
            state.next_start = match state.rate {
                Some(rate) => start + Duration::from_secs_f64(1.0 / rate),
                None => start,
            };
            start
        };
        tokio::time::sleep_until(start).await;
    }

    /// Kaleyra or Meta said the run sends too fast: halt for `retry_after`
    /// and halve the rate. Signals that arrive during a halt (the other
    /// requests in flight answered alike) extend it without halving again.
    pub(crate) fn throttled(&self, retry_after: Option<Duration>) {
        let halt = retry_after.unwrap_or(DEFAULT_HALT).min(MAX_HALT);
        let now = Instant::now();
        let mut state = self.lock();
        let halted = state.halted_until.is_some_and(|until| until > now);
        if !halted {
            let from = state
                .rate
                .or(self.ceiling)
                .unwrap_or(TESTED_MESSAGES_PER_SECOND);
            state.rate = Some((from / 2.0).max(SLOWEST_RATE));
            self.throttles.fetch_add(1, Ordering::Relaxed);
        }
        let until = now + halt;
        state.halted_until = Some(state.halted_until.map_or(until, |old| old.max(until)));
        state.accepted = 0;
        self.active.store(true, Ordering::Relaxed);
    }

    /// A message was accepted: every [`RECOVER_EVERY`] in a row, a throttled
    /// rate rises by half, up to the run's rate (or, without one, back to
    /// unlimited past the tested rate).
    pub(crate) fn accepted(&self) {
        if !self.active.load(Ordering::Relaxed) {
            return;
        }
        let mut state = self.lock();
        let Some(rate) = state.rate else { return };
        let top = self.ceiling.unwrap_or(TESTED_MESSAGES_PER_SECOND);
        if rate >= top {
            return;
        }
        state.accepted += 1;
        if state.accepted < RECOVER_EVERY {
            return;
        }
        state.accepted = 0;
        let raised = rate * 1.5;
        state.rate = if raised < top {
            Some(raised)
        } else {
            if self.ceiling.is_none() {
                self.active.store(false, Ordering::Relaxed);
            }
            self.ceiling
        };
    }

    /// The rate now, in messages per second; `None` for unlimited.
    pub(crate) fn rate(&self) -> Option<f64> {
        self.lock().rate
    }

    /// How many times the run was slowed down.
    pub(crate) fn throttles(&self) -> u64 {
        self.throttles.load(Ordering::Relaxed)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // The state is plain numbers, whole after any panic.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_throttle_halves_the_rate_once_per_halt_and_acceptances_raise_it_back() {
        let pace = Pace::new(Some(20.0));
        assert_eq!(pace.rate(), Some(20.0));
        pace.throttled(Some(Duration::from_secs(2)));
        assert_eq!(pace.rate(), Some(10.0));
        pace.throttled(None);
        assert_eq!(pace.rate(), Some(10.0), "the same halt: not halved again");
        assert_eq!(pace.throttles(), 1);
        for _ in 0..RECOVER_EVERY {
            pace.accepted();
        }
        assert_eq!(pace.rate(), Some(15.0));
        for _ in 0..RECOVER_EVERY {
            pace.accepted();
        }
        assert_eq!(pace.rate(), Some(20.0), "never above the run's rate");
    }

    #[test]
    fn a_run_without_a_limit_paces_from_the_tested_rate_and_is_unlimited_again() {
        let pace = Pace::new(None);
        assert!(!pace.active.load(Ordering::Relaxed));
        pace.throttled(None);
        assert_eq!(pace.rate(), Some(TESTED_MESSAGES_PER_SECOND / 2.0));
        for _ in 0..RECOVER_EVERY * 2 {
            pace.accepted();
        }
        assert_eq!(pace.rate(), None);
        assert!(!pace.active.load(Ordering::Relaxed));
    }

    #[test]
    fn the_rate_never_falls_below_the_slowest() {
        let pace = Pace::new(Some(1.0));
        pace.throttled(None);
        let mut state = pace.lock();
        state.halted_until = None;
        drop(state);
        pace.throttled(None);
        assert_eq!(pace.rate(), Some(SLOWEST_RATE));
    }

    #[tokio::test(start_paused = true)]
    async fn requests_wait_out_the_halt_then_start_at_the_rate() {
        let pace = Pace::new(Some(10.0));
        let started = Instant::now();
        pace.wait().await;
        pace.wait().await;
        assert_eq!(started.elapsed(), Duration::from_millis(100));
        pace.throttled(Some(Duration::from_secs(3)));
        let halted = Instant::now();
        pace.wait().await;
        assert!(
            halted.elapsed() >= Duration::from_secs(3),
            "the Retry-After is honoured"
        );
        let resumed = Instant::now();
        pace.wait().await;
        assert_eq!(
            resumed.elapsed(),
            Duration::from_millis(200),
            "at half the rate"
        );
    }
}
