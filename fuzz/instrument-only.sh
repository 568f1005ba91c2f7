#!/bin/sh
# A RUSTC_WRAPPER for cargo fuzz that keeps coverage instrumentation on the crates named
# in PMSITE_FUZZ_CRATES (default: pmsite and the fuzz targets) and compiles every other
# crate without it. The fuzzer is then steered by pmsite's own edges only: about three
# times the runs a second (no comparison tracing inside regex), and a coverage figure that
# says how much of pmsite a corpus reaches. See book/contributing.md#fuzzing.
rustc="$1"
shift
keep=no
previous=
for arg in "$@"; do
  if [ "$previous" = "--crate-name" ]; then
    for crate in ${PMSITE_FUZZ_CRATES:-pmsite parse_document parse_configured dates durations}; do
      [ "$arg" = "$crate" ] && keep=yes
    done
  fi
  previous="$arg"
done
if [ "$keep" = yes ]; then
  exec "$rustc" "$@"
fi
for arg in "$@"; do
  shift
  case "$arg" in
    -Cpasses=sancov-module) ;;
    *) set -- "$@" "$arg" ;;
  esac
done
exec "$rustc" "$@"
