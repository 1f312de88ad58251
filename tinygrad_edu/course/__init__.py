"""Graded exercises: write the pieces of the engine yourself, and have them checked (issue 10).

    python -m tinygrad_edu.course list                     # every exercise and its lesson section
    python -m tinygrad_edu.course init my-engine           # a workspace of stub files to fill in
    python -m tinygrad_edu.course init --lang zh-TW my-engine   # the same, instructions in 繁體中文
    python -m tinygrad_edu.course check --dir my-engine    # grade all of it, or name exercises

Each exercise is graded on properties, with hypothesis and the library's own central
differences (`tinygrad_edu.gradcheck`, `tinygrad_edu.testing`), not by comparison with a
stored answer. Needs hypothesis: install the `course` extra.
"""
