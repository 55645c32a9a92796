"""Thin, lazily loaded wrappers over the models factaudit runs (spaCy, ONNX)."""
