<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>AlgorithmTask</name>
    <message>
        <location filename="../landeval_plugin/tasks/algorithm_task.py"/>
        <source>The LandEval Processing provider is not loaded.</source>
        <translation>LandEval 处理工具未加载。</translation>
    </message>
</context>
<context>
    <name>BaseMapBuilder</name>
    <message>
        <location filename="../landeval_plugin/core/basemap/basemap.py"/>
        <source>'{}' is not a valid 19-character parcel code; a new code is generated.</source>
        <translation>“{}”不是有效的 19 位宗地代码，已生成新编码。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/basemap/basemap.py"/>
        <source>All sources</source>
        <translation>全部来源</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/basemap/basemap.py"/>
        <source>Base map written feature by feature through QGIS (the direct GeoPackage writer cannot write it exactly: {}).</source>
        <translation>一张图按要素经 QGIS 逐个写出（GeoPackage 直接写入无法保证结果完全一致：{}）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/basemap/basemap.py"/>
        <source>Base map: {} parcels, {:.2f} ha; QA: {} rows.</source>
        <translation>一张图：{} 个地块，{:.2f} 公顷；质检：{} 条。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/basemap/basemap.py"/>
        <source>Cannot write parcel {} to {}: {}</source>
        <translation>无法将地块 {} 写入 {}：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/basemap/basemap.py"/>
        <source>Cannot write {}: {}</source>
        <translation>无法写入 {}：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/basemap/basemap.py"/>
        <source>Codes: {} valid 宗地代码 kept, {} kept from the previous base map, {} generated.</source>
        <translation>编码：沿用有效宗地代码 {} 个，沿用上一年度编码 {} 个，新生成 {} 个。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/basemap/basemap.py"/>
        <source>Feature has no geometry; skipped.</source>
        <translation>要素没有几何图形，已跳过。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/basemap/basemap.py"/>
        <source>Geometry not usable ({}); parcel skipped.</source>
        <translation>图形不可用（{}），已跳过该地块。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/basemap/basemap.py"/>
        <source>In {:.2f} m² = filtered {:.2f} + covered by higher priority or earlier parcels {:.2f} + slivers {:.2f} + output {:.2f} (difference {:.4f} m²).</source>
        <translation>输入 {:.2f} 平方米 = 分类外 {:.2f} + 被高优先级或靠前地块覆盖 {:.2f} + 碎片 {:.2f} + 输出 {:.2f}（差额 {:.4f} 平方米）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/basemap/basemap.py"/>
        <source>Invalid geometry ({}) repaired: {:.2f} m² before, {:.2f} m² after.</source>
        <translation>无效几何（{}）已修复：修复前 {:.2f} 平方米，修复后 {:.2f} 平方米。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/basemap/basemap.py"/>
        <source>Land use '{}' is outside the filter: {} parcels, {:.2f} m² left out.</source>
        <translation>土地用途“{}”不属于产业用地分类：{} 个地块、{:.2f} 平方米未纳入。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/basemap/basemap.py"/>
        <source>Leftover piece of {:.2f} m² (≤ {:g} m²) not covered by higher-priority sources dropped.</source>
        <translation>未被高优先级来源覆盖的剩余碎片 {:.2f} 平方米（≤ {:g} 平方米）已剔除。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/basemap/basemap.py"/>
        <source>No land use in field {}; parcel left out.</source>
        <translation>字段 {} 中没有土地用途，地块未纳入。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/basemap/basemap.py"/>
        <source>No source layers given.</source>
        <translation>未指定数据来源图层。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/basemap/basemap.py"/>
        <source>Overlap with {} neighbouring parcels could not be computed; the parcel is kept whole.</source>
        <translation>与 {} 个相邻地块的重叠无法计算，地块按原样保留。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/basemap/basemap.py"/>
        <source>Overlaps {:.2f} m² of an earlier parcel of the same source; the earlier parcel keeps it.</source>
        <translation>与同一来源中靠前的地块重叠 {:.2f} 平方米，重叠部分归靠前地块。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/basemap/basemap.py"/>
        <source>Overlay: the spatial index is asked for every parcel ({}).</source>
        <translation>叠加：每个地块都查询空间索引（{}）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/basemap/basemap.py"/>
        <source>Parcel code {} is already used by another parcel; a new code is generated.</source>
        <translation>宗地代码 {} 已被其他地块使用，已生成新编码。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/basemap/basemap.py"/>
        <source>Previous base map cannot be read.</source>
        <translation>上一年度一张图无法读取。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/basemap/basemap.py"/>
        <source>Previous base map {} must be a polygon layer with a CRS.</source>
        <translation>上一年度一张图 {} 必须是带坐标参考系的面图层。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/basemap/basemap.py"/>
        <source>Previous base map {}: no parcel code field (parcel_code or 宗地代码).</source>
        <translation>上一年度一张图 {}：没有宗地代码字段（parcel_code 或 宗地代码）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/basemap/basemap.py"/>
        <source>Source {} cannot be read (file missing or not a vector layer).</source>
        <translation>数据来源 {} 无法读取（文件不存在或不是矢量图层）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/basemap/basemap.py"/>
        <source>Source {}: attributes read as {}.</source>
        <translation>数据来源 {}：属性按 {} 编码读取。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/basemap/basemap.py"/>
        <source>Source {}: read feature by feature through QGIS (the direct GeoPackage reader cannot read it exactly: {}).</source>
        <translation>数据来源 {}：经 QGIS 逐个要素读取（GeoPackage 直接读取无法保证结果完全一致：{}）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/basemap/basemap.py"/>
        <source>{} ({}): {} parcels read, {} kept ({:.2f} ha); {} outside the filter, {} without land use, {} repaired, {} slivers dropped.</source>
        <translation>{}（{}）：读取 {} 个地块，保留 {} 个（{:.2f} 公顷）；分类外 {} 个，缺少用途 {} 个，修复几何 {} 个，剔除碎片 {} 个。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/basemap/basemap.py"/>
        <source>{} leftover pieces under {:g} m² each ({:.2f} m² in all) dropped.</source>
        <translation>{} 个小于 {:g} 平方米的剩余碎片（合计 {:.2f} 平方米）已剔除。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/basemap/basemap.py"/>
        <source>{} small overlaps (≤ {:g} m² each, {:.2f} m² in all) between neighbouring parcels of this source resolved in favour of the earlier parcel.</source>
        <translation>本来源相邻地块间 {} 处小重叠（每处 ≤ {:g} 平方米，合计 {:.2f} 平方米）已归靠前地块。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/basemap/basemap.py"/>
        <source>{}: {} parcels with unusable geometry skipped (see the QA report).</source>
        <translation>{}：{} 宗地块图形不可用，已跳过（见质检报告）。</translation>
    </message>
</context>
<context>
    <name>BuildBaseLayer</name>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/build_base_layer.py"/>
        <source>All presets</source>
        <translation>全部分类标准</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/build_base_layer.py"/>
        <source>Base map</source>
        <translation>一张图</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/build_base_layer.py"/>
        <source>Base map area (m²)</source>
        <translation>一张图面积（平方米）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/build_base_layer.py"/>
        <source>Base map cancelled; nothing was written.</source>
        <translation>一张图生成已取消，未写入任何文件。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/build_base_layer.py"/>
        <source>Build industrial land base map (一张图)</source>
        <translation>生成产业用地一张图</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/build_base_layer.py"/>
        <source>Builds one authoritative layer of industrial, warehouse and R&amp;D parcels from several sources.

SOURCES: polygon layers, highest priority first (default roles in this order: 不动产登记, 用地批文, 土地利用现状, then other). Where sources overlap, the higher-priority parcel wins; leftover parts of lower-priority parcels are kept when larger than MIN_PIECE_M2 and reported otherwise.
ROLES: optional, comma separated in source order, e.g. 不动产登记,用地批文,土地利用现状.
MAPPINGS: optional JSON fixing the detected fields, per source (list) or by layer name, e.g. {"tdlyxz": {"parcel_code": "BSM", "land_use_raw": "DLBM"}}.
LAND_USE_PRESET: which class lists count (resources/landuse/*.yaml); all of them by default.
Codes: a valid 19-character 宗地代码 is kept when unique; with PREVIOUS, a parcel overlapping one of last year's by at least 90% (IoU) keeps that code; others get CODE_PREFIX-town-sequence by position.
QA_OUTPUT lists every repaired geometry, overlap, sliver, duplicate code, missing land use and the area accounting. GBK Shapefiles are detected with or without .cpg.</source>
        <translation>根据多个来源生成工业、仓储、研发用地的唯一权威图层（一张图）。

SOURCES：面图层，优先级高的在前（默认来源类型依次为：不动产登记、用地批文、土地利用现状，其余为其他）。来源重叠时高优先级地块优先；低优先级地块的剩余部分大于 MIN_PIECE_M2 时保留，否则剔除并记入质检报告。
ROLES：可选，按来源顺序用逗号分隔，如 不动产登记,用地批文,土地利用现状。
MAPPINGS：可选，JSON 格式修正自动识别的字段，按来源顺序（列表）或按图层名，如 {"tdlyxz": {"parcel_code": "BSM", "land_use_raw": "DLBM"}}。
LAND_USE_PRESET：采用的用地分类标准（resources/landuse/*.yaml），默认全部采用。
编码：有效且唯一的 19 位宗地代码予以沿用；指定 PREVIOUS 时，与上一年度地块交并比（IoU）不低于 90% 的地块沿用其编码；其余按 编码前缀-镇街-顺序号 依位置生成。
QA_OUTPUT 列出每一处几何修复、重叠、碎片、重复编码、缺少用途以及面积核算。GBK 编码的 Shapefile 无论有无 .cpg 均可自动识别。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/build_base_layer.py"/>
        <source>Field mappings (JSON, optional)</source>
        <translation>字段映射（JSON，可选）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/build_base_layer.py"/>
        <source>Land-use classification preset</source>
        <translation>用地分类标准</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/build_base_layer.py"/>
        <source>LandEval industrial land</source>
        <translation>LandEval 产业用地评估</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/build_base_layer.py"/>
        <source>Minimum leftover piece (m²)</source>
        <translation>最小保留碎片面积（平方米）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/build_base_layer.py"/>
        <source>No source layers given.</source>
        <translation>未指定数据来源图层。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/build_base_layer.py"/>
        <source>Parcels in the base map</source>
        <translation>一张图地块数</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/build_base_layer.py"/>
        <source>Prefix of generated parcel codes</source>
        <translation>生成编码的前缀</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/build_base_layer.py"/>
        <source>Previous base map (keeps its codes)</source>
        <translation>上一年度一张图（沿用其编码）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/build_base_layer.py"/>
        <source>QA report</source>
        <translation>质检报告</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/build_base_layer.py"/>
        <source>QA rows written</source>
        <translation>质检记录数</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/build_base_layer.py"/>
        <source>Roles in source order (comma separated)</source>
        <translation>来源类型（按来源顺序，逗号分隔）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/build_base_layer.py"/>
        <source>Source layers (highest priority first)</source>
        <translation>数据来源图层（优先级高的在前）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/build_base_layer.py"/>
        <source>Source {} ({}): mapping {}</source>
        <translation>数据来源 {}（{}）：字段映射 {}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/build_base_layer.py"/>
        <source>Source {} cannot be read (file missing or not a vector layer).</source>
        <translation>数据来源 {} 无法读取（文件不存在或不是矢量图层）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/build_base_layer.py"/>
        <source>Target CRS (default: the first source's)</source>
        <translation>目标坐标系（默认为第一个来源的坐标系）</translation>
    </message>
</context>
<context>
    <name>ClustersAlgorithm</name>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/clusters.py"/>
        <source>Clusters (gap {} m)</source>
        <translation>连片整治区（间距 {} 米）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/clusters.py"/>
        <source>Clusters (连片区域)</source>
        <translation>连片整治区</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/clusters.py"/>
        <source>Contiguous low-efficiency areas (连片整治)</source>
        <translation>连片整治区识别</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/clusters.py"/>
        <source>Find the neighbours inside PostGIS when the parcels are a PostGIS table</source>
        <translation>地块为 PostGIS 表时，在数据库内查找相邻地块</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/clusters.py"/>
        <source>Finds contiguous groups of the parcels chosen by the filter (by default C and D parcels and parcels tagged low-efficiency) and draws each group as one area.

Gap 0: parcels are neighbours when they share a stretch of boundary or overlap (a tolerance of 1 cm absorbs the floating-point noise of real cadastre edges). Gap g &gt; 0: parcels not more than g metres apart are neighbours, which bridges roads and rivers (20–50 m is common). Corners: also link parcels that touch at a single point. A group is every parcel reachable through neighbours; groups below the minimum area (亩) or parcel count are not kept.

The filter is written in LandEval's rule language (as standards and disposal rule sets: docs/standards.md) and sees "grade" as the reviewed grade (grade_final) when there is one. Cluster ids LP-001 … follow the area, largest first. Area in 亩 is the sum of the member parcels (area_mu, else measured), not the outline. Distances are metres whatever the layer CRS.</source>
        <translation>识别筛选出的地块（默认为 C、D 类及标记为低效用地的地块）中相互连通的成组地块，每组绘制为一个连片区域。

间距为 0：地块有一段公共边界或相互重叠即为相邻（1 厘米容差消除实际地籍数据边界的浮点误差）。间距 g &gt; 0：相距不超过 g 米的地块即为相邻，可跨越道路和河流（常用 20–50 米）。角点相接：只在一个点相接的地块也算相邻。通过相邻关系可到达的全部地块为一组；面积（亩）或地块数低于下限的组不予保留。

筛选表达式使用 LandEval 规则语言（与评价标准、处置规则相同，见 docs/standards.md）；如有研判类别（grade_final），其中的 "grade" 按研判类别计算。连片编号 LP-001… 按面积从大到小排列。面积（亩）为成员地块面积之和（取 area_mu，缺失时按图形量算），不是外轮廓面积。无论图层坐标系如何，距离均以米计。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/clusters.py"/>
        <source>Gap bridged (metres, 0 = shared boundary)</source>
        <translation>连通间距（米，0 = 共边）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/clusters.py"/>
        <source>Graded parcels</source>
        <translation>已评价地块</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/clusters.py"/>
        <source>LandEval industrial land</source>
        <translation>LandEval 产业用地评估</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/clusters.py"/>
        <source>Minimum cluster area (亩)</source>
        <translation>连片最小面积（亩）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/clusters.py"/>
        <source>Minimum parcels per cluster</source>
        <translation>每处连片最少地块数</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/clusters.py"/>
        <source>Neighbours at gap 0: {:,} pairs linked by a shared edge of convex parcels and {:,} corner touches found apart without GEOS; {:,} pairs tested by GEOS.</source>
        <translation>邻接判定（间距 0）：{:,} 对凸多边形地块因共用边直接连通，{:,} 对角点相接的地块直接判为不相邻，均未调用 GEOS；{:,} 对由 GEOS 检验。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/clusters.py"/>
        <source>Parcel {} (feature {}) was left out of the clusters: {}.</source>
        <translation>宗地 {}（要素 {}）未参与连片：{}。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/clusters.py"/>
        <source>Parcels to group (expression)</source>
        <translation>参与连片的地块（表达式）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/clusters.py"/>
        <source>Parcels touching at a corner are neighbours</source>
        <translation>角点相接的地块也算相邻</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/clusters.py"/>
        <source>Parcels with cluster id</source>
        <translation>带连片编号的地块</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/clusters.py"/>
        <source>The filter could not be evaluated on {} parcels; they were left out.</source>
        <translation>{} 宗地块无法计算筛选表达式，已排除。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/clusters.py"/>
        <source>The filter expression “{}” cannot be read: {}</source>
        <translation>筛选表达式“{}”无法解析：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/clusters.py"/>
        <source>The gap must be 0 or more metres (got {}).</source>
        <translation>连通间距必须大于或等于 0 米（当前为 {}）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/clusters.py"/>
        <source>The parcel layer (INPUT) cannot be read.</source>
        <translation>无法读取地块图层（INPUT）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/clusters.py"/>
        <source>The quick neighbour search was not used (the parcels' boxes would fill more than {:,} grid cells): every candidate pair was tested by GEOS.</source>
        <translation>未使用快速邻接判定（地块外包框将占用超过 {:,} 个网格单元）：所有候选地块对均由 GEOS 检验。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/clusters.py"/>
        <source>{} clusters kept, {:,.1f} 亩 in all; not kept: {} single parcels, {} groups with too few parcels (including singles), {} groups below the minimum area.</source>
        <translation>保留连片 {} 处，合计 {:,.1f} 亩；未保留：孤立地块 {} 宗，地块数不足的组 {} 个（含孤立地块），面积不足的组 {} 个。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/clusters.py"/>
        <source>{} invalid parcel geometries were repaired for the computation (feature ids: {}).</source>
        <translation>{} 宗地块的无效几何已在计算中修复（要素编号：{}）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/clusters.py"/>
        <source>{} parcels read, {} chosen by the filter, {} groups of neighbours.</source>
        <translation>读取地块 {} 宗，筛选出 {} 宗，相邻成组 {} 个。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/clusters.py"/>
        <source>{} parcels without a usable geometry were left out (feature ids: {}).</source>
        <translation>{} 宗地块没有可用的几何图形，已排除（要素编号：{}）。</translation>
    </message>
</context>
<context>
    <name>ComingPage</name>
    <message>
        <location filename="../landeval_plugin/gui/dock.py"/>
        <source>{} — coming in a later version.</source>
        <translation>{}——将在后续版本提供。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/dock.py"/>
        <source>{}: this page could not be loaded ({}). See the LandEval log.</source>
        <translation>{}：此页面无法加载（{}）。详见 LandEval 日志。</translation>
    </message>
</context>
<context>
    <name>CompareRoundsAlgorithm</name>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/store.py"/>
        <source>Cannot read the graded parcels of {} in the store.</source>
        <translation>无法读取存储库中 {} 年度的分类评价结果。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/store.py"/>
        <source>Changes and classes by town (JSON)</source>
        <translation>变化及各镇街分类统计（JSON）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/store.py"/>
        <source>Changes per parcel</source>
        <translation>逐宗变化</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/store.py"/>
        <source>Compare two evaluation years (复评)</source>
        <translation>比较两个评估年度（复评）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/store.py"/>
        <source>Compares the graded parcels of two evaluation years of a LandEval store and writes per parcel what changed: new, removed, split or merged (by code lineage: a later parcel lists the codes it came from in a prev_codes field), class up or down (final class, reviews included), entered or left (出库) the low-efficiency list, stayed on it, or stayed after improvement (its register row of the earlier year was 已完成), with the reasons and 亩均税收 of both years. SUMMARY counts the changes and the later year's classes by town.</source>
        <translation>比较 LandEval 存储库中两个评估年度的分类评价结果，逐宗写出变化：新增、灭失、分宗或合宗（按代码沿革：较晚年度的宗地在 prev_codes 字段列出其来源代码）、类别升降（按最终类别，含研判）、进入或移出（出库）低效用地清单、仍在清单、整治后仍低效（较早年度台账状态为 已完成），并列出两个年度的判定理由和亩均税收。SUMMARY 按变化类型统计，并按镇街统计较晚年度各类宗数。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/store.py"/>
        <source>Earlier evaluation year</source>
        <translation>较早评估年度</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/store.py"/>
        <source>Later evaluation year</source>
        <translation>较晚评估年度</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/store.py"/>
        <source>Store (GeoPackage path or postgres://connection/schema)</source>
        <translation>存储库（GeoPackage 路径或 postgres://连接名/模式）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/store.py"/>
        <source>{} parcels compared: {}</source>
        <translation>已比较 {} 宗：{}</translation>
    </message>
</context>
<context>
    <name>CreateStoreAlgorithm</name>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/store.py"/>
        <source>Bureau role (reads everything)</source>
        <translation>局级角色（只读全部）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/store.py"/>
        <source>Coordinate reference system of the store</source>
        <translation>存储库的坐标参考系</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/store.py"/>
        <source>Create a LandEval store</source>
        <translation>创建 LandEval 存储库</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/store.py"/>
        <source>Created {} (schema version {}, {}).</source>
        <translation>已创建 {}（结构版本 {}，{}）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/store.py"/>
        <source>Creates an empty LandEval store: a GeoPackage file (FILE, one user, no server) or a schema of a PostgreSQL/PostGIS database (CONNECTION: the name of a QGIS PostgreSQL connection, best with an authentication configuration; SCHEMA: a new or empty schema). The store keeps per evaluation year the base map, enterprise data, evaluation runs, review decisions, clusters and the disposal register. SHARED (PostgreSQL only) also creates the bureau and reviewer roles and row-level security; towns and users are added as the README says.</source>
        <translation>创建空的 LandEval 存储库：一个 GeoPackage 文件（FILE，单用户，无需服务器），或 PostgreSQL/PostGIS 数据库中的一个模式（CONNECTION：QGIS 中 PostgreSQL 连接的名称，建议使用认证配置；SCHEMA：新的或空的模式）。存储库按评估年度保存底图、企业数据、评价批次、研判记录、连片区域和处置台账。SHARED（仅 PostgreSQL）同时创建局级和研判角色及行级安全；镇街和用户按 README 所述添加。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/store.py"/>
        <source>GeoPackage (*.gpkg)</source>
        <translation>GeoPackage (*.gpkg)</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/store.py"/>
        <source>GeoPackage store file</source>
        <translation>GeoPackage 存储库文件</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/store.py"/>
        <source>Reviewer role (records reviews)</source>
        <translation>研判角色（记录研判）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/store.py"/>
        <source>Roles and row-level security set up.</source>
        <translation>已设置角色和行级安全。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/store.py"/>
        <source>Set up roles and row-level security (PostgreSQL)</source>
        <translation>设置角色和行级安全（PostgreSQL）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/store.py"/>
        <source>Store reference</source>
        <translation>存储库</translation>
    </message>
</context>
<context>
    <name>CrossTab</name>
    <message>
        <location filename="../landeval_plugin/core/meeting/statistics.py"/>
        <source>A parcel with several low-efficiency types counts under each; the total counts it once.</source>
        <translation>同时具有多种低效类型的宗地在每种类型下各计一次；合计行每宗只计一次。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/statistics.py"/>
        <source>Area from the parcel geometry (1 mu = 10000/15 m²).</source>
        <translation>面积按宗地图形计算（1 亩 = 10000/15 平方米）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/statistics.py"/>
        <source>By {}</source>
        <translation>按{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/statistics.py"/>
        <source>Class: the reviewed class (grade_final) where there is one, else the computed class.</source>
        <translation>类别：有研判类别（grade_final）的取研判类别，否则取评价类别。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/statistics.py"/>
        <source>Disposal path: the path decided in review where there is one, else the proposed path.</source>
        <translation>处置路径：有研判处置路径的取研判路径，否则取建议路径。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/statistics.py"/>
        <source>Filter: {}</source>
        <translation>筛选条件：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/statistics.py"/>
        <source>Per year: the parcels of each year in the store; no total over years.</source>
        <translation>按年度：存储库中每一年度的地块；不跨年度合计。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/statistics.py"/>
        <source>Per year: the parcels with tax or output data that year; no total over years.</source>
        <translation>分年度：统计当年有税收或产值数据的宗地；不做跨年度合计。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/statistics.py"/>
        <source>The layer holds the years {}: this table counts {} only (the table by year shows each year).</source>
        <translation>图层包含 {} 年度：本表只统计 {} 年度（分年度表列出每一年度）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/statistics.py"/>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/statistics.py"/>
        <source>Total (each parcel once)</source>
        <translation>合计（每宗只计一次）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/statistics.py"/>
        <source>{} parcel(s) without {} data: left out of its sums, not counted as 0.</source>
        <translation>{} 宗地块缺少{}数据：不计入该项合计，也不按 0 计。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/statistics.py"/>
        <source>{} × {}</source>
        <translation>{} × {}</translation>
    </message>
</context>
<context>
    <name>DecisionDialog</name>
    <message>
        <location filename="../landeval_plugin/gui/review_dialog.py"/>
        <source>Area (mu)</source>
        <translation>面积(亩)</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/review_dialog.py"/>
        <source>Basis of the proposal</source>
        <translation>处置依据</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/review_dialog.py"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/review_dialog.py"/>
        <source>Class decided</source>
        <translation>研判类别</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/review_dialog.py"/>
        <source>Computed class</source>
        <translation>计算类别</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/review_dialog.py"/>
        <source>Current decision</source>
        <translation>当前研判</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/review_dialog.py"/>
        <source>Disposal path</source>
        <translation>处置路径</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/review_dialog.py"/>
        <source>Final class</source>
        <translation>最终类别</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/review_dialog.py"/>
        <source>Owner</source>
        <translation>权利人</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/review_dialog.py"/>
        <source>Parcel code</source>
        <translation>宗地代码</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/review_dialog.py"/>
        <source>Proposed path</source>
        <translation>建议处置路径</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/review_dialog.py"/>
        <source>Rank</source>
        <translation>排名</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/review_dialog.py"/>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/review_dialog.py"/>
        <source>Reasons</source>
        <translation>评价理由</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/review_dialog.py"/>
        <source>Review the class (研判)</source>
        <translation>类别研判</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/review_dialog.py"/>
        <source>Review the disposal path (研判)</source>
        <translation>处置路径研判</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/review_dialog.py"/>
        <source>Reviewer</source>
        <translation>研判人</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/review_dialog.py"/>
        <source>Save review</source>
        <translation>保存研判</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/review_dialog.py"/>
        <source>Score</source>
        <translation>得分</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/review_dialog.py"/>
        <source>The decision applies to all {} selected parcels; the first is shown.</source>
        <translation>研判适用于所选的全部 {} 宗地块；此处显示第一宗。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/review_dialog.py"/>
        <source>Time</source>
        <translation>研判时间</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/review_dialog.py"/>
        <source>Town</source>
        <translation>所属镇街</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/review_dialog.py"/>
        <source>Veto items</source>
        <translation>否决项</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/review_dialog.py"/>
        <source>Why (required); Shift+Enter starts a new line</source>
        <translation>研判理由（必填）；Shift+Enter 换行</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/review_dialog.py"/>
        <source>{} parcels</source>
        <translation>{} 宗地块</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/review_dialog.py"/>
        <source>— choose —</source>
        <translation>— 请选择 —</translation>
    </message>
</context>
<context>
    <name>DisposalAlgorithm</name>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/disposal.py"/>
        <source>Development boundary (城镇开发边界) polygons</source>
        <translation>城镇开发边界（面）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/disposal.py"/>
        <source>Disposal paths ({})</source>
        <translation>处置方案（{}）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/disposal.py"/>
        <source>Disposal paths (处置方案)</source>
        <translation>处置方案（建议处置路径）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/disposal.py"/>
        <source>Earlier disposal output (reviews carried forward)</source>
        <translation>上一版处置结果（沿用研判结论）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/disposal.py"/>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/disposal.py"/>
        <source>Expropriation range (征收范围) polygons</source>
        <translation>征收范围（面）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/disposal.py"/>
        <source>Graded parcels (with cluster_id for 连片整治)</source>
        <translation>已评价地块（含连片编号 cluster_id 时可判定连片整治）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/disposal.py"/>
        <source>Industrial line (工业保障线) polygons</source>
        <translation>工业保障线（面）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/disposal.py"/>
        <source>LandEval industrial land</source>
        <translation>LandEval 产业用地评估</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/disposal.py"/>
        <source>Parcels per disposal path (JSON)</source>
        <translation>每种处置路径的地块数（JSON）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/disposal.py"/>
        <source>Parcels with disposal paths</source>
        <translation>带处置路径的地块</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/disposal.py"/>
        <source>Plan per town × path written to {}</source>
        <translation>镇街×路径推进计划已写入 {}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/disposal.py"/>
        <source>Plan {}: {}</source>
        <translation>推进计划 {}：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/disposal.py"/>
        <source>Proposed paths: {}</source>
        <translation>建议处置路径：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/disposal.py"/>
        <source>Proposes a disposal path for every parcel from a rule set and writes disposal, disposal_reason (in Chinese), in_development_boundary and in_industrial_line.

Rule set: a preset id or the path of a YAML file with the same keys (id, name, paths, rules: when / disposal / reason). Rules are tried in order; the first whose condition (LandEval's rule language, as in standards: docs/standards.md) holds gives the path. "grade" is the reviewed grade when there is one.

A parcel is inside the development boundary or industrial line when at least the given share of its area lies inside those polygons (any CRS; reprojected). Without a planning layer, fields of the same name on the parcels are used.

Paths decided in review (disposal_final, disposal_override_reason) are kept, and carried from an earlier output by parcel code.

Field names in rules are standard names; Chinese column names (闲置, 产业类别 …) are recognised. A parcel whose location is unknown gets no path (缺少区位数据). A rule resting on one of the rule set's assumptions says so in its reason (（假设N）). Optional: 征收范围 and 拆旧复垦范围 polygons, 更新单元 polygons (grouping), and a workbook with the year's plan per town × path.

Presets, their sources and assumptions:
{}</source>
        <translation>按处置规则为每宗地块提出处置路径，写入 disposal（处置路径）、disposal_reason（处置依据）、in_development_boundary（位于城镇开发边界内）和 in_industrial_line（位于工业保障线内）。

处置规则：预置规则编号，或同样格式的 YAML 文件路径（id、name、paths、rules：when / disposal / reason）。规则按顺序判断，第一条条件（LandEval 规则语言，与评价标准相同，见 docs/standards.md）成立的规则给出处置路径。如有研判类别，"grade" 按研判类别计算。

地块面积位于城镇开发边界或工业保障线范围内的比例不低于设定值时，视为位于其内（规划图层可为任意坐标系，自动重投影）。未提供规划图层时，使用地块图层中的同名字段。

已研判的处置路径（disposal_final、disposal_override_reason）予以保留，并可按宗地代码从上一版结果沿用。

规则中的字段为标准字段名，地块图层的中文列名（闲置、产业类别……）同样识别。区位未知的地块不提出处置路径（缺少区位数据）。依据规则假设的规则在处置依据中注明（（假设N））。可选：征收范围、拆旧复垦范围图层，更新单元图层（分组），以及按镇街×路径的年度推进计划工作簿。

预置规则及其依据和假设：
{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/disposal.py"/>
        <source>Reclamation range (拆旧复垦范围) polygons</source>
        <translation>拆旧复垦范围（面）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/disposal.py"/>
        <source>Rule set (preset id or YAML file)</source>
        <translation>处置规则（预置编号或 YAML 文件）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/disposal.py"/>
        <source>Rule set, source, assumptions, warnings and the plan per town × path (JSON)</source>
        <translation>处置规则、依据、假设、提示与镇街×路径计划（JSON）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/disposal.py"/>
        <source>Rule set: {} ({})</source>
        <translation>处置规则：{}（{}）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/disposal.py"/>
        <source>Share of the parcel's area inside that counts as inside</source>
        <translation>地块面积位于范围内的比例达到该值即视为位于其内</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/disposal.py"/>
        <source>The parcel layer (INPUT) cannot be read.</source>
        <translation>无法读取地块图层（INPUT）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/disposal.py"/>
        <source>The year's plan per town × path (XLSX)</source>
        <translation>年度推进计划：镇街×处置路径（XLSX）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/disposal.py"/>
        <source>Update unit name field</source>
        <translation>更新单元名称字段</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/disposal.py"/>
        <source>Update units (更新单元) polygons</source>
        <translation>更新单元（面）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/disposal.py"/>
        <source>the chosen rule set's document and its numbered assumptions (listed above for each preset); the decisions of the review meeting (研判) are kept over re-runs.</source>
        <translation>所选处置规则的依据文件及其编号假设（各预设规则见上文）；研判会的结论在重新运行时予以保留。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/disposal.py"/>
        <source>{} parcels have no geometry: their location is unknown (feature ids: {}).</source>
        <translation>{} 宗地块没有几何图形，无法判断区位（要素编号：{}）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/disposal.py"/>
        <source>{} reviewed parcels of the earlier output are not in the input (parcel codes: {}).</source>
        <translation>上一版结果中有 {} 宗已研判地块不在本次输入中（宗地代码：{}）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/disposal.py"/>
        <source>{} reviewed paths kept, {} carried forward from the earlier output.</source>
        <translation>保留已研判处置路径 {} 宗，从上一版结果沿用 {} 宗。</translation>
    </message>
</context>
<context>
    <name>DossierJob</name>
    <message>
        <location filename="../landeval_plugin/tasks/dossier_job.py"/>
        <source>Cannot start {}: {}</source>
        <translation>无法启动 {}：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/tasks/dossier_job.py"/>
        <source>Cannot write to the output folder {}: {}</source>
        <translation>输出文件夹 {} 无法写入：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/tasks/dossier_job.py"/>
        <source>No Python interpreter found to print in the background.</source>
        <translation>未找到可在后台打印的 Python 解释器。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/tasks/dossier_job.py"/>
        <source>The background process could not load QGIS ({}): {}</source>
        <translation>后台进程无法加载 QGIS（{}）：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/tasks/dossier_job.py"/>
        <source>The printing process stopped unexpectedly (exit code {}): {}</source>
        <translation>打印进程意外停止（退出码 {}）：{}</translation>
    </message>
</context>
<context>
    <name>DossierMapTool</name>
    <message>
        <location filename="../landeval_plugin/gui/dossier_tool.py"/>
        <source>Choose the parcel layer on the Dossiers page, or make a parcel layer current.</source>
        <translation>请在“一地一档”页选择地块图层，或将地块图层设为当前图层。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/dossier_tool.py"/>
        <source>Dossier sheet</source>
        <translation>体检表</translation>
    </message>
</context>
<context>
    <name>DossierPrinter</name>
    <message>
        <location filename="../landeval_plugin/core/dossiers/printer.py"/>
        <source>Cannot move the atlas to the sheet of parcel {}.</source>
        <translation>图集无法定位到宗地 {} 的体检表。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/dossiers/printer.py"/>
        <source>Cannot write the PDF {}: {}</source>
        <translation>无法写入 PDF 文件 {}：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/dossiers/printer.py"/>
        <source>Joining {} parts into the combined PDF.</source>
        <translation>正在将 {} 个部分拼接为合并 PDF。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/dossiers/printer.py"/>
        <source>No Chinese font is installed, sheets would print as boxes. Install {} and restart QGIS.</source>
        <translation>本机未安装中文字体，体检表将显示为方框（豆腐块）。请安装 {} 后重启 QGIS。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/dossiers/printer.py"/>
        <source>Printing in this process only: {}</source>
        <translation>仅在本进程中打印：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/dossiers/printer.py"/>
        <source>Printing in {} processes at once (about {} sheets each).</source>
        <translation>同时用 {} 个进程打印（每个约 {} 份体检表）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/dossiers/printer.py"/>
        <source>The parts of the combined PDF could not be joined ({}); printing it again in this process.</source>
        <translation>合并 PDF 的各部分无法拼接（{}），改为在本进程中重新打印。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/dossiers/printer.py"/>
        <source>The printing processes printed {} of {} sheets.</source>
        <translation>打印进程只打印了 {} 份体检表（共 {} 份）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/dossiers/printer.py"/>
        <source>The template has no atlas-driven map (item id location_map): {}</source>
        <translation>模板中没有随图集变化的地图（项目编号 location_map）：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/dossiers/printer.py"/>
        <source>the combined PDF</source>
        <translation>合并 PDF</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/dossiers/printer.py"/>
        <source>the sheet of parcel {}</source>
        <translation>宗地 {} 的体检表</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/dossiers/printer.py"/>
        <source>the sheets {} to {}</source>
        <translation>宗地 {} 至 {} 的体检表</translation>
    </message>
</context>
<context>
    <name>DossiersAlgorithm</name>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/dossiers.py"/>
        <source>Cancelled: nothing was written.</source>
        <translation>已取消：未写入任何文件。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/dossiers.py"/>
        <source>Choose at least one output: a folder, a combined PDF or a workbook.</source>
        <translation>请至少选择一种输出：分宗 PDF、合并 PDF 或 Excel 工作簿。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/dossiers.py"/>
        <source>Combined PDF (one bookmark per parcel)</source>
        <translation>合并 PDF（每宗地一个书签）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/dossiers.py"/>
        <source>Combined PDF with {} pages: {}</source>
        <translation>合并 PDF 共 {} 页：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/dossiers.py"/>
        <source>Enterprises table</source>
        <translation>企业数据表</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/dossiers.py"/>
        <source>Evaluation year (0: latest year of the enterprises table)</source>
        <translation>评价年度（0：企业数据表中的最新年度）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/dossiers.py"/>
        <source>Excel workbooks (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/dossiers.py"/>
        <source>Folder for one PDF per parcel</source>
        <translation>分宗 PDF 输出文件夹</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/dossiers.py"/>
        <source>Font: {}</source>
        <translation>字体：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/dossiers.py"/>
        <source>LandEval industrial land</source>
        <translation>LandEval 产业用地评估</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/dossiers.py"/>
        <source>LandEval store for the parcel's history across years (GeoPackage path or postgres://connection/schema)</source>
        <translation>用于打印地块历年评价的 LandEval 存储库（GeoPackage 路径或 postgres://连接/模式）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/dossiers.py"/>
        <source>Layout template (.qpt, empty: default A4 sheet)</source>
        <translation>布局模板（.qpt，留空为默认 A4 体检表）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/dossiers.py"/>
        <source>Loading the template and the maps</source>
        <translation>正在加载模板和地图</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/dossiers.py"/>
        <source>Neighbour parcels on the location map (empty: the whole parcel layer)</source>
        <translation>区位图上显示的相邻地块（留空：整个地块图层）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/dossiers.py"/>
        <source>No Chinese font is installed, sheets would print as boxes. Install {} and restart QGIS.</source>
        <translation>本机未安装中文字体，体检表将显示为方框（豆腐块）。请安装 {} 后重启 QGIS。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/dossiers.py"/>
        <source>No parcels to print (is the selection empty?).</source>
        <translation>没有可打印的地块（选择集是否为空？）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/dossiers.py"/>
        <source>Only parcels matching (e.g. coalesce("grade_final", "grade") = 'D')</source>
        <translation>仅打印符合条件的地块（如 coalesce("grade_final", "grade") = 'D'）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/dossiers.py"/>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/dossiers.py"/>
        <source>Pages printed</source>
        <translation>已打印页数</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/dossiers.py"/>
        <source>Parcels (graded; selected parcels only when a selection exists)</source>
        <translation>地块（已评价；有选择集时仅打印选中地块）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/dossiers.py"/>
        <source>Preparing the sheet data</source>
        <translation>正在准备体检表数据</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/dossiers.py"/>
        <source>Print dossier sheets (一地一档)</source>
        <translation>打印体检表（一地一档）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/dossiers.py"/>
        <source>Printing one PDF per parcel</source>
        <translation>正在逐宗打印 PDF</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/dossiers.py"/>
        <source>Printing processes at once (0: one per CPU core, at most 8; 1: this process only)</source>
        <translation>同时打印的进程数（0：每个 CPU 核一个，最多 8 个；1：仅本进程）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/dossiers.py"/>
        <source>Printing the combined PDF</source>
        <translation>正在打印合并 PDF</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/dossiers.py"/>
        <source>Prints the 体检表 (dossier sheet) of every parcel of the input layer, or of its selected parcels only: header with parcel code, owner, town, address and grade badge; parcel data; location map with neighbours by grade, cluster outline, scale bar, north arrow and overview; enterprises on the parcel; indicators of the year and the two before with benchmark, weight and score; total score, rank and class; reasons, veto items and low-efficiency tags; proposed and reviewed disposal; review notes; data sources and sign-off boxes.

Outputs: a folder with one PDF per parcel (file named from the parcel code, made safe for every file system), one combined PDF with a bookmark per parcel, and/or a workbook with one printable sheet per parcel. Leave the template empty for the default A4 sheet, or give your own .qpt saved from the layout designer. Missing grades or enterprises print as 暂无数据. Files are written to temporary names and moved into place at the end: a cancelled run leaves nothing half-written.

STORE (optional): a LandEval store (GeoPackage path or postgres://connection/schema); each sheet then prints the parcel's history across the store's evaluation years (历年评价: year, class, path, register status), following split and merged parcels by prev_codes.</source>
        <translation>为输入图层的每宗地块（有选择集时仅为选中地块）打印体检表：表头含宗地代码、权利人、所属镇街、坐落和评价类别色块；宗地基本信息；区位图（相邻地块按类别着色、连片整治区范围、比例尺、指北针和全区位置示意图）；地块上的企业；本年度及前两年的评价指标及基准值、权重和得分；综合得分、排名和类别；评价依据、否决事项和低效类型；建议与研判处置路径；研判意见；数据来源和审核签署栏。

输出：每宗地一个 PDF 的文件夹（文件名取自宗地代码，并处理为各类文件系统均可用的安全名称）、每宗地一个书签的合并 PDF，以及/或每宗地一个可打印工作表的 Excel 工作簿。模板留空则使用默认 A4 体检表，也可选择在布局设计器中保存的自定义 .qpt。缺少评价类别或企业数据时打印“暂无数据”。文件先写入临时文件，完成后再移动到位：取消运行不会留下写了一半的文件。

STORE（可选）：LandEval 存储库（GeoPackage 路径或 postgres://连接/模式）；每张体检表随即打印该地块在存储库各评估年度的历年评价（年度、类别、处置路径、台账状态），拆分与合并的地块按 prev_codes 追溯。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/dossiers.py"/>
        <source>Renovation clusters</source>
        <translation>连片整治区</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/dossiers.py"/>
        <source>Sheets printed</source>
        <translation>已打印体检表数</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/dossiers.py"/>
        <source>Stopped by signal {}: no file was published, files of earlier runs are kept.</source>
        <translation>收到信号 {}，已停止：未发布任何文件，之前生成的文件保持不变。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/dossiers.py"/>
        <source>Template: {}</source>
        <translation>模板：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/dossiers.py"/>
        <source>The filter expression is not valid: {}</source>
        <translation>筛选表达式无效：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/dossiers.py"/>
        <source>The parcel layer could not be read.</source>
        <translation>无法读取地块图层。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/dossiers.py"/>
        <source>Workbook (one sheet per parcel)</source>
        <translation>Excel 工作簿（每宗地一个工作表）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/dossiers.py"/>
        <source>Workbook written: {}</source>
        <translation>已写入工作簿：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/dossiers.py"/>
        <source>Writing the workbook</source>
        <translation>正在写入 Excel 工作簿</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/dossiers.py"/>
        <source>{} PDF files written to {}</source>
        <translation>已写入 {} 个 PDF 文件至 {}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/dossiers.py"/>
        <source>{} parcels have no enterprise of {} and print 暂无数据: {}</source>
        <translation>{} 宗地块在 {} 年度没有企业数据，将打印“暂无数据”：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/dossiers.py"/>
        <source>{} parcels have no grade and print 暂无数据: {}</source>
        <translation>{} 宗地块没有评价类别，将打印“暂无数据”：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/dossiers.py"/>
        <source>{} sheets, evaluation year {}.</source>
        <translation>共 {} 份体检表，评价年度 {}。</translation>
    </message>
</context>
<context>
    <name>ExportForms</name>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/export_forms.py"/>
        <source>Enterprises table (from the join step)</source>
        <translation>企业表（关联步骤输出）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/export_forms.py"/>
        <source>Evaluation year</source>
        <translation>评价年度</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/export_forms.py"/>
        <source>Export one-parcel-one-form workbooks (一地一表)</source>
        <translation>导出一地一表工作簿</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/export_forms.py"/>
        <source>Feature {} has no parcel code: no form.</source>
        <translation>要素 {} 没有地块代码：不生成表。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/export_forms.py"/>
        <source>Feature {} shares the parcel code {}: one form for both, areas added.</source>
        <translation>要素 {} 与其他要素共用宗地代码 {}：只生成一张表，面积相加。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/export_forms.py"/>
        <source>LandEval industrial land</source>
        <translation>LandEval 产业用地评估</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/export_forms.py"/>
        <source>No parcel with a parcel code: nothing to export.</source>
        <translation>没有带地块代码的地块：无可导出内容。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/export_forms.py"/>
        <source>Output folder</source>
        <translation>输出文件夹</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/export_forms.py"/>
        <source>Parcel code field (empty: detect 宗地代码)</source>
        <translation>地块代码字段（留空：自动识别宗地代码）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/export_forms.py"/>
        <source>Parcel layer</source>
        <translation>地块图层</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/export_forms.py"/>
        <source>Parcels exported</source>
        <translation>导出的地块数</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/export_forms.py"/>
        <source>The enterprises table lacks the fields {}; use the table written by the join step.</source>
        <translation>企业表缺少字段 {}；请使用关联步骤输出的企业表。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/export_forms.py"/>
        <source>The parcel layer has no parcel code field (宗地代码); choose one in 'Parcel code field'.</source>
        <translation>地块图层中没有地块代码字段（宗地代码）；请在“地块代码字段”中选择。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/export_forms.py"/>
        <source>Town field (empty: detect 所属镇街)</source>
        <translation>镇街字段（留空：自动识别所属镇街）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/export_forms.py"/>
        <source>Workbooks written</source>
        <translation>已写出的工作簿</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/export_forms.py"/>
        <source>Writes one workbook per town with one protected sheet per parcel: parcel facts, the parcel situation (drop-down lists for yes/no and categories) and the enterprises on the parcel, one row per enterprise and year, pre-filled from the enterprises table of 'Join enterprise data to parcels'. Only the white cells can be edited; numbers are checked on input; instructions are in Chinese. The filled-in workbook is read back by 'Join enterprise data to parcels' (leave the sheet empty) with the same values. Existing files are never overwritten.</source>
        <translation>按镇街每镇一个工作簿，每个地块一张受保护的工作表：地块基本信息、宗地情况（是/否和类别为下拉列表）以及地块上的企业，每家企业每年一行，由“企业数据关联到地块”输出的企业表预填。只能编辑白色单元格；数字输入有校验；填表说明为中文。填好的工作簿可由“企业数据关联到地块”读回（工作表留空），数值不变。不会覆盖已有文件。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/export_forms.py"/>
        <source>Wrote {}</source>
        <translation>已写入 {}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/export_forms.py"/>
        <source>{} parcels in {} workbooks</source>
        <translation>{} 个地块，{} 个工作簿</translation>
    </message>
</context>
<context>
    <name>ExportMapAlgorithm</name>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/export_map.py"/>
        <source>A3 landscape</source>
        <translation>A3 横向</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/export_map.py"/>
        <source>A4 landscape</source>
        <translation>A4 横向</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/export_map.py"/>
        <source>LandEval industrial land</source>
        <translation>LandEval 产业用地评估</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/export_map.py"/>
        <source>Legend: parcels and mu per class (JSON)</source>
        <translation>图例：各类宗数和亩数 (JSON)</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/export_map.py"/>
        <source>Map as PDF</source>
        <translation>专题图 PDF</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/export_map.py"/>
        <source>Map as PNG</source>
        <translation>专题图 PNG</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/export_map.py"/>
        <source>Map date (default: today)</source>
        <translation>制图日期（默认：今天）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/export_map.py"/>
        <source>Map extent</source>
        <translation>地图范围</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/export_map.py"/>
        <source>Map of</source>
        <translation>专题</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/export_map.py"/>
        <source>Name at least one output: OUTPUT_PDF or OUTPUT_PNG.</source>
        <translation>请至少指定一个输出：OUTPUT_PDF 或 OUTPUT_PNG。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/export_map.py"/>
        <source>Only parcels matching (expression)</source>
        <translation>仅统计符合条件的宗地（表达式）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/export_map.py"/>
        <source>Outline layers (renovation areas, boundaries)</source>
        <translation>轮廓图层（连片整治区、边界）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/export_map.py"/>
        <source>PDF file (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/export_map.py"/>
        <source>PNG image (*.png)</source>
        <translation>PNG 图片 (*.png)</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/export_map.py"/>
        <source>PNG resolution (dpi, 0: by paper)</source>
        <translation>PNG 分辨率（dpi，0：按纸张）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/export_map.py"/>
        <source>Paper</source>
        <translation>纸张</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/export_map.py"/>
        <source>Parcels (graded, with disposal paths or clusters)</source>
        <translation>宗地图层（已评价，含处置路径或连片编号）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/export_map.py"/>
        <source>Parcels on the map</source>
        <translation>图上宗数</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/export_map.py"/>
        <source>Presentation map (专题图)</source>
        <translation>专题图输出</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/export_map.py"/>
        <source>Prints a map of the parcels in Chinese to PDF and PNG: title, date, a legend giving the parcels and mu of each class (or disposal path, or in and out of renovation areas), the total, a scale bar and a north arrow. Papers: A4 or A3 landscape (a projector, a handout) and the wall map (挂图) presets A1 and A0, which print the whole district with a town × class table.

The class is the reviewed class where there is one, the path the reviewed path. FILTER restricts the parcels (map, legend and totals alike); EXTENT zooms the A4/A3 map. OUTLINES: polygon layers drawn as dashed outlines on top (renovation areas, planning boundaries). The layer's own style is not changed.

A layer of the LandEval store holding several years (one row per parcel and year) is mapped on one year: YEAR, or the newest when YEAR is empty; the log, the title and the subtitle name it.</source>
        <translation>将宗地专题图以中文输出为 PDF 和 PNG：标题、日期、图例（各类别、处置路径或连片整治区内外的宗数和亩数）、合计、比例尺和指北针。纸张：A4 或 A3 横向（投影、会议材料），以及挂图预设 A1、A0（全区范围，附镇街 × 类别表）。

类别有研判结果的取研判类别，处置路径同理。FILTER 限定宗地（地图、图例和合计一致）；EXTENT 指定 A4/A3 地图范围。OUTLINES：以虚线轮廓叠加的面图层（连片整治区、规划边界）。不改变图层本身的样式。

存有多个年度的 LandEval 存储库图层（每宗地每年一行）只按一个年度制图：YEAR 指定的年度，YEAR 为空时取最新年度；日志、标题和副标题注明该年度。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/export_map.py"/>
        <source>Subtitle (default: the layer's name)</source>
        <translation>副标题（默认：图层名称）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/export_map.py"/>
        <source>The parcel layer (INPUT) cannot be read.</source>
        <translation>无法读取地块图层（INPUT）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/export_map.py"/>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/export_map.py"/>
        <source>Wall map A0 (whole district)</source>
        <translation>挂图 A0（全区）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/export_map.py"/>
        <source>Wall map A1 (whole district)</source>
        <translation>挂图 A1（全区）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/export_map.py"/>
        <source>Year {}: {}</source>
        <translation>{} 年度{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/export_map.py"/>
        <source>{} parcels, {} mu on the map</source>
        <translation>图上共 {} 宗，{} 亩</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/export_map.py"/>
        <source>{} · year {}</source>
        <translation>{} · {} 年度</translation>
    </message>
</context>
<context>
    <name>GpkgStore</name>
    <message>
        <location filename="../landeval_plugin/core/store/gpkg.py"/>
        <source>Cannot create {}.</source>
        <translation>无法创建 {}。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/store/gpkg.py"/>
        <source>GeoPackage store {}</source>
        <translation>GeoPackage 存储库 {}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/store/gpkg.py"/>
        <source>Store file {} does not exist.</source>
        <translation>存储库文件 {} 不存在。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/store/gpkg.py"/>
        <source>Unknown coordinate reference system {}.</source>
        <translation>未知的坐标参考系 {}。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/store/gpkg.py"/>
        <source>{} already exists: choose a new file for the store.</source>
        <translation>{} 已存在：请为存储库另选一个新文件。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/store/gpkg.py"/>
        <source>{} is locked by another program; nothing was changed.</source>
        <translation>{} 正被其他程序锁定，未做任何修改。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/store/gpkg.py"/>
        <source>{} is not a GeoPackage ({}); nothing was changed.</source>
        <translation>{} 不是 GeoPackage 文件（{}），未做任何修改。</translation>
    </message>
</context>
<context>
    <name>GradeAlgorithm</name>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/grade.py"/>
        <source>Also write into the LandEval store (GeoPackage path or postgres://connection/schema)</source>
        <translation>同时写入 LandEval 存储库（GeoPackage 路径或 postgres://连接名/模式）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/grade.py"/>
        <source>Assumption: {}</source>
        <translation>假设：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/grade.py"/>
        <source>Cancelled: nothing was written.</source>
        <translation>已取消：未写入任何文件。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/grade.py"/>
        <source>Cannot read the parcel layer.</source>
        <translation>无法读取地块图层。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/grade.py"/>
        <source>Counts and area per class (JSON)</source>
        <translation>各类宗数与面积（JSON）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/grade.py"/>
        <source>Evaluation year (0 = the standard's)</source>
        <translation>评价年度（0 为标准年度）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/grade.py"/>
        <source>GROUP_BY field '{}' is not on the layer.</source>
        <translation>图层上没有分组字段“{}”。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/grade.py"/>
        <source>GeoPackage in and out: fast path (SQLite copy and update)</source>
        <translation>GeoPackage 输入输出：快速路径（SQLite 复制并更新）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/grade.py"/>
        <source>Grade inside PostGIS when the parcels and the output are tables of one PostGIS database</source>
        <translation>地块和输出为同一 PostGIS 数据库中的表时，在数据库内评价</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/grade.py"/>
        <source>Grade parcels with a standard (A/B/C/D)</source>
        <translation>按评价标准分类评价地块（A/B/C/D）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/grade.py"/>
        <source>Graded parcels</source>
        <translation>已评价地块</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/grade.py"/>
        <source>Grades every parcel A 鼓励支持 / B 保留提升 / C 观察整改 / D 整治退出, or T (not graded), with a standard: direct rules first (in order), then exclusions, then the composite score and classes by thresholds or rank quotas (within GROUP_BY when given), then low-efficiency tags.

STANDARD: a preset id ({}) or the path of a standard file (.yaml).
YEAR: the evaluation year (picks year-dependent thresholds; 0 = the standard's year).
Indicators missing on the layer are computed from the raw values and the parcel area. Review fields (grade_final ...) of an earlier run are carried forward, never erased. Use 'Selected features only' to grade a selection.</source>
        <translation>按“一套标准”将每宗地块评为 A 鼓励支持 / B 保留提升 / C 观察整改 / D 整治退出，或 T（不参与评价）：先按顺序直接判定，再排除不参评地块，然后综合评分，按得分阈值或排名比例分类（指定分组字段时组内排名），最后认定低效标签。

评价标准：预设标识（{}）或标准文件路径（.yaml）。
年度：评价年度（决定按年度变化的阈值；0 表示标准自身年度）。
图层缺少的指标由原始数值和地块面积计算。已有的研判字段（grade_final 等）会保留，重新评价不会清除。勾选“仅选中要素”可只评价所选地块。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/grade.py"/>
        <source>LandEval industrial land</source>
        <translation>LandEval 产业用地评估</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/grade.py"/>
        <source>Low-efficiency parcels: {}</source>
        <translation>低效用地：{} 宗</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/grade.py"/>
        <source>Parcels</source>
        <translation>地块</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/grade.py"/>
        <source>Rank within groups of (e.g. town)</source>
        <translation>分组排名字段（如镇街）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/grade.py"/>
        <source>Run id in the store</source>
        <translation>存储库中的评价批次编号</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/grade.py"/>
        <source>STORE (optional): a LandEval store (GeoPackage path or postgres://connection/schema); the run (standard, parameters, who, when, counts per class) and the graded parcels are also written there, for the evaluation year.</source>
        <translation>STORE（可选）：LandEval 存储库（GeoPackage 路径或 postgres://连接名/模式）；本次评价（标准、参数、操作人、时间、各类宗数）和分类结果也按评估年度写入其中。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/grade.py"/>
        <source>Standard (preset id or file)</source>
        <translation>评价标准（预设标识或文件）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/grade.py"/>
        <source>Standard: {} ({}), year {}</source>
        <translation>评价标准：{}（{}），年度 {}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/grade.py"/>
        <source>Warnings of the run, e.g. a year outside the standard's period (JSON list)</source>
        <translation>本次运行的警告，例如评价年度超出标准期限（JSON 列表）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/grade.py"/>
        <source>the chosen standard, each preset with its document:</source>
        <translation>所选评价标准；各预设标准及其依据文件：</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/grade.py"/>
        <source>{} parcels have infinite or NaN values and were not graded or ranked (class T): {}</source>
        <translation>{} 宗地块存在无穷大或非数（NaN）的值，未评分、未排序（T 类）：{}</translation>
    </message>
</context>
<context>
    <name>GuideWindow</name>
    <message>
        <location filename="../landeval_plugin/gui/help.py"/>
        <source>LandEval user guide</source>
        <translation>LandEval 用户指南</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/help.py"/>
        <source>Open in the browser</source>
        <translation>在浏览器中打开</translation>
    </message>
</context>
<context>
    <name>JoinEnterprises</name>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/join_enterprises.py"/>
        <source>Column mapping (field=column; ...)</source>
        <translation>列映射（字段=列; ...）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/join_enterprises.py"/>
        <source>Duplicate rows</source>
        <translation>重复记录</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/join_enterprises.py"/>
        <source>Enterprise rows used</source>
        <translation>已使用的企业行</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/join_enterprises.py"/>
        <source>Enterprise workbook (.xlsx or .csv)</source>
        <translation>企业数据工作簿（.xlsx 或 .csv）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/join_enterprises.py"/>
        <source>Enterprises table</source>
        <translation>企业数据表</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/join_enterprises.py"/>
        <source>Enterprise–parcel link table (credit code, parcel code, share)</source>
        <translation>企业—地块关联表（信用代码、地块代码、分摊比例）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/join_enterprises.py"/>
        <source>Evaluation year</source>
        <translation>评价年度</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/join_enterprises.py"/>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/join_enterprises.py"/>
        <source>Invalid credit codes</source>
        <translation>无效信用代码</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/join_enterprises.py"/>
        <source>Join enterprise data to parcels</source>
        <translation>企业数据关联到地块</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/join_enterprises.py"/>
        <source>LandEval industrial land</source>
        <translation>LandEval 产业用地评估</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/join_enterprises.py"/>
        <source>Parcel code field (empty: detect 宗地代码)</source>
        <translation>地块代码字段（留空：自动识别宗地代码）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/join_enterprises.py"/>
        <source>Parcel layer</source>
        <translation>地块图层</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/join_enterprises.py"/>
        <source>Parcels with enterprise data</source>
        <translation>地块企业数据</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/join_enterprises.py"/>
        <source>Parcels without enterprises</source>
        <translation>无企业地块</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/join_enterprises.py"/>
        <source>Reading {} ...</source>
        <translation>正在读取 {} ...</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/join_enterprises.py"/>
        <source>Reads an enterprise workbook (.xlsx or .csv, UTF-8 or GBK) from the statistics, tax or environment bureau, finds the header below title rows (two-row headers and merged cells included), converts units written in the headers (元/万元/亿元, 吨标准煤/千克标准煤 ...) to the standard units, cleans numbers (thousands separators, full-width digits, units typed in cells; '—', '/', '无' stay missing, never zero) and joins the rows to parcels by 宗地代码, or by 统一社会信用代码 through the link table. An enterprise on several parcels is split by the link table's share (or by parcel area); enterprises on one parcel are summed. Output: the parcels with the year's values, the two previous years (_y1, _y2) and the indicators (亩均税收, 地均产值 ...); the enterprises table; and a report workbook listing every unmatched enterprise, parcel without enterprise, duplicate row, invalid credit code (GB 32100-2015) and cleaning change.

MAPPING fixes column recognition: 'tax_10k=纳税额|元; credit_code=D' (field=header text or column letter, optional |unit); the data page saves it in the project.</source>
        <translation>读取统计、税务或环保部门的企业数据工作簿（.xlsx 或 .csv，UTF-8 或 GBK），自动找到标题行下方的表头（支持两行表头和合并单元格），将表头中的单位（元/万元/亿元，吨标准煤/千克标准煤……）换算为标准单位，清洗数字（千位分隔符、全角数字、单元格中的单位；“—”“/”“无”保留为缺失，绝不当作0），并按宗地代码、或通过关联表按统一社会信用代码关联到地块。一企多地按关联表的分摊比例（或地块面积）拆分；一地多企求和。输出：带当年数值、前两年数值（_y1、_y2）和指标（亩均税收、地均产值……）的地块图层；企业表；以及列出所有未匹配企业、无企业地块、重复行、无效信用代码（GB 32100-2015）和清洗记录的报告工作簿。

MAPPING 用于修正列识别：'tax_10k=纳税额|元; credit_code=D'（字段=表头文字或列字母，可加 |单位）；数据页面会把它保存在工程中。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/join_enterprises.py"/>
        <source>Report (.xlsx)</source>
        <translation>报告（.xlsx）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/join_enterprises.py"/>
        <source>Report {}: text cleaned in {} cells: {}</source>
        <translation>报告 {}：已清理 {} 个单元格中的文本：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/join_enterprises.py"/>
        <source>Sheet (empty: the first; * for all sheets)</source>
        <translation>工作表（留空：第一个；* 表示全部工作表）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/join_enterprises.py"/>
        <source>Sheet {}: header on rows {}–{}; columns: {}</source>
        <translation>工作表 {}：表头位于第 {}–{} 行；列：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/join_enterprises.py"/>
        <source>Some rows were not used or need checking: see the report {}</source>
        <translation>部分行未使用或需要核实：见报告 {}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/join_enterprises.py"/>
        <source>The parcel layer cannot be read.</source>
        <translation>无法读取地块图层。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/join_enterprises.py"/>
        <source>The parcel layer has no parcel code field (宗地代码); choose one in 'Parcel code field'.</source>
        <translation>地块图层中没有地块代码字段（宗地代码）；请在“地块代码字段”中选择。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/join_enterprises.py"/>
        <source>The workbook's columns, once read, did not give the layout its headers announced: it is read again and joined row by row after reading.</source>
        <translation>工作簿各列读完后得出的版式与表头预示的不一致：重新读取整个工作簿，读完后再逐行关联。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/join_enterprises.py"/>
        <source>Unmatched enterprise rows</source>
        <translation>未匹配的企业行</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/join_enterprises.py"/>
        <source>Workbooks (*.xlsx *.xlsm *.csv *.xls)</source>
        <translation>工作簿 (*.xlsx *.xlsm *.csv *.xls)</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/join_enterprises.py"/>
        <source>Writing into a store needs the enterprises table (OUTPUT_ENTERPRISES).</source>
        <translation>写入存储库需要输出企业表（OUTPUT_ENTERPRISES）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/join_enterprises.py"/>
        <source>column mapping</source>
        <translation>列映射</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/join_enterprises.py"/>
        <source>feature without parcel code</source>
        <translation>要素无地块代码</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/join_enterprises.py"/>
        <source>geometry with NaN or infinite coordinates: area unknown</source>
        <translation>图形坐标为非数（NaN）或无穷大：面积未知</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/join_enterprises.py"/>
        <source>parcel code field</source>
        <translation>地块代码字段</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/join_enterprises.py"/>
        <source>parcel layer</source>
        <translation>地块图层</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/join_enterprises.py"/>
        <source>source row</source>
        <translation>来源行</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/join_enterprises.py"/>
        <source>{} features share this parcel code: values split by area</source>
        <translation>{} 个要素使用同一地块代码：数值按面积拆分</translation>
    </message>
</context>
<context>
    <name>Joiner</name>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_join.py"/>
        <source>Sheet {}: the columns {} have no year and the sheet has no year column: their values are taken as {}.</source>
        <translation>工作表 {}：列 {} 没有年份，且该表没有年度列：其数值按 {} 年计。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_join.py"/>
        <source>The table has no year column and no year in its headers: all values are taken as {}.</source>
        <translation>表中既无年度列，表头中也无年份：所有数值按 {} 年处理。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_join.py"/>
        <source>identical duplicate: not counted again</source>
        <translation>完全重复：不再重复计入</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_join.py"/>
        <source>no usable year or value on the row</source>
        <translation>该行没有可用的年度或数值</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_join.py"/>
        <source>parcel code not in the parcel layer; the enterprise went to its other parcels</source>
        <translation>地块代码不在地块图层中；该企业的数值已分配至其其他地块</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_join.py"/>
        <source>same enterprise, parcel and year with different values: first row kept</source>
        <translation>同一企业、地块、年度但数值不同：保留第一行</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_join.py"/>
        <source>the link table ({}!{}) names a parcel that is not in the parcel layer; no share given, so the enterprise went to its other parcels by area</source>
        <translation>关联表（{}!{}）中的地块不在地块图层中；未给出分摊比例，该企业按面积分摊到其其他地块</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_join.py"/>
        <source>the link table ({}!{}) names a parcel that is not in the parcel layer; that share is not assigned</source>
        <translation>关联表（{}!{}）中的地块不在地块图层中；该部分份额未分配</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_join.py"/>
        <source>year {} is outside the evaluation years {}–{}</source>
        <translation>年度 {} 不在评价年度 {}–{} 之内</translation>
    </message>
</context>
<context>
    <name>LandEval</name>
    <message>
        <source>Cannot create the cluster output.</source>
        <extracomment>not a tr() literal in the code (imported from a tsv file): shown through a variable, or no longer used</extracomment>
        <translation>无法创建连片输出图层。</translation>
    </message>
    <message>
        <source>Cannot create the disposal output.</source>
        <extracomment>not a tr() literal in the code (imported from a tsv file): shown through a variable, or no longer used</extracomment>
        <translation>无法创建处置输出图层。</translation>
    </message>
    <message>
        <source>Cannot create the output layer.</source>
        <extracomment>not a tr() literal in the code (imported from a tsv file): shown through a variable, or no longer used</extracomment>
        <translation>无法创建输出图层。</translation>
    </message>
    <message>
        <source>Cannot write the PDF {}</source>
        <extracomment>not a tr() literal in the code (imported from a tsv file): shown through a variable, or no longer used</extracomment>
        <translation>无法写入 PDF 文件 {}</translation>
    </message>
    <message>
        <source>Cannot write the plan workbook {}: {}</source>
        <extracomment>not a tr() literal in the code (imported from a tsv file): shown through a variable, or no longer used</extracomment>
        <translation>无法写入推进计划工作簿 {}：{}</translation>
    </message>
    <message>
        <source>Cannot write the sample district into {}: {}</source>
        <extracomment>not a tr() literal in the code (imported from a tsv file): shown through a variable, or no longer used</extracomment>
        <translation>无法将示例区县数据写入 {}：{}</translation>
    </message>
    <message>
        <source>Cannot write the sheet of parcel {} to {}</source>
        <extracomment>not a tr() literal in the code (imported from a tsv file): shown through a variable, or no longer used</extracomment>
        <translation>无法将宗地 {} 的体检表写入 {}</translation>
    </message>
    <message>
        <source>Cluster list {}: text cleaned in {} cells: {}</source>
        <extracomment>not a tr() literal in the code (imported from a tsv file): shown through a variable, or no longer used</extracomment>
        <translation>连片清单 {}：已清理 {} 个单元格中的文本：{}</translation>
    </message>
    <message>
        <source>Graded — {}</source>
        <extracomment>not a tr() literal in the code (imported from a tsv file): shown through a variable, or no longer used</extracomment>
        <translation>评价结果 — {}</translation>
    </message>
    <message>
        <source>Layer “{}” has no field “{}”: rules of “{}” that use it see it as empty.</source>
        <extracomment>not a tr() literal in the code (imported from a tsv file): shown through a variable, or no longer used</extracomment>
        <translation>图层“{}”没有字段“{}”：处置规则“{}”中用到它的条件按空值处理。</translation>
    </message>
    <message>
        <source>Parcel {}: {} cannot be evaluated: {}</source>
        <extracomment>not a tr() literal in the code (imported from a tsv file): shown through a variable, or no longer used</extracomment>
        <translation>地块 {}：{} 无法计算：{}</translation>
    </message>
    <message>
        <source>Propose a disposal path for every parcel (landeval:disposal) from the parcels with their cluster ids.</source>
        <extracomment>not a tr() literal in the code (imported from a tsv file): shown through a variable, or no longer used</extracomment>
        <translation>按处置规则为每宗地块提出处置路径（landeval:disposal），输入为带连片编号的地块。</translation>
    </message>
    <message>
        <source>Review (研判) {} parcel(s)</source>
        <extracomment>not a tr() literal in the code (imported from a tsv file): shown through a variable, or no longer used</extracomment>
        <translation>研判 {} 宗地块</translation>
    </message>
    <message>
        <source>Why the final class differs from the computed one (required)</source>
        <extracomment>not a tr() literal in the code (imported from a tsv file): shown through a variable, or no longer used</extracomment>
        <translation>最终类别与计算类别不同的理由（必填）</translation>
    </message>
    <message>
        <source>Writing the output failed: {}</source>
        <extracomment>not a tr() literal in the code (imported from a tsv file): shown through a variable, or no longer used</extracomment>
        <translation>写出结果失败：{}</translation>
    </message>
    <message>
        <source>[temporary layer]</source>
        <extracomment>not a tr() literal in the code (imported from a tsv file): shown through a variable, or no longer used</extracomment>
        <translation>[临时图层]</translation>
    </message>
    <message>
        <source>no path</source>
        <extracomment>not a tr() literal in the code (imported from a tsv file): shown through a variable, or no longer used</extracomment>
        <translation>无处置路径</translation>
    </message>
    <message>
        <source>{} (meeting list: {}, {} parcels)</source>
        <extracomment>not a tr() literal in the code (imported from a tsv file): shown through a variable, or no longer used</extracomment>
        <translation>{}（研判名单：{}，{} 宗）</translation>
    </message>
</context>
<context>
    <name>LandEvalAlgorithm</name>
    <message>
        <location filename="../landeval_plugin/processing/base.py"/>
        <source>Follows:</source>
        <translation>依据：</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/base.py"/>
        <source>Inputs:</source>
        <translation>输入：</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/base.py"/>
        <source>Outputs:</source>
        <translation>输出：</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/base.py"/>
        <source>Overwrite existing files</source>
        <translation>覆盖已存在的文件</translation>
    </message>
</context>
<context>
    <name>LandEvalDock</name>
    <message>
        <location filename="../landeval_plugin/gui/dock.py"/>
        <source>Help</source>
        <translation>帮助</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/dock.py"/>
        <source>Industrial land evaluation</source>
        <translation>产业用地评估</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/dock.py"/>
        <source>Open the user guide at this page's section</source>
        <translation>打开用户指南中本页的章节</translation>
    </message>
</context>
<context>
    <name>LandEvalPlugin</name>
    <message>
        <location filename="../landeval_plugin/plugin.py"/>
        <source>A provider with the id 'landeval' is already registered.</source>
        <translation>已注册 ID 为 “landeval” 的处理工具提供者。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/plugin.py"/>
        <source>Cannot open {}: {}</source>
        <translation>无法打开 {}：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/plugin.py"/>
        <source>Generate sample district…</source>
        <translation>生成示例区县数据…</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/plugin.py"/>
        <source>LandEval panel</source>
        <translation>LandEval 面板</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/plugin.py"/>
        <source>LandEval tools in the Processing Toolbox</source>
        <translation>在处理工具箱中查看 LandEval 工具</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/plugin.py"/>
        <source>Show or hide the LandEval panel: base map, data, grading, clusters, dossiers</source>
        <translation>显示或隐藏 LandEval 面板：一张图、数据、评估、连片、一地一档</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/plugin.py"/>
        <source>Show the {} page of the LandEval panel</source>
        <translation>在 LandEval 面板中打开「{}」页</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/plugin.py"/>
        <source>The Processing plugin is not enabled.</source>
        <translation>“处理”（Processing）插件未启用。</translation>
    </message>
</context>
<context>
    <name>LandEvalProvider</name>
    <message>
        <location filename="../landeval_plugin/processing/provider.py"/>
        <source>LandEval industrial land</source>
        <translation>LandEval 产业用地评估</translation>
    </message>
</context>
<context>
    <name>LayerPublication</name>
    <message>
        <location filename="../landeval_plugin/core/files.py"/>
        <source>{} of {} features were written</source>
        <translation>只写入了 {} 个要素（共 {} 个）</translation>
    </message>
</context>
<context>
    <name>LegendEntry</name>
    <message>
        <location filename="../landeval_plugin/core/meeting/map_export.py"/>
        <source>{} ({} parcels, {} mu)</source>
        <translation>{}（{} 宗，{} 亩）</translation>
    </message>
</context>
<context>
    <name>ListsAlgorithm</name>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/lists.py"/>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/lists.py"/>
        <source>Graded parcels</source>
        <translation>已评价地块</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/lists.py"/>
        <source>Issuing body or district (printed under the title)</source>
        <translation>发布单位或区县（印在标题下）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/lists.py"/>
        <source>LandEval industrial land</source>
        <translation>LandEval 产业用地评估</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/lists.py"/>
        <source>List</source>
        <translation>名单</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/lists.py"/>
        <source>List as PDF</source>
        <translation>名单 PDF</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/lists.py"/>
        <source>List workbook (XLSX)</source>
        <translation>名单工作簿 (XLSX)</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/lists.py"/>
        <source>List, parcels and area (JSON)</source>
        <translation>名单、宗数和面积 (JSON)</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/lists.py"/>
        <source>Name at least one output: OUTPUT_XLSX or OUTPUT_PDF.</source>
        <translation>请至少指定一个输出：OUTPUT_XLSX 或 OUTPUT_PDF。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/lists.py"/>
        <source>Only parcels matching (expression)</source>
        <translation>仅统计符合条件的宗地（表达式）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/lists.py"/>
        <source>PDF file (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/lists.py"/>
        <source>Parcels on the list</source>
        <translation>名单宗数</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/lists.py"/>
        <source>Prints one published list as a formatted Excel workbook and an A4 landscape PDF table (No., parcel code, right holder, town, area in mu, class, reason), with the source it rests on printed above it:
• A-class list (优质工业用地产权人名单): class A (Beijing E-Town 2023, 3 (4));
• key service enterprise list (重点服务企业名单): classes A and B (Beijing E-Town 2023, 3 (3)); the list names each parcel's right holder, related parties are added by hand (printed as an assumption);
• low-efficiency list (低效工业用地清单): every parcel with a low-efficiency type (Tonglu 2022).

The class is the reviewed class where there is one. FILTER restricts the parcels first (e.g. one town).</source>
        <translation>将一份名单输出为带格式的 Excel 工作簿和 A4 横向 PDF 表格（序号、宗地代码、权利人、所属镇街、面积（亩）、类别、理由），表前印有所依据的文件条款：
• 优质工业用地产权人名单：A 类（北京经开区 2023，三、（四））；
• 重点服务企业名单：A、B 类（北京经开区 2023，三、（三））；按宗地列出权利人，关联方需人工补充（作为假设印在名单上）；
• 低效工业用地清单：具有任一低效类型的宗地（桐庐 2022）。

类别有研判结果的取研判类别。FILTER 先限定宗地（如某一镇街）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/lists.py"/>
        <source>Published lists (名单)</source>
        <translation>名单发布</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/lists.py"/>
        <source>The parcel layer (INPUT) cannot be read.</source>
        <translation>无法读取地块图层（INPUT）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/lists.py"/>
        <source>{}: {} parcels, {} mu</source>
        <translation>{}：{} 宗，{} 亩</translation>
    </message>
</context>
<context>
    <name>MissingInputsError</name>
    <message>
        <location filename="../landeval_plugin/core/grading/grade.py"/>
        <source>, e.g. {}</source>
        <translation>，如 {}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/grade.py"/>
        <source>The layer lacks fields that some parcels need (they cannot be computed from raw values and the area): {}</source>
        <translation>图层缺少部分地块评价所需的字段（也无法由原始值和面积计算）：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/grade.py"/>
        <source>The layer lacks fields the standard needs (and they cannot be computed from raw values and the area): {}</source>
        <translation>图层缺少评价标准所需字段（也无法由原始数值和面积计算）：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/grade.py"/>
        <source>{} (from {}) for formula {}: {} parcel(s){}</source>
        <translation>{}（缺 {}），{} 公式需要：{} 宗地块{}</translation>
    </message>
</context>
<context>
    <name>NorthArrow</name>
    <message>
        <location filename="../landeval_plugin/gui/presentation.py"/>
        <source>N</source>
        <extracomment>the letter on the north arrow: 北 (north), not a yes/no or a count</extracomment>
        <translation>北</translation>
    </message>
</context>
<context>
    <name>NumberCleaner</name>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_clean.py"/>
        <source>'{}' means no data: left missing, not zero</source>
        <translation>“{}”表示无数据：保留为缺失，不作为0</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_clean.py"/>
        <source>a date in a numeric column</source>
        <translation>数值列中出现日期</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_clean.py"/>
        <source>a yes/no value in a numeric column</source>
        <translation>数值列中出现是/否值</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_clean.py"/>
        <source>full-width characters converted</source>
        <translation>全角字符已转换为半角</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_clean.py"/>
        <source>number stored as text converted</source>
        <translation>以文本存储的数字已转换</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_clean.py"/>
        <source>text '{}' in a numeric column</source>
        <translation>数值列中出现文字“{}”</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_clean.py"/>
        <source>thousands separators removed</source>
        <translation>已去除千位分隔符</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_clean.py"/>
        <source>unit '{}' removed from the cell and converted</source>
        <translation>已去除单元格中的单位“{}”并换算</translation>
    </message>
</context>
<context>
    <name>OutputLocation</name>
    <message>
        <location filename="../landeval_plugin/gui/output_location.py"/>
        <source>GeoPackage (*.gpkg)</source>
        <translation>GeoPackage (*.gpkg)</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/output_location.py"/>
        <source>Open folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/output_location.py"/>
        <source>Results are saved as new layers in {}</source>
        <translation>成果将作为新图层保存到 {}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/output_location.py"/>
        <source>Show the folder of the output GeoPackage</source>
        <translation>打开输出 GeoPackage 所在的文件夹</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/output_location.py"/>
        <source>The project is not saved yet: results are saved as new layers in {}. Save the project first to keep them beside it.</source>
        <translation>项目尚未保存：成果将作为新图层保存到 {}。先保存项目，成果即保存在项目文件旁。</translation>
    </message>
</context>
<context>
    <name>Page</name>
    <message>
        <location filename="../landeval_plugin/gui/pages/disposal.py"/>
        <source> (reviewed {})</source>
        <extracomment>the number of parcels in the cell whose path the review meeting recorded (研判)</extracomment>
        <translation>（研判 {}）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/data.py"/>
        <source>(all sheets)</source>
        <translation>（全部工作表）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/data.py"/>
        <source>(first sheet)</source>
        <translation>（第一个工作表）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/data.py"/>
        <source>(not used)</source>
        <translation>（不使用）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/grading.py"/>
        <source>+10%: parcels changing</source>
        <translation>+10%：类别变化宗数</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/clusters.py"/>
        <source>0: parcels must share a stretch of boundary; 20–50 m bridges roads and rivers.</source>
        <translation>0：地块须有一段公共边界；20–50 米可跨越道路和河流。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/basemap.py"/>
        <source>Add at least one source layer.</source>
        <translation>请至少添加一个数据来源图层。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/basemap.py"/>
        <source>Add layer</source>
        <translation>添加图层</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/basemap.py"/>
        <source>Add source file</source>
        <translation>添加来源文件</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/basemap.py"/>
        <source>Add the source layers, then check each one's field mapping.</source>
        <translation>请添加数据来源图层，并逐一核对字段映射。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/basemap.py"/>
        <source>All presets</source>
        <translation>全部分类标准</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/clusters.py"/>
        <source>Area (mu)</source>
        <translation>面积(亩)</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/grading.py"/>
        <source>Area (亩)</source>
        <translation>面积（亩）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>Area {} mu</source>
        <translation>面积 {} 亩</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/grading.py"/>
        <source>Assumptions:</source>
        <translation>假设：</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/basemap.py"/>
        <source>Base map</source>
        <translation>一张图</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/basemap.py"/>
        <source>Base map QA</source>
        <translation>一张图质检</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/basemap.py"/>
        <source>Base map cancelled; nothing was written.</source>
        <translation>一张图生成已取消，未写入任何文件。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/basemap.py"/>
        <source>Base map: {} parcels, {:.2f} ha; QA: {} rows.</source>
        <translation>一张图：{} 个地块，{:.2f} 公顷；质检：{} 条。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/grading.py"/>
        <source>Basis</source>
        <translation>依据</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/disposal.py"/>
        <source>Basis and assumptions</source>
        <translation>依据与假设</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>Basis of the proposal</source>
        <translation>处置依据</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>Benchmark</source>
        <translation>基准值</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/basemap.py"/>
        <source>Build base map</source>
        <translation>生成一张图</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/basemap.py"/>
        <source>Build industrial land base map…</source>
        <translation>生成产业用地一张图…</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/basemap.py"/>
        <source>Building the base map…</source>
        <translation>正在生成一张图……</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/clusters.py"/>
        <source>By expression</source>
        <translation>按表达式</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/clusters.py"/>
        <source>By grade</source>
        <translation>按类别</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/clusters.py"/>
        <location filename="../landeval_plugin/gui/pages/data.py"/>
        <location filename="../landeval_plugin/gui/pages/disposal.py"/>
        <location filename="../landeval_plugin/gui/pages/dossiers.py"/>
        <location filename="../landeval_plugin/gui/pages/grading.py"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/basemap.py"/>
        <source>Cancel build</source>
        <translation>取消生成</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/data.py"/>
        <location filename="../landeval_plugin/gui/pages/dossiers.py"/>
        <source>Cancelled: nothing was written.</source>
        <translation>已取消：未写入任何文件。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/grading.py"/>
        <source>Choose a graded layer (with a grade field) to review.</source>
        <translation>请选择已评价的图层（含 grade 字段）进行研判。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/grading.py"/>
        <source>Choose a parcel layer and a standard.</source>
        <translation>请选择地块图层和评价标准。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/data.py"/>
        <source>Choose a parcel layer and an enterprise workbook.</source>
        <translation>请选择地块图层和企业数据工作簿。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/disposal.py"/>
        <source>Choose a rule set that can be read.</source>
        <translation>请选择可读取的处置规则。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/dossiers.py"/>
        <source>Choose at least one output: a folder, a combined PDF or a workbook.</source>
        <translation>请至少选择一种输出：分宗 PDF、合并 PDF 或 Excel 工作簿。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>Choose the graded parcel layer for the meeting.</source>
        <translation>请选择研判会使用的已评价宗地图层。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/clusters.py"/>
        <location filename="../landeval_plugin/gui/pages/disposal.py"/>
        <source>Choose the graded parcel layer.</source>
        <translation>请选择已评价的地块图层。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/dossiers.py"/>
        <source>Choose the output folder.</source>
        <translation>请选择输出文件夹。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/dossiers.py"/>
        <source>Choose the parcel layer.</source>
        <translation>请选择地块图层。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/grading.py"/>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>Class</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/dossiers.py"/>
        <source>Click a parcel to preview and print its dossier sheet</source>
        <translation>点击地块，预览并打印其体检表</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/clusters.py"/>
        <source>Cluster</source>
        <translation>连片编号</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/clusters.py"/>
        <source>Cluster list written to {}</source>
        <translation>连片清单已导出至 {}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/clusters.py"/>
        <source>Cluster search cancelled; nothing was added.</source>
        <translation>已取消连片识别，未添加任何图层。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/clusters.py"/>
        <source>Cluster search failed: see the Processing log.</source>
        <translation>连片识别失败：请查看处理工具日志。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/clusters.py"/>
        <source>Cluster search failed: {}</source>
        <translation>连片识别失败：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/clusters.py"/>
        <source>Clusters</source>
        <translation>连片</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/clusters.py"/>
        <source>Clusters (gap {} m)</source>
        <translation>连片整治区（间距 {} 米）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/basemap.py"/>
        <source>Code prefix</source>
        <translation>编码前缀</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/data.py"/>
        <source>Column</source>
        <translation>列</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/data.py"/>
        <source>Columns (check the detected mapping; changes are saved in the project)</source>
        <translation>列（请核对自动识别结果；修改会保存在工程中）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/grading.py"/>
        <source>Condition</source>
        <translation>条件</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>Confirm (Enter)</source>
        <translation>确认（回车）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/data.py"/>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/data.py"/>
        <source>Detect again</source>
        <translation>重新识别</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/disposal.py"/>
        <source>Disposal</source>
        <translation>处置</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/clusters.py"/>
        <source>Disposal paths…</source>
        <translation>处置方案…</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/disposal.py"/>
        <source>Disposal rule sets (*.yaml *.yml)</source>
        <translation>处置规则 (*.yaml *.yml)</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/disposal.py"/>
        <source>Disposal run cancelled; nothing was added.</source>
        <translation>处置已取消，未添加任何图层。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/disposal.py"/>
        <source>Disposal run failed: see the LandEval log.</source>
        <translation>处置失败：详见 LandEval 日志。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/disposal.py"/>
        <source>Disposal run failed: {}</source>
        <translation>处置失败：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/disposal.py"/>
        <source>Disposal · {} · {}</source>
        <translation>处置方案 · {} · {}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/dossiers.py"/>
        <source>Dossier sheet</source>
        <translation>体检表</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/dossiers.py"/>
        <source>Dossiers</source>
        <translation>一地一档</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/dossiers.py"/>
        <source>Edit the sheet, then save it with Layout ▸ Save as Template and choose that .qpt as the template here. Fields d_* are filled in when LandEval prints.</source>
        <translation>在设计器中修改体检表后，用“布局 ▸ 另存为模板”保存，再在此处选择该 .qpt 作为模板。d_* 字段在 LandEval 打印时自动填充。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/data.py"/>
        <source>Enterprise workbook</source>
        <translation>企业数据表</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/data.py"/>
        <source>Enterprises</source>
        <translation>企业表</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>Enterprises on the parcel</source>
        <translation>地上企业</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/dossiers.py"/>
        <source>Enterprises table</source>
        <translation>企业数据表</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/data.py"/>
        <location filename="../landeval_plugin/gui/pages/dossiers.py"/>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>Evaluation year</source>
        <translation>评价年度</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/clusters.py"/>
        <location filename="../landeval_plugin/gui/pages/data.py"/>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>Excel workbook (*.xlsx);;Web page for Word (*.html);;CSV (*.csv)</source>
        <translation>Excel 工作簿 (*.xlsx);;可用 Word 打开的网页 (*.html);;CSV (*.csv)</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/clusters.py"/>
        <source>Export the cluster list</source>
        <translation>导出连片清单</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>Export the map</source>
        <translation>导出地图</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/clusters.py"/>
        <source>Export to Excel…</source>
        <translation>导出 Excel…</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/data.py"/>
        <source>Export 一地一表 forms…</source>
        <translation>导出一地一表…</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/data.py"/>
        <source>Failed: {}</source>
        <translation>失败：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/basemap.py"/>
        <source>File {} is not a polygon layer ({}): a base map source needs parcels as polygons. It was not added.</source>
        <translation>文件 {} 不是面图层（{}）：一张图的数据来源须为面状地块。未添加。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/basemap.py"/>
        <source>File…</source>
        <translation>文件…</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/clusters.py"/>
        <source>Find clusters and draw them</source>
        <translation>识别连片并上图</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/basemap.py"/>
        <source>First source's CRS</source>
        <translation>第一个来源的坐标系</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/data.py"/>
        <source>Folder for the 一地一表 workbooks</source>
        <translation>一地一表工作簿保存文件夹</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/data.py"/>
        <source>Forget my changes</source>
        <translation>撤销我的修改</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>Full screen for the projector: a clean map with title, date and the legend of the classes; Esc leaves it.</source>
        <translation>投影演示：全屏显示简洁地图，带标题、日期和分类图例；按 Esc 退出。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/clusters.py"/>
        <source>Gap bridged</source>
        <translation>连通间距</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/basemap.py"/>
        <source>GeoPackage (*.gpkg)</source>
        <translation>GeoPackage (*.gpkg)</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/clusters.py"/>
        <source>Go to the 处置 page with the parcels and their cluster ids, to propose a disposal path for every parcel.</source>
        <translation>转到“处置”页，读取带连片编号的地块，为每宗地块提出处置路径。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/grading.py"/>
        <source>Grade all</source>
        <translation>全部评价</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/grading.py"/>
        <source>Grade selection</source>
        <translation>评价所选地块</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/clusters.py"/>
        <location filename="../landeval_plugin/gui/pages/disposal.py"/>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>Graded parcels</source>
        <translation>已评价地块</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/grading.py"/>
        <source>Graded. Review parcels with 'Review selected…'; the map shows the final class.</source>
        <translation>评价完成。可用“研判所选地块…”调整类别，地图显示最终类别。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/clusters.py"/>
        <source>Grades</source>
        <translation>类别构成</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/grading.py"/>
        <source>Grading</source>
        <translation>分类评价</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/grading.py"/>
        <source>Grading failed or was cancelled; see the log (LandEval). Nothing was written.</source>
        <translation>评价失败或已取消，详见日志（LandEval）。未写出任何结果。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/grading.py"/>
        <source>Grading failed: {} Nothing was written.</source>
        <translation>评价失败：{} 未写入任何内容。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/grading.py"/>
        <source>Grading {} with {}…</source>
        <translation>正在用 {1} 评价 {0}…</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/data.py"/>
        <source>Header</source>
        <translation>表头</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/data.py"/>
        <source>Header found on rows {}–{} of sheet {}.</source>
        <translation>表头位于工作表 {2} 的第 {0}–{1} 行。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/dossiers.py"/>
        <source>History</source>
        <translation>历年评价</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/dossiers.py"/>
        <source>History (历年评价) from the open store {}</source>
        <translation>历年评价（复评）取自已打开的存储库 {}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>Indicator</source>
        <translation>指标</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/basemap.py"/>
        <source>Industrial land base map</source>
        <translation>产业用地一张图</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>Item score</source>
        <translation>单项得分</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/data.py"/>
        <source>Join enterprise data to parcels</source>
        <translation>企业数据关联到地块</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/data.py"/>
        <source>Join to parcels</source>
        <translation>关联到地块</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/basemap.py"/>
        <source>Land-use classes</source>
        <translation>产业用地分类</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/grading.py"/>
        <source>LandEval what-if</source>
        <translation>LandEval 敏感性分析</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>Last decision</source>
        <translation>上次研判</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>Last year's result</source>
        <translation>上年评价结果</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/basemap.py"/>
        <source>Layer {} is not a polygon layer ({}): a base map source needs parcels as polygons. It was not added.</source>
        <translation>图层 {} 不是面图层（{}）：一张图的数据来源须为面状地块。未添加。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/basemap.py"/>
        <source>Layer {}: choose a field for {}.</source>
        <translation>图层 {}：请为{}选择字段。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>Layer “{}” keeps showing one year until its edits are saved: {}</source>
        <translation>图层“{}”在编辑保存之前仍只显示一个年度：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>Layer “{}” shows every year again (its filter: {}).</source>
        <translation>图层“{}”已恢复显示全部年度（其筛选：{}）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>Layer “{}” was removed: the meeting stays stored in the project; open the layer and resume.</source>
        <translation>图层“{}”已被移除：研判会仍保存在项目中，重新打开图层后可继续。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/dossiers.py"/>
        <source>Layout templates (*.qpt)</source>
        <translation>布局模板 (*.qpt)</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/data.py"/>
        <source>Link table (optional)</source>
        <translation>企业地块关联表（可选）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>List</source>
        <translation>名单</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>Low-efficiency tags</source>
        <translation>低效认定</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>Map written to {} and {}</source>
        <translation>地图已写入 {} 和 {}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>Meeting</source>
        <translation>会议</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>Meeting and list</source>
        <translation>会议与名单</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/clusters.py"/>
        <source>Members</source>
        <translation>连片成员</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/clusters.py"/>
        <source>Minimum area</source>
        <translation>最小面积</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/basemap.py"/>
        <source>Minimum leftover piece</source>
        <translation>最小保留碎片</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/clusters.py"/>
        <source>Minimum parcels</source>
        <translation>最少地块数</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>Minutes with {} decisions written to {}</source>
        <translation>会议纪要（{} 条研判结论）已写入 {}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>Minutes…</source>
        <translation>会议纪要…</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/grading.py"/>
        <source>New standard id</source>
        <translation>新标准标识</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>Next</source>
        <translation>下一宗</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/dossiers.py"/>
        <source>No Chinese font is installed, sheets would print as boxes. Install {} and restart QGIS.</source>
        <translation>本机未安装中文字体，体检表将显示为方框（豆腐块）。请安装 {} 后重启 QGIS。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/dossiers.py"/>
        <source>No Python interpreter found to print in the background.</source>
        <translation>未找到可在后台打印的 Python 解释器。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/dossiers.py"/>
        <source>No background process could be started, printing inside QGIS: {}</source>
        <translation>无法启动后台进程，改为在 QGIS 内打印：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/data.py"/>
        <source>No header row with a 宗地代码 or 统一社会信用代码 column was found in the first rows: choose the key columns below.</source>
        <translation>前几行中找不到含宗地代码或统一社会信用代码的表头行：请在下面指定关键列。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>No meeting is stored in this project.</source>
        <translation>本项目中没有保存的研判会。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/dossiers.py"/>
        <source>No parcel is selected on layer {}.</source>
        <translation>图层 {} 中没有选中的地块。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/grading.py"/>
        <source>No parcels selected on {}.</source>
        <translation>图层 {} 上没有选中的地块。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/disposal.py"/>
        <source>No path proposed</source>
        <translation>不提出处置路径</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/dossiers.py"/>
        <source>No store is open (项目 / 存储库): the history (历年评价) prints 暂无数据</source>
        <translation>未打开存储库（项目 / 存储库）：历年评价一栏显示“暂无数据”</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/dossiers.py"/>
        <source>One PDF per parcel</source>
        <translation>每宗地一个 PDF</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/dossiers.py"/>
        <source>One combined PDF with bookmarks</source>
        <translation>合并为一个带书签的 PDF</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/disposal.py"/>
        <source>Open a disposal rule set</source>
        <translation>打开处置规则</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/grading.py"/>
        <source>Open a standard</source>
        <translation>打开评价标准</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/basemap.py"/>
        <source>Open folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/data.py"/>
        <source>Open the report</source>
        <translation>打开报告</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/dossiers.py"/>
        <source>Open the template in the layout designer</source>
        <translation>在布局设计器中打开模板</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/disposal.py"/>
        <location filename="../landeval_plugin/gui/pages/grading.py"/>
        <source>Open…</source>
        <translation>打开…</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>Optional: last year's graded layer; the card shows each parcel's class on it (matched by parcel code).</source>
        <translation>可选：上年度的评价结果图层；卡片按宗地代码显示该宗地的上年类别。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/grading.py"/>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/clusters.py"/>
        <location filename="../landeval_plugin/gui/pages/data.py"/>
        <location filename="../landeval_plugin/gui/pages/disposal.py"/>
        <source>Output GeoPackage</source>
        <translation>成果文件</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/basemap.py"/>
        <source>Output base map</source>
        <translation>输出一张图</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/dossiers.py"/>
        <source>Output folder</source>
        <translation>输出文件夹</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>PDF file (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/disposal.py"/>
        <source>Parameter @{} = {}</source>
        <translation>参数 @{} = {}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/data.py"/>
        <source>Parcel code field</source>
        <translation>地块代码字段</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/clusters.py"/>
        <location filename="../landeval_plugin/gui/pages/grading.py"/>
        <source>Parcel count</source>
        <translation>地块数</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/data.py"/>
        <location filename="../landeval_plugin/gui/pages/grading.py"/>
        <source>Parcel layer</source>
        <translation>地块图层</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>Parcel {} / {}</source>
        <translation>第 {} / {} 宗</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>Parcel {} / {} · year {}</source>
        <translation>第 {} / {} 宗 · {} 年度</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>Parcel {} is no longer on layer “{}” (deleted?). Go on with the next one; the list and the decisions are kept.</source>
        <translation>宗地 {} 已不在图层“{}”中（已删除？）。请继续下一宗；列表和已记录的结论都保留。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/dossiers.py"/>
        <source>Parcels</source>
        <translation>地块</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/clusters.py"/>
        <source>Parcels touching at a corner are neighbours</source>
        <translation>角点相接的地块也算相邻</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/clusters.py"/>
        <source>Parcels with cluster id</source>
        <translation>带连片编号的地块</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/data.py"/>
        <source>Parcels with enterprise data</source>
        <translation>地块企业数据</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>Path</source>
        <translation>处置路径</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/disposal.py"/>
        <source>Paths: {}</source>
        <translation>处置路径：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>Presentation</source>
        <translation>演示</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>Previous</source>
        <translation>上一宗</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/basemap.py"/>
        <source>Previous base map (codes)</source>
        <translation>上一年度一张图（沿用编码）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/dossiers.py"/>
        <source>Print all</source>
        <translation>全部打印</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/dossiers.py"/>
        <source>Print dossier sheets ({})</source>
        <translation>打印体检表（{}）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/dossiers.py"/>
        <source>Print selected</source>
        <translation>打印选中地块</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/dossiers.py"/>
        <source>Print the 体检表 (dossier sheet) of parcels: A4, Chinese, one PDF per parcel, one combined PDF with bookmarks, and/or a workbook. Click a parcel with the 体检表 map tool to preview its sheet.</source>
        <translation>打印地块体检表（A4，中文）：每宗地一个 PDF、带书签的合并 PDF，以及/或 Excel 工作簿。用“体检表”地图工具点击地块可预览其体检表。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/dossiers.py"/>
        <source>Printing in the background: you can keep working in QGIS.</source>
        <translation>正在后台打印：您可以继续在 QGIS 中工作。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/disposal.py"/>
        <source>Propose disposal paths</source>
        <translation>提出处置路径</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/disposal.py"/>
        <source>Proposing disposal paths for {} with {}…</source>
        <translation>正在按 {1} 为 {0} 提出处置路径…</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/grading.py"/>
        <source>Rank within</source>
        <translation>分组排名字段</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/data.py"/>
        <source>Read as</source>
        <translation>识别为</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>Reason (required when the class or path changes)</source>
        <translation>研判理由（调整类别或路径时必填）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>Reasons</source>
        <translation>评价理由</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>Record (Enter)</source>
        <translation>记录（回车）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>Record the change (Enter)</source>
        <translation>记录调整（回车）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/basemap.py"/>
        <source>Remove source</source>
        <translation>移除来源</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/dossiers.py"/>
        <source>Renovation clusters</source>
        <translation>连片整治区</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/data.py"/>
        <source>Report</source>
        <translation>报告</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/grading.py"/>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/basemap.py"/>
        <source>Results are saved as new layers in {}</source>
        <translation>成果将作为新图层保存到 {}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>Resume</source>
        <translation>继续上次研判</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/grading.py"/>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>Review</source>
        <translation>研判</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>Review meeting</source>
        <translation>研判会</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/grading.py"/>
        <source>Review selected…</source>
        <translation>研判所选地块…</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/disposal.py"/>
        <source>Review the path of the selected parcel…</source>
        <translation>研判所选地块的处置路径…</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>Reviewed {} / {}</source>
        <translation>已研判 {} / {}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>Reviewer</source>
        <translation>研判人</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/disposal.py"/>
        <source>Rule set</source>
        <translation>处置规则</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/grading.py"/>
        <source>Rules</source>
        <translation>规则</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/grading.py"/>
        <source>Save as new standard</source>
        <translation>另存为新标准</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/grading.py"/>
        <source>Save as new standard…</source>
        <translation>另存为新标准…</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>Save the layer edits to keep it (Undo takes it back).</source>
        <translation>保存图层编辑后生效（“撤销”可撤回）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>Save the minutes</source>
        <translation>保存会议纪要</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/disposal.py"/>
        <location filename="../landeval_plugin/gui/pages/grading.py"/>
        <source>Saved as layer {} in {}</source>
        <translation>已保存为图层 {}，位于 {}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/clusters.py"/>
        <location filename="../landeval_plugin/gui/pages/data.py"/>
        <source>Saved as layers {} in {}</source>
        <translation>已保存为图层 {}，位于 {}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/grading.py"/>
        <source>Saved {}</source>
        <translation>已保存 {}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>Score / rank</source>
        <translation>得分 / 排名</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/disposal.py"/>
        <source>Select a parcel on the map and review its path with the button above.</source>
        <translation>在地图上选择地块，用上方按钮研判其处置路径。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/disposal.py"/>
        <source>Select the parcels on the disposal layer first.</source>
        <translation>请先在处置图层上选择地块。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/grading.py"/>
        <source>Select the parcels to review on the map first.</source>
        <translation>请先在地图上选择要研判的地块。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/data.py"/>
        <source>Sheet</source>
        <translation>工作表</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>Show every year</source>
        <translation>显示全部年度</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/basemap.py"/>
        <source>Source field</source>
        <translation>来源字段</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/basemap.py"/>
        <source>Source role</source>
        <translation>来源类型</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/basemap.py"/>
        <source>Source {} cannot be read (file missing or not a vector layer).</source>
        <translation>数据来源 {} 无法读取（文件不存在或不是矢量图层）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/basemap.py"/>
        <source>Source {} has no polygons (geometry type: {}).</source>
        <translation>数据来源 {} 不是面图层（几何类型：{}）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/basemap.py"/>
        <source>Source {}: choose its field for {} in the 来源字段 column of the table above.</source>
        <translation>数据来源 {}：请在上方表格的“来源字段”列中为 {} 选择字段。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/basemap.py"/>
        <source>Sources (drag to order: highest priority first)</source>
        <translation>数据来源（拖动排序：优先级高的在前）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/grading.py"/>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/grading.py"/>
        <source>Standard</source>
        <translation>评价标准</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/basemap.py"/>
        <source>Standard field</source>
        <translation>标准字段</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/grading.py"/>
        <source>Standards (*.yaml *.yml *.json)</source>
        <translation>评价标准 (*.yaml *.yml *.json)</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/grading.py"/>
        <source>Standards (*.yaml)</source>
        <translation>评价标准 (*.yaml)</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>Start the walk-through</source>
        <translation>开始逐宗研判</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>Statistics</source>
        <translation>统计</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/basemap.py"/>
        <source>Target CRS of the base map</source>
        <translation>一张图坐标系</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/clusters.py"/>
        <source>Tax (10k yuan)</source>
        <translation>税收(万元)</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/clusters.py"/>
        <source>Tax per mu</source>
        <translation>亩均税收(万元/亩)</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/dossiers.py"/>
        <source>Template</source>
        <translation>模板</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/basemap.py"/>
        <source>The base map is written to {} (its QA beside it).</source>
        <translation>一张图写入 {}（质检结果在其旁）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/basemap.py"/>
        <source>The base map was built but could not be saved: {}</source>
        <translation>一张图已生成，但未能保存：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/basemap.py"/>
        <source>The base map was not built: {}</source>
        <translation>一张图未生成：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/basemap.py"/>
        <source>The base map was not built; see the Processing log for the reason.</source>
        <translation>一张图未生成，原因见处理工具日志。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/disposal.py"/>
        <source>The class review changed the proposed path of {} parcel(s): {}</source>
        <translation>类别研判改变了 {} 宗地块的建议处置路径：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/disposal.py"/>
        <source>The class review was applied to the disposal layer; the proposed path of {} parcel(s) stays the same.</source>
        <translation>类别研判已同步到处置图层；{} 宗地块的建议处置路径不变。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/clusters.py"/>
        <source>The cluster layer could not be opened: {}</source>
        <translation>无法打开连片图层：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/disposal.py"/>
        <source>The decisions on layer {} cannot be saved: {}</source>
        <translation>图层 {} 的研判无法保存：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/disposal.py"/>
        <source>The disposal layer could not be opened: {}</source>
        <translation>无法打开处置图层：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/grading.py"/>
        <source>The graded layer could not be opened: {}</source>
        <translation>无法打开评价结果图层：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>The layer holds several years of the store: the list, the card, the presentation legend, the minutes and the statistics are of this year.</source>
        <translation>该图层含存储库的多个年度：研判清单、地块卡片、演示图例、会议纪要和统计均为此年度。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>The layer shows one year alone (LandEval's filter "year" = …); this gives the layer back the filter it had before. No data is changed.</source>
        <translation>图层当前只显示一个年度（LandEval 设置的筛选 "year" = …）；点此恢复图层原来的筛选。不修改任何数据。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>The list: ✓ marks the parcels decided; choose one to go to it</source>
        <translation>名单：✓ 表示已研判；选择一宗即跳转</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>The map and the layers panel show year {} alone: filter "year" = {} on layer “{}” (“Show every year” removes it; no data is changed).</source>
        <translation>地图和图层面板只显示 {0} 年度：图层“{2}”设置了筛选 "year" = {1}（点“显示全部年度”取消；不修改任何数据）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>The map and the layers panel show year {} alone: your filter {} and "year" = {} on layer “{}” (“Show every year” gives your filter back; no data is changed).</source>
        <translation>地图和图层面板只显示 {0} 年度：图层“{3}”的筛选为您原有的筛选 {1} 加 "year" = {2}（点“显示全部年度”恢复您的筛选；不修改任何数据）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>The map could not be exported: {}</source>
        <translation>地图导出失败：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>The map export (landeval:exportmap) is not available in this version.</source>
        <translation>此版本中没有地图导出（landeval:exportmap）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>The map still shows {} of layer “{}”: {}</source>
        <translation>地图仍显示图层“{1}”的{0}：{2}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/basemap.py"/>
        <source>The project is not saved yet: results are saved as new layers in {}. Save the project first to keep them beside it.</source>
        <translation>项目尚未保存：成果将作为新图层保存到 {}。先保存项目，成果即保存在项目文件旁。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/grading.py"/>
        <source>Threshold / weight</source>
        <translation>阈值 / 权重</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/grading.py"/>
        <source>Thresholds and weights</source>
        <translation>阈值与权重</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/clusters.py"/>
        <source>Tick at least one grade, or write an expression.</source>
        <translation>请至少勾选一个类别，或填写筛选表达式。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/disposal.py"/>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/clusters.py"/>
        <source>Towns</source>
        <translation>所属镇街</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>Undone: {}</source>
        <translation>已撤销：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/basemap.py"/>
        <source>Unmapped fields are carried along under their own names.</source>
        <translation>未映射的字段按原名保留在一张图中。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/grading.py"/>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>Value</source>
        <translation>数值</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/basemap.py"/>
        <source>Vector files (*.shp *.gpkg *.geojson *.tab *.kml);;All files (*)</source>
        <translation>矢量文件 (*.shp *.gpkg *.geojson *.tab *.kml);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>Veto items</source>
        <translation>否决项</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>Walk-through</source>
        <translation>逐宗研判</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/grading.py"/>
        <source>What-if cancelled or failed.</source>
        <translation>敏感性分析已取消或失败。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/grading.py"/>
        <source>What-if on {} parcels: each threshold moved alone by −10% and +10%.</source>
        <translation>对 {} 宗地块做敏感性分析：每个阈值单独变动 −10% 和 +10%。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/grading.py"/>
        <source>What-if ±10%</source>
        <translation>阈值 ±10% 敏感性分析</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/dossiers.py"/>
        <source>Workbook (XLSX)</source>
        <translation>Excel 工作簿（XLSX）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/data.py"/>
        <source>Workbooks (*.xlsx *.xlsm *.csv *.xls)</source>
        <translation>工作簿 (*.xlsx *.xlsm *.csv *.xls)</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/data.py"/>
        <source>Working…</source>
        <translation>正在处理…</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/grading.py"/>
        <source>Year</source>
        <translation>年度</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/data.py"/>
        <source>Year / unit</source>
        <translation>年度/单位</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/basemap.py"/>
        <source>[new layers in the project's LandEval GeoPackage]</source>
        <translation>[作为新图层存入项目的 LandEval GeoPackage]</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/data.py"/>
        <source>_join report</source>
        <translation>_匹配报告</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>all classes</source>
        <translation>全部类别</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>all towns</source>
        <translation>全部镇街</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>computed {}</source>
        <translation>评价为 {} 类</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/dossiers.py"/>
        <source>default A4 sheet</source>
        <translation>默认 A4 体检表</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/dossiers.py"/>
        <source>dossiers</source>
        <translation>体检表</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>every year</source>
        <translation>全部年度</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>keep</source>
        <translation>保持不变</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>last year {}</source>
        <translation>上年 {} 类</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/dossiers.py"/>
        <source>latest</source>
        <translation>最新年度</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/basemap.py"/>
        <source>lines</source>
        <translation>线</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/clusters.py"/>
        <source>low-efficiency tag</source>
        <translation>低效用地</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/clusters.py"/>
        <source>m</source>
        <translation>米</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/clusters.py"/>
        <source>mu</source>
        <translation>亩</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/basemap.py"/>
        <source>no geometry</source>
        <translation>无几何</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/disposal.py"/>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/grading.py"/>
        <source>not graded</source>
        <translation>未评价</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/basemap.py"/>
        <source>points</source>
        <translation>点</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/basemap.py"/>
        <source>polygons</source>
        <translation>面</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/grading.py"/>
        <source>standard's year</source>
        <translation>标准年度</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>year {} alone</source>
        <translation>仅 {} 年度</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/clusters.py"/>
        <source>{:,} parcels: press “Find clusters” to count.</source>
        <translation>共 {:,} 宗地块：点击“识别连片并上图”进行统计。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>{} (keep)</source>
        <translation>{}（不变）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/clusters.py"/>
        <source>{} clusters drawn, {:,.0f} mu in all, {} member parcels.</source>
        <translation>已上图连片 {} 处，合计 {:,.0f} 亩，成员地块 {} 宗。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/clusters.py"/>
        <source>{} clusters, {:,.0f} mu in all ({} member parcels of {} chosen).</source>
        <translation>连片 {} 处，合计 {:,.0f} 亩（成员地块 {} 宗，筛选出 {} 宗）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/basemap.py"/>
        <source>{} is not a polygon layer ({}); not added.</source>
        <translation>{} 不是面图层（{}），未添加。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/disposal.py"/>
        <source>{} of these {} parcels carry the path recorded at the review (研判); the others the proposal.</source>
        <translation>其中 {} 宗（共 {} 宗）为研判会确定的处置路径，其余为建议路径。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/grading.py"/>
        <source>{} parcel(s) reviewed as {}. Save the layer edits to keep them (Ctrl+Z undoes).</source>
        <translation>已将 {} 宗地块研判为 {}。请保存图层编辑（Ctrl+Z 可撤销）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/disposal.py"/>
        <source>{} parcel(s): path {} recorded by {}. Save the layer edits to keep it (Ctrl+Z undoes); the next run carries it over.</source>
        <translation>{} 宗地块：处置路径 {} 已由 {} 研判。保存图层编辑以保留（Ctrl+Z 撤销）；下次运行会沿用。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/data.py"/>
        <source>{} parcels written to {} workbooks in {}</source>
        <translation>{} 个地块已写入 {} 个工作簿（{}）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/disposal.py"/>
        <source>{} parcels: {}.</source>
        <translation>共 {} 宗：{}。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/dossiers.py"/>
        <source>{} sheets, {} pages printed to {}</source>
        <translation>已打印 {} 份体检表，共 {} 页，保存至 {}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/disposal.py"/>
        <source>{} · {:,.1f} mu</source>
        <translation>{} 宗 · {:,.1f} 亩</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>{} · {} · {} parcels, at {}</source>
        <translation>{} · {} · 共 {} 宗，停在第 {} 宗</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/grading.py"/>
        <source>{}: '{}' is not a number</source>
        <translation>{}：“{}”不是数字</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>{}: class {}, path {} recorded by {}.</source>
        <translation>{}：类别 {}，处置路径 {}，由 {} 记录。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>{}: confirmed by {}.</source>
        <translation>{}：{} 确认。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>{}: {} parcels. → next, ← previous, Enter records the decision.</source>
        <translation>{}：共 {} 宗。→ 下一宗，← 上一宗，回车记录研判结论。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/grading.py"/>
        <source>−10%: parcels changing</source>
        <translation>−10%：类别变化宗数</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/dossiers.py"/>
        <source>体检表 (dossier sheet)</source>
        <translation>体检表</translation>
    </message>
</context>
<context>
    <name>ParcelList</name>
    <message>
        <location filename="../landeval_plugin/core/meeting/lists.py"/>
        <source>Area (mu)</source>
        <translation>面积(亩)</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/lists.py"/>
        <source>Class</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/lists.py"/>
        <source>Filter: {}</source>
        <translation>筛选条件：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/lists.py"/>
        <source>No.</source>
        <translation>序号</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/lists.py"/>
        <source>Parcel code</source>
        <translation>宗地代码</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/lists.py"/>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/lists.py"/>
        <source>Right holder</source>
        <translation>权利人</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/lists.py"/>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/lists.py"/>
        <source>Town</source>
        <translation>所属镇街</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/lists.py"/>
        <source>{} parcel(s) in all</source>
        <translation>共 {} 宗</translation>
    </message>
</context>
<context>
    <name>PgGrader</name>
    <message>
        <location filename="../landeval_plugin/core/grading/postgis.py"/>
        <source>a geographic CRS (areas on the ellipsoid)</source>
        <translation>坐标系为地理坐标系（面积按椭球计算）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/postgis.py"/>
        <source>a tag named like the class tag 综合评价X类</source>
        <translation>有标签与分类标签“综合评价X类”同名</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/postgis.py"/>
        <source>benchmark fields absent: {}</source>
        <translation>基准值字段缺失：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/postgis.py"/>
        <source>field {} holds more than 20,000 different values</source>
        <translation>字段 {} 的不同取值超过 20,000 个</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/postgis.py"/>
        <source>field {} of type {}</source>
        <translation>字段 {} 的类型为 {}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/postgis.py"/>
        <source>field {}: value {!r} reads as {!r}</source>
        <translation>字段 {}：值 {!r} 读作 {!r}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/postgis.py"/>
        <source>fields only some formulas need are absent: {}</source>
        <translation>仅部分公式需要的字段缺失：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/postgis.py"/>
        <source>name {}</source>
        <translation>名称 {}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/postgis.py"/>
        <source>the table has no column {} or {}</source>
        <translation>表中没有列 {} 或 {}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/postgis.py"/>
        <source>{} parcel(s) hold infinite or NaN values</source>
        <translation>{} 宗地块含有无穷大或非数值（NaN）</translation>
    </message>
</context>
<context>
    <name>PgStore</name>
    <message>
        <location filename="../landeval_plugin/core/store/postgres.py"/>
        <source>A PostgreSQL store needs an EPSG coordinate reference system (got {}).</source>
        <translation>PostgreSQL 存储库需要 EPSG 坐标参考系（当前为 {}）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/store/postgres.py"/>
        <source>A value was refused by {}: {}; nothing was changed.</source>
        <translation>{} 拒绝了一个取值：{}；未做任何修改。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/store/postgres.py"/>
        <source>Account {} may not do this in {}: {}; nothing was changed.</source>
        <translation>账户 {} 无权在 {} 中执行此操作：{}；未做任何修改。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/store/postgres.py"/>
        <source>Field name '{}' is longer than PostgreSQL's 63 bytes; rename it before writing it to the store.</source>
        <translation>字段名“{}”超过 PostgreSQL 的 63 字节上限，请先改名再写入存储库。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/store/postgres.py"/>
        <source>PostgreSQL connection '{}' ({}): the database does not exist; nothing was changed.</source>
        <translation>PostgreSQL 连接“{}”（{}）：数据库不存在，未做任何修改。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/store/postgres.py"/>
        <source>PostgreSQL connection '{}' ({}): the user name or password was refused; nothing was changed.</source>
        <translation>PostgreSQL 连接“{}”（{}）：用户名或密码被拒绝，未做任何修改。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/store/postgres.py"/>
        <source>PostgreSQL connection '{}': the server {} cannot be reached ({}); nothing was changed.</source>
        <translation>PostgreSQL 连接“{}”：无法连接服务器 {}（{}），未做任何修改。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/store/postgres.py"/>
        <source>PostgreSQL store {} (connection {})</source>
        <translation>PostgreSQL 存储库 {}（连接 {}）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/store/postgres.py"/>
        <source>{} The roles of {} were set up by an older LandEval: its owner opens the store once (or runs the shared set-up again) so that town accounts may record their runs.</source>
        <translation>{} {} 的角色由旧版 LandEval 设置：请存储库所有者打开一次存储库（或重新运行共享设置），之后城镇账户才能记录自己的运行。</translation>
    </message>
</context>
<context>
    <name>PlanningLayer</name>
    <message>
        <location filename="../landeval_plugin/core/disposal/disposal.py"/>
        <source>The {} layer “{}” has no field “{}”.</source>
        <translation>{}图层“{}”没有字段“{}”。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/disposal/disposal.py"/>
        <source>The {} layer “{}” must be polygons ({}).</source>
        <translation>{}图层“{}”必须是面图层（{}）。</translation>
    </message>
</context>
<context>
    <name>Presentation</name>
    <message>
        <location filename="../landeval_plugin/gui/presentation.py"/>
        <source>Export the map (PNG/PDF)</source>
        <translation>导出地图（PNG/PDF）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/presentation.py"/>
        <source>Leave presentation (Esc)</source>
        <translation>退出演示（Esc）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/presentation.py"/>
        <source>{} · year {}</source>
        <translation>{} · {} 年度</translation>
    </message>
</context>
<context>
    <name>Publication</name>
    <message>
        <location filename="../landeval_plugin/core/dossiers/publication.py"/>
        <source>Cannot replace {} (is it open in another program?): {}</source>
        <translation>无法替换 {}（文件是否在其他程序中打开？）：{}</translation>
    </message>
</context>
<context>
    <name>RegisterExportAlgorithm</name>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/store.py"/>
        <source>Evaluation year (0 = the store's latest)</source>
        <translation>评估年度（0 = 存储库最新年度）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/store.py"/>
        <source>Excel workbooks (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/store.py"/>
        <source>Export the low-efficiency list and disposal register (台账) to Excel</source>
        <translation>导出低效用地清单和处置台账（Excel）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/store.py"/>
        <source>Parcels on the low-efficiency list</source>
        <translation>低效用地清单中的地块数</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/store.py"/>
        <source>Register of {} written to {}: {} parcels on the low-efficiency list, {} register rows.</source>
        <translation>{} 年度台账已写入 {}：低效用地清单 {} 宗，台账记录 {} 条。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/store.py"/>
        <source>Register rows</source>
        <translation>台账记录数</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/store.py"/>
        <source>Register rows per status (JSON)</source>
        <translation>各状态台账记录数（JSON）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/store.py"/>
        <source>Register workbook (台账)</source>
        <translation>台账工作簿</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/store.py"/>
        <source>Store (GeoPackage path or postgres://connection/schema)</source>
        <translation>存储库（GeoPackage 路径或 postgres://连接名/模式）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/store.py"/>
        <source>Writes one formatted workbook from a LandEval store for an evaluation year: the low-efficiency list (parcels with a low-efficiency tag or final class D, with their path and register status), the disposal register (台账: path, status following the workflow 初步清单/已核实/已认定/已入库/整治中/已完成/已出库, responsible unit, deadline, dates, notes, attachments) and a count per status. Each sheet has a title, the units, a frozen header and a totals row; text stays text (a name starting with '=' is never a formula).</source>
        <translation>从 LandEval 存储库为一个评估年度写出一个带格式的工作簿：低效用地清单（有低效类型或最终类别为 D 的地块，含处置路径和台账状态）、处置台账（处置路径，状态按 初步清单/已核实/已认定/已入库/整治中/已完成/已出库 的工作流程，责任单位、完成时限、各项日期、备注、附件）以及各状态的数量。每张表有标题、单位、冻结的表头和合计行；文本始终保存为文本（以“=”开头的名称不会成为公式）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/store.py"/>
        <source>{} has no evaluation year yet.</source>
        <translation>{} 尚无评估年度。</translation>
    </message>
</context>
<context>
    <name>ReviewAlgorithm</name>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/review.py"/>
        <source>Also record into the LandEval store (GeoPackage path or postgres://connection/schema)</source>
        <translation>同时记入 LandEval 存储库（GeoPackage 路径或 postgres://连接名/模式）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/review.py"/>
        <source>CODES needs a parcel_code field on the layer.</source>
        <translation>按宗地代码研判需要图层有 parcel_code 字段。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/review.py"/>
        <source>Cannot read the parcel layer.</source>
        <translation>无法读取地块图层。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/review.py"/>
        <source>Evaluation year in the store (0 = its latest)</source>
        <translation>存储库中的评估年度（0 = 最新年度）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/review.py"/>
        <source>Filter expression error: {}</source>
        <translation>筛选表达式错误：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/review.py"/>
        <source>Final class</source>
        <translation>最终类别</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/review.py"/>
        <source>Graded parcels</source>
        <translation>已评价地块</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/review.py"/>
        <source>LandEval industrial land</source>
        <translation>LandEval 产业用地评估</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/review.py"/>
        <source>Name the parcels to review: a FILTER expression or parcel CODES.</source>
        <translation>请指定研判地块：筛选表达式或宗地代码。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/review.py"/>
        <source>Or parcel codes (comma separated)</source>
        <translation>或宗地代码（逗号分隔）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/review.py"/>
        <source>Parcel codes not found: {}</source>
        <translation>未找到的宗地代码：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/review.py"/>
        <source>Parcels reviewed</source>
        <translation>研判宗数</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/review.py"/>
        <source>Parcels to review (expression)</source>
        <translation>研判地块（表达式）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/review.py"/>
        <source>Reason (required)</source>
        <translation>理由（必填）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/review.py"/>
        <source>Recording reviews into a store needs a parcel_code field on the layer.</source>
        <translation>把研判写入存储库需要图层有 parcel_code 字段。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/review.py"/>
        <source>Review parcel grades (研判)</source>
        <translation>地块类别研判</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/review.py"/>
        <source>Reviewed parcels</source>
        <translation>研判结果</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/review.py"/>
        <source>Reviewer</source>
        <translation>研判人</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/review.py"/>
        <source>STORE (optional): a LandEval store; each decision is also recorded there (YEAR: the evaluation year, 0 = the store's latest).</source>
        <translation>STORE（可选）：LandEval 存储库；每条研判也记入其中（YEAR：评估年度，0 = 存储库中最新年度）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/review.py"/>
        <source>Sets the final class (grade_final) of the parcels matching FILTER or listed in CODES (宗地代码, comma separated), with a required reason, the reviewer and the time. The computed grade stays; the grade map shows the final class. All parcels are written to the output; re-grading later keeps the review.</source>
        <translation>为符合筛选表达式或列于宗地代码（逗号分隔）中的地块设定最终类别（grade_final），须填写理由，并记录研判人和时间。计算类别保留不变，分类图显示最终类别。输出包含全部地块；之后重新评价会保留研判结果。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/review.py"/>
        <source>{} parcel(s) reviewed as {}.</source>
        <translation>已将 {} 宗地块研判为 {}。</translation>
    </message>
</context>
<context>
    <name>SampleDistrictAlgorithm</name>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/sample_district.py"/>
        <source>Cancelled: nothing was written.</source>
        <translation>已取消：未写入任何文件。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/sample_district.py"/>
        <source>Cannot write the sample district into {}: {}. Nothing was replaced; earlier files are kept.</source>
        <translation>无法将示例区县写入 {}：{}。未替换任何文件，原有文件保持不变。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/sample_district.py"/>
        <source>Enterprise workbook</source>
        <translation>企业数据表</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/sample_district.py"/>
        <source>Enterprise-parcel link table</source>
        <translation>企业地块关联表</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/sample_district.py"/>
        <source>Generate sample district</source>
        <translation>生成示例区县数据</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/sample_district.py"/>
        <source>Generating {} parcels (seed {}) into {}</source>
        <translation>正在生成 {} 宗地（随机种子 {}），输出到 {}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/sample_district.py"/>
        <source>Land approvals Shapefile (GBK)</source>
        <translation>用地批文 Shapefile（GBK 编码）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/sample_district.py"/>
        <source>Number of registered parcels</source>
        <translation>不动产登记宗地数</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/sample_district.py"/>
        <source>Output folder</source>
        <translation>输出文件夹</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/sample_district.py"/>
        <source>Random seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/sample_district.py"/>
        <source>Sample district GeoPackage</source>
        <translation>示例区县 GeoPackage</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/sample_district.py"/>
        <source>Tools</source>
        <translation>工具</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/sample_district.py"/>
        <source>Writes a generated sample district (CGCS2000 / 3-degree Gauss-Kruger CM 120E, EPSG:4549) for trying LandEval out: a GeoPackage with the real-estate register (bdcdj), land approvals (ydpw), current land use survey (tdlyxz), the urban development boundary (czkfbj), the industrial protection line (gybzx), roads, river and towns; the land approvals again as a GBK Shapefile; the enterprise workbook and the enterprise-parcel link table. The sources disagree in places and the workbook has messy cells on purpose. The same seed always gives the same files; existing files in the folder are replaced only when the whole district has been written.</source>
        <translation>生成一套示例区县数据（CGCS2000 / 3 度带高斯-克吕格 中央经线 120°E，EPSG:4549），用于试用 LandEval：GeoPackage 中包含不动产登记（bdcdj）、用地批文（ydpw）、土地利用现状（tdlyxz）、城镇开发边界（czkfbj）、工业保障线（gybzx）、道路、河流和镇街；另以 GBK 编码 Shapefile 输出用地批文；以及企业数据表和企业地块关联表。各来源数据有意在部分地块上不一致，企业数据表中也有意包含不规范的单元格。相同的随机种子总是生成相同的文件；只有全部数据写完后才会替换文件夹中已有的文件。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/sample_district.py"/>
        <source>Wrote {}</source>
        <translation>已写入 {}</translation>
    </message>
</context>
<context>
    <name>SampleNextYearAlgorithm</name>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/sample_next_year.py"/>
        <source>Evaluation year of the input in the store (0 = the store's latest)</source>
        <translation>输入数据在存储库中的评估年度（0 = 存储库最新年度）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/sample_next_year.py"/>
        <source>From a parcel data layer of one year (the data step's output, with parcel_code) writes the next year: about 15% of the parcels improve (money values × 2–4), 15% decline (× 0.2–0.5), 3% are split in two (new codes; prev_codes names the parent), the rest stay within ±5%; earlier years shift (_y1, _y2). SEED makes it reproducible. Sample data only.

STORE (optional, with YEAR: the year of the input): parcels fixed under D. A share (FIXED) of the year's class D parcels in the store go through the disposal register to 已完成 (整治提升 done; rows added when missing); they and the parcels already 已完成 improve next year, about half strongly (they should leave the list, 出库), half a little (still low-efficiency after improvement). Grade the next year into the store and compare the years (landeval:comparerounds) to see them.</source>
        <translation>由某一年度的宗地数据图层（数据步骤的输出，含 parcel_code）生成下一年度：约 15% 的宗地提升（金额类数值 × 2–4），15% 下降（× 0.2–0.5），3% 一分为二（新代码，prev_codes 记录原宗地），其余在 ±5% 内浮动；往年数据顺延（_y1、_y2）。SEED 使结果可重现。仅用于示例数据。

STORE（可选，YEAR 为输入数据的年度）：D 类整治后的地块。存储库中该年度 D 类地块按一定比例（FIXED）在处置台账中走完流程至“已完成”（整治提升完成；无台账记录时新增）；这些地块及已为“已完成”的地块在下一年度得到提升：约一半提升明显（应当出库），一半提升有限（提升后仍为低效）。将下一年度评价写入存储库并比较两个年度（landeval:comparerounds）即可看到结果。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/sample_next_year.py"/>
        <source>Generate the sample district's next year</source>
        <translation>生成示例区县的下一年度数据</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/sample_next_year.py"/>
        <source>LandEval industrial land</source>
        <translation>LandEval 产业用地评估</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/sample_next_year.py"/>
        <source>LandEval store whose class D parcels get fixed (GeoPackage path or postgres://connection/schema)</source>
        <translation>对其 D 类地块进行整治的 LandEval 存储库（GeoPackage 路径或 postgres://连接/模式）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/sample_next_year.py"/>
        <source>Next year: {}</source>
        <translation>下一年度：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/sample_next_year.py"/>
        <source>Parcel data of one year</source>
        <translation>某一年度的宗地数据</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/sample_next_year.py"/>
        <source>Parcel data of the next year</source>
        <translation>下一年度的宗地数据</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/sample_next_year.py"/>
        <source>Parcels fixed under D (JSON list)</source>
        <translation>D 类整治完成的地块（JSON 列表）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/sample_next_year.py"/>
        <source>Parcels per kind of change (JSON)</source>
        <translation>各类变化的宗地数（JSON）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/sample_next_year.py"/>
        <source>Random seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/sample_next_year.py"/>
        <source>Share of the class D parcels fixed (已完成)</source>
        <translation>D 类地块整治完成（已完成）的比例</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/sample_next_year.py"/>
        <source>The parcel layer needs a parcel_code field.</source>
        <translation>宗地图层需要 parcel_code 字段。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/sample_next_year.py"/>
        <source>The result {} was written, but the store was not changed: {}</source>
        <translation>结果 {} 已写出，但存储库未做修改：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/sample_next_year.py"/>
        <source>{} holds no evaluation year {} (years: {}).</source>
        <translation>{} 中没有评估年度 {}（已有年度：{}）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/sample_next_year.py"/>
        <source>{} parcels of class D fixed (已完成) in the register of {}.</source>
        <translation>{} 宗 D 类地块已在 {} 年度台账中整治完成（已完成）。</translation>
    </message>
</context>
<context>
    <name>Session</name>
    <message>
        <location filename="../landeval_plugin/core/meeting/walkthrough.py"/>
        <source>Review meeting</source>
        <translation>研判会</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/walkthrough.py"/>
        <source>The meeting's layer “{}” is no longer in the project: open it again and start a new list.</source>
        <translation>研判会使用的图层“{}”已不在项目中：请重新打开该图层后继续，或新建列表。</translation>
    </message>
</context>
<context>
    <name>SheetData</name>
    <message>
        <location filename="../landeval_plugin/core/dossiers/sheet_data.py"/>
        <source>The enterprises table {} has no parcel_code field</source>
        <translation>企业数据表 {} 缺少宗地代码字段（parcel_code）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/dossiers/sheet_data.py"/>
        <source>The parcel layer has no parcel code field (parcel_code / 宗地代码); fields found: {}</source>
        <translation>地块图层缺少宗地代码字段（parcel_code / 宗地代码）；现有字段：{}</translation>
    </message>
</context>
<context>
    <name>SheetPreviewDialog</name>
    <message>
        <location filename="../landeval_plugin/gui/dossier_tool.py"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/dossier_tool.py"/>
        <source>Dossier sheet</source>
        <translation>体检表</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/dossier_tool.py"/>
        <source>Dossier sheet {}</source>
        <translation>体检表 {}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/dossier_tool.py"/>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/dossier_tool.py"/>
        <source>Print PDF…</source>
        <translation>打印 PDF…</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/dossier_tool.py"/>
        <source>Save the dossier sheet</source>
        <translation>保存体检表</translation>
    </message>
</context>
<context>
    <name>SqlCondition</name>
    <message>
        <location filename="../landeval_plugin/core/grading/postgis.py"/>
        <source>LIKE on a value that is not text, or with a pattern that is not written out</source>
        <translation>LIKE 用于非文本值，或匹配模式不是直接写出的文本</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/postgis.py"/>
        <source>a LIKE pattern with a backslash before another character</source>
        <translation>LIKE 匹配模式中反斜杠后跟其他字符</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/postgis.py"/>
        <source>arithmetic on non-numbers</source>
        <translation>对非数值做算术运算</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/postgis.py"/>
        <source>coalesce of mixed types</source>
        <translation>coalesce 的参数类型不一致</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/postgis.py"/>
        <source>comparison of {} with {}</source>
        <translation>{} 与 {} 比较</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/postgis.py"/>
        <source>function {}()</source>
        <translation>函数 {}()</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/postgis.py"/>
        <source>sign of a non-number</source>
        <translation>对非数值取正负号</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/postgis.py"/>
        <source>the % operator</source>
        <translation>% 运算符</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/postgis.py"/>
        <source>variable @{}</source>
        <translation>变量 @{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/postgis.py"/>
        <source>{} in a condition</source>
        <translation>条件中含有 {}</translation>
    </message>
</context>
<context>
    <name>StagedSink</name>
    <message>
        <location filename="../landeval_plugin/processing/base.py"/>
        <source>Cannot create the output layer {}.</source>
        <translation>无法创建输出图层 {}。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/base.py"/>
        <source>Cannot write {}: {}. Nothing was replaced; earlier files are kept.</source>
        <translation>无法写入 {}：{}。未替换任何文件，原有文件保持不变。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/base.py"/>
        <source>the file cannot be read back</source>
        <translation>写出的文件无法读回</translation>
    </message>
</context>
<context>
    <name>Standard</name>
    <message>
        <location filename="../landeval_plugin/core/grading/standard.py"/>
        <source>Evaluation year {} is outside the period {}–{} of {}: its rules are applied as written for the period, check them for this year.</source>
        <translation>评价年度 {} 年不在 {}–{} 年期限内（{}）：规则按原文沿用，请核对本年度是否适用。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/standard.py"/>
        <source>classify.method: must be 'thresholds' or 'quota' (got {!r})</source>
        <translation>classify.method：必须是 thresholds 或 quota（当前为 {!r}）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/standard.py"/>
        <source>classify.quotas: every quota must be a percentage &gt;= 0</source>
        <translation>classify.quotas：每个比例都必须是不小于 0 的百分数</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/standard.py"/>
        <source>classify.quotas: must add up to 100 (now {})</source>
        <translation>classify.quotas：比例合计必须为 100（当前为 {}）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/standard.py"/>
        <source>classify.quotas: unknown class {} (use A, B, C, D)</source>
        <translation>classify.quotas：未知类别 {}（应为 A、B、C、D）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/standard.py"/>
        <source>classify.thresholds: every threshold must be a number</source>
        <translation>classify.thresholds：每个阈值都必须是数字</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/standard.py"/>
        <source>classify.thresholds: thresholds must fall from A to D (got {})</source>
        <translation>classify.thresholds：阈值必须从 A 到 D 递减（当前为 {}）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/standard.py"/>
        <source>classify.thresholds: unknown class {} (use A, B, C, D)</source>
        <translation>classify.thresholds：未知类别 {}（应为 A、B、C、D）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/standard.py"/>
        <source>classify: a standard with scoring needs classify (thresholds or quota)</source>
        <translation>classify：有评分的标准必须设置分类方法（thresholds 或 quota）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/standard.py"/>
        <source>inputs.fields.{}.type: must be string, double, int, bool or date</source>
        <translation>inputs.fields.{}.type：必须是 string、double、int、bool 或 date</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/standard.py"/>
        <source>inputs: must be a mapping (optional, fields)</source>
        <translation>inputs：必须是键值结构（optional、fields）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/standard.py"/>
        <source>low_eff_grades: unknown class {!r}</source>
        <translation>low_eff_grades：未知类别 {!r}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/standard.py"/>
        <source>name: a worked example (example: true) must say {} in its name</source>
        <translation>name：示例标准（example: true）的名称中须注明“{}”</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/standard.py"/>
        <source>period: must be [first year, last year]</source>
        <translation>period：须为 [起始年, 结束年]</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/standard.py"/>
        <source>scoring.formulas: at least one formula (a list of items) is needed</source>
        <translation>scoring.formulas：至少需要一个评分公式（items 列表）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/standard.py"/>
        <source>scoring.missing: must be one of {} (got {!r})</source>
        <translation>scoring.missing：必须是 {} 之一（当前为 {!r}）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/standard.py"/>
        <source>scoring: must be a mapping (formulas, bonus, penalty)</source>
        <translation>scoring：必须是键值结构（formulas、bonus、penalty）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/standard.py"/>
        <source>the file must be a mapping of keys (id, version, rules ...)</source>
        <translation>文件内容必须是键值结构（id、version、rules 等）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/standard.py"/>
        <source>the standard has no rules, no scoring and no tags: nothing to evaluate</source>
        <translation>标准中没有判定规则、评分或低效标签：无可评价内容</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/standard.py"/>
        <source>{}.benchmark.factor: must be a number</source>
        <translation>{}.benchmark.factor：必须是数字</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/standard.py"/>
        <source>{}.benchmark.of: name the indicator the statistic is taken of</source>
        <translation>{}.benchmark.of：须写明统计所依据的指标</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/standard.py"/>
        <source>{}.benchmark.of: unknown indicator '{}'</source>
        <translation>{}.benchmark.of：未知指标“{}”</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/standard.py"/>
        <source>{}.benchmark.stat: must be mean or median</source>
        <translation>{}.benchmark.stat：必须是 mean 或 median</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/standard.py"/>
        <source>{}.benchmark: must be a number &gt; 0 (or stat/of/factor)</source>
        <translation>{}.benchmark：必须是大于 0 的数字（或 stat/of/factor）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/standard.py"/>
        <source>{}.by_year: must map years to values</source>
        <translation>{}.by_year：必须是“年份: 数值”结构</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/standard.py"/>
        <source>{}.cap: must be a number of points &gt; 0</source>
        <translation>{}.cap：必须是大于 0 的分值</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/standard.py"/>
        <source>{}.direction: must be 'higher' or 'lower'</source>
        <translation>{}.direction：必须是 higher 或 lower</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/standard.py"/>
        <source>{}.floor: must be a fraction between 0 and 1 (0.2 = 20 + 80·…)</source>
        <translation>{}.floor：必须是 0 到 1 之间的小数（0.2 即 20 + 80·…）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/standard.py"/>
        <source>{}.grade: must be one of A, B, C, D, T (got {!r})</source>
        <translation>{}.grade：必须是 A、B、C、D、T 之一（当前为 {!r}）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/standard.py"/>
        <source>{}.indicator: required</source>
        <translation>{}.indicator：必填</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/standard.py"/>
        <source>{}.indicator: unknown indicator '{}'</source>
        <translation>{}.indicator：未知指标“{}”</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/standard.py"/>
        <source>{}.items: at least one scored indicator is needed</source>
        <translation>{}.items：至少需要一个评分指标</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/standard.py"/>
        <source>{}.method: must be one of {} (got {!r})</source>
        <translation>{}.method：必须是 {} 之一（当前为 {!r}）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/standard.py"/>
        <source>{}.missing: say how a missing value is treated: {} (got {!r})</source>
        <translation>{}.missing：须写明缺失值处理方式：{}（当前为 {!r}）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/standard.py"/>
        <source>{}.name: required</source>
        <translation>{}.name：必填</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/standard.py"/>
        <source>{}.points: must be a number</source>
        <translation>{}.points：必须是数字</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/standard.py"/>
        <source>{}.reason: required (the Chinese reason printed for the parcel)</source>
        <translation>{}.reason：必填（写入地块的中文判定依据）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/standard.py"/>
        <source>{}.reason: unknown name '{{{}}}'</source>
        <translation>{}.reason：未知名称“{{{}}}”</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/standard.py"/>
        <source>{}.steps: a list of {{at: value, points: n}}</source>
        <translation>{}.steps：应为 {{at: 数值, points: 分值}} 列表</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/standard.py"/>
        <source>{}.weight: must be a number &gt; 0</source>
        <translation>{}.weight：必须是大于 0 的数字</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/standard.py"/>
        <source>{}.years: a list of years the tag applies in</source>
        <translation>{}.years：须为该标签适用年度的列表</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/standard.py"/>
        <source>{}: condition required</source>
        <translation>{}：必须填写条件</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/standard.py"/>
        <source>{}: divides by 0 (the value would be missing for every parcel)</source>
        <translation>{}：除以 0（该值对每宗地块都将缺失）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/standard.py"/>
        <source>{}: divides by the param '{}', which is 0</source>
        <translation>{}：除以参数“{}”，而该参数为 0</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/standard.py"/>
        <source>{}: must be a mapping with grade, when, reason</source>
        <translation>{}：必须包含 grade、when、reason</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/standard.py"/>
        <source>{}: must be a mapping with when and reason</source>
        <translation>{}：必须包含 when 和 reason</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/standard.py"/>
        <source>{}: needs a value (or by_year)</source>
        <translation>{}：需要 value（或 by_year）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/standard.py"/>
        <source>{}: required</source>
        <translation>{}：必填</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/standard.py"/>
        <source>{}: unknown key (allowed: {})</source>
        <translation>{}：未知的键（允许：{}）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/standard.py"/>
        <source>{}: unknown name '{}' (not a standard field, indicator, param or derived value; write a layer field as "{}" or declare it under inputs.fields)</source>
        <translation>{}：未知名称“{}”（不是标准字段、指标、参数或派生值；图层字段请写作 "{}"，或在 inputs.fields 中声明）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/standard.py"/>
        <source>{}: unknown variable @{} (a standard's variables are its params: {})</source>
        <translation>{}：未知变量 @{}（标准中的变量即其参数 params：{}）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/standard.py"/>
        <source>{}: {} is not a finite number</source>
        <translation>{}：{} 不是有限数</translation>
    </message>
</context>
<context>
    <name>StandardError</name>
    <message>
        <location filename="../landeval_plugin/core/grading/standard.py"/>
        <source>Standard {} has {} problem(s):</source>
        <translation>评价标准 {} 有 {} 处问题：</translation>
    </message>
</context>
<context>
    <name>StartStrip</name>
    <message>
        <location filename="../landeval_plugin/gui/start_strip.py"/>
        <source>Base map needs polygon layers (不动产登记, 用地批文…): none loaded</source>
        <translation>一张图需要面状来源图层（不动产登记、用地批文…）：项目中还没有</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/start_strip.py"/>
        <source>Base map: {} is loaded</source>
        <translation>一张图：已载入 {}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/start_strip.py"/>
        <source>Base map: {} source layers ({})</source>
        <translation>一张图：已有 {} 个来源图层（{}）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/start_strip.py"/>
        <source>Data needs the base map and an enterprise workbook: no workbook chosen</source>
        <translation>数据需要一张图和企业数据工作簿：尚未选择工作簿</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/start_strip.py"/>
        <source>Data: workbook {}</source>
        <translation>数据：企业数据工作簿 {}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/start_strip.py"/>
        <source>Disposal needs planning layers: {} missing</source>
        <translation>处置需要规划图层：缺少 {}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/start_strip.py"/>
        <source>Disposal: planning layers {} and {}</source>
        <translation>处置：规划图层 {}、{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/start_strip.py"/>
        <source>Generate sample district data…</source>
        <translation>生成示例区县数据…</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/start_strip.py"/>
        <source>Grading: graded layer {}</source>
        <translation>分类评价：已有评价结果 {}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/start_strip.py"/>
        <source>Grading: no graded layer yet (clusters and disposal need one)</source>
        <translation>分类评价：尚无评价结果（连片和处置需要）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/start_strip.py"/>
        <source>Missing</source>
        <translation>缺少</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/start_strip.py"/>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/start_strip.py"/>
        <source>Ready</source>
        <translation>已具备</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/start_strip.py"/>
        <source>Start here</source>
        <translation>从这里开始</translation>
    </message>
</context>
<context>
    <name>StatisticsAlgorithm</name>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/statistics.py"/>
        <source>Bar chart of the first table (PNG)</source>
        <translation>第一张表的柱状图 (PNG)</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/statistics.py"/>
        <source>Chart shows</source>
        <translation>图表显示</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/statistics.py"/>
        <source>Counts, area in mu, tax and industrial output (10k yuan) of the parcels by class × town, by low-efficiency type, by disposal path, by renovation area and by year (when the layer has values of several years), written to a formatted Excel workbook (one sheet per table, units in the headers, totals row, frozen headers), optionally a PNG bar chart of the first table and a table layer.

Class: the reviewed class (grade_final) where there is one. Disposal path: the reviewed path where there is one. Area: from the geometry. Tax and output: sums over the parcels that have a value; missing values are not counted as 0 and the notes say how many lacked them.

FILTER restricts the parcels (a QGIS expression); 'Selected features only' on the input works too. Tables the layer has no fields for are left out (named in the log).</source>
        <translation>按 类别 × 镇街、低效类型、处置路径、连片整治区和年度（图层有多个年度数据时）统计宗数、面积（亩）、税收和工业总产值（万元），写入带格式的 Excel 工作簿（每表一页、表头带单位、合计行、冻结表头），可选输出第一张表的 PNG 柱状图和统计表图层。

类别：有研判类别（grade_final）的取研判类别。处置路径：有研判路径的取研判路径。面积：按图形计算。税收和产值：对有数据的宗地求和；缺失值不按 0 计，说明中列出缺失宗数。

FILTER 用 QGIS 表达式限定宗地；也可在输入中勾选“仅选中要素”。图层没有相应字段的表不输出（在日志中说明）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/statistics.py"/>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/statistics.py"/>
        <source>Filter: {}</source>
        <translation>筛选条件：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/statistics.py"/>
        <source>Industrial land statistics</source>
        <translation>产业用地统计</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/statistics.py"/>
        <source>LandEval industrial land</source>
        <translation>LandEval 产业用地评估</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/statistics.py"/>
        <source>Layer: {} ({} parcels)</source>
        <translation>图层：{}（{} 宗）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/statistics.py"/>
        <source>Left out {}: the layer has no field for it.</source>
        <translation>未统计{}：图层没有相应字段。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/statistics.py"/>
        <source>No parcel of {} matches the filter {}: nothing to count.</source>
        <translation>{} 中没有符合筛选条件 {} 的宗地：无可统计。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/statistics.py"/>
        <source>Only parcels matching (expression)</source>
        <translation>仅统计符合条件的宗地（表达式）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/statistics.py"/>
        <source>PNG image (*.png)</source>
        <translation>PNG 图片 (*.png)</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/statistics.py"/>
        <source>Parcels (graded, with disposal paths or clusters)</source>
        <translation>宗地图层（已评价，含处置路径或连片编号）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/statistics.py"/>
        <source>Parcels counted</source>
        <translation>统计宗数</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/statistics.py"/>
        <source>Statistics for the review meeting (研判统计)</source>
        <translation>研判统计</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/statistics.py"/>
        <source>Statistics of {} parcels written to {}</source>
        <translation>{} 宗地块的统计已写入 {}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/statistics.py"/>
        <source>Statistics table</source>
        <translation>统计表（图层）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/statistics.py"/>
        <source>Statistics workbook (XLSX)</source>
        <translation>统计工作簿 (XLSX)</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/statistics.py"/>
        <source>Tables</source>
        <translation>统计表</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/statistics.py"/>
        <source>Tables written (JSON)</source>
        <translation>已写出的统计表 (JSON)</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/statistics.py"/>
        <source>The parcel layer (INPUT) cannot be read.</source>
        <translation>无法读取地块图层（INPUT）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/statistics.py"/>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/statistics.py"/>
        <source>Year: {} (the layer holds {})</source>
        <translation>年度：{}（图层存有 {} 年度）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/statistics.py"/>
        <source>the image cannot be saved</source>
        <translation>无法保存图片</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/statistics.py"/>
        <source>{} × {}</source>
        <translation>{} × {}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/statistics.py"/>
        <source>{}: {} rows</source>
        <translation>{}：{} 行</translation>
    </message>
</context>
<context>
    <name>StatisticsTab</name>
    <message>
        <location filename="../landeval_plugin/gui/pages/review_statistics.py"/>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review_statistics.py"/>
        <source>Chart</source>
        <translation>图表</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review_statistics.py"/>
        <source>Chart written to {}</source>
        <translation>统计图已写入 {}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review_statistics.py"/>
        <source>Choose the graded parcel layer for the meeting.</source>
        <translation>请选择研判会使用的已评价宗地图层。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review_statistics.py"/>
        <source>Count</source>
        <translation>统计</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review_statistics.py"/>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review_statistics.py"/>
        <source>Excel…</source>
        <translation>Excel…</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review_statistics.py"/>
        <source>Filter</source>
        <translation>筛选</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review_statistics.py"/>
        <source>Filter the map too (a filtered copy; your layer is not changed)</source>
        <translation>地图同步筛选（使用筛选后的副本，不改动原图层）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review_statistics.py"/>
        <source>Layer “{}” has no town field (town / 所属镇街).</source>
        <translation>图层“{}”没有镇街字段（town / 所属镇街）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review_statistics.py"/>
        <source>List</source>
        <translation>名单</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review_statistics.py"/>
        <source>Lists…</source>
        <translation>名单…</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review_statistics.py"/>
        <source>No parcel of layer “{}” is on the {}{}.</source>
        <translation>图层“{}”中没有列入{}{}的宗地。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review_statistics.py"/>
        <source>PNG image (*.png)</source>
        <translation>PNG 图片 (*.png)</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review_statistics.py"/>
        <source>PNG…</source>
        <translation>PNG…</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review_statistics.py"/>
        <source>Published list</source>
        <translation>公布名单</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review_statistics.py"/>
        <source>Rows × columns</source>
        <translation>行 × 列</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review_statistics.py"/>
        <source>Save the chart</source>
        <translation>保存统计图</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review_statistics.py"/>
        <source>Save the list</source>
        <translation>保存名单</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review_statistics.py"/>
        <source>Save the statistics</source>
        <translation>保存统计表</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review_statistics.py"/>
        <source>Statistics written to {}</source>
        <translation>统计表已写入 {}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review_statistics.py"/>
        <source>The A-class list, the key service enterprise list or the low-efficiency list of the town chosen in the filter, as Excel and PDF tables</source>
        <translation>筛选所选镇街的 A 类名单、重点服务企业名单或低效工业用地清单，输出为 Excel 和 PDF 表格</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review_statistics.py"/>
        <source>all classes</source>
        <translation>全部类别</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review_statistics.py"/>
        <source>all towns</source>
        <translation>全部镇街</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review_statistics.py"/>
        <source>filter: {}</source>
        <translation>筛选：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review_statistics.py"/>
        <source>statistics</source>
        <translation>统计</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review_statistics.py"/>
        <source>year {}</source>
        <translation>{} 年度</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review_statistics.py"/>
        <source>{} parcels, {:,.1f} mu{}.</source>
        <translation>共 {} 宗，{:,.1f} 亩{}。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review_statistics.py"/>
        <source>{} · filtered: {}</source>
        <translation>{} · 筛选：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review_statistics.py"/>
        <source>{}: {} parcels, {:,.1f} mu, written to {} and {}</source>
        <translation>{}：{} 宗，{:,.1f} 亩，已写入 {} 和 {}</translation>
    </message>
</context>
<context>
    <name>Store</name>
    <message>
        <location filename="../landeval_plugin/core/store/base.py"/>
        <source>'{}' is not a layer table of the store.</source>
        <translation>“{}”不是存储库中的图层表。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/store/base.py"/>
        <source>A review needs a parcel code.</source>
        <translation>研判记录需要宗地代码。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/store/base.py"/>
        <source>A review needs a reason (研判理由).</source>
        <translation>研判必须填写研判理由。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/store/base.py"/>
        <source>Account {} may not add parcel {} of town {} to {}; nothing was changed.</source>
        <translation>账户 {0} 无权将 {2} 的宗地 {1} 写入{3}，未做任何修改。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/store/base.py"/>
        <source>Account {} may not change parcel {} of town {} ({} row {}); nothing was changed.</source>
        <translation>账户 {0} 无权修改 {2} 的宗地 {1}（{3} 第 {4} 行），未做任何修改。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/store/base.py"/>
        <source>Cancelled: the store was not changed.</source>
        <translation>已取消：存储库未做任何修改。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/store/base.py"/>
        <source>Cannot copy a store of version {} into one of version {}.</source>
        <translation>不能把版本 {} 的存储库复制到版本 {} 的存储库。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/store/base.py"/>
        <source>Cannot load table {} of {}.</source>
        <translation>无法加载 {1} 中的表 {0}。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/store/base.py"/>
        <source>Column {} cannot be changed directly.</source>
        <translation>字段 {} 不能直接修改。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/store/base.py"/>
        <source>Conflict: parcel {} ({} row {}) was saved by someone else since you read it (version {} now, yours {}). Reload it and apply your change again; nothing was overwritten.</source>
        <translation>冲突：宗地 {}（{} 第 {} 行）在您读取后已被他人保存（当前版本 {}，您读取的版本 {}）。请重新加载后再修改；未覆盖任何内容。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/store/base.py"/>
        <source>Copy check failed for {}: {}; nothing was written.</source>
        <translation>复制核对不一致：{}（{}），未写入任何内容。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/store/base.py"/>
        <source>Field name '{}' cannot be stored.</source>
        <translation>字段名“{}”无法存入存储库。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/store/base.py"/>
        <source>LandEval store {} ({})</source>
        <translation>LandEval 存储库 {}（{}）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/store/base.py"/>
        <source>Register status '{}' is not one of {}.</source>
        <translation>台账状态“{}”不在 {} 之中。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/store/base.py"/>
        <source>Row {} of {} no longer exists in the store (deleted by someone else?).</source>
        <translation>{1} 的第 {0} 行已不在存储库中（可能已被他人删除）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/store/base.py"/>
        <source>Table {} has no row version.</source>
        <translation>表 {} 没有行版本号。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/store/base.py"/>
        <source>{} has schema version {} and needs an upgrade to {}.</source>
        <translation>{} 的结构版本为 {}，需要升级到 {}。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/store/base.py"/>
        <source>{} has schema version {}, newer than this LandEval supports ({}): update the LandEval plugin; nothing was changed.</source>
        <translation>{} 的结构版本为 {}，高于本插件支持的版本（{}）：请升级 LandEval 插件；未做任何修改。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/store/base.py"/>
        <source>{} is not a LandEval store (it belongs to another tool or is empty); nothing was changed.</source>
        <translation>{} 不是 LandEval 存储库（属于其他工具或为空），未做任何修改。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/store/base.py"/>
        <source>{} records an unreadable schema version '{}'; nothing was changed.</source>
        <translation>{} 记录的结构版本“{}”无法识别，未做任何修改。</translation>
    </message>
</context>
<context>
    <name>StoreAlgorithm</name>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/store.py"/>
        <source>A PostgreSQL store needs both CONNECTION and SCHEMA.</source>
        <translation>PostgreSQL 存储库需要同时给出 CONNECTION 和 SCHEMA。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/store.py"/>
        <source>Give either a GeoPackage file or a PostgreSQL connection and schema, not both.</source>
        <translation>请只给出 GeoPackage 文件，或 PostgreSQL 连接和模式，不要同时给出。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/store.py"/>
        <source>LandEval store</source>
        <translation>LandEval 存储库</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/store.py"/>
        <source>Name the store: a GeoPackage file, or a PostgreSQL connection and schema.</source>
        <translation>请指定存储库：GeoPackage 文件，或 PostgreSQL 连接和模式。</translation>
    </message>
</context>
<context>
    <name>StoreExportAlgorithm</name>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/store.py"/>
        <source>Back up a LandEval store to a GeoPackage</source>
        <translation>将 LandEval 存储库备份为 GeoPackage</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/store.py"/>
        <source>Backup GeoPackage</source>
        <translation>备份 GeoPackage</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/store.py"/>
        <source>Backup checked: {}</source>
        <translation>备份已核对：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/store.py"/>
        <source>Copies the whole store (every year and table) into a new GeoPackage store and checks that every table arrived with the same rows. STORE: a GeoPackage path or postgres://&lt;connection&gt;/&lt;schema&gt;; or give CONNECTION and SCHEMA.</source>
        <translation>把整个存储库（所有年度和表）复制到新的 GeoPackage 存储库，并核对每张表的内容完全一致。STORE：GeoPackage 路径或 postgres://&lt;连接名&gt;/&lt;模式&gt;；也可给出 CONNECTION 和 SCHEMA。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/store.py"/>
        <source>GeoPackage (*.gpkg)</source>
        <translation>GeoPackage (*.gpkg)</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/store.py"/>
        <source>Rows per table (JSON)</source>
        <translation>各表行数（JSON）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/store.py"/>
        <source>Store (GeoPackage path or postgres://connection/schema)</source>
        <translation>存储库（GeoPackage 路径或 postgres://连接名/模式）</translation>
    </message>
</context>
<context>
    <name>StoreImportAlgorithm</name>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/store.py"/>
        <source>Backup GeoPackage</source>
        <translation>备份 GeoPackage</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/store.py"/>
        <source>Copies a backup made by 'Back up a LandEval store' into a new or empty store (created when it does not exist) in one transaction, and checks that every table arrived with the same rows; on any difference nothing is written.</source>
        <translation>在一个事务中把“备份 LandEval 存储库”生成的备份复制到新的或空的存储库（不存在时新建），并核对每张表内容一致；如有差异则不写入任何内容。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/store.py"/>
        <source>Restore a LandEval store from a GeoPackage backup</source>
        <translation>从 GeoPackage 备份恢复 LandEval 存储库</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/store.py"/>
        <source>Restore checked: {}</source>
        <translation>恢复已核对：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/store.py"/>
        <source>Rows per table (JSON)</source>
        <translation>各表行数（JSON）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/store.py"/>
        <source>Store reference</source>
        <translation>存储库</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/store.py"/>
        <source>Target store (GeoPackage path or postgres://connection/schema)</source>
        <translation>目标存储库（GeoPackage 路径或 postgres://连接名/模式）</translation>
    </message>
</context>
<context>
    <name>StorePanel</name>
    <message>
        <location filename="../landeval_plugin/gui/store_panel.py"/>
        <source>Choose a GeoPackage store file</source>
        <translation>选择 GeoPackage 存储库文件</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/store_panel.py"/>
        <source>Choose a PostgreSQL connection and type the schema of the store.</source>
        <translation>请选择 PostgreSQL 连接并填写存储库所在模式。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/store_panel.py"/>
        <source>Choose the GeoPackage file of the store.</source>
        <translation>请选择存储库的 GeoPackage 文件。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/store_panel.py"/>
        <source>Create store</source>
        <translation>新建存储库</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/store_panel.py"/>
        <source>Created {} (schema version {}).</source>
        <translation>已创建 {}（结构版本 {}）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/store_panel.py"/>
        <source>Evaluation year whose layers are loaded (latest when empty)</source>
        <translation>要加载图层的评估年度（留空为最新年度）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/store_panel.py"/>
        <source>Excel workbooks (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/store_panel.py"/>
        <source>Export register (台账)</source>
        <translation>导出台账</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/store_panel.py"/>
        <source>Export register (台账)…</source>
        <translation>导出台账…</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/store_panel.py"/>
        <source>GeoPackage (*.gpkg)</source>
        <translation>GeoPackage (*.gpkg)</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/store_panel.py"/>
        <source>GeoPackage file</source>
        <translation>GeoPackage 文件</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/store_panel.py"/>
        <source>LandEval store</source>
        <translation>LandEval 存储库</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/store_panel.py"/>
        <source>Open and load layers</source>
        <translation>打开并加载图层</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/store_panel.py"/>
        <source>PostgreSQL</source>
        <translation>PostgreSQL</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/store_panel.py"/>
        <source>Project / store</source>
        <translation>项目 / 存储库</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/store_panel.py"/>
        <source>Register of {} written to {}: {} parcels on the low-efficiency list, {} register rows.</source>
        <translation>{} 年度台账已写入 {}：低效用地清单 {} 宗，台账记录 {} 条。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/store_panel.py"/>
        <source>The year's low-efficiency list and disposal register as a formatted Excel workbook (landeval:registerexport)</source>
        <translation>将该年度的低效用地清单和处置台账导出为带格式的 Excel 工作簿（landeval:registerexport）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/store_panel.py"/>
        <source>Year</source>
        <translation>年度</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/store_panel.py"/>
        <source>e.g. D:/评估/landeval.gpkg</source>
        <translation>例如 D:/评估/landeval.gpkg</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/store_panel.py"/>
        <source>latest</source>
        <translation>最新年度</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/store_panel.py"/>
        <source>schema, e.g. landeval</source>
        <translation>模式，例如 landeval</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/store_panel.py"/>
        <source>{} has no evaluation year yet.</source>
        <translation>{} 尚无评估年度。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/store_panel.py"/>
        <source>{}: schema version {}, years {}; {} layers loaded.</source>
        <translation>{}：结构版本 {}，年度 {}；已加载 {} 个图层。</translation>
    </message>
</context>
<context>
    <name>TableStream</name>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_table.py"/>
        <source>No sheet of {} has a recognisable key column (宗地代码 or 统一社会信用代码). Check the header row or set the column mapping.</source>
        <translation>{} 的所有工作表中都找不到可识别的关键列（宗地代码或统一社会信用代码）。请检查表头行或设置列映射。</translation>
    </message>
</context>
<context>
    <name>Team</name>
    <message>
        <location filename="../landeval_plugin/core/dossiers/pool.py"/>
        <source>Cannot start a printing process ({}): {}</source>
        <translation>无法启动打印进程（{}）：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/dossiers/pool.py"/>
        <source>No Python interpreter found for the printing processes.</source>
        <translation>找不到可供打印进程使用的 Python 解释器。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/dossiers/pool.py"/>
        <source>Printing process {} could not start QGIS (exit code {}); this process prints its sheets instead. {}</source>
        <translation>打印进程 {} 无法启动 QGIS（退出码 {}），其体检表改由本进程打印。{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/dossiers/pool.py"/>
        <source>Printing process {} failed at the sheet of parcel {}: {}</source>
        <translation>打印进程 {} 在打印宗地 {} 的体检表时失败：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/dossiers/pool.py"/>
        <source>Printing process {} stopped unexpectedly (exit code {}) at the sheet of parcel {}; nothing was published. {}</source>
        <translation>打印进程 {0} 在打印宗地 {2} 的体检表时意外停止（退出码 {1}），未发布任何文件。{3}</translation>
    </message>
</context>
<context>
    <name>WorkerData</name>
    <message>
        <location filename="../landeval_plugin/core/dossiers/pool_worker.py"/>
        <source>Cannot open {} in a printing process.</source>
        <translation>打印进程无法打开 {}。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/dossiers/pool_worker.py"/>
        <source>The sheet of parcel {} is missing in the printing process's copy.</source>
        <translation>打印进程的数据副本中缺少宗地 {} 的体检表。</translation>
    </message>
</context>
<context>
    <name>XlsxBook</name>
    <message>
        <location filename="../landeval_plugin/core/formats/xlsx_reader.py"/>
        <source>Sheet '{}' not found in {}; sheets: {}</source>
        <translation>在 {1} 中找不到工作表“{0}”；现有工作表：{2}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/formats/xlsx_reader.py"/>
        <source>{} is damaged and cannot be read: {}</source>
        <translation>{} 已损坏，无法读取：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/formats/xlsx_reader.py"/>
        <source>{} is damaged: shared text no. {} is not valid UTF-8 ({!r}). Open the workbook in Excel or WPS, save it again and retry.</source>
        <translation>{} 已损坏：第 {} 条共享文本不是有效的 UTF-8（{!r}）。请用 Excel 或 WPS 打开并另存后重试。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/formats/xlsx_reader.py"/>
        <source>{}, sheet '{}', cell {}: the stored value cannot be read ({}); the workbook is damaged. Open it in Excel or WPS, save it again and retry.</source>
        <translation>{}，工作表“{}”，单元格 {}：存储的值无法读取（{}），工作簿已损坏。请用 Excel 或 WPS 打开并另存后重试。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/formats/xlsx_reader.py"/>
        <source>{}, sheet '{}': a row of the sheet is longer than {} MB; the workbook is damaged or was not written by Excel.</source>
        <translation>{}，工作表“{}”：有一行超过 {} MB，工作簿已损坏或并非由 Excel 生成。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/formats/xlsx_reader.py"/>
        <source>{}, sheet '{}': cell reference {} lies beyond the largest Excel sheet ({:,} rows × {:,} columns, A1:XFD1048576); the workbook is damaged or was not written by Excel.</source>
        <translation>{}，工作表“{}”：单元格引用 {} 超出 Excel 工作表的最大范围（{:,} 行 × {:,} 列，A1:XFD1048576），工作簿已损坏或并非由 Excel 生成。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/formats/xlsx_reader.py"/>
        <source>{}, sheet '{}': more than {:,} merged cell ranges; LandEval does not read such a sheet. Unmerge the cells (or copy the values into a new sheet) and try again.</source>
        <translation>{}，工作表“{}”：合并单元格区域超过 {:,} 个，LandEval 不读取这样的工作表。请取消合并（或把数值复制到新工作表）后重试。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/formats/xlsx_reader.py"/>
        <source>{}: the shared text of the workbook is {:,} MB, more than the {:,} MB LandEval reads; split the workbook.</source>
        <translation>{}：工作簿的共享文本有 {:,} MB，超过 LandEval 可读取的 {:,} MB，请拆分工作簿。</translation>
    </message>
</context>
<context>
    <name>_Parser</name>
    <message>
        <location filename="../landeval_plugin/core/grading/condition.py"/>
        <source>condition '{}': {} at position {} (near {})</source>
        <translation>条件“{0}”：第 {2} 个字符处：{1}（附近：{3}）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/condition.py"/>
        <source>condition '{}...': more than {} terms in a row; split it into derived values</source>
        <translation>条件“{}...”：连续项超过 {} 个，请拆分为派生值（derived）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/condition.py"/>
        <source>condition '{}...': nested more than {} levels deep at position {}</source>
        <translation>条件“{}...”：嵌套超过 {} 层（位置 {}）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/condition.py"/>
        <source>empty condition</source>
        <translation>条件为空</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/condition.py"/>
        <source>end</source>
        <translation>末尾</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/condition.py"/>
        <source>expected '(' after IN</source>
        <translation>IN 后应为“(”</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/condition.py"/>
        <source>expected ')' to close the IN list</source>
        <translation>IN 列表缺少“)”</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/condition.py"/>
        <source>expected NULL after IS</source>
        <translation>IS 后应为 NULL</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/condition.py"/>
        <source>expected a value</source>
        <translation>此处应为一个值</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/condition.py"/>
        <source>function '{}' takes {} to {} arguments</source>
        <translation>函数“{}”需要 {} 到 {} 个参数</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/condition.py"/>
        <source>missing ')'</source>
        <translation>缺少“)”</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/condition.py"/>
        <source>missing ')' after function arguments</source>
        <translation>函数参数后缺少“)”</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/condition.py"/>
        <source>unexpected text</source>
        <translation>有多余内容</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/condition.py"/>
        <source>unknown function '{}'</source>
        <translation>未知函数“{}”</translation>
    </message>
</context>
<context>
    <name>core.basemap.basemap</name>
    <message>
        <location filename="../landeval_plugin/core/basemap/basemap.py"/>
        <source>Area accounting</source>
        <translation>面积核算</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/basemap/basemap.py"/>
        <source>Cannot create {}: {}</source>
        <translation>无法创建 {}：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/basemap/basemap.py"/>
        <source>Duplicate parcel code</source>
        <translation>宗地代码重复</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/basemap/basemap.py"/>
        <source>Empty geometry</source>
        <translation>空几何</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/basemap/basemap.py"/>
        <source>Invalid geometry repaired</source>
        <translation>无效几何已修复</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/basemap/basemap.py"/>
        <source>Invalid parcel code</source>
        <translation>宗地代码无效</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/basemap/basemap.py"/>
        <source>Missing land use</source>
        <translation>缺少土地用途</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/basemap/basemap.py"/>
        <source>Outside the land-use filter</source>
        <translation>不在产业用地分类范围内</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/basemap/basemap.py"/>
        <source>Overlap within one source</source>
        <translation>同一来源内重叠</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/basemap/basemap.py"/>
        <source>Overlay failed</source>
        <translation>叠加计算失败</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/basemap/basemap.py"/>
        <source>Parcel code concerned</source>
        <translation>宗地代码</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/basemap/basemap.py"/>
        <source>Problem area (m²)</source>
        <translation>面积(平方米)</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/basemap/basemap.py"/>
        <source>QA message</source>
        <translation>说明</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/basemap/basemap.py"/>
        <source>QA problem</source>
        <translation>问题类型</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/basemap/basemap.py"/>
        <source>Sliver dropped</source>
        <translation>碎片已剔除</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/basemap/basemap.py"/>
        <source>Source feature</source>
        <translation>来源要素号</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/basemap/basemap.py"/>
        <source>Source layer</source>
        <translation>数据来源</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/basemap/basemap.py"/>
        <source>Unusable geometry (bad coordinates or too large)</source>
        <translation>图形不可用（坐标无效或图形过大）</translation>
    </message>
</context>
<context>
    <name>core.basemap.source_reader</name>
    <message>
        <location filename="../landeval_plugin/core/basemap/source_reader.py"/>
        <source>Layer {}: unknown standard field in the mapping: {}</source>
        <translation>图层 {}：字段映射中有未知的标准字段：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/basemap/source_reader.py"/>
        <source>MAPPINGS is not valid JSON: {}</source>
        <translation>字段映射（MAPPINGS）不是有效的 JSON：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/basemap/source_reader.py"/>
        <source>MAPPINGS must be a JSON list or object</source>
        <translation>字段映射（MAPPINGS）必须是 JSON 列表或对象</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/basemap/source_reader.py"/>
        <source>MAPPINGS names a source that is not among the inputs: {}</source>
        <translation>字段映射（MAPPINGS）中的来源不在输入图层中：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/basemap/source_reader.py"/>
        <source>MAPPINGS: each source's mapping must be an object of standard name to column</source>
        <translation>字段映射（MAPPINGS）：每个来源的映射必须是“标准字段: 源字段”对象</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/basemap/source_reader.py"/>
        <source>Source {} cannot be read (file missing or not a vector layer).</source>
        <translation>数据来源 {} 无法读取（文件不存在或不是矢量图层）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/basemap/source_reader.py"/>
        <source>Source {} contains no polygons.</source>
        <translation>数据来源 {} 中没有任何面要素。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/basemap/source_reader.py"/>
        <source>Source {} has no coordinate reference system; set one (e.g. EPSG:4549) before building.</source>
        <translation>数据来源 {} 没有坐标参考系，请先设置（如 EPSG:4549）再生成。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/basemap/source_reader.py"/>
        <source>Source {} has no polygons (geometry type: {}).</source>
        <translation>数据来源 {} 不是面图层（几何类型：{}）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/basemap/source_reader.py"/>
        <source>Source {}: mapped field {} ({}) does not exist in the layer.</source>
        <translation>数据来源 {}：映射的字段 {}（{}）在图层中不存在。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/basemap/source_reader.py"/>
        <source>Source {}: no field for {} ({}); recognised names: {}. Map one in MAPPINGS, e.g. {}.</source>
        <translation>数据来源 {}：没有{}字段（{}）；可识别的字段名：{}。请在字段映射（MAPPINGS）中指定，例如 {}。</translation>
    </message>
</context>
<context>
    <name>core.clusters.cluster</name>
    <message>
        <location filename="../landeval_plugin/core/clusters/cluster.py"/>
        <source> Grade the parcels first on the Grading page (分类评价; in Processing: landeval:grade), or write a filter on fields the layer has.</source>
        <translation>请先在「分类评价」页评价地块（处理工具：landeval:grade），或改用图层已有字段编写筛选表达式。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/clusters/cluster.py"/>
        <source>Layer “{}” has no field {} used by the filter “{}”.{}</source>
        <translation>图层“{0}”缺少筛选表达式“{2}”所用的字段 {1}。{3}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/clusters/cluster.py"/>
        <source>Layer “{}” is not a polygon layer ({}): clusters are made of parcel polygons.</source>
        <translation>图层“{}”不是面图层（{}）：连片由地块面组成。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/clusters/cluster.py"/>
        <source>The filter expression “{}” cannot be read: it uses the variable @{}, and a filter has none (write the value itself).</source>
        <translation>筛选表达式“{}”无法解析：其中使用了变量 @{}，筛选表达式没有变量（请直接写出取值）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/clusters/cluster.py"/>
        <source>The filter expression “{}” cannot be read: {}</source>
        <translation>筛选表达式“{}”无法解析：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/clusters/cluster.py"/>
        <source>The gap must be 0 or more metres (got {}).</source>
        <translation>连通间距必须大于或等于 0 米（当前为 {}）。</translation>
    </message>
</context>
<context>
    <name>core.clusters.postgis</name>
    <message>
        <location filename="../landeval_plugin/core/clusters/postgis.py"/>
        <source>a geographic CRS (the feature path projects to a metric zone)</source>
        <translation>坐标系为地理坐标系（逐要素计算时投影到米制分带）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/clusters/postgis.py"/>
        <source>field {} of type {}</source>
        <translation>字段 {} 的类型为 {}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/clusters/postgis.py"/>
        <source>the table has no column {} or {}</source>
        <translation>表中没有列 {} 或 {}</translation>
    </message>
</context>
<context>
    <name>core.disposal.disposal</name>
    <message>
        <location filename="../landeval_plugin/core/disposal/disposal.py"/>
        <source> Grade the parcels first on the Grading page (分类评价; in Processing: landeval:grade).</source>
        <translation>请先在「分类评价」页评价地块（处理工具：landeval:grade）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/disposal/disposal.py"/>
        <source>A decision on the path needs a reason (处置研判理由).</source>
        <translation>处置研判必须填写理由（处置研判理由）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/disposal/disposal.py"/>
        <source>Cannot copy parcels of layer {} to propose again.</source>
        <translation>无法复制图层 {} 的地块以重新提出处置路径。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/disposal/disposal.py"/>
        <source>Choose the disposal path to confirm or set.</source>
        <translation>请选择要确认或改定的处置路径。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/disposal/disposal.py"/>
        <source>Disposal path of {} parcel(s): {}</source>
        <translation>{} 宗地块的处置路径：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/disposal/disposal.py"/>
        <source>Disposal rule set “{}” not found: give a preset ({}) or the path of a YAML file.</source>
        <translation>找不到处置规则“{}”：请填写预置规则（{}）或 YAML 文件路径。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/disposal/disposal.py"/>
        <source>Layer “{}” has no field “{}” ({}): rules of “{}” that use it see it as empty for all {} parcels.</source>
        <translation>图层“{}”没有字段“{}”（{}）：“{}”中用到它的规则对全部 {} 宗地块按空值处理。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/disposal/disposal.py"/>
        <source>Layer “{}” is not a polygon layer ({}).</source>
        <translation>图层“{}”不是面图层（{}）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/disposal/disposal.py"/>
        <source>No disposal rule set given.</source>
        <translation>未指定处置规则。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/disposal/disposal.py"/>
        <source>No parcels chosen for the decision.</source>
        <translation>未选择要研判的地块。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/disposal/disposal.py"/>
        <source>No rule of “{}” applies.</source>
        <translation>处置规则“{}”中没有适用的规则。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/disposal/disposal.py"/>
        <source>Propose the path again for {} parcel(s)</source>
        <translation>为 {} 宗地块重新提出处置路径</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/disposal/disposal.py"/>
        <source>Rule field “{}” ({}) read from the layer's column “{}”.</source>
        <translation>规则字段“{}”（{}）读取图层的“{}”列。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/disposal/disposal.py"/>
        <source>Rule set “{}” decides by “{}” ({}), but no {} layer was given and the parcel layer “{}” has no such field.</source>
        <translation>处置规则“{}”需要按“{}”（{}）判断，但未提供{}图层，地块图层“{}”也没有该字段。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/disposal/disposal.py"/>
        <source>Rule set “{}” uses field {} that layer “{}” does not have.{}</source>
        <translation>处置规则“{}”使用的字段 {} 在图层“{}”中不存在。{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/disposal/disposal.py"/>
        <source>Say who decided (处置研判人).</source>
        <translation>请填写研判人（处置研判人）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/disposal/disposal.py"/>
        <source>The earlier disposal layer “{}” needs the fields parcel_code and disposal_final.</source>
        <translation>上一版处置图层“{}”需要 parcel_code 和 disposal_final 字段。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/disposal/disposal.py"/>
        <source>The share inside a planning polygon must be above 0 and at most 1 (got {}).</source>
        <translation>位于规划范围内的面积比例必须大于 0 且不超过 1（当前为 {}）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/disposal/disposal.py"/>
        <source>development boundary</source>
        <translation>城镇开发边界</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/disposal/disposal.py"/>
        <source>expropriation range</source>
        <translation>征收范围</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/disposal/disposal.py"/>
        <source>industrial line</source>
        <translation>工业保障线</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/disposal/disposal.py"/>
        <source>missing</source>
        <translation>缺失</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/disposal/disposal.py"/>
        <source>missing (write null for “no path”)</source>
        <translation>缺失（不提出处置路径时写 null）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/disposal/disposal.py"/>
        <source>must be a list of field names</source>
        <translation>应为字段名列表</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/disposal/disposal.py"/>
        <source>must be a list of rules</source>
        <translation>应为规则列表</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/disposal/disposal.py"/>
        <source>must be a list of texts</source>
        <translation>须为文字列表</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/disposal/disposal.py"/>
        <source>must be the number of one of the assumptions (1 to {})</source>
        <translation>须为假设的序号（1 至 {}）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/disposal/disposal.py"/>
        <source>must be the text of the clause the rule implements</source>
        <translation>须填写本条规则所依据的条款原文或编号</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/disposal/disposal.py"/>
        <source>must have when, disposal and reason</source>
        <translation>应包含 when、disposal 和 reason</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/disposal/disposal.py"/>
        <source>must map each path to its description</source>
        <translation>应为“处置路径: 说明”的映射</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/disposal/disposal.py"/>
        <source>must map names to values</source>
        <translation>须为“名称: 值”的映射</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/disposal/disposal.py"/>
        <source>reclamation range</source>
        <translation>拆旧复垦范围</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/disposal/disposal.py"/>
        <source>the expression “{}” cannot be read: {}</source>
        <translation>表达式“{}”无法解析：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/disposal/disposal.py"/>
        <source>the part [% {} %] cannot be read: {}</source>
        <translation>片段 [% {} %] 无法解析：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/disposal/disposal.py"/>
        <source>unknown key (allowed: {})</source>
        <translation>未知的键（允许：{}）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/disposal/disposal.py"/>
        <source>unknown variable @{} (the rule set's params: {}; and {})</source>
        <translation>未知变量 @{}（本规则的参数：{}；以及 {}）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/disposal/disposal.py"/>
        <source>update unit</source>
        <translation>更新单元</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/disposal/disposal.py"/>
        <source>{} invalid polygons of the {} layer were repaired.</source>
        <translation>{1}图层中有 {0} 个无效多边形已修复。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/disposal/disposal.py"/>
        <source>{} missing: {} parcels could not be checked for {}</source>
        <translation>{} 缺失：{} 宗地块未能判断 {}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/disposal/disposal.py"/>
        <source>{} parcels lack location data (development boundary or industrial line): no path proposed (缺少区位数据).</source>
        <translation>{} 宗地块缺少区位数据（城镇开发边界或工业保障线内外未知）：未提出处置路径。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/disposal/disposal.py"/>
        <source>{}: expected keys id, name, paths, rules at the top level.</source>
        <translation>{}：顶层应包含 id、name、paths、rules 等键。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/disposal/disposal.py"/>
        <source>{}: not a readable YAML file: {}</source>
        <translation>{}：不是可读取的 YAML 文件：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/disposal/disposal.py"/>
        <source>“{}” is not one of the paths ({})</source>
        <translation>“{}”不在处置路径列表中（{}）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/disposal/disposal.py"/>
        <source>“{}” is not one of the rule set's paths ({}).</source>
        <translation>“{}”不是处置规则中的路径（{}）。</translation>
    </message>
</context>
<context>
    <name>core.dossiers.pool</name>
    <message>
        <location filename="../landeval_plugin/core/dossiers/pool.py"/>
        <source>Cannot copy layer {} for the printing processes: {}</source>
        <translation>无法为打印进程复制图层 {}：{}</translation>
    </message>
</context>
<context>
    <name>core.dossiers.pool_worker</name>
    <message>
        <location filename="../landeval_plugin/core/dossiers/pool_worker.py"/>
        <source>Cannot open {} in a printing process.</source>
        <translation>打印进程无法打开 {}。</translation>
    </message>
</context>
<context>
    <name>core.dossiers.printer</name>
    <message>
        <location filename="../landeval_plugin/core/dossiers/printer.py"/>
        <source>Layout template not found: {}</source>
        <translation>找不到布局模板：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/dossiers/printer.py"/>
        <source>Not a QGIS layout template (.qpt): {}</source>
        <translation>不是 QGIS 布局模板（.qpt）：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/dossiers/printer.py"/>
        <source>The layout template could not be read: {}</source>
        <translation>布局模板无法读取：{}</translation>
    </message>
</context>
<context>
    <name>core.dossiers.publication</name>
    <message>
        <location filename="../landeval_plugin/core/dossiers/publication.py"/>
        <source>Cannot write to the output folder {}: {}</source>
        <translation>输出文件夹 {} 无法写入：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/dossiers/publication.py"/>
        <source>Cannot write {} to {}: {}</source>
        <translation>无法写入{}（{}）：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/dossiers/publication.py"/>
        <source>the disk is full</source>
        <translation>磁盘已满</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/dossiers/publication.py"/>
        <source>the file is damaged (no cross-reference table)</source>
        <translation>文件已损坏（缺少交叉引用表）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/dossiers/publication.py"/>
        <source>the file is empty (0 bytes)</source>
        <translation>文件为空（0 字节）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/dossiers/publication.py"/>
        <source>the file is incomplete ({} bytes, no %%EOF trailer)</source>
        <translation>文件不完整（{} 字节，缺少 %%EOF 结尾）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/dossiers/publication.py"/>
        <source>the file is larger than this system allows</source>
        <translation>文件超过系统允许的大小</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/dossiers/publication.py"/>
        <source>the file is not a PDF</source>
        <translation>文件不是 PDF</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/dossiers/publication.py"/>
        <source>the layout exporter reported {}</source>
        <translation>布局导出器报告 {}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/dossiers/publication.py"/>
        <source>{}; the disk is full ({} KB free)</source>
        <translation>{}；磁盘已满（剩余 {} KB）</translation>
    </message>
</context>
<context>
    <name>core.dossiers.workbook</name>
    <message>
        <location filename="../landeval_plugin/core/dossiers/workbook.py"/>
        <source>Cannot write the workbook {}: {}</source>
        <translation>无法写入工作簿 {}：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/dossiers/workbook.py"/>
        <source>Workbook {}: text cleaned in {} cells: {}</source>
        <translation>工作簿 {}：已清理 {} 个单元格中的文本：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/dossiers/workbook.py"/>
        <source>Writing the workbook needs the Python package openpyxl (pip install openpyxl).</source>
        <translation>生成 Excel 工作簿需要 Python 包 openpyxl（pip install openpyxl）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/dossiers/workbook.py"/>
        <source>parcel</source>
        <translation>地块</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/dossiers/workbook.py"/>
        <source>the file is incomplete</source>
        <translation>文件不完整</translation>
    </message>
</context>
<context>
    <name>core.enterprise.enterprise_clean</name>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_clean.py"/>
        <source>code stored as a number: digits beyond 15 may have been lost by Excel</source>
        <translation>代码以数字存储：Excel 可能已丢失第15位之后的数字</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_clean.py"/>
        <source>control characters removed</source>
        <translation>已删除控制字符</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_clean.py"/>
        <source>formula without a saved result: open the workbook in Excel or WPS, save it, and run again</source>
        <translation>公式没有保存计算结果：请在 Excel 或 WPS 中打开该工作簿并保存后再运行</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_clean.py"/>
        <source>full-width characters converted</source>
        <translation>全角字符已转换为半角</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_clean.py"/>
        <source>not a finite number (infinite or NaN): left missing</source>
        <translation>不是有限数（无穷大或非数）：按缺失处理</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_clean.py"/>
        <source>spaces, quotes or lower case removed from the code</source>
        <translation>已去除代码中的空格、引号或小写</translation>
    </message>
</context>
<context>
    <name>core.enterprise.enterprise_join</name>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_join.py"/>
        <source>The link table {} has no recognisable header (统一社会信用代码 and 宗地代码).</source>
        <translation>关联表 {} 中找不到可识别的表头（统一社会信用代码和宗地代码）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_join.py"/>
        <source>The link table {} needs both a 统一社会信用代码 and a 宗地代码 column.</source>
        <translation>关联表 {} 需要同时有统一社会信用代码列和宗地代码列。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_join.py"/>
        <source>Year {} is not in {}; years found: {}.</source>
        <translation>数据中没有 {} 年（文件 {}）；已有年度：{}。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_join.py"/>
        <source>check digit does not match (GB 32100-2015)</source>
        <translation>校验码不符（GB 32100-2015）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_join.py"/>
        <source>contains I, O, Z, S, V or other characters not allowed</source>
        <translation>含有 I、O、Z、S、V 或其他不允许的字符</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_join.py"/>
        <source>credit code {} is not in the link table</source>
        <translation>信用代码 {} 不在关联表中</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_join.py"/>
        <source>empty</source>
        <translation>为空</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_join.py"/>
        <source>link row without credit code or parcel code: not used</source>
        <translation>关联表中该行缺少信用代码或地块代码：未使用</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_join.py"/>
        <source>no parcel code and no credit code to look up in the link table</source>
        <translation>既无地块代码也无信用代码，无法在关联表中查找</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_join.py"/>
        <source>no parcel code on the row and no link table given</source>
        <translation>该行无地块代码，且未提供关联表</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_join.py"/>
        <source>no share given: split by parcel area</source>
        <translation>未给出分摊比例：按地块面积拆分</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_join.py"/>
        <source>not 18 characters</source>
        <translation>不是18位</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_join.py"/>
        <source>parcel code {} is not in the parcel layer</source>
        <translation>地块代码 {} 不在地块图层中</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_join.py"/>
        <source>several parcel codes in one cell: split by parcel area</source>
        <translation>一个单元格中有多个地块代码：按地块面积拆分</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_join.py"/>
        <source>share is not a number</source>
        <translation>分摊比例不是数字</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_join.py"/>
        <source>share {} of enterprise {} on parcel {} is above 1 (100%) or below 0: not used; the enterprise is split as if no share were given</source>
        <translation>企业 {1} 在宗地 {2} 上的占比 {0} 大于 1（100%）或小于 0：不采用，该企业按未给占比的方式分摊</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_join.py"/>
        <source>split by the link table's areas</source>
        <translation>按关联表的占用面积拆分</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_join.py"/>
        <source>split by the link table's shares</source>
        <translation>按关联表的分摊比例拆分</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_join.py"/>
        <source>split by the link table's shares (they sum to {:.4g}; rescaled to 100%)</source>
        <translation>按关联表的分摊比例拆分（合计为 {:.4g}，已按100%重新缩放）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_join.py"/>
        <source>the link table puts this enterprise on parcels that are not in the parcel layer: {}</source>
        <translation>关联表中该企业所在地块均不在地块图层中：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_join.py"/>
        <source>{}: R&amp;D spending is larger than revenue (kept; please check)</source>
        <translation>{}：研发经费大于营业收入（已保留，请核实）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_join.py"/>
        <source>{}: value added is larger than gross output (kept; please check)</source>
        <translation>{}：工业增加值大于工业总产值（已保留，请核实）</translation>
    </message>
</context>
<context>
    <name>core.enterprise.enterprise_report</name>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_report.py"/>
        <source>Cleaning log</source>
        <translation>清洗记录</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_report.py"/>
        <source>Data problems</source>
        <translation>数据问题</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_report.py"/>
        <source>Duplicate rows</source>
        <translation>重复记录</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_report.py"/>
        <source>Incomplete parcel data</source>
        <translation>地块数据不完整</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_report.py"/>
        <source>Invalid credit codes</source>
        <translation>无效信用代码</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_report.py"/>
        <source>Parcel layer problems</source>
        <translation>地块图层问题</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_report.py"/>
        <source>Parcels without enterprises</source>
        <translation>无企业地块</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_report.py"/>
        <source>Rows not used</source>
        <translation>未使用的行</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_report.py"/>
        <source>Splits</source>
        <translation>拆分</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_report.py"/>
        <source>Summary</source>
        <translation>汇总</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_report.py"/>
        <source>Unmatched enterprises</source>
        <translation>未匹配企业</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_report.py"/>
        <source>area (mu)</source>
        <translation>面积（亩）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_report.py"/>
        <source>cells cleaned</source>
        <translation>清洗的单元格</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_report.py"/>
        <source>cleaned</source>
        <translation>清洗后</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_report.py"/>
        <source>column</source>
        <translation>列</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_report.py"/>
        <source>column {}!{} '{}'</source>
        <translation>列 {}!{}“{}”</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_report.py"/>
        <source>columns not used in {}</source>
        <translation>{} 中未使用的列</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_report.py"/>
        <source>credit code</source>
        <translation>统一社会信用代码</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_report.py"/>
        <source>data problems (text in numeric columns, negatives, checks)</source>
        <translation>数据问题（数值列中的文字、负值、核对）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_report.py"/>
        <source>duplicate rows</source>
        <translation>重复行</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_report.py"/>
        <source>enterprise name</source>
        <translation>企业名称</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_report.py"/>
        <source>enterprise rows not matched to a parcel</source>
        <translation>未匹配到地块的企业行</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_report.py"/>
        <source>enterprise rows used</source>
        <translation>已使用的企业行</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_report.py"/>
        <source>enterprises</source>
        <translation>企业数</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_report.py"/>
        <source>enterprises without it</source>
        <translation>缺该项的企业数</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_report.py"/>
        <source>enterprise–parcel records written</source>
        <translation>写出的企业—地块记录</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_report.py"/>
        <source>evaluation year</source>
        <translation>评价年度</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_report.py"/>
        <source>field</source>
        <translation>字段</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_report.py"/>
        <source>file</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_report.py"/>
        <source>first row</source>
        <translation>首次出现行</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_report.py"/>
        <source>handling</source>
        <translation>处理方式</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_report.py"/>
        <source>header</source>
        <translation>表头</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_report.py"/>
        <source>invalid credit codes</source>
        <translation>无效信用代码</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_report.py"/>
        <source>item</source>
        <translation>项目</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_report.py"/>
        <source>layout</source>
        <translation>表格布局</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_report.py"/>
        <source>link table</source>
        <translation>关联表</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_report.py"/>
        <source>link table rows</source>
        <translation>关联表行数</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_report.py"/>
        <source>method</source>
        <translation>方法</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_report.py"/>
        <source>no year in the workbook (one year of data)</source>
        <translation>表中无年份（仅一年数据）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_report.py"/>
        <source>note</source>
        <translation>说明</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_report.py"/>
        <source>one column per value and year (years side by side)</source>
        <translation>每项指标每年一列（多年并列）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_report.py"/>
        <source>one row per enterprise and year (a year column)</source>
        <translation>每个企业每年一行（有年份列）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_report.py"/>
        <source>original</source>
        <translation>原值</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_report.py"/>
        <source>parcel code</source>
        <translation>宗地代码</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_report.py"/>
        <source>parcels with enterprises in the evaluation year</source>
        <translation>评价年度有企业的地块</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_report.py"/>
        <source>parcels without any enterprise</source>
        <translation>无任何企业的地块</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_report.py"/>
        <source>problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_report.py"/>
        <source>reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_report.py"/>
        <source>row</source>
        <translation>行</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_report.py"/>
        <source>rows of other years or without a year</source>
        <translation>其他年度或无年度的行</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_report.py"/>
        <source>rows read from the workbook</source>
        <translation>从工作簿读取的行数</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_report.py"/>
        <source>rows skipped (totals, empty form lines)</source>
        <translation>跳过的行（合计行、空白表单行）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_report.py"/>
        <source>share</source>
        <translation>分摊比例</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_report.py"/>
        <source>sheet</source>
        <translation>工作表</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_report.py"/>
        <source>sheets read</source>
        <translation>已读取的工作表</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_report.py"/>
        <source>text encoding</source>
        <translation>文字编码</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_report.py"/>
        <source>value</source>
        <translation>值</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_report.py"/>
        <source>workbook</source>
        <translation>工作簿</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_report.py"/>
        <source>year</source>
        <translation>年度</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_report.py"/>
        <source>years</source>
        <translation>年度</translation>
    </message>
</context>
<context>
    <name>core.enterprise.enterprise_table</name>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_table.py"/>
        <source>Sheet '{}' not found in {}; sheets: {}</source>
        <translation>在 {1} 中找不到工作表“{0}”；现有工作表：{2}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_table.py"/>
        <source>Sheet '{}' of {} has no recognisable key column (宗地代码 or 统一社会信用代码) in its first {} rows. Check the header row or set the column mapping.</source>
        <translation>{1} 的工作表“{0}”前 {2} 行中找不到可识别的关键列（宗地代码或统一社会信用代码）。请检查表头行或设置列映射。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_table.py"/>
        <source>control characters removed</source>
        <translation>已删除控制字符</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_table.py"/>
        <source>merged cell: the number counts once, on row {}</source>
        <translation>合并单元格：数值只计一次，计在第 {} 行</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_table.py"/>
        <source>negative value: flagged and left missing</source>
        <translation>负值：已标记并作为缺失处理</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_table.py"/>
        <source>no enterprise, no code and no value: not an enterprise row</source>
        <translation>无企业、无代码、无数值：不是企业行</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_table.py"/>
        <source>not a year: the row's values cannot be dated</source>
        <translation>不是年份：该行数值无法确定年度</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_table.py"/>
        <source>not 规上 or 规下: left empty</source>
        <translation>不是规上或规下：留空</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_table.py"/>
        <source>number stored as text converted</source>
        <translation>以文本存储的数字已转换</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_table.py"/>
        <source>only a parcel code, no enterprise and no value (empty form line)</source>
        <translation>只有地块代码，无企业、无数值（空白表单行）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_table.py"/>
        <source>several parcel codes in one cell: the enterprise is split over them</source>
        <translation>一个单元格中有多个地块代码：企业按这些地块拆分</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_table.py"/>
        <source>sheet has no recognisable key column: not read</source>
        <translation>工作表中无可识别的关键列：未读取</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_table.py"/>
        <source>total row (合计/小计): not an enterprise</source>
        <translation>合计行（合计/小计）：不是企业</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_table.py"/>
        <source>year missing: the row's values cannot be dated</source>
        <translation>缺少年度：该行数值无法确定年度</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_table.py"/>
        <source>{} has no visible sheet.</source>
        <translation>{} 没有可见的工作表。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/enterprise_table.py"/>
        <source>{}, sheet '{}': merged cell ranges overlap on row {}; the workbook is damaged. Unmerge the cells and try again.</source>
        <translation>{}，工作表“{}”：第 {} 行的合并单元格区域相互重叠，工作簿已损坏。请取消合并后重试。</translation>
    </message>
</context>
<context>
    <name>core.enterprise.forms</name>
    <message>
        <location filename="../landeval_plugin/core/enterprise/forms.py"/>
        <source>Choose a value from the list.</source>
        <translation>请从下拉列表中选择。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/forms.py"/>
        <source>Choose one of the evaluation years.</source>
        <translation>请选择评价年度之一。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/forms.py"/>
        <source>Choose 是 or 否.</source>
        <translation>请选择“是”或“否”。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/forms.py"/>
        <source>Choose 规上 or 规下.</source>
        <translation>请选择“规上”或“规下”。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/forms.py"/>
        <source>Enter a number (0 or more).</source>
        <translation>请输入数字（0或以上）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/forms.py"/>
        <source>Enterprises on the parcel (one row per enterprise and year)</source>
        <translation>地块上的企业（每家企业每年一行）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/forms.py"/>
        <source>Forms {}: text cleaned in {} cells: {}</source>
        <translation>表格 {}：已清理 {} 个单元格中的文本：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/forms.py"/>
        <source>Instructions</source>
        <translation>填表说明</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/forms.py"/>
        <source>Instructions: 1) Grey cells are locked; fill in the white cells only. 2) One row per enterprise and year ({}–{}); amounts in 万元, energy in 吨标准煤, electricity in 万千瓦时, emissions in 吨, staff in 人. 3) Leave a cell empty when there is no data (do not write 0). 4) 统一社会信用代码 has 18 characters. 5) Choose 是/否 and categories from the drop-down lists. 6) More rows: 审阅 &gt; 撤销工作表保护 (no password), insert rows inside the table. 7) Return the file unchanged in name and layout; it is read back by LandEval (landeval:joinenterprises).</source>
        <translation>填表说明：1）灰色单元格已锁定，只填写白色单元格。2）每家企业每年一行（{}–{}年）；金额单位为万元，能耗为吨标准煤，用电量为万千瓦时，排放量为吨，人数为人。3）无数据时请留空（不要填0）。4）统一社会信用代码为18位。5）是/否和类别请从下拉列表中选择。6）需要更多行：审阅 &gt; 撤销工作表保护（无密码），在表格内插入行。7）请勿更改文件名和表格结构，填好后交回；LandEval 的“企业数据关联到地块”（landeval:joinenterprises）可直接读回。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/forms.py"/>
        <source>Invalid input</source>
        <translation>输入无效</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/forms.py"/>
        <source>Parcel</source>
        <translation>宗地信息</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/forms.py"/>
        <source>Parcel situation (choose or fill in)</source>
        <translation>宗地情况（请选择或填写）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/forms.py"/>
        <source>address</source>
        <translation>坐落</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/forms.py"/>
        <source>area (mu)</source>
        <translation>面积（亩）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/forms.py"/>
        <source>area (m²)</source>
        <translation>面积（平方米）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/forms.py"/>
        <source>no town</source>
        <translation>未分镇街</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/forms.py"/>
        <source>number</source>
        <translation>数字</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/forms.py"/>
        <source>owner</source>
        <translation>权利人</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/forms.py"/>
        <source>parcel</source>
        <translation>地块</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/forms.py"/>
        <source>parcel code</source>
        <translation>宗地代码</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/forms.py"/>
        <source>sheet</source>
        <translation>工作表</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/forms.py"/>
        <source>{} industrial land performance form (一地一表)</source>
        <translation>{}年度产业用地综合绩效评价一地一表</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/forms.py"/>
        <source>{} {} industrial land performance forms (一地一表)</source>
        <translation>{}{}年度产业用地综合绩效评价一地一表</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/forms.py"/>
        <source>统一社会信用代码 has 18 characters.</source>
        <translation>统一社会信用代码为18位。</translation>
    </message>
</context>
<context>
    <name>core.enterprise.header</name>
    <message>
        <location filename="../landeval_plugin/core/enterprise/header.py"/>
        <source>Mapping entry '{}' is not 'field=column'.</source>
        <translation>映射项“{}”不是“字段=列”的格式。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/header.py"/>
        <source>Mapping names an unknown field '{}'.</source>
        <translation>映射中有未知字段“{}”。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/header.py"/>
        <source>The column mapping is not valid JSON ({}): {}</source>
        <translation>列映射不是有效的 JSON（{}）：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/header.py"/>
        <source>column also recognised as {} (already column {}): not used</source>
        <translation>该列也被识别为{}（已有列 {}）：未使用</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/enterprise/header.py"/>
        <source>unit '{}' in the header is not a unit of {}; values taken as {}</source>
        <translation>表头中的单位“{}”不是{}的单位；数值按{}处理</translation>
    </message>
</context>
<context>
    <name>core.files</name>
    <message>
        <location filename="../landeval_plugin/core/files.py"/>
        <source>Cannot create the output folder {}: {}</source>
        <translation>无法创建输出文件夹 {}：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/files.py"/>
        <source>Cannot write to the output folder {}: {}</source>
        <translation>输出文件夹 {} 无法写入：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/files.py"/>
        <source>Cannot write {}: {}. Nothing was replaced; earlier files are kept.</source>
        <translation>无法写入 {}：{}。未替换任何文件，原有文件保持不变。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/files.py"/>
        <source>The output {} would overwrite the input {} (the same file {}): LandEval never writes its inputs. Choose another output file.</source>
        <translation>输出 {} 会覆盖输入 {}（同一个文件 {}）：LandEval 从不写入输入数据。请另选输出文件。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/files.py"/>
        <source>permission denied (the folder or file is read-only)</source>
        <translation>没有写入权限（文件夹或文件为只读）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/files.py"/>
        <source>the disk is full</source>
        <translation>磁盘已满</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/files.py"/>
        <source>the file is larger than this disk or account allows</source>
        <translation>文件超过了该磁盘或账户允许的大小</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/files.py"/>
        <source>the folder does not exist</source>
        <translation>文件夹不存在</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/files.py"/>
        <source>the spatial index of {} was not written</source>
        <translation>{} 的空间索引未能写入</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/files.py"/>
        <source>unknown error</source>
        <translation>未知错误</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/files.py"/>
        <source>{} already exists and would be replaced. Choose another file, or confirm with OVERWRITE=true (覆盖已存在的文件).</source>
        <translation>{} 已存在，运行会替换它。请另选文件，或设置 OVERWRITE=true（覆盖已存在的文件）确认替换。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/files.py"/>
        <source>{} of {} features were written</source>
        <translation>只写入了 {} 个要素（共 {} 个）</translation>
    </message>
</context>
<context>
    <name>core.formats.xlsx_reader</name>
    <message>
        <location filename="../landeval_plugin/core/formats/xlsx_reader.py"/>
        <source>File not found: {}</source>
        <translation>找不到文件：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/formats/xlsx_reader.py"/>
        <source>{} is an old Excel 97-2003 (.xls) workbook. Open it in Excel or WPS and save it as .xlsx, then try again.</source>
        <translation>{} 是旧版 Excel 97-2003（.xls）工作簿。请在 Excel 或 WPS 中打开并另存为 .xlsx 后再重试。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/formats/xlsx_reader.py"/>
        <source>{} is damaged and cannot be read: {}</source>
        <translation>{} 已损坏，无法读取：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/formats/xlsx_reader.py"/>
        <source>{} is neither UTF-8 nor GBK text.</source>
        <translation>{} 既不是 UTF-8 也不是 GBK 编码的文本。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/formats/xlsx_reader.py"/>
        <source>{} is not a readable .xlsx workbook (the file is damaged or not an Excel file).</source>
        <translation>{} 不是可读取的 .xlsx 工作簿（文件已损坏或不是 Excel 文件）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/formats/xlsx_reader.py"/>
        <source>{} is password-protected (encrypted). Open it in Excel or WPS, remove the password (文件 &gt; 信息 &gt; 保护工作簿), save it and try again.</source>
        <translation>{} 设置了密码（已加密）。请在 Excel 或 WPS 中打开，取消密码（文件 &gt; 信息 &gt; 保护工作簿）后保存，再重试。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/formats/xlsx_reader.py"/>
        <source>{}, sheet '{}': cell reference {} lies beyond the largest Excel sheet ({:,} rows × {:,} columns, A1:XFD1048576); the workbook is damaged or was not written by Excel.</source>
        <translation>{}，工作表“{}”：单元格引用 {} 超出 Excel 工作表的最大范围（{:,} 行 × {:,} 列，A1:XFD1048576），工作簿已损坏或并非由 Excel 生成。</translation>
    </message>
</context>
<context>
    <name>core.formats.xlsx_text</name>
    <message>
        <location filename="../landeval_plugin/core/formats/xlsx_text.py"/>
        <source>control characters removed: {}</source>
        <translation>已删除控制字符：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/formats/xlsx_text.py"/>
        <source>text cut from {} to {} characters (the most a cell holds)</source>
        <translation>文本由 {} 个字符截断为 {} 个字符（单元格上限）</translation>
    </message>
</context>
<context>
    <name>core.gpkg_read</name>
    <message>
        <location filename="../landeval_plugin/core/gpkg_read.py"/>
        <source>QGIS could not read layer “{}” (table {} of {}): it returned no rows, the file holds {}. Another layer of this GeoPackage entered edit mode since QGIS opened it (SQLite: unable to open database file). Remove the layer from the project and add it again, or restart QGIS; nothing was changed.</source>
        <translation>QGIS 未能读取图层“{}”（表 {}，文件 {}）：读到 0 行，而文件中有 {} 行。QGIS 打开该图层后，同一 GeoPackage 的另一个图层进入了编辑状态（SQLite：unable to open database file）。请将该图层从项目中移除后重新添加，或重启 QGIS；未作任何修改。</translation>
    </message>
</context>
<context>
    <name>core.grading.columns</name>
    <message>
        <location filename="../landeval_plugin/core/grading/columns.py"/>
        <source>the layer lacks fields that only some formulas need</source>
        <translation>图层缺少仅部分评分公式需要的字段</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/columns.py"/>
        <source>the standard classifies neither by thresholds nor by quotas</source>
        <translation>该标准既不按分数阈值也不按比例分档</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/columns.py"/>
        <source>the standard does not score with formulas</source>
        <translation>该标准不按评分公式计分</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/columns.py"/>
        <source>the standard has derived values</source>
        <translation>该标准含派生值</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/columns.py"/>
        <source>the standard has direct rules or exclusions</source>
        <translation>该标准含直接判定规则或排除规则</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/columns.py"/>
        <source>the standard tags low-efficiency parcels</source>
        <translation>该标准认定低效用地标签</translation>
    </message>
</context>
<context>
    <name>core.grading.condition</name>
    <message>
        <location filename="../landeval_plugin/core/grading/condition.py"/>
        <source> (line {})</source>
        <translation>（第 {} 行）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/condition.py"/>
        <source>condition '{}': the number {} at position {} is not finite</source>
        <translation>条件“{0}”：位置 {2} 的数字 {1} 不是有限数</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/condition.py"/>
        <source>condition '{}': unexpected character '{}' at position {}</source>
        <translation>条件“{0}”：第 {2} 个字符“{1}”无法识别</translation>
    </message>
</context>
<context>
    <name>core.grading.gpkg</name>
    <message>
        <location filename="../landeval_plugin/core/grading/gpkg.py"/>
        <source>Cannot write {}: {}. Nothing was replaced; earlier files are kept.</source>
        <translation>无法写入 {}：{}。未替换任何文件，原有文件保持不变。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/gpkg.py"/>
        <source>Graded parcel by parcel (more memory), not by columns: {}</source>
        <translation>逐宗评价（占用内存较多），非按列评价：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/gpkg.py"/>
        <source>The graded layer is renamed by GDAL and the copy checked whole: {}</source>
        <translation>评估结果图层改由 GDAL 重命名，并完整检查副本：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/gpkg.py"/>
        <source>a table named {} exists</source>
        <translation>已有名为 {} 的表</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/gpkg.py"/>
        <source>the copy does not hold every feature</source>
        <translation>写出的副本缺少要素</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/gpkg.py"/>
        <source>the trigger {} is not as GDAL writes it</source>
        <translation>触发器 {} 与 GDAL 写出的形式不同</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/gpkg.py"/>
        <source>{}: layer '{}' is not a GeoPackage feature table</source>
        <translation>{}：图层“{}”不是 GeoPackage 要素表</translation>
    </message>
</context>
<context>
    <name>core.grading.standard</name>
    <message>
        <location filename="../landeval_plugin/core/grading/standard.py"/>
        <source>cannot read the file: {}</source>
        <translation>无法读取文件：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/standard.py"/>
        <source>include_tags: cannot load '{}': {}</source>
        <translation>include_tags：无法加载“{}”：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/standard.py"/>
        <source>include_tags: param '{}' of '{}' differs from this standard's</source>
        <translation>include_tags：“{1}”的参数“{0}”与本标准不一致</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/standard.py"/>
        <source>no preset named '{}' and no such file (presets: {})</source>
        <translation>没有名为“{}”的预设标准，也没有该文件（预设：{}）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/grading/standard.py"/>
        <source>no standard given (a preset id or a file path)</source>
        <translation>未指定评价标准（预设标识或文件路径）</translation>
    </message>
</context>
<context>
    <name>core.limits</name>
    <message>
        <location filename="../landeval_plugin/core/limits.py"/>
        <source>NaN or infinite coordinates</source>
        <translation>坐标为非数（NaN）或无穷大</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/limits.py"/>
        <source>coordinates out of range (beyond ±{:g} map units)</source>
        <translation>坐标超出范围（超过 ±{:g} 地图单位）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/limits.py"/>
        <source>{:,} parts (limit {:,})</source>
        <translation>{:,} 个部件（上限 {:,}）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/limits.py"/>
        <source>{:,} vertices (limit {:,})</source>
        <translation>{:,} 个节点（上限 {:,}）</translation>
    </message>
</context>
<context>
    <name>core.meeting.lists</name>
    <message>
        <location filename="../landeval_plugin/core/meeting/lists.py"/>
        <source>Assumption: the list names the right holder of each A or B parcel; related parties are not in the data and must be added by hand.</source>
        <translation>假设：本名单按宗地列出A、B类宗地的权利人；关联方不在本数据中，需人工补充。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/lists.py"/>
        <source>Basis: Beijing E-Town 2023, section 3 (3): the right holders of industrial land graded A or B, and their related parties, go on the key service enterprise list.</source>
        <translation>依据：《北京经济技术开发区关于规范工业用地管理促进产业高质量发展的若干措施（征求意见稿）》（2023）三、（三）“将综合评价为A、B两类的工业用地产权人及其关联方纳入重点服务企业名单”。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/lists.py"/>
        <source>Basis: Beijing E-Town 2023, section 3 (4): publish the list of high-quality industrial land right holders; parcels graded A.</source>
        <translation>依据：《北京经济技术开发区关于规范工业用地管理促进产业高质量发展的若干措施（征求意见稿）》（2023）三、（四）“发布优质工业用地产权人名单”；列入综合评价为A类的宗地。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/lists.py"/>
        <source>Basis: Tonglu 2022: a parcel of any low-efficiency type (low tax per mu, idle, industrial land used otherwise, prohibited or obsolete industry, class D) is on the list of low-efficiency industrial land.</source>
        <translation>依据：《桐庐县推进工业全域治理 加快低效用地整治提升三年行动计划(2022-2024年)》：具有任一低效类型（亩均低效、用而未尽、占工非工、禁止类/淘汰类、综合评价D类）的宗地列入低效工业用地清单。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/lists.py"/>
        <source>Generated {}</source>
        <translation>生成日期 {}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/lists.py"/>
        <source>List of high-quality industrial land right holders (class A)</source>
        <translation>优质工业用地产权人名单（A类）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/lists.py"/>
        <source>List of key service enterprises (classes A and B)</source>
        <translation>重点服务企业名单（A、B类）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/lists.py"/>
        <source>List of low-efficiency industrial land</source>
        <translation>低效工业用地清单</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/lists.py"/>
        <source>No CJK font is installed; install {}</source>
        <translation>未安装中文字体；请安装 {}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/lists.py"/>
        <source>No parcel is on this list.</source>
        <translation>本名单无宗地。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/lists.py"/>
        <source>Page {} of {}</source>
        <translation>第 {} 页 / 共 {} 页</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/lists.py"/>
        <source>Review: {}</source>
        <translation>研判：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/lists.py"/>
        <source>The layer {} has no class (grade): grade it before printing the {}.</source>
        <translation>图层 {} 没有评价类别（grade）：请先分类评价，再打印{}。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/lists.py"/>
        <source>The layer {} has no low-efficiency tags (low_eff, low_eff_tags): grade it with a standard that tags low-efficiency land (e.g. tonglu_2022).</source>
        <translation>图层 {} 没有低效认定字段（low_eff、low_eff_tags）：请先用含低效认定的标准（如 tonglu_2022）评价。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/lists.py"/>
        <source>Types: {}</source>
        <translation>低效类型：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/lists.py"/>
        <source>Unknown list {} (one of {})</source>
        <translation>未知的名单 {}（可选：{}）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/lists.py"/>
        <source>low-efficiency (no type given)</source>
        <translation>低效（未注明类型）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/lists.py"/>
        <source>{} · generated {}</source>
        <translation>{} · 生成日期 {}</translation>
    </message>
</context>
<context>
    <name>core.meeting.map_export</name>
    <message>
        <location filename="../landeval_plugin/core/meeting/map_export.py"/>
        <source>Contiguous renovation areas of low-efficiency land</source>
        <translation>低效用地连片整治区分布图</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/map_export.py"/>
        <source>Disposal paths of industrial land</source>
        <translation>产业用地处置路径图</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/map_export.py"/>
        <source>Filter: {}</source>
        <translation>筛选条件：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/map_export.py"/>
        <source>Industrial land performance classes</source>
        <translation>产业用地综合绩效评价分类图</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/map_export.py"/>
        <source>Legend</source>
        <translation>图　例</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/map_export.py"/>
        <source>Map date: {} · CRS: {} · LandEval industrial land evaluation</source>
        <translation>制图日期：{} · 坐标系：{} · LandEval 产业用地评估</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/map_export.py"/>
        <source>N</source>
        <translation>北</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/map_export.py"/>
        <source>No CJK font is installed; install {}</source>
        <translation>未安装中文字体；请安装 {}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/map_export.py"/>
        <source>No parcel of {} matches the filter {}: the map would be empty.</source>
        <translation>{} 中没有符合筛选条件 {} 的宗地：地图将为空。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/map_export.py"/>
        <source>Other parcels</source>
        <translation>其他宗地</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/map_export.py"/>
        <source>Parcels in a renovation area ({} areas)</source>
        <translation>连片整治区内宗地（{} 片）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/map_export.py"/>
        <source>Parcels per town (total in mu)</source>
        <translation>各镇街宗数（合计面积：亩）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/map_export.py"/>
        <source>Renovation areas ({})</source>
        <translation>连片整治区（{} 片）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/map_export.py"/>
        <source>The layer {} cannot be read for the map.</source>
        <translation>无法读取图层 {} 以制图。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/map_export.py"/>
        <source>The layer {} has no field {}: it cannot be mapped as {}.</source>
        <translation>图层 {} 没有字段 {}：无法制作{}。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/map_export.py"/>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/map_export.py"/>
        <source>Total: {} parcels, {} mu</source>
        <translation>合计：{} 宗，{} 亩</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/map_export.py"/>
        <source>Unknown map kind {} (one of {})</source>
        <translation>未知的专题图类型 {}（可选：{}）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/map_export.py"/>
        <source>Unknown paper preset {} (one of {})</source>
        <translation>未知的纸张预设 {}（可选：{}）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/map_export.py"/>
        <source>km</source>
        <translation>千米</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/map_export.py"/>
        <source>m</source>
        <translation>米</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/map_export.py"/>
        <source>the layout cannot be exported</source>
        <translation>无法导出版面</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/map_export.py"/>
        <source>{} · {} parcels, {} mu</source>
        <translation>{} · 共 {} 宗，{} 亩</translation>
    </message>
</context>
<context>
    <name>core.meeting.statistics</name>
    <message>
        <location filename="../landeval_plugin/core/meeting/statistics.py"/>
        <source>(no tag)</source>
        <translation>（无低效类型）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/statistics.py"/>
        <source>(no town)</source>
        <translation>（未填镇街）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/statistics.py"/>
        <source>(no year)</source>
        <translation>（无年度）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/statistics.py"/>
        <source>(not in a renovation area)</source>
        <translation>（不在连片整治区）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/statistics.py"/>
        <source>Area (mu)</source>
        <translation>面积(亩)</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/statistics.py"/>
        <source>Class</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/statistics.py"/>
        <source>Disposal path</source>
        <translation>处置路径</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/statistics.py"/>
        <source>Generated {}</source>
        <translation>生成日期 {}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/statistics.py"/>
        <source>Industrial output (10k yuan)</source>
        <translation>工业总产值(万元)</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/statistics.py"/>
        <source>Low-efficiency type</source>
        <translation>低效类型</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/statistics.py"/>
        <source>No path proposed</source>
        <translation>不提出处置路径</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/statistics.py"/>
        <source>Notes</source>
        <translation>说明</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/statistics.py"/>
        <source>Parcels (count)</source>
        <translation>宗数</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/statistics.py"/>
        <source>Renovation area</source>
        <translation>连片整治区</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/statistics.py"/>
        <source>Statistics</source>
        <translation>统计</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/statistics.py"/>
        <source>Tax (10k yuan)</source>
        <translation>税收(万元)</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/statistics.py"/>
        <source>The filter expression fails on feature {}: {}</source>
        <translation>筛选表达式在要素 {} 上计算出错：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/statistics.py"/>
        <source>The filter expression {} is not valid: {}</source>
        <translation>筛选表达式 {} 无效：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/statistics.py"/>
        <source>The layer {} has no field {} ({}): it cannot be tabulated by {}.</source>
        <translation>图层 {} 没有字段 {}（{}）：不能按{}统计。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/statistics.py"/>
        <source>The layer {} has none of the fields the statistics read (town, grade, low_eff_tags, disposal, cluster_id).</source>
        <translation>图层 {} 没有统计所需的任何字段（town、grade、low_eff_tags、disposal、cluster_id）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/statistics.py"/>
        <source>The layer {} has values of fewer than two years (tax_10k, tax_10k_y1, tax_10k_y2): no table by year.</source>
        <translation>图层 {} 的数据不足两个年度（tax_10k、tax_10k_y1、tax_10k_y2）：不能按年度统计。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/statistics.py"/>
        <source>The layer {} holds the years {}, not {}.</source>
        <translation>图层 {} 含 {} 年度的数据，没有 {} 年度。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/statistics.py"/>
        <source>Town</source>
        <translation>所属镇街</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/statistics.py"/>
        <source>Two years before</source>
        <translation>前两年度</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/statistics.py"/>
        <source>Unknown dimension {} (one of {})</source>
        <translation>未知的统计维度 {}（可选：{}）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/statistics.py"/>
        <source>Year</source>
        <translation>年度</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/statistics.py"/>
        <source>Year before</source>
        <translation>上一年度</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/statistics.py"/>
        <source>Year of the data</source>
        <translation>数据年度</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/statistics.py"/>
        <source>Years go in the rows: tabulate by year × {}.</source>
        <translation>年度只能作为行：请按 年度 × {} 统计。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/statistics.py"/>
        <source>not graded</source>
        <translation>未评价</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/statistics.py"/>
        <source>the image cannot be saved</source>
        <translation>无法保存图片</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/statistics.py"/>
        <source>{} · generated {}</source>
        <translation>{} · 生成日期 {}</translation>
    </message>
</context>
<context>
    <name>core.meeting.walkthrough</name>
    <message>
        <location filename="../landeval_plugin/core/meeting/walkthrough.py"/>
        <source>Area (mu)</source>
        <translation>面积(亩)</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/walkthrough.py"/>
        <source>Cannot add field {} to layer {}.</source>
        <translation>无法向图层 {1} 添加字段 {0}。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/walkthrough.py"/>
        <source>Chair:</source>
        <translation>主持人：</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/walkthrough.py"/>
        <source>Changed</source>
        <translation>调整</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/walkthrough.py"/>
        <source>Choose the graded parcel layer for the meeting.</source>
        <translation>请选择研判会使用的已评价宗地图层。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/walkthrough.py"/>
        <source>Class before</source>
        <translation>原类别</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/walkthrough.py"/>
        <source>Class decided</source>
        <translation>研判类别</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/walkthrough.py"/>
        <source>Class “{}” of parcel {} is not one of {}.</source>
        <translation>类别“{}”（宗地 {}）不是 {} 之一。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/walkthrough.py"/>
        <source>Conclusion</source>
        <translation>结论</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/walkthrough.py"/>
        <source>Confirmed</source>
        <translation>确认</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/walkthrough.py"/>
        <source>Confirmed at the review meeting</source>
        <translation>研判会确认</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/walkthrough.py"/>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/walkthrough.py"/>
        <source>Date:</source>
        <translation>日期：</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/walkthrough.py"/>
        <source>Evaluation year</source>
        <translation>评价年度</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/walkthrough.py"/>
        <source>Layer</source>
        <translation>图层</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/walkthrough.py"/>
        <source>Layer “{}” has no classes (field grade): grade it on the Grading page first, then review it here.</source>
        <translation>图层“{}”没有分类结果（grade 字段）：请先在“分类评价”页评价，再在此研判。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/walkthrough.py"/>
        <source>Layer “{}” has no cluster field (cluster_id): run the Clusters step on it first.</source>
        <translation>图层“{}”没有连片字段（cluster_id）：请先在“连片”页对其识别连片。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/walkthrough.py"/>
        <source>Layer “{}” has no last year's class (grade_y1 / 上年分类): choose last year's graded layer.</source>
        <translation>图层“{}”没有上年类别（grade_y1 / 上年分类）：请选择上年的评价图层。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/walkthrough.py"/>
        <source>Layer “{}” has no parcel code field (parcel_code / 宗地代码).</source>
        <translation>图层“{}”没有宗地代码字段（parcel_code / 宗地代码）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/walkthrough.py"/>
        <source>Layer “{}” has no town field (town / 所属镇街).</source>
        <translation>图层“{}”没有镇街字段（town / 所属镇街）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/walkthrough.py"/>
        <source>Layer “{}” holds the years {}, not {}.</source>
        <translation>图层“{}”含 {} 年度的数据，没有 {} 年度。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/walkthrough.py"/>
        <source>Layer “{}” shows year {} alone, not {}: save or discard its edits (Layer › Toggle Editing) so that it can show {}; nothing was recorded for parcel {}.</source>
        <translation>图层“{}”当前只显示 {} 年度，不是 {} 年度：请先保存或放弃该图层的编辑（图层 › 切换编辑），使其能显示 {} 年度；宗地 {} 未记录任何结果。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/walkthrough.py"/>
        <source>List</source>
        <translation>名单</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/walkthrough.py"/>
        <source>Meeting</source>
        <translation>会议</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/walkthrough.py"/>
        <source>Minutes</source>
        <translation>会议纪要</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/walkthrough.py"/>
        <source>Minutes are written as .xlsx, .html or .csv, not “{}”.</source>
        <translation>会议纪要可保存为 .xlsx、.html 或 .csv，不支持“{}”。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/walkthrough.py"/>
        <source>No decision has been recorded in this meeting yet: nothing to write to {}.</source>
        <translation>本次研判会尚未记录任何研判结论：未写出 {}。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/walkthrough.py"/>
        <source>No parcels are selected on layer “{}”: select them on the map first.</source>
        <translation>图层“{}”上没有选中的宗地：请先在地图上选择。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/walkthrough.py"/>
        <source>No.</source>
        <translation>序号</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/walkthrough.py"/>
        <source>Owner</source>
        <translation>权利人</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/walkthrough.py"/>
        <source>Parcel code</source>
        <translation>宗地代码</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/walkthrough.py"/>
        <source>Parcel {} could not be changed on layer “{}”.</source>
        <translation>无法修改图层“{}”中的宗地 {}。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/walkthrough.py"/>
        <source>Parcel {} has no class to confirm: choose its class.</source>
        <translation>宗地 {} 没有可确认的类别：请选择类别。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/walkthrough.py"/>
        <source>Parcel {} is no longer on layer “{}” (deleted?): nothing was recorded; go on with the next one.</source>
        <translation>宗地 {} 已不在图层“{}”中（已删除？）：未记录任何内容，请继续下一宗。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/walkthrough.py"/>
        <source>Parcel {}: changing the class or the path needs a reason (研判理由); nothing was recorded.</source>
        <translation>宗地 {}：调整类别或处置路径必须填写研判理由；未记录。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/walkthrough.py"/>
        <source>Path before</source>
        <translation>原处置路径</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/walkthrough.py"/>
        <source>Path decided</source>
        <translation>研判处置路径</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/walkthrough.py"/>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/walkthrough.py"/>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/walkthrough.py"/>
        <source>Recorded by:</source>
        <translation>记录人：</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/walkthrough.py"/>
        <source>Review meeting: parcel {} {}</source>
        <translation>研判会：宗地 {} {}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/walkthrough.py"/>
        <source>Reviewed {} / {}</source>
        <translation>已研判 {} / {}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/walkthrough.py"/>
        <source>Reviewer</source>
        <translation>研判人</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/walkthrough.py"/>
        <source>Say who decided (研判人) before recording parcel {}.</source>
        <translation>记录宗地 {} 之前请填写研判人。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/walkthrough.py"/>
        <source>The expression “{}” cannot be read: {}</source>
        <translation>表达式“{}”无法解析：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/walkthrough.py"/>
        <source>The expression “{}” fails on parcel {}: {}</source>
        <translation>表达式“{}”在宗地 {} 上计算出错：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/walkthrough.py"/>
        <source>The list is empty: no parcel of layer “{}” fits “{}”.</source>
        <translation>列表为空：图层“{}”中没有符合“{}”的宗地。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/walkthrough.py"/>
        <source>Time</source>
        <translation>研判时间</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/walkthrough.py"/>
        <source>Town</source>
        <translation>所属镇街</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/walkthrough.py"/>
        <source>Unknown kind of list: {}</source>
        <translation>未知的列表类型：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/walkthrough.py"/>
        <source>Write the expression that picks the parcels.</source>
        <translation>请填写筛选宗地的表达式。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/walkthrough.py"/>
        <source>all</source>
        <translation>全部</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/walkthrough.py"/>
        <source>all towns</source>
        <translation>全部镇街</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/walkthrough.py"/>
        <source>class changed since last year</source>
        <translation>与上年相比类别变化</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/walkthrough.py"/>
        <source>class or path changed</source>
        <translation>分类或处置路径已调整</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/walkthrough.py"/>
        <source>cluster {}</source>
        <translation>连片 {}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/walkthrough.py"/>
        <source>{} (parcel deleted since)</source>
        <translation>{}（地块其后已删除）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/walkthrough.py"/>
        <source>{} minutes</source>
        <translation>{}会议纪要</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/walkthrough.py"/>
        <source>{} selected parcels</source>
        <translation>所选 {} 宗地</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/walkthrough.py"/>
        <source>{} · class {}</source>
        <translation>{} · {}类</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/walkthrough.py"/>
        <source>{} · year {}</source>
        <translation>{} · {} 年度</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/walkthrough.py"/>
        <source>“{}” is not one of the rule set's paths ({}).</source>
        <translation>“{}”不是处置规则中的路径（{}）。</translation>
    </message>
</context>
<context>
    <name>core.meeting.year_filter</name>
    <message>
        <location filename="../landeval_plugin/core/meeting/year_filter.py"/>
        <source>Layer “{}” cannot be read without its year filter.</source>
        <translation>图层“{}”去掉年度筛选后无法读取。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/year_filter.py"/>
        <source>Layer “{}” cannot be read.</source>
        <translation>图层“{}”无法读取。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/year_filter.py"/>
        <source>Layer “{}” has an SQL query as its filter ({}): LandEval leaves it as it is.</source>
        <translation>图层“{}”的筛选是一条 SQL 查询（{}）：LandEval 保持原样。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/year_filter.py"/>
        <source>Layer “{}” has unsaved edits: QGIS changes a layer's filter only when its edits are saved or discarded (Layer › Toggle Editing).</source>
        <translation>图层“{}”有未保存的编辑：QGIS 只有在编辑保存或放弃后才能更改图层筛选（图层 › 切换编辑）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/year_filter.py"/>
        <source>Layer “{}” is not a layer of a file or database (provider {}): LandEval does not filter it.</source>
        <translation>图层“{}”不是文件或数据库图层（数据提供者 {}）：LandEval 不为其设置筛选。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/year_filter.py"/>
        <source>QGIS refused the filter {} on layer “{}”.</source>
        <translation>QGIS 未能在图层“{1}”上设置筛选 {0}。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/meeting/year_filter.py"/>
        <source>QGIS refused to restore the filter of layer “{}”.</source>
        <translation>QGIS 未能恢复图层“{}”原来的筛选。</translation>
    </message>
</context>
<context>
    <name>core.review</name>
    <message>
        <location filename="../landeval_plugin/core/review.py"/>
        <source>A review needs a reason (研判理由).</source>
        <translation>研判必须填写研判理由。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/review.py"/>
        <source>Cannot add field {} to layer {}.</source>
        <translation>无法向图层 {1} 添加字段 {0}。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/review.py"/>
        <source>Clear review of {} parcel(s)</source>
        <translation>清除 {} 宗地块的研判</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/review.py"/>
        <source>Layer {} cannot be edited (read-only source?).</source>
        <translation>图层 {} 无法编辑（数据源只读？）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/review.py"/>
        <source>No parcels chosen for the review.</source>
        <translation>未选择要研判的地块。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/review.py"/>
        <source>Review class must be one of A, B, C, D, T (got '{}').</source>
        <translation>研判类别必须是 A、B、C、D、T 之一（当前为“{}”）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/review.py"/>
        <source>Review {} parcel(s) as {}</source>
        <translation>将 {} 宗地块研判为 {}</translation>
    </message>
</context>
<context>
    <name>core.sample.sample_district</name>
    <message>
        <location filename="../landeval_plugin/core/sample/sample_district.py"/>
        <source>Laying out blocks, roads and the river</source>
        <translation>布设街坊、道路和河流</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/sample/sample_district.py"/>
        <source>Parcel attributes and enterprises</source>
        <translation>宗地属性和企业</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/sample/sample_district.py"/>
        <source>Source layers: register, approvals, land use survey</source>
        <translation>来源图层：不动产登记、用地批文、土地利用现状</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/sample/sample_district.py"/>
        <source>The enterprise workbook is written by openpyxl's own XML writer ({}), which may hold the whole sheet in memory.</source>
        <translation>企业数据工作簿由 openpyxl 自带的 XML 写入器（{}）写出，整张工作表可能全部保留在内存中。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/sample/sample_district.py"/>
        <source>Writing the GeoPackage and the Shapefile</source>
        <translation>写入 GeoPackage 和 Shapefile</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/sample/sample_district.py"/>
        <source>Writing the enterprise workbooks</source>
        <translation>写入企业数据表</translation>
    </message>
</context>
<context>
    <name>core.store</name>
    <message>
        <location filename="../landeval_plugin/core/store/__init__.py"/>
        <source>A GeoPackage store needs a file name ending in .gpkg (got {}).</source>
        <translation>GeoPackage 存储库的文件名须以 .gpkg 结尾（当前为 {}）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/store/__init__.py"/>
        <source>No store given: a GeoPackage path or postgres://&lt;connection&gt;/&lt;schema&gt;.</source>
        <translation>未指定存储库：请给出 GeoPackage 路径或 postgres://&lt;连接名&gt;/&lt;模式&gt;。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/store/__init__.py"/>
        <source>Store '{}': write postgres://&lt;QGIS connection name&gt;/&lt;schema&gt;.</source>
        <translation>存储库“{}”：请写成 postgres://&lt;QGIS 连接名&gt;/&lt;模式&gt;。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/store/__init__.py"/>
        <source>The backup has schema version {} and the store {}: import into a new store.</source>
        <translation>备份的结构版本为 {}，目标存储库为 {}：请导入新的存储库。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/store/__init__.py"/>
        <source>{} already exists: choose a new file for the backup.</source>
        <translation>{} 已存在：请为备份另选一个新文件。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/store/__init__.py"/>
        <source>{} already holds data ({}): import a backup only into a new or empty store.</source>
        <translation>{} 已有数据（{}）：备份只能导入新的或空的存储库。</translation>
    </message>
</context>
<context>
    <name>core.store.base</name>
    <message>
        <location filename="../landeval_plugin/core/store/base.py"/>
        <source>Base map</source>
        <translation>一张图</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/store/base.py"/>
        <source>Clusters</source>
        <translation>连片</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/store/base.py"/>
        <source>Disposal register</source>
        <translation>处置台账</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/store/base.py"/>
        <source>Enterprises</source>
        <translation>企业表</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/store/base.py"/>
        <source>Graded parcels</source>
        <translation>已评价地块</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/store/base.py"/>
        <source>Review decisions</source>
        <translation>研判记录</translation>
    </message>
</context>
<context>
    <name>core.store.compare</name>
    <message>
        <location filename="../landeval_plugin/core/store/compare.py"/>
        <source>Compare an earlier year with a later one (got {} and {}).</source>
        <translation>请用较早年度与较晚年度比较（当前为 {} 和 {}）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/store/compare.py"/>
        <source>Year {} has no graded parcels in the store: grade it with STORE first.</source>
        <translation>存储库中 {} 年度没有分类评价结果：请先带 STORE 参数运行分类评价。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/store/compare.py"/>
        <source>{} holds no evaluation year {} (years: {}).</source>
        <translation>{} 中没有评估年度 {}（已有年度：{}）。</translation>
    </message>
</context>
<context>
    <name>core.store.migrations</name>
    <message>
        <location filename="../landeval_plugin/core/store/migrations.py"/>
        <source>Upgrading {} from schema version {} to {} failed ({}); the store was left as it was.</source>
        <translation>{} 从结构版本 {} 升级到 {} 失败（{}），存储库保持原样。</translation>
    </message>
</context>
<context>
    <name>core.store.postgres</name>
    <message>
        <location filename="../landeval_plugin/core/store/postgres.py"/>
        <source>Authentication configuration {} cannot be read (QGIS master password not set, or the configuration was removed).</source>
        <translation>无法读取认证配置 {}（未设置 QGIS 主密码，或该配置已被删除）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/store/postgres.py"/>
        <source>Name the PostgreSQL schema of the store.</source>
        <translation>请指定存储库所在的 PostgreSQL 模式。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/store/postgres.py"/>
        <source>PostGIS does not know {}.</source>
        <translation>PostGIS 不认识坐标参考系 {}。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/store/postgres.py"/>
        <source>PostgreSQL stores need the Python module psycopg2 (Debian: python3-psycopg2).</source>
        <translation>PostgreSQL 存储库需要 Python 模块 psycopg2（Debian：python3-psycopg2）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/store/postgres.py"/>
        <source>QGIS has no PostgreSQL connection named '{}' (Browser &gt; PostgreSQL &gt; New Connection).</source>
        <translation>QGIS 中没有名为“{}”的 PostgreSQL 连接（浏览器 › PostgreSQL › 新建连接）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/store/postgres.py"/>
        <source>Schema name '{}' cannot be used.</source>
        <translation>模式名“{}”不可用。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/store/postgres.py"/>
        <source>Schema {} already holds {} table(s) of another tool ({}); choose a new schema. Nothing was changed.</source>
        <translation>模式 {} 中已有其他工具的 {} 张表（{}），请另选新模式；未做任何修改。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/store/postgres.py"/>
        <source>Schema {} does not exist in PostgreSQL connection '{}': create the store first (landeval:createstore).</source>
        <translation>PostgreSQL 连接“{1}”中不存在模式 {0}：请先创建存储库（landeval:createstore）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/store/postgres.py"/>
        <source>The database of connection '{}' has no PostGIS extension (CREATE EXTENSION postgis, as its owner).</source>
        <translation>连接“{}”的数据库未安装 PostGIS 扩展（请由数据库所有者执行 CREATE EXTENSION postgis）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/store/postgres.py"/>
        <source>{} already holds a LandEval store: open it instead.</source>
        <translation>{} 中已有 LandEval 存储库：请直接打开。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/store/postgres.py"/>
        <source>{} is not a LandEval store (it belongs to another tool or is empty); nothing was changed.</source>
        <translation>{} 不是 LandEval 存储库（属于其他工具或为空），未做任何修改。</translation>
    </message>
</context>
<context>
    <name>core.store.register</name>
    <message>
        <location filename="../landeval_plugin/core/store/register.py"/>
        <source>Cancelled: the store was not changed.</source>
        <translation>已取消：存储库未做任何修改。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/store/register.py"/>
        <source>{} holds no evaluation year {} (years: {}).</source>
        <translation>{} 中没有评估年度 {}（已有年度：{}）。</translation>
    </message>
</context>
<context>
    <name>core.store.security</name>
    <message>
        <location filename="../landeval_plugin/core/store/security.py"/>
        <source>A role needs a name.</source>
        <translation>角色需要名称。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/store/security.py"/>
        <source>A town needs a name.</source>
        <translation>镇街需要名称。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/store/security.py"/>
        <source>Role {} does not exist: add the town or set up the shared store first.</source>
        <translation>角色 {} 不存在：请先添加镇街或设置共享存储库。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/store/security.py"/>
        <source>Roles and row-level security need a PostgreSQL store; a GeoPackage store has a single user.</source>
        <translation>角色和行级安全需要 PostgreSQL 存储库；GeoPackage 存储库只有一个用户。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/store/security.py"/>
        <source>Set up the shared store first (roles and row-level security).</source>
        <translation>请先设置共享存储库（角色和行级安全）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/store/security.py"/>
        <source>Upgrading the roles of {} to revision {} failed ({}); the store was left as it was.</source>
        <translation>{} 的角色升级到第 {} 版失败（{}）；存储库保持原样。</translation>
    </message>
</context>
<context>
    <name>core.workspace</name>
    <message>
        <location filename="../landeval_plugin/core/workspace.py"/>
        <source>Choose the output GeoPackage.</source>
        <translation>请选择输出 GeoPackage。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/workspace.py"/>
        <source>{}: the folder is not writable.</source>
        <translation>{}：该文件夹不可写入。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/workspace.py"/>
        <source>{}: the layer cannot be read.</source>
        <translation>{}：无法读取该图层。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/core/workspace.py"/>
        <source>{}: the output must be a GeoPackage (.gpkg).</source>
        <translation>{}：输出必须是 GeoPackage（.gpkg）文件。</translation>
    </message>
</context>
<context>
    <name>gui.dock</name>
    <message>
        <location filename="../landeval_plugin/gui/dock.py"/>
        <source>Base map</source>
        <translation>一张图</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/dock.py"/>
        <source>Clusters</source>
        <translation>连片</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/dock.py"/>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/dock.py"/>
        <source>Disposal</source>
        <translation>处置</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/dock.py"/>
        <source>Dossiers</source>
        <translation>一地一档</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/dock.py"/>
        <source>Grading</source>
        <translation>分类评价</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/dock.py"/>
        <source>Review</source>
        <translation>研判</translation>
    </message>
</context>
<context>
    <name>gui.overwrite</name>
    <message>
        <location filename="../landeval_plugin/gui/overwrite.py"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/overwrite.py"/>
        <source>Replace</source>
        <translation>覆盖</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/overwrite.py"/>
        <source>These files already exist:
{}

Replace them?</source>
        <translation>以下文件已存在：
{}

是否覆盖？</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/overwrite.py"/>
        <source>{} PDF files in {} (sheets of the same parcels are replaced)</source>
        <translation>{} 个 PDF 文件位于 {}（同一宗地的体检表将被替换）</translation>
    </message>
</context>
<context>
    <name>gui.pages.data</name>
    <message>
        <location filename="../landeval_plugin/gui/pages/data.py"/>
        <source>Rows used: {}; unmatched: {}; duplicates: {}; invalid credit codes: {}; parcels without enterprises: {}. Every row not used is listed in the report.</source>
        <translation>已使用 {} 行；未匹配 {}；重复 {}；无效信用代码 {}；无企业地块 {}。所有未使用的行都列在报告中。</translation>
    </message>
</context>
<context>
    <name>gui.pages.disposal</name>
    <message>
        <location filename="../landeval_plugin/gui/pages/disposal.py"/>
        <source>Development boundary</source>
        <translation>城镇开发边界</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/disposal.py"/>
        <source>Expropriation range</source>
        <translation>征收范围</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/disposal.py"/>
        <source>Industrial line</source>
        <translation>工业保障线</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/disposal.py"/>
        <source>No path proposed</source>
        <translation>不提出处置路径</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/disposal.py"/>
        <source>Reclamation range</source>
        <translation>拆旧复垦范围</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/disposal.py"/>
        <source>Update units</source>
        <translation>更新单元</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/disposal.py"/>
        <source>{} ({} parcels, {:,.1f} mu)</source>
        <translation>{}（{} 宗，{:,.1f} 亩）</translation>
    </message>
</context>
<context>
    <name>gui.pages.grading</name>
    <message>
        <location filename="../landeval_plugin/gui/pages/grading.py"/>
        <source>Grading of {} selected parcels · {} · {}</source>
        <translation>分类评价（所选 {} 宗）· {} · {}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/grading.py"/>
        <source>Grading · {} · {}</source>
        <translation>分类评价 · {} · {}</translation>
    </message>
</context>
<context>
    <name>gui.pages.review</name>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>Class changed since last year</source>
        <translation>与上年相比类别变化</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>Class or path changed</source>
        <translation>分类或路径已调整的宗地</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>Cluster members</source>
        <translation>连片内宗地</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>Expression</source>
        <translation>表达式</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>Selected parcels</source>
        <translation>所选宗地</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/pages/review.py"/>
        <source>Town and class</source>
        <translation>镇街及类别</translation>
    </message>
</context>
<context>
    <name>gui.presentation</name>
    <message>
        <location filename="../landeval_plugin/gui/presentation.py"/>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/presentation.py"/>
        <source>not graded</source>
        <translation>未评价</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/presentation.py"/>
        <source>{:,.1f} mu</source>
        <translation>{:,.1f} 亩</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/presentation.py"/>
        <source>{} km</source>
        <translation>{} 千米</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/presentation.py"/>
        <source>{} m</source>
        <translation>{} 米</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/presentation.py"/>
        <source>{} parcels</source>
        <translation>{} 宗地块</translation>
    </message>
</context>
<context>
    <name>gui.review_dialog</name>
    <message>
        <location filename="../landeval_plugin/gui/review_dialog.py"/>
        <source>none yet</source>
        <translation>尚未研判</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/gui/review_dialog.py"/>
        <source>{} — {} ({}, {})</source>
        <translation>{}——{}（{}，{}）</translation>
    </message>
</context>
<context>
    <name>processing.algorithms.store</name>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/store.py"/>
        <source>PostgreSQL connection (a QGIS connection name)</source>
        <translation>PostgreSQL 连接（QGIS 连接名）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/algorithms/store.py"/>
        <source>PostgreSQL schema of the store</source>
        <translation>存储库所在的 PostgreSQL 模式</translation>
    </message>
</context>
<context>
    <name>processing.base</name>
    <message>
        <location filename="../landeval_plugin/processing/base.py"/>
        <source>A store's backup restored into a new or empty store, every table compared (README, The LandEval store).</source>
        <translation>将存储库备份恢复到新的或空的存储库，逐表核对（README“The LandEval store”一节）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/base.py"/>
        <source>Counts, 亩 and 万元 as the layer holds them: the class is the reviewed one when there is one (coalesce(grade_final, grade)), the path likewise (coalesce(disposal_final, disposal)); 1 亩 = 10000/15 m² (docs/meeting.md).</source>
        <translation>宗数、亩和万元均按图层中的数据统计：有研判类别时取研判类别（coalesce(grade_final, grade)），处置路径同理（coalesce(disposal_final, disposal)）；1 亩 = 10000/15 平方米（docs/meeting.md）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/base.py"/>
        <source>Generated data of no real district, in the forms the other steps read: EPSG:4549 (CGCS2000 / 3-degree Gauss-Kruger CM 120E), 不动产登记 and 三调 field names, 19-character 宗地代码, 统一社会信用代码 with GB 32100-2015 check digits (docs/DEVELOPING.md, sample district contract).</source>
        <translation>生成的数据不对应任何真实区县，格式与后续各步骤读取的一致：EPSG:4549（CGCS2000 / 3 度带高斯-克吕格 中央经线 120°E），不动产登记和三调的字段名，19 位宗地代码，校验位符合 GB 32100-2015 的统一社会信用代码（docs/DEVELOPING.md 示例区县约定）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/base.py"/>
        <source>Generated data of no real district: the sample district one year later, to try a second round (复评) (README, demo step 85).</source>
        <translation>生成的数据不对应任何真实区县：示例区县的下一年度数据，用于试用复评（README，演示第 85 步）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/base.py"/>
        <source>Priority 不动产登记 &gt; 用地批文 &gt; 土地利用现状 (底数清, the first step of the evaluation); land-use classes of GB 50137-2011, the 三调 classification and the 2023 国土空间调查、规划、用途管制用地用海分类 (resources/landuse); 19-character 宗地代码 (docs/basemap.md).</source>
        <translation>来源优先级 不动产登记 &gt; 用地批文 &gt; 土地利用现状（底数清，评价的第一步）；用地分类采用 GB 50137-2011、三调工作分类和 2023 年《国土空间调查、规划、用途管制用地用海分类》（resources/landuse）；19 位宗地代码（docs/basemap.md）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/base.py"/>
        <source>The LandEval store (存储库): one schema for every evaluation year, its runs, review decisions and the disposal register (台账), resources/store/schema.yaml (README, The LandEval store).</source>
        <translation>LandEval 存储库：一套结构保存历年评价、每次运行、研判结论和处置台账，见 resources/store/schema.yaml（README“The LandEval store”一节）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/base.py"/>
        <source>The presentation map of a review meeting (研判会, 挂图作战): title, date, legend with counts and 亩, scale bar and north arrow (docs/meeting.md).</source>
        <translation>研判会（挂图作战）用的展示地图：标题、日期、带宗数和亩数的图例、比例尺和指北针（docs/meeting.md）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/base.py"/>
        <source>The published lists (A-class list, 重点服务企业名单, low-efficiency list) in the form districts attach to their documents (docs/meeting.md).</source>
        <translation>按区县发文附件的格式发布的名单（A 类名单、重点服务企业名单、低效用地名单）（docs/meeting.md）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/base.py"/>
        <source>The review meeting's decision (研判, 联合研判) beside the computed class, as the standards provide for (docs/standards.md).</source>
        <translation>研判会（研判、联合研判）的结论与计算类别并列记录，按各评价标准的规定执行（docs/standards.md）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/base.py"/>
        <source>The store's backup: every table copied and compared (rows and SHA-256); nothing is written on a difference (README, The LandEval store).</source>
        <translation>存储库备份：逐表复制并核对（行数和 SHA-256），有差异时不写入任何内容（README“The LandEval store”一节）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/base.py"/>
        <source>Tonglu's workflow (初步清单 → 属地核实 → 审核认定 → 建档入库 → 整治提升 → 评估出库) and Taicang's 专项工作台账 (README, The LandEval store).</source>
        <translation>桐庐的工作流程（初步清单 → 属地核实 → 审核认定 → 建档入库 → 整治提升 → 评估出库）和太仓的专项工作台账（README，LandEval 存储库）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/base.py"/>
        <source>一地一档: one A4 sheet per parcel for the file, the enterprise and the review meeting, with the standard's document and assumptions printed on it (docs/dossiers.md).</source>
        <translation>一地一档：每宗地一张 A4 体检表，用于归档、告知企业和研判会，表上印有评价标准的依据文件和假设（docs/dossiers.md）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/base.py"/>
        <source>一地一表: the survey form of each parcel that enterprises and towns fill in, read back by the data step (docs/data.md).</source>
        <translation>一地一表：由企业和镇街填写的逐宗地调查表，填好后由数据步骤读回（docs/data.md）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/base.py"/>
        <source>复评: two evaluation years of a store compared parcel by parcel, by code lineage (prev_codes) (README, The LandEval store).</source>
        <translation>复评：按宗地代码沿革（prev_codes）逐宗比较存储库中的两个评价年度（README“The LandEval store”一节）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/base.py"/>
        <source>统一社会信用代码 check digits of GB 32100-2015; the indicators (亩均税收, 地均产值 ...) as the standards define them (resources/schema/fields.yaml); docs/data.md.</source>
        <translation>统一社会信用代码按 GB 32100-2015 校验；指标（亩均税收、地均产值……）按各评价标准的定义计算（resources/schema/fields.yaml）；docs/data.md。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/base.py"/>
        <source>连片整治 of contiguous low-efficiency land, as in Tonglu's 2022-2024 three-year action plan (桐政办〔2022〕7号) and the renovation areas of the other presets (docs/clusters.md).</source>
        <translation>低效用地连片整治，依据桐庐县 2022-2024 年三年行动计划（桐政办〔2022〕7号）及其他预设规则中的整治区域（docs/clusters.md）。</translation>
    </message>
</context>
<context>
    <name>processing.in_database</name>
    <message>
        <location filename="../landeval_plugin/processing/in_database.py"/>
        <source>Clusters computed inside PostGIS ({}.{}).</source>
        <translation>连片已在 PostGIS 数据库内计算（{}.{}）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/in_database.py"/>
        <source>Clusters inside PostGIS are not possible here ({}): they are computed feature by feature.</source>
        <translation>此处无法在 PostGIS 数据库内计算连片（{}）：改为逐要素计算。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/in_database.py"/>
        <source>Graded inside PostGIS: {}.{}</source>
        <translation>已在 PostGIS 数据库内评价：{}.{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/in_database.py"/>
        <source>Grading inside PostGIS is not possible here ({}): the parcels are graded feature by feature.</source>
        <translation>此处无法在 PostGIS 数据库内评价（{}）：改为逐要素评价。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/in_database.py"/>
        <source>PostgreSQL stores need the Python module psycopg2 (Debian: python3-psycopg2).</source>
        <translation>PostgreSQL 存储库需要 Python 模块 psycopg2（Debian：python3-psycopg2）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/in_database.py"/>
        <source>PostgreSQL {}:{} database {}: cannot connect ({}).</source>
        <translation>PostgreSQL {}:{} 数据库 {}：无法连接（{}）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/in_database.py"/>
        <source>The output table {}.{} is the input table: choose another table. Nothing was changed.</source>
        <translation>输出表 {}.{} 就是输入表：请选择其他表。未做任何修改。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/in_database.py"/>
        <source>The parcels are a PostGIS table: with an output table in the same database (Save to PostGIS table), they are graded inside the database.</source>
        <translation>地块为 PostGIS 表：输出选择同一数据库中的表（保存到 PostGIS 表）时，评价在数据库内完成。</translation>
    </message>
</context>
<context>
    <name>processing.one_year</name>
    <message>
        <location filename="../landeval_plugin/processing/one_year.py"/>
        <source>A LandEval store layer of several years (one row per parcel and year): only the rows of YEAR are used (empty or 0: the newest year), as on a layer of that year alone; the log names the years found and the year used.</source>
        <translation>LandEval 存储库中含多个年度的图层（每宗地块每年一行）：只使用 YEAR 年度的记录（留空或 0：最新年度），与只含该年度的图层结果相同；日志列出找到的年度和所用的年度。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/one_year.py"/>
        <source>Layer {} has no field year: YEAR {} is not applied.</source>
        <translation>图层 {} 没有 year 字段：YEAR {} 未应用。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/one_year.py"/>
        <source>Layer {} holds the years {} (a store layer: one row per parcel and year): only the rows of year {} are used ({}).</source>
        <translation>图层 {} 存有 {} 年度（存储库图层：每宗地每年一行）：只使用 {} 年度的记录（{}）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/one_year.py"/>
        <source>Layer {} holds the years {} (a store layer: one row per parcel and year): only year {} is counted ({}).</source>
        <translation>图层 {} 存有 {} 年度（存储库图层：每宗地每年一行）：只统计 {} 年度（{}）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/one_year.py"/>
        <source>Year of a store layer of several years (empty: the newest)</source>
        <translation>多年度存储库图层的年度（留空：最新年度）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/one_year.py"/>
        <source>given as YEAR</source>
        <translation>由 YEAR 指定</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/one_year.py"/>
        <source>the newest; YEAR chooses another</source>
        <translation>最新年度；可用 YEAR 选择其他年度</translation>
    </message>
</context>
<context>
    <name>processing.store_sink</name>
    <message>
        <location filename="../landeval_plugin/processing/store_sink.py"/>
        <source>Also write into the LandEval store (GeoPackage path or postgres://connection/schema)</source>
        <translation>同时写入 LandEval 存储库（GeoPackage 路径或 postgres://连接名/模式）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/store_sink.py"/>
        <source>Cannot read the result {} to write it into the store.</source>
        <translation>无法读取结果 {}，不能写入存储库。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/store_sink.py"/>
        <source>Evaluation year in the store (0 = the store's latest)</source>
        <translation>存储库中的评估年度（0 = 最新年度）</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/store_sink.py"/>
        <source>Run id in the store</source>
        <translation>存储库中的评价批次编号</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/store_sink.py"/>
        <source>Store: run {} and {} graded parcels of {} written to {}.</source>
        <translation>存储库：评价批次 {} 及 {} 宗 {} 年度分类结果已写入 {}。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/store_sink.py"/>
        <source>Store: run {} of {} ({}) written to {}: {}.</source>
        <translation>存储库：运行 {}（{} 年度，{}）已写入 {}：{}。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/store_sink.py"/>
        <source>Store: {} review decision(s) of {} written to {}.</source>
        <translation>存储库：{} 条 {} 年度研判记录已写入 {}。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/store_sink.py"/>
        <source>The result {} was written, but the store was not changed: {}</source>
        <translation>结果 {} 已写出，但存储库未做修改：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/store_sink.py"/>
        <source>The reviewed layer was written, but the store was not changed: {}</source>
        <translation>研判结果图层已写出，但存储库未做修改：{}</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/store_sink.py"/>
        <source>The store has no evaluation year yet: give YEAR.</source>
        <translation>存储库中还没有评估年度：请给出 YEAR。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/store_sink.py"/>
        <source>Writing into a store needs the evaluation year (YEAR).</source>
        <translation>写入存储库需要评估年度（YEAR）。</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/store_sink.py"/>
        <source>register: {} added, {} path changed, {} kept</source>
        <translation>台账：新增 {} 条，路径变更 {} 条，保留 {} 条</translation>
    </message>
    <message>
        <location filename="../landeval_plugin/processing/store_sink.py"/>
        <source>{} has no evaluation year yet: give YEAR to write into it.</source>
        <translation>{} 尚无评估年度：写入时请给出 YEAR。</translation>
    </message>
</context>
<context>
    <name>tasks.dossier_job</name>
    <message>
        <location filename="../landeval_plugin/tasks/dossier_job.py"/>
        <source>Cannot copy layer {} for printing: {}</source>
        <translation>无法复制图层 {} 用于打印：{}</translation>
    </message>
</context>
</TS>
