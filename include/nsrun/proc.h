/* SPDX-License-Identifier: MIT */
#ifndef NSRUN_PROC_H
#define NSRUN_PROC_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* Start time of pid (0: this process) in clock ticks after boot, from
 * /proc/PID/stat field 22: with the pid it names one process for good. */
int nsrun_proc_starttime(pid_t pid, uint64_t *start);
/* Parses the text of /proc/PID/stat: state (field 3) and start time. */
int nsrun_proc_parse_stat(const char *stat, char *state, uint64_t *start);
/* Runs (not a zombie) and started at start. */
bool nsrun_proc_alive(pid_t pid, uint64_t start);

#endif
