"""zh-TW docstrings of lesson2_scalar_engine.py (see tinygrad_edu/course/translations)."""

DOCSTRINGS = {
    "<module>": """
        第 2 課（純量自動微分引擎）：走訪計算圖，以及反向傳遞（backward pass）。

        計算圖（computational graph）的節點可以是任何具有下列屬性的物件：
            .data          它的數值
            .grad          ∂root/∂node，由 backward 寫入
            ._parents      算出它的那些節點組成的 tuple（葉節點為空）
            ._local_grads  局部導數 ∂node/∂parent 組成的 tuple，每個 parent 一個，順序相同
        下面這個小小的 `Value` 類別會建立這種節點，讓你可以親手試試你的函式：

            a = Value(2.0)
            b = a * a + a
            backward(b)
            print(a.grad)       # db/da = 2a + 1 = 5.0

        檢查你的作業：  python -m tinygrad_edu.course check --dir DIR topological_order backward
    """,
    "Value": "現成的，不是練習：一個數字，記錄它是由哪些節點、以哪些局部導數算出來的。",
    "topological_order": """
        `root` 所依賴的每個節點，包含 root 本身：一個 list，每個節點在其中恰好出現一次，
        而且排在它所有的 parent 之後（拓撲排序）。

        它必須能處理 20,000 個節點深的圖，這超過了 Python 的遞迴深度上限。
    """,
    "backward": """
        為 root 所依賴的每個節點填入 ∂root/∂node，存在它的 `.grad`（連鎖律）。

        和 PyTorch 一樣，葉節點（沒有 parent 的節點）會累加：每次呼叫都把 ∂root/∂leaf 加到它們的
        grad 上。其他每個節點，包含 root，只保存這次呼叫的梯度。回傳 None。
        （評分時搭配的是正確的 topological_order，所以那裡的錯誤不會連帶讓它也失敗。）
    """,
}
