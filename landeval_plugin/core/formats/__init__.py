"""File formats that are not the domain: the fast xlsx reader, text-safe xlsx cells, the PDF outline."""
