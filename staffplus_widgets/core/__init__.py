"""The bottom layer: errors, safe file I/O, timers and validators, with no project imports."""
