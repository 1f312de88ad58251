"""The same MLP trained both ways at full scale: the autograd engine beside the report's own network.

`examples/fashion_mnist.py --preset report` (both engines in lockstep, seed 0) writes a history.json
whose "histories" and "results" hold "autograd" and "report", plus "max_weight_difference": the
largest |w_autograd − w_report| over every weight and bias, per epoch and after training. Committed
at RESULTS/lockstep/report-seed0/, it is shown beside our relu-seed0 run (the report's network,
trained alone with the same seed and recipe). When it is absent the page says so.
"""

from pathlib import Path

import numpy as np

from reproduction.claims import REPORT_TABLE
from reproduction.languages import EN, ZH_TW
from reproduction.running import read_json

LOCKSTEP = Path("lockstep") / "report-seed0" / "history.json"  # inside the results folder
BESIDE = "relu-seed0"  # the reproduction's run with the same network, seed and recipe
# Settings that must agree with that run's for the two to be "the same MLP, the same seed".
SAME = ("sizes", "activation", "seed", "epochs", "batch_size", "optimizer", "lr", "beta", "schedule",
        "dtype", "validation", "train_limit", "full_train_eval")
ENGINES = {"autograd": "autograd engine (Tensor graph)", "report": "report's δ-recursion"}
#: The table's and the text's words: (engines, a run's label, relu-seed0's label, header, the report's row,
#: not shown yet, the weight gap, the scale of a difference, the autograd engine against relu-seed0).
TEXT = {
    EN: (ENGINES, "lockstep: {engine}", "{beside}: {engine}, trained alone",
         "| run | epochs | final train loss | final validation loss | test loss | test accuracy |",
         "| the report (§2.4, table of §3.2) | 500 | — | — |",
         "Not shown yet: `{where}` is not in this results folder. It is the history.json of `python "
         "examples/fashion_mnist.py --preset report --checkpoint` (both engines in lockstep, seed 0, the "
         "report's recipe); committed there, the next `--summarize-only` shows it here.",
         "\n\nLargest difference between the two engines' weights after training: {gap:.3g} ({dtype}; after "
         "epoch 1 it was {first:.3g}, at its largest {largest:.3g}).",
         ", against a seed-to-seed sd of {sd:.4f} over the ReLU seeds",
         " The autograd engine's test accuracy minus {beside}'s: {difference:+.4f}{scale}."),
    ZH_TW: ({"autograd": "自動微分引擎（Tensor 計算圖）", "report": "報告的 δ 遞迴式"},
            "lockstep：{engine}", "{beside}：{engine}，單獨訓練",
            "| 訓練 | epoch 數 | 最終訓練損失 | 最終驗證損失 | 測試損失 | 測試準確率 |",
            "| 報告（§2.4、§3.2 的表） | 500 | — | — |",
            "尚未顯示：這個結果資料夾裡沒有 `{where}`。它是 "
            "`python examples/fashion_mnist.py --preset report --checkpoint` 寫出的 history.json"
            "（兩個引擎以 lockstep 方式同步訓練、種子 0、報告的配方）；"
            "把它提交到那裡之後，下一次 `--summarize-only` 就會把它顯示在這裡。",
            "\n\n訓練結束後，兩個引擎的權重之間最大的差異是 {gap:.3g}"
            "（{dtype}；第 1 個 epoch 之後是 {first:.3g}，最大時是 {largest:.3g}）。",
            "，對照 ReLU 各種子之間的標準差 {sd:.4f}",
            "自動微分引擎的測試準確率減去 {beside} 的：{difference:+.4f}{scale}。"),
}


def load_lockstep(results_dir):
    """The lockstep run's history.json as a dict, or None if the file is absent.

    Raises ValueError naming the file if it is not a finished run of both engines, or if its
    settings differ from the relu-seed0 run it is shown beside (when that run's history exists).
    """
    path = Path(results_dir) / LOCKSTEP
    if not path.exists():
        return None
    record = read_json(path)
    if not isinstance(record, dict):
        raise ValueError(f"{path}: not a JSON object (a history.json of examples/fashion_mnist.py?)")
    results, histories = record.get("results", {}), record.get("histories", {})
    missing = [f"results.{k}" for k in (*ENGINES, "max_weight_difference") if k not in results]
    missing += [f"histories.{k}" for k in (*ENGINES, "max_weight_difference") if k not in histories]
    if missing:
        raise ValueError(f"{path}: not a finished lockstep run of both engines; missing {', '.join(missing)}")
    beside = read_json(Path(results_dir) / "runs" / BESIDE / "history.json")
    if beside is not None:
        ours, theirs = record.get("settings", {}), beside.get("settings", {})
        differ = [f"{k}: {ours.get(k)!r} here, {theirs.get(k)!r} in {BESIDE}" for k in SAME
                  if ours.get(k) != theirs.get(k)]
        if differ:
            raise ValueError(f"{path}: not the same experiment as {BESIDE}: {'; '.join(differ)}")
    return record


def lockstep_rows(record, beside, language=EN):
    """Rows (label, history, test loss, test accuracy) for the table and the figure.

    `beside`: the relu-seed0 run as load_results gives it, or None while it is unfinished.
    """
    engines, label, beside_label = TEXT[language][:3]
    rows = [(label.format(engine=engines[e]), record["histories"][e], record["results"][e]["test_loss"],
             record["results"][e]["test_accuracy"]) for e in ENGINES]
    if beside is not None:
        rows.insert(1, (beside_label.format(beside=BESIDE, engine=engines["report"]), beside["history"],
                        beside["test_loss"], beside["test_accuracy"]))
    return rows


def lockstep_text(record, beside, relu_accuracy_sd, where, language=EN):
    """Markdown: the engines' final numbers, the report's, and the largest weight gap (or why absent).

    `relu_accuracy_sd`: the sample sd of the ReLU seeds' test accuracy (None if unknown), the scale
    against which a difference between two seed-0 runs is read. `where`: the file's path to print.
    """
    *_, header, report_row, not_yet, weight_gap, scale_text, against = TEXT[language]
    if record is None:
        return not_yet.format(where=where)
    loss, accuracy = REPORT_TABLE["relu"]
    lines = [header, "|---|---|---|---|---|---|"]
    for label, history, test_loss, test_accuracy in lockstep_rows(record, beside, language):
        lines.append(f"| {label} | {len(history['val_loss'])} | {history['train_loss'][-1]:.4f} | "
                     f"{history['val_loss'][-1]:.4f} | {test_loss:.4f} | {test_accuracy:.4f} |")
    lines.append(f"{report_row} {loss:.4f} | {accuracy:.4f} |")
    gaps = record["histories"]["max_weight_difference"]
    text = "\n".join(lines) + weight_gap.format(gap=record["results"]["max_weight_difference"],
                                                dtype=record.get("settings", {}).get("dtype", "float32"),
                                                first=gaps[0], largest=max(gaps))
    if beside is not None:
        difference = record["results"]["autograd"]["test_accuracy"] - beside["test_accuracy"]
        scale = scale_text.format(sd=relu_accuracy_sd) if relu_accuracy_sd is not None else ""
        text += against.format(beside=BESIDE, difference=difference, scale=scale)
    return text


def lockstep_figure(record, beside, plt, save):
    """Both engines' loss curves on one axis, their validation loss minus relu-seed0's (when it has
    finished), and the weight gap per epoch; `save(fig)` writes it. Returns the caption, {language: text}."""
    rows = lockstep_rows(record, beside)
    panels = 3 if beside is not None else 2
    fig, axes = plt.subplots(1, panels, figsize=(5 * panels, 4.3), layout="constrained")
    for label, history, _, _ in rows:
        epochs = np.arange(1, len(history["val_loss"]) + 1)
        (line,) = axes[0].plot(epochs, history["val_loss"], lw=1, label=f"{label}: validation")
        axes[0].plot(epochs, history["train_loss"], "--", lw=1, color=line.get_color(),
                     label=f"{label}: train")
        if beside is not None and history is not beside["history"]:
            n = min(len(history["val_loss"]), len(beside["history"]["val_loss"]))
            difference = np.subtract(history["val_loss"][:n], beside["history"]["val_loss"][:n])
            axes[1].plot(np.arange(1, n + 1), difference, lw=1, color=line.get_color(), label=label)
    axes[0].set(xlabel="epoch", ylabel="cross-entropy", title="the same MLP, seed 0: loss per engine")
    if beside is not None:
        axes[1].axhline(0, color="grey", lw=0.8)
        axes[1].set(xlabel="epoch", ylabel=f"validation loss minus {BESIDE}'s",
                    title=f"each lockstep engine against {BESIDE}")
        axes[1].legend(fontsize=7)
    gaps = record["histories"]["max_weight_difference"]
    axes[-1].semilogy(np.arange(1, len(gaps) + 1), gaps)
    axes[-1].set(xlabel="epoch", ylabel="max |w_autograd − w_report|",
                 title="largest weight difference between the engines")
    for ax in axes:
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=7)
    save(fig)
    return {EN: "not a figure of the report: the report's MLP trained both ways (autograd engine and the "
                "report's δ-recursion, seed 0): loss curves, validation loss against relu-seed0's, and the "
                "engines' weight gap",
            ZH_TW: "不是報告裡的圖：報告的 MLP 用兩種方式訓練（自動微分引擎與報告的 δ 遞迴式，種子 0）："
                   "損失曲線、相對於 relu-seed0 的驗證損失，以及兩個引擎的權重差距"}
