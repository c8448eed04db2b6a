//! Starting and stopping: defaults, settings, broken templates, the binary.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use common::templates_dir;
use kaleyra_emulator::{Emulator, StartError};

/// One definition per file in the repository's `templates/` (each name and language).
fn definitions_on_file() -> usize {
    kaleyra_definitions::definition_files(&templates_dir())
        .unwrap()
        .len()
}

#[tokio::test]
async fn defaults_are_loopback_a_free_port_and_the_documented_account() {
    let emulator = Emulator::builder()
        .templates_dir(templates_dir())
        .start()
        .await
        .unwrap();
    let base = emulator.base_url();
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");
    assert_ne!(emulator.local_addr().port(), 0);
    assert_eq!(emulator.inbox_url(), format!("{base}/"));
    assert_eq!(emulator.sid(), "HXEMULATOR00001");
    assert_eq!(emulator.api_key(), "emulator-secret-key-0001");
    assert_eq!(emulator.v1_number(), "+912025550100");
    assert_eq!(emulator.v2_number(), "+912025550101");
    assert_eq!(emulator.emulator().templates().len(), definitions_on_file());
    assert!(!format!("{emulator:?}").contains("emulator-secret-key-0001"));
}

#[tokio::test]
async fn settings_are_used_and_checked() {
    let emulator = Emulator::builder()
        .sid("HXCUSTOM")
        .api_key("custom-key")
        .v1_number("919000000001")
        .v2_number("+919000000002")
        .start()
        .await
        .unwrap();
    assert_eq!(emulator.sid(), "HXCUSTOM");
    assert_eq!(emulator.api_key(), "custom-key");
    assert_eq!(emulator.v1_number(), "+919000000001");
    assert_eq!(emulator.v2_number(), "+919000000002");

    for (builder, setting) in [
        (Emulator::builder().sid("HX-1"), "sid"),
        (Emulator::builder().api_key("has space"), "api_key"),
        (Emulator::builder().v1_number("12"), "v1_number"),
        (Emulator::builder().v2_number("+912025550100"), "v2_number"),
    ] {
        match builder.build() {
            Err(StartError::Setting { setting: got, .. }) => assert_eq!(got, setting),
            other => panic!("expected a {setting} error, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_broken_template_is_an_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        templates_dir().join("booking_confirm.json"),
        dir.path().join("booking_confirm.json"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("broken_one.json"),
        r#"{"name": "broken_one", "kind": "template", "body": "Hi {{2}}"}"#,
    )
    .unwrap();
    let error = Emulator::builder()
        .templates_dir(dir.path())
        .start()
        .await
        .unwrap_err();
    assert!(matches!(error, StartError::Templates { .. }));
    let text = error.to_string();
    assert!(text.contains("broken_one.json"), "{text}");
    assert!(!text.contains("booking_confirm.json"), "{text}");
}

#[tokio::test]
async fn dropping_the_emulator_stops_the_server() {
    let emulator = Emulator::builder().start().await.unwrap();
    let address = emulator.local_addr();
    assert!(tokio::net::TcpStream::connect(address).await.is_ok());
    drop(emulator);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while tokio::net::TcpStream::connect(address).await.is_ok() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "still listening on {address}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn shutdown_waits_for_the_server_to_stop() {
    let emulator = Emulator::builder().start().await.unwrap();
    let address = emulator.local_addr();
    let inbox = emulator.inbox_url();
    // Serving before: a request is answered.
    let http = || reqwest::Client::builder().no_proxy().build().unwrap();
    let answer = http()
        .get(&inbox)
        .send()
        .await
        .unwrap_or_else(|error| panic!("not serving before the shutdown: {error}"));
    assert!(answer.status().is_success(), "{}", answer.status());

    emulator.shutdown().await;
    // Stopped once `shutdown` returns, not some time later. Connecting
    // without yielding to the runtime (this test's only thread) proves it:
    // a server still stopping could not have run since, so its listener
    // would still accept.
    let connected = std::net::TcpStream::connect_timeout(&address, Duration::from_secs(1));
    assert!(connected.is_err(), "still listening on {address}");
    assert!(tokio::net::TcpStream::connect(address).await.is_err());
    // And a request is answered by no one.
    let request = http().get(&inbox).send().await;
    assert!(request.is_err(), "answered after shutdown: {request:?}");
}

/// Kills the child process on drop, so a failed assertion leaves nothing running.
struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn the_binary_prints_the_url_account_numbers_and_inbox() {
    let child = Command::new(env!("CARGO_BIN_EXE_kaleyra-emulator"))
        .args(["--templates"])
        .arg(templates_dir())
        .args(["--port", "0", "--sid", "HXBINARY01"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut child = Child(child);
    let stdout = child.0.stdout.take().unwrap();
    let mut banner = String::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        banner.push_str(&line);
        banner.push('\n');
        if line.starts_with("Point the client") {
            break;
        }
    }
    assert!(
        banner.contains("listening on http://127.0.0.1:"),
        "{banner}"
    );
    assert!(banner.contains("inbox:      http://127.0.0.1:"), "{banner}");
    assert!(banner.contains("SID:        HXBINARY01"), "{banner}");
    assert!(
        banner.contains("API key:    emulator-secret-key-0001"),
        "{banner}"
    );
    assert!(banner.contains("v1 number:  +912025550100"), "{banner}");
    assert!(banner.contains("v2 number:  +912025550101"), "{banner}");
    assert!(
        banner.contains(&format!("templates:  {}", definitions_on_file())),
        "{banner}"
    );
}

#[test]
fn the_binary_fails_clearly_on_a_broken_templates_dir() {
    let output = Command::new(env!("CARGO_BIN_EXE_kaleyra-emulator"))
        .args(["--templates", "/nonexistent/templates", "--port", "0"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("cannot load the templates in `/nonexistent/templates`"),
        "{stderr}"
    );
}

#[test]
fn the_binary_rejects_bad_arguments() {
    for args in [
        &["--port", "eighty"][..],
        &["--host", "not-an-ip"],
        &["--no-such-flag"],
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_kaleyra-emulator"))
            .args(args)
            .output()
            .unwrap();
        assert!(!output.status.success(), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(args[0]), "{args:?}: {stderr}");
    }
}

#[tokio::test]
async fn a_seed_gives_the_same_message_ids_on_every_run() {
    use kaleyra_runtime::{Api, Pod, Text};

    async fn ids(seed: u64) -> Vec<String> {
        let emulator = Emulator::builder().seed(seed).start().await.unwrap();
        let mut ids = Vec::new();
        for api in [Api::V1, Api::V2(Pod::In), Api::V1] {
            let client = emulator.client(api).unwrap();
            let receipt = client
                .send(&Text::new("hi"), "+919876543210")
                .await
                .unwrap();
            ids.push(receipt.message_id().unwrap().to_owned());
        }
        ids
    }
    let first = ids(11).await;
    assert_eq!(first, ids(11).await);
    assert_ne!(first, ids(12).await);
    assert!(first[1].starts_with("wamid."), "{first:?}");
}

/// The banner lines up to the client hint, from a started binary.
fn banner_of(child: &mut Child) -> String {
    let stdout = child.0.stdout.take().unwrap();
    let mut banner = String::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        banner.push_str(&line);
        banner.push('\n');
        if line.starts_with("Point the client") {
            break;
        }
    }
    banner
}

#[tokio::test]
async fn the_binary_reads_its_settings_from_the_environment_and_faults_from_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let faults = dir.path().join("faults.json");
    std::fs::write(
        &faults,
        r#"[{"action": {"kind": "error", "code": "E110"}, "times": 1, "api": "v1"}]"#,
    )
    .unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_kaleyra-emulator"))
        .env("KALEYRA_EMULATOR_PORT", "0")
        .env("KALEYRA_EMULATOR_SID", "HXFROMENV01")
        .env("KALEYRA_EMULATOR_TEMPLATES", templates_dir())
        .env("KALEYRA_EMULATOR_FAULTS", &faults)
        .args(["--seed", "3"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut child = Child(child);
    let banner = banner_of(&mut child);
    assert!(banner.contains("SID:        HXFROMENV01"), "{banner}");
    assert!(banner.contains("ids from seed 3"), "{banner}");
    assert!(banner.contains("fault set:  fault-1"), "{banner}");
    let base = banner
        .split_whitespace()
        .find(|word| word.starts_with("http://"))
        .unwrap()
        .to_owned();

    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let ready = http
        .get(format!("{base}/emulator/ready"))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), 200);
    let ready: serde_json::Value = serde_json::from_slice(&ready.bytes().await.unwrap()).unwrap();
    assert_eq!(ready["ready"], true);
    assert_eq!(ready["sid"], "HXFROMENV01");
    assert!(
        !ready.to_string().contains("emulator-secret-key"),
        "{ready}"
    );

    let faults: serde_json::Value = serde_json::from_slice(
        &http
            .get(format!("{base}/emulator/faults"))
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap(),
    )
    .unwrap();
    assert_eq!(faults[0]["rule"]["action"]["code"], "E110");
}

#[test]
fn the_binary_refuses_a_faults_file_it_cannot_use_naming_the_rule() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            r#"[{"action": {"kind": "reset"}}, {"action": {"kind": "hang", "for_ms": 0}}]"#,
            "rule 2 (from 1): invalid fault action.for_ms",
        ),
        (
            r#"{"action": {"kind": "reset"}}"#,
            "is not a JSON array of fault rules",
        ),
    ];
    for (text, expected) in cases {
        let faults = dir.path().join("faults.json");
        std::fs::write(&faults, text).unwrap();
        let output = Command::new(env!("CARGO_BIN_EXE_kaleyra-emulator"))
            .args(["--port", "0", "--templates"])
            .arg(templates_dir())
            .arg("--faults")
            .arg(&faults)
            .output()
            .unwrap();
        assert!(!output.status.success(), "{text}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(expected), "{text}: {stderr}");
    }
}

#[test]
fn the_binary_reads_a_config_file_under_the_flags_names_and_a_variable_wins_over_it() {
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(templates_dir(), dir.path().join("tpl")).unwrap();
    std::fs::write(
        dir.path().join("faults.json"),
        r#"[{"action": {"kind": "error", "code": "E110"}, "times": 1}]"#,
    )
    .unwrap();
    let config = dir.path().join("emulator.toml");
    std::fs::write(
        &config,
        r#"
port = 0
sid = "HXFROMFILE01"
templates = "tpl"            # read from the file's directory
faults = "faults.json"
seed = 5
v2_number = "+912025550199"  # snake case is read too
callback-header = ["X-Callback-Token=0123456789abcdef0123"]
"#,
    )
    .unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_kaleyra-emulator"))
        .arg("--config")
        .arg(&config)
        .env("KALEYRA_EMULATOR_SID", "HXFROMENV02")
        .current_dir("/")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut child = Child(child);
    let banner = banner_of(&mut child);
    assert!(banner.contains("SID:        HXFROMENV02"), "{banner}");
    assert!(banner.contains("v2 number:  +912025550199"), "{banner}");
    assert!(banner.contains("ids from seed 5"), "{banner}");
    assert!(banner.contains("fault set:  fault-1"), "{banner}");
    assert!(
        banner.contains(&format!("templates:  {}", definitions_on_file())),
        "{banner}"
    );
    assert!(
        !banner.contains("0123456789abcdef0123"),
        "the header's value is a credential: {banner}"
    );
}

#[test]
fn the_binary_refuses_a_config_file_it_cannot_use_naming_the_setting() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("emulator.toml");
    for (text, expected) in [
        ("colour = \"blue\"\n", "`colour` is not a setting"),
        ("port = [1, 2]\n", "`port` takes one text or number"),
        ("port = \n", "is not TOML"),
        ("[account]\nsid = \"HX1\"\n", "`account` is not a setting"),
    ] {
        std::fs::write(&config, text).unwrap();
        let output = Command::new(env!("CARGO_BIN_EXE_kaleyra-emulator"))
            .arg("--config")
            .arg(&config)
            .output()
            .unwrap();
        assert!(!output.status.success(), "{text}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(expected), "{text}: {stderr}");
        assert!(stderr.contains("emulator.toml"), "{text}: {stderr}");
    }
}
