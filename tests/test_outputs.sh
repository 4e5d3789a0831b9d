#!/usr/bin/env bash
# test_outputs.sh: how thirst writes result files (README, "What thirst guarantees").
#  - a device is written in place, never replaced: a null device stays a character device (as
#    root, 0.1 replaced /dev/null and /dev/full by regular files), a full one fails with exit 1
#    and its message; standard output by name (/proc/self/fd/1, as /dev/stdout) reaches the pipe
#    or the redirected file behind it, after what is there;
#  - a FIFO gets the JSON (no temporary file, no rename);
#  - a symbolic link stays a link and its target gets the new content; a dangling link and a
#    directory are refused with exit 1; an existing file keeps its permission bits;
#  - a 250-byte file name works (0.1's temporary suffix made it too long);
#  - SIGINT, SIGTERM and SIGHUP during --dump remove the temporary file, leave no output and
#    end the process by that signal; with SIGHUP ignored (nohup), the run finishes.
# Usage: test_outputs.sh THIRST_BINARY REPO_ROOT
set -u
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/check.sh"
thirst=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$2" && pwd)
scenario="$root/priors/gpt3-training-us.json"
work=$(mktemp -d "${TMPDIR:-/tmp}/thirst-outputs.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
run() { "$thirst" run --backend cpu "$scenario" --draws 20000 --threads 1 --quiet "$@"; }
# No temporary file anywhere in the work folder (thirst's .thirst-PID-N.tmp, or any *.tmp*).
no_temporaries() { [ -z "$(find "$work" \( -name '.thirst-*' -o -name '*.tmp*' \) -print -quit)" ]; }
is_result_json() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["schema"]=="thirst-result"' "$1"; }

# Devices. As root (CI), a thirst that renames over its output would replace the machine's
# /dev/null and /dev/full (0.1 did): then the test writes to nodes of its own (mknod), so that
# a failure damages nothing. Other users cannot replace /dev entries and use them directly.
null_device=/dev/null
full_device=/dev/full
if [ "$(id -u)" -eq 0 ] && mknod -m 666 "$work/null" c 1 3 2>/dev/null &&
   mknod -m 666 "$work/full" c 1 7 2>/dev/null; then
  null_device="$work/null"
  full_device="$work/full"
fi
run --json "$null_device" --csv "$null_device" >/dev/null 2>err; rc=$?
check "--json and --csv to $null_device exit 0" test "$rc" -eq 0
check "$null_device is still a character device" test -c "$null_device"
run --json "$full_device" >out 2>err; rc=$?
check "--json $full_device exits 1" test "$rc" -eq 1
check "--json $full_device says why on one line" bash -c "[ \$(wc -l <err) -eq 1 ] && grep -q '$full_device: cannot write: No space left on device' err"
check "$full_device is still a character device" test -c "$full_device"
check "--json $full_device prints no table" test ! -s out
json_then_table() {  # the file holds the JSON result and after it the table
  python3 -c '
import json, sys
text = open(sys.argv[1]).read()
result, end = json.JSONDecoder().raw_decode(text)
assert result["schema"] == "thirst-result" and "95% interval" in text[end:]' "$1"
}
# Standard output by name: a link of the test's own to /proc/self/fd/1, which is what
# /dev/stdout is (a thirst that renames over its output replaces this link, not /dev/stdout).
ln -s /proc/self/fd/1 stdout_link
run --json stdout_link 2>err | cat >piped.txt
check "--json STDOUT into a pipe: empty stderr" test ! -s err
check "--json STDOUT into a pipe: the JSON, then the table" json_then_table piped.txt
run --json stdout_link >redirected.txt 2>err
check "--json STDOUT redirected to a file exits 0 with empty stderr" test $? -eq 0 -a ! -s err
check "--json STDOUT redirected to a file: the JSON, then the table (not replaced)" json_then_table redirected.txt
check "--json STDOUT: the link is still a link" test -L stdout_link

# A FIFO with a reader.
mkfifo pipe
timeout 60 cat pipe >from_pipe & reader=$!   # a thirst that replaced the FIFO never opens it
run --json pipe >/dev/null 2>err; rc=$?
wait "$reader"
check "--json FIFO exits 0" test "$rc" -eq 0
check "--json FIFO: the reader got the JSON" is_result_json from_pipe
check "--json FIFO: the FIFO is still a FIFO" test -p pipe

# Symbolic links, permissions, directories.
mkdir results
echo old >results/target.json
chmod 640 results/target.json
ln -s results/target.json link.json
run --json link.json >/dev/null 2>err
check "--json through a symlink exits 0" test $? -eq 0
check "the symlink is still a symlink to its target" test "$(readlink link.json)" = results/target.json
check "the target holds the new result" is_result_json results/target.json
check "the target kept its permission bits (640)" test "$(stat -c %a results/target.json)" = 640
ln -s results/missing.json dangling.json
run --json dangling.json >/dev/null 2>err; rc=$?
check "--json to a dangling symlink exits 1 naming it" bash -c "[ $rc -eq 1 ] && grep -q 'dangling.json: cannot write: a symbolic link to a file that does not exist' err"
check "... and creates nothing" test ! -e results/missing.json
run --json results >/dev/null 2>err; rc=$?
check "--json DIRECTORY exits 1 naming it" bash -c "[ $rc -eq 1 ] && grep -q 'results: cannot write: is a directory' err"
long=$(printf 'n%.0s' $(seq 1 245)).json     # 250 bytes, the limit is 255
run --json "$long" >/dev/null 2>err
check "a 250-byte output name works" is_result_json "$long"
check "no temporary file is left by any of the above" no_temporaries

# Signals during a dump (the dump is written after the run, draw by draw, for seconds).
interrupt() {  # interrupt SIGNAL: start a dump, signal it while its temporary file exists
  local signal=$1 pid rc n=0
  rm -f dump.npy
  set -m                      # own process group: a background job keeps SIGINT
  "$thirst" run --backend cpu "$scenario" --draws 4e6 --threads 2 --quiet --dump dump.npy >/dev/null 2>err &
  pid=$!
  set +m
  while no_temporaries && kill -0 "$pid" 2>/dev/null && [ $n -lt 600 ]; do sleep 0.05; n=$((n + 1)); done
  kill -s "$signal" "$pid"
  { wait "$pid"; } 2>/dev/null; rc=$?
  local number; number=$(kill -l "$signal")
  check "$signal during --dump: the process ends by $signal (exit $((128 + number)))" test "$rc" -eq $((128 + number))
  check "$signal during --dump: the temporary file is removed" no_temporaries
  check "$signal during --dump: no dump.npy" test ! -e dump.npy
  check "$signal during --dump: stderr says interrupted" grep -q 'interrupted' err
}
interrupt INT
interrupt TERM
interrupt HUP
# nohup ignores SIGHUP: thirst must keep ignoring it and finish the dump.
(trap '' HUP; exec "$thirst" run --backend cpu "$scenario" --draws 4e5 --threads 2 --quiet --dump dump.npy >/dev/null 2>err) &
pid=$!
n=0
while no_temporaries && kill -0 "$pid" 2>/dev/null && [ $n -lt 600 ]; do sleep 0.05; n=$((n + 1)); done
kill -s HUP "$pid" 2>/dev/null
wait "$pid"; rc=$?
check "SIGHUP ignored (nohup): the run finishes with exit 0" test "$rc" -eq 0
check "SIGHUP ignored (nohup): dump.npy is complete" python3 -c '
import sys
b = open("dump.npy", "rb").read()
assert b[:6] == b"\x93NUMPY"
header = 10 + int.from_bytes(b[8:10], "little")
assert (len(b) - header) % 400000 == 0'

check_done
