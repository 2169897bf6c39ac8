#!/bin/sh
# Banned calls and project hygiene.  Exits non-zero on a finding.
set -u
bad=$(grep -rnE '\b(strcpy|strcat|sprintf|vsprintf|gets|strtok)\s*\(' src fuzz tests/unit 2>/dev/null | grep -v 'snprintf\|vsnprintf\|strtok_r')
if [ -n "$bad" ]; then
	echo "banned calls:"; echo "$bad"; exit 1
fi
echo "lint: ok"
