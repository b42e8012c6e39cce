"""Benchmark exokg's questions from memory and from an on-disk store, 10³ to 10⁶ statements.

For each size the synthetic graph (``generate.py``: exokg's schema, questions and materialised
fields, statements copied) is measured in fresh processes, so every figure is that process's own:

* **memory** — ``exokg ask``'s default path: load the N-Quads file into pyoxigraph's in-memory
  store, then answer every question (with ``--limit 20`` too for the main one); peak memory;
* **disk** — the on-disk store of ``--store DIR``, built once with Oxigraph's bulk loader (the same
  code as ``exokg ask --store``; its build time and peak memory are measured once, in its own
  process), then reopened read-only and every question answered;
* **ask** — the real command, ``exokg ask exosomes-promoting-tumour-progression --store DIR
  --limit 20``, in a fresh process: wall time and peak memory (``ru_maxrss``).

Each kind runs in ``--runs`` fresh processes (default 3); a figure is the median over them, and
within a process each question is timed ``--repeat`` times (median; the first timing counts too:
it is what a one-off ``exokg ask`` pays). The table gives the ratios issue 15 sets targets for:
question ÷ load in memory, question ÷ in-memory load on disk, reopen ÷ in-memory load, and the
growth of each on-disk time per tenfold of data. A PNG plot of that growth is saved beside the
table under ``benchmarks/results/`` (needs the ``bench`` extra: ``pip install -e '.[bench]'``).

    python benchmarks/run.py --sizes 1000 10000 100000 1000000

The in-memory measurements stop at ``--memory-max`` statements (default 10⁵): 10⁶ statements
(21M triples) would need about 13 GB per process, which is what the on-disk store is for.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
MAIN = "exosomes-promoting-tumour-progression"
LIMIT = 20
# questions with a required parameter, and the value the benchmark asks them with (as the tests do)
PARAMS: dict[str, dict[str, str]] = {"evidence-for": {"term": "EXOKG:0000020"}}
# issue 15's targets
MEMORY_QUESTION, MEMORY_LIMIT = 0.20, 0.05  # ÷ in-memory load, same size
DISK_QUESTION, DISK_REOPEN = 0.40, 0.05  # ÷ in-memory load, same size
GROWTH, LIMIT_SECONDS, ASK_MIB = 20.0, 2.0, 2048.0  # per tenfold; at the largest size
BUILD_SECONDS, BUILD_MIB = 900.0, 16 * 1024.0


# --- in a worker process --------------------------------------------------------------------------


def bound_questions(only: list[str] | None = None) -> list[tuple[str, str, dict[str, Any]]]:
    """(name, SPARQL, bindings) for every question (or those in ``only``), parameters resolved
    on the shipped graph."""
    from exokg.query.questions import list_questions
    from exokg.query.store import open_store
    from exokg.text.resolve import bind

    store = open_store()
    return [
        (q.name, q.sparql, bind(q, PARAMS.get(q.name, {}), store))
        for q in list_questions()
        if not only or q.name in only
    ]


def _emit(record: dict[str, Any]) -> None:
    print(json.dumps(record), flush=True)


def worker(
    kind: str, data: Path, store_dir: Path, repeat: int, only: list[str] | None = None
) -> None:
    """Open the graph (``memory``: load the file; ``disk``: reopen the store), time every question."""
    from exokg.query.store import open_store

    questions = bound_questions(only)
    started = time.perf_counter()
    if kind == "memory":
        store = open_store(kg_file=data)
    else:
        store = open_store(kg_file=data, store_dir=store_dir)  # current stamp: reopened as it is
    _emit({"open_s": time.perf_counter() - started})
    for name, sparql, bindings in questions:
        times, rows = [], 0
        for _ in range(repeat):
            started = time.perf_counter()
            rows = len(store.select(sparql, bindings, timeout=3600).rows)
            times.append(time.perf_counter() - started)
        _emit({"question": name, "s": statistics.median(times), "rows": rows})
        if name == MAIN:
            started = time.perf_counter()
            store.select(sparql, bindings, limit=LIMIT, timeout=3600)
            _emit({"limit_s": time.perf_counter() - started})
    _emit({"maxrss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024})


def build_worker(data: Path, store_dir: Path) -> None:
    from exokg.query.store import prepare_store_dir

    started = time.perf_counter()
    prepare_store_dir(store_dir, data)
    _emit({"build_s": time.perf_counter() - started})


# --- the parent ------------------------------------------------------------------------------------


def _run(command: list[str], budget: float) -> tuple[list[dict[str, Any]], bool]:
    """Run a worker; its JSON lines and whether it finished in time (each reports its own memory)."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        out, _ = process.communicate(timeout=budget)
    except subprocess.TimeoutExpired:
        process.kill()
        out, _ = process.communicate()
    records = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    return records, process.returncode == 0


def _wait4(command: list[str], budget: float) -> tuple[float, float, bool]:
    """Wall time, peak memory (MiB) and success of one command, measured with wait4()."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = started + budget
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            process.kill()
            pid, status, usage = os.wait4(process.pid, 0)
            return time.perf_counter() - started, usage.ru_maxrss / 1024, False
        time.sleep(0.01)
    process.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - started, usage.ru_maxrss / 1024, process.returncode == 0


def measure(
    kind: str, data: Path, store: Path, repeat: int, budget: float, only: list[str] | None = None
) -> dict[str, Any]:
    command = [sys.executable, __file__, "--worker", kind, "--data", str(data)]
    command += ["--store-dir", str(store), "--repeat", str(repeat)]
    records, finished = _run([*command, *(["--questions", *only] if only else [])], budget)
    result: dict[str, Any] = {"questions": {}, "rows": {}, "finished": finished}
    for record in records:
        if "question" in record:
            result["questions"][record["question"]] = record["s"]
            result["rows"][record["question"]] = record["rows"]
        else:
            result.update(record)
    return result


def combine(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Medians over the fresh processes of one kind (each question over the runs that reached it)."""
    out: dict[str, Any] = {"runs": len(runs), "finished": sum(r["finished"] for r in runs)}
    for key in ("open_s", "limit_s", "maxrss_mib"):
        values = [r[key] for r in runs if key in r]
        out[key] = statistics.median(values) if values else None
    names = dict.fromkeys(n for r in runs for n in r["questions"])
    out["questions"] = {
        n: statistics.median(r["questions"][n] for r in runs if n in r["questions"]) for n in names
    }
    out["rows"] = {n: next(r["rows"][n] for r in runs if n in r["rows"]) for n in names}
    return out


def machine() -> str:
    model = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{model}, {os.cpu_count()} logical CPUs, {memory:.0f} GiB RAM, {platform.system()} "
        f"{platform.release()}; Python {platform.python_version()}, pyoxigraph "
        f"{version('pyoxigraph')}"
    )


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.1f} / {five:.1f} / {fifteen:.1f}"


# --- the table -------------------------------------------------------------------------------------


def _s(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.3f}" if value < 10 else f"{value:.1f}"


def _ratio(value: float | None, base: float | None, target: float | None = None) -> str:
    if value is None or not base:
        return "-"
    ratio = value / base
    text = f"{ratio:.2f}" if ratio < 10 else f"{ratio:.1f}"
    if target is None:
        return text
    return f"{text} {'✓' if ratio <= target else '✗'}"


def section(size: int, triples: int, r: dict[str, Any], previous: dict[str, Any] | None) -> str:
    """One size: the table of question times and their ratios."""
    mem, disk, ask, build = r.get("memory"), r.get("disk"), r.get("ask"), r["build"]
    load = mem["open_s"] if mem else None
    lines = [f"### {size:,} statements ({triples:,} triples)", ""]
    lines.append(
        f"On-disk store built once with Oxigraph's bulk loader: {_s(build['s'])} s, peak memory "
        f"{build['mib']:.0f} MiB, {build['bytes'] / 2**20:.0f} MiB on disk"
        + (
            f" (targets ≤ {BUILD_SECONDS:.0f} s and ≤ {BUILD_MIB / 1024:.0f} GiB: "
            f"{'met' if build['s'] <= BUILD_SECONDS and build['mib'] <= BUILD_MIB else 'missed'})"
            if size >= 1_000_000
            else ""
        )
        + "."
    )
    if mem:
        lines.append(
            f"In memory: load {_s(load)} s (median of {mem['runs']} processes), peak memory "
            f"{mem['maxrss_mib']:.0f} MiB."
        )
    else:
        lines.append("In memory: not run (above --memory-max).")
    if disk:
        lines.append(
            f"On disk: reopen {_s(disk['open_s'])} s"
            + (
                f" = {_ratio(disk['open_s'], load, DISK_REOPEN)} of the in-memory load"
                if load
                else ""
            )
            + f", peak memory {disk['maxrss_mib']:.0f} MiB (all questions in one process)."
        )
    if ask:
        lines.append(
            f"`exokg ask {MAIN} --store DIR --limit {LIMIT}`, fresh process: {_s(ask['s'])} s wall, "
            f"peak memory {ask['mib']:.0f} MiB (time: median of {ask['runs']}; memory: the largest)"
            + (
                f"; targets ≤ {LIMIT_SECONDS:.0f} s: {'met' if ask['s'] <= LIMIT_SECONDS else 'missed'}"
                f", ≤ {ASK_MIB / 1024:.0f} GiB: {'met' if ask['mib'] <= ASK_MIB else 'missed'}"
                if size >= 1_000_000
                else ""
            )
            + "."
        )
    lines += [
        "",
        "| question | rows | memory (s) | ÷ load (≤ 0.20) | on disk (s) | ÷ memory load (≤ 0.40) "
        "| growth ÷ one size down (≤ 20) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    names = list((disk or mem or {}).get("questions", {}))
    for name in names:
        m = mem["questions"].get(name) if mem else None
        d = disk["questions"].get(name) if disk else None
        p = previous["questions"].get(name) if previous else None
        rows = (disk or mem)["rows"].get(name, "-")
        lines.append(
            f"| {name} | {rows} | {_s(m)} | {_ratio(m, load, MEMORY_QUESTION)} | {_s(d)} "
            f"| {_ratio(d, load, DISK_QUESTION)} | {_ratio(d, p, GROWTH)} |"
        )
    ml = mem["limit_s"] if mem else None
    dl = disk["limit_s"] if disk else None
    pl = previous["limit_s"] if previous else None
    lines.append(
        f"| {MAIN} --limit {LIMIT} | ≤ {LIMIT} | {_s(ml)} | {_ratio(ml, load, MEMORY_LIMIT)} (≤ 0.05) "
        f"| {_s(dl)} | {_ratio(dl, load, DISK_QUESTION)} | {_ratio(dl, pl, GROWTH)} |"
    )
    return "\n".join(lines) + "\n"


def plot(results: dict[int, dict[str, Any]], path: Path) -> bool:
    """Log-log plot of how each cost grows with the number of statements; False without matplotlib."""
    try:
        import matplotlib
    except ImportError:
        return False
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = sorted(results)
    figure, (left, right) = plt.subplots(1, 2, figsize=(14, 6))
    left.set_prop_cycle(color=plt.get_cmap("tab20").colors)
    names = list(dict.fromkeys(n for s in sizes for n in results[s]["disk"]["questions"]))
    for name in names:
        xs = [s for s in sizes if name in results[s]["disk"]["questions"]]
        left.plot(xs, [results[s]["disk"]["questions"][name] for s in xs], marker="o", label=name)
    left.set_title("each question from the on-disk store")
    for label, get in (
        ("in-memory load", lambda r: r["memory"]["open_s"] if r.get("memory") else None),
        ("on-disk build (bulk loader)", lambda r: r["build"]["s"]),
        ("on-disk reopen", lambda r: r["disk"]["open_s"]),
        (
            f"ask --store --limit {LIMIT} (process)",
            lambda r: r["ask"]["s"] if r.get("ask") else None,
        ),
    ):
        points = [(s, get(results[s])) for s in sizes]
        points = [(s, v) for s, v in points if v]
        right.plot([p[0] for p in points], [p[1] for p in points], marker="o", label=label)
    slowest = [max(results[s]["disk"]["questions"].values(), default=0) for s in sizes]
    right.plot(sizes, slowest, marker="o", linestyle="--", label="slowest question (disk)")
    right.set_title("load, build, reopen and a whole `exokg ask`")
    for axis in (left, right):
        axis.set_xscale("log")
        axis.set_yscale("log")
        axis.set_xlabel("statements")
        axis.set_ylabel("seconds (median of fresh processes)")
        axis.grid(True, which="both", alpha=0.3)
    left.legend(fontsize=7)
    right.legend(fontsize=8)
    figure.suptitle("exokg: how each cost grows, 10³ → 10⁶ statements")
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
    return True


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--memory-max", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3, help="fresh processes per kind and size")
    parser.add_argument("--repeat", type=int, default=1, help="timings per question and process")
    parser.add_argument("--budget", type=float, default=3600, help="seconds per process")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scratch", type=Path, help="directory for graphs and stores (kept)")
    parser.add_argument(
        "--reuse-store",
        action="store_true",
        help="keep a store an earlier run built in --scratch (its build figures are reported)",
    )
    parser.add_argument(
        "--build-only", action="store_true", help="generate and build, no questions"
    )
    parser.add_argument("--out", type=Path, default=HERE / "results", help="where results go")
    parser.add_argument(
        "--questions", nargs="+", metavar="NAME", help="time only these questions (default: all)"
    )
    parser.add_argument("--worker", choices=("memory", "disk", "build"), help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--store-dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker == "build":
        build_worker(args.data, args.store_dir)
        return
    if args.worker:
        worker(args.worker, args.data, args.store_dir, args.repeat, args.questions)
        return
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    command = f"python benchmarks/run.py {' '.join(argv if argv is not None else sys.argv[1:])}"
    header = (
        f"# exokg benchmark, {stamp}\n\nMachine: {machine()}. Load average (1/5/15 min) at the "
        f"start: {load_average()}{{end_load}}. The 2 cores are shared with other work, so absolute "
        "times vary from run to run; the ratios compare figures taken in this one run.\n\n"
        f"Command: `{command}`\n\n"
        f"Each figure is the median of {args.runs} fresh processes ({args.repeat} timing(s) per "
        "question and process, the first included); the store's build is measured once. "
        "memory = pyoxigraph's in-memory store loaded from the N-Quads file (`exokg ask`); "
        "on disk = the RocksDB store of `exokg ask --store DIR`, reopened read-only. Ratios: "
        "✓ meets issue 15's target, ✗ misses it.\n\n"
    )
    args.out.mkdir(parents=True, exist_ok=True)
    out = args.out / f"{stamp}.md"
    picture = args.out / f"{stamp}.png"
    scratch = args.scratch or Path(tempfile.mkdtemp(prefix="exokg-bench-"))
    scratch.mkdir(parents=True, exist_ok=True)
    results: dict[int, dict[str, Any]] = {}
    sections: list[str] = []
    try:
        for size in sorted(args.sizes):
            data, store = scratch / f"{size}.nq", scratch / f"{size}.store"
            if not data.is_file():
                subprocess.run(
                    [
                        *(sys.executable, str(HERE / "generate.py"), "--statements", str(size)),
                        *("--seed", str(args.seed), "-o", str(data)),
                    ],
                    check=True,
                )
            with data.open("rb") as lines:
                triples = sum(1 for _ in lines)
            built_record = scratch / f"{size}.build.json"
            if args.reuse_store and built_record.is_file():  # built by an earlier run, same data
                build = json.loads(built_record.read_text(encoding="utf-8"))
            else:
                shutil.rmtree(store, ignore_errors=True)
                build_s, build_mib, built = _wait4(
                    [
                        sys.executable,
                        __file__,
                        "--worker",
                        "build",
                        "--data",
                        str(data),
                        "--store-dir",
                        str(store),
                    ],
                    args.budget,
                )
                if not built:
                    raise SystemExit(
                        f"building the store of {size} statements failed or ran out of time"
                    )
                size_bytes = sum(f.stat().st_size for f in store.rglob("*") if f.is_file())
                build = {
                    "s": build_s,
                    "mib": build_mib,
                    "bytes": size_bytes,
                    "load": load_average(),
                }
                built_record.write_text(json.dumps(build), encoding="utf-8")
            if args.build_only:
                print(
                    f"{size}: store built in {build['s']:.1f} s, {build['mib']:.0f} MiB peak",
                    flush=True,
                )
                continue
            r: dict[str, Any] = {"build": build}
            if size <= args.memory_max:
                r["memory"] = combine(
                    [
                        measure("memory", data, store, args.repeat, args.budget, args.questions)
                        for _ in range(args.runs)
                    ]
                )
            r["disk"] = combine(
                [
                    measure("disk", data, store, args.repeat, args.budget, args.questions)
                    for _ in range(args.runs)
                ]
            )
            asks = [
                _wait4(
                    [
                        sys.executable,
                        "-m",
                        "exokg",
                        "ask",
                        MAIN,
                        "--store",
                        str(store),
                        "--kg",
                        str(data),
                        "--limit",
                        str(LIMIT),
                        "--format",
                        "csv",
                    ],
                    args.budget,
                )
                for _ in range(args.runs)
            ]
            r["ask"] = {
                "s": statistics.median(a[0] for a in asks),
                "mib": max(a[1] for a in asks),
                "runs": len(asks),
            }
            results[size] = r
            previous = results.get(size // 10, {}).get("disk")
            sections.append(section(size, triples, r, previous))
            print(sections[-1], flush=True)
            text = header.replace("{end_load}", f", at the end: {load_average()}")
            out.write_text(text + "\n".join(sections), encoding="utf-8")  # kept if a size fails
            (scratch / f"{size}.json").write_text(json.dumps(r, indent=1), encoding="utf-8")
    finally:
        if args.scratch is None:
            shutil.rmtree(scratch, ignore_errors=True)
    if results and plot(results, picture):
        text = out.read_text(encoding="utf-8")
        out.write_text(text + f"\n![growth]({picture.name})\n", encoding="utf-8")
    print(f"saved {out}")


if __name__ == "__main__":
    main()
