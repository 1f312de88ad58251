"""Each claim's deciding numbers, and the rule fixed in advance that turns them into a verdict.

Every number a verdict uses is one of the constants below.
"""

from dataclasses import dataclass, field

import numpy as np

from reproduction.claims import (
    ACTIVATIONS,
    PRETTY,
    REPORT_OVERFIT_EPOCH,
    REPORT_TABLE,
    REPORT_VAL_ACCURACY,
)
from reproduction.plan import MOMENTUM_RUN, depth_runs

SD_FACTOR = 2  # "within our noise": within 2 sample standard deviations of our mean over seeds
ACCURACY_TOLERANCE = 0.005  # or within ±0.5 percentage points of accuracy
LOSS_TOLERANCE = 0.05  # or within ±5 % of the report's loss (relative)
ENDPOINT_TOLERANCE = 0.01  # Fig. 6–11: final validation accuracy within ±1 point of the table's test accuracy
OVERFIT_WINDOW = (100, 300)  # "about 200 epochs": the minimum lies in 100 … 300
OVERFIT_MIN_RISE = 0.01  # "starts rising": the validation loss ends ≥ 0.01 above its minimum
SMOOTHING = 9  # epochs in the centred moving average used to find a curve's minimum
TRAINS_DROP = 0.01  # a momentum rule "trains" if the loss drops by ≥ 1 % (last quarter of steps vs step 1)

REPRODUCED, NOT_REPRODUCED, PENDING = "reproduced", "not reproduced", "pending"
DIVERGED = "diverged"  # a run's loss became nan or inf: it has no number to compare


@dataclass
class Verdict:
    claim: str  # where in the report, and what it says
    status: str  # REPRODUCED, NOT_REPRODUCED or PENDING
    evidence: str  # the numbers that decided it (or what is missing)
    claim_zh: str = field(kw_only=True)  # the claim in 繁體中文, for the zh-TW lesson page


def mean_sd(values):
    """(mean, sample standard deviation) of a list; sd is None for fewer than 2 values."""
    values = np.asarray(values, dtype=float)
    return float(values.mean()), (float(values.std(ddof=1)) if len(values) > 1 else None)


def pending(missing):
    return f"waiting for {', '.join(missing)}"


def compare_to_report(reported, ours, tolerance, missing=()):
    """(status, evidence) for "the report's value is what we get".

    Reproduced if |our mean − reported| ≤ max(SD_FACTOR · our sd, tolerance),
    i.e. within our seed-to-seed noise or within a small fixed margin (the report
    ran once, so its own noise is unknown). Pending while any run is missing.
    """
    if missing or not ours:
        return PENDING, pending(missing or ["every run"])
    if not np.isfinite(ours).all():
        return DIVERGED, f"{np.count_nonzero(~np.isfinite(ours))} of {len(ours)} runs diverged (nan or inf)"
    mean, sd = mean_sd(ours)
    allowed = max(SD_FACTOR * sd, tolerance) if sd is not None else tolerance
    diff = mean - reported
    status = REPRODUCED if abs(diff) <= allowed else NOT_REPRODUCED
    spread = f" ± {sd:.4f}" if sd is not None else ""
    return status, (f"ours {mean:.4f}{spread} (n={len(ours)}), report {reported:.4f}, "
                    f"difference {diff:+.4f}, allowed ±{allowed:.4f}")


def smoothed_minimum(curve, window=SMOOTHING):
    """(epoch of the minimum, how far the curve's end lies above it), on a centred moving average.

    Smoothing keeps one noisy epoch from deciding where a flat bottom is.
    Epochs count from 1. Curves shorter than the window are used as they are.
    """
    curve = np.asarray(curve, dtype=float)
    if len(curve) < window:
        smooth, offset = curve, 0
    else:
        smooth, offset = np.convolve(curve, np.ones(window) / window, mode="valid"), window // 2
    best = int(np.argmin(smooth))
    return best + offset + 1, float(smooth[-1] - smooth[best])


def overfitting_verdict(val_loss_curves, missing=()):
    """Fig. 2: the validation loss has its minimum near epoch 200, then rises.

    Reproduced if, averaged over the curves, the smoothed minimum lies in
    OVERFIT_WINDOW and the curve ends at least OVERFIT_MIN_RISE above it.
    """
    if missing or not val_loss_curves:
        return PENDING, pending(missing or ["every run"])
    epochs, rises = zip(*(smoothed_minimum(c) for c in val_loss_curves))
    epoch, rise = float(np.mean(epochs)), float(np.mean(rises))
    low, high = OVERFIT_WINDOW
    status = REPRODUCED if low <= epoch <= high and rise >= OVERFIT_MIN_RISE else NOT_REPRODUCED
    return status, (f"validation-loss minimum at epoch {epoch:.0f} (per run: {', '.join(map(str, epochs))}), "
                    f"report ~{REPORT_OVERFIT_EPOCH}; the smoothed loss ends {rise:.4f} above it")


def falls_with_depth(finals, margin):
    """True if each deeper net ends more than `margin` below the one before ({depth: loss})."""
    depths = sorted(finals)
    return all(finals[a] - finals[b] > margin for a, b in zip(depths, depths[1:]))


def depth_verdicts(final_train, final_val, noise_train, noise_val, missing=()):
    """Fig. 5: (a) training loss keeps falling with depth; (b) validation loss rises beyond 2 layers.

    `final_train`, `final_val`: {hidden layers: loss at the last epoch}.
    `noise_*`: the sd over seeds of the 2-layer net's final loss (0 if unknown);
    a difference counts only if larger than SD_FACTOR times it.
    """
    if missing:
        return (PENDING, pending(missing)), (PENDING, pending(missing))
    m_train, m_val = SD_FACTOR * noise_train, SD_FACTOR * noise_val
    listing = ", ".join(f"{d}: {final_train[d]:.4f}" for d in sorted(final_train))
    train = (REPRODUCED if falls_with_depth(final_train, m_train) else NOT_REPRODUCED,
             f"final training loss by hidden layers {listing}; a step counts if > {m_train:.4f}")
    rises = [final_val[d] - final_val[2] for d in (3, 4)]
    listing = ", ".join(f"{d}: {final_val[d]:.4f}" for d in sorted(final_val))
    val = (REPRODUCED if min(rises) > m_val else NOT_REPRODUCED,
           f"final validation loss by hidden layers {listing}; 3 and 4 layers minus 2 layers: "
           f"{rises[0]:+.4f}, {rises[1]:+.4f} (must exceed {m_val:.4f})")
    return train, val


def trains(losses):
    """(does it train?, first loss, mean of the last quarter): a drop of at least TRAINS_DROP counts."""
    first, last = losses[0], float(np.mean(losses[-max(1, len(losses) // 4):]))
    return last < (1 - TRAINS_DROP) * first, first, last


def momentum_verdicts(losses):
    """§2.3: the rule (a) as printed, (b) as the code ran; each "reproduced" if training with it works."""
    if losses is None:
        return [(PENDING, pending([MOMENTUM_RUN]))] * 2
    result = []
    for rule in ("printed", "code"):
        works, first, last = trains(losses[rule])
        direction = "falls" if last < first else "rises"
        result.append((REPRODUCED if works else NOT_REPRODUCED,
                       f"batch loss {direction} from {first:.4f} (step 1) to {last:.4f} "
                       f"(mean of the last quarter of {len(losses[rule])} steps)"))
    return result


def best_and_worst_verdict(means):
    """Table: ReLU is best and sigmoid worst, on both test loss and test accuracy (means over seeds)."""
    if not np.isfinite(list(means.values())).all():
        return DIVERGED, "a run diverged (nan or inf), so there is no ranking"
    loss_order = sorted(means, key=lambda a: means[a][0])
    acc_order = sorted(means, key=lambda a: -means[a][1])
    ok = loss_order[0] == acc_order[0] == "relu" and loss_order[-1] == acc_order[-1] == "sigmoid"
    return (REPRODUCED if ok else NOT_REPRODUCED,
            f"ours, best to worst: by loss {', '.join(PRETTY[a] for a in loss_order)}; "
            f"by accuracy {', '.join(PRETTY[a] for a in acc_order)}")


def verdicts(results, momentum, seeds):
    """Every claim, in the report's order, as a Verdict; plus the per-activation numbers for the table."""
    out, table = [], {}
    for a in ACTIVATIONS:
        names = [f"{a}-seed{s}" for s in seeds]
        done = [results[n] for n in names if results[n]]
        table[a] = {"missing": [n for n in names if not results[n]],
                    "loss": [r["test_loss"] for r in done], "accuracy": [r["test_accuracy"] for r in done],
                    "final_val_accuracy": [r["history"]["val_accuracy"][-1] if np.isfinite(r["test_accuracy"])
                                           else float("nan") for r in done],
                    "best_val_accuracy": [max(r["history"]["val_accuracy"]) for r in done]}
    for a in ACTIVATIONS:
        loss, accuracy = REPORT_TABLE[a]
        t = table[a]
        out.append(Verdict(f"Table §3.2: {PRETTY[a]} test loss {loss}",
                           *compare_to_report(loss, t["loss"], LOSS_TOLERANCE * loss, t["missing"]),
                           claim_zh=f"表 §3.2：{PRETTY[a]} 的測試損失 {loss}"))
        out.append(Verdict(f"Table §3.2: {PRETTY[a]} test accuracy {accuracy}",
                           *compare_to_report(accuracy, t["accuracy"], ACCURACY_TOLERANCE, t["missing"]),
                           claim_zh=f"表 §3.2：{PRETTY[a]} 的測試準確率 {accuracy}"))
    missing = [n for a in ACTIVATIONS for n in table[a]["missing"]]
    if missing:
        status, evidence = PENDING, pending(missing)
    else:
        status, evidence = best_and_worst_verdict(
            {a: (np.mean(table[a]["loss"]), np.mean(table[a]["accuracy"])) for a in ACTIVATIONS})
    out.append(Verdict("Table §3.2: ReLU is the best activation and sigmoid the worst (loss and accuracy)",
                       status, evidence,
                       claim_zh="表 §3.2：ReLU 是最好的激勵函數，sigmoid 最差（損失與準確率皆然）"))

    relu = table["relu"]
    if relu["missing"]:
        status, evidence = PENDING, pending(relu["missing"])
    else:
        best = relu["best_val_accuracy"]
        status = REPRODUCED if min(best) > REPORT_VAL_ACCURACY else NOT_REPRODUCED
        evidence = (f"best validation accuracy per seed {', '.join(f'{b:.4f}' for b in best)}; "
                    f"every seed must pass {REPORT_VAL_ACCURACY}")
    out.append(Verdict("§2.4, Fig. 3–4: ReLU validation accuracy passes 87 %", status, evidence,
                       claim_zh="§2.4，圖 3–4：ReLU 的驗證準確率超過 87 %"))

    curves = [results[f"relu-seed{s}"]["history"]["val_loss"] for s in seeds if results[f"relu-seed{s}"]]
    out.append(Verdict("Fig. 2: validation loss starts rising after about 200 epochs (ReLU runs)",
                       *overfitting_verdict(curves, relu["missing"]),
                       claim_zh="圖 2：驗證損失在大約 200 個 epoch 之後開始上升（ReLU 的各次訓練）"))

    depth_names = depth_runs(seeds)
    missing = [n for n in depth_names.values() if not results[n]]
    finals = {d: results[n]["history"] for d, n in depth_names.items() if results[n]}
    final_train = {d: h["train_loss"][-1] for d, h in finals.items()}
    final_val = {d: h["val_loss"][-1] for d, h in finals.items()}
    relu_done = [results[f"relu-seed{s}"]["history"] for s in seeds if results[f"relu-seed{s}"]]
    noise_train = mean_sd([h["train_loss"][-1] for h in relu_done])[1] if len(relu_done) > 1 else 0.0
    noise_val = mean_sd([h["val_loss"][-1] for h in relu_done])[1] if len(relu_done) > 1 else 0.0
    train, val = depth_verdicts(final_train, final_val, noise_train, noise_val, missing)
    out.append(Verdict("§3.1, Fig. 5: training loss keeps falling from 1 to 4 hidden layers", *train,
                       claim_zh="§3.1，圖 5：隱藏層從 1 層加到 4 層，訓練損失一路下降"))
    out.append(Verdict("§3.1, Fig. 5: validation loss rises beyond 2 hidden layers", *val,
                       claim_zh="§3.1，圖 5：隱藏層超過 2 層後，驗證損失上升"))

    for a in ACTIVATIONS[1:]:
        t = table[a]
        status, evidence = compare_to_report(REPORT_TABLE[a][1], t["final_val_accuracy"],
                                             ENDPOINT_TOLERANCE, t["missing"])
        if status != PENDING:  # how far our own validation and test accuracies differ, for scale
            gap = np.mean(t["final_val_accuracy"]) - np.mean(t["accuracy"])
            evidence += f"; our own final validation accuracy minus our test accuracy: {gap:+.4f}"
        out.append(Verdict(f"Fig. 6–11: {PRETTY[a]} validation accuracy ends at the table's "
                           f"{REPORT_TABLE[a][1]}", status, evidence,
                           claim_zh=f"圖 6–11：{PRETTY[a]} 的驗證準確率最後停在表中的 {REPORT_TABLE[a][1]}"))

    printed, code = momentum_verdicts(momentum)
    out.append(Verdict("§2.3 as printed: v ← βv − (1−β)∇L, w ← w − ηv trains the network", *printed,
                       claim_zh="§2.3 印出的規則：v ← βv − (1−β)∇L、w ← w − ηv 能訓練網路"))
    out.append(Verdict("§2.3 as the code ran: v ← βv + (1−β)∇L, w ← w − ηv trains the network", *code,
                       claim_zh="§2.3 程式實際執行的規則：v ← βv + (1−β)∇L、w ← w − ηv 能訓練網路"))
    return out, table


RULES = [
    f"**Test loss and accuracy** (table): reproduced if the report's value lies within {SD_FACTOR} sample "
    f"standard deviations of our mean over seeds, or within ±{ACCURACY_TOLERANCE * 100:.1f} percentage "
    f"points (accuracy) / ±{LOSS_TOLERANCE:.0%} of the report's value (loss), whichever is wider. The "
    "report ran each activation once, so its own spread is unknown; the fixed margins keep a tiny sd "
    "from failing a difference no one would call real.",
    "**Best and worst activation**: reproduced if our means put ReLU first and sigmoid last on both "
    "test loss and test accuracy, as the report's table does.",
    f"**Validation accuracy passes 87 %** (Fig. 3–4): reproduced if every ReLU seed's validation accuracy "
    f"exceeds {REPORT_VAL_ACCURACY} at some epoch.",
    f"**Overfitting** (Fig. 2): each validation-loss curve is smoothed by a centred {SMOOTHING}-epoch "
    f"moving average; reproduced if its minimum lies, on average over the ReLU seeds, between epochs "
    f"{OVERFIT_WINDOW[0]} and {OVERFIT_WINDOW[1]} (\"about 200\") and the curve ends at least "
    f"{OVERFIT_MIN_RISE} above that minimum (it really rises).",
    f"**Depth** (Fig. 5), on the loss at the last epoch: \"training loss keeps falling\" is reproduced if "
    f"each deeper net ends lower than the one before by more than {SD_FACTOR} × the seed-to-seed sd of "
    f"the 2-layer net's final training loss; \"validation loss rises beyond 2 layers\" if the 3- and "
    f"4-layer nets both end above the 2-layer net by more than {SD_FACTOR} × that sd of its final "
    "validation loss (single-seed differences smaller than the noise do not count).",
    f"**Curves of the other activations** (Fig. 6–11): curves are pictures, not numbers; what can be "
    f"checked is where they end: reproduced if the final validation accuracy is within {SD_FACTOR} sd or "
    f"±{ENDPOINT_TOLERANCE * 100:.0f} point of the table's test accuracy for that activation "
    "(validation and test are different images, hence the wider margin).",
    f"**Momentum rule** (§2.3): a rule trains the network if the mean batch loss over the last quarter of "
    f"the steps is at least {TRAINS_DROP:.0%} below the loss at step 1; the claim for each version of the "
    "rule is that training with it works.",
    "**Pending**: any claim whose runs have not all finished; no number is filled in for a missing run.",
]

#: RULES in 繁體中文 for the zh-TW lesson page, rule for rule.
RULES_ZH = [
    f"**測試損失與準確率**（表）：如果報告的值落在我們各種子平均值的 {SD_FACTOR} 個樣本標準差之內，"
    f"或落在 ±{ACCURACY_TOLERANCE * 100:.1f} 個百分點（準確率）／報告值的 ±{LOSS_TOLERANCE:.0%}（損失）"
    "之內（兩者取較寬的），就算已重現。報告的每種激勵函數只跑了一次，所以它自己的變異大小未知；"
    "固定的容許範圍是為了避免在標準差很小時，把一個沒有人會當真的差異判為未重現。",
    "**最好與最差的激勵函數**：如果我們的平均值在測試損失和測試準確率上都把 ReLU 排第一、"
    "sigmoid 排最後，和報告的表一樣，就算已重現。",
    f"**驗證準確率超過 87 %**（圖 3–4）：如果 ReLU 的每個種子都在某個 epoch 的驗證準確率超過 "
    f"{REPORT_VAL_ACCURACY}，就算已重現。",
    f"**過擬合**（圖 2）：每條驗證損失曲線先用寬度為 {SMOOTHING} 個 epoch 的置中移動平均來平滑；"
    f"如果它的最低點（對 ReLU 各種子取平均）落在第 {OVERFIT_WINDOW[0]} 到第 {OVERFIT_WINDOW[1]} 個 "
    f"epoch 之間（「大約 200」），而且曲線結尾比這個最低點至少高出 {OVERFIT_MIN_RISE}（真的有回升），"
    "就算已重現。",
    "**深度**（圖 5），看最後一個 epoch 的損失：「訓練損失一路下降」要每個更深的網路最後都比前一個低，"
    f"差距超過 2 層網路最終訓練損失在種子之間標準差的 {SD_FACTOR} 倍，才算已重現；"
    "「超過 2 層後驗證損失上升」則要 3 層和 4 層的網路最後都比 2 層網路高，差距超過它最終驗證損失"
    f"的同類標準差的 {SD_FACTOR} 倍（比雜訊還小的單一種子差異不算數）。",
    "**其他激勵函數的曲線**（圖 6–11）：曲線是圖，不是數字；能檢查的是曲線的終點：如果最終驗證準確率"
    f"落在表中該激勵函數測試準確率的 {SD_FACTOR} 個標準差或 ±{ENDPOINT_TOLERANCE * 100:.0f} 個百分點之內，"
    "就算已重現（驗證和測試用的是不同的影像，所以容許範圍較寬）。",
    "**動量規則**（§2.3）：如果最後四分之一步數的平均批次損失，比第 1 步的損失至少低 "
    f"{TRAINS_DROP:.0%}，這條規則就算能訓練網路；對規則的每個版本，主張都是「用它來訓練行得通」。",
    "**待定**：相關訓練尚未全部完成的主張；缺少的訓練不會填入任何數字。",
]
