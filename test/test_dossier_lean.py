"""Lean 体检表 (issue 17): the overview map drawn once, the location map in vectors, text searchable.

Sizes and path counts are read from the PDFs (no timings): a sheet of a big district must not
carry the district, and a combined PDF must grow with its sheets.
"""
import os
import re
import subprocess
import sys
import zlib

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dossier_fixture import make_district
from test_dossier_print import TITLE, pdf_text

BUDGET = 150 * 1024  # bytes per two-page sheet (issue 17)


def content_ops(path):
    """{operator: count} of path operators (m, l, c, re) in every page content stream of the PDF
    (Flate streams that are neither images nor fonts), as Qt's PDF writer writes them."""
    with open(path, "rb") as fh:
        data = fh.read()
    counts = {"m": 0, "l": 0, "c": 0, "re": 0}
    for match in re.finditer(rb"<<(.*?)>>\s*stream\r?\n", data, re.S):
        head = match.group(1)
        if b"/Image" in head or b"/Length1" in head or b"/FontFile" in head or b"/FlateDecode" not in head:
            continue
        start = match.end()
        end = data.index(b"endstream", start)
        try:
            text = zlib.decompressobj().decompress(data[start:end])
        except zlib.error:
            continue
        for op in counts:
            counts[op] += len(re.findall(rb"[\d.\-]+ " + op.encode() + rb"\n", text))
    return counts


def image_objects(path):
    """Object ids of the images placed on the PDF's pages (pdfimages -list), one row per placement."""
    out = subprocess.run(["pdfimages", "-list", path], stdout=subprocess.PIPE, text=True, check=True).stdout
    return [int(line.split()[10]) for line in out.splitlines()[2:] if line.strip()]


@pytest.fixture
def big_district(qgis_app):
    parcels, enterprises, clusters = make_district(1600, seed=5)
    yield parcels, enterprises, clusters


def _printer(parcels, enterprises, clusters, ids):
    from qgis.core import QgsFeatureRequest

    from landeval_plugin.core.dossiers.printer import DossierPrinter
    from landeval_plugin.core.dossiers.sheet_data import SheetData

    data = SheetData(parcels.getFeatures(QgsFeatureRequest().setFilterFids(ids)), parcels.fields(),
                             parcels.crs(), enterprises=enterprises, clusters=clusters)
    return data, DossierPrinter(data, neighbours=parcels)


def test_overview_is_one_image_stored_once_and_the_district_stays_out_of_the_sheets(big_district, tmp_path):
    from qgis.core import QgsLayoutItemPicture

    parcels, enterprises, clusters = big_district
    ids = sorted(parcels.allFeatureIds())[:12]
    data, printer = _printer(parcels, enterprises, clusters, ids)
    try:
        over = printer.layout.itemById("overview_map")
        picture = printer.overview_picture
        assert isinstance(picture, QgsLayoutItemPicture) and os.path.getsize(picture.picturePath()) > 0
        assert over.layers() == [] and over.keepLayerSet()  # the map item draws only frame and red box
        assert picture.sizeWithUnits().toQSizeF() == over.sizeWithUnits().toQSizeF()
        assert picture.positionWithUnits().toQPointF() == over.positionWithUnits().toQPointF()
        assert picture.zValue() < over.zValue()
        six, twelve = str(tmp_path / "six.pdf"), str(tmp_path / "twelve.pdf")
        written = printer.print_folder(str(tmp_path / "sheets"))
        printer.print_combined(twelve)
    finally:
        printer.close()
        data.close()
    data, printer = _printer(parcels, enterprises, clusters, ids[:6])
    try:
        printer.print_combined(six)
    finally:
        printer.close()
        data.close()
    assert len(written) == 12 and all(pages == 2 for _, _, pages in written)
    # each sheet: within the budget, the 1,600 parcels of the district are not drawn as vectors
    # (before: about five segments per parcel of the district on page 1 of every sheet)
    for _, path, _ in written:
        assert os.path.getsize(path) <= BUDGET, (path, os.path.getsize(path))
        ops = content_ops(path)
        assert ops["l"] < 2500, (path, ops)
        assert len(set(image_objects(path))) == 1
    # the combined PDF holds the overview once, placed on each sheet's first page
    placements = image_objects(twelve)
    assert len(placements) == 12 and len(set(placements)) == 1
    # and grows with the sheets: six more sheets add about what their own pages need
    per_sheet = (os.path.getsize(twelve) - os.path.getsize(six)) / 6.0
    assert per_sheet < 40 * 1024, per_sheet
    # Chinese text stays text: title, code and the overview's caption are searchable on page 1
    text = pdf_text(twelve, 1)
    first = min(parcels.getFeature(i)["parcel_code"] for i in ids)
    assert TITLE in text and first in text and "全区位置示意" in text


def test_overview_that_changes_per_sheet_is_left_as_it_is(qgis_app, tmp_path):
    from qgis.core import QgsLayoutItemMap, QgsPrintLayout, QgsProject

    from landeval_plugin.core.dossiers import lean

    layout = QgsPrintLayout(QgsProject.instance())
    layout.initializeDefaults()
    item = QgsLayoutItemMap(layout)
    item.setId("overview_map")
    layout.addLayoutItem(item)
    assert lean.can_freeze(item)
    item.setAtlasDriven(True)
    assert not lean.can_freeze(item)
    assert lean.freeze(layout, str(tmp_path)) is None
    assert os.listdir(tmp_path) == []
    item.setAtlasDriven(False)
    item.setMapRotation(15)
    assert not lean.can_freeze(item)
    assert not lean.can_freeze(None)


def test_reference_map_is_hidden_and_every_map_keeps_its_crs(big_district):
    from qgis.core import QgsCoordinateReferenceSystem, QgsLayoutItemMap, QgsLayoutSize, QgsPrintLayout, QgsProject

    from landeval_plugin.core.dossiers import lean

    parcels, enterprises, clusters = big_district
    data, printer = _printer(parcels, enterprises, clusters, sorted(parcels.allFeatureIds())[:2])
    try:
        ref = printer.layout.referenceMap()
        assert ref is printer.reference_map and ref.id() == "reference_map" and not ref.isVisible()
        for item_id in ("location_map", "overview_map"):
            assert printer.layout.itemById(item_id).crs().authid() == "EPSG:4549"
    finally:
        printer.close()
        data.close()
    # a map that follows the project CRS: nothing is changed
    project = QgsProject()
    project.setCrs(QgsCoordinateReferenceSystem("EPSG:4549"))
    layout = QgsPrintLayout(project)
    layout.initializeDefaults()
    follower = QgsLayoutItemMap(layout)
    layout.addLayoutItem(follower)
    follower.attemptResize(QgsLayoutSize(100, 80))
    assert lean.cheap_reference_map(layout, project) is None
    assert project.crs().authid() == "EPSG:4549" and layout.referenceMap() is follower
    assert [i for i in layout.items() if isinstance(i, QgsLayoutItemMap)] == [follower]


def _variables(context):
    """[(scope name, {variable: comparable value}, functions)] of an expression context."""
    from qgis.core import QgsFeature, QgsGeometry

    def comparable(value):
        if isinstance(value, QgsFeature):
            return ("feature", value.id(), value.attributes(), value.geometry().asWkt())
        if isinstance(value, QgsGeometry):
            return ("geometry", value.asWkt())
        if isinstance(value, (list, tuple)):
            return [comparable(v) for v in value]
        return value

    def value(scope, name):
        try:
            return comparable(scope.variable(name))
        except TypeError:  # a layer or list of layers (@layer, @layers): compared by expressions below
            return "not convertible"

    scopes = []
    for i in range(context.scopeCount()):
        scope = context.scope(i)
        scopes.append((scope.name(), {name: value(scope, name) for name in scope.variableNames()},
                       sorted(scope.functionNames())))
    return scopes


def test_expression_contexts_while_printing_are_qgis_own(big_district):
    """Contexts built once per sheet (lean.py 4.) show what QGIS's own would, sheet after sheet,
    and the layout is QGIS's own again once printing ends."""
    from qgis.core import QgsExpression, QgsLayoutItemMap, QgsPrintLayout

    parcels, enterprises, clusters = big_district
    data, printer = _printer(parcels, enterprises, clusters, sorted(parcels.allFeatureIds())[:4])
    layout, ref = printer.layout, printer.reference_map
    atlas = layout.atlas()
    expressions = ['"d_code"', '"d_owner"', "@atlas_featurenumber", "@atlas_pagename", "@atlas_filename",
                   "@layout_dpi", "@layout_numpages", "@qgis_version", "@project_crs", "@layer_name",
                   "attribute(@atlas_feature, 'd_code')", "geom_to_wkt(@atlas_geometry)", "@map_id",
                   "layer_property(@layer, 'id')", "array_length(@layers)", "array_length(@map_layer_ids)"]
    try:
        atlas.beginRender()
        assert layout.reuse_scopes(True)
        seen = set()
        for number in (0, 2, 1, 3, 2):
            atlas.seekTo(number)
            for dpi in (printer.dpi, 96):
                layout.renderContext().setDpi(dpi)
                for ours, own in ((layout.createExpressionContext(), QgsPrintLayout.createExpressionContext(layout)),
                                  (ref.createExpressionContext(), QgsLayoutItemMap.createExpressionContext(ref))):
                    assert _variables(ours) == _variables(own)
                    values = [QgsExpression(e).evaluate(ours) for e in expressions]
                    assert values == [QgsExpression(e).evaluate(own) for e in expressions]
                    assert values[0] == data.sheets[number].display["d_code"] and values[5] == dpi
                    seen.add(values[0])
        assert len(seen) == 4  # a context per sheet, never the one of the sheet before
        assert not layout.reuse_scopes(False) and layout.base_context is None and layout.sheet_key() is None
    finally:
        atlas.endRender()
        printer.close()
        data.close()
