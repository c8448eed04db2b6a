//! Compile-time behaviour of `#[derive(Template)]`: what compiles (and runs),
//! and each mistake's error message and span (`tests/ui/fail/*.stderr`).
//!
//! Run `TRYBUILD=overwrite cargo test --test ui` after changing a message, and
//! review the new `.stderr` files.

use std::path::{Path, PathBuf};

/// trybuild builds the cases in `<target>/tests/trybuild/<crate>/`, which is
/// the `CARGO_MANIFEST_DIR` the derive sees; the fixtures in `tests/ui/templates`
/// are linked there as its `templates/`.
fn link_fixture_templates() {
    let target = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap()
        .to_path_buf();
    let project = target
        .join("tests")
        .join("trybuild")
        .join(env!("CARGO_PKG_NAME"));
    std::fs::create_dir_all(&project).unwrap();
    let link = project.join("templates");
    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/ui/templates");
    if std::fs::read_link(&link).ok().as_deref() != Some(fixtures.as_path()) {
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink(&fixtures, &link).unwrap();
    }
}

#[test]
fn ui() {
    link_fixture_templates();
    let cases = trybuild::TestCases::new();
    cases.pass("tests/ui/pass/*.rs");
    cases.compile_fail("tests/ui/fail/*.rs");
}
