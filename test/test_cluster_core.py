"""连片: hand-drawn cases for the neighbour relation, ids, sums and the Processing outputs."""
import pytest

from landeval_plugin.core.clusters import cluster

X0, Y0 = 500000.0, 3400000.0  # EPSG:4549 (CGCS2000 GK CM 120E), metres


def rect(x, y, w, h):
    x, y = X0 + x, Y0 + y
    return "POLYGON(({0} {1},{2} {1},{2} {3},{0} {3},{0} {1}))".format(x, y, x + w, y + h)


def make_layer(rows, crs="EPSG:4549", fields=("parcel_code:string", "grade:string", "low_eff:boolean",
                                               "town:string", "tax_10k:double"), geometry="MultiPolygon"):
    """rows: list of (wkt, {field: value})."""
    from qgis.core import QgsFeature, QgsGeometry, QgsVectorLayer

    uri = "{}?crs={}&".format(geometry, crs) + "&".join("field=" + f for f in fields)
    layer = QgsVectorLayer(uri, "parcels", "memory")
    assert layer.isValid()
    feats = []
    for wkt, values in rows:
        f = QgsFeature(layer.fields())
        g = QgsGeometry.fromWkt(wkt)
        if geometry.startswith("Multi"):
            g.convertToMultiType()
        f.setGeometry(g)
        for k, v in values.items():
            f[k] = v
        feats.append(f)
    assert layer.dataProvider().addFeatures(feats)[0]
    layer.updateExtents()
    return layer


def d(code, grade="D", **kw):
    out = {"parcel_code": code, "grade": grade}
    out.update(kw)
    return out


def plain(value):
    return None if value is None or (hasattr(value, "isNull") and value.isNull()) else value


def groups_of(layer, gap=0.0, corners=False, flt=cluster.DEFAULT_FILTER, min_parcels=2, min_area=0.0):
    res = cluster.find_clusters(layer, flt, gap, corners, min_area, min_parcels, geometry=False)
    return sorted(sorted(c.parcel_codes.split(",")) for c in res.clusters)


def test_corner_touch_links_only_with_corners(qgis_app):
    layer = make_layer([(rect(0, 0, 100, 100), d("a")), (rect(100, 100, 100, 100), d("b")),
                        (rect(200, 0, 100, 100), d("c"))])
    assert groups_of(layer) == []
    assert groups_of(layer, corners=True) == [["a", "b", "c"]]


def test_sliver_gaps_and_noise(qgis_app):
    # a and b: shared edge 1 mm apart (cadastre noise) -> neighbours at gap 0
    # c: 0.5 m from b (a real sliver gap) -> neighbour only when the gap bridges it
    # e: corner of d overlaps f's corner by 1 µm (noise at a point) -> still a corner touch
    layer = make_layer([
        (rect(0, 0, 100, 100), d("a")), (rect(100.001, 0, 100, 100), d("b")), (rect(200.501, 0, 100, 100), d("c")),
        (rect(0, 500, 100, 100), d("e")), (rect(99.999999, 599.999999, 100, 100), d("f")),
    ])
    assert groups_of(layer) == [["a", "b"]]
    assert groups_of(layer, gap=1.0) == [["a", "b", "c"], ["e", "f"]]  # any contact is within 1 m
    assert groups_of(layer, corners=True) == [["a", "b"], ["e", "f"]]


def test_road_of_20m_with_gaps_10_and_30(qgis_app):
    north = [(rect(i * 50, 20, 50, 60), d("n{}".format(i))) for i in range(3)]
    south = [(rect(i * 50, -60, 50, 60), d("s{}".format(i), grade="C")) for i in range(3)]
    layer = make_layer(north + south)
    assert groups_of(layer) == [["n0", "n1", "n2"], ["s0", "s1", "s2"]]
    assert groups_of(layer, gap=10) == [["n0", "n1", "n2"], ["s0", "s1", "s2"]]
    assert groups_of(layer, gap=30) == [["n0", "n1", "n2", "s0", "s1", "s2"]]
    # exactly 20 m is "distance ≤ gap"
    assert groups_of(layer, gap=20) == [["n0", "n1", "n2", "s0", "s1", "s2"]]
    assert groups_of(layer, gap=19.99) == [["n0", "n1", "n2"], ["s0", "s1", "s2"]]


def test_chain_joins_two_groups_only_when_a_member(qgis_app):
    left = [(rect(0, 0, 50, 50), d("l1")), (rect(50, 0, 50, 50), d("l2"))]
    right = [(rect(200, 0, 50, 50), d("r1")), (rect(250, 0, 50, 50), d("r2"))]
    chain = [(rect(100, 20, 50, 10), d("k1")), (rect(150, 20, 50, 10), d("k2"))]
    layer = make_layer(left + right + chain)
    assert groups_of(layer) == [["k1", "k2", "l1", "l2", "r1", "r2"]]
    chain_a = [(rect(100, 20, 50, 10), d("k1")), (rect(150, 20, 50, 10), d("k2", grade="A"))]
    layer = make_layer(left + right + chain_a)
    assert groups_of(layer) == [["k1", "l1", "l2"], ["r1", "r2"]]


def test_multipart_parcel_bridges_its_parts(qgis_app):
    x, y = X0, Y0
    multi = ("MULTIPOLYGON((({0} {1},{2} {1},{2} {3},{0} {3},{0} {1})),"
             "(({4} {1},{5} {1},{5} {3},{4} {3},{4} {1})))").format(
        x + 100, y, x + 150, y + 50, x + 500, x + 550)
    layer = make_layer([(rect(0, 0, 100, 50), d("w")), (multi, d("m")), (rect(550, 0, 100, 50), d("e"))])
    assert groups_of(layer) == [["e", "m", "w"]]
    # the multipart parcel counts once, with its whole area
    res = cluster.find_clusters(layer, cluster.DEFAULT_FILTER, geometry=True)
    assert res.clusters[0].area_mu == pytest.approx((5000 + 2 * 2500 + 5000) / (10000 / 15))
    # the outline keeps the two separate pieces (nothing bridges 350 m at gap 0)
    assert res.clusters[0].geometry.constGet().numGeometries() == 2


def test_ids_order_sums_and_filter(qgis_app):
    rows = [
        # cluster of 3 (1.5 ha = 22.5 亩) in town 甲/乙
        (rect(0, 0, 100, 50), d("p1", "C", town="甲", tax_10k=10.0)),
        (rect(100, 0, 100, 50), d("p2", "D", town="甲", tax_10k=20.0)),
        (rect(200, 0, 100, 50), d("p3", "D", town="乙")),
        # cluster of 2 bigger ones (2 ha = 30 亩): LP-001
        (rect(0, 1000, 100, 100), d("q1", "C", tax_10k=30.0)),
        (rect(100, 1000, 100, 100), d("q2", "B", low_eff=True, tax_10k=15.0)),
        # a single D parcel and an A pair: not clusters
        (rect(0, 2000, 100, 100), d("s1", "D")),
        (rect(0, 3000, 100, 100), d("a1", "A")), (rect(100, 3000, 100, 100), d("a2", "A")),
    ]
    layer = make_layer(rows)
    res = cluster.find_clusters(layer, cluster.DEFAULT_FILTER, 0.0)
    assert [c.cluster_id for c in res.clusters] == ["LP-001", "LP-002"]
    one, two = res.clusters
    assert one.parcel_codes == "q1,q2" and one.area_mu == pytest.approx(30.0)
    assert one.grade_counts == "B:1 C:1" and one.tax_10k == pytest.approx(45.0)
    assert one.tax_per_mu == pytest.approx(1.5)
    assert two.parcel_codes == "p1,p2,p3" and two.area_mu == pytest.approx(22.5)
    assert two.grade_counts == "C:1 D:2" and two.towns == "甲、乙"
    # tax per 亩 over the members that report tax (p3 has none): 30 万元 / 15 亩
    assert two.tax_10k == pytest.approx(30.0) and two.tax_per_mu == pytest.approx(2.0)
    assert two.label() == "LP-002 · 22 亩 · C×1 D×2"
    assert res.dropped["singles"] == 1
    # minimum area drops the smaller cluster; ids restart from the largest kept
    res = cluster.find_clusters(layer, cluster.DEFAULT_FILTER, 0.0, min_area_mu=25.0, geometry=False)
    assert [(c.cluster_id, c.parcel_codes) for c in res.clusters] == [("LP-001", "q1,q2")]
    assert res.dropped["too_small"] == 1
    # min parcels 1 keeps the single D parcel
    res = cluster.find_clusters(layer, cluster.DEFAULT_FILTER, 0.0, min_parcels=1, geometry=False)
    assert [c.parcel_codes for c in res.clusters] == ["q1,q2", "p1,p2,p3", "s1"]


def test_equal_areas_get_deterministic_ids(qgis_app):
    rows = [(rect(1000, 0, 10, 10), d("z1")), (rect(1010, 0, 10, 10), d("z2")),
            (rect(0, 0, 10, 10), d("b1")), (rect(10, 0, 10, 10), d("b2"))]
    for order in (rows, list(reversed(rows))):
        res = cluster.find_clusters(make_layer(order), cluster.DEFAULT_FILTER, 0.0, geometry=False)
        assert [(c.cluster_id, c.parcel_codes) for c in res.clusters] == [("LP-001", "b1,b2"), ("LP-002", "z1,z2")]


def test_area_from_area_mu_field_when_present(qgis_app):
    fields = ("parcel_code:string", "grade:string", "low_eff:boolean", "area_mu:double")
    layer = make_layer([(rect(0, 0, 100, 100), d("a", area_mu=20.0)), (rect(100, 0, 100, 100), d("b"))], fields=fields)
    res = cluster.find_clusters(layer, cluster.DEFAULT_FILTER, 0.0, geometry=False)
    assert res.clusters[0].area_mu == pytest.approx(20.0 + 15.0)  # b measured: 1 ha = 15 亩


def test_filter_sees_the_reviewed_grade(qgis_app):
    fields = ("parcel_code:string", "grade:string", "grade_final:string", "low_eff:boolean")
    layer = make_layer([(rect(0, 0, 100, 100), d("a", "C")), (rect(100, 0, 100, 100), d("b", "B", grade_final="D")),
                        (rect(200, 0, 100, 100), d("c", "D", grade_final="B"))], fields=fields)
    assert groups_of(layer) == [["a", "b"]]


def test_geographic_layer_uses_metres(qgis_app):
    from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsGeometry, QgsProject

    tr = QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:4549"), QgsCoordinateReferenceSystem("EPSG:4490"),
                                QgsProject.instance())

    def geo(wkt):
        g = QgsGeometry.fromWkt(wkt)
        g.transform(tr)
        return g.asWkt(12)

    north = [(geo(rect(i * 50, 20, 50, 60)), d("n{}".format(i))) for i in range(2)]
    south = [(geo(rect(i * 50, -60, 50, 60)), d("s{}".format(i))) for i in range(2)]
    layer = make_layer(north + south, crs="EPSG:4490")
    assert groups_of(layer, gap=10) == [["n0", "n1"], ["s0", "s1"]]
    assert groups_of(layer, gap=30) == [["n0", "n1", "s0", "s1"]]
    res = cluster.find_clusters(layer, cluster.DEFAULT_FILTER, 30.0)
    assert res.clusters[0].area_mu == pytest.approx(4 * 3000 / (10000 / 15), rel=1e-3)
    assert res.clusters[0].geometry.boundingBox().xMinimum() == pytest.approx(120.0, abs=0.01)  # back in degrees


def test_bad_input_messages(qgis_app):
    points = make_layer([("POINT({} {})".format(X0, Y0), d("a"))], geometry="Point")
    with pytest.raises(cluster.ClusterError, match="polygon"):
        cluster.find_clusters(points)
    lines = make_layer([("LINESTRING({0} {1},{2} {1})".format(X0, Y0, X0 + 5), d("a"))], geometry="LineString")
    with pytest.raises(cluster.ClusterError, match="polygon"):
        cluster.find_clusters(lines)
    no_grade = make_layer([(rect(0, 0, 10, 10), {"parcel_code": "a"})],
                          fields=("parcel_code:string", "low_eff:boolean"))
    with pytest.raises(cluster.ClusterError, match="“grade”.*landeval:grade"):
        cluster.find_clusters(no_grade)
    # a filter on fields the layer has works without grades
    assert cluster.find_clusters(no_grade, '"parcel_code" = \'a\'', min_parcels=1, geometry=False).clusters[0].fids
    layer = make_layer([(rect(0, 0, 10, 10), d("a"))])
    with pytest.raises(cluster.ClusterError, match="0 or more"):
        cluster.find_clusters(layer, gap_m=-5)
    with pytest.raises(cluster.ClusterError, match="cannot be read"):
        cluster.find_clusters(layer, '"grade" IN (')


def test_processing_outputs(qgis_app, run_alg, tmp_path):
    from qgis.core import QgsVectorLayer

    north = [(rect(i * 50, 20, 50, 60), d("n{}".format(i), town="城东")) for i in range(3)]
    south = [(rect(i * 50, -60, 50, 60), d("s{}".format(i), grade="C", tax_10k=9.0)) for i in range(3)]
    other = [(rect(1000, 0, 50, 50), d("x1", grade="A")), (rect(1050, 0, 50, 50), d("x2", grade="B")),
             (rect(3000, 0, 50, 50), d("y1"))]  # a lone D: chosen by the filter, in no cluster
    layer = make_layer(north + south + other)
    out, parcels = str(tmp_path / "clusters.gpkg"), str(tmp_path / "parcels.gpkg")
    res = run_alg("landeval:clusters", {"INPUT": layer, "FILTER": cluster.DEFAULT_FILTER, "GAP_M": 30, "OUTPUT": out,
                                        "OUTPUT_PARCELS": parcels})
    assert res["CLUSTER_COUNT"] == 1
    assert res["MEMBER_COUNT"] == 7 and res["CLUSTERED_COUNT"] == 6
    cl = QgsVectorLayer(res["OUTPUT"], "c", "ogr")
    feats = list(cl.getFeatures())
    assert len(feats) == 1
    f = feats[0]
    assert f["cluster_id"] == "LP-001" and f["parcel_count"] == 6
    assert f["area_mu"] == pytest.approx(6 * 3000 / (10000 / 15))
    assert f["grade_counts"] == "C:3 D:3" and f["towns"] == "城东"
    assert f["tax_10k"] == pytest.approx(27.0) and f["gap_m"] == 30 and f["filter"] == cluster.DEFAULT_FILTER
    # one area on the map: the 20 m road between the rows is closed into the outline
    geom = f.geometry()
    assert geom.constGet().numGeometries() == 1
    assert geom.area() == pytest.approx(150 * 140, rel=0.01)
    pl = QgsVectorLayer(res["OUTPUT_PARCELS"], "p", "ogr")
    ids = {p["parcel_code"]: plain(p["cluster_id"]) for p in pl.getFeatures()}
    assert ids["n0"] == ids["s2"] == "LP-001"
    assert ids["x1"] is None and ids["x2"] is None and ids["y1"] is None
    assert len(ids) == 9


def test_processing_rejects_bad_input_without_writing(qgis_app, run_alg, tmp_path):
    # apart from the test above: a failing run must not keep opened GeoPackage layers alive
    from qgis.core import QgsProcessingException

    layer = make_layer([(rect(0, 0, 50, 50), d("a")), (rect(50, 0, 50, 50), d("b"))])
    with pytest.raises(QgsProcessingException, match=r"The gap must be 0 or more metres \(got -1\)"):
        run_alg("landeval:clusters", {"INPUT": layer, "GAP_M": -1, "OUTPUT": str(tmp_path / "neg.gpkg")})
    assert not (tmp_path / "neg.gpkg").exists()
    no_grade = make_layer([(rect(0, 0, 10, 10), {"parcel_code": "a"})],
                          fields=("parcel_code:string", "low_eff:boolean"))
    with pytest.raises(QgsProcessingException, match="grade"):
        run_alg("landeval:clusters", {"INPUT": no_grade, "FILTER": cluster.DEFAULT_FILTER,
                                      "OUTPUT": str(tmp_path / "ng.gpkg")})
    assert not (tmp_path / "ng.gpkg").exists()
    points = make_layer([("POINT({} {})".format(X0, Y0), d("a"))], geometry="Point")
    with pytest.raises(QgsProcessingException):
        run_alg("landeval:clusters", {"INPUT": points, "OUTPUT": str(tmp_path / "pt.gpkg")})
    assert not (tmp_path / "pt.gpkg").exists()


def test_messages_in_chinese(qgis_app):
    from landeval_plugin.i18n import install_translator, remove_translator

    no_grade = make_layer([(rect(0, 0, 10, 10), {"parcel_code": "a"})],
                          fields=("parcel_code:string", "low_eff:boolean"))
    assert install_translator("zh-Hans")
    try:
        with pytest.raises(cluster.ClusterError) as err:
            cluster.find_clusters(no_grade)
        assert str(err.value).startswith(
            "图层“parcels”缺少筛选表达式“\"grade\" IN ('C','D') OR \"low_eff\"”所用的字段 “grade”。")
        assert "landeval:grade" in str(err.value)
    finally:
        remove_translator()


def test_outline_is_one_area_where_members_link_through_a_narrow_neck(qgis_app):
    # corners 20 m apart on the diagonal: the g/2 closing opens the neck again; a bridge joins them
    diagonal = make_layer([(rect(0, 0, 100, 100), d("a")), (rect(114.142, 114.142, 100, 100), d("b"))])
    res = cluster.find_clusters(diagonal, cluster.DEFAULT_FILTER, 30.0)
    geom = res.clusters[0].geometry
    assert not geom.isMultipart() or geom.constGet().numGeometries() == 1
    # both squares plus a 30 m wide bridge over the 20 m between the corners (round caps inside them)
    assert 20000 + 20 * 30 < geom.area() < 20000 + 20 * 30 + 3.15 * 15 * 15
    assert res.clusters[0].area_mu == pytest.approx(30.0)  # the members' area, not the outline's
    # a corner touch with CORNERS=true: one area too
    corner = make_layer([(rect(0, 0, 100, 100), d("a")), (rect(100, 100, 100, 100), d("b"))])
    geom = cluster.find_clusters(corner, cluster.DEFAULT_FILTER, 0.0, corners=True).clusters[0].geometry
    assert not geom.isMultipart() or geom.constGet().numGeometries() == 1
    assert geom.area() == pytest.approx(20000, abs=0.01)
    # members facing along an edge need no bridge: the outline is the closing alone
    road = make_layer([(rect(0, 0, 100, 100), d("a")), (rect(0, 120, 100, 100), d("b"))])
    assert cluster.find_clusters(road, cluster.DEFAULT_FILTER, 30.0).clusters[0].geometry.area() == pytest.approx(22000)


def test_processing_defaults_do_not_follow_earlier_runs(qgis_app, run_alg, tmp_path):
    # a scripted run without MIN_AREA_MU / FILTER / GAP_M uses the documented defaults, whatever an
    # earlier run or the page left in the settings
    from qgis.core import QgsApplication, QgsSettings

    s = QgsSettings()
    saved = {k: s.value("landeval/clusters/" + k) for k in ("filter", "gap_m", "min_area_mu")}
    s.setValue("landeval/clusters/filter", '"grade" = \'Z\'')
    s.setValue("landeval/clusters/gap_m", 500)
    s.setValue("landeval/clusters/min_area_mu", 50)
    try:
        alg = QgsApplication.processingRegistry().createAlgorithmById("landeval:clusters")
        assert alg.parameterDefinition("FILTER").defaultValue() == cluster.DEFAULT_FILTER
        assert alg.parameterDefinition("GAP_M").defaultValue() == 0
        assert alg.parameterDefinition("MIN_AREA_MU").defaultValue() == 0
        layer = make_layer([(rect(0, 0, 50, 50), d("a")), (rect(50, 0, 50, 50), d("b")),
                            (rect(400, 0, 50, 50), d("c")), (rect(450, 0, 50, 50), d("e"))])
        res = run_alg("landeval:clusters", {"INPUT": layer, "OUTPUT": str(tmp_path / "c.gpkg")})
        assert res["CLUSTER_COUNT"] == 2  # 7.5 亩 clusters kept (min area 0), not joined (gap 0)
        assert s.value("landeval/clusters/min_area_mu") in (50, "50")  # the run does not overwrite the page's
    finally:
        for k, v in saved.items():
            if v is None:
                s.remove("landeval/clusters/" + k)
            else:
                s.setValue("landeval/clusters/" + k, v)
