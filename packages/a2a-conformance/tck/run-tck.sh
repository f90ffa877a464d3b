#!/usr/bin/env bash
# Runs the official A2A TCK (github.com/a2aproject/a2a-tck, branch 1.0-dev) against `codetether serve
# --a2a-conformance`, or plain `codetether serve` with a stand-in model (TCK_SERVE=plain), on all three
# bindings, and writes JUnit XML, the TCK's compatibility report, the server log, a summary and the counts per
# binding (junit-summary.py) to $TCK_OUT. Build first (`npx -y pnpm@10.34.8 run build`).
# See ../README.md § The official TCK.
#
#   TCK_DIR=/path/to/a2a-tck packages/a2a-conformance/tck/run-tck.sh
#
# Environment:
#   TCK_DIR          a checkout of a2a-tck (required): git clone -b 1.0-dev https://github.com/a2aproject/a2a-tck
#   TCK_PYTHON       the Python to run pytest with. Default: `uv run --project $TCK_DIR python` after `uv sync`
#                    when uv is installed (needs PyPI), else python3 with the TCK's dependencies installed.
#   TCK_DEBIAN=1     without PyPI: link httpx, grpcio and protobuf from Debian 12's python3-httpx,
#                    python3-grpcio and python3-protobuf (/usr/lib/python3/dist-packages) into an overlay
#                    (pytest, jsonschema and Jinja2 must be in TCK_PYTHON already); sitecustomize.py bridges
#                    the older versions.
#   TCK_GOOGLE_PROTOS  a directory holding google/api and google/rpc when googleapis-common-protos is missing
#                    (e.g. /usr/lib/google-cloud-sdk/lib/third_party).
#   TCK_DNS_SHIM=1   on a machine without DNS: example.com (a webhook host of the push tests) resolves.
#   TCK_SERVE        conformance (default): `serve --a2a-conformance`, the TCK's scripted agent-under-test.
#                    plain: `serve -m openai/tck-text-model` against text-model.mjs (an OpenAI-compatible server
#                    on 127.0.0.1 that answers every completion with one short text), push webhooks to
#                    loopback allowed (CODETETHER_A2A_PUSH_ALLOWED_HOSTS) as conformance mode allows them.
#   TCK_PORT         HTTP port (default 9999; gRPC on TCK_PORT + 1). TCK_TRANSPORTS (default
#                    jsonrpc,http_json,grpc). TCK_STREAMING_TIMEOUT (default 2.0). TCK_OUT (default ./tck-out).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../.." && pwd)
tck=${TCK_DIR:?set TCK_DIR to a checkout of https://github.com/a2aproject/a2a-tck (branch 1.0-dev)}
tck=$(cd "$tck" && pwd)
port=${TCK_PORT:-9999}
mode=${TCK_SERVE:-conformance}
[[ $mode == conformance || $mode == plain ]] || { echo "run-tck: TCK_SERVE must be conformance or plain (got \"$mode\")." >&2; exit 2; }
transports=${TCK_TRANSPORTS:-jsonrpc,http_json,grpc}
timeout_s=${TCK_STREAMING_TIMEOUT:-2.0}
out=$(mkdir -p "${TCK_OUT:-$PWD/tck-out}" && cd "${TCK_OUT:-$PWD/tck-out}" && pwd)
bin="$root/apps/cli/dist/bin.cjs"
[[ -f $bin ]] || { echo "run-tck: $bin is missing: run \`npx -y pnpm@10.34.8 run build\` first." >&2; exit 2; }
[[ -d $tck/tests/compatibility ]] || { echo "run-tck: $tck is not an a2a-tck checkout (no tests/compatibility)." >&2; exit 2; }

token=${TCK_SUT_TOKEN:-tck-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')}
work=$(mktemp -d "${TMPDIR:-/tmp}/codetether-tck.XXXXXX")
server_pid=""
model_pid=""
cleanup() {
  for pid in $server_pid $model_pid; do
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid"
      wait "$pid" 2>/dev/null || true
    fi
  done
  rm -rf "$work"
}
trap cleanup EXIT

# Python: the TCK's own environment (uv), or an explicit interpreter, or python3 (+ Debian's packages).
pythonpath="$here:$tck"
if [[ -n ${TCK_PYTHON:-} ]]; then
  read -r -a python <<<"$TCK_PYTHON"
elif [[ ${TCK_DEBIAN:-0} != 1 ]] && command -v uv >/dev/null; then
  (cd "$tck" && uv sync --quiet)
  python=(uv run --project "$tck" python)
else
  python=(python3)
fi
mkdir -p "$work/py"
if [[ ${TCK_DEBIAN:-0} == 1 ]]; then
  for pkg in httpx httpcore h11 anyio rfc3986 grpc; do
    if ! "${python[@]}" -c "import ${pkg/google/google.protobuf}" 2>/dev/null; then
      [[ -e /usr/lib/python3/dist-packages/$pkg ]] || {
        echo "run-tck: $pkg is missing; install it: apt-get install python3-httpx python3-grpcio python3-protobuf" >&2
        exit 2
      }
      ln -s "/usr/lib/python3/dist-packages/$pkg" "$work/py/$pkg"
    fi
  done
fi
# google.protobuf (Debian's or the environment's) and google.api/google.rpc (TCK_GOOGLE_PROTOS) in one
# namespace package: two `google` directories on the path would hide one another.
google_protos=${TCK_GOOGLE_PROTOS:-}
if [[ -n $google_protos || ${TCK_DEBIAN:-0} == 1 ]]; then
  protobuf=$(PYTHONPATH="$work/py" "${python[@]}" -c 'import google.protobuf, os; print(os.path.dirname(list(google.protobuf.__path__)[0]))' 2>/dev/null ||
    echo /usr/lib/python3/dist-packages/google)
  mkdir -p "$work/py/google"
  for dir in "$protobuf"/*/ ${google_protos:+"$google_protos"/google/*/}; do
    name=$(basename "$dir")
    [[ $name == __pycache__ || -e $work/py/google/$name ]] || ln -s "${dir%/}" "$work/py/google/$name"
  done
fi
pythonpath="$pythonpath:$work/py"
# Older generated protos (the Cloud SDK's) only load in protobuf's pure-Python implementation.
protobuf_impl=${TCK_PROTOBUF_IMPL:-}
[[ -z $protobuf_impl && -n $google_protos ]] && protobuf_impl=python

# The server under test, on a fresh data directory.
node_args=()
[[ ${TCK_DNS_SHIM:-0} == 1 ]] && node_args+=(--import "$here/dns-shim.mjs")
mkdir -p "$work/home" "$work/cwd"
serve_args=(serve --port "$port" --grpc-port "$((port + 1))")
serve_env=()
if [[ $mode == conformance ]]; then
  serve_args+=(--a2a-conformance)
else
  # Plain serve: the model-backed executor, with a local stand-in model (no API key, no network).
  node "$here/text-model.mjs" >"$work/model-url" 2>"$out/model.log" &
  model_pid=$!
  for _ in $(seq 1 100); do
    [[ -s $work/model-url ]] && break
    kill -0 "$model_pid" 2>/dev/null || { echo "run-tck: text-model.mjs exited:" >&2; cat "$out/model.log" >&2; exit 1; }
    sleep 0.1
  done
  [[ -s $work/model-url ]] || { echo "run-tck: text-model.mjs did not start in 10 s" >&2; exit 1; }
  serve_args+=(-m openai/tck-text-model)
  serve_env+=(OPENAI_BASE_URL="$(cat "$work/model-url")" OPENAI_API_KEY=sk-tck-text-model
    CODETETHER_A2A_PUSH_ALLOWED_HOSTS=127.0.0.1,::1,localhost)
fi
(
  cd "$work/cwd"
  exec env HOME="$work/home" XDG_DATA_HOME="$work/home/data" XDG_CONFIG_HOME="$work/home/config" \
    CODETETHER_AUTH_TOKEN="$token" TCK_STREAMING_TIMEOUT="$timeout_s" "${serve_env[@]}" \
    node "${node_args[@]}" "$bin" "${serve_args[@]}"
) >"$out/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 300); do
  grep -q "listening on" "$out/server.log" && break
  kill -0 "$server_pid" 2>/dev/null || { echo "run-tck: the server exited:" >&2; cat "$out/server.log" >&2; exit 1; }
  sleep 0.2
done
grep -q "listening on" "$out/server.log" || { echo "run-tck: the server did not start in 60 s" >&2; exit 1; }

echo "run-tck: TCK $(git -C "$tck" rev-parse --short HEAD 2>/dev/null || echo '?') against codetether $(git -C "$root" rev-parse --short HEAD) ($mode serve) on 127.0.0.1:$port (transports $transports)"
set +e
(
  cd "$tck"
  env TCK_SUT_TOKEN="$token" TCK_SUT_URL="http://127.0.0.1:$port" TCK_STREAMING_TIMEOUT="$timeout_s" \
    PYTHONPATH="$pythonpath${PYTHONPATH:+:$PYTHONPATH}" ${protobuf_impl:+PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION=$protobuf_impl} \
    "${python[@]}" -m pytest tests/compatibility/ --sut-host="http://127.0.0.1:$port" --transport="$transports" \
    --tb=short -q -rfs -p no:cacheprovider --junitxml="$out/junit.xml" --compatibility-report="$out/compatibility"
) | tee "$out/pytest.log"
status=${PIPESTATUS[0]}
set -e
tail -n 1 "$out/pytest.log" >"$out/summary.txt"
[[ -f $out/junit.xml ]] && "${python[@]}" "$here/junit-summary.py" "$out/junit.xml" | tee "$out/per-binding.txt"
echo "run-tck: $(cat "$out/summary.txt") — details in $out"
exit "$status"
