# zhibu - build, run and test.  See README.md for the two commands.
#
#   make            build build/zhibu (strict warnings)
#   make run        install what is missing, build, create a demo db, serve
#   make test       every test layer (unit, API on SQLite and PostgreSQL,
#                   sanitizer build, short fuzz runs, browser tests)
#   make san        ASan+UBSan build in build-asan/
#   make fuzz       longer fuzz runs
#   make bench      benchmarks (bench/)

BUILD ?= build
SAN ?= 0
FUZZ ?= 0
CC ?= gcc
# compile on every core (make test and make run build three configurations)
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
PKGS := libmicrohttpd jansson libsodium openssl icu-uc icu-i18n xlsxwriter \
        libzip libxml-2.0 libqrencode sqlite3 libpq zlib

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

WARN := -Wall -Wextra -Werror -Wshadow -Wmissing-prototypes -Wstrict-prototypes \
        -Wformat=2 -Wvla -Wpointer-arith -Wno-missing-field-initializers
ifeq ($(FUZZ),1)
OPT := -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
LDSAN := -fsanitize=address,undefined
else ifeq ($(SAN),1)
OPT := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
LDSAN := -fsanitize=address,undefined
else
OPT := -O2 -g
LDSAN :=
endif

CFLAGS := -std=gnu11 $(OPT) $(WARN) -D_GNU_SOURCE -Isrc -I$(BUILD)/gen $(PKG_CFLAGS) $(EXTRA_CFLAGS)
LDLIBS := $(PKG_LIBS) -lpthread -lm

SRCS := $(shell find src -name '*.c' ! -path src/main.c | sort)
OBJS := $(SRCS:%.c=$(BUILD)/%.o) $(BUILD)/gen/migrations.o
LIB := $(BUILD)/libzhibu.a
BIN := $(BUILD)/zhibu
MIGRATIONS := $(sort $(wildcard src/store/migrations/*.sql))
UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all deps run test unit san fuzz bench clean lint web
all: $(BIN) $(UNIT_BINS)

$(BUILD)/gen/migrations.c: $(MIGRATIONS) tools/embed-sql.sh
	@mkdir -p $(dir $@)
	sh tools/embed-sql.sh $(MIGRATIONS) > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/migrations.o: $(BUILD)/gen/migrations.c
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(LIB): $(OBJS)
	rm -f $@ && ar rcs $@ $^

$(BIN): $(BUILD)/src/main.o $(LIB)
	$(CC) $(LDSAN) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests/unit -o $@ $< $(LIB) $(LDLIBS) -lcmocka

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

deps:
	@sh tools/deps.sh

web:
	@sh tools/web-build.sh

run: deps
	@$(MAKE) --no-print-directory -j$(JOBS) all web
	@sh tools/run.sh

test: deps
	@$(MAKE) --no-print-directory -j$(JOBS) all web
	@sh tests/run.sh

unit: all
	@sh tests/run.sh unit

san:
	@$(MAKE) --no-print-directory -j$(JOBS) BUILD=build-asan SAN=1 all

fuzz: deps
	@sh fuzz/run.sh 60

bench: deps all
	@sh bench/run.sh

lint:
	@sh tools/lint.sh

clean:
	rm -rf build build-asan build-fuzz
