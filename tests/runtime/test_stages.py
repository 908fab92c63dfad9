"""The stage hook: start and end around each stage, nothing when no one listens, errors passed on."""

import pytest

from discourse._runtime.stages import combined, reported, stage_reporter


def test_a_reporter_calls_the_hook_as_a_stage_starts_and_ends():
    seen = []
    report = stage_reporter(lambda stage, event: seen.append((stage, event)))
    with report("outer"):
        with report("inner"):
            seen.append("work")
    assert seen == [("outer", "start"), ("inner", "start"), "work", ("inner", "end"), ("outer", "end")]


def test_a_stage_that_raises_gets_no_end_and_the_error_goes_on():
    seen = []
    report = stage_reporter(lambda stage, event: seen.append((stage, event)))
    with pytest.raises(KeyError):
        with report("build_graph"):
            raise KeyError("x")
    assert seen == [("build_graph", "start")]


def test_without_a_hook_stages_cost_nothing_and_functions_stay_themselves():
    def find(x):
        return x + 1

    with stage_reporter(None)("anything"):
        pass
    assert reported(find, "find", None) is find
    assert combined(None, None) is None


def test_a_reported_function_keeps_its_name_and_result():
    seen = []

    def find_topics(x, *, y):
        seen.append("run")
        return x + y

    wrapped = reported(find_topics, "find_topics", lambda stage, event: seen.append(event))
    assert wrapped(1, y=2) == 3 and wrapped.__name__ == "find_topics"
    assert seen == ["start", "run", "end"]


def test_combined_hooks_are_called_in_turn():
    seen = []
    first = lambda stage, event: seen.append(("first", stage, event))  # noqa: E731
    second = lambda stage, event: seen.append(("second", stage, event))  # noqa: E731
    assert combined(None, first) is first
    combined(first, None, second)("x", "start")
    assert seen == [("first", "x", "start"), ("second", "x", "start")]
