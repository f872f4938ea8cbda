"""Monitoring (omvärldsbevakning): sources (feeds and the municipality's meeting-document
pages) polled by the worker, items in a triage inbox, watch lists that match word forms
and tell the right people, and answers drafted from an item."""
