"""gridopt.keyvalue: the one key=value parser of the command line."""

import datetime

from gridopt.keyvalue import read_scalar, read_value, read_yaml_value, split_items, split_pair


def test_split_pair():
    assert split_pair(" time_limit = 600 ") == ("time_limit", "600")
    assert split_pair("a=b=c") == ("a", "b=c")
    assert split_pair("=1") == ("", "1")
    assert split_pair("a=") == ("a", "")
    assert split_pair("no_equals") is None


def test_split_items_keeps_brackets_together():
    assert split_items("a=1, b=[8,20],c=(1,2)") == ["a=1", "b=[8,20]", "c=(1,2)"]
    assert split_items("1,,[2,3]", brackets=False) == ["1", "", "[2", "3]"]


def test_read_scalar_and_value():
    assert read_scalar("200000") == 200000 and isinstance(read_scalar("7"), int)
    assert read_scalar("2e5") == 200000.0 and isinstance(read_scalar("2e5"), float)
    assert read_scalar("TRUE") is True and read_scalar("false") is False
    assert read_scalar(" ipm ") == "ipm"
    assert read_scalar("[8,20]") == "[8,20]"
    assert read_value("[8, 20]") == [8, 20]
    assert read_value("(1,[2,x],)") == [1, [2, "x"]]
    assert read_value("kW") == "kW"


def test_read_yaml_value():
    assert read_yaml_value("7e2") == 700.0
    assert read_yaml_value("-3") == -3
    assert read_yaml_value("null") is None
    assert read_yaml_value("dc") == "dc"
    assert read_yaml_value("true") is True
    assert read_yaml_value("2025-02-01") == datetime.date(2025, 2, 1)
    assert read_yaml_value("2025-13-01") == "2025-13-01"
