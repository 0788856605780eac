#!/usr/bin/env bash
# Sync through git: `newsroom sync` and `newsroom sync clone` next to plain git in the same
# run, on 10,000 generated drafts behind a local bare remote. Prints a Markdown table of
# medians and ratios; the working folders and results.json are in target/bench-sync.
#
#   BENCH_PROFILE=debug tests/bench-sync/run.sh       # the debug build instead
#   tests/bench-sync/run.sh --runs 9 --same-draft     # extra arguments go to bench.py
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
profile="${BENCH_PROFILE:-release}"
cd "$root"
if [ "$profile" = release ]; then
  cargo build --quiet --release -p newsroom-cli
else
  cargo build --quiet -p newsroom-cli
fi
exec python3 "$root/tests/bench-sync/bench.py" "$root/target/$profile/newsroom" "$@"
