/* SPDX-License-Identifier: MIT */
#include "nsrun/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

static int verbosity;
static struct timespec t_start, t_last;

/* (for clang's -Wformat-nonliteral: vlog passes its format on) */
static void vlog(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

static double usec_between(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) * 1e6 +
	       (double)(b->tv_nsec - a->tv_nsec) / 1e3;
}

void nsrun_log_init(int v)
{
	verbosity = v;
	if (verbosity >= NSRUN_LOG_VERBOSE) {
		clock_gettime(CLOCK_MONOTONIC, &t_start);
		t_last = t_start;
	}
}

bool nsrun_log_verbose_on(void)
{
	return verbosity >= NSRUN_LOG_VERBOSE;
}

static void vlog(const char *fmt, va_list ap)
{
	char line[1024], out[4 * sizeof(line)];
	size_t o = 0;

	vsnprintf(line, sizeof(line), fmt, ap);
	/* Messages quote what the user gave: a control byte in a name must
	 * not reach the terminal as such, and the message stays one line. */
	for (const unsigned char *p = (const unsigned char *)line; *p; p++) {
		if (*p < ' ' || *p == 0x7f)
			o += (size_t)snprintf(out + o, sizeof(out) - o, "\\x%02x", *p);
		else
			out[o++] = (char)*p;
	}
	out[o] = '\0';
	/* One write per line so parallel instances do not interleave. */
	fprintf(stderr, "nsrun: %s\n", out);
}

void nsrun_log_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(fmt, ap);
	va_end(ap);
}

void nsrun_log_warn(const char *fmt, ...)
{
	va_list ap;

	if (verbosity < NSRUN_LOG_NORMAL)
		return;
	va_start(ap, fmt);
	vlog(fmt, ap);
	va_end(ap);
}

void nsrun_log_info(const char *fmt, ...)
{
	va_list ap;

	if (verbosity < NSRUN_LOG_NORMAL)
		return;
	va_start(ap, fmt);
	vlog(fmt, ap);
	va_end(ap);
}

void nsrun_log_verbose(const char *fmt, ...)
{
	va_list ap;

	if (verbosity < NSRUN_LOG_VERBOSE)
		return;
	va_start(ap, fmt);
	vlog(fmt, ap);
	va_end(ap);
}

void nsrun_log_step(const char *name)
{
	struct timespec now;

	if (verbosity < NSRUN_LOG_VERBOSE)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	fprintf(stderr, "nsrun: step %s %.1f us\n", name, usec_between(&t_last, &now));
	/* Exclude our own printing from the next step. */
	clock_gettime(CLOCK_MONOTONIC, &t_last);
}

void nsrun_log_step_total(void)
{
	struct timespec now;

	if (verbosity < NSRUN_LOG_VERBOSE)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	fprintf(stderr, "nsrun: step total %.1f us\n", usec_between(&t_start, &now));
}
