#!/usr/bin/env bash
# The whole DevOps loop on one laptop: install → test → build → start → traffic → observe.
#
#   ./scripts/local_devops_demo.sh              # everything, then wait for Ctrl-C
#   ./scripts/local_devops_demo.sh --help
#
# With a running Docker engine it starts the full stack with Docker Compose (Floatline,
# Prometheus, Loki, Alloy, Grafana). Without one it runs Floatline natively and, when the
# `prometheus` binary is installed, a native Prometheus with the repo's rules.
# Ctrl-C at any point stops what this script started and removes its temporary files.
set -Eeuo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# ------------------------------------------------------------------ options
MODE="${FLOATLINE_DEMO_MODE:-auto}"     # auto | compose | native
PORT="${PORT:-8000}"
PROM_PORT="${PROM_PORT:-9090}"
TRAFFIC_SECONDS=60
USERS=12
DO_INSTALL=1
DO_TESTS=1
DO_BUILD=1
WAIT_AT_END=1

usage() {
  cat <<EOF
Usage: $0 [options]
  --mode auto|compose|native  how to start the stack (default: compose when a Docker engine answers)
  --port N                    Floatline's port in native mode (default 8000)
  --prom-port N               Prometheus's port in native mode (default 9090)
  --traffic SECONDS           how long the traffic simulator runs (default 60)
  --users N                   simulated engineers (default 12)
  --skip-install              do not run npm ci
  --skip-tests                do not run npm test
  --skip-build                do not build the client and slides (native mode)
  --no-wait                   stop everything right after printing the URLs
EOF
}

while (($# > 0)); do
  case "$1" in
    --mode) MODE="${2:?--mode needs a value}"; shift 2 ;;
    --port) PORT="${2:?--port needs a value}"; shift 2 ;;
    --prom-port) PROM_PORT="${2:?--prom-port needs a value}"; shift 2 ;;
    --traffic) TRAFFIC_SECONDS="${2:?--traffic needs a value}"; shift 2 ;;
    --users) USERS="${2:?--users needs a value}"; shift 2 ;;
    --skip-install) DO_INSTALL=0; shift ;;
    --skip-tests) DO_TESTS=0; shift ;;
    --skip-build) DO_BUILD=0; shift ;;
    --no-wait) WAIT_AT_END=0; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
done

# ------------------------------------------------------------------ output helpers
if [ -t 1 ]; then BOLD=$'\e[1m'; DIM=$'\e[2m'; RED=$'\e[31m'; GREEN=$'\e[32m'; RESET=$'\e[0m'
else BOLD=''; DIM=''; RED=''; GREEN=''; RESET=''; fi
STEP=0
step() { STEP=$((STEP + 1)); printf '\n%s[%d] %s%s\n' "$BOLD" "$STEP" "$1" "$RESET"; }
explain() { printf '%s    %s%s\n' "$DIM" "$*" "$RESET"; }
ok() { printf '%s    ✔ %s%s\n' "$GREEN" "$*" "$RESET"; }
die() { printf '\n%s✘ %s%s\n' "$RED" "$*" "$RESET" >&2; exit 1; }

# ------------------------------------------------------------------ cleanup
WORK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/floatline-demo.XXXXXX")"
SERVER_PID=""
PROM_PID=""
COMPOSE_UP=0
stop_pid() { # pid, name: SIGTERM, wait up to 10 s, then SIGKILL
  local pid="$1" name="$2" i
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill "$pid" 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid" 2>/dev/null || true; fi
  echo "    stopped $name (pid $pid)"
}
cleanup() {
  local code=$?
  trap - EXIT INT TERM
  printf '\n%sCleaning up…%s\n' "$BOLD" "$RESET"
  stop_pid "$PROM_PID" Prometheus
  stop_pid "$SERVER_PID" Floatline
  if [ "$COMPOSE_UP" = 1 ]; then
    docker compose down --remove-orphans >/dev/null 2>&1 || true
    echo "    stopped the compose stack (volumes kept: docker compose down -v removes them)"
  fi
  rm -rf "$WORK_DIR"
  exit "$code"
}
trap cleanup EXIT
trap 'echo; echo "Interrupted."; exit 130' INT TERM
on_error() { # exit code, line
  if [ "$1" = 130 ]; then echo; echo "Interrupted."; exit 130; fi
  die "step $STEP failed (exit code $1, line $2): the output above says why."
}
trap 'on_error $? $LINENO' ERR

# start_service PIDFILE LOGFILE COMMAND...: runs a service in the background, in its own
# session when setsid exists, so that a Ctrl-C reaches this script (which stops the
# services in order, after the simulator has returned its licenses) and not the services.
# The service writes its own pid, because setsid may fork.
start_service() {
  local pidfile="$1" log="$2" i; shift 2
  # shellcheck disable=SC2016 # $$, $0 and $@ belong to the inner sh
  if command -v setsid >/dev/null; then
    setsid sh -c 'echo $$ >"$0"; exec "$@"' "$pidfile" "$@" >"$log" 2>&1 &
  else
    # shellcheck disable=SC2016
    sh -c 'echo $$ >"$0"; exec "$@"' "$pidfile" "$@" >"$log" 2>&1 &
  fi
  for ((i = 0; i < 50; i++)); do [ -s "$pidfile" ] && break; sleep 0.1; done
  [ -s "$pidfile" ] || die "could not start $1"
  cat "$pidfile"
}

wait_for_url() { # url, what, seconds
  local url="$1" what="$2" seconds="${3:-60}" i
  for ((i = 0; i < seconds * 2; i++)); do
    if curl -fsS -o /dev/null "$url" 2>/dev/null; then ok "$what answers at $url"; return 0; fi
    if [ -n "$SERVER_PID" ] && ! kill -0 "$SERVER_PID" 2>/dev/null; then
      tail -n 20 "$WORK_DIR/floatline.log" >&2 || true
      die "Floatline exited during start-up (log above, full log in $WORK_DIR/floatline.log)"
    fi
    sleep 0.5
  done
  die "$what did not answer at $url within ${seconds}s"
}

# ------------------------------------------------------------------ 1. prerequisites
step "Checking prerequisites"
explain "Node.js 22.15+ and npm run Floatline and its tests; curl checks the services."
command -v npm >/dev/null || die "npm is not installed (it comes with Node.js): install Node.js 22.15 or newer (https://nodejs.org)"
command -v curl >/dev/null || die "curl is not installed: apt-get install curl (or your system's equivalent)"
# An older node is replaced for this run by Node 22 from the npm registry (scripts/use-node.sh).
# shellcheck source=scripts/use-node.sh
. scripts/use-node.sh
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=15)?0:1)' ||
  die "Node.js $(node --version) is too old: Floatline needs 22.15 or newer"
ok "node $(node --version), npm $(npm --version)"

if [ "$MODE" = auto ]; then
  if command -v docker >/dev/null && docker info >/dev/null 2>&1 && docker compose version >/dev/null 2>&1; then
    MODE=compose
  else
    MODE=native
  fi
fi
case "$MODE" in
  compose) explain "A Docker engine answers: the full stack runs with Docker Compose." ;;
  native) explain "No Docker engine: Floatline runs natively$(command -v prometheus >/dev/null && echo ', with a native Prometheus')." ;;
  *) die "--mode must be auto, compose or native (got '$MODE')" ;;
esac

# ------------------------------------------------------------------ 2. install
step "Installing dependencies (npm ci)"
explain "The same lockfile CI installs from: reproducible builds start here."
if [ "$DO_INSTALL" = 1 ]; then npm ci --no-audit --no-fund; ok "dependencies installed"; else explain "skipped (--skip-install)"; fi

# ------------------------------------------------------------------ 3. test
step "Running the tests (npm test)"
explain "What CI runs on every push: unit and whole-system tests, the Prometheus check, promtool, shellcheck."
if [ "$DO_TESTS" = 1 ]; then npm test; ok "tests passed"; else explain "skipped (--skip-tests)"; fi

# ------------------------------------------------------------------ 4. build and start
if [ "$MODE" = compose ]; then
  step "Building the image and starting the stack (docker compose up --build -d)"
  explain "Multi-stage Dockerfile → small runtime image; compose adds Prometheus, Loki, Alloy and Grafana."
  COMPOSE_UP=1
  docker compose up --build -d --wait
  FLOATLINE_URL="http://localhost:8000"
  PROM_URL="http://localhost:9090"
  wait_for_url "$FLOATLINE_URL/readyz" "Floatline" 120
  wait_for_url "$PROM_URL/-/ready" "Prometheus" 60
  wait_for_url "http://localhost:3000/api/health" "Grafana" 120
else
  step "Building the dashboard and the slides (npm run build)"
  explain "Vite builds the Svelte dashboard into dist/client; the deck goes to dist/slides."
  if [ "$DO_BUILD" = 1 ]; then npm run build --silent; ok "built"; else explain "skipped (--skip-build); the server bundle is still brought up to date"; node scripts/build-if-needed.mjs server >/dev/null; fi

  step "Starting Floatline natively on port $PORT"
  explain "A fresh SQLite database in $WORK_DIR; JSON logs go to $WORK_DIR/floatline.log."
  if curl -fsS -o /dev/null "http://127.0.0.1:$PORT/healthz" 2>/dev/null; then
    die "something already answers on port $PORT: stop it or pass --port N"
  fi
  SERVER_PID="$(PORT="$PORT" HOST=127.0.0.1 LICENSE_DB_PATH="$WORK_DIR/licenses.db" APP_VERSION="demo" \
    start_service "$WORK_DIR/floatline.pid" "$WORK_DIR/floatline.log" node dist/server/main.mjs)"
  FLOATLINE_URL="http://127.0.0.1:$PORT"
  wait_for_url "$FLOATLINE_URL/readyz" "Floatline" 60

  PROM_URL=""
  if command -v prometheus >/dev/null; then
    step "Starting Prometheus natively on port $PROM_PORT"
    explain "Scrapes Floatline every 5s and evaluates the repo's recording and alerting rules."
    {
      printf 'global:\n  scrape_interval: 5s\n  evaluation_interval: 5s\nrule_files:\n'
      printf '  - "%s"\n' "$ROOT"/prometheus/rules/*.yml
      printf 'scrape_configs:\n  - job_name: license-server\n    static_configs:\n      - targets: ["127.0.0.1:%s"]\n' "$PORT"
    } >"$WORK_DIR/prometheus.yml"
    promtool check config "$WORK_DIR/prometheus.yml" >/dev/null || die "the generated Prometheus config is invalid"
    PROM_PID="$(start_service "$WORK_DIR/prometheus.pid" "$WORK_DIR/prometheus.log" \
      prometheus --config.file="$WORK_DIR/prometheus.yml" --storage.tsdb.path="$WORK_DIR/prom-data" \
      --web.listen-address="127.0.0.1:$PROM_PORT" --log.level=warn)"
    PROM_URL="http://127.0.0.1:$PROM_PORT"
    wait_for_url "$PROM_URL/-/ready" "Prometheus" 60
  else
    explain "prometheus is not installed: skipping it (apt-get install prometheus to add it)."
  fi
fi

# ------------------------------------------------------------------ 5. traffic
step "Generating traffic for ${TRAFFIC_SECONDS}s (npm run simulate)"
explain "$USERS engineers borrow, hold and return licenses; pools run out and into overage, so dashboards and alerts come alive."
npm run --silent simulate -- --url "$FLOATLINE_URL" --duration "$TRAFFIC_SECONDS" --users "$USERS" --rate 10 --hold 3-15 --think 1.5

# ------------------------------------------------------------------ 6. observe
step "Everything is running: look around"
printf '    %-22s %s\n' "Dashboard" "$FLOATLINE_URL/" "Budget config" "$FLOATLINE_URL/config" \
  "GraphQL (GraphiQL)" "$FLOATLINE_URL/graphql" "REST docs" "$FLOATLINE_URL/docs" \
  "Metrics" "$FLOATLINE_URL/metrics" "Presentation" "$FLOATLINE_URL/presentation"
if [ -n "$PROM_URL" ]; then
  printf '    %-22s %s\n' "Prometheus" "$PROM_URL" "Prometheus alerts" "$PROM_URL/alerts"
fi
if [ "$MODE" = compose ]; then
  printf '    %-22s %s\n' "Grafana (admin/admin)" "http://localhost:3000" "Loki (via Grafana)" "http://localhost:3000/explore" \
    "Alloy pipeline" "http://localhost:12345"
else
  printf '    %-22s %s\n' "Floatline log (JSON)" "$WORK_DIR/floatline.log"
  explain "Grafana and Loki need Docker: docker compose up --build"
fi

if [ "$WAIT_AT_END" = 1 ]; then
  printf '\nPress Ctrl-C to stop everything this script started.\n'
  while true; do sleep 3600 & wait $!; done
fi
