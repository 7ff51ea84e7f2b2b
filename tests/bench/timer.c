/*
 * timer -- run several commands interleaved and record each run's wall time.
 *
 *   timer [-n RUNS] [-w WARMUP] [-o FILE] [-s SEP] [-q] --
 *         LABEL [VAR=VALUE...] CMD [ARG...] [SEP LABEL [VAR=VALUE...] CMD [ARG...]]...
 *
 * Rounds go A B C A B C ...: WARMUP rounds first, then RUNS measured rounds,
 * so slow drift (page cache, netns cleanup backlog, thermal) hits every
 * command alike. One run = posix_spawn (clone+exec) + waitpid, timed with
 * CLOCK_MONOTONIC around exactly that. The child gets /dev/null as stdin and
 * stdout; its stderr goes to a memory file whose first line is recorded.
 *
 * SEP defaults to "::". Leading VAR=VALUE words set the command's
 * environment (as env(1) would, without an extra exec). In arguments,
 * "{seq}" becomes a number unique to each run of this timer invocation.
 *
 * Output (TSV, header first), one line per run, warm-up runs included:
 *   label  phase(warmup|run)  run  ns  status  stderr
 * status is the exit code, 128+N for a signal, 127/126 when the spawn
 * itself failed (not found / other). Failing runs are kept and counted;
 * the exit status of timer is 0 whenever every run could be attempted.
 * A per-command summary (median of successful runs, failures) goes to
 * stderr unless -q.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define TIMER_SEQ_TOKEN "{seq}"
#define TIMER_NOTE_MAX 240

struct command {
	const char *label;
	char **argv;	  /* template, NULL-terminated, may hold {seq} */
	size_t argc;
	char **envp;	  /* environ plus this command's VAR=VALUE words */
	uint64_t *ns;	  /* measured runs only */
	int *status;
	size_t failures;  /* measured runs only */
	size_t warm_failures;
};

__attribute__((format(printf, 1, 2), noreturn)) static void die(const char *fmt, ...)
{
	va_list ap;

	fputs("timer: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p)
		die("out of memory");
	return p;
}

static void usage(void)
{
	fputs("usage: timer [-n RUNS] [-w WARMUP] [-o FILE] [-s SEP] [-q] --\n"
	      "             LABEL [VAR=VALUE...] CMD [ARG...] [SEP LABEL ...]...\n",
	      stderr);
	exit(1);
}

static size_t parse_count(const char *arg, const char *what)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(arg, &end, 10);
	if (errno || end == arg || *end || v > 1000000)
		die("%s: bad count '%s'", what, arg);
	return (size_t)v;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* NAME=VALUE with NAME a shell identifier, as env(1) and sh read it. */
static bool is_assignment(const char *word)
{
	const char *p = word;

	if (!(*p == '_' || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')))
		return false;
	while (*p == '_' || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
	       (*p >= '0' && *p <= '9'))
		p++;
	return *p == '=';
}

/* environ minus the names we override, then the overrides. */
static char **build_env(char **assign, size_t nassign)
{
	size_t n = 0, out = 0;
	char **envp;

	while (environ[n])
		n++;
	envp = xcalloc(n + nassign + 1, sizeof(*envp));
	for (size_t i = 0; i < n; i++) {
		bool overridden = false;

		for (size_t j = 0; j < nassign && !overridden; j++) {
			size_t name = (size_t)(strchr(assign[j], '=') - assign[j]) + 1;

			overridden = strncmp(environ[i], assign[j], name) == 0;
		}
		if (!overridden)
			envp[out++] = environ[i];
	}
	for (size_t j = 0; j < nassign; j++)
		envp[out++] = assign[j];
	return envp;
}

/* Split argv at SEP into commands; returns how many. */
static size_t parse_commands(char **argv, int argc, const char *sep, struct command **out)
{
	struct command *cmds = xcalloc((size_t)argc, sizeof(*cmds));
	size_t n = 0;
	int i = 0;

	while (i < argc) {
		struct command *c = &cmds[n];
		int start, end;

		c->label = argv[i++];
		start = i;
		while (i < argc && is_assignment(argv[i]))
			i++;
		c->envp = build_env(argv + start, (size_t)(i - start));
		end = i;
		while (end < argc && strcmp(argv[end], sep) != 0)
			end++;
		if (end == i)
			die("command '%s': no program given", c->label);
		c->argc = (size_t)(end - i);
		c->argv = xcalloc(c->argc + 1, sizeof(*c->argv));
		memcpy(c->argv, argv + i, c->argc * sizeof(*c->argv));
		n++;
		i = end + 1;
		if (end < argc && i == argc)
			die("trailing '%s'", sep);
	}
	if (!n)
		usage();
	*out = cmds;
	return n;
}

/* Replace every {seq} in s; returns s itself when there is none. */
static char *expand_seq(char *s, unsigned long seq)
{
	char num[24], *out, *p;
	const char *in = s, *hit;
	size_t count = 0, len;

	for (hit = strstr(in, TIMER_SEQ_TOKEN); hit; hit = strstr(hit + 1, TIMER_SEQ_TOKEN))
		count++;
	if (!count)
		return s;
	snprintf(num, sizeof(num), "%lu", seq);
	len = strlen(s) + count * strlen(num) + 1;
	out = p = xcalloc(len, 1);
	while ((hit = strstr(in, TIMER_SEQ_TOKEN))) {
		memcpy(p, in, (size_t)(hit - in));
		p += hit - in;
		p = stpcpy(p, num);
		in = hit + strlen(TIMER_SEQ_TOKEN);
	}
	strcpy(p, in);
	return out;
}

/* First line of what the child wrote to stderr, tabs and controls blanked. */
static void read_note(int fd, char *note, size_t size)
{
	ssize_t n = pread(fd, note, size - 1, 0);

	note[n > 0 ? n : 0] = '\0';
	note[strcspn(note, "\n")] = '\0';
	for (char *p = note; *p; p++)
		if ((unsigned char)*p < ' ')
			*p = ' ';
}

static int decode_status(int wstatus)
{
	if (WIFEXITED(wstatus))
		return WEXITSTATUS(wstatus);
	if (WIFSIGNALED(wstatus))
		return 128 + WTERMSIG(wstatus);
	return 255;
}

/* One timed run; returns its status and fills *ns and note. */
static int run_once(const struct command *c, unsigned long seq, int devnull, int errfd,
		    uint64_t *ns, char *note, size_t note_size)
{
	posix_spawn_file_actions_t fa;
	char **argv = xcalloc(c->argc + 1, sizeof(*argv));
	uint64_t t0, t1;
	pid_t pid;
	int err, wstatus = 0, status;

	for (size_t i = 0; i < c->argc; i++)
		argv[i] = expand_seq(c->argv[i], seq);
	/* The child shares this file offset: rewind it as well. */
	if (ftruncate(errfd, 0) < 0 || lseek(errfd, 0, SEEK_SET) < 0)
		die("reset stderr buffer: %s", strerror(errno));
	if (posix_spawn_file_actions_init(&fa) ||
	    posix_spawn_file_actions_adddup2(&fa, devnull, STDIN_FILENO) ||
	    posix_spawn_file_actions_adddup2(&fa, devnull, STDOUT_FILENO) ||
	    posix_spawn_file_actions_adddup2(&fa, errfd, STDERR_FILENO))
		die("posix_spawn_file_actions: out of memory");

	t0 = now_ns();
	err = posix_spawnp(&pid, argv[0], &fa, NULL, argv, c->envp);
	if (!err) {
		while (waitpid(pid, &wstatus, 0) < 0)
			if (errno != EINTR)
				die("waitpid: %s", strerror(errno));
	}
	t1 = now_ns();

	posix_spawn_file_actions_destroy(&fa);
	*ns = t1 - t0;
	if (err) {
		snprintf(note, note_size, "spawn %s: %s", argv[0], strerror(err));
		status = err == ENOENT ? 127 : 126;
	} else {
		status = decode_status(wstatus);
		read_note(errfd, note, note_size);
	}
	for (size_t i = 0; i < c->argc; i++)
		if (argv[i] != c->argv[i])
			free(argv[i]);
	free(argv);
	return status;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

static void summarize(const struct command *c, size_t runs)
{
	uint64_t *ok = xcalloc(runs, sizeof(*ok));
	size_t n = 0;

	for (size_t i = 0; i < runs; i++)
		if (c->status[i] == 0)
			ok[n++] = c->ns[i];
	qsort(ok, n, sizeof(*ok), cmp_u64);
	if (n)
		fprintf(stderr, "timer: %-28s %5zu runs  median %9.3f ms  failures %zu (+%zu warm-up)\n",
			c->label, runs,
			(n % 2 ? (double)ok[n / 2] : (ok[n / 2 - 1] + ok[n / 2]) / 2.0) / 1e6,
			c->failures, c->warm_failures);
	else
		fprintf(stderr, "timer: %-28s %5zu runs  all failed (+%zu warm-up failures)\n",
			c->label, runs, c->warm_failures);
	free(ok);
}

int main(int argc, char **argv)
{
	size_t runs = 200, warmup = 10, ncmds;
	const char *outpath = NULL, *sep = "::";
	bool quiet = false;
	struct command *cmds;
	unsigned long seq = 0;
	FILE *out = stdout;
	int opt, devnull, errfd;

	while ((opt = getopt(argc, argv, "+n:w:o:s:qh")) != -1) {
		switch (opt) {
		case 'n':
			runs = parse_count(optarg, "-n");
			break;
		case 'w':
			warmup = parse_count(optarg, "-w");
			break;
		case 'o':
			outpath = optarg;
			break;
		case 's':
			sep = optarg;
			break;
		case 'q':
			quiet = true;
			break;
		default:
			usage();
		}
	}
	if (optind >= argc)
		usage();
	ncmds = parse_commands(argv + optind, argc - optind, sep, &cmds);
	for (size_t i = 0; i < ncmds; i++) {
		cmds[i].ns = xcalloc(runs, sizeof(*cmds[i].ns));
		cmds[i].status = xcalloc(runs, sizeof(*cmds[i].status));
	}

	if (outpath && !(out = fopen(outpath, "we")))
		die("%s: %s", outpath, strerror(errno));
	devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (devnull < 0)
		die("/dev/null: %s", strerror(errno));
	errfd = memfd_create("timer-stderr", MFD_CLOEXEC);
	if (errfd < 0)
		die("memfd_create: %s", strerror(errno));

	fputs("label\tphase\trun\tns\tstatus\tstderr\n", out);
	for (size_t round = 0; round < warmup + runs; round++) {
		bool warm = round < warmup;
		size_t idx = warm ? round : round - warmup;

		for (size_t i = 0; i < ncmds; i++) {
			struct command *c = &cmds[i];
			char note[TIMER_NOTE_MAX];
			uint64_t ns;
			int status = run_once(c, ++seq, devnull, errfd, &ns, note, sizeof(note));

			fprintf(out, "%s\t%s\t%zu\t%" PRIu64 "\t%d\t%s\n", c->label,
				warm ? "warmup" : "run", idx, ns, status, note);
			if (warm) {
				c->warm_failures += status != 0;
			} else {
				c->ns[idx] = ns;
				c->status[idx] = status;
				c->failures += status != 0;
			}
		}
	}
	if (fflush(out) != 0 || (outpath && fclose(out) != 0))
		die("write %s: %s", outpath ? outpath : "stdout", strerror(errno));
	for (size_t i = 0; i < ncmds; i++) {
		if (!quiet)
			summarize(&cmds[i], runs);
		free(cmds[i].argv);
		free(cmds[i].envp);
		free(cmds[i].ns);
		free(cmds[i].status);
	}
	free(cmds);
	close(errfd);
	close(devnull);
	return 0;
}
