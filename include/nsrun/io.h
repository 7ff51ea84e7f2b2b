/* SPDX-License-Identifier: MIT */
#ifndef NSRUN_IO_H
#define NSRUN_IO_H

#include <stddef.h>

/* Writes all len bytes (retrying short writes and EINTR); 0 or -errno. */
int nsrun_io_write_all(int fd, const char *buf, size_t len);
/*
 * Reads fd to its end into a malloc'ed buffer (*out, *outlen; free it).
 * -EFBIG once the data reaches max bytes (max: 4096 times a power of two),
 * -ENOMEM, or -errno of read().  For the small text files nsrun parses.
 */
int nsrun_io_read_all(int fd, char **out, size_t *outlen, size_t max);

#endif
