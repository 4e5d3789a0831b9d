#!/usr/bin/env bash
# test_commit.sh: the commit a result's provenance names is the one the binary was built from,
# not the one at configure time (cmake/commit.cmake, run by every build). The working tree's
# files (tracked and untracked, not ignored) are committed to a scratch repository; configured
# once, the generated header names its HEAD; after a new commit, then after an edit of a tracked
# file, the next build's header names the new HEAD, then it with "-dirty"; a build with nothing
# changed leaves the header untouched (nothing recompiles). Exit 77 (skipped) when REPO_ROOT is
# not a git checkout.
#
# usage: bash tests/test_commit.sh CMAKE REPO_ROOT
set -u
if [ $# -ne 2 ]; then
    echo "usage: $0 CMAKE REPO_ROOT" >&2
    exit 2
fi
cmake=$1 root=$2
if ! git -C "$root" rev-parse --git-dir >/dev/null 2>&1; then
    echo "SKIPPED: $root is not a git checkout"
    exit 77
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/thirst-commit.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
ok() { echo "ok   $1"; passed=$((passed + 1)); }
bad() { echo "FAIL $1: $2"; failed=$((failed + 1)); }
header=$work/build/generated/thirst_commit.h
# named: the commit the generated header names
named() { sed -n 's/^#define THIRST_COMMIT "\(.*\)"$/\1/p' "$header"; }
build() { "$cmake" --build "$work/build" --target thirst_commit >/dev/null 2>&1; }
head_of() { git -C "$work/src" rev-parse --short=12 HEAD; }

mkdir "$work/src" &&
    git -C "$root" ls-files -z --cached --others --exclude-standard |
    (cd "$root" && xargs -0 tar -cf - 2>/dev/null) | tar -xf - -C "$work/src" || exit 2
git -C "$work/src" init -q &&
    git -C "$work/src" add -A &&
    git -C "$work/src" -c user.name=test -c user.email=test@localhost commit -q -m "the tree" ||
    exit 2
if ! "$cmake" -S "$work/src" -B "$work/build" -DTHIRST_CUDA=OFF >"$work/configure.log" 2>&1 ||
   ! build; then
    bad configure "$(tail -n 5 "$work/configure.log")"
else
    if [ "$(named)" = "$(head_of)" ]; then ok "the scratch repository's HEAD ($(named))"
    else bad first "names '$(named)', HEAD is $(head_of)"; fi
    before=$(stat -c %y "$header")
    sleep 1
    build
    after=$(stat -c %y "$header")
    if [ "$before" = "$after" ]; then ok "nothing changed: the header untouched"
    else bad untouched "rewritten although the commit is the same"; fi
    git -C "$work/src" -c user.name=test -c user.email=test@localhost commit -q --allow-empty \
        -m "a commit after configuring"
    build
    if [ "$(named)" = "$(head_of)" ]; then ok "a commit after configuring ($(named))"
    else bad commit "names '$(named)', HEAD is $(head_of)"; fi
    echo "an edit" >>"$work/src/README.md"
    build
    if [ "$(named)" = "$(head_of)-dirty" ]; then ok "an edit of a tracked file ($(named))"
    else bad dirty "names '$(named)', expected $(head_of)-dirty"; fi
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
