"""Units, schema mapping, indicators and the translation machinery."""
import pytest

from landeval_plugin.core import indicators, schema, units


def test_mu_and_hectare_are_exact():
    assert units.M2_PER_MU == pytest.approx(666.6666667)
    assert units.m2_to_mu(10000) == pytest.approx(15.0)
    assert units.per_mu_to_per_ha(2) == pytest.approx(30.0)
    # 1 亿元/公顷 = 666.67 万元/亩
    assert units.per_ha_to_per_mu(units.yi_to_wan(1)) == pytest.approx(666.6667, rel=1e-6)


def test_area_meter_projected_and_geographic():
    from qgis.core import QgsCoordinateReferenceSystem, QgsGeometry

    square = QgsGeometry.fromWkt(
        "POLYGON((500000 3400000, 500100 3400000, 500100 3400100, 500000 3400100, 500000 3400000))")
    meter = units.AreaMeter(QgsCoordinateReferenceSystem("EPSG:4549"))
    m2, mu, ha = meter.areas(square)
    assert m2 == pytest.approx(10000.0)
    assert mu == pytest.approx(15.0)
    assert ha == pytest.approx(1.0)
    # about 0.001° x 0.001° at 31°N on CGCS2000: ellipsoidal, never "1e-6 square degrees"
    geo = QgsGeometry.fromWkt("POLYGON((121 31, 121.001 31, 121.001 31.001, 121 31.001, 121 31))")
    m2_geo = units.AreaMeter(QgsCoordinateReferenceSystem("EPSG:4490")).m2(geo)
    assert 10000 < m2_geo < 11000


def test_schema_detects_chinese_and_pinyin_columns():
    mapping = schema.detect_mapping(
        ["ZDDM", "权利人名称", "土地用途", "所属镇街", "坐落", "出让日期", "备注"], group="base")
    assert mapping == {
        "parcel_code": "ZDDM", "land_use_raw": "土地用途", "town": "所属镇街",
        "owner": "权利人名称", "address": "坐落", "supply_date": "出让日期",
    }
    # units and brackets in headers do not prevent recognition
    ent = schema.detect_mapping(["税收总额（万元）", "工业总产值(万元)", "综合能耗（吨标准煤）"], group="enterprise")
    assert ent == {"tax_10k": "税收总额（万元）", "output_10k": "工业总产值(万元)",
                   "energy_tce": "综合能耗（吨标准煤）"}
    assert schema.alias("tax_per_mu_y1") == "亩均税收(万元/亩)(上年)"


def test_indicators_missing_is_not_zero():
    values = {"area_m2": 20000.0, "tax_10k": 90.0, "output_10k": None, "tax_10k_y1": 60.0,
              "value_added_10k": 300.0, "energy_tce": 0.0, "revenue_10k": 1000.0, "rnd_10k": 30.2}
    out = indicators.compute(values)
    assert out["tax_per_mu"] == pytest.approx(3.0)        # 90 万元 / 30 亩
    assert out["tax_per_ha"] == pytest.approx(45.0)       # 90 万元 / 2 公顷
    assert out["tax_per_mu_y1"] == pytest.approx(2.0)
    assert out["output_per_ha"] is None                    # missing stays missing
    assert out["va_per_energy"] is None                    # zero denominator is not a value
    assert out["rnd_ratio"] == pytest.approx(0.0302)
    assert "output_per_ha_y2" not in out


def test_locale_names_map_to_zh_cn():
    from landeval_plugin.i18n import qm_name_for

    for loc in ("zh-Hans", "zh_CN", "zh-CN", "zh", "zh_Hans_CN"):
        assert qm_name_for(loc) == "landeval_zh_CN"
    assert qm_name_for("en_US") is None


def test_every_tr_string_has_a_chinese_translation():
    import importlib.util
    import os

    spec = importlib.util.spec_from_file_location("i18n_tool",
                                                  os.path.join(os.path.dirname(__file__), "..", "scripts", "i18n.py"))
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    missing = tool.missing()
    assert not missing, ("untranslated tr()/tr_noop() strings (run `.venv/bin/python scripts/i18n.py update`, then "
                         "translate them in i18n/landeval_zh_CN.ts):\n") + "\n".join(
        "{}: {}".format(w, s) for s, w in sorted(missing.items(), key=lambda kv: kv[1]))


def test_translation_loads_for_zh_hans(qgis_app):
    from landeval_plugin.i18n import install_translator, remove_translator, tr

    path = install_translator("zh-Hans")
    try:
        assert path and path.endswith("landeval_zh_CN.qm")
        assert tr("Industrial land evaluation") == "产业用地评估"
    finally:
        remove_translator()
    assert tr("Industrial land evaluation") == "Industrial land evaluation"
