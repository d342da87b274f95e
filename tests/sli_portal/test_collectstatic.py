"""A deployment (DEBUG off) collects static files into WhiteNoise's manifest storage, which
refuses a stylesheet that names a file nobody shipped: it must succeed with what is vendored."""

from django.core.management import call_command
from django.test import override_settings

MANIFEST = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


def test_collectstatic_with_the_production_storage_succeeds(tmp_path):
    with override_settings(STORAGES=MANIFEST, STATIC_ROOT=tmp_path):
        call_command("collectstatic", interactive=False, verbosity=0)
    assert (tmp_path / "staticfiles.json").exists()
    css = list(tmp_path.rglob("govuk-frontend.min.*.css"))
    assert css, "the GOV.UK Frontend stylesheet was not collected under a hashed name"
