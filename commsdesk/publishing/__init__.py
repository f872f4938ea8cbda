"""Publishing: the outbox of publications and the worker side that sends them.

`outbox` writes rows (called by workflow when a text is published or scheduled); `sender`
claims and sends due rows (called by the worker); `actions` are what a person does with a
row (retry, cancel, confirm it went out)."""
