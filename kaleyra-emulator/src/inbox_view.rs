//! What the inbox page shows, computed here from the store so the page stays
//! fast at 100,000 messages: the conversations that match its filters, in
//! pages and by campaign (the `ref` before its last `:`, as `kaleyra send`
//! writes `<campaign>:<line>`); the chosen conversation's messages; and the
//! refused requests, identical ones collapsed with their count. Counts are
//! exact, whatever is shown.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::message::{ApiVersion, StoredMessage};
use crate::requests::{RawRequest, RefusedRequest};
use crate::state::Shared;
use crate::store::{Entry, MAX_REFUSED};
use crate::written::WrittenMessage;

/// Conversations in one page of the list.
pub(crate) const CONVERSATIONS_PER_PAGE: usize = 100;

/// The newest messages of a conversation shown at once.
pub(crate) const MESSAGES_SHOWN: usize = 500;

/// The groups of identical refusals shown at once.
pub(crate) const REFUSAL_GROUPS_SHOWN: usize = 200;

/// The ids listed for one group of identical refusals.
const IDS_PER_GROUP: usize = 20;

/// The page's filters and choices, as query parameters of `GET /emulator/inbox`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ViewQuery {
    /// `v1` or `v2`; anything else (or nothing) is both.
    #[serde(default)]
    api: Option<String>,
    /// `accepted` (messages only) or `refused` (refusals only).
    #[serde(default)]
    outcome: Option<String>,
    /// Text to look for, in any case.
    #[serde(default)]
    search: Option<String>,
    /// Only this campaign's messages; empty for those of no campaign.
    #[serde(default)]
    campaign: Option<String>,
    /// `refused`, or `conversation` with `from` and `to`; else the entry with
    /// the newest activity.
    #[serde(default)]
    select: Option<String>,
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    to: Option<String>,
    /// The first conversation of the page.
    #[serde(default)]
    offset: usize,
}

/// `GET /emulator/inbox`'s answer.
#[derive(Debug, Serialize)]
pub(crate) struct View {
    /// The store's version this view was made from.
    version: u64,
    /// Messages kept, messages written by customers, and every refusal since
    /// the start (or the last clear), kept or not.
    totals: Totals,
    /// The campaigns among the matching messages, biggest first; `campaign`
    /// is `null` for messages without one.
    campaigns: Vec<CampaignCount>,
    /// One page of the matching conversations, newest activity first.
    conversations: Page,
    /// The matching refused requests: how many, and the newest.
    refused: RefusedSummary,
    /// What is shown on the right.
    selected: Selected,
}

#[derive(Debug, Serialize)]
struct Totals {
    messages: usize,
    written: usize,
    refused: u64,
    refused_kept: usize,
    refused_kept_at_most: usize,
}

#[derive(Debug, Serialize)]
struct CampaignCount {
    campaign: Option<String>,
    messages: usize,
    conversations: usize,
}

#[derive(Debug, Serialize)]
struct Page {
    total: usize,
    offset: usize,
    per_page: usize,
    items: Vec<ConversationSummary>,
}

#[derive(Debug, Clone, Serialize)]
struct ConversationSummary {
    from: String,
    to: String,
    api: ApiVersion,
    count: usize,
    newest_at: u64,
    preview: String,
    campaign: Option<String>,
}

#[derive(Debug, Serialize)]
struct RefusedSummary {
    /// Matching refusals kept.
    matching: usize,
    newest: Option<RefusedRequest>,
}

#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum Selected {
    Nothing,
    Refused {
        groups: Vec<RefusalGroup>,
        group_count: usize,
    },
    Conversation {
        from: String,
        to: String,
        api: ApiVersion,
        total: usize,
        messages: Vec<StoredMessage>,
        written: Vec<WrittenMessage>,
    },
}

/// Identical refusals (same route, status, code and reasons), collapsed.
#[derive(Debug, Serialize)]
struct RefusalGroup {
    count: usize,
    /// The newest of them, shown in full.
    refusal: RefusedRequest,
    oldest_at: u64,
    /// The ids of the newest of them.
    ids: Vec<String>,
}

/// What the filters ask for, read once.
struct Filter {
    api: Option<&'static str>,
    messages: bool,
    refusals: bool,
    needle: Option<String>,
    campaign: Option<Option<String>>,
}

impl Filter {
    fn new(query: &ViewQuery) -> Filter {
        let api = match query.api.as_deref() {
            Some("v1") => Some("v1"),
            Some("v2") => Some("v2"),
            _ => None,
        };
        let outcome = query.outcome.as_deref().unwrap_or_default();
        Filter {
            api,
            messages: outcome != "refused",
            refusals: outcome != "accepted",
            needle: query
                .search
                .as_deref()
                .map(str::trim)
                .filter(|text| !text.is_empty())
                .map(str::to_lowercase),
            campaign: query
                .campaign
                .as_ref()
                .map(|name| Some(name.clone()).filter(|name| !name.is_empty())),
        }
    }

    fn api_matches(&self, api: ApiVersion) -> bool {
        self.api.is_none_or(|wanted| wanted == api.as_str())
    }
}

/// The campaign of a message: its `ref` before the last `:`.
fn campaign(message: &StoredMessage) -> Option<&str> {
    let reference = message.refs.reference.as_deref()?;
    reference
        .rsplit_once(':')
        .map(|(campaign, _)| campaign)
        .filter(|campaign| !campaign.is_empty())
}

/// Whether a request matches the search; each shared request is read once.
struct RequestSearch<'a> {
    needle: &'a str,
    seen: HashMap<*const RawRequest, bool>,
}

impl RequestSearch<'_> {
    fn matches(&mut self, request: &Arc<RawRequest>) -> bool {
        let needle = self.needle;
        *self
            .seen
            .entry(Arc::as_ptr(request))
            .or_insert_with(|| request_matches(request, needle))
    }
}

fn request_matches(request: &RawRequest, needle: &str) -> bool {
    [
        Some(request.method.as_str()),
        Some(request.path.as_str()),
        request.query.as_deref(),
        request.content_type.as_deref(),
        Some(request.body.as_str()),
    ]
    .into_iter()
    .flatten()
    .any(|part| part.to_lowercase().contains(needle))
}

/// Whether a stored message passes the filters: its API, its campaign, and
/// the search over its text or (read once per request) its request.
fn entry_matches(entry: &Entry, filter: &Filter, requests: Option<&mut RequestSearch<'_>>) -> bool {
    let message = &entry.message;
    if !filter.messages || !filter.api_matches(message.api) {
        return false;
    }
    if let Some(wanted) = &filter.campaign
        && wanted.as_deref() != campaign(message)
    {
        return false;
    }
    match (&filter.needle, requests) {
        (Some(needle), Some(requests)) => {
            entry.haystack.contains(needle.as_str())
                || message
                    .request
                    .as_ref()
                    .is_some_and(|request| requests.matches(request))
        }
        _ => true,
    }
}

fn written_matches(message: &WrittenMessage, filter: &Filter) -> bool {
    if !filter.messages || !filter.api_matches(message.api) || filter.campaign.is_some() {
        return false;
    }
    let Some(needle) = &filter.needle else {
        return true;
    };
    [
        message.id.as_str(),
        &message.from,
        &message.to,
        message.content.kind(),
        &message.summary,
        &message.name,
    ]
    .into_iter()
    .chain(message.reply_to.as_deref())
    .any(|part| part.to_lowercase().contains(needle.as_str()))
}

fn refusal_matches(refusal: &RefusedRequest, filter: &Filter) -> bool {
    if !filter.refusals || !filter.api_matches(refusal.api) {
        return false;
    }
    let Some(needle) = &filter.needle else {
        return true;
    };
    let status = refusal.http_status.to_string();
    let mut parts = vec![
        refusal.id.as_str(),
        &refusal.code,
        &refusal.message,
        &status,
    ];
    for problem in &refusal.problems {
        parts.push(&problem.field);
        parts.push(&problem.reason);
    }
    if let Some(fault) = &refusal.fault {
        parts.push(&fault.fault_id);
        parts.push(&fault.summary);
        parts.push("fault");
    }
    parts
        .into_iter()
        .any(|part| part.to_lowercase().contains(needle.as_str()))
        || request_matches(&refusal.request, needle)
}

/// What makes two refusals the same for the page.
fn refusal_key(refusal: &RefusedRequest) -> String {
    let mut key = format!(
        "{}\n{}\n{}\n{}\n{}",
        refusal.request.method,
        refusal.request.path,
        refusal.http_status,
        refusal.code,
        refusal.message
    );
    for problem in &refusal.problems {
        key.push('\n');
        key.push_str(&problem.field);
        key.push('\t');
        key.push_str(&problem.reason);
    }
    if let Some(fault) = &refusal.fault {
        key.push('\n');
        key.push_str(&fault.fault_id);
    }
    key
}

/// A campaign being counted: its messages and the conversations they are in.
type CampaignTally = (usize, HashSet<(String, String)>);

/// One conversation being counted.
struct Tally {
    summary: ConversationSummary,
    /// Where it was first met, newest first, so equal times keep that order.
    first_seen: usize,
}

/// The view `query` asks for.
pub(crate) fn view(shared: &Shared, query: &ViewQuery) -> View {
    let filter = Filter::new(query);
    let version = shared.store.version();
    let mut tallies: HashMap<(String, String), Tally> = HashMap::new();
    let mut campaigns: HashMap<Option<String>, CampaignTally> = HashMap::new();
    let total_messages = shared.store.scan(|entries| {
        let mut total = 0;
        let mut requests = filter.needle.as_deref().map(|needle| RequestSearch {
            needle,
            seen: HashMap::new(),
        });
        for entry in entries {
            total += 1;
            let message = &entry.message;
            if !entry_matches(entry, &filter, requests.as_mut()) {
                continue;
            }
            let its_campaign = campaign(message);
            let key = (message.from.clone(), message.to.clone());
            let counted = campaigns
                .entry(its_campaign.map(str::to_owned))
                .or_default();
            counted.0 += 1;
            counted.1.insert(key.clone());
            let first_seen = tallies.len();
            tallies
                .entry(key)
                .or_insert_with(|| Tally {
                    summary: ConversationSummary {
                        from: message.from.clone(),
                        to: message.to.clone(),
                        api: message.api,
                        count: 0,
                        newest_at: message.received_at,
                        preview: preview(message),
                        campaign: its_campaign.map(str::to_owned),
                    },
                    first_seen,
                })
                .summary
                .count += 1;
        }
        total
    });
    let written = shared.store.written(None);
    for message in written
        .iter()
        .filter(|message| written_matches(message, &filter))
    {
        // A customer's message joins the conversation with its business number.
        let key = (message.to.clone(), message.from.clone());
        let first_seen = tallies.len();
        let tally = tallies.entry(key).or_insert_with(|| Tally {
            summary: ConversationSummary {
                from: message.to.clone(),
                to: message.from.clone(),
                api: message.api,
                count: 0,
                newest_at: message.written_at,
                preview: message.summary.clone(),
                campaign: None,
            },
            first_seen,
        });
        tally.summary.count += 1;
        if message.written_at > tally.summary.newest_at {
            tally.summary.newest_at = message.written_at;
            tally.summary.preview = message.summary.clone();
        }
    }
    let mut conversations: Vec<Tally> = tallies.into_values().collect();
    conversations.sort_by(|a, b| {
        b.summary
            .newest_at
            .cmp(&a.summary.newest_at)
            .then(a.first_seen.cmp(&b.first_seen))
    });
    let mut campaigns: Vec<CampaignCount> = campaigns
        .into_iter()
        .map(|(campaign, (messages, keys))| CampaignCount {
            campaign,
            messages,
            conversations: keys.len(),
        })
        .collect();
    campaigns.sort_by(|a, b| {
        b.messages
            .cmp(&a.messages)
            .then_with(|| a.campaign.cmp(&b.campaign))
    });

    let (refused_kept, matching_refused, newest_refusal) = shared.store.scan_refused(|refusals| {
        let mut kept = 0;
        let mut matching = 0;
        let mut newest = None;
        for refusal in refusals {
            kept += 1;
            if refusal_matches(refusal, &filter) {
                matching += 1;
                if newest.is_none() {
                    newest = Some(refusal.clone());
                }
            }
        }
        (kept, matching, newest)
    });

    let selected = select(
        shared,
        query,
        &filter,
        &conversations,
        newest_refusal.as_ref(),
    );
    let offset = query.offset.min(conversations.len());
    View {
        version,
        totals: Totals {
            messages: total_messages,
            written: written.len(),
            refused: shared.store.refused_count(),
            refused_kept,
            refused_kept_at_most: MAX_REFUSED,
        },
        campaigns,
        conversations: Page {
            total: conversations.len(),
            offset,
            per_page: CONVERSATIONS_PER_PAGE,
            items: conversations
                .iter()
                .skip(offset)
                .take(CONVERSATIONS_PER_PAGE)
                .map(|tally| tally.summary.clone())
                .collect(),
        },
        refused: RefusedSummary {
            matching: matching_refused,
            newest: newest_refusal,
        },
        selected,
    }
}

fn preview(message: &StoredMessage) -> String {
    match message.body.lines().next() {
        Some(line) if !line.is_empty() => line.to_owned(),
        _ => message
            .template_name
            .clone()
            .unwrap_or_else(|| message.kind.as_str().to_owned()),
    }
}

/// What is shown on the right: what the page chose, if it still matches;
/// else the entry with the newest activity (a conversation wins a tie).
fn select(
    shared: &Shared,
    query: &ViewQuery,
    filter: &Filter,
    conversations: &[Tally],
    newest_refusal: Option<&RefusedRequest>,
) -> Selected {
    let chosen = match (query.select.as_deref(), &query.from, &query.to) {
        (Some("refused"), _, _) if newest_refusal.is_some() => {
            return refusal_groups(shared, filter);
        }
        (Some("conversation"), Some(from), Some(to)) => conversations
            .iter()
            .find(|tally| &tally.summary.from == from && &tally.summary.to == to),
        _ => None,
    };
    let chosen = match chosen {
        Some(chosen) => chosen,
        None => match (conversations.first(), newest_refusal) {
            (None, None) => return Selected::Nothing,
            (None, Some(_)) => return refusal_groups(shared, filter),
            (Some(first), Some(refusal)) if refusal.received_at > first.summary.newest_at => {
                return refusal_groups(shared, filter);
            }
            (Some(first), _) => first,
        },
    };
    conversation(shared, filter, &chosen.summary)
}

fn conversation(shared: &Shared, filter: &Filter, summary: &ConversationSummary) -> Selected {
    let (total, messages) = shared.store.scan(|entries| {
        let mut total = 0;
        let mut shown = Vec::new();
        let mut requests = filter.needle.as_deref().map(|needle| RequestSearch {
            needle,
            seen: HashMap::new(),
        });
        for entry in entries {
            let message = &entry.message;
            if message.from != summary.from || message.to != summary.to {
                continue;
            }
            if !entry_matches(entry, filter, requests.as_mut()) {
                continue;
            }
            total += 1;
            if shown.len() < MESSAGES_SHOWN {
                shown.push(message.clone());
            }
        }
        (total, shown)
    });
    let written: Vec<WrittenMessage> = shared
        .store
        .written(Some(&summary.to))
        .into_iter()
        .filter(|message| message.to == summary.from && written_matches(message, filter))
        .take(MESSAGES_SHOWN)
        .collect();
    Selected::Conversation {
        from: summary.from.clone(),
        to: summary.to.clone(),
        api: summary.api,
        total: total + written.len(),
        messages,
        written,
    }
}

fn refusal_groups(shared: &Shared, filter: &Filter) -> Selected {
    shared.store.scan_refused(|refusals| {
        let mut order: Vec<String> = Vec::new();
        let mut groups: HashMap<String, RefusalGroup> = HashMap::new();
        for refusal in refusals.filter(|refusal| refusal_matches(refusal, filter)) {
            let key = refusal_key(refusal);
            match groups.get_mut(&key) {
                Some(group) => {
                    group.count += 1;
                    group.oldest_at = refusal.received_at;
                    if group.ids.len() < IDS_PER_GROUP {
                        group.ids.push(refusal.id.clone());
                    }
                }
                None => {
                    order.push(key.clone());
                    groups.insert(
                        key,
                        RefusalGroup {
                            count: 1,
                            refusal: refusal.clone(),
                            oldest_at: refusal.received_at,
                            ids: vec![refusal.id.clone()],
                        },
                    );
                }
            }
        }
        let group_count = order.len();
        let groups = order
            .into_iter()
            .take(REFUSAL_GROUPS_SHOWN)
            .filter_map(|key| groups.remove(&key))
            .collect();
        Selected::Refused {
            groups,
            group_count,
        }
    })
}
