"""Instructor-side transformations: reference -> template, reference + bug -> mutant."""
