/*
 * ready -- target for the scale benchmark.
 *
 *   ready FIFO
 *
 * Writes "<pid>\n" to FIFO (one write, atomic: shorter than PIPE_BUF) to
 * say "exec'd and running", then sleeps until killed. It dies with its
 * parent (the scale driver, since nsrun execs in place), so an interrupted
 * benchmark leaves no namespace behind.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	pid_t parent = getppid();
	char line[32];
	int fd, len;

	if (argc != 2) {
		fputs("usage: ready FIFO\n", stderr);
		return 2;
	}
	/* Best effort: a seccomp profile may refuse it; the driver kills us anyway. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) == 0 && getppid() != parent)
		return 1;
	fd = open(argv[1], O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		perror("ready: open fifo");
		return 1;
	}
	len = snprintf(line, sizeof(line), "%ld\n", (long)getpid());
	if (write(fd, line, (size_t)len) != len) {
		perror("ready: write fifo");
		return 1;
	}
	close(fd);
	for (;;)
		pause();
}
