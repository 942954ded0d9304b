#!/usr/bin/env bash
# `npm audit --omit=dev` at level high. A finding fails; a registry that does not offer the audit endpoint
# (some mirrors answer 405) is reported, not failed, since no finding could be looked up at all.
set -uo pipefail
output=$(npm audit --omit=dev --audit-level=high 2>&1)
status=$?
echo "$output" | grep -v 'Unknown user config'
if [ $status -ne 0 ] && echo "$output" | grep -qE 'audit endpoint returned an error|ENOAUDIT|405 Method Not Allowed'; then
  echo "audit: the registry does not offer the audit endpoint; no finding could be checked"
  exit 0
fi
exit $status
