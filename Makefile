# promise-run: build, test, install.  See README.md.

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
COMPLETIONDIR ?= $(PREFIX)/share/bash-completion/completions
DESTDIR ?=

CC      ?= cc
CFLAGS  ?= -O2 -g
PKG_CONFIG ?= pkg-config

# Kept apart from CFLAGS so that overriding CFLAGS never drops a warning.
WARNINGS = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wformat=2 -Wvla
STD      = -std=c11 -D_GNU_SOURCE

# The version is written once, in debian/changelog's first line.
VERSION := $(shell sed -n '1s/^[^(]*(\([^)]*\)).*/\1/p' debian/changelog)

# Libraries through pkg-config.  libcurl gives only its headers: check-url
# loads it with dlopen, so that the runner does not load it at every start.
LIBS       = $(shell $(PKG_CONFIG) --libs inih) -ldl
LIBS_CHECK = $(shell $(PKG_CONFIG) --libs check)
CFLAGS_LIBS = $(shell $(PKG_CONFIG) --cflags libcurl inih)
CFLAGS_CHECK = $(shell $(PKG_CONFIG) --cflags check)

BUILD ?= build
ifeq ($(SANITIZE),1)
SANITIZERS = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
endif

ALL_CFLAGS  = $(STD) $(WARNINGS) $(CPPFLAGS) $(CFLAGS) $(SANITIZERS) -Iinclude \
              $(CFLAGS_LIBS) -DPROMISE_RUN_VERSION='"$(VERSION)"' -MMD -MP
ALL_LDFLAGS = $(LDFLAGS) $(SANITIZERS) -Wl,--as-needed

MODULES = cli option_error value settings failure config scan plan job runner slot spawn \
          reaper cgroup \
          signals capture utf8 result env monotime fdio fsat identity \
          state last_success slapgrid json_read outq progress homes home home_files \
          home_plugins plugin_text \
          home_store deadline sinks pool lock_waits scheduler \
          report report_text report_json report_tap report_junit \
          report_prometheus report_nagios escape atomic_file credentials \
          checks check_url check_port check_cert check_file curl_lib port_probe \
          inline_checks runner_inline check_wire check_helper \
          declared check_declared complain
OBJS      = $(MODULES:%=$(BUILD)/src/%.o)
MAIN_OBJ  = $(BUILD)/src/main.o
BIN       = $(BUILD)/promise-run

UNIT_SRCS = $(wildcard tests/unit/*.c)
UNIT_OBJS = $(UNIT_SRCS:%.c=$(BUILD)/%.o)
UNIT_BIN  = $(BUILD)/tests/unit/check_all

.DELETE_ON_ERROR:
.PHONY: all check unit e2e sanitize valgrind mutants rules fleet nrpe fuzz \
        fuzz-smoke deb test fresh example bench slapos-test install uninstall \
        clean

all: $(BIN)

$(BIN): $(OBJS) $(MAIN_OBJ)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/src/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/tests/unit/%.o: tests/unit/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(CFLAGS_CHECK) -c -o $@ $<

$(UNIT_BIN): $(UNIT_OBJS) $(OBJS)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS_CHECK) $(LIBS)

# The whole suite: Check unit tests and end-to-end tests on the real
# binary, side by side (each one's output whole, once it is done).
check:
	$(MAKE) --no-print-directory --output-sync=target -j2 unit e2e

unit: $(UNIT_BIN)
	$(UNIT_BIN)

# build/e2e-times: each test's time, so that the next run starts the longest first.
e2e: $(BIN)
	PROMISE_RUN=$(abspath $(BIN)) E2E_TIMES=$(abspath $(BUILD))/e2e-times tests/e2e/run

# The same suite built with AddressSanitizer and UndefinedBehaviorSanitizer.
sanitize:
	$(MAKE) BUILD=build/sanitize SANITIZE=1 check

# Runs of the binary under valgrind: no leak, no error, no descriptor left open.
valgrind: $(BIN)
	PROMISE_RUN=$(abspath $(BIN)) tests/valgrind

# Each property the tests guard, removed from a copy of the code in turn:
# the tests must catch every one (tests/mutants/list).
mutants:
	tests/mutants/run

# The Prometheus alerting rules of etc/prometheus: promtool check and unit tests.
rules:
	tests/prometheus/run

# The metrics through real node_exporter and Prometheus servers, alerts included.
fleet: $(BIN)
	PROMISE_RUN=$(abspath $(BIN)) tests/fleet/run

# --format nagios through a real NRPE daemon and check_nrpe.
nrpe: $(BIN)
	PROMISE_RUN=$(abspath $(BIN)) tests/nagios/run

# libFuzzer harnesses (clang) of every parser and escaper, a minute each;
# fuzz-smoke, five seconds each, keeps a crash found once found.
fuzz:
	tests/fuzz/run 60

fuzz-smoke:
	tests/fuzz/run 5

# The Debian package: built from a copy of the tree, lintian-clean,
# installed, run and purged (needs root; a skip otherwise).
deb:
	tests/deb/run

# Everything CI runs: the fast suite, then the slow ones, each timed, in
# a summary (a suite that lacks a prerequisite is a skip, never a pass).
test: $(BIN)
	tests/suites check sanitize valgrind mutants rules fleet nrpe \
		fuzz-smoke deb

# The README's two commands as a newcomer runs them, in a fresh Debian 12
# root file system (debootstrap; root and network, some 20 minutes): not
# part of `make test`.
fresh:
	tests/fresh/run

# slapos.core's own promise tests with contrib/slapos.core's patch, which
# hands slapgrid's legacy promises to promise-run: SLAPOS_CORE=<a checkout
# of the release contrib/slapos.core/README.md names>; a skip without it.
slapos-test: $(BIN)
	PROMISE_RUN=$(abspath $(BIN)) contrib/slapos.core/test

# Runs promise-run on the example instance that ships in etc/.
example: $(BIN)
	@$(BIN) --verbose etc/example-instance; \
	echo "(exit status $$?: 0 working, 2 not working, 1 error)"

# Benchmarks against the fork+exec floor and run-parts (a few minutes).
bench: $(BIN)
	sh .ci/deps bench
	bench/run $(BIN)

# The systemd units and the cron file are installed by the Debian package
# (see debian/), which knows where the binary is.
install: $(BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(COMPLETIONDIR)
	install -m 0755 $(BIN) $(DESTDIR)$(BINDIR)/promise-run
	install -m 0644 man/promise-run.1 $(DESTDIR)$(MANDIR)/man1/promise-run.1
	install -m 0644 etc/bash-completion/promise-run \
		$(DESTDIR)$(COMPLETIONDIR)/promise-run

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/promise-run $(DESTDIR)$(MANDIR)/man1/promise-run.1 \
		$(DESTDIR)$(COMPLETIONDIR)/promise-run

clean:
	rm -rf build

-include $(OBJS:.o=.d) $(MAIN_OBJ:.o=.d) $(UNIT_OBJS:.o=.d)
