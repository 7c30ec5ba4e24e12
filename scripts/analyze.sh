#!/usr/bin/env bash
# make analyze: the Clang static analyzer (clang-tidy's clang-analyzer-* checks: null and
# dangling pointers, use after move, leaks, dead stores) on every translation unit of src/,
# warnings as errors. Not part of make test: it took 23 CPU-minutes (12 min on 2 cores; it
# explores each function's paths) where make lint takes 4. Run it before a release and after code
# that manages memory or lifetimes by hand.
#   scripts/analyze.sh        # reads build/debug/compile_commands.json (make analyze configures)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build/debug}
JOBS=${JOBS:-$(nproc)}
[[ -f "$BUILD_DIR/compile_commands.json" ]] || { echo "analyze: no $BUILD_DIR/compile_commands.json (configure first)" >&2; exit 2; }
if grep -q '/Unity/unity_' "$BUILD_DIR/compile_commands.json"; then
  echo "analyze: $BUILD_DIR is a unity build (GMG_UNITY=ON): configure it with -DGMG_UNITY=OFF" >&2
  exit 2
fi

# One unit per run: the analyzer explores only the functions of the file it is given (not those
# of files that file includes), so scripts/lint.sh's one-file-per-module would skip them.
mapfile -t units < <(git ls-files 'src/*.cc' | grep -v '_test\.cc$')
echo "analyze: the static analyzer on ${#units[@]} translation units ($JOBS at a time)"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! printf '%s\n' "${units[@]}" |
    xargs -P "$JOBS" -n 4 clang-tidy -p "$BUILD_DIR" --quiet --checks='-*,clang-analyzer-*' \
      --warnings-as-errors='*' >"$log" 2>&1; then
  grep -E "(warning|error):" "$log" >&2 || cat "$log" >&2
  echo "analyze: the analyzer found problems (above)" >&2
  exit 1
fi
echo "analyze: clean"
