"""Benchmarks (not tests): each module's main() measures something and writes bench/results/."""
