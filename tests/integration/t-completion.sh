#!/bin/bash
# The bash and zsh completions: every option of `nsrun --help` is in both,
# with the same need for an argument, and nothing else is; and they
# complete what they should (bridge names from /sys, options, nothing of
# nsrun's after the command).  An option added to nsrun without its
# completion fails here.
. "$(dirname "$0")/lib.sh"
BASHC=$NSRT_ROOT/contrib/completion/nsrun.bash
ZSHC=$NSRT_ROOT/contrib/completion/_nsrun
plan 15

# --help's options, one per line: "<option> arg" or "<option> flag", long and
# short spellings.  Option lines are indented 2 to 6 spaces, descriptions more.
$NSRUN --help | awk '
	/^ +-/ {
		match($0, /^ +/)
		if (RLENGTH > 6) next
		n = split($0, w, / +/)
		i = 2; short = ""
		if (w[i] ~ /^-[A-Za-z],$/) { short = substr(w[i], 1, 2); i++ }
		if (w[i] !~ /^--[a-z]/) next
		kind = w[i + 1] ~ /^[A-Z]/ ? "arg" : "flag"
		print w[i], kind
		if (short != "") print short, kind
	}' | sort >"$NSRT_TMP/help"
n=$(grep -c '^--' "$NSRT_TMP/help")
ok "--help lists $n long options (16 or more)" test "$n" -ge 16

# stale LIST: the options of LIST that --help does not mention at all (an
# option may be told of in another's line, as --rm's --force).
$NSRUN --help >"$NSRT_TMP/helptext"
stale() {
	local opt kind
	while read -r opt kind; do
		grep -qw -e "$opt" "$NSRT_TMP/helptext" || printf '%s ' "$opt"
	done <"$1"
}

# bash: the two lists in the file.
bash_list() { sed -n "s/^[[:space:]]*local $1=\"\\(.*\\)\".*/\\1/p" "$BASHC" | tr ' ' '\n' | grep .; }
{ bash_list opts_arg | sed 's/$/ arg/'; bash_list opts_flag | sed 's/$/ flag/'; } | sort >"$NSRT_TMP/bash"
is "$(comm -23 "$NSRT_TMP/help" "$NSRT_TMP/bash" | tr '\n' ' ')" "" "bash: every option of --help, with or without its argument"
is "$(stale "$NSRT_TMP/bash")" "" "bash: no option --help does not have"

# zsh: the _arguments specs ("--opt=" or "-o+" take an argument).
grep -v '^[[:space:]]*#' "$ZSHC" | grep -oE "(^|[{,'*)])--?[A-Za-z][a-z0-9-]*[=+]?" |
	sed -E "s/^[{,'*)]//; s/^(.*)[=+]\$/\\1 arg/; /[a-z] arg\$/!s/\$/ flag/" |
	grep -v '^-A ' | sort -u >"$NSRT_TMP/zsh"
is "$(comm -23 "$NSRT_TMP/help" "$NSRT_TMP/zsh" | tr '\n' ' ')" "" "zsh: every option of --help, with or without its argument"
is "$(stale "$NSRT_TMP/zsh")" "" "zsh: no option --help does not have"

ok "bash: the file parses" bash -n "$BASHC"
ok "zsh: the file parses" zsh -n "$ZSHC"

# --- bash, for real -------------------------------------------------------
mkbridge brfront 10.1.0.1/24
mkbridge brback 10.2.0.1/24
ip link add name notabridge type veth peer name notabridge2
bash_complete() {
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _nsrun
		[ "${#COMPREPLY[@]}" -gt 0 ] && printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' _ "$BASHC" "$@"
}
is "$(bash_complete nsrun --bridge "")" "brback brfront " "bash: --bridge completes the bridges, only they"
is "$(bash_complete nsrun -v -b brf)" "brfront " "  and -b with a prefix"
is "$(bash_complete nsrun --bridge brback --lo)" "--lo-addr --loss " "bash: options after options"
is "$(bash_complete nsrun --bridge brback ls --lo)" "" "  but none of nsrun's after the command"

# --- zsh, for real: a zsh on a pseudo-terminal, TAB, and what compadd got ------
zsh_complete() {
	local out=$NSRT_TMP/zsh.out
	rm -f "$out"
	zsh -f -c '
		zmodload zsh/zpty
		zpty z "zsh -f -i"
		zpty -w z "fpath=($1 \$fpath); autoload -Uz compinit; compinit -u -D"
		zpty -w z "compadd() { if (( \${@[(I)-[OAD]]} )); then builtin compadd \"\$@\"; return; fi
			local -a h; builtin compadd -O h \"\$@\"; print -rl -- \$h >>$2; builtin compadd \"\$@\"; }"
		zpty -w z "print READY"
		zpty -r z line "*READY*"
		zpty -w -n z "$3"$'"'"'\t'"'"'
		for i in {1..100}; do [[ -s $2 ]] && break; sleep 0.05; done
		sleep 0.2
		zpty -d z' _ "$(dirname "$ZSHC")" "$out" "$*"
	[ -s "$out" ] && grep -v '^ *$' "$out" | sort -u | tr '\n' ' '
}
is "$(zsh_complete nsrun --bridge '')" "brback brfront " "zsh: --bridge completes the bridges, only they"
is "$(zsh_complete nsrun --ra)" "--rate " "zsh: options by prefix"
like "$(zsh_complete nsrun --lo-addr 10.9.9.9 --lo)" '^--lo-addr --loss $' "zsh: --lo-addr is repeatable"
like "$(zsh_complete nsrun --bridge brback ls --col)" '^--colo' "zsh: after the command, the command's own completion"

done_testing
