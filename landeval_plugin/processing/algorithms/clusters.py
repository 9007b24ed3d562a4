"""landeval:clusters — 连片整治: contiguous groups of low-efficiency parcels (core/clusters/cluster.py)."""
from qgis.core import (
    QgsFeature,
    QgsFeatureRequest,
    QgsField,
    QgsFields,
    QgsProcessing,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterExpression,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterNumber,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from ...core.clusters import cluster
from .. import in_database, one_year, store_sink
from ..base import LandEvalAlgorithm
from ..postprocess import style_on_load

CLUSTER_FIELDS = (
    ("cluster_id", QVariant.Type.String), ("parcel_count", QVariant.Type.Int), ("area_mu", QVariant.Type.Double),
    ("grade_counts", QVariant.Type.String), ("towns", QVariant.Type.String), ("tax_10k", QVariant.Type.Double),
    ("tax_per_mu", QVariant.Type.Double), ("parcel_codes", QVariant.Type.String), ("gap_m", QVariant.Type.Double),
    ("filter", QVariant.Type.String), ("corners", QVariant.Type.Bool), ("min_area_mu", QVariant.Type.Double),
    ("min_parcels", QVariant.Type.Int),
)


def cluster_fields():
    fields = QgsFields()
    for name, kind in CLUSTER_FIELDS:
        fields.append(QgsField(name, kind))
    return fields


def parcel_fields(source_fields):
    """The input's fields plus cluster_id (kept in place when the input already has one)."""
    fields = QgsFields(source_fields)
    if fields.lookupField("cluster_id") < 0:
        fields.append(QgsField("cluster_id", QVariant.Type.String))
    return fields


class ClustersAlgorithm(LandEvalAlgorithm):
    NAME = "clusters"
    INPUT, FILTER, GAP_M, CORNERS = "INPUT", "FILTER", "GAP_M", "CORNERS"
    MIN_AREA_MU, MIN_PARCELS, OUTPUT, OUTPUT_PARCELS = "MIN_AREA_MU", "MIN_PARCELS", "OUTPUT", "OUTPUT_PARCELS"
    IN_DATABASE = "IN_DATABASE"

    def displayName(self):
        return self.tr("Contiguous low-efficiency areas (连片整治)")

    def group(self):
        return self.tr("LandEval industrial land")

    def shortHelpString(self):
        return self.tr(
            "Finds contiguous groups of the parcels chosen by the filter (by default C and D parcels and "
            "parcels tagged low-efficiency) and draws each group as one area.\n\n"
            "Gap 0: parcels are neighbours when they share a stretch of boundary or overlap (a tolerance of "
            "1 cm absorbs the floating-point noise of real cadastre edges). Gap g > 0: parcels not more than "
            "g metres apart are neighbours, which bridges roads and rivers (20–50 m is common). Corners: also "
            "link parcels that touch at a single point. A group is every parcel reachable through neighbours; "
            "groups below the minimum area (亩) or parcel count are not kept.\n\n"
            "The filter is written in LandEval's rule language (as standards and disposal rule sets: "
            "docs/standards.md) and sees \"grade\" as the reviewed grade (grade_final) when there is one. Cluster ids "
            "LP-001 … follow the area, largest first. Area in 亩 is the sum of the member parcels (area_mu, "
            "else measured), not the outline. Distances are metres whatever the layer CRS.") \
            + "\n\n" + one_year.rows_help()

    def initAlgorithm(self, config=None):
        # fixed defaults (the documented ones): a scripted run must not depend on earlier runs;
        # the 连片 page remembers its own choices
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.INPUT, self.tr("Graded parcels"), [QgsProcessing.TypeVectorPolygon]))
        self.addParameter(QgsProcessingParameterExpression(
            self.FILTER, self.tr("Parcels to group (expression)"),
            defaultValue=cluster.DEFAULT_FILTER,
            parentLayerParameterName=self.INPUT, optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            self.GAP_M, self.tr("Gap bridged (metres, 0 = shared boundary)"), QgsProcessingParameterNumber.Double,
            defaultValue=0.0))
        self.addParameter(QgsProcessingParameterBoolean(
            self.CORNERS, self.tr("Parcels touching at a corner are neighbours"), defaultValue=False))
        self.addParameter(QgsProcessingParameterNumber(
            self.MIN_AREA_MU, self.tr("Minimum cluster area (亩)"), QgsProcessingParameterNumber.Double,
            defaultValue=0.0, minValue=0.0))
        self.addParameter(QgsProcessingParameterNumber(
            self.MIN_PARCELS, self.tr("Minimum parcels per cluster"), QgsProcessingParameterNumber.Integer,
            defaultValue=2, minValue=1))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, self.tr("Clusters (连片区域)"), QgsProcessing.TypeVectorPolygon))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT_PARCELS, self.tr("Parcels with cluster id"), QgsProcessing.TypeVectorPolygon, optional=True))
        store_sink.add_parameters(self)  # the clusters of YEAR into a LandEval store
        in_db = QgsProcessingParameterBoolean(
            self.IN_DATABASE, self.tr("Find the neighbours inside PostGIS when the parcels are a PostGIS table"),
            defaultValue=True, optional=True)
        in_db.setFlags(in_db.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
        self.addParameter(in_db)

    def checkParameterValues(self, parameters, context):
        # a negative gap gets its own message (a minValue on GAP_M would only say "Incorrect parameter value")
        if parameters.get(self.GAP_M) is not None:
            gap = self.parameterAsDouble(parameters, self.GAP_M, context)
            if gap < 0:
                return False, self.tr("The gap must be 0 or more metres (got {}).").format("{:g}".format(gap))
        text = self._filter_text(parameters, context)
        if text and text.strip():
            from ...core.grading.condition import Condition, ConditionError

            try:
                Condition(text)
            except ConditionError as exc:
                return False, self.tr("The filter expression “{}” cannot be read: {}").format(text, exc)
        return super().checkParameterValues(parameters, context)

    def _filter_text(self, parameters, context):
        """The FILTER as given: parameterAsExpression() answers an unparsable expression with the
        default filter, which would cluster other parcels than the user asked for."""
        raw = parameters.get(self.FILTER)
        if raw is None or raw == "" or hasattr(raw, "propertyType"):  # absent, empty, or a QgsProperty
            return self.parameterAsExpression(parameters, self.FILTER, context)
        return str(raw)

    def _process(self, parameters, context, feedback):
        source = self.parameterAsSource(parameters, self.INPUT, context)
        if source is None:
            self.fail(self.tr("The parcel layer (INPUT) cannot be read."))
        self.guard_outputs(parameters, context, [self.INPUT], layers=[self.OUTPUT, self.OUTPUT_PARCELS])
        gap = parameters.get(self.GAP_M)
        gap = self.parameterAsDouble(parameters, self.GAP_M, context) if gap is not None else 0.0
        if gap < 0:
            self.fail(self.tr("The gap must be 0 or more metres (got {}).").format(gap))
        filter_text = self._filter_text(parameters, context)
        corners = self.parameterAsBool(parameters, self.CORNERS, context)
        min_area = self.parameterAsDouble(parameters, self.MIN_AREA_MU, context)
        min_parcels = self.parameterAsInt(parameters, self.MIN_PARCELS, context)
        # a store layer of several years: the neighbours within one year (YEAR, else the newest)
        source, rows_year = one_year.year_rows(self, source, parameters, context, feedback)
        store_ref, store_year = store_sink.prepare(self, parameters, context, rows_year)
        try:
            result = None
            if parameters.get(self.IN_DATABASE) is None or self.parameterAsBool(parameters, self.IN_DATABASE, context):
                layer = self.parameterAsVectorLayer(parameters, self.INPUT, context) if rows_year is None else None
                if layer is not None and in_database.postgis_table(layer) is not None:
                    cluster.check_layer(source, filter_text, source.sourceName())  # the same messages
                    result = in_database.clusters(layer, filter_text, gap, corners, min_area, min_parcels, feedback)
            if result is None:
                result = cluster.find_clusters(source, filter_text, gap, corners, min_area, min_parcels,
                                               context=context, feedback=feedback, layer_name=source.sourceName())
        except cluster.ClusterError as exc:
            self.fail(str(exc))
        except RuntimeError as exc:
            self.fail(str(exc))
        if result is None or feedback.isCanceled():
            return {}
        self._report(result, feedback)

        # outputs are only created once everything is computed: a cancelled run writes nothing;
        # both are checked and moved into place together at the end
        staged = []
        try:
            results = self._write(parameters, context, feedback, source, result, gap, staged,
                                  whole_input=rows_year is None)
            if results is None or feedback.isCanceled():
                return {}
            for _, out in staged:
                out.finish()
            for key, out in staged:
                results[key] = out.publish()
        finally:
            for _, out in staged:
                out.discard()
        style_on_load(context, results[self.OUTPUT], "clusters.qml",
                      self.tr("Clusters (gap {} m)").format("{:g}".format(gap)))
        if store_ref:  # the year's clusters, in one transaction
            results["RUN_ID"] = store_sink.write_step(
                store_ref, store_year, "clusters", [("clusters", results[self.OUTPUT])], context, feedback,
                parameters=dict(result.params), counts={"clusters": results["CLUSTER_COUNT"],
                                                        "area_mu": round(results["CLUSTER_AREA_MU"], 2),
                                                        "parcels": results["CLUSTERED_COUNT"]},
                output=results[self.OUTPUT])
        return results

    def _write(self, parameters, context, feedback, source, result, gap, staged, whole_input=True):
        out_fields = cluster_fields()
        sink = self.open_sink(parameters, self.OUTPUT, context, out_fields, QgsWkbTypes.MultiPolygon,
                              source.sourceCrs())
        staged.append((self.OUTPUT, sink))
        p = result.params
        for c in result.clusters:
            f = QgsFeature(out_fields)
            geom = c.geometry
            if geom is not None and not geom.isMultipart():
                geom.convertToMultiType()
            f.setGeometry(geom)
            d = c.as_dict()
            f.setAttributes([d["cluster_id"], d["parcel_count"], d["area_mu"], d["grade_counts"], d["towns"] or None,
                             d["tax_10k"], d["tax_per_mu"], d["parcel_codes"], p["gap_m"], p["filter"],
                             p["corners"], p["min_area_mu"], p["min_parcels"]])
            sink.add(f)
        results = {self.OUTPUT: None, "CLUSTER_COUNT": len(result.clusters), "CLUSTER_AREA_MU": result.total_mu,
                   "MEMBER_COUNT": result.report["members"],  # parcels the filter chose
                   "CLUSTERED_COUNT": sum(len(c.fids) for c in result.clusters)}  # in the kept clusters

        if parameters.get(self.OUTPUT_PARCELS) is not None:
            fields = parcel_fields(source.fields())
            psink = self.open_sink(parameters, self.OUTPUT_PARCELS, context, fields, source.wkbType(),
                                   source.sourceCrs(), optional=True)
            if psink is not None:
                staged.append((self.OUTPUT_PARCELS, psink))
                # (not for one year of a store layer: the copy would take every year's rows)
                copy = _gpkg_copy_source(self, parameters, context, fields) \
                    if psink.kind == "gpkg" and whole_input else None
                if copy is not None:  # the same rows, copied by GDAL; the cluster ids set by fid
                    path, table, rows, replace = copy
                    feedback.setProgress(95.0)
                    psink.copy_gpkg_layer(path, table, rows, _cluster_id_setter(result.assignment, replace))
                    return results
                idx = fields.lookupField("cluster_id")
                extra = fields.count() - source.fields().count()
                total = max(source.featureCount(), 1)
                batch = []
                for n, f in enumerate(source.getFeatures(QgsFeatureRequest())):
                    if n % 5000 == 0:
                        if feedback.isCanceled():
                            return None
                        feedback.setProgress(95.0 + 5.0 * n / total)
                    if extra:
                        f.padAttributes(extra)
                    f.setAttribute(idx, result.assignment.get(f.id()))
                    batch.append(f)
                    if len(batch) >= 2000:
                        psink.add_many(batch)
                        batch = []
                if batch:
                    psink.add_many(batch)
        return results

    def _report(self, result, feedback):
        rep, dropped = result.report, result.dropped
        feedback.pushInfo(self.tr("{} parcels read, {} chosen by the filter, {} groups of neighbours.").format(
            rep["read"], rep["members"], rep.get("groups", 0)))
        feedback.pushInfo(self.tr("{} clusters kept, {:,.1f} 亩 in all; not kept: {} single parcels, {} groups "
                                  "with too few parcels (including singles), {} groups below the minimum area.").format(
            len(result.clusters), result.total_mu, dropped["singles"], dropped["too_few_parcels"],
            dropped["too_small"]))
        quick = rep.get("shortcuts")
        if quick is not None and quick.used:
            text = self.tr("Neighbours at gap 0: {:,} pairs linked by a shared edge of convex parcels and {:,} corner "
                           "touches found apart without GEOS; {:,} pairs tested by GEOS.")
            feedback.pushInfo(text.format(quick.edge_pairs, quick.corner_pairs, quick.geos_pairs))
        elif quick is not None and quick.fallback:
            from ...core.clusters import fast as cluster_fast  # not at start-up: only a run needs it

            feedback.pushInfo(self.tr("The quick neighbour search was not used (the parcels' boxes would fill more "
                                      "than {:,} grid cells): every candidate pair was tested by GEOS.").format(
                cluster_fast.MAX_GRID_CELLS))
        if rep["no_geometry"]:
            feedback.reportError(self.tr("{} parcels without a usable geometry were left out "
                                         "(feature ids: {}).").format(
                len(rep["no_geometry"]), ", ".join(str(x) for x in rep["no_geometry"][:50])))
        if rep.get("refused"):
            for fid, code, reason in rep["refused"]:
                feedback.reportError(self.tr("Parcel {} (feature {}) was left out of the clusters: {}.").format(
                    code or "-", fid, reason))
        if rep["repaired"]:
            feedback.pushWarning(self.tr("{} invalid parcel geometries were repaired for the computation "
                                         "(feature ids: {}).").format(
                len(rep["repaired"]), ", ".join(str(x) for x in rep["repaired"][:50])))
        if rep["filter_errors"]:
            feedback.reportError(self.tr("The filter could not be evaluated on {} parcels; they were left out.").format(
                rep["filter_errors"]))


# source field types the GDAL copy writes exactly as the feature-by-feature copy does
_COPY_TYPES = (QVariant.Type.String, QVariant.Type.Int, QVariant.Type.LongLong, QVariant.Type.Double,
               QVariant.Type.Bool)
# GeoPackage blobs as GDAL writes them (little-endian, 2D envelope) of a 2D (multi)polygon
_COPY_GEOMETRY = {"MULTIPOLYGON": "X'0106000000'", "POLYGON": "X'0103000000'"}


def _gpkg_copy_source(alg, parameters, context, fields):
    """(path, table, row count, whether the source has its own cluster_id) when the parcels
    output may be copied by GDAL from the GeoPackage layer behind INPUT row for row, giving what
    the feature-by-feature copy gives: a whole, unfiltered, unedited GeoPackage layer of 2D
    (multi)polygons in GDAL's own encoding, with plain text/number/yes-no fields, read without
    skipping invalid geometries. Else None (the feature-by-feature copy)."""
    import sqlite3

    from qgis.core import QgsFeatureRequest, QgsProcessingFeatureSourceDefinition, QgsProviderRegistry

    from ...core import files

    if isinstance(parameters.get(alg.INPUT), QgsProcessingFeatureSourceDefinition):
        return None  # a selection, a limit, a filter or a geometry check of its own
    if context.invalidGeometryCheck() != QgsFeatureRequest.GeometryNoCheck:
        return None  # the features read skip or stop at invalid geometries: the copy would not
    layer = alg.parameterAsVectorLayer(parameters, alg.INPUT, context)
    if layer is None or layer.providerType() != "ogr" or layer.subsetString() or layer.isModified():
        return None
    source_fields = layer.fields()
    if any(f.type() not in _COPY_TYPES for f in source_fields):
        return None
    if source_fields.lookupField("cluster_id") >= 0 and \
            source_fields.field(source_fields.lookupField("cluster_id")).type() != QVariant.Type.String:
        return None
    parts = QgsProviderRegistry.instance().decodeUri("ogr", layer.source())
    path = parts.get("path") or ""
    if not path.lower().endswith(".gpkg") or parts.get("subset") or parts.get("layerId") not in (None, ""):
        return None
    table = parts.get("layerName") or None
    if table is None:
        names = files.gpkg_layer_names(path)
        if len(names) != 1:
            return None
        table = names[0]
    try:
        con = sqlite3.connect("file:{}?mode=ro".format(path), uri=True)
        try:
            row = con.execute("SELECT column_name, geometry_type_name, z, m FROM gpkg_geometry_columns "
                              "WHERE table_name = ?", (table,)).fetchone()
            if row is None or row[1].upper() not in _COPY_GEOMETRY or row[2] or row[3]:
                return None
            q = '"{}"'.format(table.replace('"', '""'))
            g = '"{}"'.format(row[0].replace('"', '""'))
            other = con.execute("SELECT count(*) FROM {0} WHERE {1} IS NOT NULL AND NOT (substr({1}, 1, 4) = "
                                "X'47500003' AND substr({1}, 41, 5) = {2})".format(
                                    q, g, _COPY_GEOMETRY[row[1].upper()])).fetchone()[0]
            if other:
                return None
            # the fids are kept: only where the key column is the one QGIS gives the output ("fid");
            # another key (ogc_fid) is a plain field of the output, which the copy would leave empty
            pk = [r[1] for r in con.execute("PRAGMA table_info({})".format(q)) if r[5] == 1]
            if pk != ["fid"]:
                return None
            rows = con.execute("SELECT count(*) FROM {}".format(q)).fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return None
    if rows != layer.featureCount():
        return None
    return path, table, rows, source_fields.lookupField("cluster_id") >= 0


def _cluster_id_setter(assignment, replace):
    """then(con, table) for StagedSink.copy_gpkg_layer: every parcel's cluster id (NULL outside
    the kept clusters, also where the source had one of its own) set by fid."""
    def then(con, table):
        q = '"{}"'.format(table.replace('"', '""'))
        pk = [r[1] for r in con.execute("PRAGMA table_info({})".format(q)) if r[5] == 1]
        if len(pk) != 1:
            raise OSError(0, "no single key column in {}".format(table))
        if replace:
            con.execute("UPDATE {} SET cluster_id = NULL".format(q))
        con.executemany("UPDATE {} SET cluster_id = ? WHERE \"{}\" = ?".format(q, pk[0].replace('"', '""')),
                        ((cid, fid) for fid, cid in sorted(assignment.items())))
    return then
