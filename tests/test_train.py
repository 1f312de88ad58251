"""The lockstep training loop: same batches, same weights, resumable, early stopping."""

import json
import math

import numpy as np
import pytest

from tinygrad_edu.train import (
    AutogradLearner,
    Checkpoint,
    CheckpointError,
    ReportLearner,
    SettingsMismatch,
    TrainingDiverged,
    fit,
    learning_rate,
    max_weight_difference,
)
from tinygrad_edu.train.runfiles import read_npz

SIZES = [12, 8, 3]


def three_blobs(n_features, n_train, n_validation):
    """A learnable 3-class problem in float64: (x_train, labels_train, x_val, labels_val)."""
    rng = np.random.default_rng(0)
    n = n_train + n_validation
    centers = rng.normal(scale=3.0, size=(3, n_features))
    labels = rng.integers(0, 3, size=n)
    x = centers[labels] + rng.normal(size=(n, n_features))
    return x[:n_train], labels[:n_train], x[n_train:], labels[n_train:]


@pytest.fixture(scope="module")
def blobs():
    """600 training, 150 validation points."""
    return three_blobs(SIZES[0], 600, 150)


def make_learners(optimizer="momentum", dtype="float64"):
    autograd = AutogradLearner(SIZES, "relu", optimizer, 0.8, dtype, seed=0)
    report = ReportLearner(SIZES, "relu", optimizer, 0.8, dtype, seed=0)
    report.set_weights(autograd.get_weights())
    return [autograd, report]


def quiet(_line):
    pass


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_lockstep_learners_keep_equal_weights_in_float64(blobs, optimizer):
    learners = make_learners(optimizer)
    histories = fit(learners, *blobs, epochs=3, batch_size=50, lr=0.05, log=quiet)
    assert max(histories["max_weight_difference"]) < 1e-12
    np.testing.assert_allclose(histories["autograd"]["val_loss"], histories["report"]["val_loss"], rtol=1e-10)


def test_training_learns_the_blobs(blobs):
    learners = make_learners()
    histories = fit(learners, *blobs, epochs=10, batch_size=50, lr=0.5, log=quiet)
    for learner in learners:
        assert histories[learner.name]["val_accuracy"][-1] > 0.95
        assert histories[learner.name]["train_loss"][-1] < histories[learner.name]["train_loss"][0] / 3


def test_full_train_eval_matches_a_separate_evaluation(blobs):
    x_train, y_train, x_val, y_val = blobs
    learners = make_learners()
    histories = fit(learners, *blobs, epochs=2, batch_size=50, lr=0.1, full_train_eval=True, log=quiet)
    for learner in learners:
        loss, accuracy = learner.evaluate(x_train, y_train)
        assert histories[learner.name]["train_loss"][-1] == pytest.approx(loss)
        assert histories[learner.name]["train_accuracy"][-1] == pytest.approx(accuracy)


class Interrupted(Exception):
    pass


@pytest.mark.parametrize("optimizer", ["momentum", "adam"])
def test_a_resumed_run_ends_exactly_where_an_uninterrupted_one_does(blobs, tmp_path, optimizer):
    settings = dict(epochs=4, batch_size=50, lr=0.05, schedule="cosine", patience=10)
    uninterrupted = make_learners(optimizer)
    expected = fit(uninterrupted, *blobs, **settings, log=quiet)

    def interrupt_after_epoch_2(line):
        if line.startswith("epoch   3"):
            raise Interrupted

    checkpoint = Checkpoint(tmp_path / "run")
    with pytest.raises(Interrupted):
        fit(make_learners(optimizer), *blobs, **settings, checkpoint=checkpoint, log=interrupt_after_epoch_2)
    resumed_learners = make_learners(optimizer)
    lines = []
    resumed = fit(resumed_learners, *blobs, **settings, checkpoint=checkpoint, log=lines.append)
    assert lines[0].startswith("resuming") and "after epoch 2" in lines[0]
    assert resumed["autograd"]["val_loss"] == expected["autograd"]["val_loss"]
    for a, b in zip(uninterrupted, resumed_learners):
        assert max_weight_difference(a, b) == 0.0


def test_a_checkpoint_for_other_learners_is_refused(blobs, tmp_path):
    checkpoint = Checkpoint(tmp_path / "run")
    fit(make_learners(), *blobs, epochs=1, batch_size=50, lr=0.05, checkpoint=checkpoint, log=quiet)
    only_report = [ReportLearner(SIZES, "relu", "momentum", 0.8, "float64", seed=0)]
    with pytest.raises(SettingsMismatch, match=r"learners: \['autograd', 'report'\] saved, \['report'\] now"):
        fit(only_report, *blobs, epochs=2, batch_size=50, lr=0.05, checkpoint=checkpoint, log=quiet)


def test_a_refused_checkpoint_of_other_learners_leaves_the_weights_untouched(blobs, tmp_path):
    checkpoint = Checkpoint(tmp_path / "run")
    fit(make_learners(), *blobs, epochs=1, batch_size=50, lr=0.05, checkpoint=checkpoint, log=quiet)
    only_report = ReportLearner(SIZES, "relu", "momentum", 0.8, "float64", seed=5)
    before = only_report.get_weights()
    with pytest.raises(SettingsMismatch):
        fit([only_report], *blobs, epochs=2, batch_size=50, lr=0.05, checkpoint=checkpoint, log=quiet)
    for (w0, b0), (w1, b1) in zip(before, only_report.get_weights()):
        np.testing.assert_array_equal(w0, w1)
        np.testing.assert_array_equal(b0, b1)


def report_state(sizes=SIZES, optimizer="momentum"):
    return ReportLearner(sizes, "relu", optimizer, 0.8, "float64", seed=1).state_arrays()


@pytest.mark.parametrize(
    "state, error, message",
    [
        (report_state([12, 9, 3]), ValueError, r"'params/W1' has shape \(9, 12\), here \(8, 12\)"),
        (report_state([12, 8, 8, 3]), KeyError, r"unexpected \['params/W3'"),
        ({**report_state(), "params/b1": np.zeros((1, 1))}, ValueError, r"'params/b1' has shape \(1, 1\)"),
        ({**report_state(), "velocity/W2": np.zeros((3, 8), int)}, TypeError, "int64 values, not floats"),
        (report_state(optimizer="adam"), KeyError, "Adam state .* no Adam here"),
        (AutogradLearner(SIZES, "relu", "momentum", 0.8, "float64", 1).state_arrays(), KeyError, "missing"),
    ],
    ids=["other sizes", "other depth", "a bias that would broadcast", "integers", "adam state", "autograd's"],
)
def test_report_learner_refuses_state_of_another_learner_and_changes_nothing(state, error, message):
    learner = ReportLearner(SIZES, "relu", "momentum", 0.8, "float64", seed=0)
    before = {key: array.copy() for key, array in learner.state_arrays().items()}
    with pytest.raises(error, match=message):
        learner.load_state_arrays(state)
    for key, array in learner.state_arrays().items():
        np.testing.assert_array_equal(array, before[key])


def test_a_resume_with_other_settings_names_every_difference(blobs, tmp_path):
    checkpoint = Checkpoint(tmp_path / "run", settings={"validation": 150})
    fit(make_learners(), *blobs, epochs=2, batch_size=50, lr=0.05, seed=0, checkpoint=checkpoint, log=quiet)
    other = [AutogradLearner([12, 5, 3], "relu", "adam", 0.8, "float32", seed=0),
             ReportLearner([12, 5, 3], "relu", "adam", 0.8, "float32", seed=0)]
    with pytest.raises(SettingsMismatch) as error:
        fit(other, *blobs, epochs=2, batch_size=60, lr=0.1, seed=1, log=quiet,
            checkpoint=Checkpoint(tmp_path / "run", settings={"validation": 100}))
    differences = {name: (saved, now) for name, saved, now in error.value.differences}
    assert differences == {"sizes": ([12, 8, 3], [12, 5, 3]), "optimizer": ("momentum", "adam"),
                           "dtype": ("float64", "float32"), "batch_size": (50, 60), "lr": (0.05, 0.1),
                           "seed": (0, 1), "validation": (150, 100)}
    assert "delete" in str(error.value)


def test_epochs_may_grow_on_a_constant_schedule_and_nothing_else(blobs, tmp_path):
    settings = dict(batch_size=50, lr=0.05, log=quiet)
    expected = fit(make_learners(), *blobs, epochs=3, **settings)
    fit(make_learners(), *blobs, epochs=2, **settings, checkpoint=Checkpoint(tmp_path / "run"))
    extended = fit(make_learners(), *blobs, epochs=3, **settings, checkpoint=Checkpoint(tmp_path / "run"))
    assert extended["autograd"]["val_loss"] == expected["autograd"]["val_loss"]  # 2 + 1 epochs = 3 epochs
    with pytest.raises(SettingsMismatch, match="epochs: 3 saved, 2 now"):  # the checkpoint is past epoch 2
        fit(make_learners(), *blobs, epochs=2, **settings, checkpoint=Checkpoint(tmp_path / "run"))
    fit(make_learners(), *blobs, epochs=2, schedule="cosine", **settings,
        checkpoint=Checkpoint(tmp_path / "cos"))
    with pytest.raises(SettingsMismatch, match="epochs: 2 saved, 3 now"):  # cosine: every later lr would move
        fit(make_learners(), *blobs, epochs=3, schedule="cosine", **settings,
            checkpoint=Checkpoint(tmp_path / "cos"))


@pytest.mark.parametrize("damage", ["truncate", "text", "no record"])
def test_a_damaged_checkpoint_is_refused_naming_the_file(blobs, tmp_path, damage):
    checkpoint = Checkpoint(tmp_path / "run")
    fit(make_learners(), *blobs, epochs=1, batch_size=50, lr=0.05, checkpoint=checkpoint, log=quiet)
    if damage == "truncate":
        checkpoint.path.write_bytes(checkpoint.path.read_bytes()[:-100])
    elif damage == "text":
        checkpoint.path.write_text("not a checkpoint")
    else:
        np.savez(checkpoint.path, x=np.zeros(3))
    with pytest.raises(CheckpointError, match="delete") as error:
        fit(make_learners(), *blobs, epochs=2, batch_size=50, lr=0.05, checkpoint=checkpoint, log=quiet)
    assert str(checkpoint.path) in str(error.value)


def old_format(new_path, folder):
    """The two files an earlier version would have written for the same state: folder/run.{npz,json}."""
    arrays = read_npz(new_path)
    record = json.loads(str(arrays.pop(Checkpoint.RECORD)[()]))
    record.pop("settings")
    folder.mkdir(exist_ok=True)
    np.savez(folder / "run.npz", **arrays)
    (folder / "run.json").write_text(json.dumps(record))
    return folder / "run"


def test_an_old_two_file_checkpoint_resumes_only_if_its_halves_belong_together(blobs, tmp_path):
    settings = dict(epochs=3, batch_size=50, lr=0.05, log=quiet)
    expected = fit(make_learners(), *blobs, **settings)
    for epochs in (1, 2):
        fit(make_learners(), *blobs, **{**settings, "epochs": epochs},
            checkpoint=Checkpoint(tmp_path / f"epoch{epochs}" / "run"))
    whole = old_format(tmp_path / "epoch1" / "run.npz", tmp_path / "whole")
    lines = []
    resumed = fit(make_learners(), *blobs, **{**settings, "log": lines.append}, checkpoint=Checkpoint(whole))
    assert resumed["autograd"]["val_loss"] == expected["autograd"]["val_loss"]
    assert "old-format checkpoint" in lines[0] and "after epoch 1" in lines[1]
    assert not whole.with_suffix(".json").exists()  # saved in the new format since
    # A kill between an old save's two renames: epoch 2's arrays beside epoch 1's record.
    mixed = old_format(tmp_path / "epoch1" / "run.npz", tmp_path / "mixed")
    (tmp_path / "mixed" / "run.npz").unlink()
    arrays = read_npz(tmp_path / "epoch2" / "run.npz")
    arrays.pop(Checkpoint.RECORD)
    np.savez(tmp_path / "mixed" / "run.npz", **arrays)
    with pytest.raises(CheckpointError, match="do not belong together"):
        fit(make_learners(), *blobs, **settings, checkpoint=Checkpoint(mixed))


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # overflow on the way to inf: the point
@pytest.mark.parametrize("lr", [1e10, 1e300])
def test_a_non_finite_loss_stops_training_with_the_last_good_weights(blobs, lr):
    learners = make_learners("sgd")
    with pytest.raises(TrainingDiverged) as error:
        fit(learners, *blobs, epochs=5, batch_size=50, lr=lr, log=quiet)
    stop = error.value
    assert stop.last_good_epoch == stop.epoch - 1 and not math.isfinite(stop.loss)
    assert f"epoch {stop.epoch}, batch" in str(stop) and "smaller learning rate" in str(stop)
    assert len(stop.histories["autograd"]["val_loss"]) == stop.last_good_epoch
    reference = make_learners("sgd")  # the same run, stopped by hand at the last good epoch
    if stop.last_good_epoch:
        fit(reference, *blobs, epochs=5, batch_size=50, lr=lr, log=quiet,
            progress=lambda batches, epoch, total: batches if epoch <= stop.last_good_epoch else [])
    for learner, expected in zip(learners, reference):
        for (w, b), (w0, b0) in zip(learner.get_weights(), expected.get_weights()):
            assert np.isfinite(w).all() and np.isfinite(b).all()
            np.testing.assert_array_equal(w, w0)
            np.testing.assert_array_equal(b, b0)


def test_early_stopping_stops_and_restores_the_best_weights(blobs):
    learners = make_learners()
    lines = []
    # A learning rate this large makes the validation loss worsen after the first epochs.
    histories = fit(learners, *blobs, epochs=30, batch_size=50, lr=5.0, patience=2, log=lines.append)
    val_losses = histories["autograd"]["val_loss"]
    best_epoch = int(np.argmin(val_losses)) + 1
    assert len(val_losses) == best_epoch + 2 < 30
    assert any(line.startswith("early stopping") for line in lines)
    loss_now, _ = learners[0].evaluate(*blobs[2:])
    assert loss_now == pytest.approx(val_losses[best_epoch - 1])


def test_float32_lockstep_stays_float32_and_close(blobs):
    x_train, y_train, x_val, y_val = (a.astype(np.float32) if a.dtype.kind == "f" else a for a in blobs)
    learners = make_learners(dtype="float32")
    histories = fit(learners, x_train, y_train, x_val, y_val, epochs=2, batch_size=50, lr=0.05, log=quiet)
    assert all(w.dtype == np.float32 for learner in learners for pair in learner.get_weights() for w in pair)
    assert max(histories["max_weight_difference"]) < 1e-5


def test_cosine_schedule_starts_at_the_peak_and_ends_at_zero():
    assert learning_rate(0.3, 0, 100, "cosine") == 0.3
    assert learning_rate(0.3, 50, 100, "cosine") == pytest.approx(0.15)
    assert learning_rate(0.3, 100, 100, "cosine") == pytest.approx(0.0, abs=1e-15)
    assert learning_rate(0.3, 37, 100, "constant") == 0.3
    assert math.isclose(learning_rate(1.0, 25, 100, "cosine"), (1 + math.cos(math.pi / 4)) / 2)


def test_unknown_schedule_and_optimizer_are_named_in_the_error():
    with pytest.raises(ValueError, match="'linear'"):
        learning_rate(0.1, 0, 10, "linear")
    with pytest.raises(ValueError, match="'rmsprop'"):
        AutogradLearner(SIZES, "relu", "rmsprop", 0.8, "float64", seed=0)


def conv_learner(seed=0, dropout=False):
    """A ModuleLearner of a tiny CNN on (N, 1, 4, 3) images: SIZES[0] = 12 pixels, 3 classes."""
    from tinygrad_edu import nn, optim
    from tinygrad_edu.train import ModuleLearner

    rng = np.random.default_rng(seed)
    layers = [nn.Conv2d(1, 2, 3, padding=1, dtype="float64", rng=rng), nn.ReLU(), nn.Flatten()]
    layers += [nn.Dropout(0.5)] if dropout else []
    model = nn.Sequential(*layers, nn.Linear(24, 3, dtype="float64", rng=rng))
    return ModuleLearner(model, optim.SGD(model.parameters(), lr=0.1, momentum=0.9), {"model": "tiny cnn"})


def test_a_module_learner_trains_any_network_and_resumes_exactly(blobs, tmp_path):
    x_train, y_train, x_val, y_val = (a.reshape(-1, 1, 4, 3) if a.ndim == 2 else a for a in blobs)

    def run(learner, epochs, checkpoint=None):
        return fit([learner], x_train, y_train, x_val, y_val, epochs=epochs, batch_size=50, lr=0.1,
                   schedule="constant", log=lambda line: None, checkpoint=checkpoint)

    straight = conv_learner()
    plain = run(straight, 3)
    assert plain["autograd"]["val_accuracy"][-1] > 0.8
    run(conv_learner(), 2, Checkpoint(tmp_path / "run"))
    resumed = conv_learner(seed=5)  # other weights: the checkpoint replaces them, momentum too
    again = run(resumed, 3, Checkpoint(tmp_path / "run"))
    assert again["autograd"]["val_loss"] == plain["autograd"]["val_loss"]
    assert max_weight_difference(resumed, straight) == 0.0


def test_a_module_learner_evaluates_in_eval_mode_and_restores_the_mode(blobs):
    learner = conv_learner(dropout=True)
    x, y = blobs[2].reshape(-1, 1, 4, 3), blobs[3]
    assert learner.evaluate(x, y) == learner.evaluate(x, y)  # Dropout off: the same numbers twice
    assert learner.model.training


@pytest.mark.parametrize(
    ("model", "message"),
    [("not a module", "model must be an nn.Module"), ("no bias", "needs a weight and a bias")],
)
def test_a_module_learner_refuses_what_it_cannot_train(model, message):
    from tinygrad_edu import nn, optim
    from tinygrad_edu.train import ModuleLearner

    net = nn.Sequential(nn.Linear(3, 2, bias=False))
    with pytest.raises((TypeError, ValueError), match=message):
        ModuleLearner(net if model == "no bias" else model, optim.SGD(net.parameters(), lr=0.1), {})
