//! Bulk sending: 10,000 template messages to the local emulator through
//! `send_many`, with a progress bar, then the messages per second.
//!
//! ```text
//! cargo run --release --example bulk_send                  # 10,000 on v2, 64 in flight
//! cargo run --release --example bulk_send -- 50000 v1 128  # how many, API, in flight
//! ```

use std::error::Error;
use std::time::{Duration, Instant};

use futures::StreamExt;
use indicatif::{ProgressBar, ProgressStyle};
use kaleyra_emulator::Emulator;
use kaleyra_examples::BookingConfirm;
use kaleyra_runtime::{Api, Pod, Template};

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let count: usize = args.next().map_or(Ok(10_000), |n| n.parse())?;
    let api = match args.next().as_deref() {
        None | Some("v2") => Api::V2(Pod::In),
        Some("v1") => Api::V1,
        Some(other) => return Err(format!("`{other}` is not an API version; use v1 or v2").into()),
    };
    let in_flight: usize = args.next().map_or(Ok(64), |n| n.parse())?;

    // No status callbacks during the run: they would share its CPU.
    let emulator = Emulator::builder()
        .templates_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/templates"))
        .callback_delay(Duration::from_secs(3600))
        .start()
        .await?;
    let client = emulator.client(api)?;

    let bar = ProgressBar::new(count as u64).with_style(ProgressStyle::with_template(
        "{bar:40} {pos}/{len} sent, {msg} failed, {per_sec}, eta {eta}",
    )?);
    let progress = bar.clone();
    let messages = (0..count).map(|i| {
        let message = BookingConfirm {
            name: "Ada",
            booking_id: i as u32,
        }
        .to_message();
        (message, format!("+9198{:08}", i))
    });
    let started = Instant::now();
    let mut results = client
        .send_many(messages)
        .concurrency(in_flight)
        .on_progress(move |done| {
            progress.set_position(done.done() as u64);
            progress.set_message(done.failed.to_string());
        })
        .into_stream();
    let mut failures = Vec::new();
    while let Some(outcome) = results.next().await {
        if let Err(error) = outcome.result {
            failures.push((outcome.index, error));
        }
    }
    let elapsed = started.elapsed();
    bar.finish();

    println!(
        "{count} messages on {:?} in {:.2} s: {:.0} messages per second ({in_flight} in flight); {} stored by the emulator",
        api,
        elapsed.as_secs_f64(),
        count as f64 / elapsed.as_secs_f64(),
        emulator.messages().len()
    );
    if let Some((index, error)) = failures.first() {
        return Err(format!(
            "{} failed; the first, input {index}: {error}",
            failures.len()
        )
        .into());
    }
    Ok(())
}
