//! A campaign that stops itself: Kaleyra answered with a code that no row
//! can succeed with (see [`kaleyra_runtime::Error::stops_campaign`]), so
//! sending the other rows would only have each of them refused.

use std::fmt;

use kaleyra_runtime::definitions::codes::AnswerCode;

use crate::state::Summary;

/// How many refusals that no row can succeed with (a wrong key, a number
/// not on the account, the balance, a paused template...) stop a run.
///
/// Three, not one: such a refusal is never sent and costs nothing, and a
/// lone one can be a passing fault in front of Kaleyra (a key being
/// rotated, a gateway mid-deploy); three in one run are not, consecutive
/// or not (a success does not reset the count). Until Kaleyra has accepted
/// one message of the run, requests go one at a time, so a wrong key costs
/// at most this many requests, whatever the concurrency.
pub const STOP_AFTER_REFUSALS: u64 = 3;

/// Why a run stopped before its end on its own: Kaleyra refused requests
/// with a code that no other row can succeed with. The rows refused so are
/// back to `pending`, as are the rows not sent, so a rerun once the cause is
/// fixed sends them; none is counted as failed.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Blocked {
    /// The code, with its meaning and what to do (its row of Kaleyra's table).
    pub code: &'static AnswerCode,
    /// How many requests got such a refusal in this run.
    pub refusals: u64,
    /// The first refusal, as the runtime describes it (it never contains
    /// the API key), or the failed status that stopped the run.
    pub first_error: String,
    /// The line whose `failed` status (Meta's `132015` or `132016`, read
    /// from the journal while the run sent) stopped the run, when a status
    /// rather than an answer did; [`Blocked::refusals`] then counts the
    /// answers alone, maybe none.
    pub status_line: Option<u64>,
    /// The journal's counts when the run stopped.
    pub summary: Summary,
}

impl fmt::Display for Blocked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.status_line.is_some() {
            return write!(
                f,
                "a status callback said {} ({}), which no row can be sent with until it is fixed: {}. \
                 The campaign stopped; the {} unsent rows are pending, and a rerun once it is fixed sends them. \
                 The status: {}",
                self.code.code,
                self.code.meaning,
                self.code.remedy,
                self.summary.pending + self.summary.sending,
                self.first_error
            );
        }
        write!(
            f,
            "Kaleyra refused {} request(s) with {} ({}), which no row can be sent with until it is fixed: {}. \
             The campaign stopped; the {} unsent rows are pending, and a rerun once it is fixed sends them. \
             First refusal: {}",
            self.refusals,
            self.code.code,
            self.code.meaning,
            self.code.remedy,
            self.summary.pending + self.summary.sending,
            self.first_error
        )
    }
}

#[cfg(test)]
mod tests {
    use kaleyra_runtime::definitions::codes;

    use super::*;

    #[test]
    fn it_says_the_code_what_to_do_and_where_the_rows_are() {
        let blocked = Blocked {
            code: &codes::E110,
            refusals: 3,
            first_error: "HTTP 400, E110: low balance".to_owned(),
            status_line: None,
            summary: Summary {
                pending: 7,
                sent: 2,
                ..Summary::default()
            },
        };
        let shown = blocked.to_string();
        for part in [
            "refused 3 request(s) with E110",
            codes::E110.meaning,
            codes::E110.remedy,
            "the 7 unsent rows are pending",
            "First refusal: HTTP 400, E110: low balance",
        ] {
            assert!(shown.contains(part), "{part:?} in {shown}");
        }
    }
}
