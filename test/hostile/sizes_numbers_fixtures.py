"""Hostile inputs for test_sizes_numbers.py, generated in code (no binary blobs).

Workbooks are written by openpyxl and then patched as zip/XML (huge merged ranges, corrupt
cells); polygons with NaN/infinite coordinates or very many parts/vertices are written as WKB
through OGR into a GeoPackage. Only the standard library, openpyxl and osgeo are used, so the
functions also run outside pytest (to reproduce a case on another build).
"""
import math
import os
import re
import shutil
import struct
import zipfile

X0, Y0 = 500000.0, 3300000.0  # EPSG:4549 (CGCS2000 GK CM 120E), metres
CODE = "330122{:06d}GB{:05d}"


def parcel_code(i):
    return CODE.format(100000 + i, i)


# ---------------------------------------------------------------------------------------
# workbooks

def write_workbook(path, rows=None, header=("宗地代码", "企业名称", "年度", "税收（万元）")):
    """A plain enterprise workbook: one header row and ``rows`` (default: two enterprises)."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "企业"
    ws.append(list(header))
    for row in rows if rows is not None else [(parcel_code(0), "甲公司", 2023, 12.5),
                                              (parcel_code(1), "乙公司", 2023, 30.0)]:
        ws.append(list(row))
    wb.save(path)
    return path


def patch_member(path, member, patch):
    """Rewrite one member of a zip (``patch(bytes) -> bytes``), keeping the others as they are."""
    tmp = path + ".tmp"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == member:
                data = patch(data)
            dst.writestr(info, data)
    os.replace(tmp, path)
    return path


SHEET = "xl/worksheets/sheet1.xml"


def huge_merge_workbook(path, ref="A1:XFD1048576"):
    """A small workbook whose sheet declares one merged range over the whole sheet."""
    write_workbook(path)

    def patch(xml):
        xml = re.sub(rb"<mergeCells.*?</mergeCells>", b"", xml, flags=re.S)
        return xml.replace(b"</sheetData>", b'</sheetData><mergeCells count="1"><mergeCell ref="'
                           + ref.encode() + b'"/></mergeCells>', 1)
    return patch_member(path, SHEET, patch)


def many_merges_workbook(path, count):
    """``count`` one-row merged ranges below the data (C10:D10, C11:D11 ...)."""
    write_workbook(path)
    cells = b"".join(b'<mergeCell ref="C%d:D%d"/>' % (10 + k, 10 + k) for k in range(count))

    def patch(xml):
        return xml.replace(b"</sheetData>", b'</sheetData><mergeCells count="%d">' % count + cells
                           + b"</mergeCells>", 1)
    return patch_member(path, SHEET, patch)


def cell_patched_workbook(path, cell_ref, new_cell_xml):
    """The workbook with cell ``cell_ref`` (e.g. D2) replaced by ``new_cell_xml``."""
    write_workbook(path)

    def patch(xml):
        pattern = rb'<c r="' + cell_ref.encode() + rb'"[^>]*?(?:/>|>.*?</c>)'
        out, n = re.subn(pattern, new_cell_xml, xml, count=1, flags=re.S)
        assert n == 1, (cell_ref, xml[:500])
        return out
    return patch_member(path, SHEET, patch)


def bad_shared_string_workbook(path):
    return cell_patched_workbook(path, "B2", b'<c r="B2" t="s"><v>999</v></c>')


def text_in_number_cell_workbook(path):
    return cell_patched_workbook(path, "D2", b'<c r="D2"><v>abc</v></c>')


def far_column_workbook(path):
    """A cell reference beyond Excel's last column XFD (16,384 columns)."""
    return cell_patched_workbook(path, "D2", b'<c r="AAAAAAAA2"><v>1</v></c>')


def empty_cells_workbook(path, count, self_closing_row=4):
    """``count`` empty self-closing cells (``<c r="E4" s="0"/>``, as styled blank cells are
    written) in one row below the data, then one more enterprise: XML without a ``</c>`` for
    many megabytes."""
    write_workbook(path)
    empty = b'<c r="E%d" s="0"/>' % self_closing_row

    def patch(xml):
        row = b'<row r="%d">' % self_closing_row + empty * count + b"</row>"
        last = (b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>%s</t></is></c><c r="C%d"><v>2023</v></c>'
                b'<c r="D%d"><v>7</v></c></row>') % (self_closing_row + 1, self_closing_row + 1,
                                                     parcel_code(2).encode(), self_closing_row + 1,
                                                     self_closing_row + 1)
        return xml.replace(b"</sheetData>", row + last + b"</sheetData>", 1)
    return patch_member(path, SHEET, patch)


def far_row_workbook(path):
    """A row number beyond Excel's last row 1,048,576."""
    write_workbook(path)

    def patch(xml):
        return xml.replace(b"</sheetData>", b'<row r="99999999"><c r="A99999999"><v>1</v></c></row></sheetData>', 1)
    return patch_member(path, SHEET, patch)


def invalid_utf8_workbook(path):
    """Invalid UTF-8 bytes inside a text cell (openpyxl writes text inline)."""
    return cell_patched_workbook(path, "B2", b'<c r="B2" t="inlineStr"><is><t>\xff\xfe\xa0bad</t></is></c>')


def invalid_utf8_shared_strings_workbook(path):
    """A shared-strings table with invalid UTF-8 (Excel and WPS write text this way)."""
    write_workbook(path)

    def sheet(xml):
        return re.sub(rb'<c r="B2"[^>]*?(?:/>|>.*?</c>)', b'<c r="B2" t="s"><v>0</v></c>', xml, count=1, flags=re.S)
    patch_member(path, SHEET, sheet)
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("xl/sharedStrings.xml", b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.'
                    b'openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>\xff\xfebad</t>'
                    b'</si></sst>')
    return path


def number_workbook(path, tax_text):
    """Two enterprises; the first one's tax cell holds the raw numeric text ``tax_text`` (1e309, NaN)."""
    return cell_patched_workbook(path, "D2", b'<c r="D2"><v>' + tax_text.encode() + b"</v></c>")


def control_char_workbook(path):
    """Enterprise name and parcel-code cells with control characters (inline strings)."""
    write_workbook(path)

    def patch(xml):
        xml = re.sub(rb'<c r="B2"[^>]*?(?:/>|>.*?</c>)',
                     b'<c r="B2" t="inlineStr"><is><t>\xe7\x94\xb2_x0001_\xe5\x85\xac_x0007_\xe5\x8f\xb8</t></is></c>',
                     xml, count=1, flags=re.S)
        return xml
    return patch_member(path, SHEET, patch)


def link_workbook(path, rows):
    """Enterprise–parcel link table: (credit code, parcel code, share)."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["统一社会信用代码", "宗地代码", "面积占比"])
    for r in rows:
        ws.append(list(r))
    wb.save(path)
    return path


# ---------------------------------------------------------------------------------------
# geometries as WKB (NaN and infinite coordinates cannot be written as WKT)

def _ring(points):
    return struct.pack("<I", len(points)) + b"".join(struct.pack("<dd", x, y) for x, y in points)


def wkb_polygon(rings):
    return struct.pack("<BI", 1, 3) + struct.pack("<I", len(rings)) + b"".join(_ring(r) for r in rings)


def wkb_multipolygon(polygons):
    return struct.pack("<BI", 1, 6) + struct.pack("<I", len(polygons)) + b"".join(wkb_polygon(p) for p in polygons)


def square(x, y, w, h=None):
    h = w if h is None else h
    x, y = X0 + x, Y0 + y
    return [(x, y), (x + w, y), (x + w, y + h), (x, y + h), (x, y)]


def nan_square(x, y, w):
    pts = square(x, y, w)
    pts[2] = (float("nan"), float("nan"))
    return pts


def inf_square(x, y, w):
    pts = square(x, y, w)
    pts[2] = (float("inf"), pts[2][1])
    return pts


def many_parts(nx, ny, size=2.0, pitch=3.0, x=0.0, y=0.0):
    """nx × ny small squares ``size`` m wide, ``pitch`` m apart (a multipolygon of nx·ny parts)."""
    return [[square(x + i * pitch, y + j * pitch, size)] for i in range(nx) for j in range(ny)]


def many_vertices(n, x=0.0, y=0.0, radius=200.0):
    """A star-shaped polygon of ``n`` vertices (alternating radii 1 m apart: every vertex counts)."""
    cx, cy = X0 + x, Y0 + y
    pts = []
    for k in range(n):
        a = 2 * math.pi * k / n
        r = radius + (1.0 if k % 2 else 0.0)
        pts.append((cx + r * math.cos(a), cy + r * math.sin(a)))
    pts.append(pts[0])
    return [pts]


def write_parcels(path, parcels, layer="parcels", crs_epsg=4549, extra_fields=()):
    """A GeoPackage polygon layer from [(wkb, {field: value})] through OGR (WKB kept as given).

    Fields: parcel_code, grade, low_eff, town, tax_10k, area_mu and ``extra_fields`` (name, ogr type).
    """
    from osgeo import ogr, osr

    ogr.UseExceptions()
    drv = ogr.GetDriverByName("GPKG")
    if os.path.exists(path):
        drv.DeleteDataSource(path)
    ds = drv.CreateDataSource(path)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(crs_epsg)
    lyr = ds.CreateLayer(layer, srs, ogr.wkbMultiPolygon)
    fields = [("parcel_code", ogr.OFTString), ("grade", ogr.OFTString), ("low_eff", ogr.OFTInteger),
              ("town", ogr.OFTString), ("tax_10k", ogr.OFTReal), ("land_use", ogr.OFTString),
              ("土地用途", ogr.OFTString), ("宗地代码", ogr.OFTString)] + list(extra_fields)
    for name, kind in fields:
        lyr.CreateField(ogr.FieldDefn(name, kind))
    lyr.StartTransaction()
    for wkb, values in parcels:
        f = ogr.Feature(lyr.GetLayerDefn())
        if wkb is not None:
            if wkb[1:5] == struct.pack("<I", 3):  # polygon -> multipolygon of one part
                wkb = struct.pack("<BI", 1, 6) + struct.pack("<I", 1) + wkb
            g = ogr.CreateGeometryFromWkb(wkb)
            f.SetGeometryDirectly(g)
        for k, v in values.items():
            f.SetField(k, v)
        lyr.CreateFeature(f)
    lyr.CommitTransaction()
    # an infinite coordinate makes GDAL's extent update in gpkg_contents fail on close (the
    # features are written): keep that expected error quiet
    from osgeo import gdal

    ogr.DontUseExceptions()
    gdal.PushErrorHandler("CPLQuietErrorHandler")
    try:
        ds = None
    finally:
        gdal.PopErrorHandler()
        ogr.UseExceptions()
    return path


def row_of_parcels(n, grade="D", size=100.0, start=0, y=0.0):
    """``n`` adjacent squares in a row (a contiguous low-efficiency strip), as (wkb, values)."""
    out = []
    for k in range(n):
        i = start + k
        out.append((wkb_polygon([square(k * size, y, size)]),
                    {"parcel_code": parcel_code(i), "宗地代码": parcel_code(i), "grade": grade, "low_eff": 1,
                     "town": "桐君街道", "tax_10k": 10.0 + i, "land_use": "工业用地", "土地用途": "工业用地"}))
    return out


def values(i, grade="D"):
    return {"parcel_code": parcel_code(i), "宗地代码": parcel_code(i), "grade": grade, "low_eff": 1,
            "town": "桐君街道", "tax_10k": 10.0 + i, "land_use": "工业用地", "土地用途": "工业用地"}


def copy(src, dst):
    shutil.copyfile(src, dst)
    return dst
