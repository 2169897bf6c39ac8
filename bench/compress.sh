#!/bin/sh
# bench/compress.sh - what response compression costs the server.
#
# On the demo county (20,000 members; bench/data/county.db, made if
# missing) runs wrk against a branch roster page and the county's 三会一课
# compliance, once without and once with "Accept-Encoding: gzip", and
# prints for each: bytes on the wire, requests/s, server CPU per request
# (utime + stime of the zhibu process from /proc over the run, divided by
# the requests wrk completed) and the ratios compressed / plain; then zlib
# alone on the same answer at levels 1, 3, 5, 6 and 9 (size and time).
#
# Environment: BUILD (default build), BENCH_DURATION (seconds per run, 10),
# BENCH_CONNECTIONS (16), BENCH_WRK_THREADS (1), BENCH_PORT (18124).
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BUILD=${BUILD:-build}
BIN=$ROOT/$BUILD/zhibu
DUR=${BENCH_DURATION:-10}
CONN=${BENCH_CONNECTIONS:-16}
WT=${BENCH_WRK_THREADS:-1}
PORT=${BENCH_PORT:-18124}
DATA=$ROOT/bench/data
DB=$DATA/county.db
export ZHIBU_KEY_FILE=$DATA/county.key
export ZHIBU_ADMIN_PASSWORD=${ZHIBU_ADMIN_PASSWORD:-Bench-Passw0rd}

[ -x "$BIN" ] || { echo "bench: $BIN not built (make)" >&2; exit 1; }
command -v wrk >/dev/null || { echo "bench: wrk is not installed" >&2; exit 1; }
mkdir -p "$DATA"
want=$(cat src/demo/*.c src/demo/*.h src/meeting/demo.c src/store/migrations/*.sql | cksum | cut -d' ' -f1)
if [ ! -f "$DB" ] || [ "$(cat "$DATA/county.stamp" 2>/dev/null || :)" != "$want" ]; then
	rm -f "$DB" "$DB-wal" "$DB-shm" "$ZHIBU_KEY_FILE"
	echo "生成演示县（county）…"
	"$BIN" demo --db "$DB" --scale county --seed 1 --quiet
	echo "$want" > "$DATA/county.stamp"
fi

ZHIBU_LOG=warn "$BIN" serve --db "$DB" --listen "127.0.0.1:$PORT" 2>"$DATA/compress-serve.log" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || :; wait $SERVER 2>/dev/null || :' EXIT INT TERM
URL=http://127.0.0.1:$PORT
i=0
until curl -fsS "$URL/api/v1/health" >/dev/null 2>&1; do
	i=$((i + 1))
	[ $i -lt 200 ] || { echo "bench: server did not start" >&2; exit 1; }
	sleep 0.1
done
ZB_BENCH_TOKEN=$("$BIN" user token admin --db "$DB" --name bench-compress 2>/dev/null)
export ZB_BENCH_TOKEN
eval "$(node bench/ids.mjs "$URL")"

ticks() { # utime + stime of the server, in clock ticks
	awk '{ print $14 + $15 }' "/proc/$SERVER/stat"
}
HZ=$(getconf CLK_TCK)

size() { # path [header] -> bytes of the body as sent
	if [ -n "${2:-}" ]; then
		curl -fsS -H "Authorization: Bearer $ZB_BENCH_TOKEN" -H "$2" -o /dev/null -w '%{size_download}' "$URL$1"
	else
		curl -fsS -H "Authorization: Bearer $ZB_BENCH_TOKEN" -o /dev/null -w '%{size_download}' "$URL$1"
	fi
}

run() { # path [header] -> "rps us_cpu_per_request"
	t0=$(ticks)
	if [ -n "${2:-}" ]; then
		res=$(wrk -t"$WT" -c"$CONN" -d"${DUR}s" -H "$2" -s bench/auth.lua "$URL$1" 2>&1)
	else
		res=$(wrk -t"$WT" -c"$CONN" -d"${DUR}s" -s bench/auth.lua "$URL$1" 2>&1)
	fi
	t1=$(ticks)
	rps=$(printf '%s\n' "$res" | awk '/^Requests\/sec:/ {print $2}')
	n=$(printf '%s\n' "$res" | awk '/requests in/ {print $1}')
	cpu=$(awk -v t="$((t1 - t0))" -v hz="$HZ" -v n="$n" 'BEGIN { if (n > 0) printf "%.0f", t / hz * 1e6 / n; else print "?" }')
	echo "$rps $cpu"
}

echo "zhibu compression bench: demo county, $(nproc) cores, wrk -t$WT -c$CONN -d${DUR}s, gzip level 3 (server.c)"
printf '%-26s %-6s %9s %9s %12s\n' "request" "coding" "bytes" "req/s" "CPU us/req"
for spec in "roster page of a branch|/api/v1/members?org=$BRANCH&limit=50" \
	"county compliance|/api/v1/orgs/$COUNTY/compliance"; do
	name=${spec%%|*}
	path=${spec#*|}
	b0=$(size "$path")
	b1=$(size "$path" "Accept-Encoding: gzip")
	set -- $(run "$path")
	r0=$1 c0=$2
	set -- $(run "$path" "Accept-Encoding: gzip")
	r1=$1 c1=$2
	# zlib alone on this answer, per level (node's zlib, 300 rounds)
	curl -fsS -H "Authorization: Bearer $ZB_BENCH_TOKEN" -o "$DATA/answer.json" "$URL$path"
	levels=$(node -e '
		const z = require("zlib"), b = require("fs").readFileSync(process.argv[1]);
		const out = [];
		for (const level of [1, 3, 5, 6, 9]) {
			let n = 0; const t = process.hrtime.bigint();
			for (let i = 0; i < 300; i++) n = z.gzipSync(b, { level }).length;
			out.push(`${level}: ${n} B ${Math.round(Number(process.hrtime.bigint() - t) / 300 / 1000)} us`);
		}
		console.log(out.join(", "));' "$DATA/answer.json")
	printf '%-26s %-6s %9s %9s %12s\n' "$name" "plain" "$b0" "$r0" "$c0"
	printf '%-26s %-6s %9s %9s %12s\n' "" "gzip" "$b1" "$r1" "$c1"
	awk -v b0="$b0" -v b1="$b1" -v r0="$r0" -v r1="$r1" -v c0="$c0" -v c1="$c1" 'BEGIN {
		printf "%-26s bytes %.2f, req/s %.2f, CPU per request %.2f (+%d us)\n", "  ratio gzip/plain:",
			b1 / b0, r1 / r0, c1 / c0, c1 - c0 }'
	echo "  gzip levels (zlib alone): $levels"
done
