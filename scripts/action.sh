#!/usr/bin/env bash
# The shell steps of the costlint GitHub Action (action.yml): each step
# runs `action.sh <step>`. Inputs arrive as INPUT_* variables; results go
# to $GITHUB_OUTPUT, $GITHUB_PATH and $GITHUB_STEP_SUMMARY. The tests run
# this same script with simulated variables.
#
#   install  download the release binary for this runner, if there is one
#   build    otherwise `cargo install --locked` (the install root is cached)
#   run      check once: SARIF, annotations for changed lines, job summary
#   finish   fail according to fail-on (after the SARIF upload)
set -euo pipefail

log() { echo "costlint: $*" >&2; }
output() { echo "$1=$2" >>"${GITHUB_OUTPUT:-/dev/null}"; }

action_path() { echo "${GITHUB_ACTION_PATH:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"; }

# Rust target triple of the runner; empty when no release is built for it.
target_triple() {
  case "${RUNNER_OS:-$(uname -s)}-${RUNNER_ARCH:-$(uname -m)}" in
    Linux-X64 | Linux-x86_64) echo x86_64-unknown-linux-gnu ;;
    Linux-ARM64 | Linux-aarch64) echo aarch64-unknown-linux-gnu ;;
    macOS-X64 | Darwin-x86_64) echo x86_64-apple-darwin ;;
    macOS-ARM64 | Darwin-arm64) echo aarch64-apple-darwin ;;
    Windows-X64) echo x86_64-pc-windows-msvc ;;
    *) echo "" ;;
  esac
}

sha256() {
  if command -v sha256sum >/dev/null; then sha256sum | cut -d' ' -f1; else shasum -a 256 | cut -d' ' -f1; fi
}

# Release assets: costlint-<target>.tar.gz holding the `costlint` binary,
# and costlint-<target>.tar.gz.sha256.
step_install() {
  local version="${INPUT_VERSION:-}" own_ref="${ACTION_REF:-}"
  [ -n "$version" ] || version="$own_ref"
  local target releases tmp dir
  target="$(target_triple)"
  releases="${COSTLINT_RELEASES_URL:-https://github.com/${ACTION_REPOSITORY:-costlint/costlint}/releases/download}"
  output version "$version"
  if [[ "$version" =~ ^v[0-9]+\.[0-9]+\.[0-9]+ ]] && [ -n "$target" ]; then
    tmp="$(mktemp -d "${RUNNER_TEMP:-/tmp}/costlint-download.XXXXXX")"
    local asset="costlint-$target.tar.gz"
    if curl -fsSL --retry 3 -o "$tmp/$asset" "$releases/$version/$asset" 2>/dev/null; then
      if curl -fsSL --retry 3 -o "$tmp/$asset.sha256" "$releases/$version/$asset.sha256" 2>/dev/null; then
        local want got
        want="$(cut -d' ' -f1 <"$tmp/$asset.sha256")"
        got="$(sha256 <"$tmp/$asset")"
        if [ "$want" != "$got" ]; then
          log "checksum mismatch for $asset ($got, expected $want)"
          exit 1
        fi
      fi
      dir="${RUNNER_TEMP:-/tmp}/costlint-$version/bin"
      mkdir -p "$dir"
      tar -xzf "$tmp/$asset" -C "$dir"
      "$dir/costlint" --version >&2
      echo "$dir" >>"${GITHUB_PATH:-/dev/null}"
      output installed true
      log "installed the $version release binary for $target"
      return
    fi
    log "no $version release binary for ${target}; building from source"
  else
    log "no release binary for version '${version:-<none>}' on ${target:-this runner}; building from source"
  fi
  # Build: from the action's own checkout when it is the version asked
  # for, else from the tag. The key covers what the binary is made of.
  local from key
  if [ -z "${INPUT_VERSION:-}" ] || [ "${INPUT_VERSION:-}" = "$own_ref" ]; then
    from=checkout
    local root
    root="$(action_path)"
    key="$(
      cd "$root"
      { cat Cargo.toml Cargo.lock; find src rules/catalog -type f -print0 | LC_ALL=C sort -z | xargs -0 cat; } | sha256
    )"
  else
    from=tag
    key="$version"
  fi
  output installed false
  output build-from "$from"
  output install-root "${RUNNER_TEMP:-/tmp}/costlint-build"
  output cache-key "costlint-${RUNNER_OS:-$(uname -s)}-${RUNNER_ARCH:-$(uname -m)}-$key"
}

step_build() {
  local root="${INSTALL_ROOT:?INSTALL_ROOT is not set}"
  if [ -x "$root/bin/costlint" ]; then
    log "using the cached build"
  else
    command -v cargo >/dev/null || {
      log "cargo is needed to build costlint on this runner: add a Rust toolchain step, or use a version with release binaries"
      exit 1
    }
    if [ "${BUILD_FROM:-checkout}" = tag ]; then
      cargo install --locked --root "$root" \
        --git "https://github.com/${ACTION_REPOSITORY:-costlint/costlint}" --tag "${COSTLINT_VERSION:?}" costlint
    else
      cargo install --locked --root "$root" --path "$(action_path)"
    fi
  fi
  "$root/bin/costlint" --version >&2
  echo "$root/bin" >>"${GITHUB_PATH:-/dev/null}"
}

# "path:line" for every line the pull request adds or changes, relative
# to the repository root. Fails outside a pull request or without a base.
changed_lines() {
  [[ "${GITHUB_EVENT_NAME:-}" == pull_request* ]] || return 1
  git rev-parse --git-dir >/dev/null 2>&1 || return 1
  local base="" parents
  # actions/checkout checks out the merge commit; its first parent is the
  # base. In a shallow clone the parent is fetched (one commit).
  parents="$(git cat-file -p HEAD | awk '/^parent /{print $2}')"
  if [ "$(printf '%s\n' "$parents" | grep -c .)" -ge 2 ]; then
    base="$(printf '%s\n' "$parents" | head -n1)"
    git cat-file -e "$base^{commit}" 2>/dev/null ||
      git fetch --quiet --no-tags --depth=1 origin "$base" >/dev/null 2>&1 || true
    git cat-file -e "$base^{commit}" 2>/dev/null || base=""
  fi
  if [ -z "$base" ] && [ -n "${GITHUB_BASE_REF:-}" ]; then
    if git fetch --quiet --no-tags --depth=1 origin "refs/heads/$GITHUB_BASE_REF" >/dev/null 2>&1; then
      base="$(git merge-base FETCH_HEAD HEAD 2>/dev/null || git rev-parse FETCH_HEAD)"
    fi
  fi
  [ -n "$base" ] || return 1
  git -c core.quotePath=false diff --no-color --no-ext-diff --unified=0 "$base" HEAD |
    awk '
      /^\+\+\+ / { file = substr($0, 5); sub(/^b\//, "", file); next }
      /^@@ / {
        split($3, a, ",")
        start = substr(a[1], 2) + 0
        n = (a[2] == "") ? 1 : a[2] + 0
        for (i = 0; i < n; i++) print file ":" (start + i)
      }'
}

# Keeps the annotations (GitHub workflow commands) whose file and line are
# in the list of changed lines.
filter_annotations() {
  local changed="$1" annotations="$2" prefix
  prefix="$(git rev-parse --show-prefix 2>/dev/null || true)"
  awk -v prefix="$prefix" '
    NR == FNR { changed[$0] = 1; next }
    /^::/ {
      props = substr($0, 3)
      props = substr(props, 1, index(props, "::") - 1)
      props = substr(props, index(props, " ") + 1)
      n = split(props, kv, ",")
      file = ""; line = ""
      for (j = 1; j <= n; j++) {
        if (kv[j] ~ /^file=/) file = substr(kv[j], 6)
        else if (kv[j] ~ /^line=/) line = substr(kv[j], 6)
      }
      gsub(/%2C/, ",", file); gsub(/%3A/, ":", file); gsub(/%25/, "%", file)
      if ((prefix file ":" line) in changed) print
    }' "$changed" "$annotations"
}

step_run() {
  local work sarif="${INPUT_SARIF_FILE:-costlint.sarif}"
  work="$(mktemp -d "${RUNNER_TEMP:-/tmp}/costlint-run.XXXXXX")"
  local -a paths args
  read -r -d '' -a paths <<<"${INPUT_PATHS:-.}" || true
  [ "${#paths[@]}" -gt 0 ] || paths=(.)
  args=(check "${paths[@]}" --format github -o "$work/annotations"
    --also-write "sarif=$sarif" --also-write "markdown=$work/summary.md"
    --fail-on "${INPUT_FAIL_ON:-warning}")
  [ -z "${INPUT_CONFIG:-}" ] || args+=(--config "$INPUT_CONFIG")
  local -a extras
  read -r -d '' -a extras <<<"${INPUT_FORMAT:-}" || true
  local extra
  # (The `+` form keeps an empty array working under `set -u` in bash 3.)
  for extra in ${extras[@]+"${extras[@]}"}; do
    args+=(--also-write "$extra")
  done
  local status=0
  costlint "${args[@]}" || status=$?
  if [ "$status" -ge 2 ]; then
    log "the check could not run (exit code $status)"
    exit "$status"
  fi
  local findings
  findings="$(grep -c '^::' "$work/annotations" || true)"
  if changed_lines >"$work/changed"; then
    filter_annotations "$work/changed" "$work/annotations"
    log "$findings findings; annotated those on lines this pull request changes"
  else
    cat "$work/annotations"
    log "$findings findings"
  fi
  if [ "${INPUT_SUMMARY:-true}" = true ] && [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
    cat "$work/summary.md" >>"$GITHUB_STEP_SUMMARY"
  fi
  output findings "$findings"
  output sarif-file "$sarif"
  output status "$status"
}

step_finish() {
  if [ "${COSTLINT_STATUS:-0}" != 0 ]; then
    log "findings at or above fail-on (${INPUT_FAIL_ON:-warning}); see the annotations, the job summary or code scanning"
    exit 1
  fi
}

case "${1:-}" in
  install) step_install ;;
  build) step_build ;;
  run) step_run ;;
  finish) step_finish ;;
  *)
    echo "usage: action.sh install|build|run|finish" >&2
    exit 2
    ;;
esac
