/* SPDX-License-Identifier: MIT */
#ifndef NSRUN_PIDNS_H
#define NSRUN_PIDNS_H

#include <signal.h>
#include <stdbool.h>

#include "nsrun/err.h"

/*
 * --pid: a PID namespace with a minimal init of nsrun's own.
 *
 *   nsrun (outer, keeps its pid) --fork--> init (PID 1) --fork--> target (PID 2)
 *
 * The outer process forwards the signals of the table below to the init,
 * which relays them to the target; it exits with the target's status.  The
 * init reaps orphans, and dies of SIGKILL when the outer dies (parent-death
 * signal), which makes the kernel kill every process of the namespace.
 * With --pid-exec the target itself is PID 1 and there is no init.
 */

/* What nsrun does with a signal it receives while the namespace runs. */
enum nsrun_pidns_action {
	NSRUN_PIDNS_FORWARD, /* relayed to the target */
	NSRUN_PIDNS_SUSPEND, /* relayed; nsrun stops when the target stops */
	NSRUN_PIDNS_RESUME,  /* continues the target (with the terminal, in the foreground) */
};

struct nsrun_pidns_signal {
	int sig;
	const char *name;
	enum nsrun_pidns_action action;
};

/* The signal table of README's "PID namespace (--pid)" section. */
extern const struct nsrun_pidns_signal nsrun_pidns_signals[];
extern const unsigned int nsrun_pidns_nsignals;

/* The table's entry for sig, or NULL: that signal has its default action. */
const struct nsrun_pidns_signal *nsrun_pidns_signal_find(int sig);

/*
 * The signals nsrun blocks and reads through a signalfd while the namespace
 * runs: the table, SIGCHLD, and SIGTTIN/SIGTTOU (so that handing the terminal
 * around from a background process group never stops nsrun).  Pure.
 */
void nsrun_pidns_sigset(sigset_t *set);

/*
 * A waitpid() status as an exit status: the exit code, or 128+N for death by
 * signal N (as shells and tini report it); -1 for a stop or a continue.
 */
int nsrun_pidns_exit_status(int wstatus);

#define NSRUN_PIDNS_TARGET 0 /* this process goes on to exec the target */
#define NSRUN_PIDNS_DONE 1   /* the outer process: the namespace has exited */

/*
 * The --pid hook of the launch sequence, called once, right before the
 * privilege drop (the init must mount /proc from inside the new namespace,
 * which needs CAP_SYS_ADMIN).  Returns:
 *   NSRUN_PIDNS_TARGET in the process that must go on with the launch (drop
 *       privileges, exec): PID 2, or PID 1 with exec_target (--pid-exec);
 *   NSRUN_PIDNS_DONE in the outer process once the namespace is gone, with
 *       *status the exit status nsrun must exit with;
 *   a negative errno with err filled in, in the outer process (nothing was
 *       started) or in the init (then it exits 125 and so does nsrun).
 * The init itself never returns once the target runs.
 */
int nsrun_pidns_start(bool exec_target, int *status, struct nsrun_err *err);

/*
 * Right before execve() of the target (after any uid change, which clears
 * the parent-death signal): with --pid-exec, arms the target's parent-death
 * signal, then fails if nsrun has already died.  A no-op otherwise.
 */
int nsrun_pidns_before_exec(struct nsrun_err *err);

#endif
