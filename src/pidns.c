/* SPDX-License-Identifier: MIT */
#include "nsrun/pidns.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdint.h>
#include <sys/capability.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "nsrun/launch.h"

/*
 * Rules of this file:
 * - No signal handlers: every signal nsrun acts on is blocked and read from a
 *   signalfd, in the outer process and in the init.
 * - The target inherits none of our descriptors (all CLOEXEC, and closed in
 *   the target before the launch goes on) and gets back the signal mask
 *   nsrun started with.
 * - A pid is signalled only by its parent, before it reaps it: no pid reuse
 *   race.  The outer signals the init, the init signals the target.
 */

const struct nsrun_pidns_signal nsrun_pidns_signals[] = {
	{ SIGTERM, "SIGTERM", NSRUN_PIDNS_FORWARD },
	{ SIGINT, "SIGINT", NSRUN_PIDNS_FORWARD },
	{ SIGHUP, "SIGHUP", NSRUN_PIDNS_FORWARD },
	{ SIGQUIT, "SIGQUIT", NSRUN_PIDNS_FORWARD },
	{ SIGUSR1, "SIGUSR1", NSRUN_PIDNS_FORWARD },
	{ SIGUSR2, "SIGUSR2", NSRUN_PIDNS_FORWARD },
	{ SIGWINCH, "SIGWINCH", NSRUN_PIDNS_FORWARD },
	{ SIGTSTP, "SIGTSTP", NSRUN_PIDNS_SUSPEND },
	{ SIGCONT, "SIGCONT", NSRUN_PIDNS_RESUME },
};
const unsigned int nsrun_pidns_nsignals =
	sizeof(nsrun_pidns_signals) / sizeof(nsrun_pidns_signals[0]);

const struct nsrun_pidns_signal *nsrun_pidns_signal_find(int sig)
{
	for (unsigned int i = 0; i < nsrun_pidns_nsignals; i++)
		if (nsrun_pidns_signals[i].sig == sig)
			return &nsrun_pidns_signals[i];
	return NULL;
}

void nsrun_pidns_sigset(sigset_t *set)
{
	sigemptyset(set);
	for (unsigned int i = 0; i < nsrun_pidns_nsignals; i++)
		sigaddset(set, nsrun_pidns_signals[i].sig);
	sigaddset(set, SIGCHLD);
	sigaddset(set, SIGTTIN);
	sigaddset(set, SIGTTOU);
}

int nsrun_pidns_exit_status(int wstatus)
{
	if (WIFEXITED(wstatus))
		return WEXITSTATUS(wstatus);
	if (WIFSIGNALED(wstatus))
		return 128 + WTERMSIG(wstatus);
	return -1;
}

/* ---- shared by the three processes (fork copies it) --------------------- */

struct pidns {
	bool exec_target;      /* --pid-exec: the target is PID 1, no init */
	int sock;              /* outer <-> init (SOCK_SEQPACKET); each keeps its end */
	int sfd;               /* signalfd of nsrun_pidns_sigset(), nonblocking */
	int tty;               /* the controlling terminal, or -1 */
	bool fg;               /* nsrun's group was the terminal's foreground at start */
	sigset_t orig_mask;    /* the mask nsrun started with, for the target */
	struct sigaction orig_chld; /* and its SIGCHLD action (SIG_IGN survives exec) */
};

/* One message per datagram.  init -> outer: the target stopped (arg: the
 * signal); outer -> init: continue it (arg: nsrun is in the foreground), and
 * first of all "go": nsrun survived the fork. */
enum { MSG_STOPPED = 1, MSG_RESUME = 2, MSG_GO = 3 };
struct msg {
	int32_t type;
	int32_t arg;
};

/* The target as a job, seen by its parent (the init; the outer with --pid-exec). */
struct job {
	int tty;
	pid_t pgrp;            /* the target's process group, as the parent names it */
	bool stopped;
	pid_t fg;              /* the foreground group it stopped in, if one of its own */
};

/* --pid-exec: the target's end of the socket, kept until exec to see whether
 * nsrun is still alive once the parent-death signal is finally armed. */
static int exec_guard = -1;

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static void send_msg(int sock, int type, int arg)
{
	struct msg m = { .type = type, .arg = arg };

	/* The peer may be gone: that is seen by the other checks, not by a
	 * SIGPIPE. */
	(void)send(sock, &m, sizeof(m), MSG_NOSIGNAL | MSG_DONTWAIT);
}

/* 1: a message in *m; 0: nothing yet; -1: the peer is gone. */
static int recv_msg(int sock, struct msg *m)
{
	ssize_t n = recv(sock, m, sizeof(*m), MSG_DONTWAIT);

	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	if (n == 0)
		return -1;
	return n == (ssize_t)sizeof(*m) ? 1 : 0;
}

static bool peer_gone(int sock)
{
	struct pollfd p = { .fd = sock, .events = POLLIN };

	return poll(&p, 1, 0) == 1 && (p.revents & (POLLHUP | POLLERR));
}

/*
 * The init (or the --pid-exec target) waits for nsrun's "go", sent once
 * nsrun is past the fork: if nsrun is killed before it, the socket hangs up
 * instead and the target never runs.  Without it, a kill between the fork and
 * the parent-death signal's arming could go unnoticed for long enough to let
 * the target start.
 */
static int wait_go(int sock, struct nsrun_err *err)
{
	struct msg m;
	ssize_t n;

	do
		n = recv(sock, &m, sizeof(m), 0);
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof(m) || m.type != MSG_GO)
		return nsrun_err_set(err, ESRCH, "PID namespace: nsrun exited during setup");
	return 0;
}

/*
 * SIGKILL when nsrun dies.  getppid() cannot tell whether it already died
 * (its pid is 0 in here either way), the socket can: nsrun holds the only
 * other end.
 */
static int arm_parent_death(int sock, struct nsrun_err *err)
{
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		return nsrun_err_sys(err, errno, "PID namespace: parent-death signal");
	if (peer_gone(sock))
		return nsrun_err_set(err, ESRCH, "PID namespace: nsrun exited during setup");
	return 0;
}

/*
 * A /proc of the new PID namespace, mounted by a process inside it (procfs
 * shows the namespace of whoever mounts it), in a mount namespace of its
 * own: the outer nsrun, which is not in the namespace, keeps the host's.
 */
static int mount_proc(struct nsrun_err *err)
{
	if (unshare(CLONE_NEWNS) < 0)
		return nsrun_err_sys(err, errno, "PID namespace: unshare mount namespace");
	/* Already a slave after the launch's mount step; again, so that this
	 * function can never unmount the host's /proc. */
	if (mount(NULL, "/", NULL, MS_SLAVE | MS_REC, NULL) < 0)
		return nsrun_err_sys(err, errno, "PID namespace: make / a slave");
	if (umount2("/proc", MNT_DETACH) < 0 && errno != EINVAL && errno != ENOENT)
		return nsrun_err_sys(err, errno, "PID namespace: unmount /proc");
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		return nsrun_err_sys(err, errno, "PID namespace: mount /proc");
	return 0;
}

/*
 * Neither the outer process nor the init holds the target's stdio open:
 * a reader sees end-of-file, a writer EPIPE, when the target closes it, as
 * without --pid.  fds 0..last.
 */
static void detach_stdio(int last)
{
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);

	if (null < 0)
		return;
	for (int fd = 0; fd <= last; fd++)
		if (fd != null)
			dup2(null, fd);
	if (null > last)
		close(null);
}

/*
 * The init and the outer process keep only their own descriptors (sorted
 * ascending, -1 ignored): a descriptor the caller handed the target (a
 * listening socket, a pipe) must be the target's alone, or its peer never
 * sees it closed.
 */
static void keep_only(const int *keep, size_t n)
{
	unsigned int from = 3;

	for (size_t i = 0; i < n; i++) {
		if (keep[i] < (int)from)
			continue;
		if ((unsigned int)keep[i] > from)
			close_range(from, (unsigned int)keep[i] - 1, 0);
		from = (unsigned int)keep[i] + 1;
	}
	close_range(from, ~0U, 0);
}

static void keep_own(const struct pidns *p)
{
	int keep[3] = { p->sock, p->sfd, p->tty };

	/* Three values: sort them by hand. */
	for (int i = 0; i < 2; i++)
		for (int j = 0; j < 2 - i; j++)
			if (keep[j] > keep[j + 1]) {
				int t = keep[j];

				keep[j] = keep[j + 1];
				keep[j + 1] = t;
			}
	keep_only(keep, 3);
}

/* ---- the target --------------------------------------------------------- */

static int become_target(struct pidns *p)
{
	/* A group of its own: terminal signals reach it and not nsrun or the
	 * init, which would forward them a second time. */
	setpgid(0, 0);
	if (p->fg)
		tcsetpgrp(p->tty, getpgrp()); /* SIGTTOU is still blocked */
	close_fd(&p->tty);
	close_fd(&p->sfd);
	if (p->exec_target)
		exec_guard = p->sock;
	else
		close_fd(&p->sock);
	sigaction(SIGCHLD, &p->orig_chld, NULL);
	sigprocmask(SIG_SETMASK, &p->orig_mask, NULL);
	return NSRUN_PIDNS_TARGET;
}

int nsrun_pidns_before_exec(struct nsrun_err *err)
{
	if (exec_guard < 0)
		return 0;
	/* Armed again: a uid change since the fork cleared it. */
	return arm_parent_death(exec_guard, err);
}

/* ---- job control, by the target's parent --------------------------------- */

static void job_stopped(struct job *j)
{
	pid_t fg = j->tty >= 0 ? tcgetpgrp(j->tty) : -1;

	j->stopped = true;
	j->fg = fg > 0 && fg != getpgrp() ? fg : 0;
}

/* fg: nsrun is in the foreground, so the terminal goes back to the target. */
static void job_resume(struct job *j, bool fg)
{
	if (fg && j->tty >= 0)
		tcsetpgrp(j->tty, j->stopped && j->fg > 0 ? j->fg : j->pgrp);
	j->stopped = false;
	killpg(j->pgrp, SIGCONT);
}

/* ---- the init (PID 1) ------------------------------------------------------ */

/* Reaps every child; the target's exit status once it has exited, else -1. */
static int init_reap(struct pidns *p, struct job *job, pid_t target)
{
	int st, status = -1;
	pid_t pid;

	while ((pid = waitpid(-1, &st, WNOHANG | WUNTRACED)) > 0) {
		if (pid != target)
			continue; /* an orphan: reaped, nothing else */
		if (WIFSTOPPED(st)) {
			job_stopped(job);
			send_msg(p->sock, MSG_STOPPED, WSTOPSIG(st));
		} else {
			status = nsrun_pidns_exit_status(st);
		}
	}
	return status;
}

static int init_loop(struct pidns *p, pid_t target)
{
	struct job job = { .tty = p->tty, .pgrp = target };
	struct pollfd pfd[2] = { { .fd = p->sfd, .events = POLLIN },
				 { .fd = p->sock, .events = POLLIN } };
	struct signalfd_siginfo si;
	struct msg m;
	int r;

	for (;;) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return NSRUN_EXIT_FAILURE;
		}
		while (read(p->sfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
			const struct nsrun_pidns_signal *s = nsrun_pidns_signal_find((int)si.ssi_signo);

			if (si.ssi_signo == SIGCHLD) {
				r = init_reap(p, &job, target);
				if (r >= 0)
					return r; /* the kernel kills the rest */
			} else if (s && s->action != NSRUN_PIDNS_RESUME) {
				kill(target, s->sig);
			}
		}
		while ((r = recv_msg(p->sock, &m)) > 0)
			if (m.type == MSG_RESUME)
				job_resume(&job, m.arg != 0);
		if (r < 0)
			return NSRUN_EXIT_FAILURE; /* nsrun is gone: so are we, by SIGKILL */
	}
}

/* It only signals and reaps: CAP_KILL, for a target that changed uid. */
static int drop_init_privileges(void)
{
	cap_value_t kill_cap = CAP_KILL;
	cap_flag_value_t had = CAP_CLEAR;
	cap_t c = cap_get_proc();
	int r = -1;

	if (!c)
		return -1;
	cap_get_flag(c, CAP_KILL, CAP_PERMITTED, &had);
	if (cap_clear(c) == 0 &&
	    (had != CAP_SET || (cap_set_flag(c, CAP_PERMITTED, 1, &kill_cap, CAP_SET) == 0 &&
				cap_set_flag(c, CAP_EFFECTIVE, 1, &kill_cap, CAP_SET) == 0)))
		r = cap_set_proc(c);
	cap_free(c);
	/* Not ptraceable, /proc/1 owned by root, even for a root target. */
	if (r == 0)
		r = prctl(PR_SET_DUMPABLE, 0);
	return r;
}

static void drop_all_caps(void)
{
	cap_t c = cap_init();

	if (c) {
		cap_set_proc(c);
		cap_free(c);
	}
}

/* PID 1's first steps: tied to nsrun's life, nsrun past the fork, /proc. */
static int settle(struct pidns *p, struct nsrun_err *err)
{
	int r = arm_parent_death(p->sock, err);

	if (r == 0)
		r = wait_go(p->sock, err);
	if (r == 0)
		r = mount_proc(err);
	return r;
}

static int run_init(struct pidns *p, struct nsrun_err *err)
{
	pid_t target;
	int r;

	/* Out of nsrun's group: a signal to the group reaches the target once,
	 * through nsrun. */
	setpgid(0, 0);
	r = settle(p, err);
	if (r < 0)
		return r;
	target = fork();
	if (target < 0)
		return nsrun_err_sys(err, errno, "PID namespace: fork");
	if (target == 0)
		return become_target(p);

	setpgid(target, target); /* as the target does: whoever runs first */
	if (drop_init_privileges() < 0) {
		r = nsrun_err_sys(err, errno, "PID namespace: drop the init's capabilities");
		kill(target, SIGKILL);
		waitpid(target, NULL, 0);
		return r;
	}
	detach_stdio(2);
	keep_own(p);
	_exit(init_loop(p, target));
}

static int run_exec_target(struct pidns *p, struct nsrun_err *err)
{
	int r = settle(p, err);

	return r < 0 ? r : become_target(p);
}

/* ---- the outer process (nsrun's own pid) ------------------------------------ */

struct outer {
	struct pidns *p;
	pid_t child;           /* the init; the target itself with --pid-exec */
	struct job job;        /* --pid-exec: the target is our child */
	bool handed;           /* the terminal went to the namespace and is still there */
	bool done;
	int status;
};

static void outer_resume(struct outer *o)
{
	bool fg = o->p->tty >= 0 && tcgetpgrp(o->p->tty) == getpgrp();

	if (fg)
		o->handed = true;
	if (o->p->exec_target)
		job_resume(&o->job, fg);
	else
		send_msg(o->p->sock, MSG_RESUME, fg);
}

/* Stops nsrun with sig, as the target stopped, so that its shell sees the
 * job stop; returns once nsrun is continued. */
static void stop_self(int sig)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL }, old = { .sa_handler = SIG_DFL };
	sigset_t one;

	if (sig != SIGTSTP && sig != SIGTTIN && sig != SIGTTOU)
		sig = SIGSTOP;
	if (sig != SIGSTOP && sigaction(sig, &dfl, &old) < 0)
		sig = SIGSTOP;
	sigemptyset(&one);
	sigaddset(&one, sig);
	kill(getpid(), sig); /* pending while blocked: delivered, and stops, below */
	sigprocmask(SIG_UNBLOCK, &one, NULL);
	sigprocmask(SIG_BLOCK, &one, NULL);
	if (sig != SIGSTOP)
		sigaction(sig, &old, NULL);
}

static void outer_stopped(struct outer *o, int sig)
{
	int tty = o->p->tty;

	/* The terminal back to nsrun's group, as a shell expects of a job that
	 * stops. */
	if (o->handed && tcgetpgrp(tty) != getpgrp())
		tcsetpgrp(tty, getpgrp());
	o->handed = false;
	stop_self(sig);
	/* Continued (or the stop was discarded, in an orphaned group): so is the
	 * target. */
	outer_resume(o);
}

static void outer_reap(struct outer *o)
{
	int options = WNOHANG | (o->p->exec_target ? WUNTRACED : 0);
	int st;

	while (!o->done && waitpid(o->child, &st, options) == o->child) {
		if (WIFSTOPPED(st)) {
			job_stopped(&o->job);
			outer_stopped(o, WSTOPSIG(st));
		} else {
			o->status = nsrun_pidns_exit_status(st);
			o->done = true;
		}
	}
}

static void outer_signal(struct outer *o, int sig)
{
	const struct nsrun_pidns_signal *s = nsrun_pidns_signal_find(sig);

	if (sig == SIGCHLD)
		outer_reap(o);
	else if (o->done || !s)
		return; /* SIGTTIN, SIGTTOU; or the child is reaped: never signal its pid */
	else if (s->action == NSRUN_PIDNS_RESUME)
		outer_resume(o);
	else
		kill(o->child, sig); /* the init relays */
}

static void supervise(struct outer *o)
{
	struct pollfd pfd[2] = { { .fd = o->p->sfd, .events = POLLIN },
				 { .fd = o->p->sock, .events = POLLIN } };
	struct signalfd_siginfo si;
	struct msg m;
	int r, st = 0;

	while (!o->done) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			/* Cannot happen; still, nsrun must end with its child. */
			while ((r = (int)waitpid(o->child, &st, 0)) < 0 && errno == EINTR)
				;
			o->status = r < 0 ? NSRUN_EXIT_FAILURE : nsrun_pidns_exit_status(st);
			o->done = true;
			break;
		}
		while (pfd[1].fd >= 0 && (r = recv_msg(o->p->sock, &m)) != 0) {
			if (r < 0)
				pfd[1].fd = -1; /* the init and the target closed theirs */
			else if (m.type == MSG_STOPPED)
				outer_stopped(o, m.arg);
		}
		while (!o->done && read(o->p->sfd, &si, sizeof(si)) == (ssize_t)sizeof(si))
			outer_signal(o, (int)si.ssi_signo);
	}
}

/* The namespace's group that held the terminal is gone: back to nsrun's, or
 * the shell that runs nsrun would be stopped at its next read. */
static void restore_terminal(const struct outer *o)
{
	pid_t fg;

	if (!o->handed)
		return;
	fg = tcgetpgrp(o->p->tty);
	if (fg > 0 && fg != getpgrp() && kill(-fg, 0) < 0 && errno == ESRCH)
		tcsetpgrp(o->p->tty, getpgrp());
}

/*
 * fork() into a new PID namespace: 0 in the child (its PID 1), the child's
 * pid in the parent, or a negative errno.  unshare() alone would leave the
 * new namespace that of all our later children too, and once its init is
 * gone every fork fails (LeakSanitizer's at exit, for one): the parent goes
 * back to its own.
 */
static pid_t fork_pidns(struct nsrun_err *err)
{
	int own = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
	pid_t pid;
	int r;

	if (own < 0)
		return nsrun_err_sys(err, errno, "PID namespace: /proc/self/ns/pid");
	if (unshare(CLONE_NEWPID) < 0) {
		r = nsrun_err_sys(err, errno, "unshare PID namespace");
		close(own);
		return r;
	}
	pid = fork();
	r = pid < 0 ? nsrun_err_sys(err, errno, "PID namespace: fork") : pid;
	/* Back to our own, also when fork failed: the rollback's children
	 * (CNI DELs) must not become the new namespace's init. */
	if (pid != 0 && setns(own, CLONE_NEWPID) < 0 && r >= 0)
		r = nsrun_err_sys(err, errno, "PID namespace: back to nsrun's own");
	close(own);
	if (r < 0 && pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	return r;
}

int nsrun_pidns_start(bool exec_target, int *status, struct nsrun_err *err)
{
	struct pidns p = { .exec_target = exec_target, .sock = -1, .sfd = -1, .tty = -1 };
	struct outer o = { .p = &p };
	int sv[2] = { -1, -1 };
	sigset_t set;
	pid_t pid;
	int r;

	p.tty = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	p.fg = p.tty >= 0 && tcgetpgrp(p.tty) == getpgrp();
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		r = nsrun_err_sys(err, errno, "PID namespace: socket pair");
		goto fail;
	}
	/* Blocked before the fork: nothing sent from now on is lost, whoever
	 * it reaches. */
	nsrun_pidns_sigset(&set);
	if (sigprocmask(SIG_BLOCK, &set, &p.orig_mask) < 0) {
		r = nsrun_err_sys(err, errno, "PID namespace: block signals");
		goto fail;
	}
	p.sfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (p.sfd < 0) {
		r = nsrun_err_sys(err, errno, "PID namespace: signalfd");
		goto fail_mask;
	}
	/* An inherited SIGCHLD SIG_IGN would have the kernel reap our children
	 * for us, and their exit status would be lost. */
	if (sigaction(SIGCHLD, &(struct sigaction){ .sa_handler = SIG_DFL }, &p.orig_chld) < 0) {
		r = nsrun_err_sys(err, errno, "PID namespace: SIGCHLD");
		goto fail_mask;
	}
	pid = fork_pidns(err);
	if (pid == 0) {
		close_fd(&sv[0]);
		p.sock = sv[1];
		return exec_target ? run_exec_target(&p, err) : run_init(&p, err);
	}
	if (pid < 0) {
		r = pid;
		goto fail_chld;
	}
	nsrun_fault_point("pidns-forked");
	close_fd(&sv[1]);
	p.sock = sv[0];
	send_msg(p.sock, MSG_GO, 0);
	setpgid(pid, pid); /* as the child does: whoever runs first */
	o.child = pid;
	o.job = (struct job){ .tty = p.tty, .pgrp = pid };
	o.handed = p.fg;
	detach_stdio(1);
	keep_own(&p);
	/* From here on the outer only signals its own child and hands the
	 * terminal over: it needs no capability at all. */
	drop_all_caps();

	supervise(&o);
	restore_terminal(&o);
	/* The mask stays: a signal arriving now must not end nsrun with any
	 * status but the target's. */
	close_fd(&p.sfd);
	close_fd(&p.sock);
	close_fd(&p.tty);
	*status = o.status;
	nsrun_err_clear(err); /* what the launch recovered from on its way */
	return NSRUN_PIDNS_DONE;

fail_chld:
	sigaction(SIGCHLD, &p.orig_chld, NULL);
fail_mask:
	sigprocmask(SIG_SETMASK, &p.orig_mask, NULL);
fail:
	close_fd(&p.sfd);
	close_fd(&sv[0]);
	close_fd(&sv[1]);
	close_fd(&p.tty);
	return r;
}
