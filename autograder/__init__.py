"""dlgrade."""
