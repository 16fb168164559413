# Resonance — the two commands of the quick start, and what they need.
#   make demo   run the main job on the embedded broker
#   make test   install what the tests need, build, run every test
SHELL := /bin/bash
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# chromium, chromium-driver and python3-selenium drive the dashboard's browser test; prometheus scrapes two workers in
# the metrics test.
APT_PACKAGES := librdkafka-dev kcat pkg-config python3-confluent-kafka chromium chromium-driver python3-selenium \
  prometheus
SWIFT_TEST_FLAGS ?=

.PHONY: deps build release test demo bench-io clean

## deps: install the Debian packages builds and tests need (apt-get update once, only when something is missing)
deps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

build: deps
	swift build

release: deps
	swift build -c release

test: build
	swift test --no-parallel $(SWIFT_TEST_FLAGS)

## demo: the README's first command (DURATION=seconds caps the live producer)
demo: release
	DURATION=$(or $(DURATION),120) bash scripts/demo.sh

## bench-io: produce and consume 2,000,000 messages through our client and through kcat on one dev broker
bench-io: release
	.build/release/resonance bench io

clean:
	rm -rf .build
