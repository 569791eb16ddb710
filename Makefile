# mod_pegawai: build, run, test, bench, lint.
#
#   make run     build, create the demo database, serve on 127.0.0.1:8080
#   make test    unit tests, fuzz corpus replay, integration tests on SQLite
#                and PostgreSQL, browser tests
#
# Both install the Debian packages they need when run as root.

PEGAWAI_DATA ?= $(CURDIR)/var
PEGAWAI_PORT ?= 8080
export PEGAWAI_DATA PEGAWAI_PORT

APXS    ?= apxs
CC      ?= gcc
CLANG   ?= clang
PYTHON  ?= /usr/bin/python3

BUILD   := build
SRC     := mod_pegawai

APR_INC := $(shell apr-1-config --includes 2>/dev/null) \
           $(shell apu-1-config --includes 2>/dev/null)
APR_LIB := $(shell apu-1-config --link-ld 2>/dev/null) \
           $(shell apr-1-config --link-ld 2>/dev/null)
PKGS    := libsodium libxml-2.0 libpng libjpeg
PKG_INC := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIB := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
# The glue alone talks to SQLite (a busy timeout for mod_dbd's
# connections, mod_pegawai_db.c); the library never does.
MOD_INC := $(shell pkg-config --cflags sqlite3 2>/dev/null)
MOD_LIB := $(shell pkg-config --libs sqlite3 2>/dev/null)

WARN    := -Wall -Wextra -Wno-unused-parameter -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wformat=2
CFLAGS  ?= -O2 -g
LIB_CFLAGS := $(CFLAGS) $(WARN) -std=gnu11 -fPIC -D_GNU_SOURCE \
              $(APR_INC) $(PKG_INC) -I$(SRC)

LIB_SRC := $(sort $(wildcard $(SRC)/pgw_*.c))
LIB_OBJ := $(patsubst $(SRC)/%.c,$(BUILD)/%.o,$(LIB_SRC))
LIB     := $(BUILD)/libpgw.a
MOD_SRC := $(sort $(wildcard $(SRC)/mod_pegawai*.c))
MOD_HDR := $(wildcard $(SRC)/*.h)
MODULE  := $(SRC)/.libs/mod_pegawai.so

UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(patsubst tests/unit/%.c,$(BUILD)/unit/%,$(UNIT_SRC))
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(FUZZ_SRC))
TOOL_SRC := $(sort $(wildcard tools/*.c))
TOOL_BIN := $(patsubst tools/%.c,$(BUILD)/%,$(TOOL_SRC))

.PHONY: all deps module tools run test test-unit test-fuzz \
        test-integration test-sqlite test-pgsql test-browser bench lint \
        format fuzz clean demo-db deb

all: module tools

deps:
	@tools/deps.sh build

$(BUILD)/%.o: $(SRC)/%.c $(MOD_HDR) | $(BUILD)
	$(CC) $(LIB_CFLAGS) -c -o $@ $<

$(LIB): $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(BUILD):
	mkdir -p $(BUILD)/unit $(BUILD)/fuzz

module: $(MODULE)

# apxs compiles the glue with Apache's own flags and links the library
# objects built above (PIC) into the one shared object.
$(MODULE): $(MOD_SRC) $(MOD_HDR) $(LIB) | $(BUILD)
	@echo "apxs -c mod_pegawai.so (log: $(BUILD)/apxs.log)"
	@cd $(SRC) && $(APXS) -c -o mod_pegawai.so \
	    -Wc,"$(WARN) -std=gnu11 $(PKG_INC) $(MOD_INC)" \
	    $(notdir $(MOD_SRC)) ../$(LIB) $(PKG_LIB) $(MOD_LIB) -laprutil-1 \
	    >../$(BUILD)/apxs.log 2>&1 || { cat ../$(BUILD)/apxs.log; exit 1; }
	@grep -E "(warning|error):" $(BUILD)/apxs.log || true

tools: $(TOOL_BIN)

$(BUILD)/%: tools/%.c $(LIB) | $(BUILD)
	$(CC) $(LIB_CFLAGS) -o $@ $< $(LIB) $(PKG_LIB) $(APR_LIB)

# ---------------------------------------------------------------- run

run: deps all
	tools/serverroot.sh --data "$(PEGAWAI_DATA)" --port "$(PEGAWAI_PORT)" \
	    --driver sqlite3 --foreground

demo-db: deps all
	tools/serverroot.sh --data "$(PEGAWAI_DATA)" --port "$(PEGAWAI_PORT)" \
	    --driver sqlite3 --prepare-only

# ---------------------------------------------------------------- tests

test: deps all lint test-unit test-fuzz test-integration test-browser
	@echo "make test: all suites passed"

$(BUILD)/unit/%: tests/unit/%.c $(LIB) | $(BUILD)
	$(CC) $(LIB_CFLAGS) -o $@ $< $(LIB) $(PKG_LIB) $(APR_LIB) \
	    $(shell pkg-config --libs check)

test-unit: $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do echo "== $$t"; \
	    CK_FORK=yes $$t; done

FUZZ_FLAGS := -g -O1 -fsanitize=fuzzer,address,undefined \
              -fno-sanitize-recover=undefined -std=gnu11 -D_GNU_SOURCE \
              $(APR_INC) $(PKG_INC) -I$(SRC)

$(BUILD)/fuzz/%: tests/fuzz/%.c $(LIB_SRC) $(MOD_HDR) | $(BUILD)
	$(CLANG) $(FUZZ_FLAGS) -o $@ $< $(LIB_SRC) $(PKG_LIB) $(APR_LIB)

# Replays every seed corpus once: a crash, leak or sanitizer report fails.
test-fuzz: $(FUZZ_BIN)
	@set -e; for f in $(FUZZ_BIN); do n=$$(basename $$f); \
	    echo "== $$n corpus replay"; \
	    $$f -runs=0 tests/fuzz/corpus/$$n >/dev/null 2>$(BUILD)/fuzz/$$n.log \
	    || { cat $(BUILD)/fuzz/$$n.log; exit 1; }; \
	    tail -n 1 $(BUILD)/fuzz/$$n.log; done
	@echo "== fuzz_image replay of a regenerated corpus, large seeds too"
	@rm -rf $(BUILD)/fuzz/generated-fuzz_image
	@$(PYTHON) tests/fuzz/make_image_corpus.py --large \
	    $(BUILD)/fuzz/generated-fuzz_image >/dev/null
	@$(BUILD)/fuzz/fuzz_image -runs=0 $(BUILD)/fuzz/generated-fuzz_image \
	    >/dev/null 2>$(BUILD)/fuzz/generated-fuzz_image.log \
	    || { cat $(BUILD)/fuzz/generated-fuzz_image.log; exit 1; }
	@tail -n 1 $(BUILD)/fuzz/generated-fuzz_image.log

# Runs each fuzzer for FUZZ_SECONDS (default 60) from its corpus.
FUZZ_SECONDS ?= 60
fuzz: $(FUZZ_BIN)
	@set -e; for f in $(FUZZ_BIN); do n=$$(basename $$f); \
	    mkdir -p $(BUILD)/fuzz/corpus-$$n; \
	    $$f -max_total_time=$(FUZZ_SECONDS) $(BUILD)/fuzz/corpus-$$n \
	        tests/fuzz/corpus/$$n; done

test-integration: test-sqlite test-pgsql

# The integration and browser tests run tools/serverroot.sh, which needs
# the module and build/pgw_demo.
test-sqlite: module tools
	@tools/deps.sh test
	PEGAWAI_TEST_DB=sqlite3 $(PYTHON) -m pytest -q tests/integration

test-pgsql: module tools
	@tools/deps.sh test
	PEGAWAI_TEST_DB=pgsql $(PYTHON) -m pytest -q tests/integration

# pytest fails (exit 5) on a folder without tests; say so instead.
test-browser: module tools
	@tools/deps.sh test
	@if ls tests/browser/test_*.py >/dev/null 2>&1; then \
	    echo "PEGAWAI_TEST_DB=sqlite3 $(PYTHON) -m pytest -q tests/browser"; \
	    PEGAWAI_TEST_DB=sqlite3 $(PYTHON) -m pytest -q tests/browser; \
	else echo "test-browser: no tests/browser/test_*.py yet"; fi

bench: deps all
	@tools/deps.sh bench
	tests/bench/bench.sh

# The Debian package, build/libapache2-mod-pegawai_VERSION_ARCH.deb.
deb: deps all
	packaging/build-deb.sh

# ---------------------------------------------------------------- style

lint:
	@/usr/bin/python3 tools/lint.py

format:
	clang-format -i $(SRC)/*.c $(SRC)/*.h tests/unit/*.c tests/fuzz/*.c \
	    tools/*.c

clean:
	rm -rf $(BUILD) $(SRC)/.libs $(SRC)/*.lo $(SRC)/*.slo $(SRC)/*.la \
	    $(SRC)/*.o
