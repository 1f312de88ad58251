"""The claims found by reading the report paragraph by paragraph, and the rules that grade them.

The first 18 verdicts (verdicts.py) came from a summary of the report. Reading the report itself
turned up more checkable statements; each gets a rule here, written before its numbers were
computed. Where several seeds are compared, "A is above B" means *every* seed of A lies above
*every* seed of B: with 3 seeds each, that complete separation is the one-sided exact permutation
test at p = 1/20 (of the 20 ways to split 6 runs into two groups of 3, only one puts all of A on top).
"""

import numpy as np

from reproduction.claims import PRETTY
from reproduction.plan import depth_runs
from reproduction.verdicts import (
    NOT_REPRODUCED,
    OVERFIT_MIN_RISE,
    PENDING,
    REPRODUCED,
    SD_FACTOR,
    Verdict,
    mean_sd,
    pending,
    smoothed_minimum,
)

SMOOTH, PIECEWISE_LINEAR = ("sigmoid", "tanh"), ("relu", "hardtanh")  # §3.2's two groups
# §3.2 "converges more slowly": the first epoch whose training loss (full pass) is at or below this
# level. 0.5 lies just above the worst test loss in the report's table (sigmoid, 0.4657), so every
# activation should get there within the report's 500 epochs; a run that never does counts as later
# than its last epoch.
CONVERGENCE_LEVEL = 0.5
CONVERGENCE_EPOCHS = (10, 50, 100, 250, 500)  # training loss at these epochs is shown beside the verdict
REPORT_TARGET_ACCURACY = 0.87  # §1.1: the aim is 87 % accuracy on the test data
STABLE_WINDOW = 50  # §2.4 "around 500 epochs": the last 50 epochs, compared half against half


def seeds_of(results, activation, seeds):
    """The finished runs of one activation, and the names of the missing ones."""
    names = [f"{activation}-seed{s}" for s in seeds]
    return [results[n] for n in names if results[n]], [n for n in names if not results[n]]


def epochs_to_reach(curve, level=CONVERGENCE_LEVEL):
    """The first epoch (from 1) whose value is ≤ level; len(curve) + 1 if it never gets there."""
    below = np.flatnonzero(np.asarray(curve, dtype=float) <= level)
    return int(below[0]) + 1 if len(below) else len(curve) + 1


def separated(higher, lower):
    """True if every value in `higher` exceeds every value in `lower` (no overlap, ties fail)."""
    return min(higher) > max(lower)


def group_verdict(per_activation, high_group, low_group, describe):
    """(status, evidence): every activation of `high_group` lies above every one of `low_group`.

    `per_activation`: {activation: values, one per seed}. Reproduced if each of the
    len(high_group) × len(low_group) pairs is completely separated (see the module docstring).
    """
    failed = [f"{PRETTY[h]} vs {PRETTY[lo]}" for h in high_group for lo in low_group
              if not separated(per_activation[h], per_activation[lo])]
    listing = "; ".join(f"{PRETTY[a]} {describe(per_activation[a])}" for a in (*high_group, *low_group))
    outcome = "every pair separated" if not failed else f"not separated: {', '.join(failed)}"
    return (NOT_REPRODUCED if failed else REPRODUCED), f"{listing}; {outcome}"


def convergence_verdicts(results, seeds):
    """§3.2: (a) sigmoid and tanh take more epochs than ReLU and hard tanh to reach the training-loss
    level; (b) after the same 500 epochs their test accuracy is lower. Both by complete separation."""
    done, missing = {}, []
    for a in (*SMOOTH, *PIECEWISE_LINEAR):
        runs, absent = seeds_of(results, a, seeds)
        done[a], missing = runs, missing + absent
    if missing:
        return (PENDING, pending(missing)), (PENDING, pending(missing))
    epochs = {a: [epochs_to_reach(r["history"]["train_loss"]) for r in runs] for a, runs in done.items()}
    slower = group_verdict(epochs, SMOOTH, PIECEWISE_LINEAR,
                           lambda v: "epochs " + ", ".join(map(str, v)))
    status, evidence = slower
    slower = status, f"first epoch with training loss ≤ {CONVERGENCE_LEVEL}: {evidence}"
    accuracy = {a: [r["test_accuracy"] for r in runs] for a, runs in done.items()}
    worse = group_verdict(accuracy, PIECEWISE_LINEAR, SMOOTH,
                          lambda v: ", ".join(f"{x:.4f}" for x in v))
    status, evidence = worse
    return slower, (status, f"test accuracy after the same epochs: {evidence}")


def depth_accuracy_verdicts(results, seeds):
    """§3.1 on accuracy (the loss half is verdicts.py's): the final accuracies of the 1–4-layer nets.

    (a) training accuracy rises with every added layer; (b) validation accuracy need not: some added
    layer does not raise it; (c) beyond 2 layers validation accuracy falls: the 3- and 4-layer nets
    both end below the 2-layer net; (d) the same as (c) on test accuracy. A step counts only if larger
    than SD_FACTOR × the seed-to-seed sd of the 2-layer (ReLU) net's value, as in the loss rules.
    """
    names = depth_runs(seeds)
    missing = [n for n in names.values() if not results[n]]
    relu, relu_missing = seeds_of(results, "relu", seeds)
    missing += [n for n in relu_missing if n not in missing]
    if missing:
        return [(PENDING, pending(missing))] * 4
    run = {d: results[n] for d, n in names.items()}

    def noise(values):
        sd = mean_sd(values)[1]
        return SD_FACTOR * (sd or 0.0)

    def listing(values):
        return ", ".join(f"{d}: {values[d]:.4f}" for d in sorted(values))

    train = {d: r["history"]["train_accuracy"][-1] for d, r in run.items()}
    val = {d: r["history"]["val_accuracy"][-1] for d, r in run.items()}
    test = {d: r["test_accuracy"] for d, r in run.items()}
    m_train = noise([r["history"]["train_accuracy"][-1] for r in relu])
    m_val = noise([r["history"]["val_accuracy"][-1] for r in relu])
    m_test = noise([r["test_accuracy"] for r in relu])
    steps = list(zip(sorted(train), sorted(train)[1:]))

    rises = all(train[b] - train[a] > m_train for a, b in steps)
    out = [(REPRODUCED if rises else NOT_REPRODUCED,
            f"final training accuracy by hidden layers {listing(train)}; a rise counts if > {m_train:.4f}")]
    flat = [f"{a}→{b}" for a, b in steps if not val[b] - val[a] > m_val]
    out.append((REPRODUCED if flat else NOT_REPRODUCED,
                f"final validation accuracy by hidden layers {listing(val)}; steps without a rise "
                f"> {m_val:.4f}: {', '.join(flat) if flat else 'none'}"))
    for values, margin, what in ((val, m_val, "final validation"), (test, m_test, "test")):
        drops = [values[2] - values[d] for d in (3, 4)]
        out.append((REPRODUCED if min(drops) > margin else NOT_REPRODUCED,
                    f"{what} accuracy by hidden layers {listing(values)}; 2 layers minus 3 and 4 layers: "
                    f"{drops[0]:+.4f}, {drops[1]:+.4f} (must exceed {margin:.4f})"))
    return out


def window_change(curve, window=STABLE_WINDOW):
    """Mean of the last window/2 values minus the mean of the window/2 before them (short curves: halves)."""
    half = max(1, min(window, len(curve)) // 2)
    curve = np.asarray(curve, dtype=float)
    return float(curve[-half:].mean() - curve[-2 * half:-half].mean())


def stable_verdict(results, seeds):
    """§2.4: near epoch 500 the ReLU validation loss is steady, no longer clearly falling.

    Per seed, the change of the mean validation loss from epochs 451–475 to 476–500. Reproduced if
    for every seed its size is below SD_FACTOR × the seed-to-seed sd of the final validation loss:
    a change smaller than the difference a new seed makes is not a clear one (a clear rise fails too).
    """
    relu, missing = seeds_of(results, "relu", seeds)
    if missing:
        return PENDING, pending(missing)
    curves = [r["history"]["val_loss"] for r in relu]
    changes = [window_change(c) for c in curves]
    margin = SD_FACTOR * (mean_sd([c[-1] for c in curves])[1] or 0.0)
    status = REPRODUCED if max(abs(c) for c in changes) < margin else NOT_REPRODUCED
    return status, (f"change of the mean validation loss over the last {STABLE_WINDOW} epochs, second half "
                    f"minus first, per seed: {', '.join(f'{c:+.4f}' for c in changes)}; "
                    f"each must be smaller in size than {margin:.4f}")


def relu_accuracy_verdict(values, what, missing):
    """Every ReLU seed's `values` (test or final validation accuracy) above REPORT_TARGET_ACCURACY."""
    if missing:
        return PENDING, pending(missing)
    status = REPRODUCED if min(values) > REPORT_TARGET_ACCURACY else NOT_REPRODUCED
    return status, (f"{what} per seed {', '.join(f'{v:.4f}' for v in values)}; "
                    f"every seed must pass {REPORT_TARGET_ACCURACY}")


def overfit_invisible_in_training_verdict(results):
    """§2.3: the training data alone cannot show overfitting; only the validation data can.

    Among all finished runs, those whose validation loss overfits by the Fig. 2 test (its smoothed
    minimum, then an end at least OVERFIT_MIN_RISE above it). Reproduced if there is at least one and
    in each the training loss at the end lies at least OVERFIT_MIN_RISE *below* its value at the epoch
    of that minimum: the training curve keeps falling while the validation curve turns.
    """
    if not any(results.values()):
        return PENDING, pending(["every run"])
    cases = []
    for name, r in results.items():
        if r is None:
            continue
        epoch, rise = smoothed_minimum(r["history"]["val_loss"])
        if rise >= OVERFIT_MIN_RISE:
            train = r["history"]["train_loss"]
            cases.append((name, epoch, train[epoch - 1] - train[-1]))
    if not cases:
        return NOT_REPRODUCED, "no finished run's validation loss rises after its minimum"
    ok = all(fall >= OVERFIT_MIN_RISE for _, _, fall in cases)
    return (REPRODUCED if ok else NOT_REPRODUCED,
            "runs whose validation loss rises after its minimum, and how far their training loss falls "
            "from that epoch to the end: " + ", ".join(f"{n} (epoch {e}: {f:+.4f})" for n, e, f in cases)
            + f"; each must fall ≥ {OVERFIT_MIN_RISE}")


def text_verdicts(results, seeds):
    """The claims read from the report's text, in the report's order, as Verdicts (numbered after #18)."""
    relu, missing = seeds_of(results, "relu", seeds)
    slower, worse = convergence_verdicts(results, seeds)
    train_rises, val_flat, val_falls, test_falls = depth_accuracy_verdicts(results, seeds)
    return [
        Verdict("§1.1: the network reaches the aim of 87 % test accuracy (ReLU)",
                *relu_accuracy_verdict([r["test_accuracy"] for r in relu], "test accuracy", missing),
                claim_zh="§1.1：網路達到測試準確率 87 % 的目標（ReLU）"),
        Verdict("§2.3: only the validation data shows overfitting: the training loss keeps falling",
                *overfit_invisible_in_training_verdict(results),
                claim_zh="§2.3：只有驗證資料看得出過擬合，訓練損失仍持續下降"),
        Verdict("§2.4, Fig. 3: around epoch 500 the validation loss is steady, no longer clearly falling",
                *stable_verdict(results, seeds),
                claim_zh="§2.4，圖 3：到第 500 個 epoch 左右，驗證損失趨於穩定，不再明顯下降"),
        Verdict("§2.4, Fig. 4: by then (the last epoch) validation accuracy is above 87 %",
                *relu_accuracy_verdict([r["history"]["val_accuracy"][-1] for r in relu],
                                       "validation accuracy at the last epoch", missing),
                claim_zh="§2.4，圖 4：此時（最後一個 epoch）驗證準確率已超過 87 %"),
        Verdict("§3.1, Fig. 5: training accuracy rises from 1 to 4 hidden layers", *train_rises,
                claim_zh="§3.1，圖 5：隱藏層從 1 層加到 4 層，訓練準確率一路上升"),
        Verdict("§3.1, Fig. 5: validation accuracy need not rise with the layers", *val_flat,
                claim_zh="§3.1，圖 5：驗證準確率不一定隨層數上升"),
        Verdict("§3.1, Fig. 5: validation accuracy falls beyond 2 hidden layers", *val_falls,
                claim_zh="§3.1，圖 5：隱藏層超過 2 層後，驗證準確率下降"),
        Verdict("§3.1, Fig. 5: test accuracy falls beyond 2 hidden layers", *test_falls,
                claim_zh="§3.1，圖 5：隱藏層超過 2 層後，測試準確率下降"),
        Verdict("§3.2, Fig. 6–11: sigmoid and tanh converge more slowly than ReLU and hard tanh", *slower,
                claim_zh="§3.2，圖 6–11：sigmoid 與 tanh 收斂得比 ReLU 與 hard tanh 慢"),
        Verdict("§3.2: after the same epochs sigmoid and tanh predict the test data less accurately",
                *worse, claim_zh="§3.2：訓練同樣多個 epoch 後，sigmoid 與 tanh 對測試資料的預測準確率較低"),
    ]


TEXT_RULES = [
    "**Seeds compared as groups** (§3.2): \"A above B\" means every seed of A lies above every seed of "
    "B. With 3 seeds each, this complete separation is the one-sided exact permutation test at "
    "p = 1/20: of the 20 ways to split 6 runs into two groups of 3, one puts all of A on top.",
    f"**Smooth activations converge more slowly** (§3.2): for each run, the first epoch whose training "
    f"loss (full pass) is ≤ {CONVERGENCE_LEVEL}, just above the report's worst test loss (sigmoid 0.4657) "
    "so that every activation should reach it; a run that never does counts as one epoch past its end. "
    "Reproduced if sigmoid and tanh each take more epochs than ReLU and hard tanh (all four pairs "
    f"separated). The training loss at epochs {', '.join(map(str, CONVERGENCE_EPOCHS))} is listed too.",
    "**…and predict the test data worse** (§3.2): the report speaks of accuracy; reproduced if the test "
    "accuracies of sigmoid and tanh each lie below those of ReLU and hard tanh (all four pairs separated).",
    f"**Depth, accuracy half** (§3.1), on the last epoch's value as for the loss half, with the same noise "
    f"margin ({SD_FACTOR} × the ReLU seeds' sd of that value): training accuracy rises if each deeper net "
    "ends higher than the one before by more than the margin; validation accuracy \"need not rise\" if at "
    "least one added layer fails to raise it by more than the margin; it \"falls beyond 2 layers\" if the "
    "3- and 4-layer nets both end below the 2-layer net by more than the margin. The report writes "
    "\"validation (testing) accuracy\", so the last rule is applied to test accuracy as well.",
    f"**Steady near epoch 500** (§2.4): for each ReLU seed, the mean validation loss of the last "
    f"{STABLE_WINDOW // 2} epochs minus that of the {STABLE_WINDOW // 2} before; reproduced if every such "
    f"change (fall or rise) is smaller in size than {SD_FACTOR} × the seeds' sd of the final validation "
    "loss: a change smaller than what another seed makes is not a clear one.",
    f"**87 % reached** (§1.1 on test data; §2.4 on validation data at the last epoch): every ReLU seed "
    f"above {REPORT_TARGET_ACCURACY}.",
    f"**Overfitting shows only on validation data** (§2.3): every finished run whose smoothed validation "
    f"loss ends ≥ {OVERFIT_MIN_RISE} above its minimum (the Fig. 2 test) must have a training loss that "
    f"falls by ≥ {OVERFIT_MIN_RISE} from that epoch to the end; at least one such run must exist.",
]

#: TEXT_RULES in 繁體中文 for the zh-TW lesson page, rule for rule.
TEXT_RULES_ZH = [
    "**以組為單位比較種子**（§3.2）：「A 高於 B」的意思是 A 的每個種子都高於 B 的每個種子。"
    "兩組各 3 個種子時，這種完全分離就是 p = 1/20 的單尾精確排列檢定（exact permutation test）："
    "把 6 次訓練分成兩組各 3 次共有 20 種分法，只有一種把 A 全部排在上面。",
    "**平滑的激勵函數收斂較慢**（§3.2）：對每次訓練，找出訓練損失（把訓練資料完整跑一遍計算）"
    f"第一次 ≤ {CONVERGENCE_LEVEL} 的 epoch；這個水準略高於報告中最差的測試損失（sigmoid 0.4657），"
    "所以每種激勵函數都應該達得到；始終沒有達到的訓練，記為它最後一個 epoch 再加一。"
    "如果 sigmoid 和 tanh 各自花的 epoch 都比 ReLU 和 hard tanh 多（四組配對全部分離），就算已重現。"
    f"第 {'、'.join(map(str, CONVERGENCE_EPOCHS))} 個 epoch 的訓練損失也一併列出。",
    "**……而且對測試資料的預測較差**（§3.2）：報告講的是準確率；如果 sigmoid 和 tanh 的測試準確率"
    "都低於 ReLU 和 hard tanh 的（四組配對全部分離），就算已重現。",
    "**深度：準確率的部分**（§3.1），和損失的部分一樣看最後一個 epoch 的值，雜訊容許範圍也相同"
    f"（ReLU 各種子在該值上標準差的 {SD_FACTOR} 倍）：每個更深的網路最後都比前一個高出超過容許範圍，"
    "訓練準確率才算上升；只要有一次加層沒有讓驗證準確率提高超過容許範圍，就算「不一定上升」；"
    "3 層和 4 層的網路最後都比 2 層網路低出超過容許範圍，才算「超過 2 層後下降」。"
    "報告寫的是「validation (testing) accuracy」，所以最後這條規則也套用在測試準確率上。",
    f"**第 500 個 epoch 附近趨於穩定**（§2.4）：對 ReLU 的每個種子，取最後 {STABLE_WINDOW // 2} 個 "
    f"epoch 的平均驗證損失，減去再往前 {STABLE_WINDOW // 2} 個 epoch 的平均；如果每個這樣的變化"
    f"（不論下降或上升）的大小都小於各種子最終驗證損失標準差的 {SD_FACTOR} 倍，就算已重現："
    "比換一個種子造成的差異還小的變化，稱不上明顯。",
    "**達到 87 %**（§1.1 看測試資料；§2.4 看最後一個 epoch 的驗證資料）：ReLU 的每個種子都高於 "
    f"{REPORT_TARGET_ACCURACY}。",
    "**過擬合只在驗證資料上看得出來**（§2.3）：每次已完成的訓練，只要平滑後的驗證損失結尾比最低點"
    f"高出 ≥ {OVERFIT_MIN_RISE}（圖 2 的檢驗），它的訓練損失從那個 epoch 到結尾都必須下降 "
    f"≥ {OVERFIT_MIN_RISE}；而且至少要有一次這樣的訓練。",
]
