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


def test_a_time_the_clocks_skip_is_refused_and_a_repeated_one_is_summer_time(app):
    from zoneinfo import ZoneInfo

    from commsdesk.times import parse_datetime

    stockholm = ZoneInfo("Europe/Stockholm")
    with pytest.raises(ValidationError) as caught:
        parse_datetime("2027-03-28T02:30", stockholm, field="at")
    assert "does not exist" in caught.value.message and caught.value.details["field"] == "at"
    # 2027-10-31 02:30 happens twice: the first, summer-time one (UTC+2) is meant.
    assert parse_datetime("2027-10-31T02:30", stockholm).isoformat() == \
        "2027-10-31T00:30:00+00:00"
    assert parse_datetime("2027-03-28T03:30", stockholm).isoformat() == \
        "2027-03-28T01:30:00+00:00"
