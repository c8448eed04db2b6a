//! `kaleyra templates import FILE`: a saved list answer into the templates
//! directory, offline.

use std::io::Read;
use std::path::PathBuf;

use clap::Args;
use kaleyra_definitions::TemplatePage;

use super::output::{SyncOutput, print_sync};
use super::{code, could_not, sync};
use crate::failure::Failure;

/// The largest saved answer read; an account's list is far smaller.
const MAX_IMPORT_BYTES: u64 = 64 * 1024 * 1024;

/// The arguments of `kaleyra templates import`.
#[derive(Debug, Args)]
#[command(after_long_help = IMPORT_HELP)]
pub struct ImportArgs {
    /// The saved answer: Kaleyra's `{"code":"WA200","data":[..]}` or Meta's `{"data":[..],"paging":..}`.
    pub file: PathBuf,
    /// The directory of template definitions (created if missing).
    #[arg(long, default_value = "templates", env = "KALEYRA_TEMPLATES_DIR")]
    pub dir: PathBuf,
    /// Also delete the files in Meta's shape of templates the file does not list.
    #[arg(long)]
    pub prune: bool,
    /// Print one JSON document instead of lines.
    #[arg(long)]
    pub json: bool,
}

const IMPORT_HELP: &str = "\
Example:
  curl -H \"api-key: $KALEYRA_API_KEY\" \\
    https://api.in.kaleyra.io/v2/$KALEYRA_SID/whatsapp/$KALEYRA_WABA_ID/message_templates > list.json
  kaleyra templates import list.json --dir templates

Works for v1 and v2 accounts alike, with no credentials. Writes the same files
as `pull`. A file that is one page of several (it has `paging.next`) cannot be
pruned from.

Exit codes: 0 written, 2 the file could not be read or the directory written.";

/// Runs `kaleyra templates import`.
pub fn run(args: ImportArgs) -> Result<u8, Failure> {
    let shown = args.file.display();
    let mut bytes = Vec::new();
    std::fs::File::open(&args.file)
        .and_then(|file| file.take(MAX_IMPORT_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|error| could_not(format!("cannot read {shown}: {error}")))?;
    if bytes.len() as u64 > MAX_IMPORT_BYTES {
        return Err(could_not(format!(
            "{shown} is larger than {MAX_IMPORT_BYTES} bytes; it is not a saved template list"
        )));
    }
    let page = TemplatePage::parse(&bytes)
        .map_err(|error| could_not(format!("{shown}: {error}; nothing was written")))?;
    if args.prune && page.paging.next.is_some() {
        return Err(could_not(format!(
            "{shown} is one page of several (it has `paging.next`), so it cannot say which templates the account no longer has; import it without --prune, or use `kaleyra templates pull --prune`"
        )));
    }
    let report = sync::sync(&args.dir, &page.templates, args.prune)?;
    print_sync(
        &SyncOutput {
            command: "import",
            dir: &args.dir,
            pages: 1,
            report: &report,
        },
        args.json,
    );
    Ok(code::OK)
}
