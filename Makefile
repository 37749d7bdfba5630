# The two commands of the README:
#   make run    install what is missing, build in release mode, start the main job
#   make test   install what is missing, build, run the whole test suite and checks
SHELL := /bin/bash
export PATH := $(PATH):/opt/swift/usr/bin
SHARED ?= ../shared
ICWB2 := $(SHARED)/data/public/icwb2

.PHONY: run test deps test-deps build build-release unit-tests checks corpus-check sighan bench bench-analyze train eval-public eval-samples

deps:
	@scripts/install-deps.sh

build-release: deps
	swift build -c release --product xinsheng

# The main job: the live service on the embedded SQLite store under ./data,
# the bundled model and config/, on http://127.0.0.1:8080 (console at
# /console). ARGS passes extra flags, e.g. make run ARGS='--port 9090'.
run: build-release
	.build/release/xinsheng serve $(ARGS)

test-deps:
	@scripts/install-deps.sh --test

test: deps test-deps unit-tests checks

# The profile-store contract tests also run against a real PostgreSQL:
# POSTGRES_URL if set, else a local server started (and installed if missing)
# by scripts/postgres-local.sh. XINSHENG_REQUIRE_POSTGRES=1 makes them fail,
# never skip, when no server is reachable. scripts/run-tests.sh runs the
# suite with a deadline (XINSHENG_TEST_TIMEOUT, 1500 s) and names the tests
# still running if it passes.
unit-tests:
	swift build --build-tests
	POSTGRES_URL="$${POSTGRES_URL:-$$(scripts/postgres-local.sh)}" XINSHENG_REQUIRE_POSTGRES=1 XINSHENG_REQUIRE_BROWSER=1 scripts/run-tests.sh

# Checks that need the release binary: the corpora are valid and free of
# near-duplicates, and the lexicons must not make segmentation of general
# text worse than raw ICU by more than 0.01 F1.
checks: build-release corpus-check
	@if [ -f $(ICWB2)/pku_test.utf8 ]; then \
	  for corpus in pku msr; do \
	    .build/release/xinsheng bench sighan --test $(ICWB2)/$${corpus}_test.utf8 \
	      --gold $(ICWB2)/$${corpus}_test_gold.utf8 --max-drop 0.01 || exit 1; \
	  done; \
	else echo "skipping SIGHAN check: $(ICWB2) not found"; fi

corpus-check: build-release
	.build/release/xinsheng corpus check

# Retrain the bundled model from corpora/ with config/training.yaml.
train: build-release
	.build/release/xinsheng train

# Sentiment accuracy on the public review sets (never trained on).
eval-public: build-release
	@for set in chnsenticorp_htl online_shopping_10_cats waimai_10k; do \
	  .build/release/xinsheng eval --sentiment-only --quiet $(SHARED)/data/public/eval/sentiment_$$set.jsonl || exit 1; \
	  grep -m1 '| accuracy' reports/sentiment_$$set.md | sed "s/^/$$set /"; \
	done

# The hand-labelled samples of real public texts (evaluation/public-samples):
# labels joined with the licensed texts into a scratch folder, then scored.
SAMPLES_TMP ?= /tmp/xinsheng-public-samples
eval-samples: build-release
	@mkdir -p $(SAMPLES_TMP)
	@for labels in evaluation/public-samples/*.labels.jsonl; do \
	  name=$$(basename $$labels .labels.jsonl); \
	  python3 scripts/public-sample.py --public $(SHARED)/data/public/eval $$labels > $(SAMPLES_TMP)/$$name.jsonl || exit 1; \
	  .build/release/xinsheng eval --quiet --output $(SAMPLES_TMP) $(SAMPLES_TMP)/$$name.jsonl || exit 1; \
	  grep -E '^\| (intent accuracy|sentiment accuracy|false-alarm rate)' $(SAMPLES_TMP)/$$name.md | sed "s/^/$$name /"; \
	done

bench-analyze: build-release
	.build/release/xinsheng bench analyze $(SHARED)/data/public/eval/bank_app_reviews_icbc.jsonl

bench: build-release
	.build/release/xinsheng bench segment $(ICWB2)/pku_test.utf8
