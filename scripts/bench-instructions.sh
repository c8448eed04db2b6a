#!/usr/bin/env bash
# Instructions per message, counted with callgrind (repeatable, unlike times
# on a shared machine), for each request-preparation case and for a send over
# loopback (client and server together), each beside its baseline. Each case
# runs twice, with 1000 and 2000 messages (500 and 1000 for sends); the
# difference is the cost of the added messages, without the setup.
#
#   scripts/bench-instructions.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "needs valgrind (apt-get install valgrind)" >&2; exit 1; }

cargo bench --bench prepare --bench throughput --no-run 2>/dev/null
newest() { ls -t "${CARGO_TARGET_DIR:-target}"/release/deps/"$1"-* | grep -v '\.d$' | head -n 1; }

count() { # binary case iterations -> instructions
  KALEYRA_BENCH_COUNT="$2:$3" valgrind --tool=callgrind --callgrind-out-file=/dev/null "$1" 2>&1 \
    | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}

ratio() { python3 -c "print(f'{$1 / $2:.2f}')"; }

binary=$(newest prepare)
printf '%-20s %12s %12s %7s\n' case library baseline ratio
for case in mediatemplate/v1 mediatemplate/v2 reply_buttons/v1 reply_buttons/v2; do
  per_message() { echo $(( ($(count "$binary" "$case/$1" 2000) - $(count "$binary" "$case/$1" 1000)) / 1000 )); }
  library=$(per_message library)
  baseline=$(per_message baseline)
  printf '%-20s %12s %12s %7s\n' "prepare/$case" "$library" "$baseline" "$(ratio "$library" "$baseline")"
done

binary=$(newest throughput)
per_send() { echo $(( ($(count "$binary" "$1" 1000) - $(count "$binary" "$1" 500)) / 500 )); }
library=$(per_send library)
baseline=$(per_send baseline)
# For sends, the baseline's cost over the library's is the throughput ratio
# when the machine's CPU is what limits it.
printf '%-20s %12s %12s %7s\n' "send (16 in flight)" "$library" "$baseline" "$(ratio "$baseline" "$library")"
# The same with the library's inputs (message and number) built beforehand,
# as the baseline's requests are: what send_many itself adds.
prebuilt=$(per_send library_prebuilt)
printf '%-20s %12s %12s %7s\n' "send, inputs built" "$prebuilt" "$baseline" "$(ratio "$baseline" "$prebuilt")"
