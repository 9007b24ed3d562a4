"""landeval:joinenterprises — enterprise workbook -> parcel values, indicators, enterprises table, report."""
import os

from qgis.core import (
    QgsFeature,
    QgsFeatureRequest,
    QgsField,
    QgsFields,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingFeatureSource,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QDate, QVariant

from ...core import files, indicators, limits, schema
from ...core.units import AreaMeter
from ...i18n import tr_noop
from .. import store_sink
from ..base import LandEvalAlgorithm

# the data step copies geometries and measures areas: an invalid polygon (the base map
# step reports those) must not stop the join
SKIP_VALIDITY = QgsProcessingFeatureSource.FlagSkipGeometryValidityChecks
_TYPES = {"double": QVariant.Type.Double, "int": QVariant.Type.Int, "string": QVariant.Type.String,
          "bool": QVariant.Type.Bool}


def make_field(name, kind=None):
    base, _ = schema.split_year_suffix(name)
    spec = schema.fields().get(base, {})
    kind = kind or spec.get("type", "double")
    field = QgsField(name, _TYPES.get(kind, QVariant.Type.String))
    field.setAlias(schema.alias(name))
    return field


def detect_parcel_field(field_names):
    found = schema.detect_mapping(field_names, wanted=["parcel_code"])
    return found.get("parcel_code")


class _Stage:
    """Feedback proxy mapping a step's 0–100 progress into [start, end] of the whole run."""

    def __init__(self, feedback, start, end):
        self.feedback, self.start, self.end = feedback, start, end

    def setProgress(self, value):
        self.feedback.setProgress(self.start + (self.end - self.start) * value / 100.0)

    def isCanceled(self):
        return self.feedback.isCanceled()


class JoinEnterprises(LandEvalAlgorithm):
    NAME = "joinenterprises"
    INPUT, PARCEL_FIELD, TABLE, SHEET, YEAR, LINK, MAPPING = (
        "INPUT", "PARCEL_FIELD", "TABLE", "SHEET", "YEAR", "LINK", "MAPPING")
    OUTPUT, OUTPUT_ENTERPRISES, REPORT = "OUTPUT", "OUTPUT_ENTERPRISES", "REPORT"

    def displayName(self):
        return self.tr("Join enterprise data to parcels")

    def group(self):
        return self.tr("LandEval industrial land")

    def shortHelpString(self):
        return self.tr(
            "Reads an enterprise workbook (.xlsx or .csv, UTF-8 or GBK) from the statistics, tax or environment "
            "bureau, finds the header below title rows (two-row headers and merged cells included), converts units "
            "written in the headers (元/万元/亿元, 吨标准煤/千克标准煤 ...) to the standard units, cleans numbers "
            "(thousands separators, full-width digits, units typed in cells; '—', '/', '无' stay missing, never zero) "
            "and joins the rows to parcels by 宗地代码, or by 统一社会信用代码 through the link table. An enterprise "
            "on several parcels is split by the link table's share (or by parcel area); enterprises on one parcel "
            "are summed. Output: the parcels with the year's values, the two previous years (_y1, _y2) and the "
            "indicators (亩均税收, 地均产值 ...); the enterprises table; and a report workbook listing every "
            "unmatched enterprise, parcel without enterprise, duplicate row, invalid credit code (GB 32100-2015) "
            "and cleaning change.\n\nMAPPING fixes column recognition: 'tax_10k=纳税额|元; credit_code=D' "
            "(field=header text or column letter, optional |unit); the data page saves it in the project.")

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.INPUT, self.tr("Parcel layer"), [QgsProcessing.TypeVectorPolygon]))
        self.addParameter(QgsProcessingParameterField(
            self.PARCEL_FIELD, self.tr("Parcel code field (empty: detect 宗地代码)"),
            parentLayerParameterName=self.INPUT,
            optional=True))
        self.addParameter(QgsProcessingParameterFile(
            self.TABLE, self.tr("Enterprise workbook (.xlsx or .csv)"),
            fileFilter=self.tr("Workbooks (*.xlsx *.xlsm *.csv *.xls)")))
        self.addParameter(QgsProcessingParameterString(
            self.SHEET, self.tr("Sheet (empty: the first; * for all sheets)"), optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            self.YEAR, self.tr("Evaluation year"), QgsProcessingParameterNumber.Integer,
            defaultValue=QDate.currentDate().year() - 1, minValue=1990, maxValue=2100))
        self.addParameter(QgsProcessingParameterFile(
            self.LINK, self.tr("Enterprise–parcel link table (credit code, parcel code, share)"), optional=True,
            fileFilter=self.tr("Workbooks (*.xlsx *.xlsm *.csv *.xls)")))
        self.addParameter(QgsProcessingParameterString(
            self.MAPPING, self.tr("Column mapping (field=column; ...)"), optional=True, multiLine=True))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, self.tr("Parcels with enterprise data"), QgsProcessing.TypeVectorPolygon))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT_ENTERPRISES, self.tr("Enterprises table"), QgsProcessing.TypeVector, optional=True,
            createByDefault=True))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.REPORT, self.tr("Report (.xlsx)"), self.tr("Excel workbook (*.xlsx)")))
        self.add_overwrite_parameter()
        store_sink.add_parameters(self, year=False)  # the enterprises table of YEAR
        for key, label in (("MATCHED_ROWS", tr_noop("Enterprise rows used")),
                           ("UNMATCHED", tr_noop("Unmatched enterprise rows")),
                           ("DUPLICATES", tr_noop("Duplicate rows")),
                           ("INVALID_CODES", tr_noop("Invalid credit codes")),
                           ("PARCELS_WITHOUT", tr_noop("Parcels without enterprises"))):
            self.addOutput(QgsProcessingOutputNumber(key, self.tr(label)))

    def _process(self, parameters, context, feedback):
        # the reader, join and report load when the algorithm runs, not when QGIS lists the algorithms
        from ...core.enterprise.enterprise_clean import clean_code
        from ...core.enterprise.enterprise_join import Joiner, join, read_link
        from ...core.enterprise.enterprise_report import summary_lines, write_report
        from ...core.enterprise.enterprise_table import TableStream, read_table
        from ...core.formats.xlsx_reader import TableError

        source = self.parameterAsSource(parameters, self.INPUT, context)
        if source is None:
            self.fail(self.tr("The parcel layer cannot be read."))
        table_path = self.parameterAsFile(parameters, self.TABLE, context)
        sheet = self.parameterAsString(parameters, self.SHEET, context) or None
        year = self.parameterAsInt(parameters, self.YEAR, context)
        link_path = self.parameterAsFile(parameters, self.LINK, context) or None
        mapping = self.parameterAsString(parameters, self.MAPPING, context) or None
        report_path = self.parameterAsFileOutput(parameters, self.REPORT, context)
        # before any work: no output on an input file, an existing report replaced only by choice
        self.guard_outputs(parameters, context, [self.INPUT, self.TABLE, self.LINK],
                           layers=[self.OUTPUT, self.OUTPUT_ENTERPRISES], paths=[report_path], existing=[report_path])
        store_ref, store_year = store_sink.prepare(self, parameters, context, year)
        if store_ref and parameters.get(self.OUTPUT_ENTERPRISES) is None:
            self.fail(self.tr("Writing into a store needs the enterprises table (OUTPUT_ENTERPRISES)."))
        names = source.fields().names()
        parcel_field = self.parameterAsString(parameters, self.PARCEL_FIELD, context) or detect_parcel_field(names)
        if not parcel_field or parcel_field not in names:
            self.fail(
                self.tr("The parcel layer has no parcel code field (宗地代码); choose one in 'Parcel code field'."))
        # the workbook streams: its sheets' headers are read first (the layout), then each row is
        # joined as it is read and its enterprise records written, so no row is kept
        try:
            feedback.pushInfo(self.tr("Reading {} ...").format(table_path))
            stream = TableStream(table_path, sheet=sheet, mapping=mapping)
        except TableError as exc:
            raise QgsProcessingException(str(exc)) from exc
        staged = []
        report_tmp = None
        try:
            try:
                link = read_link(link_path) if link_path else None
            except TableError as exc:
                stream.close()
                try:  # the workbook's own error comes first, as when it was read before the link table
                    read_table(table_path, sheet=sheet, mapping=mapping)
                except TableError as first:
                    raise QgsProcessingException(str(first)) from first
                raise QgsProcessingException(str(exc)) from exc
            # parcels: code -> total area; features sharing a code split the values by area
            meter = AreaMeter(source.sourceCrs(), context.transformContext())
            areas, counts = {}, {}
            layer_problems = []
            request = QgsFeatureRequest().setSubsetOfAttributes([parcel_field], source.fields())
            for f in source.getFeatures(request, SKIP_VALIDITY):
                code, _ = clean_code(f[parcel_field])
                if not code:
                    layer_problems.append(("#{}".format(f.id()), self.tr("feature without parcel code")))
                    continue
                area = meter.m2(f.geometry()) if f.hasGeometry() else 0.0
                if not limits.isfinite(area):  # NaN/infinite coordinates: the area (and any split by it) is unknown
                    layer_problems.append((code, self.tr("geometry with NaN or infinite coordinates: area unknown")))
                    area = 0.0
                areas[code] = areas.get(code, 0.0) + area
                counts[code] = counts.get(code, 0) + 1
            for code, n in counts.items():
                if n > 1:
                    layer_problems.append((code,
                                           self.tr("{} features share this parcel code: values split by area").format(
                                               n)))
            records = self._open_enterprises(parameters, context, source, staged)
            table = stream.table
            joiner = Joiner(table, areas, year, link=link, records=records)
            add = joiner.add
            try:
                for row in stream.rows(_Stage(feedback, 0, 65)):
                    add(row)
            except TableError as exc:
                raise QgsProcessingException(str(exc)) from exc
            finally:
                stream.close()
            if feedback.isCanceled():
                return {}
            if stream.layout_confirmed():
                self._log_sheets(feedback, table)
            else:  # never seen: the columns read give another layout than the headers announced
                feedback.pushWarning(self.tr("The workbook's columns, once read, did not give the layout its headers "
                                             "announced: it is read again and joined row by row after reading."))
                if staged:
                    staged.pop()[1].discard()
                records = self._open_enterprises(parameters, context, source, staged)
                joiner = None
                try:
                    table = read_table(table_path, sheet=sheet, mapping=mapping, feedback=_Stage(feedback, 0, 45))
                    if feedback.isCanceled():
                        return {}
                    self._log_sheets(feedback, table)
                    res = join(table, areas, year, link=link, feedback=_Stage(feedback, 45, 65), records=records)
                except TableError as exc:
                    raise QgsProcessingException(str(exc)) from exc
                table.rows = []
            if joiner is not None:
                try:
                    res = joiner.finish()
                except TableError as exc:
                    raise QgsProcessingException(str(exc)) from exc
                joiner = add = None  # the duplicate check's keys go
            records.flush()
            res.layer_problems = layer_problems
            if feedback.isCanceled():
                return {}
            # every output is written beside its target and checked; all are moved into place at
            # the end, so a failure (disk full, permission) replaces nothing
            params = {self.tr("parcel layer"): source.sourceName(), self.tr("parcel code field"): parcel_field,
                      self.tr("column mapping"): mapping or ""}
            try:
                report_tmp, cleaned = write_report(report_path, table, res, link, params, stage=True)
            except files.OutputError as exc:
                raise QgsProcessingException(str(exc)) from exc
            if cleaned:
                feedback.pushWarning(self.tr("Report {}: text cleaned in {} cells: {}").format(
                    report_path, len(cleaned), cleaned.summary()))
            results = {}
            self._write_parcels(parameters, context, feedback, source, table, res, parcel_field, meter, areas, counts,
                                staged)
            if feedback.isCanceled():
                return {}
            for _, out in staged:
                out.finish()
            try:
                files.publish(report_tmp, report_path)
            except files.OutputError as exc:
                raise QgsProcessingException(str(exc)) from exc
            report_tmp = None
            for key, out in staged:
                results[key] = out.publish()
        finally:
            stream.close()
            if report_tmp is not None:
                files.remove_quietly(report_tmp)
            for _, out in staged:
                out.discard()
        results[self.REPORT] = report_path
        feedback.setProgress(100)
        for label, number in summary_lines(table, res, link):
            feedback.pushInfo("{}: {}".format(label, number))
        for note in res.notes:
            feedback.pushWarning(note)
        if res.unmatched or res.invalid or res.duplicates:
            feedback.pushWarning(
                self.tr("Some rows were not used or need checking: see the report {}").format(report_path))
        results.update({
            "MATCHED_ROWS": res.used_rows,
            "UNMATCHED": len({(u[0], u[1]) for u in res.unmatched}),
            "DUPLICATES": len(res.duplicates),
            "INVALID_CODES": len(res.invalid),
            "PARCELS_WITHOUT": len(res.no_enterprise),
        })
        if store_ref:  # the year's enterprise data, in one transaction, each row with its parcel's town
            from ...core.enterprise.enterprise_clean import clean_code

            results["RUN_ID"] = store_sink.write_step(
                store_ref, store_year, "joinenterprises", [("enterprises", results[self.OUTPUT_ENTERPRISES])],
                context, feedback, parameters={"table": os.path.basename(table_path), "sheet": sheet,
                                               "link": os.path.basename(link_path) if link_path else None},
                counts={"rows": res.used_rows, "parcels_without": len(res.no_enterprise)},
                output=results[self.OUTPUT_ENTERPRISES],
                towns=store_sink.parcel_towns(source, parcel_field, clean_code))
        return results

    def _log_sheets(self, feedback, table):
        for sheet_name, cols in table.columns.items():
            found = ", ".join("{}={}{}".format(c.field, c.header, " ({})".format(c.year) if c.year else "")
                              for c in cols if c.field)
            feedback.pushInfo(self.tr("Sheet {}: header on rows {}–{}; columns: {}").format(
                sheet_name, table.header_rows[sheet_name][0], table.header_rows[sheet_name][1], found))

    def _open_enterprises(self, parameters, context, source, staged):
        """The enterprises table's sink (added to ``staged``) and the function writing one record
        into it as the join makes it (a thousand at a time; ``flush()`` writes the last ones);
        without that output, a function that writes nothing."""
        from ...core.enterprise.header import value_fields

        ent_fields = QgsFields()
        for name, kind in (("parcel_code", "string"), ("credit_code", "string"), ("enterprise_name", "string"),
                           ("year", "int"), ("share", "double")):
            ent_fields.append(make_field(name, kind))
        vfields = value_fields()
        for name in vfields:
            ent_fields.append(make_field(name))
        ent_fields.append(make_field("scale", "string"))
        source_row = QgsField("source_row", QVariant.Type.String)
        source_row.setAlias(self.tr("source row"))
        ent_fields.append(source_row)
        ent_sink = self.open_sink(parameters, self.OUTPUT_ENTERPRISES, context, ent_fields, QgsWkbTypes.NoGeometry,
                                  source.sourceCrs(), optional=True, file_writer=True)
        batch = []
        if ent_sink is None:
            def skip(parcel, row, y, share, values):
                return None

            skip.flush = batch.clear
            return skip
        staged.append((self.OUTPUT_ENTERPRISES, ent_sink))
        add_many = ent_sink.add_many

        def write(parcel, row, y, share, values):
            feat = QgsFeature(ent_fields)
            feat.setAttributes([parcel, row.credit_code, row.name, y, share] + [values.get(n) for n in vfields]
                               + [row.scale, row.where()])
            batch.append(feat)
            if len(batch) >= 1000:
                add_many(batch)
                batch.clear()

        def flush():
            if batch:
                add_many(batch)
                batch.clear()

        write.flush = flush  # the last records, once the join is done
        return write

    def _write_parcels(self, parameters, context, feedback, source, table, res, parcel_field, meter, areas, counts,
                       staged):
        """The parcel layer, into a checked sink put first in ``staged`` (before the enterprises
        table, written during the join)."""
        from ...core.enterprise.enterprise_clean import clean_code
        from ...core.enterprise.enterprise_join import SUFFIXES, output_field_names, parcel_attributes
        from ...core.enterprise.header import value_fields

        # parcel output
        extra = output_field_names()
        attrs_from_forms = sorted({k for v in table.form_attributes.values() for k in v})
        out_fields = QgsFields()
        replaced = set(extra) | set(attrs_from_forms)
        for fld in source.fields():
            if fld.name() not in replaced:
                out_fields.append(fld)
        for name in extra:
            kind = "int" if name in ("enterprise_count", "data_year") else "string" if name == "scale" else "double"
            out_fields.append(make_field(name, kind))
        for name in attrs_from_forms:
            out_fields.append(make_field(name))
        sink = self.open_sink(parameters, self.OUTPUT, context, out_fields, source.wkbType(), source.sourceCrs(),
                              file_writer=True)
        staged.insert(0, (self.OUTPUT, sink))
        kept = [fld.name() for fld in source.fields() if fld.name() not in replaced]
        total = max(1, source.featureCount())
        raw_names = set(f + s for f in value_fields() for s in SUFFIXES)
        for i, f in enumerate(source.getFeatures(QgsFeatureRequest(), SKIP_VALIDITY)):
            if i % 2000 == 0:
                if feedback.isCanceled():
                    return
                feedback.setProgress(65 + 30.0 * i / total)
            code, _ = clean_code(f[parcel_field])
            own_area = meter.m2(f.geometry()) if f.hasGeometry() else 0.0
            own_area = own_area if limits.isfinite(own_area) else 0.0
            values = parcel_attributes(res, code, own_area) if code else {}
            if code and counts.get(code, 1) > 1 and areas.get(code):
                ratio = own_area / areas[code]
                for name in raw_names:
                    if values.get(name) is not None:
                        values[name] = values[name] * ratio
                values.update(indicators.compute(dict(values, area_m2=own_area)))
            out = QgsFeature(out_fields)
            out.setGeometry(f.geometry())
            attrs = [f[n] for n in kept] + [values.get(n) for n in extra]
            form_values = table.form_attributes.get(code, {}) if code else {}
            attrs += [form_values.get(n) for n in attrs_from_forms]
            out.setAttributes(attrs)
            sink.add(out)
