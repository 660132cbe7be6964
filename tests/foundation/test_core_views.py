"""The view helpers every domain shares: integer arguments never turn bad input into a server error."""

import pytest

from crm.core.views import MAX_ID, parse_id


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("7", 7), (" 12 ", 12), ("0", 0), (str(MAX_ID), MAX_ID), (str(MAX_ID + 1), None), ("9" * 40, None),
     ("-3", None), ("+3", None), ("3.5", None), ("abc", None), ("²", None), ("", None), (None, None)],
)
def test_parse_id(raw, expected):
    assert parse_id(raw) == expected


@pytest.mark.parametrize(
    "url",
    ["/interactions?campaign=99999999999999999999999&legislator=%C2%B2", "/tasks?assignee=1e9&campaign=-1",
     "/audit?actor=99999999999999999999999", "/campaigns/1/targets?owner_user=99999999999999999999"],
)
def test_huge_or_odd_numbers_in_the_query_string_are_not_a_server_error(client, login_as, make_user, url):
    login_as(make_user("admin"))
    assert client.get(url).status_code < 500
