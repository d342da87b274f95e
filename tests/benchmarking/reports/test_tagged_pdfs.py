"""Report PDFs are tagged (PDF/UA-1): a structure tree, a title and a language (issue 14)."""

import io

from pypdf import PdfReader

from benchmarking.domain import exports
from tests.benchmarking.reports.test_exports import make_rug


def test_the_rug_pdf_is_tagged_titled_and_in_english():
    rug = make_rug(n_las=4, n_indicators=3)
    reader = PdfReader(io.BytesIO(exports.rug_pdf(rug).data))
    catalog = reader.trailer["/Root"]
    assert reader.metadata.title == f"{rug.title} \N{EN DASH} {rug.period}"
    assert catalog["/Lang"] == "en-GB"
    assert catalog["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in catalog
