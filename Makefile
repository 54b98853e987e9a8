# SPDX-License-Identifier: Apache-2.0
#
# make run    build and run "hotline serve" on embedded defaults (data in ./data)
# make test   install missing test tools, lint, then the whole suite with -race
# make bench  the benchmarks whose numbers BENCHMARKS.md keeps
# make lint   gofmt, go vet and staticcheck (pinned in go.mod as a tool)
# make sounds regenerate the Vietnamese prompts in sounds/ (espeak-ng, sox)

GO      ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.Version=$(VERSION)
BIN     := bin/hotline
BENCH   ?= .
BENCHTIME ?= 1s

.PHONY: build run test lint bench deps fuzz clean sounds

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

clean:
	rm -rf bin
