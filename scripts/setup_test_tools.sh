#!/usr/bin/env bash
# The system tools the framework's own tests need beyond .venv: Debian's chromium, which
# tests/test_report.py uses to render the class report headless. Called by `make setup`; no test
# installs anything. Unlike setup_sandbox.sh it fails when it cannot provide a tool, because the
# tests that need one fail without it.
#
#   bash scripts/setup_test_tools.sh           (as root; quick when everything is there)
set -u

say() { echo "setup_test_tools: $*"; }

have() { command -v "$1" >/dev/null 2>&1; }

if have chromium; then
    say "chromium: $(command -v chromium)"
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    say "chromium is missing and this is not root: run 'sudo bash scripts/setup_test_tools.sh'"
    exit 1
fi
if ! have apt-get; then
    say "chromium is missing and there is no apt-get: install a chromium that runs as 'chromium' on PATH"
    exit 1
fi

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
# The package lists are refreshed only when the install fails without it (missing or stale lists).
# The recommended chromium-sandbox is left out: the tests run chromium with --no-sandbox.
install_chromium() {
    DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -qq -o DPkg::Lock::Timeout=300 --no-install-recommends chromium >>"$log" 2>&1
}
if ! install_chromium; then
    timeout 300 apt-get update -qq >>"$log" 2>&1 && install_chromium
fi

if have chromium; then
    say "installed chromium: $(command -v chromium)"
else
    say "could not install chromium (Debian package 'chromium'); apt-get said:"
    tail -n 20 "$log"
    exit 1
fi
