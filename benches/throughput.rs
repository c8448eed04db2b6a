//! Send throughput over loopback at 1, 16 and 64 requests in flight: the
//! library (`send_many`: prepare, send, decode into a receipt) beside raw
//! reqwest posting the same pre-built bytes, against a minimal server that
//! answers Kaleyra's documented success body, and against the emulator.
//!
//! `cargo bench --bench throughput`; see BENCHMARKS.md. Throughput on a
//! shared machine varies from run to run, so `scripts/bench-instructions.sh`
//! also counts the instructions per message (client and server together)
//! with callgrind, by running this binary with
//! `KALEYRA_BENCH_COUNT=<library|library_prebuilt|baseline>:<messages>`.
//!
//! Criterion measures each side in its own window, so a change in the
//! host's load lands on one side only. `KALEYRA_BENCH_PAIRED=<rounds>` instead
//! alternates the two sides batch by batch (library first in even rounds,
//! baseline first in odd ones) and prints the median of each round's ratio;
//! with `KALEYRA_BENCH_INPUTS=prebuilt`, the library's inputs are built
//! before the clock, as the baseline's requests are.

mod minimal;

use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group};
use futures::StreamExt;
use kaleyra_emulator::{Emulator, RunningEmulator};
use kaleyra_runtime::{Api, Client, Pod, PreparedRequest, TemplateMessage};
use minimal::{message, minimal_client, minimal_server, recipient};

/// Messages per measured batch.
const BATCH: usize = 256;
const IN_FLIGHT: [usize; 3] = [1, 16, 64];

/// The library: `messages` messages prepared, sent and decoded by `send_many`.
async fn library(client: &Client, messages: usize, in_flight: usize) {
    let inputs = (0..messages).map(|i| (message(), recipient(i)));
    let results: Vec<_> = client
        .send_many(inputs)
        .concurrency(in_flight)
        .into_stream()
        .collect()
        .await;
    assert!(results.iter().all(|result| result.result.is_ok()));
}

/// The library with its inputs built beforehand, as the baseline's requests
/// are: what `send_many` itself costs, without making and dropping the
/// messages and numbers it is given.
async fn library_prebuilt(
    client: &Client,
    inputs: &'static [(TemplateMessage, String)],
    in_flight: usize,
) {
    let results: Vec<_> = client
        .send_many(inputs.iter().map(|(message, to)| (message, to.as_str())))
        .concurrency(in_flight)
        .into_stream()
        .collect()
        .await;
    assert!(results.iter().all(|result| result.result.is_ok()));
}

/// `count` messages and numbers, built once for the rest of the process
/// (`send_many` takes inputs that outlive it).
fn built_inputs(count: usize) -> &'static [(TemplateMessage, String)] {
    Vec::leak((0..count).map(|i| (message(), recipient(i))).collect())
}

/// The baseline: the same requests, built beforehand, posted with reqwest
/// and their answers read.
async fn baseline(http: &reqwest::Client, requests: &[PreparedRequest], in_flight: usize) {
    let statuses: Vec<u16> = futures::stream::iter(requests)
        .map(|request| async move {
            let response = http
                .post(request.url().as_str())
                .headers(request.headers().clone())
                .body(bytes::Bytes::copy_from_slice(request.body()))
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            response.bytes().await.unwrap();
            status
        })
        .buffer_unordered(in_flight)
        .collect()
        .await;
    assert!(statuses.iter().all(|status| *status == 202));
}

struct Target {
    name: &'static str,
    client: Client,
    requests: Vec<PreparedRequest>,
    emulator: Option<RunningEmulator>,
}

fn targets(runtime: &tokio::runtime::Runtime) -> Vec<Target> {
    runtime.block_on(async {
        let server = minimal_server().await;
        let emulator = Emulator::builder()
            .templates_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/templates"))
            .callback_delay(Duration::from_secs(3600))
            .start()
            .await
            .unwrap();
        let minimal = minimal_client(&server);
        let emulated = emulator.client(Api::V2(Pod::In)).unwrap();
        let prepared = |client: &Client| {
            (0..BATCH)
                .map(|i| client.prepare(&message(), recipient(i)).unwrap())
                .collect()
        };
        vec![
            Target {
                name: "minimal-server",
                requests: prepared(&minimal),
                client: minimal,
                emulator: None,
            },
            Target {
                name: "emulator",
                requests: prepared(&emulated),
                client: emulated,
                emulator: Some(emulator),
            },
        ]
    })
}

fn throughput(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let http = reqwest::Client::new();
    for target in targets(&runtime) {
        let mut group = c.benchmark_group(format!("send/{}", target.name));
        group.throughput(Throughput::Elements(BATCH as u64));
        group.sample_size(10);
        for in_flight in IN_FLIGHT {
            group.bench_with_input(
                BenchmarkId::new("library", in_flight),
                &in_flight,
                |b, &in_flight| {
                    b.iter_custom(|batches| {
                        let started = Instant::now();
                        for _ in 0..batches {
                            runtime.block_on(library(&target.client, BATCH, in_flight));
                            if let Some(emulator) = &target.emulator {
                                emulator.clear();
                            }
                        }
                        started.elapsed()
                    })
                },
            );
            group.bench_with_input(
                BenchmarkId::new("baseline", in_flight),
                &in_flight,
                |b, &in_flight| {
                    b.iter_custom(|batches| {
                        let started = Instant::now();
                        for _ in 0..batches {
                            runtime.block_on(baseline(&http, &target.requests, in_flight));
                            if let Some(emulator) = &target.emulator {
                                emulator.clear();
                            }
                        }
                        started.elapsed()
                    })
                },
            );
        }
        group.finish();
    }
}

criterion_group!(benches, throughput);

/// Sends `messages` to the minimal server on one thread, 16 in flight,
/// through the library or the baseline. The baseline's 1000 requests are
/// built whatever the count, so a difference of two counts leaves them out.
fn count(side: &str, messages: usize) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let server = minimal_server().await;
        let client = minimal_client(&server);
        let requests: Vec<PreparedRequest> = (0..1000)
            .map(|i| client.prepare(&message(), recipient(i)).unwrap())
            .collect();
        let inputs = built_inputs(1000);
        let http = reqwest::Client::new();
        let in_flight = 16;
        match side {
            "baseline" => baseline(&http, &requests[..messages], in_flight).await,
            "library_prebuilt" => library_prebuilt(&client, &inputs[..messages], in_flight).await,
            _ => library(&client, messages, in_flight).await,
        }
    });
}

/// Messages per second of one batch run by `run`.
fn rate(run: impl FnOnce()) -> f64 {
    let started = Instant::now();
    run();
    BATCH as f64 / started.elapsed().as_secs_f64()
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// Library and baseline batches in alternation, `rounds` of each per server
/// and concurrency (after one round of warm-up), with the medians.
fn paired(rounds: usize) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let http = reqwest::Client::new();
    // `KALEYRA_BENCH_INPUTS=prebuilt`: the library's messages and numbers are
    // built before the clock, as the baseline's requests are.
    let prebuilt: Option<&'static [(TemplateMessage, String)]> =
        (std::env::var("KALEYRA_BENCH_INPUTS").as_deref() == Ok("prebuilt"))
            .then(|| built_inputs(BATCH));
    println!(
        "server          in flight   library/s  baseline/s   ratio (median of {rounds} rounds)"
    );
    for target in targets(&runtime) {
        let clear = || {
            if let Some(emulator) = &target.emulator {
                emulator.clear();
            }
        };
        for in_flight in IN_FLIGHT {
            let library_rate = || {
                let rate = rate(|| match prebuilt {
                    Some(inputs) => {
                        runtime.block_on(library_prebuilt(&target.client, inputs, in_flight))
                    }
                    None => runtime.block_on(library(&target.client, BATCH, in_flight)),
                });
                clear();
                rate
            };
            let baseline_rate = || {
                let rate = rate(|| runtime.block_on(baseline(&http, &target.requests, in_flight)));
                clear();
                rate
            };
            let (mut ours, mut theirs, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
            for round in 0..=rounds {
                let (library, baseline) = if round % 2 == 0 {
                    let library = library_rate();
                    (library, baseline_rate())
                } else {
                    let baseline = baseline_rate();
                    (library_rate(), baseline)
                };
                if round > 0 {
                    ours.push(library);
                    theirs.push(baseline);
                    ratios.push(library / baseline);
                }
            }
            println!(
                "{:<15} {in_flight:>9} {:>11.0} {:>11.0} {:>7.2}",
                target.name,
                median(&mut ours),
                median(&mut theirs),
                median(&mut ratios)
            );
        }
    }
}

fn main() {
    if let Ok(rounds) = std::env::var("KALEYRA_BENCH_PAIRED") {
        paired(rounds.parse().expect("a number of rounds"));
        return;
    }
    if let Ok(spec) = std::env::var("KALEYRA_BENCH_COUNT") {
        let (side, messages) = spec
            .split_once(':')
            .expect("<library|library_prebuilt|baseline>:<messages>");
        count(side, messages.parse().expect("a number of messages"));
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
