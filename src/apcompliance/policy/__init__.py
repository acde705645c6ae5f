"""The policy itself: its text as a clause index (`document`) and the interpretation switches
where its words admit two readings (`settings`)."""
