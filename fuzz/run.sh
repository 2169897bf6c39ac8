#!/bin/sh
# Build every fuzz/fuzz_*.c target with clang's libFuzzer (+ASan+UBSan)
# against the whole library, then run each for SECONDS seconds on its
# stored corpus (fuzz/corpus/<name>/).  Exit non-zero on any finding.
#   sh fuzz/run.sh 10     (make test: a short bounded run)
#   sh fuzz/run.sh 300    (make fuzz)
set -eu
SECS=${1:-30}
cd "$(dirname "$0")/.."
B=build-fuzz
make --no-print-directory -s -j"$(nproc)" CC=clang BUILD=$B FUZZ=1 EXTRA_CFLAGS="-Wno-unknown-warning-option" $B/libzhibu.a
LIBS=$(pkg-config --libs libmicrohttpd jansson libsodium openssl icu-uc icu-i18n xlsxwriter libzip libxml-2.0 libqrencode sqlite3 libpq)
CFL=$(pkg-config --cflags libmicrohttpd jansson libsodium openssl icu-uc icu-i18n xlsxwriter libzip libxml-2.0 libqrencode sqlite3 libpq)
mkdir -p $B/fuzz $B/findings
# one target: link it, run it on its corpus; its output in $B/fuzz/$name.out
one() {
	name=$1
	short=${name#fuzz_}
	clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -D_GNU_SOURCE -Isrc -I$B/gen $CFL \
		"fuzz/$name.c" $B/libzhibu.a $LIBS -lpthread -lm -o $B/fuzz/$name || return 1
	mkdir -p fuzz/corpus/$short $B/corpus/$short $B/findings/$short
	echo "fuzz: $name for ${SECS}s"
	# new inputs go to a scratch corpus; the stored seeds stay as committed
	if ! (cd $B/findings/$short && ASAN_OPTIONS=detect_leaks=0 ../../fuzz/$name -max_total_time="$SECS" -timeout=10 \
		-rss_limit_mb=4096 -print_final_stats=0 ../../corpus/$short ../../../fuzz/corpus/$short >../../fuzz/$name.log 2>&1); then
		echo "fuzz: $name FAILED (see $B/fuzz/$name.log and $B/findings/$short/)"
		tail -n 30 $B/fuzz/$name.log
		return 1
	fi
	grep -E '^#[0-9]+.*DONE|Done [0-9]+ runs' $B/fuzz/$name.log | tail -n 1 || true
}
# FUZZ_JOBS targets at a time (default 2: one per core of a small machine)
JOBS=${FUZZ_JOBS:-2}
status=0
names=$(for src in fuzz/fuzz_*.c; do basename "$src" .c; done)
set -- $names
while [ $# -gt 0 ]; do
	batch=""
	n=0
	while [ $# -gt 0 ] && [ $n -lt "$JOBS" ]; do
		one "$1" >$B/fuzz/$1.out 2>&1 &
		batch="$batch $1:$!"
		n=$((n + 1))
		shift
	done
	for job in $batch; do
		wait "${job#*:}" || status=1
		cat "$B/fuzz/${job%%:*}.out"
	done
done
exit $status
