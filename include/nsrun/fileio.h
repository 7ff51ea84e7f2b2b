/* SPDX-License-Identifier: MIT */
#ifndef NSRUN_FILEIO_H
#define NSRUN_FILEIO_H

#include <stddef.h>

/*
 * Reads fd to its end into a malloc'ed buffer (*out, *outlen; free it).
 * -EFBIG once the data reaches max bytes (max: 4096 times a power of two),
 * -ENOMEM, or -errno of read().  For the small text files nsrun parses.
 */
int nsrun_fileio_read_all(int fd, char **out, size_t *outlen, size_t max);

#endif
