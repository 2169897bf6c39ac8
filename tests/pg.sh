#!/bin/sh
# pg.sh - a throwaway PostgreSQL cluster for tests.
#
#   sh tests/pg.sh start DIR        new cluster in DIR; prints its URI last
#   sh tests/pg.sh createdb DIR NAME  a fresh (dropped and re-created) database
#   sh tests/pg.sh stop DIR         stop the server and remove DIR
#
# Run as root (CI): the server runs as the unprivileged system user
# zhibutest, created if missing.  Run as another user, it runs as that
# user.  Installs nothing: tools/deps.sh installs the `postgresql` package;
# the server binaries are found in /usr/lib/postgresql/*/bin.
#
# DIR holds everything: data/ (PGDATA), the unix socket, log, port, uri.
# The server listens on 127.0.0.1 at the first free port from 55432 up,
# trusts local connections (user zhibu, no password) and runs with
# fsync=off: a crash loses the cluster, which is thrown away anyway.
#
# Every failure exits non-zero with one line on stderr.
set -eu

PGUSER_OS=zhibutest
DBUSER=zhibu
MARK=.zhibu-pg-cluster

started=0
die() {
	printf 'pg.sh: %s\n' "$*" >&2
	# a server this run started is not left behind half set up
	if [ "$started" = 1 ]; then
		started=0
		as_user "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || :
	fi
	exit 1
}

usage() { die "usage: sh tests/pg.sh start DIR | createdb DIR NAME | stop DIR"; }

[ $# -ge 2 ] || usage
cmd=$1
dir=$2
case $dir in
	/*) ;;
	*) dir=$(cd "$(dirname "$dir")" 2>/dev/null && pwd)/$(basename "$dir") || die "cannot resolve $2" ;;
esac
case $dir in
	*[!A-Za-z0-9_./-]*) die "DIR must be a plain path (letters, digits, _ . / -): $dir" ;;
	/ | /tmp | /tmp/) die "refusing to use $dir as the cluster directory" ;;
esac
# postgres and initdb fail in a working directory they cannot read
cd /

bindir=
# shellcheck disable=SC2012 # version directories: plain names, sorted by version
for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V); do
	[ -x "$d/pg_ctl" ] && [ -x "$d/initdb" ] && bindir=$d
done
[ -n "$bindir" ] || die "no PostgreSQL server in /usr/lib/postgresql/*/bin (install the postgresql package: make deps)"
for t in psql pg_isready; do
	[ -x "$bindir/$t" ] || command -v "$t" >/dev/null 2>&1 || die "$t not found"
done
psql=$bindir/psql; [ -x "$psql" ] || psql=$(command -v psql)
isready=$bindir/pg_isready; [ -x "$isready" ] || isready=$(command -v pg_isready)

if [ "$(id -u)" = 0 ]; then
	as_user() { runuser -u "$PGUSER_OS" -- "$@"; }
else
	as_user() { "$@"; }
fi

port_in_use() {
	if command -v ss >/dev/null 2>&1; then
		[ -n "$(ss -Hltn "sport = :$1" 2>/dev/null)" ]
	else
		"$isready" -q -h 127.0.0.1 -p "$1" -t 1 >/dev/null 2>&1
		[ $? -ne 2 ]
	fi
}

running() {
	[ -f "$dir/data/postmaster.pid" ] && as_user "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1
}

stop_server() {
	if running; then
		as_user "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null 2>&1 ||
			as_user "$bindir/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1 ||
			die "could not stop the server in $dir/data"
	fi
}

# Remove DIR, but only if it is ours (or empty): never a stranger's files.
remove_dir() {
	[ -e "$dir" ] || return 0
	if [ -f "$dir/$MARK" ] || [ -z "$(ls -A "$dir" 2>/dev/null)" ]; then
		rm -rf "$dir" || die "could not remove $dir"
	else
		die "$dir exists and is not a pg.sh cluster: not touching it"
	fi
}

cluster_port() {
	[ -f "$dir/port" ] || die "no cluster in $dir (run: sh tests/pg.sh start $dir)"
	cat "$dir/port"
}

psql_admin() {
	"$psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$1" -U "$DBUSER" -d postgres -c "$2" >"$dir/psql.log" 2>&1
}

do_start() {
	# a leftover cluster from an earlier run: stop it and start afresh
	if [ -e "$dir" ]; then
		[ -f "$dir/$MARK" ] || [ -z "$(ls -A "$dir" 2>/dev/null)" ] ||
			die "$dir exists and is not a pg.sh cluster: not touching it"
		stop_server
		remove_dir
	fi
	if [ "$(id -u)" = 0 ] && ! id "$PGUSER_OS" >/dev/null 2>&1; then
		useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$PGUSER_OS" 2>/dev/null ||
			id "$PGUSER_OS" >/dev/null 2>&1 || die "could not create system user $PGUSER_OS"
	fi
	mkdir -p "$dir" || die "could not create $dir"
	: >"$dir/$MARK"
	if [ "$(id -u)" = 0 ]; then
		chown "$PGUSER_OS:" "$dir" "$dir/$MARK" || die "could not chown $dir to $PGUSER_OS"
	fi
	chmod 700 "$dir"
	as_user test -w "$dir" -a -x "$dir" 2>/dev/null ||
		die "$dir is not reachable by user $PGUSER_OS (a parent directory is closed): use a directory under /tmp"

	as_user "$bindir/initdb" -D "$dir/data" -A trust -U "$DBUSER" --encoding=UTF8 --locale=C.UTF-8 \
		>"$dir/initdb.log" 2>&1 || die "initdb failed: $(tail -n 1 "$dir/initdb.log")"
	cat >>"$dir/data/postgresql.conf" <<EOF

# pg.sh: throwaway test cluster
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
logging_collector = off
EOF

	port=55432
	tries=0
	while :; do
		while port_in_use "$port"; do
			port=$((port + 1))
			[ "$port" -lt 56432 ] || die "no free port in 55432-56431"
		done
		if as_user "$bindir/pg_ctl" -D "$dir/data" -l "$dir/log" -o "-p $port" -w -t 60 start >/dev/null 2>&1; then
			started=1
			break
		fi
		# lost a race for the port: try the next one
		tries=$((tries + 1))
		if [ "$tries" -lt 5 ] && grep -q 'could not bind\|Address already in use' "$dir/log" 2>/dev/null; then
			port=$((port + 1))
			continue
		fi
		die "server did not start: $(grep -v '^\s*$' "$dir/log" 2>/dev/null | tail -n 1)"
	done
	echo "$port" >"$dir/port"

	i=0
	until "$isready" -q -h 127.0.0.1 -p "$port" -U "$DBUSER" -d postgres -t 2 >/dev/null 2>&1; do
		i=$((i + 1))
		[ "$i" -lt 60 ] || die "server on port $port does not accept connections (see $dir/log)"
		sleep 0.5
	done
	psql_admin "$port" 'CREATE DATABASE zhibu_test' || die "CREATE DATABASE zhibu_test failed: $(tail -n 1 "$dir/psql.log")"
	uri="postgres://$DBUSER@127.0.0.1:$port/zhibu_test"
	echo "$uri" >"$dir/uri"
	started=0
	echo "$uri"
}

do_createdb() {
	name=$1
	case $name in
		'' | *[!a-z0-9_]* | [0-9]*) die "database name must be lower-case letters, digits and _: $name" ;;
	esac
	port=$(cluster_port)
	psql_admin "$port" "DROP DATABASE IF EXISTS $name WITH (FORCE)" ||
		die "DROP DATABASE $name failed: $(tail -n 1 "$dir/psql.log")"
	psql_admin "$port" "CREATE DATABASE $name" || die "CREATE DATABASE $name failed: $(tail -n 1 "$dir/psql.log")"
	echo "postgres://$DBUSER@127.0.0.1:$port/$name"
}

case $cmd in
	start) [ $# -eq 2 ] || usage; do_start ;;
	createdb) [ $# -eq 3 ] || usage; do_createdb "$3" ;;
	stop)
		[ $# -eq 2 ] || usage
		[ -e "$dir" ] || exit 0
		[ -f "$dir/$MARK" ] || [ -z "$(ls -A "$dir" 2>/dev/null)" ] ||
			die "$dir exists and is not a pg.sh cluster: not touching it"
		stop_server
		remove_dir
		;;
	*) usage ;;
esac
