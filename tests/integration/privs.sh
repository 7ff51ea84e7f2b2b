# shellcheck shell=bash
# Sourced by t-privs*.sh after lib.sh: a test user and group, capable copies
# of nsrun, and their policy file.
#
# - The user ($NSRT_USER, its own group, and $NSRT_GROUP as a supplementary
#   group) is host-wide: /etc/passwd is the real one.  Names are unique per
#   test (nsrt<pid>) and both are deleted at exit, whatever happens.
# - The policy path is fixed at build time.  build/nsrun-policytest is the
#   same program built to read /run/nsrt-etc/nsrun/nsrun.conf: /run is the
#   test host's private tmpfs (lib.sh), so each test owns that fixed path and
#   the real /etc is never touched (a BUILD=... sub-build would rebuild
#   everything for one string).
# - $NSRT_CAPS has the capabilities `make install-privileged` sets (read from
#   the Makefile); $NSRT_SUID is the setuid-root alternative; both and the
#   tests' other helpers are in $NSRT_BIN, on the test host's /run.

# Root's launches share /run/nsrun (the test host's own) with the user's.
unset NSRUN_STATE_DIR
NSRT_USER=nsrt$$
NSRT_GROUP=nsrtg$$
NSRT_POLICY=/run/nsrt-etc/nsrun/nsrun.conf
NSRT_PY=/usr/bin/python3
POLICYTEST=${NSRUN_POLICYTEST:-$(dirname "$NSRUN")/nsrun-policytest}
PRIV_CAPS=$(sed -n 's/^PRIV_CAPS ?= //p' "$NSRT_ROOT/Makefile")

privs_cleanup() {
	userdel "$NSRT_USER" 2>/dev/null
	groupdel "$NSRT_USER" 2>/dev/null
	groupdel "$NSRT_GROUP" 2>/dev/null
	nsrt_cleanup
}
trap privs_cleanup EXIT
trap 'exit 129' HUP INT TERM

# retry CMD...: useradd and friends fail while another test holds the lock.
retry() {
	local i
	for i in $(seq 50); do
		"$@" 2>/dev/null && return 0
		sleep 0.1
	done
	"$@"
}

if [ ! -x "$POLICYTEST" ] || [ -z "$PRIV_CAPS" ]; then
	echo "Bail out! $POLICYTEST not built or PRIV_CAPS not in the Makefile"
	exit 1
fi
# A leftover of a killed run with the same pid would make useradd fail.
userdel "$NSRT_USER" 2>/dev/null
groupdel "$NSRT_USER" 2>/dev/null
groupdel "$NSRT_GROUP" 2>/dev/null
retry groupadd "$NSRT_GROUP" || { echo "Bail out! groupadd $NSRT_GROUP"; exit 1; }
retry useradd -M -U -G "$NSRT_GROUP" -s /usr/sbin/nologin "$NSRT_USER" ||
	{ echo "Bail out! useradd $NSRT_USER"; exit 1; }

# The capable copies live on the test host's /run (tmpfs: extended
# attributes for file capabilities, never mounted nosuid by lib.sh, gone
# with the test); the user must reach them, and the files tests hand it.
NSRT_BIN=/run/nsrt-bin
mkdir -m 0755 "$NSRT_BIN"
chmod 0755 "$NSRT_TMP"
NSRT_CAPS=$NSRT_BIN/nsrun-caps
NSRT_SUID=$NSRT_BIN/nsrun-suid
install -m 0755 "$POLICYTEST" "$NSRT_CAPS"
setcap "$PRIV_CAPS=ep" "$NSRT_CAPS" || { echo "Bail out! setcap"; exit 1; }
install -m 4755 "$POLICYTEST" "$NSRT_SUID"
mkdir -p -m 0755 /run/nsrt-etc/nsrun

# policy LINE...: the policy file, root's, mode 0644.
policy() {
	printf '%s\n' "$@" >"$NSRT_POLICY"
	chown 0:0 "$NSRT_POLICY"
	chmod 0644 "$NSRT_POLICY"
}

# as_user CMD...: runs CMD as the test user with its groups and no
# capabilities.
as_user() {
	setpriv --reuid="$NSRT_USER" --regid="$NSRT_USER" --init-groups -- "$@"
}

# bash -c "$NSRT_ONLY_STD" NAME CMD...: runs CMD with no descriptor above 2.
NSRT_ONLY_STD='for f in /proc/$$/fd/*; do n=${f##*/}; [ "$n" -gt 2 ] && eval "exec $n>&-"; done; exec "$@"'

# status: CapInh..CapAmb, NoNewPrivs and Seccomp of the calling process, on one line.
NSRT_STATUS='grep -E "^(CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp):" /proc/self/status | tr -s "\t" " " | tr "\n" ";"'
NSRT_ZERO_CAPS="CapInh: 0000000000000000;CapPrm: 0000000000000000;CapEff: 0000000000000000;CapBnd: 0000000000000000;CapAmb: 0000000000000000;"
