"""Every command-line path is checked before use: an empty one (Path("") is ".") is refused, and a
folder that cannot be created gives a one-line error, not a traceback."""

import pytest

from tinygrad_edu.course.__main__ import main as course_main
from tinygrad_edu.data.__main__ import main as data_main


@pytest.mark.parametrize("main, argv", [
    (course_main, ["init", ""]),
    (course_main, ["check", "--dir", ""]),
    (data_main, ["verify", "--dir", ""]),
    (data_main, ["download", "--dir", ""]),
])
def test_an_empty_path_is_refused_before_anything_is_written(main, argv, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2
    assert "is empty: name a file or folder" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_init_names_a_folder_it_cannot_create(tmp_path, capsys):
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    assert course_main(["init", str(blocker / "workspace")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"init: cannot write the workspace in {blocker / 'workspace'}")
    assert "Traceback" not in err
