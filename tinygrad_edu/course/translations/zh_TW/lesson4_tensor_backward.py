"""zh-TW docstrings of lesson4_tensor_backward.py (see tinygrad_edu/course/translations)."""

DOCSTRINGS = {
    "<module>": """
        第 4 課（從純量到張量）：陣列運算的反向傳遞，用 numpy 寫。

        每個函式都拿到 g = ∂L/∂out，也就是某個純量損失 L 對運算輸出的梯度（形狀和輸出相同），
        並回傳運算每個輸入的 ∂L/∂input，各自是那個輸入的形狀。陣列都是 float64 的 numpy 陣列。

        檢查你的作業：  python -m tinygrad_edu.course check --dir DIR unbroadcast matmul_backward \\
                              sum_backward mean_backward max_backward linear_backward
    """,
    "unbroadcast": """
        一個形狀為 `shape` 的輸入，在前向傳遞（forward pass）中被 numpy 廣播（broadcasting）成
        grad.shape：求它的梯度。

        grad：∂L/∂out，out 的形狀是 grad.shape（shape 可以廣播成它：依 numpy 的規則，在前面補上軸，
        大小為 1 的軸被拉長）。回傳 ∂L/∂input，一個形狀為 `shape` 的陣列。
    """,
    "matmul_backward": """
        out = x @ w，x 為 (n, k)、w 為 (k, m)；g = ∂L/∂out，形狀為 (n, m)。

        回傳 (dx, dw)，形狀分別為 (n, k) 和 (k, m)。
    """,
    "sum_backward": """
        out = x.sum(axis=axis, keepdims=keepdims)，x 的形狀為 x_shape；g = ∂L/∂out。

        axis：None（所有的軸）、一個 int，或由 int 組成的 tuple（負的 int 從最後一軸往回數）。
        回傳形狀為 x_shape 的 dx。
    """,
    "mean_backward": """
        out = x.mean(axis=axis, keepdims=keepdims)，x 的形狀為 x_shape；g = ∂L/∂out。

        axis 和 sum_backward 相同。回傳形狀為 x_shape 的 dx。
    """,
    "max_backward": """
        out = x.max(axis=axis, keepdims=keepdims)；g = ∂L/∂out。

        axis 和 sum_backward 相同。如果有好幾個元素並列同一個最大值，這個最大值的梯度平均分給它們。
        回傳和 x 同形狀的 dx。
    """,
    "linear_backward": """
        out = x @ weightᵀ + bias，x 為 (N, in)、weight 為 (out, in)、bias 為 (out,)；g = ∂L/∂out (N, out)。

        回傳 (dx, dweight, dbias)，形狀分別為 (N, in)、(out, in) 和 (out,)。
    """,
}
