#!/bin/sh
# A RUSTC_WRAPPER for cargo fuzz that keeps coverage instrumentation on the crates named
# in PMSITE_FUZZ_CRATES (default: pmsite alone) and compiles every other crate without
# it. The fuzzer then counts only pmsite's own edges: it runs several times faster (no
# comparison tracing inside regex) and its coverage figure can plateau, which one
# dominated by regex-automata's internal states never does. See book/contributing.md.
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
