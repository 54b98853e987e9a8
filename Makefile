# SPDX-License-Identifier: Apache-2.0
#
# make run    build and run "hotline serve" on embedded defaults (data in ./data)
# make test   install missing test tools, lint, then the whole suite with -race
# make bench  the benchmarks whose numbers BENCHMARKS.md keeps
# make lint   gofmt, go vet and staticcheck (pinned in go.mod as a tool)
# make sounds regenerate the Vietnamese prompts in sounds/ (espeak-ng, sox)
# make deb    the Debian package bin/hotline_VERSION_amd64.deb (nfpm, pinned below)

GO      ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.Version=$(VERSION)
BIN     := bin/hotline
BENCH   ?= .
BENCHTIME ?= 1s

# nfpm builds the .deb from packaging/nfpm.yaml; "go run" fetches the pinned
# release through the Go module proxy and caches it.
NFPM    ?= $(GO) run github.com/goreleaser/nfpm/v2/cmd/nfpm@v2.48.0
# A Debian version must start with a digit: 0.0~gitDATE.COMMIT sorts by date.
DEB_VERSION ?= 0.0~git$(shell git log -1 --format=%cd --date=format:%Y%m%d%H%M 2>/dev/null || echo 0).$(shell git rev-parse --short HEAD 2>/dev/null || echo dev)
DEB_DIR ?= bin

.PHONY: build run test lint bench deps fuzz clean sounds deb

build:
	@.ci/deps build
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/hotline

run: build
	./$(BIN) serve

deps:
	@.ci/deps test

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) tool staticcheck ./...

test: deps lint
	.ci/keyring-session $(GO) test -race -count=1 -timeout 15m ./...

bench:
	$(GO) test -run '^$$' -bench '$(BENCH)' -benchtime $(BENCHTIME) -benchmem -timeout 60m ./...

# A short run of every fuzz target on top of the corpus kept in testdata/fuzz.
FUZZTIME ?= 30s
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzParseCode$$' -fuzztime $(FUZZTIME) ./tickets
	$(GO) test -run '^$$' -fuzz '^FuzzLoad$$' -fuzztime $(FUZZTIME) ./cmd/hotline/internal/config
	$(GO) test -run '^$$' -fuzz '^FuzzHandle$$' -fuzztime $(FUZZTIME) ./chatbot
	$(GO) test -run '^$$' -fuzz '^FuzzWebhook$$' -fuzztime $(FUZZTIME) ./chatbot/telegram

# The prompts of sounds/manifest.txt as 8 kHz mono 16-bit WAV; the files are
# committed. VOICE: vi (Northern), vi-vn-x-central or vi-vn-x-south.
VOICE ?= vi-vn-x-south
sounds:
	sounds/generate.sh $(VOICE)

deb: build
	@mkdir -p $(DEB_DIR)
	DEB_VERSION='$(DEB_VERSION)' $(NFPM) package --config packaging/nfpm.yaml --packager deb --target $(DEB_DIR)/

clean:
	rm -rf bin
