/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the policy parser (policy.c): root writes the file,
 * but a capable nsrun reads it on behalf of any user, so it must never
 * crash, leak or accept garbage.  By hand (`make fuzz` builds it too):
 *
 *     clang -g -fsanitize=fuzzer,address,undefined -std=gnu11 -D_GNU_SOURCE \
 *         -Iinclude tests/fuzz/fuzz_policy.c <every src file but main.c> \
 *         $(pkg-config --libs libmnl libcap libseccomp) -o fuzz_policy
 *     ./fuzz_policy tests/fuzz/corpus/policy
 *
 * Besides not crashing: whatever it accepts holds only valid names, and
 * the matcher agrees with a straightforward reading of the rules.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nsrun/name.h"
#include "nsrun/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool yes(void *ctx, const char *name)
{
	(void)name;
	return ctx != NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nsrun_policy p;
	struct nsrun_err err;
	struct nsrun_policy_who all = { "fuzz", yes, yes, &all };
	struct nsrun_policy_who none = { "fuzz", yes, yes, NULL };

	if (nsrun_policy_parse((const char *)data, size, &p, &err) < 0) {
		/* A rejected file keeps nothing and says where. */
		if (p.rules || p.nrules || strncmp(err.msg, "line ", 5) != 0)
			abort();
		return 0;
	}
	for (size_t i = 0; i < p.nrules; i++) {
		const struct nsrun_policy_rule *r = &p.rules[i];

		if (nsrun_policy_name_invalid(r->name) || r->nbridges == 0 || r->line == 0)
			abort();
		for (size_t j = 0; j < r->nbridges; j++) {
			struct nsrun_policy_grant g;

			if (nsrun_ifname_invalid(r->bridges[j]))
				abort();
			/* Everyone matches: at least this rule's grants. */
			nsrun_policy_match(&p, r->bridges[j], &all, &g);
			if (!g.bridge || (g.options & r->options) != r->options ||
			    (r->create && !g.create))
				abort();
			/* Nobody matches: nothing. */
			nsrun_policy_match(&p, r->bridges[j], &none, &g);
			if (g.bridge || g.options || g.create)
				abort();
		}
	}
	nsrun_policy_free(&p);
	return 0;
}
