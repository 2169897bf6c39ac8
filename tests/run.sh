#!/bin/sh
# make test: every test layer, in order, with one closing summary line.
#
#   lint         banned calls
#   unit         cmocka unit tests (test_db also on PostgreSQL)
#   api-sqlite   API tests: the real binary on loopback, fresh SQLite dbs
#   api-pg       the same API tests on a throwaway PostgreSQL cluster,
#                plus two app nodes on one database
#   security     attacks as tests: the access matrix over every route and role
#   asan         ASan+UBSan build: unit and API tests again
#   fuzz         every libFuzzer target, a short bounded run
#   web          browser tests (Chromium via playwright-core)
#
# `sh tests/run.sh unit` (or any layer names) runs only those layers.
set -u
cd "$(dirname "$0")/.."
ROOT=$(pwd)
LAYERS=${*:-"lint unit api-sqlite api-pg security asan fuzz web"}
OUT=$ROOT/tests/out
mkdir -p "$OUT"
PASS=0
FAIL=0
FAILED_LAYERS=""
PGDIR=""

cleanup() {
	if [ -n "$PGDIR" ]; then sh tests/pg.sh stop "$PGDIR" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT INT TERM

# Count test cases from the runners' own summaries in a log file.
tally() {
	log=$1
	p=$(grep -E '^# pass [0-9]+' "$log" | awk '{s+=$3} END {print s+0}')
	f=$(grep -E '^# fail [0-9]+' "$log" | awk '{s+=$3} END {print s+0}')
	cp=$(grep -E '^\[  PASSED  \] [0-9]+ test' "$log" | awk '{s+=$4} END {print s+0}')
	cf=$(grep -E '^\[  FAILED  \] [0-9]+ test' "$log" | awk '{s+=$4} END {print s+0}')
	PASS=$((PASS + p + cp))
	FAIL=$((FAIL + f + cf))
}

# run LAYER-NAME command...: output to the terminal and to a log
run() {
	name=$1
	shift
	log=$OUT/$name.log
	echo "==== $name"
	t0=$(date +%s)
	if "$@" >"$log" 2>&1; then rc=0; else rc=$?; fi
	tail -n 25 "$log"
	echo "==== $name: $(($(date +%s) - t0)) s"
	tally "$log"
	if [ $rc -ne 0 ]; then
		FAIL=$((FAIL + 1))
		FAILED_LAYERS="$FAILED_LAYERS $name"
		echo "==== $name FAILED (exit $rc, log: $log)"
	fi
}

unit_tests() {
	build=$1
	status=0
	for t in "$build"/tests/test_*; do
		[ -x "$t" ] || continue
		echo "-- $t"
		"$t" || status=1
	done
	return $status
}

api_tests() {
	build=$1
	BUILD=$build node --test --test-concurrency=2 --test-reporter=tap tests/api/*.test.mjs
}

pg_start() {
	[ -n "$PGDIR" ] && return 0
	PGDIR=$(mktemp -d /tmp/zhibu-pg.XXXXXX)
	rmdir "$PGDIR"
	sh tests/pg.sh start "$PGDIR" >"$OUT/pg-start.log" 2>&1 || { cat "$OUT/pg-start.log"; PGDIR=""; return 1; }
}

# spreadsheet fixtures written by other software (LibreOffice, openpyxl,
# iconv), made once for every layer that reads them
export ZB_FIXTURES="$OUT/fixtures"
if [ ! -f "$ZB_FIXTURES/.done" ]; then
	sh tests/fixtures/make-fixtures.sh "$ZB_FIXTURES" >"$OUT/fixtures.log" 2>&1 && touch "$ZB_FIXTURES/.done" ||
		echo "fixtures: some could not be made (see $OUT/fixtures.log)"
fi

for layer in $LAYERS; do
	case $layer in
	lint) run lint sh tools/lint.sh ;;
	unit)
		if pg_start; then
			export ZB_TEST_PG
			ZB_TEST_PG=$(sh tests/pg.sh createdb "$PGDIR" unit_db | tail -n 1)
		fi
		run unit unit_tests build
		unset ZB_TEST_PG
		;;
	api-sqlite) run api-sqlite api_tests build ;;
	api-pg)
		if pg_start; then
			export ZB_TEST_PG_DIR="$PGDIR"
			run api-pg api_tests build
			unset ZB_TEST_PG_DIR
		else
			FAIL=$((FAIL + 1)); FAILED_LAYERS="$FAILED_LAYERS api-pg(no cluster)"
		fi
		;;
	security)
		if ls tests/security/*.test.mjs >/dev/null 2>&1; then
			run security env BUILD=build node --test --test-reporter=tap tests/security/*.test.mjs
		fi
		;;
	asan)
		run asan-build make --no-print-directory -j"$(nproc)" BUILD=build-asan SAN=1 all
		export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
		run asan-unit unit_tests build-asan
		run asan-api api_tests build-asan
		unset ASAN_OPTIONS UBSAN_OPTIONS
		;;
	fuzz) run fuzz sh fuzz/run.sh "${FUZZ_SECONDS:-5}" ;;
	web)
		if ls tests/web/*.test.mjs >/dev/null 2>&1; then
			# the demo databases the files copy, made once for this run
			export ZB_WEB_DEMO_CACHE="$OUT/web-demo"
			rm -rf "$ZB_WEB_DEMO_CACHE"
			run web node --test --test-concurrency=2 --test-reporter=tap tests/web/*.test.mjs
			rm -rf "$ZB_WEB_DEMO_CACHE"
			unset ZB_WEB_DEMO_CACHE
		fi
		;;
	*) echo "unknown layer: $layer"; exit 2 ;;
	esac
done

echo
if [ -n "$FAILED_LAYERS" ]; then
	# the failures themselves, last, where a truncated CI log still shows them
	for name in $FAILED_LAYERS; do
		log=$OUT/$name.log
		[ -f "$log" ] || continue
		echo "---- failures in $name"
		grep -n -A 14 -E '^ *not ok |^\[  FAILED  \] |^\[  ERROR   \] |ERROR: AddressSanitizer|runtime error:' "$log" | head -n 120
	done
	echo "failed layers:$FAILED_LAYERS"
fi
echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
