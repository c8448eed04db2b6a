//! Kaleyra's status callbacks recorded per row: delivered, read, failed.

use kaleyra_runtime::callbacks::{DeliveryState, DeliveryStatus, Event};

/// What recording one status callback did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum StatusOutcome {
    /// The row's last status moved forward.
    Recorded,
    /// The row already had this status or a later one (a `sent` arriving
    /// after `delivered`): nothing changed.
    Older,
    /// This callback was recorded before (Kaleyra delivers at least once).
    Repeated,
    /// No row of this journal has the message's `ref` or id.
    Unmatched,
    /// Not a status this journal keeps (a customer's message, a template
    /// update, a status this crate does not know).
    Ignored,
}

/// A status as the journal keeps it, and how far along it is
/// ([`DeliveryState::rank`], the one order): a row's status only moves to a
/// higher rank.
pub(crate) fn rank(state: &DeliveryState) -> Option<(&'static str, i64)> {
    let known = DeliveryState::KNOWN.iter().find(|known| known == &state)?;
    Some((known.as_str(), i64::from(known.rank()?)))
}

/// The SQL rank of the stored `last_status`, built from [`rank`]'s order:
/// `CASE last_status WHEN 'sent' THEN 1 .. ELSE 0 END`.
pub(crate) fn stored_rank() -> &'static str {
    static SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        let cases: String = DeliveryState::KNOWN
            .iter()
            .filter_map(rank)
            .map(|(name, rank)| format!("WHEN '{name}' THEN {rank} "))
            .collect();
        format!("CASE last_status {cases}ELSE 0 END")
    });
    &SQL
}

/// The status event of `event`, if it is one.
pub(crate) fn status_of(event: &Event) -> Option<&DeliveryStatus> {
    match event {
        Event::Status(status) => Some(status),
        _ => None,
    }
}

/// The line a `ref` names, when it is `<campaign_id>:<line>` of this campaign.
pub(crate) fn line_of(reference: &str, campaign_id: &str) -> Option<u64> {
    let (campaign, line) = reference.rsplit_once(':')?;
    (campaign == campaign_id).then(|| line.parse().ok())?
}

/// Why a status failed, as one line.
pub(crate) fn failure_text(status: &DeliveryStatus) -> Option<String> {
    let error = status.error.as_ref()?;
    match (&error.code, &error.message) {
        (Some(code), Some(message)) => Some(format!("{code}: {message}")),
        (Some(text), None) | (None, Some(text)) => Some(text.clone()),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::{line_of, rank, stored_rank};
    use kaleyra_runtime::callbacks::DeliveryState;

    #[test]
    fn the_stored_rank_follows_the_delivery_order() {
        assert_eq!(
            stored_rank(),
            "CASE last_status WHEN 'sent' THEN 1 WHEN 'delivered' THEN 2 WHEN 'failed' THEN 2 \
             WHEN 'not-sent' THEN 2 WHEN 'read' THEN 3 WHEN 'deleted' THEN 4 ELSE 0 END"
        );
        assert_eq!(rank(&DeliveryState::Other("queued".into())), None);
    }

    #[test]
    fn a_ref_names_a_line_of_its_own_campaign_only() {
        assert_eq!(line_of("0123456789ab:42", "0123456789ab"), Some(42));
        assert_eq!(line_of("ffffffffffff:42", "0123456789ab"), None);
        assert_eq!(line_of("0123456789ab:x", "0123456789ab"), None);
        assert_eq!(line_of("42", "0123456789ab"), None);
    }
}
