//! `kaleyra send` of a CSV through its SQLite journal, beside `send_many`
//! of the same messages without a journal: messages per second and peak
//! memory (RSS) of each, both as processes sending to one emulator on
//! loopback. Not a timed test: `cargo bench -p kaleyra-cli --bench
//! campaign` prints the figures (see BENCHMARKS.md, "Campaigns").
//!
//! `KALEYRA_BENCH_ROWS` sets the campaign's size (100,000 by default) and
//! `KALEYRA_BENCH_ROUNDS` how many times each side runs (2), alternated.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use futures::StreamExt;
use kaleyra_emulator::{Emulator, RunningEmulator};
use kaleyra_runtime::{Client, TemplateMessage};
use tokio::process::Command;

const TEMPLATES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../templates");

/// Set in the child that runs the baseline: the CSV it sends.
const BASELINE_CSV: &str = "KALEYRA_BENCH_BASELINE_CSV";

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    match std::env::var_os(BASELINE_CSV) {
        Some(csv) => runtime.block_on(baseline(PathBuf::from(csv))),
        None => runtime.block_on(compare()),
    }
}

/// The baseline, in its own process: every row of the CSV read, built into
/// the same message `kaleyra send` builds, and sent by `send_many`.
async fn baseline(csv: PathBuf) {
    let client = Client::from_env().expect("the client's environment");
    let mut reader = csv::Reader::from_path(&csv).expect("the CSV opens");
    let inputs = reader
        .records()
        .map(|record| {
            let record = record.expect("a row");
            let message = TemplateMessage::new("booking_confirm")
                .language("en")
                .param(&record[1])
                .param(&record[2]);
            (message, record[0].to_owned())
        })
        .collect::<Vec<_>>();
    let outcomes = client
        .send_many(inputs)
        .into_stream()
        .collect::<Vec<_>>()
        .await;
    let failed = outcomes
        .iter()
        .filter(|outcome| outcome.result.is_err())
        .count();
    assert_eq!(failed, 0, "every message is accepted");
    println!("{} sent", outcomes.len());
}

/// Runs both sides `rounds` times, alternated, and prints their figures.
async fn compare() {
    let rows = env_number("KALEYRA_BENCH_ROWS", 100_000);
    let rounds = env_number("KALEYRA_BENCH_ROUNDS", 2);
    let emulator = Emulator::builder()
        .templates_dir(TEMPLATES)
        .start()
        .await
        .expect("the emulator starts");
    let dir = tempfile::tempdir().expect("a temporary directory");
    let csv = dir.path().join("campaign.csv");
    write_csv(&csv, rows);
    println!(
        "{rows} rows, {rounds} rounds each, to the emulator at {}",
        emulator.base_url()
    );
    println!(
        "{:<28} {:>10} {:>12} {:>14}",
        "side", "seconds", "messages/s", "peak RSS (MiB)"
    );
    let mut totals = [(0.0, 0u64), (0.0, 0u64)];
    for round in 0..rounds {
        for (side, total) in totals.iter_mut().enumerate() {
            let journal = dir.path().join(format!("round{round}.journal.db"));
            let command = if side == 0 {
                baseline_command(&emulator, &csv)
            } else {
                kaleyra_send(&emulator, &csv, &journal)
            };
            let (elapsed, peak, loaded, cpu) = measure(command).await;
            emulator.clear();
            let rate = rows as f64 / elapsed.as_secs_f64();
            let name = ["send_many, no journal", "kaleyra send, SQLite journal"][side];
            let load = loaded.map_or_else(String::new, |loaded| {
                format!(", check and load {:.2} s", loaded.as_secs_f64())
            });
            println!(
                "{name:<28} {:>10.2} {rate:>12.0} {:>14.1}  (CPU {cpu:.1} s{load})",
                elapsed.as_secs_f64(),
                peak as f64 / 1024.0
            );
            total.0 += rate;
            total.1 = total.1.max(peak);
        }
    }
    let [(base, base_peak), (send, send_peak)] = totals;
    let (base, send) = (base / rounds as f64, send / rounds as f64);
    println!(
        "mean: send_many {base:.0}/s (peak {:.1} MiB), kaleyra send {send:.0}/s (peak {:.1} MiB): {:.1}% of send_many's rate",
        base_peak as f64 / 1024.0,
        send_peak as f64 / 1024.0,
        send / base * 100.0
    );
}

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

fn write_csv(path: &Path, rows: usize) {
    use std::io::Write;
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).expect("the CSV"));
    writeln!(out, "phone,1,2").unwrap();
    for index in 0..rows {
        writeln!(out, "+9198{index:08},Customer {index},BK-{index}").unwrap();
    }
    out.flush().unwrap();
}

fn account(command: &mut Command, emulator: &RunningEmulator) {
    command
        .env_clear()
        .env("KALEYRA_SID", emulator.sid())
        .env("KALEYRA_API_KEY", emulator.api_key())
        .env("KALEYRA_FROM", emulator.v1_number())
        .env("KALEYRA_API", "v1")
        .env("KALEYRA_BASE_URL", emulator.base_url())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
}

fn baseline_command(emulator: &RunningEmulator, csv: &Path) -> Command {
    let mut command = Command::new(std::env::current_exe().expect("this bench's path"));
    account(&mut command, emulator);
    command.env(BASELINE_CSV, csv);
    command
}

fn kaleyra_send(emulator: &RunningEmulator, csv: &Path, journal: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kaleyra"));
    account(&mut command, emulator);
    command
        .args(["send", "--template", "booking_confirm", "--dir", TEMPLATES])
        .arg("--csv")
        .arg(csv)
        .arg("--journal")
        .arg(journal)
        // The rate limit off, as `send_many`'s side has none: the adaptive
        // pace is in place but only acts on a 429 or 503.
        .args(["--rate", "off"]);
    command
}

/// Runs `command` to its end: how long it took, its peak RSS in KiB (the
/// kernel's high-water mark, `VmHWM`, read until it exits), and when it
/// said it had loaded the rows (`kaleyra send` only).
async fn measure(mut command: Command) -> (Duration, u64, Option<Duration>, f64) {
    let started = Instant::now();
    let mut child = command.spawn().expect("the side starts");
    let pid = child.id().expect("running");
    let mut peak = 0;
    let mut cpu = 0.0;
    let mut stdout = child.stdout.take().expect("piped");
    let mut stderr = child.stderr.take().expect("piped");
    let output = tokio::spawn(async move {
        use tokio::io::{AsyncBufReadExt, AsyncReadExt};
        let mut out = String::new();
        let read_err = async {
            // When `kaleyra send` says it loaded the rows: its sending starts.
            let (mut err, mut loaded) = (String::new(), None);
            let mut lines = tokio::io::BufReader::new(&mut stderr).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                if loaded.is_none() && line.starts_with("checked ") {
                    loaded = Some(started.elapsed());
                }
                err.push_str(&line);
                err.push('\n');
            }
            (err, loaded)
        };
        let (_, (err, loaded)) = tokio::join!(stdout.read_to_string(&mut out), read_err);
        (out, err, loaded)
    });
    let status = loop {
        if let Some(status) = child.try_wait().expect("waiting") {
            break status;
        }
        peak = peak.max(high_water_mark(pid).unwrap_or(0));
        cpu = cpu_seconds(pid).unwrap_or(cpu);
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let elapsed = started.elapsed();
    let (out, err, loaded) = output.await.expect("the output");
    assert!(
        status.success(),
        "the side failed ({status}):\n{out}\n{err}"
    );
    (elapsed, peak, loaded, cpu)
}

/// The CPU time (user and system) `pid` used so far, in seconds.
fn cpu_seconds(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command's closing parenthesis; utime and stime are
    // the 14th and 15th of the whole line, in clock ticks (100 a second).
    let fields = stat
        .rsplit_once(')')?
        .1
        .split_whitespace()
        .collect::<Vec<_>>();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

fn high_water_mark(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
