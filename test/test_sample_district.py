"""The generated sample district: deterministic, in EPSG:4549, with the fields, codes, flaws
and economic spread the later steps rely on."""
import collections
import hashlib
import os
import re

import pytest

from landeval_plugin.core import schema
from landeval_plugin.core.enterprise import uscc
from landeval_plugin.core.sample import sample_district as sd

N = 600
CODE_RE = re.compile(r"^330122\d{6}GB\d{5}$")


@pytest.fixture(scope="module")
def district(qgis_app, tmp_path_factory):
    return sd.generate(str(tmp_path_factory.mktemp("district")), parcels=N, seed=7)


def layer(paths, name):
    from qgis.core import QgsVectorLayer

    lyr = QgsVectorLayer("{}|layername={}".format(paths["gpkg"], name), name, "ogr")
    assert lyr.isValid(), name
    return lyr


def digest(paths):
    """One hash over every layer's attributes and geometry and every workbook cell."""
    import openpyxl

    h = hashlib.sha256()
    for name in sd.LAYERS:
        for f in layer(paths, name).getFeatures():
            h.update(repr(f.attributes()[1:]).encode("utf-8"))
            h.update(bytes(f.geometry().asWkb()))
    for key in ("enterprises_xlsx", "link_xlsx"):
        for row in openpyxl.load_workbook(paths[key], read_only=True).active.iter_rows(values_only=True):
            h.update(repr(row).encode("utf-8"))
    return h.hexdigest()


def read_enterprises(path):
    import openpyxl

    rows = list(openpyxl.load_workbook(path, read_only=True).active.iter_rows(values_only=True))
    return rows[0], rows[1], rows[2], [r for r in rows[3:] if r and r[0] is not None and isinstance(r[0], int)]


# -- credit codes ------------------------------------------------------------------------

def test_uscc_check_digit_matches_published_examples():
    # codes printed on real business licences
    assert uscc.is_valid("91350100M000100Y43")
    assert uscc.is_valid("91110108551385082Q")
    assert uscc.check_digit("91350100M000100Y4") == "3"
    assert not uscc.is_valid("91350100M000100Y44")      # one digit off
    assert not uscc.is_valid("91350100M000100Y4")       # too short
    assert not uscc.is_valid("91350100M000100I43")      # I is not in the alphabet
    assert uscc.normalize(" 9135 0100-m000100y43 ") == "91350100M000100Y43"
    assert uscc.normalize("９１３５０１００Ｍ０００１００Ｙ４３") == "91350100M000100Y43"
    code = uscc.make("9", "1", "330122", "MA2B3C4D")
    assert uscc.is_valid(code) and code.startswith("91330122MA2B3C4D")
    assert uscc.org_check_digit("MA2B3C4D") == code[16]


# -- the district ------------------------------------------------------------------------------

def test_same_seed_same_files_other_seed_other_files(qgis_app, district, tmp_path):
    again = sd.generate(str(tmp_path / "again"), parcels=N, seed=7)
    other = sd.generate(str(tmp_path / "other"), parcels=N, seed=8)
    assert digest(district) == digest(again)
    assert digest(district) != digest(other)


def test_files_layers_crs_and_counts(district):
    for key in ("gpkg", "ydpw_shp", "enterprises_xlsx", "link_xlsx"):
        assert os.path.exists(district[key]), key
    assert os.path.basename(district["enterprises_xlsx"]) == "企业数据.xlsx"
    assert os.path.basename(district["link_xlsx"]) == "企业地块关联.xlsx"
    # nothing temporary left behind
    assert not [n for n in os.listdir(os.path.dirname(district["gpkg"])) if n.startswith(".sample_district_")]
    counts = {}
    for name in sd.LAYERS:
        lyr = layer(district, name)
        assert lyr.crs().authid() == "EPSG:4549", name
        counts[name] = lyr.featureCount()
    assert counts["bdcdj"] == N
    assert 4 <= counts["towns"] <= 6
    assert counts["rivers"] == 1 and counts["roads"] >= 8
    assert counts["czkfbj"] >= 1 and counts["gybzx"] >= 2
    # the three sources disagree in number
    assert counts["ydpw"] != counts["bdcdj"] and counts["tdlyxz"] != counts["bdcdj"]
    ext = layer(district, "bdcdj").extent()
    assert 470000 < ext.xMinimum() < ext.xMaximum() < 530000
    assert 3270000 < ext.yMinimum() < ext.yMaximum() < 3330000


def test_parcel_codes_valid_and_two_registered_twice(district):
    codes = [f["宗地代码"] for f in layer(district, "bdcdj").getFeatures()]
    assert all(CODE_RE.match(c) for c in codes), [c for c in codes if not CODE_RE.match(c)][:5]
    dup = [c for c, k in collections.Counter(codes).items() if k > 1]
    assert len(dup) == 2


def test_bdcdj_fields_are_recognised_by_the_schema(district):
    names = [f.name() for f in layer(district, "bdcdj").fields()]
    base = schema.detect_mapping(names, group="base")
    assert base["parcel_code"] == "宗地代码" and base["owner"] == "权利人名称" and base["land_use_raw"] == "土地用途"
    assert base["town"] == "所属镇街" and base["address"] == "坐落" and base["supply_date"] == "出让日期"
    attrs = schema.detect_mapping(names, group="attribute")
    assert set(attrs) == {"project_type", "commitment_met", "violation", "lease_status", "litigation", "unfinished",
                          "to_residential", "idle", "industrial_use", "industry_class", "safety_hazard",
                          "env_violation", "years_in_production"}


def test_attribute_values_and_rare_flags(district):
    feats = list(layer(district, "bdcdj").getFeatures())
    uses = collections.Counter(f["土地用途"] for f in feats)
    for expected in ("工业用地", "100101", "1001 工业用地", "物流仓储用地", "110101", "科研用地", "0803"):
        assert uses[expected] > 0, expected
    non_industrial = sum(uses[u] for u in ("城镇住宅用地", "0701", "商业用地", "商务金融用地", "0901",
                                           "公用设施用地", "1301"))
    assert 0.03 * N < non_industrial < 0.3 * N
    lease = collections.Counter(f["出租情况"] for f in feats)
    assert set(k for k in lease if k) <= {"无", "未经允许出租-有意愿更新", "擅自出租-拒不改正"}
    assert lease["擅自出租-拒不改正"] >= 1 and lease["未经允许出租-有意愿更新"] >= 3
    for flag, lo, hi in (("涉法涉诉", 1, 0.05), ("闲置", 3, 0.1), ("安全隐患", 3, 0.08), ("实际为工业用途", 0, 1)):
        yes = sum(1 for f in feats if f[flag] == "是")
        assert yes >= lo, flag
        if hi < 1:
            assert yes < hi * N, flag
    classes = collections.Counter(f["产业类别"] for f in feats)
    assert set(k for k in classes if k) <= {"鼓励", "允许", "限制", "禁止", "淘汰"}
    types = collections.Counter(f["项目类型"] for f in feats)
    assert types["自用工业用地项目"] > types["立项园区"] > 0 and types["城市更新园区"] > 0
    assert all(f["出让日期"].year() >= 1990 for f in feats)
    towns = {f["所属镇街"] for f in feats}
    assert 4 <= len(towns) <= 6 and all(t.endswith(("镇", "街道")) for t in towns)


def test_flaws_bowties_and_slivers(district):
    from qgis.core import QgsGeometry

    def invalid(name):
        return [f for f in layer(district, name).getFeatures()
                if f.geometry().validateGeometry(QgsGeometry.ValidatorGeos)]

    assert len(invalid("bdcdj")) == sd.BDCDJ_BOWTIES(N)
    assert len(invalid("ydpw")) == sd.YDPW_BOWTIES(N)
    assert not invalid("tdlyxz") and not invalid("towns") and not invalid("czkfbj")
    slivers = [f for f in layer(district, "ydpw").getFeatures() if f.geometry().area() < 5]
    assert len(slivers) >= 2


def test_sources_overlap_but_disagree(district):
    from qgis.core import QgsFeatureRequest, QgsSpatialIndex

    bdcdj = layer(district, "bdcdj")
    ydpw = layer(district, "ydpw")
    index = QgsSpatialIndex(bdcdj.getFeatures())
    geoms = {f.id(): f.geometry() for f in bdcdj.getFeatures()}
    only_ydpw = matched = 0
    for f in ydpw.getFeatures(QgsFeatureRequest().setFilterExpression("$area > 300")):
        g = f.geometry().makeValid()
        hits = [i for i in index.intersects(g.boundingBox())
                if geoms[i].makeValid().intersection(g).area() > 0.5 * g.area()]
        if hits:
            matched += 1
        else:
            only_ydpw += 1
    assert matched > 0.7 * ydpw.featureCount()
    assert only_ydpw >= 3     # approved but never registered
    # 三调 merges neighbours and shows some industrial parcels in other current use
    tdly = list(layer(district, "tdlyxz").getFeatures())
    dl = collections.Counter(f["DLBM"] for f in tdly)
    assert dl["0601"] > 0 and dl["0508"] > 0 and dl["1101"] == 1 and dl["0701"] > 0
    assert max(f.geometry().area() for f in tdly if f["DLBM"] == "0601") > max(g.area() for g in geoms.values()) * 0.5


def test_planning_layers_cover_sensible_parts(district):
    from qgis.core import QgsGeometry

    czk = QgsGeometry.unaryUnion([f.geometry() for f in layer(district, "czkfbj").getFeatures()])
    gyb = QgsGeometry.unaryUnion([f.geometry() for f in layer(district, "gybzx").getFeatures()])
    cents = [f.geometry().pointOnSurface() for f in layer(district, "bdcdj").getFeatures()]
    inside = sum(1 for c in cents if czk.contains(c)) / len(cents)
    in_line = sum(1 for c in cents if gyb.contains(c)) / len(cents)
    assert 0.4 < inside < 0.98
    assert 0.08 < in_line < inside
    assert gyb.difference(czk).area() < 0.01 * gyb.area()   # 工业保障线 lies inside 城镇开发边界


def test_gbk_shapefile_reads_back_chinese(district):
    from qgis.core import QgsVectorLayer

    cpg = os.path.splitext(district["ydpw_shp"])[0] + ".cpg"
    with open(cpg, encoding="ascii") as fh:
        assert fh.read().strip().upper() in ("GBK", "CP936", "936")
    shp = QgsVectorLayer(district["ydpw_shp"], "ydpw", "ogr")
    assert shp.isValid() and shp.crs().authid() == "EPSG:4549"
    gpkg = layer(district, "ydpw")
    assert shp.featureCount() == gpkg.featureCount()
    assert [f.name() for f in shp.fields()] == [name for name, _ in sd.YDPW_FIELDS]
    names_shp = [f["土地使用者"] for f in shp.getFeatures()]
    names_gpkg = [f["土地使用者"] for f in gpkg.getFeatures()]
    assert names_shp == [n if n is not None else None for n in names_gpkg] or \
        [n or None for n in names_shp] == [n or None for n in names_gpkg]
    # the bytes on disk are GBK, not UTF-8
    with open(os.path.splitext(district["ydpw_shp"])[0] + ".dbf", "rb") as fh:
        raw = fh.read()
    first_town = next(f["所属镇街"] for f in gpkg.getFeatures())
    assert first_town.encode("gbk") in raw and first_town.encode("utf-8") not in raw


def test_enterprise_workbook_layout_and_messy_cells(district):
    title, head1, head2, rows = read_enterprises(district["enterprises_xlsx"])
    assert "亩均效益" in title[0]
    assert head1[:6] == sd.ENTERPRISE_FIXED
    assert "税收总额（万元）" in head1 and "综合能耗（吨标准煤）" in head1
    assert [v for v in head2 if v][:3] == ["2021年", "2022年", "2023年"]
    cells = [v for r in rows for v in r[6:]]
    text = [v for v in cells if isinstance(v, str)]
    assert "—" in text and "无" in text
    assert any("," in v for v in text)
    assert any("万元" in v for v in text)
    assert any(re.search("[０-９]", v) for v in text)
    assert any(isinstance(v, (int, float)) and v < 0 for v in cells)
    codes = [r[1] for r in rows]
    valid = [c for c in codes if uscc.is_valid(c)]
    invalid = [c for c in codes if not uscc.is_valid(uscc.normalize(c))]
    assert len(valid) > 0.95 * len(codes) and len(invalid) >= 1
    assert any(k > 1 for k in collections.Counter(tuple(r[1:]) for r in rows).values())   # duplicated rows
    per_parcel = collections.Counter(r[3] for r in rows if r[3])
    assert sum(1 for k in per_parcel.values() if k >= 2) >= 10     # 一地多企


def test_link_table_links_enterprises_missing_from_the_main_sheet(district):
    import openpyxl

    links = list(openpyxl.load_workbook(district["link_xlsx"], read_only=True).active.iter_rows(values_only=True))
    assert links[0] == ("统一社会信用代码", "宗地代码", "面积占比")
    _, _, _, rows = read_enterprises(district["enterprises_xlsx"])
    no_code = {uscc.normalize(r[1]) for r in rows if not r[3]}
    linked = {r[0] for r in links[1:]}
    assert no_code and no_code <= linked | {c for c in no_code if not uscc.is_valid(c)}
    shares = collections.defaultdict(float)
    for code, _, share in links[1:]:
        shares[code] += share
    split = [c for c, s in shares.items() if sum(1 for r in links[1:] if r[0] == c) > 1]
    assert split and all(abs(shares[c] - 1.0) < 0.02 for c in split if shares[c] <= 1.02)


def _number(v):
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, str):
        t = v.translate(str.maketrans("０１２３４５６７８９．－", "0123456789.-")).replace(",", "").replace("万元", "")
        try:
            return float(t)
        except ValueError:
            return None
    return None


def test_economic_values_split_every_published_threshold(district):
    """亩均税收 3 万元/亩 and Beijing's 3 亿元/公顷 + 2000 万元/公顷 must each cut the parcels,
    and the low performers must form contiguous groups."""
    from qgis.core import QgsSpatialIndex

    _, head1, _, rows = read_enterprises(district["enterprises_xlsx"])
    tax_col = head1.index("税收总额（万元）")
    out_col = head1.index("工业总产值（万元）")
    tax = collections.defaultdict(lambda: [0.0, 0.0, 0.0])
    out = collections.defaultdict(float)
    for r in rows:
        if not r[3]:
            continue
        for k in range(3):
            tax[r[3]][k] += _number(r[tax_col + k]) or 0.0
        out[r[3]] += _number(r[out_col + 2]) or 0.0
    feats = {f["宗地代码"]: f for f in layer(district, "bdcdj").getFeatures()}
    per_mu = {c: [t / (feats[c].geometry().area() / (10000 / 15)) for t in v] for c, v in tax.items() if c in feats}
    last = [v[2] for v in per_mu.values()]
    assert 0.05 < sum(1 for t in last if t < 3) / len(last) < 0.4
    beijing_a = [c for c in per_mu if out[c] / (feats[c].geometry().area() / 10000) >= 30000
                 and tax[c][2] / (feats[c].geometry().area() / 10000) >= 2000]
    assert 0.02 * len(per_mu) < len(beijing_a) < 0.3 * len(per_mu)
    assert max(last) > 24.097 * 3 and min(last) < 1   # Huangyan benchmark in the middle
    low = [c for c, v in per_mu.items() if all(t < 3 for t in v)]
    geoms = {c: feats[c].geometry() for c in low}
    index = QgsSpatialIndex()
    ids = {}
    from qgis.core import QgsFeature

    for k, c in enumerate(low):
        f = QgsFeature(k)
        f.setGeometry(geoms[c])
        index.addFeature(f)
        ids[k] = c
    # connected groups of touching low parcels (within 30 m across roads)
    seen, groups = set(), []
    for c in low:
        if c in seen:
            continue
        stack, group = [c], []
        seen.add(c)
        while stack:
            cur = stack.pop()
            group.append(cur)
            g = geoms[cur].buffer(15, 2)
            for k in index.intersects(g.boundingBox()):
                other = ids[k]
                if other not in seen and g.intersects(geoms[other].buffer(15, 2)):
                    seen.add(other)
                    stack.append(other)
        groups.append(group)
    assert max(len(g) for g in groups) >= 8


def test_algorithm_writes_and_cancel_leaves_nothing(run_alg, tmp_path):
    from qgis.core import QgsProcessingFeedback

    folder = tmp_path / "alg"
    res = run_alg("landeval:sampledistrict", {"OUTPUT_FOLDER": str(folder), "PARCELS": 120, "SEED": 3})
    assert os.path.exists(res["OUTPUT_GPKG"]) and res["OUTPUT_GPKG"].endswith("sample_district.gpkg")
    assert os.path.exists(res["OUTPUT_YDPW_SHP"]) and os.path.exists(res["OUTPUT_LINK"])
    before = {n: os.path.getmtime(folder / n) for n in os.listdir(folder)}

    fb = QgsProcessingFeedback()
    fb.cancel()
    res2 = run_alg("landeval:sampledistrict", {"OUTPUT_FOLDER": str(folder), "PARCELS": 300, "SEED": 4,
                                               "OVERWRITE": True}, feedback=fb)
    assert res2 == {} or not res2.get("OUTPUT_GPKG")
    after = {n: os.path.getmtime(folder / n) for n in os.listdir(folder)}
    assert after == before   # the earlier district is untouched, no temp folder left


def test_some_enterprise_parcel_codes_need_cleaning_or_match_nothing(district):
    _, _, _, rows = read_enterprises(district["enterprises_xlsx"])
    codes = {f["宗地代码"] for f in layer(district, "bdcdj").getFeatures()}
    cells = [r[3] for r in rows if r[3]]
    exact = [c for c in cells if c in codes]
    cleanable = [c for c in cells if c not in codes and c.strip().upper() in codes]
    unmatched = [c for c in cells if c.strip().upper() not in codes]
    assert len(exact) > 0.95 * len(cells)
    assert cleanable and unmatched
    assert all(CODE_RE.match(c.strip().upper()) for c in unmatched)   # well-formed, just not registered


def test_progress_is_reported_and_cancel_mid_run_leaves_previous_files(qgis_app, tmp_path):
    from qgis.core import QgsProcessingFeedback

    class CancelLate(QgsProcessingFeedback):
        """Cancels once the run is past the layout, when the workbooks are being written."""

        def __init__(self):
            super().__init__()
            self.seen = []

        def setProgress(self, value):
            self.seen.append(value)
            if value >= 85:
                self.cancel()
            super().setProgress(value)

    folder = tmp_path / "d"
    first = sd.generate(str(folder), parcels=200, seed=1)
    stamp = {n: os.path.getmtime(folder / n) for n in os.listdir(folder)}
    fb = CancelLate()
    with pytest.raises(sd.GenerationCancelled):
        sd.generate(str(folder), parcels=200, seed=2, feedback=fb)
    assert fb.seen == sorted(fb.seen) and 85 <= fb.seen[-1] < 98
    assert {n: os.path.getmtime(folder / n) for n in os.listdir(folder)} == stamp
    assert os.path.exists(first["gpkg"])


@pytest.mark.parametrize("parcels,seed", [(60, 5), (50, 2)])
def test_a_small_district_is_generated_too(qgis_app, tmp_path, parcels, seed):
    """A tiny district lies inside the 高新区's margin: the low-efficiency zones must still be
    placed (generate(parcels=60, seed=5) used to loop for ever)."""
    from qgis.core import QgsVectorLayer

    paths = sd.generate(str(tmp_path / "small"), parcels=parcels, seed=seed)
    layer = QgsVectorLayer(paths["gpkg"] + "|layername=bdcdj", "bdcdj", "ogr")
    assert layer.isValid()
    assert 0.5 * parcels <= layer.featureCount() <= 2 * parcels
