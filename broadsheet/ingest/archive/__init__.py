"""Whole-site archives: dumpsite and loadsite."""
