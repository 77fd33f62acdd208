#!/usr/bin/env bash
# Runs every libFuzzer target of a build configured with MLG_ENABLE_FUZZERS=ON
# (`make fuzz`, docs/errors.md) for SECONDS each, FUZZ_JOBS targets at a time
# (default: the number of cores).
#   scripts/fuzz.sh BUILD_DIR SECONDS [fuzzer ...]
# Seeds come from the tests (scripts/fuzz-corpus.py); what a run finds new
# stays in BUILD_DIR/fuzz/corpus/<fuzzer> for the next run. A crash, a
# sanitizer report, a timeout (one input over 30 s) or an input over 2 GiB
# fails the run; its reproducer is BUILD_DIR/fuzz/artifacts/<fuzzer>-*
# (replay: BUILD_DIR/bin/<fuzzer> FILE). Logs: BUILD_DIR/fuzz/<fuzzer>.log.
set -uo pipefail
BUILD_DIR=${1:?usage: fuzz.sh BUILD_DIR SECONDS [fuzzer ...]}
SECONDS_EACH=${2:?usage: fuzz.sh BUILD_DIR SECONDS [fuzzer ...]}
shift 2
FUZZERS=("$@")
[[ ${#FUZZERS[@]} -gt 0 ]] ||
  FUZZERS=(npy-fuzzer ptc-binary-fuzzer ptc-sim-fuzzer ptc-model-fuzzer mlg-pipeline-fuzzer)
JOBS=${FUZZ_JOBS:-$(nproc)}
[[ $JOBS =~ ^[1-9][0-9]*$ ]] || { echo "fuzz: FUZZ_JOBS must be a positive integer, got '$JOBS'" >&2; exit 1; }
[[ $SECONDS_EACH =~ ^[1-9][0-9]*$ ]] || { echo "fuzz: SECONDS must be a positive integer, got '$SECONDS_EACH'" >&2; exit 1; }
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# LLVM's BumpPtrAllocator poisons slabs in MLG's instrumented code that the
# uninstrumented libMLIR allocates from: no user poisoning (docs/errors.md).
export ASAN_OPTIONS=${ASAN_OPTIONS:-allow_user_poisoning=0}
OUT="$BUILD_DIR/fuzz"

for fuzzer in "${FUZZERS[@]}"; do
  [[ -x "$BUILD_DIR/bin/$fuzzer" ]] || {
    echo "fuzz: $BUILD_DIR/bin/$fuzzer is missing (configure with -DMLG_ENABLE_FUZZERS=ON)" >&2
    exit 1
  }
done
rm -rf "$OUT/seeds" "$OUT/status"
/usr/bin/python3 "$ROOT/scripts/fuzz-corpus.py" "$BUILD_DIR" "$OUT/seeds" || exit 1
mkdir -p "$OUT/status" "$OUT/artifacts"

# One target: fuzz, then print its one-line verdict (and the report's first
# lines) and leave its exit status in $OUT/status/<fuzzer>.
run_one() {
  local fuzzer=$1 log="$OUT/$1.log" rc runs corpus
  mkdir -p "$OUT/corpus/$fuzzer"
  "$BUILD_DIR/bin/$fuzzer" -max_total_time="$SECONDS_EACH" -timeout=30 \
    -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$OUT/artifacts/$fuzzer-" \
    "$OUT/corpus/$fuzzer" "$OUT/seeds/$fuzzer" > "$log" 2>&1
  rc=$?
  runs=$(awk '/stat::number_of_executed_units/ {print $NF}' "$log")
  corpus=$(ls "$OUT/corpus/$fuzzer" | wc -l)
  if [[ $rc -eq 0 ]]; then
    echo "fuzz: $fuzzer: ${runs:-?} inputs in ${SECONDS_EACH} s, corpus $corpus, no finding"
  else
    echo "fuzz: $fuzzer: FAILED (exit $rc) after ${runs:-?} inputs; see $log"
    grep -E "^(SUMMARY|==[0-9]+==ERROR)|runtime error|Test unit written" "$log" | head -5
  fi
  echo "$rc" > "$OUT/status/$fuzzer"
}

running=0
for fuzzer in "${FUZZERS[@]}"; do
  if (( running >= JOBS )); then
    wait -n
    running=$((running - 1))
  fi
  run_one "$fuzzer" &
  running=$((running + 1))
done
wait

status=0
for fuzzer in "${FUZZERS[@]}"; do
  [[ "$(cat "$OUT/status/$fuzzer" 2>/dev/null)" == 0 ]] || status=1
done
exit $status
