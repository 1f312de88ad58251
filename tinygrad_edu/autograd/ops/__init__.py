"""The Tensor ops, one family per module; `Tensor` inherits them all."""
