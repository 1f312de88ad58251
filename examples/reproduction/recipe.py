"""The report's recipe (§1.2, §2.1, §2.3, §2.4, §3.2) against the settings every finished run recorded.

Each history.json keeps the flags its run trained with, so whether the reproduction followed the
report's stated recipe is read from the committed runs themselves, not from the plan.
"""

from reproduction.claims import BATCH, BETA, LR
from reproduction.languages import EN, ZH_TW, yes_no
from reproduction.running import read_json

ALL_RUNS, TWO_LAYER_RUNS = "every run", "the activation runs"
#: (where, what the report states, setting in history.json, the report's value, which runs it concerns,
#: what the report states in 繁體中文)
RECIPE = [
    ("§1.2", "validation images held out", "validation", 5000, ALL_RUNS, "留作驗證的影像數"),
    ("§1.2", "training images: all 55000 others", "train_limit", None, ALL_RUNS,
     "訓練影像：其餘 55000 張全部"),
    ("§2.1", "layer sizes", "sizes", [784, 600, 400, 10], TWO_LAYER_RUNS, "各層大小"),
    ("§2.3", "optimizer", "optimizer", "momentum", ALL_RUNS, "最佳化器"),
    ("§2.4", "epochs", "epochs", 500, ALL_RUNS, "epoch 數"),
    ("§2.4", "batch size", "batch_size", BATCH, ALL_RUNS, "批次大小"),
    ("§2.4", "learning rate η", "lr", LR, ALL_RUNS, "學習率 η"),
    ("§2.4", "momentum β", "beta", BETA, ALL_RUNS, "動量 β"),
]
TABLE_TEXT = {  # (header, no training-set limit, §3.2's row: what and its value)
    EN: ("| where | the report's recipe | value | runs | recorded values | all match |", "all (no limit)",
         "only the activation differs between the four nets", "the run's own"),
    ZH_TW: ("| 位置 | 報告的配方 | 值 | 訓練數 | 記錄的值 | 全部相符 |", "全部（不設上限）",
            "四個網路之間只有激勵函數不同", "各次訓練自己的"),
}


def shown(value, language=EN):
    """A setting as a reader writes it: 784-600-400-10, momentum, "all" for no training-set limit."""
    if value is None:
        return TABLE_TEXT[language][1]
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


def recipe_table(results_dir, runs, language=EN):
    """Markdown: each recipe item, the values the runs recorded, and whether all of them match.

    The activation runs are those of the 784-600-400-10 net (the depth runs change the sizes on
    purpose); each of them must also have recorded the activation its name says (§3.2).
    """
    settings = recorded_settings(results_dir, runs)
    two_layer = [r.name for r in runs if not r.name.startswith("depth") and r.name in settings]

    header, _, only_activation, own = TABLE_TEXT[language]

    def row(where, what, value, names, recorded, match):
        verdict = yes_no(all(match), language) if names else "—"
        recorded = ", ".join(sorted(recorded)) or "—"
        return f"| {where} | {what} | {value} | {len(names)} | {recorded} | {verdict} |"

    rows = [header, "|---|---|---|---|---|---|"]
    for where, what, key, value, scope, what_zh in RECIPE:
        names = list(settings) if scope == ALL_RUNS else two_layer
        rows.append(row(where, what_zh if language == ZH_TW else what, shown(value, language), names,
                        {shown(settings[n].get(key), language) for n in names},
                        [settings[n].get(key) == value for n in names]))
    activation = {r.name: r.activation for r in runs}
    rows.append(row("§3.2", only_activation, own, two_layer,
                    {str(settings[n].get("activation")) for n in two_layer},
                    [settings[n].get("activation") == activation[n] for n in two_layer]))
    return "\n".join(rows)
