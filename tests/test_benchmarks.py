"""The benchmark runs end to end in its quick mode (speed targets live in the benchmark, not here)."""

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench.py"


def test_quick_benchmark_prints_and_writes_every_row(tmp_path):
    out = tmp_path / "bench.json"
    result = subprocess.run([sys.executable, str(BENCH), "--quick", "--json", str(out)],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    record = json.loads(out.read_text())
    rows = record["rows"]
    contenders = {(row["benchmark"].split(",")[0], row["contender"]) for row in rows}
    for name in ("matmul floor", "numpy by hand", "autograd", "report", "pytorch"):  # CI installs torch
        assert ("training step", name) in contenders
    steps = [row for row in rows if row["benchmark"].startswith("training step")]
    assert len(steps) == 10
    assert all(row["median_ms"] > 0 and row["ratio_to_matmul_floor"] > 0 for row in steps)
    assert {row["ratio_to_matmul_floor"] for row in steps if row["contender"] == "matmul floor"} == {1.0}
    for row in steps:  # the engines' steps are split into forward, backward and update; the others are not
        phases = [row.get(key) for key in ("forward_ms", "backward_ms", "update_ms")]
        if row["contender"] in ("autograd", "report", "pytorch"):
            assert all(phase > 0 for phase in phases), row
            assert 0.5 < sum(phases) / row["median_ms"] < 1.5, row  # medians of parts ≈ the median step
        else:
            assert phases == [None] * 3, row
    scalar = [row for row in rows if "speedup_vs_baseline" in row]
    assert {row["contender"] for row in scalar} == {"closure baseline", "Value"}
    assert any("RecursionError" in row.get("baseline", "") for row in rows)
    assert any(row.get("test_accuracy", 0) > 0 for row in rows)
    cnn = {row["contender"]: row for row in rows if row["benchmark"].startswith("CNN step")}
    assert set(cnn) == {"gemm floor", "autograd", "pytorch"}
    assert cnn["gemm floor"]["ratio_to_gemm_floor"] == 1.0 and cnn["autograd"]["ratio_to_pytorch"] > 0
    assert record["machine"]["cpus"] >= 1
    assert "| training step, float32, batch 500 | autograd |" in result.stdout


def test_an_unwritable_json_path_is_refused_before_any_measuring(tmp_path):
    target = tmp_path / "missing-folder" / "bench.json"
    result = subprocess.run([sys.executable, str(BENCH), "--quick", "--json", str(target)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert f"--json {target}: {target.parent} is not a folder this user can write to" in result.stderr
    assert "training step" not in result.stdout and not target.parent.exists()


def test_quick_cnn_benchmark_times_every_contender_alone(tmp_path):
    out = tmp_path / "cnn.json"
    script = BENCH.parent / "bench_cnn.py"
    result = subprocess.run([sys.executable, str(script), "--quick", "--json", str(out)],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    rows = {row["contender"]: row for row in json.loads(out.read_text())}
    assert set(rows) == {"gemm floor", "autograd", "pytorch"}  # CI installs torch
    assert all(row["median_ms"] > 0 and row["benchmark"].startswith("CNN step") for row in rows.values())
    assert rows["gemm floor"]["ratio_to_gemm_floor"] == 1.0 and rows["pytorch"]["ratio_to_pytorch"] == 1.0
    for name in ("autograd", "pytorch"):  # the engines' steps split into forward, backward and update
        assert all(rows[name][phase] > 0 for phase in ("forward_ms", "backward_ms", "update_ms")), rows[name]
    assert abs(rows["autograd"]["first_loss"] - rows["pytorch"]["first_loss"]) < 1e-4  # the same network
    assert "| autograd |" in result.stdout
