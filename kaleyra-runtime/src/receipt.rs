//! What Kaleyra answers when it accepts a message.

/// Kaleyra's acceptance of a message: one [`SentMessage`] per recipient.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Receipt {
    messages: Vec<SentMessage>,
}

/// One accepted message to one recipient.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SentMessage {
    /// The recipient, as Kaleyra reports it (v1 writes it without `+`).
    pub recipient: String,
    /// The message id, which status callbacks refer to.
    pub message_id: String,
    /// v1: the id of the request that sent it (shared by its recipients).
    pub request_id: Option<String>,
    /// v2: Kaleyra's response code, `WA202`.
    pub code: Option<String>,
    /// v1: when Kaleyra created the request (`createdDateTime`).
    pub created_at: Option<String>,
}

impl SentMessage {
    pub(crate) fn new(recipient: String, message_id: String) -> Self {
        SentMessage {
            recipient,
            message_id,
            request_id: None,
            code: None,
            created_at: None,
        }
    }
}

impl Receipt {
    pub(crate) fn new(messages: Vec<SentMessage>) -> Self {
        Receipt { messages }
    }

    /// Every accepted message, one per recipient.
    pub fn messages(&self) -> &[SentMessage] {
        &self.messages
    }

    /// The id of the first (for one recipient, the only) message.
    pub fn message_id(&self) -> Option<&str> {
        self.messages.first().map(|m| m.message_id.as_str())
    }

    /// Each message id, in recipient order.
    pub fn message_ids(&self) -> impl Iterator<Item = &str> {
        self.messages.iter().map(|m| m.message_id.as_str())
    }

    /// v1: the request id (`id`).
    pub fn request_id(&self) -> Option<&str> {
        self.messages.iter().find_map(|m| m.request_id.as_deref())
    }

    /// v2: the response code (`WA202`).
    pub fn code(&self) -> Option<&str> {
        self.messages.iter().find_map(|m| m.code.as_deref())
    }

    pub(crate) fn merge(&mut self, other: Receipt) {
        self.messages.extend(other.messages);
    }
}
