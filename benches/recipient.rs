//! The recipient check, per message: the E.164 shape check every `&str`
//! recipient gets, beside `PhoneNumber::parse` of the same number (its fast
//! path, which must cost no more than the shape check and a copy, and never
//! consult the phone-number metadata), and of a national form (the
//! metadata's cost, for scale).
//!
//! `cargo bench --bench recipient` measures time with criterion.
//! `KALEYRA_BENCH_COUNT=<case>:<iterations>` runs one case that many times
//! and exits, for an instruction count with callgrind
//! (`valgrind --tool=callgrind target/release/deps/recipient-*`). See
//! BENCHMARKS.md.

use std::hint::black_box;

use criterion::{Criterion, criterion_group};
use kaleyra_definitions::limits;
use kaleyra_runtime::{PhoneNumber, Region};

const E164: &str = "+919876543210";
const NATIONAL: &str = "098765 43210";

/// Every case, by name.
fn cases() -> Vec<(&'static str, fn())> {
    vec![
        ("shape_check", || {
            assert!(limits::is_e164(black_box(E164)));
            black_box(E164.to_owned());
        }),
        ("parse_e164", || {
            black_box(PhoneNumber::parse(black_box(E164), Some(Region::IN)).unwrap());
        }),
        ("parse_national", || {
            black_box(PhoneNumber::parse(black_box(NATIONAL), Some(Region::IN)).unwrap());
        }),
    ]
}

fn recipient(c: &mut Criterion) {
    let mut group = c.benchmark_group("recipient");
    for (name, case) in cases() {
        group.bench_function(name, |b| b.iter(case));
    }
    group.finish();
}

criterion_group!(benches, recipient);

fn main() {
    if let Ok(spec) = std::env::var("KALEYRA_BENCH_COUNT") {
        let (name, iterations) = spec.rsplit_once(':').expect("<case>:<iterations>");
        let iterations: usize = iterations.parse().expect("a number of iterations");
        let (_, case) = cases()
            .into_iter()
            .find(|(case, _)| *case == name)
            .expect("a known case");
        for _ in 0..iterations {
            case();
        }
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
