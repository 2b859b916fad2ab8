# Shell functions shared by the tools/ scripts; source it, do not run it.

# The kernel ABI version a headers metapackage currently depends on, e.g.
# linux-headers-6.12-amd64 -> 6.12.117+deb12-amd64. Empty when not installed.
rmt_kver_of() {
	dpkg-query -W -f='${Depends}' "$1" 2>/dev/null | tr ',' '\n' |
		sed -n 's/^ *linux-headers-\([^ ]*\).*/\1/p' | head -n1
}

# Start a result file: RMT_RESULTS names it and `record` appends to it what
# it prints (PASS/FAIL/SKIP lines, counted by tools/summary.sh).
rmt_results_init() {
	RMT_RESULTS=$1
	mkdir -p "$(dirname "$RMT_RESULTS")"
	: >"$RMT_RESULTS"
}

record() {
	tee -a "$RMT_RESULTS"
}
