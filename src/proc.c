/* SPDX-License-Identifier: MIT */
#include "nsrun/proc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int nsrun_proc_parse_stat(const char *stat, char *state, uint64_t *start)
{
	/* "pid (comm) state ppid ..." -- comm may hold spaces and ')'. */
	const char *p = strrchr(stat, ')');
	unsigned long long v;
	char *end;
	int field;

	if (!p || p[1] != ' ' || !p[2])
		return -EINVAL;
	*state = p[2];
	p++;
	for (field = 2; field < 22; field++) {
		if (*p != ' ')
			return -EINVAL;
		p++;
		if (field == 21)
			break;
		p = strchr(p, ' ');
		if (!p)
			return -EINVAL;
	}
	if (*p < '0' || *p > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(p, &end, 10);
	if (errno || (*end != ' ' && *end != '\n' && *end != '\0'))
		return -EINVAL;
	*start = v;
	return 0;
}

static int read_stat(pid_t pid, char *state, uint64_t *start)
{
	char path[32], buf[1024];
	ssize_t n;
	int fd;

	if (pid)
		snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	else
		snprintf(path, sizeof(path), "/proc/self/stat");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	if (n < 0) {
		int e = errno;

		close(fd);
		return -e;
	}
	close(fd);
	buf[n] = '\0';
	return nsrun_proc_parse_stat(buf, state, start);
}

int nsrun_proc_starttime(pid_t pid, uint64_t *start)
{
	char state;

	return read_stat(pid, &state, start);
}

bool nsrun_proc_alive(pid_t pid, uint64_t start)
{
	uint64_t now;
	char state;

	if (pid <= 0 || read_stat(pid, &state, &now) < 0)
		return false;
	/* A zombie has left its namespaces already. */
	return now == start && state != 'Z' && state != 'X';
}
