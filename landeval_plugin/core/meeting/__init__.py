"""研判会 (review meeting): the walk-through of a parcel list, its recorded decisions and minutes."""
