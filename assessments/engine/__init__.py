"""Pure rule engines: plain data in, plain results with a plain-English trace out. No database, no I/O
other than reading the versioned rule files in assessments/rules/ (done once, at start-up)."""
