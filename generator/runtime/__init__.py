"""Process plumbing shared by the stages: forked workers and garbage-collector control."""
