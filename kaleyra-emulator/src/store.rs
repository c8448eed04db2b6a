//! The accepted messages and the refused requests, newest first, shared by
//! the API, the inbox and the callbacks.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::account::same_number;
use crate::message::StoredMessage;
use crate::requests::{RawRequest, RefusedRequest};

/// The most messages kept; older ones are forgotten first, so a long-running
/// emulator does not grow without bound.
pub(crate) const MAX_MESSAGES: usize = 10_000;

/// The most refused requests kept; older ones are forgotten first.
pub(crate) const MAX_REFUSED: usize = 1_000;

/// The stored messages and refused requests.
#[derive(Debug, Default)]
pub(crate) struct Store {
    // Newest at the front.
    messages: Mutex<VecDeque<StoredMessage>>,
    // Newest at the front.
    refused: Mutex<VecDeque<RefusedRequest>>,
    /// How many requests have been refused, for their ids.
    refusals: AtomicU64,
}

/// Locks `list`; a panic elsewhere while holding the lock leaves it intact.
fn lock<T>(list: &Mutex<T>) -> MutexGuard<'_, T> {
    list.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Store {
    fn lock(&self) -> MutexGuard<'_, VecDeque<StoredMessage>> {
        lock(&self.messages)
    }

    /// Stores `messages`, given oldest first.
    pub(crate) fn insert(&self, messages: impl IntoIterator<Item = StoredMessage>) {
        let mut stored = self.lock();
        for message in messages {
            stored.push_front(message);
        }
        stored.truncate(MAX_MESSAGES);
    }

    /// Every message, newest first.
    pub(crate) fn all(&self) -> Vec<StoredMessage> {
        self.lock().iter().cloned().collect()
    }

    /// The messages to `number` (with or without `+`), newest first.
    pub(crate) fn to(&self, number: &str) -> Vec<StoredMessage> {
        self.lock()
            .iter()
            .filter(|message| same_number(&message.to, number))
            .cloned()
            .collect()
    }

    /// The message with id `id`.
    pub(crate) fn get(&self, id: &str) -> Option<StoredMessage> {
        self.lock().iter().find(|message| message.id == id).cloned()
    }

    /// Changes the message with id `id`; returns the changed message, or
    /// `None` when there is no such message (it was cleared).
    pub(crate) fn update(
        &self,
        id: &str,
        change: impl FnOnce(&mut StoredMessage),
    ) -> Option<StoredMessage> {
        let mut stored = self.lock();
        let message = stored.iter_mut().find(|message| message.id == id)?;
        change(message);
        Some(message.clone())
    }

    /// Forgets every message.
    pub(crate) fn clear(&self) {
        self.lock().clear();
    }

    /// Attaches the request that brought them to the messages with `ids`.
    pub(crate) fn attach_request(&self, ids: &[String], request: &RawRequest) {
        let mut left = ids.len();
        // They were just stored, so they are at the front.
        for message in self.lock().iter_mut() {
            if left == 0 {
                break;
            }
            if ids.contains(&message.id) {
                message.request = Some(request.clone());
                left -= 1;
            }
        }
    }

    /// Keeps the refused request `make` builds from its new id.
    pub(crate) fn refuse(&self, make: impl FnOnce(String) -> RefusedRequest) {
        let number = self.refusals.fetch_add(1, Ordering::Relaxed) + 1;
        let request = make(format!("refused-{number}"));
        let mut refused = lock(&self.refused);
        refused.push_front(request);
        refused.truncate(MAX_REFUSED);
    }

    /// Every refused request kept, newest first.
    pub(crate) fn refused(&self) -> Vec<RefusedRequest> {
        lock(&self.refused).iter().cloned().collect()
    }

    /// Forgets every refused request.
    pub(crate) fn clear_refused(&self) {
        lock(&self.refused).clear();
    }
}
