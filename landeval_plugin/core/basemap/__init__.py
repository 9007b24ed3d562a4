"""地块底图: the base map step (reading the sources, land use, building the parcel layer)."""
