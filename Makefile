# sarhad - plain GNU Makefile.  Sources are found by wildcard: a new file in
# src/ joins the library, in cmd/sarhad/ the command, tests/test_*.c the
# test runner, fuzz/fuzz_*.c a fuzz target, bench/bench_*.c a benchmark.
#
#   make                       libsarhad.a and sarhad in build/
#   make test                  unit tests, fuzz corpus replay, CLI cases
#   make SANITIZE=address,undefined test   the same in its own build dir
#   make check                 test + sanitizer test + format check + tidy
#   make tidy                  clang-tidy (.clang-tidy) over the library and
#                              the command; any finding fails it
#   make fuzz FUZZ_SECONDS=60  libFuzzer on every target (clang)
#   make bench                 benchmarks (figures go to docs/BENCHMARKS.md)
#   make install               the command, the shipped policies, the docs
#                              and the systemd units under DESTDIR/PREFIX
#                              (docs/OPERATIONS.md)

CC       ?= cc
SANITIZE ?=
comma    := ,
ifeq ($(SANITIZE),)
BUILD    ?= build
OPT      ?= -O2
else
BUILD    ?= build/san-$(subst $(comma),-,$(SANITIZE))
OPT      ?= -O1 -fno-omit-frame-pointer -fsanitize=$(SANITIZE) -fno-sanitize-recover=all
LDSAN    := -fsanitize=$(SANITIZE)
endif

PKGS     := sqlite3 libmicrohttpd libsodium jansson icu-uc icu-i18n libpq libxml-2.0
DEPS_OK  := $(BUILD)/.deps-ok
WARN     := -std=c11 -pedantic -Wall -Wextra -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes -Wwrite-strings -Wcast-qual -Wconversion \
            -Wundef -Wformat=2 -Wvla
ifdef CI
WARN     += -Werror
endif
CPPFLAGS += -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L -Iinclude -I$(BUILD)/gen
CFLAGS   += $(OPT) -g $(WARN) -MMD -MP
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
LDLIBS   += $(PKG_LIBS) -lpthread -lm

LIB_SRC   := $(sort $(wildcard src/*.c))
CMD_SRC   := $(sort $(wildcard cmd/sarhad/*.c))
TEST_SRC  := $(sort $(wildcard tests/test_*.c))
FUZZ_SRC  := $(sort $(wildcard fuzz/fuzz_*.c))
BENCH_SRC := $(sort $(wildcard bench/bench_*.c))
WEB_SRC   := $(sort $(wildcard web/*.html web/*.js web/*.css))

LIB_OBJ   := $(LIB_SRC:%.c=$(BUILD)/%.o)
CMD_OBJ   := $(CMD_SRC:%.c=$(BUILD)/%.o)
TEST_OBJ  := $(TEST_SRC:%.c=$(BUILD)/%.o) $(BUILD)/tests/run.o
FUZZ_NAMES := $(FUZZ_SRC:fuzz/fuzz_%.c=%)
BENCH_BIN := $(BENCH_SRC:bench/%.c=$(BUILD)/%)

LIB       := $(BUILD)/libsarhad.a
SARHAD    := $(BUILD)/sarhad
RUNNER    := $(BUILD)/run-tests
REPLAYS   := $(FUZZ_NAMES:%=$(BUILD)/replay_%)

.PHONY: all test check fuzz bench eval clean format format-check tidy deps install
all: $(SARHAD)

deps: $(DEPS_OK)
$(DEPS_OK):
	@bash scripts/deps.sh
	@mkdir -p $(@D) && touch $@

# Generated tables: the test list and the verb list.
$(BUILD)/gen/tests.gen.h: $(TEST_SRC) | $(DEPS_OK)
	@mkdir -p $(@D)
	@sed -n 's/^TEST(\([A-Za-z0-9_]*\)).*/X(\1)/p' $(TEST_SRC) > $@.tmp
	@cmp -s $@.tmp $@ || mv $@.tmp $@; rm -f $@.tmp
$(BUILD)/gen/verbs.gen.h: $(CMD_SRC) | $(DEPS_OK)
	@mkdir -p $(@D)
	@sed -n 's/^SARHAD_VERB(\([a-z_]*\), *\(".*"\)).*/X(\1, \2)/p' $(CMD_SRC) > $@.tmp
	@cmp -s $@.tmp $@ || mv $@.tmp $@; rm -f $@.tmp
# The web console is embedded into the binary (one C array per file).
$(BUILD)/gen/web.gen.c: $(WEB_SRC) scripts/embed.sh | $(DEPS_OK)
	@mkdir -p $(@D)
	@bash scripts/embed.sh $(WEB_SRC) > $@.tmp && mv $@.tmp $@

$(BUILD)/%.o: %.c | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/tests/run.o: $(BUILD)/gen/tests.gen.h
$(BUILD)/cmd/sarhad/main.o: $(BUILD)/gen/verbs.gen.h

$(LIB): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/web.gen.o: $(BUILD)/gen/web.gen.c
	$(CC) $(CPPFLAGS) $(CFLAGS) -Wno-missing-prototypes -c $< -o $@

$(SARHAD): $(CMD_OBJ) $(BUILD)/web.gen.o $(LIB)
	$(CC) $(LDSAN) -o $@ $(CMD_OBJ) $(BUILD)/web.gen.o $(LIB) $(LDLIBS)

$(RUNNER): $(TEST_OBJ) $(LIB)
	$(CC) $(LDSAN) -o $@ $(TEST_OBJ) $(LIB) $(LDLIBS)

$(BUILD)/replay_%: $(BUILD)/fuzz/fuzz_%.o $(BUILD)/fuzz/replay.o $(LIB)
	$(CC) $(LDSAN) -o $@ $^ $(LDLIBS)

$(BUILD)/bench_%: $(BUILD)/bench/bench_%.o $(LIB)
	$(CC) $(LDSAN) -o $@ $^ $(LDLIBS)

test: $(SARHAD) $(RUNNER) $(REPLAYS)
	@BUILD=$(BUILD) bash tests/run-all.sh

check: test format-check tidy
	$(MAKE) SANITIZE=address,undefined test

# libFuzzer builds use clang.  A run starts from the hand-written seeds
# (fuzz/corpus/T) and what earlier runs found (fuzz/found/T), writes new
# inputs to build/fuzz/work-T, and at its end merges into fuzz/found/T the
# few of them that reach code the found set did not (-merge=1).  The found
# sets are kept in git, so every `make test` replays them.
FUZZ_SECONDS ?= 60
FUZZ_BUILD   := build/fuzz
# Undefined behaviour stops the run, so the input is kept as a crash (with
# recovery on, a signed overflow was only printed and its input lost).
FUZZ_FLAGS   := -g -O1 -fsanitize=fuzzer,address,undefined \
                -fno-sanitize-recover=undefined -std=c11 \
                -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L -Iinclude
fuzz: | $(DEPS_OK)
	@mkdir -p $(FUZZ_BUILD)
	@for t in $(FUZZ_NAMES); do \
	    echo "fuzz $$t for $(FUZZ_SECONDS)s"; \
	    clang $(FUZZ_FLAGS) $(PKG_CFLAGS) -o $(FUZZ_BUILD)/fuzz_$$t fuzz/fuzz_$$t.c \
	        $(LIB_SRC) $(LDLIBS) || exit 1; \
	    mkdir -p $(FUZZ_BUILD)/work-$$t fuzz/regression/$$t fuzz/found/$$t; \
	    $(FUZZ_BUILD)/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) \
	        -artifact_prefix=fuzz/regression/$$t/ \
	        $(FUZZ_BUILD)/work-$$t fuzz/found/$$t fuzz/corpus/$$t || exit 1; \
	    $(FUZZ_BUILD)/fuzz_$$t -merge=1 fuzz/found/$$t \
	        $(FUZZ_BUILD)/work-$$t 2>&1 | grep -E '^MERGE-OUTER: [0-9]+ new files' ; \
	done

# Screening quality on a labelled set (docs/SCREENING.md has the figures).
UN_LIST ?= /work/shared/data/un-consolidated-list.xml
$(BUILD)/eval_screen: $(BUILD)/tools/eval_screen.o $(LIB)
	$(CC) $(LDSAN) -o $@ $^ $(LDLIBS)
eval: $(BUILD)/eval_screen
	$(BUILD)/eval_screen $(UN_LIST)

bench: $(SARHAD) $(BENCH_BIN)
	@BUILD=$(BUILD) bash bench/run.sh

FORMAT_SRC := $(LIB_SRC) $(CMD_SRC) $(TEST_SRC) $(FUZZ_SRC) $(BENCH_SRC) \
              include/*.h src/*.h cmd/sarhad/*.h tests/*.h
format:
	clang-format -i $(FORMAT_SRC)
format-check:
	@clang-format --dry-run --Werror $(FORMAT_SRC)
tidy: $(BUILD)/gen/verbs.gen.h | $(DEPS_OK)
	clang-tidy --quiet $(LIB_SRC) $(CMD_SRC) -- $(CPPFLAGS) $(PKG_CFLAGS) -std=c11

# /usr/local by default; the command finds the shipped policy in
# PREFIX/share/sarhad (cli_shipped_policy), and systemd reads units from
# PREFIX/lib/systemd/system.
PREFIX  ?= /usr/local
DESTDIR ?=
install: $(BUILD)/sarhad
	install -D -m 0755 $(BUILD)/sarhad $(DESTDIR)$(PREFIX)/bin/sarhad
	install -d $(DESTDIR)$(PREFIX)/share/sarhad $(DESTDIR)$(PREFIX)/share/doc/sarhad \
	    $(DESTDIR)$(PREFIX)/lib/systemd/system
	install -m 0644 policies/*.policy $(DESTDIR)$(PREFIX)/share/sarhad/
	install -m 0644 README.md docs/*.md $(DESTDIR)$(PREFIX)/share/doc/sarhad/
	sed 's|/usr/local/|$(PREFIX)/|g' contrib/systemd/sarhad.service \
	    > $(DESTDIR)$(PREFIX)/lib/systemd/system/sarhad.service
	sed 's|/usr/local/|$(PREFIX)/|g' contrib/systemd/sarhad-backup.service \
	    > $(DESTDIR)$(PREFIX)/lib/systemd/system/sarhad-backup.service
	install -m 0644 contrib/systemd/sarhad-backup.timer $(DESTDIR)$(PREFIX)/lib/systemd/system/
	chmod 0644 $(DESTDIR)$(PREFIX)/lib/systemd/system/*.service

clean:
	rm -rf build

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
