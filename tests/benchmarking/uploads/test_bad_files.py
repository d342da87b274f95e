"""Every bad file gets a 4xx with a message naming the problem, and changes nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from benchmarking import services
from benchmarking.domain import files
from benchmarking.models import Return, Upload, Value
from tests.benchmarking.badfiles import LARGE, corpus
from tests.benchmarking.factories import return_rows, to_csv

CORPUS_IDS = [
    case[0]
    for case in corpus(
        type("LA", (), {"gss_code": "E0", "name": "X"}),
        type("LA", (), {"gss_code": "E1", "name": "Y"}),
        type("P", (), {"label": "2026-27 Q1"}),
    )
]


def _snapshot():
    return (
        sorted(
            Value.objects.values_list(
                "return_obj_id",
                "indicator__code",
                "value",
                "numerator",
                "denominator",
                "suppression",
                "comment",
            )
        ),
        Value.history.count(),
        Return.objects.count(),
        Upload.objects.count(),
    )


def test_corpus_has_at_least_fifty_distinct_bad_files():
    assert len(CORPUS_IDS) >= 50
    assert len(set(CORPUS_IDS)) == len(CORPUS_IDS)


@pytest.mark.parametrize("case_id", CORPUS_IDS)
def test_bad_file_is_refused_with_its_message_and_nothing_changes(
    case_id, world, quarter, client_for, settings, monkeypatch
):
    if case_id not in LARGE:
        settings.BENCHMARKING_MAX_UPLOAD_BYTES = 50_000
    monkeypatch.setattr(files, "ZIP_MAX_RATIO", 200)
    la = world.home_la
    # An earlier, correct upload: the bad file must leave it exactly as it was.
    services.return_upload(
        actor=world.users["performance_lead"],
        period=quarter,
        file_name="first.csv",
        data=to_csv(return_rows(la, quarter, scale=1.0)),
        local_authority=la,
    )
    before = _snapshot()
    (_, name, data, message) = next(
        case for case in corpus(la, world.other_la, quarter) if case[0] == case_id
    )
    client = client_for(world.users["performance_lead"])
    url = reverse(
        "benchmarking:return_upload", kwargs={"la_slug": la.slug, "period_slug": quarter.slug}
    )
    response = client.post(url, {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 400
    text = response.content.decode()
    from html import unescape

    assert message in unescape(text), unescape(text)[unescape(text).find("problem") - 200 :][:1500]
    assert "The file was not saved" in text
    assert _snapshot() == before


def test_an_oversized_upload_is_cut_off_while_streaming_and_explained(
    world, quarter, client_for, settings
):
    settings.BENCHMARKING_MAX_UPLOAD_BYTES = 100_000
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10_000_000
    client = client_for(world.users["performance_lead"])
    url = reverse(
        "benchmarking:return_upload",
        kwargs={"la_slug": world.home_la.slug, "period_slug": quarter.slug},
    )
    response = client.post(url, {"file": SimpleUploadedFile("big.csv", b"a," * 400_000)})
    assert response.status_code == 400
    assert "The file is larger than the limit of 97 KB; nothing was saved." in (
        response.content.decode()
    )
    assert not Return.objects.exists()


def test_upload_without_a_csrf_token_is_refused(world, quarter):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["performance_lead"])
    url = reverse(
        "benchmarking:return_upload",
        kwargs={"la_slug": world.home_la.slug, "period_slug": quarter.slug},
    )
    data = to_csv(return_rows(world.home_la, quarter))
    response = client.post(url, {"file": SimpleUploadedFile("r.csv", data)})
    assert response.status_code == 403
    assert not Return.objects.exists()


def test_twenty_thousand_bad_rows_show_two_hundred_problems_and_the_rest_as_csv(
    world, quarter, client_for
):
    from tests.benchmarking.badfiles import BAD_ROWS, _set

    la = world.home_la
    good = return_rows(la, quarter)
    bad = _set(good, "REF_RATE", value="lots", numerator="some")[1]
    data = to_csv([good[0]] + [bad] * BAD_ROWS)
    client = client_for(world.users["performance_lead"])
    url = reverse(
        "benchmarking:return_upload", kwargs={"la_slug": la.slug, "period_slug": quarter.slug}
    )
    response = client.post(url, {"file": SimpleUploadedFile("r.csv", data)})
    assert response.status_code == 400
    text = response.content.decode()
    assert len(response.content) < 150_000  # 4.2 MB before
    assert f"The file was not saved: {2 * BAD_ROWS} problems to fix" in text
    assert text.count("<li>Row ") == 200
    assert f"{2 * BAD_ROWS - 200} more problems not shown" in text
    link = response.context["upload_issues_url"]
    csv_response = client.get(link)
    assert csv_response.status_code == 200
    lines = csv_response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "row,cell,column,problem"
    assert len(lines) == 1 + 2 * BAD_ROWS
    assert lines[1] == "2,K,value,'lots' is not a number."
    assert lines[-1] == f"{BAD_ROWS + 1},G,numerator,'some' is not a number."
    # Only the uploader gets the list.
    assert client_for(world.users["programme_manager"]).get(link).status_code == 404
    assert not Return.objects.exists()
    assert not Upload.objects.exists()
