# The one entry point. `make start` runs the app; `make test` runs every test (fresh machine OK).
SHELL := /bin/bash
.DEFAULT_GOAL := help
NPM_STAMP := node_modules/.package-lock.json

.PHONY: help start dev build test test-unit e2e lint format setup deps \
	bench-accuracy bench-engine benchmark perf-test

help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk -F':.*?## ' '{printf "  %-20s %s\n", $$1, $$2}'

$(NPM_STAMP): package.json package-lock.json $(wildcard */package.json)
	npm ci --no-audit --no-fund
	@touch $(NPM_STAMP)

deps: $(NPM_STAMP) ## install npm dependencies (npm ci when the lock file changed)

setup: ## install system packages the tests need (chromium, redis-server), then npm deps
	bash scripts/setup-system.sh
	$(MAKE) deps

start: deps ## build the PWA and serve app + API on http://localhost:8080 (embedded stores)
	npm start

dev: deps ## Vite dev server + API with reload
	npm run dev

build: deps ## production build of the PWA
	npm run build

test: setup ## every test: unit, integration (real Redis/Chroma), browser (Chromium)
	npm test

test-unit: deps ## unit tests only
	npx vitest run --project contract --project @samplemind/engine

lint: deps ## biome + type-check every runtime
	npm run lint

format: deps ## format the tree
	npm run format

bench-accuracy: deps ## engine accuracy on the development corpus (../shared)
	npm run bench:accuracy

bench-engine: deps ## engine speed: Node + Chromium worker, vs the ffmpeg decode floor
	WITH_FFMPEG=1 bash scripts/setup-system.sh
	npm run bench:engine

perf-test: bench-accuracy bench-engine ## every benchmark in the project
