"""研判会 walk-through core (core/meeting/walkthrough.py): the lists, decisions recorded with who,
when and reason as one undo step, progress, storage in the project, the minutes, and the bad inputs."""
import csv
import datetime

import pytest

X0, Y0 = 500000.0, 3300000.0
FIELDS = ("parcel_code:string", "owner:string", "town:string", "grade:string", "score:double", "rank:integer",
          "grade_reason:string", "disposal:string", "disposal_reason:string", "cluster_id:string",
          "grade_y1:string")
# code, town, grade, path, cluster, last year
ROWS = [("330122001001GB00001", "旧县街道", "D", "收储", "K1", "C"),
        ("330122001001GB00002", "旧县街道", "D", "减量", "K1", None),
        ("330122001001GB00003", "旧县街道", "C", "提质", None, "C"),
        ("330122001001GB00004", "横村镇", "D", "收储", "K2", "D"),
        ("330122001001GB00005", "旧县街道", "A", None, None, "A"),
        ("330122001001GB00006", "旧县街道", "D", "更新", "K1", None)]


def rect(n, w=60.0, h=50.0):
    x, y = X0 + n * 100, Y0
    return "POLYGON(({0} {1},{2} {1},{2} {3},{0} {3},{0} {1}))".format(x, y, x + w, y + h)


def make_layer(fields=FIELDS, rows=ROWS, name="已评价地块"):
    from qgis.core import QgsFeature, QgsGeometry, QgsVectorLayer

    layer = QgsVectorLayer("Polygon?crs=EPSG:4549&" + "&".join("field=" + f for f in fields), name, "memory")
    names = layer.fields().names()
    feats = []
    for n, (code, town, grade, path, cluster, last) in enumerate(rows):
        f = QgsFeature(layer.fields())
        f.setGeometry(QgsGeometry.fromWkt(rect(n)))
        values = {"parcel_code": code, "owner": "企业{}".format(n + 1), "town": town, "grade": grade,
                  "score": 40.0 + n, "rank": n + 1, "grade_reason": "亩均税收低于基准", "disposal": path,
                  "disposal_reason": "开发边界内（假设1）" if path else None, "cluster_id": cluster,
                  "grade_y1": last}
        for k, v in values.items():
            if k in names:
                f[k] = v
        feats.append(f)
    assert layer.dataProvider().addFeatures(feats)[0]
    return layer


def codes(items):
    return [c for _, c in items]


def test_lists_town_class_cluster_changed_selection_expression(qgis_new_project):
    from landeval_plugin.core.meeting import walkthrough as w

    layer = make_layer()
    items, what = w.build_list(layer, w.TOWN, "旧县街道", "D")
    assert codes(items) == [ROWS[0][0], ROWS[1][0], ROWS[5][0]]
    assert "旧县街道" in what
    assert codes(w.build_list(layer, w.TOWN, None, "D")[0]) == [ROWS[i][0] for i in (0, 1, 3, 5)]
    assert codes(w.build_list(layer, w.CLUSTER, "K1")[0]) == [ROWS[i][0] for i in (0, 1, 5)]
    ids = [f.id() for f in layer.getFeatures() if f["town"] == "横村镇"]
    layer.selectByIds(ids)
    assert codes(w.build_list(layer, w.SELECTION)[0]) == [ROWS[3][0]]
    assert codes(w.build_list(layer, w.EXPRESSION, expression='"score" >= 43')[0]) == [ROWS[i][0] for i in (3, 4, 5)]
    assert w.distinct(layer, "town") == ["旧县街道", "横村镇"]
    assert w.distinct(layer, "cluster_id") == ["K1", "K2"]
    # nothing changed yet: the changed list is empty, and says so
    with pytest.raises(w.MeetingError, match="list is empty|列表为空"):
        w.build_list(layer, w.CHANGED)
    session = w.Session(layer.id(), items)
    rec = w.decide(layer, session, items[0][0], items[0][1], grade="C", reason="已签订提升协议", by="张三")
    assert rec["action"] == w.CHANGE
    assert codes(w.build_list(layer, w.CHANGED)[0]) == [ROWS[0][0]]
    # a decided class counts in the town list by the decided class
    assert codes(w.build_list(layer, w.TOWN, "旧县街道", "C")[0]) == [ROWS[0][0], ROWS[2][0]]


def test_decision_records_who_when_reason_in_one_undo_step(qgis_new_project):
    from landeval_plugin.core.meeting import walkthrough as w

    layer = make_layer()
    items, what = w.build_list(layer, w.TOWN, "旧县街道", "D")
    session = w.Session(layer.id(), items, w.TOWN, what, "2026年第4次研判会", "2026-11-30")
    at = datetime.datetime(2026, 11, 30, 10, 15, 7)
    before = layer.undoStack().count()
    rec = w.decide(layer, session, items[1][0], items[1][1], path="收储", reason="位于征收范围内", by="李四",
                   at=at)
    assert layer.undoStack().count() == before + 1  # one step for class and path
    f = layer.getFeature(items[1][0])
    assert (f["grade_final"], f["override_reason"], f["override_by"], f["override_at"]) == \
        ("D", "位于征收范围内", "李四", "2026-11-30 10:15:07")
    assert (f["disposal_final"], f["disposal_override_reason"], f["disposal_override_by"],
            f["disposal_override_at"]) == ("收储", "位于征收范围内", "李四", "2026-11-30 10:15:07")
    assert rec == {"code": items[1][1], "fid": items[1][0], "action": w.CHANGE, "grade_before": "D",
                   "grade_after": "D", "path_before": "减量", "path_after": "收储",
                   "reason": "位于征收范围内",
                   "by": "李四", "at": "2026-11-30 10:15:07"}
    assert w.progress(layer, session) == (1, 3)
    # confirm: no reason needed, 研判会确认 written
    rec2 = w.decide(layer, session, items[0][0], items[0][1], by="李四")
    assert rec2["action"] == w.CONFIRM and rec2["grade_after"] == "D" and rec2["path_after"] == "收储"
    assert layer.getFeature(items[0][0])["override_reason"] in ("Confirmed at the review meeting", "研判会确认")
    assert w.progress(layer, session) == (2, 3)
    # undo the confirmation: the parcel is open again, its fields back to empty
    layer.undoStack().undo()
    assert w.progress(layer, session) == (1, 3)
    f0 = layer.getFeature(items[0][0])
    assert not f0["grade_final"] and not f0["disposal_final"]
    layer.undoStack().redo()
    assert w.progress(layer, session) == (2, 3)
    layer.undoStack().undo()
    layer.undoStack().undo()
    assert w.progress(layer, session) == (0, 3)
    # the first decision added the decision fields: undone with it, the layer is as it was
    assert "disposal_final" not in layer.fields().names() and "grade_final" not in layer.fields().names()


def test_bad_inputs_say_what_and_change_nothing(qgis_new_project):
    from landeval_plugin.core.meeting import walkthrough as w

    layer = make_layer()
    items, _ = w.build_list(layer, w.TOWN, "旧县街道", "D")
    session = w.Session(layer.id(), items)
    before = layer.undoStack().count()
    with pytest.raises(w.MeetingError, match=items[0][1]):
        w.decide(layer, session, items[0][0], items[0][1], grade="B", reason="  ", by="张三")
    with pytest.raises(w.MeetingError, match="研判人"):
        w.decide(layer, session, items[0][0], items[0][1], grade="B", reason="整改到位", by="")
    with pytest.raises(w.MeetingError, match="X"):
        w.decide(layer, session, items[0][0], items[0][1], grade="X", reason="r", by="张三")
    assert layer.undoStack().count() == before and session.decisions == []
    assert "grade_final" not in layer.fields().names()
    # deleted while the walk-through is open
    layer.startEditing()
    assert layer.deleteFeature(items[2][0])
    with pytest.raises(w.MeetingError, match=items[2][1]):
        w.decide(layer, session, items[2][0], items[2][1], by="张三")
    assert session.decisions == []
    # a layer without grades
    plain = make_layer(fields=("parcel_code:string", "town:string"), name="底图")
    with pytest.raises(w.MeetingError, match="底图"):
        w.build_list(plain, w.TOWN, "旧县街道", "D")
    with pytest.raises(w.MeetingError, match="grade"):
        w.build_list(plain, w.SELECTION)
    # empty list, bad expression, empty selection
    with pytest.raises(w.MeetingError, match="横村镇"):
        w.build_list(layer, w.TOWN, "横村镇", "A")
    with pytest.raises(w.MeetingError, match="score >"):
        w.build_list(layer, w.EXPRESSION, expression='"score >')
    layer.removeSelection()
    with pytest.raises(w.MeetingError, match="已评价地块"):
        w.build_list(layer, w.SELECTION)


def test_session_resumes_from_the_project(qgis_new_project, tmp_path):
    from qgis.core import QgsProject

    from landeval_plugin.core.meeting import walkthrough as w

    layer = make_layer()
    project = QgsProject.instance()
    project.addMapLayer(layer)
    items, what = w.build_list(layer, w.CLUSTER, "K1")
    session = w.Session(layer.id(), items, w.CLUSTER, what, "片区研判", "2026-11-30", layer_name=layer.name())
    w.decide(layer, session, items[0][0], items[0][1], by="王五")
    session.move(2)
    session.save(project)
    again = w.Session.load(project)
    assert (again.items, again.position, again.title, again.date, again.decisions) == \
        (session.items, 2, "片区研判", "2026-11-30", session.decisions)
    assert again.layer(project) is layer
    assert w.progress(layer, again) == (1, 3)
    path = str(tmp_path / "meeting.qgz")
    assert project.write(path)
    project.clear()
    assert w.Session.load(project) is None
    assert project.read(path)
    resumed = w.Session.load(project)
    assert resumed.position == 2 and resumed.items == session.items and resumed.decisions == session.decisions
    project.removeMapLayer(resumed.layer_id)
    with pytest.raises(w.MeetingError, match="已评价地块"):
        resumed.layer(project)


def test_minutes_workbook_rows_equal_decisions(qgis_new_project, tmp_path):
    from openpyxl import load_workbook

    from landeval_plugin.core.meeting import walkthrough as w

    layer = make_layer()
    items, what = w.build_list(layer, w.TOWN, None, "D")
    session = w.Session(layer.id(), items, w.TOWN, what, "2026年第4次研判会", "2026-11-30")
    with pytest.raises(w.MeetingError, match="minutes.xlsx"):
        w.write_minutes(str(tmp_path / "minutes.xlsx"), layer, session)
    assert not (tmp_path / "minutes.xlsx").exists()
    w.decide(layer, session, items[0][0], items[0][1], grade="C", reason="已签订提升协议", by="张三",
             at=datetime.datetime(2026, 11, 30, 10, 1, 0))
    w.decide(layer, session, items[1][0], items[1][1], by="张三", at=datetime.datetime(2026, 11, 30, 10, 2, 0))
    w.decide(layer, session, items[2][0], items[2][1], path="更新", reason="退二进三", by="张三",
             at=datetime.datetime(2026, 11, 30, 10, 3, 0))
    layer.undoStack().undo()  # the third is taken back: not in the minutes
    path = str(tmp_path / "minutes.xlsx")
    assert w.write_minutes(path, layer, session) == 2
    ws = load_workbook(path).active
    assert "2026年第4次研判会" in ws.cell(1, 1).value
    assert "2026-11-30" in ws.cell(2, 1).value
    assert [c.value for c in ws[3]] == w.minutes_headers()
    body = [[c.value for c in row] for row in ws.iter_rows(min_row=4, max_row=5)]
    assert [r[1] for r in body] == [items[0][1], items[1][1]]
    assert body[0][5:13] == ["D", "C", "收储", "收储", w.tr("Changed"), "已签订提升协议", "张三",
                             "2026-11-30 10:01:00"]
    assert body[1][9] == w.tr("Confirmed")
    assert body[0][4] == pytest.approx(60 * 50 / (10000 / 15), abs=0.01)
    assert ws.freeze_panes == "A4"
    csv_path = str(tmp_path / "minutes.csv")
    assert w.write_minutes(csv_path, layer, session) == 2
    with open(csv_path, encoding="utf-8-sig") as fh:
        lines = list(csv.reader(fh))
    assert lines[-2][1] == items[0][1] and lines[-1][1] == items[1][1]
    html_path = str(tmp_path / "minutes.html")
    assert w.write_minutes(html_path, layer, session) == 2
    text = open(html_path, encoding="utf-8").read()
    assert text.count("<tr>") == 3 and "已签订提升协议" in text


def test_card_reads_the_parcel(qgis_new_project):
    from landeval_plugin.core.meeting import walkthrough as w

    layer = make_layer()
    f = next(layer.getFeatures())
    c = w.card(layer, f)
    assert (c["code"], c["grade"], c["grade_name"], c["town"], c["path"], c["last_year"]) == \
        (ROWS[0][0], "D", "整治退出", "旧县街道", "收储", "C")
    assert c["area_mu"] == pytest.approx(3000 / (10000 / 15))
    assert c["colour"].startswith("#")
    assert "亩均税收低于基准" in c["reasons"]


def test_last_year_class_from_an_earlier_layer(qgis_new_project):
    from landeval_plugin.core.meeting import walkthrough as w

    fields = tuple(f for f in FIELDS if not f.startswith("grade_y1"))
    now = make_layer(fields=fields)
    before = make_layer(rows=[(c, t, "B" if c.endswith("1") else g, p, k, y) for c, t, g, p, k, y in ROWS],
                        name="2025年评价")
    f = next(now.getFeatures())
    assert w.card(now, f)["last_year"] is None
    assert w.card(now, f, previous=before)["last_year"] == "B"
    second = [g for g in now.getFeatures()][1]
    assert w.card(now, second, previous=before)["last_year"] == "D"


def test_minutes_keep_formula_like_text_as_text(qgis_new_project, tmp_path):
    """A reason, a meeting title or an owner that starts with '=' is stored as text in the
    minutes workbook, never as a formula."""
    from openpyxl import load_workbook

    from landeval_plugin.core.meeting import walkthrough as w

    layer = make_layer()
    items, what = w.build_list(layer, w.TOWN, None, "D")
    session = w.Session(layer.id(), items, w.TOWN, what, "=1+1 研判会", "2026-11-30")
    reason = '=HYPERLINK("http://example.invalid","点此")'
    w.decide(layer, session, items[0][0], items[0][1], grade="C", reason=reason, by="@张三",
             at=datetime.datetime(2026, 11, 30, 10, 1, 0))
    path = str(tmp_path / "minutes.xlsx")
    assert w.write_minutes(path, layer, session) == 1
    ws = load_workbook(path).active
    assert ws.cell(1, 1).data_type == "s" and ws.cell(1, 1).value.startswith("=1+1 研判会")
    row = [c for c in ws[4]]
    assert row[10].value == reason and row[10].data_type == "s"
    assert row[11].value == "@张三" and row[11].data_type == "s"
    assert not any(c.data_type == "f" for r in ws.iter_rows() for c in r)


def test_a_parcel_deleted_after_its_decision_stays_in_the_minutes(qgis_new_project, tmp_path):
    """Nothing lost: the room's decision on a parcel deleted afterwards stays in the progress and
    the minutes, marked; an undone decision does not come back."""
    from openpyxl import load_workbook

    from landeval_plugin.core.meeting import walkthrough as w

    layer = make_layer()
    items, what = w.build_list(layer, w.TOWN, "旧县街道", "D")
    session = w.Session(layer.id(), items, w.TOWN, what, "研判会", "2026-11-30")
    w.decide(layer, session, items[0][0], items[0][1], grade="C", reason="已签订提升协议", by="张三",
             at=datetime.datetime(2026, 11, 30, 10, 1, 0))
    w.decide(layer, session, items[1][0], items[1][1], by="张三", at=datetime.datetime(2026, 11, 30, 10, 2, 0))
    assert w.progress(layer, session) == (2, 3)
    assert layer.deleteFeature(items[0][0])
    assert w.progress(layer, session) == (2, 3)
    path = str(tmp_path / "minutes.xlsx")
    assert w.write_minutes(path, layer, session) == 2
    ws = load_workbook(path).active
    body = [[c.value for c in row] for row in ws.iter_rows(min_row=4, max_row=5)]
    assert body[0][1] == items[0][1] and body[0][6] == "C" and body[0][10] == "已签订提升协议"
    assert body[0][9] == w.tr("{} (parcel deleted since)").format(w.tr("Changed"))
    assert body[1][9] == w.tr("Confirmed")
    # the deletion undone: the parcel is back with its decision, no mark
    layer.undoStack().undo()
    assert [r.get("deleted") for r in w.active_decisions(layer, session)] == [None, None]
    # the decision undone as well: it leaves the progress
    layer.undoStack().undo()
    layer.undoStack().undo()
    assert w.progress(layer, session) == (0, 3)


def test_list_of_parcels_whose_class_changed_since_last_year(qgis_new_project):
    """SINCE: the decided-or-computed class differs from last year's, read from a field of the layer
    (grade_y1) or from last year's graded layer by parcel code; a parcel new this year counts."""
    from landeval_plugin.core.meeting import walkthrough as w

    layer = make_layer()
    items, what = w.build_list(layer, w.SINCE)
    assert codes(items) == [ROWS[i][0] for i in (0, 1, 5)]  # D (C last year), D and D (new)
    # a decision changes this year's class: the parcel joins the list
    session = w.Session(layer.id(), items)
    w.decide(layer, session, None, ROWS[3][0], grade="C", reason="整改到位", by="张三")
    assert codes(w.build_list(layer, w.SINCE)[0]) == [ROWS[i][0] for i in (0, 1, 3, 5)]
    # from last year's layer
    fields = tuple(f for f in FIELDS if not f.startswith("grade_y1"))
    now = make_layer(fields=fields)
    before = make_layer(fields=fields, rows=[(c, t, "B" if n == 1 else g, p, k, y)
                                             for n, (c, t, g, p, k, y) in enumerate(ROWS[:5])], name="2025年评价")
    assert codes(w.build_list(now, w.SINCE, previous=before)[0]) == [ROWS[1][0], ROWS[5][0]]
    with pytest.raises(w.MeetingError, match="grade_y1"):
        w.build_list(now, w.SINCE)
