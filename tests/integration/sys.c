/* SPDX-License-Identifier: MIT */
/* The raw system calls t-privs-seccomp.sh tries under a filter; prints the
 * result (0 or -errno) of one of:
 *   int80-unshare   unshare(CLONE_NEWUSER) through the i386 gate (int $0x80)
 *   clone-newuser   clone(CLONE_NEWUSER | SIGCHLD)
 *   clone-thread    clone(CLONE_VM | ... | SIGCHLD) as threads do, no CLONE_NEW*
 *   clone3          clone3() with no flags
 * Built by the test itself (cc), so it needs no build system support. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SYS_clone3
#define SYS_clone3 435
#endif

static long result(long r)
{
	return r < 0 ? -errno : r;
}

static long child_done(long pid)
{
	if (pid == 0)
		_exit(0);
	if (pid > 0)
		waitpid((pid_t)pid, NULL, 0);
	return pid > 0 ? 0 : pid;
}

int main(int argc, char **argv)
{
	long r = -EINVAL;

	if (argc < 2)
		return 2;
	if (!strcmp(argv[1], "int80-unshare")) {
#if defined(__x86_64__)
		__asm__ volatile("int $0x80" : "=a"(r) : "a"(310L), "b"((long)CLONE_NEWUSER) : "memory");
#else
		r = -ENOSYS;
#endif
	} else if (!strcmp(argv[1], "clone-newuser")) {
		r = child_done(result(syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0)));
	} else if (!strcmp(argv[1], "clone-thread")) {
		r = child_done(result(syscall(SYS_clone, CLONE_FS | CLONE_FILES | SIGCHLD, 0, 0, 0, 0)));
	} else if (!strcmp(argv[1], "clone3")) {
		struct { unsigned long long v[11]; } args;

		memset(&args, 0, sizeof(args));
		args.v[4] = SIGCHLD; /* exit_signal */
		r = child_done(result(syscall(SYS_clone3, &args, sizeof(args))));
	}
	printf("%ld\n", r);
	return 0;
}
