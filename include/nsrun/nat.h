/* SPDX-License-Identifier: MIT */
#ifndef NSRUN_NAT_H
#define NSRUN_NAT_H

#include <net/if.h>
#include <stdbool.h>

#include "nsrun/addr.h"
#include "nsrun/err.h"
#include "nsrun/nl.h"

/*
 * Egress (--nat): nftables over netlink (libnftnl on libmnl) and the IPv4
 * forwarding switch.  nsrun owns the table "ip nsrun"; each bridge gets two
 * base chains of its own in it:
 *
 *   postrouting-<bridge>  nat, hook postrouting, priority srcnat (100):
 *       ip saddr <subnet> oifname != <bridge> counter masquerade
 *   forward-<bridge>      filter, hook forward, priority filter (0), accept:
 *       iifname <bridge> oifname != <bridge> ip saddr <subnet> counter accept
 *       oifname <bridge> ip daddr <subnet> ct state established,related
 *           counter accept
 *
 * Every rule carries a comment naming the bridge, the subnet and its role,
 * which is how a later launch recognises the set as present.
 *
 * Idempotence lives in the batch itself, not in a lock: one nftables
 * transaction adds the table and the bridge's chains (creating them if
 * missing), flushes those chains and adds the rules.  Whatever the
 * interleaving of concurrent launches, every committed batch leaves exactly
 * one rule set per bridge.  Removal deletes the bridge's chains, then the
 * table with NLM_F_NONREC, which the kernel refuses (EBUSY) while anything
 * else is left in it: the table goes with the last bridge, race-free.
 */

#define NSRUN_NAT_TABLE "nsrun"
#define NSRUN_NAT_NAME_MAX 32 /* "postrouting-" + a bridge name */
#define NSRUN_NAT_TAG_MAX 96

enum nsrun_nat_rule {
	NSRUN_NAT_MASQ,	    /* postrouting: masquerade */
	NSRUN_NAT_FWD_OUT,  /* forward: subnet -> out */
	NSRUN_NAT_FWD_BACK, /* forward: established/related back */
	NSRUN_NAT_NRULES,
};

/* The rule set of one bridge, derived from its name and address. */
struct nsrun_nat_spec {
	char bridge[IFNAMSIZ];
	struct nsrun_prefix subnet; /* network address / length */
	char post_chain[NSRUN_NAT_NAME_MAX];
	char fwd_chain[NSRUN_NAT_NAME_MAX];
	char tag[NSRUN_NAT_NRULES][NSRUN_NAT_TAG_MAX]; /* the rules' comments */
};

/* bridge_addr: the bridge's own address and prefix length (or its subnet). */
int nsrun_nat_spec_init(struct nsrun_nat_spec *s, const char *bridge,
			const struct nsrun_prefix *bridge_addr);

/*
 * Pure builders: append to b (nsrun_nl_batch_init'ed over a buffer of
 * NSRUN_NL_BUFSZ).  Return 0, -EMSGSIZE when the buffer is too small, or
 * -ENOMEM.  The batches are complete nftables transactions (batch begin ...
 * batch end).
 */
/* Table, both chains, flush, the three rules. */
int nsrun_nat_build_ensure(struct nsrun_nl_batch *b, const struct nsrun_nat_spec *s);
/* Flush and delete the chains that exist (post, fwd). */
int nsrun_nat_build_remove(struct nsrun_nl_batch *b, const struct nsrun_nat_spec *s, bool post,
			   bool fwd);
/* Delete the table, only if empty (NLM_F_NONREC). */
int nsrun_nat_build_table_remove(struct nsrun_nl_batch *b);
/* Dumps: the rules of table ip nsrun; the chains of family ip. */
int nsrun_nat_build_rule_dump(struct nsrun_nl_batch *b);
int nsrun_nat_build_chain_dump(struct nsrun_nl_batch *b);

/* What a rule dump showed of a bridge's set. */
struct nsrun_nat_found {
	unsigned int post_rules, fwd_rules; /* rules in the bridge's chains */
	unsigned int matching;		    /* in place, with the expected comment */
};

/*
 * Notes one rule message (a dump reply, or a NEWRULE request) in f.
 * Returns 0, or -EBADMSG when it cannot be parsed.
 */
int nsrun_nat_note_rule(struct nsrun_nat_found *f, const struct nsrun_nat_spec *s,
			const struct nlmsghdr *nlh);
/* Exactly the expected rules, in order, and nothing else in those chains. */
bool nsrun_nat_found_complete(const struct nsrun_nat_found *f);

/*
 * --nat: makes sure the bridge's rule set is in place (adding or replacing it
 * in one batch when it is not) and IPv4 forwarding is on.  Host namespace.
 */
int nsrun_nat_ensure(const char *bridge, const struct nsrun_prefix *bridge_addr,
		     struct nsrun_err *err);
/* --nat-off: removes the bridge's chains, and the table when it is empty. */
int nsrun_nat_off(const char *bridge, struct nsrun_err *err);

#endif
