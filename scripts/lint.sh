#!/usr/bin/env bash
# make lint: the C++ sources must be formatted as .clang-format says and pass .clang-tidy's
# checks (warnings are errors). clang-tidy reads the debug build's compile_commands.json, so the
# build directory must be configured first (make lint does it).
#   scripts/lint.sh [--fix-format]     # --fix-format rewrites the files instead of checking
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build/debug}
JOBS=${JOBS:-$(nproc)}

mapfile -t sources < <(git ls-files 'src/*.cc' 'src/*.h' 'fuzz/*.cc' 'bench/*.cc')
mapfile -t units < <(git ls-files 'src/*.cc' | grep -v '_test\.cc$')

if [[ "${1:-}" == "--fix-format" ]]; then
  clang-format -i "${sources[@]}"
  exit 0
fi

echo "lint: clang-format on ${#sources[@]} files"
clang-format --dry-run --Werror "${sources[@]}"

echo "lint: clang-tidy on ${#units[@]} translation units, one file per module ($JOBS at a time)"
[[ -f "$BUILD_DIR/compile_commands.json" ]] || { echo "lint: no $BUILD_DIR/compile_commands.json (configure first)" >&2; exit 2; }
# scripts/lint_units.py says why: the standard headers are walked once per module, not per unit.
export LINT_UNITS_DIR="$BUILD_DIR/lint-units" BUILD_DIR
mapfile -t groups < <(printf '%s\n' "${units[@]}" | python3 scripts/lint_units.py "$BUILD_DIR" "$LINT_UNITS_DIR")

# $1: a combined file, a tab, its units. Lints the combined file; if it does not compile (two
# of its units define the same file-local name), lints its units one by one instead.
lint_group() {
  local combined=${1%%$'\t'*} members=${1#*$'\t'}
  local tidy=(clang-tidy --config-file=.clang-tidy --quiet --warnings-as-errors='*')
  "${tidy[@]}" -p "$LINT_UNITS_DIR" "$combined" >"$combined.log" 2>&1 && return 0
  grep -q 'clang-diagnostic-error' "$combined.log" || return 1
  echo "lint: the units of $(basename "$combined" .cc) do not compile as one file; linting them one by one" >&2
  # shellcheck disable=SC2086  # members is a space-separated list of paths without spaces
  "${tidy[@]}" -p "$BUILD_DIR" $members >"$combined.log" 2>&1
}
export -f lint_group
if ! printf '%s\n' "${groups[@]}" | xargs -d '\n' -P "$JOBS" -n 1 bash -c 'lint_group "$1"' _; then
  for log in "$LINT_UNITS_DIR"/*.log; do
    grep -E "(warning|error):" "$log" >&2 || true
  done
  echo "lint: clang-tidy found problems (above)" >&2
  exit 1
fi
echo "lint: clean"
