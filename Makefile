# GMG Hub. Two commands: `make run` (install, build, serve the seeded GMG) and `make test`.
.PHONY: all deps deps-test build build-debug web run test test-steps test-unit test-layering lint analyze test-fuzz fuzz-long test-e2e test-e2e-postgres test-e2e-both \
	test-web bench clean

NPROC := $(shell nproc)
GMG_DB ?= gmg.db
GMG_PORT ?= 8080
# Seconds each fuzz target runs: short in `make test`, long in `make fuzz-long`.
FUZZ_SHORT_SECONDS ?= 10
FUZZ_SECONDS ?= 3600
# Every Node use runs with a Node >= 20 first on PATH: the system's, or a pinned Node 22 that
# scripts/ensure-node.sh brings once from the npm registry into .tools/node when the system's is older.
WITH_NODE = node_bin="$$(scripts/ensure-node.sh)" && export PATH="$$node_bin:$$PATH" &&

all: build

deps:
	@scripts/install-deps.sh build

deps-test:
	@scripts/install-deps.sh test

web/node_modules/.installed: web/package.json web/package-lock.json
	$(WITH_NODE) cd web && npm ci --no-audit --no-fund
	touch $@

web: web/node_modules/.installed
	$(WITH_NODE) cd web && npm run build

build/release/build.ninja: CMakeLists.txt CMakePresets.json
	cmake --preset release

# GMG_UNITY=ON (.ci/run sets it): each module's sources compiled as one unit, for a cold cache
# (4x less CPU at -O0); an edit then recompiles its whole module (CMakeLists.txt, GMG_UNITY).
# GMG_DEBUG_INFO (.ci/run sets -gline-tables-only): the debug information of the debug build.
# Line tables are all AddressSanitizer's and UBSan's reports need (file:line in every frame);
# a module compiled with them took 14 % less CPU than with -g (the research module: 21.7 against
# 25.3 s) and its object 39 % less room. A developer's build keeps -g, for a debugger.
build/debug/build.ninja: CMakeLists.txt CMakePresets.json
	cmake --preset debug $(if $(GMG_UNITY),-DGMG_UNITY=$(GMG_UNITY)) \
	  $(if $(GMG_DEBUG_INFO),-DCMAKE_CXX_FLAGS_DEBUG=$(GMG_DEBUG_INFO))

# The release binary at build/release/gmg and the web app in web/dist/.
build: deps build/release/build.ninja
	cmake --build --preset release
	$(MAKE) web

run: build
	build/release/gmg demo load --db $(GMG_DB)
	@echo "GMG Hub: open http://127.0.0.1:$(GMG_PORT)/ — sign in as admin@localhost"
	@echo "(on the first start the admin password is GMG_ADMIN_PASSWORD, or a generated one printed below)"
	build/release/gmg serve --db $(GMG_DB) --port $(GMG_PORT) --web web/dist

# Every test, under AddressSanitizer + UndefinedBehaviorSanitizer, with a throwaway PostgreSQL 15
# cluster (scripts/pg-cluster.sh run: GMG_TEST_PG_URL and GMG_REQUIRE_PG=1 exported, the cluster
# stopped and deleted at the end, pass or fail): unit tests and the end-to-end suite run on both
# engines, the browser tests once (SQLite), then make lint.
test: deps-test build/debug/build.ninja
	scripts/lanes.sh build-debug web
	scripts/pg-cluster.sh run $(MAKE) test-steps

# The debug build alone (make test builds it beside the web app: npm ci and vite wait on the
# network and the disk as much as on the CPU).
build-debug: build/debug/build.ninja
	cmake --build --preset debug

# One after the other (the recipe's lines run in order even under make -j), each step's time
# printed for CI's log; make lint last. The layering check runs in test-e2e-both, a third lane
# beside the two suites, its compiler under nice: it takes the CPU they leave (the machine was 18 % idle over
# them). After the SQLite suite it made that lane the longest (371 + 278 s against PostgreSQL's
# 567 s, CI of 238dfbb). (Running lint there instead measured 733 s against 572 + 148 s one
# after the other: lint's clang-tidy jobs take both cores at normal priority.)
TEST_STEPS := test-unit test-fuzz test-e2e-both test-web lint
test-steps:
	@for step in $(TEST_STEPS); do \
	  start=$$(date +%s); $(MAKE) $$step || exit 1; \
	  echo "== $$step: $$(( $$(date +%s) - start )) s" >&2; \
	done

test-unit:
	ctest --preset debug -j $(NPROC)

# The module layering (docs/architecture.md): every header compiles with only its module's
# dependencies, and an upward include is refused.
test-layering:
	scripts/check-layering.sh

# The sources formatted as .clang-format says and clean under .clang-tidy (warnings are errors);
# `scripts/lint.sh --fix-format` reformats. make test runs it last.
lint: deps-test build/debug/build.ninja
	scripts/lint.sh

# The Clang static analyzer on every unit (~23 CPU-minutes; not in make test: scripts/analyze.sh).
analyze: deps-test build/debug/build.ninja
	scripts/analyze.sh

# The libFuzzer targets (clang, ASan + UBSan, build/fuzz): their regression inputs, then a
# short run of each; fails on any crash. docs/fuzzing.md.
test-fuzz:
	scripts/fuzz.sh --seconds $(FUZZ_SHORT_SECONDS)

# A long run of each target, 2 at a time, with a summary table for docs/fuzzing.md.
fuzz-long:
	scripts/fuzz.sh --seconds $(FUZZ_SECONDS) --summary build/fuzz/summary-$(FUZZ_SECONDS)s.md

test-e2e:
	$(WITH_NODE) GMG_TEST_ENGINE=sqlite GMG_BIN=$(CURDIR)/build/debug/gmg \
	  node --test --test-concurrency=1 tests/e2e/*.test.mjs

# The same suite with every server on a fresh PostgreSQL database, plus the PostgreSQL-only tests
# (several instances behind nginx, faults); needs GMG_TEST_PG_URL (`make test` starts a cluster).
test-e2e-postgres:
	@[ -n "$$GMG_TEST_PG_URL" ] || { echo "GMG_TEST_PG_URL is not set: scripts/pg-cluster.sh run $(MAKE) $@" >&2; exit 2; }
	$(WITH_NODE) GMG_TEST_ENGINE=postgres GMG_BIN=$(CURDIR)/build/debug/gmg \
	  node --test --test-concurrency=1 tests/e2e/*.test.mjs

# The SQLite and PostgreSQL end-to-end suites at the same time (each one file at a time; the
# SQLite suite never touches the cluster, every server has its own port and database), each
# into its own log under build/, printed when both have ended; fails if either failed. The
# layering check is a third lane (see TEST_STEPS).
test-e2e-both:
	scripts/lanes.sh test-e2e test-e2e-postgres test-layering

test-web:
	$(WITH_NODE) cd web && npm run i18n:check && GMG_TEST_ENGINE=sqlite GMG_BIN=$(CURDIR)/build/debug/gmg npm test

# Activities for the coherence engine benchmark (docs/performance.md, issue 10).
COHERENCE_BENCH_N ?= 100000

bench: deps-test build
	build/release/gmg_bench --benchmark_min_time=0.2
	build/release/gmg_round_bench
	bench/http/run.sh
	bench/activities/run.py
	bench/coherence/run.py --no-build --activities $(COHERENCE_BENCH_N)
	bench/statistics/run.sh --no-build
	bench/meetings/run.sh --no-build
	build/release/gmg_actions_bench

clean:
	rm -rf build web/dist web/node_modules
