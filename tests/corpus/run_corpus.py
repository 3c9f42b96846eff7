#!/usr/bin/python3
"""Runs the malformed-input corpus (docs/testing.md).

    run_corpus.py [--integra PATH] [--timeout S] [FOLDER...]

Every folder holding a case.toml (found under the FOLDERs, default: all of tests/corpus)
is one case:

    description = "..."
    command = ["check", "{case}/scenario.toml"]  # {case}: the case's copy, {root}: the repo root
    exit = 2                                      # expected exit code
    stderr = "regex"                              # optional: re.search on stderr
    stdout = "regex"                              # optional: re.search on stdout
    setup = "mkfifo x.toml"                       # optional: sh, run in the copy first
    timeout = 30                                  # optional: seconds (default --timeout)

Each case runs in a fresh temporary copy of its folder (the working directory, so a case
can write outputs). A timeout is a failure, and so is a sanitizer report on stderr
(AddressSanitizer, LeakSanitizer, "runtime error:") whatever the exit code. Prints one
line per case and "N cases, M failed"; exits 1 if any failed, 77 if there is no case.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path(__file__).resolve().parent
SKIP = 77
SANITIZER_REPORT = re.compile(r"ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|SUMMARY: UndefinedBehaviorSanitizer")


def find_cases(folders):
    cases = []
    for folder in folders:
        folder = Path(folder).resolve()
        if not folder.exists():
            continue
        if (folder / "case.toml").is_file():
            cases.append(folder)
        cases.extend(sorted(p.parent for p in folder.rglob("case.toml") if p.parent != folder))
    seen, unique = set(), []
    for c in cases:
        if c not in seen:
            seen.add(c)
            unique.append(c)
    return unique


def default_integra():
    if os.environ.get("INTEGRA_BIN"):
        return os.environ["INTEGRA_BIN"]
    return str(ROOT / "build" / "tools" / "integra")


def tail(text, lines=15):
    text = text.rstrip("\n").splitlines()
    cut = text[-lines:]
    prefix = [f"      ... ({len(text) - lines} earlier lines)"] if len(text) > lines else []
    return "\n".join(prefix + ["      " + line for line in cut])


def load_case(case):
    with open(case / "case.toml", "rb") as f:
        spec = tomllib.load(f)
    problems = []
    command = spec.get("command")
    if not isinstance(command, list) or not command or not all(isinstance(a, str) for a in command):
        problems.append("'command' must be a non-empty array of strings")
    if not isinstance(spec.get("exit"), int):
        problems.append("'exit' must be an integer")
    for key in ("stderr", "stdout", "setup", "description"):
        if key in spec and not isinstance(spec[key], str):
            problems.append(f"'{key}' must be a string")
    for key in ("stderr", "stdout"):
        if isinstance(spec.get(key), str):
            try:
                re.compile(spec[key])
            except re.error as e:
                problems.append(f"'{key}' is not a valid regex: {e}")
    unknown = set(spec) - {"description", "command", "exit", "stderr", "stdout", "setup", "timeout"}
    if unknown:
        problems.append(f"unknown key(s) {sorted(unknown)}")
    return spec, problems


def run_case(case, integra, default_timeout):
    """Returns None when the case passes, else the reason (str)."""
    try:
        spec, problems = load_case(case)
    except (OSError, tomllib.TOMLDecodeError) as e:
        return f"case.toml unreadable: {e}", ""
    if problems:
        return "case.toml: " + "; ".join(problems), ""
    timeout = spec.get("timeout", default_timeout)
    with tempfile.TemporaryDirectory(prefix="integra_corpus_") as tmp:
        work = Path(tmp) / case.name
        # symlinks=True: a case may hold a symlink (e.g. to a device) as its input.
        shutil.copytree(case, work, symlinks=True)
        env = dict(os.environ)
        env["INTEGRA_CASE"] = str(work)
        env["INTEGRA_ROOT"] = str(ROOT)
        env["INTEGRA_BIN"] = integra
        if "setup" in spec:
            try:
                setup = subprocess.run(["sh", "-c", spec["setup"]], cwd=work, env=env, capture_output=True,
                                       text=True, errors="replace", timeout=timeout)
            except subprocess.TimeoutExpired:
                return f"setup timed out after {timeout} s", ""
            if setup.returncode != 0:
                return f"setup exited {setup.returncode}", setup.stderr
        args = [a.replace("{case}", str(work)).replace("{root}", str(ROOT)) for a in spec["command"]]
        try:
            proc = subprocess.run([integra] + args, cwd=work, env=env, stdin=subprocess.DEVNULL,
                                  capture_output=True, timeout=timeout)
        except subprocess.TimeoutExpired as e:
            err = (e.stderr or b"").decode("utf-8", "replace")
            return f"timed out after {timeout} s", err
        stdout = proc.stdout.decode("utf-8", "replace")
        stderr = proc.stderr.decode("utf-8", "replace")
        reasons = []
        if SANITIZER_REPORT.search(stderr):
            reasons.append("sanitizer report on stderr")
        if proc.returncode != spec["exit"]:
            code = proc.returncode
            shown = f"signal {-code}" if code < 0 else str(code)
            reasons.append(f"exit {shown}, expected {spec['exit']}")
        if "stderr" in spec and not re.search(spec["stderr"], stderr):
            reasons.append(f"stderr does not match /{spec['stderr']}/")
        if "stdout" in spec and not re.search(spec["stdout"], stdout):
            reasons.append(f"stdout does not match /{spec['stdout']}/" + (f"; stdout:\n{tail(stdout)}" if stdout else ""))
        if reasons:
            return "; ".join(reasons), stderr
    return None, ""


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--integra", default=default_integra(),
                        help="the integra binary (default: $INTEGRA_BIN, else build/tools/integra)")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per case (default 30)")
    parser.add_argument("folders", nargs="*", default=[str(CORPUS)], metavar="FOLDER")
    args = parser.parse_args()

    integra = str(Path(args.integra).resolve())
    if not os.access(integra, os.X_OK):
        print(f"run_corpus: integra binary not found or not executable: {integra}", file=sys.stderr)
        return 2
    cases = find_cases(args.folders)
    if not cases:
        print(f"run_corpus: no case.toml under {' '.join(args.folders)}: skipped")
        return SKIP

    failed = 0
    for case in cases:
        try:
            name = str(case.relative_to(CORPUS))
        except ValueError:
            name = str(case)
        reason, stderr = run_case(case, integra, args.timeout)
        if reason is None:
            print(f"ok    {name}")
        else:
            failed += 1
            print(f"FAIL  {name}: {reason}")
            if stderr:
                print("    stderr:\n" + tail(stderr))
        sys.stdout.flush()
    print(f"{len(cases)} cases, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
