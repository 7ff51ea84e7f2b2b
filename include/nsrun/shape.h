/* SPDX-License-Identifier: MIT */
#ifndef NSRUN_SHAPE_H
#define NSRUN_SHAPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nsrun/err.h"
#include "nsrun/nl.h"

/*
 * Link shaping on the namespace's veth, in both directions: the same qdiscs
 * on the egress of each end, as a link emulator does, so every figure holds
 * per direction.  Over rtnetlink only (no tc binary):
 *
 *   --delay, --jitter, --loss   netem at the root (handle 1:)
 *   --rate                      tbf, the root's child (1:1 -> 2:) or the root
 *   --loss without netem        clsact + a cls_bpf program that drops at
 *                               random (bpf.c), in front of any root qdisc
 *
 * The parsers and the request builders are pure; nsrun_shape_prepare() asks
 * the kernel what it has before anything is configured, and
 * nsrun_shape_apply() installs one end in one batch.
 */

struct nsrun_shape {
	uint64_t rate;                  /* bytes per second; 0: not limited */
	uint64_t delay_ns;
	uint64_t jitter_ns;             /* uniform, +/- around delay_ns */
	uint32_t loss;                  /* millionths of a percent: 100% = 100000000 */
};

#define NSRUN_SHAPE_LOSS_ALL 100000000u
#define NSRUN_SHAPE_RATE_MIN 125ull                   /* 1kbit */
#define NSRUN_SHAPE_RATE_MAX 12500000000ull           /* 100gbit */
#define NSRUN_SHAPE_TIME_MAX 60000000000ull           /* 60 s */
#define NSRUN_SHAPE_NETEM_LIMIT 10000                 /* packets */
#define NSRUN_SHAPE_TBF_BURST_NS 5000000ull           /* 5 ms at the rate */
#define NSRUN_SHAPE_TBF_LATENCY_NS 50000000ull        /* 50 ms of queue */
#define NSRUN_SHAPE_TBF_QUEUE_MIN 65536ull            /* bytes */

/* qdisc handles: netem 1: (when used), tbf 2:, clsact ffff: */
#define NSRUN_SHAPE_NETEM_HANDLE 0x00010000u
#define NSRUN_SHAPE_TBF_HANDLE 0x00020000u

/*
 * Parsers.  On failure they return -EINVAL (-ERANGE out of range) and set
 * *why to a message for "<option> <value>: <why>".
 *
 * RATE: a decimal number and one of tc's units, case-insensitive: bit, kbit,
 * mbit, gbit, tbit (powers of 1000), kibit, mibit, gibit, tibit (1024), and
 * the same with "bps" for bytes per second (bps, kbps, kibps, ...).  A bare
 * number is refused: tc would read bits per second, which nobody means.
 */
int nsrun_shape_parse_rate(const char *s, uint64_t *bytes_per_s, const char **why);
/* MS: milliseconds, up to three decimals, or a number with us, ms or s. */
int nsrun_shape_parse_time(const char *s, uint64_t *ns, const char **why);
/* PCT: 0 to 100, up to six decimals, an optional '%'. */
int nsrun_shape_parse_loss(const char *s, uint32_t *loss, const char **why);

bool nsrun_shape_any(const struct nsrun_shape *s);
/* Whether s needs the netem qdisc whatever the kernel (delay or jitter). */
bool nsrun_shape_needs_netem(const struct nsrun_shape *s);

/* netem's loss probability: 0 none, UINT32_MAX all. */
uint32_t nsrun_shape_netem_prob(uint32_t loss);
/* The dropper's threshold: a packet goes when prandom_u32 < it (2^32: all). */
uint64_t nsrun_shape_bpf_threshold(uint32_t loss);

/*
 * tbf's bucket and queue for a rate on a link of this MTU: the bucket holds
 * 5 ms at the rate, and at least two full frames, so a frame always fits
 * and the rate holds on hrtimer granularity; the queue behind it holds 50 ms
 * at the rate (tc's "latency 50ms"), and at least 64 KiB, so that at low
 * rates a few TCP flows queue rather than drop: a slow link shows as
 * latency, and loss stays --loss's business.
 */
void nsrun_shape_tbf_params(uint64_t rate, unsigned int mtu, uint32_t *burst, uint32_t *limit);

/* Builders: one request at buf; NULL when it does not fit. */
struct nlmsghdr *nsrun_shape_build_netem(void *buf, size_t room, uint32_t seq, int ifindex,
					 const struct nsrun_shape *s, bool with_loss);
struct nlmsghdr *nsrun_shape_build_tbf(void *buf, size_t room, uint32_t seq, int ifindex,
				       uint32_t parent, uint64_t rate, uint32_t burst,
				       uint32_t limit);
struct nlmsghdr *nsrun_shape_build_clsact(void *buf, size_t room, uint32_t seq, int ifindex);
/* cls_bpf in direct-action mode on clsact egress, running prog_fd. */
struct nlmsghdr *nsrun_shape_build_bpf_filter(void *buf, size_t room, uint32_t seq, int ifindex,
					      int prog_fd, const char *name);
/* A netem qdisc without options: the kernel answers EINVAL when it has
 * netem (its init wants options) and ENOENT when it does not; either way
 * nothing is created. */
struct nlmsghdr *nsrun_shape_build_netem_probe(void *buf, size_t room, uint32_t seq,
					       int ifindex);

/* What the kernel lets us do for a shape, decided before anything is set up. */
struct nsrun_shaper {
	struct nsrun_shape want;
	bool netem;                     /* delay, jitter and loss go to netem */
	bool netem_unknown;             /* --loss alone: the first apply finds out */
	int prog_fd;                    /* the loss program without netem, else -1 */
};

/*
 * With --delay or --jitter, probes for netem (in a throw-away network
 * namespace, so no interface of the host is ever addressed): without it they
 * fail here, before anything exists, naming CONFIG_NET_SCH_NETEM.  --loss
 * alone costs no probe: the first apply tries netem and falls back to the
 * loss program.  Nothing to do when want is empty or only has --rate.
 */
int nsrun_shape_prepare(struct nsrun_shaper *sh, const struct nsrun_shape *want,
			struct nsrun_err *err);
/* Shapes the egress of ifindex (a link of this MTU), in one batch (two
 * the first time --loss alone meets a kernel without netem). */
int nsrun_shape_apply(struct nsrun_nl *nl, int ifindex, unsigned int mtu,
		      struct nsrun_shaper *sh, struct nsrun_err *err);
/* Closes the program; the filters keep it alive.  Idempotent. */
void nsrun_shape_release(struct nsrun_shaper *sh);

#endif
