from __future__ import annotations

import pytest

from multiaug.core.errors import InvalidParameterError, InvalidParameterTypeError
from multiaug.core.params import check_choice, check_int, check_number, check_probability, to_int_range, to_range


def test_scalar_is_symmetric_range() -> None:
    assert to_range(15, "image.Rotate", "limit") == (-15.0, 15.0)
    assert to_range(0.2, "image.Affine", "scale", center=1.0) == (0.8, 1.2)


def test_pair_and_list_are_accepted() -> None:
    assert to_range((1, 2), "x.Y", "r") == (1.0, 2.0)
    assert to_range([1, 2], "x.Y", "r") == (1.0, 2.0)


def test_upper_and_fixed_modes() -> None:
    assert to_range(3, "x.Y", "r", low=0, scalar="upper") == (0.0, 3.0)
    assert to_range(3, "x.Y", "r", scalar="fixed") == (3.0, 3.0)


@pytest.mark.parametrize(
    ("value", "exc", "fragment"),
    [
        ((2, 1), InvalidParameterError, "low <= high"),
        ("15", InvalidParameterTypeError, "number or a (low, high) pair"),
        ((1, 2, 3), InvalidParameterTypeError, "pair"),
        (-1, InvalidParameterError, ">= 0"),
        ((0, 400), InvalidParameterError, "within [-360, 360]"),
        ((0, float("nan")), InvalidParameterError, "finite"),
    ],
)
def test_bad_ranges_name_owner_param_and_value(value, exc, fragment) -> None:
    with pytest.raises(exc) as info:
        to_range(value, "image.Rotate", "limit", low=-360, high=360)
    message = str(info.value)
    assert "image.Rotate" in message and "limit" in message and fragment in message
    assert info.value.param == "limit"


def test_probability_and_numbers() -> None:
    assert check_probability(0.5, "x.Y") == 0.5
    with pytest.raises(ValueError, match=r"p must be in \[0, 1\], got 1.5"):
        check_probability(1.5, "x.Y")
    with pytest.raises(TypeError):
        check_number(True, "x.Y", "v")
    assert check_int(3, "x.Y", "n", low=0) == 3
    with pytest.raises(TypeError):
        check_int(2.5, "x.Y", "n")
    with pytest.raises(ValueError, match="one of 'a', 'b'"):
        check_choice("c", "x.Y", "mode", ["a", "b"])


def test_int_ranges() -> None:
    assert to_int_range(2, "x.Y", "n") == (2, 2)
    assert to_int_range([1, 3], "x.Y", "n") == (1, 3)
    with pytest.raises(ValueError):
        to_int_range((3, 1), "x.Y", "n")
    with pytest.raises(TypeError):
        to_int_range((1.5, 2), "x.Y", "n")
    with pytest.raises(ValueError, match="within"):
        to_int_range((0, 5), "x.Y", "n", high=3)
