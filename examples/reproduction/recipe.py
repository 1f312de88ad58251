"""The report's recipe (§1.2, §2.1, §2.3, §2.4, §3.2) against the settings every finished run recorded.

Each history.json keeps the flags its run trained with, so whether the reproduction followed the
report's stated recipe is read from the committed runs themselves, not from the plan.
"""

from reproduction.claims import BATCH, BETA, LR
from reproduction.running import read_json

ALL_RUNS, TWO_LAYER_RUNS = "every run", "the activation runs"
#: (where, what the report states, setting in history.json, the report's value, which runs it concerns)
RECIPE = [
    ("§1.2", "validation images held out", "validation", 5000, ALL_RUNS),
    ("§1.2", "training images: all 55000 others", "train_limit", None, ALL_RUNS),
    ("§2.1", "layer sizes", "sizes", [784, 600, 400, 10], TWO_LAYER_RUNS),
    ("§2.3", "optimizer", "optimizer", "momentum", ALL_RUNS),
    ("§2.4", "epochs", "epochs", 500, ALL_RUNS),
    ("§2.4", "batch size", "batch_size", BATCH, ALL_RUNS),
    ("§2.4", "learning rate η", "lr", LR, ALL_RUNS),
    ("§2.4", "momentum β", "beta", BETA, ALL_RUNS),
]


def shown(value):
    """A setting as a reader writes it: 784-600-400-10, momentum, "all" for no training-set limit."""
    if value is None:
        return "all (no limit)"
    if isinstance(value, list):
        return "-".join(map(str, value))
    return str(value)


def recorded_settings(results_dir, runs):
    """{run name: its history.json's settings} for every run whose history.json exists."""
    out = {}
    for run in runs:
        record = read_json(results_dir / "runs" / run.name / "history.json")
        if record is not None:
            out[run.name] = record.get("settings", {})
    return out


def recipe_table(results_dir, runs):
    """Markdown: each recipe item, the values the runs recorded, and whether all of them match.

    The activation runs are those of the 784-600-400-10 net (the depth runs change the sizes on
    purpose); each of them must also have recorded the activation its name says (§3.2).
    """
    settings = recorded_settings(results_dir, runs)
    two_layer = [r.name for r in runs if not r.name.startswith("depth") and r.name in settings]

    def row(where, what, value, names, recorded, match):
        verdict = ("yes" if all(match) else "no") if names else "—"
        recorded = ", ".join(sorted(recorded)) or "—"
        return f"| {where} | {what} | {value} | {len(names)} | {recorded} | {verdict} |"

    rows = ["| where | the report's recipe | value | runs | recorded values | all match |",
            "|---|---|---|---|---|---|"]
    for where, what, key, value, scope in RECIPE:
        names = list(settings) if scope == ALL_RUNS else two_layer
        rows.append(row(where, what, shown(value), names, {shown(settings[n].get(key)) for n in names},
                        [settings[n].get(key) == value for n in names]))
    activation = {r.name: r.activation for r in runs}
    rows.append(row("§3.2", "only the activation differs between the four nets", "the run's own", two_layer,
                    {str(settings[n].get("activation")) for n in two_layer},
                    [settings[n].get("activation") == activation[n] for n in two_layer]))
    return "\n".join(rows)
