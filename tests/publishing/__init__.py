"""Tests of the outbox, the worker and its clock, the WordPress channel and channel settings."""
