//! The accepted messages, newest first, shared by the API, the inbox and the
//! callbacks.

use std::collections::VecDeque;
use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::account::same_number;
use crate::message::StoredMessage;

/// The most messages kept; older ones are forgotten first, so a long-running
/// emulator does not grow without bound.
pub(crate) const MAX_MESSAGES: usize = 10_000;

/// The stored messages.
#[derive(Debug, Default)]
pub(crate) struct Store {
    // Newest at the front.
    messages: Mutex<VecDeque<StoredMessage>>,
}

impl Store {
    fn lock(&self) -> MutexGuard<'_, VecDeque<StoredMessage>> {
        // A panic elsewhere while holding the lock leaves the list intact.
        self.messages.lock().unwrap_or_else(PoisonError::into_inner)
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
}
