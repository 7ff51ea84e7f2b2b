/*
 * scale -- K concurrent long-lived launches on one bridge.
 *
 *   scale -k K -f FIFO -d ERRDIR -b BRIDGE [-t TIMEOUT_S] -- CMD [ARG...]
 *
 * Starts K copies of CMD as fast as it can fork, each with stderr in
 * ERRDIR/<i>.err. CMD is expected to end up exec'ing `ready FIFO`, which
 * writes its pid to FIFO (created here) and sleeps: since nsrun execs in
 * place, that pid is the one we forked. Then:
 *
 *   setup     first fork -> last "ready" line
 *   failures  children that exited (or were still silent at the timeout)
 *             before saying ready; their stderr's first line is reported
 *   kill      SIGKILL to every child by pid, reap them all
 *   teardown  first kill -> the bridge has no more ports than before the
 *             launch (polls /sys/class/net/BRIDGE/brif every 0.5 ms; the
 *             caller must give us a /sys mounted in the right netns)
 *
 * Output on stdout, TSV:
 *   result K ready failed setup_ns reap_ns teardown_ns ports_at_ready ports_left
 *   fail   index pid status first-line-of-stderr      (one per failure)
 * status is the exit code, 128+N for a signal, or "timeout".
 * Exit status 0 whenever the measurement ran, whatever its figures.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum child_state { CHILD_STARTED, CHILD_READY, CHILD_FAILED, CHILD_GONE };

struct child {
	pid_t pid;
	enum child_state state;
	int status; /* decoded, valid once FAILED or GONE */
};

/* For the signal handler: kill what we started if we are interrupted. */
static struct child *g_children;
static volatile sig_atomic_t g_started;

__attribute__((format(printf, 1, 2), noreturn)) static void die(const char *fmt, ...)
{
	va_list ap;

	fputs("scale: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void usage(void)
{
	fputs("usage: scale -k K -f FIFO -d ERRDIR -b BRIDGE [-t TIMEOUT_S] -- CMD [ARG...]\n",
	      stderr);
	exit(1);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static long parse_long(const char *arg, long max, const char *what)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || end == arg || *end || v < 1 || v > max)
		die("%s: bad value '%s' (1..%ld)", what, arg, max);
	return v;
}

static void on_signal(int sig)
{
	for (sig_atomic_t i = 0; i < g_started; i++)
		if (g_children[i].pid > 0)
			kill(g_children[i].pid, SIGKILL);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Like nohup(1) expects: a signal ignored by our caller stays ignored. */
static void catch_signal(int sig)
{
	struct sigaction old;

	if (sigaction(sig, NULL, &old) == 0 && old.sa_handler == SIG_IGN)
		return;
	signal(sig, on_signal);
}

static int decode_status(int wstatus)
{
	if (WIFEXITED(wstatus))
		return WEXITSTATUS(wstatus);
	if (WIFSIGNALED(wstatus))
		return 128 + WTERMSIG(wstatus);
	return 255;
}

/* Entries in the bridge's brif directory, i.e. its ports; -1 if unreadable. */
static long count_ports(const char *brif)
{
	DIR *d = opendir(brif);
	struct dirent *e;
	long n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static void start_child(struct child *c, long index, const char *errdir, char **cmd,
			pid_t self)
{
	char path[PATH_MAX];
	pid_t pid;

	snprintf(path, sizeof(path), "%s/%ld.err", errdir, index);
	pid = fork();
	if (pid < 0)
		die("fork (child %ld): %s", index, strerror(errno));
	if (pid == 0) {
		int err, null;

		/* If the driver dies, so do the launches (and their netns). */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != self)
			_exit(1);
		err = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		null = open("/dev/null", O_RDWR | O_CLOEXEC);
		if (err < 0 || null < 0 || dup2(null, STDIN_FILENO) < 0 ||
		    dup2(null, STDOUT_FILENO) < 0 || dup2(err, STDERR_FILENO) < 0)
			_exit(125);
		execvp(cmd[0], cmd);
		dprintf(STDERR_FILENO, "scale: exec %s: %s\n", cmd[0], strerror(errno));
		_exit(errno == ENOENT ? 127 : 126);
	}
	c->pid = pid;
	c->state = CHILD_STARTED;
}

static struct child *find_child(struct child *children, long n, pid_t pid)
{
	for (long i = 0; i < n; i++)
		if (children[i].pid == pid)
			return &children[i];
	return NULL;
}

struct progress {
	long ready, failed;
	uint64_t last_ready;
	char line[64];
	size_t used;
};

/* Read whatever "ready" lines are waiting in the FIFO (non-blocking). */
static void drain_fifo(int fd, struct child *children, long n, struct progress *p)
{
	char buf[4096];
	ssize_t got;

	while ((got = read(fd, buf, sizeof(buf))) > 0) {
		uint64_t t = now_ns();

		for (ssize_t i = 0; i < got; i++) {
			struct child *c;

			if (buf[i] != '\n') {
				if (p->used < sizeof(p->line) - 1)
					p->line[p->used++] = buf[i];
				continue;
			}
			p->line[p->used] = '\0';
			p->used = 0;
			c = find_child(children, n, (pid_t)strtol(p->line, NULL, 10));
			if (c && c->state == CHILD_STARTED) {
				c->state = CHILD_READY;
				p->ready++;
				p->last_ready = t;
			}
		}
	}
	if (got < 0 && errno != EAGAIN && errno != EINTR)
		die("read fifo: %s", strerror(errno));
}

/* Reap exited children; one that exits before saying ready failed. */
static void reap(struct child *children, long n, struct progress *p)
{
	pid_t pid;
	int wstatus;

	while ((pid = waitpid(-1, &wstatus, WNOHANG)) > 0) {
		struct child *c = find_child(children, n, pid);

		if (!c)
			continue;
		c->status = decode_status(wstatus);
		if (c->state == CHILD_STARTED) {
			c->state = CHILD_FAILED;
			p->failed++;
		} else {
			c->state = CHILD_GONE;
		}
	}
}

static void first_line(const char *path, char *out, size_t size)
{
	FILE *f = fopen(path, "re");

	out[0] = '\0';
	if (f) {
		if (!fgets(out, (int)size, f))
			out[0] = '\0';
		fclose(f);
	}
	out[strcspn(out, "\n")] = '\0';
	for (char *q = out; *q; q++)
		if ((unsigned char)*q < ' ')
			*q = ' ';
}

int main(int argc, char **argv)
{
	const char *fifo = NULL, *errdir = NULL, *bridge = NULL;
	long k = 0, timeout_s = 0, base_ports, ports_at_ready, ports;
	char brif[PATH_MAX];
	struct progress prog = { 0 };
	struct child *children;
	uint64_t t0, deadline, t_kill, t_reaped, t_gone;
	pid_t self = getpid();
	int opt, fd;

	while ((opt = getopt(argc, argv, "+k:f:d:b:t:h")) != -1) {
		switch (opt) {
		case 'k':
			k = parse_long(optarg, 100000, "-k");
			break;
		case 'f':
			fifo = optarg;
			break;
		case 'd':
			errdir = optarg;
			break;
		case 'b':
			bridge = optarg;
			break;
		case 't':
			timeout_s = parse_long(optarg, 86400, "-t");
			break;
		default:
			usage();
		}
	}
	if (!k || !fifo || !errdir || !bridge || optind >= argc)
		usage();
	if (!timeout_s)
		timeout_s = 60 + k / 10;

	snprintf(brif, sizeof(brif), "/sys/class/net/%s/brif", bridge);
	base_ports = count_ports(brif);
	if (base_ports < 0)
		die("%s: %s (is /sys mounted for this netns?)", brif, strerror(errno));
	if (mkdir(errdir, 0700) < 0 && errno != EEXIST)
		die("mkdir %s: %s", errdir, strerror(errno));
	if (unlink(fifo) < 0 && errno != ENOENT)
		die("unlink %s: %s", fifo, strerror(errno));
	if (mkfifo(fifo, 0600) < 0)
		die("mkfifo %s: %s", fifo, strerror(errno));
	/* O_RDWR: we never see EOF while children come and go. */
	fd = open(fifo, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		die("open %s: %s", fifo, strerror(errno));

	children = calloc((size_t)k, sizeof(*children));
	if (!children)
		die("out of memory");
	g_children = children;
	catch_signal(SIGINT);
	catch_signal(SIGTERM);
	catch_signal(SIGHUP);

	t0 = now_ns();
	deadline = t0 + (uint64_t)timeout_s * 1000000000u;
	for (long i = 0; i < k; i++) {
		start_child(&children[i], i, errdir, argv + optind, self);
		g_started = (sig_atomic_t)(i + 1);
		drain_fifo(fd, children, k, &prog);
	}
	while (prog.ready + prog.failed < k && now_ns() < deadline) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };

		/* Short timeout: child exits are noticed by polling waitpid. */
		if (poll(&pfd, 1, 2) < 0 && errno != EINTR)
			die("poll: %s", strerror(errno));
		drain_fifo(fd, children, k, &prog);
		reap(children, k, &prog);
	}
	ports_at_ready = count_ports(brif);

	t_kill = now_ns();
	for (long i = 0; i < k; i++)
		if (children[i].state == CHILD_STARTED || children[i].state == CHILD_READY)
			kill(children[i].pid, SIGKILL);
	for (long i = 0; i < k; i++) {
		int wstatus;

		if (children[i].state == CHILD_FAILED || children[i].state == CHILD_GONE)
			continue;
		while (waitpid(children[i].pid, &wstatus, 0) < 0) {
			if (errno != EINTR)
				die("waitpid %ld: %s", (long)children[i].pid, strerror(errno));
		}
		if (children[i].state == CHILD_STARTED) {
			/* Killed by us while still silent: a timeout. */
			children[i].state = CHILD_FAILED;
			children[i].status = WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == SIGKILL
						     ? -1
						     : decode_status(wstatus);
			prog.failed++;
		} else {
			children[i].state = CHILD_GONE;
		}
	}
	t_reaped = now_ns();
	g_started = 0;

	/* The kernel deletes each netns, so its veth, asynchronously. */
	deadline = t_reaped + (uint64_t)(60 + k / 10) * 1000000000u;
	while ((ports = count_ports(brif)) > base_ports && now_ns() < deadline) {
		struct timespec tick = { 0, 500000 };

		nanosleep(&tick, NULL);
	}
	t_gone = now_ns();

	printf("result\t%ld\t%ld\t%ld\t%" PRIu64 "\t%" PRIu64 "\t%" PRIu64 "\t%ld\t%ld\n", k,
	       prog.ready, prog.failed, prog.ready ? prog.last_ready - t0 : 0, t_reaped - t_kill,
	       t_gone - t_kill, ports_at_ready - base_ports, ports - base_ports);
	for (long i = 0; i < k; i++) {
		char path[PATH_MAX], msg[512];

		if (children[i].state != CHILD_FAILED)
			continue;
		snprintf(path, sizeof(path), "%s/%ld.err", errdir, i);
		first_line(path, msg, sizeof(msg));
		if (children[i].status < 0)
			printf("fail\t%ld\t%ld\ttimeout\t%s\n", i, (long)children[i].pid, msg);
		else
			printf("fail\t%ld\t%ld\t%d\t%s\n", i, (long)children[i].pid,
			       children[i].status, msg);
	}
	close(fd);
	unlink(fifo);
	return fflush(stdout) == 0 ? 0 : 1;
}
