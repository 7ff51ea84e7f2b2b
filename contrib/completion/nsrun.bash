# bash completion for nsrun(1)                           -*- shell-script -*-
#
# Installed as share/bash-completion/completions/nsrun.  The two option
# lists below are checked against `nsrun --help` by
# tests/integration/t-completion.sh: an option added to nsrun without being
# added here fails the tests.

# Bridges of this host, as the kernel lists them.
_nsrun_bridges()
{
	local d
	for d in /sys/class/net/*/bridge; do
		[ -d "$d" ] || continue
		d=${d%/bridge}
		printf '%s\n' "${d##*/}"
	done
}

_nsrun()
{
	local opts_arg="-b --bridge --subnet --ip --ifname --mtu --mac --lo-addr --rate --delay --jitter --loss --name --hostname --dns --info-fd --join --rm --user --cap-add --cap-drop --seccomp --cni --cni-id --cni-ifname --cni-args --cni-cap --cni-conf-dir --cni-path --cni-del --state-dir"
	local opts_flag="--pid --pid-exec --nat --nat-off --list --json --force --gc --rebuild --cni-gc --cni-plugin-gc -v --verbose -q --quiet -h --help -V --version"
	local cur=${COMP_WORDS[COMP_CWORD]} opt="" i=1 w command_at=""

	COMPREPLY=()
	# Walk the words before the cursor as getopt_long("+...") would: options
	# and their arguments, up to "--" or the first other word, the command.
	while [ "$i" -lt "$COMP_CWORD" ]; do
		w=${COMP_WORDS[i]}
		case $w in
		--)
			command_at=$((i + 1))
			break
			;;
		-*)
			if [[ " $opts_arg " == *" $w "* ]]; then
				# "--opt=value" arrives as three words when '=' breaks words.
				if [ "${COMP_WORDS[i + 1]}" = "=" ]; then
					i=$((i + 1))
				fi
				i=$((i + 1))
				[ "$i" -ge "$COMP_CWORD" ] && opt=$w
			fi
			;;
		*)
			command_at=$i
			break
			;;
		esac
		i=$((i + 1))
	done

	if [ -n "$command_at" ] && [ "$command_at" -lt "$COMP_CWORD" ]; then
		# The command's own arguments: complete as for the command itself.
		if declare -F _command_offset >/dev/null; then
			_command_offset "$command_at"
		else
			mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		fi
		return 0
	fi
	[ "$cur" = "=" ] && cur=""
	if [ -n "$opt" ]; then
		case $opt in
		-b | --bridge)
			mapfile -t COMPREPLY < <(compgen -W "$(_nsrun_bridges)" -- "$cur")
			;;
		--state-dir | --cni-conf-dir)
			mapfile -t COMPREPLY < <(compgen -d -- "$cur")
			;;
		--cni)
			mapfile -t COMPREPLY < <(compgen -W "$(cat /etc/cni/net.d/*.conflist /etc/cni/net.d/*.conf /etc/cni/net.d/*.json 2>/dev/null | sed -n 's/.*"name" *: *"\([^"]*\)".*/\1/p')" -- "$cur")
			;;
		--join | --rm)
			mapfile -t COMPREPLY < <(compgen -W "$(ls /run/netns 2>/dev/null)" -- "$cur")
			;;
		--rate)
			mapfile -t COMPREPLY < <(compgen -W "500kbit 1mbit 10mbit 100mbit 1gbit" -- "$cur")
			;;
		--user)
			mapfile -t COMPREPLY < <(compgen -u -- "$cur")
			;;
		--cap-add | --cap-drop)
			mapfile -t COMPREPLY < <(compgen -W "ALL AUDIT_WRITE CHOWN DAC_OVERRIDE FOWNER FSETID KILL MKNOD NET_BIND_SERVICE NET_RAW SETFCAP SETGID SETPCAP SETUID SYS_CHROOT NET_ADMIN SYS_ADMIN SYS_PTRACE SYS_TIME SYS_NICE IPC_LOCK" -- "$cur")
			;;
		--seccomp)
			mapfile -t COMPREPLY < <(compgen -W "default none" -f -- "$cur")
			;;
		esac
		return 0
	fi
	if [ -z "$command_at" ] && [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$opts_arg $opts_flag" -- "$cur")
		return 0
	fi
	mapfile -t COMPREPLY < <(compgen -c -- "$cur")
	return 0
}

complete -F _nsrun nsrun
