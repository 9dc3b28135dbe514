"""The trusted side of the process boundary: starting, limiting, talking to and killing workers."""
