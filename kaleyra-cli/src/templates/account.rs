//! The account's client and its template list, for `pull`, `check`, `push`,
//! `status` and `delete`.

use std::num::NonZeroUsize;

use clap::Args;
use kaleyra_runtime::account_templates::{TemplateList, TemplateListOptions};
use kaleyra_runtime::{ApiVersion, Client};

use super::could_not;
use crate::failure::Failure;

/// Which account to list, beside the `KALEYRA_*` variables of the client.
#[derive(Debug, Args)]
pub struct AccountArgs {
    /// The WhatsApp business account (WABA) id whose templates are listed.
    #[arg(long, env = "KALEYRA_WABA_ID")]
    pub waba_id: String,
    /// Ask for pages of this many templates (`limit=`); Kaleyra chooses when not given.
    #[arg(long, env = "KALEYRA_TEMPLATES_PAGE_SIZE")]
    pub page_size: Option<NonZeroUsize>,
}

/// Every template the account lists, all pages, or why not.
pub async fn list(args: &AccountArgs) -> Result<TemplateList, Failure> {
    let client = client("list the account's templates")?;
    list_with(&client, args).await
}

/// The v2 client the `KALEYRA_*` variables configure, for `what` (`list
/// the account's templates`, `push templates`, ..), or why not.
pub fn client(what: &str) -> Result<Client, Failure> {
    let client = Client::from_env().map_err(|error| {
        could_not(format!(
            "cannot {what}: {error} (the template commands read KALEYRA_SID, KALEYRA_API_KEY, KALEYRA_FROM, KALEYRA_API=v2)"
        ))
    })?;
    if client.api().version() == ApiVersion::V1 {
        return Err(could_not(format!(
            "cannot {what}: the account's templates are on Kaleyra's v2 API only (its v1 pages document no list JSON, and contradict each other on creation). \
             Set KALEYRA_API=v2 for a number on v2, or save the list and run `kaleyra templates import FILE`"
        )));
    }
    Ok(client)
}

/// Every template the account lists, through `client`.
pub async fn list_with(client: &Client, args: &AccountArgs) -> Result<TemplateList, Failure> {
    let mut options = TemplateListOptions::default();
    if let Some(size) = args.page_size {
        options = options.page_size(size);
    }
    client
        .list_templates_with(&args.waba_id, &options)
        .await
        .map_err(|error| {
            could_not(format!(
                "cannot list the account's templates (nothing in the directory was changed): {error}"
            ))
        })
}
