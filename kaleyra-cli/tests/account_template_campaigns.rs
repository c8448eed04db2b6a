//! `kaleyra send` of an account's templates in Meta's shape: named
//! parameters filled from columns named after them, an authentication
//! template's `code` column, a coupon button's column. Run as a process
//! against the emulator on v2, where all three are documented.

use std::path::Path;
use std::process::Stdio;

use kaleyra_emulator::{Emulator, RunningEmulator};
use kaleyra_test_support::account_templates;
use tokio::process::Command;

/// An emulator serving the templates in `dir`.
async fn emulator(dir: &Path) -> RunningEmulator {
    Emulator::builder()
        .templates_dir(dir)
        .start()
        .await
        .unwrap()
}

async fn send(
    emulator: &RunningEmulator,
    templates: &Path,
    template: &str,
    csv: &str,
) -> (i32, String) {
    send_in(emulator, templates, template, csv, &[]).await
}

/// `kaleyra send` of `template` on v2 with `args` added.
async fn send_in(
    emulator: &RunningEmulator,
    templates: &Path,
    template: &str,
    csv: &str,
    args: &[&str],
) -> (i32, String) {
    let work = tempfile::tempdir().unwrap();
    let csv_path = work.path().join("campaign.csv");
    std::fs::write(&csv_path, csv).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_kaleyra"))
        .args(["send", "--template", template, "--dir"])
        .arg(templates)
        .arg("--csv")
        .arg(&csv_path)
        .args(args)
        .env_clear()
        .env("KALEYRA_SID", emulator.sid())
        .env("KALEYRA_API_KEY", emulator.api_key())
        .env("KALEYRA_FROM", emulator.emulator().v2_number())
        .env("KALEYRA_API", "v2")
        .env("KALEYRA_BASE_URL", emulator.base_url())
        .stdin(Stdio::null())
        .output()
        .await
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code().unwrap(), text)
}

fn bodies(emulator: &RunningEmulator) -> Vec<String> {
    emulator
        .emulator()
        .messages()
        .into_iter()
        .map(|message| message.body)
        .collect()
}

#[tokio::test]
async fn named_columns_fill_named_placeholders_and_the_header_that_shares_one() {
    let dir = account_templates();
    let emulator = emulator(dir.path()).await;
    let csv = "phone,delivery_date,customer_name,order_id\n+919876543210,Friday,Asha,ORD-7\n+919876543211,शुक्रवार,रवि 🙂,ORD-8\n";
    let (code, output) = send(&emulator, dir.path(), "delivery_named", csv).await;
    assert_eq!(code, 0, "{output}");
    let mut bodies = bodies(&emulator);
    bodies.sort();
    assert_eq!(
        bodies,
        [
            "Hi Asha, order ORD-7 arrives Friday. Thanks, Asha!",
            "Hi रवि 🙂, order ORD-8 arrives शुक्रवार. Thanks, रवि 🙂!",
        ]
    );
}

#[tokio::test]
async fn a_missing_named_column_is_refused_by_its_name() {
    let dir = account_templates();
    let emulator = emulator(dir.path()).await;
    let csv = "phone,customer_name,order_id\n+919876543210,Asha,ORD-7\n";
    let (code, output) = send(&emulator, dir.path(), "delivery_named", csv).await;
    assert_ne!(code, 0);
    assert!(
        output.contains("no column fills `delivery_date`"),
        "{output}"
    );
    assert!(bodies(&emulator).is_empty());
}

#[tokio::test]
async fn the_code_column_sends_authentication_templates() {
    let dir = account_templates();
    let emulator = emulator(dir.path()).await;
    let csv = "phone,code\n+919876543210,482913\n";
    let (code, output) = send(&emulator, dir.path(), "login_code", csv).await;
    assert_eq!(code, 0, "{output}");
    let bodies = bodies(&emulator);
    assert!(
        bodies[0].starts_with("*482913* is your verification code."),
        "{bodies:?}"
    );

    let too_long = "phone,code\n+919876543210,1234567890123456\n";
    let (code, output) = send(&emulator, dir.path(), "login_code", too_long).await;
    assert_ne!(code, 0);
    assert!(output.contains("line 2"), "{output}");
    assert!(output.contains("16 characters"), "{output}");
}

#[tokio::test]
async fn a_coupon_column_fills_the_copy_code_button() {
    let dir = account_templates();
    let emulator = emulator(dir.path()).await;
    let csv =
        "phone,1,header,button0\n+919876543210,25%,https://cdn.example.com/diwali.jpg,SAVE25\n";
    let (code, output) = send(&emulator, dir.path(), "festive_coupon", csv).await;
    assert_eq!(code, 0, "{output}");
    assert!(bodies(&emulator)[0].contains("for 25% off"));

    let without = "phone,1,header\n+919876543210,25%,https://cdn.example.com/diwali.jpg\n";
    let (code, output) = send(&emulator, dir.path(), "festive_coupon", without).await;
    assert_ne!(code, 0);
    assert!(output.contains("no column fills `button0`"), "{output}");
}

#[tokio::test]
async fn a_template_in_several_languages_is_sent_in_the_one_chosen() {
    let dir = tempfile::tempdir().unwrap();
    let languages = Path::new(kaleyra_test_support::account::FIXTURES).join("languages");
    for name in ["order_status.en.json", "order_status.hi.json"] {
        std::fs::copy(languages.join(name), dir.path().join(name)).unwrap();
    }
    let emulator = emulator(dir.path()).await;
    let csv = "phone,1,2,button0\n+919876543210,आशा,ORD-7,ord-7\n";
    let (code, output) = send(&emulator, dir.path(), "order_status", csv).await;
    assert_ne!(code, 0);
    assert!(
        output.contains("has 2 languages (en, hi); choose one with --language"),
        "{output}"
    );

    let (code, output) = send_in(
        &emulator,
        dir.path(),
        "order_status",
        csv,
        &["--language", "fr"],
    )
    .await;
    assert_ne!(code, 0);
    assert!(output.contains("has no language `fr`"), "{output}");

    let (code, output) = send_in(
        &emulator,
        dir.path(),
        "order_status",
        csv,
        &["--language", "hi"],
    )
    .await;
    assert_eq!(code, 0, "{output}");
    assert_eq!(bodies(&emulator), ["नमस्ते आशा, ऑर्डर ORD-7 तैयार है।"]);
}
