"""zh-TW docstrings of lesson3_finite_differences.py (see tinygrad_edu/course/translations)."""

DOCSTRINGS = {
    "<module>": """
        第 3 課（檢查梯度）：用中央差分估計梯度。

        檢查你的作業：  python -m tinygrad_edu.course check --dir DIR central_difference
    """,
    "central_difference": """
        以步長 eps 的中央差分，估計 x 每個元素 i 的 ∂f/∂x_i：
        (f(x + eps·e_i) − f(x − eps·e_i)) / (2·eps)。

        f：一個函式，輸入是和 x 同形狀的 float64 陣列（任何形狀，包含 0-d），回傳一個數字。
        回傳和 x 同形狀的 float64 陣列。x 必須維持傳進來時的原樣，一點都不能改。
    """,
}
