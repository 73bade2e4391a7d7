"""Waiting in tests without sleeping blind: poll a condition until a deadline."""

import time
from collections.abc import Callable


def wait_until(condition: Callable[[], object], seconds: float, *, step: float = 0.2):
    """The condition's first truthy answer; AssertionError if none came within `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        answer = condition()
        if answer:
            return answer
        if time.monotonic() > deadline:
            raise AssertionError(f"not true within {seconds} s: {condition}")
        time.sleep(step)
