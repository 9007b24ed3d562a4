"""Each module here defines one LandEvalAlgorithm subclass; the provider finds them."""
