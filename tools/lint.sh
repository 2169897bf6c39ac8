#!/bin/sh
# Banned calls, the layer rules of docs/ARCHITECTURE.md that a search can
# check, and project hygiene.  Exits non-zero on a finding.
set -u
fail=0
finding() { # title, lines
	[ -n "$2" ] || return 0
	echo "$1:"
	echo "$2"
	fail=1
}
finding "banned calls" "$(grep -rnE '\b(strcpy|strcat|sprintf|vsprintf|gets|strtok)\s*\(' src fuzz tests/unit 2>/dev/null | grep -v 'snprintf\|vsnprintf\|strtok_r')"
# api/ parses, calls domain code and writes JSON: no SQL, no transaction
finding "SQL in api/ (move it to the domain module)" "$(grep -nE '\bzb_(db|stmt)_[a-z_]+\s*\(' src/api/*.c src/api/*.h 2>/dev/null)"
# only store/ talks to SQLite or libpq
finding "a database library outside store/" "$(grep -rnE '#include\s*[<"](sqlite3|libpq-fe)\.h' src | grep -v '^src/store/')"
# the lower layers include nothing from above them
finding "core/ includes a layer above it" "$(grep -nE '#include\s*"(store|crypto|io|text|org|member|meeting|rules|audit|auth|app|http|api|cli|demo)/' src/core/*.[ch])"
finding "http/ includes api/ or cli/" "$(grep -nE '#include\s*"(api|cli)/' src/http/*.[ch])"
finding "a domain module includes http/, api/ or cli/" "$(grep -nE '#include\s*"(http|api|cli)/' src/store/*.[ch] src/crypto/*.[ch] src/io/*.[ch] src/text/*.[ch] src/org/*.[ch] src/member/*.[ch] src/meeting/*.[ch] src/rules/*.[ch] src/audit/*.[ch] src/auth/*.[ch] 2>/dev/null)"
[ $fail -eq 0 ] && echo "lint: ok"
exit $fail
