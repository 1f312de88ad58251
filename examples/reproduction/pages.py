"""The written results: RESULTS/summary.md, RESULTS/provenance.json and the lesson page."""

import os
import subprocess
from pathlib import Path

import numpy as np

from reproduction.claims import ACTIVATIONS, BATCH, BETA, LR, PRETTY, REPORT_FIGURES, REPORT_TABLE
from reproduction.figures import make_figures
from reproduction.inventory import inventory_table, verdict_numbers
from reproduction.lockstep import BESIDE, LOCKSTEP, load_lockstep, lockstep_text
from reproduction.momentum import is_momentum_finished
from reproduction.plan import MOMENTUM_RUN, depth_runs, sizes_for
from reproduction.recipe import recipe_table
from reproduction.running import REPO, load_results, machine, now, read_json, write_json, write_text
from reproduction.text_claims import (
    CONVERGENCE_EPOCHS,
    CONVERGENCE_LEVEL,
    TEXT_RULES,
    epochs_to_reach,
    text_verdicts,
)
from reproduction.verdicts import (
    DIVERGED,
    NOT_REPRODUCED,
    PENDING,
    REPRODUCED,
    RULES,
    SMOOTHING,
    mean_sd,
    overfitting_verdict,
    smoothed_minimum,
    trains,
    verdicts,
)
from tinygrad_edu.train import atomic_write

THIS_SCRIPT = "examples/reproduce_report.py"


def fmt(values):
    """'mean ± sd' of a list, or '—' if empty."""
    if not values:
        return "—"
    mean, sd = mean_sd(values)
    return f"{mean:.4f}" + (f" ± {sd:.4f}" if sd is not None else "")


def activation_table(table):
    rows = ["| activation | report loss | our loss (mean ± sd) | diff | report accuracy | "
            "our accuracy (mean ± sd) | diff | n seeds |",
            "|---|---|---|---|---|---|---|---|"]
    for a in ACTIVATIONS:
        t, (loss, accuracy) = table[a], REPORT_TABLE[a]
        dl = f"{np.mean(t['loss']) - loss:+.4f}" if t["loss"] else "—"
        da = f"{np.mean(t['accuracy']) - accuracy:+.4f}" if t["accuracy"] else "—"
        n = f"{len(t['loss'])}" + (f" (missing {', '.join(t['missing'])})" if t["missing"] else "")
        rows.append(f"| {PRETTY[a]} | {loss:.4f} | {fmt(t['loss'])} | {dl} | {accuracy:.4f} | "
                    f"{fmt(t['accuracy'])} | {da} | {n} |")
    return "\n".join(rows)


def depth_table(results, seeds, mode):
    rows = ["| hidden layers | sizes | run | final train loss | final validation loss | "
            "smoothed val-loss minimum (epoch) | final train accuracy | final validation accuracy | "
            "test accuracy |", "|---|---|---|---|---|---|---|---|---|"]
    for d, name in depth_runs(seeds).items():
        sizes = "-".join(map(str, sizes_for(mode, d)))
        r = results[name]
        if r is None:
            rows.append(f"| {d} | {sizes} | {name} |" + " pending |" * 6)
            continue
        h = r["history"]
        epoch, _ = smoothed_minimum(h["val_loss"])
        rows.append(f"| {d} | {sizes} | {name} | {h['train_loss'][-1]:.4f} | {h['val_loss'][-1]:.4f} | "
                    f"{epoch} | {h['train_accuracy'][-1]:.4f} | {h['val_accuracy'][-1]:.4f} | "
                    f"{r['test_accuracy']:.4f} |")
    return "\n".join(rows)


def convergence_table(results, seeds):
    """Per activation: the epoch each seed's training loss reaches the level, and the loss at fixed epochs."""
    shown = [e for e in CONVERGENCE_EPOCHS if any(r and len(r["history"]["train_loss"]) >= e
                                                  for r in results.values())]
    rows = [f"| activation | first epoch with training loss ≤ {CONVERGENCE_LEVEL} (per seed) | "
            + " | ".join(f"training loss at epoch {e}" for e in shown) + " |",
            "|---|---|" + "---|" * len(shown)]
    for a in ACTIVATIONS:
        done = [results[f"{a}-seed{s}"]["history"]["train_loss"] for s in seeds if results[f"{a}-seed{s}"]]
        if not done:
            rows.append(f"| {PRETTY[a]} | pending |" + " pending |" * len(shown))
            continue
        reached = ", ".join(str(epochs_to_reach(c)) if epochs_to_reach(c) <= len(c) else f"> {len(c)}"
                            for c in done)
        losses = [fmt([c[e - 1] for c in done if len(c) >= e]) for e in shown]
        rows.append(f"| {PRETTY[a]} | {reached} | " + " | ".join(losses) + " |")
    return "\n".join(rows) + ranking_text(results, seeds, shown)


def ranking_text(results, seeds, epochs):
    """Which activation's mean training loss is lowest at each epoch (a description; no verdict uses it)."""
    done = {a: [results[f"{a}-seed{s}"]["history"]["train_loss"] for s in seeds] for a in ACTIVATIONS
            if all(results[f"{a}-seed{s}"] for s in seeds)}
    if len(done) < len(ACTIVATIONS) or not epochs:
        return ""
    order = {e: sorted(done, key=lambda a: np.mean([c[e - 1] for c in done[a]])) for e in epochs}
    listing = "; ".join(f"epoch {e}: {', '.join(PRETTY[a] for a in order[e])}" for e in epochs)
    return (f"\n\nThe activations by mean training loss, lowest first (a description read after the rule "
            f"was applied, not a verdict): {listing}.")


def depth_accuracy_text(found):
    """One sentence from the verdicts: does §3.1's accuracy half (accuracy falls beyond 2 layers) hold?"""
    (val,) = verdict_numbers(("§3.1, Fig. 5: validation accuracy falls",), found)
    (test,) = verdict_numbers(("§3.1, Fig. 5: test accuracy",), found)
    return (f"The report also says that beyond 2 hidden layers the accuracy falls. On our validation "
            f"accuracy that is {found[val - 1].status} (#{val}); on our test accuracy it is "
            f"{found[test - 1].status} (#{test}).")


def looks_like_fig_2(curve):
    """The Fig. 2 rule applied to one validation-loss curve on its own."""
    return overfitting_verdict([curve])[0] == REPRODUCED


def overfitting_table(results):
    """Every finished run's smoothed validation-loss minimum, and whether that run alone fits Fig. 2."""
    rows = ["| run | epochs | smoothed val-loss minimum: epoch | lowest val loss | final val loss | rise | "
            "fits Fig. 2 alone |", "|---|---|---|---|---|---|---|"]
    fits = []
    for name, r in results.items():
        if r is None:
            continue
        curve = r["history"]["val_loss"]
        epoch, rise = smoothed_minimum(curve)
        fit = looks_like_fig_2(curve)
        if fit:
            fits.append(f"{name} (lowest at epoch {epoch}, ends {rise:.4f} above)")
        rows.append(f"| {name} | {len(curve)} | {epoch} | {min(curve):.4f} | {curve[-1]:.4f} | {rise:+.4f} | "
                    f"{'yes' if fit else 'no'} |")
    found = "; ".join(fits) if fits else "none"
    return "\n".join(rows) + f"\n\nRuns that fit Fig. 2 on their own, by the verdict's rule: {found}."


def verdict_table(found, emphasize=False):
    rows = ["| # | claim | verdict | deciding numbers |", "|---|---|---|---|"]
    for i, v in enumerate(found, start=1):
        status = f"**{v.status}**" if emphasize and v.status != PENDING else v.status
        rows.append(f"| {i} | {v.claim} | {status} | {v.evidence} |")
    return "\n".join(rows)


def tally(found):
    groups = {s: [i for i, v in enumerate(found, start=1) if v.status == s]
              for s in (REPRODUCED, NOT_REPRODUCED, PENDING, DIVERGED)}
    if not groups[DIVERGED]:
        del groups[DIVERGED]
    return groups, ", ".join(f"{len(ids)} {s}" for s, ids in groups.items())


def momentum_text(momentum, mode, seed):
    if momentum is None:
        return "Pending: the momentum-rule run has not finished."
    lines = []
    for rule, label in (("printed", "as printed, v ← βv − (1−β)∇L"),
                        ("code", "as the code ran, v ← βv + (1−β)∇L")):
        _, first, last = trains(momentum[rule])
        lines.append(f"- {label}: batch loss {first:.4f} at step 1, {last:.4f} over the last quarter "
                     f"of {len(momentum[rule])} steps")
    return (f"The report's network (ReLU, {'-'.join(map(str, sizes_for(mode, 2)))}, seed {seed}) trained "
            f"for {mode.momentum_epochs} epochs on the first {mode.momentum_images} training "
            f"images with lr {LR}, β {BETA}, batch {BATCH}, once per rule from the same weights on the same "
            "batches:\n\n" + "\n".join(lines))


def choices_text(mode, seeds):
    widths = {d: "-".join(map(str, sizes_for(mode, d))) for d in (1, 2, 3, 4)}
    return "\n".join([
        "- **Network**: every run is `examples/fashion_mnist.py --preset report --engine report`, the "
        "report's own hand-derived δ-recursion network and its recipe (batch 500, lr 0.01, β 0.8, "
        "55000/5000 split, training metrics from a full pass after each epoch). It is the report's method "
        "being rerun, not a different implementation.",
        f"- **Seeds** {', '.join(map(str, seeds))}: a seed sets the initial weights, the batch order *and* "
        "which 5000 images are held out for validation, so the sd covers all three.",
        f"- **Depth** ({widths[1]}, {widths[2]}, {widths[3]}, {widths[4]}): the report does not give its "
        "widths. Each deeper net keeps the report's first layers and adds one layer of half the width "
        "before, so depth is the only thing that changes and the widths keep narrowing toward the 10 "
        f"classes as the report's 600 → 400 does. The 2-layer net is the run relu-seed{seeds[0]}; the "
        "others use the same seed.",
        "- **Overfitting (Fig. 2)**: the report does not say which configuration its Fig. 2 shows. We use "
        "the ReLU runs: they are the report's main configuration, every other ReLU figure is about them, "
        "and they cost no extra training. The minimum of every other run is listed too.",
        f"- **Momentum rule**: a short run ({mode.momentum_epochs} epochs on {mode.momentum_images} "
        "images) is enough: the printed rule is gradient ascent, and it shows within a few steps.",
    ])


def git_commit():
    """`git rev-parse HEAD`, plus -dirty if tracked or untracked files differ (our own outputs aside)."""
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True,
                              check=True).stdout.strip()
        ours = [":(exclude)results", ":(exclude)results-quick", ":(exclude)lessons/reproduction.md",
                ":(exclude)lessons/assets/reproduction"]
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
                   both_ways=both_ways_text(args, lockstep, results, table),
                   recipe=recipe_table(args.results, runs))
    write_text(args.results / "summary.md", summary_markdown(args, figures, **context))
    write_lesson_page(args, figures, **context)
    groups, counts = tally(found)
    print(f"verdicts: {counts}")
    print(f"wrote {args.results / 'summary.md'}, {args.results / 'provenance.json'}, "
          f"{len(figures)} figures in {args.results / 'figures'}, and {args.lessons_page}")


def both_ways_text(args, lockstep, results, table):
    """The lockstep section's text: the autograd engine beside the report network's seed-0 run."""
    accuracies = table["relu"]["accuracy"]
    sd = mean_sd(accuracies)[1] if len(accuracies) > 1 else None
    return lockstep_text(lockstep, results.get(BESIDE), sd, f"{args.results.name}/{LOCKSTEP.as_posix()}")


def quick_warning(mode):
    if mode.name != "quick":
        return ""
    return ("\n> **Quick mode**: tiny networks, 2 epochs on 2000 images. These numbers only show that the "
            "pipeline works; they say nothing about the report.\n")


def summary_markdown(args, figures, *, found, table, results, momentum, mode, seeds, durations, command,
                     commit, when, both_ways, recipe):
    m = machine()
    figure_list = "\n".join(f"- `figures/{name}`: {caption}" for name, caption in figures.items())
    return f"""# Reproducing the report: summary

Generated by `{command}` on {when}.
{quick_warning(mode)}
Every run is the report's own network (`--engine report`, the δ-recursion of tinygrad_edu/report.py) with
the report's recipe; see Choices below.

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

{both_ways}

## Every statement of the report

Read paragraph by paragraph: each checkable statement about the network, the data, the preprocessing
or the training, and the verdict that grades it (or why none does).

{inventory_table(found)}

## The recipe, as every run recorded it

{recipe}

## Verdict rules

{chr(10).join(f"- {rule}" for rule in RULES + TEXT_RULES)}

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


def write_lesson_page(args, figures, *, found, table, results, momentum, mode, seeds, durations, command,
                      commit, when, both_ways, recipe):
    """The lesson page, with copies of the figures in assets/reproduction/ next to it."""
    page = Path(args.lessons_page)
    assets = page.parent / "assets" / "reproduction"
    for name in figures:
        data = (args.results / "figures" / name).read_bytes()
        atomic_write(assets / name, lambda f, data=data: f.write(data))
    rel = Path(os.path.relpath(assets, page.parent)).as_posix()
    groups, counts = tally(found)

    def listing(status):
        claims = [f"    - {found[i - 1].claim} (#{i})" for i in groups[status]]
        return "\n" + "\n".join(claims) if claims else " none"

    def figure(name, alt):
        if name not in figures:
            return f"*({alt}: pending.)*\n"
        return f"![{alt}]({rel}/{name})\n\n*{figures[name]}.*\n"

    diverged = f"\n- **Diverged** (loss nan or inf):{listing(DIVERGED)}" if DIVERGED in groups else ""
    activation_figures = "\n".join(figure(f"{a}-{m}.png", f"{PRETTY[a]} {m}") for a in ACTIVATIONS
                                   for m in ("loss", "accuracy"))
    try:
        results_name = args.results.resolve().relative_to(REPO)
    except ValueError:
        results_name = args.results
    text = f"""<!-- Generated by `python {THIS_SCRIPT} --summarize-only` from the runs in {results_name}/.
     Do not edit by hand: rerun the script instead. -->

# Reproducing the report

This page is generated by `{THIS_SCRIPT}` from the numbers in `{results_name}/`
(last: {when}, commit `{commit}`).
{quick_warning(mode)}
The homework report behind these lessons trained a 784-600-400-10 network on Fashion-MNIST and
made a handful of claims. Here every experiment is run again **with the report's own network**:
the hand-derived δ-recursion of [lesson 5](05-report-derivation.md), trained with the report's
recipe (500 epochs, batch 500, learning rate 0.01, momentum \\( \\beta = 0.8 \\)). Each claim then
gets a verdict computed from the numbers by a rule fixed in advance (listed at the end):
*reproduced*, *not reproduced*, or *pending* while its runs are still training.

## The verdicts in brief

{counts}.

- **Reproduced**:{listing(REPRODUCED)}
- **Not reproduced**:{listing(NOT_REPRODUCED)}
- **Pending** (runs not finished):{listing(PENDING)}{diverged}

{verdict_table(found, emphasize=True)}

## The table: test loss and accuracy

Our numbers are the mean ± standard deviation over seeds {', '.join(map(str, seeds))}; a seed fixes the
initial weights, the order of the batches and which 5000 images are held out for validation.

{activation_table(table)}

{activation_figures}
## How fast each activation converges

The report says sigmoid and tanh converge more slowly than ReLU and hard tanh. We read that on the
training loss: the first epoch at which it falls to {CONVERGENCE_LEVEL}, and its value at fixed epochs
(mean ± sd over seeds).

{convergence_table(results, seeds)}

{figure("convergence.png", "convergence")}
## Overfitting

The report shows validation loss turning upward after about 200 epochs without saying which network.
We look at the ReLU runs: the marker shows where each validation curve, smoothed over {SMOOTHING} epochs,
is lowest.

{figure("overfitting.png", "overfitting")}
Every finished run, for comparison: where its smoothed validation loss is lowest, how far
the smoothed curve ends above that minimum (the "rise"), and whether that run alone would pass the
Fig. 2 rule. The verdict itself stays with the ReLU runs chosen before any run finished.

{overfitting_table(results)}

## Depth

The report's widths for 1, 3 and 4 hidden layers are not given; we keep its first layers and add
layers of half the width ({", ".join("-".join(map(str, sizes_for(mode, d))) for d in (1, 3, 4))}).

{depth_table(results, seeds, mode)}

{depth_accuracy_text(found)}

{figure("depth.png", "depth")}
## The momentum rule

The report printed \\( v \\leftarrow \\beta v - (1-\\beta)\\nabla L \\), \\( w \\leftarrow w - \\eta v \\).
Substituting, the weights move by \\( +\\eta(1-\\beta)\\nabla L \\) on the first step: *up* the gradient.
The code it ran used \\( v \\leftarrow \\beta v + (1-\\beta)\\nabla L \\).

{momentum_text(momentum, mode, seeds[0])}

{figure("momentum-rule.png", "momentum rule")}
## The same MLP, trained both ways

Every run above is the report's own network. The course's autograd engine trains the same MLP; the
full-scale run of both engines in lockstep (seed 0, the report's recipe, the same initial weights and
batches) goes here, beside our relu-seed0 run.

{both_ways}

{figure("lockstep.png", "both engines") if "lockstep.png" in figures else ""}
## Every statement of the report

We read the report paragraph by paragraph and list each checkable statement about the network, the
data, the preprocessing or the training, with the verdict that grades it or the reason none does.

{inventory_table(found)}

The recipe the report states, against the settings each finished run recorded in its history.json:

{recipe}

## How the verdicts are decided

{chr(10).join(f"- {rule}" for rule in RULES + TEXT_RULES)}

## Choices and provenance

{choices_text(mode, seeds)}

Command: `{command}`; machine: {machine()['cpus']} CPUs, Python {machine()['python']},
numpy {machine()['numpy']}. Per-run durations are in `{results_name}/summary.md` and
`{results_name}/provenance.json`.
"""
    write_text(page, text)
