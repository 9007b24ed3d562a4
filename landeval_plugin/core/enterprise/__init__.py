"""企业数据: reading the enterprise workbook, cleaning, joining to parcels, fill-in forms, the join report."""
