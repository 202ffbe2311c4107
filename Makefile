# The one entry point. `make start` runs the app; `make test` runs every test (fresh machine OK).
SHELL := /bin/bash
.DEFAULT_GOAL := help
NPM_STAMP := node_modules/.package-lock.json

.PHONY: help start dev build test test-unit test-parallel e2e lint format setup deps setup-db-indexes test-node-versions \
	bench-accuracy bench-engine bench-app bench-ai bench-sync benchmark benchmark-quick benchmark-stress \
	benchmark-ui profile profile-cpu perf-test

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

test-unit: deps ## unit tests only (contract, engine, server, app logic; no browser)
	npx vitest run --project contract --project @samplemind/engine --project server-lite --project web-app

test-parallel: setup ## every test, files in parallel (server-lite two at a time, browser specs one at a time)
	npx vitest run

e2e: setup ## browser specs: the built app in Chromium (real IndexedDB, service worker)
	npm run e2e -w @samplemind/web-app

test-node-versions: setup ## unit + integration tests under Node 22 and 24 too (fetched from npm; Linux x64)
	bash scripts/test-node-versions.sh

setup-db-indexes: deps ## create the MongoDB indexes (needs MONGODB_URL)
	npm run setup-db-indexes -w @samplemind/server-lite

lint: deps ## biome + type-check every runtime
	npm run lint

format: deps ## format the tree
	npm run format

bench-accuracy: deps ## engine accuracy on the development corpus (../shared)
	npm run bench:accuracy

bench-engine: deps ## engine speed: Node + Chromium worker, vs the ffmpeg decode floor
	WITH_FFMPEG=1 bash scripts/setup-system.sh
	npm run bench:engine

bench-app: deps ## the app in Chromium: 10k import, 100k library open/filter/similarity, bundle sizes
	npm run bench:app

bench-ai: deps ## AI proxy overhead, cache latency and hit rate against the provider stub
	npm run bench:ai

bench-sync: deps ## sync: 100k-sample initial sync to a fresh device (time, wire bytes, server CPU), edit latency A -> B
	npm run bench:sync

benchmark-quick: deps ## server load mix: short run, few connections
	npm run bench:server -- --quick

benchmark: deps ## server load mix, 100 connections, embedded and Redis + Chroma stores
	npm run bench:server -- --connections 100

benchmark-stress: deps ## server load mix, 500 connections, longer
	npm run bench:server -- --connections 500 --duration 30

benchmark-ui: ## HTML report of the last server benchmark runs, opened in a browser
	node server-lite/scripts/bench-report.mjs

profile: deps ## heap profile of the server under load
	node server-lite/scripts/profile-server.mjs --heap

profile-cpu: deps ## CPU profile of the server under load
	node server-lite/scripts/profile-server.mjs --cpu

perf-test: bench-accuracy bench-engine benchmark bench-ai bench-app bench-sync ## every benchmark in the project
