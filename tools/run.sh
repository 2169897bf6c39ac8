#!/bin/sh
# make run: a demo database in data/ (created once), then serve it.
set -eu
cd "$(dirname "$0")/.."
BIN=build/zhibu
DB=${ZHIBU_DB:-data/zhibu.db}
LISTEN=${ZHIBU_LISTEN:-127.0.0.1:8080}
mkdir -p data
export ZHIBU_WEB_ROOT=${ZHIBU_WEB_ROOT:-web/dist}
if [ ! -f "$DB" ]; then
	export ZHIBU_ADMIN_PASSWORD=${ZHIBU_ADMIN_PASSWORD:-Zhibu-Demo-2026}
	if $BIN help | grep -q '^  demo'; then
		{ $BIN demo --db "$DB" --scale county && echo "管理员 admin 的密码：$ZHIBU_ADMIN_PASSWORD"; } | tee data/accounts.txt
	else
		$BIN init --db "$DB" | tee data/accounts.txt
	fi
else
	echo "使用已有的数据库 $DB（删除 data/ 可重新生成演示数据）"
	[ -f data/accounts.txt ] && cat data/accounts.txt
fi
echo
echo "打开 http://$LISTEN/ 登录（账号见上）。按 Ctrl+C 停止。"
exec $BIN serve --db "$DB" --listen "$LISTEN"
