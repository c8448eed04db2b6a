//! The templates created, edited and deleted through the API
//! ([`crate::template_admin`]): each with its status and review, the
//! directory's templates that were deleted, and the times of the hourly
//! limits. Reviews settle when the account is next read.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use axum::Json;
use axum::response::{IntoResponse, Response};
use kaleyra_definitions::review::{self, Severity};
use kaleyra_definitions::{TemplateDefinition, TemplateSet, TemplateStatus, codes};
use serde_json::{Map, Value, json};

use crate::errors::status_of;

/// The time between a creation or an edit and its review's outcome unless
/// [`crate::EmulatorBuilder::template_review_delay`] sets one.
pub const DEFAULT_TEMPLATE_REVIEW_DELAY: Duration = Duration::from_secs(2);

/// A template's name and language (empty when it has none).
pub(crate) type Key = (String, String);

/// The templates created, edited and deleted through the API.
#[derive(Debug)]
pub(crate) struct TemplateStore {
    pub(crate) review_delay: Duration,
    /// A test's rules: a template of this name is rejected with this reason.
    rejections: Vec<(String, String)>,
    /// Where review outcomes are posted, as a callback profile would.
    pub(crate) status_url: Option<String>,
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
pub(crate) struct Inner {
    pub(crate) managed: BTreeMap<Key, Managed>,
    /// Templates of the directory that were deleted.
    pub(crate) hidden: HashSet<Key>,
    pub(crate) creations: HashMap<String, Vec<SystemTime>>,
    pub(crate) edits: HashMap<String, Vec<SystemTime>>,
    pub(crate) next_id: u64,
    /// How far a test moved the clock the template rules read
    /// ([`crate::RunningEmulator::advance_template_clock`]).
    advanced: Duration,
}

#[derive(Debug, Clone)]
pub(crate) struct Managed {
    /// Meta's object without `id`, `status` and `rejected_reason`.
    pub(crate) object: Map<String, Value>,
    pub(crate) id: String,
    pub(crate) status: TemplateStatus,
    pub(crate) rejected_reason: Option<String>,
    /// When a pending review ends, and what it decides (a rejection's reason).
    pub(crate) review: Option<(SystemTime, Option<String>)>,
    /// The edits made while it was approved.
    pub(crate) approved_edits: Vec<SystemTime>,
}

impl Managed {
    pub(crate) fn listed(&self) -> Value {
        let mut object = self.object.clone();
        object.insert("id".to_owned(), json!(self.id));
        object.insert("status".to_owned(), json!(self.status.as_str()));
        if let Some(reason) = &self.rejected_reason {
            object.insert("rejected_reason".to_owned(), json!(reason));
        }
        Value::Object(object)
    }

    pub(crate) fn from_listed(listed: &Value) -> Option<Self> {
        let mut object = listed.as_object()?.clone();
        let id = object.remove("id").map(|id| match id {
            Value::String(id) => id,
            other => other.to_string(),
        })?;
        let status = object
            .remove("status")
            .and_then(|status| status.as_str().map(TemplateStatus::parse))
            .unwrap_or(TemplateStatus::Approved);
        let rejected_reason = object
            .remove("rejected_reason")
            .and_then(|reason| reason.as_str().map(str::to_owned));
        Some(Managed {
            object,
            id,
            status,
            rejected_reason,
            review: None,
            approved_edits: Vec::new(),
        })
    }

    /// The answer to its creation or edit.
    pub(crate) fn answer(&self, message: &str) -> Response {
        let body = json!({
            "code": codes::WA200.code,
            "message": message,
            "data": {"id": self.id, "status": self.status.as_str(), "category": self.object.get("category")},
            "error": {}
        });
        (status_of(&codes::WA200), Json(body)).into_response()
    }
}

/// The name and language of a template object.
pub(crate) fn key_of(object: &Value) -> Key {
    let text = |field: &str| object[field].as_str().unwrap_or_default().to_owned();
    (text("name"), text("language"))
}

impl TemplateStore {
    pub(crate) fn new(
        review_delay: Duration,
        rejections: Vec<(String, String)>,
        status_url: Option<String>,
    ) -> Self {
        TemplateStore {
            review_delay,
            rejections,
            status_url,
            inner: Mutex::default(),
        }
    }

    pub(crate) fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A poisoned lock only means a panic elsewhere; the data is still whole.
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Moves the template rules' clock on by `by`.
    pub(crate) fn advance_clock(&self, by: Duration) {
        self.lock().advance(by);
        tracing::info!(by_secs = by.as_secs(), "template clock advanced");
    }

    /// The account's list: `directory` (the templates directory's objects)
    /// without what was deleted or is managed here, then the managed
    /// templates, their reviews settled.
    pub(crate) fn listing(&self, directory: Vec<Value>) -> Vec<Value> {
        let mut inner = self.lock();
        let now = inner.now();
        inner.settle(now);
        let mut listed: Vec<Value> = directory
            .into_iter()
            .filter(|object| {
                let key = key_of(object);
                !inner.hidden.contains(&key) && !inner.managed.contains_key(&key)
            })
            .collect();
        listed.extend(inner.managed.values().map(Managed::listed));
        listed
    }

    /// The templates a send is checked against, when the API changed any:
    /// `directory` without what was deleted or is managed here, plus the
    /// managed templates as they now stand (a pushed template sends once its
    /// review approves it; until then its status refuses it). `None` when
    /// nothing was created, edited or deleted, so sends use `directory` as
    /// it is, at no cost.
    pub(crate) fn sendable(&self, directory: &TemplateSet) -> Option<TemplateSet> {
        let mut inner = self.lock();
        if inner.managed.is_empty() && inner.hidden.is_empty() {
            return None;
        }
        let now = inner.now();
        inner.settle(now);
        let key = |definition: &TemplateDefinition| {
            (
                definition.name.clone(),
                definition.language.clone().unwrap_or_default(),
            )
        };
        let kept = directory
            .iter()
            .filter(|definition| {
                let key = key(definition);
                !inner.hidden.contains(&key) && !inner.managed.contains_key(&key)
            })
            .cloned();
        // A managed object was checked when it was created or edited; one
        // that no longer reads is left out, and its sends get 132001.
        let managed = inner.managed.values().filter_map(|template| {
            let listed = template.listed();
            let (name, language) = key_of(&listed);
            let name = format!("{name}.{language}.json");
            TemplateDefinition::from_slice(listed.to_string().as_bytes(), Path::new(&name)).ok()
        });
        Some(TemplateSet::from_definitions(kept.chain(managed)))
    }

    /// The template-status callback of template `id` (`key`) once its
    /// review has settled: Kaleyra's profile fields `id, time, event,
    /// message_template_id, message_template_name, message_template_language,
    /// reason` (`event` in Meta's spelling, `reason` `NONE` for an
    /// approval, as Meta's webhook writes it). `None` while it is pending,
    /// or when it is gone.
    pub(crate) fn settled_event(&self, key: &Key, id: &str) -> Option<Value> {
        let mut inner = self.lock();
        let now = inner.now();
        inner.settle(now);
        let template = inner
            .managed
            .get(key)
            .filter(|template| template.id == id)?;
        if template.review.is_some() {
            return None;
        }
        Some(json!({
            "id": uuid::Uuid::new_v4().to_string(),
            "time": crate::clock::unix_now().to_string(),
            "event": template.status.as_str(),
            "message_template_id": template.id,
            "message_template_name": key.0,
            "message_template_language": key.1,
            "reason": template.rejected_reason.as_deref().unwrap_or("NONE"),
        }))
    }

    /// What the review of `object` decides: `Some(reason)` to reject.
    pub(crate) fn review(&self, object: &Value) -> Option<String> {
        let name = object["name"].as_str().unwrap_or_default();
        if let Some((_, reason)) = self.rejections.iter().find(|(rule, _)| rule == name) {
            return Some(reason.clone());
        }
        let refused: Vec<String> = review::review(object)
            .into_iter()
            .filter(|finding| finding.rule.severity == Severity::Refused)
            .map(|finding| {
                format!(
                    "{} ({}): {}",
                    finding.rule.id, finding.path, finding.message
                )
            })
            .collect();
        (!refused.is_empty()).then(|| refused.join("; "))
    }
}

impl Inner {
    /// Now, as the template rules (reviews, edit windows, hourly limits)
    /// read it: the machine's clock, moved on by what a test advanced it.
    pub(crate) fn now(&self) -> SystemTime {
        SystemTime::now() + self.advanced
    }

    fn advance(&mut self, by: Duration) {
        self.advanced = self.advanced.saturating_add(by);
    }

    fn settle(&mut self, now: SystemTime) {
        for template in self.managed.values_mut() {
            if let Some((at, outcome)) = &template.review
                && *at <= now
            {
                template.status = match outcome {
                    None => TemplateStatus::Approved,
                    Some(_) => TemplateStatus::Rejected,
                };
                template.rejected_reason = outcome.clone();
                template.review = None;
            }
        }
    }
}
