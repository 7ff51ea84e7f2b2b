/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the text nsrun reads for --cni (cni_conf.c): the
 * configuration files of a directory root shares with other runtimes,
 * the answers of plugins, and nsrun's own cache.  By hand (`make fuzz`
 * builds it too):
 *
 *     clang -g -fsanitize=fuzzer,address,undefined -std=gnu11 -D_GNU_SOURCE \
 *         -Iinclude tests/fuzz/fuzz_cni_conf.c <every src file but main.c> \
 *         $(pkg-config --libs libmnl libcap jansson) -o fuzz_cni_conf
 *     ./fuzz_cni_conf tests/fuzz/corpus/cni_conf
 *
 * The input is read as a configuration list and as a legacy file (for the
 * network "net"), as a result, an error, a VERSION answer and a cache.
 * Besides not crashing or leaking: an accepted list holds only valid names
 * and plugin types, and yields a request for each plugin with the runtime's
 * keys; an accepted cache is written back to the same text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nsrun/cni.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_conf(const struct nsrun_cni_conf *c)
{
	const char *version = nsrun_cni_versions[31 - __builtin_clz(c->allowed)];

	if (!c->allowed || c->nplugins < 1 || c->nplugins > NSRUN_CNI_PLUGINS_MAX ||
	    strcmp(c->name, "net") || nsrun_cni_name_invalid(c->name))
		abort();
	for (size_t i = 0; i < c->nplugins; i++) {
		const char *type = nsrun_cni_conf_type(c, i);
		json_t *req;

		if (!type || !*type || strchr(type, '/'))
			abort();
		req = nsrun_cni_request(c, i, version, NULL, NULL, NULL);
		if (!req || json_object_get(req, "capabilities") ||
		    strcmp(json_string_value(json_object_get(req, "name")), "net") ||
		    strcmp(json_string_value(json_object_get(req, "cniVersion")), version))
			abort();
		json_decref(req);
	}
}

static void check_cache(const char *text, size_t len)
{
	struct nsrun_cni_cache k, again;
	struct nsrun_err err;
	char *out, *out2;

	if (nsrun_cni_cache_parse(text, len, "fuzz.json", &k, &err) < 0)
		return;
	out = nsrun_cni_cache_format(&k);
	if (!out || nsrun_cni_cache_parse(out, strlen(out), "fuzz.json", &again, &err) < 0)
		abort();
	out2 = nsrun_cni_cache_format(&again);
	if (!out2 || strcmp(out, out2))
		abort();
	free(out);
	free(out2);
	nsrun_cni_cache_free(&again);
	nsrun_cni_cache_free(&k);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct nsrun_cni_conf c;
	struct nsrun_cni_error e;
	struct nsrun_cni_env env;
	struct nsrun_err err;
	nsrun_cni_vmask mask;
	json_t *result;

	for (int legacy = 0; legacy < 2; legacy++) {
		int r = nsrun_cni_conf_parse("fuzz", text, size, legacy, "net", &c, &err);

		if (r == 1)
			check_conf(&c);
		else if (c.list || c.file)
			abort(); /* nothing kept when refused */
		nsrun_cni_conf_free(&c);
	}
	if (nsrun_cni_result_parse(text, size, "1.0.0", &result, &err) == 0) {
		nsrun_cni_result_env(result, "eth0", &env);
		if (env.has_addr && env.addr.len > (env.addr.addr.family == AF_INET ? 32u : 128u))
			abort();
		json_decref(result);
	}
	nsrun_cni_error_parse(text, size, &e);
	if (nsrun_cni_version_answer(text, size, &mask, &err) == 0 &&
	    mask >= (1u << NSRUN_CNI_NVERSIONS))
		abort();
	check_cache(text, size);
	return 0;
}
