#!/usr/bin/env bash
# with_status.sh COMMAND [ARGS...]: runs COMMAND with its output passed through, then prints
# "exit status: N" and exits with N. For tests that match stdout with CTest's
# PASS_REGULAR_EXPRESSION, which would otherwise ignore the exit code: they add
# FAIL_REGULAR_EXPRESSION "exit status: [1-9]".
"$@"
code=$?
echo "exit status: $code"
exit "$code"
