//! `kaleyra templates push | status | delete`, run as a process against the
//! emulator on loopback, whose account starts empty and reviews what is
//! submitted after a short delay: templates as code, end to end.

mod common;

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use common::run;
use kaleyra_definitions::TemplateDefinition;
use kaleyra_emulator::{Emulator, EmulatorBuilder, RunningEmulator};
use serde_json::{Value, json};
use tokio::process::Command;

const WABA: &str = "102290129340398";
const REVIEW: Duration = Duration::from_millis(100);

async fn start(builder: EmulatorBuilder) -> RunningEmulator {
    start_reviewing_in(builder, REVIEW).await
}

/// An emulator whose reviews take `delay`: long, for a test that reads
/// templates while they are still pending.
async fn start_reviewing_in(builder: EmulatorBuilder, delay: Duration) -> RunningEmulator {
    builder
        .template_review_delay(delay)
        .start()
        .await
        .expect("the emulator starts")
}

/// `kaleyra templates ARGS..` for the emulator's v2 number.
fn templates(emulator: &RunningEmulator, args: &[&str]) -> Command {
    let mut command = kaleyra(emulator);
    command.arg("templates").args(args);
    command
}

/// `kaleyra`, configured for `emulator`'s v2 account.
fn kaleyra(emulator: &RunningEmulator) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kaleyra"));
    command
        .env_clear()
        .env("KALEYRA_SID", emulator.sid())
        .env("KALEYRA_API_KEY", emulator.api_key())
        .env("KALEYRA_FROM", emulator.v2_number())
        .env("KALEYRA_API", "v2")
        .env("KALEYRA_BASE_URL", emulator.base_url())
        .env("KALEYRA_WABA_ID", WABA)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    command
}

/// `kaleyra templates SUBCOMMAND --dir DIR ARGS..`, its exit code, stdout and stderr.
async fn in_dir(
    emulator: &RunningEmulator,
    subcommand: &str,
    dir: &Path,
    args: &[&str],
) -> (i32, String, String) {
    let mut command = templates(emulator, &[subcommand, "--dir", dir.to_str().unwrap()]);
    command.args(args);
    run(command).await
}

/// A utility template in Meta's create shape, as `new` writes them once edited.
fn write_template(dir: &Path, name: &str, language: &str, body: &str) {
    let object = json!({
        "name": name,
        "language": language,
        "category": "UTILITY",
        "components": [{"type": "BODY", "text": body, "example": {"body_text": [["Asha"]]}}]
    });
    std::fs::write(
        dir.join(format!("{name}.{language}.json")),
        serde_json::to_vec_pretty(&object).unwrap(),
    )
    .unwrap();
}

#[tokio::test]
async fn new_lint_push_wait_approved_then_pull_writes_the_approved_object_which_sends() {
    let emulator = start(Emulator::builder()).await;
    let dir = tempfile::tempdir().unwrap();
    let (code, _, stderr) = in_dir(
        &emulator,
        "new",
        dir.path(),
        &[
            "diwali_offer",
            "--category",
            "MARKETING",
            "--language",
            "en",
        ],
    )
    .await;
    assert_eq!(code, 0, "{stderr}");
    let (code, stdout, _) = in_dir(&emulator, "lint", dir.path(), &[]).await;
    assert_eq!(code, 0, "{stdout}");
    let (code, stdout, stderr) = in_dir(&emulator, "push", dir.path(), &["--wait"]).await;
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains("diwali_offer (en): created, id "),
        "{stdout}"
    );
    assert!(stdout.contains("diwali_offer (en): APPROVED"), "{stdout}");
    let (code, stdout, _) = run(templates(&emulator, &["status", "diwali_offer"])).await;
    assert_eq!((code, stdout.trim()), (0, "diwali_offer (en): APPROVED"));
    // A second push finds nothing to do.
    let (code, stdout, _) = in_dir(&emulator, "push", dir.path(), &[]).await;
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("diwali_offer (en): unchanged"), "{stdout}");
    let pulled = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = in_dir(&emulator, "pull", pulled.path(), &[]).await;
    assert_eq!(code, 0, "{stdout}{stderr}");
    let file = pulled.path().join("diwali_offer.en.json");
    let definition = TemplateDefinition::from_file(&file).unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(
        definition.status.as_ref().map(|s| s.as_str()),
        Some("APPROVED")
    );
    let written: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("diwali_offer.en.json")).unwrap())
            .unwrap();
    let approved: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(approved["components"], written["components"]);
    // The pulled file sends: a one-row campaign from it reaches the account.
    let csv = pulled.path().join("customers.csv");
    std::fs::write(&csv, "phone,1\n+919876543210,Asha\n").unwrap();
    let mut send = kaleyra(&emulator);
    send.args(["send", "--template", "diwali_offer", "--dir"])
        .arg(pulled.path())
        .arg("--csv")
        .arg(&csv)
        .arg("--journal")
        .arg(pulled.path().join("journal.db"))
        .env("KALEYRA_RATE", "off");
    let (code, stdout, stderr) = run(send).await;
    assert_eq!(code, 0, "{stdout}{stderr}");
    let messages = emulator.messages();
    assert_eq!(messages.len(), 1, "{:?}", emulator.refused());
    assert_eq!(messages[0].template_name.as_deref(), Some("diwali_offer"));
    assert!(messages[0].body.contains("Asha"), "{}", messages[0].body);
}

#[tokio::test]
async fn a_rejected_template_shows_its_reason() {
    let emulator = start(Emulator::builder().reject_template("order_note", "INVALID_FORMAT")).await;
    let dir = tempfile::tempdir().unwrap();
    write_template(
        dir.path(),
        "order_note",
        "en",
        "Hi {{1}}, your order shipped.",
    );
    let (code, stdout, _) = in_dir(&emulator, "push", dir.path(), &["--wait"]).await;
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("order_note (en): REJECTED: INVALID_FORMAT"),
        "{stdout}"
    );
    let (code, stdout, _) = run(templates(&emulator, &["status"])).await;
    assert_eq!(
        (code, stdout.trim()),
        (0, "order_note (en): REJECTED: INVALID_FORMAT")
    );
}

#[tokio::test]
async fn a_lint_error_stops_that_template_only() {
    let emulator = start_reviewing_in(Emulator::builder(), Duration::from_secs(600)).await;
    let dir = tempfile::tempdir().unwrap();
    write_template(dir.path(), "code_note", "en", "Your code is {{1}}");
    write_template(
        dir.path(),
        "order_note",
        "en",
        "Hi {{1}}, your order shipped.",
    );
    let (code, stdout, _) = in_dir(&emulator, "push", dir.path(), &[]).await;
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("[placeholder-at-edge, refused]"),
        "{stdout}"
    );
    assert!(
        stdout.contains("code_note.en.json: not submitted: fix what lint found"),
        "{stdout}"
    );
    assert!(stdout.contains("order_note (en): created"), "{stdout}");
    let (_, stdout, _) = run(templates(&emulator, &["status"])).await;
    assert_eq!(stdout.trim(), "order_note (en): PENDING");
}

#[tokio::test]
async fn an_edit_inside_24_hours_is_refused_with_the_time_it_becomes_allowed() {
    let emulator = start(Emulator::builder()).await;
    let dir = tempfile::tempdir().unwrap();
    write_template(
        dir.path(),
        "order_note",
        "en",
        "Hi {{1}}, your order shipped.",
    );
    let (code, stdout, _) = in_dir(&emulator, "push", dir.path(), &["--wait"]).await;
    assert_eq!(code, 0, "{stdout}");
    write_template(
        dir.path(),
        "order_note",
        "en",
        "Hello {{1}}, your order shipped.",
    );
    let (code, stdout, _) = in_dir(&emulator, "push", dir.path(), &["--wait"]).await;
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.contains("order_note (en): edited (components), back in review"),
        "{stdout}"
    );
    assert!(stdout.contains("order_note (en): APPROVED"), "{stdout}");
    write_template(
        dir.path(),
        "order_note",
        "en",
        "Hey {{1}}, your order shipped.",
    );
    let (code, stdout, _) = in_dir(&emulator, "push", dir.path(), &[]).await;
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("order_note (en): not edited: "), "{stdout}");
    assert!(stdout.contains("once in 24 hours"), "{stdout}");
    assert!(
        stdout.contains("the next edit of `order_note` is allowed at 20"),
        "{stdout}"
    );
    // A category change of an approved template needs a new name; push says so itself.
    let object = json!({
        "name": "order_note", "language": "en", "category": "MARKETING",
        "components": [{"type": "BODY", "text": "Hello {{1}}, your order shipped.", "example": {"body_text": [["Asha"]]}}]
    });
    std::fs::write(dir.path().join("order_note.en.json"), object.to_string()).unwrap();
    let (code, stdout, _) = in_dir(&emulator, "push", dir.path(), &[]).await;
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains(
            "the category of an APPROVED template cannot change; submit the change under a new name"
        ),
        "{stdout}"
    );
}

#[tokio::test]
async fn the_hundred_and_first_creation_stops_the_push_saying_when_to_rerun() {
    let emulator = start(Emulator::builder()).await;
    let dir = tempfile::tempdir().unwrap();
    for n in 0..101 {
        write_template(
            dir.path(),
            &format!("note_{n:03}"),
            "en",
            "Hi {{1}}, a note for you.",
        );
    }
    let (code, stdout, _) = in_dir(&emulator, "push", dir.path(), &[]).await;
    assert_eq!(code, 1, "{stdout}");
    assert_eq!(stdout.matches(": created, id ").count(), 100, "{stdout}");
    assert!(
        stdout.contains("note_100 (en): not submitted: stopped after 100 creations, Kaleyra's limit per WABA per hour; rerun after "),
        "{stdout}"
    );
    // A rerun within the hour meets Kaleyra's own refusal, and stops again.
    let (code, stdout, _) = in_dir(&emulator, "push", dir.path(), &[]).await;
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("note_100 (en): not created: Kaleyra refused the request: HTTP 429, WA429"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Kaleyra refused more creations this hour"),
        "{stdout}"
    );
    let (_, stdout, _) = run(templates(&emulator, &["status"])).await;
    assert_eq!(stdout.lines().count(), 100);
}

#[tokio::test]
async fn a_dry_run_prints_each_request_without_the_key_and_sends_none() {
    let emulator = start(Emulator::builder()).await;
    let dir = tempfile::tempdir().unwrap();
    write_template(
        dir.path(),
        "order_note",
        "en",
        "Hi {{1}}, your order shipped.",
    );
    let (code, stdout, stderr) = in_dir(&emulator, "push", dir.path(), &["--dry-run"]).await;
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains("order_note (en): would create:\ncurl -X POST"),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!(
            "/v2/{}/whatsapp/{WABA}/message_templates",
            emulator.sid()
        )),
        "{stdout}"
    );
    assert!(stdout.contains("\"api-key: $KALEYRA_API_KEY\""), "{stdout}");
    assert!(stdout.contains(r#""name":"order_note""#), "{stdout}");
    assert!(!stdout.contains(emulator.api_key()) && !stderr.contains(emulator.api_key()));
    let (_, stdout, _) = run(templates(&emulator, &["status"])).await;
    assert_eq!(stdout.trim(), "", "nothing was created");
}

#[tokio::test]
async fn delete_asks_first_and_removes_every_language() {
    let emulator = start_reviewing_in(Emulator::builder(), Duration::from_secs(600)).await;
    let dir = tempfile::tempdir().unwrap();
    for language in ["en", "hi", "pt_BR"] {
        write_template(
            dir.path(),
            "order_note",
            language,
            "Hi {{1}}, your order shipped.",
        );
    }
    write_template(dir.path(), "other_note", "en", "Hi {{1}}, another note.");
    let (code, stdout, _) = in_dir(&emulator, "push", dir.path(), &[]).await;
    assert_eq!(code, 0, "{stdout}");
    // No terminal and no --yes: refused, nothing deleted.
    let (code, _, stderr) = run(templates(&emulator, &["delete", "order_note"])).await;
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("no terminal to ask on; pass --yes"),
        "{stderr}"
    );
    // One language, by its id.
    let (code, stdout, stderr) = run(templates(
        &emulator,
        &["delete", "order_note", "--language", "hi", "--yes"],
    ))
    .await;
    assert_eq!(code, 0, "{stdout}{stderr}");
    let (_, stdout, _) = run(templates(&emulator, &["status", "order_note"])).await;
    assert_eq!(
        stdout.lines().collect::<Vec<_>>(),
        ["order_note (en): PENDING", "order_note (pt_BR): PENDING"]
    );
    let (code, stdout, _) = run(templates(&emulator, &["delete", "order_note", "--yes"])).await;
    assert_eq!(code, 0);
    assert_eq!(
        stdout.trim(),
        "deleted order_note in every language (en, pt_BR)"
    );
    let (code, stdout, _) = run(templates(&emulator, &["status", "order_note"])).await;
    assert_eq!(
        (code, stdout.trim()),
        (1, "the account lists no template named order_note")
    );
    let (_, stdout, _) = run(templates(&emulator, &["status"])).await;
    assert_eq!(
        stdout.trim(),
        "other_note (en): PENDING",
        "only what was named is deleted"
    );
}

#[tokio::test]
async fn bad_files_are_named_and_nothing_is_submitted_or_overwritten() {
    let emulator = start_reviewing_in(Emulator::builder(), Duration::from_secs(600)).await;
    let dir = tempfile::tempdir().unwrap();
    let object = |name: &str| {
        json!({
            "name": name, "language": "en", "category": "UTILITY",
            "components": [{"type": "BODY", "text": "Hi {{1}}, a note.", "example": {"body_text": [["Asha"]]}}]
        })
        .to_string()
    };
    let files: [(&str, Vec<u8>); 4] = [
        ("spaced_note.en.json", object("spaced note").into_bytes()),
        ("file_note.en.json", object("other_note").into_bytes()),
        ("binary_note.en.json", vec![0xff, 0xfe, 0x00, 0x7b]),
        (
            "huge_note.en.json",
            format!("{}{}", object("huge_note"), " ".repeat(10 * 1024 * 1024)).into_bytes(),
        ),
    ];
    for (file, bytes) in &files {
        std::fs::write(dir.path().join(file), bytes).unwrap();
    }
    let (code, stdout, stderr) = in_dir(&emulator, "push", dir.path(), &[]).await;
    assert_eq!(code, 1, "{stdout}{stderr}");
    for (file, _) in &files {
        assert!(
            stdout.contains(&format!("{file}: not submitted")),
            "{file}: {stdout}"
        );
    }
    assert!(stdout.contains("spaced note"), "{stdout}");
    assert!(stdout.contains("binary_note.en.json: not JSON"), "{stdout}");
    assert!(
        stdout.contains("push: 0 template(s) read, 0 submitted, 4 not done"),
        "{stdout}"
    );
    let (_, listed, _) = run(templates(&emulator, &["status"])).await;
    assert_eq!(listed.trim(), "", "nothing was created");
    for (file, bytes) in &files {
        assert_eq!(
            &std::fs::read(dir.path().join(file)).unwrap(),
            bytes,
            "{file}"
        );
    }
}
