#!/usr/bin/env bash
# The SDK as a shop developer gets it: install the "sdk" component into an empty prefix, build
# examples/sdk-client against it with find_package(vitrina) alone, and run it. Called by CTest
# (tests/install/CMakeLists.txt) with every path it needs; every step is time-bounded.
set -euo pipefail

linker_flags=""
while [ $# -gt 0 ]; do
  case "$1" in
    --build-dir) build_dir=$2 ;;
    --source-dir) source_dir=$2 ;;
    --work-dir) work_dir=$2 ;;
    --health-server) health_server=$2 ;;
    --cmake) cmake=$2 ;;
    --generator) generator=$2 ;;
    --make-program) make_program=$2 ;;
    --cxx) cxx=$2 ;;
    --linker-flags) linker_flags=$2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
  shift 2
done

fail() { echo "FAIL: $*" >&2; exit 1; }
step() { echo "== $*"; }

server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
}
trap cleanup EXIT

rm -rf "$work_dir"
mkdir -p "$work_dir"
prefix=$work_dir/prefix

step "install the sdk component into $prefix"
timeout 30 "$cmake" --install "$build_dir" --prefix "$prefix" --component sdk

step "check the installed tree"
for f in include/vitrina/sdk/client.hpp include/vitrina/protocol/result.hpp \
         include/vitrina/protocol/json.hpp include/vitrina/protocol/keys.hpp; do
  [ -f "$prefix/$f" ] || fail "missing $f"
done
for lib in libvitrina_sdk.a libvitrina_protocol.a vitrinaConfig.cmake \
           vitrinaConfigVersion.cmake vitrinaTargets.cmake; do
  [ -n "$(find "$prefix" -name "$lib")" ] || fail "missing $lib"
done
# Private headers and the private dependency stay out of the public include tree.
[ -z "$(find "$prefix/include" -name 'base_url.hpp' -o -name 'json_scan.hpp')" ] ||
  fail "private SDK headers were installed"
! grep -rq 'include <httplib.h>' "$prefix/include" || fail "a public header includes httplib.h"
# A relocatable package names neither the source nor the build tree. Text files only: the
# static libraries' debug info records where they were compiled, as debug info does.
if grep -rIl -e "$source_dir" -e "$(realpath "$source_dir")" -e "$build_dir" \
     -e "$(realpath "$build_dir")" "$prefix"; then
  fail "the files above refer to the source or build directory"
fi
# No server or other component came along.
[ ! -e "$prefix/bin" ] || fail "the sdk component installed $(ls "$prefix/bin")"

step "configure and build examples/sdk-client against the installed package"
example=$work_dir/example
config_args=(-S "$source_dir/examples/sdk-client" -B "$example" -G "$generator"
  -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_CXX_COMPILER="$cxx"
  -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF -DCMAKE_CXX_FLAGS="-Wall -Wextra -Wpedantic -Werror")
[ -n "$make_program" ] && config_args+=(-DCMAKE_MAKE_PROGRAM="$make_program")
[ -n "$linker_flags" ] && config_args+=(-DCMAKE_EXE_LINKER_FLAGS="$linker_flags")
timeout 60 "$cmake" "${config_args[@]}"
found=$(sed -n 's/^vitrina_DIR:PATH=//p' "$example/CMakeCache.txt")
case "$found" in
  "$prefix"/*) ;;
  *) fail "find_package(vitrina) found '$found', not the test prefix" ;;
esac
timeout 90 "$cmake" --build "$example"
client=$example/sdk-client
[ -x "$client" ] || fail "no sdk-client binary"

step "run it against a local server"
secret_key="sk_$(printf 'k%.0s' $(seq 43))"
port_file=$work_dir/port
"$health_server" "$port_file" 30 "$secret_key" &
server_pid=$!
for _ in $(seq 100); do
  [ -s "$port_file" ] && break
  sleep 0.05
done
[ -s "$port_file" ] || fail "the health server did not start"
port=$(cat "$port_file")
url="http://127.0.0.1:$port"

set +e
out=$(VITRINA_SECRET_KEY=$secret_key timeout 20 "$client" "$url")
rc=$?
set -e
echo "$out"
[ "$rc" -eq 0 ] || fail "sdk-client exited $rc against a healthy server"
[ "$out" = '{"ok":true,"status":"ok"}' ] || fail "unexpected output"

step "run it without the secret key: a clean HTTP 401"
set +e
out=$(env -u VITRINA_SECRET_KEY timeout 20 "$client" "$url")
rc=$?
set -e
echo "$out"
[ "$rc" -eq 1 ] || fail "expected exit 1, got $rc"
case "$out" in *'"code":"http_status","http_status":401'*) ;; *) fail "expected code http_status with http_status 401" ;; esac

step "run it against the same port once nothing listens: a clean transport error"
kill "$server_pid"
wait "$server_pid" 2>/dev/null || true
server_pid=""
set +e
out=$(env -u VITRINA_SECRET_KEY timeout 20 "$client" "$url")
rc=$?
set -e
echo "$out"
[ "$rc" -eq 1 ] || fail "expected exit 1 (a reported error), got $rc"
case "$out" in *'"code":"transport"'*) ;; *) fail "expected code transport" ;; esac

echo "PASS"
