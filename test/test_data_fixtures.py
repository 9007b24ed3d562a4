"""Builders shared by the data-step tests: parcels, valid credit codes, messy workbooks.

(Named test_data_* so it stays in the data area; it holds no tests itself.)
"""
import openpyxl

from landeval_plugin.core.enterprise import uscc

CRS = "EPSG:4549"


def code(i, prefix="9133012200000"):
    """A valid 18-character 统一社会信用代码: 91 + 330122 + 9-char org code + check digit."""
    body = "91330122" + "MA{:07d}".format(i)
    return body + uscc.check_digit(body)


def pcode(i):
    """A 19-character 宗地代码 like the sample district's (330122 + 6 digits + GB + 5 digits)."""
    return "330122{:06d}GB{:05d}".format(100 + i // 100, i)


def square(x, y, side):
    return "POLYGON(({0} {1}, {2} {1}, {2} {3}, {0} {3}, {0} {1}))".format(x, y, x + side, y + side)


def parcels_layer(items, crs=CRS, code_field="宗地代码"):
    """Memory polygon layer; items: [(parcel code, area m², town)] laid out as squares."""
    from qgis.core import QgsFeature, QgsGeometry, QgsVectorLayer

    layer = QgsVectorLayer("Polygon?crs={}&field={}:string(30)&field=所属镇街:string(20)&field=坐落:string(50)"
                           .format(crs, code_field), "parcels", "memory")
    feats = []
    for i, (pc, area, town) in enumerate(items):
        side = area ** 0.5
        f = QgsFeature(layer.fields())
        f.setGeometry(QgsGeometry.fromWkt(square(500000 + i * 1000, 3300000, side)))
        f.setAttributes([pc, town, "{}路{}号".format(town, i + 1)])
        feats.append(f)
    layer.dataProvider().addFeatures(feats)
    return layer


def save_layer(layer, path):
    from qgis.core import QgsCoordinateTransformContext, QgsVectorFileWriter

    opts = QgsVectorFileWriter.SaveVectorOptions()
    opts.driverName = "GPKG"
    opts.layerName = "parcels"
    err = QgsVectorFileWriter.writeAsVectorFormatV2(layer, path, QgsCoordinateTransformContext(), opts)
    assert err[0] == QgsVectorFileWriter.NoError, err
    return path + "|layername=parcels"


def workbook(path, rows, sheet="企业数据", merges=(), extra_sheets=None):
    """Write rows (lists) to an .xlsx with openpyxl (normal mode: shared strings, merges)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for r in rows:
        ws.append(list(r))
    for row in ws.iter_rows():
        for cell in row:  # text that looks like a formula stays text, as a user typed it with '
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
    for rng in merges:
        ws.merge_cells(rng)
    for name, srows in (extra_sheets or {}).items():
        ws2 = wb.create_sheet(name)
        for r in srows:
            ws2.append(list(r))
    wb.save(path)
    return path


def read_sheet(path, sheet):
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        return [list(r) for r in wb[sheet].iter_rows(values_only=True)]
    finally:
        wb.close()


def features_by_code(layer_or_path, field="宗地代码"):
    from qgis.core import QgsVectorLayer

    layer = layer_or_path
    if isinstance(layer_or_path, str):
        layer = QgsVectorLayer(layer_or_path, "out", "ogr")
    out = {}
    for f in layer.getFeatures():
        out[f[field]] = {n: (None if f[n] is None or (hasattr(f[n], "isNull") and f[n].isNull()) else f[n])
                         for n in layer.fields().names()}
    return out


def to_shared_strings(path, out_path=None, rich=None):
    """Rewrite an openpyxl .xlsx (inline strings) the way Excel saves it: a sharedStrings part.

    ``rich``: {plain text: raw <si> inner XML} to replace some strings with rich-text runs.
    """
    import re
    import zipfile

    out_path = out_path or path
    src = zipfile.ZipFile(path)
    items = [(i, src.read(i.filename)) for i in src.infolist()]
    src.close()
    strings, index = [], {}
    cell_re = re.compile(rb'(<c r="[A-Z]+\d+"[^>]*?) t="inlineStr"><is><t(?: [^>]*)?>([^<]*)</t></is></c>')

    def repl(m):
        text = m.group(2)
        if text not in index:
            index[text] = len(strings)
            strings.append(text)
        return m.group(1) + b' t="s"><v>' + str(index[text]).encode() + b"</v></c>"

    out_items = []
    for info, data in items:
        if info.filename.startswith("xl/worksheets/sheet"):
            data = cell_re.sub(repl, data)
        out_items.append((info, data))
    sis = []
    for text in strings:
        import html

        plain = html.unescape(text.decode())
        if rich and plain in rich:
            sis.append(b"<si>" + rich[plain] + b"</si>")
        else:
            sis.append(b"<si><t>" + text + b"</t></si>")
    sst = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/'
           b'spreadsheetml/2006/main" count="%d" uniqueCount="%d">' % (len(sis), len(sis)) + b"".join(sis) + b"</sst>")
    with zipfile.ZipFile(out_path + ".tmp", "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in out_items:
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
            if info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdSST" Type="http://schemas.'
                                    b'openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
                                    b'Target="sharedStrings.xml"/></Relationships>')
            out.writestr(info.filename, data)
        out.writestr("xl/sharedStrings.xml", sst)
    import os

    os.replace(out_path + ".tmp", out_path)
    return out_path


import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def restore_shape_encoding():
    """QgsVectorFileWriter (any file output, Processing sinks too) sets GDAL's SHAPE_ENCODING
    to '' for the whole process, which changes how later tests read GBK shapefiles; put it back."""
    yield
    from osgeo import gdal

    gdal.SetConfigOption("SHAPE_ENCODING", None)
