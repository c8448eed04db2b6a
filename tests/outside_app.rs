//! Builds and tests `tests/outside-app`, an application outside the
//! workspace that depends on `kaleyra-runtime` by path, as a user's would.
//!
//! The app is copied under `target/` (with its path dependencies made
//! absolute and the repository's lock file, so the build is offline) and
//! shares its target directory with `derive_builds.rs`.

use std::path::{Path, PathBuf};
use std::process::Command;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn prepared_app() -> PathBuf {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"));
    let app = Path::new(env!("CARGO_TARGET_TMPDIR")).join("outside-app");
    let _ = std::fs::remove_dir_all(&app);
    copy_dir(&workspace.join("tests/outside-app"), &app);
    let manifest = std::fs::read_to_string(app.join("Cargo.toml")).unwrap();
    let absolute = format!("path = {:?}", format!("{}/", workspace.display()));
    std::fs::write(
        app.join("Cargo.toml"),
        manifest.replace("path = \"../../", &absolute[..absolute.len() - 1]),
    )
    .unwrap();
    std::fs::copy(workspace.join("Cargo.lock"), app.join("Cargo.lock")).unwrap();
    app
}

#[test]
fn the_outside_application_builds_and_its_tests_pass() {
    let app = prepared_app();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args(["test", "--offline", "--target-dir"])
        .arg(Path::new(env!("CARGO_TARGET_TMPDIR")).join("derive-apps-target"))
        .current_dir(&app)
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("RUSTC_WRAPPER")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the outside app's tests failed:\n{stdout}\n{stderr}"
    );
    for test in [
        "image_headers_with_urls_without_an_extension_send_on_v1_and_v2",
        "a_mismatched_extension_is_refused_before_sending",
        "two_hundred_v2_recipients_never_have_more_than_the_bound_in_flight",
        "no_rate_limit_panics",
        "a_multi_product_template_sends_its_products_on_v2",
        "a_limited_time_offer_sends_on_v1_and_v2_and_a_past_one_is_refused",
        "a_carousel_sends_its_cards_with_uploaded_photos_on_v2_and_is_refused_on_v1",
        "a_code_sends_on_v1_and_v2_and_a_place_on_v2",
        "a_single_product_the_catalog_a_product_carousel_and_a_flow_send_on_v2",
    ] {
        assert!(
            stdout.contains(&format!("test {test} ... ok")),
            "`{test}` did not pass:\n{stdout}"
        );
    }
}
