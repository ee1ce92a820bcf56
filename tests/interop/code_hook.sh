#!/bin/sh
# chappe's --code-hook for the interop tests: chappe runs `code_hook.sh <phone> <code>`
# (phone as digits) and this appends "<phone> <code>" to the file $CHAPPE_CODE_FILE names,
# which the test fixture sets for the server and the clients read.
set -eu
printf '%s %s\n' "$1" "$2" >>"${CHAPPE_CODE_FILE:?CHAPPE_CODE_FILE is not set}"
