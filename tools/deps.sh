#!/bin/sh
# Install every Debian package zhibu needs to build, run and test, but only
# the missing ones (a no-op on a prepared machine).  Run as root on Debian 12.
set -eu
PKGS="build-essential pkg-config libmicrohttpd-dev libjansson-dev libsqlite3-dev sqlite3 libpq-dev libsodium-dev
libssl-dev libicu-dev libxlsxwriter-dev libzip-dev libxml2-dev zlib1g-dev libqrencode-dev libcmocka-dev
postgresql clang libclang-rt-14-dev wrk chromium python3-openpyxl libreoffice-calc-nogui
nodejs npm iproute2 procps xxd curl ca-certificates fonts-wqy-zenhei"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
# node and npm may come from elsewhere than Debian (as on the CI image)
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
	missing=$(printf '%s\n' $missing | grep -vx 'nodejs' | grep -vx 'npm' | tr '\n' ' ')
fi
missing=$(echo $missing)
if [ -n "$missing" ]; then
	echo "deps: installing $missing"
	if [ "$(id -u)" != 0 ]; then
		echo "deps: need root to install: $missing" >&2
		exit 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
