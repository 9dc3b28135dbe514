"""Writing grading results in the formats grading servers read."""
