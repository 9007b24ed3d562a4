"""A standard needs an input only where it applies (issue 12, point 8), and presets say where
they come from (point 7).

- zhejiang_huangyan_2022 on a layer of 规上 parcels only: no 用电量 column needed (only 规下's
  单位电耗税收 reads it); with a 规下 parcel among them the message counts the parcels and names the formula;
- jiangsu_huaian_2024 without `_y1` columns: its own fallback "上年数据缺失时以本年平均值代替", said in the
  score detail, the log and the run's warnings;
- every preset names its published document and clause, or is labelled 示例.
"""
import json
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
from grade_fixtures import write_layer

from landeval_plugin.core.grading import grade as grading
from landeval_plugin.core.grading import standard

HA = 10000.0


def hy_up(k, factor=1.0, **kw):
    va = 136.16 * 15 * factor
    row = {"parcel_code": "331003001001GB{:05d}".format(k), "area_m2": HA, "scale": "规上",
           "tax_10k": 24.097 * 15 * factor, "value_added_10k": va, "energy_tce": va / (2.694 * factor),
           "emission_t": va / (4929.81 * factor), "employees": va / (18.14 * factor), "revenue_10k": 10000.0,
           "rnd_10k": 302.0 * factor}
    row.update(kw)
    return row


def test_huangyan_on_guishang_only_needs_no_power_column(run_alg, tmp_path):
    rows = [hy_up(k, f) for k, f in enumerate((1.0, 1.2, 0.6))]
    layer = write_layer(None, rows)
    assert "power_10k_kwh" not in [f.name() for f in layer.fields()]
    std = standard.load("zhejiang_huangyan_2022")
    _, _, res, _, plan = grading.grade_source(layer, std)
    assert [r["grade"] for r in res] == ["B", "A", "C"]
    assert [r["score"] for r in res] == [pytest.approx(100.0, abs=1e-3), pytest.approx(120.0, abs=1e-3),
                                         pytest.approx(60.0, abs=1e-3)]
    assert "tax_per_power" in plan.deferred and any("仅 规下 公式需要" in line for line in plan.describe())
    # the same through the algorithm and its GeoPackage fast path
    src = write_layer(str(tmp_path / "in.gpkg"), rows)
    out = run_alg("landeval:grade", {"INPUT": src.source(), "STANDARD": "zhejiang_huangyan_2022",
                                     "OUTPUT": str(tmp_path / "out.gpkg")})
    summary = json.loads(out["SUMMARY"])
    assert summary["A"]["count"] == 1 and summary["B"]["count"] == 1 and summary["C"]["count"] == 1


def test_an_absent_column_some_parcels_need_is_counted_with_its_formula(tmp_path):
    rows = [hy_up(k) for k in range(3)] + [
        {"parcel_code": "331003001001GB09001", "area_m2": HA, "scale": "规下", "tax_10k": 100.0},
        {"parcel_code": "331003001001GB09002", "area_m2": HA, "scale": "规下", "tax_10k": 50.0}]
    # errors are caught here and only their text kept: a traceback holding QGIS objects (layers, CRS)
    # alive past the end of the session crashes QGIS on exit
    text = _message(lambda: grading.grade_source(write_layer(None, rows), standard.load("zhejiang_huangyan_2022")))
    assert "单位电耗税收 (tax_per_power)" in text and "用电量 (power_10k_kwh)" in text
    assert "formula 规下: 2 parcel(s)" in text and "331003001001GB09001" in text
    # the fast path refuses the same way and leaves nothing behind
    src = write_layer(str(tmp_path / "in.gpkg"), rows)
    path = src.source().split("|")[0]
    del src
    dest = str(tmp_path / "out.gpkg")

    def fast():
        from qgis.core import QgsCoordinateReferenceSystem

        from landeval_plugin.core.grading.gpkg import grade_gpkg

        grade_gpkg(path, "parcels", dest, standard.load("zhejiang_huangyan_2022"),
                   QgsCoordinateReferenceSystem("EPSG:4549"))
    assert "formula 规下: 2 parcel(s)" in _message(fast)
    assert not os.path.exists(dest) and not os.path.exists(dest + ".part")


def _message(call):
    try:
        call()
    except grading.MissingInputsError as exc:
        return str(exc)
    raise AssertionError("no MissingInputsError")


def ha_row(tax_mu, **kw):
    mu = 15.0
    row = {"area_m2": HA, "town": "清江浦区", "tax_10k": tax_mu * mu, "revenue_10k": 100.0 * mu, "energy_tce": 100.0}
    row.update(kw)
    return row


def test_huaian_without_last_year_columns_uses_its_own_fallback(run_alg, tmp_path):
    taxes = [20, 15, 12, 11, 10, 9, 8, 7, 5, 1]
    layer = write_layer(None, [ha_row(t) for t in taxes])
    assert not [f.name() for f in layer.fields() if f.name().endswith("_y1")]
    _, _, res, _, plan = grading.grade_source(layer, standard.load("jiangsu_huaian_2024"))
    assert all(r["grade"] in "ABCD" for r in res)
    d = json.loads(res[0]["score_detail"])
    mean = sum(taxes) / len(taxes)
    assert d[0]["benchmark"] == pytest.approx(2 * mean)            # 2 × this year's mean
    assert d[0]["note"] == "亩均税收(上年)无数据，以本年均值代替"
    assert any("基准值" in w and "本年" in w for w in plan.warnings())
    src = write_layer(str(tmp_path / "in.gpkg"), [ha_row(t) for t in taxes])
    out = run_alg("landeval:grade", {"INPUT": src.source(), "STANDARD": "jiangsu_huaian_2024",
                                     "OUTPUT": str(tmp_path / "out.gpkg")})
    warnings = json.loads(out["WARNINGS"])
    assert any("亩均税收(上年)" in w for w in warnings) and any("亩均营业收入(上年)" in w for w in warnings)


PUBLISHED = {"beijing_etown_2023": "三（一）", "shanghai_songjiang_2023": "松规划资源〔2023〕123号",
             "tonglu_2022": "桐政办〔2022〕7号"}


@pytest.mark.parametrize("pid", standard.preset_ids())
def test_every_preset_names_its_document_or_is_a_labelled_example(pid):
    std = standard.load(pid)
    assert "domain.md" not in std.source_text
    if pid in PUBLISHED:
        assert not std.example and PUBLISHED[pid] in std.source_text and std.provenance().startswith("依据：")
    else:
        assert std.example and "示例" in std.name and std.provenance().startswith("示例")
    with open(standard.resolve_path(pid), encoding="utf-8") as fh:
        text = fh.read()
    assert "source: domain.md" not in text and "见 domain.md" not in text


def test_an_example_must_say_so_in_its_name():
    d = {"id": "x", "version": "1", "name": "某区评价", "example": True,
         "tags": [{"name": "亩均低效", "when": "tax_per_mu < 3"}]}
    with pytest.raises(standard.StandardError) as err:
        standard.Standard.from_dict(d)
    assert "name" in str(err.value)


def test_the_page_shows_the_example_label_and_source(qgis_app):
    from landeval_plugin.gui.pages.grading import Page

    page = Page(None)
    try:
        page.std_combo.setCurrentIndex(page.std_combo.findData("zhejiang_huangyan_2022"))
        text = page.status.text()
        assert "示例" in text and "黄岩区工业企业亩均效益综合评价（2022，示例）" in text
        page.std_combo.setCurrentIndex(page.std_combo.findData("shanghai_songjiang_2023"))
        text = page.status.text()
        assert "依据：松规划资源〔2023〕123号" in text and "一票否决" in text
    finally:
        page.deleteLater()
