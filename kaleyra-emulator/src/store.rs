//! The accepted messages, the messages simulated customers wrote, and the
//! refused requests, newest first, shared by the API, the inbox and the
//! callbacks.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use crate::account::same_number;
use crate::message::StoredMessage;
use crate::requests::{RawRequest, RefusedRequest};
use crate::written::WrittenMessage;

/// The most messages kept; older ones are forgotten first, so a long-running
/// emulator does not grow without bound. A campaign of 100,000 rows fits.
pub(crate) const MAX_MESSAGES: usize = 100_000;

/// The most refused requests kept; older ones are forgotten first (the
/// count of every refusal is kept, see [`Store::refused_count`]).
pub(crate) const MAX_REFUSED: usize = 1_000;

/// The stored messages and refused requests.
#[derive(Debug, Default)]
pub(crate) struct Store {
    messages: Mutex<Messages>,
    // Newest at the front.
    written: Mutex<VecDeque<WrittenMessage>>,
    // Newest at the front.
    refused: Mutex<VecDeque<RefusedRequest>>,
    /// How many requests have been refused, for their ids.
    refusals: AtomicU64,
    /// What `refusals` was when the refused requests were last cleared.
    refusals_cleared: AtomicU64,
    /// Moves on with every change, so the inbox asks for a new view only
    /// when there is something new to show.
    version: AtomicU64,
}

/// The messages in the order they were stored, found by id in one step:
/// 100,000 messages each updated three times by its status callbacks must
/// not mean a scan of the list per update.
#[derive(Debug, Default)]
struct Messages {
    next: u64,
    by_order: BTreeMap<u64, Entry>,
    order_of: HashMap<String, u64>,
}

/// A stored message and the lowercase text the inbox's search reads.
#[derive(Debug)]
pub(crate) struct Entry {
    pub(crate) message: StoredMessage,
    pub(crate) haystack: String,
}

impl Entry {
    fn new(message: StoredMessage) -> Entry {
        let haystack = haystack(&message);
        Entry { message, haystack }
    }
}

/// The lowercase text of `message` the search reads: everything the page
/// shows of it but its request, which several messages may share and is
/// searched once per request.
fn haystack(message: &StoredMessage) -> String {
    let mut parts: Vec<&str> = vec![
        &message.id,
        &message.from,
        &message.to,
        &message.body,
        message.api.as_str(),
    ];
    parts.extend(message.template_name.as_deref());
    parts.extend(message.language.as_deref());
    parts.extend(message.footer.as_deref());
    parts.extend(message.callback_url.as_deref());
    parts.extend(message.refs.iter().map(|(_, value)| value));
    if let Some(header) = &message.header {
        parts.extend(header.text.as_deref());
        parts.extend(header.url.as_deref());
        parts.extend(header.caption.as_deref());
    }
    parts.extend(message.params.iter().map(String::as_str));
    for button in &message.buttons {
        parts.push(&button.text);
        parts.extend(button.url.as_deref());
        parts.extend(button.payload.as_deref());
        parts.extend(button.id.as_deref());
        parts.extend(button.phone_number.as_deref());
    }
    if let Some(fault) = &message.fault {
        parts.push(&fault.fault_id);
        parts.push(&fault.summary);
        parts.push("fault");
    }
    parts.push(message.kind.as_str());
    parts.join("\n").to_lowercase()
}

/// Locks `list`; a panic elsewhere while holding the lock leaves it intact.
fn lock<T>(list: &Mutex<T>) -> MutexGuard<'_, T> {
    list.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Store {
    fn lock(&self) -> MutexGuard<'_, Messages> {
        lock(&self.messages)
    }

    fn changed(&self) {
        self.version.fetch_add(1, Ordering::Relaxed);
    }

    /// A number that moves on whenever a message, a written message or a
    /// refusal is stored, changed or cleared.
    pub(crate) fn version(&self) -> u64 {
        self.version.load(Ordering::Relaxed)
    }

    /// Stores `messages`, given oldest first.
    pub(crate) fn insert(&self, messages: impl IntoIterator<Item = StoredMessage>) {
        let mut stored = self.lock();
        for message in messages {
            let order = stored.next;
            stored.next += 1;
            stored.order_of.insert(message.id.clone(), order);
            stored.by_order.insert(order, Entry::new(message));
        }
        while stored.by_order.len() > MAX_MESSAGES {
            let Some((order, oldest)) = stored.by_order.pop_first() else {
                break;
            };
            if stored.order_of.get(&oldest.message.id) == Some(&order) {
                stored.order_of.remove(&oldest.message.id);
            }
        }
        drop(stored);
        self.changed();
    }

    /// Every message, newest first.
    pub(crate) fn all(&self) -> Vec<StoredMessage> {
        self.scan(|entries| entries.map(|entry| entry.message.clone()).collect())
    }

    /// What `read` makes of every stored entry, newest first, read under the
    /// lock without copying them.
    pub(crate) fn scan<R>(&self, read: impl FnOnce(&mut dyn Iterator<Item = &Entry>) -> R) -> R {
        let stored = self.lock();
        read(&mut stored.by_order.values().rev())
    }

    /// The messages to `number` (with or without `+`), newest first.
    pub(crate) fn to(&self, number: &str) -> Vec<StoredMessage> {
        self.scan(|entries| {
            entries
                .filter(|entry| same_number(&entry.message.to, number))
                .map(|entry| entry.message.clone())
                .collect()
        })
    }

    /// The message with id `id`.
    pub(crate) fn get(&self, id: &str) -> Option<StoredMessage> {
        let stored = self.lock();
        let order = stored.order_of.get(id)?;
        stored
            .by_order
            .get(order)
            .map(|entry| entry.message.clone())
    }

    /// Changes the message with id `id`; returns the changed message, or
    /// `None` when there is no such message (it was cleared).
    pub(crate) fn update(
        &self,
        id: &str,
        change: impl FnOnce(&mut StoredMessage),
    ) -> Option<StoredMessage> {
        let mut stored = self.lock();
        let order = *stored.order_of.get(id)?;
        let entry = stored.by_order.get_mut(&order)?;
        change(&mut entry.message);
        entry.haystack = haystack(&entry.message);
        let changed = entry.message.clone();
        drop(stored);
        self.changed();
        Some(changed)
    }

    /// Forgets every message, sent and written.
    pub(crate) fn clear(&self) {
        let mut stored = self.lock();
        stored.by_order.clear();
        stored.order_of.clear();
        drop(stored);
        lock(&self.written).clear();
        self.changed();
    }

    /// Keeps a message a simulated customer wrote.
    pub(crate) fn insert_written(&self, message: WrittenMessage) {
        let mut written = lock(&self.written);
        written.push_front(message);
        written.truncate(MAX_MESSAGES);
        drop(written);
        self.changed();
    }

    /// The messages simulated customers wrote, newest first; only those
    /// `customer` (with or without `+`) wrote when given.
    pub(crate) fn written(&self, customer: Option<&str>) -> Vec<WrittenMessage> {
        lock(&self.written)
            .iter()
            .filter(|message| customer.is_none_or(|number| same_number(&message.from, number)))
            .cloned()
            .collect()
    }

    /// Attaches the request that brought them to the messages with `ids`;
    /// they share one copy (a v1 request to 1,000 recipients is kept once).
    pub(crate) fn attach_request(&self, ids: &[String], request: &RawRequest) {
        let shared = Arc::new(request.clone());
        let mut stored = self.lock();
        for id in ids {
            let Some(&order) = stored.order_of.get(id) else {
                continue;
            };
            if let Some(entry) = stored.by_order.get_mut(&order) {
                entry.message.request = Some(Arc::clone(&shared));
            }
        }
        drop(stored);
        self.changed();
    }

    /// Keeps the refused request `make` builds from its new id.
    pub(crate) fn refuse(&self, make: impl FnOnce(String) -> RefusedRequest) {
        // Counted under the lock, so the count and the list agree.
        let mut refused = lock(&self.refused);
        let number = self.refusals.fetch_add(1, Ordering::Relaxed) + 1;
        refused.push_front(make(format!("refused-{number}")));
        refused.truncate(MAX_REFUSED);
        drop(refused);
        self.changed();
    }

    /// How many requests were refused since the start or the last clear,
    /// kept or not.
    pub(crate) fn refused_count(&self) -> u64 {
        let _refused = lock(&self.refused);
        self.refusals.load(Ordering::Relaxed) - self.refusals_cleared.load(Ordering::Relaxed)
    }

    /// What `read` makes of the refused requests kept, newest first, read
    /// under the lock without copying them.
    pub(crate) fn scan_refused<R>(
        &self,
        read: impl FnOnce(&mut dyn Iterator<Item = &RefusedRequest>) -> R,
    ) -> R {
        let refused = lock(&self.refused);
        read(&mut refused.iter())
    }

    /// Every refused request kept, newest first.
    pub(crate) fn refused(&self) -> Vec<RefusedRequest> {
        lock(&self.refused).iter().cloned().collect()
    }

    /// Forgets every refused request.
    pub(crate) fn clear_refused(&self) {
        let mut refused = lock(&self.refused);
        refused.clear();
        self.refusals_cleared
            .store(self.refusals.load(Ordering::Relaxed), Ordering::Relaxed);
        drop(refused);
        self.changed();
    }
}
