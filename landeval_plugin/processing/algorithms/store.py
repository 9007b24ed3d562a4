"""landeval:createstore, landeval:storeexport, landeval:storeimport: the LandEval store (issue 16)."""
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsProcessingException,
    QgsProcessingOutputString,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterCrs,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterString,
)

from ...core import limits
from ...core import store as stores
from ..base import LandEvalAlgorithm


def _connection_parameters():
    """CONNECTION and SCHEMA parameters (QGIS 3.14+ has the database-aware ones)."""
    from qgis.core import QgsProcessingParameterDatabaseSchema, QgsProcessingParameterProviderConnection

    from ...i18n import tr

    conn = QgsProcessingParameterProviderConnection(
        "CONNECTION", tr("PostgreSQL connection (a QGIS connection name)"), "postgres", optional=True)
    schema = QgsProcessingParameterDatabaseSchema("SCHEMA", tr("PostgreSQL schema of the store"),
                                                  connectionParameterName="CONNECTION", optional=True)
    return conn, schema


class StoreAlgorithm(LandEvalAlgorithm):
    def group(self):
        return self.tr("LandEval store")

    def groupId(self):
        return "landevalstore"

    def reference(self, parameters, context, file_name, allow_empty=False):
        """The store reference of FILE or CONNECTION + SCHEMA parameters."""
        path = self.parameterAsString(parameters, file_name, context) if file_name in parameters else ""
        conn = self.parameterAsString(parameters, "CONNECTION", context) if parameters.get("CONNECTION") else ""
        schema = self.parameterAsString(parameters, "SCHEMA", context) if parameters.get("SCHEMA") else ""
        if conn or schema:
            if path:
                self.fail(self.tr("Give either a GeoPackage file or a PostgreSQL connection and schema, not both."))
            if not conn or not schema:
                self.fail(self.tr("A PostgreSQL store needs both CONNECTION and SCHEMA."))
            return stores.pg_reference(conn, schema)
        if path:
            return path
        if allow_empty:
            return ""
        self.fail(self.tr("Name the store: a GeoPackage file, or a PostgreSQL connection and schema."))

    reported_errors = (stores.StoreError, QgsProcessingException)


class CreateStoreAlgorithm(StoreAlgorithm):
    NAME = "createstore"

    def displayName(self):
        return self.tr("Create a LandEval store")

    def shortHelpString(self):
        return self.tr(
            "Creates an empty LandEval store: a GeoPackage file (FILE, one user, no server) or a schema of a "
            "PostgreSQL/PostGIS database (CONNECTION: the name of a QGIS PostgreSQL connection, best with an "
            "authentication configuration; SCHEMA: a new or empty schema). The store keeps per evaluation year "
            "the base map, enterprise data, evaluation runs, review decisions, clusters and the disposal register. "
            "SHARED (PostgreSQL only) also creates the bureau and reviewer roles and row-level security; towns "
            "and users are added as the README says.")

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterFileDestination(
            "FILE", self.tr("GeoPackage store file"), self.tr("GeoPackage (*.gpkg)"), optional=True,
            createByDefault=False))
        for p in _connection_parameters():
            self.addParameter(p)
        self.addParameter(QgsProcessingParameterCrs("CRS", self.tr("Coordinate reference system of the store"),
                                                    defaultValue="EPSG:4549", optional=True))
        self.addParameter(QgsProcessingParameterBoolean("SHARED", self.tr(
            "Set up roles and row-level security (PostgreSQL)"), defaultValue=False, optional=True))
        self.addParameter(QgsProcessingParameterString("BUREAU_ROLE", self.tr("Bureau role (reads everything)"),
                                                       defaultValue="landeval_bureau", optional=True))
        self.addParameter(QgsProcessingParameterString("REVIEWER_ROLE", self.tr("Reviewer role (records reviews)"),
                                                       defaultValue="landeval_reviewer", optional=True))
        self.addOutput(QgsProcessingOutputString("STORE", self.tr("Store reference")))

    def _process(self, parameters, context, feedback):
        ref = self.reference(parameters, context, "FILE")
        crs = self.parameterAsCrs(parameters, "CRS", context) if parameters.get("CRS") else None
        if crs is None or not crs.isValid():
            crs = QgsCoordinateReferenceSystem("EPSG:4549")
        store = stores.create_store(ref, crs.authid())
        try:
            if self.parameterAsBool(parameters, "SHARED", context):
                from ...core.store import security

                security.setup_shared(store, self.parameterAsString(parameters, "BUREAU_ROLE", context)
                                      or "landeval_bureau",
                                      self.parameterAsString(parameters, "REVIEWER_ROLE", context)
                                      or "landeval_reviewer")
                feedback.pushInfo(self.tr("Roles and row-level security set up."))
            feedback.pushInfo(self.tr("Created {} (schema version {}, {}).").format(store.describe(), store.version,
                                                                                    store.crs_authid))
        finally:
            store.close()
        return {"STORE": ref}


class StoreExportAlgorithm(StoreAlgorithm):
    NAME = "storeexport"

    def displayName(self):
        return self.tr("Back up a LandEval store to a GeoPackage")

    def shortHelpString(self):
        return self.tr(
            "Copies the whole store (every year and table) into a new GeoPackage store and checks that every "
            "table arrived with the same rows. STORE: a GeoPackage path or postgres://<connection>/<schema>; or "
            "give CONNECTION and SCHEMA.")

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterString("STORE", self.tr("Store (GeoPackage path or "
                                                                       "postgres://connection/schema)"),
                                                       optional=True))
        for p in _connection_parameters():
            self.addParameter(p)
        self.addParameter(QgsProcessingParameterFileDestination("OUTPUT", self.tr("Backup GeoPackage"),
                                                                self.tr("GeoPackage (*.gpkg)")))
        self.addOutput(QgsProcessingOutputString("CHECK", self.tr("Rows per table (JSON)")))

    def _process(self, parameters, context, feedback):
        ref = self.reference(parameters, context, "STORE")
        out = self.parameterAsFileOutput(parameters, "OUTPUT", context)
        digest = stores.export_store(ref, out, feedback)
        counts = {t: n for t, (n, _) in digest.items()}
        feedback.pushInfo(self.tr("Backup checked: {}").format(", ".join("{} {}".format(t, n)
                                                                           for t, n in counts.items())))
        return {"OUTPUT": out, "CHECK": limits.json_dumps(counts)}


class StoreImportAlgorithm(StoreAlgorithm):
    NAME = "storeimport"

    def displayName(self):
        return self.tr("Restore a LandEval store from a GeoPackage backup")

    def shortHelpString(self):
        return self.tr(
            "Copies a backup made by 'Back up a LandEval store' into a new or empty store (created when it does "
            "not exist) in one transaction, and checks that every table arrived with the same rows; on any "
            "difference nothing is written.")

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterFile("INPUT", self.tr("Backup GeoPackage"), extension="gpkg"))
        self.addParameter(QgsProcessingParameterString("STORE", self.tr("Target store (GeoPackage path or "
                                                                       "postgres://connection/schema)"),
                                                       optional=True))
        for p in _connection_parameters():
            self.addParameter(p)
        self.addOutput(QgsProcessingOutputString("CHECK", self.tr("Rows per table (JSON)")))
        self.addOutput(QgsProcessingOutputString("STORE", self.tr("Store reference")))

    def _process(self, parameters, context, feedback):
        src = self.parameterAsFile(parameters, "INPUT", context)
        ref = self.reference(parameters, context, "STORE")
        digest = stores.import_store(src, ref, feedback)
        counts = {t: n for t, (n, _) in digest.items()}
        feedback.pushInfo(self.tr("Restore checked: {}").format(", ".join("{} {}".format(t, n)
                                                                            for t, n in counts.items())))
        return {"CHECK": limits.json_dumps(counts), "STORE": ref}


class CompareRoundsAlgorithm(StoreAlgorithm):
    NAME = "comparerounds"

    def displayName(self):
        return self.tr("Compare two evaluation years (复评)")

    def shortHelpString(self):
        return self.tr(
            "Compares the graded parcels of two evaluation years of a LandEval store and writes per parcel what "
            "changed: new, removed, split or merged (by code lineage: a later parcel lists the codes it came from "
            "in a prev_codes field), class up or down (final class, reviews included), entered or left (出库) the "
            "low-efficiency list, stayed on it, or stayed after improvement (its register row of the earlier year "
            "was 已完成), with the reasons and 亩均税收 of both years. SUMMARY counts the changes and the later "
            "year's classes by town.")

    def initAlgorithm(self, config=None):
        from qgis.core import QgsProcessingParameterFeatureSink, QgsProcessingParameterNumber

        self.addParameter(QgsProcessingParameterString("STORE", self.tr("Store (GeoPackage path or "
                                                                       "postgres://connection/schema)")))
        self.addParameter(QgsProcessingParameterNumber("YEAR_A", self.tr("Earlier evaluation year"),
                                                       QgsProcessingParameterNumber.Integer, minValue=1900,
                                                       maxValue=2100, defaultValue=2024))
        self.addParameter(QgsProcessingParameterNumber("YEAR_B", self.tr("Later evaluation year"),
                                                       QgsProcessingParameterNumber.Integer, minValue=1900,
                                                       maxValue=2100, defaultValue=2025))
        self.addParameter(QgsProcessingParameterFeatureSink("OUTPUT", self.tr("Changes per parcel")))
        self.addOutput(QgsProcessingOutputString("SUMMARY", self.tr("Changes and classes by town (JSON)")))

    def _process(self, parameters, context, feedback):
        from qgis.core import QgsFeature, QgsField, QgsFields, QgsVectorLayer, QgsWkbTypes
        from qgis.PyQt.QtCore import QVariant

        from ...core.store import compare

        ref = self.parameterAsString(parameters, "STORE", context)
        year_a = self.parameterAsInt(parameters, "YEAR_A", context)
        year_b = self.parameterAsInt(parameters, "YEAR_B", context)
        store = stores.open_store(ref)
        try:
            rows, summary = compare.compare(store, year_a, year_b)
            geoms = {}
            for year in (year_a, year_b):
                uri, provider = store.layer_source("graded", year)
                layer = QgsVectorLayer(uri, "graded", provider)
                if not layer.isValid():
                    self.fail(self.tr("Cannot read the graded parcels of {} in the store.").format(year))
                for f in layer.getFeatures():
                    geoms[f["parcel_code"]] = f.geometry()
                crs = layer.crs()
                del layer
        finally:
            store.close()
        fields = QgsFields()
        for name in compare.FIELDS:
            ftype = QVariant.Type.Int if name.startswith("on_list") else QVariant.Type.Double if \
                name.startswith("tax_per_mu") else QVariant.Type.String
            fields.append(QgsField(name, ftype))
        sink = self.open_sink(parameters, "OUTPUT", context, fields, QgsWkbTypes.MultiPolygon, crs)
        try:
            for r in rows:
                f = QgsFeature(fields)
                g = geoms.get(r["parcel_code"])
                if g is not None:
                    f.setGeometry(g)
                f.setAttributes([r[n] for n in compare.FIELDS])
                sink.add(f)
            dest = sink.close()
        finally:
            sink.discard()
        feedback.pushInfo(self.tr("{} parcels compared: {}").format(len(rows), compare.summary_json(summary)))
        return {"OUTPUT": dest, "SUMMARY": compare.summary_json(summary)}


class RegisterExportAlgorithm(StoreAlgorithm):
    NAME = "registerexport"

    def displayName(self):
        return self.tr("Export the low-efficiency list and disposal register (台账) to Excel")

    def shortHelpString(self):
        return self.tr(
            "Writes one formatted workbook from a LandEval store for an evaluation year: the low-efficiency list "
            "(parcels with a low-efficiency tag or final class D, with their path and register status), the "
            "disposal register (台账: path, status following the workflow 初步清单/已核实/已认定/已入库/整治中/已完成/"
            "已出库, responsible unit, deadline, dates, notes, attachments) and a count per status. Each sheet has "
            "a title, the units, a frozen header and a totals row; text stays text (a name starting with '=' is "
            "never a formula).")

    def initAlgorithm(self, config=None):
        from qgis.core import QgsProcessingOutputNumber, QgsProcessingParameterNumber

        self.addParameter(QgsProcessingParameterString("STORE", self.tr("Store (GeoPackage path or "
                                                                       "postgres://connection/schema)")))
        self.addParameter(QgsProcessingParameterNumber("YEAR", self.tr("Evaluation year (0 = the store's latest)"),
                                                       QgsProcessingParameterNumber.Integer, defaultValue=0,
                                                       minValue=0, maxValue=2100))
        self.addParameter(QgsProcessingParameterFileDestination("OUTPUT", self.tr("Register workbook (台账)"),
                                                                self.tr("Excel workbooks (*.xlsx)")))
        self.add_overwrite_parameter()
        self.addOutput(QgsProcessingOutputNumber("LIST", self.tr("Parcels on the low-efficiency list")))
        self.addOutput(QgsProcessingOutputNumber("REGISTER", self.tr("Register rows")))
        self.addOutput(QgsProcessingOutputString("STATUS", self.tr("Register rows per status (JSON)")))

    def _process(self, parameters, context, feedback):
        from ...core import files
        from ...core.store import register

        ref = self.parameterAsString(parameters, "STORE", context)
        out = self.parameterAsFileOutput(parameters, "OUTPUT", context)
        self.guard_outputs(parameters, context, [], paths=[out], existing=[out])
        store = stores.open_store(ref)
        try:
            years = store.years()
            year = self.parameterAsInt(parameters, "YEAR", context) or (years[-1] if years else 0)
            if not year:
                self.fail(self.tr("{} has no evaluation year yet.").format(store.describe()))
            try:
                counts = register.write_workbook(out, store, year)
            except files.OutputError as exc:
                self.fail(str(exc))
        finally:
            store.close()
        feedback.pushInfo(self.tr("Register of {} written to {}: {} parcels on the low-efficiency list, {} register "
                                  "rows.").format(year, out, counts["list"], counts["register"]))
        return {"OUTPUT": out, "LIST": counts["list"], "REGISTER": counts["register"],
                "STATUS": limits.json_dumps(counts["status"])}
