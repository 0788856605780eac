# Newsroom: the two commands a newcomer needs on Debian 12 are `make run` and `make test`.
# Both install what is missing first (apt, rustup, npm); see .ci/setup.sh.

SHELL := /bin/bash
DRAFTS ?= drafts
CARGO_TEST := $(shell cargo nextest --version >/dev/null 2>&1 && echo "cargo nextest run --no-fail-fast" || echo "cargo test --no-fail-fast")

.PHONY: run test setup contract wasm ui check-rust lint-ui test-rust test-ui test-e2e bench bench-archive bench-app bench-publish bench-sync package test-package screenshot portal-start portal-stop clean-index

## Run the desktop app on drafts/ (or DRAFTS=/path/to/folder).
run: setup ui
	cargo run -p newsroom-app -- "$(abspath $(DRAFTS))"

## Every check and test: formatting, lints (Rust and TypeScript), Rust tests, UI tests,
## end-to-end tests in a real window. A real WordPress (tests/portal/wordpress.sh) runs for
## the publish tests of the Rust crates and the app, and is stopped at the end whatever happens.
## NEWSROOM_WP_REQUIRED=1: the site was started, so a publish test that cannot reach it
## fails instead of skipping (newsroom_publish::test_site).
test: export NEWSROOM_WP_REQUIRED = 1
test: setup check-rust lint-ui
	bash tests/portal/wordpress.sh start >/dev/null
	trap 'bash tests/portal/wordpress.sh stop >/dev/null' EXIT; \
		$(CARGO_TEST) --workspace && npm --prefix ui test && $(MAKE) --no-print-directory test-e2e
	@echo "make test: all green"

setup:
	@bash .ci/setup.sh

## The page's types, generated from the Rust types that cross IPC (ui/src/generated/);
## `make test` fails while the committed files differ from what this writes.
contract:
	cargo run --quiet -p newsroom-api --bin newsroom-contract -- ui/src/generated

# The core's preview renderer for the page (WebAssembly, see ui/src/pageRenderer.ts); copied
# into ui/public/ only when it changed, so an unchanged renderer does not rebuild the UI.
RENDER_WASM := target/wasm32-unknown-unknown/release/newsroom_render_wasm.wasm
wasm:
	cargo build --quiet -p newsroom-render-wasm --release --target wasm32-unknown-unknown
	@cmp -s $(RENDER_WASM) ui/public/newsroom-render.wasm || cp $(RENDER_WASM) ui/public/newsroom-render.wasm

# The UI is rebuilt only when its sources changed: every build makes cargo re-embed it.
ui: wasm
	@if [ ! -f ui/dist/index.html ] || [ -n "$$(find ui/src ui/index.html ui/package.json ui/public -newer ui/dist/index.html -print -quit 2>/dev/null)" ]; then \
		npm --prefix ui run build; \
	fi

check-rust: ui
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings

# The UI's TypeScript: Biome's lints and its formatting check (ui/biome.jsonc);
# `npm --prefix ui run format` rewrites the files.
lint-ui: setup
	npm --prefix ui run lint

# The publish tests need WordPress: `make portal-start` first (they skip without it).
test-rust: ui
	$(CARGO_TEST) --workspace

test-ui: wasm
	npm --prefix ui test

test-e2e: ui
	bash tests/e2e/run.sh

## Benchmarks; figures go to docs/performance.md.
bench:
	bash tests/bench/core-report.sh

## 100,000 generated drafts (kept in target/archive-100000): cold index, reopen, one-file
## reindex and searches, each next to SQLite FTS5 alone on the same texts in the same run.
## NEWSROOM_ARCHIVE_DRAFTS=10000 for a smaller archive.
bench-archive:
	cargo bench -p newsroom-core --bench archive

bench-app: setup ui
	bash tests/bench-app/run.sh

## A publish of an article with five images, and again, to the test WordPress (started if
## needed): our side as a share of WordPress's time in the same run (release build).
## NEWSROOM_BENCH_RUNS=9, NEWSROOM_BENCH_UPLOADS=1 (one upload at a time) for variants.
bench-publish: portal-start
	cargo bench -p newsroom-publish --bench publish

## `newsroom sync` of a one-draft change and `newsroom sync clone` of 10,000 drafts, each
## next to plain git doing the same in the same run (release build; target/bench-sync).
bench-sync:
	bash tests/bench-sync/run.sh

## A Debian package (target/release/bundle/deb/): `newsroom-app`, the `newsroom` command with
## its manual pages and shell completions (generated from the release binary), the desktop
## entry, AppStream metainfo and icons, all named after the app id org.newsroom.Newsroom.
## `make test-package` builds it, installs it, checks it and removes it again.
package: setup wasm
	cargo build --release -p newsroom-cli
	bash src-tauri/linux/cli-extras.sh
	cd "$(CURDIR)" && TAURI_APP_PATH=src-tauri ui/node_modules/.bin/tauri build --bundles deb
	for deb in target/release/bundle/deb/*.deb; do bash src-tauri/linux/finish-deb.sh "$$deb"; done

## The packaging test (CI runs it after `make test`): needs root or sudo, installs the .deb.
test-package:
	bash tests/package/run.sh

screenshot: setup ui
	bash tests/e2e/screenshot.sh

portal-start:
	bash tests/portal/wordpress.sh start
portal-stop:
	bash tests/portal/wordpress.sh stop
