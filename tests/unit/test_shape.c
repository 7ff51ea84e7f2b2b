/* SPDX-License-Identifier: MIT */
/* Link shaping: the option parsers, tbf's parameters, every request builder
 * walked back attribute by attribute, and the loss program run on a tiny
 * interpreter of the instructions it uses. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/pkt_cls.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "nsrun/bpf.h"
#include "nsrun/cli.h"
#include "cli_args.h"
#include "nsrun/shape.h"

#define BUFSZ 1024

/* ---- parsers ------------------------------------------------------------ */

static const struct {
	const char *in;
	uint64_t bytes;
} rate_ok[] = {
	{ "10mbit", 1250000 },       { "10Mbit", 1250000 },         { "1gbit", 125000000 },
	{ "500kbit", 62500 },        { "125kbps", 125000 },         { "1.5mbit", 187500 },
	{ "1kbit", 125 },            { "1kibit", 128 },             { "1mibit", 131072 },
	{ "1MBPS", 1000000 },        { "2kibps", 2048 },            { "100gbit", 12500000000ull },
	{ "0.001gbit", 125000 },     { "1000bit", 125 },            { "1bps", 0 /* range */ },
};

static void rate_parses(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(rate_ok) / sizeof(rate_ok[0]); i++) {
		const char *why = NULL;
		uint64_t v = 0;
		int r = nsrun_shape_parse_rate(rate_ok[i].in, &v, &why);

		if (!rate_ok[i].bytes) {
			assert_int_equal(r, -ERANGE);
			continue;
		}
		assert_int_equal(r, 0);
		assert_int_equal(v, rate_ok[i].bytes);
	}
}

static const struct {
	const char *in;
	int r;
	const char *why;
} rate_bad[] = {
	{ "", -EINVAL, "not a rate" },           { "abc", -EINVAL, "not a rate" },
	{ "10", -EINVAL, "no unit" },            { "10 mbit", -EINVAL, "unknown unit" },
	{ "-1mbit", -EINVAL, "not a rate" },     { "+1mbit", -EINVAL, "not a rate" },
	{ ".5mbit", -EINVAL, "not a rate" },     { "1.mbit", -EINVAL, "not a rate" },
	{ "1.2345mbit", -EINVAL, "more than 3" }, { "0mbit", -ERANGE, "out of range" },
	{ "999bit", -ERANGE, "out of range" },   { "101gbit", -ERANGE, "out of range" },
	{ "1tbit", -ERANGE, "out of range" },    { "10mbits", -EINVAL, "unknown unit" },
	{ "1e6bit", -EINVAL, "unknown unit" },   { "10mbit ", -EINVAL, "unknown unit" },
	{ "99999999999999999999999mbit", -ERANGE, "out of range" },
	{ "10%", -EINVAL, "unknown unit" },
};

static void rate_refuses(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(rate_bad) / sizeof(rate_bad[0]); i++) {
		const char *why = NULL;
		uint64_t v = 7;

		assert_int_equal(nsrun_shape_parse_rate(rate_bad[i].in, &v, &why), rate_bad[i].r);
		assert_non_null(why);
		assert_non_null(strstr(why, rate_bad[i].why));
		assert_int_equal(v, 7);
	}
}

static void time_parses(void **state)
{
	static const struct {
		const char *in;
		int r;
		uint64_t ns;
	} cases[] = {
		{ "50", 0, 50000000 },        { "0.5", 0, 500000 },      { "20ms", 0, 20000000 },
		{ "250us", 0, 250000 },       { "1s", 0, 1000000000 },   { "0", 0, 0 },
		{ "60000", 0, 60000000000 },  { "60s", 0, 60000000000 }, { "0.001", 0, 1000 },
		{ "60001", -ERANGE, 0 },      { "61s", -ERANGE, 0 },     { "1.0001", -EINVAL, 0 },
		{ "5m", -EINVAL, 0 },         { "-5", -EINVAL, 0 },      { "", -EINVAL, 0 },
		{ "5 ms", -EINVAL, 0 },       { "5MS", -EINVAL, 0 },     { "0x10", -EINVAL, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *why = NULL;
		uint64_t v = 0;

		assert_int_equal(nsrun_shape_parse_time(cases[i].in, &v, &why), cases[i].r);
		if (cases[i].r == 0)
			assert_int_equal(v, cases[i].ns);
		else
			assert_non_null(why);
	}
}

static void loss_parses(void **state)
{
	static const struct {
		const char *in;
		int r;
		uint32_t loss;
	} cases[] = {
		{ "30", 0, 30000000 },       { "0.5%", 0, 500000 },   { "100", 0, 100000000 },
		{ "0", 0, 0 },               { "0.000001", 0, 1 },    { "100%", 0, 100000000 },
		{ "100.000001", -ERANGE, 0 }, { "101", -ERANGE, 0 },   { "30%%", -EINVAL, 0 },
		{ "abc", -EINVAL, 0 },       { "1.1234567", -EINVAL, 0 }, { "-1", -EINVAL, 0 },
		{ "", -EINVAL, 0 },          { "30 %", -EINVAL, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *why = NULL;
		uint32_t v = 0;

		assert_int_equal(nsrun_shape_parse_loss(cases[i].in, &v, &why), cases[i].r);
		if (cases[i].r == 0)
			assert_int_equal(v, cases[i].loss);
		else
			assert_non_null(why);
	}
}

static void probabilities(void **state)
{
	(void)state;
	assert_int_equal(nsrun_shape_netem_prob(0), 0);
	assert_int_equal(nsrun_shape_netem_prob(NSRUN_SHAPE_LOSS_ALL), UINT32_MAX);
	assert_int_equal(nsrun_shape_netem_prob(NSRUN_SHAPE_LOSS_ALL / 2), 0x80000000u);
	assert_int_equal(nsrun_shape_bpf_threshold(0), 0);
	assert_int_equal(nsrun_shape_bpf_threshold(NSRUN_SHAPE_LOSS_ALL), 1ull << 32);
	/* 30%: round(0.3 * 2^32) */
	assert_int_equal(nsrun_shape_bpf_threshold(30000000), 1288490189ull);
}

static void tbf_params(void **state)
{
	uint32_t burst, limit;

	(void)state;
	/* 10mbit: 5 ms = 6250 bytes; queue 50 ms = 62500 bytes, raised to 64 KiB. */
	nsrun_shape_tbf_params(1250000, 1500, &burst, &limit);
	assert_int_equal(burst, 6250);
	assert_int_equal(limit, 6250 + 65536);
	/* 1kbit: two frames of bucket. */
	nsrun_shape_tbf_params(125, 1500, &burst, &limit);
	assert_int_equal(burst, 2 * 1514);
	assert_int_equal(limit, 2 * 1514 + 65536);
	/* Jumbo frames raise the floor; 100mbit queues its 50 ms. */
	nsrun_shape_tbf_params(1250000, 9000, &burst, &limit);
	assert_int_equal(burst, 2 * 9014);
	nsrun_shape_tbf_params(12500000, 1500, &burst, &limit);
	assert_int_equal(burst, 62500);
	assert_int_equal(limit, 62500 + 625000);
	/* 100gbit still fits 32 bits. */
	nsrun_shape_tbf_params(NSRUN_SHAPE_RATE_MAX, 1500, &burst, &limit);
	assert_int_equal(burst, 62500000);
	assert_int_equal(limit, 62500000 + 625000000);
}

/* ---- builders, walked back -------------------------------------------------- */

struct walked {
	const struct nlmsghdr *nlh;
	const struct tcmsg *tcm;
	const struct nlattr *tb[TCA_MAX + 1];
	const struct nlattr *opt[32];
};

static int table_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	uint16_t type = mnl_attr_get_type(attr);

	assert_true(type < 32);
	assert_null(tb[type]); /* every attribute once */
	tb[type] = attr;
	return MNL_CB_OK;
}

static void walk(const void *buf, uint16_t type, struct walked *w)
{
	memset(w, 0, sizeof(*w));
	w->nlh = buf;
	assert_int_equal(w->nlh->nlmsg_type, type);
	assert_int_equal(w->nlh->nlmsg_flags,
			 NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL);
	assert_int_equal(w->nlh->nlmsg_seq, 42);
	w->tcm = mnl_nlmsg_get_payload(w->nlh);
	assert_int_equal(w->tcm->tcm_family, AF_UNSPEC);
	assert_int_equal(mnl_attr_parse(w->nlh, sizeof(*w->tcm), table_cb, w->tb), MNL_CB_OK);
	assert_non_null(w->tb[TCA_KIND]);
}

static void walk_options(struct walked *w)
{
	assert_non_null(w->tb[TCA_OPTIONS]);
	assert_int_equal(mnl_attr_parse_nested(w->tb[TCA_OPTIONS], table_cb, w->opt), MNL_CB_OK);
}

/* Every shorter buffer is refused, and nothing is written past it. */
static void refuses_short_buffers(struct nlmsghdr *(*build)(void *, size_t))
{
	char full[BUFSZ] __attribute__((aligned(4)));
	char buf[BUFSZ + 64] __attribute__((aligned(4)));
	const struct nlmsghdr *nlh;
	size_t need;

	/* Same filler in both: libmnl leaves attribute padding as it was. */
	memset(full, 0xa5, sizeof(full));
	nlh = build(full, BUFSZ);

	assert_non_null(nlh);
	need = nlh->nlmsg_len;
	for (size_t room = 0; room < need; room++) {
		memset(buf, 0xa5, sizeof(buf));
		assert_null(build(buf, room));
		for (size_t i = room; i < sizeof(buf); i++)
			assert_int_equal((unsigned char)buf[i], 0xa5);
	}
	assert_non_null(build(buf, need));
	assert_memory_equal(buf, full, need);
}

static const struct nsrun_shape delayed = {
	.delay_ns = 50000000, .jitter_ns = 5000000, .loss = 30000000,
};

static struct nlmsghdr *netem_of(void *buf, size_t room)
{
	return nsrun_shape_build_netem(buf, room, 42, 7, &delayed, true);
}

static void netem_request(void **state)
{
	char buf[BUFSZ] __attribute__((aligned(4)));
	const struct tc_netem_qopt *qopt;
	struct walked w;
	size_t optlen;

	(void)state;
	assert_non_null(netem_of(buf, sizeof(buf)));
	walk(buf, RTM_NEWQDISC, &w);
	assert_int_equal(w.tcm->tcm_ifindex, 7);
	assert_int_equal(w.tcm->tcm_parent, TC_H_ROOT);
	assert_int_equal(w.tcm->tcm_handle, NSRUN_SHAPE_NETEM_HANDLE);
	assert_string_equal(mnl_attr_get_str(w.tb[TCA_KIND]), "netem");
	/* netem: the struct first, then attributes (not a plain nest). */
	assert_non_null(w.tb[TCA_OPTIONS]);
	optlen = mnl_attr_get_payload_len(w.tb[TCA_OPTIONS]);
	assert_true(optlen >= MNL_ALIGN(sizeof(*qopt)));
	qopt = mnl_attr_get_payload(w.tb[TCA_OPTIONS]);
	assert_int_equal(qopt->latency, 50000000 >> 6);
	assert_int_equal(qopt->jitter, 5000000 >> 6);
	assert_int_equal(qopt->limit, NSRUN_SHAPE_NETEM_LIMIT);
	assert_int_equal(qopt->loss, nsrun_shape_netem_prob(30000000));
	assert_int_equal(qopt->gap, 0);
	assert_int_equal(qopt->duplicate, 0);
	assert_int_equal(mnl_attr_parse_payload((const char *)qopt + MNL_ALIGN(sizeof(*qopt)),
						optlen - MNL_ALIGN(sizeof(*qopt)), table_cb, w.opt),
			 MNL_CB_OK);
	assert_non_null(w.opt[TCA_NETEM_LATENCY64]);
	assert_int_equal(mnl_attr_get_u64(w.opt[TCA_NETEM_LATENCY64]), 50000000);
	assert_non_null(w.opt[TCA_NETEM_JITTER64]);
	assert_int_equal(mnl_attr_get_u64(w.opt[TCA_NETEM_JITTER64]), 5000000);
	assert_null(w.opt[TCA_NETEM_LOSS]);

	/* Without loss (the bpf dropper does it), netem's loss stays 0. */
	assert_non_null(nsrun_shape_build_netem(buf, sizeof(buf), 42, 7, &delayed, false));
	walk(buf, RTM_NEWQDISC, &w);
	qopt = mnl_attr_get_payload(w.tb[TCA_OPTIONS]);
	assert_int_equal(qopt->loss, 0);
	assert_int_equal(qopt->latency, 50000000 >> 6);

	refuses_short_buffers(netem_of);
}

static struct nlmsghdr *tbf_of(void *buf, size_t room)
{
	return nsrun_shape_build_tbf(buf, room, 42, 9, TC_H_ROOT, 1250000, 6250, 68750);
}

static void tbf_request(void **state)
{
	char buf[BUFSZ] __attribute__((aligned(4)));
	const struct tc_tbf_qopt *qopt;
	struct walked w;

	(void)state;
	assert_non_null(tbf_of(buf, sizeof(buf)));
	walk(buf, RTM_NEWQDISC, &w);
	assert_int_equal(w.tcm->tcm_ifindex, 9);
	assert_int_equal(w.tcm->tcm_parent, TC_H_ROOT);
	assert_int_equal(w.tcm->tcm_handle, NSRUN_SHAPE_TBF_HANDLE);
	assert_string_equal(mnl_attr_get_str(w.tb[TCA_KIND]), "tbf");
	walk_options(&w);
	assert_non_null(w.opt[TCA_TBF_PARMS]);
	assert_int_equal(mnl_attr_get_payload_len(w.opt[TCA_TBF_PARMS]), sizeof(*qopt));
	qopt = mnl_attr_get_payload(w.opt[TCA_TBF_PARMS]);
	assert_int_equal(qopt->rate.rate, 1250000);
	assert_int_equal(qopt->rate.linklayer, TC_LINKLAYER_ETHERNET);
	assert_int_equal(qopt->peakrate.rate, 0);
	assert_int_equal(qopt->limit, 68750);
	/* 6250 bytes at 1250000 B/s = 5 ms = 78125 ticks of 64 ns */
	assert_int_equal(qopt->buffer, 78125);
	assert_non_null(w.opt[TCA_TBF_BURST]);
	assert_int_equal(mnl_attr_get_u32(w.opt[TCA_TBF_BURST]), 6250);
	assert_null(w.opt[TCA_TBF_RATE64]);
	assert_null(w.opt[TCA_TBF_RTAB]);

	/* Under netem, and above 32 bits of bytes per second. */
	assert_non_null(nsrun_shape_build_tbf(buf, sizeof(buf), 42, 9,
					      TC_H_MAKE(NSRUN_SHAPE_NETEM_HANDLE, 1),
					      NSRUN_SHAPE_RATE_MAX, 62500000, 687500000));
	walk(buf, RTM_NEWQDISC, &w);
	assert_int_equal(w.tcm->tcm_parent, 0x00010001);
	walk_options(&w);
	qopt = mnl_attr_get_payload(w.opt[TCA_TBF_PARMS]);
	assert_int_equal(qopt->rate.rate, UINT32_MAX);
	assert_non_null(w.opt[TCA_TBF_RATE64]);
	assert_int_equal(mnl_attr_get_u64(w.opt[TCA_TBF_RATE64]), NSRUN_SHAPE_RATE_MAX);

	/* No rate, no request. */
	assert_null(nsrun_shape_build_tbf(buf, sizeof(buf), 42, 9, TC_H_ROOT, 0, 1, 1));
	refuses_short_buffers(tbf_of);
}

static struct nlmsghdr *filter_of(void *buf, size_t room)
{
	return nsrun_shape_build_bpf_filter(buf, room, 42, 5, 33, "nsrun_loss");
}

static void clsact_and_filter_requests(void **state)
{
	char buf[BUFSZ] __attribute__((aligned(4)));
	struct walked w;

	(void)state;
	assert_non_null(nsrun_shape_build_clsact(buf, sizeof(buf), 42, 5));
	walk(buf, RTM_NEWQDISC, &w);
	assert_int_equal(w.tcm->tcm_ifindex, 5);
	assert_int_equal(w.tcm->tcm_parent, TC_H_CLSACT);
	assert_int_equal(w.tcm->tcm_handle, 0xffff0000u);
	assert_string_equal(mnl_attr_get_str(w.tb[TCA_KIND]), "clsact");
	assert_null(w.tb[TCA_OPTIONS]);

	assert_non_null(filter_of(buf, sizeof(buf)));
	walk(buf, RTM_NEWTFILTER, &w);
	assert_int_equal(w.tcm->tcm_ifindex, 5);
	assert_int_equal(w.tcm->tcm_parent, 0xfffffff3u); /* clsact egress */
	assert_int_equal(w.tcm->tcm_handle, 0);
	assert_int_equal(TC_H_MAJ(w.tcm->tcm_info) >> 16, 1); /* priority */
	assert_int_equal(TC_H_MIN(w.tcm->tcm_info), htons(ETH_P_ALL));
	assert_string_equal(mnl_attr_get_str(w.tb[TCA_KIND]), "bpf");
	walk_options(&w);
	assert_non_null(w.opt[TCA_BPF_FD]);
	assert_int_equal(mnl_attr_get_u32(w.opt[TCA_BPF_FD]), 33);
	assert_non_null(w.opt[TCA_BPF_NAME]);
	assert_string_equal(mnl_attr_get_str(w.opt[TCA_BPF_NAME]), "nsrun_loss");
	assert_non_null(w.opt[TCA_BPF_FLAGS]);
	assert_int_equal(mnl_attr_get_u32(w.opt[TCA_BPF_FLAGS]), TCA_BPF_FLAG_ACT_DIRECT);
	/* No program, no filter. */
	assert_null(nsrun_shape_build_bpf_filter(buf, sizeof(buf), 42, 5, -1, "x"));
	refuses_short_buffers(filter_of);
}

static void netem_probe_request(void **state)
{
	char buf[BUFSZ] __attribute__((aligned(4)));
	struct walked w;

	(void)state;
	assert_non_null(nsrun_shape_build_netem_probe(buf, sizeof(buf), 42, 1));
	walk(buf, RTM_NEWQDISC, &w);
	assert_int_equal(w.tcm->tcm_ifindex, 1);
	assert_int_equal(w.tcm->tcm_parent, TC_H_ROOT);
	assert_int_equal(w.tcm->tcm_handle, 0);
	assert_string_equal(mnl_attr_get_str(w.tb[TCA_KIND]), "netem");
	/* No options: what makes netem refuse it, so nothing is created. */
	assert_null(w.tb[TCA_OPTIONS]);
}

/* ---- the loss program -------------------------------------------------------- */

/* Runs the instructions the dropper uses, with bpf_get_prandom_u32() = rnd. */
static int run_prog(const struct bpf_insn *p, unsigned int n, uint32_t rnd)
{
	uint64_t reg[11] = { 0 };

	for (unsigned int pc = 0; pc < n; pc++) {
		const struct bpf_insn *i = &p[pc];

		switch (i->code) {
		case BPF_JMP | BPF_CALL:
			assert_int_equal(i->imm, BPF_FUNC_get_prandom_u32);
			reg[0] = rnd;
			break;
		case BPF_LD | BPF_DW | BPF_IMM:
			assert_true(pc + 1 < n);
			assert_int_equal(p[pc + 1].code, 0);
			reg[i->dst_reg] = (uint32_t)i->imm | (uint64_t)(uint32_t)p[pc + 1].imm << 32;
			pc++;
			break;
		case BPF_JMP | BPF_JGE | BPF_X:
			if (reg[i->dst_reg] >= reg[i->src_reg])
				pc += (unsigned int)i->off;
			break;
		case BPF_ALU64 | BPF_MOV | BPF_K:
			reg[i->dst_reg] = (uint64_t)(int64_t)i->imm;
			break;
		case BPF_JMP | BPF_EXIT:
			return (int)reg[0];
		default:
			fail_msg("unexpected opcode 0x%02x at %u", i->code, pc);
		}
	}
	fail_msg("fell off the end");
	return -1;
}

static void loss_program(void **state)
{
	struct bpf_insn p[NSRUN_BPF_LOSS_INSNS];
	uint64_t t30 = nsrun_shape_bpf_threshold(30000000);

	(void)state;
	nsrun_bpf_loss_prog(t30, p);
	assert_int_equal(run_prog(p, NSRUN_BPF_LOSS_INSNS, 0), TC_ACT_SHOT);
	assert_int_equal(run_prog(p, NSRUN_BPF_LOSS_INSNS, (uint32_t)t30 - 1), TC_ACT_SHOT);
	assert_int_equal(run_prog(p, NSRUN_BPF_LOSS_INSNS, (uint32_t)t30), TC_ACT_OK);
	assert_int_equal(run_prog(p, NSRUN_BPF_LOSS_INSNS, UINT32_MAX), TC_ACT_OK);
	/* Thresholds with the top bit set must not sign-extend. */
	nsrun_bpf_loss_prog(nsrun_shape_bpf_threshold(90000000), p);
	assert_int_equal(run_prog(p, NSRUN_BPF_LOSS_INSNS, 0x80000000u), TC_ACT_SHOT);
	assert_int_equal(run_prog(p, NSRUN_BPF_LOSS_INSNS, UINT32_MAX), TC_ACT_OK);
	/* 100% drops every value, 0% none. */
	nsrun_bpf_loss_prog(nsrun_shape_bpf_threshold(NSRUN_SHAPE_LOSS_ALL), p);
	assert_int_equal(run_prog(p, NSRUN_BPF_LOSS_INSNS, UINT32_MAX), TC_ACT_SHOT);
	nsrun_bpf_loss_prog(0, p);
	assert_int_equal(run_prog(p, NSRUN_BPF_LOSS_INSNS, 0), TC_ACT_OK);
}

/* ---- the command line ------------------------------------------------------------ */

static void cli_options(void **state)
{
	struct nsrun_config cfg;
	struct nsrun_err err;

	(void)state;
	assert_int_equal(parse_args(&cfg, &err, "--rate", "10mbit", "--delay", "20", "--jitter", "2ms",
			       "--loss", "1.5", "true", NULL),
			 0);
	assert_int_equal(cfg.shape.rate, 1250000);
	assert_int_equal(cfg.shape.delay_ns, 20000000);
	assert_int_equal(cfg.shape.jitter_ns, 2000000);
	assert_int_equal(cfg.shape.loss, 1500000);
	assert_true(nsrun_shape_any(&cfg.shape));
	assert_true(nsrun_shape_needs_netem(&cfg.shape));

	assert_int_equal(parse_args(&cfg, &err, "--loss", "30", "--rate", "1gbit", "true", NULL), 0);
	assert_false(nsrun_shape_needs_netem(&cfg.shape));
	assert_int_equal(parse_args(&cfg, &err, "true", NULL), 0);
	assert_false(nsrun_shape_any(&cfg.shape));

	assert_int_equal(parse_args(&cfg, &err, "--rate", "abc", "true", NULL), -EINVAL);
	assert_string_equal(err.msg,
			    "--rate abc: not a rate (a number and a unit: 500kbit, 10mbit, 1gbit, 125kbps)");
	assert_int_equal(parse_args(&cfg, &err, "--delay", "1h", "true", NULL), -EINVAL);
	assert_string_equal(err.msg, "--delay 1h: not a time in milliseconds (e.g. 50, 0.5, or with "
				     "a unit: 250us, 20ms, 1s)");
	assert_int_equal(parse_args(&cfg, &err, "--loss", "120", "true", NULL), -EINVAL);
	assert_string_equal(err.msg, "--loss 120: out of range (0 to 100)");
	assert_int_equal(parse_args(&cfg, &err, "--jitter", "5", "true", NULL), -EINVAL);
	assert_string_equal(err.msg, "--jitter: needs a --delay to vary");
	assert_int_equal(parse_args(&cfg, &err, "--delay", "0", "--jitter", "5", "true", NULL), -EINVAL);
	assert_int_equal(parse_args(&cfg, &err, "--rate", NULL), -EINVAL);
	assert_string_equal(err.msg, "--rate: missing argument");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rate_parses),
		cmocka_unit_test(rate_refuses),
		cmocka_unit_test(time_parses),
		cmocka_unit_test(loss_parses),
		cmocka_unit_test(probabilities),
		cmocka_unit_test(tbf_params),
		cmocka_unit_test(netem_request),
		cmocka_unit_test(tbf_request),
		cmocka_unit_test(clsact_and_filter_requests),
		cmocka_unit_test(netem_probe_request),
		cmocka_unit_test(loss_program),
		cmocka_unit_test(cli_options),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
