//! A throwaway PostgreSQL server on loopback, started by the test that
//! needs it and stopped when its guard drops.
//!
//! It runs the binaries of Debian's `postgresql` package
//! (`/usr/lib/postgresql/<version>/bin`); when they are missing the test
//! fails saying how to install them. As root, the server runs as the
//! `postgres` user the package creates (PostgreSQL refuses to run as root).

use std::fs::{self, File};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Where Debian installs PostgreSQL's versions.
const DEBIAN_ROOT: &str = "/usr/lib/postgresql";

/// How long the server may take to accept connections.
const STARTUP: Duration = Duration::from_secs(60);

/// A PostgreSQL server in a temporary directory, listening on 127.0.0.1;
/// stopped and removed on drop.
#[derive(Debug)]
pub struct PostgresServer {
    bin: PathBuf,
    data: PathBuf,
    port: u16,
    as_postgres: bool,
    server: Child,
    // Removed after the server stops (fields drop after `drop` runs).
    _dir: tempfile::TempDir,
}

impl PostgresServer {
    /// Creates a cluster and starts its server, without durability (a test
    /// server need not survive a power loss): `fsync=off`.
    ///
    /// # Panics
    ///
    /// When PostgreSQL is not installed and cannot be (it is installed with
    /// `apt-get` when the tests run as root, as on a fresh CI machine; the
    /// message says `apt-get install postgresql`), or the server does not
    /// start (with its log).
    pub fn start() -> PostgresServer {
        crate::apt::install_if_missing(&["postgresql"], || find_bin().is_some());
        let bin = find_bin().unwrap_or_else(|| {
            panic!(
                "PostgreSQL's server binaries are not installed (no {DEBIAN_ROOT}/<version>/bin/initdb); \
                 these tests start a real server: install it with `apt-get install -y postgresql`"
            )
        });
        let as_postgres = crate::apt::is_root();
        let dir = tempfile::Builder::new()
            .prefix("kaleyra-postgres-")
            .tempdir()
            .expect("a temporary directory for PostgreSQL");
        if as_postgres {
            let chowned = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(dir.path())
                .status()
                .expect("chown runs");
            assert!(
                chowned.success(),
                "cannot give {} to the `postgres` user (does the user exist? `apt-get install -y postgresql` creates it)",
                dir.path().display()
            );
        }
        let data = dir.path().join("data");
        let initdb = run_as(as_postgres, &bin.join("initdb"))
            .arg("-D")
            .arg(&data)
            .args([
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ])
            .output()
            .expect("initdb runs");
        assert!(
            initdb.status.success(),
            "initdb failed: {}",
            String::from_utf8_lossy(&initdb.stderr)
        );

        let port = free_port();
        let log_path = dir.path().join("server.log");
        let log = File::create(&log_path).expect("the server's log is created");
        if as_postgres {
            let _ = Command::new("chown")
                .arg("postgres:postgres")
                .arg(&log_path)
                .status();
        }
        let server = run_as(as_postgres, &bin.join("postgres"))
            .arg("-D")
            .arg(&data)
            .args(["-p", &port.to_string(), "-k"])
            .arg(dir.path())
            .args([
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "fsync=off",
                "-c",
                "synchronous_commit=off",
                "-c",
                "full_page_writes=off",
            ])
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("the log is shared"))
            .stderr(log)
            .spawn()
            .expect("postgres starts");
        let mut started = PostgresServer {
            bin,
            data,
            port,
            as_postgres,
            server,
            _dir: dir,
        };
        started.wait_ready(&log_path);
        started
    }

    /// The URL of database `postgres` as user `postgres` (no password).
    pub fn url(&self) -> String {
        self.database_url("postgres")
    }

    /// The URL of database `name` on this server.
    pub fn database_url(&self, name: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{name}", self.port)
    }

    /// Creates database `name` and returns its URL.
    pub fn create_database(&self, name: &str) -> String {
        let created = Command::new(self.bin.join("createdb"))
            .args([
                "-h",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
                "-U",
                "postgres",
                name,
            ])
            .output()
            .expect("createdb runs");
        assert!(
            created.status.success(),
            "createdb {name} failed: {}",
            String::from_utf8_lossy(&created.stderr)
        );
        self.database_url(name)
    }

    fn wait_ready(&mut self, log: &Path) {
        let started = Instant::now();
        loop {
            if let Ok(Some(status)) = self.server.try_wait() {
                panic!(
                    "postgres exited ({status}) before accepting connections:\n{}",
                    fs::read_to_string(log).unwrap_or_default()
                );
            }
            let ready = Command::new(self.bin.join("pg_isready"))
                .args(["-q", "-h", "127.0.0.1", "-p", &self.port.to_string()])
                .status()
                .is_ok_and(|status| status.success());
            if ready {
                return;
            }
            assert!(
                started.elapsed() < STARTUP,
                "postgres did not accept connections within {STARTUP:?}:\n{}",
                fs::read_to_string(log).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for PostgresServer {
    fn drop(&mut self) {
        // `immediate`: nothing to keep, so no checkpoint to wait for.
        let stopped = run_as(self.as_postgres, &self.bin.join("pg_ctl"))
            .arg("-D")
            .arg(&self.data)
            .args(["stop", "-m", "immediate", "-w"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success());
        if !stopped {
            let _ = self.server.kill();
        }
        let _ = self.server.wait();
    }
}

/// `program`, run as the `postgres` user when `as_postgres`.
fn run_as(as_postgres: bool, program: &Path) -> Command {
    if as_postgres {
        let mut command = Command::new("setpriv");
        command
            .args([
                "--reuid=postgres",
                "--regid=postgres",
                "--init-groups",
                "--",
            ])
            .arg(program);
        command
    } else {
        Command::new(program)
    }
}

/// The `bin` directory of the newest PostgreSQL installed the Debian way.
fn find_bin() -> Option<PathBuf> {
    let mut versions = fs::read_dir(DEBIAN_ROOT)
        .ok()?
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let version: u32 = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").is_file().then_some((version, bin))
        })
        .collect::<Vec<_>>();
    versions.sort_unstable_by_key(|(version, _)| *version);
    versions.pop().map(|(_, bin)| bin)
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port on loopback")
        .port()
}
