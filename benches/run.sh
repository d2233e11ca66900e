#!/usr/bin/env bash
# Runs every benchmark of docs/benchmarks.md from a fresh clone:
#
#   benches/run.sh                      # everything (about 10 minutes on 2 cores, plus the first build)
#   benches/run.sh --sizes 1mb,10mb --runs 0.3 --skip-lsp   # a quick look
#
# Installs hyperfine and GNU time (Debian packages) when missing and it can,
# builds costlint and costlint-bench in release mode, generates the corpus
# into target/bench/corpus (once per generator version and seed) and writes
# the results to target/bench/results.md. Arguments go to
# `costlint-bench run` (see `--help`).
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v hyperfine >/dev/null || missing+=(hyperfine)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "benches/run.sh: installing ${missing[*]}" >&2
        apt-get update -qq >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        echo "benches/run.sh: missing ${missing[*]} (Debian packages); timings fall back to own repetitions" >&2
    fi
fi

cargo build --release --locked --features bench --bins
exec target/release/costlint-bench run --costlint target/release/costlint --work target/bench "$@"
