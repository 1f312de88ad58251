"""zh-TW docstrings of lesson6_two_layouts.py (see tinygrad_edu/course/translations)."""

DOCSTRINGS = {
    "<module>": """
        第 6 課（三種方法，同一個梯度）：同一個網路的兩種排列方式，以及引擎算出的梯度。

        nn.Linear 把一層存成 (weight (out, in), bias (out,))，對按列（row）排的 x (N, in) 計算
        x @ weightᵀ + bias；報告則存成 W_k (n_k, n_{k−1}) 和 b_k (n_k, 1)，對按行（column）排的
        A (n_{k−1}, m) 計算 W_k A + b_k。

        檢查你的作業：  python -m tinygrad_edu.course check --dir DIR to_report_layout \\
                              tensor_engine_gradients
    """,
    "to_report_layout": """
        把以 nn.Linear 的 (weight, bias) 配對表示的 MLP，轉成報告的 params dict。

        pairs：[(weight_1, bias_1), ...]，第一層在前，weight_k 為 (n_k, n_{k−1})，bias_k 為 (n_k,)。
        回傳 {"W1": ..., "b1": ..., "W2": ...}，W_k 為 (n_k, n_{k−1})、b_k 為 (n_k, 1)：要是新的陣列，
        這樣修改它們時，pairs 不會跟著改變。
    """,
    "tensor_engine_gradients": """
        MLP 的批次平均交叉熵的梯度，由 tinygrad_edu 的 Tensor 引擎計算。

        pairs：[(weight_k (n_k, n_{k−1}), bias_k (n_k,)), ...]，float64，第一層在前；除了最後一層，
        每一層後面都接 ReLU。x：輸入 (N, n_0)；labels：類別索引 (N,)。
        回傳 [(dweight_1, dbias_1), ...]，排列方式和 pairs 相同（numpy 陣列），pairs 保持原樣。
        請用 Tensor(..., requires_grad=True)、函式庫的運算和 .backward()：不要手動推導。
    """,
}
