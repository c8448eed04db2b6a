//! `kaleyra templates pull | check | import` run as a process against the
//! emulator on loopback (its templates directory is the account), and
//! against a small faulty server for the answers the emulator never gives.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use axum::Router;
use axum::http::StatusCode;
use axum::routing::get;
use common::run;
use kaleyra_emulator::{Emulator, RunningEmulator};
use kaleyra_runtime::{Api, Pod};
use serde_json::Value;
use tokio::process::Command;

const FIXTURES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../kaleyra-definitions/tests/fixtures"
);
const WABA: &str = "102290129340398";

/// An account: Meta objects captured from accounts (one paused, one
/// rejected, one carousel, one with a component this library cannot send),
/// Meta's limited-time offer and a flow template, and two languages of one
/// name.
fn account_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = Path::new(FIXTURES);
    for name in [
        "order_update.en_US.json",
        "login_code.en.json",
        "festive_coupon.en.json",
        "delivery_named.en.json",
        "store_visit.en.json",
        "seasonal_carousel.en.json",
        "call_permission.en.json",
        "limited_time_offer_caribbean_pkg_2023.en_US.json",
        "appointment_booking.en_US.json",
    ] {
        std::fs::copy(fixtures.join(name), dir.path().join(name)).unwrap();
    }
    for name in ["order_status.en.json", "order_status.hi.json"] {
        std::fs::copy(fixtures.join("languages").join(name), dir.path().join(name)).unwrap();
    }
    dir
}

/// The files pull writes from `account_dir` (the others are skipped).
const PULLED: [&str; 9] = [
    "appointment_booking.en_US.json",
    "delivery_named.en.json",
    "festive_coupon.en.json",
    "limited_time_offer_caribbean_pkg_2023.en_US.json",
    "login_code.en.json",
    "order_status.en.json",
    "order_status.hi.json",
    "order_update.en_US.json",
    "seasonal_carousel.en.json",
];

async fn start(account: &Path) -> RunningEmulator {
    Emulator::builder()
        .templates_dir(account)
        .start()
        .await
        .expect("the emulator starts")
}

/// `kaleyra templates ARGS..` for the v2 number of `emulator` at `base_url`.
fn templates_at(emulator: &Emulator, base_url: &str, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kaleyra"));
    command
        .arg("templates")
        .args(args)
        .env_clear()
        .env("KALEYRA_SID", emulator.sid())
        .env("KALEYRA_API_KEY", emulator.api_key())
        .env("KALEYRA_FROM", emulator.v2_number())
        .env("KALEYRA_API", "v2")
        .env("KALEYRA_BASE_URL", base_url)
        .env("KALEYRA_WABA_ID", WABA)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    command
}

fn templates(emulator: &RunningEmulator, args: &[&str]) -> Command {
    templates_at(emulator.emulator(), &emulator.base_url(), args)
}

/// `kaleyra templates import FILE --dir DIR`, offline.
fn import(file: &Path, dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kaleyra"));
    command
        .args(["templates", "import"])
        .arg(file)
        .args(["--dir", dir_arg(dir)])
        .env_clear();
    command
}

fn dir_arg(dir: &Path) -> &str {
    dir.to_str().unwrap()
}

/// Every file in `dir` and its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_str().unwrap().to_owned();
            (name, std::fs::read(&path).unwrap())
        })
        .collect()
}

fn file_names(dir: &Path) -> Vec<String> {
    snapshot(dir).into_keys().collect()
}

/// The account's elements as the list sends them, by file name.
async fn listed(emulator: &RunningEmulator) -> BTreeMap<String, String> {
    let client = emulator.client(Api::V2(Pod::In)).unwrap();
    let list = client.list_templates(WABA).await.unwrap();
    list.templates()
        .iter()
        .map(|listed| {
            let file = format!(
                "{}.{}.json",
                listed.name().unwrap(),
                listed.language().unwrap()
            );
            (file, listed.raw_json().to_owned())
        })
        .collect()
}

#[tokio::test]
async fn pull_writes_each_template_as_listed_and_a_second_pull_changes_nothing() {
    let account = account_dir();
    let emulator = start(account.path()).await;
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("templates");

    let (code, stdout, stderr) = run(templates(&emulator, &["pull", "--dir", dir_arg(&dir)])).await;
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(file_names(&dir), PULLED);
    let listed = listed(&emulator).await;
    for file in PULLED {
        assert_eq!(
            std::fs::read_to_string(dir.join(file)).unwrap(),
            listed[file],
            "{file} holds the listed element byte for byte"
        );
    }
    assert!(
        stdout.contains("(added, status PAUSED)"),
        "a paused template is written with its status: {stdout}"
    );
    assert!(
        stdout.contains("skipped `store_visit` (en), not approved: status REJECTED"),
        "{stdout}"
    );
    assert!(
        stdout.contains("skipped `call_permission`") && stdout.contains("CALL_PERMISSION_REQUEST"),
        "{stdout}"
    );
    assert!(
        stdout.contains("pull: 9 written, 0 unchanged, 2 skipped, 0 pruned"),
        "{stdout}"
    );

    let (code, stdout, _) = run(templates(&emulator, &["pull", "--dir", dir_arg(&dir)])).await;
    assert_eq!(code, 0);
    assert!(
        stdout.contains("pull: 0 written, 9 unchanged, 2 skipped, 0 pruned"),
        "{stdout}"
    );
}

#[tokio::test]
async fn pull_follows_small_pages_to_the_end() {
    let account = tempfile::tempdir().unwrap();
    let template =
        std::fs::read_to_string(Path::new(FIXTURES).join("languages/order_status.en.json"))
            .unwrap();
    for i in 0..12 {
        let name = format!("order_status_{i:02}");
        std::fs::write(
            account.path().join(format!("{name}.en.json")),
            template.replace("\"order_status\"", &format!("\"{name}\"")),
        )
        .unwrap();
    }
    let emulator = start(account.path()).await;
    let work = tempfile::tempdir().unwrap();
    let args = [
        "pull",
        "--dir",
        dir_arg(work.path()),
        "--page-size",
        "5",
        "--json",
    ];
    let (code, stdout, stderr) = run(templates(&emulator, &args)).await;
    assert_eq!(code, 0, "{stdout}{stderr}");
    let output: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(output["command"], "pull");
    assert_eq!(output["written"].as_array().unwrap().len(), 12);
    assert!(output["pages"].as_u64().unwrap() >= 3, "{output}");
    assert_eq!(file_names(work.path()).len(), 12);
}

#[tokio::test]
async fn check_passes_when_the_files_match_and_prints_each_drift_when_not() {
    let account = account_dir();
    // Approved, so the pulled files are in sync with it.
    let named = std::fs::read_to_string(account.path().join("delivery_named.en.json")).unwrap();
    std::fs::write(
        account.path().join("delivery_named.en.json"),
        named.replace("\"PAUSED\"", "\"APPROVED\""),
    )
    .unwrap();
    let emulator = start(account.path()).await;
    let work = tempfile::tempdir().unwrap();
    let dir = dir_arg(work.path());
    let (code, ..) = run(templates(&emulator, &["pull", "--dir", dir])).await;
    assert_eq!(code, 0);

    let (code, stdout, stderr) = run(templates(&emulator, &["check", "--dir", dir])).await;
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("agrees with the account"), "{stdout}");

    // The account changes: a parameter added, a template paused, one deleted.
    let edit = |file: &str, from: &str, to: &str| {
        let path = account.path().join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file} has {from}");
        std::fs::write(&path, text.replace(from, to)).unwrap();
    };
    edit("order_status.hi.json", "{{2}}", "{{2}} {{3}}");
    edit("delivery_named.en.json", "\"APPROVED\"", "\"PAUSED\"");
    std::fs::remove_file(account.path().join("login_code.en.json")).unwrap();
    // The offer no longer shows its expiry: messages stop giving one.
    edit(
        "limited_time_offer_caribbean_pkg_2023.en_US.json",
        "\"has_expiration\": true",
        "\"has_expiration\": false",
    );

    let (code, stdout, stderr) = run(templates(&emulator, &["check", "--dir", dir])).await;
    assert_eq!(code, 1, "{stdout}{stderr}");
    for expected in [
        "drift: `order_status` (hi): body parameters differ: on disk 2, in the account 3",
        "drift: `delivery_named` (en): status in the account is PAUSED, not APPROVED",
        "drift: `login_code` (en): missing in the account",
        "drift: `limited_time_offer_caribbean_pkg_2023` (en_US): limited-time offer differs: on disk an offer with an expiry, in the account an offer without an expiry",
        "check: 4 difference(s)",
    ] {
        assert!(stdout.contains(expected), "{expected:?} in {stdout}");
    }

    let (code, stdout, _) = run(templates(&emulator, &["check", "--dir", dir, "--json"])).await;
    assert_eq!(code, 1);
    let output: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(output["in_sync"], false);
    let kinds: Vec<&str> = output["drift"]
        .as_array()
        .unwrap()
        .iter()
        .map(|drift| drift["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "not_approved",
            "offer_differs",
            "missing_in_account",
            "parameters_differ"
        ]
    );
}

#[tokio::test]
async fn a_wrong_key_cannot_check_and_exits_2() {
    let account = account_dir();
    let emulator = start(account.path()).await;
    let work = tempfile::tempdir().unwrap();
    let mut command = templates(&emulator, &["check", "--dir", dir_arg(work.path())]);
    command.env("KALEYRA_API_KEY", "not-the-key");
    let (code, stdout, stderr) = run(command).await;
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(stderr.contains("RBC001"), "{stderr}");
    assert!(
        !stderr.contains("not-the-key"),
        "the key is never printed: {stderr}"
    );
}

#[tokio::test]
async fn a_v1_number_has_no_list_and_says_so() {
    let account = account_dir();
    let emulator = start(account.path()).await;
    let work = tempfile::tempdir().unwrap();
    for args in [["pull", "--dir"], ["check", "--dir"]] {
        let mut command = templates(&emulator, &[args[0], args[1], dir_arg(work.path())]);
        command
            .env("KALEYRA_API", "v1")
            .env("KALEYRA_FROM", emulator.v1_number());
        let (code, stdout, stderr) = run(command).await;
        assert_eq!(code, 2, "{stdout}{stderr}");
        assert!(stderr.contains("v2 API only"), "{stderr}");
        assert!(stderr.contains("kaleyra templates import"), "{stderr}");
    }
    assert!(file_names(work.path()).is_empty());
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(Path::new(FIXTURES).join(name)).unwrap()
}

#[tokio::test]
async fn import_reads_kaleyras_envelope_and_metas_page_offline() {
    let elements = [
        fixture("order_update.en_US.json"),
        fixture("delivery_named.en.json"),
    ];
    let joined = elements.join(",");
    let saved = [
        format!(
            r#"{{"code":"WA200","message":"Templates fetched","data":[{joined}],"error":{{}}}}"#
        ),
        format!(
            r#"{{"data":[{joined}],"paging":{{"cursors":{{"before":"QVFI","after":"QVFJ"}}}}}}"#
        ),
    ];
    for text in saved {
        let work = tempfile::tempdir().unwrap();
        let file = work.path().join("list.json");
        std::fs::write(&file, text).unwrap();
        let dir = work.path().join("templates");
        let (code, stdout, stderr) = run(import(&file, &dir)).await;
        assert_eq!(code, 0, "{stdout}{stderr}");
        assert_eq!(
            file_names(&dir),
            ["delivery_named.en.json", "order_update.en_US.json"]
        );
        assert_eq!(
            std::fs::read_to_string(dir.join("delivery_named.en.json")).unwrap(),
            elements[1].trim_end(),
            "kept byte for byte, line breaks and all (the file's final newline is not in the list)"
        );
        assert!(stdout.contains("import: 2 written"), "{stdout}");
    }
}

/// Every object of Meta's documentation that WhatsApp approves, as the
/// workspace's `tests/meta-references/` holds them (with `"status":
/// "APPROVED"`): `import` writes each one, skipping none, byte for byte.
#[tokio::test]
async fn import_writes_every_kind_of_metas_reference_objects() {
    let references = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/meta-references");
    for set in ["pywa", "openapi"] {
        let on_file: BTreeMap<String, Vec<u8>> = snapshot(&references.join(set))
            .into_iter()
            .filter(|(name, _)| name.ends_with(".json"))
            .collect();
        assert!(on_file.len() >= 5, "{set}: {:?}", on_file.keys());
        let elements: Vec<&str> = on_file
            .values()
            .map(|bytes| std::str::from_utf8(bytes).unwrap().trim_end())
            .collect();
        let work = tempfile::tempdir().unwrap();
        let file = work.path().join("list.json");
        std::fs::write(
            &file,
            format!(r#"{{"data":[{}],"paging":{{}}}}"#, elements.join(",")),
        )
        .unwrap();
        let dir = work.path().join("templates");
        let (code, stdout, stderr) = run(import(&file, &dir)).await;
        assert_eq!(code, 0, "{set}: {stdout}{stderr}");
        assert!(
            stdout.contains(&format!("import: {} written", on_file.len())),
            "{set}: {stdout}"
        );
        let written = snapshot(&dir);
        assert_eq!(
            written.keys().collect::<Vec<_>>(),
            on_file.keys().collect::<Vec<_>>(),
            "{set}"
        );
        for (name, bytes) in &on_file {
            assert_eq!(
                std::str::from_utf8(&written[name]).unwrap(),
                std::str::from_utf8(bytes).unwrap().trim_end(),
                "{set}/{name}"
            );
        }
    }
}

#[tokio::test]
async fn prune_deletes_only_pulled_files_of_templates_the_account_dropped() {
    let account = account_dir();
    let emulator = start(account.path()).await;
    let work = tempfile::tempdir().unwrap();
    let dir = dir_arg(work.path());
    let (code, ..) = run(templates(&emulator, &["pull", "--dir", dir])).await;
    assert_eq!(code, 0);
    // Files pull must leave alone, whatever the account lists.
    let keep = [
        (
            "schema.json",
            r#"{"$schema":"http://json-schema.org/draft-07/schema#"}"#,
        ),
        ("notes.txt", "not a template"),
        (
            "hand_typed.json",
            r#"{"name":"hand_typed","kind":"template","params":1}"#,
        ),
    ];
    for (name, text) in keep {
        std::fs::write(work.path().join(name), text).unwrap();
    }
    std::fs::remove_file(account.path().join("order_status.hi.json")).unwrap();

    let (code, stdout, _) = run(templates(&emulator, &["pull", "--dir", dir])).await;
    assert_eq!(code, 0);
    assert!(
        work.path().join("order_status.hi.json").exists(),
        "no --prune, no delete"
    );
    assert!(stdout.contains("0 pruned"), "{stdout}");

    let (code, stdout, stderr) =
        run(templates(&emulator, &["pull", "--dir", dir, "--prune"])).await;
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains("pruned ") && stdout.contains("order_status.hi.json"),
        "{stdout}"
    );
    assert!(!work.path().join("order_status.hi.json").exists());
    for (name, text) in keep {
        assert_eq!(
            std::fs::read_to_string(work.path().join(name)).unwrap(),
            text
        );
    }
    assert!(work.path().join("order_status.en.json").exists());
}

/// A server that answers the list with `status` and `body`, whatever is asked.
async fn faulty(status: u16, body: Vec<u8>) -> String {
    let app = Router::new().fallback(get(move || {
        let body = body.clone();
        async move { (StatusCode::from_u16(status).unwrap(), body) }
    }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    url
}

#[tokio::test]
async fn a_bad_answer_exits_2_and_leaves_the_directory_untouched() {
    let huge = {
        let element = fixture("order_update.en_US.json");
        let count = 10 * 1024 * 1024 / element.len() + 1;
        let data = vec![element; count].join(",");
        format!(r#"{{"code":"WA200","message":"ok","data":[{data}],"error":{{}}}}"#).into_bytes()
    };
    let cases: [(u16, Vec<u8>, &str); 3] = [
        (
            500,
            b"<html>Internal Server Error</html>".to_vec(),
            "HTTP 500",
        ),
        (
            200,
            br#"{"code":"WA200","data":[{"name":"#.to_vec(),
            "not a template list",
        ),
        (200, huge, "byte cap"),
    ];
    let emulator = Emulator::builder().build().unwrap();
    for (status, body, expected) in cases {
        let url = faulty(status, body).await;
        let work = tempfile::tempdir().unwrap();
        // A pulled file, now different in the account, and a hand-typed one.
        std::fs::write(
            work.path().join("order_update.en_US.json"),
            fixture("order_update.en_US.json").replace("APPROVED", "PAUSED"),
        )
        .unwrap();
        std::fs::write(
            work.path().join("booking_confirm.json"),
            r#"{"name":"booking_confirm","kind":"template","params":2}"#,
        )
        .unwrap();
        let before = snapshot(work.path());
        for args in [
            vec!["pull", "--prune", "--dir", dir_arg(work.path())],
            vec!["check", "--dir", dir_arg(work.path())],
        ] {
            let (code, stdout, stderr) = run(templates_at(&emulator, &url, &args)).await;
            assert_eq!(code, 2, "{args:?} {expected}: {stdout}{stderr}");
            assert!(stderr.contains(expected), "{expected:?} in {stderr}");
            assert_eq!(snapshot(work.path()), before, "nothing touched");
        }
    }
}

#[tokio::test]
async fn an_unreadable_import_file_writes_nothing() {
    let work = tempfile::tempdir().unwrap();
    let file: PathBuf = work.path().join("error.json");
    std::fs::write(
        &file,
        r#"{"code":"RBC001","message":"Incorrect SID or API key.","error":{}}"#,
    )
    .unwrap();
    let dir = work.path().join("templates");
    let (code, _, stderr) = run(import(&file, &dir)).await;
    assert_eq!(code, 2);
    assert!(
        stderr.contains("an error answer, not a template list: RBC001"),
        "{stderr}"
    );
    assert!(!dir.exists());
}

#[tokio::test]
async fn a_hand_typed_definition_of_the_same_template_is_kept_and_the_pull_says_why() {
    let account = account_dir();
    let emulator = start(account.path()).await;
    let work = tempfile::tempdir().unwrap();
    let hand_typed = r#"{"name":"order_status","kind":"template","language":"hi","body":"Namaste {{1}}, {{2}}"}"#;
    std::fs::write(work.path().join("order_status.json"), hand_typed).unwrap();
    let (code, stdout, stderr) = run(templates(
        &emulator,
        &["pull", "--dir", dir_arg(work.path()), "--prune"],
    ))
    .await;
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains("skipped `order_status` (hi), conflict: `order_status.json` already defines this template"),
        "{stdout}"
    );
    assert!(!work.path().join("order_status.hi.json").exists());
    assert_eq!(
        std::fs::read_to_string(work.path().join("order_status.json")).unwrap(),
        hand_typed
    );
    // The English one has no file of its own yet, so it is written.
    assert!(work.path().join("order_status.en.json").exists());
}

/// Catalog, multi-product and single-product templates (Meta's reference
/// objects, approved) are written by `pull` like any other, and `check`
/// compares their product parts.
#[tokio::test]
async fn pull_writes_product_templates_and_check_compares_their_products() {
    let account = tempfile::tempdir().unwrap();
    let products = Path::new(FIXTURES).join("products");
    let names = [
        "abandoned_cart.en_US.json",
        "abandoned_cart_offer.en_US.json",
        "intro_catalog_offer.en_US.json",
    ];
    for name in names {
        std::fs::copy(products.join(name), account.path().join(name)).unwrap();
    }
    let emulator = start(account.path()).await;
    let work = tempfile::tempdir().unwrap();
    let dir = dir_arg(work.path());
    let (code, stdout, stderr) = run(templates(&emulator, &["pull", "--dir", dir])).await;
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(file_names(work.path()), names);
    assert!(
        stdout.contains("pull: 3 written, 0 unchanged, 0 skipped"),
        "{stdout}"
    );

    // The account's multi-product button becomes a catalog button.
    let path = account.path().join("abandoned_cart.en_US.json");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("\"MPM\"", "\"CATALOG\"")).unwrap();
    let (code, stdout, stderr) = run(templates(&emulator, &["check", "--dir", dir])).await;
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(
        stdout.contains("drift: `abandoned_cart` (en_US): buttons differ: on disk [0 mpm (products)], in the account [0 catalog (thumbnail product)]"),
        "{stdout}"
    );
}
