//! What `pull`, `import` and `check` print: short lines for people, or one
//! JSON document with `--json`.

use std::path::Path;

use serde::Serialize;

use super::sync::SyncReport;

/// `pull` and `import` with `--json`: the sync report, with where it came from.
#[derive(Debug, Serialize)]
pub struct SyncOutput<'a> {
    /// `pull` or `import`.
    pub command: &'static str,
    /// The templates directory.
    pub dir: &'a Path,
    /// How many pages of the list were read.
    pub pages: usize,
    /// What was written, left alone, skipped and pruned.
    #[serde(flatten)]
    pub report: &'a SyncReport,
}

/// Prints a sync's outcome.
pub fn print_sync(output: &SyncOutput<'_>, json: bool) {
    if json {
        print_json(output);
        return;
    }
    let report = output.report;
    let dir = output.dir.display();
    for written in &report.written {
        let status = match written.status.as_deref() {
            Some("APPROVED") | None => String::new(),
            Some(status) => format!(", status {status}"),
        };
        println!("wrote {dir}/{} ({}{status})", written.file, written.change);
    }
    for skipped in &report.skipped {
        let who = match (&skipped.name, &skipped.language) {
            (Some(name), Some(language)) => format!("`{name}` ({language})"),
            (Some(name), None) => format!("`{name}`"),
            _ => "an element".to_owned(),
        };
        println!(
            "skipped {who}, {}: {}",
            skipped.reason.replace('_', " "),
            skipped.detail
        );
    }
    for pruned in &report.pruned {
        println!(
            "pruned {dir}/{} (the account no longer lists it)",
            pruned.file
        );
    }
    println!(
        "{}: {} written, {} unchanged, {} skipped, {} pruned ({} page{} read)",
        output.command,
        report.written.len(),
        report.unchanged.len(),
        report.skipped.len(),
        report.pruned.len(),
        output.pages,
        if output.pages == 1 { "" } else { "s" }
    );
}

/// Prints `value` as one line of JSON.
pub fn print_json(value: &impl Serialize) {
    match serde_json::to_string(value) {
        Ok(text) => println!("{text}"),
        // Only plain strings, numbers and lists are written: this cannot fail.
        Err(error) => eprintln!("error: cannot write the JSON output: {error}"),
    }
}
