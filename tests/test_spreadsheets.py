import pytest

from sli_portal.spreadsheets import FORMULA_TRIGGERS, neutralise_formula


@pytest.mark.parametrize("trigger", FORMULA_TRIGGERS)
def test_every_formula_trigger_is_neutralised(trigger):
    assert (
        neutralise_formula(f'{trigger}HYPERLINK("http://x")') == f'\'{trigger}HYPERLINK("http://x")'
    )


def test_plain_text_and_numbers_pass_untouched():
    assert neutralise_formula("Bristol, City of") == "Bristol, City of"
    assert neutralise_formula(-2.5) == -2.5
    assert neutralise_formula(None) is None


def test_every_export_uses_the_one_guard():
    from benchmarking.domain import exports as report_exports
    from events import exports as event_exports
    from peer_challenge import exports as peer_exports
    from regions import exports as plan_exports

    guards = {
        plan_exports.safe_cell,
        event_exports.neutralise,
        peer_exports.neutralise,
        report_exports.neutralise,
    }
    assert guards == {neutralise_formula}


def test_return_template_keeps_negative_numbers_as_numbers():
    from benchmarking.exports import _safe

    assert _safe("-3.5") == "-3.5"
    assert _safe("\n=1+1") == "'\n=1+1"
