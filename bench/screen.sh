#!/bin/sh
# bench/screen.sh - the county 大屏 (GET /api/v1/orgs/{id}/screen) against
# the size of the roster (docs/SCREEN.md "Cost").
#
# For each scale of BENCH_SCREEN_SCALES (demo scales: county, or a member
# count; default "5000 county"), generates the demo into
# bench/data/screen-<scale>.db unless a current one is there, starts zhibu
# on loopback and measures, at the root of the demo:
#   cold ms   the screen's first answer after a restart (nothing kept in
#             memory: what the first refresh after a write costs), the
#             median of three restarts;
#   screen    wrk against the screen as wall screens refresh it: req/s and
#             ms per request (the answer kept by data version);
#   dues      wrk against this month's dues sheet of the same org (GET
#             /orgs/{id}/dues: a read over the whole roster), for
#             comparison;
# and prints them beside the roster size (members on the roll, orgs).  The
# screen's figures stay flat as the roster grows; the roster read does not.
#
# Environment: BUILD (default build), BENCH_SCREEN_SCALES, BENCH_DURATION
# (seconds per wrk run, default 5), BENCH_CONNECTIONS (8), BENCH_PORT
# (18133).  wrk talks to 127.0.0.1 only.
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BUILD=${BUILD:-build}
BIN=$ROOT/$BUILD/zhibu
SCALES=${BENCH_SCREEN_SCALES:-5000 county}
DUR=${BENCH_DURATION:-5}
CONN=${BENCH_CONNECTIONS:-8}
PORT=${BENCH_PORT:-18133}
DATA=$ROOT/bench/data
URL=http://127.0.0.1:$PORT
export ZHIBU_ADMIN_PASSWORD=${ZHIBU_ADMIN_PASSWORD:-Bench-Passw0rd}

[ -x "$BIN" ] || { echo "bench: $BIN not built (make)" >&2; exit 1; }
command -v wrk >/dev/null || { echo "bench: wrk is not installed" >&2; exit 1; }
command -v curl >/dev/null || { echo "bench: curl is not installed" >&2; exit 1; }
mkdir -p "$DATA"

SERVER=""
trap 'stop_server' EXIT INT TERM
start_server() { # db
	ZHIBU_LOG=warn "$BIN" serve --db "$1" --listen "127.0.0.1:$PORT" 2>"$DATA/screen-serve.log" &
	SERVER=$!
	i=0
	until curl -fsS "$URL/api/v1/ready" >/dev/null 2>&1; do
		i=$((i + 1))
		[ $i -lt 200 ] || { echo "bench: server did not start" >&2; cat "$DATA/screen-serve.log" >&2; exit 1; }
		kill -0 "$SERVER" 2>/dev/null || { echo "bench: server exited" >&2; cat "$DATA/screen-serve.log" >&2; exit 1; }
		sleep 0.1
	done
}
stop_server() {
	[ -n "$SERVER" ] || return 0
	kill "$SERVER" 2>/dev/null || :
	wait "$SERVER" 2>/dev/null || :
	SERVER=""
}
get() { # path [curl -w format]: the token through curl's stdin config, never the command line
	printf 'header = "Authorization: Bearer %s"\n' "$ZB_BENCH_TOKEN" |
		curl -fsS -K - -o "$DATA/screen-answer.json" -w "${2:-}" "$URL$1"
}
wrk_one() { # path -> "req/s ms-per-request"
	res=$(wrk -t2 -c"$CONN" -d"${DUR}s" -s bench/auth.lua "$URL$1" 2>&1)
	rps=$(printf '%s\n' "$res" | awk '/^Requests\/sec:/ {print $2}')
	non2xx=$(printf '%s\n' "$res" | awk '/Non-2xx/ {print $NF}')
	[ -z "$non2xx" ] || { echo "bench: $1 answered $non2xx errors" >&2; exit 1; }
	# ms per request as one client waits for it: connections / rate
	echo "$rps $(awk -v r="$rps" -v c="$CONN" 'BEGIN { printf "%.2f", (r > 0 ? c * 1000 / r : 0) }')"
}

month=$(TZ=Asia/Shanghai date +%Y-%m)
printf '%-8s %9s %7s %9s %11s %9s %11s %9s\n' "scale" "members" "orgs" "cold ms" "screen r/s" "ms/req" "dues r/s" "ms/req"
for scale in $SCALES; do
	DB=$DATA/screen-$scale.db
	export ZHIBU_KEY_FILE=$DATA/screen-$scale.key
	STAMP=$DATA/screen-$scale.stamp
	want=$(cat src/demo/*.c src/demo/*.h src/store/migrations/*.sql | cksum | cut -d' ' -f1)
	if [ ! -f "$DB" ] || [ "$(cat "$STAMP" 2>/dev/null || :)" != "$want" ]; then
		rm -f "$DB" "$DB-wal" "$DB-shm" "$ZHIBU_KEY_FILE"
		echo "生成演示数据（$scale）…" >&2
		"$BIN" demo --db "$DB" --scale "$scale" --seed 1 --quiet >&2
		echo "$want" >"$STAMP"
	fi
	ZB_BENCH_TOKEN=$("$BIN" user token admin --db "$DB" --name "bench-screen" 2>/dev/null)
	export ZB_BENCH_TOKEN
	start_server "$DB"
	org=$(get /api/v1/orgs && sed -n 's/^{"items":\[{"id":\([0-9]*\).*/\1/p' "$DATA/screen-answer.json")
	[ -n "$org" ] || { echo "bench: no root org" >&2; exit 1; }
	# the first answer ever also fills the stored compliance: not measured
	get "/api/v1/orgs/$org/screen"
	members=$(sed -n 's/.*"members":{"total":\([0-9]*\).*/\1/p' "$DATA/screen-answer.json")
	orgs=$(sed -n 's/.*"orgs":{"total":\([0-9]*\).*/\1/p' "$DATA/screen-answer.json")
	cold=""
	for i in 1 2 3; do
		stop_server
		start_server "$DB"
		cold="$cold $(get "/api/v1/orgs/$org/screen" '%{time_total}')"
	done
	cold_ms=$(printf '%s\n' $cold | sort -n | sed -n 2p | awk '{printf "%.1f", $1 * 1000}')
	set -- $(wrk_one "/api/v1/orgs/$org/screen")
	s_rps=$1 s_ms=$2
	get "/api/v1/orgs/$org/dues?month=$month"
	set -- $(wrk_one "/api/v1/orgs/$org/dues?month=$month")
	printf '%-8s %9s %7s %9s %11s %9s %11s %9s\n' "$scale" "$members" "$orgs" "$cold_ms" "$s_rps" "$s_ms" "$1" "$2"
	stop_server
done
