"""集中连片: clusters of neighbouring parcels."""
