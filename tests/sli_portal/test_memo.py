"""The bounded process memo (sli_portal.memo): never grows past its bounds."""

from sli_portal.memo import ProcessMemo


def test_it_empties_when_full_and_refills_from_use():
    memo = ProcessMemo(max_items=2)
    memo.set("a", 1)
    memo.set("b", 2)
    assert (memo.get("a"), memo.get("b")) == (1, 2)
    memo.set("c", 3)
    assert (memo.get("a"), memo.get("b"), memo.get("c")) == (None, None, 3)


def test_it_keeps_at_most_its_size_and_never_a_value_bigger_than_that():
    memo = ProcessMemo(max_items=100, max_size=10)
    memo.set("big", "x" * 11)
    assert memo.get("big") is None
    memo.set("a", "x" * 6)
    memo.set("b", "x" * 6)  # 12 > 10: the memo is emptied first
    assert memo.get("a") is None and memo.get("b") == "x" * 6
    assert len(memo) == 1
