"""The written results: RESULTS/summary.md, RESULTS/provenance.json, and (lesson_page.py) the lesson page."""

import subprocess

from reproduction.claims import REPORT_FIGURES
from reproduction.figures import make_figures
from reproduction.inventory import inventory_table
from reproduction.languages import EN, LANGUAGES, page_in
from reproduction.lesson_page import ALL_RULES, write_lesson_pages
from reproduction.lockstep import BESIDE, LOCKSTEP, load_lockstep, lockstep_text
from reproduction.momentum import is_momentum_finished
from reproduction.plan import MOMENTUM_RUN
from reproduction.recipe import recipe_table
from reproduction.running import (
    REPO,
    THIS_SCRIPT,
    load_results,
    machine,
    now,
    read_json,
    write_json,
    write_text,
)
from reproduction.tables import (
    activation_table,
    choices_text,
    convergence_table,
    depth_table,
    momentum_text,
    overfitting_table,
    quick_warning,
    tally,
    verdict_table,
)
from reproduction.text_claims import text_verdicts
from reproduction.verdicts import SMOOTHING, mean_sd, verdicts


def git_commit():
    """`git rev-parse HEAD`, plus -dirty if tracked or untracked files differ (our own outputs aside)."""
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True,
                              check=True).stdout.strip()
        ours = [":(exclude)results", ":(exclude)results-quick", ":(exclude)lessons/reproduction.md",
                ":(exclude)lessons/reproduction.zh-TW.md", ":(exclude)lessons/assets/reproduction"]
        status = subprocess.run(["git", "status", "--porcelain", "--", ".", *ours], cwd=REPO,
                                capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return head + ("-dirty" if status.strip() else "")


def run_durations(results_dir, runs):
    """{name: seconds} per run: wall-clock of this script's sessions, and training time from history.json."""
    out = {}
    for name in [r.name for r in runs] + [MOMENTUM_RUN]:
        spec = read_json(results_dir / "runs" / name / "run.json") or {}
        record = read_json(results_dir / "runs" / name / "history.json") or {}
        report = record.get("histories", {}).get("report", {})
        sessions = spec.get("sessions", [])
        out[name] = {"finished": bool(record), "sessions": len(sessions),
                     "wall_seconds": round(sum(s.get("wall_seconds", 0) for s in sessions), 1),
                     "train_seconds": round(sum(report.get("seconds", [])), 1) if report else None,
                     "epochs_done": len(report.get("val_loss", [])) if report else None}
    return out


def durations_table(durations):
    rows = ["| run | finished | sessions | wall-clock (s) | training + evaluation (s) |",
            "|---|---|---|---|---|"]
    for name, d in durations.items():
        train = "—" if d["train_seconds"] is None else f"{d['train_seconds']:.1f}"
        rows.append(f"| {name} | {'yes' if d['finished'] else 'no'} | {d['sessions']} | "
                    f"{d['wall_seconds']:.1f} | {train} |")
    total = sum(d["wall_seconds"] for d in durations.values())
    return "\n".join(rows) + f"\n\nTotal wall-clock of the runs: {total / 3600:.2f} h (summed over runs)."


def threads_text(results_dir):
    record = read_json(results_dir / "threads.json")
    if record is None:
        return ("Threads: not measured in this results folder "
                f"(`python {THIS_SCRIPT} --measure-threads` measures it).")
    return (f"Threads ({record['when']}, {record['what']}): two runs side by side with 1 BLAS thread each "
            f"took {record['parallel_1_thread_seconds']:.1f} s of wall-clock; the same two one after the "
            f"other with 2 threads each took {record['sequential_2_threads_seconds']:.1f} s: ratio "
            f"{record['ratio']:.2f} (parallel / sequential; below 1 means side by side is faster). "
            "The machine was shared with other work, so treat it as indicative.")


def summarize(args, mode, seeds, runs, command):
    """Figures, summary.md, provenance.json and the lesson page, from whatever runs have finished."""
    results = load_results(args.results, runs)
    momentum_dir = args.results / "runs" / MOMENTUM_RUN
    momentum = None
    if is_momentum_finished(momentum_dir):
        momentum = read_json(momentum_dir / "history.json")["losses"]
    found, table = verdicts(results, momentum, seeds)
    found += text_verdicts(results, seeds)
    lockstep = load_lockstep(args.results)
    figures = make_figures(results, momentum, seeds, mode, args.results / "figures", lockstep)
    durations = run_durations(args.results, runs)
    commit, when = git_commit(), now()
    previous = read_json(args.results / "provenance.json") or {}
    invocations = previous.get("invocations", []) + [{"command": command, "when": when, "commit": commit}]
    provenance = {"command": command, "when": when, "commit": commit, "machine": machine(),
                  "mode": mode.name, "seeds": list(seeds), "runs": durations,
                  "run_flags": {r.name: r.flags(mode) for r in runs},
                  "threads": read_json(args.results / "threads.json"), "invocations": invocations}
    write_json(args.results / "provenance.json", provenance)
    context = dict(found=found, table=table, results=results, momentum=momentum, mode=mode, seeds=seeds,
                   durations=durations, command=command, commit=commit, when=when,
                   both_ways={language: both_ways_text(args, lockstep, results, table, language)
                              for language in LANGUAGES},
                   recipe={language: recipe_table(args.results, runs, language) for language in LANGUAGES})
    write_text(args.results / "summary.md", summary_markdown(args, figures, **context))
    write_lesson_pages(args, figures, **context)
    groups, counts = tally(found)
    print(f"verdicts: {counts}")
    pages = " and ".join(str(page_in(args.lessons_page, language)) for language in LANGUAGES)
    print(f"wrote {args.results / 'summary.md'}, {args.results / 'provenance.json'}, "
          f"{len(figures)} figures in {args.results / 'figures'}, and {pages}")


def both_ways_text(args, lockstep, results, table, language=EN):
    """The lockstep section's text: the autograd engine beside the report network's seed-0 run."""
    accuracies = table["relu"]["accuracy"]
    sd = mean_sd(accuracies)[1] if len(accuracies) > 1 else None
    return lockstep_text(lockstep, results.get(BESIDE), sd, f"{args.results.name}/{LOCKSTEP.as_posix()}",
                         language)


def summary_markdown(args, figures, *, found, table, results, momentum, mode, seeds, durations, command,
                     commit, when, both_ways, recipe):
    m = machine()
    figure_list = "\n".join(f"- `figures/{name}`: {caption[EN]}" for name, caption in figures.items())
    return f"""# Reproducing the report: summary

Generated by `{command}` on {when}.
{quick_warning(mode)}
Every run is the report's own network (`--engine report`, the δ-recursion of
tinygrad_edu/report/network.py) with the report's recipe; see Choices below.

## Verdicts

{tally(found)[1]}.

{verdict_table(found)}

## Test loss and accuracy per activation (Table §3.2)

{activation_table(table)}

## Convergence per activation (§3.2)

Mean ± sd over seeds of the training loss (full pass after each epoch).

{convergence_table(results, seeds)}

## Depth (§3.1, Fig. 5)

{depth_table(results, seeds, mode)}

## Overfitting (Fig. 2)

Minimum of each finished run's validation loss (smoothed over {SMOOTHING} epochs); the verdict uses the
ReLU runs.

{overfitting_table(results)}

## Momentum rule (§2.3)

{momentum_text(momentum, mode, seeds[0])}

## The same MLP trained both ways (seed 0, full scale)

The report's network and recipe trained by the autograd engine and by the report's δ-recursion in
lockstep (same initial weights, same batches), beside our relu-seed0 run of the report's network.

{both_ways[EN]}

## Every statement of the report

Read paragraph by paragraph: each checkable statement about the network, the data, the preprocessing
or the training, and the verdict that grades it (or why none does).

{inventory_table(found)}

## The recipe, as every run recorded it

{recipe[EN]}

## Verdict rules

{chr(10).join(f"- {rule}" for rule in ALL_RULES[EN])}

## Choices

{choices_text(mode, seeds)}

## Figures

{figure_list or "None yet: no run has finished."}

The report's Figure 1 ({REPORT_FIGURES[1]}) is a drawing of the network, not data, so it is not redrawn
here; `lessons/05-report-derivation.md` derives that network.

## Notes

- {threads_text(args.results)}
- Each run's log is `runs/NAME/log.txt`; rerunning `python {THIS_SCRIPT}` resumes unfinished runs.

## Provenance

- command: `{command}`
- commit: `{commit}`
- machine: {m['cpus']} CPUs, Python {m['python']}, numpy {m['numpy']}, {m['platform']}
- mode: {mode.name}; seeds {', '.join(map(str, seeds))}

{durations_table(durations)}
"""
