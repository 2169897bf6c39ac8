#!/bin/sh
# bench/report.sh - the time of the county's 党内统计 annual report.
#
# On the demo county (about 20,000 members; bench/data/county.db, made if
# missing, as bench/compress.sh makes it) runs `zhibu report annual` for
# the county as of the last 31 December and as of today's year-end, to
# .xlsx and to .json, BENCH_ROUNDS times each (default 5), and prints the
# median and the worst wall-clock time of each, with the file sizes.
#
# Environment: BUILD (default build), BENCH_ROUNDS (5).
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BUILD=${BUILD:-build}
BIN=$ROOT/$BUILD/zhibu
ROUNDS=${BENCH_ROUNDS:-5}
DATA=$ROOT/bench/data
DB=$DATA/county.db
export ZHIBU_KEY_FILE=$DATA/county.key
export ZHIBU_ADMIN_PASSWORD=${ZHIBU_ADMIN_PASSWORD:-Bench-Passw0rd}

[ -x "$BIN" ] || { echo "bench: $BIN not built (make)" >&2; exit 1; }
mkdir -p "$DATA"
if [ ! -f "$DB" ] || ! "$BIN" user list --db "$DB" >/dev/null 2>&1; then
	rm -f "$DB" "$DB-wal" "$DB-shm" "$ZHIBU_KEY_FILE"
	echo "生成演示数据（county）…"
	"$BIN" demo --db "$DB" --scale county --seed 1 --quiet
fi
"$BIN" migrate --db "$DB" >/dev/null
CODE=$(sqlite3 "$DB" "SELECT code FROM orgs WHERE parent_id IS NULL ORDER BY id LIMIT 1")
YEAR=$(date -u -d '+8 hours' +%Y)
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT INT TERM

now_ms() { date +%s%3N; }
echo "zhibu report annual: county $CODE, $(sqlite3 "$DB" "SELECT COUNT(*) FROM members") members, $ROUNDS rounds"
printf '%-28s %10s %10s %10s\n' "report" "median ms" "max ms" "bytes"
for spec in "$((YEAR - 1))-12-31 xlsx" "$((YEAR - 1))-12-31 json" "$YEAR-12-31 xlsx"; do
	set -- $spec
	times=""
	r=0
	while [ $r -lt "$ROUNDS" ]; do
		r=$((r + 1))
		t0=$(now_ms)
		"$BIN" report annual --db "$DB" --org "$CODE" --date "$1" -o "$OUT/r.$2" 2>/dev/null
		t1=$(now_ms)
		times="$times $((t1 - t0))"
	done
	med=$(printf '%s\n' $times | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}')
	max=$(printf '%s\n' $times | sort -n | tail -n 1)
	printf '%-28s %10s %10s %10s\n' "$1 .$2" "$med" "$max" "$(wc -c <"$OUT/r.$2")"
done
