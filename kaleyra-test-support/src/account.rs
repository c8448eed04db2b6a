//! A templates directory as an account's template list gives it: Meta's
//! template objects captured from an account, one file per name and language.

use std::path::Path;

/// Where the captured template objects are kept (`kaleyra-definitions`' fixtures).
pub const FIXTURES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../kaleyra-definitions/tests/fixtures"
);

/// A fresh directory with three approved templates in Meta's shape: the
/// authentication template `login_code` (`en`), the coupon template
/// `festive_coupon` (`en`, an image header and a copy-code button at index 0),
/// and `delivery_named` (`en`, named placeholders `customer_name`, `order_id`,
/// `delivery_date`, with `order_id` in the header too).
pub fn account_templates() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let fixtures = Path::new(FIXTURES);
    for name in ["login_code.en.json", "festive_coupon.en.json"] {
        std::fs::copy(fixtures.join(name), dir.path().join(name)).expect("the fixture is copied");
    }
    // Captured while paused; approved here, so it can be sent.
    let named = std::fs::read_to_string(fixtures.join("delivery_named.en.json"))
        .expect("the fixture is read");
    std::fs::write(
        dir.path().join("delivery_named.en.json"),
        named.replace("\"PAUSED\"", "\"APPROVED\""),
    )
    .expect("the fixture is written");
    dir
}
