#!/usr/bin/env bash
# Cutover write-unavailability benchmark: for each mode (physical: PostgreSQL 15 primary -> streaming standby;
# logical: 14 publisher -> 16 subscriber), N cutovers through the daemon's HTTP API under continuous write load,
# measuring the longest gap between acknowledged commits, client errors and lost writes; the writers connect directly
# (moved to green by the bench) and/or through a real PgBouncer that the daemon pauses and switches (--via).
# Writes bench/results/cutover.md and prints it. Loopback only; every wait bounded; about 10-20 s per run on 2 cores
# (10 runs per mode and way: about 7 min, plus the build).
#
# Usage: bench/cutover.sh [--runs N] [--mode physical|logical|both] [--via direct|pgbouncer|both] [--diagnose K]
#        [other CutoverBench options,
#        see the javadoc of src/bench/java/io/pgbluegreen/bench/cutover/CutoverBench.java]
set -euo pipefail
cd "$(dirname "$0")/.."

command_line="bench/cutover.sh $*"

# Build (offline). Other work in the tree may be mid-edit: retry a few times, a minute apart.
for attempt in 1 2 3 4; do
  if mvn -q -o test-compile; then
    break
  fi
  if [ "$attempt" = 4 ]; then
    echo "[cutover-bench] test-compile failed $attempt times, giving up" >&2
    exit 1
  fi
  echo "[cutover-bench] test-compile failed (attempt $attempt), retrying in 60 s" >&2
  sleep 60
done

# What was built, as seen right after the build (the tree may change while the bench runs).
dirty=$(git status --porcelain -- src/main pom.xml | sed 's/^ *//' | paste -sd, - | sed 's/,/, /g')
measured="work tree at $(git rev-parse --short HEAD)"
if [ -n "$dirty" ]; then measured="$measured with uncommitted changes: $dirty"; else measured="$measured (no uncommitted change under src/main or pom.xml)"; fi

private=$(mktemp -d /tmp/cutover-bench.XXXXXX)
trap 'rm -rf "$private"' EXIT
mvn -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$private/classpath.txt" >/dev/null

# Private copies of the build output, so a concurrent rebuild cannot change classes under the running bench.
cp -r target/classes "$private/classes"
cp -r target/test-classes "$private/test-classes"

# The whole run is bounded: a hung step cannot keep it going past this.
timeout --kill-after=30s 60m \
  java -Xmx768m -cp "$private/classes:$private/test-classes:$(cat "$private/classpath.txt")" \
    io.pgbluegreen.bench.cutover.CutoverBench --command "$command_line" --measured-code "$measured" "$@"
