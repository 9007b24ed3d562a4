"""landeval:sampledistrict: write the generated sample district (for trying LandEval out)."""
import os

from qgis.core import (
    QgsProcessingOutputFile,
    QgsProcessingOutputFolder,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterNumber,
)

from ...core import files
from ..base import LandEvalAlgorithm


class SampleDistrictAlgorithm(LandEvalAlgorithm):
    NAME = "sampledistrict"
    OUTPUT_FOLDER = "OUTPUT_FOLDER"
    PARCELS = "PARCELS"
    SEED = "SEED"
    OUTPUT_GPKG = "OUTPUT_GPKG"
    OUTPUT_YDPW_SHP = "OUTPUT_YDPW_SHP"
    OUTPUT_ENTERPRISES = "OUTPUT_ENTERPRISES"
    OUTPUT_LINK = "OUTPUT_LINK"

    def displayName(self):
        return self.tr("Generate sample district")

    def group(self):
        return self.tr("Tools")

    def groupId(self):
        return "tools"

    def shortHelpString(self):
        return self.tr(
            "Writes a generated sample district (CGCS2000 / 3-degree Gauss-Kruger CM 120E, EPSG:4549) for trying "
            "LandEval out: a GeoPackage with the real-estate register (bdcdj), land approvals (ydpw), current land "
            "use survey (tdlyxz), the urban development boundary (czkfbj), the industrial protection line (gybzx), "
            "roads, river and towns; the land approvals again as a GBK Shapefile; the enterprise workbook and the "
            "enterprise-parcel link table. The sources disagree in places and the workbook has messy cells on "
            "purpose. The same seed always gives the same files; existing files in the folder are replaced only "
            "when the whole district has been written.")

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterFolderDestination(self.OUTPUT_FOLDER, self.tr("Output folder")))
        self.addParameter(QgsProcessingParameterNumber(
            self.PARCELS, self.tr("Number of registered parcels"), QgsProcessingParameterNumber.Integer, 3000,
            minValue=50, maxValue=500000))
        self.addParameter(QgsProcessingParameterNumber(
            self.SEED, self.tr("Random seed"), QgsProcessingParameterNumber.Integer, 42, minValue=0))
        self.add_overwrite_parameter()
        self.addOutput(QgsProcessingOutputFolder(self.OUTPUT_FOLDER, self.tr("Output folder")))
        self.addOutput(QgsProcessingOutputFile(self.OUTPUT_GPKG, self.tr("Sample district GeoPackage")))
        self.addOutput(QgsProcessingOutputFile(self.OUTPUT_YDPW_SHP, self.tr("Land approvals Shapefile (GBK)")))
        self.addOutput(QgsProcessingOutputFile(self.OUTPUT_ENTERPRISES, self.tr("Enterprise workbook")))
        self.addOutput(QgsProcessingOutputFile(self.OUTPUT_LINK, self.tr("Enterprise-parcel link table")))

    def _process(self, parameters, context, feedback):
        from ...core.sample import sample_district  # loaded when the algorithm runs, not when listed

        folder = self.parameterAsString(parameters, self.OUTPUT_FOLDER, context)
        parcels = self.parameterAsInt(parameters, self.PARCELS, context)
        seed = self.parameterAsInt(parameters, self.SEED, context)
        # before any work: the district's files replace existing ones only with OVERWRITE
        self.guard_outputs(parameters, context, [], existing=sample_district.output_files(folder))
        try:
            files.ensure_folder(os.path.join(folder, sample_district.GPKG_NAME))
        except files.OutputError as exc:
            self.fail(str(exc))
        feedback.pushInfo(self.tr("Generating {} parcels (seed {}) into {}").format(parcels, seed, folder))
        try:
            paths = sample_district.generate(folder, parcels=parcels, seed=seed, feedback=feedback)
        except sample_district.GenerationCancelled:
            feedback.reportError(self.tr("Cancelled: nothing was written."))
            return {}
        except (OSError, RuntimeError, files.OutputError) as exc:
            self.fail(self.tr("Cannot write the sample district into {}: {}. Nothing was replaced; earlier files "
                              "are kept.").format(folder, files.reason(exc, folder)))
        for key in ("gpkg", "ydpw_shp", "enterprises_xlsx", "link_xlsx"):
            feedback.pushInfo(self.tr("Wrote {}").format(paths[key]))
        return {
            self.OUTPUT_FOLDER: folder,
            self.OUTPUT_GPKG: paths["gpkg"],
            self.OUTPUT_YDPW_SHP: paths["ydpw_shp"],
            self.OUTPUT_ENTERPRISES: paths["enterprises_xlsx"],
            self.OUTPUT_LINK: paths["link_xlsx"],
        }
