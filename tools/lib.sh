# Shell functions shared by the tools/ scripts; source it, do not run it.

# The kernel ABI version a headers metapackage currently depends on, e.g.
# linux-headers-6.12-amd64 -> 6.12.117+deb12-amd64. Empty when not installed.
rmt_kver_of() {
	dpkg-query -W -f='${Depends}' "$1" 2>/dev/null | tr ',' '\n' |
		sed -n 's/^ *linux-headers-\([^ ]*\).*/\1/p' | head -n1
}

# The kernel matrix, tools/vm/matrix, one "NAME HEADERS WHERE" line per
# kernel (comments and blank lines left out): the one reader of that file.
rmt_matrix() {
	awk '!/^#/ && NF { print $1, $2, $3 }' "$(dirname "${BASH_SOURCE[0]}")/vm/matrix"
}

# Start a result file: RMT_RESULTS names it and `record` appends to it what
# it prints (PASS/FAIL/SKIP lines, counted by tools/summary.sh).
rmt_results_init() {
	RMT_RESULTS=$1
	mkdir -p "$(dirname "$RMT_RESULTS")"
	: >"$RMT_RESULTS"
}

# What check.sh, check-debug.sh and lint.sh start with: B (the build
# directory), out (its results), the result file build/results/NAME.txt,
# and `stage` to say on standard error what runs now.
rmt_begin() {
	B=build
	out=$B/results
	rmt_results_init "$out/$1.txt"
}

stage() {
	echo "== $* ($(date +%T))" >&2
}

record() {
	tee -a "$RMT_RESULTS"
}

# Run the commands (one word each: a function or a program) side by side and
# print their standard outputs whole, in the order given. A QEMU guest runs
# on one host thread (single-threaded TCG) and keeps about 80% of it busy:
# two guests at once take little more time than one on two cores.
rmt_side_by_side() {
	local dir i rc=0 pids=()

	dir=$(mktemp -d) || return 1
	for i in $(seq $#); do
		"${!i}" >"$dir/$i" &
		pids+=($!)
	done
	for i in $(seq $#); do
		wait "${pids[i - 1]}" || rc=1
		cat "$dir/$i"
	done
	rm -rf "$dir"
	return $rc
}
