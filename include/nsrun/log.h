/* SPDX-License-Identifier: MIT */
#ifndef NSRUN_LOG_H
#define NSRUN_LOG_H

#include <stdbool.h>

/*
 * Messages on stderr, always prefixed "nsrun: ".  Errors are printed by main()
 * only; the launch path emits -v step traces through here:
 *     nsrun: step <name> <microseconds> us
 * one line per step, then "nsrun: step total <microseconds> us".  That format
 * is a contract (tests/bench parses it).
 */
enum nsrun_verbosity {
	NSRUN_LOG_QUIET = -1,
	NSRUN_LOG_NORMAL = 0,
	NSRUN_LOG_VERBOSE = 1,
};

void nsrun_log_init(int verbosity);
bool nsrun_log_verbose_on(void);

void nsrun_log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void nsrun_log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void nsrun_log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void nsrun_log_verbose(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Ends the current step: prints its duration when verbose. Cheap otherwise. */
void nsrun_log_step(const char *name);
/* Prints the total since nsrun_log_init() when verbose. */
void nsrun_log_step_total(void);

#endif
