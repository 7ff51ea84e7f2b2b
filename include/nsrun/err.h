/* SPDX-License-Identifier: MIT */
#ifndef NSRUN_ERR_H
#define NSRUN_ERR_H

#include <stddef.h>

#define NSRUN_ERR_MSG_MAX 512

/*
 * A caller-owned error: a negative errno travels as the return value, the
 * message chain lives here.  Fixed size so that error paths never allocate.
 * The message reads "<what>: <why>"; callers prepend their own context on the
 * way up with nsrun_err_ctx(), so main() prints "bridge br1: add address: ...".
 */
struct nsrun_err {
	int code;                     /* positive errno, 0 when unset */
	char msg[NSRUN_ERR_MSG_MAX];
};

/* Sets the message verbatim (the caller says why). Returns -code. */
int nsrun_err_set(struct nsrun_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Sets "<fmt>: strerror(code)". Returns -code. */
int nsrun_err_sys(struct nsrun_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prepends "<fmt>: " to the existing message. Returns -err->code. */
int nsrun_err_ctx(struct nsrun_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

void nsrun_err_clear(struct nsrun_err *err);

#endif
