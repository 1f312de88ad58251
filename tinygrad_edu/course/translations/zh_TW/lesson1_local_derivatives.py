"""zh-TW docstrings of lesson1_local_derivatives.py (see tinygrad_edu/course/translations)."""

DOCSTRINGS = {
    "<module>": """
        第 1 課（連鎖律：用手算）：每個基本運算的值，以及它的局部導數。

        每個函式都接收一般的 float，回傳 `(out, local_grads)`：運算的結果，以及一個 tuple，
        依引數的順序放著每個輸入的 ∂out/∂input。這些正是自動微分（autograd）的節點要存下的數字，
        反向傳遞（backward pass）才能套用連鎖律。

            out, (d_a, d_b) = mul(2.0, -3.0)     # out = -6.0; d_a = ∂out/∂a, d_b = ∂out/∂b

        檢查你的作業：  python -m tinygrad_edu.course check --dir DIR add mul power exp log tanh sigmoid relu
    """,
    "add": "out = a + b。回傳 (out, (∂out/∂a, ∂out/∂b))。",
    "mul": "out = a · b。回傳 (out, (∂out/∂a, ∂out/∂b))。",
    "power": """
        out = aⁿ，n 是一個常數（n 不是整數時，a > 0）。

        回傳 (out, (∂out/∂a,))：n 是常數，所以它沒有導數。
    """,
    "exp": "out = eᵃ。回傳 (out, (∂out/∂a,))。",
    "log": "out = ln a，其中 a > 0。回傳 (out, (∂out/∂a,))。",
    "tanh": "out = tanh a。回傳 (out, (∂out/∂a,))。",
    "sigmoid": """
        out = σ(a) = 1 / (1 + e⁻ᵃ)。回傳 (out, (∂out/∂a,))。

        任何 float a 都必須能算，即使是 a = −1000：這時 e⁻ᵃ 會超出 float 的範圍（overflow）。
    """,
    "relu": """
        out = max(0, a)。回傳 (out, (∂out/∂a,))。

        在轉折點 a = 0 沒有導數；請照 PyTorch 的慣例，取平坦那一側的斜率。
    """,
}
