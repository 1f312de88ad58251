"""The figures: the report's Fig. 2–11 redrawn from our runs, as PNG files."""

import numpy as np

from reproduction.claims import ACTIVATIONS, PRETTY, REPORT_VAL_ACCURACY, report_figure
from reproduction.languages import EN, ZH_TW
from reproduction.lockstep import BESIDE, lockstep_figure
from reproduction.plan import depth_runs, sizes_for
from reproduction.text_claims import CONVERGENCE_LEVEL
from reproduction.verdicts import OVERFIT_WINDOW, smoothed_minimum
from tinygrad_edu.train import atomic_write


def pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def save_figure(fig, path):
    atomic_write(path, lambda f: fig.savefig(f, format="png", dpi=100, bbox_inches="tight"))
    pyplot().close(fig)


def band(ax, curves, label, style):
    """Mean over seeds as a line, ± 1 sd as a shaded band (curves: equal-length lists, one per seed)."""
    curves = np.asarray(curves, dtype=float)
    epochs = np.arange(1, curves.shape[1] + 1)
    mean = curves.mean(axis=0)
    (line,) = ax.plot(epochs, mean, style, label=label)
    if len(curves) > 1:
        sd = curves.std(axis=0, ddof=1)
        ax.fill_between(epochs, mean - sd, mean + sd, color=line.get_color(), alpha=0.25, linewidth=0)


def make_figures(results, momentum, seeds, mode, figures_dir, lockstep=None):
    """Write every figure that has data; return {file name: {language: caption}}.

    A caption names the report's figure that ours redraws by its own English title, "Figure N: …".

    `lockstep`: the full-scale run of both engines (lockstep.py's load_lockstep), or None.
    """
    plt = pyplot()
    made = {}
    for a in ACTIVATIONS:
        done = [results[f"{a}-seed{s}"]["history"] for s in seeds if results[f"{a}-seed{s}"]]
        if not done:
            continue
        sizes = "-".join(map(str, sizes_for(mode, 2)))
        for metric in ("loss", "accuracy"):
            name = f"{a}-{metric}.png"
            fig, ax = plt.subplots(figsize=(7, 4.3))
            band(ax, [h[f"train_{metric}"] for h in done], "train", "--")
            band(ax, [h[f"val_{metric}"] for h in done], "validation", "-")
            if metric == "accuracy" and a == "relu":
                ax.axhline(REPORT_VAL_ACCURACY, color="grey", lw=0.8, ls=":", label="87 % (§2.4)")
            spread = f"mean ± sd over {len(done)} seeds" if len(done) > 1 else "1 seed"
            ax.set(xlabel="epoch", ylabel="cross-entropy" if metric == "loss" else metric,
                   title=f"{report_figure(name)}\nours: {sizes}, {spread}")
            ax.grid(alpha=0.3)
            ax.legend()
            save_figure(fig, figures_dir / name)
            spread_zh = f"{len(done)} 個種子的平均 ± 標準差" if len(done) > 1 else "1 個種子"
            made[name] = {EN: f"{report_figure(name)} (ours: {PRETTY[a]}, {sizes}, {spread})",
                          ZH_TW: f"{report_figure(name)}（我們的結果：{PRETTY[a]}、{sizes}、{spread_zh}）"}

    curves = {a: [results[f"{a}-seed{s}"]["history"]["train_loss"] for s in seeds if results[f"{a}-seed{s}"]]
              for a in ACTIVATIONS}
    if any(curves.values()):
        fig, ax = plt.subplots(figsize=(7, 4.3))
        for a, done in curves.items():
            if done:
                band(ax, done, PRETTY[a], "-")
        ax.axhline(CONVERGENCE_LEVEL, color="grey", lw=0.8, ls=":",
                   label=f"level {CONVERGENCE_LEVEL} (§3.2 rule)")
        ax.set(xlabel="epoch", ylabel="training cross-entropy (log scale)", yscale="log",
               title="§3.2: training loss of the four activations (mean ± sd over seeds)")
        ax.grid(alpha=0.3, which="both")
        ax.legend()
        save_figure(fig, figures_dir / "convergence.png")
        made["convergence.png"] = {
            EN: "not a figure of the report (its Figures 3, 6, 8 and 10 on one axis): training loss of the "
                "four activations, mean ± sd over seeds",
            ZH_TW: "不是報告裡的圖（把報告的 Figure 3、6、8、10 畫在同一組座標軸上）："
                   "四種激勵函數的訓練損失，各種子的平均 ± 標準差"}

    depth_names = depth_runs(seeds)
    finished = {d: results[n]["history"] for d, n in depth_names.items() if results[n]}
    if finished:
        fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.3))
        for d, h in finished.items():
            epochs = range(1, len(h["val_loss"]) + 1)
            (line,) = left.plot(epochs, h["val_loss"], label=f"{d} hidden: validation")
            left.plot(epochs, h["train_loss"], "--", color=line.get_color(), label=f"{d} hidden: train")
        left.set(xlabel="epoch", ylabel="cross-entropy", title=f"loss per depth (seed {seeds[0]})")
        fig.suptitle(report_figure("depth.png"))
        depths = sorted(finished)
        right.plot(depths, [finished[d]["train_loss"][-1] for d in depths], "o--", label="train")
        right.plot(depths, [finished[d]["val_loss"][-1] for d in depths], "o-", label="validation")
        right.set(xlabel="hidden layers", ylabel="loss at the last epoch", xticks=[1, 2, 3, 4],
                  title="final loss against depth")
        for ax in (left, right):
            ax.grid(alpha=0.3)
            ax.legend(fontsize=8)
        save_figure(fig, figures_dir / "depth.png")
        made["depth.png"] = {
            EN: f"{report_figure('depth.png')} (ours: train and validation loss for 1 to 4 hidden layers, "
                f"seed {seeds[0]})",
            ZH_TW: f"{report_figure('depth.png')}（我們的結果：1 到 4 層隱藏層的訓練與驗證損失，"
                   f"種子 {seeds[0]}）"}

    relu = [(s, results[f"relu-seed{s}"]["history"]) for s in seeds if results[f"relu-seed{s}"]]
    if relu:
        fig, ax = plt.subplots(figsize=(7, 4.3))
        for s, h in relu:
            epochs = np.arange(1, len(h["val_loss"]) + 1)
            (line,) = ax.plot(epochs, h["val_loss"], label=f"seed {s}: validation")
            ax.plot(epochs, h["train_loss"], "--", color=line.get_color(), lw=0.8, label=f"seed {s}: train")
            epoch, _ = smoothed_minimum(h["val_loss"])
            ax.plot(epoch, h["val_loss"][epoch - 1], "v", color=line.get_color(), ms=9)
            ax.axvline(epoch, color=line.get_color(), lw=0.6, ls=":")
        if len(relu[0][1]["val_loss"]) >= OVERFIT_WINDOW[0]:  # (not in a short quick run)
            ax.axvspan(*OVERFIT_WINDOW, color="grey", alpha=0.1, label="about 200 (100–300)")
        ax.set(xlabel="epoch", ylabel="cross-entropy",
               title=f"{report_figure('overfitting.png')}\nours: ReLU, lowest validation loss ▼ (smoothed)")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
        save_figure(fig, figures_dir / "overfitting.png")
        made["overfitting.png"] = {
            EN: f"{report_figure('overfitting.png')} (ours: ReLU validation loss per seed, its smoothed "
                "minimum marked)",
            ZH_TW: f"{report_figure('overfitting.png')}（我們的結果：各種子的 ReLU 驗證損失，"
                   "標出平滑後的最低點）"}

    if lockstep is not None:
        made["lockstep.png"] = lockstep_figure(lockstep, results.get(BESIDE), plt,
                                               lambda fig: save_figure(fig, figures_dir / "lockstep.png"))

    if momentum is not None:
        fig, ax = plt.subplots(figsize=(7, 4.3))
        for rule, label in (("code", "as the code ran: v ← βv + (1−β)∇L"),
                            ("printed", "as printed: v ← βv − (1−β)∇L")):
            ax.plot(range(1, len(momentum[rule]) + 1), momentum[rule], "o-", ms=3, label=label)
        ax.set(xlabel="step (mini-batch of 500)", ylabel="batch cross-entropy before the step",
               title="§2.3: the momentum rule as printed and as the code ran")
        ax.grid(alpha=0.3)
        ax.legend()
        save_figure(fig, figures_dir / "momentum-rule.png")
        made["momentum-rule.png"] = {
            EN: "not a figure of the report: the printed momentum rule against the rule the code ran, loss "
                "per step",
            ZH_TW: "不是報告裡的圖：印出的動量規則對照程式實際執行的規則，每一步的損失"}
    return made
