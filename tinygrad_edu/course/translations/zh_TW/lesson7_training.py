"""zh-TW docstrings of lesson7_training.py (see tinygrad_edu/course/translations)."""

DOCSTRINGS = {
    "<module>": """
        第 7 課（在 Fashion-MNIST 上訓練）：小批次（mini-batch），以及報告的動量（Momentum）更新步驟。

        檢查你的作業：  python -m tinygrad_edu.course check --dir DIR minibatches momentum_step
    """,
    "minibatches": """
        一個 epoch（訓練週期）裡，樣本 0 … n−1 的小批次：由列索引組成的 list。

        先用 numpy 的 Generator rng（np.random.default_rng(seed)）打亂順序，再依序切成每批 batch_size
        個的批次；最後一批放剩下的樣本（可能比較小）。
        回傳由 1-d 整數陣列組成的 list。
    """,
    "momentum_step": """
        照報告的程式實際執行的方式，做一步報告的動量更新規則（第 7 課會展示印出來的那一版）：
        速度 v ← β·v + (1 − β)·g，然後權重 w 往下坡移動 lr·v。

        w、v、g：同一形狀的 float64 陣列（權重、速度、梯度 ∂L/∂w）；lr > 0；0 ≤ beta < 1。
        回傳 (new_w, new_v)。直接就地（in place）更新 w 和 v 再回傳它們也可以。
    """,
}
