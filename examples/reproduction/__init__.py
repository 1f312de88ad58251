"""The pieces of examples/reproduce_report.py: one module per job, in the order they run."""
