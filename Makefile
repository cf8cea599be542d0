# firstdays: plain GNU make with pkg-config.
#   make          build build/firstdays
#   make run      set up, build and serve on http://127.0.0.1:8080 with demo content
#   make test     set up, build and run the whole test suite
# Other targets: deps asan unit e2e browser fuzz bench soak lint clean fresh-check

CC      ?= cc
PKGS    := libmicrohttpd sqlite3 jansson libsodium md4c-html zlib libpq libcurl cjose liboath

# Set-up comes first, while make reads this file: build/pkg.mk (PKG_CFLAGS and PKG_LIBS,
# from pkg-config) is remade after mk/deps.sh has installed what is missing, and make
# then reads this file again from the top. So on a fresh machine the very first run
# sees the installed libraries and the NHS.UK files that the variables below look for.
# Goals that build nothing install nothing.
NODEPS_GOALS := clean lint fresh-check
ifneq ($(filter-out $(NODEPS_GOALS),$(or $(MAKECMDGOALS),all)),)
include build/pkg.mk
endif
WARN    := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wvla -Wpointer-arith -Wstrict-prototypes \
           -Wno-format-nonliteral -Wno-format-truncation
CFLAGS  ?= -O2 -g
ALL_CFLAGS := -std=c11 -D_GNU_SOURCE -fstack-protector-strong -fPIE $(WARN) $(CFLAGS) $(PKG_CFLAGS) \
              -Isrc -Ibuild
LDFLAGS ?=
ALL_LDFLAGS := -pie -Wl,-z,relro,-z,now $(LDFLAGS)
LIBS    := $(PKG_LIBS) -lpthread -lm

B       ?= build
SRC     := $(shell find src -name '*.c' | sort)
LIBSRC  := $(filter-out src/main.c,$(SRC))
OBJ     := $(LIBSRC:%.c=$(B)/obj/%.o) $(B)/obj/embedded.o
NHSUK   := node_modules/nhsuk-frontend/dist/nhsuk
EMBED_FILES := $(shell find content static -type f 2>/dev/null | sort) \
               $(wildcard src/store/migrations/*.sql src/store/migrations/postgres/*.sql)
EMBED_ARGS  := $(foreach f,$(EMBED_FILES),$(if $(filter src/store/migrations/%,$(f)),$(patsubst src/store/%,%,$(f))=$(f),$(f)=$(f))) \
               nhsuk/nhsuk-frontend.min.css=$(B)/nhsuk-frontend.min.css \
               nhsuk/nhsuk-frontend.min.js=$(NHSUK)/nhsuk-frontend.min.js \
               $(foreach f,$(wildcard $(NHSUK)/assets/images/*) $(NHSUK)/assets/manifest.json,$(patsubst $(NHSUK)/%,nhsuk/%,$(f))=$(f))
UNIT_SRC   := $(wildcard tests/unit/test_*.c)
UNIT_BIN   := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)

# The Node.js that runs the end-to-end and browser tests: the one that package.json
# installs into node_modules (Debian 12's own Node.js 18 is too old for the test runner's
# options and for playwright-core). Its reporter is TAP unless the output is a terminal,
# so that tests/run-all.sh can count the results.
NODE_BIN := $(CURDIR)/node_modules/.bin
NODE     := $(NODE_BIN)/node
NODE_TEST = PATH="$(NODE_BIN):$$PATH" $(NODE) --test --test-concurrency=1 \
            --test-reporter=$$(test -t 1 && echo spec || echo tap)
NODE_OK   = @test -x $(NODE) || { echo "no $(NODE): package.json installs Node.js for x86-64 only;" \
              "link a Node.js 20 or later there" >&2; exit 1; }

.DELETE_ON_ERROR:
.PHONY: all deps run test unit e2e browser asan test-asan fuzz fuzz-smoke bench soak lint clean fresh-check
all: $(B)/firstdays

deps: build/.deps-ok
build/.deps-ok: mk/deps.sh package.json package-lock.json
	@bash mk/deps.sh
	@mkdir -p build && touch $@

build/pkg.mk: build/.deps-ok Makefile
	@c=$$(pkg-config --cflags $(PKGS)) && l=$$(pkg-config --libs $(PKGS)) && \
	  printf 'PKG_CFLAGS := %s\nPKG_LIBS := %s\n' "$$c" "$$l" >$@.tmp && mv $@.tmp $@

$(B)/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) -O1 -o $@ $<

# The list of embedded files, rewritten only when it changes: embedded.c is rebuilt when
# a file joins or leaves the list (the files npm unpacks keep their tarball's old times,
# so their times alone would not tell).
$(B)/embed.args: FORCE
	@mkdir -p $(dir $@)
	@printf '%s\n' $(EMBED_ARGS) >$@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi
FORCE:

$(B)/embedded.c: $(B)/tools/embed $(EMBED_FILES) $(B)/nhsuk-frontend.min.css $(B)/embed.args build/.deps-ok Makefile
	$(B)/tools/embed $@ $(EMBED_ARGS)

# The NHS.UK stylesheet without its Frutiger web font: the font is licensed to
# NHS organisations only, is fetched from assets.nhs.uk (which the CSP refuses),
# and browsers start fetching it before app.css switches to Arial.
$(B)/nhsuk-frontend.min.css: build/.deps-ok
	@mkdir -p $(dir $@)
	sed -e 's/@font-face{font-family:Frutiger W01;[^}]*}//g' \
	    -e 's/font-family:Frutiger W01,/font-family:/g' $(NHSUK)/nhsuk-frontend.min.css > $@
	@! grep -q Frutiger $@ || { echo "Frutiger still in $@" >&2; rm -f $@; exit 1; }

$(B)/obj/embedded.o: $(B)/embedded.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Wno-overlength-strings -c -o $@ $<

$(B)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(B)/libfirstdays.a: $(OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/firstdays: $(B)/obj/src/main.o $(B)/libfirstdays.a
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(B)/tests/%: tests/unit/%.c $(B)/libfirstdays.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -Itests/unit -o $@ $< $(B)/libfirstdays.a $(LIBS) -lcmocka

-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)

run: build/.deps-ok $(B)/firstdays
	$(B)/firstdays serve --db firstdays.db

unit: build/.deps-ok $(UNIT_BIN)
	@bash tests/run-unit.sh $(B)

e2e: build/.deps-ok $(B)/firstdays
	$(NODE_OK)
	FIRSTDAYS_BIN=$(B)/firstdays $(NODE_TEST) tests/e2e/*.test.mjs

browser: build/.deps-ok $(B)/firstdays
	$(NODE_OK)
	FIRSTDAYS_BIN=$(B)/firstdays $(NODE_TEST) tests/browser/*.test.mjs

# The same unit and end-to-end suites under AddressSanitizer and UBSan.
asan: build/.deps-ok
	$(MAKE) B=build-asan CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	  LDFLAGS="-fsanitize=address,undefined" build-asan/firstdays $(UNIT_SRC:tests/unit/%.c=build-asan/tests/%)

# Sanitizer reports also go to files, so a report from a server started by an
# end-to-end test (whose stderr the test keeps) still fails the run.
SANLOG := build-asan/sanitizer-logs
SANOPTS := ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:log_path=$(CURDIR)/$(SANLOG)/asan \
	   UBSAN_OPTIONS=print_stacktrace=1:log_path=$(CURDIR)/$(SANLOG)/ubsan
test-asan: asan
	$(NODE_OK)
	@rm -rf $(SANLOG) && mkdir -p $(SANLOG)
	$(SANOPTS) bash tests/run-unit.sh build-asan; u=$$?; \
	$(SANOPTS) FIRSTDAYS_BIN=build-asan/firstdays $(NODE_TEST) tests/e2e/*.test.mjs; e=$$?; \
	if ls $(SANLOG)/* >/dev/null 2>&1; then echo "sanitizer reports:"; cat $(SANLOG)/*; exit 1; fi; \
	test $$u -eq 0 -a $$e -eq 0

# libFuzzer targets (clang with libclang-rt-14-dev): the library is rebuilt
# with clang and the sanitizers first, then each tests/fuzz/fuzz_*.c is linked to it.
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=build-fuzz/%)
.PHONY: fuzz-lib
fuzz-lib: build/.deps-ok
	$(MAKE) B=build-fuzz CC=clang \
	  CFLAGS="-O1 -g -fsanitize=fuzzer-no-link,address,undefined -Wno-unknown-warning-option" \
	  LDFLAGS="-fsanitize=address,undefined" build-fuzz/libfirstdays.a
build-fuzz/%: tests/fuzz/%.c fuzz-lib
	clang -std=c11 -D_GNU_SOURCE -g -O1 -Wall -Wextra -Werror \
	  -fsanitize=fuzzer,address,undefined -Isrc -Ibuild-fuzz \
	  $(PKG_CFLAGS) -o $@ $< build-fuzz/libfirstdays.a $(LIBS)

fuzz: $(FUZZ_BIN)
	@bash tests/run-fuzz.sh 60

fuzz-smoke: $(FUZZ_BIN)
	@bash tests/run-fuzz.sh 15

test: build/.deps-ok
	@bash tests/run-all.sh

$(B)/bench/baseline: bench/baseline.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(LIBS)

$(B)/bench/render: bench/render.c $(B)/libfirstdays.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(B)/libfirstdays.a $(LIBS)

bench: build/.deps-ok $(B)/firstdays $(B)/bench/baseline $(B)/bench/render
	@B=$(B) bash bench/run.sh

# A million requests over pages, ORUK search and the timeline API, with slow and
# vanishing clients: 0 errors and flat memory, or it fails (bench/soak.sh).
soak: build/.deps-ok $(B)/firstdays
	@B=$(B) bash bench/soak.sh

lint:
	clang-format --dry-run --Werror $(SRC) 2>&1 | head -50

clean:
	rm -rf build build-asan build-fuzz

# The README's two commands on a brand-new Debian 12 root, with what is committed here
# (../shared/tools/fresh-machine; as root; tens of minutes). The script's own status is
# 0 passed, 1 the project failed, 2 the check could not run; make turns any failure into 2,
# so .ci/run calls the script itself.
FRESH_MACHINE ?= ../shared/tools/fresh-machine
fresh-check:
	bash $(FRESH_MACHINE)
