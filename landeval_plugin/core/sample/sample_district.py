"""A generated sample district: the data a district land bureau hands over, made in code.

Deterministic for a seed (no binary blob in the repository). It writes the files of the
pipeline contract (docs/DEVELOPING.md, step 10):

- ``sample_district.gpkg`` in EPSG:4549 (CGCS2000 / 3-degree Gauss-Kruger CM 120E) with
  layers ``bdcdj`` 不动产登记 (the registered parcels, ``parcels`` of them), ``ydpw`` 用地批文,
  ``tdlyxz`` 土地利用现状 (三调 图斑), ``czkfbj`` 城镇开发边界, ``gybzx`` 工业保障线,
  ``roads``, ``rivers`` and ``towns``;
- ``ydpw_gbk.shp`` the 用地批文 layer as a GBK Shapefile (with ``.cpg``), as older systems
  export it;
- ``企业数据.xlsx``: a title row, a two-row header (指标（单位） over 2021年/2022年/2023年),
  one row per enterprise, messy cells as bureaus send them;
- ``企业地块关联.xlsx``: 统一社会信用代码, 宗地代码, 面积占比 for enterprises on several
  parcels or without a 宗地代码 in the main sheet.

What is deliberately imperfect (so that the pipeline has something to find):
the three source layers disagree (shifted or redrawn boundaries, parcels missing from one
layer or present only in another, 三调 图斑 merging neighbours, a few parcels whose current
use is not industrial), a few self-intersecting ("bowtie") polygons and slivers, two
duplicated 宗地代码 in 不动产登记, a few invalid credit codes, duplicated workbook rows, and
cells like "1,234.5", full-width digits, "—", "无", "12.5万元" and a few negatives.
Booleans are written as 是/否 text, as registers keep them; empty means not surveyed.

Units: 宗地面积 (bdcdj) in m², 批准面积 (ydpw) in 公顷, TBMJ (tdlyxz) in m²; workbook values in the
units of their headers (万元, 吨标准煤, 万千瓦时, 吨, 人). In 企业数据.xlsx data rows start at row 4
(序号 is a number) and a note row closes the sheet; the 宗地代码 cell is empty when the enterprise
is linked only through 企业地块关联.xlsx (whose 面积占比 shares add up to 1 per enterprise), and a
few cells hold a 宗地代码 that matches no parcel or one with spaces/lower case.

Economic values are drawn so that the published thresholds split the parcels into every
class: 亩均税收 3 万元/亩 (Tonglu), 3 亿元/公顷 and 2000 万元/公顷 (Beijing E-Town) and the
Huangyan benchmarks, with a 高新区 of high performers and several contiguous groups of
low-efficiency parcels.
"""
import datetime
import math
import os
import random
import shutil
import struct
import tempfile
from array import array

from ...i18n import tr
from ..enterprise import uscc
from ..units import M2_PER_MU

EPSG = 4549
CENTER_X = 500000.0
CENTER_Y = 3300000.0
YEARS = (2021, 2022, 2023)
REGION = "330122"

GPKG_NAME = "sample_district.gpkg"
SHP_NAME = "ydpw_gbk.shp"
ENTERPRISES_NAME = "企业数据.xlsx"
LINK_NAME = "企业地块关联.xlsx"


def output_files(out_dir):
    """The files generate() writes into ``out_dir`` (the Shapefile with its side files)."""
    stem = os.path.splitext(SHP_NAME)[0]
    return [os.path.join(out_dir, name) for name in (GPKG_NAME, ENTERPRISES_NAME, LINK_NAME)] + \
        [os.path.join(out_dir, stem + ext) for ext in (".shp", ".shx", ".dbf", ".prj", ".cpg")]


LAYERS = ("bdcdj", "ydpw", "tdlyxz", "czkfbj", "gybzx", "roads", "rivers", "towns")
LAYER_TITLES = {
    "bdcdj": "不动产登记", "ydpw": "用地批文", "tdlyxz": "土地利用现状", "czkfbj": "城镇开发边界",
    "gybzx": "工业保障线", "roads": "道路", "rivers": "河流", "towns": "镇街",
}

# (name, 3-digit code in 宗地代码)
TOWNS = (("桐君街道", "001"), ("城南街道", "002"), ("旧县街道", "003"), ("横村镇", "004"),
         ("分水镇", "005"), ("富春江镇", "006"))
RIVER_NAME = "分水江"
ROAD_WORDS = ("迎春", "学圣", "白云", "瑶琳", "富春", "梅林", "春江", "洋洲", "金东", "钟山", "凤鸣",
              "百江", "江南", "合村", "新登", "桐君", "阳山", "滨江", "开元", "振兴", "致远", "工业",
              "创业", "科技", "物流", "青源", "红旗", "文昌", "东兴", "城西")
BRANDS = ("恒达", "华立", "金鑫", "宏远", "永盛", "瑞丰", "天成", "鑫源", "博创", "中天", "新亚", "三江",
          "富盛", "明辉", "佳宝", "立信", "汇丰", "广源", "嘉诚", "联创", "东方", "浙富", "桐星", "亚泰",
          "正泰", "凯达", "华峰", "远大", "昌盛", "万通", "海鸿", "精工", "通达", "万象", "长虹", "新源")
INDUSTRIES_BY_USE = {
    "industrial": ("机械制造", "针织服饰", "制笔", "五金制品", "电子科技", "新材料", "塑料制品", "汽车配件",
                   "包装材料", "医疗器械", "食品", "纺织", "化工", "家具", "光电科技", "模具", "电气"),
    "warehouse": ("物流", "供应链管理", "仓储服务", "快递", "冷链物流"),
    "rnd": ("生物科技", "智能科技", "信息技术", "检测技术", "新能源科技"),
}

# Land-use spellings as they occur in each source (codes, names, or both)
BDCDJ_USES = {
    "industrial": ("工业用地",) * 6 + ("100101", "100102", "1001", "1001 工业用地", "一类工业用地", "二类工业用地"),
    "warehouse": ("仓储用地", "物流仓储用地", "物流仓储用地", "110101", "1101"),
    "rnd": ("科研用地", "科研用地", "0803"),
    "residential": ("城镇住宅用地", "0701"),
    "commercial": ("商业用地", "商务金融用地", "0901"),
    "public": ("公用设施用地", "1301"),
}
YDPW_USES = {
    "industrial": ("M1", "M2", "M2", "M3", "一类工业用地", "二类工业用地", "100102 二类工业用地"),
    "warehouse": ("W1", "W2", "物流仓储用地"),
    "rnd": ("M0", "C65", "科研用地"),
    "residential": ("R2",),
    "commercial": ("B1", "B2"),
    "public": ("U1",),
}
TDLYXZ_USES = {
    "industrial": ("0601", "工业用地"),
    "warehouse": ("0508", "物流仓储用地"),
    "rnd": ("08H2", "科教文卫用地"),
    "residential": ("0701", "城镇住宅用地"),
    "commercial": ("05H1", "商业服务业设施用地"),
    "public": ("0809", "公用设施用地"),
}
INDUSTRIAL_USES = ("industrial", "warehouse", "rnd")

BDCDJ_FIELDS = (
    ("宗地代码", "str"), ("权利人名称", "str"), ("权利性质", "str"), ("土地用途", "str"), ("所属镇街", "str"),
    ("坐落", "str"), ("出让日期", "date"), ("终止日期", "date"), ("宗地面积", "real"),
    ("项目类型", "str"), ("是否达到经济效益承诺", "str"), ("违规违约", "str"), ("出租情况", "str"),
    ("涉法涉诉", "str"), ("烂尾", "str"), ("工改住", "str"), ("闲置", "str"), ("实际为工业用途", "str"),
    ("产业类别", "str"), ("安全隐患", "str"), ("环保违法", "str"), ("投产年限", "real"),
) + (
    # 调查核实 and department lists (Songjiang seed 000 三、四（二）; Tonglu seed 002 三（三）), drawn from
    # a second random stream so that every value above stays as it was for a seed
    ("房屋安全隐患", "str"), ("安全生产条件不达标", "str"), ("环保区域限评", "str"), ("纳入限批", "str"),
    ("优质企业名单", "str"), ("高新技术企业", "str"), ("卡脖子及颠覆性技术项目", "str"), ("空置率", "real"),
    ("物业品质", "str"), ("改变用途经批准", "str"), ("临时改变用途到期未整改", "str"),
)
QUALITY_LISTS = ("专精特新", "企业技术中心", "工业设计中心", "总部型企业", "外资研发中心")
# 统计局 data exist for 规上 enterprises only (seed 000 三: "规上企业（以地块为单位）的统计数据")
STATISTICS_KEYS = ("output", "revenue", "va", "energy", "employees", "fixed_assets")
# Shapefile field names are at most 10 bytes: five Chinese characters in GBK
YDPW_FIELDS = (
    ("地块编号", "str"), ("批文号", "str"), ("土地使用者", "str"), ("用地性质", "str"), ("所属镇街", "str"),
    ("批准日期", "date"), ("批准面积", "real"),
)
TDLYXZ_FIELDS = (
    ("BSM", "str"), ("TBBH", "str"), ("DLBM", "str"), ("DLMC", "str"), ("QSXZ", "str"), ("QSDWMC", "str"),
    ("ZLDWMC", "str"), ("TBMJ", "real"),
)
PLAN_FIELDS = (("名称", "str"), ("批准文号", "str"))
ROAD_FIELDS = (("名称", "str"), ("道路等级", "str"), ("宽度", "real"))
RIVER_FIELDS = (("名称", "str"), ("河道等级", "str"))
TOWN_FIELDS = (("镇街名称", "str"), ("镇街代码", "str"))

# indicator columns of the enterprise workbook: (header, key, decimals)
ENTERPRISE_VALUES = (
    ("税收总额（万元）", "tax", 2), ("工业总产值（万元）", "output", 1), ("营业收入（万元）", "revenue", 1),
    ("工业增加值（万元）", "va", 1), ("综合能耗（吨标准煤）", "energy", 1), ("用电量（万千瓦时）", "power", 1),
    ("主要污染物排放量（吨）", "emission", 3), ("年末从业人数（人）", "employees", 0), ("研发经费（万元）", "rnd", 1),
    ("固定资产原价（万元）", "fixed_assets", 1),
)
ENTERPRISE_FIXED = ("序号", "统一社会信用代码", "企业名称", "宗地代码", "所属镇街", "规上/规下")
# an enterprise's values: one array of numbers, year by year in this order (not a dict per year)
VALUE_KEYS = ("tax", "output", "revenue", "va", "energy", "power", "emission", "employees", "rnd", "fixed_assets")
_VALUE_AT = {(year, key): y * len(VALUE_KEYS) + k for y, year in enumerate(YEARS) for k, key in enumerate(VALUE_KEYS)}
MEAN_PARCEL_M2 = 11000.0


class GenerationCancelled(Exception):
    """Raised when the caller's feedback asks to cancel; nothing is left in out_dir."""


# --------------------------------------------------------------------------------------
# small geometry helpers on coordinate lists (fast, no QGIS objects until the end)

def _clip(poly, nx, ny, c):
    """Part of convex polygon ``poly`` where nx*x + ny*y <= c (Sutherland-Hodgman)."""
    out = []
    n = len(poly)
    for i in range(n):
        x1, y1 = poly[i]
        x2, y2 = poly[(i + 1) % n]
        d1 = nx * x1 + ny * y1 - c
        d2 = nx * x2 + ny * y2 - c
        if d1 <= 0:
            out.append((x1, y1))
        if (d1 < 0 < d2) or (d2 < 0 < d1):
            t = d1 / (d1 - d2)
            out.append((x1 + t * (x2 - x1), y1 + t * (y2 - y1)))
    return out


def _area(poly):
    s = 0.0
    n = len(poly)
    for i in range(n):
        x1, y1 = poly[i]
        x2, y2 = poly[(i + 1) % n]
        s += x1 * y2 - x2 * y1
    return abs(s) / 2.0


def _centroid(poly):
    sx = sum(p[0] for p in poly) / len(poly)
    sy = sum(p[1] for p in poly) / len(poly)
    return sx, sy


def _line_intersection(p, d, q, e):
    """Intersection of lines p + s*d and q + t*e."""
    den = d[0] * e[1] - d[1] * e[0]
    s = ((q[0] - p[0]) * e[1] - (q[1] - p[1]) * e[0]) / den
    return p[0] + s * d[0], p[1] + s * d[1]


class _Warp:
    """A smooth displacement field: applied to every vertex, it bends boundaries the same
    way on both sides, so neighbours stay neighbours while edges stop being straight."""

    def __init__(self, rng):
        self.terms = []
        for amp, lo, hi in ((4.0, 300.0, 700.0), (3.0, 250.0, 500.0), (1.2, 110.0, 180.0)):
            self.terms.append((amp, 2 * math.pi / rng.uniform(lo, hi), 2 * math.pi / rng.uniform(lo, hi),
                               rng.uniform(0, 6.3), rng.uniform(0, 6.3), rng.uniform(0, 6.3)))

    def __call__(self, x, y):
        dx = dy = 0.0
        for amp, kx, ky, p1, p2, p3 in self.terms:
            dx += amp * math.sin(ky * y + p1) * math.cos(kx * x * 0.7 + p3)
            dy += amp * math.sin(kx * x + p2) * math.cos(ky * y * 0.7 + p3)
        return x + dx, y + dy


def _densify_warp(ring, warp, step=20.0):
    """Closed ring (list without repeated end) densified to <= step and warped."""
    out = []
    n = len(ring)
    for i in range(n):
        x1, y1 = ring[i]
        x2, y2 = ring[(i + 1) % n]
        k = max(1, int(math.hypot(x2 - x1, y2 - y1) / step))
        for j in range(k):
            t = j / k
            out.append(warp(x1 + t * (x2 - x1), y1 + t * (y2 - y1)))
    return out


def _polygon_wkb(rings):
    """WKB of a polygon from rings given as lists of (x, y) or flat arrays x, y, x, y ... (a
    parcel's ring), without the closing point."""
    parts = [struct.pack("<BII", 1, 3, len(rings))]
    for ring in rings:
        if isinstance(ring, array):
            coords = array("d", ring)
            coords.append(ring[0])
            coords.append(ring[1])
        else:
            coords = array("d")
            for x, y in ring:
                coords.append(x)
                coords.append(y)
            coords.append(ring[0][0])
            coords.append(ring[0][1])
        parts.append(struct.pack("<I", len(coords) // 2))
        parts.append(coords.tobytes())
    return b"".join(parts)


def _flat(points):
    """A ring of (x, y) as a flat array of numbers (16 bytes a vertex instead of about 110)."""
    out = array("d")
    for x, y in points:
        out.append(x)
        out.append(y)
    return out


def _points(flat):
    """The (x, y) of a flat ring, the same numbers."""
    return list(zip(flat[0::2], flat[1::2]))


def _geometry(rings):
    from qgis.core import QgsGeometry

    g = QgsGeometry()
    g.fromWkb(_polygon_wkb(rings))
    return g


def _rings_of(geom):
    """Outer ring of the largest polygon part of a QgsGeometry, as (x, y) tuples."""
    if geom.isMultipart():
        polys = geom.asMultiPolygon()
        poly = max(polys, key=lambda p: _area([(q.x(), q.y()) for q in p[0]]))
    else:
        poly = geom.asPolygon()
    return [(p.x(), p.y()) for p in poly[0][:-1]]


# --------------------------------------------------------------------------------------

class _Parcel:
    __slots__ = ("id", "parts", "block", "ring", "geom", "area", "cx", "cy", "use", "town", "code", "sibling",
                 "attrs", "registered", "in_gaoxin", "low_zone", "road")

    def __init__(self, pid, parts, block):
        self.id = pid
        self.parts = parts
        self.block = block
        self.sibling = None
        self.attrs = {}
        self.registered = True
        self.in_gaoxin = False
        self.low_zone = False


class _District:
    def __init__(self, parcels, seed, feedback):
        self.n = int(parcels)
        self.rng = random.Random(seed)
        self.rng2 = random.Random(seed * 7919 + 101)  # the survey items and fixed assets (added later)
        self.seed = seed
        self.feedback = feedback
        self.extra = max(3, int(round(self.n * 0.02)))  # approved but never registered
        self.total = self.n + self.extra
        self.half = math.sqrt(self.total * MEAN_PARCEL_M2 * 1.45) / 2.0 + 600.0
        self.warp = _Warp(self.rng)
        self._tag = 0

    # -- progress ------------------------------------------------------------------------
    def progress(self, pct, text=None):
        fb = self.feedback
        if fb is None:
            return
        if fb.isCanceled():
            raise GenerationCancelled()
        fb.setProgress(pct)
        if text:
            fb.pushInfo(text)

    # -- streets, river and blocks -------------------------------------------------------
    def layout(self):
        rng = self.rng
        h = self.half
        # vertical roads x = a + s*(y - cy); horizontal y = b + t*(x - cx)
        self.vroads = []
        x = CENTER_X - h
        i = 0
        while x < CENTER_X + h:
            main = i % 3 == 0
            self.vroads.append((x, rng.uniform(-0.07, 0.07), 40.0 if main else rng.choice((18.0, 24.0)), main))
            x += rng.uniform(380.0, 720.0)
            i += 1
        self.hroads = []
        y = CENTER_Y - h
        i = 0
        while y < CENTER_Y + h:
            main = i % 3 == 1
            self.hroads.append((y, rng.uniform(-0.07, 0.07), 40.0 if main else rng.choice((18.0, 24.0)), main))
            y += rng.uniform(360.0, 650.0)
            i += 1
        names = list(ROAD_WORDS)
        rng.shuffle(names)
        self.road_names = {}
        for k, road in enumerate(self.vroads):
            self.road_names[("v", k)] = names[k % len(names)] + ("大道" if road[3] else "路") + (
                "" if k < len(names) else str(k // len(names) + 1))
        for k, road in enumerate(self.hroads):
            nm = names[(k + 7) % len(names)]
            self.road_names[("h", k)] = nm + ("街" if not road[3] else "大道") + (
                "" if k < len(names) else str(k // len(names) + 1))

        # river: a meander crossing west to east
        amp1, amp2 = rng.uniform(250, 450), rng.uniform(80, 160)
        l1, l2 = rng.uniform(2500, 4000), rng.uniform(900, 1400)
        p1, p2 = rng.uniform(0, 6.3), rng.uniform(0, 6.3)
        y0 = CENTER_Y + rng.uniform(-0.25, 0.25) * h
        self.river_line = []
        x = CENTER_X - h - 400
        while x <= CENTER_X + h + 400:
            self.river_line.append(
                (x, y0 + amp1 * math.sin(2 * math.pi * x / l1 + p1) + amp2 * math.sin(2 * math.pi * x / l2 + p2)))
            x += 40.0
        self.river_width = rng.uniform(70.0, 95.0)

        blocks = []
        for i in range(len(self.vroads) - 1):
            for j in range(len(self.hroads) - 1):
                quad = self._block(i, j)
                if quad and _area(quad) > 20000:
                    blocks.append((i, j, quad))
        cx, cy = CENTER_X, CENTER_Y
        blocks.sort(key=lambda b: (_centroid(b[2])[0] - cx) ** 2 + (_centroid(b[2])[1] - cy) ** 2)
        self.blocks = blocks

    def _vline(self, i, offset):
        a, s, _, _ = self.vroads[i]
        # x = a + s*(y - cy): point (a, cy), direction (s, 1), normal ~(1, -s)
        norm = math.hypot(1, s)
        return (a + offset * norm, CENTER_Y), (s, 1.0)

    def _hline(self, j, offset):
        b, t, _, _ = self.hroads[j]
        norm = math.hypot(1, t)
        return (CENTER_X, b + offset * norm), (1.0, t)

    def _block(self, i, j):
        w = self.vroads[i][2] / 2
        e = self.vroads[i + 1][2] / 2
        s = self.hroads[j][2] / 2
        n = self.hroads[j + 1][2] / 2
        west = self._vline(i, w)
        east = self._vline(i + 1, -e)
        south = self._hline(j, s)
        north = self._hline(j + 1, -n)
        quad = [_line_intersection(*west, *south), _line_intersection(*east, *south),
                _line_intersection(*east, *north), _line_intersection(*west, *north)]
        return quad

    # -- zones -----------------------------------------------------------------------------
    def zones(self):
        rng = self.rng
        # radius of the built-up disc the parcels will fill (blocks are used centre first)
        h = math.sqrt(self.total * 7600.0 * 1.35 / math.pi) / 0.8
        k = len(TOWNS) if self.n >= 1500 else 4
        self.towns = list(TOWNS[:k])
        # town seats: one central, the others on a ring
        self.town_centers = [(CENTER_X + rng.uniform(-0.1, 0.1) * h, CENTER_Y + rng.uniform(-0.1, 0.1) * h)]
        start = rng.uniform(0, 2 * math.pi)
        for t in range(1, k):
            ang = start + 2 * math.pi * (t - 1) / (k - 1) + rng.uniform(-0.3, 0.3)
            r = h * rng.uniform(0.45, 0.6)
            self.town_centers.append((CENTER_X + r * math.cos(ang), CENTER_Y + r * math.sin(ang)))
        # 高新区: high performers; low-efficiency zones: old industrial estates
        ang = rng.uniform(0, 2 * math.pi)
        self.gaoxin = (CENTER_X + 0.3 * h * math.cos(ang), CENTER_Y + 0.3 * h * math.sin(ang), 0.15 * h + 300)
        n_low = max(3, self.n // 500)
        self.low_zones = []
        tries = 0
        while len(self.low_zones) < n_low:
            tries += 1
            r, ang = 0.8 * h * math.sqrt(rng.uniform(0.0, 0.75)), rng.uniform(0, 2 * math.pi)
            x, y = CENTER_X + r * math.cos(ang), CENTER_Y + r * math.sin(ang)
            # a small district can lie wholly inside the 高新区's margin: after many tries the
            # zones may touch it (before, generate(parcels=60) never returned)
            if tries <= 1000 and math.hypot(x - self.gaoxin[0], y - self.gaoxin[1]) < self.gaoxin[2] + 300:
                continue
            self.low_zones.append((x, y, rng.uniform(280.0, 480.0)))

    def town_of(self, x, y):
        best = min(range(len(self.town_centers)),
                   key=lambda t: (self.town_centers[t][0] - x) ** 2 + (self.town_centers[t][1] - y) ** 2)
        return best

    # -- subdivision ---------------------------------------------------------------------
    def subdivide(self):
        rng = self.rng
        self.parcels = []
        from qgis.core import QgsGeometry

        river = QgsGeometry.fromPolylineXY([_pt(x, y) for x, y in self.river_line])
        self.river_geom = river.buffer(self.river_width / 2, 8)
        river_setback = river.buffer(self.river_width / 2 + 12, 8)
        self.block_kinds = {}
        used_blocks = []
        for bi, (_i, _j, quad) in enumerate(self.blocks):
            if len(self.parcels) >= self.total:
                break
            if bi % 50 == 0:
                self.progress(5 + 35 * len(self.parcels) / self.total)
            cx, cy = _centroid(quad)
            town = self.town_of(cx, cy)
            tcx, tcy = self.town_centers[town]
            near_seat = math.hypot(cx - tcx, cy - tcy) < 550
            r = rng.random()
            if near_seat and r < 0.65:
                kind = rng.choice(("residential", "residential", "commercial", "public"))
            elif r < 0.04:
                continue  # park or farmland left inside the grid
            else:
                kind = "industrial"
            in_gx = math.hypot(cx - self.gaoxin[0], cy - self.gaoxin[1]) < self.gaoxin[2]
            used_blocks.append((bi, quad))
            self.block_kinds[bi] = kind
            style = rng.random()
            if kind != "industrial":
                target = rng.uniform(9000, 20000)
            elif style < 0.35:
                target = rng.uniform(3500, 6500)
            elif style < 0.85:
                target = rng.uniform(8000, 16000)
            else:
                target = rng.uniform(25000, 60000)
            leaves = []
            self._split([quad], target, leaves, depth=0)
            for leaf in leaves:
                if len(self.parcels) >= self.total:
                    break
                parts, sib = leaf
                p = _Parcel(len(self.parcels), parts, bi)
                p.sibling = sib
                if not self._finish(p, river_setback):
                    continue
                p.town = self.town_of(p.cx, p.cy)
                p.in_gaoxin = in_gx
                p.use = self._use_for(kind, in_gx)
                p.low_zone = any(math.hypot(p.cx - x, p.cy - y) < rad
                                 for x, y, rad in self.low_zones) and p.use in INDUSTRIAL_USES
                self.parcels.append(p)
        self.used_blocks = used_blocks

    def _use_for(self, kind, in_gx):
        rng = self.rng
        if kind != "industrial":
            return kind
        r = rng.random()
        if in_gx:
            return "rnd" if r < 0.3 else "industrial" if r < 0.93 else "warehouse"
        if r < 0.83:
            return "industrial"
        if r < 0.94:
            return "warehouse"
        if r < 0.96:
            return "rnd"
        return rng.choice(("commercial", "public"))

    def _split(self, parts, target, leaves, depth, sib_tag=None):
        """Recursive irregular split of a convex polygon (parts = [polygon])."""
        rng = self.rng
        poly = parts[0]
        area = _area(poly)
        if area <= target * rng.uniform(1.0, 1.6) or depth > 14:
            leaves.append((parts, sib_tag))
            return
        a, b = self._halves(poly, rng.uniform(0.36, 0.64))
        if not a or not b:
            leaves.append((parts, sib_tag))
            return
        self._tag += 1
        tag = self._tag
        if area < target * 2.6 and rng.random() < 0.12:
            # an L-shape: one half takes a corner of the other
            b1, b2 = self._halves(b, rng.uniform(0.4, 0.6), across=True)
            if b1 and b2 and _area(b1) > 600 and _area(b2) > 600:
                # only the quarter that touches ``a`` makes an L (checked on the real union)
                for corner, rest in ((b1, b2), (b2, b1)):
                    if self._touch(a, corner):
                        leaves.append(([a, corner], tag))
                        leaves.append(([rest], tag))
                        return
        self._split([a], target, leaves, depth + 1, tag)
        self._split([b], target, leaves, depth + 1, tag)

    @staticmethod
    def _touch(a, b):
        """True when convex polygons a and b share a stretch of edge (not just a corner)."""

        inter = _geometry([a]).buffer(0.01, 1).intersection(_geometry([b]).buffer(0.01, 1))
        return not inter.isEmpty() and inter.area() > 0.2

    def _halves(self, poly, t, across=False):
        # long axis from the polygon's longest edge, cut perpendicular to it
        best = None
        n = len(poly)
        for k in range(n):
            x1, y1 = poly[k]
            x2, y2 = poly[(k + 1) % n]
            ln = math.hypot(x2 - x1, y2 - y1)
            if best is None or ln > best[0]:
                best = (ln, (x2 - x1) / ln, (y2 - y1) / ln)
        _, ux, uy = best
        if across:
            ux, uy = -uy, ux
        ang = self.rng.uniform(-0.14, 0.14)
        ca, sa = math.cos(ang), math.sin(ang)
        nx, ny = ux * ca - uy * sa, ux * sa + uy * ca
        proj = [nx * x + ny * y for x, y in poly]
        c = min(proj) + t * (max(proj) - min(proj))
        a = _clip(poly, nx, ny, c)
        b = _clip(poly, -nx, -ny, -c)
        if len(a) < 3 or len(b) < 3 or _area(a) < 300 or _area(b) < 300:
            return None, None
        return a, b

    def _finish(self, p, river_setback):
        """Geometry of a leaf: union of its parts, the river cut out, warped; False to drop."""
        from qgis.core import QgsGeometry

        if len(p.parts) == 1:
            ring = p.parts[0]
            geom = None
        else:
            geom = QgsGeometry.unaryUnion([_geometry([part]) for part in p.parts])
            ring = _rings_of(geom)
        xs = [q[0] for q in ring]
        ys = [q[1] for q in ring]
        bb = self.river_geom.boundingBox()
        if max(xs) > bb.xMinimum() and min(xs) < bb.xMaximum() \
                and max(ys) > bb.yMinimum() - 20 and min(ys) < bb.yMaximum() + 20:
            g = geom or _geometry([ring])
            if g.intersects(river_setback):
                before = g.area()
                g = g.difference(river_setback)
                if g.isEmpty() or g.area() < max(900.0, 0.35 * before):
                    return False
                ring = _rings_of(g)
        ring = _densify_warp(ring, self.warp)
        p.ring = _flat(ring)
        p.parts = None  # only the ring is needed from here on
        p.area = _area(ring)
        p.cx, p.cy = _centroid(ring)
        return p.area >= 300

    # -- attributes --------------------------------------------------------------------------
    def attributes(self):
        # the last `extra` industrial parcels (in generation order, i.e. the district's edge)
        # were approved but never registered: they appear in 用地批文 and 三调 only
        ind = [p for p in self.parcels if p.use in INDUSTRIAL_USES]
        for p in ind[-self.extra:]:
            p.registered = False
        counters = {}
        jiefang = {}
        per_town = {}
        used_names = set()
        for p in self.parcels:
            town_name, town_code = self.towns[p.town]
            key = (p.town, p.block)
            if key not in jiefang:
                per_town[p.town] = per_town.get(p.town, 0) + 1
                jiefang[key] = "{:03d}".format((per_town[p.town] - 1) % 999 + 1)
            jf = jiefang[key]
            counters[(town_code, jf)] = counters.get((town_code, jf), 0) + 1
            p.code = REGION + town_code + jf + "GB" + "{:05d}".format(counters[(town_code, jf)])
            p.attrs = self._parcel_attrs(p, town_name, used_names)
            if p.id % 500 == 0:
                self.progress(40 + 10 * p.id / len(self.parcels))

    def _company_name(self, use, used):
        """A unique, plausible company name (字号 of two syllables, trade, legal form)."""
        rng = self.rng
        trades = INDUSTRIES_BY_USE.get(use, INDUSTRIES_BY_USE["industrial"])
        for _ in range(8):
            brand = rng.choice(BRANDS)
            if rng.random() < 0.6:
                brand = brand[0] + rng.choice(BRANDS)[1]
            name = rng.choice(("桐庐", "杭州", "浙江", "桐庐县", "杭州富春")) + brand + rng.choice(trades) + \
                rng.choice(("有限公司", "有限公司", "有限公司", "股份有限公司", "有限责任公司"))
            if name not in used:
                used.add(name)
                return name
        name = "桐庐{}{}{}有限公司".format(rng.choice(BRANDS), rng.choice(trades), len(used))
        used.add(name)
        return name

    def _parcel_attrs(self, p, town_name, used_names):
        rng = self.rng
        yes = "是"
        no = "否"
        a = {}
        road = self.road_names[("v", min(len(self.vroads) - 1, max(0, self.blocks[p.block][0])))]
        a["坐落"] = "桐庐县{}{}{}号".format(town_name, road, rng.randint(1, 99) * 2 + (p.id % 2))
        a["所属镇街"] = town_name
        a["土地用途"] = rng.choice(BDCDJ_USES[p.use])
        year = int(min(2022, max(1993, rng.gauss(2008, 7))))
        if p.in_gaoxin:
            year = max(year, 2010)
        supply = datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
        a["出让日期"] = supply
        a["权利性质"] = "出让" if year >= 1999 or rng.random() < 0.5 else "划拨"
        life = 50 if p.use in INDUSTRIAL_USES else (70 if p.use == "residential" else 40)
        a["终止日期"] = supply.replace(year=supply.year + life)
        a["宗地面积"] = round(p.area * rng.uniform(0.985, 1.015), 2)
        if p.use not in INDUSTRIAL_USES:
            a["权利人名称"] = rng.choice(("桐庐县人民政府", "桐庐县城市建设发展有限公司", "桐庐县供电公司")) \
                if p.use == "public" \
                else self._company_name("commercial", used_names).replace("有限公司", "置业有限公司")
            return a
        a["权利人名称"] = self._company_name(p.use, used_names)
        r = rng.random()
        ptype = "自用工业用地项目" if r < 0.8 else "立项园区" if r < 0.94 else "城市更新园区"
        a["项目类型"] = ptype
        if ptype == "城市更新园区":
            a["是否达到经济效益承诺"] = yes if rng.random() < 0.55 else no
        elif rng.random() < 0.3:
            a["是否达到经济效益承诺"] = yes if rng.random() < 0.9 else no
        a["违规违约"] = yes if rng.random() < 0.03 else no
        r = rng.random()
        a["出租情况"] = "擅自出租-拒不改正" if r < 0.015 else "未经允许出租-有意愿更新" if r < 0.055 else "无"
        a["涉法涉诉"] = yes if rng.random() < 0.015 else no
        a["烂尾"] = yes if rng.random() < 0.01 else no
        a["工改住"] = yes if rng.random() < 0.006 else no
        a["闲置"] = yes if (rng.random() < 0.03 or a["烂尾"] == yes) else no
        a["实际为工业用途"] = no if (rng.random() < 0.04 or a["工改住"] == yes) else yes
        r = rng.random()
        a["产业类别"] = "禁止" if r < 0.005 else "淘汰" if r < 0.015 else "限制" if r < 0.07 \
            else "鼓励" if r < 0.4 else "允许"
        a["安全隐患"] = yes if rng.random() < 0.03 else no
        a["环保违法"] = yes if rng.random() < 0.02 else no
        start = year + rng.choice((1, 1, 2, 2, 3))
        if a["闲置"] == yes:
            a["投产年限"] = 0.0
        else:
            a["投产年限"] = float(max(0, 2023 - start)) if rng.random() > 0.03 else float(rng.choice((0, 1)))
        # not surveyed: a few blanks as registers have them
        for key in ("安全隐患", "环保违法", "产业类别"):
            if rng.random() < 0.01:
                a.pop(key, None)
        self._survey_attrs(p, a)
        return a

    def _survey_attrs(self, p, a):
        """Songjiang's survey items and department lists, Tonglu's approval of a change of use."""
        r2 = self.rng2
        yes, no = "是", "否"
        a["房屋安全隐患"] = yes if r2.random() < 0.02 else no
        a["安全生产条件不达标"] = yes if r2.random() < 0.015 else no
        a["环保区域限评"] = yes if r2.random() < 0.01 else no
        a["纳入限批"] = yes if r2.random() < 0.01 else no
        good = p.in_gaoxin
        a["优质企业名单"] = r2.choice(QUALITY_LISTS) if r2.random() < (0.25 if good else 0.02) else None
        a["高新技术企业"] = yes if r2.random() < (0.5 if good else 0.08) else no
        a["卡脖子及颠覆性技术项目"] = yes if r2.random() < (0.03 if good else 0.002) else no
        vac = r2.random()
        a["空置率"] = round(r2.uniform(0.5, 1.0) if (a.get("闲置") == yes or vac < 0.05) else
                         r2.uniform(0.2, 0.5) if vac < 0.15 else r2.uniform(0.0, 0.2), 2)
        q = r2.random()
        a["物业品质"] = "差" if q < (0.3 if p.low_zone else 0.08) else "一般" if q < 0.6 else "好"
        if a.get("实际为工业用途") == no:
            k = r2.random()
            a["改变用途经批准"] = yes if k < 0.25 else no
            a["临时改变用途到期未整改"] = yes if 0.25 <= k < 0.4 else no
        else:
            a["改变用途经批准"] = no
            a["临时改变用途到期未整改"] = no
        for key in ("房屋安全隐患", "物业品质", "空置率"):
            if r2.random() < 0.01:
                a.pop(key, None)

    # -- enterprises ---------------------------------------------------------------------------
    def enterprises(self):
        """One record per enterprise: parcels with shares and per-year values."""
        rng = self.rng
        self.firms = []
        used_names = set(p.attrs.get("权利人名称") for p in self.parcels)
        org_seen = set()
        candidates = [p for p in self.parcels if p.use in INDUSTRIAL_USES and p.registered]
        by_id = {p.id: p for p in self.parcels}
        for p in candidates:
            a = p.attrs
            if a.get("闲置") == "是" or a.get("烂尾") == "是":
                continue  # nobody produces there
            mu = p.area / M2_PER_MU
            if p.in_gaoxin:
                tax_mu = rng.lognormvariate(math.log(210.0), 0.6)
            elif p.low_zone:
                tax_mu = rng.lognormvariate(math.log(1.2), 0.55)
            else:
                tax_mu = rng.lognormvariate(math.log(13.0), 0.9)
            if a.get("项目类型") in ("立项园区", "城市更新园区"):
                k = rng.choice((2, 3, 3, 4, 5))
            else:
                k = 1 if rng.random() < 0.88 else 2
            shares = [rng.uniform(0.5, 1.5) for _ in range(k)]
            tot = sum(shares)
            ratio = rng.lognormvariate(math.log(14.5), 0.35)
            growth = rng.gauss(0.04, 0.08)
            for k_firm, s in enumerate(shares):
                firm = _Firm(self._credit_code(org_seen), [(p.code, 1.0)], a["所属镇街"])
                # the right holder produces there itself; tenants of a 园区 have their own names
                firm.name = a["权利人名称"] if k_firm == 0 else self._company_name(p.use, used_names)
                base_tax = tax_mu * mu * s / tot
                firm.values, firm.scale = self._values(base_tax, ratio, growth, p.low_zone)
                self.firms.append(firm)
        # a few enterprises spread over two neighbouring parcels (linked by the link table)
        registered = [p for p in candidates if p.attrs.get("闲置") != "是"]
        by_code = {p.code: p for p in registered}
        del by_id
        for firm in self.firms:
            if rng.random() < 0.03:
                other = rng.choice(registered)
                if other.code != firm.parcels[0][0] and other.code in by_code:
                    share = round(rng.uniform(0.5, 0.8), 2)
                    firm.parcels = [(firm.parcels[0][0], share), (other.code, round(1 - share, 2))]

    def _credit_code(self, seen):
        rng = self.rng
        alphabet = uscc.ALPHABET
        while True:
            body = "MA" + "".join(rng.choice(alphabet) for _ in range(6))
            org = body + uscc.org_check_digit(body)
            if org[-1] not in alphabet or org in seen:
                continue
            seen.add(org)
            return uscc.make("9", "1", REGION, body)

    def _values(self, tax23, ratio, growth, low):
        """(the values of YEARS × VALUE_KEYS in one array, 规上 or 规下)."""
        rng = self.rng
        out = array("d")
        for year in YEARS:
            f = (1 + growth) ** (year - 2023) * rng.lognormvariate(0, 0.12)
            tax = tax23 * f
            if low:
                tax = min(tax, tax23 * 1.3)
            output = tax * ratio * rng.lognormvariate(0, 0.08)
            va = output * rng.uniform(0.2, 0.32)
            revenue = output * rng.uniform(0.95, 1.15)
            # drawn in this order (the values of a seed stay as they were)
            energy = va / (2.694 * rng.lognormvariate(0, 0.5))
            power = tax / (0.2352 * rng.lognormvariate(0, 0.5))
            emission = va / (4929.81 * rng.lognormvariate(0, 0.7))
            employees = max(5, int(round(va / (18.14 * rng.lognormvariate(0, 0.4)))))  # exact as a double
            rnd = revenue * 0.0302 * rng.lognormvariate(0, 0.8) if rng.random() > 0.2 else 0.0
            # 固定资产原价 from the second stream, so the values above stay as they were for a seed
            fixed_assets = output * self.rng2.uniform(0.4, 0.9)
            out.extend((tax, output, revenue, va, energy, power, emission, employees, rnd, fixed_assets))
        return out, "规上" if out[_VALUE_AT[2023, "revenue"]] >= 2000 else "规下"


class _Firm:
    """An enterprise: credit code, [(宗地代码, share)], town, name, values (see _values), scale."""
    __slots__ = ("code", "parcels", "town", "name", "values", "scale")

    def __init__(self, code, parcels, town):
        self.code, self.parcels, self.town = code, parcels, town


def _pt(x, y):
    from qgis.core import QgsPointXY

    return QgsPointXY(x, y)


# --------------------------------------------------------------------------------------
# source layers

def _ydpw_records(d):
    """用地批文: most industrial parcels, redrawn boundaries, a few bowties and slivers."""
    rng = d.rng
    recs = []
    seq = {}
    for p in d.parcels:
        if p.use not in INDUSTRIAL_USES and rng.random() > 0.3:
            continue
        if p.registered and rng.random() < 0.07:
            continue  # old allocation: no approval on file
        year = p.attrs["出让日期"].year
        seq[year] = seq.get(year, 0) + 1
        ring = p.ring  # flat; a redrawn ring is made from its points and kept flat too
        r = rng.random()
        if r < 0.12:
            dx, dy = rng.uniform(-4, 4), rng.uniform(-4, 4)
            ring = _flat([(x + dx, y + dy) for x, y in _points(ring)])  # digitised on another base
        elif r < 0.2:
            # approval drawn before the survey: fewer vertices, boundary a few metres off
            points = _points(ring)
            points = points[::3] if len(points) > 9 else points
            cx, cy = p.cx, p.cy
            k = rng.uniform(0.97, 1.03)
            ring = _flat([(cx + (x - cx) * k, cy + (y - cy) * k) for x, y in points])
        wkb_rings = [ring]
        doc = "桐土批〔{}〕{}号".format(year, seq[year])
        recs.append({
            "地块编号": "DK{}-{:04d}".format(year, seq[year])
                        + ("" if rng.random() < 0.8 else "-{}".format(rng.randint(1, 3))),
            "批文号": doc,
            "土地使用者": p.attrs.get("权利人名称"),
            "用地性质": rng.choice(YDPW_USES[p.use]),
            "所属镇街": p.attrs["所属镇街"],
            "批准日期": p.attrs["出让日期"] - datetime.timedelta(days=rng.randint(20, 200)),
            "批准面积": round(p.area / 10000.0 * rng.uniform(0.99, 1.01), 4),
            "_rings": wkb_rings,
        })
    for k in rng.sample(range(len(recs)), YDPW_BOWTIES(d.n)):
        recs[k]["_rings"] = [_bowtie(recs[k]["_rings"][0])]
    # slivers left by digitising along neighbours
    for _ in range(max(2, d.n // 1000)):
        p = rng.choice(d.parcels)
        x1, y1, x2, y2 = p.ring[:4]
        recs.append({"地块编号": "DK-SLIVER-{:03d}".format(len(recs) % 1000), "批文号": None, "土地使用者": None,
                     "用地性质": "M2", "所属镇街": p.attrs["所属镇街"], "批准日期": None, "批准面积": 0.0,
                     "_rings": [[(x1, y1), (x2, y2), (x2 + 0.3, y2 + 0.4)]]})
    return recs


def _bdcdj_records(d):
    """不动产登记: the registered parcels. The random draws are made now; the records, one at a
    time, when the writer iterates (no copy of every parcel's attributes is held)."""
    registered = [p for p in d.parcels if p.registered]
    # a few self-intersecting ("bowtie") polygons: two corners swapped when digitising
    bowties = set(d.rng.sample(range(len(registered)), BDCDJ_BOWTIES(d.n)))

    def record(k):
        p = registered[k]
        rec = dict(p.attrs)
        rec["宗地代码"] = p.code
        rec["_rings"] = [_bowtie(p.ring) if k in bowties else p.ring]
        if k in bowties:
            rec["_bowtie"] = True
        return rec

    def records():
        n = len(registered)
        # two parcels registered twice (a split that was never cleaned up); the count stays
        # ``parcels`` because the last two parcels at the district's edge are left unregistered
        for k in list(range(n - 2)) + [n // 3, 2 * n // 3]:
            yield record(k)

    return records


def BDCDJ_BOWTIES(n):  # noqa: N802
    return max(2, n // 1500)


def YDPW_BOWTIES(n):  # noqa: N802
    return max(3, n // 800)


def _bowtie(ring):
    """Swap two vertices so that the boundary crosses itself."""
    q = _points(ring) if isinstance(ring, array) else list(ring)
    m = len(q) // 2
    q[1], q[m] = q[m], q[1]
    return _flat(q) if isinstance(ring, array) else q


def _tdlyxz_records(d):
    """三调 图斑: a 图斑 merges sibling parcels of the same class; current use may differ. The
    random draws are made now; the records (and the unions) when the writer iterates."""
    from qgis.core import QgsGeometry

    rng = d.rng
    groups = {}
    for p in d.parcels:
        use = p.use
        if p.use in INDUSTRIAL_USES and (p.attrs.get("工改住") == "是" or p.attrs.get("实际为工业用途") == "否"):
            use = "residential" if p.attrs.get("工改住") == "是" else "commercial"
        key = (p.sibling, use) if (p.sibling is not None and rng.random() < 0.45) else ("single", p.id)
        groups.setdefault(key, []).append((p, use))

    def records():  # the merged outlines made one at a time, as the writer asks for them
        bsm = 0
        for members in groups.values():
            use = members[0][1]
            if len(members) == 1:
                rings = [members[0][0].ring]
                area = members[0][0].area
            else:
                g = QgsGeometry.unaryUnion([_geometry([m[0].ring]) for m in members])
                g = g.buffer(0.05, 2).buffer(-0.05, 2)  # close hair-line gaps between warped edges
                rings = [_rings_of(g)]
                area = g.area()
            p = members[0][0]
            bsm += 1
            code, name = TDLYXZ_USES[use]
            yield {"BSM": "{}{:08d}".format(REGION, bsm), "TBBH": str(bsm), "DLBM": code, "DLMC": name,
                   "QSXZ": "20", "QSDWMC": d.towns[p.town][0], "ZLDWMC": d.towns[p.town][0],
                   "TBMJ": round(area, 2), "_rings": rings}
            if bsm % 1000 == 0:
                d.progress(70 + 5 * bsm / max(1, len(groups)))
        river = _rings_of(d.river_geom)
        bsm += 1
        yield {"BSM": "{}{:08d}".format(REGION, bsm), "TBBH": str(bsm), "DLBM": "1101", "DLMC": "河流水面",
               "QSXZ": "10", "QSDWMC": RIVER_NAME, "ZLDWMC": RIVER_NAME, "TBMJ": round(d.river_geom.area(), 2),
               "_rings": [river]}

    return records


def _planning_records(d):
    """城镇开发边界 (a lobed outline of most of the district) and 工业保障线 blobs inside it."""

    rng = d.rng
    # sizes follow where the parcels actually are, not the street grid's margin
    dist = sorted(math.hypot(p.cx - CENTER_X, p.cy - CENTER_Y) for p in d.parcels)
    h = dist[int(0.85 * (len(dist) - 1))] / 0.78

    def blob(cx, cy, r, wobble, n=72):
        terms = [(rng.uniform(0, wobble), rng.randint(2, 5), rng.uniform(0, 6.3)) for _ in range(3)]
        ring = []
        for k in range(n):
            t = 2 * math.pi * k / n
            rr = r * (1 + sum(a * math.sin(m * t + ph) for a, m, ph in terms))
            ring.append((cx + rr * math.cos(t), cy + rr * math.sin(t)))
        return ring

    main = _geometry([blob(CENTER_X, CENTER_Y, 0.78 * h, 0.12)])
    czk = [{"名称": "桐庐县城镇开发边界", "批准文号": "浙政函〔2023〕68号", "_geom": main}]
    # a detached town seat outside the main outline
    far = None
    if len(d.town_centers) > 1:
        far = max(d.town_centers[1:], key=lambda c: math.hypot(c[0] - CENTER_X, c[1] - CENTER_Y))
    if far is not None:
        satellite = _geometry([blob(far[0], far[1], 0.15 * h, 0.1)])
        if not satellite.intersects(main):
            czk.append({"名称": "桐庐县城镇开发边界", "批准文号": "浙政函〔2023〕68号", "_geom": satellite})
        else:
            czk[0]["_geom"] = main.combine(satellite)
    boundary = czk[0]["_geom"]
    gyb = []
    centers = [(d.gaoxin[0], d.gaoxin[1], d.gaoxin[2] * 1.1)]
    for _ in range(max(2, min(6, d.n // 1200))):
        ang = rng.uniform(0, 2 * math.pi)
        rr = rng.uniform(0.2, 0.55) * h
        centers.append((CENTER_X + rr * math.cos(ang), CENTER_Y + rr * math.sin(ang), rng.uniform(0.12, 0.2) * h))
    for k, (cx, cy, r) in enumerate(centers):
        g = _geometry([blob(cx, cy, r, 0.15)]).intersection(boundary)
        if g.isEmpty():
            continue
        gyb.append({"名称": "工业保障线{}号片区".format(k + 1), "批准文号": "桐政发〔2022〕15号", "_geom": g})
    return czk, gyb


def _roads_and_towns(d):
    from qgis.core import QgsGeometry

    corners = QgsGeometry.fromMultiPointXY([_pt(x, y) for _, quad in d.used_blocks for x, y in quad])
    hull = corners.convexHull().buffer(150, 4)
    roads = []
    h = d.half
    for k, (a, s, w, main) in enumerate(d.vroads):
        line = QgsGeometry.fromPolylineXY([_pt(a + s * (-h - 300), CENTER_Y - h - 300),
                                           _pt(a + s * (h + 300), CENTER_Y + h + 300)]).intersection(hull)
        if not line.isEmpty():
            roads.append({"名称": d.road_names[("v", k)], "道路等级": "主干路" if main else "支路",
                          "宽度": w, "_geom": line})
    for k, (b, t, w, main) in enumerate(d.hroads):
        line = QgsGeometry.fromPolylineXY([_pt(CENTER_X - h - 300, b + t * (-h - 300)),
                                           _pt(CENTER_X + h + 300, b + t * (h + 300))]).intersection(hull)
        if not line.isEmpty():
            roads.append({"名称": d.road_names[("h", k)], "道路等级": "主干路" if main else "次干路",
                          "宽度": w, "_geom": line})
    river = d.river_geom.intersection(hull.buffer(400, 4))
    rivers = [{"名称": RIVER_NAME, "河道等级": "县级河道", "_geom": river}]
    # towns: Voronoi cells of the town seats, clipped to the district
    pts = QgsGeometry.fromMultiPointXY([_pt(x, y) for x, y in d.town_centers])
    cells = pts.voronoiDiagram(hull.buffer(2000, 4))
    towns = []
    for cell in cells.asGeometryCollection():
        c = cell.intersection(hull)
        if c.isEmpty():
            continue
        pc = c.pointOnSurface().asPoint()
        # a cell is the town whose seat lies inside it
        t = d.town_of(pc.x(), pc.y())
        for idx, (x, y) in enumerate(d.town_centers):
            if cell.contains(QgsGeometry.fromPointXY(_pt(x, y))):
                t = idx
        towns.append({"镇街名称": d.towns[t][0], "镇街代码": REGION + d.towns[t][1], "_geom": c})
    towns.sort(key=lambda r: r["镇街代码"])
    return roads, rivers, towns


# --------------------------------------------------------------------------------------
# writers

def _ogr_type(kind):
    from osgeo import ogr

    return {"str": ogr.OFTString, "real": ogr.OFTReal, "date": ogr.OFTDate, "int": ogr.OFTInteger}[kind]


def _write_layer(ds, name, fields, records, geom_type, title=None, options=None):
    """Write ``records`` (a list, or a function giving them one at a time); returns how many."""
    from osgeo import ogr, osr

    srs = osr.SpatialReference()
    srs.ImportFromEPSG(EPSG)
    opts = list(options or [])
    if title and ds.GetDriver().GetName() == "GPKG":
        opts += ["IDENTIFIER=" + title, "DESCRIPTION=" + title]
    layer = ds.CreateLayer(name, srs, geom_type, opts)
    for fname, kind in fields:
        fd = ogr.FieldDefn(fname, _ogr_type(kind))
        if kind == "str":
            fd.SetWidth(80 if ds.GetDriver().GetName() == "ESRI Shapefile" else 0)
        layer.CreateField(fd)
    defn = layer.GetLayerDefn()
    layer.StartTransaction()
    count = 0
    for rec in records() if callable(records) else records:
        feat = ogr.Feature(defn)
        for idx, (fname, kind) in enumerate(fields):
            v = rec.get(fname)
            if v is None:
                continue
            if kind == "date":
                feat.SetField(idx, v.year, v.month, v.day, 0, 0, 0, 0)
            else:
                feat.SetField(idx, v)
        if "_rings" in rec:
            geom = ogr.CreateGeometryFromWkb(_polygon_wkb(rec["_rings"]))
        else:
            geom = ogr.CreateGeometryFromWkb(bytes(rec["_geom"].asWkb()))
            if geom is None:
                raise ValueError("{}: cannot write geometry {}".format(name, rec["_geom"].asWkt(2)[:200]))
        if geom_type == ogr.wkbMultiPolygon and geom.GetGeometryType() == ogr.wkbPolygon:
            geom = ogr.ForceToMultiPolygon(geom)
        elif geom_type == ogr.wkbMultiLineString and geom.GetGeometryType() == ogr.wkbLineString:
            geom = ogr.ForceToMultiLineString(geom)
        feat.SetGeometryDirectly(geom)
        if layer.CreateFeature(feat) != 0:  # a full disk or no permission: never a short file
            raise OSError(0, "{}: {}".format(name, _gdal_error()))
        count += 1
    if layer.CommitTransaction() != 0:
        raise OSError(0, "{}: {}".format(name, _gdal_error()))
    return count


def _gdal_error():
    from osgeo import gdal

    return gdal.GetLastErrorMsg() or "write failed"


def _write_gpkg(path, layers):
    """Write the layers; returns {layer: features written}."""
    from osgeo import ogr

    driver = ogr.GetDriverByName("GPKG")
    ds = driver.CreateDataSource(path)
    counts = {}
    try:
        for name, fields, records, gtype in layers:
            counts[name] = _write_layer(ds, name, fields, records, gtype, LAYER_TITLES[name], ["SPATIAL_INDEX=YES"])
    finally:
        ds = None
    return counts


def _write_shapefile(path, fields, records):
    from osgeo import gdal, ogr

    # QGIS sets GDAL's process-wide SHAPE_ENCODING to "" (no recoding) once any layer's
    # encoding has been set; ENCODING=CP936 is then ignored and UTF-8 bytes land in a file
    # labelled GBK. Unset it for this write and put back what was there.
    saved = gdal.GetConfigOption("SHAPE_ENCODING")
    gdal.SetConfigOption("SHAPE_ENCODING", None)
    driver = ogr.GetDriverByName("ESRI Shapefile")
    ds = driver.CreateDataSource(os.path.dirname(path))
    try:
        _write_layer(ds, os.path.splitext(os.path.basename(path))[0], fields, records, ogr.wkbPolygon,
                     options=["ENCODING=CP936"])
    finally:
        ds = None
        gdal.SetConfigOption("SHAPE_ENCODING", saved)
    cpg = os.path.splitext(path)[0] + ".cpg"
    with open(cpg, "w", encoding="ascii") as fh:
        fh.write("GBK")


def _messy(rng, value, decimals, key):
    """A cell as a bureau's spreadsheet has it: mostly a number, sometimes text."""
    r = rng.random()
    if value is None:
        return None
    if decimals == 0:
        value = int(round(value))
    else:
        value = round(value, decimals)
    if r < 0.006:
        return "—"
    if r < 0.010:
        return "无"
    if r < 0.014:
        return None
    if r < 0.022 and abs(value) >= 1000:
        return "{:,.{}f}".format(value, decimals)
    if r < 0.027:
        return str(value).translate(str.maketrans("0123456789.-", "０１２３４５６７８９．－"))
    if r < 0.031 and key in ("tax", "output", "revenue", "va", "rnd"):
        return "{}万元".format(value)
    if r < 0.033 and key == "tax":
        return -round(abs(value) * 0.1 + 0.5, decimals)  # a refund year
    return value


def _write_enterprises(path, link_path, d):
    """Both workbooks, in openpyxl's write-only mode, their sheets streamed to the file (openpyxl's
    standard-library writer alone builds a sheet in memory: 2 GB at 100k parcels)."""
    from ..formats.xlsx_stream import streamed_worksheets

    with streamed_worksheets() as reason:
        if reason and d.feedback is not None:
            d.feedback.pushInfo(tr("The enterprise workbook is written by openpyxl's own XML writer ({}), which "
                                   "may hold the whole sheet in memory.").format(reason))
        _write_workbooks(path, link_path, d)


def _write_workbooks(path, link_path, d):
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.cell_range import CellRange

    from ..formats.xlsx_text import row_of_cells  # generated text too is stored as text, never a formula

    rng = d.rng
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("企业数据")
    ncols = len(ENTERPRISE_FIXED) + len(ENTERPRISE_VALUES) * len(YEARS)
    widths = {1: 6, 2: 22, 3: 30, 4: 22, 5: 10, 6: 9}
    for c in range(1, ncols + 1):
        ws.column_dimensions[get_column_letter(c)].width = widths.get(c, 12)
    ws.freeze_panes = "D4"

    def merge(r1, c1, r2, c2):
        ws.merged_cells.add(CellRange(min_row=r1, min_col=c1, max_row=r2, max_col=c2))

    bold = Font(bold=True)
    centred = Alignment(horizontal="center", vertical="center", wrap_text=True)

    def head(value, font=bold):
        cell = WriteOnlyCell(ws, value=value)
        cell.font = font
        cell.alignment = centred
        return cell

    title = head("桐庐县{}—{}年度工业企业亩均效益综合评价基础数据".format(YEARS[0], YEARS[-1]),
                 Font(bold=True, size=14))
    ws.append([title] + [None] * (ncols - 1))
    merge(1, 1, 1, ncols)
    row2 = [head(name) for name in ENTERPRISE_FIXED]
    row3 = [head(None) for _ in ENTERPRISE_FIXED]
    for c in range(1, len(ENTERPRISE_FIXED) + 1):
        merge(2, c, 3, c)
    col = len(ENTERPRISE_FIXED) + 1
    for header, _, _ in ENTERPRISE_VALUES:
        row2 += [head(header)] + [head(None) for _ in YEARS[1:]]
        row3 += [head("{}年".format(year)) for year in YEARS]
        merge(2, col, 2, col + len(YEARS) - 1)
        col += len(YEARS)
    ws.append(row2)
    ws.append(row3)

    links = []
    k = 0
    nf = len(d.firms)
    n_typo, n_space, n_twice, n_bad_parcel, n_lower = (max(2, nf // 120), max(1, nf // 250), max(2, nf // 170),
                                                       max(2, nf // 200), max(1, nf // 400))
    picks = rng.sample(range(nf), min(nf, n_typo + n_space + n_twice + n_bad_parcel + n_lower))
    typos = set(picks[:n_typo])
    spaces = set(picks[n_typo:n_typo + n_space])
    twice = set(picks[n_typo + n_space:n_typo + n_space + n_twice])
    bad_parcel = set(picks[n_typo + n_space + n_twice:n_typo + n_space + n_twice + n_bad_parcel])
    lower = set(picks[n_typo + n_space + n_twice + n_bad_parcel:])
    try:
        for i, firm in enumerate(d.firms):
            if i % 2000 == 0:
                d.progress(85 + 13 * i / max(1, nf))
            code = firm.code
            if i in typos:
                code = code[:17] + uscc.ALPHABET[(uscc.ALPHABET.index(code[17]) + 1) % 31]  # a typo
            elif i in spaces:
                code = code[:8] + " " + code[8:]  # a space typed in (still the right code)
            parcel_cell = firm.parcels[0][0]
            if len(firm.parcels) > 1:
                for pc, share in firm.parcels:
                    links.append((firm.code, pc, share))
                if rng.random() < 0.5:
                    parcel_cell = None
            elif rng.random() < 0.025:
                links.append((firm.code, parcel_cell, 1.0))
                parcel_cell = None  # known only through the link table
            if parcel_cell and i in bad_parcel:
                parcel_cell = parcel_cell[:14] + "9" + parcel_cell[15:]  # a 宗地代码 that matches no parcel
            elif parcel_cell and i in lower:
                parcel_cell = " " + parcel_cell.lower()  # still the right parcel once cleaned
            vals = []
            for _, key, dec in ENTERPRISE_VALUES:
                for year in YEARS:
                    value = firm.values[_VALUE_AT[year, key]]
                    if key in STATISTICS_KEYS and firm.scale == "规下":
                        if key != "fixed_assets":
                            _messy(rng, value, dec, key)  # same random stream as before
                        vals.append(None)  # 统计局 reports 规上 enterprises only
                    elif key == "fixed_assets":
                        vals.append(_messy(d.rng2, value, dec, key))
                    else:
                        vals.append(_messy(rng, value, dec, key))
            row = [code, firm.name, parcel_cell, firm.town, firm.scale] + vals
            k += 1
            ws.append(row_of_cells(ws, [k] + row))
            if i in twice:
                k += 1
                ws.append(row_of_cells(ws, [k] + row))  # the same enterprise reported twice
    except GenerationCancelled:
        ws.close()  # end the half-written stream cleanly; the temporary folder is removed anyway
        raise
    ws.append([])
    ws.append(["注：税收、产值数据来源于县税务局、统计局；能耗、用电来源于县发改局、供电公司；“—”“无”表示未报送。"])
    wb.save(path)

    # link table, with a few rows that match nothing (as data from two bureaus does)
    if d.firms:
        for _ in range(max(2, len(d.firms) // 1000)):
            links.append((d.firms[rng.randrange(len(d.firms))].code, REGION + "999999GB99999", 1.0))
        links.append((d._credit_code(set(f.code[8:17] for f in d.firms)),
                      d.parcels[0].code if d.parcels else None, 1.0))
    wb2 = openpyxl.Workbook(write_only=True)
    ws2 = wb2.create_sheet("企业地块关联")
    ws2.column_dimensions["A"].width = 22
    ws2.column_dimensions["B"].width = 22
    ws2.append(["统一社会信用代码", "宗地代码", "面积占比"])
    for row in links:
        ws2.append(row_of_cells(ws2, list(row)))
    wb2.save(link_path)


def generate(out_dir, parcels=3000, seed=42, feedback=None):
    """Write the sample district into ``out_dir``; returns {gpkg, ydpw_shp, enterprises_xlsx,
    link_xlsx} (absolute paths). Files are written to a temporary folder first and moved into
    place at the end, so a cancelled or failed run leaves the previous files untouched."""
    from osgeo import ogr

    if int(parcels) < 50:
        raise ValueError("parcels must be at least 50")
    out_dir = os.path.abspath(out_dir)
    os.makedirs(out_dir, exist_ok=True)
    d = _District(parcels, seed, feedback)
    tmp = tempfile.mkdtemp(prefix=".sample_district_", dir=out_dir)
    try:
        d.progress(0, tr("Laying out blocks, roads and the river"))
        d.layout()
        d.zones()
        d.subdivide()
        d.progress(40, tr("Parcel attributes and enterprises"))
        d.attributes()
        d.enterprises()
        d.progress(50, tr("Source layers: register, approvals, land use survey"))
        bdcdj = _bdcdj_records(d)
        ydpw = _ydpw_records(d)
        tdlyxz = _tdlyxz_records(d)
        czk, gyb = _planning_records(d)
        roads, rivers, towns = _roads_and_towns(d)
        d.progress(70, tr("Writing the GeoPackage and the Shapefile"))
        gpkg = os.path.join(tmp, GPKG_NAME)
        written = _write_gpkg(gpkg, [
            ("bdcdj", BDCDJ_FIELDS, bdcdj, ogr.wkbPolygon),
            ("ydpw", YDPW_FIELDS, ydpw, ogr.wkbPolygon),
            ("tdlyxz", TDLYXZ_FIELDS, tdlyxz, ogr.wkbPolygon),
            ("czkfbj", PLAN_FIELDS, czk, ogr.wkbMultiPolygon),
            ("gybzx", PLAN_FIELDS, gyb, ogr.wkbMultiPolygon),
            ("roads", ROAD_FIELDS, roads, ogr.wkbMultiLineString),
            ("rivers", RIVER_FIELDS, rivers, ogr.wkbMultiPolygon),
            ("towns", TOWN_FIELDS, towns, ogr.wkbMultiPolygon),
        ])
        d.progress(80)
        _write_shapefile(os.path.join(tmp, SHP_NAME), YDPW_FIELDS, ydpw)
        d.progress(85, tr("Writing the enterprise workbooks"))
        _write_enterprises(os.path.join(tmp, ENTERPRISES_NAME), os.path.join(tmp, LINK_NAME), d)
        d.progress(98)
        # every layer must be whole before anything is moved into place (GDAL may report a full
        # disk only when the file is closed)
        from .. import files

        for name in LAYERS:
            if files.check_gpkg_layer(gpkg, name) != written[name]:
                raise OSError(0, "{}: {}".format(GPKG_NAME, name))
        result = {}
        stem = os.path.splitext(SHP_NAME)[0]
        for name in sorted(os.listdir(tmp)):
            target = os.path.join(out_dir, name)
            if os.path.isdir(target):
                shutil.rmtree(target)
            os.replace(os.path.join(tmp, name), target)
        # stale sidecars of an older shapefile must not survive
        for ext in (".qix", ".sbn", ".sbx", ".shp.xml"):
            stale = os.path.join(out_dir, stem + ext)
            if os.path.exists(stale):
                os.remove(stale)
        result["gpkg"] = os.path.join(out_dir, GPKG_NAME)
        result["ydpw_shp"] = os.path.join(out_dir, SHP_NAME)
        result["enterprises_xlsx"] = os.path.join(out_dir, ENTERPRISES_NAME)
        result["link_xlsx"] = os.path.join(out_dir, LINK_NAME)
        if feedback is not None:
            feedback.setProgress(100)  # files are in place: too late to cancel
        return result
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
