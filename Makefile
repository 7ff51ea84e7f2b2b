# nsrun -- see README.md.  make, make check, make install, make bench.
VERSION := 0.1.0

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/site-functions
SYSCONFDIR ?= /etc
DESTDIR ?=

CC ?= cc
PKG_CONFIG ?= pkg-config
PKGS := libmnl libcap libseccomp libnftnl jansson
BUILD ?= build

WARNINGS := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wformat=2 -Wvla -Wwrite-strings -Wimplicit-fallthrough
ifeq ($(CI),true)
WERROR ?= 1
endif
ifeq ($(WERROR),1)
WARNINGS += -Werror
endif

HARDEN := -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE
HARDEN_LD := -pie -Wl,-z,relro,-z,now

OPT ?= -O2
CFLAGS ?= $(OPT) -g
ifeq ($(SANITIZE),1)
CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
HARDEN := -fstack-protector-strong -fPIE
endif
ifeq ($(COVERAGE),1)
CFLAGS += --coverage -O0
LDFLAGS += --coverage
HARDEN := -fstack-protector-strong -fPIE # _FORTIFY_SOURCE warns at -O0
endif

PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
# Every shared library costs every launch its loading and relocation (about
# 60 us each here, measured by tests/bench), and all but libmnl serve options
# most launches do not use: link those from Debian's static archives.
# STATIC_PKGS= links everything dynamically (as a distribution may prefer).
STATIC_PKGS ?= libcap libseccomp libnftnl jansson
DYNAMIC_PKGS := $(filter-out $(STATIC_PKGS),$(PKGS))
STATIC_LIBS := -Wl,-Bstatic $(shell $(PKG_CONFIG) --libs-only-l $(STATIC_PKGS) 2>/dev/null) \
	-Wl,-Bdynamic
PKG_LIBS := $(if $(STATIC_PKGS),$(STATIC_LIBS)) \
	$(shell $(PKG_CONFIG) --libs $(DYNAMIC_PKGS) 2>/dev/null)
ALL_CFLAGS := -std=gnu11 -D_GNU_SOURCE $(WARNINGS) $(HARDEN) -Iinclude \
	-DNSRUN_VERSION='"$(VERSION)"' -DNSRUN_SYSCONFDIR='"$(SYSCONFDIR)"' \
	$(PKG_CFLAGS) $(CFLAGS) $(CPPFLAGS)
ALL_LDFLAGS := $(HARDEN_LD) $(LDFLAGS)

ifneq ($(V),1)
Q := @
endif

LIB_SRCS := $(filter-out src/main.c,$(wildcard src/*.c))
LIB_OBJS := $(LIB_SRCS:src/%.c=$(BUILD)/obj/%.o)
TEST_OBJS := $(LIB_SRCS:src/%.c=$(BUILD)/obj-test/%.o)

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all check unit integration install install-privileged uninstall clean deps bench fuzz coverage format

all: $(BUILD)/nsrun

$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

# The test build: same sources, plus the fault points of tests/integration.
$(BUILD)/obj-test/%.o: src/%.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $< (test)")
	$(Q)$(CC) $(ALL_CFLAGS) -DNSRUN_TEST_FAULTS -MMD -MP -c -o $@ $<

$(BUILD)/libnsrun.a: $(LIB_OBJS)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(BUILD)/libnsrun-test.a: $(TEST_OBJS)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(BUILD)/nsrun: $(BUILD)/obj/main.o $(BUILD)/libnsrun.a
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/nsrun-faults: $(BUILD)/obj-test/main.o $(BUILD)/libnsrun-test.a
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

# Unit tests link the same objects as the binary.
CMOCKA_CFLAGS := $(shell $(PKG_CONFIG) --cflags cmocka 2>/dev/null)
CMOCKA_LIBS := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null)
$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libnsrun.a
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) $(CMOCKA_CFLAGS) -MMD -MP $(ALL_LDFLAGS) -o $@ $< \
		$(BUILD)/libnsrun.a $(CMOCKA_LIBS) $(PKG_LIBS)

unit: $(UNIT_BINS)
integration: $(BUILD)/nsrun $(BUILD)/nsrun-faults $(BUILD)/nsrun-policytest

# One summary line at the end: "N passed, N failed, N skipped".
check: $(BUILD)/nsrun $(BUILD)/nsrun-faults $(BUILD)/nsrun-policytest $(UNIT_BINS)
	$(Q)BUILD=$(BUILD) tests/run $(UNIT_BINS)

# Where distributions put them.
install: $(BUILD)/nsrun
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) \
		$(DESTDIR)$(MANDIR)/man1
	install -m 0755 $(BUILD)/nsrun $(DESTDIR)$(BINDIR)/nsrun
	install -m 0644 contrib/completion/nsrun.bash $(DESTDIR)$(BASHCOMPDIR)/nsrun
	install -m 0644 contrib/completion/_nsrun $(DESTDIR)$(ZSHCOMPDIR)/_nsrun
	install -m 0644 contrib/nsrun.1 $(DESTDIR)$(MANDIR)/man1/nsrun.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/nsrun $(DESTDIR)$(BASHCOMPDIR)/nsrun \
		$(DESTDIR)$(ZSHCOMPDIR)/_nsrun $(DESTDIR)$(MANDIR)/man1/nsrun.1

# A user other than root may run the installed nsrun on the bridges that
# $(SYSCONFDIR)/nsrun/nsrun.conf allows (README: "Security model").  The
# capabilities nsrun needs: NET_ADMIN (rtnetlink), SYS_ADMIN (unshare, mount
# /sys), SETPCAP (empty the target's bounding set), SETUID and SETGID (its
# state files as root).  PRIV_EXTRA_CAPS=cap_net_bind_service,cap_net_raw
# lets a policy's "options cap-add" hand those to targets.
PRIV_CAPS ?= cap_net_admin,cap_sys_admin,cap_setpcap,cap_setuid,cap_setgid
PRIV_EXTRA_CAPS ?=
install-privileged: install
	setcap '$(PRIV_CAPS)$(if $(PRIV_EXTRA_CAPS),$(comma)$(PRIV_EXTRA_CAPS))=ep' $(DESTDIR)$(BINDIR)/nsrun
	install -d -m 0755 $(DESTDIR)$(SYSCONFDIR)/nsrun
	test -e $(DESTDIR)$(SYSCONFDIR)/nsrun/nsrun.conf || \
		install -m 0644 contrib/nsrun.conf $(DESTDIR)$(SYSCONFDIR)/nsrun/nsrun.conf
comma := ,

# The same program reading its policy from /run/nsrt-etc, the private /run
# of each integration test host (tests/integration/t-privs*.sh): a test can
# own that fixed path without touching the real /etc.  Never installed.
POLICYTEST_SYSCONFDIR := /run/nsrt-etc
$(BUILD)/obj-policytest/policy.o: src/policy.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $< (policytest)")
	$(Q)$(CC) $(ALL_CFLAGS) -UNSRUN_SYSCONFDIR -DNSRUN_SYSCONFDIR='"$(POLICYTEST_SYSCONFDIR)"' \
		-MMD -MP -c -o $@ $<

$(BUILD)/nsrun-policytest: $(BUILD)/obj/main.o $(BUILD)/obj-policytest/policy.o \
		$(filter-out $(BUILD)/obj/policy.o,$(LIB_OBJS))
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

# Debian's packages this project builds and tests with: one list, shared
# with .ci/run.
DEB_PACKAGES := $(shell grep -v '^\#' .ci/debian-packages)
deps:
	apt-get update
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $(DEB_PACKAGES)

# Benchmarks (never part of check): tests/bench/run, see tests/bench/README.md.
include tests/bench/Makefile.inc
bench: all

# Line coverage of src/ from `make check` (gcovr): the table is printed and
# kept in $(COV_BUILD)/coverage.txt, with an HTML report beside it.
# COVERAGE_MIN=N fails below N percent.
COV_BUILD ?= build-cov
COVERAGE_MIN ?= 0
# The privilege tests run capable copies of nsrun as a test user: their
# counters can only be written if the .gcda files exist and are writable by
# anyone (else libgcov complains on stderr, which those tests compare).
coverage:
	$(Q)find $(COV_BUILD) -name '*.gcda' -delete 2>/dev/null || true
	$(Q)$(MAKE) --no-print-directory unit integration COVERAGE=1 BUILD=$(COV_BUILD)
	$(Q)find $(COV_BUILD) -name '*.o' | while read -r o; do \
		: >"$${o%.o}.gcda" && chmod 0666 "$${o%.o}.gcda"; done
	$(Q)$(MAKE) --no-print-directory check COVERAGE=1 BUILD=$(COV_BUILD)
	$(Q)gcovr --root . --filter 'src/' --object-directory $(COV_BUILD) \
		--txt $(COV_BUILD)/coverage.txt --html-details $(COV_BUILD)/coverage.html \
		--print-summary --fail-under-line $(COVERAGE_MIN) >$(COV_BUILD)/summary.txt; \
		r=$$?; cat $(COV_BUILD)/coverage.txt $(COV_BUILD)/summary.txt; exit $$r

# libFuzzer targets: every tests/fuzz/fuzz_*.c, built with clang against the
# library compiled for fuzzing (ASan + UBSan), run FUZZ_SECONDS each on a copy
# of its seed corpus tests/fuzz/corpus/<name> (fuzz_lease -> lease).
FUZZ_CC ?= clang
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS := -std=gnu11 -D_GNU_SOURCE $(WARNINGS) -Iinclude -g -O1 \
	-fno-omit-frame-pointer $(FUZZ_SAN) $(PKG_CFLAGS)
FUZZ_SRCS := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BINS := $(FUZZ_SRCS:tests/fuzz/%.c=$(FUZZ_BUILD)/%)
FUZZ_OBJS := $(LIB_SRCS:src/%.c=$(FUZZ_BUILD)/obj/%.o)

$(FUZZ_BUILD)/obj/%.o: src/%.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $< (fuzz)")
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<

$(FUZZ_BUILD)/libnsrun.a: $(FUZZ_OBJS)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_BUILD)/libnsrun.a
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -MMD -MP -o $@ $< $(FUZZ_BUILD)/libnsrun.a $(PKG_LIBS)

# One line per target: "fuzz_lease: N executions in S s, corpus C".
fuzz: $(FUZZ_BINS)
	$(Q)set -e; for bin in $(FUZZ_BINS); do \
		name=$$(basename $$bin); seed=tests/fuzz/corpus/$${name#fuzz_}; \
		mkdir -p $(FUZZ_BUILD)/corpus/$$name $(FUZZ_BUILD)/crashes; \
		$$bin -max_total_time=$(FUZZ_SECONDS) -timeout=10 -print_final_stats=1 \
			-artifact_prefix=$(FUZZ_BUILD)/crashes/$$name- \
			$(FUZZ_BUILD)/corpus/$$name $$(test -d $$seed && echo $$seed) \
			>$(FUZZ_BUILD)/$$name.log 2>&1 || { tail -n 40 $(FUZZ_BUILD)/$$name.log; exit 1; }; \
		awk -v n=$$name '/^stat::number_of_executed_units/ {e=$$2} /^Done [0-9]+ runs in/ {s=$$5} \
			END {print n ": " e " executions in " s " s, no failure"}' $(FUZZ_BUILD)/$$name.log; \
	done

-include $(FUZZ_OBJS:.o=.d) $(FUZZ_BINS:%=%.d)

format:
	clang-format -i src/*.c include/nsrun/*.h tests/unit/*.c

clean:
	rm -rf $(BUILD) $(FUZZ_BUILD) $(COV_BUILD)

-include $(LIB_OBJS:.o=.d) $(TEST_OBJS:.o=.d) $(BUILD)/obj/main.d $(BUILD)/obj-test/main.d
-include $(BUILD)/obj-policytest/policy.d
-include $(UNIT_BINS:%=%.d)
