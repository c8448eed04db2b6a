//! `kaleyra templates new`, run as a process: the scaffold it writes is a
//! definition the derive reads (the same loader), in Meta's create shape, and
//! it never overwrites a file nor writes a bad name.

use std::path::Path;
use std::process::{Command, Output};

use kaleyra_definitions::{HeaderType, TemplateDefinition, TemplateStatus};

/// `kaleyra templates SUBCOMMAND ARGS.. --dir DIR`, with no environment.
fn templates(subcommand: &str, dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kaleyra"))
        .args(["templates", subcommand])
        .args(args)
        .arg("--dir")
        .arg(dir)
        .env_clear()
        .output()
        .expect("kaleyra runs")
}

fn new(dir: &Path, args: &[&str]) -> Output {
    templates("new", dir, args)
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn a_marketing_template_with_an_image_header_reads_back_unsubmitted() {
    let dir = tempfile::tempdir().unwrap();
    let output = new(
        dir.path(),
        &[
            "diwali_offer",
            "--category",
            "MARKETING",
            "--language",
            "en",
            "--header",
            "image",
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let path = dir.path().join("diwali_offer.en.json");
    let definition = TemplateDefinition::from_file(&path).unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(definition.name, "diwali_offer");
    assert_eq!(definition.language.as_deref(), Some("en"));
    assert_eq!(
        definition.header.as_ref().map(|header| header.kind),
        Some(HeaderType::Image)
    );
    assert_eq!(definition.param_count(), 1);
    assert_eq!(
        definition.status,
        Some(TemplateStatus::Pending),
        "not submitted, so not approved"
    );
    let object: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert!(
        object.get("id").is_none() && object.get("status").is_none(),
        "{object}"
    );
    assert_eq!(
        object["components"][1]["example"]["body_text"][0][0],
        "Asha"
    );
}

#[test]
fn an_authentication_template_gives_its_code_button_and_leaves_the_text_to_meta() {
    let dir = tempfile::tempdir().unwrap();
    let output = new(
        dir.path(),
        &[
            "login_code",
            "--category",
            "AUTHENTICATION",
            "--language",
            "en_US",
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let definition =
        TemplateDefinition::from_file(&dir.path().join("login_code.en_US.json")).unwrap();
    let authentication = definition
        .authentication()
        .expect("an authentication template");
    assert!(authentication.add_security_recommendation);
    assert_eq!(authentication.code_expiration_minutes, Some(10));
}

#[test]
fn an_existing_file_is_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("diwali_offer.en.json");
    std::fs::write(&path, b"{\"mine\": true}").unwrap();
    let output = new(
        dir.path(),
        &["diwali_offer", "--category", "UTILITY", "--language", "en"],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("never overwritten"),
        "{}",
        stderr(&output)
    );
    assert_eq!(std::fs::read(&path).unwrap(), b"{\"mine\": true}");
}

#[test]
fn a_bad_name_language_or_header_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    for (args, needle) in [
        (
            vec![
                "Diwali-Offer",
                "--category",
                "MARKETING",
                "--language",
                "en",
            ],
            "`Diwali-Offer` is not a template name",
        ),
        (
            vec!["offer", "--category", "MARKETING", "--language", "english"],
            "`english` is not a language code",
        ),
        (
            vec![
                "otp",
                "--category",
                "AUTHENTICATION",
                "--language",
                "en",
                "--header",
                "image",
            ],
            "an authentication template has no header",
        ),
    ] {
        let output = new(dir.path(), &args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(stderr(&output).contains(needle), "{}", stderr(&output));
    }
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

fn lint(dir: &Path, names: &[&str]) -> Output {
    templates("lint", dir, names)
}

#[test]
fn lint_names_what_meta_refuses_in_a_scaffold_left_unfinished() {
    let dir = tempfile::tempdir().unwrap();
    let output = new(
        dir.path(),
        &[
            "diwali_offer",
            "--category",
            "MARKETING",
            "--language",
            "en",
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    // The scaffold as written passes.
    let clean = lint(dir.path(), &["diwali_offer"]);
    assert_eq!(
        clean.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&clean.stdout)
    );
    // A body that ends with its placeholder and lost its example does not.
    let path = dir.path().join("diwali_offer.en.json");
    let edited = std::fs::read_to_string(&path)
        .unwrap()
        .replace(
            "Hello {{1}}, replace this text with your message.",
            "Your festive discount code is {{1}}",
        )
        .replace("\"Asha\"", "");
    std::fs::write(&path, edited).unwrap();
    let refused = lint(dir.path(), &[]);
    let stdout = String::from_utf8_lossy(&refused.stdout);
    assert_eq!(refused.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains(
            "components[0].text: the body ends with `{{1}}` [placeholder-at-edge, refused]"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("[missing-example, refused]"), "{stdout}");
    assert!(
        stdout.contains("rule: https://developers.facebook.com/"),
        "{stdout}"
    );
}
