"""Building what ships: the student bundle and the grading server's package."""
