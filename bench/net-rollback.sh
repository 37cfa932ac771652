#!/usr/bin/env bash
# Safety-net rollback, step by step: ONE Patroni cluster (etcd + 2 members, Patroni 3.0.2, PostgreSQL 15), a host
# agent over HTTPS beside each member, the daemon in process. Each run holds a net on the replica, commits a bad
# deploy on the leader, rolls back; p50 and max per step over the runs. Writes bench/results/safety-net-rollback.md
# and prints it. Loopback only; bounded (30 min); about 25 s per run on 2 cores.
#
# Usage: bench/net-rollback.sh [--runs N] [--rows N] (see src/bench/java/io/pgbluegreen/bench/patroni/NetRollbackBench.java)
set -euo pipefail
cd "$(dirname "$0")/.."

command_line="bench/net-rollback.sh $*"

# Build (offline). Other work in the tree may be mid-edit: retry a few times, a minute apart.
for attempt in 1 2 3 4; do
  if mvn -q -o test-compile; then
    break
  fi
  if [ "$attempt" = 4 ]; then
    echo "[net-rollback-bench] test-compile failed $attempt times, giving up" >&2
    exit 1
  fi
  echo "[net-rollback-bench] test-compile failed (attempt $attempt), retrying in 60 s" >&2
  sleep 60
done

# What was built, as seen right after the build (the tree may change while the bench runs).
dirty=$(git status --porcelain -- src/main pom.xml | sed 's/^ *//' | paste -sd, - | sed 's/,/, /g')
measured="work tree at $(git rev-parse --short HEAD)"
if [ -n "$dirty" ]; then measured="$measured with uncommitted changes: $dirty"; else measured="$measured (no uncommitted change under src/main or pom.xml)"; fi

private=$(mktemp -d /tmp/net-rollback-bench.XXXXXX)
trap 'rm -rf "$private"' EXIT
mvn -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$private/classpath.txt" >/dev/null

# Private copies of the build output, so a concurrent rebuild cannot change classes under the running bench.
cp -r target/classes "$private/classes"
cp -r target/test-classes "$private/test-classes"

# The whole run is bounded: a hung step cannot keep it going past this. (Shutdown hooks stop the cluster when
# the JVM is ended by the timeout's TERM.)
timeout --kill-after=60s 30m \
  java -Xmx768m -cp "$private/classes:$private/test-classes:$(cat "$private/classpath.txt")" \
    io.pgbluegreen.bench.patroni.NetRollbackBench --command "$command_line" --measured-code "$measured" "$@"
