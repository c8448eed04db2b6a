#!/usr/bin/env bash
# Instructions per message for each request-preparation case and its
# baseline, counted with callgrind (repeatable, unlike times on a shared
# machine). Each case runs twice, 1000 and 2000 times; the difference over
# 1000 is the cost of one message, without the setup.
#
#   scripts/bench-instructions.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "needs valgrind (apt-get install valgrind)" >&2; exit 1; }

cargo bench --bench prepare --no-run 2>/dev/null
binary=$(ls -t target/release/deps/prepare-* | grep -v '\.d$' | head -n 1)

count() { # case iterations -> instructions
  KALEYRA_BENCH_COUNT="$1:$2" valgrind --tool=callgrind --callgrind-out-file=/dev/null "$binary" 2>&1 \
    | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}

printf '%-20s %12s %12s %7s\n' case library baseline ratio
for case in mediatemplate/v1 mediatemplate/v2 reply_buttons/v1 reply_buttons/v2; do
  per_message() { echo $(( ($(count "$case/$1" 2000) - $(count "$case/$1" 1000)) / 1000 )); }
  library=$(per_message library)
  baseline=$(per_message baseline)
  printf '%-20s %12s %12s %7s\n' "$case" "$library" "$baseline" "$(python3 -c "print(f'{$library / $baseline:.2f}')")"
done
