//! Meta's `phone_number_quality_update` change: the business number's
//! quality or messaging limit changed.

use serde_json::{Map, Value};

use super::fields::take_text;
use super::updates::{MessagingLimit, PhoneNumberEvent, PhoneNumberQualityUpdate};

/// The update a change's `value` reports; every field it does not model
/// stays in `extra`.
pub(super) fn phone_number_quality(mut object: Map<String, Value>) -> PhoneNumberQualityUpdate {
    let limit = |object: &mut Map<String, Value>, key: &str| {
        take_text(object, key).map(|text| MessagingLimit::parse(&text))
    };
    PhoneNumberQualityUpdate {
        display_phone_number: take_text(&mut object, "display_phone_number"),
        event: PhoneNumberEvent::parse(&take_text(&mut object, "event").unwrap_or_default()),
        current_limit: limit(&mut object, "current_limit"),
        old_limit: limit(&mut object, "old_limit"),
        business_limit: limit(&mut object, "max_daily_conversations_per_business"),
        extra: object,
    }
}
