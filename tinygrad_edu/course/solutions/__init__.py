"""Reference solutions, one module per lesson part; `init` turns them into the learner's stubs.

Each module is what a learner's workspace file looks like when every exercise is done: the stub
of an exercise is its function here with the body replaced by `raise NotImplementedError`, so
stubs and solutions cannot drift apart.
"""
