"""Human-facing renderings of grading reports."""
