"""One text validator for every field: type, required, length, one line, the same messages."""
import pytest

from commsdesk.errors import ValidationError
from commsdesk.validation import text_field


def refused(value, **options):
    with pytest.raises(ValidationError) as error:
        text_field(value, 5, "Name", "name", **options)
    assert error.value.details == {"field": "name"}
    return error.value.message


def test_messages_name_the_field():
    assert refused(5) == "Name must be text."
    assert refused(["a"]) == "Name must be text."
    assert refused("  ", required=True) == "Name is required."
    assert refused(None, required=True) == "Name is required."
    assert refused("abcdef") == "Name is too long (at most 5 characters)."


def test_normalises_text():
    assert text_field(None, 5, "Name", "name") == ""
    assert text_field(" a\r\nb ", 5, "Name", "name") == "a\nb"
    assert text_field(" a\r\nb ", 5, "Name", "name", strip=False) == " a\nb "
    assert text_field(" a \n\t b ", 5, "Name", "name", single_line=True) == "a b"
    assert text_field("a\x00b", 5, "Name", "name") == "ab"


def test_limit_counts_the_cleaned_text():
    assert text_field("  abcde  ", 5, "Name", "name") == "abcde"
    assert text_field("a    b", 3, "Name", "name", single_line=True) == "a b"
