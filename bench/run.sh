#!/usr/bin/env bash
# Scrape benchmark: GET /prometheus latency (p50/p99/max), daemon RSS and database round trips per target per
# tick, with 1, 50 and 200 configured targets against a local PostgreSQL 15 primary + streaming standby.
# Writes bench/results/scrape.md and prints it. Loopback only; takes about 5 minutes on 2 cores.
#
# What is measured: by default the committed code (git HEAD, exported to bench/results/work/src, with this
# work tree's bench sources laid over it), so edits in progress elsewhere in the tree cannot break or skew a run.
# BENCH_SOURCE=worktree measures a copy of the work tree as it is now instead. Either way the build happens in
# bench/results/work/src and the run uses private copies of its output.
# Extra arguments go to io.pgbluegreen.bench.ScrapeBench, e.g.: bench/run.sh --targets 1,50 --requests 500
set -euo pipefail
cd "$(dirname "$0")/.."

work=bench/results/work
mkdir -p "$work"
source_kind=${BENCH_SOURCE:-head}

rm -rf "$work/src"
mkdir -p "$work/src"
case "$source_kind" in
  head)
    commit=$(git rev-parse --short HEAD)
    echo "[bench] building git HEAD ($commit) in $work/src (mvn -o -q package -DskipTests)"
    git archive HEAD | tar -x -C "$work/src"
    # Files under src/ that .gitignore hides from git (so HEAD alone would not compile) come from the work tree.
    hidden=$(git ls-files --others --ignored --exclude-standard -- src/)
    if [ -n "$hidden" ]; then
      echo "[bench] WARNING: $(echo "$hidden" | wc -l) file(s) under src/ are git-ignored, not in HEAD; taken from the work tree:"
      echo "$hidden" | sed 's|/[^/]*$||' | sort -u | sed 's/^/[bench]   /'
      echo "$hidden" | tar -c -T - | tar -x -C "$work/src"
    fi
    described="git HEAD $commit"
    [ -n "$hidden" ] && described="$described + $(echo "$hidden" | wc -l) git-ignored file(s) under src/ from the work tree"
    ;;
  worktree)
    echo "[bench] building a copy of the work tree in $work/src (mvn -o -q package -DskipTests)"
    cp -r pom.xml src "$work/src/"
    described="work tree at $(git rev-parse --short HEAD)"
    git status --porcelain -- src/main pom.xml | grep -q . && described="$described with uncommitted changes under src/main or pom.xml"
    ;;
  *)
    echo "BENCH_SOURCE must be head or worktree" >&2
    exit 2
    ;;
esac
# The bench itself always comes from the work tree.
mkdir -p "$work/src/src/bench/java/io/pgbluegreen/bench"
cp src/bench/java/io/pgbluegreen/bench/*.java "$work/src/src/bench/java/io/pgbluegreen/bench/"
build="$work/src"

(cd "$build" && mvn -o -q package -DskipTests)
(cd "$build" && mvn -o -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt >/dev/null)

# Private copies of the build output, so a rebuild cannot change anything under a running bench.
rm -rf "$work/classes" "$work/test-classes"
cp -r "$build/target/classes" "$work/classes"
cp -r "$build/target/test-classes" "$work/test-classes"
cp "$build/target/pg-bluegreen.jar" "$work/pg-bluegreen.jar"
cp "$build/target/bench-classpath.txt" "$work/classpath.txt"

# The whole run is bounded: a hung step cannot keep it going past this.
timeout --kill-after=30s 30m \
  java -Xmx512m -cp "$work/classes:$work/test-classes:$(cat "$work/classpath.txt")" \
    io.pgbluegreen.bench.ScrapeBench --out bench/results/scrape.md --work "$work" --jar "$work/pg-bluegreen.jar" \
    --source "$described" "$@"
