//! The state the routes, the customer simulation and the emulator handle share.

use std::time::Duration;

use kaleyra_definitions::TemplateSet;
use tokio_util::sync::CancellationToken;

use crate::account::Account;
use crate::callbacks::Poster;
use crate::faults::Faults;
use crate::ids::Ids;
use crate::store::Store;

/// The account, templates and messages of one emulator, and what reports on them.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) account: Account,
    pub(crate) templates: TemplateSet,
    /// Where the templates were read from; the template list reads it again
    /// on each request.
    pub(crate) templates_dir: Option<std::path::PathBuf>,
    pub(crate) store: Store,
    /// Templates created, edited and deleted through the API.
    pub(crate) template_store: crate::template_store::TemplateStore,
    /// Media uploaded for headers to show by id.
    pub(crate) uploads: crate::uploads::Uploads,
    /// Where message ids come from: random, or from a seed.
    pub(crate) ids: Ids,
    /// The fault rules set through `/emulator/faults`.
    pub(crate) faults: Faults,
    pub(crate) poster: Poster,
    /// The business numbers' Incoming URL (Kaleyra's number setting), where
    /// the messages simulated customers write are posted.
    pub(crate) incoming_url: Option<String>,
    pub(crate) callback_delay: Duration,
    /// Cancelled when the emulator stops, which ends its callback tasks.
    pub(crate) stopping: CancellationToken,
}
