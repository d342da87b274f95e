"""Papers attached to an event: uploads checked, downloads for the region."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from events.services import documents as documents_services
from sli_portal.access import SYSTEM

pytestmark = pytest.mark.django_db


class TestDocuments:
    @pytest.fixture(autouse=True)
    def _media(self, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path

    def test_organiser_uploads_and_region_downloads(self, world, summit, dcs, client_for):
        document = documents_services.document_add(
            actor=SYSTEM,
            event=summit,
            title="Agenda",
            upload=SimpleUploadedFile("agenda.pdf", b"%PDF-1.7 agenda"),
        )
        response = client_for(dcs).get(reverse("events:document_download", args=[document.pk]))
        assert b"".join(response.streaming_content) == b"%PDF-1.7 agenda"

    @pytest.mark.parametrize(
        ("name", "content", "message"),
        [
            ("run.exe", b"MZ", "not a file type the portal keeps"),
            ("slides.pdf", b"PK\x03\x04", "not really a .pdf file"),
            ("empty.txt", b"", "is empty"),
            ("data.csv", b"\xff\xfe\x00\x00binary\x00" * 10, "not a text file"),
        ],
    )
    def test_wrong_files_are_refused_naming_the_file(self, world, summit, name, content, message):
        with pytest.raises(ValidationError, match=message):
            documents_services.document_add(
                actor=SYSTEM, event=summit, title="", upload=SimpleUploadedFile(name, content)
            )
        assert not summit.documents.exists()

    def test_huge_file_is_refused_with_its_size(self, world, summit, settings):
        settings.EVENTS_DOCUMENT_MAX_BYTES = 1024
        with pytest.raises(ValidationError, match="the limit is"):
            documents_services.document_add(
                actor=SYSTEM,
                event=summit,
                title="",
                upload=SimpleUploadedFile("big.txt", b"a" * 2048),
            )

    def test_upload_page_answers_400_naming_the_problem(
        self, world, programme_manager, summit, client_for
    ):
        response = client_for(programme_manager).post(
            reverse("events:document_add", args=[summit.pk]),
            {"title": "", "upload": SimpleUploadedFile("virus.exe", b"MZ")},
        )
        assert response.status_code == 400
        assert "“virus.exe” is not a file type the portal keeps" in response.content.decode()
