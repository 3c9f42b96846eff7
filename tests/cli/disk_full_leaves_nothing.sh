#!/usr/bin/env bash
# disk_full_leaves_nothing.sh INTEGRA SCENARIO ulimit|tmpfs
# A results file that cannot be finished because the file grows past `ulimit -f` (EFBIG;
# SIGXFSZ is ignored by integra) or because the disk fills up (a 1 MB tmpfs, ENOSPC) ends
# the run with exit 1 and one message naming the file and the OS error, leaves no file in
# the output folder (not even a hidden partial) and an earlier result byte-identical. It
# used to crash at exit in HDF5's H5F__close_cb (exit 139).
# The tmpfs variant needs to mount (root); it exits 77 (skipped) where that is not allowed.
set -uo pipefail
integra=$1 scenario=$2 mode=$3
work=$(mktemp -d)
out=$work/out
cleanup() {
  if [[ $mode == tmpfs ]] && mountpoint -q "$out" 2>/dev/null; then umount "$out"; fi
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$out"
case $mode in
  ulimit)
    limit_kb=2000                     # the flagship writes 6.8 MB
    pattern="cannot write $out/run.h5: File too large"
    run() { (ulimit -f "$limit_kb"; exec "$integra" run "$scenario" -q -o "$out/run.h5"); } ;;
  tmpfs)
    if [[ $(id -u) -ne 0 ]] || ! mount -t tmpfs -o size=1m tmpfs "$out" 2>/dev/null; then
      echo "SKIP: cannot mount a tmpfs here (needs root and mount permission); the ulimit variant covers EFBIG"
      exit 77
    fi
    pattern="cannot write $out/run.h5: No space left on device"
    run() { "$integra" run "$scenario" -q -o "$out/run.h5"; } ;;
  *) echo "unknown mode $mode" >&2; exit 1 ;;
esac

# An earlier, smaller result (a stand-in of a few bytes) must survive byte for byte.
printf 'an earlier result\n' > "$out/run.h5"
before=$(sha256sum < "$out/run.h5")
stderr_file=$work/stderr
run 2>"$stderr_file"
code=$?
cat "$stderr_file" >&2
fail() { echo "FAIL ($mode): $*" >&2; exit 1; }
[[ $code -eq 1 ]] || fail "exit code $code, expected 1"
grep -Fq -- "$pattern" "$stderr_file" || fail "stderr does not say '$pattern'"
[[ $(grep -c 'failed' "$stderr_file") -eq 1 ]] || fail "expected one failure message"
[[ $(sha256sum < "$out/run.h5") == "$before" ]] || fail "the earlier result changed"
left=$(ls -A "$out")
[[ $left == "run.h5" ]] || fail "files left in the output folder: $left"

# Without an earlier result, nothing at all is left.
rm -f "$out/run.h5"
run 2>/dev/null
code=$?
[[ $code -eq 1 ]] || fail "exit code $code without an earlier result, expected 1"
[[ -z $(ls -A "$out") ]] || fail "files left in an empty output folder: $(ls -A "$out")"
echo "ok ($mode): exit 1, '$pattern', no partial file, the earlier result untouched"
