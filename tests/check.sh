# check.sh: the shell tests' counting check (sourced): check DESCRIPTION COMMAND... passes when
# the command exits 0, prints "ok" or "FAIL" and goes on; check_done prints "N passed, M failed"
# and returns 1 when anything failed.
passed=0
failed=0
check() {
  local what=$1; shift
  if "$@"; then passed=$((passed + 1)); echo "ok   $what"
  else failed=$((failed + 1)); echo "FAIL $what"; fi
}
check_done() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}
