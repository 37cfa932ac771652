#!/usr/bin/env bash
# Patroni switchover write-unavailability benchmark: ONE Patroni cluster (etcd + 2 members, Patroni 3.0.2,
# PostgreSQL 15), one PgBouncer in front of the leader, writers inserting through PgBouncer (their connection string
# never changes). Interleaved, N runs of each way:
#   daemon             POST /deployments/{ab|ba}/cutover (gate, PAUSE, Patroni switchover, repoint, RESUME)
#   patronictl         patronictl -c <leader's patroni.yml> switchover --leader X --candidate Y --force, PgBouncer
#                      left alone until it returns, then repointed by a script (rewrite entry, RELOAD)
#   patronictl-paused  the same with PAUSE before patronictl and RESUME with the repoint
# measuring the longest gap between acknowledged commits, client errors and lost writes.
# Writes bench/results/patroni-switchover.md and prints it. Loopback only; every wait bounded; about 20-30 s per
# run on 2 cores (5 runs of 3 ways: about 6-8 min, plus the build and the cluster's start).
#
# Usage: bench/patroni.sh [--runs N] [--ways daemon,patronictl,patronictl-paused] [--writers N]
#        [other PatroniBench options, see the javadoc of
#        src/bench/java/io/pgbluegreen/bench/patroni/PatroniBench.java]
# Needs patronictl on PATH (Debian: apt-get install patroni), etcd and pgbouncer, as the Patroni tests do.
set -euo pipefail
cd "$(dirname "$0")/.."

command_line="bench/patroni.sh $*"

command -v patronictl >/dev/null || { echo "[patroni-bench] patronictl not on PATH (Debian: apt-get install patroni)" >&2; exit 1; }

# Build (offline). Other work in the tree may be mid-edit: retry a few times, a minute apart.
for attempt in 1 2 3 4; do
  if mvn -q -o test-compile; then
    break
  fi
  if [ "$attempt" = 4 ]; then
    echo "[patroni-bench] test-compile failed $attempt times, giving up" >&2
    exit 1
  fi
  echo "[patroni-bench] test-compile failed (attempt $attempt), retrying in 60 s" >&2
  sleep 60
done

# What was built, as seen right after the build (the tree may change while the bench runs).
dirty=$(git status --porcelain -- src/main pom.xml | sed 's/^ *//' | paste -sd, - | sed 's/,/, /g')
measured="work tree at $(git rev-parse --short HEAD)"
if [ -n "$dirty" ]; then measured="$measured with uncommitted changes: $dirty"; else measured="$measured (no uncommitted change under src/main or pom.xml)"; fi

private=$(mktemp -d /tmp/patroni-bench.XXXXXX)
trap 'rm -rf "$private"' EXIT
mvn -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$private/classpath.txt" >/dev/null

# Private copies of the build output, so a concurrent rebuild cannot change classes under the running bench.
cp -r target/classes "$private/classes"
cp -r target/test-classes "$private/test-classes"

# The whole run is bounded: a hung step cannot keep it going past this. (Shutdown hooks stop the cluster and
# PgBouncer when the JVM is ended by the timeout's TERM.)
timeout --kill-after=60s 45m \
  java -Xmx768m -cp "$private/classes:$private/test-classes:$(cat "$private/classpath.txt")" \
    io.pgbluegreen.bench.patroni.PatroniBench --command "$command_line" --measured-code "$measured" "$@"
