//! What the workspace's tests share, so each test says only what it tests:
//!
//! - [`client_builder`] / [`client_at`]: a client with test credentials,
//!   pointed at a loopback server; [`builder`] / [`client`] for tests that
//!   only prepare requests and never send;
//! - [`CountingKaleyra`]: a loopback Kaleyra that accepts every send, for
//!   its recipients, and counts requests and how many were in flight at once;
//! - [`proptest_config`] and [`strategies`]: property-test settings and the
//!   odd values users pass (NaN rates, Hindi and emoji text, huge numbers);
//! - [`CapturedLog`]: what `tracing` logs during a test, as text;
//! - [`account_templates`]: a templates directory of Meta's template objects;
//! - `postgres::PostgresServer` (feature `postgres`): a throwaway
//!   PostgreSQL server on loopback.

pub mod account;
pub mod apt;
pub mod counting;
pub mod log;
#[cfg(feature = "postgres")]
pub mod postgres;
pub mod strategies;

use kaleyra_runtime::{Api, Client, ClientBuilder};
use proptest::test_runner::Config;

pub use account::account_templates;
pub use counting::CountingKaleyra;
pub use log::CapturedLog;

/// The account SID the tests use.
pub const SID: &str = "HXTEST00001IN";
/// The API key the tests use.
pub const API_KEY: &str = "test-api-key-0123456789";
/// The business number the tests send from.
pub const FROM: &str = "+912025550100";

/// A builder with the test credentials for `api`, at Kaleyra's own address:
/// for tests that only prepare requests, or that set the address themselves.
pub fn builder(api: Api) -> ClientBuilder {
    Client::builder()
        .sid(SID)
        .api_key(API_KEY)
        .from(FROM)
        .api(api)
}

/// A client with the test credentials for `api`, at Kaleyra's own address:
/// for tests that only prepare requests and never send them.
///
/// # Panics
///
/// If the client does not build, which fails the test that asked for it.
pub fn client(api: Api) -> Client {
    builder(api)
        .build()
        .expect("a client with the test credentials builds")
}

/// A builder with the test credentials for `api`, sending to `base_url`.
pub fn client_builder(api: Api, base_url: &str) -> ClientBuilder {
    builder(api).base_url(base_url)
}

/// A client with the test credentials for `api`, sending to `base_url`.
///
/// # Panics
///
/// If the client does not build, which fails the test that asked for it.
pub fn client_at(api: Api, base_url: &str) -> Client {
    client_builder(api, base_url)
        .build()
        .expect("a client pointed at a loopback server builds")
}

/// Property tests' settings: `PROPTEST_CASES` cases (default `default_cases`),
/// and no failure files written into the source tree.
pub fn proptest_config(default_cases: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(default_cases);
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}
