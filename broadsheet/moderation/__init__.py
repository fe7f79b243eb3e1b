"""The referee: judges Submissions and returns Verdicts. Knows nothing of articles."""
