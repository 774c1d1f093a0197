import pytest

from handlers import callbacks
from handlers.callbacks import decode, encode, pattern


def test_encode_then_decode_round_trips_every_action():
    samples = {
        "a": (12, "4.1", "y"),
        "q": (12, "bonus"),
        "t": (12,),
        "g": (12,),
        "s": (12,),
        "sy": (12, 29000000),
        "sn": (12,),
        "e": (12, "V1"),
        "o": (12, "17"),
        "c": (5,),
        "el": (12, "1.1"),
        "ev": (7,),
        "er": (7,),
        "em": (7, "1.2"),
        "cy": (12, "4.1"),
        "ax:c": (3,),
        "ax:e": (3,),
        "nr": (17,),
        "ax:y": (3,),
        "ax:n": (3,),
        "v:s": (1,),
        "v:S": (2,),
        "v:c": (3, 1),
        "v:m": (0, 4),
        "v:chart": (),
        "v:y": (2025,),
        "v:exp": ("progress",),
        "v:miss": (),
        "v:ff": (12, 3, 2022),
        "v:sc": (12,),
        "r": ("progress-h1", "20211115", 7),
        "ru": ("c", "annual-evaluation", "20221120", 3),
        "rd": (7, 2),
        "rs": (42,),
        "iv": ("move", "Ab_-12345678", 2101),
        "rk": (2101, "all"),
        # review
        "rv:o": (12,),
        "rv:q": (12, "4.2", "g"),
        "rv:a": (12, 3, "4.2", "dk10.5", "a"),
        "rv:k": (12, 3, "4.2", "a"),
        "rv:m": (12, 3, "4.2"),
        "rv:f": (12, "4.2"),
        "rv:y": (12, 3),
        "rv:Y": (12, 3),
        "rv:n": (12, 3),
        "rv:w": (12, "4.2"),
        "rv:t": (12, "4.2", "g", 2),
        # spot checks and 公示
        "sp:o": (7,),
        "sp:q": (7, "4.2"),
        "sp:a": (7, "4.2", "dk10.5"),
        "sp:k": (7, "4.2"),
        "sp:m": (7, "4.2"),
        "sp:e": (7, "4.2"),
        "sp:f": (7, "4.2"),
        "sp:y": (7, "rectify"),
        "sp:w": (7,),
        "sp:n": (7,),
        "sp:x": (2026,),
        "pb:d": (12, 3),
        "pb:v": (12,),
        "pb:u": (4,),
        "pb:x": (4,),
    }
    assert set(samples) == set(callbacks.ACTIONS)
    for action, values in samples.items():
        op = decode(encode(action, *values))
        assert op is not None and op.action == action
        assert [v for v in op.fields.values() if v is not None] == [str(v) for v in values]


def test_decode_refuses_data_our_buttons_cannot_produce():
    for data in [
        "",
        "a:1",
        "a:1:1.1:z",
        "zz:1",
        "v:s:x",
        "a:１:1.1:y",
        "r:x:2021:1",
        "a:" + "1" * 70,
    ]:
        assert decode(data) is None, data


def test_optional_trailing_fields_decode_as_none():
    op = decode("t:9")
    assert op is not None and op.get("area") is None and op.int("aid") == 9
    assert decode("t:9:x") == callbacks.Op("t", {"aid": "9", "area": "x"})


def test_encode_refuses_values_outside_the_grammar():
    with pytest.raises(ValueError):
        encode("a", 1, "1.1", "Z")
    with pytest.raises(ValueError):
        encode("g")


def test_pattern_routes_only_its_actions():
    p = pattern("r", "rd")
    assert p.match("r:d-1:20210101:3") and p.match("rd:3")
    assert not p.match("a:1:1.1:y") and not p.match("rd:3:x")
