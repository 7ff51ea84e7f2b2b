/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: the address, CIDR, MAC and name parsers.  Properties:
 * whatever parses is canonical (formats back to the very same text), pool
 * arithmetic stays inside its prefix, valid names are printable.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nsrun/addr.h"
#include "nsrun/name.h"

static void check_addr(const char *s)
{
	char back[NSRUN_ADDR_STRLEN];
	struct nsrun_addr a;

	if (nsrun_addr_parse(s, &a) < 0)
		return;
	nsrun_addr_format(&a, back);
	if (strcmp(back, s))
		abort();
}

static void check_pool(const struct nsrun_prefix *p)
{
	struct nsrun_pool pool;
	struct nsrun_addr first;
	uint64_t size;

	if (nsrun_pool_init(&pool, p) < 0)
		abort();
	size = nsrun_pool_size(&pool);
	if (size > (1ull << (32 - p->len)))
		abort();
	if (pool.first <= pool.last) {
		first = nsrun_addr_v4(pool.first);
		if (!nsrun_prefix_contains(&pool.net, &first))
			abort();
		if (nsrun_pool_has(&pool, &pool.gateway))
			abort(); /* the gateway is never handed out */
	}
	if (nsrun_prefix_first_host(&pool.net, &first) == 0 &&
	    (p->len > 30 || !nsrun_prefix_contains(&pool.net, &first)))
		abort();
}

static void check_prefix(const char *s)
{
	char back[NSRUN_PREFIX_STRLEN];
	struct nsrun_prefix p, net;
	struct nsrun_addr a;
	unsigned int len = 99;

	if (nsrun_prefix_parse(s, &p, false) == 0) {
		nsrun_prefix_format(&p, back);
		if (strcmp(back, s))
			abort();
		net = nsrun_prefix_network(&p);
		if (!nsrun_prefix_contains(&p, &net.addr))
			abort();
		if ((nsrun_prefix_parse(s, &p, true) == 0) != nsrun_addr_equal(&net.addr, &p.addr))
			abort(); /* require_network: exactly the network addresses */
		check_pool(&p);
	}
	if (nsrun_addr_parse_maybe_prefix(s, &a, &len) == 0 && len != 99 && len > 32)
		abort();
}

static void check_mac(const char *s)
{
	char back[NSRUN_MAC_STRLEN], lower[NSRUN_MAC_STRLEN];
	uint8_t mac[NSRUN_MAC_LEN];
	size_t i;

	if (nsrun_mac_parse(s, mac) < 0)
		return;
	if (mac[0] & 1)
		abort();
	nsrun_mac_format(mac, back);
	for (i = 0; s[i] && i < sizeof(lower) - 1; i++)
		lower[i] = (char)(s[i] >= 'A' && s[i] <= 'F' ? s[i] - 'A' + 'a' : s[i]);
	lower[i] = '\0';
	if (strcmp(back, lower))
		abort();
}

static void check_names(const char *s)
{
	if (!nsrun_ifname_invalid(s)) {
		if (strlen(s) > 15)
			abort();
		for (const unsigned char *p = (const unsigned char *)s; *p; p++)
			if (*p <= ' ' || *p >= 0x7f || *p == '/')
				abort();
	}
	if (!nsrun_netns_name_invalid(s) && (strlen(s) > NSRUN_NETNS_MAX || strchr(s, '/')))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char s[80];

	if (size >= sizeof(s))
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	check_addr(s);
	check_prefix(s);
	check_mac(s);
	check_names(s);
	return 0;
}
