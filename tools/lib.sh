# Shell functions shared by the tools/ scripts; source it, do not run it.

# The kernel ABI version a headers metapackage currently depends on, e.g.
# linux-headers-6.12-amd64 -> 6.12.117+deb12-amd64, as installed here or in
# the chroot ROOT. Empty when not installed.
# usage: rmt_kver_of PACKAGE [ROOT]
rmt_kver_of() {
	rmt_in_root "${2:-/}" dpkg-query -W -f='${Depends}' "$1" 2>/dev/null | tr ',' '\n' |
		sed -n 's/^ *linux-headers-\([^ ]*\).*/\1/p' | head -n1
}

# The kernel matrix, tools/vm/matrix, one "NAME HEADERS WHERE" line per
# kernel (comments and blank lines left out): the one reader of that file.
rmt_matrix() {
	awk '!/^#/ && NF { print $1, $2, $3 }' "$(dirname "${BASH_SOURCE[0]}")/vm/matrix"
}

# Run a command inside the chroot ROOT, with a plain PATH and apt and the
# kernel packages' scripts kept quiet; ROOT / runs it here.
rmt_in_root() {
	local root=$1

	shift
	if [ "$root" = / ]; then
		"$@"
	else
		chroot "$root" env DEBIAN_FRONTEND=noninteractive INITRD=No \
			PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"
	fi
}

# Mount /proc in the chroot ROOT until the calling script exits: apt, the
# kernel packages' scripts and the kernel build's objtool read it. Sets the
# script's EXIT trap: for scripts that have none of their own.
rmt_mount_proc() {
	if ! mountpoint -q "$1/proc"; then
		mount -t proc proc "$1/proc"
		# shellcheck disable=SC2064 # the path as it is now
		trap "umount $(printf %q "$1/proc")" EXIT
	fi
}

# Fetch the .deb files of PACKAGES, never installing them, with the apt of
# the chroot ROOT (/ for this host) into DIR, a directory inside ROOT.
# Fails when any of them cannot be had.
rmt_apt_download() {
	local root=$1 dir=$2

	shift 2
	mkdir -p "$root/$dir"
	rmt_in_root "$root" sh -c 'cd "$1" && shift &&
		apt-get -q -o APT::Sandbox::User=root download "$@"' sh "$dir" "$@" >&2
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

# What a kernel's console says only when something went wrong in it.
rmt_kernel_problems='WARNING:|BUG:|Oops|lockdep is turned off|INFO: possible|possible recursive locking|circular locking|sleeping function called from invalid context|general protection fault|Call Trace:|Kernel panic|KASAN|unreferenced object|suspicious RCU usage'

# The first kernel problem report in the console lines on stdin, in one
# line: its first line, then the next three that say where (the faulting
# instruction, the access, the first frames of the stack), leaving out the
# lines every report has (modules, CPU, registers, the reporting code's own
# frames). Prints nothing when there is none.
rmt_splat_summary() {
	awk -v bad="$rmt_kernel_problems" '
		!/^\[ *[0-9]+\.[0-9]+\] / { next }
		{ sub(/^\[ *[0-9]+\.[0-9]+\] +/, "") }
		!n && $0 ~ bad { out = $0; n = 1; next }
		!n || n == 4 || ++seen > 40 { next }
		/^$|^[-=]+$|Tainted:|Not tainted/ { next }
		/^(Modules linked in|CPU:|Hardware name|Code:|Call Trace:|<\/?TASK>|\? |-+\[ cut here)/ { next }
		/^(R[A-HJ-Z0-9][A-Z0-9]|FS|CS|CR2|DR[0-9]|PKRU):/ { next }
		/^(dump_stack|print_report|print_address_description|kasan_|__kasan|__asan_|__warn|report_bug|handle_bug|exc_|asm_exc_|warn_slowpath)/ { next }
		{ out = out " | " $0; n++ }
		END { if (out != "") print out }'
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
