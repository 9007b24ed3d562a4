"""一地一档: the dossier sheet of each parcel (sheet data, printer, workbook, publishing the outputs)."""
