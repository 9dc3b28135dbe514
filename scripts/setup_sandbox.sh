#!/usr/bin/env bash
# What the grading sandbox needs on a machine (docs/sandbox.md): bubblewrap from the system's
# packages and, when grading runs as root, dedicated unprivileged users (one per concurrent worker)
# that can run the interpreter. Called by `make setup` and by the Gradescope setup. It never fails the setup: each
# piece it cannot provide only removes one layer, and `dlgrade grade` reports which layers it used.
#
#   bash scripts/setup_sandbox.sh [PYTHON]     (PYTHON: the interpreter that grades; default .venv)
set -u

WORKER_USER="${DLGRADE_WORKER_USER:-dlgrade-worker}"
PY="${1:-}"
if [ -z "$PY" ]; then
    if [ -x .venv/bin/python ]; then PY=.venv/bin/python; else PY="$(command -v python3 || true)"; fi
fi

say() { echo "setup_sandbox: $*"; }

if [ "$(uname -s)" != "Linux" ]; then
    say "not Linux: the worker runs with resource limits only (see docs/sandbox.md)"
    exit 0
fi

have() { command -v "$1" >/dev/null 2>&1; }

install_bwrap() {
    if have apt-get; then
        timeout 300 apt-get install -y -qq bubblewrap >/dev/null 2>&1 \
            || { timeout 300 apt-get update -qq >/dev/null 2>&1 \
                 && timeout 300 apt-get install -y -qq bubblewrap >/dev/null 2>&1; }
    elif have dnf; then timeout 300 dnf install -y -q bubblewrap >/dev/null 2>&1
    elif have yum; then timeout 300 yum install -y -q bubblewrap >/dev/null 2>&1
    elif have apk; then timeout 300 apk add --quiet bubblewrap >/dev/null 2>&1
    elif have zypper; then timeout 300 zypper --quiet --non-interactive install bubblewrap >/dev/null 2>&1
    fi
}

if [ "$(id -u)" -ne 0 ]; then
    if have bwrap; then say "bubblewrap: $(command -v bwrap)"
    else say "bubblewrap missing and not root: ask an administrator to install the 'bubblewrap' package"; fi
    say "not root: no dedicated user needed (the worker runs as you, inside bubblewrap where it works)"
    exit 0
fi

# 1. bubblewrap
if ! have bwrap; then
    install_bwrap
    if have bwrap; then say "installed bubblewrap"; else say "could not install bubblewrap: no namespace isolation"; fi
else
    say "bubblewrap: $(command -v bwrap)"
fi

# 2. the dedicated users: one per worker that runs at the same time (autograder/sandbox/uids.py),
#    WORKER_USER, WORKER_USER-1, ...; no home, no shell, each its own group, no other groups
POOL="${DLGRADE_WORKER_POOL:-$(nproc 2>/dev/null || echo 4)}"
[ "$POOL" -ge 4 ] 2>/dev/null || POOL=4
users=""
for i in $(seq 0 $((POOL - 1))); do
    name="$WORKER_USER"; [ "$i" -gt 0 ] && name="$WORKER_USER-$i"
    if ! id -u "$name" >/dev/null 2>&1; then
        if have useradd; then
            useradd --system --user-group --no-create-home --home-dir /nonexistent \
                --shell /usr/sbin/nologin "$name" >/dev/null 2>&1
        elif have adduser; then  # busybox (Alpine): a group of its own first
            addgroup -S "$name" >/dev/null 2>&1
            adduser -S -D -H -s /sbin/nologin -G "$name" "$name" >/dev/null 2>&1
        fi
        if id -u "$name" >/dev/null 2>&1; then say "created user $name (uid $(id -u "$name"))"
        else say "could not create user $name"; break; fi
    fi
    users="$users $name"
done
if [ -z "$users" ]; then say "no dedicated user: the worker would run as root"; exit 0; fi
say "dedicated users:$users"

# 3. without bubblewrap each worker user runs the interpreter from its real place: every folder
#    above it must be traversable (x) by that user. Grant only that, only where it is missing.
if [ -n "$PY" ] && [ -x "$PY" ] && have setpriv; then
    base="$("$PY" -I -c 'import sys; print(sys.base_prefix)' 2>/dev/null)"
    prefixes="$("$PY" -I -c 'import sys, os; print("\n".join({os.path.realpath(p) for p in (sys.prefix, sys.base_prefix, sys.executable)}))' 2>/dev/null)"
    for user in $users; do
        as_user() { setpriv --reuid "$user" --regid "$(id -g "$user")" --clear-groups env -i "$@"; }
        # The same interpreter, not one found elsewhere: its base prefix must be the one root sees.
        runs() { timeout 120 setpriv --reuid "$user" --regid "$(id -g "$user")" --clear-groups \
                     env -i "$PY" -I -c "import sys, numpy; sys.exit(sys.base_prefix != '$base')" >/dev/null 2>&1; }
        if runs; then say "$user can run $PY"; continue; fi
        while IFS= read -r p; do
            # top down: a folder counts as reachable only once every folder above it is
            ancestors=""
            d="$p"
            while [ "$d" != "/" ] && [ -n "$d" ]; do d="$(dirname "$d")"; ancestors="$d $ancestors"; done
            for d in $ancestors; do
                [ -d "$d" ] || continue
                if ! as_user test -x "$d" 2>/dev/null; then
                    if have setfacl && setfacl -m "u:$user:x" "$d" 2>/dev/null; then
                        say "granted $user traverse (x) on $d (ACL)"
                    elif chmod o+x "$d" 2>/dev/null; then
                        say "made $d traversable by others (o+x; its contents stay unlisted)"
                    fi
                fi
            done
        done <<< "$prefixes"
        if runs; then say "$user can run $PY"
        else say "$user cannot run $PY: without bubblewrap it is not used"; fi
    done
fi
exit 0
