"""Benchmarks, baselines and training scripts; run from the repository root."""
