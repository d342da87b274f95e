"""Time report builds on real data: one LA's datapack PDF and a whole region's pack.

Needs published data loaded (load_reference_data, load_indicators, import_published_data).
Run: DATABASE_URL=... .venv/bin/python manage.py shell < bench/report_build_times.py
"""

import time

from benchmarking.domain import exports
from benchmarking.models import Period
from benchmarking.selectors import reports as selectors
from regions.models import Region

region = Region.objects.get(name="South West")
period = Period.objects.filter(kind="year", returns__source="published").distinct().order_by("-end")
period = next(p for p in period if p.fiscal_year == 2024)


def timed(label, fn):
    start = time.perf_counter()
    result = fn()
    print(f"{label}: {time.perf_counter() - start:.2f} s")
    return result


def run(indicator_set: str) -> None:
    print(f"--- {region.name}, {period.label}, indicator set {indicator_set}")
    inputs = timed(
        "load inputs (all 153 LAs' published values, 5 years)",
        lambda: selectors.load_inputs(region, period, scope="region", indicator_set=indicator_set),
    )
    la = inputs.las[0]
    print(f"{len(inputs.las)} LAs x {len(inputs.indicators)} indicators")
    pack = timed(f"datapack data for {la.name}", lambda: selectors.datapack(inputs, la.key))
    pdf = timed(f"datapack PDF for {la.name}", lambda: exports.datapack_pdf(pack))
    print(f"  {pdf.pages} pages, {len(pdf.data) / 1024:.0f} KB")

    def whole():
        packs = [selectors.datapack(inputs, c.key) for c in inputs.las]
        return exports.region_pack_pdf(packs), packs

    region_pdf, packs = timed("whole-region pack as one PDF (data + render)", whole)
    print(f"  {region_pdf.pages} pages, {len(region_pdf.data) / 1024:.0f} KB")
    zipped = timed("whole-region ZIP of per-LA PDFs", lambda: exports.region_pack_zip(packs))
    print(f"  {len(zipped) / 1024:.0f} KB")
    rug = timed("rug data", lambda: selectors.rug(inputs))
    rug_pdf = timed("rug PDF", lambda: exports.rug_pdf(rug))
    print(f"  {rug_pdf.pages} page(s)")
    timed("rug XLSX", lambda: exports.rug_xlsx(rug))


for indicator_set in ("core", "all"):
    run(indicator_set)
