//! Installing the Debian packages a test needs (a browser, PostgreSQL) when
//! they are missing, so `cargo test --workspace` works on a fresh machine.

use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Mutex, PoisonError};

/// Installs `packages` with apt-get unless `installed()` says they are
/// there, when the tests can (as root, with apt-get); otherwise leaves it to
/// the test to fail saying what to install. One install at a time per
/// process, so parallel tests do not race apt's lock.
///
/// # Panics
///
/// When apt-get runs and fails.
pub fn install_if_missing(packages: &[&str], installed: impl Fn() -> bool) {
    static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());
    let _guard = ONE_AT_A_TIME.lock().unwrap_or_else(PoisonError::into_inner);
    if installed() || !is_root() || !Path::new("/usr/bin/apt-get").exists() {
        return;
    }
    let list = packages.join(" ");
    eprintln!("installing {list} with apt-get for the tests");
    let apt = |args: &[&str]| {
        Command::new("apt-get")
            .args(args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|status| status.success())
    };
    let mut install = vec!["install", "-y", "-qq"];
    install.extend_from_slice(packages);
    let done = apt(&["update", "-qq"]) && apt(&install);
    assert!(
        done,
        "apt-get could not install {list}; install it with `apt-get install -y {list}`"
    );
}

/// Whether this process runs as root.
pub fn is_root() -> bool {
    std::fs::metadata("/proc/self").is_ok_and(|metadata| metadata.uid() == 0)
}
