//! Limited-time offers: Meta's `LIMITED_TIME_OFFER` component, and the rule
//! for the point in time a sent offer expires.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A template's limited-time offer (Meta's `LIMITED_TIME_OFFER` component,
/// `{"text", "has_expiration"}`), read from Meta's template objects only.
///
/// When [`has_expiration`](Self::has_expiration) is set, each message gives
/// the offer's expiry, a point in time ([`std::time::SystemTime`]) sent as
/// Meta's `expiration_time_ms`; WhatsApp shows the countdown to it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct LimitedTimeOffer {
    /// The offer's headline, at most [`crate::limits::OFFER_TEXT`] characters.
    pub text: String,
    /// Whether the offer shows an expiry, which each message then gives.
    pub has_expiration: bool,
}

impl LimitedTimeOffer {
    /// The offer `text`, with or without an expiry.
    pub fn new(text: impl Into<String>, has_expiration: bool) -> Self {
        LimitedTimeOffer {
            text: text.into(),
            has_expiration,
        }
    }
}

/// The expiry as Meta sends it (`expiration_time_ms`, milliseconds since the
/// Unix epoch), or why it cannot be sent at `now`: an offer that has already
/// expired (or expires this very millisecond) is refused, and so is one too
/// far ahead to be written as Meta's 64-bit integer.
///
/// The one rule for an offer's expiry: the runtime's checks, the CLI and the
/// emulator all read it.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use kaleyra_definitions::offer::expiration_time_ms;
///
/// let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
/// assert_eq!(expiration_time_ms(now + Duration::from_secs(60), now), Ok(1_700_000_060_000));
/// assert!(expiration_time_ms(now - Duration::from_secs(60), now).unwrap_err().contains("in the past"));
/// ```
pub fn expiration_time_ms(expiry: SystemTime, now: SystemTime) -> Result<u64, String> {
    let ms = |time: SystemTime| {
        time.duration_since(UNIX_EPOCH)
            .map_or(0, |since| since.as_millis())
    };
    let (expiry_ms, now_ms) = (ms(expiry), ms(now));
    if expiry_ms <= now_ms {
        let ago = Duration::from_millis(u64::try_from(now_ms - expiry_ms).unwrap_or(u64::MAX));
        return Err(format!(
            "is {} in the past (expiration_time_ms {expiry_ms}, now {now_ms}); an offer's expiry must be in the future",
            ago_text(ago)
        ));
    }
    i64::try_from(expiry_ms)
        .ok()
        .and_then(|ms| u64::try_from(ms).ok())
        .ok_or_else(|| {
            format!("is too far in the future: {expiry_ms} ms since 1970 does not fit Meta's 64-bit `expiration_time_ms`")
        })
}

/// `3 s`, `0 ms`: how long ago, for the error.
fn ago_text(ago: Duration) -> String {
    if ago.as_secs() > 0 {
        format!("{} s", ago.as_secs())
    } else {
        format!("{} ms", ago.as_millis())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Duration = Duration::from_secs(1_700_000_000);

    #[test]
    fn an_expiry_one_millisecond_ahead_is_sent_and_now_is_refused() {
        let now = UNIX_EPOCH + NOW;
        assert_eq!(
            expiration_time_ms(now + Duration::from_millis(1), now),
            Ok(1_700_000_000_001)
        );
        let problem = expiration_time_ms(now, now).unwrap_err();
        assert!(problem.contains("0 ms in the past"), "{problem}");
    }

    #[test]
    fn an_expiry_before_1970_is_in_the_past() {
        let before_epoch = UNIX_EPOCH - Duration::from_secs(10);
        let problem = expiration_time_ms(before_epoch, UNIX_EPOCH + NOW).unwrap_err();
        assert!(problem.contains("in the past"), "{problem}");
    }

    #[test]
    fn an_expiry_beyond_sixty_four_bits_of_milliseconds_is_refused() {
        let Some(far) = UNIX_EPOCH.checked_add(Duration::from_millis(u64::MAX)) else {
            return; // this platform's SystemTime cannot hold it
        };
        let problem = expiration_time_ms(far, UNIX_EPOCH + NOW).unwrap_err();
        assert!(problem.contains("64-bit"), "{problem}");
    }
}
