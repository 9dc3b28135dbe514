"""Running a lab's tests against a submission and turning outcomes into scores and feedback."""
