//! Peak memory of a long `send_many`: each size runs in a child process
//! of its own (this binary, run again with `KALEYRA_BENCH_MEMORY_CHILD`),
//! which sends that many messages from an iterator, consuming the results
//! one by one, to a minimal axum server in the same process on loopback,
//! and prints its peak RSS (the kernel's high-water mark, `VmHWM`).
//! Memory that stays flat as the count grows means nothing is kept per
//! message.
//!
//! `cargo bench --bench memory`; see BENCHMARKS.md. `KALEYRA_BENCH_MEMORY_SIZES`
//! sets the sizes, comma-separated (`10000,1000000` by default); the ratio
//! printed is the largest size's peak over the smallest's.

mod minimal;

use std::process::Command;
use std::time::Instant;

use futures::StreamExt;
use minimal::{message, minimal_client, minimal_server, recipient};

/// Set in a child: how many messages it sends.
const CHILD: &str = "KALEYRA_BENCH_MEMORY_CHILD";
const SIZES: &str = "KALEYRA_BENCH_MEMORY_SIZES";
const DEFAULT_SIZES: &str = "10000,1000000";
const IN_FLIGHT: usize = 16;

fn main() {
    if let Ok(messages) = std::env::var(CHILD) {
        child(messages.parse().expect("a number of messages"));
        return;
    }
    let sizes: Vec<usize> = std::env::var(SIZES)
        .unwrap_or_else(|_| DEFAULT_SIZES.to_owned())
        .split(',')
        .map(|size| size.trim().parse().expect("sizes are numbers"))
        .collect();
    println!("messages     peak RSS (KiB)   seconds");
    let peaks: Vec<(usize, u64)> = sizes
        .iter()
        .map(|&messages| {
            let started = Instant::now();
            let peak = run_child(messages);
            println!(
                "{messages:>10} {peak:>16} {:>9.1}",
                started.elapsed().as_secs_f64()
            );
            (messages, peak)
        })
        .collect();
    let smallest = peaks.iter().min_by_key(|(messages, _)| *messages);
    let largest = peaks.iter().max_by_key(|(messages, _)| *messages);
    if let (Some((few, low)), Some((many, high))) = (smallest, largest)
        && few != many
    {
        println!(
            "peak RSS over {many} messages / over {few}: {:.2}",
            *high as f64 / *low as f64
        );
    }
}

/// Runs a child that sends `messages`, and returns the peak RSS it printed.
fn run_child(messages: usize) -> u64 {
    let output = Command::new(std::env::current_exe().expect("this bench's path"))
        .env(CHILD, messages.to_string())
        .output()
        .expect("the child runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the child for {messages} messages failed ({}):\n{stdout}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM "))
        .and_then(|kib| kib.trim().parse().ok())
        .expect("the child prints its peak RSS")
}

/// The child: `messages` sent through `send_many` from an iterator, each
/// result checked as it comes and then dropped; prints `VmHWM <KiB>`.
fn child(messages: usize) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let client = minimal_client(&minimal_server().await);
        let inputs = (0..messages).map(|i| (message(), recipient(i)));
        let mut results = client
            .send_many(inputs)
            .concurrency(IN_FLIGHT)
            .into_stream();
        let mut received = 0;
        while let Some(outcome) = results.next().await {
            if let Err(error) = outcome.result {
                panic!("input {} failed: {error}", outcome.index);
            }
            received += 1;
        }
        assert_eq!(received, messages, "one result per input");
    });
    println!("VmHWM {}", high_water_mark());
}

/// This process's peak resident set, in KiB.
fn high_water_mark() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|value| value.split_whitespace().next()?.parse().ok())
        .expect("a VmHWM line")
}
