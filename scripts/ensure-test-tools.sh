#!/usr/bin/env bash
# Makes sure the system tools the tests drive are on this machine: Debian's Chromium
# (dashboard and deck tests), Prometheus with promtool (scrape and rule tests), the
# shell linter, yamllint, and the PostgreSQL and Redis servers (the tests start throwaway
# instances from them when none answers: test/helpers/postgres.ts, redis.ts), and kubectl
# (renders the Kubernetes overlays with its built-in kustomize). Installs the
# missing ones with apt-get; a missing tool is a failure, never a skipped test.
# npm test runs this first (the "pretest" script); .ci/run too.
set -euo pipefail

missing=()
if ! command -v prometheus >/dev/null 2>&1 || ! command -v promtool >/dev/null 2>&1; then missing+=(prometheus); fi
command -v shellcheck >/dev/null 2>&1 || missing+=(shellcheck)
command -v yamllint >/dev/null 2>&1 || missing+=(yamllint)
[ -x /usr/bin/chromium ] || missing+=(chromium)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
# kubectl cannot come from apt: Debian's kubernetes-client (1.20) carries a kustomize too old
# for components and labels. The machines this project runs on have a current one.
if ! command -v kubectl >/dev/null 2>&1; then
  echo "ensure-test-tools: kubectl 1.27 or newer is missing (its built-in kustomize renders deploy/kubernetes)" >&2
  exit 1
fi
[ ${#missing[@]} -eq 0 ] && exit 0

echo "ensure-test-tools: installing ${missing[*]} from Debian's packages"
if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-test-tools: no apt-get here; install ${missing[*]} yourself (chromium must be at /usr/bin/chromium)" >&2
  exit 1
fi
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "ensure-test-tools: need root or sudo to install ${missing[*]}" >&2
    exit 1
  fi
  sudo=(sudo -n)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q
"${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
