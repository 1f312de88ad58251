"""examples/reproduce_report.py: the quick pipeline end to end, skipping, resuming, and the verdict rules."""

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "examples" / "reproduce_report.py"
PNG = b"\x89PNG\r\n\x1a\n"


sys.path.insert(0, str(SCRIPT.parent))  # the script imports its parts from examples/reproduction/
import reproduce_report as rr  # noqa: E402
from reproduction.claims import ACTIVATIONS, PRETTY, REPORT_FIGURES, REPORT_TABLE  # noqa: E402
from reproduction.inventory import CLAIMS  # noqa: E402
from reproduction.languages import EN, VERDICT_WORDS, ZH_TW, page_in  # noqa: E402
from reproduction.lockstep import LOCKSTEP, load_lockstep, lockstep_text  # noqa: E402
from reproduction.momentum import momentum_rule_losses  # noqa: E402
from reproduction.plan import FULL, MOMENTUM_RUN, QUICK, plan  # noqa: E402
from reproduction.recipe import recipe_table  # noqa: E402
from reproduction.running import is_finished, lock_run  # noqa: E402
from reproduction.tables import overfitting_table  # noqa: E402
from reproduction.text_claims import (  # noqa: E402
    TEXT_RULES,
    TEXT_RULES_ZH,
    convergence_verdicts,
    depth_accuracy_verdicts,
    epochs_to_reach,
    overfit_invisible_in_training_verdict,
    relu_accuracy_verdict,
    stable_verdict,
    text_verdicts,
    window_change,
)
from reproduction.verdicts import (  # noqa: E402
    ACCURACY_TOLERANCE,
    DIVERGED,
    NOT_REPRODUCED,
    PENDING,
    REPRODUCED,
    RULES,
    RULES_ZH,
    compare_to_report,
    depth_verdicts,
    momentum_verdicts,
    overfitting_verdict,
    smoothed_minimum,
    trains,
    verdicts,
)

LESSON_PAGE = REPO / "lessons" / "reproduction.md"
LESSON_PAGES = [page_in(LESSON_PAGE, language) for language in (EN, ZH_TW)]  # English, then 繁體中文
FIGURES = [f"{a}-{m}.png" for a in ACTIVATIONS for m in ("loss", "accuracy")]
FIGURES += ["convergence.png", "depth.png", "overfitting.png", "momentum-rule.png"]
N_CLAIMS = 28  # 8 table values, best/worst, Fig. 3–4, Fig. 2, Fig. 5 × 2, Fig. 6–11 × 3, §2.3 × 2, and
# read from the text: §1.1, §2.3, §2.4 × 2, §3.1 × 4, §3.2 × 2


def run_script(*args):
    start = time.perf_counter()
    result = subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout, time.perf_counter() - start


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    """One --quick run into a temporary folder: (flags, results folder, lesson page, stdout, seconds)."""
    tmp = tmp_path_factory.mktemp("reproduce")
    results, page = tmp / "results", tmp / "site" / "reproduction.md"
    before = [p.stat().st_mtime_ns if p.exists() else None for p in LESSON_PAGES]
    flags = ["--quick", "--results", str(results), "--lessons-page", str(page)]
    stdout, seconds = run_script(*flags)
    after = [p.stat().st_mtime_ns if p.exists() else None for p in LESSON_PAGES]
    assert before == after, "the quick run must not touch the real lessons/reproduction*.md"
    return flags, results, page, stdout, seconds


def verdict_rows(markdown, language=EN):
    """The rows of the verdict table: (number, claim, verdict as the English status word)."""
    status = {word: s for s, word in VERDICT_WORDS[language].items()}
    pattern = rf"^\| (\d+) \| ([^|]+) \| \**({'|'.join(status)})\** \|"
    return [(n, claim, status[word]) for n, claim, word in re.findall(pattern, markdown, re.M)]


@pytest.mark.slow
def test_quick_run_writes_every_output(quick):
    _, results, page, stdout, _ = quick
    for name in FIGURES:
        assert (results / "figures" / name).read_bytes()[:8] == PNG, name
        assert (page.parent / "assets" / "reproduction" / name).read_bytes()[:8] == PNG, name
    for name in [r.name for r in plan(QUICK, QUICK.seeds)]:
        assert is_finished(results / "runs" / name), name
        assert (results / "runs" / name / "log.txt").read_text().strip()
    summary = (results / "summary.md").read_text()
    for activation in ACTIVATIONS:  # one row per activation, with the report's numbers beside ours
        loss, accuracy = REPORT_TABLE[activation]
        row = rf"^\| {PRETTY[activation]} \| {loss:.4f} \| .* \| {accuracy:.4f} \|"
        assert re.search(row, summary, re.M), activation
    assert [int(n) for n, _, _ in verdict_rows(summary)] == list(range(1, N_CLAIMS + 1))
    for number, title in REPORT_FIGURES.items():  # each redrawn figure carries the report's number and title
        assert (f"Figure {number}: {title} (ours" in summary) == (number > 1), number
    # Fig. 6–11 compares validation with the report's test accuracy: our own gap between them is shown.
    assert summary.count("our own final validation accuracy minus our test accuracy") == 3
    assert "Quick mode" in summary and "--quick" in summary
    provenance = json.loads((results / "provenance.json").read_text())
    assert "--quick" in provenance["command"]
    assert re.fullmatch(r"[0-9a-f]{40}(-dirty)?|unknown.*", provenance["commit"])
    assert {"cpus", "python", "numpy"} <= set(provenance["machine"])
    assert provenance["runs"]["relu-seed0"]["wall_seconds"] > 0
    assert "verdicts:" in stdout


@pytest.mark.slow
@pytest.mark.parametrize("language", [EN, ZH_TW])
def test_the_lesson_page_shows_verdicts_and_figures_and_runs_no_code(quick, language):
    _, results, page, _, _ = quick
    text = page_in(page, language).read_text()
    assert text.startswith("<!-- Generated by `python examples/reproduce_report.py --summarize-only`")
    rows = verdict_rows(text, language)  # the same verdicts as summary.md's, in the page's own words
    summary = (results / "summary.md").read_text()
    assert [(n, v) for n, _, v in rows] == [(n, v) for n, _, v in verdict_rows(summary)]
    assert len(rows) == N_CLAIMS
    for status in (REPRODUCED, NOT_REPRODUCED, PENDING):  # the list of the claims, one status at a time
        assert f"- **{VERDICT_WORDS[language][status].capitalize()}**" in text
    images = re.findall(r"!\[[^]]*\]\(([^)]+)\)", text)
    assert len(images) == len(FIGURES)
    for target in images:  # every image is a relative path that exists
        assert not Path(target).is_absolute() and (page.parent / target).is_file(), target
    assert "```python" not in text and "```py" not in text


@pytest.mark.slow
def test_rerun_skips_finished_runs_and_resumes_an_interrupted_one(quick):
    flags, results, _, _, first_seconds = quick
    names = [r.name for r in plan(QUICK, QUICK.seeds)] + [MOMENTUM_RUN]

    stdout, seconds = run_script(*flags)
    for name in names:
        assert f"skipping {name}: finished" in stdout
        assert len(json.loads((results / "runs" / name / "run.json").read_text())["sessions"]) == 1
    assert "starting" not in stdout and "resuming" not in stdout
    assert seconds < first_seconds

    # An interrupted run: its checkpoint is there, its history.json is not.
    run_dir = results / "runs" / "tanh-seed1"
    before = json.loads((run_dir / "history.json").read_text())
    (run_dir / "history.json").unlink()
    stdout, _ = run_script(*flags)
    assert "resuming tanh-seed1" in stdout and "skipping relu-seed0: finished" in stdout
    last_session = (run_dir / "log.txt").read_text().split("\n=== ")[-1]
    assert f"after epoch {QUICK.epochs}" in last_session and "epoch   1/" not in last_session
    after = json.loads((run_dir / "history.json").read_text())
    assert after["results"]["report"]["test_loss"] == before["results"]["report"]["test_loss"]  # bit-exact
    assert after["histories"]["report"]["val_loss"] == before["histories"]["report"]["val_loss"]
    sessions = json.loads((run_dir / "run.json").read_text())["sessions"]
    assert [s["resumed"] for s in sessions] == [False, True]


def test_summarize_only_with_no_runs_marks_every_claim_pending(tmp_path):
    page = tmp_path / "page.md"
    stdout, _ = run_script("--summarize-only", "--results", str(tmp_path / "empty"),
                           "--lessons-page", str(page))
    summary = (tmp_path / "empty" / "summary.md").read_text()
    rows = verdict_rows(summary)
    assert len(rows) == N_CLAIMS and {v for _, _, v in rows} == {"pending"}
    assert "waiting for relu-seed0" in summary
    assert "Not shown yet: `empty/lockstep/report-seed0/history.json` is not in this results" in summary
    assert f"0 reproduced, 0 not reproduced, {N_CLAIMS} pending" in stdout
    assert not list((tmp_path / "empty").glob("figures/*.png"))  # nothing to draw, nothing drawn
    assert "pending" in page.read_text()
    zh_page = page_in(page, ZH_TW)
    assert str(zh_page) in stdout
    rows = verdict_rows(zh_page.read_text(), ZH_TW)
    assert len(rows) == N_CLAIMS and {v for _, _, v in rows} == {PENDING}
    assert f"0 項已重現、0 項未重現、{N_CLAIMS} 項待定。" in zh_page.read_text()


def test_summarize_only_with_results_elsewhere_writes_its_page_there_not_into_lessons(tmp_path):
    before = [p.read_bytes() if p.exists() else None for p in LESSON_PAGES]
    stdout, _ = run_script("--summarize-only", "--results", str(tmp_path / "elsewhere"))
    for language in (EN, ZH_TW):
        page = page_in(tmp_path / "elsewhere" / "lessons" / "reproduction.md", language)
        assert page.is_file() and str(page) in stdout
    assert [p.read_bytes() if p.exists() else None for p in LESSON_PAGES] == before
    args, _ = rr.parse_args(["--results", str(REPO / "results")])  # the repository's own results: the lesson
    assert args.lessons_page == REPO / "lessons" / "reproduction.md"


def quick_run_dir(results, name="relu-seed0"):
    """RESULTS/runs/NAME as a first session of --quick would have left it, before any epoch."""
    run = next(r for r in plan(QUICK, QUICK.seeds) if r.name == name)
    run_dir = results / "runs" / name
    run_dir.mkdir(parents=True)
    (run_dir / "run.json").write_text(json.dumps({"flags": run.flags(QUICK), "sessions": []}))
    return run_dir


def run_only(results, name="relu-seed0"):
    return subprocess.run([sys.executable, str(SCRIPT), "--quick", "--results", str(results), "--only", name],
                          capture_output=True, text=True, timeout=300)


def test_a_damaged_checkpoint_names_the_run_and_the_command_that_restarts_it(tmp_path):
    run_dir = quick_run_dir(tmp_path)
    (run_dir / "checkpoint.npz").write_bytes(b"PK\x03\x04 cut short")
    result = run_only(tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "not starting relu-seed0" in result.stderr and "unusable checkpoint" in result.stderr
    restart = f"rm {run_dir / 'checkpoint.npz'} && python examples/reproduce_report.py --quick"
    assert restart in result.stderr


def test_a_run_driven_by_another_process_is_not_started_twice(tmp_path):
    run_dir = quick_run_dir(tmp_path)
    with lock_run(run_dir):
        result = run_only(tmp_path)
    assert result.returncode == 1
    assert f"not starting relu-seed0: {run_dir} is in use by another process (pid {os.getpid()}" in \
        result.stderr
    assert not (run_dir / "log.txt").exists()  # no worker was started


def process_alive(pid):
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended; only its exit status waits to be collected


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the death signal is Linux's prctl")
def test_killing_the_orchestrator_leaves_no_worker_behind(tmp_path):
    run_dir = tmp_path / "runs" / "relu-seed0"
    command = [sys.executable, str(SCRIPT), "--quick", "--results", str(tmp_path), "--only", "relu-seed0"]
    orchestrator = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    worker = ""
    while not worker and time.monotonic() < deadline:  # the worker writes its pid into its folder's lock
        time.sleep(0.02)
        worker = (run_dir / ".lock").read_text().strip() if (run_dir / ".lock").exists() else ""
    assert worker, "the worker never started"
    orchestrator.send_signal(signal.SIGKILL)
    orchestrator.wait()
    deadline = time.monotonic() + 30
    while process_alive(int(worker)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not process_alive(int(worker)), f"worker {worker} outlived its orchestrator"
    assert "interrupted by SIGTERM" in (run_dir / "log.txt").read_text()
    assert not is_finished(run_dir)


def test_a_folder_holding_other_runs_is_refused(tmp_path):
    run_dir = tmp_path / "runs" / "relu-seed0"
    run_dir.mkdir(parents=True)
    (run_dir / "run.json").write_text(json.dumps({"flags": ["--something", "else"], "sessions": []}))
    result = subprocess.run([sys.executable, str(SCRIPT), "--quick", "--results", str(tmp_path), "--only",
                             "relu-seed0"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "holds a run with other flags" in result.stderr


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--jobs", "0"], "--jobs: must be > 0"),
        (["--jobs", "10000"], "--jobs: must be at most"),
        (["--threads", "10000"], "--threads: must be at most"),
        (["--seeds", "0"], "at least 2 seeds"),
        (["--seeds", "0", "0"], "each seed once"),
        (["--seeds", "-1", "2"], "seeds must be ≥ 0"),
        (["--only", "relu-seed9"], "unknown run(s) relu-seed9"),
        (["--summarize-only", "--only", "relu-seed0"], "makes no sense with --summarize-only"),
    ],
)
def test_bad_flags_are_refused_with_a_message(flags, message, capsys):
    with pytest.raises(SystemExit) as error:
        rr.parse_args(flags)
    assert error.value.code == 2 and message in capsys.readouterr().err


# --- the verdict rules, on made-up numbers -------------------------------------------------------------


def test_a_value_within_our_noise_is_reproduced():
    status, evidence = compare_to_report(0.8884, [0.887, 0.889, 0.8885], ACCURACY_TOLERANCE)
    assert status == REPRODUCED and "n=3" in evidence


def test_a_value_far_outside_our_noise_is_not_reproduced():
    status, _ = compare_to_report(0.8884, [0.80, 0.81, 0.805], ACCURACY_TOLERANCE)
    assert status == NOT_REPRODUCED


def test_the_fixed_margin_saves_a_tiny_spread_and_a_single_seed():
    # sd ≈ 0.0001 would allow only ±0.0002, but ±0.005 of accuracy is the floor.
    assert compare_to_report(0.8884, [0.8850, 0.8851, 0.8852], 0.005)[0] == REPRODUCED
    assert compare_to_report(0.8884, [0.8800], 0.005)[0] == NOT_REPRODUCED  # n=1: the margin alone


def test_a_run_that_diverged_is_graded_diverged_not_compared():
    status, evidence = compare_to_report(0.8884, [0.887, float("nan"), 0.889], ACCURACY_TOLERANCE)
    assert status == DIVERGED and "1 of 3 runs diverged" in evidence and "±nan" not in evidence


def test_missing_runs_make_a_claim_pending_whatever_the_numbers():
    status, evidence = compare_to_report(0.8884, [0.8884, 0.8884], 0.005, missing=["relu-seed2"])
    assert status == PENDING and "relu-seed2" in evidence
    assert compare_to_report(0.8884, [], 0.005)[0] == PENDING


def test_overfitting_rule():
    epochs = range(1, 501)
    u_shape = [0.3 + ((e - 200) / 400) ** 2 for e in epochs]  # lowest at epoch 200, ends 0.14 higher
    still_falling = [0.3 + 1 / e for e in epochs]
    assert smoothed_minimum(u_shape)[0] == 200
    assert overfitting_verdict([u_shape, u_shape])[0] == REPRODUCED
    assert overfitting_verdict([still_falling])[0] == NOT_REPRODUCED
    assert overfitting_verdict([u_shape], missing=["relu-seed1"])[0] == PENDING


def test_the_overfitting_table_says_which_runs_fit_fig_2_on_their_own():
    epochs = range(1, 501)
    results = {"depth4-seed0": {"history": {"val_loss": [0.3 + ((e - 180) / 400) ** 2 for e in epochs]}},
               "relu-seed0": {"history": {"val_loss": [0.3 + 1 / e for e in epochs]}}, "tanh-seed0": None}
    table = overfitting_table(results)
    assert re.search(r"^\| depth4-seed0 \| 500 \| 180 \| .* \| yes \|$", table, re.M)
    assert re.search(r"^\| relu-seed0 \| 500 \| 496 \| .* \| no \|$", table, re.M)  # smoothed: ends at 496
    assert "tanh-seed0" not in table  # unfinished runs are left out
    fits = r"by the verdict's rule: depth4-seed0 \(lowest at epoch 180, ends 0\.62\d\d above\)\.$"
    assert re.search(fits, table)


def test_depth_rules():
    train = {1: 0.30, 2: 0.20, 3: 0.15, 4: 0.12}
    assert [v[0] for v in depth_verdicts(train, {1: 0.35, 2: 0.33, 3: 0.36, 4: 0.38}, 0.001, 0.001)] == [
        REPRODUCED, REPRODUCED]
    # A rise smaller than twice the seed noise does not count; neither does a rise at 3 layers only.
    small_rise = {1: 0.35, 2: 0.33, 3: 0.335, 4: 0.34}
    assert depth_verdicts(train, small_rise, 0.0, 0.01)[1][0] == NOT_REPRODUCED
    assert depth_verdicts(train, {1: 0.35, 2: 0.33, 3: 0.36, 4: 0.32}, 0.0, 0.0)[1][0] == NOT_REPRODUCED
    assert depth_verdicts({1: 0.3, 2: 0.2, 3: 0.25, 4: 0.1}, train, 0.0, 0.0)[0][0] == NOT_REPRODUCED
    assert {v[0] for v in depth_verdicts({}, {}, 0.0, 0.0, missing=["depth3-seed0"])} == {PENDING}


def test_momentum_rules():
    rising, falling = [2.3, 2.4, 2.6, 3.0], [2.3, 2.2, 2.1, 2.0]
    printed, code = momentum_verdicts({"printed": rising, "code": falling})
    assert printed[0] == NOT_REPRODUCED and "rises" in printed[1]
    assert code[0] == REPRODUCED and "falls" in code[1]
    assert [v[0] for v in momentum_verdicts(None)] == [PENDING, PENDING]


def test_the_printed_rule_climbs_the_loss_on_a_tiny_problem():
    """The printed rule's sign flip, on random data: the same start and batches, opposite directions."""
    import numpy as np

    rng = np.random.default_rng(0)
    x = rng.random((200, 784), dtype=np.float32)
    labels = (x[:, :10].argmax(axis=1)).astype(np.int64)  # a learnable rule
    kwargs = dict(sizes=(784, 16, 10), seed=0, epochs=5, lr=0.5, batch_size=50)
    code = momentum_rule_losses(x, labels, "code", **kwargs)
    printed = momentum_rule_losses(x, labels, "printed", **kwargs)
    assert code[0] == printed[0]  # same weights, same first batch
    assert trains(code)[0] and not trains(printed)[0] and printed[-1] > printed[0]


def test_every_claim_is_pending_when_nothing_has_finished():
    runs = plan(FULL, (0, 1, 2))
    results = {r.name: None for r in runs}
    found = verdicts(results, None, (0, 1, 2))[0] + text_verdicts(results, (0, 1, 2))
    assert len(found) == N_CLAIMS and {v.status for v in found} == {PENDING}
    assert all("waiting for" in v.evidence for v in found)


# --- the zh-TW lesson page ---------------------------------------------------------------------------

CJK = re.compile(r"[\u4e00-\u9fff]")
NUMBER = re.compile(r"\d+(?:\.\d+)?")


def test_every_claim_has_its_own_zh_tw_description_with_the_same_numbers():
    results = {r.name: None for r in plan(FULL, (0, 1, 2))}
    found = verdicts(results, None, (0, 1, 2))[0] + text_verdicts(results, (0, 1, 2))
    for v in found:
        assert CJK.search(v.claim_zh), f"no zh-TW description for {v.claim!r}: {v.claim_zh!r}"
        # the section, figure and the report's numbers are the claim's own: none lost, none invented
        assert Counter(NUMBER.findall(v.claim_zh)) == Counter(NUMBER.findall(v.claim)), v.claim
    assert len({v.claim_zh for v in found}) == N_CLAIMS  # no two claims read the same


def test_every_rule_and_statement_of_the_page_has_its_zh_tw_text():
    assert len(RULES_ZH) == len(RULES) and len(TEXT_RULES_ZH) == len(TEXT_RULES)
    for english, chinese in zip(RULES + TEXT_RULES, RULES_ZH + TEXT_RULES_ZH):
        assert CJK.search(chinese) and chinese.split("**")[1] != english.split("**")[1], chinese
    for _, says, handled, says_zh, handled_zh in CLAIMS:
        assert CJK.search(says_zh), says
        # a statement graded by verdicts shows their numbers; only a reason without one needs translating
        assert (handled_zh is None) == isinstance(handled, tuple), says
        assert handled_zh is None or CJK.search(handled_zh), says


def test_the_committed_zh_tw_page_is_the_same_generation_as_the_english_page_and_the_summary():
    """Both lesson pages and results/summary.md come from one run of --summarize-only: a page left behind
    when the others were regenerated (or edited by hand) shows up here."""
    english, chinese = (page.read_text(encoding="utf-8") for page in LESSON_PAGES)
    summary = (REPO / "results" / "summary.md").read_text(encoding="utf-8")
    when = re.search(r" on (\S+)\.\n", summary)[1]
    stamp = re.compile(r"(\d{4}-\d\d-\d\dT[\d:+-]+)[^`]*commit `([^`]+)`")
    assert stamp.search(english).groups() == stamp.search(chinese).groups()
    assert stamp.search(chinese)[1] == when
    statuses = [(n, v) for n, _, v in verdict_rows(summary)]
    assert [(n, v) for n, _, v in verdict_rows(english)] == statuses
    assert [(n, v) for n, _, v in verdict_rows(chinese, ZH_TW)] == statuses
    assert len(statuses) == N_CLAIMS

    def measured(text):  # every number the tables and texts print with 4 decimals
        return Counter(re.findall(r"[-+]?\d+\.\d{4}\b", text))

    assert measured(chinese) == measured(english)
    figures = re.compile(r"!\[[^]]*\]\(([^)]+)\)")
    assert figures.findall(chinese) == figures.findall(english)


# --- the rules for the claims read from the report's text (text_claims.py), on made-up histories ------


def made_up_run(train_loss, val_loss=None, test_accuracy=0.88, train_accuracy=None, val_accuracy=None):
    """A finished run as load_results gives it, from made-up curves."""
    n = len(train_loss)
    history = {"train_loss": list(train_loss), "val_loss": list(val_loss or train_loss),
               "train_accuracy": list(train_accuracy or [0.9] * n),
               "val_accuracy": list(val_accuracy or [0.88] * n)}
    return {"history": history, "test_loss": 0.3, "test_accuracy": test_accuracy}


def decaying(rate, epochs=500):
    """A training-loss curve 2.3·exp(-rate·epoch) + 0.1: it crosses 0.5 near epoch ln(2.3/0.4)/rate."""
    return [2.3 * float(np.exp(-rate * e)) + 0.1 for e in range(1, epochs + 1)]


def activation_runs(rates, accuracies, seeds=(0, 1, 2)):
    """{NAME-seedS: run} for the four activations; rates and accuracies: {activation: one per seed}."""
    return {f"{a}-seed{s}": made_up_run(decaying(rates[a][i]), test_accuracy=accuracies[a][i])
            for a in rates for i, s in enumerate(seeds)}


def test_epochs_to_reach_a_level_counts_from_one_and_marks_never_as_one_past_the_end():
    assert epochs_to_reach([0.9, 0.6, 0.5, 0.4], 0.5) == 3
    assert epochs_to_reach([0.9, 0.8], 0.5) == 3


def test_smooth_activations_slower_and_worse_when_every_seed_is_separated():
    rates = {"sigmoid": [0.01, 0.011, 0.012], "tanh": [0.02, 0.021, 0.022],
             "relu": [0.05, 0.051, 0.052], "hardtanh": [0.04, 0.041, 0.042]}
    accuracies = {"sigmoid": [0.83, 0.832, 0.834], "tanh": [0.877, 0.878, 0.879],
                  "relu": [0.889, 0.890, 0.891], "hardtanh": [0.880, 0.881, 0.882]}
    slower, worse = convergence_verdicts(activation_runs(rates, accuracies), (0, 1, 2))
    assert slower[0] == REPRODUCED and "every pair separated" in slower[1]
    assert worse[0] == REPRODUCED


def test_one_overlapping_seed_is_enough_to_fail_the_separation_rules():
    # One tanh seed converges as fast as hard tanh, and another scores above one hard tanh seed.
    rates = {"sigmoid": [0.01, 0.011, 0.012], "tanh": [0.02, 0.021, 0.045],
             "relu": [0.05, 0.051, 0.052], "hardtanh": [0.04, 0.041, 0.042]}
    accuracies = {"sigmoid": [0.83, 0.832, 0.834], "tanh": [0.877, 0.878, 0.8805],
                  "relu": [0.889, 0.890, 0.891], "hardtanh": [0.880, 0.881, 0.882]}
    slower, worse = convergence_verdicts(activation_runs(rates, accuracies), (0, 1, 2))
    assert slower[0] == NOT_REPRODUCED and "not separated: tanh vs hard tanh" in slower[1]
    assert worse[0] == NOT_REPRODUCED and "not separated: hard tanh vs tanh" in worse[1]
    results = activation_runs(rates, accuracies)
    results["tanh-seed2"] = None
    assert {v[0] for v in convergence_verdicts(results, (0, 1, 2))} == {PENDING}


def depth_results(train_acc, val_acc, test_acc, relu_spread=0.001):
    """Runs for the depth rules: one net per depth (seed 0), and ReLU seeds 1, 2 that set the noise."""
    results = {}
    for d, name in {1: "depth1-seed0", 2: "relu-seed0", 3: "depth3-seed0", 4: "depth4-seed0"}.items():
        results[name] = made_up_run([0.3] * 5, train_accuracy=[train_acc[d]] * 5,
                                    val_accuracy=[val_acc[d]] * 5, test_accuracy=test_acc[d])
    for s in (1, 2):
        results[f"relu-seed{s}"] = made_up_run(
            [0.3] * 5, train_accuracy=[train_acc[2] + s * relu_spread] * 5,
            val_accuracy=[val_acc[2] + s * relu_spread] * 5, test_accuracy=test_acc[2] + s * relu_spread)
    return results


def test_depth_accuracy_rules():
    train = {1: 0.90, 2: 0.94, 3: 0.97, 4: 0.99}
    falling = {1: 0.87, 2: 0.89, 3: 0.87, 4: 0.86}
    verdicts_ = depth_accuracy_verdicts(depth_results(train, falling, falling), (0, 1, 2))
    assert [v[0] for v in verdicts_] == [REPRODUCED] * 4
    # The report's test accuracies: 4 layers lie only 0.0014 below 2 layers, inside a 2-sd margin of 0.002.
    test = {1: 0.8767, 2: 0.8894, 3: 0.8786, 4: 0.8880}
    rising = {1: 0.85, 2: 0.87, 3: 0.89, 4: 0.91}
    verdicts_ = depth_accuracy_verdicts(depth_results(falling, rising, test), (0, 1, 2))
    assert [v[0] for v in verdicts_] == [NOT_REPRODUCED] * 4
    assert "must exceed 0.0020" in verdicts_[3][1]
    results = depth_results(train, falling, falling)
    results["depth3-seed0"] = None
    assert {v[0] for v in depth_accuracy_verdicts(results, (0, 1, 2))} == {PENDING}


def relu_runs(val_curves):
    return {f"relu-seed{s}": made_up_run(c, val_loss=c) for s, c in enumerate(val_curves)}


def test_steady_validation_loss_rule():
    epochs = np.arange(1, 501)
    flat_end = [list(0.30 + 1 / epochs + 0.01 * s) for s in range(3)]  # sd of the ends 0.01: margin 0.02
    assert stable_verdict(relu_runs(flat_end), (0, 1, 2))[0] == REPRODUCED
    still_falling = [list(0.30 + 0.001 * (500 - epochs) + 0.01 * s) for s in range(3)]  # −0.025 per 25 epochs
    status, evidence = stable_verdict(relu_runs(still_falling), (0, 1, 2))
    assert status == NOT_REPRODUCED and "-0.0250" in evidence
    assert window_change([1.0, 1.0, 2.0, 2.0], window=4) == 1.0
    assert stable_verdict({"relu-seed0": None, "relu-seed1": None}, (0, 1))[0] == PENDING


def test_overfitting_shows_only_on_validation_rule():
    epochs = np.arange(1, 501)
    u_shape = list(0.3 + ((epochs - 200) / 400) ** 2)
    falling = list(0.3 * np.exp(-epochs / 200))
    overfits = made_up_run(falling, val_loss=u_shape)
    assert overfit_invisible_in_training_verdict({"a": overfits, "b": None})[0] == REPRODUCED
    both_turn = made_up_run(u_shape, val_loss=u_shape)  # the training loss shows it too
    assert overfit_invisible_in_training_verdict({"a": overfits, "b": both_turn})[0] == NOT_REPRODUCED
    status, evidence = overfit_invisible_in_training_verdict({"a": made_up_run(falling)})
    assert status == NOT_REPRODUCED and "no finished run" in evidence
    assert overfit_invisible_in_training_verdict({"a": None})[0] == PENDING


def test_87_percent_rule_needs_every_seed():
    assert relu_accuracy_verdict([0.88, 0.89], "test accuracy", [])[0] == REPRODUCED
    assert relu_accuracy_verdict([0.88, 0.869], "test accuracy", [])[0] == NOT_REPRODUCED
    assert relu_accuracy_verdict([0.88], "test accuracy", ["relu-seed1"])[0] == PENDING


# --- the full-scale lockstep run beside relu-seed0 (lockstep.py) ----------------------------------------


def write_history(path, settings, histories, results):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"settings": settings, "histories": histories, "results": results}))


def curves(train_loss, val_loss, accuracy):
    return {"train_loss": train_loss, "val_loss": val_loss, "train_accuracy": accuracy,
            "val_accuracy": accuracy, "seconds": [1.0] * len(train_loss), "lr": [0.01] * len(train_loss)}


SETTINGS = {"sizes": [784, 600, 400, 10], "activation": "relu", "seed": 0, "epochs": 3, "batch_size": 500,
            "optimizer": "momentum", "lr": 0.01, "beta": 0.8, "schedule": "constant", "dtype": "float32",
            "validation": 5000, "train_limit": None, "full_train_eval": True}


def lockstep_folder(tmp_path, **changed):
    """A results folder with a made-up relu-seed0 run and a made-up lockstep run of both engines."""
    write_history(tmp_path / "runs" / "relu-seed0" / "history.json", {**SETTINGS, "engine": "report"},
                  {"report": curves([0.9, 0.5, 0.41], [0.95, 0.6, 0.52], [0.7, 0.8, 0.85])},
                  {"report": {"test_loss": 0.5123, "test_accuracy": 0.8421}})
    write_history(tmp_path / LOCKSTEP, {**SETTINGS, "engine": "both", **changed},
                  {"autograd": curves([0.9, 0.5, 0.42], [0.95, 0.6, 0.53], [0.7, 0.8, 0.84]),
                   "report": curves([0.9, 0.5, 0.43], [0.95, 0.6, 0.54], [0.7, 0.8, 0.83]),
                   "max_weight_difference": [1e-7, 4e-7, 2.5e-6]},
                  {"autograd": {"test_loss": 0.5234, "test_accuracy": 0.8345},
                   "report": {"test_loss": 0.5345, "test_accuracy": 0.8356}, "max_weight_difference": 2.5e-6})
    return tmp_path


def test_summary_shows_the_lockstep_run_beside_relu_seed0(tmp_path):
    results = lockstep_folder(tmp_path / "results")
    run_script("--summarize-only", "--results", str(results), "--lessons-page", str(tmp_path / "page.md"))
    summary = (results / "summary.md").read_text()
    rows = [r"lockstep: autograd engine .* \| 3 \| 0\.4200 \| 0\.5300 \| 0\.5234 \| 0\.8345",
            r"relu-seed0: .* \| 3 \| 0\.4100 \| 0\.5200 \| 0\.5123 \| 0\.8421",
            r"lockstep: report's δ-recursion \| 3 \| .* \| 0\.5345 \| 0\.8356"]
    for row in rows:  # each engine's own numbers in its own row
        assert re.search(rf"^\| {row} \|$", summary, re.M), row
    assert "after training: 2.5e-06" in summary and "minus relu-seed0's: -0.0076" in summary
    assert (results / "figures" / "lockstep.png").read_bytes()[:8] == PNG
    assert "lockstep.png" in (tmp_path / "page.md").read_text()


def test_an_absent_lockstep_run_is_said_plainly_and_a_wrong_one_is_refused(tmp_path):
    assert load_lockstep(tmp_path) is None
    assert lockstep_text(None, None, None, "results/x.json").startswith("Not shown yet: `results/x.json`")
    with pytest.raises(ValueError, match="not the same experiment as relu-seed0: seed: 1 here, 0"):
        load_lockstep(lockstep_folder(tmp_path / "other-seed", seed=1))
    half_done = lockstep_folder(tmp_path / "unfinished")
    record = json.loads((half_done / LOCKSTEP).read_text())
    del record["results"]["autograd"]
    (half_done / LOCKSTEP).write_text(json.dumps(record))
    with pytest.raises(ValueError, match="not a finished lockstep run of both engines; missing results.a"):
        load_lockstep(half_done)


def test_the_recipe_table_reads_each_runs_recorded_settings(tmp_path):
    runs = plan(FULL, (0, 1))
    for name, lr in (("relu-seed0", 0.01), ("tanh-seed1", 0.02)):
        write_history(tmp_path / "runs" / name / "history.json",
                      {**SETTINGS, "epochs": 500, "lr": lr, "activation": name.split("-")[0]}, {}, {})
    table = recipe_table(tmp_path, runs)
    assert "| §2.4 | epochs | 500 | 2 | 500 | yes |" in table
    assert "| §2.4 | learning rate η | 0.01 | 2 | 0.01, 0.02 | no |" in table  # one run strayed
    assert "| §1.2 | training images: all 55000 others | all (no limit) | 2 | all (no limit) | yes |" in table
    assert "| the run's own | 2 | relu, tanh | yes |" in table  # §3.2: each run's activation is its name's
