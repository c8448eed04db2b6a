//! Faults on demand: rules that make matching send requests fail the way
//! Kaleyra or the network can, set through `/emulator/faults` or
//! [`crate::RunningEmulator::add_fault`].
//!
//! A rule is an action ([`FaultAction`]), how often it applies (the next N
//! matching requests, or a seeded random rate), and optionally which
//! requests it applies to (a recipient, a template, an API version). The
//! request a fault touched carries an [`AppliedFault`], which the inbox shows
//! beside it.
//!
//! The decisions where nothing says how a fault behaves are on [`FaultRule`].

use std::fmt;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use axum::http::StatusCode;
use kaleyra_definitions::codes::AnswerCode;
use kaleyra_definitions::failures::FailureCode;
use kaleyra_definitions::{TemplateSet, did_you_mean, limits};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use serde::{Deserialize, Serialize};

use kaleyra_runtime::ApiVersion;

use crate::account::{same_number, with_plus};

/// What a fault's scope is matched against: a request the emulator would accept.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Target<'a> {
    pub(crate) api: ApiVersion,
    pub(crate) template: Option<&'a str>,
    pub(crate) recipients: &'a [String],
}

/// The longest a `hang` may hold an answer: ten minutes.
pub const MAX_HANG: Duration = Duration::from_secs(600);

/// What a fault does to a request it applies to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum FaultAction {
    /// Answer with a Kaleyra error body instead of sending the message.
    Error {
        /// Kaleyra's code, such as `WA429`, `WA500`, `E110`, `RBC001`.
        code: String,
        /// The HTTP status; the code's documented one unless set (required
        /// for a code without one).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        http_status: Option<u16>,
        /// The `Retry-After` header to send, in seconds.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        retry_after_secs: Option<u64>,
        /// The answer's `message`; the code's documented one unless set.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message: Option<String>,
    },
    /// Send the message as usual, but hold the answer this long: a slow
    /// Kaleyra that has sent it. A client that gives up sooner sees a
    /// timeout; the message is in the inbox all the same.
    Hang {
        /// How long, in milliseconds (at most [`MAX_HANG`]).
        for_ms: u64,
    },
    /// Close the connection with a TCP reset instead of answering.
    Reset {
        /// Whether the message is sent first (the case a client cannot tell
        /// apart from a reset before it arrived); not unless set.
        #[serde(default)]
        accepted: bool,
    },
    /// Accept the message, then report it `failed` with Meta's code after
    /// `sent`, instead of `delivered` and `read`. No Kaleyra page shows a v2
    /// failed status, so its `statuses[].errors[]` is Meta's `{code, title,
    /// message, error_data: {details}, href}`; on v1 the failure is in the
    /// callback profile's `error` (the title) and `error_code` fields.
    FailLater {
        /// Meta's code, such as `131026`.
        meta_code: String,
        /// Meta's title; the code's known one unless set (required for a
        /// code this project does not know).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        title: Option<String>,
    },
}

impl FaultAction {
    /// Answer with Kaleyra's `code`, at its documented HTTP status.
    pub fn error(code: &str) -> Self {
        FaultAction::Error {
            code: code.to_owned(),
            http_status: None,
            retry_after_secs: None,
            message: None,
        }
    }

    /// Answer with `code` at `http_status`: for a code without a documented
    /// status (`WAV2101`), one Kaleyra's table does not have, or another status.
    pub fn error_with_status(code: &str, http_status: u16) -> Self {
        FaultAction::Error {
            code: code.to_owned(),
            http_status: Some(http_status),
            retry_after_secs: None,
            message: None,
        }
    }

    /// This error answer with a `Retry-After` of `delay` (whole seconds,
    /// rounded up). Other actions are returned unchanged.
    pub fn retry_after(mut self, delay: Duration) -> Self {
        if let FaultAction::Error {
            retry_after_secs, ..
        } = &mut self
        {
            let secs = delay.as_secs() + u64::from(delay.subsec_nanos() > 0);
            *retry_after_secs = Some(secs);
        }
        self
    }

    /// Hold the answer for `duration`.
    pub fn hang(duration: Duration) -> Self {
        FaultAction::Hang {
            for_ms: u64::try_from(duration.as_millis()).unwrap_or(u64::MAX),
        }
    }

    /// Reset the connection without sending the message.
    pub fn reset() -> Self {
        FaultAction::Reset { accepted: false }
    }

    /// Send the message, then reset the connection instead of answering.
    pub fn reset_after_accepting() -> Self {
        FaultAction::Reset { accepted: true }
    }

    /// Accept, then report the message `failed` with Meta's `meta_code`.
    pub fn fail_later(meta_code: &str) -> Self {
        FaultAction::FailLater {
            meta_code: meta_code.to_owned(),
            title: None,
        }
    }
}

/// A fault to set: an action, how often, and which requests it applies to.
///
/// Decisions, where nothing says how a fault should behave:
/// - Faults apply to requests that pass the emulator's checks: a request it
///   would refuse is refused as usual and uses up no fault, so a scope can be
///   matched on the decoded recipient and template.
/// - A code in Kaleyra's table (`kaleyra_definitions::codes`) answers with
///   its HTTP status and message; `http_status` may override the status.
///   A code the table does not have (Kaleyra's pages name more than they
///   document) is allowed only with an explicit `http_status`, and so is
///   `WAV2101`, whose status Kaleyra does not document. Success codes are
///   refused.
/// - A Meta code for `fail_later` is one of `kaleyra_definitions::failures`,
///   or any other digits with an explicit `title`.
/// - Counted rules are tried before random ones, each kind in the order set.
///   Every random rule a request matches draws once for it, whether or not
///   another rule fires, so each rule's sequence depends only on its seed
///   and the order of the requests it matches.
/// - A random rule needs a seed: the same seed and the same order of
///   requests fail the same requests (a ChaCha8 generator, whose output does
///   not change across platforms or versions). Concurrent requests may
///   arrive in another order from run to run.
///
/// ```
/// use std::time::Duration;
/// use kaleyra_emulator::{FaultAction, FaultRule};
///
/// // The next two sends to this customer answer 429 with `Retry-After: 1`.
/// let rule = FaultRule::next(2, FaultAction::error("WA429").retry_after(Duration::from_secs(1)))
///     .to("+919876543210");
/// // One send in twenty fails with WA500, the same ones for seed 7.
/// let soak = FaultRule::random(0.05, 7, FaultAction::error("WA500"));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct FaultRule {
    /// What happens to a request the rule applies to.
    pub action: FaultAction,
    /// Applies to the next `times` matching requests, then is gone; one
    /// unless set (or unless `rate` is).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub times: Option<u32>,
    /// Applies to each matching request with this probability (0 to 1),
    /// until cleared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate: Option<f64>,
    /// The seed of `rate`'s draws (required with it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// Only requests to this recipient (E.164; a v1 request matches when
    /// one of its recipients is this one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// Only sends of this template.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<String>,
    /// Only requests to this API version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api: Option<ApiVersion>,
}

impl FaultRule {
    /// `action` for the next `times` matching requests.
    pub fn next(times: u32, action: FaultAction) -> Self {
        FaultRule {
            times: Some(times),
            ..FaultRule::base(action)
        }
    }

    /// `action` for each matching request with probability `rate`, drawn
    /// from `seed`.
    pub fn random(rate: f64, seed: u64, action: FaultAction) -> Self {
        FaultRule {
            rate: Some(rate),
            seed: Some(seed),
            ..FaultRule::base(action)
        }
    }

    fn base(action: FaultAction) -> Self {
        FaultRule {
            action,
            times: None,
            rate: None,
            seed: None,
            to: None,
            template: None,
            api: None,
        }
    }

    /// Only requests to `number`.
    pub fn to(mut self, number: &str) -> Self {
        self.to = Some(number.to_owned());
        self
    }

    /// Only sends of template `name`.
    pub fn template(mut self, name: &str) -> Self {
        self.template = Some(name.to_owned());
        self
    }

    /// Only requests to `api`.
    pub fn api(mut self, api: ApiVersion) -> Self {
        self.api = Some(api);
        self
    }
}

/// A fault rule that is set, as `GET /emulator/faults` lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ActiveFault {
    /// Its id, `fault-<n>`, which each request it touched names.
    pub id: String,
    /// The rule as set (a `to` written with `+`).
    pub rule: FaultRule,
    /// For a counted rule, how many more requests it applies to.
    pub remaining: Option<u32>,
    /// How many requests it has applied to.
    pub applied: u64,
}

/// The fault a request met, kept with the message or the refused request it
/// made and shown beside it in the inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AppliedFault {
    /// The rule's id, `fault-<n>`.
    pub fault_id: String,
    /// What it did.
    pub action: FaultAction,
    /// Whether a random rate picked the request (else it was counted).
    pub random: bool,
    /// What it did, in words: `error WA429 (HTTP 429, Retry-After 2 s)`.
    pub summary: String,
}

/// Why a fault rule was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid fault {field}: {reason}")]
#[non_exhaustive]
pub struct FaultError {
    /// The field at fault, such as `action.code` or `rate`.
    pub field: &'static str,
    /// What is wrong with it.
    pub reason: String,
}

fn invalid(field: &'static str, reason: impl Into<String>) -> FaultError {
    FaultError {
        field,
        reason: reason.into(),
    }
}

/// What a drawn fault does, resolved from its action when it was set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Effect {
    Error {
        code: String,
        status: StatusCode,
        retry_after_secs: Option<u64>,
        message: String,
    },
    Hang(Duration),
    Reset {
        accepted: bool,
    },
    FailLater(MetaFailure),
}

/// The error object of a `failed` status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MetaFailure {
    pub(crate) code: u64,
    pub(crate) title: String,
    pub(crate) details: String,
}

impl MetaFailure {
    /// The failure `action` reports, if it is a `fail_later` (checked when set).
    pub(crate) fn of(action: &FaultAction) -> Option<MetaFailure> {
        match resolve(action).ok()? {
            Effect::FailLater(failure) => Some(failure),
            _ => None,
        }
    }

    /// The failure with Meta's `meta_code` and `title` (the code's known
    /// title unless given; required for a code this project does not know).
    pub(crate) fn resolve(meta_code: &str, title: Option<&str>) -> Result<MetaFailure, FaultError> {
        let code = meta_code.trim();
        let known = FailureCode::find(code);
        let title = match (title, known) {
            (Some(text), _) if text.trim().is_empty() => {
                return Err(invalid("action.title", "is empty"));
            }
            (Some(text), _) => text.to_owned(),
            (None, Some(row)) => row.title.to_owned(),
            (None, None) => {
                return Err(invalid(
                    "action.meta_code",
                    format!(
                        "`{code}` is not one of the known failure codes ({}); give a title to use it anyway",
                        known_meta_codes()
                    ),
                ));
            }
        };
        let number = code
            .parse::<u64>()
            .ok()
            .filter(|_| code.bytes().all(|b| b.is_ascii_digit()))
            .ok_or_else(|| {
                invalid(
                    "action.meta_code",
                    format!("`{code}` is not a Meta code (digits, such as 131026)"),
                )
            })?;
        Ok(MetaFailure {
            code: number,
            details: known.map_or_else(|| title.clone(), |row| row.meaning.to_owned()),
            title,
        })
    }
}

/// A fault drawn for one request: what it does and its record.
#[derive(Debug, Clone)]
pub(crate) struct Drawn {
    pub(crate) effect: Effect,
    pub(crate) applied: AppliedFault,
    /// The recipient the rule was scoped to, if it was.
    pub(crate) to: Option<String>,
}

fn resolve(action: &FaultAction) -> Result<Effect, FaultError> {
    match action {
        FaultAction::Error {
            code,
            http_status,
            retry_after_secs,
            message,
        } => {
            let code = code.trim();
            if code.is_empty() {
                return Err(invalid(
                    "action.code",
                    "is empty; name one of Kaleyra's codes, such as WA429",
                ));
            }
            let row = AnswerCode::kaleyra(code);
            if row.is_some_and(AnswerCode::is_success) {
                return Err(invalid(
                    "action.code",
                    format!("`{code}` is a success; a fault answers with an error"),
                ));
            }
            let status = match (http_status, row.and_then(|row| row.http_status)) {
                (Some(status), _) => *status,
                (None, Some(documented)) => documented,
                (None, None) if row.is_some() => {
                    return Err(invalid(
                        "action.http_status",
                        format!("Kaleyra documents no HTTP status for `{code}`; give one"),
                    ));
                }
                (None, None) => {
                    return Err(invalid(
                        "action.code",
                        format!(
                            "`{code}` is not in Kaleyra's table ({}); give http_status to answer with it anyway",
                            known_kaleyra_codes()
                        ),
                    ));
                }
            };
            let status = StatusCode::from_u16(status)
                .ok()
                .filter(|status| status.is_client_error() || status.is_server_error())
                .ok_or_else(|| {
                    invalid(
                        "action.http_status",
                        format!("{status} is not an error status (400 to 599)"),
                    )
                })?;
            let message = match message {
                Some(text) if text.trim().is_empty() => {
                    return Err(invalid("action.message", "is empty"));
                }
                Some(text) => text.clone(),
                None => row.map_or("emulated fault", |row| row.message).to_owned(),
            };
            Ok(Effect::Error {
                code: code.to_owned(),
                status,
                retry_after_secs: *retry_after_secs,
                message,
            })
        }
        FaultAction::Hang { for_ms } => {
            let duration = Duration::from_millis(*for_ms);
            if duration.is_zero() || duration > MAX_HANG {
                return Err(invalid(
                    "action.for_ms",
                    format!(
                        "{for_ms} is not between 1 and {} milliseconds",
                        MAX_HANG.as_millis()
                    ),
                ));
            }
            Ok(Effect::Hang(duration))
        }
        FaultAction::Reset { accepted } => Ok(Effect::Reset {
            accepted: *accepted,
        }),
        FaultAction::FailLater { meta_code, title } => {
            MetaFailure::resolve(meta_code, title.as_deref()).map(Effect::FailLater)
        }
    }
}

fn known_kaleyra_codes() -> String {
    let codes: Vec<&str> = kaleyra_definitions::codes::KALEYRA_CODES
        .iter()
        .filter(|row| !row.is_success())
        .map(|row| row.code)
        .collect();
    codes.join(", ")
}

fn known_meta_codes() -> String {
    let codes: Vec<&str> = kaleyra_definitions::failures::FAILURE_CODES
        .iter()
        .map(|row| row.code)
        .collect();
    codes.join(", ")
}

fn summary(effect: &Effect) -> String {
    match effect {
        Effect::Error {
            code,
            status,
            retry_after_secs,
            ..
        } => {
            let retry = retry_after_secs
                .map(|secs| format!(", Retry-After {secs} s"))
                .unwrap_or_default();
            format!("error {code} (HTTP {}{retry})", status.as_u16())
        }
        Effect::Hang(duration) => format!("answer held {} ms", duration.as_millis()),
        Effect::Reset { accepted: false } => "connection reset, message not sent".to_owned(),
        Effect::Reset { accepted: true } => {
            "connection reset after the message was sent".to_owned()
        }
        Effect::FailLater(failure) => {
            format!(
                "accepted, then failed with Meta's {} ({})",
                failure.code, failure.title
            )
        }
    }
}

/// How often a rule applies.
enum Frequency {
    Counted { remaining: u32 },
    Random { rate: f64, draws: Box<ChaCha8Rng> },
}

impl fmt::Debug for Frequency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Frequency::Counted { remaining } => write!(f, "Counted({remaining})"),
            Frequency::Random { rate, .. } => write!(f, "Random({rate})"),
        }
    }
}

#[derive(Debug)]
struct Entry {
    id: String,
    rule: FaultRule,
    effect: Effect,
    frequency: Frequency,
    applied: u64,
}

impl Entry {
    fn matches(&self, target: Target<'_>) -> bool {
        let rule = &self.rule;
        rule.api.is_none_or(|api| api == target.api)
            && rule
                .template
                .as_deref()
                .is_none_or(|name| target.template == Some(name))
            && rule.to.as_deref().is_none_or(|to| {
                target
                    .recipients
                    .iter()
                    .any(|recipient| same_number(recipient, to))
            })
    }

    fn listed(&self) -> ActiveFault {
        ActiveFault {
            id: self.id.clone(),
            rule: self.rule.clone(),
            remaining: match self.frequency {
                Frequency::Counted { remaining } => Some(remaining),
                Frequency::Random { .. } => None,
            },
            applied: self.applied,
        }
    }

    fn draw(&mut self, random: bool) -> Drawn {
        self.applied += 1;
        Drawn {
            effect: self.effect.clone(),
            applied: AppliedFault {
                fault_id: self.id.clone(),
                action: self.rule.action.clone(),
                random,
                summary: summary(&self.effect),
            },
            to: self.rule.to.clone(),
        }
    }
}

#[derive(Debug, Default)]
struct Rules {
    entries: Vec<Entry>,
    /// How many rules have been set, for their ids.
    set: u64,
}

/// The fault rules of one emulator.
#[derive(Debug, Default)]
pub(crate) struct Faults {
    rules: Mutex<Rules>,
}

impl Faults {
    fn lock(&self) -> MutexGuard<'_, Rules> {
        self.rules.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Checks `rule` and sets it; `templates` are the ones a `template`
    /// scope may name.
    pub(crate) fn add(
        &self,
        mut rule: FaultRule,
        templates: &TemplateSet,
    ) -> Result<ActiveFault, FaultError> {
        let effect = resolve(&rule.action)?;
        let frequency = match (rule.times, rule.rate, rule.seed) {
            (Some(_), Some(_), _) => {
                return Err(invalid("rate", "give either times or rate, not both"));
            }
            (Some(0), None, _) => return Err(invalid("times", "must be at least 1")),
            (_, None, Some(_)) => {
                return Err(invalid("seed", "only a random rule (rate) takes a seed"));
            }
            (times, None, None) => Frequency::Counted {
                remaining: times.unwrap_or(1),
            },
            (None, Some(rate), _) if !(0.0..=1.0).contains(&rate) => {
                return Err(invalid(
                    "rate",
                    format!("{rate} is not a probability between 0 and 1"),
                ));
            }
            (None, Some(_), None) => {
                return Err(invalid(
                    "seed",
                    "a random rule needs a seed, so that a run can be repeated",
                ));
            }
            (None, Some(rate), Some(seed)) => Frequency::Random {
                rate,
                draws: Box::new(ChaCha8Rng::seed_from_u64(seed)),
            },
        };
        if let Some(to) = &rule.to {
            if !limits::is_e164(to.trim()) {
                return Err(invalid(
                    "to",
                    format!("`{to}` is not an E.164 number such as +919876543210"),
                ));
            }
            rule.to = Some(with_plus(to.trim()));
        }
        if let Some(name) = &rule.template
            && templates.languages_of(name).is_empty()
        {
            let close = did_you_mean(name, templates.names());
            let hint = match close.first() {
                Some(close) => format!("; did you mean `{close}`?"),
                None => String::new(),
            };
            return Err(invalid(
                "template",
                format!("the emulator has no template `{name}`{hint}"),
            ));
        }
        let mut rules = self.lock();
        rules.set += 1;
        let entry = Entry {
            id: format!("fault-{}", rules.set),
            rule,
            effect,
            frequency,
            applied: 0,
        };
        let listed = entry.listed();
        tracing::info!(id = %entry.id, summary = %summary(&entry.effect), "fault set");
        rules.entries.push(entry);
        Ok(listed)
    }

    /// Every rule set, in the order set.
    pub(crate) fn list(&self) -> Vec<ActiveFault> {
        self.lock().entries.iter().map(Entry::listed).collect()
    }

    /// Removes every rule.
    pub(crate) fn clear(&self) {
        self.lock().entries.clear();
    }

    /// Removes the rule `id`; whether there was one.
    pub(crate) fn remove(&self, id: &str) -> bool {
        let mut rules = self.lock();
        let before = rules.entries.len();
        rules.entries.retain(|entry| entry.id != id);
        rules.entries.len() != before
    }

    /// The fault `target` meets, if any: the first counted rule it
    /// matches (used up by it), else the first random rule that fires.
    pub(crate) fn draw(&self, target: Target<'_>) -> Option<Drawn> {
        let mut rules = self.lock();
        let counted = rules.entries.iter().position(|entry| {
            matches!(entry.frequency, Frequency::Counted { .. }) && entry.matches(target)
        });
        let mut fired = None;
        // Every matching random rule draws, so each one's sequence is its own.
        for (at, entry) in rules.entries.iter_mut().enumerate() {
            let matches = entry.matches(target);
            if let Frequency::Random { rate, draws } = &mut entry.frequency
                && matches
                && draws.random_bool(*rate)
                && fired.is_none()
            {
                fired = Some(at);
            }
        }
        if let Some(at) = counted {
            let entry = &mut rules.entries[at];
            let drawn = entry.draw(false);
            if let Frequency::Counted { remaining } = &mut entry.frequency {
                *remaining -= 1;
                if *remaining == 0 {
                    rules.entries.remove(at);
                }
            }
            return Some(drawn);
        }
        fired.map(|at| rules.entries[at].draw(true))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn submission(api: ApiVersion, to: &str) -> (ApiVersion, Vec<String>) {
        (api, vec![to.to_owned()])
    }

    impl Faults {
        fn draw_for(&self, (api, recipients): &(ApiVersion, Vec<String>)) -> Option<Drawn> {
            self.draw(Target {
                api: *api,
                template: None,
                recipients,
            })
        }
    }

    fn add(faults: &Faults, rule: FaultRule) -> Result<ActiveFault, FaultError> {
        faults.add(rule, &TemplateSet::default())
    }

    #[test]
    fn a_counted_rule_applies_to_the_next_n_matching_requests_then_is_gone() {
        let faults = Faults::default();
        add(
            &faults,
            FaultRule::next(2, FaultAction::error("WA500")).to("919876543210"),
        )
        .unwrap();
        let other = submission(ApiVersion::V2, "+919876543211");
        let target = submission(ApiVersion::V2, "+919876543210");
        assert!(faults.draw_for(&other).is_none(), "another recipient");
        assert!(faults.draw_for(&target).is_some());
        assert_eq!(faults.list()[0].remaining, Some(1));
        assert!(faults.draw_for(&target).is_some());
        assert!(faults.draw_for(&target).is_none());
        assert!(faults.list().is_empty());
    }

    #[test]
    fn a_random_rule_fails_the_same_requests_for_the_same_seed() {
        let pattern = |seed| {
            let faults = Faults::default();
            add(
                &faults,
                FaultRule::random(0.3, seed, FaultAction::error("WA500")),
            )
            .unwrap();
            let request = submission(ApiVersion::V1, "+919876543210");
            (0..200)
                .map(|_| faults.draw_for(&request).is_some())
                .collect::<Vec<bool>>()
        };
        let first = pattern(42);
        assert_eq!(first, pattern(42));
        assert_ne!(first, pattern(43));
        let fired = first.iter().filter(|fired| **fired).count();
        assert!((30..90).contains(&fired), "{fired} of 200 at 30%");
    }

    #[test]
    fn counted_rules_come_first_and_random_rules_draw_anyway() {
        let solo = Faults::default();
        add(&solo, FaultRule::random(0.5, 9, FaultAction::reset())).unwrap();
        let both = Faults::default();
        add(&both, FaultRule::random(0.5, 9, FaultAction::reset())).unwrap();
        add(&both, FaultRule::next(3, FaultAction::error("WA429"))).unwrap();
        let request = submission(ApiVersion::V2, "+919876543210");
        let solo: Vec<bool> = (0..10).map(|_| solo.draw_for(&request).is_some()).collect();
        let both: Vec<Option<bool>> = (0..10)
            .map(|_| both.draw_for(&request).map(|drawn| drawn.applied.random))
            .collect();
        assert_eq!(both[..3], [Some(false); 3], "the counted rule first");
        for (at, fired) in solo.iter().enumerate().skip(3) {
            assert_eq!(both[at].is_some(), *fired, "draw {at}");
        }
    }

    #[test]
    fn rules_are_checked_when_set_naming_the_field() {
        let faults = Faults::default();
        let cases = [
            (FaultRule::next(0, FaultAction::reset()), "times"),
            (FaultRule::random(f64::NAN, 1, FaultAction::reset()), "rate"),
            (FaultRule::random(1.5, 1, FaultAction::reset()), "rate"),
            (
                FaultRule::next(1, FaultAction::error("WA202")),
                "action.code",
            ),
            (
                FaultRule::next(1, FaultAction::error("X999")),
                "action.code",
            ),
            (
                FaultRule::next(1, FaultAction::error("WAV2101")),
                "action.http_status",
            ),
            (
                FaultRule::next(1, FaultAction::error_with_status("WA429", 200)),
                "action.http_status",
            ),
            (
                FaultRule::next(1, FaultAction::hang(Duration::ZERO)),
                "action.for_ms",
            ),
            (
                FaultRule::next(1, FaultAction::hang(MAX_HANG * 2)),
                "action.for_ms",
            ),
            (
                FaultRule::next(1, FaultAction::fail_later("999999")),
                "action.meta_code",
            ),
            (FaultRule::next(1, FaultAction::reset()).to("98765"), "to"),
            (
                FaultRule::next(1, FaultAction::reset()).template("nope"),
                "template",
            ),
        ];
        for (rule, field) in cases {
            let error = add(&faults, rule.clone()).unwrap_err();
            assert_eq!(error.field, field, "{rule:?}: {error}");
        }
        let mut seedless = FaultRule::random(0.1, 1, FaultAction::reset());
        seedless.seed = None;
        assert_eq!(add(&faults, seedless).unwrap_err().field, "seed");
        assert!(faults.list().is_empty(), "nothing refused was set");
    }

    #[test]
    fn an_unknown_code_is_allowed_with_an_explicit_status() {
        let faults = Faults::default();
        add(
            &faults,
            FaultRule::next(1, FaultAction::error_with_status("HTTP503", 503)),
        )
        .unwrap();
        let drawn = faults
            .draw_for(&submission(ApiVersion::V1, "+919876543210"))
            .unwrap();
        assert_eq!(drawn.applied.summary, "error HTTP503 (HTTP 503)");
        let mut custom = FaultAction::fail_later("130472");
        if let FaultAction::FailLater { title, .. } = &mut custom {
            *title = Some("User's number is part of an experiment".to_owned());
        }
        add(&faults, FaultRule::next(1, custom)).unwrap();
    }

    #[test]
    fn rules_read_from_json_refuse_unknown_fields() {
        let rule: FaultRule = serde_json::from_str(
            r#"{"action": {"kind": "error", "code": "WA429", "retry_after_secs": 2}, "times": 3, "api": "v2"}"#,
        )
        .unwrap();
        assert_eq!(
            rule,
            FaultRule::next(
                3,
                FaultAction::error("WA429").retry_after(Duration::from_secs(2))
            )
            .api(ApiVersion::V2)
        );
        assert!(
            serde_json::from_str::<FaultRule>(r#"{"action": {"kind": "reset"}, "count": 1}"#)
                .is_err()
        );
        assert!(
            serde_json::from_str::<FaultRule>(r#"{"action": {"kind": "reset", "after": 1}}"#)
                .is_err()
        );
    }
}
