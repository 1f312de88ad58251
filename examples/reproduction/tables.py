"""The tables and short texts that summary.md and the lesson page share, in either language.

Each function takes `language` (languages.EN by default, the language of summary.md); every translated
string sits next to its English one in a small {language: text} table above the function using it.
"""

import numpy as np

from reproduction.claims import ACTIVATIONS, BATCH, BETA, LR, PRETTY, REPORT_TABLE
from reproduction.languages import EN, ZH_TW, claim_text, verdict_word, yes_no
from reproduction.plan import depth_runs, sizes_for
from reproduction.text_claims import CONVERGENCE_EPOCHS, CONVERGENCE_LEVEL, epochs_to_reach
from reproduction.verdicts import (
    DIVERGED,
    NOT_REPRODUCED,
    PENDING,
    REPRODUCED,
    mean_sd,
    overfitting_verdict,
    smoothed_minimum,
    trains,
)


def fmt(values):
    """'mean ± sd' of a list, or '—' if empty."""
    if not values:
        return "—"
    mean, sd = mean_sd(values)
    return f"{mean:.4f}" + (f" ± {sd:.4f}" if sd is not None else "")


ACTIVATION_HEADER = {
    EN: "| activation | report loss | our loss (mean ± sd) | diff | report accuracy | "
        "our accuracy (mean ± sd) | diff | n seeds |",
    ZH_TW: "| 激勵函數 | 報告的損失 | 我們的損失（平均 ± 標準差） | 差 | 報告的準確率 | "
           "我們的準確率（平均 ± 標準差） | 差 | 種子數 |",
}
MISSING = {EN: " (missing {})", ZH_TW: "（缺 {}）"}


def activation_table(table, language=EN):
    rows = [ACTIVATION_HEADER[language], "|---|---|---|---|---|---|---|---|"]
    for a in ACTIVATIONS:
        t, (loss, accuracy) = table[a], REPORT_TABLE[a]
        dl = f"{np.mean(t['loss']) - loss:+.4f}" if t["loss"] else "—"
        da = f"{np.mean(t['accuracy']) - accuracy:+.4f}" if t["accuracy"] else "—"
        n = f"{len(t['loss'])}" + (MISSING[language].format(", ".join(t["missing"])) if t["missing"] else "")
        rows.append(f"| {PRETTY[a]} | {loss:.4f} | {fmt(t['loss'])} | {dl} | {accuracy:.4f} | "
                    f"{fmt(t['accuracy'])} | {da} | {n} |")
    return "\n".join(rows)


DEPTH_HEADER = {
    EN: "| hidden layers | sizes | run | final train loss | final validation loss | "
        "smoothed val-loss minimum (epoch) | final train accuracy | final validation accuracy | "
        "test accuracy |",
    ZH_TW: "| 隱藏層數 | 各層大小 | 訓練名稱 | 最終訓練損失 | 最終驗證損失 | "
           "平滑後驗證損失的最低點（epoch） | 最終訓練準確率 | 最終驗證準確率 | 測試準確率 |",
}


def depth_table(results, seeds, mode, language=EN):
    rows = [DEPTH_HEADER[language], "|---|---|---|---|---|---|---|---|---|"]
    for d, name in depth_runs(seeds).items():
        sizes = "-".join(map(str, sizes_for(mode, d)))
        r = results[name]
        if r is None:
            rows.append(f"| {d} | {sizes} | {name} |" + f" {verdict_word(PENDING, language)} |" * 6)
            continue
        h = r["history"]
        epoch, _ = smoothed_minimum(h["val_loss"])
        rows.append(f"| {d} | {sizes} | {name} | {h['train_loss'][-1]:.4f} | {h['val_loss'][-1]:.4f} | "
                    f"{epoch} | {h['train_accuracy'][-1]:.4f} | {h['val_accuracy'][-1]:.4f} | "
                    f"{r['test_accuracy']:.4f} |")
    return "\n".join(rows)


CONVERGENCE_HEADER = {  # the first two columns, then one per epoch shown
    EN: ("| activation | first epoch with training loss ≤ {level} (per seed) |",
         " training loss at epoch {epoch} |"),
    ZH_TW: ("| 激勵函數 | 訓練損失首次 ≤ {level} 的 epoch（各種子） |", " 第 {epoch} 個 epoch 的訓練損失 |"),
}


def convergence_table(results, seeds, language=EN):
    """Per activation: the epoch each seed's training loss reaches the level, and the loss at fixed epochs."""
    shown = [e for e in CONVERGENCE_EPOCHS if any(r and len(r["history"]["train_loss"]) >= e
                                                  for r in results.values())]
    first, per_epoch = CONVERGENCE_HEADER[language]
    rows = [first.format(level=CONVERGENCE_LEVEL) + "".join(per_epoch.format(epoch=e) for e in shown),
            "|---|---|" + "---|" * len(shown)]
    pending = verdict_word(PENDING, language)
    for a in ACTIVATIONS:
        done = [results[f"{a}-seed{s}"]["history"]["train_loss"] for s in seeds if results[f"{a}-seed{s}"]]
        if not done:
            rows.append(f"| {PRETTY[a]} | {pending} |" + f" {pending} |" * len(shown))
            continue
        reached = ", ".join(str(epochs_to_reach(c)) if epochs_to_reach(c) <= len(c) else f"> {len(c)}"
                            for c in done)
        losses = [fmt([c[e - 1] for c in done if len(c) >= e]) for e in shown]
        rows.append(f"| {PRETTY[a]} | {reached} | " + " | ".join(losses) + " |")
    return "\n".join(rows) + ranking_text(results, seeds, shown, language)


RANKING = {  # (the sentence, one epoch's ranking, the separators between epochs and between activations)
    EN: ("\n\nThe activations by mean training loss, lowest first (a description read after the rule was "
         "applied, not a verdict): {listing}.", "epoch {epoch}: {order}", "; ", ", "),
    ZH_TW: ("\n\n依平均訓練損失由低到高排列的激勵函數（這是套用規則之後讀出的描述，不是判定）：{listing}。",
            "第 {epoch} 個 epoch：{order}", "；", "、"),
}


def ranking_text(results, seeds, epochs, language=EN):
    """Which activation's mean training loss is lowest at each epoch (a description; no verdict uses it)."""
    done = {a: [results[f"{a}-seed{s}"]["history"]["train_loss"] for s in seeds] for a in ACTIVATIONS
            if all(results[f"{a}-seed{s}"] for s in seeds)}
    if len(done) < len(ACTIVATIONS) or not epochs:
        return ""
    order = {e: sorted(done, key=lambda a: np.mean([c[e - 1] for c in done[a]])) for e in epochs}
    sentence, one_epoch, between_epochs, between_activations = RANKING[language]
    ranked = {e: between_activations.join(PRETTY[a] for a in order[e]) for e in epochs}
    listing = between_epochs.join(one_epoch.format(epoch=e, order=ranked[e]) for e in epochs)
    return sentence.format(listing=listing)


def looks_like_fig_2(curve):
    """The Fig. 2 rule applied to one validation-loss curve on its own."""
    return overfitting_verdict([curve])[0] == REPRODUCED


OVERFITTING_TEXT = {  # (header, a run that fits, the sentence listing them, separator, none)
    EN: ("| run | epochs | smoothed val-loss minimum: epoch | lowest val loss | final val loss | rise | "
         "fits Fig. 2 alone |", "{name} (lowest at epoch {epoch}, ends {rise:.4f} above)",
         "\n\nRuns that fit Fig. 2 on their own, by the verdict's rule: {found}.", "; ", "none"),
    ZH_TW: ("| 訓練名稱 | epoch 數 | 平滑後驗證損失的最低點：epoch | 最低驗證損失 | 最終驗證損失 | 回升量 | "
            "單獨看是否符合圖 2 |", "{name}（最低點在第 {epoch} 個 epoch，結尾高出 {rise:.4f}）",
            "\n\n依判定的規則、單獨看就符合圖 2 的訓練：{found}。", "；", "無"),
}


def overfitting_table(results, language=EN):
    """Every finished run's smoothed validation-loss minimum, and whether that run alone fits Fig. 2."""
    header, one_fit, sentence, separator, none = OVERFITTING_TEXT[language]
    rows = [header, "|---|---|---|---|---|---|---|"]
    fits = []
    for name, r in results.items():
        if r is None:
            continue
        curve = r["history"]["val_loss"]
        epoch, rise = smoothed_minimum(curve)
        fit = looks_like_fig_2(curve)
        if fit:
            fits.append(one_fit.format(name=name, epoch=epoch, rise=rise))
        rows.append(f"| {name} | {len(curve)} | {epoch} | {min(curve):.4f} | {curve[-1]:.4f} | {rise:+.4f} | "
                    f"{yes_no(fit, language)} |")
    return "\n".join(rows) + sentence.format(found=separator.join(fits) if fits else none)


VERDICT_HEADER = {EN: "| # | claim | verdict | deciding numbers |",
                  ZH_TW: "| # | 主張 | 判定 | 決定判定的數字 |"}


def verdict_table(found, emphasize=False, language=EN):
    rows = [VERDICT_HEADER[language], "|---|---|---|---|"]
    for i, v in enumerate(found, start=1):
        word = verdict_word(v.status, language)
        status = f"**{word}**" if emphasize and v.status != PENDING else word
        rows.append(f"| {i} | {claim_text(v, language)} | {status} | {v.evidence} |")
    return "\n".join(rows)


TALLY = {EN: ("{n} {word}", ", "), ZH_TW: ("{n} 項{word}", "、")}  # one status's count, and the separator


def tally(found, language=EN):
    groups = {s: [i for i, v in enumerate(found, start=1) if v.status == s]
              for s in (REPRODUCED, NOT_REPRODUCED, PENDING, DIVERGED)}
    if not groups[DIVERGED]:
        del groups[DIVERGED]
    count, separator = TALLY[language]
    return groups, separator.join(count.format(n=len(ids), word=verdict_word(s, language))
                                  for s, ids in groups.items())


MOMENTUM_TEXT = {  # (not finished yet, the two rules' labels, one rule's line, the run)
    EN: ("Pending: the momentum-rule run has not finished.",
         {"printed": "as printed, v ← βv − (1−β)∇L", "code": "as the code ran, v ← βv + (1−β)∇L"},
         "- {label}: batch loss {first:.4f} at step 1, {last:.4f} over the last quarter of {steps} steps",
         "The report's network (ReLU, {sizes}, seed {seed}) trained for {epochs} epochs on the first "
         "{images} training images with lr {lr}, β {beta}, batch {batch}, once per rule from the same "
         "weights on the same batches:"),
    ZH_TW: ("待定：動量規則的訓練還沒有完成。",
            {"printed": "印出的規則，v ← βv − (1−β)∇L", "code": "程式實際執行的規則，v ← βv + (1−β)∇L"},
            "- {label}：第 1 步的批次損失為 {first:.4f}，{steps} 步中最後四分之一的平均為 {last:.4f}",
            "報告的網路（ReLU、{sizes}、種子 {seed}）在前 {images} 張訓練影像上訓練 {epochs} 個 epoch，"
            "學習率 {lr}、β {beta}、批次大小 {batch}；兩條規則各訓練一次，從同樣的權重出發，"
            "用同樣的批次："),
}


def momentum_text(momentum, mode, seed, language=EN):
    not_yet, labels, line, run = MOMENTUM_TEXT[language]
    if momentum is None:
        return not_yet
    lines = []
    for rule in ("printed", "code"):
        _, first, last = trains(momentum[rule])
        lines.append(line.format(label=labels[rule], first=first, last=last, steps=len(momentum[rule])))
    return (run.format(sizes="-".join(map(str, sizes_for(mode, 2))), seed=seed, epochs=mode.momentum_epochs,
                       images=mode.momentum_images, lr=LR, beta=BETA, batch=BATCH)
            + "\n\n" + "\n".join(lines))


CHOICES = {
    EN: ["**Network**: every run is `examples/fashion_mnist.py --preset report --engine report`, the "
         "report's own hand-derived δ-recursion network and its recipe (batch 500, lr 0.01, β 0.8, "
         "55000/5000 split, training metrics from a full pass after each epoch). It is the report's method "
         "being rerun, not a different implementation.",
         "**Seeds** {seeds}: a seed sets the initial weights, the batch order *and* which 5000 images are "
         "held out for validation, so the sd covers all three.",
         "**Depth** ({w1}, {w2}, {w3}, {w4}): the report does not give its widths. Each deeper net keeps "
         "the report's first layers and adds one layer of half the width before, so depth is the only thing "
         "that changes and the widths keep narrowing toward the 10 classes as the report's 600 → 400 does. "
         "The 2-layer net is the run relu-seed{seed}; the others use the same seed.",
         "**Overfitting (Fig. 2)**: the report does not say which configuration its Fig. 2 shows. We use "
         "the ReLU runs: they are the report's main configuration, every other ReLU figure is about them, "
         "and they cost no extra training. The minimum of every other run is listed too.",
         "**Momentum rule**: a short run ({epochs} epochs on {images} images) is enough: the printed rule "
         "is gradient ascent, and it shows within a few steps."],
    ZH_TW: ["**網路**：每次訓練都是 `examples/fashion_mnist.py --preset report --engine report`，"
            "也就是報告自己親手推導的 δ 遞迴式網路，加上它的配方（批次大小 500、學習率 0.01、β 0.8、"
            "55000/5000 的切分，每個 epoch 之後把訓練資料完整跑一遍來計算訓練指標）。"
            "重跑的是報告的方法，而不是另一種實作。",
            "**種子** {seeds}：一個種子決定初始權重、批次的順序，*以及*哪 5000 張影像被留作驗證，"
            "所以標準差把這三者都涵蓋了。",
            "**深度**（{w1}、{w2}、{w3}、{w4}）：報告沒有給出這些寬度。每個更深的網路都保留報告前面的層，"
            "並在輸出層之前多加一層寬度減半的層，所以改變的只有深度，而各層寬度也像報告的 600 → 400 "
            "一樣，一路朝 10 個類別收窄。2 層的網路就是 relu-seed{seed} 那次訓練；其他網路用同一個種子。",
            "**過擬合（圖 2）**：報告沒有說它的圖 2 是哪一種設定。我們用 ReLU 的各次訓練：它們是報告的"
            "主要設定，報告中其他 ReLU 的圖都在講它們，而且不必額外訓練。其他每次訓練的最低點也一併列出。",
            "**動量規則**：一次短的訓練（在 {images} 張影像上訓練 {epochs} 個 epoch）就夠了："
            "印出的規則是梯度上升，幾步之內就看得出來。"],
}
SEEDS_SEPARATOR = {EN: ", ", ZH_TW: "、"}


def choices_text(mode, seeds, language=EN):
    widths = {f"w{d}": "-".join(map(str, sizes_for(mode, d))) for d in (1, 2, 3, 4)}
    fields = dict(seeds=SEEDS_SEPARATOR[language].join(map(str, seeds)), seed=seeds[0], **widths,
                  epochs=mode.momentum_epochs, images=mode.momentum_images)
    return "\n".join(f"- {choice.format(**fields)}" for choice in CHOICES[language])


QUICK_WARNING = {
    EN: "\n> **Quick mode**: tiny networks, 2 epochs on 2000 images. These numbers only show that the "
        "pipeline works; they say nothing about the report.\n",
    ZH_TW: "\n> **快速模式**：小型網路，在 2000 張影像上訓練 2 個 epoch。這些數字只說明整條流程能運作，"
           "對報告沒有任何意義。\n",
}


def quick_warning(mode, language=EN):
    return QUICK_WARNING[language] if mode.name == "quick" else ""
