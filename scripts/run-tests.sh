#!/usr/bin/env bash
# Runs every test suite (lit, then the GoogleTest units through ctest), prints
# each runner's summary and one combined closing line, and fails if any fails.
set -uo pipefail
BUILD_DIR=${1:-build}
LIT=/usr/lib/llvm-22/bin/lit

passed=0; failed=0; status=0

echo "== lit (test/) =="
lit_out=$(mktemp)
/usr/bin/python3 "$LIT" -sv "$BUILD_DIR/test" 2>&1 | tee "$lit_out"
[[ ${PIPESTATUS[0]} -eq 0 ]] || status=1
# lit aligns its summary ("Passed     : 116 (99.15%)") when it has several
# kinds of result: take the count after the colon.
lit_count='s/^ *(Passed|Failed|Unresolved|Timed Out) *: *([0-9]+).*/\2/p'
lit_passed=$(grep -E '^ *Passed *:' "$lit_out" | sed -nE "$lit_count" | tail -1)
lit_failed=$(grep -E '^ *(Failed|Unresolved|Timed Out) *:' "$lit_out" | sed -nE "$lit_count" |
  awk '{s += $1} END {print s + 0}')
rm -f "$lit_out"
passed=$((passed + ${lit_passed:-0})); failed=$((failed + lit_failed))

echo "== unit tests (ctest) =="
ctest_out=$(mktemp)
ctest --test-dir "$BUILD_DIR" --output-on-failure 2>&1 | tee "$ctest_out"
[[ ${PIPESTATUS[0]} -eq 0 ]] || status=1
ctest_line=$(grep -E "tests passed, [0-9]+ tests? failed out of [0-9]+" "$ctest_out" | tail -1)
rm -f "$ctest_out"
if [[ -n "$ctest_line" ]]; then
  total=$(sed -E 's/.*out of ([0-9]+).*/\1/' <<<"$ctest_line")
  nfail=$(sed -E 's/.*passed, ([0-9]+) tests? failed.*/\1/' <<<"$ctest_line")
  passed=$((passed + total - nfail)); failed=$((failed + nfail))
else
  status=1
fi

if [[ $passed -eq 0 ]]; then
  echo "error: no test ran" >&2
  status=1
fi
echo "all: $passed passed, $failed failed"
exit $status
