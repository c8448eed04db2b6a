//! The times the emulator writes: Unix seconds, and v1's `createdDateTime`.

use time::OffsetDateTime;

/// Now, in Unix seconds.
pub(crate) fn unix_now() -> u64 {
    u64::try_from(OffsetDateTime::now_utc().unix_timestamp()).unwrap_or_default()
}

/// Now as v1's success bodies write it: `2020-12-08 07:09:37+00:00`.
pub(crate) fn created_date_time() -> String {
    format_created(OffsetDateTime::now_utc())
}

/// `at` as RFC 3339 in UTC, to the second: `2020-12-08T07:09:37Z`.
pub(crate) fn rfc3339(at: std::time::SystemTime) -> String {
    let at = OffsetDateTime::from(at);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

fn format_created(at: OffsetDateTime) -> String {
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}+00:00",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn created_date_time_has_kaleyras_shape() {
        let at = OffsetDateTime::from_unix_timestamp(1_607_411_377).unwrap();
        assert_eq!(format_created(at), "2020-12-08 07:09:37+00:00");
        assert_eq!(rfc3339(at.into()), "2020-12-08T07:09:37Z");
    }
}
