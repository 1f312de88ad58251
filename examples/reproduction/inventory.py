"""Every checkable statement of the report, paragraph by paragraph, and where this reproduction grades it.

Each entry is (section, what the report says in our words, how it is handled, then the same two in
繁體中文 for the zh-TW lesson page). The handling is either a tuple of claim prefixes, which name
verdicts of the table (their numbers are looked up, so the list cannot drift from the table; its
zh-TW is None), or a sentence saying why there is no verdict.
"""

from reproduction.languages import EN, ZH_TW, place, verdict_word

CLAIMS = [
    ("§1.1", "a shallow network can reach 87 % accuracy on the test data",
     ("§1.1: the network reaches",),
     "淺層神經網路在測試資料上可以達到 87 % 的準確率", None),
    ("§1.2", "Fashion-MNIST holds 60000 training and 10000 test images of 28 × 28 pixels, labels 0–9",
     "recipe, enforced: tinygrad_edu/data/ refuses files whose headers give other shapes",
     "Fashion-MNIST 有 60000 張訓練影像和 10000 張測試影像，每張 28 × 28 像素，標籤為 0–9",
     "配方，強制執行：tinygrad_edu/data/ 會拒絕檔頭給出其他形狀的檔案"),
    ("§1.2", "each image becomes a 784-vector, each label a 10-long one-hot vector",
     "recipe, followed by tinygrad_edu/data/ and the report engine",
     "每張影像轉成長度 784 的向量，每個標籤轉成長度 10 的 one-hot 向量",
     "配方，由 tinygrad_edu/data/ 和 report 引擎照做"),
    ("§1.2", "the training images are split at random 55000 : 5000 into training and validation sets",
     "recipe, followed (recipe table): every run holds out 5000 images, chosen by its seed",
     "訓練影像以 55000 : 5000 隨機分成訓練集與驗證集",
     "配方，照做（配方表）：每次訓練都留出 5000 張影像，由它的種子選定"),
    ("§1.2", "every pixel is divided by 255",
     "recipe, followed by tinygrad_edu/data/",
     "每個像素都除以 255",
     "配方，由 tinygrad_edu/data/ 照做"),
    ("§2.1", "two hidden layers of 600 and 400 ReLU units, a softmax output, cross-entropy loss",
     "recipe, followed (recipe table): every activation run is 784-600-400-10",
     "兩層隱藏層，分別有 600 和 400 個 ReLU 神經元，輸出層用 softmax，損失為交叉熵",
     "配方，照做（配方表）：每次激勵函數的訓練都是 784-600-400-10"),
    ("§2.2", "a weight's gradient is its layer's δ times that layer's input, and δ follows the "
             "backward recursion through the next layer's weights and act'",
     "checked by tests/test_report.py (the δ-recursion against central differences), not a result",
     "權重的梯度是該層的 δ 乘以該層的輸入，而 δ 經由下一層的權重和 act' 反向遞迴",
     "由 tests/test_report.py 檢查（δ 遞迴式對照中央差分），不是一項結果"),
    ("§2.2", "the text sums the loss over the samples, while Listing 2 divides every gradient by the "
             "batch size (the mean)",
     "not graded: a difference of scale (the code, which we follow, is what trained)",
     "正文把損失對樣本加總，Listing 2 卻把每個梯度除以批次大小（取平均）",
     "不判定：只是尺度上的差別（我們照著程式做，而實際訓練的是程式）"),
    ("§2.3", "the momentum update as printed trains the network",
     ("§2.3 as printed",),
     "印出的動量更新能訓練網路", None),
    ("§2.3", "the momentum update as the code ran trains the network",
     ("§2.3 as the code ran",),
     "程式實際執行的動量更新能訓練網路", None),
    ("§2.3", "momentum gets stuck in local minima or saddle points less often than plain mini-batch SGD",
     "not graded: it needs plain-SGD runs, and a loss curve cannot tell a local minimum or saddle "
     "from slow progress",
     "Momentum 比一般的小批次 SGD 更不容易卡在局部最小值或鞍點",
     "不判定：這需要一般 SGD 的訓練，而且從損失曲線分辨不出局部最小值、鞍點和單純的進展緩慢"),
    ("§2.3, Fig. 2", "after about 200 epochs the validation loss starts to rise (overfitting)",
     ("Fig. 2:",),
     "大約 200 個 epoch 之後，驗證損失開始上升（過擬合）", None),
    ("§2.3", "overfitting can be seen on the validation data but not on the training data alone",
     ("§2.3: only the validation data",),
     "過擬合在驗證資料上看得出來，只看訓練資料則看不出來", None),
    ("§2.3", "the other hyperparameters were chosen by watching training and validation loss",
     "not graded: a description of how the report worked, with no runs shown",
     "其他超參數是觀察訓練與驗證損失後選定的",
     "不判定：這是在描述報告的做法，沒有附上任何訓練"),
    ("§2.4", "500 epochs, batch 500, learning rate 0.01, β 0.8",
     "recipe, followed (recipe table): the `report` preset of examples/fashion_mnist.py",
     "500 個 epoch、批次大小 500、學習率 0.01、β 0.8",
     "配方，照做（配方表）：examples/fashion_mnist.py 的 `report` 預設設定"),
    ("§2.4", "changing the number of layers means rewriting the forward and backward code",
     "not graded: about the report's own code (tinygrad_edu/report/network.py takes any list of sizes)",
     "要改變層數，就得改寫前向與反向的程式",
     "不判定：這是關於報告自己的程式（tinygrad_edu/report/network.py 接受任意的各層大小）"),
    ("§2.4, Fig. 3", "around 500 epochs the validation loss is steady, no longer clearly falling",
     ("§2.4, Fig. 3:",),
     "到 500 個 epoch 左右，驗證損失趨於穩定，不再明顯下降", None),
    ("§2.4, Fig. 4", "by then the validation accuracy is above 87 %",
     ("§2.4, Fig. 3–4:", "§2.4, Fig. 4:",),
     "此時驗證準確率已超過 87 %", None),
    ("§2.4", "on the test data the ReLU network scores accuracy 0.8884 and loss 0.3301",
     ("Table §3.2: ReLU test",),
     "ReLU 網路在測試資料上的準確率為 0.8884、損失為 0.3301", None),
    ("§3.1, Fig. 5", "more hidden layers lower the training loss and raise the training accuracy",
     ("§3.1, Fig. 5: training",),
     "隱藏層越多，訓練損失越低、訓練準確率越高", None),
    ("§3.1", "the validation accuracy need not rise with them",
     ("§3.1, Fig. 5: validation accuracy need",),
     "驗證準確率不一定跟著上升", None),
    ("§3.1, Fig. 5", "beyond 2 hidden layers the validation loss rises",
     ("§3.1, Fig. 5: validation loss",),
     "隱藏層超過 2 層後，驗證損失上升", None),
    ("§3.1", "beyond 2 hidden layers the validation (test) accuracy falls",
     ("§3.1, Fig. 5: validation accuracy falls", "§3.1, Fig. 5: test accuracy",),
     "隱藏層超過 2 層後，驗證（測試）準確率下降", None),
    ("§3.1", "the cause is overfitting of a too complex model",
     "not graded on its own: an explanation; what can be seen of it (training loss falls while validation"
     " loss rises) is graded by the §3.1 loss claims",
     "原因是模型太過複雜而過擬合",
     "不單獨判定：這是一種解釋；其中看得見的部分（訓練損失下降而驗證損失上升）由 §3.1 關於損失的主張判定"),
    ("§3.2", "only the activation changes between the four runs; every other hyperparameter stays",
     "recipe, followed (recipe table): the runs differ only in --activation",
     "四次訓練之間只改變激勵函數，其他超參數都不變",
     "配方，照做（配方表）：各次訓練只差在 --activation"),
    ("§3.2", "the table of test loss and accuracy for ReLU, sigmoid, tanh and hard tanh",
     ("Table §3.2:",),
     "ReLU、sigmoid、tanh 和 hard tanh 的測試損失與準確率表", None),
    ("§3.2, Fig. 6–11", "the curves of sigmoid, tanh and hard tanh",
     ("Fig. 6–11:",),
     "sigmoid、tanh 和 hard tanh 的曲線", None),
    ("§3.2", "sigmoid and tanh converge more slowly than ReLU and hard tanh",
     ("§3.2, Fig. 6–11: sigmoid and tanh",),
     "sigmoid 和 tanh 收斂得比 ReLU 和 hard tanh 慢", None),
    ("§3.2", "after the same number of epochs they predict the test data less accurately",
     ("§3.2: after the same epochs",),
     "訓練同樣多個 epoch 後，它們對測試資料的預測準確率較低", None),
]


def verdict_numbers(prefixes, found):
    """The 1-based numbers of the verdicts whose claim starts with any of `prefixes`."""
    return [i for i, v in enumerate(found, start=1) if v.claim.startswith(prefixes)]


TABLE_TEXT = {  # (header, one verdict, separator, the closing count)
    EN: ("| where | the report says (in our words) | graded |", "#{number} ({word})", ", ",
         "{total} statements: {graded} graded by a verdict above, {others} recipe or not gradable "
         "(the reason is given)."),
    ZH_TW: ("| 位置 | 報告的說法（我們的轉述） | 判定 |", "#{number}（{word}）", "、",
            "共 {total} 項陳述：{graded} 項由上面的判定評定，{others} 項屬於配方或無法判定（附上理由）。"),
}


def inventory_table(found, language=EN):
    """Markdown: every statement, and its verdicts (number and status) or why it has none."""
    header, one_verdict, separator, closing = TABLE_TEXT[language]
    rows = [header, "|---|---|---|"]
    for where, says, handled, says_zh, handled_zh in CLAIMS:
        if isinstance(handled, tuple):
            numbers = verdict_numbers(handled, found)
            if not numbers:
                raise ValueError(f"inventory: no verdict's claim starts with {handled}")
            handled = separator.join(one_verdict.format(number=i, word=verdict_word(found[i - 1].status,
                                                                                    language))
                                     for i in numbers)
        elif language == ZH_TW:
            handled = handled_zh
        rows.append(f"| {place(where, language)} | {says_zh if language == ZH_TW else says} | {handled} |")
    graded = sum(isinstance(entry[2], tuple) for entry in CLAIMS)
    closing = closing.format(total=len(CLAIMS), graded=graded, others=len(CLAIMS) - graded)
    return "\n".join(rows) + "\n\n" + closing
