from .support import smtp  # noqa: F401 - fixture
