#!/usr/bin/env bash
# Regenerates the committed compatibility matrix, docs/compatibility.md and .html, from fresh
# runs: the embedded reference first, then every emulator pinned in emulators.toml (in file
# order) that is installed where `run --launch` looks (.emulators/NAME, or PATH). Each emulator
# is judged against its committed baseline, so its known gaps carry their written reasons.
#
# An emulator that is not installed is skipped with its install command. A run whose baseline
# no longer matches (a new gap, or a gap that closed) stops the script: fix the baseline first,
# or the committed matrix would disagree with it.
#
# Usage: scripts/compatibility.sh [--no-baselines]
#   --no-baselines  judge every emulator without its baseline: failures show as FAIL, not gap
set -euo pipefail
cd "$(dirname "$0")/.."

use_baselines=1
case "${1:-}" in
  "") ;;
  --no-baselines) use_baselines=0 ;;
  *) echo "usage: $0 [--no-baselines]" >&2; exit 2 ;;
esac

command -v python3 >/dev/null || { echo "python3 is required (it reads emulators.toml)"; exit 2; }
cargo build --quiet
bin=target/debug/cognito-conformance
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# run NAME ARGS...: one run into $work/NAME.json; prints why it was skipped, or fails.
# Exit 1 (gaps found) is an answer when no baseline judges the run, a stale baseline otherwise.
results=()
run() {
  local name=$1; shift
  echo "== $name"
  local rc=0 judged=0
  [[ " $* " == *" --baseline "* ]] && judged=1
  "$bin" run "$@" --json "$work/$name.json" --no-progress --color never >"$work/$name.log" 2>&1 || rc=$?
  [ "$rc" = 1 ] && [ "$judged" = 0 ] && [ "$name" != reference ] && rc=0
  case $rc in
    0) results+=("$work/$name.json"); tail -n 2 "$work/$name.log" | head -n 1 ;;
    2) if grep -q "is not installed" "$work/$name.log"; then
         echo "   skipped: $(grep -A1 'is not installed' "$work/$name.log" | tr -s ' \n' ' ')"
       else
         echo "$name could not run (exit 2):"; tail -n 20 "$work/$name.log"; exit 2
       fi ;;
    *) [ "$name" = reference ] && { echo "the reference fails its own catalogue:"; tail -n 20 "$work/$name.log"; exit 1; }
       echo "$name does not match its baseline (exit $rc):"; tail -n 20 "$work/$name.log"
       echo "update baselines/$name.toml (run --launch $name --baseline baselines/$name.toml --update-baseline) and retry"
       exit 1 ;;
  esac
}

run reference
for emu in $(python3 -c 'import tomllib; print(" ".join(tomllib.load(open("emulators.toml", "rb"))))'); do
  baseline=()
  if [ "$use_baselines" = 1 ] && [ -f "baselines/$emu.toml" ]; then
    baseline=(--baseline "baselines/$emu.toml")
  fi
  run "$emu" --launch "$emu" "${baseline[@]}"
done

"$bin" report "${results[@]}" --markdown docs/compatibility.md --html docs/compatibility.html
echo "docs/compatibility.md and docs/compatibility.html regenerated from ${#results[@]} runs"
