/* SPDX-License-Identifier: MIT */
#ifndef NSRUN_NL_H
#define NSRUN_NL_H

#include <libmnl/libmnl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nsrun/err.h"

/*
 * rtnetlink over libmnl.  Requests are *built* by pure builders (link.c,
 * ipconf.c) into a batch buffer and *sent* here: one sendmsg per batch, every
 * request carries NLM_F_ACK, every ack is read and matched by sequence number,
 * and the first failure comes back as errno plus the kernel's extended-ack
 * text, labelled with what that request was for.
 */

#define NSRUN_NL_BATCH_MAX 16
#define NSRUN_NL_BUFSZ 8192

struct nsrun_nl {
	struct mnl_socket *sock;
	unsigned int portid;
	uint32_t seq;                   /* last sequence number used */
};

struct nsrun_nl_batch {
	char *buf;
	size_t size, len;
	unsigned int count;
	uint32_t seq0;                  /* sequence number of the first request */
	bool noack[NSRUN_NL_BATCH_MAX]; /* no reply unless it fails */
	unsigned int nnoack;
	const char *what[NSRUN_NL_BATCH_MAX];
};

/* Called for every data message (replies to gets and dumps). */
typedef int (*nsrun_nl_data_cb)(const struct nlmsghdr *nlh, void *data);

/*
 * For builders: a request header at buf (NLM_F_REQUEST | flags) followed by
 * a zeroed fixed header of hdrlen bytes (ifinfomsg, ifaddrmsg, ...), which
 * is returned; NULL when room cannot hold both.  *nlh is the message.
 */
void *nsrun_nl_put_request(void *buf, size_t room, uint32_t seq, uint16_t type, uint16_t flags,
			   size_t hdrlen, struct nlmsghdr **nlh);

int nsrun_nl_open(struct nsrun_nl *nl, struct nsrun_err *err);
/* The same for another netlink family (NETLINK_NETFILTER for nat.c). */
int nsrun_nl_open_proto(struct nsrun_nl *nl, int protocol, struct nsrun_err *err);
void nsrun_nl_close(struct nsrun_nl *nl);
int nsrun_nl_fd(const struct nsrun_nl *nl);

void nsrun_nl_batch_init(struct nsrun_nl_batch *b, struct nsrun_nl *nl, void *buf, size_t size);
/* Free space at the end of the batch, where the next builder writes. */
void *nsrun_nl_batch_tail(const struct nsrun_nl_batch *b, size_t *room);
/* Next sequence number, for the builder writing at the tail. */
uint32_t nsrun_nl_batch_seq(const struct nsrun_nl_batch *b);
/*
 * Appends the request just built at the tail (NULL: the builder ran out of
 * room, which fails the batch).  what labels errors ("add address").
 */
int nsrun_nl_batch_push(struct nsrun_nl_batch *b, struct nlmsghdr *nlh, const char *what);
/*
 * The same for a message without NLM_F_ACK that the kernel answers only
 * when it refuses it (nfnetlink's batch begin and end): such a refusal
 * fails the batch at once, since nothing after it will be answered.
 */
int nsrun_nl_batch_push_noack(struct nsrun_nl_batch *b, struct nlmsghdr *nlh, const char *what);

/*
 * Sends the batch and reads until every request is acked (or its dump
 * done).  Returns 0, or the first failure (negative errno, err filled with
 * "<what>: <strerror>[: <kernel message>]").  Replies go to cb when given.
 */
int nsrun_nl_batch_run(struct nsrun_nl *nl, struct nsrun_nl_batch *b, nsrun_nl_data_cb cb,
		       void *data, struct nsrun_err *err);

#endif
