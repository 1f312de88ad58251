"""zh-TW docstrings of lesson5_report_backprop.py (see tinygrad_edu/course/translations)."""

DOCSTRINGS = {
    "<module>": """
        第 5 課（報告中的推導）：softmax 搭配交叉熵（cross-entropy），以及 δ 遞迴式。

        檢查你的作業：  python -m tinygrad_edu.course check --dir DIR softmax_cross_entropy back_propagate
    """,
    "softmax_cross_entropy": """
        softmax(logits) 相對於 one-hot 標籤 y 的平均交叉熵，以及它的梯度。

        logits、y：(N, C)，每一列（row）一個樣本。
        loss = −(1/N) Σₙ Σ_c y[n, c] · log softmax(logits[n])[c]
        回傳 (loss, dlogits)：一個 float，以及形狀為 (N, C) 的 ∂loss/∂logits。
        即使 logits 大到 ±1000，結果也必須是有限的數字。
    """,
    "back_propagate": """
        報告中網路的梯度（任意層數 L ≥ 1），用 δ 遞迴式計算。

        params：{"W1": W_1, "b1": b_1, ..., "WL": W_L, "bL": b_L}，W_k 為 (n_k, n_{k−1})，b_k 為 (n_k, 1)。
        cache：在 m 個樣本的批次上做的前向傳遞（forward pass），每一行（column）一個樣本：
            "A0" = xᵀ (n_0, m)；"Zk" = W_k A_{k−1} + b_k；k < L 時 "Ak" = relu(Z_k)；
            "AL" = 對每一行做 softmax(Z_L)，形狀 (n_L, m)，也就是預測的機率 ŷ。
        y：one-hot 標籤 (m, n_L)，每一列（row）一個樣本。
        回傳 {"W1": ∂loss/∂W_1, "b1": ∂loss/∂b_1, ...}，各自是它的參數的形狀；
        損失是批次平均的交叉熵 loss = −(1/m) Σ y log ŷ。
    """,
}
