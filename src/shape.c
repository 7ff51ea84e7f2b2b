/* SPDX-License-Identifier: MIT */
#include "nsrun/shape.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_ether.h>
#include <linux/pkt_cls.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <sched.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "nsrun/bpf.h"
#include "nsrun/log.h"

/* ---- parsers ------------------------------------------------------------ */

/* A kind of number, and what to say when one is not. */
struct number_kind {
	unsigned int decimals;          /* at most, after the point */
	const char *syntax, *range, *precision;
};

#define RATE_RANGE "out of range (1kbit to 100gbit)"
#define TIME_RANGE "out of range (0 to 60 s)"

static const struct number_kind rate_kind = {
	3, "not a rate (a number and a unit: 500kbit, 10mbit, 1gbit, 125kbps)", RATE_RANGE,
	"more than 3 decimals",
};
static const struct number_kind time_kind = {
	3, "not a time in milliseconds (e.g. 50, 0.5, or with a unit: 250us, 20ms, 1s)",
	TIME_RANGE, "more than 3 decimals",
};
static const struct number_kind loss_kind = {
	6, "not a percentage (0 to 100, e.g. 30 or 0.5)", "out of range (0 to 100)",
	"more than 6 decimals",
};

/*
 * A decimal number "D[.D]" scaled by 10^decimals; *rest points after it.
 * On failure, -EINVAL or -ERANGE and *why says which.  On success *why is
 * the kind's syntax message, for the caller's checks of what follows.
 */
static int parse_fixed(const char *s, const struct number_kind *k, uint64_t *out,
		       const char **rest, const char **why)
{
	uint64_t v = 0;
	unsigned int frac = 0;
	const char *p = s;

	*why = k->syntax;
	if (*p < '0' || *p > '9')
		return -EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > (UINT64_MAX - 9) / 10)
			goto range;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return -EINVAL;
		for (; *p >= '0' && *p <= '9'; p++, frac++) {
			if (frac == k->decimals) {
				*why = k->precision;
				return -EINVAL;
			}
			if (v > (UINT64_MAX - 9) / 10)
				goto range;
			v = v * 10 + (uint64_t)(*p - '0');
		}
	}
	for (; frac < k->decimals; frac++) {
		if (v > UINT64_MAX / 10)
			goto range;
		v *= 10;
	}
	*out = v;
	*rest = p;
	return 0;
range:
	*why = k->range;
	return -ERANGE;
}

struct unit {
	const char *name;
	uint64_t bits;                  /* bits per second of one unit */
};

#define KI 1024ull
static const struct unit rate_units[] = {
	{ "bit", 1 },
	{ "kbit", 1000ull },
	{ "mbit", 1000000ull },
	{ "gbit", 1000000000ull },
	{ "tbit", 1000000000000ull },
	{ "kibit", KI },
	{ "mibit", KI * KI },
	{ "gibit", KI * KI * KI },
	{ "tibit", KI * KI * KI * KI },
	{ "bps", 8 },
	{ "kbps", 8000ull },
	{ "mbps", 8000000ull },
	{ "gbps", 8000000000ull },
	{ "tbps", 8000000000000ull },
	{ "kibps", 8 * KI },
	{ "mibps", 8 * KI * KI },
	{ "gibps", 8 * KI * KI * KI },
	{ "tibps", 8 * KI * KI * KI * KI },
};
#undef KI

int nsrun_shape_parse_rate(const char *s, uint64_t *bytes_per_s, const char **why)
{
	const char *unit;
	uint64_t milli, bits;
	int r;

	r = parse_fixed(s, &rate_kind, &milli, &unit, why);
	if (r < 0)
		return r;
	if (!*unit) {
		*why = "no unit (write 10mbit, 500kbit, 1gbit; bps for bytes per second)";
		return -EINVAL;
	}
	for (size_t i = 0; i < sizeof(rate_units) / sizeof(rate_units[0]); i++) {
		if (strcasecmp(unit, rate_units[i].name))
			continue;
		*why = RATE_RANGE;
		if (milli > UINT64_MAX / rate_units[i].bits)
			return -ERANGE;
		bits = milli * rate_units[i].bits / 1000;
		if (bits / 8 < NSRUN_SHAPE_RATE_MIN || bits / 8 > NSRUN_SHAPE_RATE_MAX)
			return -ERANGE;
		*bytes_per_s = bits / 8;
		return 0;
	}
	*why = "unknown unit (bit, kbit, mbit, gbit, tbit, kibit..tibit; bps, kbps..tbps, kibps..tibps)";
	return -EINVAL;
}

int nsrun_shape_parse_time(const char *s, uint64_t *ns, const char **why)
{
	const char *unit;
	uint64_t milli, scale;
	int r;

	r = parse_fixed(s, &time_kind, &milli, &unit, why);
	if (r < 0)
		return r;
	if (!*unit || !strcmp(unit, "ms"))
		scale = 1000;           /* a thousandth of a ms is a microsecond */
	else if (!strcmp(unit, "us"))
		scale = 1;
	else if (!strcmp(unit, "s"))
		scale = 1000000;
	else
		return -EINVAL;
	*why = TIME_RANGE;
	if (milli > NSRUN_SHAPE_TIME_MAX / scale || milli * scale > NSRUN_SHAPE_TIME_MAX)
		return -ERANGE;
	*ns = milli * scale;
	return 0;
}

int nsrun_shape_parse_loss(const char *s, uint32_t *loss, const char **why)
{
	const char *rest;
	uint64_t v;
	int r;

	r = parse_fixed(s, &loss_kind, &v, &rest, why);
	if (r < 0)
		return r;
	if (v > NSRUN_SHAPE_LOSS_ALL) {
		*why = loss_kind.range;
		return -ERANGE;
	}
	if (*rest && strcmp(rest, "%"))
		return -EINVAL;
	*loss = (uint32_t)v;
	return 0;
}

bool nsrun_shape_any(const struct nsrun_shape *s)
{
	return s->rate || s->delay_ns || s->jitter_ns || s->loss;
}

bool nsrun_shape_needs_netem(const struct nsrun_shape *s)
{
	return s->delay_ns || s->jitter_ns;
}

uint32_t nsrun_shape_netem_prob(uint32_t loss)
{
	/* Rounded to nearest; 100% is ~0, as tc writes it. */
	return (uint32_t)(((uint64_t)loss * UINT32_MAX + NSRUN_SHAPE_LOSS_ALL / 2) /
			  NSRUN_SHAPE_LOSS_ALL);
}

uint64_t nsrun_shape_bpf_threshold(uint32_t loss)
{
	return (((uint64_t)loss << 32) + NSRUN_SHAPE_LOSS_ALL / 2) / NSRUN_SHAPE_LOSS_ALL;
}

void nsrun_shape_tbf_params(uint64_t rate, unsigned int mtu, uint32_t *burst, uint32_t *limit)
{
	uint64_t frame = (uint64_t)mtu + ETH_HLEN;
	uint64_t b = rate * NSRUN_SHAPE_TBF_BURST_NS / 1000000000ull;
	uint64_t q = rate * NSRUN_SHAPE_TBF_LATENCY_NS / 1000000000ull;

	if (b < 2 * frame)
		b = 2 * frame;
	if (q < NSRUN_SHAPE_TBF_QUEUE_MIN)
		q = NSRUN_SHAPE_TBF_QUEUE_MIN;
	*burst = b > UINT32_MAX ? UINT32_MAX : (uint32_t)b;
	*limit = b + q > UINT32_MAX ? UINT32_MAX : (uint32_t)(b + q);
}

/* ---- request builders ------------------------------------------------------ */

static struct nlmsghdr *put_tc_header(void *buf, size_t room, uint32_t seq, uint16_t type,
				      int ifindex, uint32_t parent, uint32_t handle, uint32_t info)
{
	struct nlmsghdr *nlh;
	struct tcmsg *tcm;

	tcm = nsrun_nl_put_request(buf, room, seq, type, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL,
				   sizeof(*tcm), &nlh);
	if (!tcm)
		return NULL;
	tcm->tcm_family = AF_UNSPEC;
	tcm->tcm_ifindex = ifindex;
	tcm->tcm_parent = parent;
	tcm->tcm_handle = handle;
	tcm->tcm_info = info;
	return nlh;
}

static struct nlmsghdr *put_qdisc(void *buf, size_t room, uint32_t seq, int ifindex,
				  uint32_t parent, uint32_t handle, const char *kind)
{
	struct nlmsghdr *nlh = put_tc_header(buf, room, seq, RTM_NEWQDISC, ifindex, parent,
					     handle, 0);

	if (!nlh || !mnl_attr_put_strz_check(nlh, room, TCA_KIND, kind))
		return NULL;
	return nlh;
}

/* The qdiscs' old time fields count 64 ns "ticks" (PSCHED_SHIFT). */
static uint32_t ns_to_ticks(uint64_t ns)
{
	return ns >> 6 > UINT32_MAX ? UINT32_MAX : (uint32_t)(ns >> 6);
}

struct nlmsghdr *nsrun_shape_build_netem(void *buf, size_t room, uint32_t seq, int ifindex,
					 const struct nsrun_shape *s, bool with_loss)
{
	struct nlmsghdr *nlh = put_qdisc(buf, room, seq, ifindex, TC_H_ROOT,
					 NSRUN_SHAPE_NETEM_HANDLE, "netem");
	struct tc_netem_qopt *qopt;
	struct nlattr *opts;

	if (!nlh)
		return NULL;
	/* netem's options are a struct followed by attributes, not a nest of
	 * attributes only. */
	opts = mnl_attr_nest_start_check(nlh, room, TCA_OPTIONS);
	if (!opts || nlh->nlmsg_len + MNL_ALIGN(sizeof(*qopt)) > room)
		return NULL;
	qopt = mnl_nlmsg_put_extra_header(nlh, sizeof(*qopt));
	qopt->latency = ns_to_ticks(s->delay_ns);
	qopt->jitter = ns_to_ticks(s->jitter_ns);
	qopt->limit = NSRUN_SHAPE_NETEM_LIMIT;
	qopt->loss = with_loss ? nsrun_shape_netem_prob(s->loss) : 0;
	/* The 64-bit nanosecond values win over the ticks where known. */
	if (!mnl_attr_put_u64_check(nlh, room, TCA_NETEM_LATENCY64, s->delay_ns) ||
	    !mnl_attr_put_u64_check(nlh, room, TCA_NETEM_JITTER64, s->jitter_ns))
		return NULL;
	mnl_attr_nest_end(nlh, opts);
	return nlh;
}

struct nlmsghdr *nsrun_shape_build_tbf(void *buf, size_t room, uint32_t seq, int ifindex,
				       uint32_t parent, uint64_t rate, uint32_t burst,
				       uint32_t limit)
{
	struct nlmsghdr *nlh = put_qdisc(buf, room, seq, ifindex, parent, NSRUN_SHAPE_TBF_HANDLE,
					 "tbf");
	struct tc_tbf_qopt qopt;
	struct nlattr *opts;

	if (!nlh || !rate)
		return NULL;
	memset(&qopt, 0, sizeof(qopt));
	qopt.rate.rate = rate > UINT32_MAX ? UINT32_MAX : (uint32_t)rate;
	/* Ethernet framing: the kernel computes transmit times itself and
	 * needs no rate table (which only "unaware" link layers send). */
	qopt.rate.linklayer = TC_LINKLAYER_ETHERNET;
	qopt.limit = limit;
	qopt.buffer = ns_to_ticks((uint64_t)burst * 1000000000ull / rate);
	opts = mnl_attr_nest_start_check(nlh, room, TCA_OPTIONS);
	if (!opts || !mnl_attr_put_check(nlh, room, TCA_TBF_PARMS, sizeof(qopt), &qopt) ||
	    !mnl_attr_put_u32_check(nlh, room, TCA_TBF_BURST, burst) ||
	    (rate > UINT32_MAX && !mnl_attr_put_u64_check(nlh, room, TCA_TBF_RATE64, rate)))
		return NULL;
	mnl_attr_nest_end(nlh, opts);
	return nlh;
}

struct nlmsghdr *nsrun_shape_build_clsact(void *buf, size_t room, uint32_t seq, int ifindex)
{
	return put_qdisc(buf, room, seq, ifindex, TC_H_CLSACT, TC_H_MAKE(TC_H_CLSACT, 0),
			 "clsact");
}

struct nlmsghdr *nsrun_shape_build_bpf_filter(void *buf, size_t room, uint32_t seq, int ifindex,
					      int prog_fd, const char *name)
{
	/* Priority 1, every protocol; the handle is the kernel's to pick. */
	uint32_t info = TC_H_MAKE(1u << 16, htons(ETH_P_ALL));
	struct nlmsghdr *nlh = put_tc_header(buf, room, seq, RTM_NEWTFILTER, ifindex,
					     TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_EGRESS), 0, info);
	struct nlattr *opts;

	if (!nlh || prog_fd < 0 || !mnl_attr_put_strz_check(nlh, room, TCA_KIND, "bpf"))
		return NULL;
	opts = mnl_attr_nest_start_check(nlh, room, TCA_OPTIONS);
	if (!opts || !mnl_attr_put_u32_check(nlh, room, TCA_BPF_FD, (uint32_t)prog_fd) ||
	    !mnl_attr_put_strz_check(nlh, room, TCA_BPF_NAME, name) ||
	    !mnl_attr_put_u32_check(nlh, room, TCA_BPF_FLAGS, TCA_BPF_FLAG_ACT_DIRECT))
		return NULL;
	mnl_attr_nest_end(nlh, opts);
	return nlh;
}

struct nlmsghdr *nsrun_shape_build_netem_probe(void *buf, size_t room, uint32_t seq, int ifindex)
{
	return put_qdisc(buf, room, seq, ifindex, TC_H_ROOT, 0, "netem");
}

/* ---- the kernel -------------------------------------------------------------- */

/* Appends the request `build` writes at the batch's tail (tail, room). */
#define PUSH(b, build, what)                                                     \
	do {                                                                     \
		size_t room;                                                     \
		void *tail = nsrun_nl_batch_tail(b, &room);                      \
		int r_ = nsrun_nl_batch_push(b, (build), (what));                \
		if (r_ < 0)                                                      \
			return nsrun_err_sys(err, -r_, "build %s", what);        \
	} while (0)

/*
 * Asks a throw-away network namespace's lo whether netem exists: the probe
 * request can never create anything, and no interface of the caller's
 * namespace is ever addressed.
 */
static int ask_netem(struct nsrun_nl *nl, struct nsrun_err *err)
{
	char buf[256] __attribute__((aligned(NLMSG_ALIGNTO)));
	struct nsrun_nl_batch b;

	nsrun_nl_batch_init(&b, nl, buf, sizeof(buf));
	/* lo: ifindex 1 in every namespace. */
	PUSH(&b, nsrun_shape_build_netem_probe(tail, room, nsrun_nl_batch_seq(&b), 1),
	     "netem probe");
	return nsrun_nl_batch_run(nl, &b, NULL, NULL, err);
}

static int probe_netem(bool *have, struct nsrun_err *err)
{
	struct nsrun_nl nl;
	int self, r;

	self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0)
		return nsrun_err_sys(err, errno, "probe for netem: /proc/self/ns/net");
	if (unshare(CLONE_NEWNET) < 0) {
		r = nsrun_err_sys(err, errno, "probe for netem: unshare network namespace");
		close(self);
		return r;
	}
	r = nsrun_nl_open(&nl, err);
	if (r == 0) {
		r = ask_netem(&nl, err);
		nsrun_nl_close(&nl);
	}
	/* Back home; the probe's namespace dies with its last socket. */
	if (setns(self, CLONE_NEWNET) < 0) {
		r = nsrun_err_sys(err, errno, "probe for netem: return to the network namespace");
		close(self);
		return r;
	}
	close(self);
	if (r == -EINVAL || r == -ENOENT) {
		*have = r == -EINVAL;
		nsrun_err_clear(err);
		return 0;
	}
	if (r == 0)
		return nsrun_err_set(err, EPROTO,
				     "probe for netem: the kernel took a netem qdisc without options");
	return nsrun_err_ctx(err, "probe for netem");
}

static int use_loss_program(struct nsrun_shaper *sh, struct nsrun_err *err)
{
	int fd;

	sh->netem = sh->netem_unknown = false;
	if (!sh->want.loss)
		return 0;
	fd = nsrun_bpf_load_loss(nsrun_shape_bpf_threshold(sh->want.loss), err);
	if (fd < 0)
		return nsrun_err_ctx(err, "--loss");
	sh->prog_fd = fd;
	nsrun_log_verbose("link shaping: the kernel has no netem; --loss by a tc-bpf program");
	return 0;
}

int nsrun_shape_prepare(struct nsrun_shaper *sh, const struct nsrun_shape *want,
			struct nsrun_err *err)
{
	int r;

	memset(sh, 0, sizeof(*sh));
	sh->want = *want;
	sh->prog_fd = -1;
	if (!want->delay_ns && !want->jitter_ns && !want->loss)
		return 0; /* tbf alone: no choice to make */
	if (!nsrun_shape_needs_netem(want)) {
		/* A whole network namespace to ask is dearer than asking the
		 * first link: netem if it takes it, else the loss program. */
		sh->netem = sh->netem_unknown = true;
		return 0;
	}
	r = probe_netem(&sh->netem, err);
	if (r < 0)
		return r;
	if (!sh->netem)
		return nsrun_err_set(err, EOPNOTSUPP,
				     "--delay: this kernel has no netem qdisc (CONFIG_NET_SCH_NETEM); --rate and --loss work without it");
	nsrun_log_verbose("link shaping: the kernel has netem");
	return 0;
}

static int apply_once(struct nsrun_nl *nl, int ifindex, unsigned int mtu,
		      const struct nsrun_shaper *sh, struct nsrun_err *err)
{
	char buf[1024] __attribute__((aligned(NLMSG_ALIGNTO)));
	const struct nsrun_shape *s = &sh->want;
	bool netem = sh->netem;
	struct nsrun_nl_batch b;

	nsrun_nl_batch_init(&b, nl, buf, sizeof(buf));
	if (netem)
		PUSH(&b, nsrun_shape_build_netem(tail, room, nsrun_nl_batch_seq(&b), ifindex, s, true),
		     "add netem qdisc");
	if (s->rate) {
		uint32_t burst, limit;

		nsrun_shape_tbf_params(s->rate, mtu, &burst, &limit);
		PUSH(&b,
		     nsrun_shape_build_tbf(tail, room, nsrun_nl_batch_seq(&b), ifindex,
					   netem ? TC_H_MAKE(NSRUN_SHAPE_NETEM_HANDLE, 1) : TC_H_ROOT,
					   s->rate, burst, limit),
		     "add tbf qdisc");
	}
	if (sh->prog_fd >= 0) {
		PUSH(&b, nsrun_shape_build_clsact(tail, room, nsrun_nl_batch_seq(&b), ifindex),
		     "add clsact qdisc");
		PUSH(&b,
		     nsrun_shape_build_bpf_filter(tail, room, nsrun_nl_batch_seq(&b), ifindex,
						  sh->prog_fd, "nsrun_loss"),
		     "add loss filter");
	}
	return nsrun_nl_batch_run(nl, &b, NULL, NULL, err);
}

int nsrun_shape_apply(struct nsrun_nl *nl, int ifindex, unsigned int mtu,
		      struct nsrun_shaper *sh, struct nsrun_err *err)
{
	bool unknown = sh->netem_unknown;
	int r;

	if (!nsrun_shape_any(&sh->want))
		return 0;
	r = apply_once(nl, ifindex, mtu, sh, err);
	/* ENOENT: "Specified qdisc kind is unknown"; the failed batch created
	 * nothing (tbf hangs off netem). */
	if (unknown && r == -ENOENT) {
		r = use_loss_program(sh, err);
		if (r == 0)
			r = apply_once(nl, ifindex, mtu, sh, err);
	} else if (unknown && r == 0) {
		sh->netem_unknown = false;
		nsrun_log_verbose("link shaping: the kernel has netem");
	}
	return r;
}

void nsrun_shape_release(struct nsrun_shaper *sh)
{
	if (sh->prog_fd >= 0)
		close(sh->prog_fd);
	sh->prog_fd = -1;
}
