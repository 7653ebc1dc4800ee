#!/usr/bin/env bash
# Load benchmark of the public portal (issue "guihua serve"): the plan page and the indicator
# page at 200 concurrent clients over a library of 100 published plans with 5 years of data
# each (`guihua demo --plans 100`), with wrk. Prints wrk's latency distribution and the
# server's peak memory (VmHWM). Results are recorded in the README.
#
# Usage: scripts/load-bench.sh [SECONDS] [CONNECTIONS]
# Needs: wrk (Debian package `wrk`), curl. Builds the release binary.
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-20}"
conns="${2:-200}"
plans=100
port=18080
command -v wrk >/dev/null || { echo "load-bench: wrk is required (apt-get install wrk)" >&2; exit 1; }

cargo build --release --locked -q -p guihua-cli
bin="${CARGO_TARGET_DIR:-target}/release/guihua"
log="$(mktemp)"
"$bin" demo --listen "127.0.0.1:$port" --plans "$plans" 2>"$log" &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 1 300); do
  grep -q "guihua serve:" "$log" && break
  sleep 0.2
done
grep -q "guihua serve:" "$log" || { cat "$log" >&2; exit 1; }
base="http://127.0.0.1:$port"
# The demo's first plan is the example with an open round; plans 2..100 have 5 years each.
first=2
last=$plans
indicator=i7

echo "library: $plans plans; server pid $pid; after start-up: $(grep VmRSS /proc/$pid/status)"
echo "cold (first) render of one page, single client:"
for p in "/plans/$first" "/plans/$first/indicators/$indicator"; do
  curl -s -o /dev/null -w "  $p  %{http_code}  %{size_download} bytes  %{time_total} s\n" "$base$p"
done
# Warm-up: every page once, as the first visitors after a change would.
for id in $(seq $first $last); do
  curl -s -o /dev/null "$base/plans/$id"
  curl -s -o /dev/null "$base/plans/$id/indicators/$indicator"
done
for kind in plan indicator; do
  echo "== $kind pages: $conns connections, ${secs}s, random page of plans $first..$last"
  wrk -t2 -c"$conns" -d"${secs}s" --latency -s scripts/load-paths.lua "$base" \
    -- "$kind" "$first" "$last" "$indicator" | sed -n '/Thread Stats/,$p'
done
echo "server peak memory: $(grep VmHWM /proc/$pid/status)"
